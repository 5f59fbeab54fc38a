"""The stored categories a batch's reposts take are read through the driver exactly as stored."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sink.dedup_state import TICKETS, ticket_categories

T0 = datetime(2026, 10, 3, 1, 0, tzinfo=timezone.utc)
CATEGORIES = ("banjir", "sampah", "lainnya", "jalan_rusak", "parkir_liar")


def stored_ticket(ticket_id: int) -> dict:
    return {
        "id": ticket_id, "category": CATEGORIES[ticket_id % len(CATEGORIES)], "first_seen": T0,
        "last_seen": T0 + timedelta(hours=1), "member_count": 1, "channels": ["twitter"], "status": "menunggu",
        "is_complaint": True, "created_at": T0, "updated_at": T0,
    }


def test_each_asked_ticket_comes_back_with_its_category_and_unknown_ones_are_left_out(engine):
    # More ids than one statement reads (chunks of 1,000), plus ids no ticket has.
    with engine.begin() as connection:
        connection.execute(TICKETS.insert(), [stored_ticket(i) for i in range(1, 1301)])
    asked = set(range(2, 1301, 1)) | {5000, 5001}
    found = ticket_categories(engine, asked)
    assert found == {i: CATEGORIES[i % len(CATEGORIES)] for i in range(2, 1301)}
    assert ticket_categories(engine, {7, 5000}) == {7: CATEGORIES[7 % len(CATEGORIES)]}

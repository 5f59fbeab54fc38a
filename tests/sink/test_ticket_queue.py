"""The console's queue query and triage actions on SQLite and PostgreSQL: keyset paging, filters, workflow."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from sink.database import ensure_schema, open_engine
from sink.models import AuditRow, TicketRow
from sink.operator import OperatorError
from sink.ticket_actions import set_status
from sink.ticket_queue import QueueCursor, QueueFilter, queue_count, queue_page

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
CHANNELS = ["twitter", "email", "instagram", "rss"]


@pytest.fixture
def engine(db_url):
    engine = open_engine(db_url)
    ensure_schema(engine)
    rows = []
    for number in range(1, 131):
        seen = T0 + timedelta(minutes=number % 17)  # many ties on last_seen and member_count: the id breaks them
        rows.append({
            "id": number, "category": "banjir" if number % 2 else "sampah", "kota": "Jakarta Timur" if number % 3 else "Jakarta Barat",
            "kecamatan": None, "kelurahan": "Klender" if number % 5 == 0 else None, "kelurahan_code": None, "street": None,
            "lat": None, "lon": None, "title": f"laporan {number}" + (" gorong-gorong 50%_mampet" if number % 7 == 0 else ""),
            "first_seen": seen - timedelta(hours=1), "last_seen": seen, "member_count": number % 4 + 1,
            "channels": CHANNELS[: number % 4 + 1], "status": "selesai" if number % 11 == 0 else "menunggu",
            "agency": None, "is_complaint": number % 13 != 0, "merged_into": None, "created_at": T0, "updated_at": T0,
        })
    with engine.begin() as connection:
        connection.execute(TicketRow.__table__.insert(), rows)
    yield engine
    engine.dispose()


def _all_pages(engine, filters: QueueFilter, size: int) -> list[int]:
    seen, cursor = [], None
    with engine.connect() as connection:
        while True:
            page = queue_page(connection, filters, cursor, size)
            seen.extend(t.id for t in page.tickets)
            if page.next is None:
                return seen
            cursor = QueueCursor.decode(page.next.encode())


def test_keyset_pages_cover_the_queue_once_in_priority_order(engine):
    filters = QueueFilter(status=None)
    with engine.connect() as connection:
        everything = queue_page(connection, filters, None, 200).tickets
    expected = [t.id for t in sorted(everything, key=lambda t: (t.member_count, t.last_seen, t.id), reverse=True)]
    assert len(expected) == 130 - 10  # not-a-complaint tickets stay out
    assert _all_pages(engine, filters, 7) == expected


@pytest.mark.parametrize(("filters", "predicate"), [
    (QueueFilter(), lambda n: n % 11 != 0),
    (QueueFilter(status=None, category="banjir"), lambda n: n % 2 == 1),
    (QueueFilter(status=None, kota="jakarta barat"), lambda n: n % 3 == 0),
    (QueueFilter(status=None, kelurahan="Klender"), lambda n: n % 5 == 0),
    (QueueFilter(status=None, channel="rss"), lambda n: n % 4 == 3),
    (QueueFilter(status=None, text="50%_MAMPET"), lambda n: n % 7 == 0),
    (QueueFilter(status=None, text="%"), lambda n: n % 7 == 0),
    (QueueFilter(status="selesai"), lambda n: n % 11 == 0),
])
def test_filters_select_exactly_the_matching_tickets(engine, filters, predicate):
    expected = {n for n in range(1, 131) if predicate(n) and n % 13 != 0}
    assert set(_all_pages(engine, filters, 50)) == expected
    with engine.connect() as connection:
        assert queue_count(connection, filters) == (len(expected), False)


def test_not_a_complaint_tickets_have_their_own_view(engine):
    assert set(_all_pages(engine, QueueFilter(status=None, complaints=False), 50)) == {13, 26, 39, 52, 65, 78, 91, 104, 117, 130}


@pytest.mark.parametrize("value", [None, "", "x", "1.2", "1.2.3.4", "a.b.c", "9" * 400 + ".1.1"])
def test_a_tampered_cursor_starts_over(value):
    assert QueueCursor.decode(value) is None


def test_status_workflow_on_both_databases(engine):
    with engine.begin() as connection:
        set_status(connection, 1, "koordinasi", "", "op")
        with pytest.raises(OperatorError):
            set_status(connection, 1, "selesai", "", "op")
        set_status(connection, 1, "ditolak", "duplikat laporan lama", "op")
        set_status(connection, 1, "menunggu", "dibuka lagi", "op")
    with engine.connect() as connection:
        row = connection.execute(select(TicketRow.__table__).where(TicketRow.id == 1)).one()
        actions = connection.execute(select(AuditRow.action).where(AuditRow.entity_id == "1")).scalars().all()
    assert row.status == "menunggu" and row.coordinated_at is not None and row.resolved_at is None
    assert actions == ["set_status"] * 3

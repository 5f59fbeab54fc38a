"""Text search through the trigram indexes (SQLite FTS5, PostgreSQL pg_trgm) finds exactly what a
substring match over titles and message texts finds, and stays in step with later writes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, insert, update

from sink.database import ensure_schema, open_engine
from sink.models import MentionRow, RawItemRow, TicketRow
from sink.ticket_queue import QueueFilter, queue_count, queue_page

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)
TEXTS = [
    "Banjir setinggi lutut di Jl. Kenanga, Kel. Cipete Utara",
    "sampah numpuk di TPS pasar, bau banget",
    'got mampet "50%_penuh" kata pak RT',
    "Lampu jalan mati di jln melati sejak minggu lalu",
    "BANJIR lagi, air masuk rumah warga Kampung Melayu",
    "pohon tumbang menutup jalan, tolong dievakuasi",
]
TERMS = ["banjir", "JL. KENANGA", "50%_penuh", '"50%', "jalan", "kampung melayu", "tidak ada di mana pun", "ump", "judul khusus"]


@pytest.fixture
def engine(db_url):
    engine = open_engine(db_url)
    ensure_schema(engine)
    tickets, raws, mentions = [], [], []
    for number in range(1, 31):
        tickets.append({"id": number, "category": "banjir", "title": "judul khusus" if number == 30 else f"laporan {number}",
                        "first_seen": T0, "last_seen": T0 + timedelta(minutes=number), "member_count": 2, "channels": ["twitter"],
                        "status": "menunggu", "is_complaint": True, "created_at": T0, "updated_at": T0})
        for member in range(2):
            mention_id = number * 10 + member
            raws.append({"id": mention_id, "channel": "twitter", "external_id": str(mention_id), "source": "t", "payload": b"{}",
                         "content_type": "application/json", "origin": "test", "fetched_at": T0, "stored_at": T0})
            mentions.append({"id": mention_id, "channel": "twitter", "external_id": str(mention_id), "source": "t", "created_at": T0,
                             "text": TEXTS[(number + member) % len(TEXTS)] + f" #{mention_id}", "category": "banjir",
                             "is_complaint": True, "ticket_id": number})
    with engine.begin() as connection:
        connection.execute(insert(TicketRow.__table__), tickets)
        connection.execute(insert(RawItemRow.__table__), raws)
        connection.execute(insert(MentionRow.__table__), mentions)
    yield engine
    engine.dispose()


def _expected(engine, term: str) -> set[int]:
    """The tickets a plain substring match over every title and text finds."""
    with engine.connect() as connection:
        titles = connection.execute(TicketRow.__table__.select()).all()
        texts = connection.execute(MentionRow.__table__.select()).all()
    found = {t.id for t in titles if term.lower() in t.title.lower()}
    return found | {m.ticket_id for m in texts if m.ticket_id and term.lower() in m.text.lower()}


def _found(engine, term: str) -> set[int]:
    with engine.connect() as connection:
        page = queue_page(connection, QueueFilter(status=None, text=term), None, 200)
        count, more = queue_count(connection, QueueFilter(status=None, text=term))
    assert count == len(page.tickets) and not more
    return {t.id for t in page.tickets}


@pytest.mark.parametrize("term", TERMS)
def test_search_finds_what_a_substring_match_finds(engine, term):
    expected = _expected(engine, term)
    assert _found(engine, term) == expected
    if term in ("banjir", "judul khusus", "tidak ada di mana pun"):
        assert expected if term != "tidak ada di mana pun" else not expected  # the cases are not vacuous


def test_index_follows_new_changed_and_deleted_rows(engine):
    assert _found(engine, "gorong-gorong ambrol") == set()
    with engine.begin() as connection:
        connection.execute(update(MentionRow.__table__).where(MentionRow.id == 10).values(text="gorong-gorong ambrol di gang 5"))
        connection.execute(update(TicketRow.__table__).where(TicketRow.id == 7).values(title="Gorong-gorong ambrol (judul baru)"))
    assert _found(engine, "gorong-gorong ambrol") == {1, 7}
    assert _found(engine, "#10") == {10}  # message 10's old text ("... #10") is out of the index
    with engine.begin() as connection:
        connection.execute(delete(MentionRow.__table__).where(MentionRow.id == 10))
        connection.execute(update(TicketRow.__table__).where(TicketRow.id == 7).values(title="laporan 7"))
    assert _found(engine, "gorong-gorong ambrol") == set()

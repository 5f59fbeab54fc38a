"""Text search through the trigram indexes (SQLite FTS5, PostgreSQL pg_trgm) finds exactly what a
substring match over titles and message texts finds, and stays in step with later writes, whether
the deferred SQLite indexes (titles, messages) have taken in none, half or all of their rows."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import delete, insert, update

from sink.database import _alembic_config, ensure_schema, open_engine, upgrade
from dedup.types import Assignment, LinkKind
from normalizer.types import Mention
from sink.models import MentionRow, RawItemRow, TicketRow
from sink.outcomes import Outcome, write_outcomes
from sink.reprocess import reprocess
from sink.text_search import MESSAGES as MESSAGES_INDEX
from sink.text_search import PROGRESS_TABLE, TITLES, catch_up, rows_behind
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


TICKETS = 30
MESSAGES = 60
ROWS = TICKETS + MESSAGES  # what the two deferred indexes take in


def _ticket_row(number: int, title: str) -> dict:
    return {"id": number, "category": "banjir", "title": title, "first_seen": T0, "last_seen": T0 + timedelta(minutes=number),
            "member_count": 2, "channels": ["twitter"], "status": "menunggu", "is_complaint": True, "created_at": T0, "updated_at": T0}


def _raw_row(mention_id: int) -> dict:
    return {"id": mention_id, "channel": "twitter", "external_id": str(mention_id), "source": "t", "payload": b"{}",
            "content_type": "application/json", "origin": "test", "fetched_at": T0, "stored_at": T0}


def _mention_row(mention_id: int, ticket_id: int, text: str) -> dict:
    return {"id": mention_id, "channel": "twitter", "external_id": str(mention_id), "source": "t", "created_at": T0,
            "text": text, "category": "banjir", "is_complaint": True, "ticket_id": ticket_id}


def _catch_up_fully(engine) -> None:
    while True:
        with engine.begin() as connection:
            if not catch_up(connection, 25):
                return


def _behind(engine) -> int:
    with engine.connect() as connection:
        return rows_behind(connection)


def _mark(engine, index) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"SELECT indexed_through FROM {PROGRESS_TABLE} WHERE name = ?", (index.name,)).scalar_one()


@pytest.fixture
def stored(db_url):
    """30 tickets of two messages each, none of them in the deferred indexes yet."""
    engine = open_engine(db_url)
    ensure_schema(engine)
    tickets, raws, mentions = [], [], []
    for number in range(1, TICKETS + 1):
        tickets.append(_ticket_row(number, "judul khusus" if number == 30 else f"laporan {number}"))
        for member in range(2):
            mention_id = number * 10 + member
            raws.append(_raw_row(mention_id))
            mentions.append(_mention_row(mention_id, number, TEXTS[(number + member) % len(TEXTS)] + f" #{mention_id}"))
    with engine.begin() as connection:
        connection.execute(insert(TicketRow.__table__), tickets)
        connection.execute(insert(RawItemRow.__table__), raws)
        connection.execute(insert(MentionRow.__table__), mentions)
    yield engine
    engine.dispose()


@pytest.fixture(params=["none", "half", "all"])
def engine(stored, request):
    """The store with the indexes having taken in none, half or all of their rows (SQLite): "half" is
    half the tickets' titles and a quarter of the messages (the catch-up's limit is per index)."""
    sqlite = stored.dialect.name == "sqlite"
    assert _behind(stored) == (ROWS if sqlite else 0)
    if request.param == "half":
        with stored.begin() as connection:
            assert catch_up(connection, TICKETS // 2) == (2 * (TICKETS // 2) if sqlite else 0)
    elif request.param == "all":
        _catch_up_fully(stored)
    assert _behind(stored) == ({"none": ROWS, "half": ROWS - TICKETS, "all": 0}[request.param] if sqlite else 0)
    return stored


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


def _same_as_substring_scan(engine) -> None:
    for term in TERMS:
        assert _found(engine, term) == _expected(engine, term), term


def test_search_is_complete_at_every_step_of_the_catch_up(stored):
    sqlite = stored.dialect.name == "sqlite"
    steps = []
    while True:
        _same_as_substring_scan(stored)
        with stored.begin() as connection:
            indexed = catch_up(connection, 7)
        if not indexed:
            break
        steps.append(indexed)
    # 7 rows of each index per step until the 30 titles are in, then 7 messages per step
    assert steps == ([14] * 4 + [9] + [7] * 3 + [4] if sqlite else [])
    assert _behind(stored) == 0


def test_a_late_message_below_the_mark_is_indexed_when_written(engine):
    """Messages processed after the catch-up passed their ids (a replayed quarantined item, a source
    stored before another but processed after) are found at once: their writer indexes them."""
    behind = _behind(engine)
    late = {5: "trotoar dipakai pedagang, susah lewat", 1500: "halte rusak, atapnya bocor"}  # below and above the marks
    with engine.begin() as connection:
        connection.execute(insert(RawItemRow.__table__), [_raw_row(mention_id) for mention_id in late])
        write_outcomes(connection, [
            Outcome(mention_id, "twitter", str(mention_id),
                    Mention("twitter", str(mention_id), "t", T0, text, category="banjir", is_complaint=True),
                    Assignment(3, LinkKind.SAME_INCIDENT, 0.9, False))
            for mention_id, text in late.items()], T0, lambda category, kota: None)
    assert _found(engine, "trotoar dipakai") == {3} == _found(engine, "atapnya bocor")
    if engine.dialect.name == "sqlite":
        # 5 is below the mark once the index has taken in message 10: indexed by the writer; else read
        assert _behind(engine) == behind + 1 + (0 if _mark(engine, MESSAGES_INDEX) >= 10 else 1)
    _catch_up_fully(engine)
    assert _found(engine, "trotoar dipakai") == {3} == _found(engine, "atapnya bocor")
    _same_as_substring_scan(engine)


def test_a_late_ticket_below_the_mark_is_indexed_on_insert(engine):
    """A ticket written again under an id the titles' catch-up has passed (reprocess, an operator's
    undo) is found at once, by its new title only."""
    with engine.begin() as connection:
        connection.execute(delete(MentionRow.__table__).where(MentionRow.ticket_id == 3))
        connection.execute(delete(TicketRow.__table__).where(TicketRow.id == 3))
    behind = _behind(engine)
    with engine.begin() as connection:
        connection.execute(insert(TicketRow.__table__), [_ticket_row(3, "trotoar dipakai pedagang")])
    assert _found(engine, "trotoar dipakai") == {3}
    assert _found(engine, "laporan 3") == set()
    if engine.dialect.name == "sqlite":
        assert _behind(engine) == behind + (0 if _mark(engine, TITLES) >= 3 else 1)
    _catch_up_fully(engine)
    assert _found(engine, "trotoar dipakai") == {3}
    _same_as_substring_scan(engine)


def test_reprocess_empties_the_index_and_search_stays_exact(engine):
    """Reprocess deletes and rewrites every message under the same ids: the old texts leave the index."""
    def rederive(connection) -> int:
        connection.execute(insert(TicketRow.__table__), [_ticket_row(number, f"ulang {number}") for number in range(1, 31)])
        connection.execute(insert(MentionRow.__table__), [
            _mention_row(number * 10 + member, number, f"diproses ulang: trotoar rusak #{number * 10 + member}")
            for number in range(1, 31) for member in range(2)])
        return MESSAGES

    with engine.begin() as connection:
        assert reprocess(connection, rederive).raw_items == MESSAGES
    sqlite = engine.dialect.name == "sqlite"
    assert _behind(engine) == (ROWS if sqlite else 0)  # nothing indexed: the marks went back to 0
    for stage in ("before catch-up", "after catch-up"):
        assert _found(engine, "banjir") == set(), stage
        assert _found(engine, "laporan 7") == set(), stage  # the old titles left the index too
        assert _found(engine, "trotoar rusak #301") == {30}, stage
        _same_as_substring_scan(engine)
        _catch_up_fully(engine)


def test_search_stays_exact_while_messages_arrive_during_the_catch_up(stored):
    """A writer adds messages in its own transactions while another thread catches up in chunks."""
    if stored.dialect.name != "sqlite":
        pytest.skip("PostgreSQL indexes on write: there is no catch-up")
    stop = threading.Event()
    chunks: list[int] = []
    failures: list[BaseException] = []

    def catch_up_until_stopped() -> None:
        try:
            while not stop.is_set():
                with stored.begin() as connection:
                    chunks.append(catch_up(connection, 5))
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)

    worker = threading.Thread(target=catch_up_until_stopped)
    worker.start()
    try:
        for batch in range(10):
            first = 1000 + batch * 10
            with stored.begin() as connection:
                connection.execute(insert(RawItemRow.__table__), [_raw_row(first + k) for k in range(10)])
                connection.execute(insert(MentionRow.__table__), [
                    _mention_row(first + k, 1 + (first + k) % 30, f"lampu taman padam blok {batch} nomor {first + k}")
                    for k in range(10)])
            assert _found(stored, f"blok {batch} nomor") == {1 + (first + k) % 30 for k in range(10)}
            assert _found(stored, "lampu taman padam") == _expected(stored, "lampu taman padam")
    finally:
        stop.set()
        worker.join()
    assert not failures
    assert sum(chunks) > 0
    _catch_up_fully(stored)
    assert _behind(stored) == 0
    _same_as_substring_scan(stored)
    assert _found(stored, "lampu taman padam") == _expected(stored, "lampu taman padam") != set()


def test_a_store_indexed_by_triggers_keeps_its_index_when_migrated(sqlite_url):
    """Migrations 0006 and 0007 turn 0005's complete indexes into deferred ones with their marks at the last row."""
    engine = open_engine(sqlite_url)
    upgrade(engine, "0005")
    with engine.begin() as connection:
        connection.execute(insert(TicketRow.__table__), [_ticket_row(1, "laporan 1")])
        connection.execute(insert(RawItemRow.__table__), [_raw_row(k) for k in (3, 4)])
        # written under 0005's triggers: indexed on insert
        connection.execute(insert(MentionRow.__table__), [_mention_row(3, 1, "banjir di kolong tol"),
                                                          _mention_row(4, 1, "genangan di kolong tol")])
    upgrade(engine)
    assert _behind(engine) == 0
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT rowid FROM mentions_text_search WHERE mentions_text_search MATCH '\"kolong\"' "
                                          "ORDER BY rowid").scalars().all() == [3, 4]
        assert connection.exec_driver_sql("SELECT rowid FROM tickets_title_search WHERE tickets_title_search MATCH '\"laporan\"'"
                                          ).scalars().all() == [1]
    assert _found(engine, "kolong tol") == {1}
    assert _found(engine, "laporan 1") == {1}
    engine.dispose()


def _triggers(connection, table: str) -> set[str]:
    return set(connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)).scalars())


def test_downgrading_to_0005_rebuilds_the_index_kept_by_triggers(sqlite_url):
    engine = open_engine(sqlite_url)
    ensure_schema(engine)
    with engine.begin() as connection:
        connection.execute(insert(TicketRow.__table__), [_ticket_row(1, "laporan 1")])
        connection.execute(insert(RawItemRow.__table__), [_raw_row(k) for k in (3, 4)])
        connection.execute(insert(MentionRow.__table__), [_mention_row(3, 1, "banjir di kolong tol")])
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        assert _triggers(connection, "mentions") == {"mentions_text_search_delete", "mentions_text_search_update"}
        command.downgrade(config, "0007")  # the messages' insert trigger comes back
        assert _triggers(connection, "mentions") == {f"mentions_text_search_{event}" for event in ("insert", "delete", "update")}
        command.downgrade(config, "0005")
    with engine.begin() as connection:
        connection.execute(insert(MentionRow.__table__), [_mention_row(4, 1, "genangan di kolong tol")])
        connection.execute(insert(TicketRow.__table__), [_ticket_row(2, "laporan 2")])
        assert connection.exec_driver_sql("SELECT rowid FROM mentions_text_search WHERE mentions_text_search MATCH '\"kolong\"' "
                                          "ORDER BY rowid").scalars().all() == [3, 4]
        assert connection.exec_driver_sql("SELECT rowid FROM tickets_title_search WHERE tickets_title_search MATCH '\"laporan\"' "
                                          "ORDER BY rowid").scalars().all() == [1, 2]
    upgrade(engine)
    assert _behind(engine) == 0
    assert _found(engine, "genangan di kolong") == {1}
    assert _found(engine, "laporan 2") == {2}
    engine.dispose()

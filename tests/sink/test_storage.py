"""The raw store, the outcome writer, operator decisions and exports on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, func, select

from collectors.types import RawItem
from dedup.types import Assignment, LinkKind
from normalizer.types import Author, Mention, Place
from sink import operator
from sink.database import WAL_CHECKPOINT_PAGES, current_revision, head_revision, open_engine
from sink.export import iter_mentions, iter_tickets
from sink.models import AuditRow, Base, MentionRow, QuarantineRow, RawItemRow, TicketRow
from sink.outcomes import Outcome, write_outcomes
from sink.raw_store import pending_batches, store_raw
from sink.text_search import is_search_object

T0 = datetime(2026, 10, 3, 1, 0, tzinfo=timezone.utc)


def no_agency(category: str, kota: str | None) -> str | None:
    return None


def raw(external_id: str, channel: str = "twitter", payload: bytes = b"{}") -> RawItem:
    return RawItem(channel, "test", external_id, payload, "application/json", T0, "test-file")


def mention(external_id: str, minutes: int = 0, kelurahan: str | None = "Cipete Utara", channel: str = "twitter") -> Mention:
    return Mention(
        channel=channel, external_id=external_id, source="test", created_at=T0 + timedelta(minutes=minutes),
        text=f"banjir lagi di cipete utara ({external_id})", author=Author("1", "warga", "Warga"),
        place=Place(kota="Jakarta Selatan", kecamatan="Kebayoran Baru", kelurahan=kelurahan,
                    kelurahan_code="31.74.06.1004" if kelurahan else None),
        category="banjir", is_complaint=True, complaint_reason="complaint: banjir",
    )


def test_migrations_create_the_models_schema(engine):
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": lambda name, *_: not is_search_object(name)})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_sqlite_connections_keep_statement_journals_in_memory_and_checkpoint_every_40_mb(sqlite_url):
    engine = open_engine(sqlite_url)
    with engine.connect() as connection:
        pragmas = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                   for name in ("journal_mode", "temp_store", "wal_autocheckpoint")}
    engine.dispose()
    assert pragmas == {"journal_mode": "wal", "temp_store": 2, "wal_autocheckpoint": WAL_CHECKPOINT_PAGES}
    assert WAL_CHECKPOINT_PAGES * 4096 >= 40_000_000


def test_store_raw_is_idempotent_and_reports_known_items(engine):
    with engine.begin() as connection:
        new, known = store_raw(connection, [raw("1"), raw("2"), raw("1")])
    assert [s.item.external_id for s in new] == ["1", "2"] and known == 1
    with engine.begin() as connection:
        new, known = store_raw(connection, [raw("2"), raw("3"), raw("3", channel="email")])
    assert [(s.item.channel, s.item.external_id) for s in new] == [("twitter", "3"), ("email", "3")] and known == 1
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(RawItemRow)).scalar() == 4
        payload = connection.execute(select(RawItemRow.payload).where(RawItemRow.external_id == "1")).scalar()
    assert payload == b"{}"


def _store(engine, *items: RawItem):
    with engine.begin() as connection:
        stored, _ = store_raw(connection, items)
    return stored


def test_outcomes_write_tickets_members_and_quarantine(engine):
    stored = _store(engine, raw("a"), raw("b"), raw("c"), raw("bad"))
    ids = {s.item.external_id: s.id for s in stored}
    outcomes = [
        Outcome(ids["a"], "twitter", "a", mention("a", 0), Assignment(1, LinkKind.NEW, 1.0, True)),
        Outcome(ids["b"], "twitter", "b", mention("b", 30, kelurahan=None), Assignment(1, LinkKind.SAME_INCIDENT, 0.8, False, ((2, 0.4),))),
        Outcome(ids["c"], "twitter", "c", mention("c", 10)),  # read but not a complaint: no ticket
        Outcome(ids["bad"], "twitter", "bad", error="JSONDecodeError: bad", stage="parse"),
    ]
    outcomes[2].mention.is_complaint = False
    with engine.begin() as connection:
        write_outcomes(connection, outcomes, T0, lambda category, kota: f"agency for {category}")
    later = _store(engine, raw("d", channel="qlue"))
    with engine.begin() as connection:
        write_outcomes(connection, [Outcome(later[0].id, "qlue", "d", mention("d", 90, channel="qlue"),
                                            Assignment(1, LinkKind.CROSS_POST, 0.95, False))], T0, no_agency)
    with engine.connect() as connection:
        ticket = connection.execute(select(TicketRow.__table__)).one()
        states = dict(connection.execute(select(RawItemRow.external_id, RawItemRow.state)).all())
        quarantine = connection.execute(select(QuarantineRow.__table__)).one()
    assert (ticket.member_count, ticket.channels, ticket.agency) == (3, ["qlue", "twitter"], "agency for banjir")
    assert ticket.first_seen == T0 and ticket.last_seen == T0 + timedelta(minutes=90)
    assert ticket.kelurahan_code == "31.74.06.1004"
    assert states == {"a": "processed", "b": "processed", "c": "processed", "bad": "quarantined", "d": "processed"}
    assert (quarantine.external_id, quarantine.stage, quarantine.error) == ("bad", "parse", "JSONDecodeError: bad")

    exported = {m["external_id"]: m for m in iter_mentions(engine)}
    assert exported["a"]["ticket_id"] == 1 and exported["c"]["ticket_id"] is None
    assert exported["b"]["link_kind"] == "same_incident" and exported["b"]["location"]["kelurahan"] is None
    assert exported["a"]["created_at"] == "2026-10-03T01:00:00Z"
    assert [t["id"] for t in iter_tickets(engine)] == [1]
    assert list(iter_mentions(engine, since=T0 + timedelta(minutes=60))) == [exported["d"]]


def test_a_later_batch_widens_the_tickets_span_and_fills_its_place(engine):
    """Existing tickets are updated from their stored values: an earlier message moves first_seen back
    (times compared as stored), a later one last_seen on, a place is taken only when the ticket has none."""
    first = _store(engine, raw("a"), raw("b"))
    with engine.begin() as connection:
        write_outcomes(connection, [
            Outcome(first[0].id, "twitter", "a", mention("a", 60, kelurahan=None), Assignment(1, LinkKind.NEW, 1.0, True)),
            Outcome(first[1].id, "twitter", "b", mention("b", 60), Assignment(2, LinkKind.NEW, 1.0, True)),
        ], T0, no_agency)
    later = _store(engine, raw("c"), raw("d", channel="qlue"), raw("e"))
    other_place = replace(mention("e", 120), place=Place(kota="Jakarta Utara", kelurahan="Pluit", kelurahan_code="31.72.01.1001"))
    with engine.begin() as connection:
        write_outcomes(connection, [
            Outcome(later[0].id, "twitter", "c", mention("c", 0, kelurahan=None), Assignment(1, LinkKind.SAME_INCIDENT, 0.9, False)),
            Outcome(later[1].id, "qlue", "d", mention("d", 59, channel="qlue"), Assignment(1, LinkKind.CROSS_POST, 0.9, False)),
            Outcome(later[2].id, "twitter", "e", other_place, Assignment(2, LinkKind.SAME_INCIDENT, 0.9, False)),
        ], T0 + timedelta(hours=5), no_agency)
    with engine.connect() as connection:
        tickets = {t.id: t for t in connection.execute(select(TicketRow.__table__))}
    assert (tickets[1].first_seen, tickets[1].last_seen) == (T0, T0 + timedelta(minutes=60))
    assert (tickets[1].member_count, tickets[1].channels, tickets[1].kelurahan) == (3, ["qlue", "twitter"], "Cipete Utara")
    assert (tickets[2].first_seen, tickets[2].last_seen) == (T0 + timedelta(minutes=60), T0 + timedelta(minutes=120))
    assert (tickets[2].kelurahan, tickets[2].kota, tickets[2].member_count) == ("Cipete Utara", "Jakarta Selatan", 2)
    assert tickets[1].updated_at == T0 + timedelta(hours=5) and tickets[1].created_at == T0


def test_a_join_that_moves_only_the_count_and_last_report_names_no_other_indexed_column(engine):
    """A ticket joined by a later message on the same channel, place and category: the UPDATE leaves its
    first report, place, category and channels out (each would rewrite index entries for nothing)."""
    first = _store(engine, raw("a"))
    with engine.begin() as connection:
        write_outcomes(connection, [Outcome(first[0].id, "twitter", "a", mention("a", 0), Assignment(1, LinkKind.NEW, 1.0, True))],
                       T0, no_agency)
    later = _store(engine, raw("b"))
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, *_: statements.append(sql))
    with engine.begin() as connection:
        write_outcomes(connection, [Outcome(later[0].id, "twitter", "b", mention("b", 30),
                                            Assignment(1, LinkKind.SAME_INCIDENT, 0.9, False))], T0, no_agency)
    [update] = [sql for sql in statements if sql.startswith("UPDATE tickets")]
    assert "last_seen" in update and "member_count" in update
    for unchanged in ("first_seen", "kelurahan_code", "category", "channels"):
        assert unchanged not in update
    with engine.connect() as connection:
        row = connection.execute(select(TicketRow.__table__)).one()
    assert (row.member_count, row.first_seen, row.last_seen, row.channels) == (2, T0, T0 + timedelta(minutes=30), ["twitter"])


def test_quarantined_item_retried_later_leaves_quarantine(engine):
    stored = _store(engine, raw("x"))
    with engine.begin() as connection:
        write_outcomes(connection, [Outcome(stored[0].id, "twitter", "x", error="boom", stage="analyze")], T0, no_agency)
    with engine.begin() as connection:
        write_outcomes(connection, [Outcome(stored[0].id, "twitter", "x", error="boom again", stage="analyze")], T0, no_agency)
    with engine.connect() as connection:
        assert connection.execute(select(QuarantineRow.attempts, QuarantineRow.error)).one() == (2, "boom again")
    retry = [s for batch in pending_batches(engine, 10, ("quarantined",)) for s in batch]
    assert [s.item.external_id for s in retry] == ["x"]
    with engine.begin() as connection:
        write_outcomes(connection, [Outcome(stored[0].id, "twitter", "x", mention("x"))], T0, no_agency)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(QuarantineRow)).scalar() == 0
    assert list(pending_batches(engine, 10, ("quarantined", "new"))) == []


def _two_tickets(engine):
    stored = _store(engine, raw("a"), raw("b"), raw("c"))
    ids = {s.item.external_id: s.id for s in stored}
    with engine.begin() as connection:
        write_outcomes(connection, [
            Outcome(ids["a"], "twitter", "a", mention("a", 0), Assignment(1, LinkKind.NEW, 1.0, True)),
            Outcome(ids["b"], "twitter", "b", mention("b", 5), Assignment(1, LinkKind.SAME_INCIDENT, 0.7, False)),
            Outcome(ids["c"], "twitter", "c", mention("c", 9), Assignment(2, LinkKind.NEW, 1.0, True)),
        ], T0, no_agency)


def _members(engine) -> dict[str, int | None]:
    with engine.connect() as connection:
        return dict(connection.execute(select(MentionRow.external_id, MentionRow.ticket_id)).all())


def test_merge_split_and_undo_are_audited_and_reversible(engine):
    _two_tickets(engine)
    with engine.begin() as connection:
        merge = operator.merge_tickets(connection, 2, 1, "ani")
    assert _members(engine) == {"a": 1, "b": 1, "c": 1}
    with engine.begin() as connection:
        split, new_ticket = operator.split_mention(connection, "twitter", "b", "ani")
    assert _members(engine) == {"a": 1, "b": new_ticket, "c": 1} and new_ticket == 3
    with engine.begin() as connection:
        operator.undo(connection, split, "budi")
        operator.undo(connection, merge, "budi")
    assert _members(engine) == {"a": 1, "b": 1, "c": 2}
    with engine.connect() as connection:
        counts = dict(connection.execute(select(TicketRow.id, TicketRow.member_count)).all())
        actions = connection.execute(select(AuditRow.actor, AuditRow.action).order_by(AuditRow.id)).all()
    assert counts[1] == 2 and counts[2] == 1
    assert actions == [("ani", "merge"), ("ani", "split"), ("budi", "undo"), ("budi", "undo")]
    with engine.begin() as connection, pytest.raises(operator.OperatorError, match="already undone"):
        operator.undo(connection, merge, "budi")


def test_operator_errors_say_what_is_wrong(engine):
    _two_tickets(engine)
    with engine.begin() as connection:
        with pytest.raises(operator.OperatorError, match="into itself"):
            operator.merge_tickets(connection, 1, 1, "ani")
        with pytest.raises(operator.OperatorError, match="does not exist"):
            operator.merge_tickets(connection, 1, 99, "ani")
        with pytest.raises(operator.OperatorError, match="already alone"):
            operator.split_mention(connection, "twitter", "c", "ani")


def test_bulk_insert_columns_cover_the_mentions_table():
    from sink.bulk import StoredTimes
    from sink.outcomes import INSERT_MENTIONS, MENTION_COLUMNS, mention_row, mention_values

    produced = set(mention_values(mention("a"), 1, None))
    assert set(INSERT_MENTIONS.columns) == produced == {column.name for column in MentionRow.__table__.columns}
    assert INSERT_MENTIONS.columns == MENTION_COLUMNS
    assert len(mention_row(mention("a"), 1, None, StoredTimes(True))) == len(MENTION_COLUMNS)

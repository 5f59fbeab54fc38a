"""sink.reprocess carries operators' work across a re-derivation, on SQLite and PostgreSQL.

The re-derivation here is written out by hand (which message joins which ticket), so each test can
play a rule change: a ticket torn apart, two tickets run together, messages that are no longer
complaints. The full pipeline through the CLI is tested in tests/dengar/test_reprocess_operator_work.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Connection, select

from collectors.types import RawItem
from dedup.types import Assignment, LinkKind
from normalizer.types import Author, Mention, Place
from sink import ticket_actions
from sink.database import open_engine
from sink.models import AuditRow, MentionRow, OutboxRow, TicketRow, TicketStatusRow
from sink.one_transaction import OneTransaction
from sink.outcomes import Outcome, write_outcomes
from sink.raw_store import pending_batches, store_raw
from sink.reprocess import reprocess

T0 = datetime(2026, 10, 3, 1, 0, tzinfo=timezone.utc)
CATEGORIES = frozenset({"banjir", "sampah", "saluran_air"})
EXTERNAL_IDS = ("a", "b", "c", "d", "e")


def mention(external_id: str, minutes: int, complaint: bool = True) -> Mention:
    return Mention(
        channel="twitter", external_id=external_id, source="test", created_at=T0 + timedelta(minutes=minutes),
        text=f"banjir di cipete utara ({external_id})", author=Author("1", "warga", "Warga"),
        place=Place(kota="Jakarta Selatan", kecamatan="Kebayoran Baru", kelurahan="Cipete Utara", kelurahan_code="31.74.06.1004"),
        category="banjir", is_complaint=complaint, complaint_reason="complaint: banjir" if complaint else "praise",
    )


def write_grouping(connection: Connection, grouping: dict[str, int | None]) -> int:
    """Process the raw store's new items as a rule set that puts message X in ticket grouping[X] would."""
    outcomes, opened = [], set()
    for batch in pending_batches(OneTransaction(connection), 100):
        for stored in sorted(batch, key=lambda s: EXTERNAL_IDS.index(s.item.external_id)):
            external_id = stored.item.external_id
            ticket_id = grouping[external_id]
            assignment = None
            if ticket_id is not None:
                assignment = Assignment(ticket_id, LinkKind.NEW if ticket_id not in opened else LinkKind.SAME_INCIDENT, 1.0,
                                        ticket_id not in opened)
                opened.add(ticket_id)
            outcomes.append(Outcome(stored.id, "twitter", external_id,
                                    mention(external_id, 10 * EXTERNAL_IDS.index(external_id), ticket_id is not None), assignment))
    write_outcomes(connection, outcomes, T0, lambda category, kota: f"Sudin SDA {kota}")
    return len(outcomes)


ORIGINAL = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}


@pytest.fixture
def triaged(engine):
    """Two tickets: 1 = {a, b, c} taken to Proses with notes and an agency, forwarded; 2 = {d, e} in Koordinasi."""
    with engine.begin() as connection:
        store_raw(connection, [RawItem("twitter", "test", x, b"{}", "application/json", T0, "test") for x in EXTERNAL_IDS])
        write_grouping(connection, ORIGINAL)
    with engine.begin() as connection:
        ticket_actions.set_status(connection, 1, "koordinasi", "diteruskan ke kelurahan", "ani")
        ticket_actions.set_status(connection, 1, "disposisi", "", "ani")
        ticket_actions.set_status(connection, 1, "proses", "pompa dikirim", "budi")
        ticket_actions.set_agency(connection, 1, "Dinas SDA", "ani")
        ticket_actions.forward_to_crm(connection, 1, "crm", "ani")
        ticket_actions.set_status(connection, 2, "koordinasi", "cek lokasi", "ani")
        ticket_actions.set_category(connection, 2, "saluran_air", CATEGORIES, "ani")
    return engine


def tickets(engine) -> dict[int, dict]:
    with engine.connect() as connection:
        rows = connection.execute(select(TicketRow.__table__)).all()
    return {row.id: {k: v for k, v in row._mapping.items() if k not in ("created_at", "updated_at")} for row in rows}


def history(engine) -> dict[int, int | None]:
    with engine.connect() as connection:
        return dict(connection.execute(select(TicketStatusRow.id, TicketStatusRow.ticket_id)).all())


def outbox(engine) -> list:
    with engine.connect() as connection:
        return connection.execute(select(OutboxRow.__table__).order_by(OutboxRow.id)).all()


def ticket_of(engine, external_id: str) -> int | None:
    with engine.connect() as connection:
        return connection.execute(select(MentionRow.ticket_id).where(MentionRow.external_id == external_id)).scalar()


def run(engine, grouping: dict[str, int | None]):
    with engine.begin() as connection:
        return reprocess(connection, lambda c: write_grouping(c, grouping))


def reprocess_audit(engine) -> list:
    with engine.connect() as connection:
        return connection.execute(select(AuditRow.actor, AuditRow.after).where(AuditRow.action == "reprocess").order_by(AuditRow.id)).all()


def test_same_rules_give_back_every_ticket_as_it_was(triaged):
    before, steps, queued = tickets(triaged), history(triaged), outbox(triaged)
    result = run(triaged, ORIGINAL)
    assert (result.raw_items, result.rederived, result.operator_state.reattached) == (5, 5, 2)
    assert tickets(triaged) == before and history(triaged) == steps and outbox(triaged) == queued
    assert before[1]["status"] == "proses" and before[1]["agency"] == "Dinas SDA" and before[2]["category"] == "saluran_air"
    assert before[1]["operator_fields"] == ["agency"] and before[2]["operator_fields"] == ["category"]
    (audit,) = reprocess_audit(triaged)
    assert audit.actor == "dengar reprocess" and audit.after["reattached_tickets"] == 2 and audit.after["outbox_rows"] == 1


def test_a_torn_ticket_keeps_its_work_with_its_first_message_and_renumbered_tickets_follow_their_messages(triaged):
    before, steps = tickets(triaged), history(triaged)
    report = run(triaged, {"a": 1, "b": 2, "c": 2, "d": 3, "e": 3}).operator_state
    after = tickets(triaged)
    assert report.renumbered == {2: 3}
    for field in ("status", "first_triaged_at", "coordinated_at", "status_changed_at", "agency", "operator_fields"):
        assert after[1][field] == before[1][field]
        assert after[3][field] == before[2][field]
    assert after[3]["category"] == "saluran_air"  # the operator's category beats the machine's banjir
    assert after[2]["status"] == "menunggu" and after[2]["first_triaged_at"] is None  # b, c: a new ticket to look at
    assert after[2]["agency"] == "Sudin SDA Jakarta Selatan"  # machine routing, not the operator's agency
    assert history(triaged) == {row: {1: 1, 2: 3}[ticket] for row, ticket in steps.items()}
    (queued,) = outbox(triaged)
    assert queued.ticket_id == 1 and queued.idempotency_key == "dengar-ticket-1"
    # Ticket 2 (b, c) is new: forwarding it gets its own key although the old ticket 2 was another incident.
    with triaged.begin() as connection:
        ticket_actions.forward_to_crm(connection, 2, "crm", "ani")
        ticket_actions.forward_to_crm(connection, 3, "crm", "ani")
        with pytest.raises(ticket_actions.OperatorError, match="already queued"):
            ticket_actions.forward_to_crm(connection, 1, "crm", "ani")
    assert [(row.ticket_id, row.idempotency_key) for row in outbox(triaged)] == [
        (1, "dengar-ticket-1"), (2, "dengar-ticket-2"), (3, "dengar-ticket-3")]

    run(triaged, ORIGINAL)  # the rule change taken back: one ticket again, with its work
    back = tickets(triaged)
    assert back[1] == before[1]
    assert back[2]["status"] == "koordinasi" and back[2]["category"] == "saluran_air"
    assert {row.ticket_id for row in outbox(triaged)} == {1, 2}  # b and c's forward follows b back into ticket 1


def test_tickets_run_together_keep_the_earlier_ones_state_and_every_row(triaged):
    steps = history(triaged)
    report = run(triaged, {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}).operator_state
    after = tickets(triaged)
    assert set(after) == {1} and after[1]["status"] == "proses" and after[1]["agency"] == "Dinas SDA"
    assert set(history(triaged).values()) == {1} and len(history(triaged)) == len(steps)
    (collision,) = report.collisions
    assert (collision["ticket"], collision["kept"], collision["now"]) == (2, 1, 1)
    assert collision["state"]["status"] == "koordinasi" and collision["state"]["category"] == "saluran_air"
    assert reprocess_audit(triaged)[-1].after["collisions"] == [collision]


def test_work_on_messages_that_form_no_ticket_is_detached_not_deleted_and_comes_back(triaged):
    before = tickets(triaged)
    report = run(triaged, {"a": None, "b": None, "c": None, "d": 1, "e": 1}).operator_state
    (queued,) = outbox(triaged)
    assert queued.ticket_id is None and queued.message_keys == [["twitter", "a"], ["twitter", "b"], ["twitter", "c"]]
    assert report.detached_outbox == [queued.id]
    assert [orphan["ticket"] for orphan in report.orphaned] == [1]
    assert report.orphaned[0]["state"]["status"] == "proses"  # kept in the audit line
    assert reprocess_audit(triaged)[-1].after["orphaned"][0]["state"]["agency"] == "Dinas SDA"
    assert None in history(triaged).values()
    assert tickets(triaged)[1]["status"] == "koordinasi"  # d, e's work moved to their new number

    report = run(triaged, ORIGINAL).operator_state
    assert outbox(triaged)[0].ticket_id == 1 and outbox(triaged)[0].message_keys is None
    assert None not in history(triaged).values() and report.detached_outbox == []
    assert tickets(triaged)[2] == before[2]


def test_a_failure_half_way_leaves_tickets_and_work_as_they_were(triaged):
    before, steps, queued = tickets(triaged), history(triaged), outbox(triaged)

    def rederive_then_fail(connection: Connection) -> None:
        write_grouping(connection, {"a": 1, "b": 2, "c": 2, "d": 3, "e": 3})
        raise RuntimeError("the disk filled up")

    with pytest.raises(RuntimeError, match="disk"):
        with triaged.begin() as connection:
            reprocess(connection, rederive_then_fail)
    assert tickets(triaged) == before and history(triaged) == steps and outbox(triaged) == queued
    assert ticket_of(triaged, "b") == 1 and reprocess_audit(triaged) == []


def test_upgrading_an_older_store_marks_the_fields_operators_had_set(db_url):
    """Revision 0003 reads the audit log: an edit counts where the ticket still shows what it set."""
    import sqlalchemy as sa

    from sink.database import upgrade
    from sink.models import UtcDateTime

    engine = open_engine(db_url)
    try:
        upgrade(engine, "0002")
        old_tickets = sa.table("tickets", *(sa.column(name) for name in (
            "id", "category", "title", "member_count", "status", "agency", "is_complaint")),
            sa.column("channels", sa.JSON()), *(sa.column(name, UtcDateTime()) for name in (
                "first_seen", "last_seen", "created_at", "updated_at")))
        base = {"title": "", "member_count": 1, "channels": ["twitter"], "status": "menunggu", "is_complaint": True,
                "first_seen": T0, "last_seen": T0, "created_at": T0, "updated_at": T0}
        audit = sa.table("audit_log", sa.column("actor"), sa.column("action"), sa.column("entity"), sa.column("entity_id"),
                         sa.column("before", sa.JSON()), sa.column("after", sa.JSON()), sa.column("at", UtcDateTime()))
        with engine.begin() as connection:
            connection.execute(old_tickets.insert(), [
                {**base, "id": 1, "category": "sampah", "agency": "Dinas LH"},
                {**base, "id": 2, "category": "banjir", "agency": None, "is_complaint": False},
            ])
            connection.execute(audit.insert(), [
                {"actor": "ani", "action": action, "entity": "ticket", "entity_id": entity_id, "before": None, "after": after, "at": T0}
                for action, entity_id, after in (
                    ("set_category", "1", {"category": "sampah"}),
                    ("set_agency", "1", {"agency": "Dinas LH"}),
                    ("set_category", "2", {"category": "sampah"}),  # since re-derived as banjir: no longer the operator's
                    ("set_complaint", "2", {"is_complaint": False}),
                    ("set_place", "99", {"kota": "Jakarta Barat"}),  # no such ticket any more
                    ("set_status", "1", {"status": "koordinasi", "note": ""}),
                )
            ])
        upgrade(engine)
        with engine.connect() as connection:
            marked = dict(connection.execute(select(TicketRow.id, TicketRow.operator_fields)).all())
        assert marked == {1: ["agency", "category"], 2: ["is_complaint"]}
    finally:
        engine.dispose()

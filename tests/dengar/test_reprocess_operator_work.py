"""`dengar reprocess` through the real CLI keeps what operators did, on SQLite and PostgreSQL.

The samples are imported, tickets are triaged through sink.ticket_actions (as the console does)
and merged and split through sink.operator, then reprocessed: with the same rules everything must
come back exactly, and with a rule change that tears triaged tickets apart their work must stay
with the messages that opened them, and come back whole when the change is taken back.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from dengar.cli import main
from sink import operator, ticket_actions
from sink.database import open_engine
from sink.models import AuditRow, MentionRow, OutboxRow, TicketMemberRow, TicketRow, TicketStatusRow
from sink.ticket_actions import Place

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
CATEGORIES = frozenset({"banjir", "sampah", "jalan_rusak", "saluran_air", "lampu_jalan", "pohon_tumbang", "parkir_liar",
                        "kemacetan", "pkl_trotoar", "fasilitas_umum", "air_bersih", "pelayanan_publik", "lainnya"})
TICKETS, MENTIONS = TicketRow.__table__, MentionRow.__table__


def dengar(*argv: str) -> int:
    return main([*argv])


def export(db_url: str, what: str, tmp_path: Path) -> list[dict]:
    out = tmp_path / f"{what}-{time.monotonic_ns()}.jsonl"
    assert dengar("export", what, "--format", "jsonl", "--db", db_url, "-o", str(out)) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def snapshot(engine) -> dict:
    """Every ticket column but the row's own timestamps, every history step and outbox row."""
    with engine.connect() as connection:
        tickets = {row.id: {k: v for k, v in row._mapping.items() if k not in ("created_at", "updated_at")}
                   for row in connection.execute(select(TICKETS))}
        history = [dict(row._mapping) for row in connection.execute(select(TicketStatusRow.__table__).order_by(TicketStatusRow.id))]
        outbox = [dict(row._mapping) for row in connection.execute(select(OutboxRow.__table__).order_by(OutboxRow.id))]
    return {"tickets": tickets, "history": history, "outbox": outbox}


def members(engine, ticket_id: int) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(MENTIONS.c.channel, MENTIONS.c.external_id).where(MENTIONS.c.ticket_id == ticket_id)
            .order_by(MENTIONS.c.created_at, MENTIONS.c.id))]


def ticket_of(engine, key: tuple[str, str]) -> int | None:
    with engine.connect() as connection:
        return connection.execute(select(MENTIONS.c.ticket_id).where(MENTIONS.c.channel == key[0],
                                                                     MENTIONS.c.external_id == key[1])).scalar()


def live_tickets(engine, min_members: int, max_members: int = 10_000) -> list:
    with engine.connect() as connection:
        return connection.execute(select(TICKETS).where(TICKETS.c.merged_into.is_(None), TICKETS.c.member_count >= min_members,
                                                        TICKETS.c.member_count <= max_members).order_by(TICKETS.c.id)).all()


@pytest.fixture
def imported(db_url):
    assert dengar("import", str(SAMPLES), "--db", db_url, "-q") == 0
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


def triage(engine, ticket_id: int, actor: str = "ani") -> None:
    """Koordinasi -> Disposisi -> Proses with notes, and a note on the way."""
    with engine.begin() as connection:
        ticket_actions.set_status(connection, ticket_id, "koordinasi", "diteruskan ke lurah", actor)
        ticket_actions.set_status(connection, ticket_id, "disposisi", "", actor)
        ticket_actions.add_note(connection, ticket_id, "warga menelepon lagi", actor)
        ticket_actions.set_status(connection, ticket_id, "proses", "petugas di lokasi", actor)


def test_reprocess_with_the_same_rules_gives_back_every_operators_work(imported, db_url, tmp_path, capsys):
    engine = imported
    multi, single = live_tickets(engine, 2), live_tickets(engine, 1, 1)
    worked, edited, forwarded, torn = (row.id for row in multi[:4])
    rejected, merged_away, merge_target = (row.id for row in single[:3])
    triage(engine, worked)
    other_category = next(c for c in sorted(CATEGORIES) if c != multi[1].category)
    with engine.begin() as connection:
        ticket_actions.set_category(connection, edited, other_category, CATEGORIES, "budi")
        ticket_actions.set_agency(connection, edited, "Suku Dinas Bina Marga Jakarta Timur", "budi")
        ticket_actions.set_place(connection, edited, Place(kota="Jakarta Timur", kecamatan="Jatinegara", kelurahan="Cipinang Cempedak",
                                                           street="Jl. Otista"), "budi")
        ticket_actions.forward_to_crm(connection, forwarded, "crm", "budi")
        ticket_actions.set_complaint(connection, rejected, False, "budi")
        ticket_actions.set_status(connection, merged_away, "koordinasi", "sama dengan laporan lain", "ani")
        operator.merge_tickets(connection, merged_away, merge_target, "ani")
        split_key = members(engine, torn)[-1]
        operator.split_mention(connection, *split_key, actor="ani")
    before = snapshot(engine)
    forwarded_messages = members(engine, forwarded)
    mentions_before, tickets_before = export(db_url, "mentions", tmp_path), export(db_url, "tickets", tmp_path)
    capsys.readouterr()

    assert dengar("reprocess", "--db", db_url) == 0
    assert "2 operator decisions replayed" in capsys.readouterr().err
    after = snapshot(engine)
    assert after == before
    assert export(db_url, "mentions", tmp_path) == mentions_before
    assert export(db_url, "tickets", tmp_path) == tickets_before

    tickets = after["tickets"]
    assert tickets[worked]["status"] == "proses" and tickets[worked]["coordinated_at"] is not None
    assert [step["note"] for step in after["history"] if step["ticket_id"] == worked] == ["diteruskan ke lurah", "", "warga menelepon lagi",
                                                                           "petugas di lokasi"]
    assert tickets[edited]["category"] == other_category and tickets[edited]["kelurahan"] == "Cipinang Cempedak"
    assert tickets[edited]["operator_fields"] == ["agency", "category", "place"]
    assert tickets[rejected]["is_complaint"] is False
    assert tickets[merged_away]["merged_into"] == merge_target and tickets[merged_away]["status"] == "koordinasi"
    assert ticket_of(engine, split_key) not in (None, torn)
    (queued,) = after["outbox"]
    assert members(engine, queued["ticket_id"]) == forwarded_messages
    assert queued["payload"]["attributes"]["dengar_ticket"] == queued["ticket_id"] == forwarded
    with engine.connect() as connection:
        (audit,) = connection.execute(select(AuditRow.after).where(AuditRow.action == "reprocess")).all()
    assert audit.after["reattached_tickets"] == 5  # worked, edited, forwarded, rejected, merged_away
    assert audit.after["renumbered"] == {} and audit.after["orphaned"] == [] and audit.after["collisions"] == []

    assert dengar("reprocess", "--db", db_url) == 0  # and again: nothing drifts
    assert snapshot(engine) == before


def write_config(path: Path, hours: float) -> Path:
    windows = "\n".join(f"{category} = {hours}" for category in sorted(CATEGORIES))
    path.write_text(f"[dedup]\ndefault_window_hours = {hours}\n\n[dedup.window_hours]\n{windows}\n", encoding="utf-8")
    return path


def test_a_rule_change_that_tears_triaged_tickets_keeps_their_work_with_the_opening_message(imported, db_url, tmp_path, capsys):
    """Dedup windows cut to minutes: the samples' multi-day tickets fall apart and every later ticket is renumbered.

    The part holding the opening message keeps the status, history, edits and outbox row; the other parts
    are new tickets waiting in Menunggu. Putting the windows back restores every ticket exactly.
    """
    engine = imported
    with engine.connect() as connection:  # tickets joined by similarity alone: a window decides them
        kinds: dict[int, set[str]] = {}
        for ticket_id, kind in connection.execute(select(TicketMemberRow.ticket_id, TicketMemberRow.link_kind)):
            kinds.setdefault(ticket_id, set()).add(kind)
    incidents = [row.id for row in live_tickets(engine, 3) if kinds[row.id] == {"new", "same_incident"}]
    first, last = incidents[0], incidents[-1]
    triage(engine, first)
    triage(engine, last, actor="budi")
    with engine.begin() as connection:
        ticket_actions.set_agency(connection, first, "Satgas Tata Air Kecamatan (tim 3)", "ani")
        ticket_actions.forward_to_crm(connection, first, "crm", "ani")
        ticket_actions.forward_to_crm(connection, last, "crm", "budi")
    opened_first, opened_last = members(engine, first), members(engine, last)
    before = snapshot(engine)
    tickets_before = export(db_url, "tickets", tmp_path)
    capsys.readouterr()

    narrow = write_config(tmp_path / "narrow.toml", 0.01)
    assert dengar("reprocess", "--db", db_url, "--config", str(narrow)) == 0
    assert "operator work re-attached to 2 tickets" in capsys.readouterr().err
    torn = snapshot(engine)
    for old_id, keys in ((first, opened_first), (last, opened_last)):
        parts = {ticket_of(engine, key) for key in keys}
        assert len(parts) > 1, "the narrow windows were meant to tear this ticket apart"
        now = ticket_of(engine, keys[0])
        kept = torn["tickets"][now]
        for field in ("status", "status_changed_at", "first_triaged_at", "coordinated_at", "agency", "operator_fields"):
            assert kept[field] == before["tickets"][old_id][field]
        assert [step for step in torn["history"] if step["ticket_id"] == now] == [
            {**step, "ticket_id": now} for step in before["history"] if step["ticket_id"] == old_id]
        (queued,) = [row for row in torn["outbox"] if row["idempotency_key"] == f"dengar-ticket-{old_id}"]
        assert queued["ticket_id"] == now and queued["payload"]["attributes"]["dengar_ticket"] == now
        for part in parts - {now}:
            assert torn["tickets"][part]["status"] == "menunggu" and torn["tickets"][part]["first_triaged_at"] is None
            assert not [step for step in torn["history"] if step["ticket_id"] == part]
    assert ticket_of(engine, opened_last[0]) != last  # renumbered, and the work followed the message

    wide = write_config(tmp_path / "wide.toml", 72)
    assert dengar("reprocess", "--db", db_url, "--config", str(wide)) == 0
    assert snapshot(engine) == before
    assert export(db_url, "tickets", tmp_path) == tickets_before


def _holds_the_write_lock(db_url: str, engine) -> bool:
    """Is another process inside its reprocess transaction (which takes the tickets lock first)?"""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            return bool(connection.execute(text(
                "SELECT count(*) FROM pg_locks WHERE relation = 'tickets'::regclass AND mode = 'ShareRowExclusiveLock'")).scalar())
        connection.exec_driver_sql("PRAGMA busy_timeout = 0")
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except Exception:
            return True
        connection.exec_driver_sql("ROLLBACK")
        return False


def test_a_reprocess_killed_half_way_leaves_the_old_tickets_and_work(imported, db_url, tmp_path):
    engine = imported
    multi = live_tickets(engine, 2)
    triage(engine, multi[0].id)
    with engine.begin() as connection:
        ticket_actions.forward_to_crm(connection, multi[1].id, "crm", "ani")
    before = snapshot(engine)
    mentions_before = export(db_url, "mentions", tmp_path)
    env = {**os.environ, "DENGAR_DATABASE_URL": db_url}
    process = subprocess.Popen([sys.executable, "-m", "dengar", "reprocess"], env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not _holds_the_write_lock(db_url, engine) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert process.poll() is None, "the reprocess ended before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    engine.dispose()
    assert snapshot(engine) == before
    assert export(db_url, "mentions", tmp_path) == mentions_before
    assert dengar("reprocess", "--db", db_url) == 0
    assert snapshot(engine) == before

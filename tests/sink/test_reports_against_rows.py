"""The SQL-aggregated report gives exactly what the former row-by-row report gave, on generated data.

The reference below is the former implementation (every message and ticket of the period read and
counted in Python), kept here to hold the SQL to it on both databases, edge cases included: SLA
limits hit to the microsecond, equal first times, triage before a ticket appeared, unknown keys.
"""

from __future__ import annotations

import random
import statistics
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Connection, insert, select

from sink.database import ensure_schema, open_engine
from sink.models import MentionRow, RawItemRow, TicketRow
from sink.reports import (COORDINATED, DIMENSIONS, MENTIONS, REJECTED, RESOLVED, TICKETS, Period, SlaTargets,
                          _live_ticket, evaluation_report)

START = datetime(2026, 10, 1, tzinfo=timezone.utc)
CHANNELS = ("twitter", "email", "qlue", "rss", "instagram", "open311")
STATUSES = ("menunggu", "koordinasi", "disposisi", "proses", "selesai", "ditolak")
SLA = SlaTargets(coordination=timedelta(hours=6), resolution=timedelta(days=7))


def reference_report(connection: Connection, dimension: str, period: Period, now: datetime, sla: SlaTargets) -> dict[str, tuple]:
    """The former row-by-row report: line key -> (reports, tickets, duplicates, median, coordination, resolution, resolved)."""
    lines: dict[str, dict[str, Any]] = {}

    def line(key: str | None) -> dict[str, Any]:
        return lines.setdefault(key or "", {"reports": 0, "tickets": 0, "duplicates": 0, "delays": [], "coordination": 0,
                                            "resolution": 0, "resolved": 0})

    openers: dict[int, str] = {}
    reports = connection.execute(
        select(MENTIONS.c.channel, MENTIONS.c.created_at, MENTIONS.c.ticket_id, TICKETS.c.first_seen, TICKETS.c.category,
               TICKETS.c.kota, TICKETS.c.agency)
        .join(TICKETS, TICKETS.c.id == MENTIONS.c.ticket_id)
        .where(MENTIONS.c.created_at >= period.start, MENTIONS.c.created_at < period.end, MENTIONS.c.is_complaint.is_(True),
               _live_ticket()).order_by(MENTIONS.c.created_at, MENTIONS.c.id))
    for report in reports:
        key = None if dimension == "total" else report.channel if dimension == "channel" else getattr(report, dimension)
        opened = report.created_at <= report.first_seen and report.ticket_id not in openers
        if opened:
            openers[report.ticket_id] = report.channel
        line(key)["reports"] += 1
        line(key)["duplicates"] += 0 if opened else 1
    tickets = connection.execute(select(TICKETS).where(TICKETS.c.first_seen >= period.start, TICKETS.c.first_seen < period.end,
                                                       _live_ticket()).order_by(TICKETS.c.id))
    for ticket in tickets:
        if dimension == "total":
            key = None
        elif dimension == "channel":
            key = openers.get(ticket.id) or (ticket.channels[0] if ticket.channels else None)
        else:
            key = getattr(ticket, dimension)
        target = line(key)
        target["tickets"] += 1
        if ticket.first_triaged_at is not None:
            appeared = max(ticket.first_seen, ticket.created_at)
            target["delays"].append(max(ticket.first_triaged_at - appeared, timedelta(0)))
        coordinated = ticket.coordinated_at or (now if ticket.status not in COORDINATED else None)
        if coordinated is not None and coordinated - ticket.first_seen > sla.coordination:
            target["coordination"] += 1
        if ticket.status == RESOLVED:
            target["resolved"] += 1
        if ticket.status != REJECTED:
            resolved = ticket.resolved_at if ticket.status == RESOLVED and ticket.resolved_at else None
            finished = resolved or (now if ticket.status != RESOLVED else None)
            if finished is not None and finished - ticket.first_seen > sla.resolution:
                target["resolution"] += 1
    return {key: (v["reports"], v["tickets"], v["duplicates"], statistics.median(v["delays"]) if v["delays"] else None,
                  v["coordination"], v["resolution"], v["resolved"]) for key, v in lines.items()}


def _as_tuples(report) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    return {line.key: (line.reports, line.tickets, line.duplicates, line.median_time_to_triage, line.coordination_breaches,
                       line.resolution_breaches, line.resolved) for line in report.lines}


def _odd_time(rng: random.Random, base: datetime) -> datetime:
    """A time near ``base`` with microseconds, sometimes exactly on ``base`` (SLA limits hit exactly)."""
    if rng.random() < 0.15:
        return base
    return base + timedelta(seconds=rng.randint(-3600, 12 * 86400), microseconds=rng.randint(0, 999_999))


def fill(engine, seed: int, tickets: int = 400) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    ticket_rows, mention_rows, raw_rows = [], [], []
    next_mention = 1
    for ticket_id in range(1, tickets + 1):
        first_seen = START + timedelta(seconds=rng.randint(-5 * 86400, 40 * 86400), microseconds=rng.choice((0, rng.randint(1, 999_999))))
        status = rng.choice(STATUSES)
        created_at = first_seen + (timedelta(0) if rng.random() < 0.5 else timedelta(hours=rng.randint(-1, 400)))
        coordination_limit = first_seen + SLA.coordination
        triaged = None if rng.random() < 0.3 else _odd_time(rng, first_seen if rng.random() < 0.2 else created_at)
        coordinated = (None if status == "menunggu" or rng.random() < 0.1 else
                       rng.choice((coordination_limit, coordination_limit + timedelta(microseconds=1), _odd_time(rng, first_seen))))
        resolved = (None if status not in ("selesai", "ditolak") or rng.random() < 0.1 else
                    rng.choice((first_seen + SLA.resolution, first_seen + SLA.resolution + timedelta(microseconds=1),
                                _odd_time(rng, first_seen))))
        members = rng.choice((1, 1, 1, 2, 3, 5, 8))
        channels = rng.sample(CHANNELS, k=min(members, rng.choice((0, 1, 2, 3))))
        merged = ticket_id - 1 if ticket_id > 1 and rng.random() < 0.05 else None
        ticket_rows.append(dict(
            id=ticket_id, category=rng.choice(("banjir", "sampah", "jalan_rusak", "")),
            kota=rng.choice(("Jakarta Timur", "Jakarta Selatan", "", None)), agency=rng.choice(("Dinas SDA", "Dinas LH", None)),
            status=status, title="t", first_seen=first_seen, last_seen=first_seen, member_count=0 if merged else members,
            channels=channels, merged_into=merged, is_complaint=rng.random() > 0.05, created_at=created_at, updated_at=created_at,
            first_triaged_at=triaged, coordinated_at=coordinated, resolved_at=resolved))
        for number in range(members):
            at = first_seen if number == 0 or rng.random() < 0.2 else first_seen + rng.choice(
                (timedelta(seconds=rng.randint(1, 5 * 86400)), -timedelta(seconds=rng.randint(1, 3600))))
            channel = rng.choice(CHANNELS)
            raw_rows.append(dict(id=next_mention, channel=channel, external_id=str(next_mention), source="test", payload=b"{}",
                                 content_type="application/json", origin="test", fetched_at=at, stored_at=at, state="processed"))
            mention_rows.append(dict(id=next_mention, channel=channel, external_id=str(next_mention), source="test", created_at=at,
                                     text="banjir", category="banjir", is_complaint=rng.random() > 0.05, ticket_id=ticket_id))
            next_mention += 1
    with engine.begin() as connection:
        connection.execute(insert(TicketRow.__table__), [{**row, "merged_into": None} for row in ticket_rows])
        for row in ticket_rows:
            if row["merged_into"]:
                connection.execute(TicketRow.__table__.update().where(TicketRow.id == row["id"]).values(merged_into=row["merged_into"]))
        connection.execute(insert(RawItemRow.__table__), raw_rows)
        connection.execute(insert(MentionRow.__table__), mention_rows)


@pytest.mark.parametrize("seed", [1, 2])
def test_sql_report_equals_the_row_by_row_report(db_url: str, seed: int) -> None:
    engine = open_engine(db_url)
    ensure_schema(engine)
    fill(engine, seed)
    periods = [Period(START, START + timedelta(days=30)), Period(START + timedelta(days=3, microseconds=7), START + timedelta(days=9)),
               Period(START - timedelta(days=10), START + timedelta(days=60))]
    nows = [START + timedelta(days=31), START + timedelta(days=5, hours=6)]
    compared = 0
    with engine.connect() as connection:
        for period in periods:
            for now in nows:
                for dimension in DIMENSIONS:
                    report = evaluation_report(connection, dimension, period, now, SLA)
                    expected = reference_report(connection, dimension, period, now, SLA)
                    assert _as_tuples(report) == expected, (dimension, period, now)
                    everything = reference_report(connection, "total", period, now, SLA)  # one line: every key is None
                    assert (report.total.reports, report.total.tickets, report.total.duplicates, report.total.median_time_to_triage,
                            report.total.coordination_breaches, report.total.resolution_breaches, report.total.resolved) \
                        == everything[""]
                    compared += len(expected)
    assert compared > 50
    engine.dispose()

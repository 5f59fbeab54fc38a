"""Evaluation reports: what came in over a period and how it was handled, per channel, category, kota or agency.

A report's unit is the complaint message ("report") and the ticket it opened or joined. A message
counts in the period it was written; a ticket counts in the period its first message was written,
so a period's tickets are exactly the ones its messages opened. Everything is aggregated from
one pass over the period's complaint messages and one over its tickets, so the cost follows the
size of the period, not of the whole history.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, and_, select

from sink.models import MentionRow, TicketRow

MENTIONS = MentionRow.__table__
TICKETS = TicketRow.__table__

Dimension = Literal["channel", "category", "kota", "agency"]
DIMENSIONS: tuple[Dimension, ...] = ("channel", "category", "kota", "agency")
UNKNOWN = ""  # the key of reports whose dimension is not known (no kota found, no agency yet)

RESOLVED = "selesai"
REJECTED = "ditolak"
UNTRIAGED = "menunggu"
# Statuses that mean the ticket has been coordinated (left the waiting queue towards an agency).
COORDINATED = frozenset({"koordinasi", "disposisi", "proses", "selesai", "ditolak"})


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open interval [start, end) of UTC-aware times."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a report period needs time-zone-aware bounds")
        if self.end <= self.start:
            raise ValueError("a report period must end after it starts")


@dataclass(frozen=True, slots=True)
class SlaTargets:
    """How long a ticket may wait for coordination and for resolution, from its first report."""

    coordination: timedelta = timedelta(hours=6)
    resolution: timedelta = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class TicketTimes:
    """When a ticket was first touched by a person, coordinated and resolved (None: not yet)."""

    triaged_at: datetime | None = None
    coordinated_at: datetime | None = None
    resolved_at: datetime | None = None


@dataclass(slots=True)
class ReportLine:
    """One row of a report: the figures of one channel, category, kota or agency (or the total)."""

    key: str
    reports: int = 0
    tickets: int = 0
    duplicates: int = 0
    triage_delays: list[timedelta] = field(default_factory=list, repr=False)
    coordination_breaches: int = 0
    resolution_breaches: int = 0
    resolved: int = 0

    @property
    def duplicate_ratio(self) -> float | None:
        """Share of the reports that joined a ticket another report had opened."""
        return self.duplicates / self.reports if self.reports else None

    @property
    def median_time_to_triage(self) -> timedelta | None:
        return statistics.median(self.triage_delays) if self.triage_delays else None

    @property
    def sla_breaches(self) -> int:
        return self.coordination_breaches + self.resolution_breaches

    @property
    def resolved_share(self) -> float | None:
        return self.resolved / self.tickets if self.tickets else None


@dataclass(frozen=True, slots=True)
class Report:
    dimension: Dimension
    period: Period
    lines: list[ReportLine]  # most reports first
    total: ReportLine


def evaluation_report(connection: Connection, dimension: Dimension, period: Period, now: datetime,
                      sla: SlaTargets = SlaTargets()) -> Report:
    """Figures for ``period`` grouped by ``dimension``; open clocks (not yet coordinated/resolved) run to ``now``."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown report dimension {dimension!r}; choose one of {', '.join(DIMENSIONS)}")
    lines: dict[str, ReportLine] = {}
    total = ReportLine(key="")

    def line(key: str | None) -> ReportLine:
        key = key or UNKNOWN
        found = lines.get(key)
        if found is None:
            found = lines[key] = ReportLine(key=key)
        return found

    openers: dict[int, str] = {}  # ticket id -> channel of its first report
    for report in _period_reports(connection, period):
        key = report.channel if dimension == "channel" else getattr(report, f"ticket_{dimension}")
        opened = report.created_at <= report.first_seen and report.ticket_id not in openers
        if opened:
            openers[report.ticket_id] = report.channel
        for target in (line(key), total):
            target.reports += 1
            target.duplicates += 0 if opened else 1

    for ticket in _period_tickets(connection, period):
        if dimension == "channel":
            key = openers.get(ticket.id) or (ticket.channels[0] if ticket.channels else None)
        else:
            key = getattr(ticket, dimension)
        clock = TicketTimes(ticket.first_triaged_at, ticket.coordinated_at, ticket.resolved_at)
        for target in (line(key), total):
            _count_ticket(target, ticket, clock, now, sla)
    ordered = sorted(lines.values(), key=lambda l: (-l.reports, -l.tickets, l.key))
    return Report(dimension, period, ordered, total)


def _count_ticket(target: ReportLine, ticket: Any, clock: TicketTimes, now: datetime, sla: SlaTargets) -> None:
    target.tickets += 1
    if clock.triaged_at is not None:
        # Measured from when the ticket could first be seen in the queue: an imported archive's
        # tickets appear long after their messages were written.
        appeared = max(ticket.first_seen, ticket.created_at)
        target.triage_delays.append(max(clock.triaged_at - appeared, timedelta(0)))
    coordinated = clock.coordinated_at or (now if ticket.status not in COORDINATED else None)
    if coordinated is not None and coordinated - ticket.first_seen > sla.coordination:
        target.coordination_breaches += 1
    if ticket.status == RESOLVED:
        target.resolved += 1
    if ticket.status != REJECTED:
        resolved = clock.resolved_at if ticket.status == RESOLVED and clock.resolved_at else None
        finished = resolved or (now if ticket.status != RESOLVED else None)
        if finished is not None and finished - ticket.first_seen > sla.resolution:
            target.resolution_breaches += 1


def _period_reports(connection: Connection, period: Period) -> Iterable[Any]:
    statement = (
        select(MENTIONS.c.id, MENTIONS.c.channel, MENTIONS.c.created_at, MENTIONS.c.ticket_id,
               TICKETS.c.first_seen, TICKETS.c.category.label("ticket_category"),
               TICKETS.c.kota.label("ticket_kota"), TICKETS.c.agency.label("ticket_agency"))
        .join(TICKETS, TICKETS.c.id == MENTIONS.c.ticket_id)
        .where(MENTIONS.c.created_at >= period.start, MENTIONS.c.created_at < period.end,
               MENTIONS.c.is_complaint.is_(True), _live_ticket())
        .order_by(MENTIONS.c.created_at, MENTIONS.c.id)
    )
    return connection.execute(statement.execution_options(yield_per=5000))


def _period_tickets(connection: Connection, period: Period) -> Iterable[Any]:
    statement = (
        select(TICKETS.c.id, TICKETS.c.category, TICKETS.c.kota, TICKETS.c.agency, TICKETS.c.status,
               TICKETS.c.channels, TICKETS.c.first_seen, TICKETS.c.created_at, TICKETS.c.first_triaged_at,
               TICKETS.c.coordinated_at, TICKETS.c.resolved_at)
        .where(TICKETS.c.first_seen >= period.start, TICKETS.c.first_seen < period.end, _live_ticket())
        .order_by(TICKETS.c.id)
    )
    return connection.execute(statement.execution_options(yield_per=5000))


def _live_ticket() -> Any:
    """A ticket that still stands: not merged away, not emptied, not marked as no complaint."""
    return and_(TICKETS.c.merged_into.is_(None), TICKETS.c.member_count > 0, TICKETS.c.is_complaint.is_(True))


CSV_COLUMNS = ("key", "reports", "tickets", "duplicate_ratio", "median_hours_to_triage",
               "coordination_breaches", "resolution_breaches", "resolved_share")


def report_rows(report: Report) -> list[list[str]]:
    """The report as CSV rows (header first, total last); outside text cannot start a formula."""
    rows = [[report.dimension, *CSV_COLUMNS[1:]]]
    for item in [*report.lines, report.total]:
        median = item.median_time_to_triage
        rows.append([
            _csv_safe(item.key if item is not report.total else "TOTAL"),
            str(item.reports), str(item.tickets), _ratio(item.duplicate_ratio),
            "" if median is None else f"{median.total_seconds() / 3600:.2f}",
            str(item.coordination_breaches), str(item.resolution_breaches), _ratio(item.resolved_share),
        ])
    return rows


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _csv_safe(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ (or a tab/CR) as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


__all__ = ["CSV_COLUMNS", "DIMENSIONS", "Dimension", "Period", "Report", "ReportLine", "SlaTargets", "TicketTimes",
           "evaluation_report", "report_rows"]

"""Evaluation reports: what came in over a period and how it was handled, per channel, category, kota or agency.

A report's unit is the complaint message ("report") and the ticket it opened or joined. A message
counts in the period it was written; a ticket counts in the period its first message was written,
so a period's tickets are exactly the ones its messages opened. The database aggregates (GROUP BY,
the same SQL on SQLite and PostgreSQL) and returns one row per line, so a 30-day report at 100k
tickets never ships the period's rows to Python. Times are compared as whole microseconds since
the epoch, so every SLA comparison is exact, as it is on Python datetimes.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from sqlalchemy import BigInteger, Connection, Integer, and_, case, cast, extract, func, literal, or_, select

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
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MICROSECOND = timedelta(microseconds=1)


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
    median_time_to_triage: timedelta | None = None
    coordination_breaches: int = 0
    resolution_breaches: int = 0
    resolved: int = 0

    @property
    def duplicate_ratio(self) -> float | None:
        """Share of the reports that joined a ticket another report had opened."""
        return self.duplicates / self.reports if self.reports else None

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
    query = _ReportQuery(connection.dialect.name, dimension, period, now, sla)
    lines: dict[str, ReportLine] = {}

    def line(key: str | None) -> ReportLine:
        key = key or UNKNOWN
        found = lines.get(key)
        if found is None:
            found = lines[key] = ReportLine(key=key)
        return found

    for row in connection.execute(query.reports()):
        target = line(row.key)
        target.reports += row.reports
        target.duplicates += row.reports - row.openers
    for row in connection.execute(query.tickets()):
        target = line(row.key)
        target.tickets += row.tickets
        target.coordination_breaches += int(row.coordination_breaches or 0)
        target.resolution_breaches += int(row.resolution_breaches or 0)
        target.resolved += int(row.resolved or 0)
    middles: dict[str, list[timedelta]] = {}
    overall: list[timedelta] = []
    for row in connection.execute(query.middle_delays()):
        if row.in_line:
            middles.setdefault(row.key or UNKNOWN, []).append(row.delay * MICROSECOND)
        if row.in_all:
            overall.append(row.delay * MICROSECOND)
    for key, values in middles.items():
        line(key).median_time_to_triage = statistics.median(values)

    total = ReportLine(key="")
    for item in lines.values():
        total.reports += item.reports
        total.tickets += item.tickets
        total.duplicates += item.duplicates
        total.coordination_breaches += item.coordination_breaches
        total.resolution_breaches += item.resolution_breaches
        total.resolved += item.resolved
    total.median_time_to_triage = statistics.median(overall) if overall else None
    ordered = sorted(lines.values(), key=lambda l: (-l.reports, -l.tickets, l.key))
    return Report(dimension, period, ordered, total)


def _micros(column: Any, dialect: str) -> Any:
    """A timestamp as whole microseconds since 1970 (SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff' text in UTC)."""
    if dialect == "sqlite":
        return cast(func.strftime("%s", column), Integer) * 1_000_000 + cast(func.substr(column, 21, 6), Integer)
    return cast(func.floor(extract("epoch", column) * 1_000_000), BigInteger)


def _live_ticket() -> Any:
    """A ticket that still stands: not merged away, not emptied, not marked as no complaint."""
    return and_(TICKETS.c.merged_into.is_(None), TICKETS.c.member_count > 0, TICKETS.c.is_complaint.is_(True))


class _ReportQuery:
    """The three statements of one report: reports per line, tickets per line, the middle triage delays."""

    def __init__(self, dialect: str, dimension: Dimension, period: Period, now: datetime, sla: SlaTargets) -> None:
        self.dialect, self.dimension, self.period = dialect, dimension, period
        self.now = literal((now - EPOCH) // MICROSECOND, BigInteger)
        self.coordination = literal(sla.coordination // MICROSECOND, BigInteger)
        self.resolution = literal(sla.resolution // MICROSECOND, BigInteger)
        self.openers = self._openers()

    def _period_reports(self) -> Any:
        return and_(MENTIONS.c.created_at >= self.period.start, MENTIONS.c.created_at < self.period.end,
                    MENTIONS.c.is_complaint.is_(True), _live_ticket())

    def _openers(self) -> Any:
        """Per ticket, its period's earliest report written no later than the ticket's first report: the one that opened it."""
        ranked = (
            select(MENTIONS.c.id, MENTIONS.c.ticket_id, MENTIONS.c.channel,
                   func.row_number().over(partition_by=MENTIONS.c.ticket_id,
                                          order_by=(MENTIONS.c.created_at, MENTIONS.c.id)).label("rank"))
            .join(TICKETS, TICKETS.c.id == MENTIONS.c.ticket_id)
            .where(self._period_reports(), MENTIONS.c.created_at <= TICKETS.c.first_seen)
        ).subquery("ranked_openers")
        return select(ranked.c.id, ranked.c.ticket_id, ranked.c.channel).where(ranked.c.rank == 1).subquery("openers")

    def reports(self) -> Any:
        key = MENTIONS.c.channel if self.dimension == "channel" else TICKETS.c[self.dimension]
        key = func.coalesce(key, UNKNOWN)
        return (
            select(key.label("key"), func.count().label("reports"), func.count(self.openers.c.id).label("openers"))
            .select_from(MENTIONS.join(TICKETS, TICKETS.c.id == MENTIONS.c.ticket_id)
                         .outerjoin(self.openers, self.openers.c.id == MENTIONS.c.id))
            .where(self._period_reports()).group_by(key)
        )

    def _ticket_key(self) -> Any:
        if self.dimension == "channel":  # the channel of the report that opened it, else its first channel
            return func.coalesce(self._opener_channel(), TICKETS.c.channels[0].as_string(), UNKNOWN)
        return func.coalesce(TICKETS.c[self.dimension], UNKNOWN)

    def _opener_channel(self) -> Any:
        """The opening report's channel, looked up per ticket through its own messages (the same rule as ``_openers``)."""
        return (
            select(MENTIONS.c.channel)
            .where(MENTIONS.c.ticket_id == TICKETS.c.id, MENTIONS.c.created_at >= self.period.start,
                   MENTIONS.c.created_at < self.period.end, MENTIONS.c.created_at <= TICKETS.c.first_seen,
                   MENTIONS.c.is_complaint.is_(True))
            .order_by(MENTIONS.c.created_at, MENTIONS.c.id).limit(1)
        ).scalar_subquery()

    def _ticket_clocks(self) -> Any:
        """One row per period ticket: its line, status and clocks in µs (each timestamp converted once)."""
        t = TICKETS.c
        return (
            select(self._ticket_key().label("key"), t.status,
                   _micros(t.first_seen, self.dialect).label("first_seen"), _micros(t.created_at, self.dialect).label("created"),
                   _micros(t.first_triaged_at, self.dialect).label("triaged"),
                   _micros(t.coordinated_at, self.dialect).label("coordinated"), _micros(t.resolved_at, self.dialect).label("resolved"))
            .where(t.first_seen >= self.period.start, t.first_seen < self.period.end, _live_ticket())
        ).subquery("clocks")

    def tickets(self) -> Any:
        c = self._ticket_clocks().c
        coordinated = case((c.coordinated.is_not(None), c.coordinated), (c.status.not_in(sorted(COORDINATED)), self.now), else_=None)
        finished = case((c.status == RESOLVED, c.resolved), (c.status != REJECTED, self.now), else_=None)
        return (
            select(c.key, func.count().label("tickets"),
                   func.sum(case((coordinated - c.first_seen > self.coordination, 1), else_=0)).label("coordination_breaches"),
                   func.sum(case((finished - c.first_seen > self.resolution, 1), else_=0)).label("resolution_breaches"),
                   func.sum(case((c.status == RESOLVED, 1), else_=0)).label("resolved"))
            .group_by(c.key)
        )

    def middle_delays(self) -> Any:
        """The one or two middle triage delays (µs) of each line and of all, from which each median is exact.

        A delay runs from when the ticket could first be seen in the queue (an imported archive's
        tickets appear long after their messages were written) to its first triage, never below zero.
        """
        c = self._ticket_clocks().c
        appeared = case((c.created > c.first_seen, c.created), else_=c.first_seen)
        raw = c.triaged - appeared
        delay = case((raw > 0, raw), else_=0)
        ranked = (
            select(c.key, delay.label("delay"),
                   func.row_number().over(partition_by=c.key, order_by=delay).label("line_rank"),
                   func.count().over(partition_by=c.key).label("line_n"),
                   func.row_number().over(order_by=delay).label("rank"), func.count().over().label("n"))
            .where(c.triaged.is_not(None))
        ).subquery("delays")
        # The middle ranks, (n+1)//2 to (n+2)//2 (one when n is odd, two when even), written without division.
        in_line = and_(2 * ranked.c.line_rank >= ranked.c.line_n, 2 * ranked.c.line_rank <= ranked.c.line_n + 2)
        in_all = and_(2 * ranked.c.rank >= ranked.c.n, 2 * ranked.c.rank <= ranked.c.n + 2)
        return select(ranked.c.key, ranked.c.delay, in_line.label("in_line"), in_all.label("in_all")).where(or_(in_line, in_all))


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

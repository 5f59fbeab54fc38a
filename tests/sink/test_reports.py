"""Evaluation reports on a real database (SQLite and PostgreSQL), with rows written as the pipeline writes them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from sink.database import ensure_schema, open_engine
from sink.models import MentionRow, RawItemRow, TicketRow
from sink.reports import Period, SlaTargets, TicketTimes, evaluation_report, report_rows

T0 = datetime(2026, 11, 10, 1, 0, tzinfo=timezone.utc)
PERIOD = Period(T0 - timedelta(hours=1), T0 + timedelta(days=1))


class Store:
    """Writes tickets and their messages straight into the schema."""

    def __init__(self, url: str) -> None:
        self.engine = open_engine(url)
        ensure_schema(self.engine)
        self.next_id = 1

    def ticket(self, ticket_id: int, first_seen: datetime, *, category: str = "banjir", kota: str | None = "Jakarta Timur",
               agency: str | None = "Dinas Sumber Daya Air", status: str = "menunggu", channels: list[str] | None = None,
               merged_into: int | None = None, is_complaint: bool = True, member_count: int = 1,
               times: TicketTimes = TicketTimes()) -> None:
        with self.engine.begin() as connection:
            connection.execute(insert(TicketRow.__table__).values(
                id=ticket_id, category=category, kota=kota, agency=agency, status=status, title="t",
                first_seen=first_seen, last_seen=first_seen, member_count=member_count, channels=channels or [],
                merged_into=merged_into, is_complaint=is_complaint, created_at=first_seen, updated_at=first_seen,
                first_triaged_at=times.triaged_at, coordinated_at=times.coordinated_at, resolved_at=times.resolved_at))

    def message(self, channel: str, created_at: datetime, ticket_id: int | None, *, is_complaint: bool = True) -> None:
        raw_id, self.next_id = self.next_id, self.next_id + 1
        with self.engine.begin() as connection:
            connection.execute(insert(RawItemRow.__table__).values(
                id=raw_id, channel=channel, external_id=str(raw_id), source="test", payload=b"{}",
                content_type="application/json", origin="test", fetched_at=created_at, stored_at=created_at,
                state="processed"))
            connection.execute(insert(MentionRow.__table__).values(
                id=raw_id, channel=channel, external_id=str(raw_id), source="test", created_at=created_at,
                text="banjir", category="banjir", is_complaint=is_complaint, ticket_id=ticket_id))


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


def by_key(report):  # type: ignore[no-untyped-def]
    return {line.key: line for line in report.lines}


def test_reports_tickets_and_duplicates_per_channel(store: Store) -> None:
    store.ticket(1, T0, channels=["twitter", "email"], member_count=3)
    store.message("twitter", T0, 1)
    store.message("email", T0 + timedelta(minutes=5), 1)
    store.message("twitter", T0 + timedelta(minutes=9), 1)
    store.ticket(2, T0 + timedelta(hours=2), channels=["qlue"])
    store.message("qlue", T0 + timedelta(hours=2), 2)
    # A ticket opened before the period: its later report counts, the ticket does not.
    store.ticket(3, T0 - timedelta(days=2), channels=["rss"], member_count=2)
    store.message("rss", T0 - timedelta(days=2), 3)
    store.message("rss", T0 + timedelta(hours=3), 3)
    # Not counted: a message that is no complaint, a ticket merged away, one marked as no complaint.
    store.message("twitter", T0 + timedelta(hours=1), None, is_complaint=False)
    store.ticket(4, T0, merged_into=1, member_count=0)
    store.ticket(5, T0, channels=["instagram"], is_complaint=False)
    store.message("instagram", T0, 5)

    with store.engine.connect() as connection:
        report = evaluation_report(connection, "channel", PERIOD, now=T0 + timedelta(hours=4))
    lines = by_key(report)
    assert set(lines) == {"twitter", "email", "qlue", "rss"}
    assert (lines["twitter"].reports, lines["twitter"].tickets, lines["twitter"].duplicates) == (2, 1, 1)
    assert (lines["email"].reports, lines["email"].tickets, lines["email"].duplicates) == (1, 0, 1)
    assert (lines["qlue"].reports, lines["qlue"].tickets, lines["qlue"].duplicate_ratio) == (1, 1, 0.0)
    assert (lines["rss"].reports, lines["rss"].tickets, lines["rss"].duplicate_ratio) == (1, 0, 1.0)
    assert (report.total.reports, report.total.tickets, report.total.duplicates) == (5, 2, 3)
    assert report.total.duplicate_ratio == pytest.approx(3 / 5)
    assert [line.key for line in report.lines][0] == "twitter"  # most reports first


def test_grouping_by_ticket_fields_keeps_unknown_apart(store: Store) -> None:
    store.ticket(1, T0, category="sampah", kota="Jakarta Barat", agency=None, channels=["twitter"])
    store.message("twitter", T0, 1)
    store.ticket(2, T0, category="banjir", kota=None, agency="Dinas Sumber Daya Air", channels=["email"])
    store.message("email", T0, 2)
    with store.engine.connect() as connection:
        kota = by_key(evaluation_report(connection, "kota", PERIOD, now=T0))
        agency = by_key(evaluation_report(connection, "agency", PERIOD, now=T0))
        category = by_key(evaluation_report(connection, "category", PERIOD, now=T0))
    assert set(kota) == {"Jakarta Barat", ""} and kota[""].tickets == 1
    assert set(agency) == {"", "Dinas Sumber Daya Air"} and agency[""].reports == 1
    assert category["sampah"].tickets == category["banjir"].tickets == 1


def test_sla_breaches_triage_and_resolution(store: Store) -> None:
    sla = SlaTargets(coordination=timedelta(hours=6), resolution=timedelta(days=7))
    now = T0 + timedelta(days=8)
    store.ticket(1, T0, status="menunggu", channels=["twitter"])  # never coordinated: both targets missed
    store.message("twitter", T0, 1)
    store.ticket(2, T0, status="selesai", channels=["twitter"],  # coordinated in 2 h, resolved in 3 days
                 times=TicketTimes(triaged_at=T0 + timedelta(hours=1), coordinated_at=T0 + timedelta(hours=2),
                                   resolved_at=T0 + timedelta(days=3)))
    store.message("twitter", T0, 2)
    store.ticket(3, T0, status="proses", channels=["twitter"],  # coordinated late, still open after 8 days
                 times=TicketTimes(triaged_at=T0 + timedelta(hours=3), coordinated_at=T0 + timedelta(hours=9)))
    store.message("twitter", T0, 3)
    store.ticket(4, T0, status="ditolak", channels=["twitter"],  # rejected in time: no resolution clock
                 times=TicketTimes(triaged_at=T0 + timedelta(hours=5), coordinated_at=T0 + timedelta(hours=5)))
    store.message("twitter", T0, 4)
    with store.engine.connect() as connection:
        report = evaluation_report(connection, "channel", PERIOD, now=now, sla=sla)
    total = report.total
    assert total.coordination_breaches == 2  # tickets 1 and 3
    assert total.resolution_breaches == 2  # tickets 1 and 3
    assert total.sla_breaches == 4
    assert total.resolved == 1 and total.resolved_share == pytest.approx(1 / 4)
    assert total.median_time_to_triage == timedelta(hours=3)


def test_resolved_late_is_a_breach(store: Store) -> None:
    store.ticket(1, T0, status="selesai", channels=["qlue"],
                 times=TicketTimes(triaged_at=T0, coordinated_at=T0 + timedelta(hours=1), resolved_at=T0 + timedelta(days=9)))
    store.message("qlue", T0, 1)
    with store.engine.connect() as connection:
        report = evaluation_report(connection, "channel", PERIOD, now=T0 + timedelta(days=10))
    assert (report.total.coordination_breaches, report.total.resolution_breaches) == (0, 1)


def test_csv_rows_cannot_start_a_formula(store: Store) -> None:
    store.ticket(1, T0, agency="=HYPERLINK(\"http://evil\")", channels=["twitter"])
    store.message("twitter", T0, 1)
    with store.engine.connect() as connection:
        rows = report_rows(evaluation_report(connection, "agency", PERIOD, now=T0))
    assert rows[0][0] == "agency"
    assert rows[1][0] == "'=HYPERLINK(\"http://evil\")"
    assert rows[-1][:3] == ["TOTAL", "1", "1"]


def test_empty_period_and_bad_input(store: Store) -> None:
    with store.engine.connect() as connection:
        report = evaluation_report(connection, "kota", PERIOD, now=T0)
        assert report.lines == [] and report.total.duplicate_ratio is None and report.total.resolved_share is None
        with pytest.raises(ValueError, match="unknown report dimension"):
            evaluation_report(connection, "author", PERIOD, now=T0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="end after"):
        Period(T0, T0)
    with pytest.raises(ValueError, match="time-zone-aware"):
        Period(datetime(2026, 1, 1), datetime(2026, 1, 2))

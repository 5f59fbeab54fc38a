"""Tickets forwarded from the imported Open311 samples, as the console forwards them; CRM settings for tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, select

from dengar.cli import main
from dengar.settings import CrmSettings
from sink import ticket_actions
from sink.database import open_engine
from sink.models import TicketRow

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "open311" / "requests.json"
TICKETS = TicketRow.__table__


def imported_engine(db_url: str) -> Engine:
    assert main(["import", str(SAMPLES), "--db", db_url, "-q"]) == 0
    return open_engine(db_url)


def forward(engine: Engine, count: int) -> list[int]:
    """Forward the first ``count`` complaint tickets with a place; returns their outbox ids."""
    with engine.begin() as connection:
        ticket_ids = connection.execute(
            select(TICKETS.c.id).where(TICKETS.c.is_complaint.is_(True), TICKETS.c.merged_into.is_(None),
                                       TICKETS.c.lat.is_not(None)).order_by(TICKETS.c.id).limit(count)).scalars().all()
        assert len(ticket_ids) == count, "the Open311 samples hold fewer placed tickets than the test needs"
        return [ticket_actions.forward_to_crm(connection, ticket_id, "crm", "ani") for ticket_id in ticket_ids]


@dataclass
class Clock:
    """The deliverer's clock; moving it on makes a retried row due without waiting."""

    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float = 3600) -> None:
        self.now += timedelta(seconds=seconds)


def crm_settings(url: str, **overrides: object) -> CrmSettings:
    values: dict[str, object] = {"enabled": True, "kind": "open311", "url": url, "timeout": 5, "max_attempts": 4,
                                 "retry_base": 1, "retry_cap": 10}
    values.update(overrides)
    return CrmSettings.model_validate(values)

"""Fill a database with a year of console-sized history (~100k tickets, ~250k messages) in about a minute.

Running the pipeline over 250k generated messages would take many minutes and would not give a
year of operator work (statuses, triage times, agencies) anyway. So the labelled corpus is
imported once through the real pipeline (`dengar import benchmarks/corpus`), and its rows are the
templates: every generated ticket copies one real ticket (category, place, agency, title), every
generated message copies one real message of that ticket (text, place, author, raw payload,
link kind, dedup candidates), shifted to a new time in the year before ``end``. Message ids grow
with storage time, as the store gives them. Statuses and triage/coordination/resolution times
follow the ticket's age, as a working complaint desk leaves them. One ticket is a city-wide flood
with 2,000 messages (the "ticket page with many members" case); a few are merged away or marked
as no complaint. Rows are bulk-inserted with Core ``executemany`` in batches.
"""

from __future__ import annotations

import contextlib
import io
import random
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select

from dengar.cli import main as dengar_main
from sink.database import ensure_schema, open_engine
from sink.models import MentionRow, RawItemRow, SourceStateRow, TicketMemberRow, TicketRow

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
RAW, MENTIONS, TICKETS = RawItemRow.__table__, MentionRow.__table__, TicketRow.__table__
MEMBERS, STATES = TicketMemberRow.__table__, SourceStateRow.__table__
BATCH = 2000
BIG_TICKET_MEMBERS = 2000
SOURCE_OF_CHANNEL = {"twitter": "x-dki", "instagram": "ig-dki", "email": "dki-mail", "rss": "berita-jakarta",
                     "open311": "open311-dki", "qlue": "qlue"}
# Status shares by ticket age: a fresh ticket waits; an old one is mostly done.
STATUS_BY_AGE = (
    (timedelta(days=7), {"menunggu": 45, "koordinasi": 20, "disposisi": 15, "proses": 15, "selesai": 5}),
    (timedelta(days=30), {"menunggu": 5, "koordinasi": 10, "disposisi": 10, "proses": 25, "selesai": 45, "ditolak": 5}),
    (timedelta.max, {"koordinasi": 2, "disposisi": 3, "proses": 7, "selesai": 80, "ditolak": 8}),
)


@dataclass(frozen=True, slots=True)
class SeedMessage:
    mention: dict[str, Any]
    raw: dict[str, Any]
    member: dict[str, Any] | None
    offset: timedelta  # after its ticket's first message


@dataclass(frozen=True, slots=True)
class SeedTicket:
    ticket: dict[str, Any]
    messages: list[SeedMessage]


@dataclass(frozen=True, slots=True)
class Seed:
    tickets: list[SeedTicket]
    noise: list[SeedMessage]  # messages that opened no ticket (praise, news, official replies)


@dataclass(slots=True)
class PlannedMessage:
    """A message to write: which template, when, in which ticket (None: not a complaint)."""

    created_at: datetime
    template: SeedMessage
    ticket_id: int | None
    copy: int


@dataclass(frozen=True, slots=True)
class FillSummary:
    tickets: int
    messages: int
    seconds: float
    big_ticket_id: int


def import_seed(workdir: Path) -> Engine:
    """The labelled corpus through the real pipeline: the templates every generated row copies."""
    url = f"sqlite:///{workdir / 'seed.db'}"
    report = io.StringIO()
    with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
        failed = dengar_main(["import", str(CORPUS), "--db", url, "-q"]) != 0
    if failed:
        raise SystemExit(f"importing benchmarks/corpus failed:\n{report.getvalue()}")
    return open_engine(url)


def load_seed(engine: Engine) -> Seed:
    with engine.connect() as connection:
        tickets = {row.id: dict(row._mapping) for row in connection.execute(select(TICKETS))}
        raws = {row.id: dict(row._mapping) for row in connection.execute(select(RAW))}
        members = {row.mention_id: dict(row._mapping) for row in connection.execute(select(MEMBERS))}
        mentions = [dict(row._mapping) for row in connection.execute(select(MENTIONS).order_by(MENTIONS.c.created_at))]
    grouped: dict[int, list[dict[str, Any]]] = {}
    noise = []
    for mention in mentions:
        if mention["ticket_id"] is None:
            noise.append(SeedMessage(mention, raws[mention["id"]], None, timedelta(0)))
        else:
            grouped.setdefault(mention["ticket_id"], []).append(mention)
    seed_tickets = []
    for ticket_id, group in grouped.items():
        start = group[0]["created_at"]
        seed_tickets.append(SeedTicket(tickets[ticket_id], [
            SeedMessage(m, raws[m["id"]], members.get(m["id"]), m["created_at"] - start) for m in group]))
    return Seed(seed_tickets, noise)


def _status(rng: random.Random, age: timedelta) -> str:
    for limit, shares in STATUS_BY_AGE:
        if age < limit:
            return rng.choices(list(shares), weights=list(shares.values()))[0]
    raise AssertionError("unreachable")


def _ticket_row(rng: random.Random, ticket_id: int, template: SeedTicket, planned: Sequence[PlannedMessage],
                end: datetime) -> dict[str, Any]:
    first_seen = min(p.created_at for p in planned)
    last_seen = max(p.created_at for p in planned)
    row = dict(template.ticket)
    status = _status(rng, end - first_seen)
    triaged = coordinated = resolved = changed = None
    if status != "menunggu":
        triaged = min(first_seen + timedelta(hours=rng.expovariate(1 / 3)), end)
        changed = triaged
        if status != "ditolak":
            coordinated = triaged
        if status == "selesai":
            resolved = changed = min(coordinated + timedelta(days=rng.expovariate(1 / 4)), end)
    row.update(id=ticket_id, first_seen=first_seen, last_seen=last_seen, member_count=len(planned),
               channels=sorted({p.template.mention["channel"] for p in planned}), status=status,
               is_complaint=rng.random() > 0.01, merged_into=None, created_at=first_seen + timedelta(minutes=2),
               updated_at=changed or first_seen + timedelta(minutes=2), first_triaged_at=triaged,
               status_changed_at=changed, coordinated_at=coordinated, resolved_at=resolved, operator_fields=[])
    return row


def _message_count(rng: random.Random, mean: float) -> int:
    """1 + geometric: most tickets hold one or two reports, a few hold dozens."""
    count = 1
    while rng.random() > 1 / mean and count < 200:
        count += 1
    return count


def _plan_ticket(rng: random.Random, template: SeedTicket, ticket_id: int, count: int, first_seen: datetime,
                 end: datetime) -> list[PlannedMessage]:
    planned = []
    for n in range(count):
        message = template.messages[n % len(template.messages)]
        lap = n // len(template.messages)
        at = first_seen + message.offset + timedelta(minutes=rng.randrange(60) + 90 * lap)
        planned.append(PlannedMessage(min(at, end - timedelta(seconds=rng.randrange(1, 3600))), message, ticket_id, n))
    return planned


def _insert(engine: Engine, table: Any, rows: Iterator[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    with engine.begin() as connection:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                connection.execute(insert(table), batch)
                batch = []
        if batch:
            connection.execute(insert(table), batch)


def fill(engine: Engine, tickets: int = 100_000, messages: int = 250_000, days: int = 365,
         end: datetime | None = None, seed_number: int = 14) -> FillSummary:
    """Write ``tickets`` tickets and about ``messages`` messages (all channels) into an empty store."""
    started = datetime.now(timezone.utc)
    end = (end or started).replace(microsecond=0)
    ensure_schema(engine)
    with engine.connect() as connection:
        if connection.execute(select(func.count()).select_from(TICKETS)).scalar_one():
            raise SystemExit("the database already holds tickets; give an empty one (or --reuse to only time it)")
    with tempfile.TemporaryDirectory() as workdir:
        seed_engine = import_seed(Path(workdir))
        seed = load_seed(seed_engine)
        seed_engine.dispose()
    rng = random.Random(seed_number)
    complaint_share = sum(len(t.messages) for t in seed.tickets) / (sum(len(t.messages) for t in seed.tickets) + len(seed.noise))
    mean_size = max(1.0, (messages * complaint_share - BIG_TICKET_MEMBERS) / tickets)
    span = timedelta(days=days)
    plans: list[PlannedMessage] = []

    floods = [t for t in seed.tickets if t.ticket["category"] == "banjir" and len(t.messages) >= 3]
    big_ticket_id = tickets

    def ticket_rows() -> Iterator[dict[str, Any]]:
        for ticket_id in range(1, tickets + 1):
            if ticket_id == big_ticket_id:
                template = max(floods, key=lambda t: len(t.messages))
                planned = _plan_ticket(rng, template, ticket_id, BIG_TICKET_MEMBERS, end - timedelta(days=2), end)
            else:
                template = rng.choice(seed.tickets)
                first_seen = end - span * rng.random() ** 0.8  # a little busier lately, as complaint desks are
                planned = _plan_ticket(rng, template, ticket_id, _message_count(rng, mean_size), first_seen, end)
            row = _ticket_row(rng, ticket_id, template, planned, end)
            if ticket_id > 1000 and ticket_id != big_ticket_id and rng.random() < 0.005:
                # merged away by an operator and left empty (where its messages went is not modelled)
                row.update(merged_into=rng.randrange(1, ticket_id), member_count=0)
            else:
                plans.extend(planned)
            yield row

    _insert(engine, TICKETS, ticket_rows())
    while len(plans) < messages:
        template = rng.choice(seed.noise)
        plans.append(PlannedMessage(end - span * rng.random() ** 0.8, template, None, len(plans)))
    plans.sort(key=lambda p: p.created_at)
    _write_messages(engine, rng, plans, tickets)
    _write_source_states(engine, plans, end)
    seconds = (datetime.now(timezone.utc) - started).total_seconds()
    return FillSummary(tickets, len(plans), seconds, big_ticket_id)


def _write_messages(engine: Engine, rng: random.Random, plans: list[PlannedMessage], tickets: int) -> None:
    def raws() -> Iterator[dict[str, Any]]:
        for number, plan in enumerate(plans, start=1):
            raw = plan.template.raw
            stored = plan.created_at + timedelta(seconds=30 + rng.randrange(600))
            yield {**raw, "id": number, "external_id": f"{raw['external_id']}.{number}", "fetched_at": stored,
                   "stored_at": stored, "state": "processed", "source": SOURCE_OF_CHANNEL[raw["channel"]]}

    def mentions() -> Iterator[dict[str, Any]]:
        for number, plan in enumerate(plans, start=1):
            mention = plan.template.mention
            yield {**mention, "id": number, "external_id": f"{mention['external_id']}.{number}",
                   "created_at": plan.created_at, "ticket_id": plan.ticket_id,
                   "source": SOURCE_OF_CHANNEL[mention["channel"]]}

    def members() -> Iterator[dict[str, Any]]:
        for number, plan in enumerate(plans, start=1):
            member = plan.template.member
            if plan.ticket_id is None or member is None:
                continue
            candidates = [[rng.randrange(1, tickets + 1), score] for _, score in member["candidates"] or []]
            yield {**member, "id": number, "mention_id": number, "ticket_id": plan.ticket_id, "candidates": candidates,
                   "link_kind": member["link_kind"] if plan.copy else "new", "linked_at": plan.created_at}

    _insert(engine, RAW, raws())
    _insert(engine, MENTIONS, mentions())
    _insert(engine, MEMBERS, members())


def _write_source_states(engine: Engine, plans: list[PlannedMessage], end: datetime) -> None:
    last = {}
    for plan in plans:
        last[plan.template.mention["channel"]] = plan.created_at
    rows = [{"name": SOURCE_OF_CHANNEL[channel], "channel": channel, "cursor": {"since": at.isoformat()}, "state": "ok",
             "last_success": end} for channel, at in sorted(last.items())]
    with engine.begin() as connection:
        connection.execute(insert(STATES), rows)


def open_filled(url: str, **fill_args: Any) -> tuple[Engine, FillSummary | None]:
    """The engine on ``url``, filled first unless ``fill_args`` is empty (then the store is only upgraded)."""
    engine = open_engine(url)
    if not fill_args:
        ensure_schema(engine)
        return engine, None
    return engine, fill(engine, **fill_args)

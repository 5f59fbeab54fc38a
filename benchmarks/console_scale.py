"""The console at 100k tickets: how long each page takes over a year of history.

    python benchmarks/console_scale.py                          # SQLite in a temporary folder
    python benchmarks/console_scale.py --sqlite big.db --keep   # keep the filled file; --reuse times it again
    python benchmarks/console_scale.py --db postgresql+psycopg://user@host/dengar_bench   # and PostgreSQL

Fills the store (benchmarks/scale_fill.py: ~100k tickets, ~250k messages copied from the labelled
corpus after the real pipeline read it), upgrades it to the current schema, then serves the real
console application on loopback and requests each page as a signed-in operator would, through
aiohttp's client: the median and the slowest of ``--runs`` requests after one warm-up. Prints
one table per database. Measures and never gates: the exit status is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_fill import MENTIONS, TICKETS, FillSummary, open_filled  # noqa: E402

from dengar.console.app import create_console_app  # noqa: E402
from dengar.console.search_catch_up import search_index_catch_up  # noqa: E402
from dengar.settings import Settings, load_settings  # noqa: E402
from sink.accounts import create_operator  # noqa: E402
from sink.database import refresh_planner_statistics  # noqa: E402
from sink.text_search import CATCH_UP_ROWS, catch_up, rows_behind  # noqa: E402
from sink.ticket_queue import QueueCursor  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]*)"')
USER, PASSWORD = "bench-admin", "bangku-panjang-2026"
WIB = timezone(timedelta(hours=7))
STREAM_BACKLOG = 200
DEEP_POSITION = 50_000


@dataclass(frozen=True, slots=True)
class Probe:
    name: str
    path: str
    stream: bool = False


@dataclass(frozen=True, slots=True)
class Timing:
    probe: Probe
    status: int
    median_ms: float
    slowest_ms: float
    kilobytes: float


def _most_common(engine: Engine, column: str) -> str:
    with engine.connect() as connection:
        field = TICKETS.c[column]
        return connection.execute(select(field).where(field.is_not(None)).group_by(field)
                                  .order_by(func.count().desc()).limit(1)).scalar_one()


def _rare_word(engine: Engine) -> str:
    """A word that a few hundred of the 250k messages contain (one template's copies)."""
    words: Counter[str] = Counter()
    with engine.connect() as connection:
        for (text,) in connection.execute(select(MENTIONS.c.text).where(MENTIONS.c.id % 53 == 0)):
            words.update({w for w in re.findall(r"[a-z]{7,}", text.lower())})
    rare = sorted((count, word) for word, count in words.items() if count >= 2)
    return rare[0][1]


def probes(engine: Engine, big_ticket_id: int | None) -> list[Probe]:
    with engine.connect() as connection:
        tickets = connection.execute(select(func.count()).select_from(TICKETS)).scalar_one()
        position = min(DEEP_POSITION, tickets // 2)
        deep = connection.execute(
            select(TICKETS.c.member_count, TICKETS.c.last_seen, TICKETS.c.id)
            .where(TICKETS.c.merged_into.is_(None), TICKETS.c.is_complaint.is_(True))
            .order_by(TICKETS.c.member_count.desc(), TICKETS.c.last_seen.desc(), TICKETS.c.id.desc())
            .offset(position).limit(1)).one()
        if big_ticket_id is None:
            big_ticket_id = connection.execute(select(TICKETS.c.id).order_by(TICKETS.c.member_count.desc()).limit(1)).scalar_one()
        typical = connection.execute(select(TICKETS.c.id).where(TICKETS.c.member_count >= 3, TICKETS.c.kelurahan.is_not(None))
                                     .order_by(TICKETS.c.member_count, TICKETS.c.last_seen.desc()).limit(1)).scalar_one()
        newest = connection.execute(select(func.max(MENTIONS.c.id))).scalar_one()
        latest = connection.execute(select(func.max(MENTIONS.c.created_at))).scalar_one()
    today = latest.astimezone(WIB).date()
    cursor = QueueCursor(deep.member_count, deep.last_seen, deep.id).encode()

    def queue(**query: str) -> str:
        return "/?" + urlencode(query) if query else "/"

    return [
        Probe("queue, first page", queue()),
        Probe("queue, status=selesai", queue(status="selesai")),
        Probe("queue, status=menunggu", queue(status="menunggu")),
        Probe("queue, category", queue(category="banjir")),
        Probe("queue, kota", queue(kota=_most_common(engine, "kota"))),
        Probe("queue, kecamatan", queue(kecamatan=_most_common(engine, "kecamatan"))),
        Probe("queue, kelurahan", queue(kelurahan=_most_common(engine, "kelurahan"))),
        Probe("queue, channel=email", queue(channel="email")),
        Probe("queue, agency", queue(agency=_most_common(engine, "agency"))),
        Probe("queue, one week", queue(status="all", since=(today - timedelta(days=7)).isoformat(), until=today.isoformat())),
        Probe(f"queue, page at #{position:,}", queue(status="all", after=cursor)),
        Probe("queue, text: banjir", queue(status="all", q="banjir")),
        Probe("queue, text: rare word", queue(status="all", q=_rare_word(engine))),
        Probe("queue, text: no match", queue(status="all", q="zzqxj")),
        Probe("ticket, 3 messages", f"/tickets/{typical}"),
        Probe("ticket, 2,000 messages", f"/tickets/{big_ticket_id}"),
        Probe("mentions monitor", f"/mentions?day={today.isoformat()}"),
        Probe("mentions, keyword", f"/mentions?day={today.isoformat()}&q=banjir"),
        Probe(f"stream poll, {STREAM_BACKLOG} new", f"/mentions/stream?after={newest - STREAM_BACKLOG}", stream=True),
        Probe("reports, 30 days by channel", f"/reports?by=channel&to={today.isoformat()}"),
        Probe("reports, 30 days by kota", f"/reports?by=kota&to={today.isoformat()}"),
        Probe("sources", "/sources"),
    ]


async def _signed_in(client: TestClient) -> None:
    form = await (await client.get("/login")).text()
    token = CSRF_INPUT.search(form).group(1)  # type: ignore[union-attr]
    response = await client.post("/login", data={"csrf_token": token, "username": USER, "password": PASSWORD, "next": "/"},
                                  allow_redirects=False)
    if response.status != 303:
        raise SystemExit(f"could not sign in to the console: {response.status}")


async def _fetch(client: TestClient, probe: Probe) -> tuple[int, int]:
    """Status and body size; for the stream, until the backlog has arrived (then the stream is closed)."""
    async with client.get(probe.path, allow_redirects=False) as response:
        if not probe.stream:
            return response.status, len(await response.read())
        received, events = 0, 0
        while events < STREAM_BACKLOG:
            chunk = await asyncio.wait_for(response.content.readuntil(b"\n\n"), 30)
            if not chunk:
                break
            received += len(chunk)
            events += chunk.startswith(b"id: ")
        return response.status, received


async def time_console(engine: Engine, settings: Settings, plan: list[Probe], runs: int, catching_up: bool = True) -> list[Timing]:
    app = create_console_app(engine, settings)
    if not catching_up:  # keep the messages left out of the search index out of it while timing
        app.cleanup_ctx.remove(search_index_catch_up)
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        await _signed_in(client)
        timings = []
        for probe in plan:
            status, size = await _fetch(client, probe)  # warm-up: caches, compiled statements
            elapsed = []
            for _ in range(runs):
                started = time.perf_counter()
                status, size = await _fetch(client, probe)
                elapsed.append((time.perf_counter() - started) * 1000)
            timings.append(Timing(probe, status, statistics.median(elapsed), max(elapsed), size / 1024))
        return timings
    finally:
        await client.close()


def _ensure_account(engine: Engine) -> None:
    from sink.models import OperatorRow

    with engine.begin() as connection:
        if connection.execute(select(OperatorRow.id).where(OperatorRow.username == USER)).first() is None:
            create_operator(connection, USER, PASSWORD, "admin", actor="benchmark")


def print_table(label: str, timings: list[Timing], fill: FillSummary | None, counts: tuple[int, int]) -> None:
    print(f"\n{label}: {counts[0]:,} tickets, {counts[1]:,} messages"
          + (f" (filled in {fill.seconds:.0f} s)" if fill else ""))
    print(f"{'request':34} {'status':>6} {'median ms':>10} {'slowest ms':>11} {'KB':>7}")
    for t in timings:
        print(f"{t.probe.name:34} {t.status:>6} {t.median_ms:>10.1f} {t.slowest_ms:>11.1f} {t.kilobytes:>7.0f}")


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        return (connection.execute(select(func.count()).select_from(TICKETS)).scalar_one(),
                connection.execute(select(func.count()).select_from(MENTIONS)).scalar_one())


def index_messages(engine: Engine, leave: int) -> None:
    """Run the console's search-index catch-up until only the newest ``leave`` messages are left to it."""
    started, indexed = time.perf_counter(), 0
    while True:
        with engine.connect() as connection:
            behind = rows_behind(connection)
        if behind <= leave:
            break
        with engine.begin() as connection:
            indexed += catch_up(connection, min(CATCH_UP_ROWS, behind - leave))
    if indexed:
        print(f"search index: {indexed:,} messages taken in by the catch-up in {time.perf_counter() - started:.1f} s, "
              f"{leave:,} left to read", file=sys.stderr)


def measure(url: str, label: str, args: argparse.Namespace) -> None:
    fill_args = {} if args.reuse else {"tickets": args.tickets, "messages": args.messages}
    engine, summary = open_filled(url, **fill_args)
    try:
        _ensure_account(engine)
        refresh_planner_statistics(engine)  # what the console does when it starts (dengar.console.statistics)
        index_messages(engine, args.behind)  # and in its first seconds (dengar.console.search_catch_up)
        settings = load_settings(REPO / "config" / "dengar.toml", url)
        plan = [p for p in probes(engine, summary.big_ticket_id if summary else None)
                if not args.only or any(word in p.name for word in args.only)]
        timings = asyncio.run(time_console(engine, settings, plan, args.runs, catching_up=not args.behind))
        print_table(label, timings, summary, _counts(engine))
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sqlite", type=Path, help="SQLite file to fill (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file given with --sqlite")
    parser.add_argument("--reuse", action="store_true", help="the databases are already filled: only time them")
    parser.add_argument("--db", help="also fill and time this (empty) PostgreSQL database")
    parser.add_argument("--no-sqlite", action="store_true", help="time only the --db database")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=250_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--behind", type=int, default=0,
                        help="leave the newest N messages out of the SQLite search index (an import the catch-up has not reached)")
    parser.add_argument("--only", nargs="*", help="time only requests whose name contains one of these words")
    args = parser.parse_args(argv)
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            path = args.sqlite or Path(folder) / "console-scale.db"
            measure(f"sqlite:///{path}", "SQLite", args)
            if args.sqlite and not args.keep and not args.reuse:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
    if args.db:
        measure(args.db, "PostgreSQL", args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`dengar demo`: the whole service on one machine, offline, against local stand-ins of the channels.

The X API, the feeds, an Open311 server, a Qlue report feed (over loopback HTTP) and an IMAP
mailbox are served in-process from the bundled samples, so the demo's sources run through the
real collectors, cursors, daemon and console. Instagram is imported from its sample archive:
instaloader's Instagram hosts are built into it, so no local stand-in can take their place.
Everything is idempotent, so running the demo again adds nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import secrets
import socket
import sys
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError

from dengar.demo_backlog import StoreOnly
from dengar.demo_config import IMAP_PASSWORD_ENV, X_TOKEN_ENV, write_config
from dengar.demo_standins import LOOPBACK, DemoStandins
from dengar.demo_summary import print_totals, source_totals
from dengar.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_DIR = "dengar-demo"
DEFAULT_PORT = 8080
ACCOUNT = "demo"
SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples"
# source name -> (channel, folder under samples/) of the channels imported from archive files
ARCHIVE_SOURCES = {"samples-instagram": ("instagram", "instagram")}
WHY_ARCHIVES = ("imported from its sample archive files (instaloader's Instagram hosts are built into it, "
                "so no local stand-in can take their place)")
READY_WAIT_SECONDS = 30.0

DEMO_HELP = """\
Start local stand-ins of X, five feeds, an Open311 server, a Qlue report feed (HTTP) and an IMAP
mailbox serving the bundled samples; write a configuration pointing at them (DIR/dengar.toml);
import the Instagram sample archive; create the console account `demo`; and run the daemon with
the console on 127.0.0.1 until Ctrl-C or SIGTERM. Nothing is fetched from the internet.

The database is a SQLite file in DIR unless --db names another (DENGAR_DATABASE_URL and
DENGAR_CONFIG are not used: the demo keeps to its own folder). Running it again adds nothing.

examples:
  dengar demo                       then open the console URL it prints
  dengar demo --once                one pass of every source, a summary, exit (CI, no browser)
  dengar demo --dir /tmp/demo --port 9000
"""


class DemoError(Exception):
    """The demo cannot start; the message says what to do."""


@dataclass(frozen=True, slots=True)
class DemoOptions:
    directory: Path
    port: int
    once: bool
    database_url: str | None = None
    samples: Path = SAMPLES_DIR

    @property
    def config_path(self) -> Path:
        return self.directory / "dengar.toml"

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{(self.directory / 'dengar.db').resolve()}"


def console_port(wanted: int, host: str = LOOPBACK) -> tuple[int, str | None]:
    """``wanted`` when it is free, else a free port and a note saying why it changed."""
    if wanted:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server binds
            try:
                probe.bind((host, wanted))
                return wanted, None
            except OSError:
                pass
    with socket.socket() as probe:
        probe.bind((host, 0))
        port = probe.getsockname()[1]
    return port, f"port {wanted} is busy; using {port} instead" if wanted else None


def ensure_account(engine: Engine) -> str | None:
    """Create the admin account `demo` with a random password (returned), or None when it exists."""
    from sink.accounts import OPERATORS, create_operator

    with engine.begin() as connection:
        if connection.execute(select(OPERATORS.c.id).where(OPERATORS.c.username == ACCOUNT)).first():
            return None
        password = secrets.token_urlsafe(12)
        create_operator(connection, ACCOUNT, password, "admin", actor="dengar demo")
        return password


def import_archives(settings: Settings, backlog: StoreOnly, samples: Path) -> dict[str, int]:
    """Store the Instagram samples raw; returns the items each archive source stored now."""
    from dengar.app import archive_readers
    from dengar.importer import FileReport, archive_items

    new: dict[str, int] = {}
    for source, (channel, folder) in ARCHIVE_SOURCES.items():
        report = FileReport()
        counts = backlog.store_items(archive_items([samples / folder], source, report, channel=channel,
                                                   readers=archive_readers(settings)))
        new[source] = sum(counts.new.values())
        for path, error, _ in report.failed:
            log.warning("sample archive %s: %s", path, error)
    return new


async def until_stopped(work: Coroutine[Any, Any, Any], stop: asyncio.Event) -> Any:
    """Run ``work``; cancel it when ``stop`` is set first (then None)."""
    task = asyncio.ensure_future(work)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        if not task.done():
            task.cancel()
        await asyncio.gather(task, stopped, return_exceptions=True)
    return task.result() if not task.cancelled() else None


async def collect_once(settings: Settings, engine: Engine, pipeline: Any,
                       environ: Mapping[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    """One run of every source in configuration order through the daemon's runners and writer.

    Returns the items each source stored now, and the failures by source.
    """
    from dengar.daemon.daemon import runnable_sources
    from dengar.daemon.metrics import DaemonMetrics
    from dengar.daemon.runner import SourceRunner
    from dengar.daemon.source_check import build_source_collector
    from dengar.daemon.writer import Writer

    checks, disabled = runnable_sources(settings, environ)
    metrics = DaemonMetrics()
    writer = Writer(pipeline, metrics, queue_size=2, give_up_after=5)
    context = {"config_dir": settings.config_path.parent if settings.config_path else None}
    runners = []
    for check in checks:
        collector = build_source_collector(check.source, environ, context)
        runner = SourceRunner(check.source, type(collector).channel, collector, writer, engine, metrics,
                              settings.daemon.instance or "dengar-demo", settings.daemon.lease_seconds, random.Random())
        runner.raise_database_errors = True
        runners.append(runner)
    new: dict[str, int] = {}
    failures = dict(disabled)
    writer.start()
    try:
        for runner in runners:
            report = await runner.run_once()
            new[runner.name] = sum(report.counts.new.values())
            if report.leased_elsewhere:
                failures[runner.name] = "being collected by another process"
            elif report.error is not None:
                failures[runner.name] = f"{report.error.kind}: {report.error.reason}"
    finally:
        await asyncio.gather(*(runner.release() for runner in runners), return_exceptions=True)
        await writer.stop()
        await asyncio.gather(*(runner.collector.aclose() for runner in runners), return_exceptions=True)
    return new, failures


class Demo:
    """One `dengar demo` process: stand-ins, configuration, archives, account, then one pass or the daemon."""

    def __init__(self, options: DemoOptions, out: TextIO) -> None:
        self.options = options
        self.out = out

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    async def run(self) -> int:
        from dengar.daemon.daemon import install_signal_handlers

        stop = asyncio.Event()
        install_signal_handlers(stop)
        token = secrets.token_urlsafe(24)
        standins = DemoStandins(self.options.samples, token)
        # the token and the mailbox password exist in this process only
        environ = {**os.environ, X_TOKEN_ENV: token, IMAP_PASSWORD_ENV: standins.imap_password}
        endpoints = await standins.start()
        try:
            port, port_note = (console_port(self.options.port) if not self.options.once
                               else (self.options.port or DEFAULT_PORT, None))
            config = write_config(self.options.config_path, self.options.url, port, endpoints)
            self.say(f"dengar demo: stand-ins of X, {len(endpoints.feeds)} feeds, Open311, Qlue and IMAP on 127.0.0.1; "
                     f"configuration written to {config}")
            prepared = await until_stopped(asyncio.to_thread(self._prepare), stop)
            if prepared is None:
                return 0
            settings, engine, pipeline, imported, password = prepared
            try:
                self.say("collecting every source once (stored first, then processed in time order) ...")
                outcome = await until_stopped(collect_once(settings, engine, StoreOnly(engine), environ), stop)
                processed = await asyncio.to_thread(pipeline.process_pending)  # also after a stop: nothing stays unprocessed
                if outcome is None:
                    self.say("stopped before every source had run; what was stored is kept")
                    return 0
                new, failures = outcome
                ticketed, quarantined = sum(processed.ticketed.values()), sum(processed.quarantined.values())
                self.say(f"processed what was new: {ticketed} complaints on tickets, {quarantined} quarantined"
                         if ticketed or quarantined or any(new.values()) else "nothing new since the last run")
                for name, reason in failures.items():
                    self.say(f"source {name} failed on this pass: {reason}"
                             + ("" if self.options.once else " (the daemon tries it again on its schedule)"))
                if self.options.once:
                    return await self._summary(settings, engine, {**imported, **new}, failures, password)
                return await self._serve(settings, engine, pipeline, environ, port, port_note, password, stop)
            finally:
                engine.dispose()
        finally:
            await standins.stop()

    def _prepare(self) -> tuple[Settings, Engine, Any, dict[str, int], str | None]:
        """The slow, blocking part (run in a thread): database, pipeline, archive import, account."""
        from dengar.app import build_pipeline, database
        from dengar.settings import load_settings

        settings = load_settings(self.options.config_path, self.options.url)
        try:
            engine = database(settings)
        except OperationalError as exc:
            from dengar.cli import _safe_url

            raise DemoError(f"cannot open the database {_safe_url(self.options.url)}: {exc.orig} — check --db") from exc
        pipeline = build_pipeline(settings, engine)
        self.say(f"Instagram samples are {WHY_ARCHIVES}")
        imported = import_archives(settings, StoreOnly(engine), self.options.samples)
        password = ensure_account(engine)
        return settings, engine, pipeline, imported, password

    def _source_channels(self, settings: Settings) -> dict[str, str]:
        channels = {name: channel for name, (channel, _) in ARCHIVE_SOURCES.items()}
        channels.update({source.name: source.type for source in settings.sources})
        return channels

    async def _summary(self, settings: Settings, engine: Engine, new: dict[str, int], failures: dict[str, str],
                       password: str | None) -> int:
        rows = await asyncio.to_thread(source_totals, engine, self._source_channels(settings), new)
        self.say()
        print_totals(rows, failures, self.out)
        self.say()
        if password is not None:
            self._login_line(password)
        self._where_to_look(settings)
        if failures:
            print(f"dengar demo: {len(failures)} source(s) failed: " + "; ".join(f"{n}: {e}" for n, e in failures.items()),
                  file=sys.stderr)
            return 1
        return 0

    async def _serve(self, settings: Settings, engine: Engine, pipeline: Any, environ: Mapping[str, str], port: int,
                     port_note: str | None, password: str | None, stop: asyncio.Event) -> int:
        from dengar.daemon.daemon import Daemon, web_app_for

        daemon = Daemon(settings, engine, pipeline, environ)
        app = web_app_for(daemon)
        announce = asyncio.create_task(self._announce_when_ready(settings, port, port_note, password, stop))
        try:
            await daemon.serve(stop, app, LOOPBACK, port)
        except OSError as exc:
            raise DemoError(f"cannot serve the console on 127.0.0.1:{port} ({exc.strerror or exc}); "
                            "try another --port") from exc
        finally:
            announce.cancel()
            await asyncio.gather(announce, return_exceptions=True)
        self.say("dengar demo stopped; everything collected is kept (run `dengar demo` again to go on)")
        return 0

    async def _announce_when_ready(self, settings: Settings, port: int, port_note: str | None,
                                   password: str | None, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + READY_WAIT_SECONDS
        while not stop.is_set() and loop.time() < deadline:
            try:
                _, writer = await asyncio.open_connection(LOOPBACK, port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            self._banner(settings, port, port_note, password)
            return

    def _banner(self, settings: Settings, port: int, port_note: str | None, password: str | None) -> None:
        url = f"http://127.0.0.1:{port}/"
        self.say()
        self.say("dengar demo is running." + (f" ({port_note})" if port_note else ""))
        self.say(f"  console    {url}")
        if password is not None:
            self._login_line(password)
        else:
            self.say(f"  login      {ACCOUNT}, with the password printed when {self.options.directory} was first set up "
                     f"(lost it? stop the demo, delete {self.options.directory} and start again)")
        self.say(f"  health     {url}healthz   metrics {url}metrics")
        sources = [s.name for s in settings.sources]
        self.say(f"  sources    {', '.join(sources)}: polled every minute from the local stand-ins")
        self.say(f"             {', '.join(ARCHIVE_SOURCES)}: {WHY_ARCHIVES}")
        self._where_to_look(settings)
        self.say(f"stop: Ctrl-C here, or `kill {os.getpid()}` (SIGTERM); run `dengar demo` again to go on")

    def _login_line(self, password: str) -> None:
        self.say(f"  login      {ACCOUNT} / {password}   (console admin; the password is shown only this once)")

    def _where_to_look(self, settings: Settings) -> None:
        from dengar.cli import _safe_url

        db = _safe_url(settings.database.url)
        self.say(f"  config     {self.options.config_path}")
        self.say(f"  database   {db}")
        self.say("look at it from another terminal (after `. .venv/bin/activate`):")
        self.say(f"  dengar sources --config {self.options.config_path} --db {db}")
        self.say(f"  dengar tickets --members --db {db}")
        self.say(f"  dengar export mentions --format csv -o mentions.csv --db {db}")


def cmd_demo(args: argparse.Namespace) -> int:
    from dengar.cli import CliError

    if args.config:
        raise CliError("the demo writes its own configuration into --dir; to run a configuration of yours use `dengar run --config PATH`")
    if not (SAMPLES_DIR / "twitter").is_dir():
        raise CliError(f"the bundled samples are not installed beside this copy of dengar ({SAMPLES_DIR} is missing): "
                       "run the demo from a clone of the repository (pip install -e .)")
    if not 0 <= args.port <= 65535:
        raise CliError(f"--port {args.port} is not a port number (0 picks a free one)")
    directory = Path(args.dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create the demo folder {directory}: {exc.strerror or exc}") from exc
    options = DemoOptions(directory, args.port, args.once, args.db)
    try:
        return asyncio.run(Demo(options, sys.stdout).run())
    except DemoError as exc:
        raise CliError(str(exc)) from exc


def add_demo_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Register `dengar demo` through the CLI's own ``command`` helper."""
    p = command("demo", cmd_demo, "run everything locally against stand-ins of the channels serving the samples",
                DEMO_HELP)
    p.add_argument("--dir", default=DEFAULT_DIR, help=f"folder for the demo's configuration and database (default: ./{DEFAULT_DIR})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"console port on 127.0.0.1 (default: {DEFAULT_PORT}; a busy port is replaced by a free one; 0: any free port)")
    p.add_argument("--once", action="store_true", help="one pass of every source, print a summary per source, exit")


__all__ = ["DemoOptions", "add_demo_command", "cmd_demo", "console_port", "ensure_account", "import_archives"]

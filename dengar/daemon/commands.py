"""`dengar run`, `dengar collect`, `dengar sources`, `dengar config check`: the daemon's command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

RUN_HELP = """\
Collect every enabled source of the configuration on its own schedule until stopped (SIGTERM or
Ctrl-C: the open transaction finishes, cursors stay where the stored data ends, exit within seconds).

Each source polls every `interval` seconds (± `jitter`); failures back off by kind: a rate limit
waits until the time the service gave, a block ("please wait", login required) until its time or
about 30 minutes, a 5xx or network error retries with growing random waits up to 15 minutes, bad
credentials or a missing URL ("failed") retry hourly or at the next start. A source that usually
brings news and has brought none for `silence_factor` usual gaps is reported silent.

Serves /healthz and /metrics (Prometheus) beside the console when [console] enabled = true,
else on their own at [console] host:port. Several `dengar run` on one PostgreSQL share the work:
each source is leased to one process at a time ([daemon] lease_seconds).

examples:
  dengar run --config /etc/dengar/dengar.toml
  dengar run --port 9100 --no-console      health and metrics only, on port 9100
"""

COLLECT_HELP = """\
Run one source now, outside the daemon's schedule (it takes the source's lease, so a running
daemon and this command never collect the same source at once).

  --once           one run from the stored cursor, then exit (0: done; 1: the source failed or is
                   leased elsewhere; 3: the database went away)
  --since DATE     backfill after an outage: ask the source for messages since DATE as far as the
                   channel allows; what is already stored is not stored again
  without --once   keep collecting this one source on its schedule until stopped

examples:
  dengar collect rss-warga --once
  dengar collect x-dki --once --since 2026-11-01T00:00+07:00
"""

SOURCES_HELP = """\
Each configured source: state (ok, backing off, rate-limited, blocked, failed, silent, disabled),
last success, last error, next attempt, lease holder, cursor, and raw items stored in the last
hour and day. "silent" means ok but quiet for much longer than its usual gap (see silence_factor).
"""

STATE_WORDS = {"backing_off": "backing off", "rate_limited": "rate-limited"}
PG_CONNECT_TIMEOUT_SECONDS = "10"


def _cli() -> Any:
    import dengar.cli as cli

    return cli


def _with_timeouts(url: str) -> str:
    """A PostgreSQL URL that gives up connecting after a few seconds (libpq waits forever by default)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or "connect_timeout" in parsed.query:
        return url
    return parsed.update_query_dict({"connect_timeout": PG_CONNECT_TIMEOUT_SECONDS}).render_as_string(hide_password=False)


def _open(args: argparse.Namespace) -> tuple[Any, Any]:
    from sqlalchemy.exc import OperationalError

    from dengar.app import database

    cli = _cli()
    settings = cli._settings(args)
    settings.database.url = _with_timeouts(settings.database.url)
    try:
        return settings, database(settings)
    except OperationalError as exc:
        raise cli.CliError(f"cannot open the database {cli._safe_url(settings.database.url)}: {exc.orig} "
                           "— check --db / DENGAR_DATABASE_URL") from exc


def _daemon_logging(args: argparse.Namespace) -> None:
    if not args.quiet:
        logging.getLogger("dengar").setLevel(logging.DEBUG if args.verbose else logging.INFO)


# ---- run -------------------------------------------------------------------------------------------

def cmd_run(args: argparse.Namespace) -> int:
    from dengar.app import build_pipeline
    from dengar.daemon.daemon import Daemon

    _daemon_logging(args)
    settings, engine = _open(args)
    if args.no_console:
        settings.console.enabled = False
    daemon = Daemon(settings, engine, build_pipeline(settings, engine), os.environ)
    asyncio.run(_serve(daemon, None if args.no_web else args.host or settings.console.host,
                       args.port if args.port is not None else settings.console.port))
    return 0


async def _serve(daemon: Any, host: str | None, port: int) -> None:
    from dengar.daemon.daemon import install_signal_handlers, web_app_for

    stop = asyncio.Event()
    install_signal_handlers(stop)
    app = web_app_for(daemon) if host is not None else None
    await daemon.serve(stop, app, host or "127.0.0.1", port)


# ---- collect ---------------------------------------------------------------------------------------

def cmd_collect(args: argparse.Namespace) -> int:
    from dengar.app import build_pipeline
    from dengar.daemon.source_check import check_source

    cli = _cli()
    since = cli._parse_since(args.since)
    if since is not None and not args.once:
        raise cli.CliError("--since is for one backfill run: add --once")
    settings, engine = _open(args)
    source = next((s for s in settings.sources if s.name == args.source), None)
    if source is None:
        names = ", ".join(s.name for s in settings.sources) or "none"
        raise cli.CliError(f"no source named {args.source!r} in {settings.config_path} (configured: {names})")
    check = check_source(source, os.environ)
    if check.verdict in ("invalid", "unusable"):
        raise cli.CliError(check.problem)
    _daemon_logging(args)
    pipeline = build_pipeline(settings, engine)
    if not args.once:
        from dengar.daemon.daemon import Daemon

        if not source.enabled:
            raise cli.CliError(f"source {source.name!r} is disabled in the configuration; use --once for one run")
        settings.console.enabled = False
        daemon = Daemon(settings, engine, pipeline, os.environ, only={source.name})
        asyncio.run(_serve(daemon, None, 0))
        return 0
    if not source.enabled:
        print(f"note: {source.name} is disabled in the configuration; running it once as asked", file=sys.stderr)
    return asyncio.run(_collect_once(settings, engine, pipeline, source, since))


async def _collect_once(settings: Any, engine: Any, pipeline: Any, source: Any, since: datetime | None) -> int:
    from dengar.daemon.daemon import default_owner
    from dengar.daemon.metrics import DaemonMetrics
    from dengar.daemon.runner import SourceRunner
    from dengar.daemon.source_check import build_source_collector
    from dengar.daemon.writer import ProcessingLease, Writer
    from sink.source_state import all_states

    metrics = DaemonMetrics()
    owner = settings.daemon.instance or default_owner()
    writer = Writer(pipeline, metrics, queue_size=2, give_up_after=5,
                    processing=ProcessingLease(engine, owner, timedelta(seconds=settings.daemon.lease_seconds)))
    collector = build_source_collector(source, os.environ, {"config_dir": settings.config_path.parent if settings.config_path else None})
    runner = SourceRunner(source, type(collector).channel, collector, writer, engine, metrics,
                          owner, settings.daemon.lease_seconds, random.Random())
    runner.raise_database_errors = True
    writer.start()
    try:
        report = await runner.run_once(since)
    finally:
        try:
            await runner.release()
        finally:
            await writer.stop()
            await collector.aclose()
    if report.leased_elsewhere:
        holder = all_states(engine).get(source.name)
        until = holder.lease_expires.isoformat(timespec="seconds") if holder and holder.lease_expires else "?"
        print(f"{source.name} is being collected by {holder.lease_owner if holder else 'another process'} "
              f"(lease until {until}); stop that process or try again later", file=sys.stderr)
        return 1
    counts = report.counts
    total = {name: sum(getattr(counts, name).values()) for name in ("read", "new", "known", "quarantined", "ticketed")}
    print(f"{source.name}: {report.batches} batches, {total['read']} items collected: {total['new']} new, "
          f"{total['known']} already stored, {total['quarantined']} quarantined, {total['ticketed']} ticketed"
          + (f", {report.dropped} dropped on purpose" if report.dropped else ""), file=sys.stderr)
    if report.error is not None:
        when = runner.status.next_attempt_at
        print(f"{source.name} stopped: {report.error.kind}: {report.error.reason}"
              + (f" (the daemon would try again at {when.isoformat(timespec='seconds')})" if when else "")
              + "; what was collected before is stored", file=sys.stderr)
        return 1
    return 0


# ---- sources ---------------------------------------------------------------------------------------

def source_rows(settings: Any, engine: Any, now: datetime) -> list[dict[str, Any]]:
    """What `dengar sources` shows, as plain data (the console can show the same)."""
    from dengar.daemon import silence
    from sink.source_state import all_states, items_stored_since

    states = all_states(engine)
    last_hour = items_stored_since(engine, now - timedelta(hours=1))
    last_day = items_stored_since(engine, now - timedelta(days=1))
    configured = {s.name: s for s in settings.sources}
    rows = []
    others = sorted(name for name in set(states) - set(configured) if not name.startswith("~"))  # ~: not a source
    for name in list(configured) + others:
        source, stored = configured.get(name), states.get(name)
        state = stored.state if stored else "not run yet"
        verdict = None
        if source is not None and not source.enabled:
            state = "disabled"
        elif stored is not None and stored.state == "ok":
            verdict = silence.judge(silence.recent_stored_at(engine, name), now, source.silence_factor if source else silence.DEFAULT_FACTOR,
                                    source.silence_min if source else silence.DEFAULT_MIN_SILENCE, source.interval if source else 0)
            if verdict.silent:
                state = "silent"
        leased = stored is not None and stored.lease_owner and stored.lease_expires and stored.lease_expires > now
        rows.append({
            "name": name,
            "type": source.type if source else (stored.channel if stored else "?"),
            "configured": source is not None,
            "state": state,
            "silence": verdict.describe() if verdict and verdict.silent else None,
            "last_success": _iso(stored.last_success if stored else None),
            "last_error": stored.last_error if stored else None,
            "last_error_at": _iso(stored.last_error_at if stored else None),
            "next_attempt_at": _iso(stored.next_attempt_at if stored else None),
            "lease_owner": stored.lease_owner if leased and stored else None,
            "cursor": stored.cursor if stored else {},
            "items_last_hour": last_hour.get(name, 0),
            "items_last_day": last_day.get(name, 0),
        })
    return rows


def _iso(when: datetime | None) -> str | None:
    return when.astimezone(timezone.utc).isoformat(timespec="seconds") if when else None


def _ago(iso: str | None, now: datetime) -> str:
    if iso is None:
        return "never"
    seconds = (now - datetime.fromisoformat(iso)).total_seconds()
    if seconds < 120:
        return f"{seconds:.0f} s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h ago"
    return f"{seconds / 86400:.1f} d ago"


def cmd_sources(args: argparse.Namespace) -> int:
    settings, engine = _open(args)
    now = datetime.now(timezone.utc)
    rows = source_rows(settings, engine, now)
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False, default=str))
        return 0
    if not rows:
        print("no sources configured: add [[sources]] to the configuration (see `dengar run --help`)", file=sys.stderr)
        return 0
    width = max(len(r["name"]) for r in rows)
    for row in rows:
        state = STATE_WORDS.get(row["state"], row["state"])
        print(f"{row['name']:<{width}}  {row['type']:<9} {state:<13} last success {_ago(row['last_success'], now):<12} "
              f"items: {row['items_last_hour']} last hour, {row['items_last_day']} last day"
              + ("" if row["configured"] else "  (no longer in the configuration)"))
        if row["silence"]:
            print(f"{'':<{width}}  silent: {row['silence']}")
        if row["last_error"] and row["state"] != "ok":
            print(f"{'':<{width}}  last error ({_ago(row['last_error_at'], now)}): {row['last_error'][:300]}")
        if row["next_attempt_at"] and row["state"] not in ("ok", "silent", "disabled"):
            print(f"{'':<{width}}  next attempt: {row['next_attempt_at']}")
        if row["lease_owner"]:
            print(f"{'':<{width}}  collected by: {row['lease_owner']}")
        if row["cursor"]:
            cursor = json.dumps(row["cursor"], ensure_ascii=False, sort_keys=True, default=str)
            print(f"{'':<{width}}  cursor: {cursor if len(cursor) <= 200 else cursor[:199] + '…'}")
    return 0


# ---- config check ----------------------------------------------------------------------------------

def cmd_config_check(args: argparse.Namespace) -> int:
    from dengar.daemon.source_check import check_sources

    cli = _cli()
    settings = cli._settings(args)
    checks = check_sources(settings, os.environ)
    broken = [c for c in checks if c.verdict in ("invalid", "unusable")]
    for check in checks:
        line = {"ok": "ok", "disabled": check.problem}.get(check.verdict, check.problem)
        print(f"  {check.name} ({check.source.type}): {line}")
    enabled = sum(c.verdict == "ok" for c in checks)
    from dengar.delivery.setup import check_crm

    crm = check_crm(settings.crm, os.environ)
    print(f"  CRM delivery: {crm.message}")
    if crm.verdict == "unusable":
        print(f"configuration {settings.config_path}: CRM delivery cannot run — fix the [crm] field named above",
              file=sys.stderr)
        return 2
    if broken:
        print(f"configuration {settings.config_path}: {len(broken)} of {len(checks)} sources cannot run — "
              "fix the fields named above (secrets: export the environment variables they name)", file=sys.stderr)
        return 2
    print(f"configuration {settings.config_path} is valid: database {cli._safe_url(settings.database.url)}, "
          f"{len(checks)} sources ({enabled} enabled)")
    return 0


# ---- registration ----------------------------------------------------------------------------------

def add_daemon_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Register run, collect and sources through the CLI's own ``command`` helper."""
    p = command("run", cmd_run, "collect every enabled source on its schedule (the daemon), with /healthz and /metrics",
                RUN_HELP)
    p.add_argument("--host", help="address for the console, /healthz and /metrics (default: [console] host)")
    p.add_argument("--port", type=int, help="port for them (default: [console] port; 0 picks a free one)")
    p.add_argument("--no-console", action="store_true", help="serve only /healthz and /metrics, not the console")
    p.add_argument("--no-web", action="store_true", help="serve nothing over HTTP")

    p = command("collect", cmd_collect, "run one source now (--once), e.g. to backfill after an outage (--since)",
                COLLECT_HELP)
    p.add_argument("source", metavar="SOURCE", help="the source's name in the configuration")
    p.add_argument("--once", action="store_true", help="one run, then exit")
    p.add_argument("--since", metavar="DATE", help="backfill from DATE (ISO 8601; UTC unless a zone is given)")

    p = command("sources", cmd_sources, "state of each source: health, last success and error, cursor, volume",
                SOURCES_HELP)
    p.add_argument("--json", action="store_true", help="one JSON object per source and line")


__all__ = ["add_daemon_commands", "cmd_collect", "cmd_config_check", "cmd_run", "cmd_sources", "source_rows"]

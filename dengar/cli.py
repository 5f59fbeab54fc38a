"""The `dengar` command line."""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from collectors.types import CHANNELS

DESCRIPTION = """\
dengar listens to citizens where they complain (X, Instagram, e-mail, feeds, Open311, Qlue)
and turns their messages into de-duplicated complaint tickets.

Every command takes --db URL (or DENGAR_DATABASE_URL; default: a SQLite file dengar.db here,
created on first use) and --config PATH (or DENGAR_CONFIG; default: the bundled config).
"""

EPILOG = """\
examples:
  dengar import samples/                  import every archive under a folder
  dengar import tweets.jsonl --channel twitter
  dengar tickets                          the merged tickets, newest first
  dengar export mentions --format jsonl > mentions.jsonl
  dengar merge 12 7                       put ticket 12's messages into ticket 7
  dengar reprocess                        re-derive everything after a rule change
"""


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


def _settings(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from dengar.settings import ConfigError, load_settings

    try:
        return load_settings(args.config, args.db)
    except ConfigError as exc:
        raise CliError(str(exc)) from exc


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    from dengar.app import database

    settings = _settings(args)
    try:
        return settings, database(settings)
    except OperationalError as exc:
        raise CliError(f"cannot open the database {_safe_url(settings.database.url)}: {exc.orig} — check --db / DENGAR_DATABASE_URL") from exc


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _progress(total_bytes: int, enabled: bool):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    return tqdm(total=total_bytes, unit="B", unit_scale=True, disable=not enabled, file=sys.stderr,
                desc="importing", dynamic_ncols=True)


def cmd_import(args: argparse.Namespace) -> int:
    from collectors.archive import iter_files
    from dengar.app import archive_readers, build_pipeline
    from dengar.importer import FileReport, archive_items
    from dengar.pipeline import IngestCounts

    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CliError(f"no such file or folder: {', '.join(missing)}")
    settings, engine = _engine(args)
    pipeline = build_pipeline(settings, engine)
    report = FileReport()
    files = list(iter_files(paths))
    bar = _progress(sum(f.stat().st_size for f in files if f.is_file()), enabled=sys.stderr.isatty() and not args.quiet)
    seen: IngestCounts = IngestCounts()

    def file_done(path: Path) -> None:
        bar.update(path.stat().st_size)

    def batch_done(counts: IngestCounts) -> None:
        seen.add(counts)
        bar.set_postfix(items=sum(seen.read.values()), new=sum(seen.new.values()), refresh=False)

    items = archive_items(paths, args.source, report, channel=args.channel, readers=archive_readers(settings),
                          on_file_done=file_done)
    with bar:
        counts = pipeline.ingest(items, batch_size=args.batch_size, on_batch=batch_done)
    _print_import_summary(report, counts, args.verbose)
    if not report.anything_read and not any(counts.read.values()):
        print("nothing could be read: no file was in a known archive format (see the skipped files above)", file=sys.stderr)
        return 1
    return 0


def _print_import_summary(report, counts, verbose: bool) -> None:  # type: ignore[no-untyped-def]
    out = sys.stderr
    for path, reason in report.skipped[: None if verbose else 20]:
        print(f"skipped {path}: {reason}", file=out)
    if len(report.skipped) > 20 and not verbose:
        print(f"... and {len(report.skipped) - 20} more skipped (use -v to list all)", file=out)
    for path, error, count in report.failed:
        print(f"stopped reading {path} after {count} items: {error}", file=out)
    channels = sorted(counts.read)
    print(f"{'channel':<10} {'read':>8} {'new':>8} {'known':>8} {'quarantined':>12} {'ticketed':>9}", file=out)
    for channel in channels:
        print(f"{channel:<10} {counts.read[channel]:>8} {counts.new[channel]:>8} {counts.known[channel]:>8} "
              f"{counts.quarantined[channel]:>12} {counts.ticketed[channel]:>9}", file=out)
    total = {name: sum(getattr(counts, name).values()) for name in ("read", "new", "known", "quarantined", "ticketed")}
    print(f"{'total':<10} {total['read']:>8} {total['new']:>8} {total['known']:>8} {total['quarantined']:>12} {total['ticketed']:>9}", file=out)
    print(f"{len(report.recognised) + len(report.failed)} files read, {len(report.skipped)} skipped", file=out)
    if total["quarantined"]:
        print("quarantined items keep their reason: `dengar quarantine` lists them, `dengar reprocess --quarantined` retries", file=out)


def _parse_since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise CliError(f"--since {value!r} is not a date: use e.g. 2026-10-01 or 2026-10-01T08:00+07:00") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        elif isinstance(value, list):
            flat[f"{prefix}{key}"] = ";".join(str(v) for v in value)
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _write_records(records: Iterator[dict[str, Any]], fmt: str, out: TextIO) -> int:
    count = 0
    writer = None
    for record in records:
        if fmt == "jsonl":
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            flat = _flatten(record)
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(flat))
                writer.writeheader()
            writer.writerow(flat)
        count += 1
    return count


def cmd_export(args: argparse.Namespace) -> int:
    from sink.export import iter_mentions, iter_tickets

    _, engine = _engine(args)
    since = _parse_since(args.since)
    records = iter_mentions(engine, since) if args.what == "mentions" else iter_tickets(engine, since)
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        count = _write_records(records, args.format, out)
    finally:
        if args.output:
            out.close()
    print(f"exported {count} {args.what}", file=sys.stderr)
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    from dengar.app import build_pipeline
    from sink.one_transaction import OneTransaction
    from sink.reprocess import reprocess

    settings, engine = _engine(args)
    if args.quarantined:
        counts = build_pipeline(settings, engine).process_pending(states=("quarantined",))
        fixed = sum(counts.ticketed.values())
        still = sum(counts.quarantined.values())
        print(f"retried quarantined items: {still} still quarantined, {fixed} now ticketed", file=sys.stderr)
        return 0
    pipeline = build_pipeline(settings, engine)
    # One transaction: a crash half-way leaves the old tickets, and the operators' work on them, intact.
    with engine.begin() as connection:
        result = reprocess(connection, lambda c: pipeline.within(OneTransaction(c)).process_pending())
    counts, state = result.rederived, result.operator_state
    print(f"reprocessed {result.raw_items} raw items: {sum(counts.ticketed.values())} ticketed, "
          f"{sum(counts.quarantined.values())} quarantined; {result.replayed} operator decisions replayed; "
          f"operator work re-attached to {state.reattached} tickets", file=sys.stderr)
    for lost in state.collisions:
        print(f"warning: ticket {lost['ticket']}'s status and edits gave way to ticket {lost['kept']}'s on ticket {lost['now']} "
              "(their messages now form one ticket; the audit log's reprocess entry keeps both)", file=sys.stderr)
    for orphan in state.orphaned:
        print(f"warning: the messages of ticket {orphan['ticket']} form no ticket any more; its status and edits are in the "
              "audit log's reprocess entry, its history and outbox rows are kept detached", file=sys.stderr)
    if state.detached_outbox:
        print(f"warning: outbox rows {', '.join(map(str, sorted(state.detached_outbox)))} belong to no ticket now; kept, not deleted",
              file=sys.stderr)
    return 0


def cmd_tickets(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from sink.models import MentionRow, TicketRow

    _, engine = _engine(args)
    tickets, mentions = TicketRow.__table__, MentionRow.__table__
    statement = select(tickets).where(tickets.c.merged_into.is_(None)).order_by(tickets.c.member_count.desc(), tickets.c.last_seen.desc())
    if not args.all:
        statement = statement.where(tickets.c.member_count > 1)
    with engine.connect() as connection:
        rows = connection.execute(statement.limit(args.limit)).all()
        for row in rows:
            place = row.kelurahan or row.kecamatan or row.kota or "?"
            print(f"#{row.id:<5} {row.category:<16} {place:<22} {row.member_count:>3} reports  {','.join(row.channels or ())}  {row.status}")
            print(f"       {_one_line(row.title, 110)}")
            if args.members:
                for member in connection.execute(
                    select(mentions.c.channel, mentions.c.author_handle, mentions.c.author_name, mentions.c.text)
                    .where(mentions.c.ticket_id == row.id).order_by(mentions.c.created_at)
                ):
                    who = member.author_handle or member.author_name or "?"
                    print(f"         - [{member.channel}] {who}: {_one_line(member.text, 100)}")
    if not rows:
        print("no tickets yet" + ("" if args.all else " with more than one report (use --all)"), file=sys.stderr)
    return 0


def _one_line(text: str, width: int) -> str:
    folded = " ".join(text.split())
    return folded if len(folded) <= width else folded[: width - 1] + "…"


def cmd_quarantine(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from sink.models import QuarantineRow

    _, engine = _engine(args)
    table = QuarantineRow.__table__
    with engine.connect() as connection:
        rows = connection.execute(select(table).order_by(table.c.id).limit(args.limit)).all()
    for row in rows:
        print(f"{row.channel}:{row.external_id}  [{row.stage}, {row.attempts}x]  {row.error}")
    print(f"{len(rows)} quarantined items shown", file=sys.stderr)
    return 0


def _operator_action(args: argparse.Namespace, action: Callable[[Any], str]) -> int:
    from sink.operator import OperatorError

    _, engine = _engine(args)
    try:
        with engine.begin() as connection:
            print(action(connection))
    except OperatorError as exc:
        raise CliError(str(exc)) from exc
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from sink.operator import merge_tickets

    return _operator_action(args, lambda c: f"merged ticket {args.source} into {args.target} "
                            f"(decision {merge_tickets(c, args.source, args.target, args.actor)}; undo with `dengar undo` and that number)")


def cmd_split(args: argparse.Namespace) -> int:
    from sink.operator import split_mention

    channel, _, external_id = args.message.partition(":")
    if not external_id or channel not in CHANNELS:
        raise CliError(f"name the message as CHANNEL:EXTERNAL_ID, e.g. twitter:1712345678901234567 (channels: {', '.join(CHANNELS)})")

    def split(connection: Any) -> str:
        decision, ticket = split_mention(connection, channel, external_id, args.actor)
        return f"moved {args.message} to new ticket {ticket} (decision {decision})"

    return _operator_action(args, split)


def cmd_undo(args: argparse.Namespace) -> int:
    from sink.operator import undo

    return _operator_action(args, lambda c: f"undone (decision {undo(c, args.decision, args.actor)})")


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from sink.database import current_revision

    settings, engine = _engine(args)  # opening upgrades
    print(f"{_safe_url(settings.database.url)} is at schema revision {current_revision(engine)}")
    return 0


def cmd_config_check(args: argparse.Namespace) -> int:
    from dengar.daemon.commands import cmd_config_check as check_with_sources

    return check_with_sources(args)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="database URL (default: DENGAR_DATABASE_URL, else the config's, else sqlite:///dengar.db)")
    common.add_argument("--config", metavar="PATH", help="configuration file (default: DENGAR_CONFIG, else the bundled config/dengar.toml)")
    common.add_argument("-v", "--verbose", action="store_true", help="say more")
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    parser = argparse.ArgumentParser(prog="dengar", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, handler: Callable[[argparse.Namespace], int], help_text: str, description: str | None = None) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=description or help_text,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.set_defaults(handler=handler)
        return sub

    # The order of `dengar --help`: start here (demo), run it (daemon, console), then the tools.
    from dengar.demo import add_demo_command

    add_demo_command(command)

    from dengar.daemon.commands import add_daemon_commands

    add_daemon_commands(command)

    from dengar.console.commands import register as register_console_commands

    register_console_commands(commands, common)

    p = command("import", cmd_import, "import channel archives (files or folders)",
                "Import archives: twarc2 or flattened tweet JSONL, instaloader metadata (*.json, *.json.xz, *_comments.json),\n"
                "mbox / Maildir / .eml, RSS / Atom / RDF / JSON Feed, Open311 requests.json / .xml, Qlue report JSON.\n"
                "Folders are walked recursively; the format of each file is recognised from its content.\n"
                "Re-importing the same archive adds nothing.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--channel", choices=CHANNELS, help="read every file as this channel's archive (skip the others)")
    p.add_argument("--source", default="import", help="source name recorded with each item (default: import)")
    p.add_argument("--batch-size", type=int, default=2000, help=argparse.SUPPRESS)

    p = command("export", cmd_export, "export mentions or tickets as JSON lines or CSV")
    p.add_argument("what", choices=("mentions", "tickets"))
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("--since", metavar="DATE", help="only messages created (tickets active) since DATE (ISO 8601; UTC unless a zone is given)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    p = command("reprocess", cmd_reprocess, "re-run normalize + dedup from the raw store",
                "Re-derive mentions and tickets from the stored raw items (after a rule, taxonomy or gazetteer change),\n"
                "with the same result as a fresh import; operators' merges and splits are replayed.")
    p.add_argument("--quarantined", action="store_true", help="only retry the quarantined items")

    p = command("tickets", cmd_tickets, "list merged tickets, most reported first")
    p.add_argument("--all", action="store_true", help="include tickets with a single report")
    p.add_argument("--members", action="store_true", help="show each ticket's messages")
    p.add_argument("--limit", type=int, default=30)

    p = command("quarantine", cmd_quarantine, "list quarantined items with their reasons")
    p.add_argument("--limit", type=int, default=100)

    p = command("merge", cmd_merge, "merge ticket SOURCE into ticket TARGET (an operator decision, kept by reprocess)")
    p.add_argument("source", type=int)
    p.add_argument("target", type=int)
    p.add_argument("--actor", default="cli", help="who decides (recorded in the audit log)")

    p = command("split", cmd_split, "move one message (CHANNEL:EXTERNAL_ID) out of its ticket into a new one")
    p.add_argument("message")
    p.add_argument("--actor", default="cli", help="who decides (recorded in the audit log)")

    p = command("undo", cmd_undo, "undo a merge or split by its decision number")
    p.add_argument("decision", type=int)
    p.add_argument("--actor", default="cli", help="who decides (recorded in the audit log)")

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db_command", metavar="ACTION", required=True)
    sub = db.add_parser("upgrade", parents=[common], help="bring the schema to the current version (commands do it on first use too)")
    sub.set_defaults(handler=cmd_db_upgrade)

    from dengar.delivery.commands import add_outbox_command

    add_outbox_command(command)

    config = commands.add_parser("config", help="configuration").add_subparsers(dest="config_command", metavar="ACTION", required=True)
    sub = config.add_parser("check", parents=[common], help="validate the configuration file and say what it sets up")
    sub.set_defaults(handler=cmd_config_check)

    return parser


SQLITE_UNAVAILABLE = ("database is locked", "unable to open", "disk i/o error", "database or disk is full", "readonly database")


def _database_went_away(exc: BaseException) -> bool:
    """Driver errors that mean the database is unreachable, not a bug in a statement."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    if isinstance(exc.orig, sqlite3.OperationalError):
        return any(marker in str(exc.orig).lower() for marker in SQLITE_UNAVAILABLE)
    try:
        import psycopg
    except ImportError:
        return False
    return isinstance(exc.orig, psycopg.OperationalError)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from sqlalchemy.exc import DBAPIError

    from dengar.settings import ConfigError

    try:
        return args.handler(args)
    except (CliError, ConfigError) as exc:
        print(f"dengar {args.command}: {exc}", file=sys.stderr)
        return 2
    except DBAPIError as exc:
        if not _database_went_away(exc):
            raise
        print(f"dengar {args.command}: lost the database ({exc.orig}); what was committed is kept — "
              "run the same command again once the database is back", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted; what was committed is kept, run the command again to go on", file=sys.stderr)
        return 130

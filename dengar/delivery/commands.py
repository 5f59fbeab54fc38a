"""`dengar outbox`: the forwarded tickets and their delivery state; deliver the due ones once; retry a failed one."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

OUTBOX_HELP = """\
Every ticket forwarded to the CRM, newest first, with its state: queued, retrying (an attempt
failed; the next one is scheduled), sending (claimed by a running process), delivered (with the
CRM's service_request_id or token) or failed (gave up after [crm] max_attempts; the CRM's last
message is shown). `dengar run` delivers due rows on its own every [crm] poll_interval seconds.

  --deliver-once   deliver the rows that are due now, once, then exit (1 when an attempt failed)
  --retry ID       make a failed row due again (after fixing its cause), with a fresh count of attempts

An Open311 row that may already have reached the CRM (a timeout, a 5xx, a crash mid-send) is
first looked up by its reference before it is sent again; a webhook gets an Idempotency-Key.
"""


def _row(entry: Any, now: datetime) -> dict[str, Any]:
    return {
        "id": entry.id,
        "ticket_id": entry.ticket_id,
        "state": entry.state(now),
        "attempts": entry.attempts,
        "idempotency_key": entry.idempotency_key,
        "crm_request_id": entry.crm_request_id,
        "crm_token": entry.crm_token,
        "last_outcome": entry.last_outcome,
        "last_error": entry.last_error,
        "next_attempt_at": entry.next_attempt_at.isoformat(timespec="seconds") if entry.next_attempt_at and entry.state(now) in ("queued", "retrying") else None,
        "delivered_at": entry.delivered_at.isoformat(timespec="seconds") if entry.delivered_at else None,
        "failed_at": entry.failed_at.isoformat(timespec="seconds") if entry.failed_at else None,
    }


def _print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return
    if not rows:
        print("the outbox is empty: no ticket has been forwarded to the CRM", file=sys.stderr)
        return
    for row in rows:
        ticket = f"ticket {row['ticket_id']}" if row["ticket_id"] is not None else "no ticket (detached)"
        line = f"#{row['id']:<5} {ticket:<14} {row['state']:<10} attempts {row['attempts']}"
        if row["crm_request_id"] or row["crm_token"]:
            line += f"  CRM {'request ' + row['crm_request_id'] if row['crm_request_id'] else 'token ' + str(row['crm_token'])}"
        if row["next_attempt_at"]:
            line += f"  next {row['next_attempt_at']}"
        print(line)
        if row["last_error"] and row["state"] != "delivered":
            print(f"       last error: {row['last_error'][:400]}")


def cmd_outbox(args: argparse.Namespace) -> int:
    import dengar.cli as cli
    from dengar.daemon.commands import _open
    from sink.outbox import list_entries, retry_failed

    settings, engine = _open(args)
    status = 0
    if args.retry is not None:
        if not retry_failed(engine, args.retry):
            raise cli.CliError(f"outbox row {args.retry} is not a failed row (see `dengar outbox`)")
        print(f"outbox row {args.retry} is due again", file=sys.stderr)
    if args.deliver_once:
        status = asyncio.run(_deliver_once(settings, engine, cli))
    now = datetime.now(timezone.utc)
    _print_rows([_row(entry, now) for entry in list_entries(engine, args.limit)], args.json)
    return status


async def _deliver_once(settings: Any, engine: Any, cli: Any) -> int:
    from dengar.daemon.daemon import default_owner
    from dengar.delivery.deliverer import Deliverer
    from dengar.delivery.setup import build_client

    if not settings.crm.enabled:
        raise cli.CliError("[crm] is not enabled in the configuration: set enabled = true, kind and url")
    client = build_client(settings.crm, os.environ)
    deliverer = Deliverer(engine, client, settings.crm, settings.daemon.instance or default_owner())
    try:
        report = await deliverer.deliver_due(limit=1000)
    finally:
        await client.aclose()
    delivered = report.count("delivered") + report.count("found")
    busy = report.count("busy")
    failed = len(report.outcomes) - delivered - busy
    print(f"delivered {delivered} of {len(report.outcomes)} due rows to the {client.describe()}"
          + (f"; {failed} attempts failed" if failed else "") + (f"; {busy} held by another process" if busy else ""),
          file=sys.stderr)
    return 1 if failed else 0


def add_outbox_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("outbox", cmd_outbox, "tickets forwarded to the CRM and their delivery; deliver due ones once",
                OUTBOX_HELP)
    p.add_argument("--deliver-once", action="store_true", help="deliver the due rows now, once")
    p.add_argument("--retry", type=int, metavar="ID", help="make a failed row due again")
    p.add_argument("--limit", type=int, default=100, help="rows to list (default 100)")
    p.add_argument("--json", action="store_true", help="one JSON object per row and line")


__all__ = ["add_outbox_command", "cmd_outbox"]

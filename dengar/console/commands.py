"""`dengar user add` and `dengar console`: the console's command-line side."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from sink.accounts import ROLES, AccountError, create_operator


class CommandError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback."""


def read_password(stdin=None) -> str:  # type: ignore[no-untyped-def]
    """Asked twice on a terminal; otherwise one line of standard input (for scripts)."""
    stdin = stdin if stdin is not None else sys.stdin
    if stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise CommandError("the two passwords differ")
        return first
    return stdin.readline().rstrip("\r\n")


def add_user(engine, username: str, role: str, password: str, actor: str = "cli") -> int:  # type: ignore[no-untyped-def]
    try:
        with engine.begin() as connection:
            return create_operator(connection, username, password, role, actor=actor)
    except AccountError as exc:
        raise CommandError(str(exc)) from exc


async def serve_console(app, host: str, port: int) -> None:  # type: ignore[no-untyped-def]
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    from aiohttp import web

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    print(f"console on http://{host}:{port}/ (Ctrl-C stops it)", file=sys.stderr)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def register(commands, common: argparse.ArgumentParser) -> None:  # type: ignore[no-untyped-def]
    """Add `dengar console` and `dengar user add` to the command line (``common``: --db, --config, ...)."""
    p = commands.add_parser("console", parents=[common], help="serve the operator console alone (without collecting)")
    p.set_defaults(handler=cmd_console)
    p.add_argument("--host", help="address to listen on (default: [console] host, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: [console] port, 8080)")
    p.add_argument("--secure-cookies", action="store_true", help="mark cookies Secure (when served over HTTPS by a proxy)")

    user = commands.add_parser("user", help="console accounts").add_subparsers(dest="user_command", metavar="ACTION", required=True)
    sub = user.add_parser("add", parents=[common],
                          help="create a console account (password asked on a terminal, else one line of standard input)")
    sub.set_defaults(handler=cmd_user_add)
    sub.add_argument("username")
    sub.add_argument("--role", choices=ROLES, required=True,
                     help="admin: everything; operator: triage tickets; social: mentions monitor; viewer: read only")


def cmd_user_add(args: argparse.Namespace) -> int:
    from dengar.cli import CliError, _engine

    _, engine = _engine(args)
    try:
        password = read_password()
        add_user(engine, args.username, args.role, password)
    except CommandError as exc:
        raise CliError(str(exc)) from exc
    print(f"created {args.role} account {args.username.strip().lower()!r}", file=sys.stderr)
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from dengar.cli import _engine
    from dengar.console.app import create_console_app

    settings, engine = _engine(args)
    host = args.host or settings.console.host
    port = args.port or settings.console.port
    app = create_console_app(engine, settings, secure_cookies=args.secure_cookies)
    try:
        asyncio.run(serve_console(app, host, port))
    except KeyboardInterrupt:
        pass
    return 0

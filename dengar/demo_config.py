"""The demo's configuration file: an ordinary dengar.toml whose sources point at the stand-ins.

It is written out (not kept in memory) so a user can read how a real deployment is configured and
start from it; it is rewritten at each start because the stand-ins' ports change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from dengar.demo_standins import DemoEndpoints

X_TOKEN_ENV = "DENGAR_DEMO_X_BEARER_TOKEN"
IMAP_PASSWORD_ENV = "DENGAR_DEMO_IMAP_PASSWORD"
DEMO_INSTANCE = "dengar-demo"  # the lease owner of every demo process
POLL_SECONDS = 60  # the stand-ins are local: polling them often costs nothing

HEADER = """\
# Written by `dengar demo` at each start; edits are overwritten.
# The [[sources]] point at local stand-ins of the services that run only inside the demo process
# (their ports change at each start). A real deployment lists the same kinds of sources with the
# services' own URLs; see `dengar run --help` and `dengar config check`.
# The X bearer token and the IMAP password are read from the environment variables named by
# bearer_token_env and password_env; the demo sets them in its own process only.
# Instagram is not here: the demo imports its sample archive instead (instaloader's Instagram hosts
# are built into it, so no local stand-in can take their place).
"""


def toml_value(value: Any) -> str:
    """A TOML literal for the plain values this file holds (JSON strings are valid TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def demo_sources(endpoints: DemoEndpoints) -> list[dict[str, Any]]:
    """The demo's [[sources]], in the order the demo runs them."""
    sources: list[dict[str, Any]] = [{
        "name": "x-demo", "type": "twitter", "interval": POLL_SECONDS,
        "queries": endpoints.x_queries, "mentions_of": endpoints.x_mentions_of,
        "bearer_token_env": X_TOKEN_ENV, "base_url": endpoints.x_base_url,
    }]
    sources += [{"name": f"rss-{feed.name}", "type": "rss", "interval": POLL_SECONDS, "url": feed.url}
                for feed in endpoints.feeds]
    sources.append({"name": "open311-demo", "type": "open311", "interval": POLL_SECONDS, "url": endpoints.open311_url})
    sources.append({"name": "qlue-demo", "type": "qlue", "interval": POLL_SECONDS, "url": endpoints.qlue_url})
    sources.append({"name": "email-demo", "type": "email", "interval": POLL_SECONDS,
                    "host": endpoints.imap_host, "port": endpoints.imap_port, "tls": False,  # loopback only
                    "username": endpoints.imap_user, "password_env": IMAP_PASSWORD_ENV,
                    "mailboxes": [endpoints.imap_mailbox], "idle": True})
    return sources


def render_config(database_url: str, console_port: int, endpoints: DemoEndpoints) -> str:
    """The file's text; a database password never lands in it (give --db again to reuse such a file)."""
    shown = make_url(database_url).render_as_string(hide_password=True)
    lines = [HEADER, "[database]", f"url = {toml_value(shown)}", "",
             "[daemon]", "# one name for every demo process: a demo stopped hard can be restarted at once",
             f"instance = {toml_value(DEMO_INSTANCE)}", "",
             "[console]", "enabled = true", 'host = "127.0.0.1"', f"port = {console_port}", ""]
    for source in demo_sources(endpoints):
        lines.append("[[sources]]")
        lines += [f"{key} = {toml_value(value)}" for key, value in source.items() if value != []]
        lines.append("")
    return "\n".join(lines)


def write_config(path: Path, database_url: str, console_port: int, endpoints: DemoEndpoints) -> Path:
    """Write the file atomically (a reader never sees half of it)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(render_config(database_url, console_port, endpoints), encoding="utf-8")
    temporary.replace(path)
    return path


__all__ = ["IMAP_PASSWORD_ENV", "X_TOKEN_ENV", "demo_sources", "render_config", "toml_value", "write_config"]

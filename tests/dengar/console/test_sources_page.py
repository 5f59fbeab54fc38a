"""The sources page through the real app: states written as the daemon writes them, silence, and roles."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from collectors.types import RawItem
from dengar.console.app import create_console_app
from dengar.settings import SourceSettings
from sink.models import RawItemRow
from sink.source_state import record_failure, record_success, store_batch

NOW = datetime.now(timezone.utc)


def _item(source: str, number: int, at: datetime) -> RawItem:
    return RawItem(channel="rss", source=source, external_id=f"{source}-{number}", payload=b"<item/>",
                   content_type="application/rss+xml", fetched_at=at, origin="http://feed.example/")


@pytest.fixture
def console_app(console_engine, console_settings):  # type: ignore[no-untyped-def]
    settings = console_settings.model_copy(update={"sources": [
        SourceSettings(name="warta-rss", type="rss", interval=60, url="http://feed.example/rss"),
        SourceSettings(name="sepi-rss", type="rss", interval=60, url="http://quiet.example/rss"),
        SourceSettings(name="x-dki", type="twitter", interval=60),
        SourceSettings(name="mati", type="qlue", enabled=False),
    ]})
    with console_engine.begin() as connection:
        # warta-rss: healthy, an item every 10 minutes up to now
        for n in range(6):
            at = NOW - timedelta(minutes=10 * (5 - n))
            store_batch(connection, "warta-rss", "rss", [_item("warta-rss", n, at)], {"etag": f'"v{n}"'})
        # sepi-rss: used to bring something every 10 minutes, quiet for two days since
        for n in range(6):
            at = NOW - timedelta(days=2, minutes=10 * (5 - n))
            store_batch(connection, "sepi-rss", "rss", [_item("sepi-rss", n, at)], {"etag": f'"s{n}"'})
    with console_engine.begin() as connection:  # stored_at as if stored when fetched
        connection.execute(update(RawItemRow).where(RawItemRow.source.in_(["warta-rss", "sepi-rss"]))
                           .values(stored_at=RawItemRow.fetched_at))
    record_success(console_engine, "warta-rss", "rss")
    record_success(console_engine, "sepi-rss", "rss", when=NOW - timedelta(minutes=1))
    record_failure(console_engine, "x-dki", "twitter", "rate_limited", "429 Too Many Requests <b>x</b>",
                   NOW + timedelta(minutes=15))
    return create_console_app(console_engine, settings)


def _row(body: str, name: str) -> str:
    return body.split(f'data-source="{name}"', 1)[1].split("</tr>", 1)[0]


async def test_states_errors_cursor_and_silence(console_client) -> None:  # type: ignore[no-untyped-def]
    body = await (await console_client("viewer")).page("/sources")
    healthy, quiet = _row(body, "warta-rss"), _row(body, "sepi-rss")
    assert "state-ok" in healthy and "Sunyi" not in healthy
    assert '<code class="cursor">{&#34;etag&#34;: &#34;\\&#34;v5\\&#34;&#34;}</code>' in healthy  # the cursor, escaped
    assert ">6<" in healthy  # items stored in the last 24 hours
    assert "state-silent" in quiet and "Sunyi" in quiet and "usually every 10 min" in quiet
    limited = _row(body, "x-dki")
    assert "state-rate_limited" in limited and "429 Too Many Requests &lt;b&gt;x&lt;/b&gt;" in limited
    assert "coba lagi" in limited
    assert "state-disabled" in _row(body, "mati")


@pytest.mark.parametrize("role", ["admin", "operator", "social", "viewer"])
async def test_every_role_may_look(console_client, role) -> None:  # type: ignore[no-untyped-def]
    client = await console_client(role)
    body = await client.page("/sources")
    assert "<h1>Sumber</h1>" in body


async def test_signed_out_is_sent_to_login(console_client) -> None:  # type: ignore[no-untyped-def]
    response = await (await console_client(None)).get("/sources")
    assert response.status == 303 and response.headers["Location"].startswith("/login")

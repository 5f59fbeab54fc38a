"""The mentions monitor through the real app: page, filters, day chart, and the live stream (SSE)."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, insert, select

from sink.models import MentionRow, RawItemRow

ROLES = ("admin", "operator", "social", "viewer")
SAMPLE_DAY = "2026-11-20"


@pytest.mark.parametrize("role", ROLES)
async def test_every_role_sees_the_monitor(console_client, role) -> None:  # type: ignore[no-untyped-def]
    client = await console_client(role)
    body = await client.page(f"/mentions?day={SAMPLE_DAY}")
    assert body.count('class="message mention') == 50  # one page of the newest
    assert "<svg class=\"chart\"" in body and "data-stream-url=\"/mentions/stream?after=" in body
    assert "Volume per jam per kanal, 20-11-2026" in body  # Indonesian by default


async def test_signed_out_sees_nothing(console_client) -> None:  # type: ignore[no-untyped-def]
    anonymous = await console_client(None)
    for path in ("/mentions", "/mentions/day", "/mentions/stream"):
        response = await anonymous.get(path)
        assert response.status in (303, 401), path
        assert "message mention" not in await response.text()
    response = await anonymous.get("/mentions/stream", headers={"Accept": "text/event-stream"})
    assert response.status == 401


async def test_filters_narrow_the_list(console_client, console_engine) -> None:  # type: ignore[no-untyped-def]
    client = await console_client("social")
    body = await client.page("/mentions?channel=qlue&complaint=yes")
    channels = set(re.findall(r'data-channel="(\w+)"', body))
    assert channels == {"qlue"}
    assert "not-complaint" not in body
    with console_engine.connect() as connection:
        expected = connection.execute(select(func.count()).where(MentionRow.channel == "qlue", MentionRow.is_complaint.is_(True))).scalar()
    assert body.count('data-mention-id=') == expected
    body = await client.page("/mentions?q=BANJIR&channel=bogus&complaint=maybe")  # unknown values filter nothing
    rows = body.split("<article")[1:]
    assert rows and all("banjir" in row.split("<footer>")[0].lower() for row in rows)
    assert len({re.search(r'data-channel="(\w+)"', row).group(1) for row in rows}) > 1


async def test_paging_back_and_empty_day(console_client) -> None:  # type: ignore[no-untyped-def]
    client = await console_client("viewer")
    first = await client.page("/mentions")
    older = re.search(r'href="/mentions\?([^"]*before=(\d+)[^"]*)"', first)
    assert older is not None
    second = await client.page("/mentions?" + older.group(1).replace("&amp;", "&"))
    ids_first = set(re.findall(r'data-mention-id="(\d+)"', first))
    ids_second = set(re.findall(r'data-mention-id="(\d+)"', second))
    assert ids_second and not ids_first & ids_second
    assert all(int(i) < int(older.group(2)) for i in ids_second)
    assert "data-stream-url" not in second  # an older page is not live
    empty = await client.page("/mentions/day?day=2020-01-01")
    assert "Tidak ada mention pada hari ini." in empty and "day=2026-11-" in empty


async def test_day_fragment_counts_the_day(console_client, console_engine) -> None:  # type: ignore[no-untyped-def]
    client = await console_client("social")
    body = await client.page(f"/mentions/day?day={SAMPLE_DAY}")
    total = int(re.search(r"(\d+) mention hari ini", body).group(1))
    start = datetime(2026, 11, 19, 17, tzinfo=timezone.utc)
    with console_engine.connect() as connection:
        expected = connection.execute(select(func.count()).where(MentionRow.created_at >= start,
                                                                 MentionRow.created_at < datetime(2026, 11, 20, 17, tzinfo=timezone.utc))).scalar()
    assert total == expected > 0
    assert body.count("<rect ") >= 1


def _store_mention(engine, text: str, channel: str = "twitter") -> int:  # type: ignore[no-untyped-def]
    now = datetime.now(timezone.utc)
    with engine.begin() as connection:
        new_id = connection.execute(select(func.max(RawItemRow.id))).scalar() + 1
        connection.execute(insert(RawItemRow.__table__).values(
            id=new_id, channel=channel, external_id=f"live-{new_id}", source="live", payload=b"{}",
            content_type="x", origin="test", fetched_at=now, stored_at=now, state="processed"))
        connection.execute(insert(MentionRow.__table__).values(
            id=new_id, channel=channel, external_id=f"live-{new_id}", source="live", created_at=now, text=text,
            category="banjir", is_complaint=True))
    return new_id


async def _next_event(response) -> dict:  # type: ignore[no-untyped-def]
    buffer = ""
    while True:
        line = (await asyncio.wait_for(response.content.readline(), 30)).decode()
        if line.startswith("data: "):
            buffer = line[6:]
        elif line == "\n" and buffer:
            return json.loads(buffer)


async def test_stream_sends_what_is_stored_later_escaped(console_client, console_engine) -> None:  # type: ignore[no-untyped-def]
    client = await console_client("social")
    with console_engine.connect() as connection:
        newest = connection.execute(select(func.max(MentionRow.id))).scalar()
    response = await client.client.get(f"/mentions/stream?after={newest}", headers={"Accept": "text/event-stream"})
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/event-stream")
    stored = await asyncio.to_thread(_store_mention, console_engine, 'Banjir lagi <script>alert(1)</script>')
    event = await _next_event(response)
    assert event["id"] == stored
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in event["html"] and "<script>" not in event["html"]
    response.close()


async def test_stream_resumes_after_last_event_id_and_filters(console_client, console_engine) -> None:  # type: ignore[no-untyped-def]
    client = await console_client("viewer")
    with console_engine.connect() as connection:
        newest = connection.execute(select(func.max(MentionRow.id))).scalar()
    first = await asyncio.to_thread(_store_mention, console_engine, "email satu", "email")
    second = await asyncio.to_thread(_store_mention, console_engine, "tweet dua", "twitter")
    response = await client.client.get("/mentions/stream?channel=twitter&after=0",
                                       headers={"Accept": "text/event-stream", "Last-Event-ID": str(newest)})
    event = await _next_event(response)
    assert event["id"] == second != first
    response.close()

"""The feed collector against the local feed server: contract, conditional GET, every failure kind."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from collectors.content_types import FEED_ENTRY, JSON_FEED_ITEM, UNREADABLE
from collectors.live import build_collector
from collectors.live.base import ConfigProblem, PermanentFailure, RateLimited, TemporaryFailure
from collectors.live.feeds import FeedCollector
from dengar.standins.faults import Fault
from dengar.standins.feeds import FeedEntry, FeedServerState, create_app
from normalizer.channels import all_parsers, parse
from tests.collectors.live.contract import SOURCE, CollectorContract, collect_all

FEED_PATH = "/warga.xml"


class FeedWorld:
    channel = "rss"

    def __init__(self, state: FeedServerState, base_url: str) -> None:
        self.state = state
        self.base_url = base_url
        self.numbers = itertools.count(1)
        self.start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

    async def publish(self, count: int) -> list[str]:
        guids = []
        for _ in range(count):
            number = next(self.numbers)
            guid = f"warga-{number}"
            self.state.publish_entry(FEED_PATH, FeedEntry(
                guid=guid, title=f"Sampah menumpuk {number}",
                description=f"Sampah menumpuk di Jl. Pemuda no {number}, Kel. Rawamangun",
                published=self.start + timedelta(minutes=number), point=(-6.19, 106.88)))
            guids.append(guid)
        return guids

    def fail_after_first_batch(self) -> None:
        # a feed run is a single fetch, so the next fetch is what fails
        self.state.faults.arm(Fault.SERVER_ERROR)

    def heal(self) -> None:
        self.state.faults.heal()

    def make_collector(self, path: str = FEED_PATH, **options: Any) -> FeedCollector:
        collector = build_collector(SOURCE, "rss", {"url": self.base_url + path, **options}, {})
        assert isinstance(collector, FeedCollector)
        return collector

    def cursor_order(self, cursor: dict[str, Any]) -> Any:
        return cursor.get("newest_entry") or ""


@pytest.fixture
async def world(aiohttp_server: Any) -> FeedWorld:
    state = FeedServerState()
    server = await aiohttp_server(create_app(state))
    return FeedWorld(state, str(server.make_url("")).rstrip("/"))



class TestFeedContract(CollectorContract):
    pass


async def test_an_unchanged_feed_is_answered_304_and_the_run_is_empty(world: FeedWorld) -> None:
    await world.publish(3)
    items, cursor = await collect_all(world.make_collector())
    assert len(items) == 3 and cursor["etag"] and cursor["last_modified"]
    again, same = await collect_all(world.make_collector(), cursor)
    assert again == [] and world.state.not_modified == 1
    await world.publish(1)
    newer, moved = await collect_all(world.make_collector(), cursor)
    assert {item.external_id for item in newer} == {"warga-1", "warga-2", "warga-3", "warga-4"}
    assert moved["etag"] != cursor["etag"] and moved["newest_entry"] > cursor["newest_entry"]


async def test_a_backfill_ignores_the_validators(world: FeedWorld) -> None:
    await world.publish(2)
    _, cursor = await collect_all(world.make_collector())
    items, _ = await collect_all(world.make_collector(), cursor, since=datetime(2026, 1, 1, tzinfo=UTC))
    assert len(items) == 2


async def test_items_are_the_archive_shape_and_parse(world: FeedWorld) -> None:
    await world.publish(2)
    items, _ = await collect_all(world.make_collector())
    parsers = all_parsers()
    for item in items:
        assert item.content_type == FEED_ENTRY and item.channel == "rss" and item.source == SOURCE
        assert item.origin.startswith(world.base_url + FEED_PATH + "#")
        mention = parse(item, parsers)
        assert mention.external_id == item.external_id
        assert mention.geo is not None and round(mention.geo.lat, 2) == -6.19


async def test_the_bundled_samples_are_served_and_collected(world: FeedWorld, repo_root: Any) -> None:
    paths = world.state.load_samples(repo_root / "samples" / "rss")
    kinds = set()
    for path in paths:
        items, cursor = await collect_all(world.make_collector(path))
        assert items and cursor["etag"]
        kinds.update(item.content_type for item in items)
        for item in items:
            parse(item, all_parsers())
    assert kinds == {FEED_ENTRY, JSON_FEED_ITEM}


async def test_a_document_nothing_can_read_is_one_unreadable_item(world: FeedWorld) -> None:
    world.state.publish("/broken.xml", b"\x00\x01 bukan feed <<< >>>", "application/rss+xml")
    items, cursor = await collect_all(world.make_collector("/broken.xml"))
    assert [item.content_type for item in items] == [UNREADABLE]
    assert cursor["etag"]
    world.state.publish("/broken.json", b'{"version": "https://jsonfeed.org/version/1.1", "items": ',
                        "application/feed+json")
    items, _ = await collect_all(world.make_collector("/broken.json"))
    assert [item.content_type for item in items] == [UNREADABLE]


async def test_a_bozo_feed_still_yields_its_entries(world: FeedWorld) -> None:
    body = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>'
            b"<item><guid isPermaLink=\"false\">a-1</guid><title>Banjir &nbsp; di Kemang</title><description>air naik</description></item>"
            b"</channel></rss>")
    world.state.publish("/bozo.xml", body, "application/rss+xml; charset=utf-8")
    items, _ = await collect_all(world.make_collector("/bozo.xml"))
    assert [item.external_id for item in items] == ["a-1"]
    assert orjson.loads(items[0].payload)["entry"]["title"].startswith("Banjir")


@pytest.mark.parametrize(("fault", "kind"), [
    (Fault.SERVER_ERROR, TemporaryFailure),
    (Fault.HTML_503, TemporaryFailure),
    (Fault.TRUNCATED, TemporaryFailure),
    (Fault.OVERSIZE, TemporaryFailure),
    (Fault.NOT_FOUND, PermanentFailure),
    (Fault.FORBIDDEN, PermanentFailure),
])
async def test_each_failure_is_its_kind(world: FeedWorld, fault: Fault, kind: type[Exception]) -> None:
    await world.publish(1)
    world.state.faults.arm(fault)
    with pytest.raises(kind) as raised:
        await collect_all(world.make_collector(max_bytes=1024 * 1024))
    assert FEED_PATH in str(raised.value)


async def test_429_and_503_with_retry_after_say_when_to_come_back(world: FeedWorld) -> None:
    await world.publish(1)
    for fault in (Fault.RATE_LIMITED, Fault.UNAVAILABLE_RETRY_AFTER):
        world.state.faults.arm(fault)
        with pytest.raises(RateLimited) as raised:
            await collect_all(world.make_collector())
        assert raised.value.retry_at is not None
        assert raised.value.retry_at > datetime.now(UTC) + timedelta(seconds=60)


async def test_429_without_retry_after_is_rate_limited_without_a_time(aiohttp_server: Any) -> None:
    from aiohttp import web

    async def too_many(request: web.Request) -> web.Response:
        return web.Response(status=429)

    app = web.Application()
    app.router.add_get("/feed", too_many)
    server = await aiohttp_server(app)
    collector = build_collector(SOURCE, "rss", {"url": str(server.make_url("/feed"))}, {})
    with pytest.raises(RateLimited) as raised:
        await collect_all(collector)  # type: ignore[arg-type]
    assert raised.value.retry_at is None


async def test_a_body_over_the_limit_is_refused_even_when_announced(world: FeedWorld) -> None:
    await world.publish(40)
    with pytest.raises(TemporaryFailure, match="max_bytes"):
        await collect_all(world.make_collector(max_bytes=2000))


async def test_an_unreachable_server_is_a_temporary_failure(unused_tcp_port: int) -> None:
    collector = build_collector(SOURCE, "rss", {"url": f"http://127.0.0.1:{unused_tcp_port}/feed", "timeout": 5}, {})
    with pytest.raises(TemporaryFailure):
        await collect_all(collector)  # type: ignore[arg-type]


def test_options_are_checked_by_name() -> None:
    with pytest.raises(ConfigProblem, match="url"):
        build_collector("feed", "rss", {"url": "file:///etc/passwd"}, {})
    with pytest.raises(ConfigProblem, match="urll"):
        build_collector("feed", "rss", {"urll": "https://example.org/feed"}, {})
    with pytest.raises(ConfigProblem, match="max_bytes"):
        build_collector("feed", "rss", {"url": "https://example.org/feed", "max_bytes": 0}, {})

"""The Open311 collector against the local GeoReport v2 server: contract, windows, paging, failures."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from aiohttp import web

from collectors.content_types import OPEN311_REQUEST, UNREADABLE
from collectors.live import build_collector
from collectors.live.base import ConfigProblem, PermanentFailure, TemporaryFailure
from collectors.live.open311 import Open311Collector
from dengar.standins.faults import Fault
from dengar.standins.open311 import Open311State, create_app, parse_w3c
from normalizer.channels import all_parsers, parse
from tests.collectors.live.contract import JSON_DOCUMENT_FAULTS, SOURCE, CollectorContract, collect_all

KEY_ENV = {"OPEN311_KEY": "s3cret-key"}


def service_request(number: int, requested: datetime) -> dict[str, Any]:
    return {
        "service_request_id": f"26{number:07d}", "status": "open", "service_name": "Sampah",
        "service_code": "LH-01", "description": f"Sampah menumpuk di Jl. Pemuda no {number}, Kel. Rawamangun",
        "requested_datetime": requested.astimezone(UTC).isoformat(), "updated_datetime": None,
        "address": "Jl. Pemuda, Rawamangun", "lat": -6.19, "long": 106.88,
    }


class Open311World:
    channel = "open311"

    def __init__(self, state: Open311State, base_url: str) -> None:
        self.state = state
        self.base_url = base_url
        self.numbers = itertools.count(1)
        self.start = datetime.now(UTC) - timedelta(hours=2)

    async def publish(self, count: int) -> list[str]:
        ids = []
        for _ in range(count):
            number = next(self.numbers)
            request = service_request(number, self.start + timedelta(seconds=number))
            self.state.publish(request)
            ids.append(request["service_request_id"])
        return ids

    def fail_after_first_batch(self) -> None:
        self.state.faults.arm(Fault.SERVER_ERROR, after_requests=1)

    def heal(self) -> None:
        self.state.faults.heal()

    def make_collector(self, **options: Any) -> Open311Collector:
        # no overlap by default: a cursor that ran ahead of the stored data would then lose requests
        settings = {"url": self.base_url, "page_size": 5, "overlap_seconds": 0, **options}
        collector = build_collector(SOURCE, "open311", settings, KEY_ENV)
        assert isinstance(collector, Open311Collector)
        return collector

    def cursor_order(self, cursor: dict[str, Any]) -> Any:
        return cursor.get("newest_requested") or ""


@pytest.fixture
async def world(aiohttp_server: Any) -> Open311World:
    state = Open311State()
    server = await aiohttp_server(create_app(state))
    return Open311World(state, str(server.make_url("/")))



class TestOpen311Contract(CollectorContract):
    pass


async def test_twelve_requests_span_pages_and_the_cursor_moves_only_at_the_end(world: Open311World) -> None:
    await world.publish(12)
    cursors = []
    collector = world.make_collector()
    try:
        async for batch in collector.collect({}):
            cursors.append(batch.cursor.get("newest_requested"))
    finally:
        await collector.aclose()
    assert [q["page"] for q in world.state.queries] == ["1", "2", "3"]
    assert cursors[:-1] == [None] * (len(cursors) - 1)
    assert cursors[-1] == (world.start + timedelta(seconds=12)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_the_next_poll_starts_an_overlap_before_the_cursor(world: Open311World) -> None:
    await world.publish(3)
    _, cursor = await collect_all(world.make_collector(overlap_seconds=600))
    world.state.queries.clear()
    await collect_all(world.make_collector(overlap_seconds=600), cursor)
    start = parse_w3c(world.state.queries[0]["start_date"])
    assert start == parse_w3c(cursor["newest_requested"]) - timedelta(seconds=600)


async def test_a_backfill_walks_ninety_day_windows(world: Open311World) -> None:
    now = datetime.now(UTC)
    old = [service_request(900 + n, now - timedelta(days=days)) for n, days in enumerate((200, 120, 30))]
    for request in old:
        world.state.publish(request)
    items, cursor = await collect_all(world.make_collector(), since=now - timedelta(days=250))
    assert sorted(item.external_id for item in items) == sorted(r["service_request_id"] for r in old)
    spans = [parse_w3c(q["end_date"]) - parse_w3c(q["start_date"]) for q in world.state.queries]
    assert len(spans) >= 3 and all(span <= timedelta(days=90) for span in spans)
    assert cursor["newest_requested"] == old[-1]["requested_datetime"][:19] + "Z"


async def test_items_are_the_archive_shape_and_parse(world: Open311World, repo_root: Any) -> None:
    count = world.state.load_samples(repo_root / "samples" / "open311" / "requests.json")
    items, _ = await collect_all(world.make_collector(page_size=7))
    assert len(items) == count
    parsers = all_parsers()
    for item in items:
        assert item.content_type == OPEN311_REQUEST and item.source == SOURCE
        assert parse(item, parsers).external_id == item.external_id


async def test_the_api_key_is_sent_but_never_shown(world: Open311World) -> None:
    await world.publish(1)
    items, _ = await collect_all(world.make_collector(api_key_env="OPEN311_KEY"))
    assert world.state.queries[0]["api_key"] == "s3cret-key"
    assert "s3cret-key" not in items[0].origin
    world.state.faults.arm(Fault.SERVER_ERROR)
    with pytest.raises(TemporaryFailure) as raised:
        await collect_all(world.make_collector(api_key_env="OPEN311_KEY"))
    assert "s3cret-key" not in str(raised.value) and "api_key=***" in str(raised.value)


def test_a_missing_api_key_is_a_config_problem_naming_the_variable() -> None:
    with pytest.raises(ConfigProblem, match="OPEN311_KEY"):
        build_collector("city", "open311", {"url": "https://example.org/open311/v2", "api_key_env": "OPEN311_KEY"}, {})
    with pytest.raises(ConfigProblem, match="url"):
        build_collector("city", "open311", {"url": "https://example.org/open311/v2/requests.xml"}, {})


async def test_a_malformed_request_is_an_unreadable_item(world: Open311World) -> None:
    await world.publish(2)
    world.state.requests.append("bukan objek")  # type: ignore[arg-type]
    items, _ = await collect_all(world.make_collector())
    assert sorted(item.content_type for item in items) == sorted([OPEN311_REQUEST, OPEN311_REQUEST, UNREADABLE])


@pytest.mark.parametrize(("fault", "kind"), JSON_DOCUMENT_FAULTS)
async def test_each_failure_is_its_kind(world: Open311World, fault: Fault, kind: type[Exception]) -> None:
    await world.publish(2)
    world.state.faults.arm(fault)
    with pytest.raises(kind) as raised:
        await collect_all(world.make_collector(max_bytes=1024 * 1024))
    assert "requests.json" in str(raised.value)


async def test_an_unknown_jurisdiction_is_permanent(world: Open311World) -> None:
    world.state.jurisdiction_id = "jakarta.go.id"
    await world.publish(1)
    with pytest.raises(PermanentFailure, match="404"):
        await collect_all(world.make_collector(jurisdiction_id="bandung.go.id"))
    items, _ = await collect_all(world.make_collector(jurisdiction_id="jakarta.go.id"))
    assert len(items) == 1


async def test_a_server_that_ignores_paging_does_not_loop(aiohttp_server: Any) -> None:
    page = orjson.dumps([service_request(n, datetime.now(UTC)) for n in range(5)])
    served = []

    async def same_page(request: web.Request) -> web.Response:
        served.append(request.query.get("page"))
        return web.Response(body=page, content_type="application/json")

    app = web.Application()
    app.router.add_get("/requests.json", same_page)
    server = await aiohttp_server(app)
    collector = build_collector(SOURCE, "open311", {"url": str(server.make_url("/requests.json")), "page_size": 5}, {})
    items, cursor = await collect_all(collector)
    assert len(items) == 5 and served == ["1", "2"] and cursor["newest_requested"]

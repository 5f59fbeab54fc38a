"""The Qlue collector against the local report feed: contract, conditional GET, mapping, failures."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import pytest

from collectors.archive.qlue import QlueMapping
from collectors.content_types import QLUE_REPORT, UNREADABLE
from collectors.live import build_collector
from collectors.live.base import ConfigProblem
from collectors.live.qlue import QlueCollector
from dengar.standins.faults import Fault
from dengar.standins.qlue import QlueState, create_app
from normalizer.channels import all_parsers, parse
from normalizer.channels.qlue import make_parser
from tests.collectors.live.contract import JSON_DOCUMENT_FAULTS, SOURCE, CollectorContract, collect_all


def report(number: int, posted: datetime) -> dict[str, Any]:
    return {"post_id": 3500000 + number, "post_date": posted.strftime("%Y-%m-%d %H:%M:%S"),
            "post_title": "Sampah menumpuk", "post_desc": f"Sampah menumpuk di Gg. Delima {number}, Kel. Pasar Minggu",
            "post_images": [], "loc_lat": -6.26, "loc_lng": 106.81, "profile_name": "Dewi"}


class QlueWorld:
    channel = "qlue"

    def __init__(self, state: QlueState, base_url: str) -> None:
        self.state = state
        self.base_url = base_url
        self.numbers = itertools.count(1)
        self.start = datetime(2026, 11, 20, 8, 0)

    async def publish(self, count: int) -> list[str]:
        ids = []
        for _ in range(count):
            number = next(self.numbers)
            self.state.publish(report(number, self.start + timedelta(minutes=number)))
            ids.append(str(3500000 + number))
        return ids

    def fail_after_first_batch(self) -> None:
        self.state.faults.arm(Fault.SERVER_ERROR)  # one document per run: the next fetch fails

    def heal(self) -> None:
        self.state.faults.heal()

    def make_collector(self, context: dict[str, Any] | None = None, **options: Any) -> QlueCollector:
        collector = build_collector(SOURCE, "qlue", {"url": self.base_url + "/reports.json", **options}, {}, context)
        assert isinstance(collector, QlueCollector)
        return collector

    def cursor_order(self, cursor: dict[str, Any]) -> Any:
        return cursor.get("newest_post_date") or ""


@pytest.fixture
async def world(aiohttp_server: Any) -> QlueWorld:
    state = QlueState()
    server = await aiohttp_server(create_app(state))
    return QlueWorld(state, str(server.make_url("")).rstrip("/"))



class TestQlueContract(CollectorContract):
    pass


async def test_an_unchanged_feed_is_answered_304(world: QlueWorld) -> None:
    await world.publish(2)
    items, cursor = await collect_all(world.make_collector())
    assert len(items) == 2 and cursor["etag"]
    assert cursor["newest_post_date"] == "2026-11-20T01:02:00Z"  # WIB 08:02 is 01:02 UTC
    again, _ = await collect_all(world.make_collector(), cursor)
    assert again == [] and world.state.not_modified == 1


async def test_the_since_parameter_carries_the_newest_date_as_the_server_wrote_it(world: QlueWorld) -> None:
    world.state.since_param = "since"
    await world.publish(3)
    _, cursor = await collect_all(world.make_collector(since_param="since"))
    assert "since" not in world.state.queries[0]
    await world.publish(2)
    items, _ = await collect_all(world.make_collector(since_param="since"), cursor)
    assert world.state.queries[-1]["since"] == "2026-11-20 08:03:00"
    assert sorted(item.external_id for item in items) == ["3500003", "3500004", "3500005"]


async def test_a_backfill_sends_since_in_local_time(world: QlueWorld) -> None:
    world.state.since_param = "since"
    await world.publish(3)
    from zoneinfo import ZoneInfo
    since = datetime(2026, 11, 20, 8, 2, tzinfo=ZoneInfo("Asia/Jakarta"))
    items, _ = await collect_all(world.make_collector(since_param="since"), since=since)
    assert world.state.queries[-1]["since"] == "2026-11-20 08:02:00"
    assert sorted(item.external_id for item in items) == ["3500002", "3500003"]


async def test_source_fields_override_the_global_mapping(world: QlueWorld) -> None:
    world.state.wrap_key = "results"
    world.state.date_field = "created"
    world.state.publish({"id": "r-1", "created": "2026-11-21T09:00:00+07:00", "judul": "Banjir",
                         "isi": "Banjir setinggi lutut di Kel. Kemang", "lat": -6.26, "lng": 106.81})
    context = {"qlue_mapping": QlueMapping(title_field="judul", text_field="isi")}
    items, cursor = await collect_all(world.make_collector(context, id_field="id", date_field="created",
                                                           lat_field="lat", lng_field="lng"))
    assert [item.external_id for item in items] == ["r-1"] and items[0].content_type == QLUE_REPORT
    assert cursor["newest_post_date"] == "2026-11-21T02:00:00Z"
    mapping = QlueMapping(id_field="id", date_field="created", title_field="judul", text_field="isi",
                          lat_field="lat", lng_field="lng")
    mention = make_parser(mapping)(items[0])
    assert mention.text.startswith("Banjir setinggi") and mention.geo is not None


async def test_the_bundled_samples_are_served_and_parse(world: QlueWorld, repo_root: Any) -> None:
    count = world.state.load_samples(repo_root / "samples" / "qlue")
    items, _ = await collect_all(world.make_collector())
    assert len(items) == count > 0
    parsers = all_parsers()
    for item in items:
        assert parse(item, parsers).external_id == item.external_id


async def test_a_document_that_is_not_report_json_is_one_unreadable_item(world: QlueWorld) -> None:
    world.state.wrap_key = "tidak_dikenal"
    await world.publish(2)
    items, cursor = await collect_all(world.make_collector())
    assert [item.content_type for item in items] == [UNREADABLE] and cursor["etag"]


async def test_a_malformed_report_is_an_unreadable_item(world: QlueWorld) -> None:
    await world.publish(1)
    world.state.publish(["bukan", "laporan"])
    items, _ = await collect_all(world.make_collector())
    assert sorted(item.content_type for item in items) == sorted([QLUE_REPORT, UNREADABLE])


@pytest.mark.parametrize(("fault", "kind"), JSON_DOCUMENT_FAULTS)
async def test_each_failure_is_its_kind(world: QlueWorld, fault: Fault, kind: type[Exception]) -> None:
    await world.publish(2)
    world.state.faults.arm(fault)
    with pytest.raises(kind) as raised:
        await collect_all(world.make_collector(max_bytes=1024 * 1024))
    assert "reports.json" in str(raised.value)


def test_options_are_checked_by_name() -> None:
    with pytest.raises(ConfigProblem, match="timezone"):
        build_collector("qlue", "qlue", {"url": "https://example.org/r.json", "timezone": "Asia/Jakartaa"}, {})
    with pytest.raises(ConfigProblem, match="post_id"):
        build_collector("qlue", "qlue", {"url": "https://example.org/r.json", "post_id": "id"}, {})

"""The X collector against the X API v2 stand-in on loopback, stored through the real sink."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web
from sqlalchemy import Engine, select

from collectors.archive.twitter import DecodedTweet, XArchiveReader
from collectors.content_types import TWEET, UNREADABLE
from collectors.live import build_collector
from collectors.live.base import ConfigProblem, PermanentFailure, RateLimited, TemporaryFailure
from collectors.live.snowflake import snowflake_at
from collectors.live.twitter import TwitterCollector
from collectors.types import RawItem
from dengar.standins.x_api import Fault, XApiState, create_app
from normalizer.channels import all_parsers, parse
from normalizer.types import NormalizeError
from sink.database import ensure_schema, open_engine
from sink.models import RawItemRow
from sink.source_state import load_cursor, store_batch

from tests.collectors.live.contract import SOURCE, CollectorContract, count_rows, run_once, stored_ids

TOKEN = "x-test-bearer-token"
TOKEN_ENV = "DENGAR_TEST_X_TOKEN"
QUERY = "banjir -is:retweet"


@dataclass
class XWorld:
    state: XApiState
    base_url: str
    options: dict[str, Any] = field(default_factory=dict)
    channel: str = "twitter"
    published: int = 0

    async def publish(self, count: int) -> list[str]:
        ids = []
        for _ in range(count):
            self.published += 1
            tweet = self.state.publish_text(
                f"Banjir lagi di Kel. Kampung Melayu, air {self.published} cm @BPBDJakarta #banjirjakarta",
                f"warga{self.published % 4}")
            ids.append(tweet["id"])
        return ids

    def fail_after_first_batch(self) -> None:
        self.state.fail(Fault.HTML_503, times=1, after=1)

    def heal(self) -> None:
        self.state.heal()

    def make_collector(self, **overrides: Any) -> TwitterCollector:
        options = {"queries": [QUERY], "bearer_token_env": TOKEN_ENV, "base_url": self.base_url,
                   "max_results": 10, **self.options, **overrides}
        return build_collector(SOURCE, "twitter", options, {TOKEN_ENV: TOKEN})  # type: ignore[return-value]

    def cursor_order(self, cursor: dict[str, Any]) -> int:
        return sum(int(position.get("since_id", 0)) for position in cursor.get("streams", {}).values())


@pytest.fixture
async def world(aiohttp_server: Any) -> XWorld:
    state = XApiState(bearer_tokens={TOKEN})
    server = await aiohttp_server(create_app(state))
    return XWorld(state, str(server.make_url("/")).rstrip("/"))


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = open_engine(f"sqlite:///{tmp_path / 'x.db'}")
    ensure_schema(engine)
    return engine


class TestXCollectorContract(CollectorContract):
    pass


async def collect_all(collector: TwitterCollector, engine: Engine, since: datetime | None = None,
                      seen: list[RawItem] | None = None) -> list[Any]:
    """Run once as the daemon does; returns the batches' cursors (and adds the items to ``seen``),
    raises the run's failure."""
    cursors = []
    try:
        async for batch in collector.collect(load_cursor(engine, SOURCE), since):
            if seen is not None:
                seen.extend(batch.items)
            with engine.begin() as connection:
                store_batch(connection, SOURCE, "twitter", batch.items, batch.cursor)
            cursors.append(batch.cursor)
    finally:
        await collector.aclose()
    return cursors


def since_id(cursor: dict[str, Any], stream: str = f"search:{QUERY}") -> str | None:
    return cursor.get("streams", {}).get(stream, {}).get("since_id")


# ---- pagination and the cursor ---------------------------------------------------------------------

async def test_pages_of_search_and_mentions_are_walked_to_the_end(world: XWorld, engine: Engine) -> None:
    published = await world.publish(95)
    cursors = await collect_all(world.make_collector(mentions_of=["BPBDJakarta"]), engine)
    assert sorted(stored_ids(engine, "twitter")) == sorted(published)
    search_pages = [r for r in world.state.requests if r.path == "/2/tweets/search/recent"]
    mention_pages = [r for r in world.state.requests if r.path.endswith("/mentions")]
    assert len(search_pages) == 10 and sum("next_token" in r.params for r in search_pages) == 9
    assert len(mention_pages) == 10 and sum("pagination_token" in r.params for r in mention_pages) == 9
    newest = max(published, key=int)
    # The search's since_id moves only with its last page; mentions' only with theirs.
    assert [since_id(c) for c in cursors[:9]] == [None] * 9
    assert len(cursors) == 20 and {since_id(c) for c in cursors[9:]} == {newest}
    assert [since_id(c, "mentions:bpbdjakarta") for c in cursors[10:20]] == [None] * 9 + [newest]


async def test_a_walk_longer_than_the_page_budget_resumes_below_what_is_stored(world: XWorld, engine: Engine) -> None:
    published = await world.publish(45)
    first = await collect_all(world.make_collector(max_pages_per_run=2), engine)
    assert len(stored_ids(engine, "twitter")) == 20 and since_id(first[-1]) is None
    await collect_all(world.make_collector(max_pages_per_run=2), engine)
    assert len(stored_ids(engine, "twitter")) == 40
    resumed = [r for r in world.state.requests if "until_id" in r.params]
    assert resumed, "the second run must continue below the stored pages, not start over at the top"
    last = await collect_all(world.make_collector(max_pages_per_run=2), engine)
    assert sorted(stored_ids(engine, "twitter")) == sorted(published)
    assert since_id(last[-1]) == max(published, key=int)


async def test_a_late_indexed_tweet_is_caught_by_the_overlap(world: XWorld, engine: Engine) -> None:
    await world.publish(3)
    await collect_all(world.make_collector(), engine)
    late = world.state.publish_text("Banjir di Kel. Bidara Cina sejak subuh", "warga_telat",
                                    created_at=datetime.now(UTC) - timedelta(seconds=90), visible_from_poll=2)
    assert int(late["id"]) < int(since_id(load_cursor(engine, SOURCE)) or 0), "the late tweet must be older"
    await collect_all(world.make_collector(), engine)
    assert late["id"] not in stored_ids(engine, "twitter")  # not indexed yet on this poll
    await collect_all(world.make_collector(), engine)
    assert late["id"] in stored_ids(engine, "twitter")
    ids = stored_ids(engine, "twitter")
    assert len(ids) == len(set(ids)) == 4


async def test_without_overlap_a_late_indexed_tweet_is_lost(world: XWorld, engine: Engine) -> None:
    """The counter-test: it is the look-back, not luck, that catches late tweets."""
    await world.publish(3)
    await collect_all(world.make_collector(overlap_seconds=0), engine)
    late = world.state.publish_text("Banjir di Kel. Bidara Cina sejak subuh", "warga_telat",
                                    created_at=datetime.now(UTC) - timedelta(seconds=90), visible_from_poll=2)
    for _ in range(3):
        await collect_all(world.make_collector(overlap_seconds=0), engine)
    assert late["id"] not in stored_ids(engine, "twitter")


async def test_mentions_of_a_configured_account(world: XWorld, engine: Engine) -> None:
    wanted = [world.state.publish_text(f"@DKIJakarta sampah menumpuk di Jl. Kemang Raya hari ke-{n}", "warga")["id"]
              for n in range(12)]
    world.state.publish_text("Sampah menumpuk tapi tidak menyebut siapa pun", "warga")
    world.state.publish_text("@BPBDJakarta banjir di Cawang", "warga")
    await collect_all(world.make_collector(queries=[], mentions_of=["@DKIJakarta"], max_results=10), engine)
    assert sorted(stored_ids(engine, "twitter")) == sorted(wanted)
    cursor = load_cursor(engine, SOURCE)
    assert cursor["user_ids"] == {"dkijakarta": world.state.user_by_username("DKIJakarta")["id"]}
    await collect_all(world.make_collector(queries=[], mentions_of=["DKIJakarta"]), engine)
    lookups = [r for r in world.state.requests if r.path.startswith("/2/users/by/username/")]
    assert len(lookups) == 1, "the resolved user id is kept in the cursor"


async def test_an_unknown_mentioned_account_is_a_permanent_failure(world: XWorld, engine: Engine) -> None:
    with pytest.raises(PermanentFailure, match="no account @NoSuchCityDesk"):
        await collect_all(world.make_collector(queries=[], mentions_of=["NoSuchCityDesk"]), engine)


async def test_backfill_from_a_date_is_clamped_to_the_reach_of_recent_search(
        world: XWorld, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    three_days_ago = world.state.publish_text("Banjir kemarin lusa di Kel. Cawang", "warga",
                                              created_at=datetime.now(UTC) - timedelta(days=3))
    recent = await world.publish(2)
    with caplog.at_level(logging.INFO, logger="collectors.live.twitter"):
        await collect_all(world.make_collector(), engine, since=datetime.now(UTC) - timedelta(days=30))
    assert sorted(stored_ids(engine, "twitter")) == sorted([three_days_ago["id"], *recent])
    assert "7 days" in caplog.text
    (request,) = [r for r in world.state.requests if r.path == "/2/tweets/search/recent"]
    assert "since_id" not in request.params
    start = datetime.fromisoformat(request.params["start_time"].replace("Z", "+00:00"))
    assert start > datetime.now(UTC) - timedelta(days=7)
    assert since_id(load_cursor(engine, SOURCE)) == max(recent, key=int)


# ---- failures --------------------------------------------------------------------------------------

async def test_a_429_with_reset_reschedules_at_the_reset_and_keeps_the_cursor(world: XWorld, engine: Engine) -> None:
    await world.publish(5)
    await collect_all(world.make_collector(), engine)
    before = load_cursor(engine, SOURCE)
    published = await world.publish(12)
    world.state.rate_limit_reset_at = int(time.time()) + 600
    world.state.fail(Fault.RATE_LIMITED, after=1)
    result = await _run(world, engine)
    assert isinstance(result.error, RateLimited)
    assert result.error.retry_at == datetime.fromtimestamp(world.state.rate_limit_reset_at, UTC)
    assert result.batches == 1
    assert since_id(load_cursor(engine, SOURCE)) == since_id(before)
    rows = count_rows(engine)
    assert (await _run(world, engine)).error is None
    ids = stored_ids(engine, "twitter")
    assert set(published) <= set(ids) and len(ids) == len(set(ids)) == 17 and count_rows(engine) == 17 > rows


async def test_a_429_without_reset_waits_one_rate_limit_window(world: XWorld, engine: Engine) -> None:
    await world.publish(3)
    world.state.fail(Fault.RATE_LIMITED_NO_RESET)
    earliest = datetime.now(UTC) + timedelta(minutes=15)
    result = await _run(world, engine)
    latest = datetime.now(UTC) + timedelta(minutes=15)
    assert isinstance(result.error, RateLimited)
    assert result.error.retry_at is not None and earliest <= result.error.retry_at <= latest
    assert count_rows(engine) == 0 and load_cursor(engine, SOURCE) == {}


async def test_an_html_503_is_a_temporary_failure(world: XWorld, engine: Engine) -> None:
    await world.publish(3)
    world.state.fail(Fault.HTML_503)
    result = await _run(world, engine)
    assert isinstance(result.error, TemporaryFailure)
    assert "503" in result.error.reason and "text/html" in result.error.reason


@pytest.mark.parametrize(("fault", "expected"), [(Fault.UNAUTHORIZED, "check " + TOKEN_ENV),
                                                  (Fault.FORBIDDEN, "lacks access")])
async def test_401_and_403_are_permanent_failures(world: XWorld, engine: Engine, fault: Fault, expected: str) -> None:
    world.state.fail(fault)
    result = await _run(world, engine)
    assert isinstance(result.error, PermanentFailure)
    assert expected in result.error.reason and TOKEN not in result.error.reason


async def test_a_wrong_token_is_refused_and_never_logged(world: XWorld, engine: Engine,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    collector = build_collector(SOURCE, "twitter", {"queries": [QUERY], "bearer_token_env": TOKEN_ENV,
                                                    "base_url": world.base_url}, {TOKEN_ENV: "revoked-secret-value"})
    with caplog.at_level(logging.DEBUG):
        result = await _closing_run(collector, engine)
    assert isinstance(result.error, PermanentFailure) and "401" in result.error.reason
    assert "revoked-secret-value" not in caplog.text and "revoked-secret-value" not in result.error.reason


async def test_an_unreachable_server_is_a_temporary_failure(engine: Engine) -> None:
    app_runner = web.AppRunner(web.Application())
    await app_runner.setup()
    site = web.TCPSite(app_runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    await app_runner.cleanup()  # nothing listens there any more
    collector = build_collector(SOURCE, "twitter", {"queries": [QUERY], "bearer_token_env": TOKEN_ENV,
                                                    "base_url": f"http://127.0.0.1:{port}"}, {TOKEN_ENV: TOKEN})
    result = await _closing_run(collector, engine)
    assert isinstance(result.error, TemporaryFailure) and "network" in result.error.reason


async def test_a_server_that_never_answers_times_out_as_a_temporary_failure(aiohttp_server: Any,
                                                                               engine: Engine) -> None:
    never = asyncio.Event()

    async def hang(_request: web.Request) -> web.Response:
        await never.wait()
        return web.json_response({})

    app = web.Application()
    app.router.add_get("/2/tweets/search/recent", hang)
    server = await aiohttp_server(app)
    collector = build_collector(SOURCE, "twitter", {"queries": [QUERY], "bearer_token_env": TOKEN_ENV, "timeout": 0.3,
                                                    "base_url": str(server.make_url("/"))}, {TOKEN_ENV: TOKEN})
    result = await _closing_run(collector, engine)
    assert isinstance(result.error, TemporaryFailure) and "TimeoutError" in result.error.reason


async def test_a_since_id_older_than_recent_search_reaches_falls_back_to_start_time(
        world: XWorld, engine: Engine) -> None:
    """After a week down, sending the old since_id would be refused (400); the collector asks from the edge."""
    stale = snowflake_at(datetime.now(UTC) - timedelta(days=10))
    with engine.begin() as connection:
        store_batch(connection, SOURCE, "twitter", [], {"streams": {f"search:{QUERY}": {"since_id": str(stale)}}})
    published = await world.publish(3)
    await collect_all(world.make_collector(), engine)
    assert sorted(stored_ids(engine, "twitter")) == sorted(published)
    (request,) = [r for r in world.state.requests if r.path == "/2/tweets/search/recent"]
    assert "since_id" not in request.params and "start_time" in request.params
    assert since_id(load_cursor(engine, SOURCE)) == max(published, key=int)


async def test_a_body_over_the_size_limit_is_not_read(world: XWorld, engine: Engine) -> None:
    await world.publish(10)
    result = await _closing_run(world.make_collector(max_bytes=4096), engine)
    assert isinstance(result.error, TemporaryFailure) and "limit of 4096" in result.error.reason
    assert count_rows(engine) == 0


async def test_a_malformed_tweet_in_a_good_page_is_kept_as_unreadable(aiohttp_server: Any, engine: Engine) -> None:
    good = {"id": "1861000000000000001", "text": "Lampu jalan mati di Jl. Casablanca", "author_id": "42",
            "created_at": "2026-11-20T10:00:00.000Z", "edit_history_tweet_ids": ["1861000000000000001"]}
    page = {"data": [good, 42, "not a tweet"], "meta": {"result_count": 3, "newest_id": good["id"],
                                                        "oldest_id": good["id"]}}

    async def recent(_request: web.Request) -> web.Response:
        return web.json_response(page)

    app = web.Application()
    app.router.add_get("/2/tweets/search/recent", recent)
    server = await aiohttp_server(app)
    collector = build_collector(SOURCE, "twitter", {"queries": ["lampu"], "bearer_token_env": TOKEN_ENV,
                                                    "base_url": str(server.make_url("/"))}, {TOKEN_ENV: TOKEN})
    batches = [batch async for batch in collector.collect({})]
    await collector.aclose()
    items = [item for batch in batches for item in batch.items]
    assert sorted(item.content_type for item in items) == sorted([TWEET, UNREADABLE, UNREADABLE])
    assert {item.origin for item in items} == {f"{str(server.make_url('/')).rstrip('/')}/2/tweets/search/recent?query=lampu"}


# ---- configuration -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("options", "environ", "message"), [
    ({"queries": ["banjir"]}, {}, "bearer_token_env"),
    ({"queries": ["banjir"], "bearer_token_env": "X_TOKEN"}, {}, "X_TOKEN, which is not set"),
    ({"querys": ["banjir"], "bearer_token_env": "X_TOKEN"}, {"X_TOKEN": "t"}, "querys"),
    ({"bearer_token_env": "X_TOKEN"}, {"X_TOKEN": "t"}, "queries or mentions_of"),
    ({"mentions_of": ["not a name"], "bearer_token_env": "X_TOKEN"}, {"X_TOKEN": "t"}, "not X usernames"),
    ({"queries": ["banjir"], "bearer_token_env": "X_TOKEN", "max_results": 500}, {"X_TOKEN": "t"}, "max_results"),
])
def test_configuration_mistakes_name_the_field(options: dict, environ: dict, message: str) -> None:
    with pytest.raises(ConfigProblem, match=re.escape(message)) as problem:
        build_collector("x-dki", "twitter", options, environ)
    assert "x-dki" in str(problem.value)


# ---- what the items hold ---------------------------------------------------------------------------

async def test_items_parse_like_the_archive_import_of_the_same_tweets(world: XWorld, engine: Engine,
                                                                       repo_root: Path) -> None:
    world.state.recent_window = None  # the bundled samples are older than a week
    assert world.state.load_samples(repo_root / "samples" / "twitter") > 0
    archived = {item.external_id: item for path in sorted((repo_root / "samples" / "twitter").glob("*.jsonl"))
                for item in XArchiveReader().read(path, SOURCE)}
    queries = queries_covering([orjson.loads(item.payload)["data"] for item in archived.values()])
    collected: list[RawItem] = []
    await collect_all(world.make_collector(queries=queries, max_results=100), engine, seen=collected)
    live = stored_items(engine)
    assert set(live) == set(archived)
    parsers = all_parsers()
    for external_id, item in live.items():
        assert item.content_type == TWEET and item.source == SOURCE and item.origin.startswith(world.base_url)
        from_api, from_archive = parse(item, parsers), parse(archived[external_id], parsers)
        assert comparable(from_api) == comparable(from_archive), external_id
    # As the daemon processes them: the items in hand, each with the tweet it was encoded from.
    for item in collected:
        assert isinstance(item, DecodedTweet) and item.document == orjson.loads(item.payload)
        assert parse(item, parsers) == parse(live[item.external_id], parsers), item.external_id


async def test_replies_retweets_and_places_reach_the_normalizer(world: XWorld, engine: Engine) -> None:
    state = world.state
    original = state.publish_text("Banjir 50 cm di Kel. Kampung Melayu @BPBDJakarta", "warga_asli")
    retweet = state.publish_text(f"RT @warga_asli: {original['text']}", "penerus", retweet_of=original)
    reply = state.publish_text("@warga_asli banjir juga di Bidara Cina", "tetangga", reply_to=original)
    placed = state.publish_text("Banjir di depan kantor kelurahan", "warga_geo",
                                place={"id": "01a9a39529b27f36", "full_name": "Jatinegara, Jakarta Timur",
                                       "geo": {"type": "Feature", "bbox": [106.86, -6.24, 106.89, -6.21]}})
    await collect_all(world.make_collector(queries=["banjir OR @warga_asli"]), engine)
    mentions = {item.external_id: parse(item, all_parsers()) for item in stored_items(engine).values()}
    assert set(mentions) == {original["id"], retweet["id"], reply["id"], placed["id"]}
    assert mentions[retweet["id"]].repost_of == original["id"]
    assert mentions[reply["id"]].reply_to == original["id"]
    assert mentions[original["id"]].author.handle == "warga_asli"
    assert mentions[original["id"]].mentions == ("BPBDJakarta",)
    assert mentions[placed["id"]].geo is not None
    assert mentions[original["id"]].created_at.tzinfo is not None


async def test_tweepys_recorded_responses_are_collected_without_loss(
        world: XWorld, engine: Engine, tweepy_response_files: list[Path]) -> None:
    """Real X bodies (2022; tweets with id and text only) served by the stand-in: every tweet is stored,
    and each parses or is quarantined with a reason. Recorded tweets carry nothing but text to select
    them by, so the queries are built from words of their texts."""
    world.state.recent_window = None
    expected: set[str] = set()
    for path in tweepy_response_files:
        body = json.loads(path.read_bytes())
        world.state.load_response(body)
        data = body.get("data") if isinstance(body, dict) else None
        for entry in data if isinstance(data, list) else [data] if isinstance(data, dict) else []:
            if "text" in entry:
                expected.add(entry["id"])
    assert len(expected) > 100
    tweets = [world.state.tweets[tweet_id].tweet for tweet_id in expected]
    await collect_all(world.make_collector(queries=queries_covering(tweets), max_results=10), engine)
    live = stored_items(engine)
    assert set(live) == expected
    parsers = all_parsers()
    reasons = []
    for item in live.values():
        try:
            parse(item, parsers)
        except NormalizeError as problem:
            reasons.append(str(problem))
    assert all(reasons), "a quarantined item must carry its reason"


# ---- helpers ---------------------------------------------------------------------------------------

async def _run(world: XWorld, engine: Engine) -> Any:
    return await _closing_run(world.make_collector(), engine)


async def _closing_run(collector: Any, engine: Engine) -> Any:
    try:
        return await run_once(collector, engine, "twitter")
    finally:
        await collector.aclose()


def stored_items(engine: Engine) -> dict[str, RawItem]:
    """The stored raw items of the source, read back as RawItems."""
    with engine.connect() as connection:
        rows = connection.execute(select(RawItemRow.__table__).where(RawItemRow.source == SOURCE)).all()
    return {row.external_id: RawItem(row.channel, row.source, row.external_id, row.payload, row.content_type,
                                     row.fetched_at, row.origin) for row in rows}


def queries_covering(tweets: list[dict], limit: int = 500) -> list[str]:
    """OR-queries of one word from each tweet, each within recent search's length limit."""
    words = []
    for tweet in tweets:
        candidates = re.findall(r"\w{4,}", str(tweet.get("text", "")))
        words.append(max(candidates, key=len) if candidates else re.findall(r"\w+", tweet["text"])[0])
    queries, current = [], ""
    for word in dict.fromkeys(word.casefold() for word in words):
        joined = f"{current} OR {word}" if current else word
        if len(joined) > limit:
            queries.append(current)
            joined = word
        current = joined
    return [*queries, current] if current else queries


def comparable(mention: Any) -> dict:
    """A Mention without what differs by design between an import and a live fetch."""
    fields = dataclasses.asdict(mention)
    fields.pop("source", None)
    return fields

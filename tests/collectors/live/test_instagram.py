"""The Instagram collector driving the real instaloader against Instagram's faked HTTP answers.

Only the network is faked (``responses`` patches every requests session, in every thread), so
instaloader's own request building, paging, comment fetching and error handling run as in
production, in the collector's worker threads.
"""

from __future__ import annotations

import json
import pickle
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import responses

from collectors.content_types import INSTAGRAM_COMMENT, INSTAGRAM_POST, UNREADABLE
from collectors.live import build_collector
from collectors.live.base import Batch, Blocked, ConfigProblem, PermanentFailure, RateLimited, TemporaryFailure
from collectors.live.instagram import InstagramCollector
from collectors.live.instagram_cursor import InstagramCursor, Mark, Target
from collectors.live.instagram_session import SessionFileProblem, read_session_cookies
from normalizer.channels import all_parsers, parse
from tests.collectors.live.contract import SOURCE, CollectorContract
from tests.collectors.live.instagram_fake import CHECKPOINT, COMMENTS_QUERY, PLEASE_WAIT, FakeInstagram, Fault, load_node

SAMPLE_POST = 1795273878  # taken_at of the bundled dkijakarta sample post
NOW = datetime.fromtimestamp(SAMPLE_POST + 2 * 86400, UTC)
CITY = {"id": "1536257839", "username": "dkijakarta"}
CITIZEN = {"id": "9063901847288048581", "username": "mega_11"}


@pytest.fixture
def samples(repo_root: Path) -> Path:
    return repo_root / "samples" / "instagram"


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    path = tmp_path / "session-pantau"
    with open(path, "wb") as out:  # what `instaloader --login` writes: a pickled dict of cookies
        pickle.dump({"sessionid": "42%3Asecret", "csrftoken": "csrf-1", "ds_user_id": "42", "mid": "m-1"}, out)
    return path


@pytest.fixture
def fake() -> Iterator[FakeInstagram]:
    fake = FakeInstagram(page_size=12)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.register(mock)
        yield fake


def sample_city_profile(fake: FakeInstagram, samples: Path, extra_posts: int = 0) -> dict[str, Any]:
    """The dkijakarta profile with its sample post and comments, plus ``extra_posts`` newer ones."""
    profile = fake.add_profile("dkijakarta", CITY["id"])
    sample = load_node(samples / "dkijakarta" / "2026-11-21_15-11-18_UTC.json.xz")
    profile.posts.append(sample)
    fake.comments[sample["shortcode"]] = json.loads(
        (samples / "dkijakarta" / "2026-11-21_15-11-18_UTC_comments.json").read_text())
    for number in range(extra_posts):
        profile.posts.insert(0, fake.new_post(sample, CITY, SAMPLE_POST + 600 * (number + 1),
                                              f"Pengumuman {number}: kerja bakti di Kel. Menteng"))
    return sample


def make(options: dict[str, Any], session_file: Path | None = None, clock: datetime = NOW,
         name: str = "ig-dki") -> InstagramCollector:
    values = {"polite_pauses": False, **options}
    if session_file is not None:
        values.update(session_file=str(session_file), login_user="pantau")
    collector = build_collector(name, "instagram", values, {}, {"clock": lambda: clock})
    assert isinstance(collector, InstagramCollector)
    return collector


async def run(collector: InstagramCollector, cursor: dict[str, Any] | None = None) -> list[Batch]:
    try:
        return [batch async for batch in collector.collect(cursor or {})]
    finally:
        await collector.aclose()


async def failure_of(collector: InstagramCollector, cursor: dict[str, Any] | None = None) -> Exception:
    with pytest.raises(Exception) as caught:
        await run(collector, cursor)
    return caught.value


def items_of(batches: list[Batch]) -> list[Any]:
    return [item for batch in batches for item in batch.items]


# -- posts and comments ---------------------------------------------------------------------------


async def test_profile_posts_and_their_comments_are_stored_as_instaloader_saves_them(
        fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample = sample_city_profile(fake, samples, extra_posts=2)
    batches = await run(make({"profiles": ["dkijakarta"]}, session_file))
    items = items_of(batches)
    posts = [item for item in items if item.content_type == INSTAGRAM_POST]
    comments = [item for item in items if item.content_type == INSTAGRAM_COMMENT]
    assert [post.external_id for post in posts] == [node["shortcode"] for node in fake.profiles["dkijakarta"].posts]
    saved = json.loads((samples / "dkijakarta" / "2026-11-21_15-11-18_UTC_comments.json").read_text())
    expected_comments = {str(c["id"]) for c in saved} | {str(a["id"]) for c in saved for a in c["answers"]}
    assert {item.external_id for item in comments} == expected_comments  # 17 > 12: the iPhone comments endpoint
    assert not [item for item in items if item.content_type == UNREADABLE]
    document = json.loads(next(p for p in posts if p.external_id == sample["shortcode"]).payload)
    assert document["instaloader"] == {"version": "4.16", "node_type": "Post"}
    assert document["node"]["caption"].startswith("Car Free Day")
    parsers = all_parsers()
    mentions = {item.external_id: parse(item, parsers) for item in items}
    assert mentions[sample["shortcode"]].author.handle == "dkijakarta"
    answer = next(a for c in saved for a in c["answers"])
    assert mentions[str(answer["id"])].reply_to == next(str(c["id"]) for c in saved if answer in c["answers"])
    assert all(item.source == "ig-dki" for item in items)
    assert fake.threads and threading.main_thread().name not in fake.threads  # answered in worker threads
    assert batches[-1].cursor == {"profiles": {"dkijakarta": {"newest": SAMPLE_POST + 1200,
                                                              "shortcode": posts[0].external_id}},
                                  "hashtags": {}}


async def test_without_a_session_posts_come_through_the_logged_out_web_app(fake: FakeInstagram,
                                                                           samples: Path) -> None:
    sample_city_profile(fake, samples, extra_posts=14)  # 15 posts: the page's first 12, then one more query
    items = items_of(await run(make({"profiles": ["dkijakarta"]})))
    assert [item.external_id for item in items] == [node["shortcode"] for node in fake.profiles["dkijakarta"].posts]
    assert all(item.content_type == INSTAGRAM_POST for item in items)  # comments need a login: not asked
    assert not any("/comments/" in url or COMMENTS_QUERY in url for url in fake.requests)
    assert any(url.endswith("doc_id=28904005159232689") for url in fake.requests)  # the second page
    for item in items:
        mention = parse(item, all_parsers())
        assert mention.author.handle == "dkijakarta" and mention.text


async def test_a_few_comments_come_through_graphql_with_their_answers(
        fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample = sample_city_profile(fake, samples)
    saved = fake.comments[sample["shortcode"]]
    fake.comments[sample["shortcode"]] = [c for c in saved if c["answers"]][:2] + [c for c in saved if not c["answers"]][:3]
    items = items_of(await run(make({"profiles": ["dkijakarta"]}, session_file)))
    comments = [item for item in items if item.content_type == INSTAGRAM_COMMENT]
    kept = fake.comments[sample["shortcode"]]
    assert len(comments) == len(kept) + sum(len(c["answers"]) for c in kept)
    assert any("query_hash=97b41c52301f77ce508f55e66d17620e" in url for url in fake.requests)
    for item in comments:
        assert parse(item, all_parsers()).external_id == item.external_id


async def test_hashtag_posts_are_the_graphql_nodes_verbatim(fake: FakeInstagram, samples: Path,
                                                           session_file: Path) -> None:
    for tag in ("banjirjakarta", "jakartalapor"):
        fake.hashtags[tag] = [load_node(path) for path in sorted((samples / f"#{tag}").glob("*.json*"))]
    items = items_of(await run(make({"hashtags": ["#BanjirJakarta", "jakartalapor"]}, session_file)))
    assert sorted(item.external_id for item in items) == sorted(
        nodes[0]["shortcode"] for nodes in fake.hashtags.values())
    for item in items:
        node = json.loads(item.payload)["node"]
        assert node == next(n for nodes in fake.hashtags.values() for n in nodes if n["shortcode"] == item.external_id)
        assert parse(item, all_parsers()).text


async def test_the_next_run_stores_only_new_posts_and_rereads_recent_comments(
        fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample = sample_city_profile(fake, samples, extra_posts=1)
    first = await run(make({"profiles": ["dkijakarta"], "comments_days": 7}, session_file))
    newer = fake.new_post(sample, CITY, SAMPLE_POST + 7200, "Info pemadaman listrik")
    fake.profiles["dkijakarta"].posts.insert(0, newer)
    second = items_of(await run(make({"profiles": ["dkijakarta"], "comments_days": 7}, session_file),
                                first[-1].cursor))
    assert newer["shortcode"] in {item.external_id for item in second}
    assert sample["shortcode"] not in {i.external_id for i in second if i.content_type == INSTAGRAM_POST}
    assert len([i for i in second if i.content_type == INSTAGRAM_COMMENT]) > 0  # recent: comments re-read
    fake.requests.clear()
    later = NOW + timedelta(days=30)
    third = await run(make({"profiles": ["dkijakarta"], "comments_days": 7}, session_file, clock=later),
                      InstagramCursor.from_json(first[-1].cursor).advanced(
                          Target("profiles", "dkijakarta"), Mark(SAMPLE_POST + 7200, newer["shortcode"])).to_json())
    assert [i.external_id for i in items_of(third)] == [newer["shortcode"]]  # overlap of one, no old comments
    assert not any("/comments/" in url for url in fake.requests)


async def test_max_posts_per_run_bounds_a_first_run(fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample_city_profile(fake, samples, extra_posts=30)
    batches = await run(make({"profiles": ["dkijakarta"], "max_posts_per_run": 20, "comments": False,
                              "batch_posts": 8}, session_file))
    assert len([i for i in items_of(batches) if i.content_type == INSTAGRAM_POST]) == 20
    assert [len(b.items) for b in batches] == [8, 8, 4]
    assert batches[-1].notes["truncated"] is True
    assert all(b.cursor == {"profiles": {}, "hashtags": {}} for b in batches[:-1])  # moves only at the end


async def test_a_malformed_post_in_a_good_page_is_kept_as_unreadable(
        fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample_city_profile(fake, samples, extra_posts=2)
    broken = {"id": "1", "shortcode": "broken", "served_as": {"pk": "1", "taken_at": 5, "media_type": 1}}
    fake.profiles["dkijakarta"].posts.insert(1, broken)
    items = items_of(await run(make({"profiles": ["dkijakarta"], "comments": False}, session_file)))
    unreadable = [item for item in items if item.content_type == UNREADABLE]
    assert len(unreadable) == 1 and json.loads(unreadable[0].payload)["node"] == broken["served_as"]
    assert len([item for item in items if item.content_type == INSTAGRAM_POST]) == 3


# -- failures -------------------------------------------------------------------------------------


async def test_please_wait_a_few_minutes_blocks_the_source_until_the_backoff(
        fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample_city_profile(fake, samples)
    fake.fault = Fault(401, PLEASE_WAIT)
    failure = await failure_of(make({"profiles": ["dkijakarta"], "block_backoff": 5400}, session_file))
    assert isinstance(failure, Blocked)
    assert failure.retry_at == NOW + timedelta(seconds=5400)
    assert "refresh the session file" in failure.reason and str(session_file) in failure.reason
    assert "secret" not in failure.reason and "csrf-1" not in failure.reason


async def test_a_401_on_the_json_api_blocks_too(fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample_city_profile(fake, samples)
    fake.fault = Fault(401, PLEASE_WAIT, paged_only=True)
    fake.add_profile("pantau", "77").posts = [fake.new_post(load_node(
        samples / "dkijakarta" / "2026-11-21_15-11-18_UTC.json.xz"), CITY, SAMPLE_POST + n, "x") for n in range(20)]
    failure = await failure_of(make({"profiles": ["pantau"], "comments": False}, session_file))
    assert isinstance(failure, Blocked) and "Please wait a few minutes" in failure.reason


async def test_429_reschedules_instead_of_sleeping_in_the_thread(
        fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample_city_profile(fake, samples, extra_posts=14)
    fake.fault = Fault(429, {"message": "Please wait", "status": "fail"}, paged_only=True)
    failure = await failure_of(make({"profiles": ["dkijakarta"], "comments": False}, session_file))
    assert isinstance(failure, RateLimited)
    assert failure.retry_at is not None and failure.retry_at > NOW  # instaloader's own wait, not taken
    assert sum(1 for url in fake.requests if url.startswith("POST https://www.instagram.com/api/graphql")) == 2


async def test_redirect_to_login_blocks_and_says_to_refresh_the_session(
        fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample_city_profile(fake, samples)
    fake.fault = Fault(302, "", headers={"Location": "https://www.instagram.com/accounts/login/?next=/api/graphql"})
    failure = await failure_of(make({"profiles": ["dkijakarta"]}, session_file))
    assert isinstance(failure, Blocked) and "instaloader --login pantau" in failure.reason


async def test_a_private_profile_without_login_is_login_required(fake: FakeInstagram) -> None:
    fake.add_profile("rt03kebonmelati", "55", private=True)
    failure = await failure_of(make({"profiles": ["rt03kebonmelati"]}))
    assert isinstance(failure, Blocked) and "session_file" in failure.reason


async def test_a_checkpoint_blocks(fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample_city_profile(fake, samples, extra_posts=14)
    fake.fault = Fault(400, CHECKPOINT, paged_only=True)
    failure = await failure_of(make({"profiles": ["dkijakarta"], "comments": False}, session_file))
    assert isinstance(failure, Blocked) and "checkpoint" in failure.reason


async def test_an_unknown_profile_is_permanent_but_the_others_are_collected(
        fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample = sample_city_profile(fake, samples)
    fake.hashtags["banjirjakarta"] = [load_node(next((samples / "#banjirjakarta").glob("*.json")))]
    collector = make({"profiles": ["tidakada_xyz", "dkijakarta"], "hashtags": ["banjirjakarta", "tagkosong"],
                      "comments": False}, session_file)
    stored: list[Any] = []
    with pytest.raises(PermanentFailure) as caught:
        try:
            async for batch in collector.collect({}):
                stored += batch.items
        finally:
            await collector.aclose()
    assert "tidakada_xyz" in caught.value.reason and "#tagkosong" in caught.value.reason
    assert {item.external_id for item in stored} == {sample["shortcode"], fake.hashtags["banjirjakarta"][0]["shortcode"]}


@pytest.mark.parametrize("fault", [Fault(500, {"message": "oops", "status": "fail"}),
                                   Fault(200, "<html>Something went wrong</html>")])
async def test_server_errors_and_html_pages_are_temporary(
        fake: FakeInstagram, samples: Path, session_file: Path, fault: Fault) -> None:
    sample_city_profile(fake, samples, extra_posts=14)
    fake.fault = Fault(fault.status, fault.body, paged_only=True)
    failure = await failure_of(make({"profiles": ["dkijakarta"], "comments": False}, session_file))
    assert isinstance(failure, TemporaryFailure)


async def test_a_network_error_is_temporary(samples: Path, session_file: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, "https://www.instagram.com/dkijakarta/",
                 body=requests.exceptions.ConnectionError("connection reset by peer"))
        failure = await failure_of(make({"profiles": ["dkijakarta"]}, session_file))
    assert isinstance(failure, TemporaryFailure) and "connection reset" in failure.reason


# -- configuration and session file ---------------------------------------------------------------


async def test_the_session_user_defaults_to_the_one_in_instaloaders_file_name(
        fake: FakeInstagram, samples: Path, session_file: Path) -> None:
    sample_city_profile(fake, samples)
    collector = build_collector("ig", "instagram", {"profiles": ["dkijakarta"], "session_file": str(session_file),
                                                    "polite_pauses": False}, {}, {"clock": lambda: NOW})
    items = items_of(await run(collector))  # type: ignore[arg-type]
    assert any(item.content_type == INSTAGRAM_COMMENT for item in items)  # logged in: comments were read
    fake.fault = Fault(401, PLEASE_WAIT)
    again = build_collector("ig", "instagram", {"profiles": ["dkijakarta"], "session_file": str(session_file),
                                                "polite_pauses": False}, {}, {"clock": lambda: NOW})
    failure = await failure_of(again)  # type: ignore[arg-type]
    assert isinstance(failure, Blocked) and "instaloader --login pantau" in failure.reason


def test_a_missing_session_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-session"
    with pytest.raises(ConfigProblem, match="no-such-session"):
        build_collector("ig", "instagram", {"profiles": ["dkijakarta"], "session_file": str(missing),
                                            "login_user": "pantau"}, {})


@pytest.mark.parametrize("options, field", [
    ({"profiles": ["dkijakarta"], "profile": ["x"]}, "profile"),
    ({"profiles": ["bukan nama!"]}, "profiles"),
    ({}, "profiles or hashtags"),
    ({"profiles": ["dkijakarta"], "login_user": "pantau"}, "session_file"),
])
def test_config_errors_name_the_field(options: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigProblem, match=field):
        build_collector("ig", "instagram", options, {})


def test_a_session_file_is_read_without_running_code(tmp_path: Path, session_file: Path) -> None:
    assert read_session_cookies(session_file)["ds_user_id"] == "42"
    hostile = tmp_path / "hostile"
    hostile.write_bytes(pickle.dumps(Path("/")))  # any class reference is refused
    with pytest.raises(SessionFileProblem, match="not an instaloader session file"):
        read_session_cookies(hostile)
    logged_out = tmp_path / "logged-out"
    logged_out.write_bytes(pickle.dumps({"sessionid": "", "csrftoken": "x"}))
    with pytest.raises(SessionFileProblem, match="sessionid"):
        read_session_cookies(logged_out)


async def test_a_damaged_session_file_fails_the_source_with_advice(fake: FakeInstagram, tmp_path: Path) -> None:
    damaged = tmp_path / "session"
    damaged.write_bytes(b"\x80\x04garbage")
    failure = await failure_of(make({"profiles": ["dkijakarta"]}, damaged))
    assert isinstance(failure, PermanentFailure) and "instaloader --login pantau" in failure.reason


def test_the_cursor_never_moves_backwards_and_keeps_unconfigured_targets() -> None:
    cursor = InstagramCursor.from_json({"profiles": {"old": {"newest": 10, "shortcode": "a"}},
                                        "hashtags": {"x": {"newest": "bad"}}})
    moved = cursor.advanced(Target("profiles", "dkijakarta"), Mark(50, "b"))
    assert moved.advanced(Target("profiles", "dkijakarta"), Mark(40, "c")) is moved
    assert moved.to_json() == {"profiles": {"dkijakarta": {"newest": 50, "shortcode": "b"},
                                            "old": {"newest": 10, "shortcode": "a"}}, "hashtags": {}}


# -- the contract ---------------------------------------------------------------------------------


class InstagramWorld:
    channel = "instagram"

    def __init__(self, fake: FakeInstagram, template: dict[str, Any], session_file: Path) -> None:
        self.fake = fake
        self.template = template
        self.session_file = session_file
        self.profile = fake.add_profile("dkijakarta", CITY["id"])
        self.published = 0

    async def publish(self, count: int) -> list[str]:
        shortcodes = []
        for _ in range(count):
            self.published += 1
            node = self.fake.new_post(self.template, CITIZEN, SAMPLE_POST + 60 * self.published,
                                      f"Laporan {self.published}: got mampet di Kel. Gunung Sahari")
            self.profile.posts.insert(0, node)
            shortcodes.append(node["shortcode"])
        return shortcodes

    def fail_after_first_batch(self) -> None:
        self.fake.fault = Fault(500, {"message": "Internal error", "status": "fail"}, paged_only=True)

    def heal(self) -> None:
        self.fake.fault = None

    def make_collector(self) -> InstagramCollector:
        return make({"profiles": ["dkijakarta"], "comments": False, "batch_posts": 5}, self.session_file,
                    name=SOURCE)

    def cursor_order(self, cursor: dict[str, Any]) -> Any:
        return cursor.get("profiles", {}).get("dkijakarta", {}).get("newest", 0)


class TestInstagramContract(CollectorContract):
    @pytest.fixture
    def world(self, samples: Path, session_file: Path) -> Iterator[InstagramWorld]:
        fake = FakeInstagram(page_size=5)
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            fake.register(mock)
            yield InstagramWorld(fake, load_node(next((samples / "#banjirjakarta").glob("*.json"))), session_file)

"""twarc2 JSONL, flattened tweets and single API responses split into one RawItem per tweet."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson

from collectors.archive import detect
from collectors.archive.twitter import READERS, XArchiveReader, split_response_page
from collectors.content_types import TWEET, UNREADABLE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "twitter"
READER = XArchiveReader()


def read_all(path: Path) -> list:
    return list(READER.read(path, "import"))


def test_each_fixture_is_recognised_as_an_x_archive() -> None:
    for name in ("twarc2_pages.jsonl", "twarc2_flattened.jsonl", "single_response.json"):
        assert detect(FIXTURES / name, READERS) is READERS[0], name


def test_pages_give_one_item_per_data_tweet_and_keep_the_broken_line() -> None:
    items = read_all(FIXTURES / "twarc2_pages.jsonl")
    tweets = [item for item in items if item.content_type == TWEET]
    unreadable = [item for item in items if item.content_type == UNREADABLE]
    page_ids = []
    for line in (FIXTURES / "twarc2_pages.jsonl").read_bytes().splitlines()[:2]:
        page_ids += [tweet["id"] for tweet in orjson.loads(line)["data"]]
    assert [item.external_id for item in tweets] == page_ids
    # tweets that only appear in includes (retweeted original, the official tweet) are context
    assert "1767000000000000001" not in page_ids
    assert len(unreadable) == 1
    assert unreadable[0].origin.endswith("#line=3")
    assert unreadable[0].external_id.startswith("sha256:")
    assert b"potongan baris rusak" in unreadable[0].payload
    assert all(item.channel == "twitter" and item.source == "import" for item in items)


def test_fetched_at_is_twarc_retrieval_time_and_origin_names_the_line() -> None:
    items = read_all(FIXTURES / "twarc2_pages.jsonl")
    assert items[0].fetched_at == datetime(2024, 3, 11, 9, 10, tzinfo=UTC)
    assert items[0].origin == f"{FIXTURES / 'twarc2_pages.jsonl'}#line=1"
    assert items[4].fetched_at == datetime(2024, 3, 11, 10, 5, tzinfo=UTC)
    assert items[4].origin.endswith("#line=2")


def test_payload_carries_only_the_includes_its_tweet_refers_to() -> None:
    items = read_all(FIXTURES / "twarc2_pages.jsonl")
    by_id = {item.external_id: orjson.loads(item.payload) for item in items if item.content_type == TWEET}

    plain = by_id["1767100000000000002"]["includes"]
    assert [user["username"] for user in plain["users"]] == ["warga_kemang", "DKIJakarta"]
    assert [media["media_key"] for media in plain["media"]] == ["3_1767100000000000003"]
    assert [place["id"] for place in plain["places"]] == ["01a9a39529b27f36"]
    assert "tweets" not in plain

    retweet = by_id["1767100000000000004"]["includes"]
    assert [tweet["id"] for tweet in retweet["tweets"]] == ["1767000000000000001"]
    assert {user["username"] for user in retweet["users"]} == {"bang_ojol", "sitimarlina"}
    assert [media["media_key"] for media in retweet["media"]] == ["3_1767000000000000009"]

    reply = by_id["1767100000000000006"]
    assert reply["data"]["id"] == "1767100000000000006"
    assert [tweet["id"] for tweet in reply["includes"]["tweets"]] == ["1767099999999999990"]


def test_flattened_tweets_get_their_inlined_expansions_back_as_includes() -> None:
    items = read_all(FIXTURES / "twarc2_flattened.jsonl")
    assert [item.external_id for item in items] == ["1767100000000000004", "1767100000000000006"]
    retweet = orjson.loads(items[0].payload)
    assert retweet["includes"]["tweets"][0]["id"] == "1767000000000000001"
    assert "type" not in retweet["includes"]["tweets"][0]
    assert {user["username"] for user in retweet["includes"]["users"]} == {"bang_ojol", "sitimarlina"}
    reply = orjson.loads(items[1].payload)
    assert reply["includes"]["places"][0]["id"] == "01a9a39529b27f36"
    assert reply["includes"]["places"][0]["geo"]["bbox"][0] == 106.7736


def test_single_pretty_printed_response_is_read_as_one_document() -> None:
    items = read_all(FIXTURES / "single_response.json")
    assert [(item.external_id, item.content_type) for item in items] == [("1767400000000000008", TWEET)]
    assert items[0].origin == str(FIXTURES / "single_response.json")


def test_byte_order_mark_and_non_object_lines(tmp_path: Path) -> None:
    archive = tmp_path / "tweets.jsonl"
    page = {"data": [{"id": "1767500000000000001", "text": "Air PAM mati", "author_id": "1"}]}
    archive.write_bytes(b"\xef\xbb\xbf" + orjson.dumps(page) + b"\n[1, 2]\n" + orjson.dumps({"hello": 1}) + b"\n")
    items = list(READER.read(archive, "import"))
    assert [item.content_type for item in items] == [TWEET, UNREADABLE, UNREADABLE]
    assert items[1].payload == b"[1, 2]"


def test_split_handles_a_single_tweet_page_and_malformed_references() -> None:
    page = {
        "data": {"id": "9", "text": "x", "referenced_tweets": "not-a-list"},
        "includes": {"users": [{"id": "1", "username": "a"}]},
    }
    [(tweet_id, payload)] = list(split_response_page(page))
    assert tweet_id == "9"
    assert orjson.loads(payload)["data"]["id"] == "9"
    assert list(split_response_page({"errors": [{"title": "x"}]})) == []

"""Tweets from X archives read as Mentions: retweets, quotes, replies, places, entities."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from collectors.archive.twitter import DecodedTweet, XArchiveReader
from collectors.content_types import TWEET
from collectors.types import RawItem
from normalizer.channels.twitter import PARSERS, parse_tweet
from normalizer.types import GEO_AREA, NormalizeError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "twitter"


def mentions_of(name: str) -> dict:
    items = XArchiveReader().read(FIXTURES / name, "import")
    return {item.external_id: parse_tweet(item) for item in items if item.content_type == TWEET}


def raw(payload: bytes) -> RawItem:
    return RawItem("twitter", "x-dki", "1", payload, TWEET, datetime.now(UTC), "test")


def test_registered_for_the_tweet_content_type() -> None:
    assert PARSERS[TWEET] is parse_tweet


def test_plain_complaint_with_point_entities_and_photo() -> None:
    mention = mentions_of("twarc2_pages.jsonl")["1767100000000000002"]
    assert mention.channel == "twitter" and mention.source == "import"
    assert mention.created_at == datetime(2024, 3, 11, 8, 30, 12, tzinfo=UTC)
    assert mention.text.startswith("Sampah numpuk & bau banget di pinggir kali Krukut")
    assert (mention.author.id, mention.author.handle, mention.author.name) == ("1402837461", "warga_kemang", "Rina Kemang")
    assert mention.permalink == "https://x.com/warga_kemang/status/1767100000000000002"
    assert mention.hashtags == ("sampah",)
    assert mention.mentions == ("DKIJakarta",)
    assert mention.urls == ()  # the only link is the photo's own
    assert mention.media == ("https://pbs.twimg.com/media/GIcrukut1.jpg",)
    assert (mention.geo.lat, mention.geo.lon) == (-6.2311, 106.8123)
    assert mention.lang == "in"
    assert (mention.reply_to, mention.quote_of, mention.repost_of) == (None, None, None)
    assert mention.category == "lainnya" and mention.is_complaint is False  # left to the analyzer


def test_retweet_reads_the_full_original_text() -> None:
    mention = mentions_of("twarc2_pages.jsonl")["1767100000000000004"]
    assert mention.repost_of == "1767000000000000001"
    assert not mention.text.startswith("RT @")
    assert mention.text.endswith("#banjirjakarta #kemang")
    assert mention.author.handle == "bang_ojol"  # the retweeter
    assert mention.hashtags == ("banjirjakarta", "kemang")
    assert mention.mentions == ("DKIJakarta", "BPBDJakarta")
    assert mention.media == ("https://pbs.twimg.com/media/GIkemang9.jpg",)


def test_quote_and_reply_references_and_place_centre() -> None:
    mentions = mentions_of("twarc2_pages.jsonl")
    quote = mentions["1767100000000000005"]
    assert quote.quote_of == "1767000000000000001" and quote.repost_of is None
    assert quote.urls == ("https://x.com/sitimarlina/status/1767000000000000001",)
    reply = mentions["1767100000000000006"]
    assert reply.reply_to == "1767099999999999990"
    assert reply.geo.lat == pytest.approx((-6.2574 + -6.2162) / 2)
    assert reply.geo.lon == pytest.approx((106.7736 + 106.8203) / 2)
    assert GEO_AREA in reply.flags  # a place some kilometres wide: its centre is no pin
    assert reply.place_tag == "Kebayoran Baru, Indonesia"  # its name still names the area
    assert quote.place_tag is None
    assert GEO_AREA not in mentions["1767100000000000002"].flags  # exact coordinates


def test_the_centre_of_a_spot_sized_place_is_a_pin() -> None:
    def tweet(bbox: list[float]) -> bytes:
        return orjson.dumps({
            "data": {"id": "1767100000000000099", "text": "banjir di sini", "geo": {"place_id": "p1"}},
            "includes": {"places": [{"id": "p1", "geo": {"type": "Feature", "bbox": bbox}}]},
        })

    spot = parse_tweet(raw(tweet([106.8120, -6.2312, 106.8124, -6.2309])))
    city = parse_tweet(raw(tweet([106.68, -6.37, 106.97, -6.08])))
    assert spot.geo is not None and GEO_AREA not in spot.flags
    assert city.geo is not None and GEO_AREA in city.flags


def test_flattened_archive_reads_like_the_paged_one() -> None:
    paged = mentions_of("twarc2_pages.jsonl")
    flat = mentions_of("twarc2_flattened.jsonl")
    for tweet_id in ("1767100000000000004", "1767100000000000006"):
        for field in ("text", "author", "hashtags", "media", "repost_of", "reply_to", "geo", "created_at"):
            assert getattr(flat[tweet_id], field) == getattr(paged[tweet_id], field), (tweet_id, field)


def test_default_fields_only_take_the_time_from_the_snowflake_id() -> None:
    mention = mentions_of("single_response.json")["1767400000000000008"]
    expected_ms = (1767400000000000008 >> 22) + 1288834974657
    assert mention.created_at == datetime.fromtimestamp(expected_ms / 1000, UTC)
    assert mention.permalink == "https://x.com/i/status/1767400000000000008"
    assert mention.author.handle is None
    assert mention.hashtags == () and mention.lang is None


def test_entities_come_from_text_when_the_api_gave_none() -> None:
    payload = orjson.dumps({"data": {"id": "1767400000000000009", "created_at": "2024-03-12T00:00:00Z",
                                     "text": "Got mampet di Tebet @dinasSDA_dki #saluranair cek https://jaki.jakarta.go.id/x)."}})
    mention = parse_tweet(raw(payload))
    assert mention.hashtags == ("saluranair",)
    assert mention.mentions == ("dinasSDA_dki",)
    assert mention.urls == ("https://jaki.jakarta.go.id/x",)


def test_note_tweet_gives_the_long_text() -> None:
    long_text = "Keluhan panjang soal parkir liar di trotoar Sudirman " * 8
    payload = orjson.dumps({"data": {"id": "1767400000000000010", "created_at": "2024-03-12T00:00:00Z",
                                     "text": long_text[:270] + "…", "note_tweet": {"text": long_text}}})
    assert parse_tweet(raw(payload)).text == long_text.strip()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{not json", "not JSON"),
        (b'{"errors": []}', 'no "data"'),
        (orjson.dumps({"data": {"text": "banjir"}}), "no id"),
        (orjson.dumps({"data": {"id": "1767400000000000011", "text": "banjir", "created_at": "kemarin"}}), "invalid created_at"),
        (orjson.dumps({"data": {"id": "12345", "text": "banjir"}}), "no created_at"),
        (orjson.dumps({"data": {"id": "1767400000000000012", "text": "  \u200b "}}), "no text"),
    ],
)
def test_unreadable_tweets_raise_with_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(NormalizeError, match=reason):
        parse_tweet(raw(payload))


@pytest.mark.parametrize("name", ["twarc2_pages.jsonl", "twarc2_flattened.jsonl", "single_response.json"])
def test_a_tweet_read_from_an_archive_parses_as_its_stored_payload_does(name: str) -> None:
    """The reader hands its decoded object along; what is stored (and replayed) is the payload."""
    items = [item for item in XArchiveReader().read(FIXTURES / name, "import") if item.content_type == TWEET]
    assert items
    for item in items:
        assert isinstance(item, DecodedTweet)
        assert item.document == orjson.loads(item.payload)
        stored = RawItem(item.channel, item.source, item.external_id, item.payload, item.content_type,
                         item.fetched_at, item.origin)
        assert parse_tweet(item) == parse_tweet(stored)

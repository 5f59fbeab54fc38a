"""Instagram posts and comments read as Mentions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from collectors.archive.instagram import InstaloaderCommentsReader, InstaloaderPostReader
from collectors.content_types import INSTAGRAM_COMMENT, INSTAGRAM_POST
from collectors.types import RawItem
from normalizer.channels.instagram import PARSERS, parse_comment, parse_post
from normalizer.types import NormalizeError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "instagram"


def post_from(name: str):
    [item] = list(InstaloaderPostReader().read(FIXTURES / name, "import"))
    return parse_post(item)


def test_parsers_are_registered() -> None:
    assert PARSERS == {INSTAGRAM_POST: parse_post, INSTAGRAM_COMMENT: parse_comment}


def test_sidecar_post_with_location() -> None:
    mention = post_from("2024-03-11_08-30-12_UTC.json.xz")
    assert mention.external_id == "C4Hk2pLvQxZ" and mention.channel == "instagram"
    assert mention.created_at == datetime.fromtimestamp(1710145812, UTC)
    assert mention.text.startswith("Banjir lagi di Jl. Kemang Raya, air udh sepinggang")
    assert "\n" not in mention.text
    assert (mention.author.id, mention.author.handle, mention.author.name) == ("5520931177", "warga.kemang", "Warga Kemang Bersatu")
    assert mention.permalink == "https://www.instagram.com/p/C4Hk2pLvQxZ/"
    assert mention.hashtags == ("banjirjakarta", "kemang")
    assert mention.mentions == ("dkijakarta", "bpbddki")
    assert mention.urls == ("https://linktr.ee/wargakemang",)
    assert mention.media == (
        "https://scontent.cdninstagram.com/v/t51/banjir-1.jpg",
        "https://scontent.cdninstagram.com/v/t50/banjir-2.mp4",
    )
    assert (mention.geo.lat, mention.geo.lon) == (-6.2607, 106.8136)
    assert mention.place_tag == "Kemang, Jakarta"
    assert mention.lang is None


def test_single_image_post_without_location() -> None:
    mention = post_from("2024-03-12_08-00-00_UTC.json")
    assert mention.media == ("https://scontent.cdninstagram.com/v/t51/sampah.jpg",)
    assert mention.geo is None and mention.author.name is None and mention.place_tag is None


def test_comments_reply_to_their_parent_or_post() -> None:
    items = list(InstaloaderCommentsReader().read(FIXTURES / "2024-03-11_08-30-12_UTC_comments.json", "import"))
    mentions = {mention.external_id: mention for mention in map(parse_comment, items)}
    top = mentions["18031234567890123"]
    assert top.reply_to == "C4Hk2pLvQxZ"
    assert top.mentions == ("dkijakarta",)
    assert top.created_at == datetime.fromtimestamp(1710150000, UTC)
    assert top.permalink == "https://www.instagram.com/p/C4Hk2pLvQxZ/c/18031234567890123/"
    answer = mentions["18031234567890999"]
    assert answer.reply_to == "18031234567890123"
    assert answer.author.handle == "dkijakarta"
    assert mentions["18031234567890001"].hashtags == ("banjirjakarta",)


def raw(content_type: str, document: object) -> RawItem:
    return RawItem("instagram", "import", "x", orjson.dumps(document), content_type, datetime.now(UTC), "test")


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"node": {"shortcode": "C4H"}, "instaloader": {"node_type": "Profile"}}, "not a Post"),
        ({"node": {"taken_at_timestamp": 1710000000, "caption": "x"}, "instaloader": {"node_type": "Post"}}, "no shortcode"),
        ({"node": {"shortcode": "C4H", "taken_at_timestamp": 1710000000}, "instaloader": {"node_type": "Post"}}, "no caption"),
        ({"node": {"shortcode": "C4H", "caption": "banjir"}, "instaloader": {"node_type": "Post"}}, "invalid time"),
    ],
)
def test_unreadable_posts_raise_with_a_reason(document: dict, reason: str) -> None:
    with pytest.raises(NormalizeError, match=reason):
        parse_post(raw(INSTAGRAM_POST, document))


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"comment": {"created_at": 1710000000, "text": "x"}}, "no id"),
        ({"comment": {"id": 5, "created_at": 1710000000, "text": " "}}, "no text"),
        ({"comment": {"id": 5, "created_at": "nanti", "text": "banjir"}}, "invalid created_at"),
        ([1, 2], "not a JSON object"),
    ],
)
def test_unreadable_comments_raise_with_a_reason(document: object, reason: str) -> None:
    with pytest.raises(NormalizeError, match=reason):
        parse_comment(raw(INSTAGRAM_COMMENT, document))

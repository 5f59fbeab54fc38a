"""Timestamps, text entities and coordinates as every channel parser reads them."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime

import pytest

from normalizer.channels.geopoint import bbox_centre, bbox_is_area, geo_point
from normalizer.channels.message_text import HASHTAG, MENTION, clean_text, hashtags_in, mentions_in, urls_in
from normalizer.channels.timeparse import parse_timestamp


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-11 07:20:00", datetime(2024, 3, 11, 0, 20, tzinfo=UTC)),  # WIB when no zone
        ("2024-03-11T07:20:00Z", datetime(2024, 3, 11, 7, 20, tzinfo=UTC)),
        ("2024-03-11T07:20:00.500Z", datetime(2024, 3, 11, 7, 20, 0, 500000, tzinfo=UTC)),  # X's form
        (" 2024-03-11T07:20:00Z", datetime(2024, 3, 11, 7, 20, tzinfo=UTC)),
        ("2024-03-11T07:20:00.123+07:00", datetime(2024, 3, 11, 0, 20, 0, 123000, tzinfo=UTC)),
        (1710145812, datetime(2024, 3, 11, 8, 30, 12, tzinfo=UTC)),
        ("1710145812000", datetime(2024, 3, 11, 8, 30, 12, tzinfo=UTC)),
    ],
)
def test_timestamps(value: object, expected: datetime) -> None:
    moment = parse_timestamp(value)
    assert moment == expected and moment.tzinfo is UTC


@pytest.mark.parametrize("value", [None, "", "besok", True, 0, "1970-01-01T00:00:00Z", "Z", "2024-13-01T00:00:00Z", [2024], "0000-00-00 00:00:00"])
def test_bad_timestamps_say_why(value: object) -> None:
    with pytest.raises(ValueError, match="timestamp|unix time|out of range"):
        parse_timestamp(value)


def test_clean_text_folds_whitespace_and_drops_invisible_characters() -> None:
    assert clean_text("  Banjir\u200b di\n\n Kemang\t&amp; Bangka ", unescape_html=True) == "Banjir di Kemang & Bangka"
    assert clean_text(None) == ""


def test_one_entity_in_a_text() -> None:
    assert hashtags_in("banjir #Kemang") == ("Kemang",)
    assert hashtags_in("antrian #1") == ()
    assert mentions_in("lapor @warga_kemang.") == ("warga_kemang",)
    assert mentions_in("RT @warga: banjir") == ("warga",)


def test_entities_from_text() -> None:
    text = "Tolong @DKIJakarta @dkijakarta cek #Banjir #banjir #1 lapor ke x@mail.go.id (lihat https://jaki.id/a_b), ok"
    assert hashtags_in(text) == ("Banjir",)
    assert mentions_in(text) == ("DKIJakarta",)
    assert urls_in(text) == ("https://jaki.id/a_b",)
    assert mentions_in("cc @warga.kemang.") == ("warga.kemang",)


def test_points_are_validated() -> None:
    assert geo_point("-6.2", "106.8").lat == -6.2
    assert geo_point(0, 0) is None
    assert geo_point(-91, 106) is None
    assert geo_point("", None) is None
    assert geo_point(float("nan"), 1) is None
    centre = bbox_centre([106.0, -7.0, 107.0, -6.0])
    assert (centre.lat, centre.lon) == (-6.5, 106.5)
    assert bbox_centre([1, 2]) is None
    assert bbox_is_area([106.68, -6.37, 106.97, -6.08])  # a city
    assert not bbox_is_area([106.8120, -6.2312, 106.8124, -6.2309])  # a building
    assert not bbox_is_area([1, 2]) and not bbox_is_area("x")


def test_hashtags_and_handles_only_where_no_word_runs_into_them() -> None:
    assert hashtags_in("#awal tengah#bukan &#38; /#bukan ##dobel ＃lebar") == ("awal", "lebar")
    assert mentions_in("@awal x@bukan .@bukan @@dobel (@kurung)") == ("awal", "kurung")


def test_sign_first_patterns_find_what_the_look_behind_ones_did() -> None:
    """HASHTAG and MENTION start with their sign so that they are tried only there; they must find
    exactly what the plain reading ("a sign not right after a word character") finds."""
    plain_hashtag = re.compile(r"(?<![\w&/#])[#＃](\w{1,139})")
    plain_mention = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)")
    pieces = ["@", "#", "＃", ".", "a", "B", "_", "&", "/", " ", "1", "é", "\n", "x.y"]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        assert HASHTAG.findall(text) == plain_hashtag.findall(text), text
        assert MENTION.findall(text) == plain_mention.findall(text), text

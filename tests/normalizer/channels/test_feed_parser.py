"""Feed entries and JSON Feed items to Mentions: clean text, UTC times, safe links, GeoRSS order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from collectors.archive import detect
from collectors.archive.feeds import READERS
from collectors.content_types import FEED_ENTRY, JSON_FEED_ITEM
from collectors.types import RawItem
from normalizer.channels import parse
from normalizer.channels.feeds import PARSERS, parse_feed_entry, parse_json_feed_item
from normalizer.types import GeoPoint, NormalizeError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"
FETCHED_AT = datetime(2025, 2, 1, 12, 0, tzinfo=UTC)


def mentions_of(name: str):
    path = FIXTURES / name
    return [parse(item, PARSERS) for item in detect(path, READERS).read(path, "umpan")]


def raw(content_type: str, document: dict) -> RawItem:
    return RawItem(
        channel="rss", source="umpan", external_id="e1", payload=orjson.dumps(document),
        content_type=content_type, fetched_at=FETCHED_AT, origin="test",
    )


def test_rss_item_text_time_author_geo_media() -> None:
    first, second, third = mentions_of("laporan_warga.rss")
    assert first.title == "Banjir di Jl. Kemang Raya"
    assert first.text == (
        "Banjir di Jl. Kemang Raya\n\nAir setinggi 50 cm di depan sekolah & pasar.\n\n#banjirjakarta @BPBDJakarta"
    )
    assert first.created_at == datetime(2025, 1, 14, 1, 15, 30, tzinfo=UTC)
    assert first.permalink == "https://laporan.example.org/r/101"
    assert first.author.name == "Andres Wijaya"
    # <georss:point> is "lat lon"; feedparser hands it on as GeoJSON (lon, lat).
    assert first.geo == GeoPoint(lat=-6.2607, lon=106.8137)
    assert first.media == ("https://laporan.example.org/media/101.jpg",)
    assert first.hashtags == ("banjirjakarta",) and first.mentions == ("BPBDJakarta",)
    assert first.external_id == "laporan-101" and first.channel == "rss" and first.source == "umpan"

    assert second.permalink == "https://laporan.example.org/r/102"  # relative link joined to the feed's
    assert second.created_at == second.created_at.astimezone(UTC)
    assert "date_missing" in second.flags

    assert third.permalink is None  # a javascript: link is never a permalink
    assert "javascript" not in third.text and third.text.endswith("klik lampu jalan mati")


def test_atom_entry_plain_title_html_content_and_w3c_geo() -> None:
    [mention] = mentions_of("keluhan.atom")
    assert mention.title == "Jalan berlubang <besar> di Kel. Cipinang"  # type="text": kept literally
    assert mention.text.endswith("Lubang sedalam 20 cm.\n\ndekat halte\nsudah 2 minggu")
    assert mention.created_at == datetime(2025, 1, 15, 2, 30, tzinfo=UTC)  # published wins over updated
    assert mention.geo == GeoPoint(lat=-6.225, lon=106.889)
    assert mention.author.name == "Siti Rahma" and mention.author.id == "siti@example.org"


def test_rdf_item() -> None:
    [mention] = mentions_of("keluhan.rdf")
    assert mention.text == "Pohon tumbang di Jl. Fatmawati\n\nPohon tumbang menutup dua lajur."
    assert mention.created_at == datetime(2025, 1, 16, 0, 0, tzinfo=UTC)


def test_json_feed_items() -> None:
    items = [item for item in detect(FIXTURES / "laporan.json", READERS).read(FIXTURES / "laporan.json", "umpan")]
    first, second, third = (parse_json_feed_item(item) for item in items[:3])
    assert first.text == "Kemacetan parah di Jl. TB Simatupang\n\nMacet total sejak pukul 07.00 — lampu lalu lintas mati."
    assert first.created_at == datetime(2025, 1, 17, 0, 30, tzinfo=UTC)
    assert first.author.name == "Dewi"
    assert first.media == ("https://json.example.org/media/401.mp4",)
    assert second.hashtags == ("trotoar",) and second.permalink is None
    assert second.created_at == datetime(2025, 1, 17, 8, 0, tzinfo=UTC)  # date_modified when unpublished
    assert "date_missing" in third.flags


def test_entry_without_any_text_is_refused() -> None:
    with pytest.raises(NormalizeError, match="no title and no text"):
        parse_feed_entry(raw(FEED_ENTRY, {"feed": {}, "entry": {"id": "x", "summary": "<img src='a.png'>"}}))


def test_payload_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(NormalizeError):
        parse_feed_entry(raw(FEED_ENTRY, {"feed": {}, "item": {}}))
    with pytest.raises(NormalizeError):
        parse_json_feed_item(raw(JSON_FEED_ITEM, {"item": "teks"}))


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"type": "Point", "coordinates": [106.8, -6.2]}, GeoPoint(lat=-6.2, lon=106.8)),
        ({"type": "Polygon", "coordinates": [[[106.0, -6.0], [107.0, -6.0], [107.0, -7.0], [106.0, -7.0]]]},
         GeoPoint(lat=-6.5, lon=106.5)),
        ({"type": "Point", "coordinates": [500.0, -6.2]}, None),
        ({"type": "Point", "coordinates": "rusak"}, None),
    ],
)
def test_georss_shapes(where: dict, expected: GeoPoint | None) -> None:
    mention = parse_feed_entry(raw(FEED_ENTRY, {"feed": {}, "entry": {"title": "t", "where": where}}))
    assert mention.geo == expected

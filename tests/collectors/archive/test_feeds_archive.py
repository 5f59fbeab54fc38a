"""RSS/Atom/RDF and JSON Feed archives: one item per entry, broken feeds kept, empty feeds silent."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from collectors.archive import detect
from collectors.archive.feeds import READERS, absolute_link, json_safe, looks_like_xml_feed
from collectors.content_types import FEED_ENTRY, JSON_FEED_ITEM, UNREADABLE
from collectors.types import fallback_external_id

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"


def read_all(path: Path):
    reader = detect(path, READERS)
    assert reader is not None, f"{path.name} not recognised"
    return list(reader.read(path, "feeds"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("laporan_warga.rss", "xml-feed"),
        ("keluhan.atom", "xml-feed"),
        ("keluhan.rdf", "xml-feed"),
        ("rusak_tanpa_entri.xml", "xml-feed"),
        ("laporan.json", "json-feed"),
        ("../email/keluhan_banjir.eml", None),
        ("../email/arsip.mbox", None),
    ],
)
def test_fixtures_are_recognised(name: str, expected: str | None) -> None:
    reader = detect(FIXTURES / name, READERS)
    assert (reader.name if reader else None) == expected


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32"])
def test_wide_encodings_are_sniffed(encoding: str) -> None:
    assert looks_like_xml_feed('<?xml version="1.0"?><rss version="2.0"><channel/></rss>'.encode(encoding))


@pytest.mark.parametrize("head", [b'{"items": []}', b"<service_requests><request/></service_requests>", b"<html><body>feedback</body></html>"])
def test_other_documents_are_not_feeds(head: bytes) -> None:
    assert not looks_like_xml_feed(head)


def test_rss_entries_become_feed_items_with_page_context() -> None:
    items = read_all(FIXTURES / "laporan_warga.rss")
    assert [item.content_type for item in items] == [FEED_ENTRY] * 3
    assert [item.external_id for item in items] == [
        "laporan-101",  # guid as written
        "https://laporan.example.org/r/102",  # no guid: the link, made absolute against the feed's link
        "laporan-103",
    ]
    first = orjson.loads(items[0].payload)
    assert first["feed"] == {"title": "Laporan Warga Jakarta Selatan", "link": "https://laporan.example.org/", "id": None}
    entry = first["entry"]
    assert entry["published_parsed"] == "2025-01-14T01:15:30+00:00"  # struct_time kept as ISO UTC
    assert entry["where"] == {"type": "Point", "coordinates": [106.8137, -6.2607]}  # GeoJSON: lon, lat
    assert "<script>" not in entry["summary"]  # feedparser's sanitizer ran
    assert {item.channel for item in items} == {"rss"}


def test_entry_ids_do_not_depend_on_where_the_archive_lies(tmp_path: Path) -> None:
    copy = tmp_path / "somewhere" / "else.xml"
    copy.parent.mkdir()
    shutil.copy(FIXTURES / "rusak_dengan_entri.xml", copy)
    original = [item.external_id for item in read_all(FIXTURES / "rusak_dengan_entri.xml")]
    assert [item.external_id for item in read_all(copy)] == original
    assert original[0] == "rusak-1"


def test_bozo_feed_with_entries_gives_its_entries() -> None:
    items = read_all(FIXTURES / "rusak_dengan_entri.xml")
    assert [item.content_type for item in items] == [FEED_ENTRY, FEED_ENTRY]
    assert orjson.loads(items[0].payload)["entry"]["title"] == "Genangan di Kel. Grogol"


def test_bozo_feed_without_entries_is_kept_whole_as_unreadable() -> None:
    path = FIXTURES / "rusak_tanpa_entri.xml"
    [item] = read_all(path)
    assert item.content_type == UNREADABLE
    assert item.payload == path.read_bytes()
    assert item.external_id == fallback_external_id(path.read_bytes())


def test_well_formed_feed_without_entries_yields_nothing() -> None:
    assert read_all(FIXTURES / "kosong.rss") == []


def test_atom_and_rdf_entries() -> None:
    [atom] = read_all(FIXTURES / "keluhan.atom")
    assert atom.external_id == "tag:keluhan.example.org,2025:201"
    assert orjson.loads(atom.payload)["entry"]["geo_lat"] == "-6.2250"
    [rdf] = read_all(FIXTURES / "keluhan.rdf")
    assert rdf.external_id == "https://rdf.example.org/301"


def test_json_feed_items_ids_and_broken_items() -> None:
    items = read_all(FIXTURES / "laporan.json")
    assert [item.content_type for item in items] == [JSON_FEED_ITEM] * 3 + [UNREADABLE]
    assert [item.external_id for item in items[:3]] == ["json-401", "402", "https://json.example.org/403"]
    payload = orjson.loads(items[0].payload)
    assert payload["feed"] == {
        "title": "Laporan Warga (JSON Feed)",
        "home_page_url": "https://json.example.org/",
        "feed_url": "https://json.example.org/feed.json",
    }
    assert payload["item"]["id"] == "json-401"
    assert orjson.loads(items[3].payload) == "bukan objek"


def test_json_feed_that_is_not_json_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_bytes(b'{"version": "https://jsonfeed.org/version/1", "items": [')
    [item] = read_all(path)
    assert item.content_type == UNREADABLE
    assert item.payload == path.read_bytes()


def test_json_safe_handles_nested_times_and_odd_values() -> None:
    import time

    value = {"a_parsed": time.gmtime(0), "nested": [(1, 2), {"b": b"x"}], 3: object}
    safe = json_safe(value)
    assert safe["a_parsed"] == "1970-01-01T00:00:00+00:00"
    assert safe["nested"] == [[1, 2], {"b": "x"}]
    assert isinstance(safe["3"], str)
    orjson.dumps(safe)


def test_absolute_link_only_joins_relative_links_to_web_bases() -> None:
    assert absolute_link("/r/1", "https://a.example/x/") == "https://a.example/r/1"
    assert absolute_link("https://b.example/", "https://a.example/") == "https://b.example/"
    assert absolute_link("r/1", None) == "r/1"
    assert absolute_link("r/1", "file:///tmp/") == "r/1"

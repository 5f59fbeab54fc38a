"""Each JSON-based archive is claimed by exactly one reader, whatever order readers are tried in."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from collectors.archive import HEAD_BYTES, all_readers, detect
from collectors.archive import instagram, open311, qlue, twitter

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
READERS = [*twitter.READERS, *instagram.READERS, *open311.READERS, *qlue.READERS]

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Berita Jakarta",
    "items": [{"id": "1", "content_text": "Banjir di Kemang", "date_published": "2024-03-11T08:00:00+07:00"}],
}


def claimants(path: Path) -> list[str]:
    head = path.read_bytes()[:HEAD_BYTES]
    return [reader.name for reader in READERS if reader.sniff(path, head)]


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("twitter/twarc2_pages.jsonl", "x-api-v2"),
        ("twitter/twarc2_flattened.jsonl", "x-api-v2"),
        ("twitter/single_response.json", "x-api-v2"),
        ("instagram/2024-03-11_08-30-12_UTC.json.xz", "instaloader-post"),
        ("instagram/2024-03-12_08-00-00_UTC.json", "instaloader-post"),
        ("instagram/2024-03-11_08-30-12_UTC_comments.json", "instaloader-comments"),
        ("open311/requests.json", "open311-json"),
        ("open311/requests.xml", "open311-xml"),
        ("qlue/reports.json", "qlue-json"),
    ],
)
def test_fixture_is_claimed_by_its_reader_only(relative: str, expected: str) -> None:
    assert claimants(FIXTURES / relative) == [expected]


def test_bare_qlue_array_open311_array_and_x_page_are_told_apart(tmp_path: Path) -> None:
    samples = {
        "qlue-json": [{"post_id": "1", "post_date": "2024-03-11 07:00:00", "post_desc": "banjir", "text": "x"}],
        "open311-json": [{"service_request_id": "1", "description": "banjir", "post_id": "decoy"}],
        "x-api-v2": {"data": [{"id": "1767100000000000002", "text": "banjir", "author_id": "1"}]},
    }
    for expected, document in samples.items():
        path = tmp_path / f"{expected}.json"
        path.write_bytes(orjson.dumps(document))
        assert claimants(path) == [expected]


def test_json_feed_and_user_pages_are_left_to_others(tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_bytes(orjson.dumps(JSON_FEED))
    assert claimants(feed) == []
    users = tmp_path / "users.json"
    users.write_bytes(orjson.dumps({"data": [{"id": "783214", "name": "Twitter", "username": "Twitter"}]}))
    assert claimants(users) == []
    text = tmp_path / "notes.txt"
    text.write_text("banjir di kemang, data: tidak ada\n")
    assert claimants(text) == []


@pytest.mark.parametrize(
    ("relative", "channel"),
    [
        ("twitter/twarc2_pages.jsonl", "twitter"),
        ("instagram/2024-03-11_08-30-12_UTC.json.xz", "instagram"),
        ("instagram/2024-03-11_08-30-12_UTC_comments.json", "instagram"),
        ("open311/requests.json", "open311"),
        ("open311/requests.xml", "open311"),
        ("qlue/reports.json", "qlue"),
    ],
)
def test_the_full_registry_routes_each_archive_to_its_channel(relative: str, channel: str) -> None:
    reader = detect(FIXTURES / relative, all_readers())
    assert reader is not None and reader.channel == channel

"""GeoReport v2 service requests read as Mentions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from collectors.archive.open311 import Open311JsonReader, Open311XmlReader
from collectors.content_types import OPEN311_REQUEST
from collectors.types import RawItem
from normalizer.channels.open311 import PARSERS, parse_request
from normalizer.types import NormalizeError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "open311"


def test_json_request_with_offset_time_point_and_photo() -> None:
    items = list(Open311JsonReader().read(FIXTURES / "requests.json", "import"))
    mention = PARSERS[OPEN311_REQUEST](items[0])
    assert mention.external_id == "JKT-2024-031100123" and mention.channel == "open311"
    assert mention.created_at == datetime(2024, 3, 11, 2, 12, tzinfo=UTC)
    assert mention.title == "Saluran Air Tersumbat"
    assert mention.text.startswith("Got di depan rumah no. 12 RT 03/RW 08")
    assert mention.hashtags == ("saluranair",)
    assert (mention.geo.lat, mention.geo.lon) == (-6.2305, 106.8551)
    assert mention.media == ("https://open311.example.go.id/media/JKT-2024-031100123.jpg",)
    assert mention.permalink is None and mention.author.id is None


def test_request_without_description_uses_its_service_and_wib_time() -> None:
    items = list(Open311JsonReader().read(FIXTURES / "requests.json", "import"))
    mention = parse_request(items[1])
    assert mention.title == "Lampu Penerangan Jalan Mati"
    assert mention.text == "Lampu Penerangan Jalan Mati — Jl. Pramuka, Matraman"  # the address carries the place
    assert mention.created_at == datetime(2024, 3, 11, 12, 45, 30, tzinfo=UTC)  # 19:45:30 WIB
    assert mention.geo.lat == pytest.approx(-6.1948)
    assert mention.permalink == "https://open311.example.go.id/requests/JKT-2024-031100124"


def test_token_only_request_is_quarantined_with_a_reason() -> None:
    items = list(Open311JsonReader().read(FIXTURES / "requests.json", "import"))
    with pytest.raises(NormalizeError, match="no service_request_id"):
        parse_request(items[2])


def test_xml_requests() -> None:
    first, second = (parse_request(item) for item in Open311XmlReader().read(FIXTURES / "requests.xml", "import"))
    assert "kabel listrik ikut putus & menjuntai." in first.text
    assert first.text.endswith("— Jl. Panglima Polim Raya, Kebayoran Baru")
    assert first.created_at == datetime(2024, 3, 11, 23, 30, tzinfo=UTC)
    assert (first.geo.lat, first.geo.lon) == (-6.244, 106.799)
    assert second.geo is None and second.media == ()
    assert second.created_at == datetime(2024, 3, 12, 10, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"service_request_id": "1", "description": "banjir"}, "invalid requested_datetime"),
        ({"service_request_id": "1", "description": "banjir", "requested_datetime": "11/03/2024"}, "invalid requested_datetime"),
        ({"service_request_id": "1", "requested_datetime": "2024-03-11T09:00:00Z"}, "neither description"),
        ("a string", "not a JSON object"),
    ],
)
def test_unreadable_requests(document: object, reason: str) -> None:
    raw = RawItem("open311", "import", "1", orjson.dumps(document), OPEN311_REQUEST, datetime.now(UTC), "t")
    with pytest.raises(NormalizeError, match=reason):
        parse_request(raw)

"""GeoReport v2 requests.json / requests.xml split into one RawItem per service request."""

from __future__ import annotations

from pathlib import Path

import orjson

from collectors.archive import detect
from collectors.archive.open311 import READERS, Open311JsonReader, Open311XmlReader
from collectors.content_types import OPEN311_REQUEST, UNREADABLE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "open311"


def test_json_requests_one_item_each_with_fallback_id_for_the_token_only_one() -> None:
    assert detect(FIXTURES / "requests.json", READERS).name == "open311-json"
    items = list(Open311JsonReader().read(FIXTURES / "requests.json", "import"))
    source = orjson.loads((FIXTURES / "requests.json").read_bytes())
    assert [orjson.loads(item.payload) for item in items] == source
    assert [item.external_id for item in items[:2]] == ["JKT-2024-031100123", "JKT-2024-031100124"]
    assert items[2].external_id.startswith("sha256:") and items[2].content_type == OPEN311_REQUEST
    assert items[1].origin.endswith("requests.json#item=2")


def test_xml_requests_become_flat_objects() -> None:
    assert detect(FIXTURES / "requests.xml", READERS).name == "open311-xml"
    items = list(Open311XmlReader().read(FIXTURES / "requests.xml", "import"))
    assert [item.external_id for item in items] == ["JKT-2024-031200200", "JKT-2024-031200201"]
    first = orjson.loads(items[0].payload)
    assert first["service_name"] == "Pohon Tumbang"
    assert first["description"].endswith("kabel listrik ikut putus & menjuntai.")
    assert first["lat"] == "-6.2440"
    second = orjson.loads(items[1].payload)
    assert second["lat"] is None and "media_url" not in second


def test_xml_with_entity_declarations_is_refused_not_expanded(tmp_path: Path) -> None:
    bomb = tmp_path / "requests.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE service_requests [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        "<service_requests><request><service_request_id>1</service_request_id>"
        "<description>&b;</description></request></service_requests>"
    )
    assert detect(bomb, READERS) is READERS[1]
    [item] = list(Open311XmlReader().read(bomb, "import"))
    assert item.content_type == UNREADABLE and item.payload == bomb.read_bytes()


def test_damaged_xml_keeps_what_parsed_and_the_whole_file(tmp_path: Path) -> None:
    damaged = tmp_path / "requests.xml"
    text = (FIXTURES / "requests.xml").read_text()
    damaged.write_text(text[: text.index("<request>", text.index("</request>"))] + "<request><service_request_id>X")
    items = list(Open311XmlReader().read(damaged, "import"))
    assert [item.content_type for item in items] == [OPEN311_REQUEST, UNREADABLE]
    assert items[0].external_id == "JKT-2024-031200200"


def test_wrapped_json_and_non_object_entries(tmp_path: Path) -> None:
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_bytes(orjson.dumps({"service_requests": [{"service_request_id": 77}, "oops"]}))
    items = list(Open311JsonReader().read(wrapped, "import"))
    assert [(item.external_id, item.content_type) for item in items[:1]] == [("77", OPEN311_REQUEST)]
    assert items[1].content_type == UNREADABLE
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'[{"service_request_id": "1", ')
    assert [item.content_type for item in Open311JsonReader().read(broken, "import")] == [UNREADABLE]

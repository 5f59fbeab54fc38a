"""Qlue-style report JSON split into one RawItem per report, with default and custom mappings."""

from __future__ import annotations

from pathlib import Path

import orjson

from collectors.archive import detect
from collectors.archive.qlue import READERS, QlueMapping, QlueReportReader
from collectors.content_types import QLUE_REPORT, UNREADABLE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "qlue"
CUSTOM = QlueMapping(
    id_field="id_laporan", date_field="waktu", title_field="judul", text_field="isi", images_field="foto",
    lat_field="lokasi.lat", lng_field="lokasi.lng", author_field="pelapor.nama", permalink_field="tautan",
)


def test_holder_object_reports_are_items_with_verbatim_objects() -> None:
    assert detect(FIXTURES / "reports.json", READERS) is READERS[0]
    items = list(QlueReportReader().read(FIXTURES / "reports.json", "import"))
    source = orjson.loads((FIXTURES / "reports.json").read_bytes())["data"]
    assert [orjson.loads(item.payload) for item in items] == source
    assert [item.external_id for item in items] == ["5839201", "5839202"]
    assert all(item.content_type == QLUE_REPORT and item.channel == "qlue" for item in items)


def test_custom_mapping_reads_its_own_id_field() -> None:
    assert detect(FIXTURES / "custom_mapping.json", READERS) is None  # not Qlue's field names
    reader = QlueReportReader(CUSTOM)
    assert reader.sniff(FIXTURES / "custom_mapping.json", (FIXTURES / "custom_mapping.json").read_bytes())
    [item] = list(reader.read(FIXTURES / "custom_mapping.json", "import"))
    assert item.external_id == "LP-77120"


def test_bare_array_single_report_and_unusable_documents(tmp_path: Path) -> None:
    array = tmp_path / "a.json"
    array.write_bytes(orjson.dumps([{"post_id": "1"}, {"post_title": "tanpa id"}, 3]))
    items = list(QlueReportReader().read(array, "import"))
    assert items[0].external_id == "1"
    assert items[1].external_id.startswith("sha256:") and items[1].content_type == QLUE_REPORT
    assert items[2].content_type == UNREADABLE
    single = tmp_path / "one.json"
    single.write_bytes(orjson.dumps({"post_id": "9", "post_desc": "x"}))
    assert [item.external_id for item in QlueReportReader().read(single, "import")] == ["9"]
    other = tmp_path / "other.json"
    other.write_bytes(orjson.dumps({"post_id_count": 3, "status": "ok"}))
    assert [item.content_type for item in QlueReportReader().read(other, "import")] == [UNREADABLE]

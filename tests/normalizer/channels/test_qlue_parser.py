"""Qlue-style reports read as Mentions with the default and a custom field mapping."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from collectors.archive.qlue import QlueMapping, QlueReportReader
from collectors.content_types import QLUE_REPORT
from collectors.types import RawItem
from normalizer.channels.qlue import PARSERS, image_urls, make_parser
from normalizer.types import NormalizeError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "qlue"
CUSTOM = QlueMapping(
    id_field="id_laporan", date_field="waktu", title_field="judul", text_field="isi", images_field="foto",
    lat_field="lokasi.lat", lng_field="lokasi.lng", author_field="pelapor.nama", permalink_field="tautan",
)


def test_default_mapping_report_in_wib() -> None:
    first, second = (PARSERS[QLUE_REPORT](item) for item in QlueReportReader().read(FIXTURES / "reports.json", "import"))
    assert first.external_id == "5839201" and first.channel == "qlue"
    assert first.created_at == datetime(2024, 3, 11, 0, 20, tzinfo=UTC)  # 07:20 WIB
    assert first.title == "Jalan Rusak"
    assert first.text.startswith("Jalan berlubang dalam di Jl. Raya Bogor km 21")
    assert first.mentions == ("dinasbinamarga",)
    assert first.media == ("https://img.qlue.example/5839201-1.jpg", "https://img.qlue.example/5839201-2.jpg")
    assert (first.geo.lat, first.geo.lon) == (-6.2991, 106.866)
    assert first.author.name == "budi.s" and first.permalink is None
    # empty description: the title is the text; (0, 0) is "no fix", not a place
    assert second.text == "Sampah" and second.geo is None
    assert second.created_at == datetime(2024, 3, 11, 16, 55, 10, tzinfo=UTC)
    assert second.media == ("https://img.qlue.example/5839202.jpg",)


def test_custom_mapping_with_nested_fields() -> None:
    [item] = list(QlueReportReader(CUSTOM).read(FIXTURES / "custom_mapping.json", "import"))
    mention = make_parser(CUSTOM)(item)
    assert mention.external_id == "LP-77120"
    assert mention.created_at == datetime(2024, 3, 12, 1, 15, tzinfo=UTC)
    assert mention.title == "Banjir" and mention.hashtags == ("banjir",)
    assert mention.media == ("https://lapor.example.go.id/foto/77120.jpg",)
    assert (mention.geo.lat, mention.geo.lon) == (-6.246, 106.913)
    assert mention.author.name == "Sari"
    assert mention.permalink == "https://lapor.example.go.id/laporan/LP-77120"
    # the default parser cannot read it and says which field it missed
    with pytest.raises(NormalizeError, match='field "post_id"'):
        PARSERS[QLUE_REPORT](item)


def test_other_zone_for_a_city_outside_wib() -> None:
    makassar = make_parser(QlueMapping(timezone="Asia/Makassar"))
    raw = RawItem("qlue", "import", "1", orjson.dumps({"post_id": 1, "post_date": "2024-03-11 08:00:00", "post_desc": "x"}),
                  QLUE_REPORT, datetime.now(UTC), "t")
    assert makassar(raw).created_at == datetime(2024, 3, 11, 0, 0, tzinfo=UTC)


def test_image_shapes() -> None:
    assert image_urls("https://a/1.jpg,https://a/2.jpg") == ("https://a/1.jpg", "https://a/2.jpg")
    assert image_urls([{"src": "https://a/3.jpg"}, "ftp://x", None]) == ("https://a/3.jpg",)
    assert image_urls(None) == ()


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"post_date": "2024-03-11 08:00:00", "post_desc": "x"}, "no id"),
        ({"post_id": "1", "post_desc": "x"}, "invalid \"post_date\""),
        ({"post_id": "1", "post_date": "11-03-2024", "post_desc": "x"}, "invalid \"post_date\""),
        ({"post_id": "1", "post_date": "2024-03-11 08:00:00"}, "no text"),
    ],
)
def test_unreadable_reports(document: dict, reason: str) -> None:
    raw = RawItem("qlue", "import", "1", orjson.dumps(document), QLUE_REPORT, datetime.now(UTC), "t")
    with pytest.raises(NormalizeError, match=reason):
        PARSERS[QLUE_REPORT](raw)

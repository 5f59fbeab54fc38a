"""Qlue-style report feeds saved as JSON: an array of reports, or an object holding one under
a key such as ``data``/``reports``/``results``.

Report apps name their fields differently, so which field is which is a ``QlueMapping`` (the
defaults are Qlue's own names). The payload is each report object as it was; the parser is
given the same mapping to read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from collectors.archive.json_sniff import has_key, looks_like_json_feed, significant_head, starts_like_json
from collectors.content_types import QLUE_REPORT, UNREADABLE
from collectors.types import RawItem, fallback_external_id

CHANNEL = "qlue"


@dataclass(frozen=True, slots=True)
class QlueMapping:
    """Which report field holds what; a dotted name (``location.lat``) reaches into objects."""

    id_field: str = "post_id"
    date_field: str = "post_date"  # local time without zone is read in ``timezone``
    title_field: str = "post_title"
    text_field: str = "post_desc"
    images_field: str = "post_images"
    lat_field: str = "loc_lat"
    lng_field: str = "loc_lng"
    author_field: str = "profile_name"
    permalink_field: str | None = None
    timezone: str = "Asia/Jakarta"
    list_keys: tuple[str, ...] = ("data", "reports", "results", "items")

    def value(self, report: dict, field: str | None) -> Any:
        """The report's value for a mapped field, or None."""
        if not field:
            return None
        if field in report:
            return report[field]
        current: Any = report
        for part in field.split("."):
            if not isinstance(current, dict) or part not in current:
                return None
            current = current[part]
        return current


DEFAULT_MAPPING = QlueMapping()


def report_list(document: Any, mapping: QlueMapping) -> list | None:
    """The reports in a decoded feed document, or None when it holds none we can find."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in mapping.list_keys:
            if isinstance(document.get(key), list):
                return document[key]
        if mapping.value(document, mapping.id_field) is not None:
            return [document]  # a single report saved on its own
    return None


def report_items(
    reports: list, source: str, origin: str, fetched_at: datetime, mapping: QlueMapping = DEFAULT_MAPPING
) -> Iterator[RawItem]:
    """RawItems for decoded reports; shared with the live collector."""
    for number, report in enumerate(reports, start=1):
        item_origin = f"{origin}#item={number}"
        payload = orjson.dumps(report)
        if not isinstance(report, dict):
            yield RawItem(CHANNEL, source, fallback_external_id(payload), payload, UNREADABLE, fetched_at, item_origin)
            continue
        report_id = mapping.value(report, mapping.id_field)
        external_id = str(report_id).strip() if report_id not in (None, "") else ""
        yield RawItem(CHANNEL, source, external_id or fallback_external_id(payload), payload, QLUE_REPORT, fetched_at, item_origin)


class QlueReportReader:
    channel = CHANNEL
    name = "qlue-json"

    def __init__(self, mapping: QlueMapping = DEFAULT_MAPPING) -> None:
        self.mapping = mapping

    def sniff(self, path: Path, head: bytes) -> bool:
        if not starts_like_json(head) or looks_like_json_feed(head) or has_key(head, "service_request_id"):
            return False
        return has_key(head, self.mapping.id_field.split(".")[-1])

    def read(self, path: Path, source: str) -> Iterator[RawItem]:
        now = datetime.now(UTC)
        raw_bytes = path.read_bytes()
        try:
            reports = report_list(orjson.loads(significant_head(raw_bytes)), self.mapping)
        except orjson.JSONDecodeError:
            reports = None
        if reports is None:
            yield RawItem(CHANNEL, source, fallback_external_id(raw_bytes), raw_bytes, UNREADABLE, now, str(path))
            return
        yield from report_items(reports, source, str(path), now, self.mapping)


READERS = [QlueReportReader()]

"""Live Qlue-style report feeds: one JSON document of reports, fetched with a conditional GET.

Report apps name their fields differently, so which field is which is a ``QlueMapping``: the
daemon passes the global ``[qlue]`` mapping as ``qlue_mapping`` and a source may override single
fields. Where the server can filter, ``since_param`` names its query parameter and the collector
sends the newest report date it has stored, written the way the server wrote it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
from pydantic import field_validator

from collectors.archive.json_sniff import significant_head
from collectors.archive.qlue import CHANNEL, DEFAULT_MAPPING, QlueMapping, report_items, report_list
from collectors.content_types import UNREADABLE
from collectors.live.base import Batch, ConfigProblem, Cursor, TemporaryFailure
from collectors.live.http import (
    Fetched,
    HttpFetcher,
    HttpSourceConfig,
    content_type_is,
    document_batches,
    redact_url,
    url_with_params,
)
from collectors.live.timestamps import iso_utc, later, message_time
from collectors.types import RawItem, fallback_external_id

BATCH_SIZE = 500
MAPPING_KEYS = frozenset(field.name for field in dataclasses.fields(QlueMapping))


class QlueConfig(HttpSourceConfig):
    """``[[sources]]`` keys of a report feed; the mapping keys are those of the ``[qlue]`` section."""

    since_param: str | None = None
    id_field: str | None = None
    date_field: str | None = None
    title_field: str | None = None
    text_field: str | None = None
    images_field: str | None = None
    lat_field: str | None = None
    lng_field: str | None = None
    author_field: str | None = None
    permalink_field: str | None = None
    timezone: str | None = None
    list_keys: tuple[str, ...] | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str | None) -> str | None:
        if zone is not None:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {zone!r} (use an IANA name such as Asia/Jakarta)") from None
        return zone

    def mapping(self, base: QlueMapping) -> QlueMapping:
        """``base`` with the fields this source sets (an explicit empty permalink_field included)."""
        overrides = {key: getattr(self, key) for key in self.model_fields_set & MAPPING_KEYS}
        if any(value is None for key, value in overrides.items() if key != "permalink_field"):
            raise ConfigProblem(f"source {self.name!r}: only permalink_field may be left empty")
        return dataclasses.replace(base, **overrides)


class QlueCollector:
    config_model: ClassVar[type[QlueConfig]] = QlueConfig
    channel: ClassVar[str] = CHANNEL

    def __init__(self, config: QlueConfig, *, qlue_mapping: QlueMapping | None = None, **context: Any) -> None:
        self.config = config
        self.mapping = config.mapping(qlue_mapping or DEFAULT_MAPPING)
        self.zone = ZoneInfo(self.mapping.timezone)
        self.http = HttpFetcher(timeout=config.timeout, max_bytes=config.max_bytes)

    async def collect(self, cursor: Cursor, since: datetime | None = None) -> AsyncIterator[Batch]:
        params = self.params(cursor, since)
        changed = await self.http.get_if_changed(self.config.url, cursor, conditional=since is None,
                                                 params=params, accept="application/json")
        if changed is None:
            return
        fetched, validators = changed
        items, newest, newest_raw = self.read(fetched, params)
        next_cursor = {**cursor, **validators}
        known = message_time(cursor.get("newest_post_date"))
        if newest is not None and (known is None or newest > known):
            next_cursor.update(newest_post_date=iso_utc(newest), newest_post_date_raw=newest_raw)
        for batch in document_batches(items, cursor, next_cursor, BATCH_SIZE):
            yield batch

    def params(self, cursor: Cursor, since: datetime | None) -> dict[str, str] | None:
        """The incremental-fetch parameter, when the server has one: the backfill start or the newest stored date."""
        if not self.config.since_param:
            return None
        if since is not None:
            local = (since if since.tzinfo else since.replace(tzinfo=UTC)).astimezone(self.zone)
            return {self.config.since_param: local.strftime("%Y-%m-%d %H:%M:%S")}
        raw = cursor.get("newest_post_date_raw")
        return {self.config.since_param: str(raw)} if raw not in (None, "") else None

    def read(self, fetched: Fetched, params: dict[str, str] | None) -> tuple[list[RawItem], datetime | None, Any]:
        """The reports as items (a document nothing can read: one UNREADABLE item) and the newest date."""
        origin = redact_url(url_with_params(self.config.url, params))
        if content_type_is(fetched.content_type, "html"):
            raise TemporaryFailure(f"GET {origin}: answered with an HTML page, not report JSON")
        now = datetime.now(UTC)
        try:
            reports = report_list(orjson.loads(significant_head(fetched.body)), self.mapping)
        except orjson.JSONDecodeError:
            reports = None
        if reports is None:
            unreadable = RawItem(CHANNEL, self.config.name, fallback_external_id(fetched.body), fetched.body,
                                 UNREADABLE, now, origin)
            return [unreadable], None, None
        newest: datetime | None = None
        newest_raw: Any = None
        for report in reports:
            if not isinstance(report, dict):
                continue
            raw = self.mapping.value(report, self.mapping.date_field)
            when = message_time(raw, self.zone)
            if when is not None and later(newest, when) is when:
                newest, newest_raw = when, raw
        return list(report_items(reports, self.config.name, origin, now, self.mapping)), newest, newest_raw

    async def aclose(self) -> None:
        await self.http.aclose()

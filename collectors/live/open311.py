"""Live Open311 GeoReport v2 sources: ``GET requests.json`` in overlapping ``start_date`` windows.

GeoReport filters by ``requested_datetime`` and allows at most 90 days between ``start_date`` and
``end_date``, so a long gap (or a ``--since`` backfill) is walked in 90-day windows, oldest first,
each paged with ``page``/``page_size``. Servers list newest first, so a run that stops mid-window
cannot say which older requests it has not seen yet: the cursor (the newest ``requested_datetime``
stored) moves only when a whole window is stored, and the next poll starts ``overlap_seconds``
before it to catch requests that reach the server late. Storage ignores requests already known.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit

import orjson
from pydantic import Field, PrivateAttr, field_validator

from collectors.archive.json_sniff import significant_head
from collectors.archive.open311 import ID_FIELD, request_items, requests_in
from collectors.live.base import Batch, Cursor, TemporaryFailure
from collectors.live.http import Fetched, HttpFetcher, HttpSourceConfig, content_type_is, redact_url, url_with_params
from collectors.live.timestamps import iso_utc, later, message_time

MAX_WINDOW = timedelta(days=90)  # GeoReport v2: start_date..end_date may not span more
MAX_PAGES_PER_WINDOW = 10_000


class Open311Config(HttpSourceConfig):
    """``[[sources]]`` keys of an Open311 server; ``url`` is the endpoint root or its requests.json."""

    jurisdiction_id: str | None = None
    api_key_env: str | None = None
    overlap_seconds: int = Field(3600, ge=0, le=30 * 24 * 3600)
    page_size: int = Field(100, ge=1, le=1000)
    _api_key: str | None = PrivateAttr(None)

    @field_validator("url")
    @classmethod
    def _json_endpoint(cls, url: str) -> str:
        if urlsplit(url).path.lower().endswith(".xml"):
            raise ValueError("give the endpoint root or its requests.json; the XML format is not polled")
        return url

    def check_environment(self, environ: Mapping[str, str]) -> None:
        self._api_key = self.secret(self.name, "api_key_env", self.api_key_env, environ)

    @property
    def requests_url(self) -> str:
        if urlsplit(self.url).path.lower().endswith(".json"):
            return self.url
        parts = self.url.split("?", 1)
        return parts[0].rstrip("/") + "/requests.json" + ("?" + parts[1] if len(parts) > 1 else "")


def windows(start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    """[start, end] cut into windows GeoReport accepts, oldest first."""
    while True:
        stop = min(start + MAX_WINDOW, end)
        yield start, stop
        if stop >= end:
            return
        start = stop


class Open311Collector:
    config_model: ClassVar[type[Open311Config]] = Open311Config
    channel: ClassVar[str] = "open311"

    def __init__(self, config: Open311Config, **context: Any) -> None:
        self.config = config
        self.http = HttpFetcher(timeout=config.timeout, max_bytes=config.max_bytes)

    async def collect(self, cursor: Cursor, since: datetime | None = None) -> AsyncIterator[Batch]:
        newest = message_time(cursor.get("newest_requested"))
        now = datetime.now(UTC)
        if since is not None:
            start: datetime | None = since if since.tzinfo else since.replace(tzinfo=UTC)
        elif newest is not None:
            start = newest - timedelta(seconds=self.config.overlap_seconds)
        else:
            start = None  # first poll: the server's default range (GeoReport: the recent 90 days)
        spans: list[tuple[datetime | None, datetime | None]] = (
            [(None, None)] if start is None else list(windows(min(start, now), now)))
        for window_start, window_end in spans:
            window_newest = newest
            async for items, page_newest in self.window_pages(window_start, window_end):
                window_newest = later(window_newest, page_newest)
                # until the window is complete, only the old cursor is true
                yield Batch(items, self.cursor(cursor, newest))
            if window_newest != newest:
                newest = window_newest
                yield Batch([], self.cursor(cursor, newest))

    def cursor(self, previous: Cursor, newest: datetime | None) -> Cursor:
        return {**previous, "newest_requested": iso_utc(later(message_time(previous.get("newest_requested")), newest))}

    async def window_pages(self, start: datetime | None,
                           end: datetime | None) -> AsyncIterator[tuple[list[Any], datetime | None]]:
        """Each page of one window as (items, newest requested_datetime on it)."""
        seen: set[str] = set()
        number = 1
        for page in range(1, MAX_PAGES_PER_WINDOW + 1):
            params = self.params(start, end, page)
            fetched = await self.http.get(self.config.requests_url, params=params, accept="application/json")
            requests = self.decode(fetched, params)
            ids = {str(r.get(ID_FIELD)) for r in requests if isinstance(r, dict) and r.get(ID_FIELD) is not None}
            if not requests or (page > 1 and ids and ids <= seen):
                return  # the end, or a server that ignores ``page`` and repeats itself
            seen |= ids
            origin = redact_url(url_with_params(self.config.requests_url, params))
            items = list(request_items(requests, self.config.name, origin, datetime.now(UTC), number))
            number += len(requests)
            page_newest = None
            for request in requests:
                if isinstance(request, dict):
                    page_newest = later(page_newest, message_time(request.get("requested_datetime")))
            yield items, page_newest
            if len(requests) < self.config.page_size:
                return
        raise TemporaryFailure(f"source {self.config.name!r}: more than {MAX_PAGES_PER_WINDOW} pages in one "
                               "window; the server does not seem to honour page/page_size")

    def params(self, start: datetime | None, end: datetime | None, page: int) -> dict[str, str]:
        params = {"page": str(page), "page_size": str(self.config.page_size)}
        if start is not None and end is not None:
            params["start_date"] = iso_utc(start) or ""
            params["end_date"] = iso_utc(end) or ""
        if self.config.jurisdiction_id:
            params["jurisdiction_id"] = self.config.jurisdiction_id
        if self.config._api_key:
            params["api_key"] = self.config._api_key
        return params

    def decode(self, fetched: Fetched, params: Mapping[str, str]) -> list[Any]:
        """The page's request array; an HTML page or a JSON error object is a temporary failure."""
        shown = redact_url(url_with_params(self.config.requests_url, params))
        if content_type_is(fetched.content_type, "html"):
            raise TemporaryFailure(f"GET {shown}: answered with an HTML page, not GeoReport JSON")
        try:
            document = orjson.loads(significant_head(fetched.body)) if fetched.body.strip() else []
        except orjson.JSONDecodeError as exc:
            raise TemporaryFailure(f"GET {shown}: the answer is not JSON ({exc})") from None
        requests = requests_in(document)
        if requests is None:
            raise TemporaryFailure(f"GET {shown}: the JSON holds no request array: {fetched.body[:200]!r}")
        return requests

    async def aclose(self) -> None:
        await self.http.aclose()

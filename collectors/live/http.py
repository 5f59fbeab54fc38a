"""One HTTP GET for the document-polling collectors (feeds, Open311, Qlue), with their failure kinds.

Everything the server sends is untrusted: the whole exchange has a time limit, the body is read in
chunks and abandoned past ``max_bytes`` (after decompression, so a small gzip cannot expand into
memory), and every HTTP outcome maps onto one of the failure kinds of :mod:`collectors.live.base`.
Only URLs from the source's configuration are fetched; nothing found inside a message ever is.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy

from pydantic import Field, field_validator

from collectors.live.base import Batch, CollectorConfig, Cursor, PermanentFailure, RateLimited, TemporaryFailure
from collectors.types import RawItem

USER_AGENT = "dengar/0.1 (+complaint collector)"
DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
MAX_REDIRECTS = 5
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 405, 406, 410, 414, 451})
# query parameters whose values are secrets and never appear in an error, a log or an item's origin
_SECRET_PARAM = re.compile(r"key|token|secret|password|passwd|signature|auth", re.IGNORECASE)


class HttpSourceConfig(CollectorConfig):
    """The keys every document-polling source has: where, how long to wait, how much to accept."""

    url: str
    timeout: float = Field(DEFAULT_TIMEOUT_SECONDS, gt=0, le=600)
    max_bytes: int = Field(DEFAULT_MAX_BYTES, gt=0)

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        return url.strip()


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one GET returned: the body (empty when ``not_modified``) and the response headers."""

    url: str
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        """The Content-Type header as sent, parameters (charset) included."""
        return self.headers.get("Content-Type", "")

    @property
    def etag(self) -> str | None:
        return self.headers.get("ETag") or None

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("Last-Modified") or None


def redact_url(url: str) -> str:
    """The URL with credentials and secret-looking query values masked, for errors, logs and origins."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1] if "@" in parts.netloc else parts.netloc
    query = urlencode([(name, "***" if _SECRET_PARAM.search(name) else value)
                       for name, value in parse_qsl(parts.query, keep_blank_values=True)], safe="*:,")
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def retry_after(value: str | None, now: datetime | None = None) -> datetime | None:
    """The time a Retry-After header (seconds or an HTTP date) names; None when absent or unreadable."""
    if not value:
        return None
    now = now or datetime.now(UTC)
    text = value.strip()
    if text.isdigit():
        return now + timedelta(seconds=min(int(text), 7 * 24 * 3600))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when, now)


class HttpFetcher:
    """A lazily opened aiohttp session plus the failure mapping; one per collector, closed by ``aclose``."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT_SECONDS, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                headers={"User-Agent": USER_AGENT},
            )
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def get(self, url: str, *, params: Mapping[str, str] | None = None, etag: str | None = None,
                  last_modified: str | None = None, accept: str | None = None) -> Fetched:
        """GET ``url``; a conditional GET when ``etag``/``last_modified`` are given (304 → ``not_modified``).

        Raises RateLimited, TemporaryFailure or PermanentFailure; never an aiohttp exception.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        shown = redact_url(url_with_params(url, params))
        try:
            async with self._open().get(url, params=params, headers=headers,
                                        max_redirects=MAX_REDIRECTS) as response:
                if response.status == 304:
                    return Fetched(str(response.url), 304, response.headers, b"", not_modified=True)
                _raise_for_status(response.status, response.headers, shown)
                body = await _read_limited(response, self.max_bytes, shown)
                return Fetched(str(response.url), response.status, response.headers, body)
        except (RateLimited, TemporaryFailure, PermanentFailure):
            raise
        except aiohttp.TooManyRedirects:
            raise TemporaryFailure(f"GET {shown}: more than {MAX_REDIRECTS} redirects") from None
        except (TimeoutError, asyncio.TimeoutError):
            raise TemporaryFailure(f"GET {shown}: no complete answer within {self.timeout:g} s") from None
        except aiohttp.InvalidURL as exc:
            raise PermanentFailure(f"GET {shown}: invalid URL ({type(exc).__name__})") from None
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            raise TemporaryFailure(f"GET {shown}: {type(exc).__name__}: {_short(exc)}") from None


    async def get_if_changed(self, url: str, cursor: Mapping[str, Any], conditional: bool, *,
                             params: Mapping[str, str] | None = None,
                             accept: str | None = None) -> tuple[Fetched, dict[str, Any]] | None:
        """GET a whole document unless the cursor's validators say it is unchanged; None when it is.

        A server without validators (or one that ignores them) is caught by the body's digest.
        Returns the document and the validators to store once its items are stored.
        """
        fetched = await self.get(url, params=params, accept=accept,
                                 etag=cursor.get("etag") if conditional else None,
                                 last_modified=cursor.get("last_modified") if conditional else None)
        if fetched.not_modified:
            return None
        digest = hashlib.sha256(fetched.body).hexdigest()
        if conditional and digest == cursor.get("sha256"):
            return None
        return fetched, {"etag": fetched.etag, "last_modified": fetched.last_modified, "sha256": digest}


def document_batches(items: list[RawItem], cursor: Cursor, next_cursor: Cursor, size: int) -> Iterator[Batch]:
    """A document's items in batches; only the batch that completes the document carries its new cursor.

    A run cut short keeps the old validators, so the next poll fetches the whole document again.
    """
    for start in range(0, max(len(items), 1), size):
        last = start + size >= len(items)
        yield Batch(items[start:start + size], next_cursor if last else dict(cursor))


def url_with_params(url: str, params: Mapping[str, str] | None) -> str:
    if not params:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(dict(params))


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else "no detail"


def _raise_for_status(status: int, headers: CIMultiDictProxy[str] | CIMultiDict[str], shown: str) -> None:
    if 200 <= status < 300:
        return
    if status == 429:
        raise RateLimited(f"GET {shown}: HTTP 429 Too Many Requests", retry_after(headers.get("Retry-After")))
    if status == 503 and retry_after(headers.get("Retry-After")) is not None:
        raise RateLimited(f"GET {shown}: HTTP 503 with Retry-After", retry_after(headers.get("Retry-After")))
    if status in PERMANENT_STATUSES:
        raise PermanentFailure(f"GET {shown}: HTTP {status} — check the source's url (and its key, if any)")
    raise TemporaryFailure(f"GET {shown}: HTTP {status}")


async def _read_limited(response: aiohttp.ClientResponse, max_bytes: int, shown: str) -> bytes:
    declared = response.content_length
    if declared is not None and declared > max_bytes:
        raise TemporaryFailure(f"GET {shown}: body of {declared} bytes is over the limit of {max_bytes} (max_bytes)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise TemporaryFailure(f"GET {shown}: body is over the limit of {max_bytes} bytes (max_bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


def content_type_is(content_type: str, *needles: str) -> bool:
    """True when the media type (before any parameters) contains one of ``needles``."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    return any(needle in media_type for needle in needles)

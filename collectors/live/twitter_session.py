"""The object tweepy's asyncio client sends its requests through (``client.session``).

tweepy hard-codes ``https://api.twitter.com``; this session sends each request to the configured
base URL instead (an API gateway, or a local server), keeping the path and an already signed query
intact. It also owns what tweepy leaves to us: a body size limit, our User-Agent, and the bearer
token, which it adds itself so the token never passes through tweepy's debug log of headers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson
from multidict import CIMultiDictProxy
from yarl import URL

USER_AGENT = "dengar/0.1 (+complaint collector)"
CHUNK_BYTES = 64 * 1024


class BodyTooLarge(Exception):
    """The server sent more than the configured limit; we stopped reading."""


class UnexpectedBody(Exception):
    """A body that is not the JSON object the API promises (an HTML error page, broken JSON)."""

    def __init__(self, status: int, reason: str, detail: str) -> None:
        super().__init__(f"HTTP {status} {reason}: {detail}")
        self.status = status


@dataclass(frozen=True, slots=True)
class ReadResponse:
    """A response already read (within the limit); offers what tweepy uses of aiohttp's response."""

    status: int
    reason: str
    headers: CIMultiDictProxy[str]
    content_type: str
    body: bytes

    async def read(self) -> bytes:
        return self.body

    async def json(self) -> Any:
        if "json" not in self.content_type:
            raise UnexpectedBody(self.status, self.reason, f"{self.content_type or 'no content type'} instead of JSON")
        try:
            document = orjson.loads(self.body)
        except orjson.JSONDecodeError as exc:
            raise UnexpectedBody(self.status, self.reason, f"broken JSON ({exc})") from None
        if not isinstance(document, dict):
            raise UnexpectedBody(self.status, self.reason, "JSON that is not an object")
        return document


class RedirectingSession:
    """Stands in for tweepy's ``aiohttp.ClientSession``; created and closed by the collector."""

    def __init__(self, base_url: str, bearer_token: str, timeout: float, max_bytes: int) -> None:
        self._base = str(base_url).rstrip("/")
        self._bearer_token = bearer_token
        self._max_bytes = max_bytes
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))

    def target(self, url: str | URL) -> URL:
        """The configured base URL with the request's path and (encoded, maybe signed) query."""
        original = url if isinstance(url, URL) else URL(url)
        return URL(self._base + original.raw_path_qs, encoded=True)

    @asynccontextmanager
    async def request(self, method: str, url: str | URL, params: Mapping[str, str] | None = None,
                      json: Any = None, headers: Mapping[str, str] | None = None) -> AsyncIterator[ReadResponse]:
        headers = dict(headers or {})
        headers["User-Agent"] = USER_AGENT
        if headers.get("Authorization", "").startswith("Bearer "):
            headers["Authorization"] = f"Bearer {self._bearer_token}"
        async with self._session.request(method, self.target(url), params=params, json=json,
                                         headers=headers, allow_redirects=False) as response:
            body = await self._read_limited(response)
            yield ReadResponse(response.status, response.reason or "", response.headers,
                               response.content_type or "", body)

    async def _read_limited(self, response: aiohttp.ClientResponse) -> bytes:
        declared = response.content_length
        if declared is not None and declared > self._max_bytes:
            raise BodyTooLarge(f"the server announced {declared} bytes, over the limit of {self._max_bytes} bytes")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(CHUNK_BYTES):
            size += len(chunk)
            if size > self._max_bytes:
                raise BodyTooLarge(f"the body passed the limit of {self._max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def close(self) -> None:
        await self._session.close()

"""One HTTP exchange with the CRM, bounded in time and size, with transport errors mapped to failure kinds.

The answer is untrusted like any input: the whole exchange has a deadline, the body is read in
chunks and abandoned past ``max_bytes``, and a POST never follows a redirect (a redirected POST
would silently become a GET, or land somewhere nobody configured).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from collectors.live.http import USER_AGENT, redact_url, retry_after, url_with_params
from dengar.delivery.outcomes import BAD_RESPONSE, NETWORK, RATE_LIMITED, REJECTED, SERVER_ERROR, TIMEOUT, DeliveryFailure

CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes


class CrmTransport:
    """A lazily opened aiohttp session; ``aclose`` when done."""

    def __init__(self, timeout: float, max_bytes: int) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout),
                                                  headers={"User-Agent": USER_AGENT})
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, method: str, url: str, *, params: Mapping[str, str] | None = None, data: Any = None,
                   json_body: Any = None, headers: Mapping[str, str] | None = None) -> Answer:
        """The status, headers and (bounded) body; raises DeliveryFailure on timeout, network trouble or oversize."""
        shown = f"{method} {redact_url(url_with_params(url, params))}"
        try:
            async with self._open().request(method, url, params=params, data=data, json=json_body,
                                            headers=dict(headers or {}), allow_redirects=False) as response:
                body = await _read_limited(response, self.max_bytes, shown)
                return Answer(response.status, response.headers, body)
        except DeliveryFailure:
            raise
        except (TimeoutError, asyncio.TimeoutError):
            raise DeliveryFailure(TIMEOUT, f"{shown}: no complete answer within {self.timeout:g} s") from None
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            detail = str(exc).splitlines()[0][:200] if str(exc) else "no detail"
            raise DeliveryFailure(NETWORK, f"{shown}: {type(exc).__name__}: {detail}") from None


async def _read_limited(response: aiohttp.ClientResponse, max_bytes: int, shown: str) -> bytes:
    declared = response.content_length
    if declared is not None and declared > max_bytes:
        raise DeliveryFailure(BAD_RESPONSE, f"{shown}: answer of {declared} bytes is over the limit of {max_bytes}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise DeliveryFailure(BAD_RESPONSE, f"{shown}: answer is over the limit of {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def failure_for_status(answer: Answer, shown: str, detail: str) -> DeliveryFailure:
    """The failure a non-2xx answer means; ``detail`` is what the CRM said, already made safe to show."""
    status = answer.status
    said = f": {detail}" if detail else ""
    if status == 429 or (status == 503 and retry_after(answer.headers.get("Retry-After")) is not None):
        return DeliveryFailure(RATE_LIMITED, f"{shown}: HTTP {status}{said}", retry_after(answer.headers.get("Retry-After")))
    if status == 408:
        return DeliveryFailure(TIMEOUT, f"{shown}: HTTP 408{said}")
    if status >= 500 or status == 409:  # 409: the same key is still being processed there
        return DeliveryFailure(SERVER_ERROR, f"{shown}: HTTP {status}{said}")
    return DeliveryFailure(REJECTED, f"{shown}: HTTP {status}{said}")


def printable(body: bytes, limit: int = 300) -> str:
    """A short, single-line, control-free excerpt of an answer, for errors shown to operators."""
    text = body.decode("utf-8", "replace")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["Answer", "CrmTransport", "failure_for_status", "printable"]

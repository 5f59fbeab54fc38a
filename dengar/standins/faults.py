"""Ways a real server misbehaves, as switches the HTTP stand-ins share.

A switch is armed with how many requests to serve normally first, so "the first page comes, the
second fails" is one call. Each failure is what real servers and proxies send: a plain 500, an
HTML 503 from a load balancer, a 429 with Retry-After, a body far larger than announced limits
(streamed without Content-Length), and a body cut short of its Content-Length.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from enum import StrEnum

from aiohttp import web

STREAM_CHUNK = 64 * 1024


class Fault(StrEnum):
    SERVER_ERROR = "server_error"  # 500, plain text
    HTML_503 = "html_503"  # 503 with an HTML maintenance page, no Retry-After
    RATE_LIMITED = "rate_limited"  # 429 with Retry-After
    UNAVAILABLE_RETRY_AFTER = "unavailable_retry_after"  # 503 with Retry-After
    OVERSIZE = "oversize"  # a 200 body of ``oversize_bytes``, chunked
    TRUNCATED = "truncated"  # a 200 whose connection closes before Content-Length bytes came
    NOT_FOUND = "not_found"  # 404
    FORBIDDEN = "forbidden"  # 403
    HTML_200 = "html_200"  # a captive portal's HTML page with status 200


@dataclass
class Faults:
    """The armed fault (None: behave), after how many more good requests it strikes, and its details."""

    fault: Fault | None = None
    good_requests_left: int = 0
    retry_after: str = "120"
    oversize_bytes: int = 2 * 1024 * 1024

    def arm(self, fault: Fault | str, after_requests: int = 0) -> None:
        self.fault = Fault(fault)
        self.good_requests_left = after_requests

    def heal(self) -> None:
        self.fault = None
        self.good_requests_left = 0

    def strikes(self) -> Fault | None:
        """Called once per request: the fault to answer with now, or None to answer normally."""
        if self.fault is None:
            return None
        if self.good_requests_left > 0:
            self.good_requests_left -= 1
            return None
        return self.fault

    async def respond(self, request: web.Request, fault: Fault, body: bytes = b"") -> web.StreamResponse:
        """The misbehaving answer; ``body`` is the good answer a truncated response is cut from."""
        if fault is Fault.SERVER_ERROR:
            return web.Response(status=500, text="Internal Server Error")
        if fault is Fault.HTML_503:
            return web.Response(status=503, content_type="text/html",
                                text="<html><body><h1>503 Service Unavailable</h1>Maintenance.</body></html>")
        if fault is Fault.RATE_LIMITED:
            return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": self.retry_after})
        if fault is Fault.UNAVAILABLE_RETRY_AFTER:
            return web.Response(status=503, text="Busy", headers={"Retry-After": self.retry_after})
        if fault is Fault.NOT_FOUND:
            return web.Response(status=404, text="Not Found")
        if fault is Fault.FORBIDDEN:
            return web.Response(status=403, text="Forbidden")
        if fault is Fault.HTML_200:
            return web.Response(status=200, content_type="text/html",
                                text="<!doctype html><html><body><form>Login Wi-Fi</form></body></html>")
        if fault is Fault.OVERSIZE:
            return await self._stream_oversize(request)
        return await self._truncate(request, body or b"{}" * 512)

    async def _stream_oversize(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=200, headers={"Content-Type": "application/octet-stream"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        sent = 0
        with contextlib.suppress(ConnectionError):
            while sent < self.oversize_bytes:
                chunk = b" " * min(STREAM_CHUNK, self.oversize_bytes - sent)
                await response.write(chunk)
                sent += len(chunk)
            await response.write_eof()
        return response

    async def _truncate(self, request: web.Request, body: bytes) -> web.StreamResponse:
        response = web.StreamResponse(status=200, headers={"Content-Length": str(len(body) + 1024)})
        response.force_close()
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):
            await response.write(body[: max(1, len(body) // 2)])
        if request.transport is not None:
            request.transport.close()
        return response

"""What instaloader's exceptions mean for a source's schedule.

instaloader reports a refused session, a checkpoint and Instagram's 401 "Please wait a few minutes"
in several shapes (its own exception types, or a ConnectionException whose text carries the HTTP
answer), and it would sleep for up to half an hour inside the worker thread on a 429. Both are
turned into the collector failure kinds here, so a blocked source waits for its operator and a
rate-limited one is rescheduled instead of holding a thread.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import requests
from instaloader import (
    AbortDownloadException,
    BadResponseException,
    ConnectionException,
    InstaloaderException,
    LoginException,
    LoginRequiredException,
    PostChangedException,
    RateController,
    TooManyRequestsException,
)

from collectors.live.base import Blocked, RateLimited, SourceError, TemporaryFailure

MAX_REASON_CHARS = 300
REFUSED_SESSION = re.compile(
    r"please wait a few minutes|checkpoint|challenge|feedback_required|login_required|\b401 ", re.IGNORECASE
)
TOO_MANY_REQUESTS = re.compile(r"\b429 ")


class RateLimitHit(Exception):
    """instaloader wants to wait ``seconds`` before its next request (deliberately not an InstaloaderException,
    so no instaloader retry loop swallows it)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"instaloader wants to wait {seconds:.0f} s")
        self.seconds = seconds


class RaisingRateController(RateController):
    """instaloader's request accounting, but a wait becomes :class:`RateLimitHit` instead of ``time.sleep``."""

    def sleep(self, secs: float) -> None:
        raise RateLimitHit(secs)


def short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def source_error(exc: BaseException, *, now: datetime, block_backoff: timedelta, relogin_advice: str) -> SourceError:
    """The failure kind for an exception raised while instaloader talked to Instagram.

    ``relogin_advice`` tells the operator how to get a working session again (it goes into Blocked reasons).
    """
    chain = _chain(exc)
    if isinstance(exc, RateLimitHit):
        return RateLimited(f"Instagram rate limit: instaloader asks to wait {exc.seconds:.0f} s",
                           now + timedelta(seconds=exc.seconds))
    if any(isinstance(link, TooManyRequestsException) for link in chain) or (
            isinstance(exc, ConnectionException) and TOO_MANY_REQUESTS.search(str(exc))):
        return RateLimited(f"Instagram answered 429 Too Many Requests ({short(exc)})", None)
    blocked_by_kind = isinstance(exc, (LoginRequiredException, LoginException, AbortDownloadException))
    if blocked_by_kind or (isinstance(exc, InstaloaderException) and REFUSED_SESSION.search(str(exc))):
        retry_at = now + block_backoff
        return Blocked(f"Instagram refuses us ({short(exc)}); {relogin_advice}; next try at {retry_at:%Y-%m-%d %H:%M} UTC",
                       retry_at)
    if isinstance(exc, (ConnectionException, BadResponseException, PostChangedException)):
        return TemporaryFailure(f"Instagram request failed: {short(exc)}")
    if isinstance(exc, requests.RequestException | OSError):
        return TemporaryFailure(f"network error talking to Instagram: {type(exc).__name__}: {short(exc)}")
    if isinstance(exc, InstaloaderException):
        return TemporaryFailure(f"instaloader: {type(exc).__name__}: {short(exc)}")
    # KeyError, TypeError...: Instagram answered in a shape instaloader does not understand
    return TemporaryFailure(f"unexpected answer from Instagram ({type(exc).__name__}: {short(exc)})")

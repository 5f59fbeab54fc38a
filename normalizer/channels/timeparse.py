"""Message timestamps from every shape the channels use, always returned as tz-aware UTC.

City report feeds (Qlue, many Open311 servers) write local wall-clock time without a zone; in
Jakarta that is WIB, so a naive time is read in the zone the caller names (WIB by default).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WIB_OFFSET = timezone(timedelta(hours=7), "WIB")
EARLIEST_YEAR = 2000  # older stamps are epoch-zero bugs or typos, not citizens' messages
LATEST_YEAR = 2100
MILLISECONDS_THRESHOLD = 100_000_000_000  # a unix time above this is in milliseconds


@lru_cache(maxsize=32)
def named_zone(name: str) -> tzinfo:
    """An IANA zone; WIB as a fixed offset when the system has no zone database (it has not
    changed since 1964)."""
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        if name == "Asia/Jakarta":
            return WIB_OFFSET
        raise


def jakarta() -> tzinfo:
    return named_zone("Asia/Jakarta")


def parse_timestamp(value: object, *, naive_zone: tzinfo | None = None) -> datetime:
    """ISO 8601 text (with or without zone), ``YYYY-MM-DD HH:MM:SS``, or unix seconds/milliseconds
    (number or digit string) as UTC. Raises ValueError saying what was wrong."""
    if type(value) is str and value[-1:] == "Z":
        # UTC written with "Z" (X's "2024-03-11T08:30:12.000Z"): read as such, without the checks
        # below, which give the same moment; whatever this does not read goes the long way.
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
                return moment
    if value is None or value == "":
        raise ValueError("no timestamp")
    if isinstance(value, bool):
        raise ValueError(f"timestamp {value!r} is not a time")
    if isinstance(value, (int, float)):
        moment = _from_unix(float(value))
    elif isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").replace(".", "", 1).isdigit():
            moment = _from_unix(float(text))
        else:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(f"timestamp {value!r} is not ISO 8601") from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=naive_zone or jakarta())
    else:
        raise ValueError(f"timestamp {value!r} is not text or a number")
    moment = moment.astimezone(UTC)
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValueError(f"timestamp {value!r} is out of range ({moment.year})")
    return moment


def _from_unix(seconds: float) -> datetime:
    if abs(seconds) >= MILLISECONDS_THRESHOLD:
        seconds /= 1000.0
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"unix time {seconds!r} is out of range") from None


def time_or_fetched(created_at: datetime | None, fetched_at: datetime, flags: set[str]) -> datetime:
    """A message that says nothing of when it was written is dated when it was fetched, and flagged."""
    if created_at is not None:
        return created_at
    flags.add("date_missing")
    return fetched_at.astimezone(UTC)

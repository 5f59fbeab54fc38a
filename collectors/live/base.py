"""The contract every live collector keeps with the daemon.

A collector turns one configured source into an async stream of :class:`Batch` es. Each batch
carries the cursor that is true once *that batch* is stored: the daemon stores the items and the
cursor in one transaction, so a crash can lose neither, and a resumed run starts exactly where the
stored data ends. A collector never stores anything itself and keeps no state between runs other
than what it puts in the cursor.

Failures are raised as one of four kinds so the daemon can schedule the source without knowing
the channel: :class:`RateLimited` (wait until a known time), :class:`Blocked` (the service refuses
us for now: login required, checkpoint, "please wait"), :class:`TemporaryFailure` (5xx, network,
a non-JSON error page: back off with jitter) and :class:`PermanentFailure` (bad credentials,
forbidden, a URL that does not exist: an operator must act).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from collectors.types import RawItem

Cursor = dict[str, Any]  # JSON-safe; stored in source_state.cursor


@dataclass(frozen=True, slots=True)
class Batch:
    """Items to store together with the cursor that holds once they are stored."""

    items: list[RawItem]
    cursor: Cursor
    # Items seen but not stored on purpose (e.g. the city's own posts when configured so), for metrics.
    dropped: int = 0
    notes: dict[str, Any] = field(default_factory=dict)


class ConfigProblem(ValueError):
    """A source's configuration cannot work; the message names the source and the field."""


class SourceError(Exception):
    """Base of the failures a collector reports; ``kind`` is the short name used in state and metrics."""

    kind: ClassVar[str] = "error"

    def __init__(self, reason: str, retry_at: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_at = retry_at


class RateLimited(SourceError):
    """The service said how long to wait (``retry_at``; None when it did not say)."""

    kind = "rate_limited"


class Blocked(SourceError):
    """The service refuses us for a while (login required, checkpoint, 401 "please wait")."""

    kind = "blocked"


class TemporaryFailure(SourceError):
    """Worth retrying soon with backoff: 5xx, timeouts, connection errors, an HTML error page."""

    kind = "temporary"


class PermanentFailure(SourceError):
    """Retrying will not help until someone changes something (401/403 on a token, 404 URL)."""

    kind = "failed"


class CollectorConfig(BaseModel):
    """Base of each channel's options model: the source's keys from ``[[sources]]`` minus the shared ones."""

    model_config = ConfigDict(extra="forbid")
    name: str

    SHARED_KEYS: ClassVar[frozenset[str]] = frozenset({"type", "enabled", "interval", "jitter", "silence_factor", "silence_min"})

    @classmethod
    def from_options(cls, name: str, options: Mapping[str, Any], environ: Mapping[str, str]) -> Self:
        values = {k: v for k, v in options.items() if k not in cls.SHARED_KEYS}
        values["name"] = name
        try:
            config = cls.model_validate(values)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            raise ConfigProblem(f"source {name!r}: {problems}") from exc
        config.check_environment(environ)
        return config

    def check_environment(self, environ: Mapping[str, str]) -> None:
        """Raise ConfigProblem when a secret this source names is not set. Override where secrets exist."""

    @staticmethod
    def secret(name: str, field_name: str, variable: str | None, environ: Mapping[str, str]) -> str | None:
        """The secret held in the environment variable ``variable`` (None when no variable is named)."""
        if not variable:
            return None
        value = environ.get(variable)
        if not value:
            raise ConfigProblem(f"source {name!r}: {field_name} names the environment variable {variable}, "
                                f"which is not set — export {variable}=... before starting")
        return value


class Collector(Protocol):
    """One source. ``collect`` is called once per scheduled run with the stored cursor."""

    config_model: ClassVar[type[CollectorConfig]]
    channel: ClassVar[str]

    def collect(self, cursor: Cursor, since: datetime | None = None) -> AsyncIterator[Batch]:
        """Yield batches newer than ``cursor`` (or than ``since`` for a backfill); raise SourceError on failure.

        The cursor of each batch must never move backwards from the one passed in, and must describe
        only what this and earlier batches hold. Raising mid-run is fine: what was yielded is stored.
        """
        ...

    async def aclose(self) -> None:
        """Release connections; called once when the daemon stops."""
        ...

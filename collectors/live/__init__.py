"""Live collectors: one small class per channel, polling a source and yielding raw items in batches.

Each module registers its collector class in ``COLLECTOR_TYPES`` (by source ``type``); the daemon
builds collectors through :func:`build_collector` and never imports a channel module itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from collectors.live.base import (
    Batch,
    Blocked,
    Collector,
    CollectorConfig,
    PermanentFailure,
    RateLimited,
    SourceError,
    TemporaryFailure,
)

# source type -> "module:Class"; imported lazily so one channel's optional import cost stays its own
COLLECTOR_TYPES: dict[str, str] = {
    "twitter": "collectors.live.twitter:TwitterCollector",
    "instagram": "collectors.live.instagram:InstagramCollector",
    "email": "collectors.live.email:EmailCollector",
    "rss": "collectors.live.feeds:FeedCollector",
    "open311": "collectors.live.open311:Open311Collector",
    "qlue": "collectors.live.qlue:QlueCollector",
}


def collector_class(source_type: str) -> type[Collector]:
    try:
        module_name, class_name = COLLECTOR_TYPES[source_type].split(":")
    except KeyError:
        raise ValueError(f"unknown source type {source_type!r}; known: {', '.join(COLLECTOR_TYPES)}") from None
    return getattr(import_module(module_name), class_name)  # type: ignore[no-any-return]


def build_collector(name: str, source_type: str, options: Mapping[str, Any],
                    environ: Mapping[str, str], context: Mapping[str, Any] | None = None) -> Collector:
    """Validate ``options`` (the source's keys from the config) and build its collector.

    Raises :class:`collectors.live.base.ConfigProblem` naming the field when the options are wrong
    or a secret the options name is missing from ``environ``.
    """
    cls = collector_class(source_type)
    config = cls.config_model.from_options(name, options, environ)
    return cls(config, **dict(context or {}))


__all__ = [
    "Batch", "Blocked", "Collector", "CollectorConfig", "PermanentFailure", "RateLimited", "SourceError",
    "TemporaryFailure", "COLLECTOR_TYPES", "build_collector", "collector_class",
]

"""Each configured source checked through its own collector's options model, before anything runs.

Two kinds of trouble are told apart: a wrong or unknown key is a mistake in the file (the daemon
refuses to start, naming the source and the field), while a missing secret or a channel this build
cannot collect disables only that source, with the reason in the log, and the others run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from collectors.live import build_collector, collector_class
from collectors.live.base import Collector, ConfigProblem
from dengar.settings import Settings, SourceSettings


@dataclass(frozen=True, slots=True)
class SourceCheck:
    source: SourceSettings
    verdict: str  # "ok" | "disabled" (in config) | "invalid" (a key is wrong) | "unusable" (secret, channel)
    problem: str | None = None

    @property
    def name(self) -> str:
        return self.source.name


def source_options(source: SourceSettings) -> dict[str, Any]:
    """The channel's own keys: what the collector's options model validates."""
    return dict(source.model_extra or {})


def check_source(source: SourceSettings, environ: Mapping[str, str]) -> SourceCheck:
    problem, verdict = _problem(source, environ)
    if not source.enabled:
        reason = "disabled in the configuration (enabled = false)"
        return SourceCheck(source, "disabled", f"{reason}; when enabled: {problem}" if verdict == "invalid" else reason)
    return SourceCheck(source, verdict, problem)


def _problem(source: SourceSettings, environ: Mapping[str, str]) -> tuple[str | None, str]:
    try:
        cls = collector_class(source.type)
    except ImportError as exc:
        return (f"source {source.name!r}: no live collector for type {source.type!r} in this installation "
                f"({exc})"), "unusable"
    try:
        cls.config_model.from_options(source.name, source_options(source), environ)
    except ConfigProblem as exc:
        return str(exc), "invalid" if isinstance(exc.__cause__, ValidationError) else "unusable"
    return None, "ok"


def check_sources(settings: Settings, environ: Mapping[str, str]) -> list[SourceCheck]:
    return [check_source(source, environ) for source in settings.sources]


def build_source_collector(source: SourceSettings, environ: Mapping[str, str],
                           context: Mapping[str, Any]) -> Collector:
    """The one way the daemon makes a collector: through the registry, with the source's own keys."""
    return build_collector(source.name, source.type, source_options(source), environ, context)


__all__ = ["SourceCheck", "build_source_collector", "check_source", "check_sources", "source_options"]

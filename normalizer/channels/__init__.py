"""Channel parsers: one RawItem payload in, one Mention (without analysis) out.

Each module exposes ``PARSERS``: a mapping of content type to ``parse(raw) -> Mention``.
A parser raises ``NormalizeError`` with a reason a person can act on when a payload
cannot be read; it never returns a half-empty Mention silently.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from collectors.types import RawItem
from normalizer.types import Mention, NormalizeError

CHANNEL_MODULES = ("twitter", "instagram", "email", "feeds", "open311", "qlue")

Parser = Callable[[RawItem], Mention]


def all_parsers() -> dict[str, Parser]:
    parsers: dict[str, Parser] = {}
    for module_name in CHANNEL_MODULES:
        module = importlib.import_module(f"normalizer.channels.{module_name}")
        parsers.update(module.PARSERS)
    return parsers


def parse(raw: RawItem, parsers: dict[str, Parser]) -> Mention:
    parser = parsers.get(raw.content_type)
    if parser is None:
        raise NormalizeError(f"no parser for content type {raw.content_type!r} (item could not be split from its archive)")
    try:
        return parser(raw)
    except NormalizeError:
        raise
    except Exception as exc:  # a parser bug or an input nobody foresaw: quarantine, with the reason
        raise NormalizeError(f"{type(exc).__name__}: {exc}") from exc

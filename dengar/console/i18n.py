"""Interface strings: Indonesian by default, English on request.

Strings live in ``locales/<lang>.toml``; a page may bring its own ``locales/<lang>.<page>.toml``, so
pages added side by side never edit the same file. A key missing in English falls back to Indonesian.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALES_DIR = Path(__file__).parent / "locales"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


@dataclass(frozen=True)
class Translations:
    strings: dict[str, dict[str, str]]  # lang -> key -> text

    @classmethod
    def load(cls, folder: Path = LOCALES_DIR) -> Translations:
        strings: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            merged: dict[str, str] = {}
            for path in [folder / f"{lang}.toml", *sorted(folder.glob(f"{lang}.*.toml"))]:
                if path.is_file():
                    merged.update(_flatten(tomllib.loads(path.read_text(encoding="utf-8"))))
            strings[lang] = merged
        return cls(strings)

    def text(self, lang: str, key: str, **values: Any) -> str:
        """The string for ``key``; ``{name}`` placeholders filled from ``values``; the key itself if unknown."""
        template = self.strings.get(lang, {}).get(key) or self.strings[DEFAULT_LANGUAGE].get(key) or key
        if not values:
            return template
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return template


def choose_language(cookie_value: str | None) -> str:
    return cookie_value if cookie_value in LANGUAGES else DEFAULT_LANGUAGE

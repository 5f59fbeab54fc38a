"""The Instagram cursor: the newest post time seen per profile and per hashtag.

Posts come newest first, so the mark of a profile can only move once its whole run is stored;
batches before that carry the previous mark. A mark never moves backwards, and marks of targets
no longer configured are kept (re-adding a profile resumes where it was).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

TargetKind = Literal["profiles", "hashtags"]


@dataclass(frozen=True, slots=True)
class Target:
    kind: TargetKind
    name: str

    def __str__(self) -> str:
        return f"#{self.name}" if self.kind == "hashtags" else f"@{self.name}"


@dataclass(frozen=True, slots=True)
class Mark:
    """Newest post time (unix seconds) stored for one target, with that post's shortcode."""

    newest: int
    shortcode: str | None = None


class InstagramCursor:
    """Immutable view of the stored cursor ``{"profiles": {name: mark}, "hashtags": {name: mark}}``."""

    def __init__(self, marks: dict[Target, Mark]) -> None:
        self._marks = dict(marks)

    @classmethod
    def from_json(cls, cursor: dict[str, Any] | None) -> InstagramCursor:
        marks: dict[Target, Mark] = {}
        for kind in ("profiles", "hashtags"):
            section = (cursor or {}).get(kind)
            for name, mark in (section.items() if isinstance(section, dict) else ()):
                if isinstance(mark, dict) and isinstance(mark.get("newest"), int) and not isinstance(mark["newest"], bool):
                    shortcode = mark.get("shortcode")
                    marks[Target(kind, str(name))] = Mark(mark["newest"], shortcode if isinstance(shortcode, str) else None)
        return cls(marks)

    def to_json(self) -> dict[str, Any]:
        cursor: dict[str, Any] = {"profiles": {}, "hashtags": {}}
        for target, mark in sorted(self._marks.items(), key=lambda pair: (pair[0].kind, pair[0].name)):
            cursor[target.kind][target.name] = {"newest": mark.newest, "shortcode": mark.shortcode}
        return cursor

    def mark(self, target: Target) -> Mark | None:
        return self._marks.get(target)

    def advanced(self, target: Target, newest: Mark | None) -> InstagramCursor:
        """This cursor with ``target`` moved to ``newest`` unless that would move it backwards."""
        current = self._marks.get(target)
        if newest is None or (current is not None and newest.newest <= current.newest):
            return self
        return InstagramCursor({**self._marks, target: newest})

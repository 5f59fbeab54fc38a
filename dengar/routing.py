"""Agency routing: the first suggestion of which agency handles a ticket, from config/agencies.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class AgencyRouting:
    by_category: dict[str, str]
    by_place: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path) -> AgencyRouting:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        by_place = {(rule["category"], rule["kota"]): rule["agency"] for rule in data.get("by_place", [])}
        return cls(by_category=dict(data.get("by_category", {})), by_place=by_place)

    def __call__(self, category: str, kota: str | None) -> str | None:
        if kota is not None and (category, kota) in self.by_place:
            return self.by_place[(category, kota)]
        return self.by_category.get(category)

"""What the demo has stored, per source: read from the database, so a re-run shows the same totals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import Engine, distinct, func, select

from sink.models import MentionRow, QuarantineRow, RawItemRow


@dataclass(frozen=True, slots=True)
class SourceTotals:
    name: str
    channel: str
    stored: int  # raw items of this source in the store
    new: int  # of which this run stored
    quarantined: int
    tickets: int  # distinct tickets its messages belong to


def source_totals(engine: Engine, sources: Mapping[str, str], new: Mapping[str, int]) -> list[SourceTotals]:
    """``sources``: name -> channel, in the order to show; ``new``: items each stored in this run."""
    raw, quarantine, mentions = RawItemRow.__table__, QuarantineRow.__table__, MentionRow.__table__
    names = list(sources)
    with engine.connect() as connection:
        stored = Counter(dict(connection.execute(
            select(raw.c.source, func.count()).where(raw.c.source.in_(names)).group_by(raw.c.source)).all()))
        quarantined = Counter(dict(connection.execute(
            select(raw.c.source, func.count()).select_from(quarantine.join(raw, quarantine.c.raw_item_id == raw.c.id))
            .where(raw.c.source.in_(names)).group_by(raw.c.source)).all()))
        tickets = Counter(dict(connection.execute(
            select(mentions.c.source, func.count(distinct(mentions.c.ticket_id)))
            .where(mentions.c.source.in_(names), mentions.c.ticket_id.is_not(None)).group_by(mentions.c.source)).all()))
    return [SourceTotals(name, channel, stored[name], new.get(name, 0), quarantined[name], tickets[name])
            for name, channel in sources.items()]


def print_totals(rows: Sequence[SourceTotals], failures: Mapping[str, str], out: TextIO) -> None:
    width = max([len("source"), *(len(row.name) for row in rows)])
    print(f"{'source':<{width}}  {'channel':<9} {'stored':>7} {'new':>5} {'quarantined':>12} {'tickets':>8}", file=out)
    for row in rows:
        print(f"{row.name:<{width}}  {row.channel:<9} {row.stored:>7} {row.new:>5} {row.quarantined:>12} {row.tickets:>8}"
              + (f"  FAILED: {failures[row.name]}" if row.name in failures else ""), file=out)
    print(f"{'total':<{width}}  {'':<9} {sum(r.stored for r in rows):>7} {sum(r.new for r in rows):>5} "
          f"{sum(r.quarantined for r in rows):>12}", file=out)


__all__ = ["SourceTotals", "print_totals", "source_totals"]

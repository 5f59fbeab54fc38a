"""Candidate search that does not grow with history: an LSH index of recent texts and an exact
index of recent tickets by (category, place).

The LSH index finds tickets whose texts look alike whatever their place says (cross-posts,
messages without a place). People describe one flood in very different words, which LSH misses,
so tickets are also listed under their category with their kelurahan, street and landmark: a new
mention looks at the few recent tickets of its own category at its own place. Both indexes hold
only what the deduplicator has not evicted, i.e. the longest merge window.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rensa import RMinHash, RMinHashLSH

from dedup.place import MentionPlace, TicketPlace
from dedup.signature import NUM_PERM

# 24 bands of 5 rows over 120 permutations: a pair is found with p = 1 - (1 - J^5)^24, i.e.
# 0.99 at Jaccard 0.7, 0.86 at 0.6, 0.53 at 0.5, 0.06 at 0.3. 32 bands of 4 rows found 99.9 % of
# the rewrites instead of 98.6 % but returned twice as many hits per query on boilerplate-heavy
# complaints (benchmarks/minhash_choice.py), and the hits are what a query costs.
LSH_BANDS = 24

Cell = tuple[str, str, str]  # (category, level, value)


def place_cells(category: str, place: MentionPlace) -> list[Cell]:
    """The exact-index cells a mention of this category and place falls in.

    The kecamatan cell finds tickets a mention naming only its kecamatan may belong to (and, from
    the other side, tickets that named only the kecamatan); ``compare_place`` then sorts them.
    """
    cells: list[Cell] = []
    if place.kelurahan_code:
        cells.append((category, "kelurahan", place.kelurahan_code))
    elif place.kelurahan:
        cells.append((category, "kelurahan_name", place.kelurahan))
    if place.kecamatan:
        cells.append((category, "kecamatan", place.kecamatan))
    if place.street:
        cells.append((category, "street", place.street))
    if place.landmark:
        cells.append((category, "landmark", place.landmark))
    return cells


def ticket_cells(category: str, place: TicketPlace) -> Iterator[Cell]:
    if place.kelurahan_code:
        yield (category, "kelurahan", place.kelurahan_code)
    elif place.kelurahan:
        yield (category, "kelurahan_name", place.kelurahan)
    if place.kecamatan:
        yield (category, "kecamatan", place.kecamatan)
    for street in sorted(place.streets):
        yield (category, "street", street)
    for landmark in sorted(place.landmarks):
        yield (category, "landmark", landmark)


class TextIndex:
    """MinHash LSH over integer keys, with removal; the caller owns what a key means."""

    def __init__(self, bands: int = LSH_BANDS, num_perm: int = NUM_PERM) -> None:
        self._lsh = RMinHashLSH(0.5, num_perm, bands)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def insert(self, key: int, signature: RMinHash) -> None:
        self._lsh.insert(key, signature)
        self._count += 1

    def remove(self, key: int) -> None:
        if self._lsh.remove(key):
            self._count -= 1

    def query(self, signature: RMinHash) -> list[int]:
        return self._lsh.query(signature)


class PlaceIndex:
    """Recent tickets per (category, place) cell, newest last, in insertion order."""

    def __init__(self) -> None:
        self._cells: dict[Cell, dict[int, None]] = {}

    def __len__(self) -> int:
        return len(self._cells)

    def add(self, cells: Iterable[Cell], ticket_id: int) -> None:
        for cell in cells:
            tickets = self._cells.setdefault(cell, {})
            tickets.pop(ticket_id, None)  # re-insert: this ticket is now the newest here
            tickets[ticket_id] = None

    def remove(self, cells: Iterable[Cell], ticket_id: int) -> None:
        for cell in cells:
            tickets = self._cells.get(cell)
            if tickets is not None:
                tickets.pop(ticket_id, None)
                if not tickets:
                    del self._cells[cell]

    def newest(self, cell: Cell, limit: int) -> list[int]:
        tickets = self._cells.get(cell)
        if not tickets:
            return []
        if len(tickets) <= limit:
            return list(tickets)
        return list(tickets)[-limit:]

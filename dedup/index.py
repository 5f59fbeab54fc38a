"""Candidate search that does not grow with history: an LSH index of recent texts and an exact
index of recent tickets by (category, place).

People describe one flood in very different words, so the same-incident candidates are found by
place: tickets are listed under their category with their kelurahan, kecamatan, street and
landmark, and a new mention looks at the few recent tickets of its own category at its own place.
The LSH index is only for near copies (cross-posts, any category or place), asked when the place
settles nothing. Both indexes hold only what the deduplicator has not evicted, i.e. the longest
merge window.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Collection, Iterable

from rensa import RMinHash, RMinHashLSH

from dedup.place import MentionPlace, TicketPlace
from dedup.signature import NUM_PERM

# 20 bands of 6 rows over 120 permutations: a pair is found with p = 1 - (1 - J^6)^20, i.e.
# 0.92 at Jaccard 0.7 (the cross-post bar), 0.98 at 0.75, 0.27 at 0.5, 0.01 at 0.3. Hits are
# what a query costs: on the template-heavy synthetic stream (benchmarks/complaint_stream.py) a
# query returned 259 hits on average at 24 x 5, 131 at 20 x 6, with the same B-cubed figures on
# both labelled corpora (near copies there are far above 0.7).
LSH_BANDS = 20

Cell = tuple[str, str, str]  # (category, level, value)
# Pinned points are listed on a grid of about 550 m; a mention looks in its square and the rings
# around it that every pin within the distance asked lies in.
GEO_CELL_DEGREES = 0.005
_GEO_CELL_METRES = GEO_CELL_DEGREES * 110_574.0  # the narrower side (a degree of longitude is longer here)


def _geo_square(point: tuple[float, float]) -> tuple[int, int]:
    return math.floor(point[0] / GEO_CELL_DEGREES), math.floor(point[1] / GEO_CELL_DEGREES)


def geo_cells(category: str, point: tuple[float, float] | None, metres: float) -> list[Cell]:
    """The grid squares around a pinned point, to find tickets pinned within ``metres`` of it."""
    if point is None:
        return []
    row, column = _geo_square(point)
    rings = max(1, math.ceil(metres / _GEO_CELL_METRES))
    span = range(-rings, rings + 1)
    return [(category, "geo", f"{row + dy}|{column + dx}") for dy in span for dx in span]


def place_cells(category: str, place: MentionPlace) -> list[Cell]:
    """The exact-index cells to look in for tickets of this category near this place.

    A mention that names its kelurahan looks at its kelurahan, at tickets that named no
    kelurahan (by kecamatan, street, landmark) and at those whose kelurahan may mean their whole
    kecamatan; one that names none, or a kelurahan that may mean its whole kecamatan, looks at
    every ticket of its kecamatan, street and landmark; one that names only its kota, at every
    ticket of its kota.
    ``compare_place`` then sorts out which of them are compatible.
    """
    cells: list[Cell] = []
    kelurahan = place.kelurahan_code or place.kelurahan
    if place.kelurahan_code:
        cells.append((category, "kelurahan", place.kelurahan_code))
    elif place.kelurahan:
        cells.append((category, "kelurahan_name", place.kelurahan))
    if place.kecamatan:
        if kelurahan and not place.may_mean_kecamatan:
            cells.append((category, "kecamatan_only", place.kecamatan))
            cells.append((category, "kecamatan_wide", place.kecamatan))
        else:
            cells.append((category, "kecamatan", place.kecamatan))
    elif place.kota and not (kelurahan or place.street or place.landmark):
        cells.append((category, "kota", place.kota))
    # With a kelurahan, the same street elsewhere is a conflict: only tickets that named none matter.
    if place.street:
        cells.append((category, "street_only" if kelurahan else "street", place.street))
    if place.landmark:
        cells.append((category, "landmark_only" if kelurahan else "landmark", place.landmark))
    return cells


def spot_cells(category: str, place: MentionPlace) -> list[Cell]:
    """The narrowest cells: this street or landmark in this kelurahan (searched first)."""
    kelurahan = place.kelurahan_code or place.kelurahan
    if not kelurahan:
        return []
    cells: list[Cell] = []
    if place.street:
        cells.append((category, "spot", f"{kelurahan}|{place.street}"))
    if place.landmark:
        cells.append((category, "spot", f"{kelurahan}|{place.landmark}"))
    return cells


def bare_kelurahan_cell(category: str, kelurahan_code: str | None, kelurahan: str | None) -> Cell:
    """Where the tickets that named a kelurahan and no street or landmark are also listed.

    Nobody searches it for candidates: a report naming a street and its kelurahan reads it to
    learn at once whether any such ticket is there to fold in (most often none is).
    """
    if kelurahan_code:
        return (category, "bare_kelurahan", kelurahan_code)
    return (category, "bare_kelurahan_name", kelurahan or "")


def city_cell(category: str) -> Cell:
    """Where every ticket of a category is also listed: read only for a report that names no place."""
    return (category, "city", "")


def ticket_cells(category: str, place: TicketPlace) -> tuple[Cell, ...]:
    """The cells a ticket is listed under (see ``place_cells`` for who looks where)."""
    cells: list[Cell] = []
    if place.kelurahan_code:
        cells.append((category, "kelurahan", place.kelurahan_code))
    elif place.kelurahan:
        cells.append((category, "kelurahan_name", place.kelurahan))
    if place.kecamatan:
        cells.append((category, "kecamatan", place.kecamatan))
        if not (place.kelurahan_code or place.kelurahan):
            cells.append((category, "kecamatan_only", place.kecamatan))
        elif place.may_mean_kecamatan:
            cells.append((category, "kecamatan_wide", place.kecamatan))
    if place.kota:
        cells.append((category, "kota", place.kota))
    cells.append(city_cell(category))
    kelurahan = place.kelurahan_code or place.kelurahan
    for street in sorted(place.streets):
        cells.append((category, "street", street))
        cells.append((category, "spot", f"{kelurahan}|{street}") if kelurahan else (category, "street_only", street))
    for landmark in sorted(place.landmarks):
        cells.append((category, "landmark", landmark))
        cells.append((category, "spot", f"{kelurahan}|{landmark}") if kelurahan else (category, "landmark_only", landmark))
    if kelurahan and not place.streets and not place.landmarks:
        cells.append(bare_kelurahan_cell(category, place.kelurahan_code, place.kelurahan))
    for point in place.points:
        row, column = _geo_square(point)
        cell = (category, "geo", f"{row}|{column}")
        if cell not in cells:
            cells.append(cell)
    return tuple(cells)


class TextIndex:
    """MinHash LSH over integer keys, with removal; the caller owns what a key means and how many
    there are. Nearly every message inserts one text and pushes an older one out, so the calls go
    straight to rensa, with no Python layer on top."""

    def __init__(self, bands: int = LSH_BANDS, num_perm: int = NUM_PERM) -> None:
        lsh = RMinHashLSH(0.5, num_perm, bands)
        self.insert: Callable[[int, RMinHash], None] = lsh.insert
        self.remove: Callable[[int], bool] = lsh.remove
        self.query: Callable[[RMinHash], list[int]] = lsh.query


class PlaceIndex:
    """Recent tickets per (category, place) cell; each ticket's cells are remembered, so a ticket
    whose place or category changed leaves no stale entry behind.

    Recency is a stamp per ticket rather than an order inside each cell: every member touches its
    ticket, and most members change none of its cells, so a touch is one counter write; only
    the rare crowded cell (more tickets than a search reads) is sorted by stamp when searched.
    """

    def __init__(self) -> None:
        self._cells: dict[Cell, set[int]] = {}
        self._listed: dict[int, tuple[Cell, ...]] = {}
        self._stamps: dict[int, int] = {}  # ticket -> when it was last put
        self._clock = 0

    def __len__(self) -> int:
        return len(self._cells)

    def put(self, ticket_id: int, cells: tuple[Cell, ...]) -> None:
        """List the ticket under exactly these cells, as the newest in each."""
        self._clock += 1
        self._stamps[ticket_id] = self._clock
        old = self._listed.get(ticket_id)
        if old is cells or old == cells:
            return
        if old is not None:
            self._unlist(ticket_id, [cell for cell in old if cell not in cells])
        self._listed[ticket_id] = cells
        for cell in cells:
            tickets = self._cells.get(cell)
            if tickets is None:
                self._cells[cell] = {ticket_id}
            else:
                tickets.add(ticket_id)

    def drop(self, ticket_id: int) -> None:
        self._stamps.pop(ticket_id, None)
        cells = self._listed.pop(ticket_id, None)
        if cells:
            self._unlist(ticket_id, cells)

    def _unlist(self, ticket_id: int, cells: Iterable[Cell]) -> None:
        for cell in cells:
            tickets = self._cells.get(cell)
            if tickets is not None:
                tickets.discard(ticket_id)
                if not tickets:
                    del self._cells[cell]

    def lists_any(self, cell: Cell) -> bool:
        return cell in self._cells  # an emptied cell is deleted

    def few(self, cell: Cell, limit: int) -> Collection[int]:
        """The cell's tickets if it lists no more than ``limit``, else none: for a question that
        only few tickets can answer, asked without sorting a crowded cell."""
        tickets = self._cells.get(cell)
        return tickets if tickets and len(tickets) <= limit else ()

    def newest(self, cell: Cell, limit: int) -> Collection[int]:
        """The ``limit`` tickets of the cell put last (in no particular order), to read at once:
        the index's own set when the cell holds no more (searched for every message, not copied)."""
        tickets = self._cells.get(cell)
        if not tickets:
            return ()
        if len(tickets) <= limit:
            return tickets
        return heapq.nlargest(limit, tickets, key=self._stamps.__getitem__)

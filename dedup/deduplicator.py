"""Assigns complaints to tickets by the four merge rules (DESIGN.md §4), in memory, in stream order.

The deduplicator holds only the recent past: the mentions and tickets of the longest merge window.
Older messages are reached through a ``TicketLookup`` (storage) when something references them.
Messages do not arrive in time order (X pages newest first, a late e-mail, a backfill): a message
older than what memory holds first has the stored tickets of its time recalled from a
``MentionHistory``, so its ticket does not depend on when it arrived.
Operator decisions (merges, splits, pinned members) are replayed into it at start-up and never
overridden by the machine.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right, insort
from collections import deque
from dataclasses import dataclass, field, replace
from functools import partial
from datetime import datetime, timezone
from collections.abc import Iterable, Iterator
from typing import Protocol

from rensa import RMinHash

from dedup.expiry import ExpiryQueue
from dedup.index import Cell, PlaceIndex, TextIndex, bare_kelurahan_cell, city_cell, geo_cells, place_cells, spot_cells, ticket_cells
from dedup.operator_decisions import OperatorDecisions
from dedup.place import MentionPlace, PlaceMatch, Specificity, TicketPlace, compare_place, pinned_near
from dedup.rules import Bars, MergeRules
from dedup.signature import text_signature
from dedup.types import Assignment, LinkKind
from normalizer.types import GEO_AREA, Mention, Place

MessageKey = tuple[str, str]
UNCATEGORIZED = "lainnya"
_BRIDGING = frozenset({LinkKind.SAME_INCIDENT, LinkKind.CROSS_POST})
SAMPLES_PER_TICKET = 3  # texts a ticket found by place is compared by: its first and newest
MEMBERS_PER_TICKET = 512  # members a ticket can rebuild its place from after an operator moves one
PLACES_REMEMBERED = 8192  # distinct normalized places kept between mentions
SCORES_REMEMBERED = 4096  # distinct scores with their rounding: a few hundred occur
SIGNATURES_REMEMBERED = 16384  # signatures of recent texts (~0.6 KB each): copies and templates repeat
AUTO_EVICT_EVERY_SECONDS = 3600.0
AUTO_EVICT_SLACK_SECONDS = 24 * 3600.0  # a message a day late still finds its tickets in memory
RECALL_SLACK_SECONDS = 24 * 3600.0  # a recall reaches a day further back, so the next older messages need none


class TicketLookup(Protocol):
    def ticket_of(self, channel: str, external_id: str) -> int | None:
        """The ticket of a stored message of any age (for reposts and replies of old messages)."""
        ...


@dataclass(frozen=True, slots=True)
class StoredMember:
    """A ticketed message as storage holds it; ``pinned`` when an operator placed it."""

    mention: Mention
    ticket_id: int
    pinned: bool


class MentionHistory(Protocol):
    def ticketed_between(self, start: datetime, end: datetime) -> Iterable[StoredMember]:
        """Every stored ticketed message written in [start, end), oldest first (an indexed time range)."""
        ...


@dataclass(slots=True)
class _Member:
    """A remembered message: where it went, where it was, and its text if it is LSH-indexed."""

    key: MessageKey
    ticket_id: int
    link_kind: LinkKind
    score: float
    pinned: bool
    expires_at: float  # leaves memory then
    place: MentionPlace
    signature: RMinHash | None = None  # kept only while indexed, or as a ticket sample
    lsh_key: int | None = None
    refers_to: MessageKey | None = None  # the message it reposts, quotes or answers


@dataclass(slots=True)  # never changed; not frozen, which would make building one three times dearer
class _Referrer:
    """A remembered repost, quote or reply, waiting in case the message it refers to arrives after it."""

    key: MessageKey
    repost: bool
    reply: bool
    category: str
    place: MentionPlace


@dataclass(slots=True)
class _NamedPlace:
    """A distinct place as messages name it, normalized once, with the index cells searched for it
    per category (many messages name the same place)."""

    where: MentionPlace
    # category -> (spot, wider, the bare kelurahan cell a report here may bridge from, if any)
    searches: dict[str, tuple[list[Cell], list[Cell], Cell | None]] = field(default_factory=dict)

    def cells(self, category: str) -> tuple[list[Cell], list[Cell], Cell | None]:
        found = self.searches.get(category)
        if found is None:
            where = self.where
            bare = None
            if (where.kelurahan_code or where.kelurahan) and category != UNCATEGORIZED:
                bare = bare_kelurahan_cell(category, where.kelurahan_code, where.kelurahan)
            found = self.searches[category] = (spot_cells(category, where), place_cells(category, where), bare)
        return found


@dataclass(slots=True)
class _Ticket:
    ticket_id: int
    category: str
    first_seen: float
    last_seen: float
    place: TicketPlace = field(default_factory=TicketPlace)
    samples: list[RMinHash] = field(default_factory=list)
    indexed: deque[int] = field(default_factory=deque)  # LSH keys of its texts, oldest first
    members: deque[MessageKey] = field(default_factory=lambda: deque(maxlen=MEMBERS_PER_TICKET))
    heard: list[float] = field(default_factory=list)  # when its newest members were seen, in order
    cells: tuple[Cell, ...] | None = None  # where the place index lists it; None when place or category changed


@dataclass(frozen=True, slots=True)
class DedupSize:
    """How much the deduplicator holds; bounded by the window, not by history."""

    members: int
    indexed_texts: int
    tickets: int
    place_cells: int


# An enum member read through its class costs a descriptor call; the hot paths use these names.
_CONFLICT, _AREA, _KELURAHAN, _SPOT = Specificity.CONFLICT, Specificity.AREA, Specificity.KELURAHAN, Specificity.SPOT
_NEW, _REPOST, _CROSS_POST, _SAME_INCIDENT = LinkKind.NEW, LinkKind.REPOST, LinkKind.CROSS_POST, LinkKind.SAME_INCIDENT


# ``Assignment(...)`` without the named tuple's ``__new__``, a Python function: every field given, in order.
_new_assignment = partial(tuple.__new__, Assignment)


def _hear(heard: list[float], seen_at: float) -> None:
    """Note when a member was seen; messages mostly arrive in time order, so this appends."""
    if not heard or seen_at >= heard[-1]:
        heard.append(seen_at)
    else:
        insort(heard, seen_at)
    if len(heard) > MEMBERS_PER_TICKET:
        del heard[0]


def _unhear(heard: list[float], seen_at: float) -> None:
    """Forget one member's time (``seen_at`` worked back from its expiry: equal within rounding)."""
    at = bisect_left(heard, seen_at - 1e-3)
    if at < len(heard) and heard[at] <= seen_at + 1e-3:
        del heard[at]


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, timezone.utc)


class Deduplicator:
    def __init__(self, rules: MergeRules, next_ticket_id: int = 1, lookup: TicketLookup | None = None) -> None:
        self._rules = rules
        self._next_ticket_id = next_ticket_id
        self._lookup = lookup
        self._decisions = OperatorDecisions()
        self._members: dict[MessageKey, _Member] = {}
        self._tickets: dict[int, _Ticket] = {}
        self._texts = TextIndex()
        self._by_lsh_key: dict[int, _Member] = {}  # LSH key -> the member whose text it is
        self._places = PlaceIndex()
        self._member_expiry: ExpiryQueue[_Member] = ExpiryQueue()
        self._ticket_expiry: list[tuple[float, int]] = []
        self._next_lsh_key = 0
        self._longest_window = rules.longest_window.total_seconds()
        self._min_informative_tokens = rules.min_informative_tokens
        self._indexed_per_ticket = rules.indexed_per_ticket
        self._windows: dict[str, float] = {}  # merge window per category, in seconds
        self._unplaced_recent = 3600.0 * rules.unplaced_recent_hours
        self._places_seen: dict[Place, _NamedPlace] = {}
        self._places_by_identity: dict[int, tuple[Place, _NamedPlace]] = {}  # id -> (the object, its entry)
        # the rules per kind of place match, by (informative text, pinned near)
        self._bars: dict[tuple[bool, bool], dict[PlaceMatch, Bars]] = {(i, p): {} for i in (False, True) for p in (False, True)}
        self._signatures_seen: dict[str, RMinHash] = {}
        self._scores_rounded: dict[float, float] = {}
        self._newest_seen = float("-inf")
        self._evicted_at = float("-inf")
        # A message written at or after this time finds every ticket it could join in memory;
        # an older one first recalls the stored tickets of its time from ``_history``.
        self._complete_from = float("-inf")
        self._history: MentionHistory | None = None
        self._recalls = 0
        self._referrers: dict[MessageKey, list[_Referrer]] = {}  # referenced message -> who refers to it

    @property
    def next_ticket_id(self) -> int:
        return self._next_ticket_id

    @property
    def recalls(self) -> int:
        """How many times older stored tickets were read back for a late message."""
        return self._recalls

    def use_history(self, history: MentionHistory, complete_from: datetime | None) -> None:
        """Storage holds what memory forgot; memory is complete for messages from ``complete_from`` on
        (None: for every message, storage held nothing more when memory was filled)."""
        self._history = history
        if complete_from is not None:
            self._complete_from = max(self._complete_from, complete_from.timestamp())

    @property
    def size(self) -> DedupSize:
        return DedupSize(len(self._members), len(self._by_lsh_key), len(self._tickets), len(self._places))

    # -- the rules ---------------------------------------------------------------------------

    def assign(self, mention: Mention) -> Assignment | None:
        """The ticket this mention joins or opens; None for a non-complaint that references no ticket."""
        key = (mention.channel, mention.external_id)  # ``mention.key``, without a call
        known = self._members.get(key)
        if known is not None:  # rule 1: same message
            kind = LinkKind.OPERATOR if known.pinned else known.link_kind
            return Assignment(self._decisions.resolve(known.ticket_id), kind, known.score, kind is LinkKind.NEW)
        seen_at = mention.created_at.timestamp()
        if seen_at > self._newest_seen:  # the clock moved: ``_auto_evict``, whose test runs here for every message
            self._newest_seen = seen_at
            if seen_at - AUTO_EVICT_SLACK_SECONDS - self._evicted_at > AUTO_EVICT_EVERY_SECONDS:
                self._evict(seen_at - AUTO_EVICT_SLACK_SECONDS)
        elif self._newest_seen - AUTO_EVICT_SLACK_SECONDS - self._evicted_at > AUTO_EVICT_EVERY_SECONDS:
            self._auto_evict(seen_at)
        if seen_at < self._complete_from and self._history is not None:
            self._recall(seen_at)
        place = mention.place
        known_place = self._places_by_identity.get(id(place))
        named = known_place[1] if known_place is not None and known_place[0] is place else self._named_place(place)
        where = named.where if mention.geo is None else self._pinned(named.where, mention)

        parent_unknown = False
        if mention.repost_of or mention.quote_of or mention.reply_to:
            repost, parent_unknown = self._repost_assignment(mention, where)  # rule 2
            if repost is not None:
                completes = not mention.repost_of and self._completes_place(repost.ticket_id, where)
                places = not mention.repost_of and self._places_placeless(repost.ticket_id, named.where)
                self._record(key, mention, where, repost, seen_at, None)
                if completes:
                    repost = self._bridge(mention, where, repost, seen_at)
                if places:
                    repost = self._fold_placeless(named, repost, seen_at)
                return repost
        if not mention.is_complaint:
            return None

        match_text = mention.match_text
        signature = (self._signatures_seen.get(match_text) or self._signature_of(match_text)) if match_text else None
        informative = bool(match_text) and match_text.count(" ") + 1 >= self._min_informative_tokens
        # Rules 3 and 4: a ticket of the same category at the same kelurahan or spot settles it;
        # only when none does is LSH asked for near copies elsewhere (any category, any place).
        # The narrowest first: a ticket on this very street of this kelurahan outranks all others.
        assignment = None
        spots, wider, bare_kelurahan = named.searches.get(mention.category) or named.cells(mention.category)
        if spots:
            candidates = self._place_candidates(spots)
            if candidates:
                assignment = self._decide(mention, named.where, where, candidates, signature, seen_at, informative, _SPOT)
        if assignment is None:
            candidates = self._place_candidates(wider)
            if candidates:
                assignment = self._decide(mention, named.where, where, candidates, signature, seen_at, informative, _KELURAHAN)
        if assignment is None:
            # An uncategorized reply or quote of a message not (yet) seen says "+1, still not fixed"
            # about that message: its words match other threads' replies, not its own incident.
            # Its parent, when it arrives, joins it (``_join_referrer``), as in time order.
            if signature is not None and not (parent_unknown and mention.category == UNCATEGORIZED):
                self._add_text_candidates(candidates, signature)
            if where.point is not None:
                self._add_pinned_candidates(candidates, mention.category, where)
            elif not (named.where.known or parent_unknown) and mention.category != UNCATEGORIZED:
                # a reply or quote of a message not yet seen is placed by its thread when that arrives
                self._add_city_candidates(candidates, mention.category, seen_at)
            assignment = self._decide(mention, named.where, where, candidates, signature, seen_at, informative)
        if assignment.opened and key in self._referrers:
            assignment = self._join_referrer(mention, where, assignment)
        bridges = (bare_kelurahan is not None and not assignment.opened and assignment.link_kind in _BRIDGING
                   and self._places.lists_any(bare_kelurahan)
                   and (where.street or where.landmark or self._completes_place(assignment.ticket_id, where)))
        places = not assignment.opened and self._places_placeless(assignment.ticket_id, named.where)
        self._record(key, mention, where, assignment, seen_at, signature)
        if key in self._referrers:
            assignment = self._adopt_referrers(mention, where, assignment)
        if bridges:
            assignment = self._bridge(mention, where, assignment, seen_at)  # tests the first two again: cheap, rare
        if places:
            assignment = self._fold_placeless(named, assignment, seen_at)
        if (named.where.known or where.point is not None) and mention.category != UNCATEGORIZED:
            assignment = self._adopt_unplaced(assignment, seen_at)
        if where.point is not None and not assignment.opened and assignment.link_kind in _BRIDGING:
            if named.where.known:
                assignment = self._fold_pinned(mention, named.where, where, assignment, seen_at)
            else:
                assignment = self._pin_placeless(mention, where, assignment, seen_at)
        return assignment

    def _fold_pinned(self, mention: Mention, named: MentionPlace, where: MentionPlace, assignment: Assignment,
                     seen_at: float) -> Assignment:
        """Fold in the tickets of this category that only a pin (and perhaps their kota) placed,
        near this report's pin.

        A pinned report that names no place joins a ticket pinned nearby; arriving before any pin
        of that ticket, it opened its own, which this report (named, pinned, joining the ticket by
        its place) now shows to be the same incident, as the other order would have found.
        """
        target = self._decisions.resolve(assignment.ticket_id)
        folded = [
            other_id for other_id, other in self._live_pinned_near(mention, where, seen_at, target)
            if not (other.place.kelurahan_code or other.place.kelurahan or other.place.streets or other.place.landmarks)
            and not compare_place(other.place, named).conflict
        ]
        for other_id in folded:
            self.retarget(other_id, target)
        return assignment._replace(bridged=(*assignment.bridged, *folded)) if folded else assignment

    def _pin_placeless(self, mention: Mention, where: MentionPlace, assignment: Assignment, seen_at: float) -> Assignment:
        """A ticket whose reports named no place, now pinned by a copy of one (a tweet's Qlue copy),
        folds into the named ticket of its category pinned nearby: the pin is the place they left out."""
        joined = self._decisions.resolve(assignment.ticket_id)
        ticket = self._tickets.get(joined)
        if ticket is None or ticket.place.known or ticket.category != mention.category:
            return assignment
        near = [(other.last_seen, other_id) for other_id, other in self._live_pinned_near(mention, where, seen_at, joined)
                if other.place.known]
        if not near:
            return assignment
        target = max(near)[1]  # the one heard from last, as among compatible tickets
        self.retarget(joined, target)
        return assignment._replace(ticket_id=target, bridged=(*assignment.bridged, joined))

    def _live_pinned_near(self, mention: Mention, where: MentionPlace, seen_at: float, ticket_id: int) -> list[tuple[int, _Ticket]]:
        """The other open tickets of the mention's category pinned within its category's ``pinned_metres_for`` of it,
        that an operator has not split from ``ticket_id``."""
        if mention.category == UNCATEGORIZED:
            return []
        metres = self._rules.pinned_metres_for(mention.category)
        return [
            (other_id, other)
            for other_id, other in self._live_tickets(geo_cells(mention.category, where.point, metres), mention.category, seen_at, ticket_id)
            if pinned_near(other.place, where, metres) and not self._decisions.forbidden(other_id, ticket_id)
        ]

    def _live_tickets(self, cells: list[Cell], category: str, seen_at: float, besides: int) -> Iterator[tuple[int, _Ticket]]:
        """The open tickets of ``category`` listed under ``cells`` whose window reaches ``seen_at``,
        other than ticket ``besides``."""
        return self._live(self._place_candidates(cells), category, seen_at, besides)

    def _open_in_city(self, category: str, seen_at: float, besides: int) -> Iterator[tuple[int, _Ticket]]:
        """The open tickets of ``category`` other than ``besides``, if memory holds few enough of
        them for one to be the only one open (``PlaceIndex.few``)."""
        listed = self._places.few(city_cell(category), self._rules.tickets_per_place_scan)
        resolve = self._decisions.resolve if self._decisions.any_merges else None
        ids = [resolve(ticket_id) for ticket_id in listed] if resolve is not None else list(listed)
        return self._live(ids, category, seen_at, besides)

    def _live(self, ticket_ids: Iterable[int], category: str, seen_at: float, besides: int) -> Iterator[tuple[int, _Ticket]]:
        """Of these tickets, those of ``category`` whose window reaches ``seen_at``, but ``besides``."""
        for other_id in ticket_ids:
            other = self._tickets.get(other_id)
            if other is None or other_id == besides or other.category != category:
                continue
            window = self._window(other.category)
            if seen_at > other.last_seen + window or seen_at < other.first_seen - window:
                continue
            yield other_id, other

    def _adopt_unplaced(self, assignment: Assignment, seen_at: float) -> Assignment:
        """Fold in the tickets of reports that named no place, reported around this report's time,
        when this report's ticket is the only one of its category open with a place.

        Had this report come first, they would have joined its ticket (the unplaced rule of
        ``_decide``); arriving first (newest first, or a backfill), they opened their own.
        """
        joined = self._decisions.resolve(assignment.ticket_id)
        ticket = self._tickets.get(joined)
        if ticket is None or ticket.category == UNCATEGORIZED:
            return assignment
        unplaced: list[int] = []
        for other_id, other in self._open_in_city(ticket.category, seen_at, joined):
            if other.place.placed:
                if self._reported_by(other, seen_at):
                    return assignment  # the problem is reported at two places: the unplaced could mean either
            elif self._reports_near(other_id, seen_at, self._unplaced_recent) and not self._decisions.forbidden(other_id, joined):
                unplaced.append(other_id)
        for other_id in unplaced:
            self.retarget(other_id, joined)
        return assignment._replace(bridged=(*assignment.bridged, *unplaced)) if unplaced else assignment

    def _places_placeless(self, ticket_id: int, named: MentionPlace) -> bool:
        """Whether this mention names the first place of a ticket whose reports named none, as far
        as a kelurahan, street or landmark (a reply "sama, di Jl. Pemuda kel. Pulo Gadung" under
        "depan rumah got nya nggak ngalir")."""
        if not (named.kelurahan_code or named.kelurahan or named.street or named.landmark):
            return False
        ticket = self._tickets.get(self._decisions.resolve(ticket_id))
        return ticket is not None and ticket.category != UNCATEGORIZED and not ticket.place.known

    def _fold_placeless(self, named: _NamedPlace, assignment: Assignment, seen_at: float) -> Assignment:
        """Fold the ticket this mention just placed into the ticket of its category at that place.

        Had the placed report come first, it would have joined that ticket, and the message it
        answers or copies would have followed it there (``_join_referrer``).
        """
        joined = self._decisions.resolve(assignment.ticket_id)
        ticket = self._tickets.get(joined)
        if ticket is None:
            return assignment
        spots, wider, _ = named.searches.get(ticket.category) or named.cells(ticket.category)
        best: tuple | None = None
        for other_id, other in self._live_tickets([*spots, *wider], ticket.category, seen_at, joined):
            match = compare_place(other.place, named.where)
            if match.specificity < _KELURAHAN or match.other_rt_rw or self._decisions.forbidden(other_id, joined):
                continue
            rank = (match.specificity, match.same_rt_rw, other.last_seen, -other_id)
            if best is None or rank > best[0]:
                best = (rank, other_id)
        if best is None:
            return assignment
        target = best[1]
        self.retarget(joined, target)
        return assignment._replace(ticket_id=target, bridged=(*assignment.bridged, joined))

    def _completes_place(self, ticket_id: int, where: MentionPlace) -> bool:
        """Whether this mention gives its kelurahan to a ticket that named only streets or landmarks
        (a reply "di Kel. Kebon Kosong" under "selokan mampet di Jl. Benyamin Sueb"): the ticket then
        names both, as if one report had, and may bridge (``_bridge``)."""
        if not (where.kelurahan_code or where.kelurahan):
            return False
        ticket = self._tickets.get(self._decisions.resolve(ticket_id))
        if ticket is None:
            return False
        place = ticket.place
        return not (place.kelurahan_code or place.kelurahan) and bool(place.streets or place.landmarks)

    def _bridge(self, mention: Mention, where: MentionPlace, assignment: Assignment, seen_at: float) -> Assignment:
        """Fold in the tickets of this kelurahan that named no street, now that a report names both.

        "Banjir di Kel. Bungur" and "banjir di Gg. Jambu" open apart (nothing shared); "banjir di Gg.
        Jambu, Kel. Bungur" joins the lane's ticket and shows the two were one incident. A ticket of
        the kelurahan that names another street or landmark stays apart (that is a conflict).
        """
        if not (where.kelurahan_code or where.kelurahan) or mention.category == UNCATEGORIZED:
            return assignment
        if not self._places.lists_any(bare_kelurahan_cell(mention.category, where.kelurahan_code, where.kelurahan)):
            return assignment  # no ticket of this kelurahan without a street or landmark: nothing to fold
        target = self._decisions.resolve(assignment.ticket_id)
        bridged: list[int] = []
        # tickets that named the kelurahan are listed under it; only those can be kelurahan-only
        cell = (mention.category, "kelurahan", where.kelurahan_code) if where.kelurahan_code else (
            mention.category, "kelurahan_name", where.kelurahan)
        for other_id, other in self._live_tickets([cell], mention.category, seen_at, target):
            if other.place.streets or other.place.landmarks or self._decisions.forbidden(other_id, target):
                continue
            match = compare_place(other.place, where)
            if match.specificity is Specificity.KELURAHAN and not match.other_rt_rw:
                bridged.append(other_id)
        for other_id in bridged:
            self.retarget(other_id, target)
        return assignment._replace(bridged=tuple(bridged)) if bridged else assignment

    def _join_referrer(self, mention: Mention, where: MentionPlace, opened: Assignment) -> Assignment:
        """A message whose repost, quote or reply arrived (and was ticketed) before it joins that ticket.

        In time order the reference would have joined this message's ticket by rule 2; when this
        message would open a ticket of its own, joining the reference's ticket instead gives the
        same grouping. Only the rule-2 conditions are checked, seen from the other side.
        """
        mine = TicketPlace()
        mine.add(where)
        resolve = self._decisions.resolve
        for referrer in self._referrers[mention.key]:
            member = self._members.get(referrer.key)
            if member is None or resolve(member.ticket_id) not in self._tickets:
                continue
            if not referrer.repost:
                same_problem = referrer.category in (UNCATEGORIZED, mention.category) or (referrer.reply and not referrer.place.known)
                if not same_problem or compare_place(mine, referrer.place).conflict:
                    continue
            if opened.ticket_id == self._next_ticket_id - 1:
                self._next_ticket_id -= 1  # the id this message would have opened stays free
            return Assignment(resolve(member.ticket_id), LinkKind.SAME_INCIDENT, 1.0, False, opened.candidates)
        return opened

    def _adopt_referrers(self, mention: Mention, where: MentionPlace, assignment: Assignment) -> Assignment:
        """Reposts and replies that arrived before this message and opened tickets of their own join its ticket.

        Live sources deliver out of time order (a backfill walks newest first; one source lags
        another), so "+1, sama di sini" can arrive before the post it answers. In time order it
        would have joined that post's ticket by rule 2 and taken its category; now that the post is
        here, it does, and the ticket it opened folds into the post's (an operator's split between
        the two is respected). Only the rule-2 conditions are checked, seen from the other side.
        """
        mine = TicketPlace()
        mine.add(where)
        resolve = self._decisions.resolve
        target = resolve(assignment.ticket_id)
        adopted: list[tuple[MessageKey, int]] = []
        for referrer in self._referrers[mention.key]:
            member = self._members.get(referrer.key)
            if member is None or member.pinned or member.link_kind is not LinkKind.NEW:
                continue  # it joined a ticket by the rules already, or an operator placed it
            if not referrer.repost:
                same_problem = referrer.category in (UNCATEGORIZED, mention.category) or (referrer.reply and not referrer.place.known)
                if not same_problem or compare_place(mine, referrer.place).conflict:
                    continue
            opened = resolve(member.ticket_id)
            if opened != target:
                if opened not in self._tickets or self._decisions.forbidden(opened, target):
                    continue
                self.retarget(opened, target)
            member.link_kind, member.score = LinkKind.REPOST, 1.0
            adopted.append((referrer.key, opened))
        return assignment._replace(adopted=tuple(adopted)) if adopted else assignment

    def _place_of(self, mention: Mention) -> MentionPlace:
        return self._pinned(self._named_place(mention.place).where, mention)

    @staticmethod
    def _pinned(where: MentionPlace, mention: Mention) -> MentionPlace:
        """The mention's named place, with the point its channel pinned (Qlue, Open311, a geotag);
        the centre of a tagged city or district is no pin."""
        if mention.geo is not None and GEO_AREA not in mention.flags:
            return replace(where, point=(mention.geo.lat, mention.geo.lon))
        return where

    def _named_place(self, place: Place) -> _NamedPlace:
        """Many messages name the same place: normalize each distinct one once (a bounded memo).

        The analyzer hands one ``Place`` object to every message naming a place alike, so the object
        is looked up first by identity (the entry keeps it alive): a frozen dataclass hashes its
        nine fields in Python on every lookup by value.
        """
        named = self._places_seen.get(place)
        if named is None:
            if len(self._places_seen) >= PLACES_REMEMBERED:
                self._places_seen.clear()
            named = self._places_seen[place] = _NamedPlace(MentionPlace.of(place))
        if len(self._places_by_identity) >= PLACES_REMEMBERED:
            self._places_by_identity.clear()
        self._places_by_identity[id(place)] = (place, named)
        return named

    def _signature_of(self, match_text: str) -> RMinHash:
        """Copies, cross-posts and templated reports repeat a text: sign each distinct one once (a
        bounded memo; a signature is never changed after it is made, so sharing it is safe)."""
        signature = self._signatures_seen.get(match_text)
        if signature is None:
            if len(self._signatures_seen) >= SIGNATURES_REMEMBERED:
                self._signatures_seen.clear()
            signature = self._signatures_seen[match_text] = text_signature(match_text)
        return signature

    def _ticket_of(self, channel: str, external_id: str) -> int | None:
        member = self._members.get((channel, external_id))
        if member is not None:
            return self._decisions.resolve(member.ticket_id)
        if self._lookup is not None:
            ticket_id = self._lookup.ticket_of(channel, external_id)
            if ticket_id is not None:
                return self._decisions.resolve(ticket_id)
        return None

    def _repost_assignment(self, mention: Mention, where: MentionPlace) -> tuple[Assignment | None, bool]:
        """Rule 2's ticket, if any, and whether a quoted or answered message has no ticket known."""
        if mention.repost_of:
            ticket_id = self._ticket_of(mention.channel, mention.repost_of)
            if ticket_id is not None:
                return Assignment(ticket_id, _REPOST, 1.0, False), False
        if not mention.is_complaint or not (mention.quote_of or mention.reply_to):
            return None, False
        unknown = False
        for reference, is_reply in ((mention.quote_of, False), (mention.reply_to, True)):
            if reference:
                ticket_id = self._ticket_of(mention.channel, reference)
                unknown = unknown or ticket_id is None
                if ticket_id is not None and self._adds_no_complaint(mention, where, ticket_id, is_reply):
                    return Assignment(ticket_id, _REPOST, 1.0, False), False
        return None, unknown

    def _adds_no_complaint(self, mention: Mention, where: MentionPlace, ticket_id: int, is_reply: bool) -> bool:
        """A quote or reply that repeats the referenced complaint: no or the same category, same place.

        A reply that names no place of its own speaks of the thread's problem whatever the analyzer
        read in its few words ("my house is flooded too" under a post about rubbish in the river);
        a quote is a post of its own and often adds a new problem at the same spot.
        """
        ticket = self._tickets.get(ticket_id)
        if ticket is None:  # older than memory: its category is unknown here
            return mention.category == UNCATEGORIZED or is_reply and not where.known
        if mention.category not in (UNCATEGORIZED, ticket.category) and not (is_reply and not where.known):
            return False
        return not ticket.place.compared(where).conflict

    def _place_candidates(self, cells: list[Cell]) -> dict[int, float]:
        """The few recent tickets of these (category, place) cells, where same-incident tickets are.

        Values are text similarities, -1.0 until computed.
        """
        limit = self._rules.tickets_per_place_scan
        newest = self._places.newest
        if not self._decisions.any_merges and len(cells) == 1:  # the usual search: one street of one kelurahan
            return dict.fromkeys(newest(cells[0], limit), -1.0)
        found: dict[int, float] = {}
        resolve = self._decisions.resolve if self._decisions.any_merges else None
        for cell in cells:
            for ticket_id in newest(cell, limit):
                if resolve is not None:
                    ticket_id = resolve(ticket_id)
                found[ticket_id] = -1.0
        return found

    def _add_text_candidates(self, found: dict[int, float], signature: RMinHash) -> None:
        """Tickets holding a near copy of the text, whatever their category or place (LSH).

        Nothing is created per hit: a hit is a dictionary read and one signature comparison.
        An indexed member's signature and ticket are those it was indexed with (a moved member
        is indexed again).
        """
        hits = self._texts.query(signature)
        if len(hits) > self._rules.text_hits_scan:  # boilerplate shared by many: the newest texts
            hits.sort()
            hits = hits[-self._rules.text_hits_scan :]
        resolve = self._decisions.resolve if self._decisions.any_merges else None
        floor = self._rules.text_hit_floor
        jaccard = signature.jaccard
        indexed = self._by_lsh_key
        for lsh_key in hits:
            member = indexed[lsh_key]
            similarity = jaccard(member.signature)
            if similarity >= floor:
                ticket_id = member.ticket_id
                if resolve is not None:
                    ticket_id = resolve(ticket_id)
                if similarity > found.get(ticket_id, -1.0):
                    found[ticket_id] = similarity

    def _add_city_candidates(self, found: dict[int, float], category: str, seen_at: float) -> None:
        """The open tickets of this category, if few enough for one to be the only one open (for
        a report that names no place; ``_decide`` counts those with a place)."""
        for ticket_id, _ in self._open_in_city(category, seen_at, -1):
            found.setdefault(ticket_id, -1.0)

    def _add_pinned_candidates(self, found: dict[int, float], category: str, where: MentionPlace) -> None:
        """Tickets of this category pinned within reach of the mention's point (Qlue, Open311, geotags).

        Only tickets actually within ``pinned_metres_for`` the category are added: the grid squares reach further,
        and a ticket they found must not be judged on its named place alone.
        """
        metres = self._rules.pinned_metres_for(category)
        for ticket_id in self._place_candidates(geo_cells(category, where.point, metres)):
            ticket = self._tickets.get(ticket_id)
            if ticket_id not in found and ticket is not None and pinned_near(ticket.place, where, metres):
                found[ticket_id] = -1.0

    def _window(self, category: str) -> float:
        window = self._windows.get(category)
        if window is None:
            window = self._windows[category] = self._rules.window_seconds(category)
        return window

    def _bars_for(self, place: PlaceMatch, informative: bool, pinned: bool) -> Bars:
        bars = self._bars[informative, pinned][place] = self._rules.bars(place, informative, pinned)
        return bars

    def _decide(self, mention: Mention, named: MentionPlace, where: MentionPlace, candidates: dict[int, float],
                signature: RMinHash | None, seen_at: float, informative: bool,
                settled_at: Specificity | None = None) -> Assignment | None:
        """Rules 3 and 4 over the candidates; the best wins, the others become suggestions.

        Among compatible tickets the narrower shared place wins, then the ticket with more reports
        around this one's time (``_most_reported``), then the closer text, then the ticket heard
        from last. The cheap tests (time, then place) come before any text comparison.
        With ``settled_at`` the answer is None unless a near copy or a ticket of the same category
        sharing at least that much place is found (text similarities computed on the way are kept
        in ``candidates`` for the next, wider search). ``named`` is ``where`` without its pin.
        """
        rules = self._rules
        category = mention.category
        categorized = category != UNCATEGORIZED
        tickets = self._tickets
        windows = self._windows
        known_bars = self._bars[informative, False]
        pinned_metres = rules.pinned_metres_for(category)
        best_cross: tuple | None = None
        best_incident: tuple | None = None
        suggestions: list[tuple[float, int]] = []
        # A report placed only as far as its kecamatan ("banjir di Pasar Minggu") or its kota ("di
        # Jaksel") joins the one ticket of its category there whatever the words; with two or more,
        # the text has to decide.
        vague_kecamatan = categorized and settled_at is None and named.kecamatan_at_most
        vague_kota = categorized and settled_at is None and named.kota_at_most
        # One that names no place at all joins the one ticket of its category open with a place in
        # the city, if that one is being reported around its time.
        unplaced = categorized and settled_at is None and where.point is None and not named.known
        in_area: list[tuple[int, float]] = []
        incidents: list[tuple[tuple, int, float]] = []
        for ticket_id, text in candidates.items():
            ticket = tickets.get(ticket_id)
            if ticket is None:
                continue
            window = windows.get(ticket.category) or self._window(ticket.category)
            if seen_at > ticket.last_seen + window or seen_at < ticket.first_seen - window:
                continue
            ticket_place = ticket.place
            # ``ticket_place.compared(named)``, its first test without the call (most often it answers there)
            place = ticket_place._answer if named is ticket_place._asked else ticket_place.compared(named)
            specificity = place.specificity
            if specificity is _CONFLICT:
                continue
            pinned = specificity <= _AREA and pinned_near(ticket_place, where, pinned_metres)
            # "lainnya" is no category in common: two such reports are one incident only on one street
            same_category = ticket.category == category and (categorized or specificity is _SPOT)
            if text < 0:
                if not same_category:
                    continue  # found by place only, and another category: neither a match nor a suggestion
                samples = ticket.samples
                text = max(map(signature.jaccard, samples)) if signature and samples else 0.0
                candidates[ticket_id] = text
            bars = (self._bars[informative, True] if pinned else known_bars).get(place) or self._bars_for(place, informative, pinned)
            score = 1 - (1 - text) * bars.keep if same_category else text  # rules.incident_score
            if score > 0:
                suggestions.append((-score, ticket_id))  # sorted as is: highest score, then oldest ticket
            if text >= bars.cross_post:  # rules.is_cross_post
                rank = (text, specificity, place.same_rt_rw, ticket.last_seen, -ticket_id)
                if best_cross is None or rank > best_cross[0]:
                    best_cross = (rank, ticket_id, text)
            elif same_category and text >= bars.incident:  # rules.is_same_incident
                rank = (specificity, place.same_rt_rw, text, ticket.last_seen, -ticket_id)
                incidents.append((rank, ticket_id, score))
                if best_incident is None or rank > best_incident[0]:
                    best_incident = (rank, ticket_id, score)
            if same_category and (
                    specificity is _AREA and not place.other_rt_rw
                    and (vague_kecamatan and ticket_place.kecamatan or vague_kota and ticket_place.kota)
                    or unplaced and ticket_place.placed and self._reported_by(ticket, seen_at)):
                in_area.append((ticket_id, score))
        if best_cross is None and best_incident is None and len(in_area) == 1 and (
                not unplaced or self._reports_near(in_area[0][0], seen_at, self._unplaced_recent)):
            best_incident = ((_AREA,), *in_area[0])
        elif best_cross is None and len(incidents) > 1:
            best_incident = self._most_reported(incidents, best_incident, seen_at)

        if settled_at is not None and best_cross is None and (best_incident is None or best_incident[0][0] < settled_at):
            return None
        if best_cross is not None:
            ticket_id, score, kind, opened = best_cross[1], best_cross[2], _CROSS_POST, False
        elif best_incident is not None:
            ticket_id, score, kind, opened = best_incident[1], best_incident[2], _SAME_INCIDENT, False
        else:
            score, ticket_id, kind, opened = 1.0, self._next_ticket_id, _NEW, True
            self._next_ticket_id += 1
        others: list[tuple[float, int]] = []
        if suggestions:
            if len(suggestions) > 1:
                suggestions.sort()
            forbidden = self._decisions.forbidden if self._decisions.any_splits else None
            for entry in suggestions:
                if len(others) == rules.suggestions:
                    break
                if entry[1] != ticket_id and not (forbidden is not None and forbidden(ticket_id, entry[1])):
                    others.append(entry)
        rounded = self._scores_rounded
        candidates_seen = tuple([(other, rounded.get(-negated) or self._rounded(-negated)) for negated, other in others]) if others else ()
        return _new_assignment((ticket_id, kind, rounded.get(score) or self._rounded(score), opened, candidates_seen, (), ()))

    def _most_reported(self, incidents: list[tuple[tuple, int, float]], best: tuple, seen_at: float) -> tuple:
        """Of the tickets that share the most place with a report, the one with the most reports
        around its time; ``best`` (the closer text, then the one heard from last) where they tie.

        A report that fits two incidents equally is likelier about the one more people are
        reporting: its few words rarely tell them apart. Only messages of the ticket's window on
        either side count, all of which memory holds, so a restarted daemon decides alike.
        """
        top = best[0][:2]  # (specificity, same RT/RW)
        tied = [entry for entry in incidents if entry[0][:2] == top]
        if len(tied) < 2:
            return best
        return max(tied, key=lambda entry: (self._reports_near(entry[1], seen_at), entry[0]))

    def _reported_by(self, ticket: _Ticket, seen_at: float) -> bool:
        """Whether the ticket had been reported by ``seen_at`` or is reported within
        ``unplaced_recent_hours`` of it: a ticket whose reports all come later is no rival for
        an unplaced report, as in time order, where it does not exist yet."""
        if ticket.first_seen <= seen_at:
            return True
        heard = ticket.heard
        return bool(heard) and heard[0] <= seen_at + self._unplaced_recent

    def _reports_near(self, ticket_id: int, seen_at: float, window: float | None = None) -> int:
        """The ticket's reports within ``window`` (its category's by default) of ``seen_at``."""
        ticket = self._tickets[ticket_id]
        if window is None:
            window = self._window(ticket.category)
        heard = ticket.heard
        return bisect_right(heard, seen_at + window) - bisect_left(heard, seen_at - window)

    def _rounded(self, score: float) -> float:
        """``round(score, 4)``, remembered: Python rounds a float to digits through its decimal
        string (thousands of instructions), and scores are few distinct values (Jaccard estimates
        are multiples of 1/120, place weights a handful)."""
        rounded = self._scores_rounded.get(score)
        if rounded is None:
            if len(self._scores_rounded) >= SCORES_REMEMBERED:
                self._scores_rounded.clear()
            rounded = self._scores_rounded[score] = round(score, 4)
        return rounded

    # -- memory -------------------------------------------------------------------------------

    def _record(
        self,
        key: MessageKey,
        mention: Mention,
        where: MentionPlace,
        assignment: Assignment,
        seen_at: float,
        signature: RMinHash | None,
        pinned: bool = False,
    ) -> None:
        expires_at = seen_at + self._longest_window
        member = _Member(key, assignment.ticket_id, assignment.link_kind, assignment.score, pinned, expires_at, where)
        self._members[key] = member
        self._member_expiry.push(expires_at, member)
        reference = mention.repost_of or mention.quote_of or mention.reply_to
        if reference:
            member.refers_to = (mention.channel, reference)
            self._referrers.setdefault(member.refers_to, []).append(
                _Referrer(key, bool(mention.repost_of), not mention.repost_of and not mention.quote_of,
                          mention.category, where))
        ticket = self._touch_ticket(assignment.ticket_id, mention, where, seen_at)
        ticket.members.append(key)
        _hear(ticket.heard, seen_at)
        if signature is None:
            return
        samples = ticket.samples  # the ticket's first text and its newest ones (``_add_sample``)
        if len(samples) >= SAMPLES_PER_TICKET:
            del samples[1]
        samples.append(signature)
        self._index(member, signature, ticket)

    @staticmethod
    def _add_sample(ticket: _Ticket, signature: RMinHash) -> None:
        """Keep the ticket's first text and its newest ones."""
        samples = ticket.samples
        if len(samples) >= SAMPLES_PER_TICKET:
            del samples[1]  # the oldest of the newest
        samples.append(signature)

    def _index(self, member: _Member, signature: RMinHash, ticket: _Ticket) -> None:
        member.signature = signature
        member.lsh_key = self._next_lsh_key
        self._next_lsh_key += 1
        self._texts.insert(member.lsh_key, signature)
        self._by_lsh_key[member.lsh_key] = member
        indexed = ticket.indexed
        indexed.append(member.lsh_key)
        if len(indexed) > self._indexed_per_ticket:  # ``_unindex`` of its oldest text, without the call
            oldest = indexed.popleft()
            pushed_out = self._by_lsh_key.pop(oldest, None)
            if pushed_out is not None:
                self._texts.remove(oldest)
                pushed_out.lsh_key = None
                pushed_out.signature = None
            while len(indexed) > self._indexed_per_ticket:
                self._unindex(indexed.popleft())

    def _unindex(self, lsh_key: int) -> None:
        member = self._by_lsh_key.pop(lsh_key, None)
        if member is None:
            return
        self._texts.remove(lsh_key)
        member.lsh_key = None
        member.signature = None

    def _touch_ticket(self, ticket_id: int, mention: Mention, where: MentionPlace, seen_at: float) -> _Ticket:
        """The ticket's state after this mention joined: times, category, place union, place cells."""
        ticket = self._tickets.get(ticket_id)
        if ticket is None:
            ticket = _Ticket(ticket_id, mention.category, seen_at, seen_at)
            self._tickets[ticket_id] = ticket
            heapq.heappush(self._ticket_expiry, (seen_at + self._window(ticket.category), ticket_id))
        elif ticket.category == UNCATEGORIZED and mention.category != UNCATEGORIZED and mention.is_complaint:
            self._places.drop(ticket_id)
            ticket.category = mention.category
            ticket.cells = None
        ticket_place = ticket.place
        # ``add`` takes the place it took last in again without a change; that test is made here, without the call
        if not mention.repost_of and (where is not ticket_place._added or where.point is not None) and ticket_place.add(where):
            ticket.cells = None
        if seen_at < ticket.first_seen:
            ticket.first_seen = seen_at
        if seen_at > ticket.last_seen:
            ticket.last_seen = seen_at
        if ticket.cells is None:
            ticket.cells = ticket_cells(ticket.category, ticket.place)
        self._places.put(ticket_id, ticket.cells)
        return ticket

    def remember(self, mention: Mention, ticket_id: int, pinned: bool = False) -> None:
        """Restore one stored member (start-up, or after an operator moved it); pinned ones stay put."""
        self._next_ticket_id = max(self._next_ticket_id, ticket_id + 1)
        seen_at = mention.created_at.timestamp()
        self._newest_seen = max(self._newest_seen, seen_at)
        known = self._members.get(mention.key)
        if known is not None:
            if known.pinned and not pinned:
                return  # the machine never moves what an operator placed
            if pinned:
                known.pinned, known.link_kind, known.score = True, LinkKind.OPERATOR, 1.0
            if self._decisions.resolve(known.ticket_id) != self._decisions.resolve(ticket_id):
                self._move_member(known, mention, ticket_id, seen_at)
            return
        if pinned:
            kind = LinkKind.OPERATOR
        elif mention.repost_of:
            kind = LinkKind.REPOST
        else:
            kind = LinkKind.SAME_INCIDENT if self._decisions.resolve(ticket_id) in self._tickets else LinkKind.NEW
        signature = None
        if mention.is_complaint and not mention.repost_of and mention.match_text:
            signature = self._signature_of(mention.match_text)
        assignment = Assignment(self._decisions.resolve(ticket_id), kind, 1.0, kind is LinkKind.NEW)
        self._record(mention.key, mention, self._place_of(mention), assignment, seen_at, signature, pinned=pinned)

    def _move_member(self, member: _Member, mention: Mention, new_ticket: int, seen_at: float) -> None:
        """An operator moved one message: the old ticket rebuilds its place and texts without it."""
        signature = member.signature
        if member.lsh_key is not None:
            self._unindex(member.lsh_key)
        old = self._tickets.get(self._decisions.resolve(member.ticket_id))
        member.ticket_id = self._decisions.resolve(new_ticket)
        member.place = self._place_of(mention)
        if old is not None:
            self._rebuild(old)
        target = self._touch_ticket(member.ticket_id, mention, member.place, seen_at)
        target.members.append(member.key)
        _hear(target.heard, seen_at)
        if signature is None and mention.is_complaint and not mention.repost_of and mention.match_text:
            signature = self._signature_of(mention.match_text)
        if signature is not None:
            self._add_sample(target, signature)
            self._index(member, signature, target)

    def _rebuild(self, ticket: _Ticket) -> None:
        """Recompute a ticket's place and samples from the members still in memory and still in it."""
        self._places.drop(ticket.ticket_id)
        resolve = self._decisions.resolve
        staying = [
            member
            for key in ticket.members
            if (member := self._members.get(key)) is not None and resolve(member.ticket_id) == ticket.ticket_id
        ]
        ticket.members = deque((member.key for member in staying), maxlen=MEMBERS_PER_TICKET)
        ticket.heard = sorted(member.expires_at - self._longest_window for member in staying)
        ticket.place = TicketPlace()
        for member in staying:
            if member.link_kind is not LinkKind.REPOST:
                ticket.place.add(member.place)
        ticket.samples = [member.signature for member in staying if member.signature is not None][-SAMPLES_PER_TICKET:]
        ticket.indexed = deque(key for key in ticket.indexed if key in self._by_lsh_key)
        ticket.cells = ticket_cells(ticket.category, ticket.place)
        self._places.put(ticket.ticket_id, ticket.cells)

    def _recall(self, seen_at: float) -> None:
        """Read back the stored tickets a message written at ``seen_at`` could join (and a day more).

        Every member written within the longest window before it, up to where memory is complete,
        is remembered again: the tickets then stand in memory as they would had the messages
        arrived in time order. Memory is complete from a day before ``seen_at`` afterwards, so a
        backlog arriving newest first reads each stored message about once.
        """
        assert self._history is not None
        complete_from = seen_at - RECALL_SLACK_SECONDS
        start = complete_from - self._longest_window
        end = self._complete_from
        self._recalls += 1
        tickets = self._tickets
        resolve = self._decisions.resolve
        for stored in self._history.ticketed_between(_utc(start), _utc(end)):
            known = self._members.get(stored.mention.key)
            if known is not None and resolve(known.ticket_id) not in tickets:
                self._forget(known)  # its ticket was evicted before it: rebuild the ticket from all members
            self.remember(stored.mention, stored.ticket_id, pinned=stored.pinned)
        self._complete_from = complete_from

    def _forget(self, member: _Member) -> None:
        del self._members[member.key]
        ticket = self._tickets.get(self._decisions.resolve(member.ticket_id))
        if ticket is not None:  # its reports are those memory holds, as after a restart
            _unhear(ticket.heard, member.expires_at - self._longest_window)
        if member.lsh_key is not None:
            self._unindex(member.lsh_key)
        if member.refers_to is not None:
            self._drop_referrer(member)

    def _drop_referrer(self, member: _Member) -> None:
        referrers = self._referrers.get(member.refers_to)  # type: ignore[arg-type]
        if referrers is None:
            return
        referrers[:] = [r for r in referrers if r.key != member.key]
        if not referrers:
            del self._referrers[member.refers_to]  # type: ignore[arg-type]

    # -- operator decisions ---------------------------------------------------------------------

    def forbid(self, ticket_a: int, ticket_b: int) -> None:
        """An operator split these tickets: never suggest or make them one again."""
        self._decisions.forbid(ticket_a, ticket_b)

    def retarget(self, old_ticket: int, new_ticket: int) -> None:
        """``old_ticket`` now lives in ``new_ticket`` (an operator merged them, or a late message folded
        one into the other): what would join old joins new."""
        old_id = self._decisions.resolve(old_ticket)
        if not self._decisions.merge(old_ticket, new_ticket):
            return
        self._next_ticket_id = max(self._next_ticket_id, old_ticket + 1, new_ticket + 1)
        new_id = self._decisions.resolve(new_ticket)
        old = self._tickets.pop(old_id, None)
        if old is None:
            return
        self._places.drop(old_id)
        target = self._tickets.get(new_id)
        if target is None:
            old.ticket_id = new_id
            self._tickets[new_id] = target = old
        else:
            self._places.drop(new_id)
            target.place.merge(old.place)
            target.first_seen = min(target.first_seen, old.first_seen)
            target.last_seen = max(target.last_seen, old.last_seen)
            target.samples = (target.samples + old.samples)[:SAMPLES_PER_TICKET]
            target.indexed.extend(old.indexed)
            target.members.extend(old.members)
            target.heard = sorted(target.heard + old.heard)[-MEMBERS_PER_TICKET:]
            if target.category == UNCATEGORIZED:
                target.category = old.category
        heapq.heappush(self._ticket_expiry, (target.last_seen + self._window(target.category), new_id))
        target.cells = ticket_cells(target.category, target.place)
        self._places.put(new_id, target.cells)

    # -- eviction -------------------------------------------------------------------------------

    def evict_before(self, t: datetime) -> int:
        """Forget messages older than the longest window before ``t``; returns how many were dropped."""
        return self._evict(t.timestamp())

    def _auto_evict(self, seen_at: float) -> None:
        """Keep memory to the window without the caller's help, lagging a day for late messages."""
        if seen_at > self._newest_seen:
            self._newest_seen = seen_at
        due = self._newest_seen - AUTO_EVICT_SLACK_SECONDS
        if due - self._evicted_at > AUTO_EVICT_EVERY_SECONDS:
            self._evict(due)

    def _evict(self, now: float) -> int:
        """Drop members (last activity + longest window) and tickets (last activity + their window) expired before ``now``."""
        self._evicted_at = max(self._evicted_at, now)
        # a ticket a message at ``now`` could join was active within its window before ``now``: kept
        self._complete_from = max(self._complete_from, now)
        dropped = 0
        members = self._members
        for _, member in self._member_expiry.pop_before(now):
            key = member.key
            if members.get(key) is not member:
                continue  # forgotten already (and maybe remembered again, queued anew)
            del members[key]  # ``_forget``, without the call for most members
            if member.lsh_key is not None:
                self._unindex(member.lsh_key)
            if member.refers_to is not None:
                self._drop_referrer(member)
            dropped += 1
        tickets = self._ticket_expiry
        while tickets and tickets[0][0] < now:
            expires_at, ticket_id = heapq.heappop(tickets)
            ticket = self._tickets.get(ticket_id)
            if ticket is None:
                continue
            # a ticket leaves with its own category's window: a traffic jam's after hours, not a week
            if ticket.last_seen + self._window(ticket.category) > expires_at:
                heapq.heappush(tickets, (ticket.last_seen + self._window(ticket.category), ticket_id))
                continue
            del self._tickets[ticket_id]
            self._places.drop(ticket_id)
            for lsh_key in ticket.indexed:
                self._unindex(lsh_key)
        return dropped

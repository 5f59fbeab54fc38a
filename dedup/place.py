"""Whether a mention's place can be the same spot as a ticket's, and how specifically they agree.

A ticket's place is the union of what its members said: the first known kelurahan (and its
kecamatan/kota) wins unless a name that may mean its whole kecamatan gave it; streets, landmarks
and RT/RW pairs are kept as small sets. Comparing a new
mention with that union, rather than with one member, lets a later message that only names the
street join a ticket opened by one that only named the kelurahan, and keeps a message naming
another street out of it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import IntEnum

from normalizer.places import NOT_A_STREET_NAME
from normalizer.types import Place

_STREET_PREFIX = re.compile(r"^(?:jalan|jln|jl|gang|gg)\b\.?\s*")
_SPACES = re.compile(r"[\s.,]+")
# Titles and initials that open many Jakarta street names and are as often left out: "Jl. Jend.
# Sudirman" / "Jl. Sudirman", "Jl. Prof. Dr. Satrio" / "Jl. Satrio" ("dr" reads as slang "dari"),
# "Jl. M.H. Thamrin" / "Jl. Thamrin", "Jl. Pangeran Antasari" / "Jl. Antasari".
_STREET_TITLES = frozenset({
    "prof", "dr", "dari", "drs", "ir", "haji", "hajjah", "kyai", "kiai", "jend", "jenderal", "jendral",
    "letjen", "mayjen", "brigjen", "kol", "kolonel", "letkol", "kapten", "mayor", "letnan", "laks",
    "laksamana", "pangeran", "raden",
})
_MAX_INITIAL_LETTERS = 2  # "h", "kh", "mh", "tb", "rs": a name's initials or a title's


def normalized_street(name: str | None) -> str | None:
    """``"Jl. Kemang Raya"`` and ``"jalan kemang raya"`` are the same street, and so are ``"Jl. Jend.
    Sudirman"`` and ``"jalan sudirman"``; ``"jalan rusak"`` is none."""
    if not name:
        return None
    folded = _SPACES.sub(" ", name.lower()).strip()
    folded = _STREET_PREFIX.sub("", folded).strip()
    if not folded or folded.split(" ", 1)[0] in NOT_A_STREET_NAME:
        return None
    words = folded.split(" ")
    start = 0
    while start < len(words) - 1 and (words[start] in _STREET_TITLES or len(words[start]) <= _MAX_INITIAL_LETTERS):
        start += 1
    return " ".join(words[start:]) if start else folded


def streets_agree(a: str, b: str) -> bool:
    """One street told two ways: equal names, or one name is the other's first words.

    People and parsers add or drop a tail ("raya kebayoran lama" / "raya kebayoran lama grogol",
    "damai" / "damai susukan"); a different first word is a different street.
    """
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return long.startswith(short) and long[len(short)] == " "


def normalized_name(name: str | None) -> str | None:
    if not name:
        return None
    return _SPACES.sub(" ", name.lower()).strip() or None


def _number(value: str | None) -> str | None:
    """``"003"`` and ``"3"`` are the same RT."""
    if not value:
        return None
    stripped = value.strip().lstrip("0")
    return stripped or "0"


POINTS_PER_TICKET = 8
ANSWERS_PER_TICKET = 16  # places a ticket remembers its comparison with (its kelurahan's streets)


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Ground distance of two nearby points (equirectangular: exact enough within a city)."""
    dy = (a[0] - b[0]) * 110_574.0
    dx = (a[1] - b[1]) * 111_320.0 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


def pinned_near(ticket: TicketPlace, place: MentionPlace, metres: float) -> bool:
    """A pin of the mention within ``metres`` of a pin of the ticket."""
    point = place.point
    return point is not None and any(metres_between(point, other) <= metres for other in ticket.points)


class Specificity(IntEnum):
    """How closely two places agree; higher means a narrower shared spot."""

    CONFLICT = -1  # different kelurahan, kecamatan, kota, street or landmark
    NONE = 0  # one side has no place at all
    AREA = 1  # only kota/kecamatan shared (kelurahan unknown on a side)
    KELURAHAN = 2  # same kelurahan, nothing narrower on both sides
    SPOT = 3  # same street or landmark


# An enum member read through its class costs a descriptor call; the hot paths use these names.
_CONFLICT, _AREA, _KELURAHAN, _SPOT = Specificity.CONFLICT, Specificity.AREA, Specificity.KELURAHAN, Specificity.SPOT


@dataclass(frozen=True, slots=True, eq=False)
class PlaceMatch:
    """How a mention's place stands against a ticket's. Every possible answer is made once (below)
    and compared by identity, so it is a cheap dictionary key for what the rules make of it."""

    specificity: Specificity
    same_rt_rw: bool = False  # RT/RW known on both and equal
    other_rt_rw: bool = False  # RT/RW known on both and different: join only on very similar text

    @property
    def conflict(self) -> bool:
        return self.specificity is _CONFLICT


# Every possible answer made once: compare_place runs for every candidate of every mention.
_MATCHES = {
    (specificity, same, other): PlaceMatch(specificity, same, other)
    for specificity in Specificity for same in (False, True) for other in (False, True)
}
CONFLICT = _MATCHES[Specificity.CONFLICT, False, False]
NO_PLACE = _MATCHES[Specificity.NONE, False, False]


@dataclass(frozen=True, slots=True)
class MentionPlace:
    """A mention's place normalized once, then compared with many tickets."""

    kelurahan_code: str | None = None
    kelurahan: str | None = None
    kecamatan: str | None = None
    kota: str | None = None
    street: str | None = None
    landmark: str | None = None
    rt_rw: tuple[str | None, str | None] = (None, None)
    ambiguous: tuple[str, ...] = ()
    point: tuple[float, float] | None = None  # (lat, lon) the channel pinned, not read from the text
    may_mean_kecamatan: bool = False  # Place.may_mean_kecamatan

    @classmethod
    def of(cls, place: Place) -> MentionPlace:
        return cls(
            place.kelurahan_code,
            normalized_name(place.kelurahan),
            normalized_name(place.kecamatan),
            normalized_name(place.kota),
            normalized_street(place.street),
            normalized_name(place.landmark),
            (_number(place.rt), _number(place.rw)),
            place.ambiguous,
            None,
            place.may_mean_kecamatan,
        )

    @property
    def known(self) -> bool:
        return bool(
            self.kelurahan_code or self.kelurahan or self.kecamatan or self.kota or self.street or self.landmark or self.ambiguous
        )

    @property
    def kecamatan_at_most(self) -> bool:
        """Says no more than "somewhere in this kecamatan": the kecamatan, or a kelurahan by the
        kecamatan's own name, and no street or landmark."""
        return bool(self.kecamatan) and not (self.street or self.landmark) and (
            self.may_mean_kecamatan or not (self.kelurahan_code or self.kelurahan))

    @property
    def kota_at_most(self) -> bool:
        """Says no more than "somewhere in this kota" ("di Jaksel")."""
        return bool(self.kota) and not (self.kecamatan or self.kelurahan_code or self.kelurahan or self.street or self.landmark)


@dataclass(slots=True)
class TicketPlace:
    """The union of a ticket's members' places, small enough to keep for every open ticket."""

    kelurahan_code: str | None = None
    kelurahan: str | None = None
    kecamatan: str | None = None
    kota: str | None = None
    streets: set[str] = field(default_factory=set)
    landmarks: set[str] = field(default_factory=set)
    rt_rw: set[tuple[str | None, str | None]] = field(default_factory=set)
    points: list[tuple[float, float]] = field(default_factory=list)  # the first few pinned points
    may_mean_kecamatan: bool = False  # its kelurahan was read from a name the kecamatan shares
    # Messages name a few places again and again (one shared MentionPlace each): the last place
    # taken in, and the answers for the places compared until this one changes, spare working
    # them out again. Answers are keyed by the place object, which each entry keeps alive.
    _added: MentionPlace | None = field(default=None, init=False, repr=False, compare=False)
    _answers: dict[int, tuple[MentionPlace, PlaceMatch]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _asked: MentionPlace | None = field(default=None, init=False, repr=False, compare=False)  # the last one
    _answer: PlaceMatch = field(default=NO_PLACE, init=False, repr=False, compare=False)

    @property
    def known(self) -> bool:
        return bool(self.kelurahan_code or self.kelurahan or self.kecamatan or self.kota or self.streets or self.landmarks)

    @property
    def placed(self) -> bool:
        """Named or pinned by one of its reports."""
        return bool(self.points) or self.known

    def add(self, place: MentionPlace) -> bool:
        """Take what a new member says; the first known kelurahan stays the ticket's kelurahan,
        unless it may mean the whole kecamatan and this member names a kelurahan outright.

        Returns whether anything changed: most members repeat what their ticket already knows, and
        then the cells it is listed under need not be worked out again.
        """
        if place is self._added and place.point is None:
            return False  # taking the same place in again changes nothing
        self._added = place
        before = (self.kelurahan_code, self.kelurahan, self.kecamatan, self.kota, self.may_mean_kecamatan)
        unknown = self.kelurahan_code is None and self.kelurahan is None
        if (unknown or self.may_mean_kecamatan and not place.may_mean_kecamatan) and (place.kelurahan_code or place.kelurahan):
            self.kelurahan_code = place.kelurahan_code
            self.kelurahan = place.kelurahan
            self.kecamatan = place.kecamatan or self.kecamatan
            self.kota = place.kota or self.kota
            self.may_mean_kecamatan = place.may_mean_kecamatan
        else:
            self.kecamatan = self.kecamatan or place.kecamatan
            self.kota = self.kota or place.kota
        changed = before != (self.kelurahan_code, self.kelurahan, self.kecamatan, self.kota, self.may_mean_kecamatan)
        if place.street and place.street not in self.streets:
            self.streets.add(place.street)
            changed = True
        if place.landmark and place.landmark not in self.landmarks:
            self.landmarks.add(place.landmark)
            changed = True
        if place.rt_rw != (None, None) and place.rt_rw not in self.rt_rw:
            self.rt_rw.add(place.rt_rw)
            changed = True
        if place.point is not None and len(self.points) < POINTS_PER_TICKET:
            self.points.append(place.point)
            changed = True
        if changed:
            self._answers.clear()
            self._asked = None
        return changed

    def merge(self, other: TicketPlace) -> None:
        """Fold another ticket's place in (an operator merged the two tickets)."""
        if self.kelurahan_code is None and self.kelurahan is None:
            self.kelurahan_code, self.kelurahan = other.kelurahan_code, other.kelurahan
            self.may_mean_kecamatan = other.may_mean_kecamatan
        self.kecamatan = self.kecamatan or other.kecamatan
        self.kota = self.kota or other.kota
        self.streets |= other.streets
        self.landmarks |= other.landmarks
        self.rt_rw |= other.rt_rw
        self.points = (self.points + other.points)[:POINTS_PER_TICKET]
        self._answers.clear()
        self._asked = None

    def compared(self, place: MentionPlace) -> PlaceMatch:
        """``compare_place(self, place)``, remembered per place object until this one changes.

        A pinned point plays no part in the comparison: pass the place as named, shared by every
        message that names it so, rather than a pinned copy.
        """
        if place is self._asked:  # most messages joining a ticket name its spot alike
            return self._answer
        known = self._answers.get(id(place))
        if known is not None and known[0] is place:
            answer = known[1]
        else:
            if len(self._answers) >= ANSWERS_PER_TICKET:
                self._answers.clear()
            answer = compare_place(self, place)
            self._answers[id(place)] = (place, answer)
        self._asked, self._answer = place, answer
        return answer


def _kelurahan_relation(ticket: TicketPlace, place: MentionPlace) -> bool | None:
    """True same kelurahan, False different, None when a side does not know (or cannot tell).

    A kelurahan read from a name its kecamatan shares ("banjir di Pasar Minggu") cannot be told
    from another kelurahan of that kecamatan: the two places then agree as far as the kecamatan.
    """
    if ticket.kelurahan_code and place.kelurahan_code:
        if ticket.kelurahan_code == place.kelurahan_code:
            return True
        if ticket.may_mean_kecamatan or place.may_mean_kecamatan:
            return None if same_kecamatan(ticket.kelurahan_code, place.kelurahan_code) else False
        return False
    if ticket.kelurahan_code and place.ambiguous and not place.kelurahan:
        return None if ticket.kelurahan_code in place.ambiguous else False
    if ticket.kelurahan and place.kelurahan:
        return ticket.kelurahan == place.kelurahan
    return None


def same_kecamatan(kelurahan_code: str, other_code: str) -> bool:
    """Kemendagri codes: "31.74.04.1001" lies in kecamatan "31.74.04"."""
    return kelurahan_code.rsplit(".", 1)[0] == other_code.rsplit(".", 1)[0]


def _names_relation(known: set[str], name: str | None) -> bool | None:
    """True when the name agrees with one the ticket knows, False when with none, None when either is missing."""
    if not name or not known:
        return None
    if name in known:
        return True
    return any(streets_agree(name, other) for other in known)


def _differ(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a != b


def _rt_rw_pair_relation(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool | None:
    """True same neighbourhood unit, False different, None when the pairs cannot be compared."""
    (rt_a, rw_a), (rt_b, rw_b) = a, b
    if _differ(rw_a, rw_b):
        return False
    if rw_a is not None and rw_b is not None or rw_a is None and rw_b is None:
        if _differ(rt_a, rt_b):
            return False
        if rt_a is not None and rt_a == rt_b or rw_a is not None:
            return True
    return None


def _rt_rw_relation(ticket: set[tuple[str | None, str | None]], pair: tuple[str | None, str | None]) -> tuple[bool, bool]:
    """(same, other): same when some known pair of the ticket agrees, other when comparable ones all differ."""
    if pair == (None, None) or not ticket:
        return False, False
    relations = {_rt_rw_pair_relation(known, pair) for known in ticket}
    if True in relations:
        return True, False
    return False, False in relations


def compare_place(ticket: TicketPlace, place: MentionPlace) -> PlaceMatch:
    """Where the mention stands against the ticket's place (DESIGN.md §4, compatible place)."""
    if not place.known or not ticket.known:
        return NO_PLACE
    kelurahan = _kelurahan_relation(ticket, place)
    if kelurahan is False:
        return CONFLICT
    confirmed_by_code = kelurahan and ticket.kelurahan_code and place.kelurahan_code
    if not confirmed_by_code and (_differ(ticket.kecamatan, place.kecamatan) or _differ(ticket.kota, place.kota)):
        return CONFLICT
    street = _names_relation(ticket.streets, place.street) if place.street else None
    landmark = _names_relation(ticket.landmarks, place.landmark) if place.landmark else None
    if street is False or landmark is False:
        return CONFLICT
    same_spot = bool(street or landmark)
    same_rt_rw, other_rt_rw = _rt_rw_relation(ticket.rt_rw, place.rt_rw) if ticket.rt_rw else (False, False)
    if same_spot:
        specificity = _SPOT
    elif kelurahan:
        specificity = _KELURAHAN
    else:
        specificity = _AREA  # nothing contradicts, nothing narrower is shared
    return _MATCHES[specificity, same_rt_rw, other_rt_rw]

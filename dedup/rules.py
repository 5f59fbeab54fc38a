"""The merge rules' settings and the decisions made from them (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType

from dedup.place import PlaceMatch, Specificity

NEVER = float("inf")  # a similarity bar no text reaches

# A traffic jam is over in hours; a flood or a broken road lasts days; a service complaint weeks.
# Illegal parking takes the default: the same attendants and the same cars are back at the same
# spot day after day, so reports two days apart are one standing problem, not two incidents.
DEFAULT_WINDOW_HOURS: Mapping[str, float] = MappingProxyType(
    {"kemacetan": 6.0, "pohon_tumbang": 48.0, "banjir": 72.0, "pelayanan_publik": 168.0}
)
# Residents pin where they stand, not on the spot: the pins of one pothole, lamp or drain scatter a
# few hundred metres; a flood or a jam covers blocks, and the pins of one spread further, as do
# those of an office's service, pinned from the homes of the kelurahan it serves.
DEFAULT_PINNED_METRES: Mapping[str, float] = MappingProxyType(
    {"banjir": 800.0, "kemacetan": 800.0, "pelayanan_publik": 800.0}
)


@dataclass(frozen=True)
class MergeRules:
    """How close two messages must be to be one incident.

    People describe one flood in very different words, so the place and the time carry most of the
    evidence and the text only decides where the place says little:

    * same kelurahan, or same street or landmark (kecamatan and kota not in conflict), same
      category, within the window: one incident, whatever the words;
    * only the kecamatan or kota shared, or no place on one side, but points pinned by the
      channels (Qlue, Open311, a geotag; not a tagged city's centre) within ``pinned_metres``
      (``pinned_metres_by_category`` for problems that cover an area):
      one incident, as for the same kelurahan;
    * only the kecamatan shared, and the report places itself no closer than that kecamatan (it
      names the kecamatan, or a kelurahan by the kecamatan's own name, and no street or landmark):
      the one ticket of its category in that kecamatan, whatever the words; likewise a report
      placed only by its kota ("di Jaksel") and the one ticket of its category in that kota. Where
      two or more are open the report could mean any of them, and the next rule decides;
    * only the kecamatan or kota shared: the texts must be ``similarity`` alike;
    * no place at all (not even a pin), and only one ticket of its category open in the city
      with a place, reported within ``unplaced_recent_hours`` of the report: that ticket,
      whatever the words ("banjir depan rumah" while one flood is being reported). Where two
      places report the problem, or the one was last heard from long before, the report could
      mean anything, and two reports of no place stay apart;
    * no place on one side: only a near copy of the text (``cross_post_similarity``) joins.

    ``score`` is what operators see: the text similarity raised by how specifically the places
    agree, ``1 - (1 - text) * (1 - place_weight)``.
    """

    window_hours: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WINDOW_HOURS))
    default_window_hours: float = 72
    similarity: float = 0.1  # text needed when only the kecamatan or kota agrees
    kelurahan_similarity: float = 0.0  # text needed when the kelurahan agrees but no street or landmark
    spot_similarity: float = 0.0  # text needed on the same street or landmark
    cross_post_similarity: float = 0.7
    spot_weight: float = 0.6  # same street or landmark
    kelurahan_weight: float = 0.4  # same kelurahan
    rt_rw_weight: float = 0.15  # same RT/RW on top
    pinned_metres: float = 300.0  # pins this close are one spot when a side names no place
    pinned_metres_by_category: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_PINNED_METRES))
    unplaced_recent_hours: float = 12.0  # "being reported now": within the same half day
    other_rt_rw_similarity: float = 0.85  # different RT/RW on one street: only a copy of the text joins
    min_informative_tokens: int = 5  # shorter texts ("banjir lagi") never join on text alone
    suggestions: int = 5  # other tickets reported in Assignment.candidates
    text_hits_scan: int = 32  # newest LSH hits scored per mention
    text_hit_floor: float = 0.7  # LSH is for cross-posts: a hit less alike than this is dropped unscored
    tickets_per_place_scan: int = 16  # newest tickets looked at per (category, place) cell
    indexed_per_ticket: int = 8  # newest texts of one ticket kept in the LSH index: a viral copy
    # pasted a thousand times must not make every query return a thousand hits

    def __post_init__(self) -> None:
        if not 0 < self.similarity <= 1 or not 0 < self.cross_post_similarity <= 1:
            raise ValueError("similarity thresholds must be in (0, 1]")
        if self.default_window_hours <= 0 or any(hours <= 0 for hours in self.window_hours.values()):
            raise ValueError("time windows must be positive")
        if self.pinned_metres <= 0 or any(metres <= 0 for metres in self.pinned_metres_by_category.values()):
            raise ValueError("pin distances must be positive")

    def window(self, category: str) -> timedelta:
        return timedelta(hours=self.window_hours.get(category, self.default_window_hours))

    def pinned_metres_for(self, category: str) -> float:
        return self.pinned_metres_by_category.get(category, self.pinned_metres)

    def window_seconds(self, category: str) -> float:
        return 3600.0 * self.window_hours.get(category, self.default_window_hours)

    @property
    def longest_window(self) -> timedelta:
        return timedelta(hours=max([self.default_window_hours, *self.window_hours.values()]))

    def cross_post_bar(self, place: PlaceMatch, informative: bool) -> float:
        """Rule 3: the text similarity that makes a cross-post (any category and author, places
        not in conflict); ``NEVER`` when nothing can."""
        if not informative or place.conflict:
            return NEVER
        return self.other_rt_rw_similarity if place.other_rt_rw else self.cross_post_similarity

    def incident_bar(self, place: PlaceMatch, informative: bool = True, pinned_near: bool = False) -> float:
        """Rule 4 for a ticket of the same category within its window: the text similarity needed.

        ``pinned_near``: a side names no place but the points pinned by the channels are close.
        """
        if place.conflict:
            return NEVER
        if place.other_rt_rw:
            return self.other_rt_rw_similarity if informative else NEVER
        specificity = place.specificity
        if specificity is Specificity.SPOT:
            return self.spot_similarity
        if specificity is Specificity.KELURAHAN:
            return self.kelurahan_similarity
        if pinned_near:
            return self.kelurahan_similarity
        if specificity is Specificity.AREA:
            return self.similarity if informative else NEVER
        return self.cross_post_similarity if informative else NEVER

    def is_cross_post(self, text_similarity: float, place: PlaceMatch, informative: bool) -> bool:
        return text_similarity >= self.cross_post_bar(place, informative)

    def is_same_incident(self, text_similarity: float, place: PlaceMatch, informative: bool = True,
                         pinned_near: bool = False) -> bool:
        return text_similarity >= self.incident_bar(place, informative, pinned_near)

    def place_weight(self, place: PlaceMatch) -> float:
        """How much agreeing places add to the score operators see (not for conflicting places)."""
        specificity = place.specificity
        weight = self.spot_weight if specificity is Specificity.SPOT else self.kelurahan_weight if specificity is Specificity.KELURAHAN else 0.0
        if place.same_rt_rw:
            weight = 1 - (1 - weight) * (1 - self.rt_rw_weight)
        return weight

    def incident_score(self, text_similarity: float, place: PlaceMatch) -> float:
        """How alike a mention and a ticket are, for operators; 0.0 when the places conflict."""
        if place.conflict:
            return 0.0
        return 1 - (1 - text_similarity) * (1 - self.place_weight(place))

    def bars(self, place: PlaceMatch, informative: bool, pinned_near: bool) -> Bars:
        """The rules above for one kind of place match, as numbers the candidate loop compares with."""
        return Bars(1 - self.place_weight(place), self.cross_post_bar(place, informative),
                    self.incident_bar(place, informative, pinned_near))


@dataclass(frozen=True, slots=True)
class Bars:
    """Rules 3 and 4 worked out for one kind of place match (there are a few dozen kinds), so the
    candidate loop compares numbers instead of walking the rules for every candidate.

    ``score = 1 - (1 - text) * keep`` is ``incident_score``; a cross-post needs ``text >=
    cross_post``, the same incident ``text >= incident``.
    """

    keep: float
    cross_post: float
    incident: float

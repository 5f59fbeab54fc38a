"""The merge rules' settings and the decisions made from them (DESIGN.md §4).

The thresholds were measured with ``benchmarks/dedup_speed.py --sweep`` (B-cubed over 60k
synthetic mentions of incidents told by several people, copied with edits or in their own words):

    similarity  cross-post 0.5        cross-post 0.6        cross-post 0.7
    0.20        P .703 R .603 F .650  P .719 R .600 F .654  P .766 R .584 F .663
    0.25        -                     -                     P .765 R .577 F .658
    0.30        P .703 R .588 F .640  P .718 R .585 F .645  P .766 R .570 F .653

so 0.2 / 0.7. Re-measure on the labelled corpus in the repository when it is complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType

from dedup.place import PlaceMatch, Specificity

# A traffic jam is over in hours; a flood or a broken road lasts days; a service complaint weeks.
DEFAULT_WINDOW_HOURS: Mapping[str, float] = MappingProxyType(
    {"kemacetan": 6.0, "parkir_liar": 24.0, "pohon_tumbang": 48.0, "banjir": 72.0, "pelayanan_publik": 168.0}
)


@dataclass(frozen=True)
class MergeRules:
    """How close two messages must be to be one incident.

    ``similarity`` applies to the blended same-incident score: character-shingle Jaccard of the
    texts, raised by how specifically the places agree (same street or landmark, same RT/RW) as a
    noisy-or, ``1 - (1 - text) * (1 - place_weight)``. Messages that share only the kelurahan
    (or only the kecamatan) stay at text level.
    """

    window_hours: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WINDOW_HOURS))
    default_window_hours: float = 72
    similarity: float = 0.2
    cross_post_similarity: float = 0.7
    spot_weight: float = 0.3  # same street or landmark
    rt_rw_weight: float = 0.15  # same RT/RW on top
    other_rt_rw_similarity: float = 0.85  # different RT/RW on one street: only a copy of the text joins
    min_informative_tokens: int = 5  # shorter texts ("banjir lagi") never join on text alone
    suggestions: int = 5  # other tickets reported in Assignment.candidates
    text_hits_scan: int = 32  # newest LSH hits scored per mention
    text_hit_floor: float = 0.25  # an LSH hit less alike than this is neither a match nor a suggestion
    tickets_per_place_scan: int = 32  # newest tickets looked at per (category, place) cell
    indexed_per_ticket: int = 16  # newest texts of one ticket kept in the LSH index: a viral copy
    # pasted a thousand times must not make every query return a thousand hits

    def __post_init__(self) -> None:
        if not 0 < self.similarity <= 1 or not 0 < self.cross_post_similarity <= 1:
            raise ValueError("similarity thresholds must be in (0, 1]")
        if self.default_window_hours <= 0 or any(hours <= 0 for hours in self.window_hours.values()):
            raise ValueError("time windows must be positive")

    def window(self, category: str) -> timedelta:
        return timedelta(hours=self.window_hours.get(category, self.default_window_hours))

    def window_seconds(self, category: str) -> float:
        return 3600.0 * self.window_hours.get(category, self.default_window_hours)

    @property
    def longest_window(self) -> timedelta:
        return timedelta(hours=max([self.default_window_hours, *self.window_hours.values()]))

    def is_cross_post(self, text_similarity: float, place: PlaceMatch, informative: bool) -> bool:
        """Rule 3: nearly the same text, any category and author, places not in conflict."""
        threshold = self.other_rt_rw_similarity if place.other_rt_rw else self.cross_post_similarity
        return informative and not place.conflict and text_similarity >= threshold

    def incident_score(self, text_similarity: float, place: PlaceMatch, informative: bool = True) -> float:
        """Rule 4's blended score; 0.0 when the places cannot be the same spot.

        Without a place on one side, or with different RT/RW, only near-identical text of some
        length counts: a generic complaint ("jalan rusak parah") is written every day all over
        the city.
        """
        if place.conflict:
            return 0.0
        if place.other_rt_rw:
            return text_similarity if informative and text_similarity >= self.other_rt_rw_similarity else 0.0
        if place.specificity is Specificity.NONE:
            return text_similarity if informative and text_similarity >= self.cross_post_similarity else 0.0
        weight = self.spot_weight if place.specificity is Specificity.SPOT else 0.0
        if place.same_rt_rw:
            weight = 1 - (1 - weight) * (1 - self.rt_rw_weight)
        return 1 - (1 - text_similarity) * (1 - weight)

    def is_same_incident(self, score: float) -> bool:
        return score >= self.similarity

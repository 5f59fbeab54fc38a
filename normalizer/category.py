"""Which kind of problem a message describes: weighted phrases of config/categories.toml.

Entries and messages are compared as word roots (see ``normalizer.text``), so one entry covers
its affixed forms and near-miss spellings. Longer matches hide the shorter ones inside them
("lampu jalan" does not also count as "jalan"); a match right after a negation does not count.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from spacy.vocab import Vocab

from normalizer.memory import BoundedMemory
from normalizer.phrase_index import PhraseIndex, Span

_LISTS = ("strong", "keywords", "weak")
_REMEMBERED_CONFIDENCES = 4096


@dataclass(frozen=True, slots=True)
class CategoryRules:
    slug: str
    label: str
    entries: Mapping[str, tuple[str, ...]]  # list name ("strong", "keywords", "weak") -> phrases


@dataclass(frozen=True, slots=True)
class Taxonomy:
    categories: tuple[CategoryRules, ...]
    priority: tuple[str, ...]
    fallback: str
    weights: Mapping[str, float]
    extra_word_weight: float
    minimum_score: float
    negations: frozenset[str]
    negation_gap: frozenset[str]
    inserts: tuple[str, ...] = ()  # words that may stand inside a phrase: "air udah masuk rumah"

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(c.slug for c in self.categories)

    def phrases(self) -> list[str]:
        return [p for c in self.categories for name in _LISTS for p in c.entries.get(name, ())]


class CategoryResult(NamedTuple):
    """Made once per message: a named tuple is built faster than a frozen dataclass."""

    slug: str
    score: float  # confidence 0..1: share of the evidence, damped when the evidence is thin
    scores: Mapping[str, float]  # raw weighted evidence per category
    spans: tuple[tuple[int, int], ...] = ()  # token ranges that counted


def parse_taxonomy(data: Mapping[str, object]) -> Taxonomy:
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, dict) or not raw_categories:
        raise ValueError("categories.toml: no [categories.<slug>] tables")
    categories = tuple(
        CategoryRules(
            slug=slug,
            label=str(table.get("label", slug)),
            entries={name: tuple(table.get(name, ())) for name in _LISTS},
        )
        for slug, table in raw_categories.items()
    )
    slugs = [c.slug for c in categories]
    priority = tuple(data.get("priority", slugs))  # type: ignore[arg-type]
    unknown = set(priority) - set(slugs)
    if unknown:
        raise ValueError(f"categories.toml: priority names unknown categories {sorted(unknown)}")
    priority = priority + tuple(s for s in slugs if s not in priority)
    weights = dict(data.get("weights", {}))  # type: ignore[arg-type]
    return Taxonomy(
        categories=categories,
        priority=priority,
        fallback=str(data.get("fallback", "lainnya")),
        weights={name: float(weights.get(name, default)) for name, default in zip(_LISTS, (2.0, 1.0, 0.4))},
        extra_word_weight=float(weights.get("extra_word", 0.5)),
        minimum_score=float(weights.get("minimum", 0.8)),
        # an event that is over, or may only happen, counts as little as a negated one ("abis banjir", "takut banjir")
        negations=frozenset((*data.get("negations", ("tidak", "bukan", "tanpa")), *data.get("aftermath", ()), *data.get("hypothetical", ()))),  # type: ignore[misc]
        negation_gap=frozenset(data.get("negation_gap", ())),  # type: ignore[arg-type]
        inserts=tuple(data.get("inserts", ())),  # type: ignore[arg-type]
    )


def load_taxonomy(path: Path) -> Taxonomy:
    with path.open("rb") as handle:
        return parse_taxonomy(tomllib.load(handle))


class CategoryScorer:
    """Scores a message's word roots against the taxonomy with one pass of a phrase index."""

    def __init__(self, taxonomy: Taxonomy, vocab: Vocab, phrase_keys: Callable[[str], list[str]]):
        self.taxonomy = taxonomy
        self.index = PhraseIndex()
        # label -> its category and the evidence of a match by its length in words
        self._points: dict[str, tuple[str, tuple[float, ...]]] = {}
        self._rank = {slug: i for i, slug in enumerate(taxonomy.priority)}
        self._negations, self._negation_gap = taxonomy.negations, taxonomy.negation_gap
        self._full_strength = 2 * taxonomy.weights["strong"]  # evidence that earns full confidence
        # Confidences repeat (a few scores make them): rounding one to three places costs more than a lookup.
        self._rounded: BoundedMemory[float, float] = BoundedMemory(_REMEMBERED_CONFIDENCES)
        inserts = list(dict.fromkeys(keys[0] for keys in map(phrase_keys, taxonomy.inserts) if len(keys) == 1))
        for category in taxonomy.categories:
            for list_name in _LISTS:
                label = f"{category.slug}/{list_name}"
                patterns = [keys for keys in map(phrase_keys, category.entries.get(list_name, ())) if keys]
                for keys in patterns:
                    self.index.add(label, keys)
                if patterns:
                    weight, longest = taxonomy.weights[list_name], max(map(len, patterns))
                    points = tuple(weight * (1 + taxonomy.extra_word_weight * (n - 1)) for n in range(longest + 1))
                    self._points[label] = (category.slug, points)
                # the same phrases with one word such as "udah" inside, worth what the phrase is worth
                loose = [[*keys[:i], insert, *keys[i:]] for keys in patterns for i in range(1, len(keys)) for insert in inserts]
                for keys in loose:
                    self.index.add(f"{label}+", keys)
                if loose:
                    self._points[f"{label}+"] = (category.slug, (0.0, *points))
        self.index.order_labels_as_spacy(vocab)

    def score(
        self,
        keys: list[str],
        masked: AbstractSet[int] = frozenset(),
        match_keys: list[str] | None = None,
        spans: list[Span] | None = None,
    ) -> CategoryResult:
        """``masked`` token positions (place names such as "Lubang Buaya") are not evidence; a phrase
        reaching beyond a name ("perahu karet" over Karet) still is.

        ``match_keys`` are ``keys`` lower-cased, and ``spans`` what :attr:`index` finds in them,
        when the caller has them.
        """
        taxonomy = self.taxonomy
        if spans is None:
            spans = self.index.spans(match_keys if match_keys is not None else [k.lower() for k in keys])
        negations, negation_gap, points_of = self._negations, self._negation_gap, self._points
        scores: dict[str, float] = {}
        counted: list[tuple[int, int]] = []
        for start, end, labels in _outermost(spans):
            length = end - start
            if masked and (start in masked if length == 1 else masked.issuperset(range(start, end))):
                continue
            if start:  # negated: right after a negation, or after one and a gap word ("tidak ada sampah")
                before = keys[start - 1]
                if before in negations or (start >= 2 and before in negation_gap and keys[start - 2] in negations):
                    continue
            for label in labels:
                slug, points = points_of[label]
                scores[slug] = scores.get(slug, 0.0) + points[length]
                counted.append((start, end))
        if not scores:
            return CategoryResult(taxonomy.fallback, 0.0, {}, ())
        best, best_score = "", -1.0  # the highest score, ties to the earlier category in the priority list
        rank = self._rank
        for slug, value in scores.items():
            if value > best_score or (value == best_score and rank[slug] < rank[best]):
                best, best_score = slug, value
        if best_score < taxonomy.minimum_score:
            return CategoryResult(taxonomy.fallback, 0.0, scores, tuple(counted))
        strength = best_score / self._full_strength
        confidence = best_score / sum(scores.values()) * (strength if strength < 1.0 else 1.0)
        rounded = self._rounded.get(confidence)
        if rounded is None:
            rounded = self._rounded.remember(confidence, round(confidence, 3))
        return CategoryResult(best, rounded, scores, tuple(counted))


def _outermost(spans: list[Span]) -> list[Span]:
    """Drop spans lying inside (or across) a longer one or an earlier one as long; all labels of a
    span stay together. Spans of one index are distinct."""
    if len(spans) <= 1:
        return spans
    kept: list[Span] = []
    for span in sorted(spans, key=_longest_then_first):
        start, end, _ = span
        for s, e, _ in kept:
            if s < end and start < e:
                break
        else:
            kept.append(span)
    return kept


def _longest_then_first(span: Span) -> tuple[int, int]:
    return span[0] - span[1], span[0]

"""Clustering and labelling metrics for the quality benchmark.

B-cubed (Bagga & Baldwin, 1998) scores each message by how much of its predicted ticket shares
its true incident (precision) and how much of its incident landed in its ticket (recall), then
averages over messages. Unlike pairwise scores it does not let one huge incident dominate.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    items: int


@dataclass(frozen=True, slots=True)
class Accuracy:
    correct: int
    total: int

    @property
    def value(self) -> float:
        """1.0 for an empty set: nothing was asked, nothing was wrong."""
        return self.correct / self.total if self.total else 1.0


class _Singleton:
    """A cluster of one, for an item with no predicted cluster; unequal to every other."""

    __slots__ = ()


def harmonic_mean(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b else 0.0


def bcubed(truth: Mapping[Hashable, Hashable], predicted: Mapping[Hashable, Hashable | None]) -> BCubed:
    """B-cubed precision, recall and F1 of ``predicted`` against ``truth`` over the items of ``truth``.

    Both map an item to its cluster label. An item missing from ``predicted`` or predicted as
    ``None`` is a cluster of its own. Predicted clusters are restricted to the items of ``truth``,
    so what a system does with items outside the evaluation does not count here.
    """
    items = list(truth)
    if not items:
        return BCubed(1.0, 1.0, 1.0, 0)
    predicted_of: dict[Hashable, Hashable] = {}
    for item in items:
        label = predicted.get(item)
        predicted_of[item] = _Singleton() if label is None else label

    truth_members: dict[Hashable, set[Hashable]] = defaultdict(set)
    predicted_members: dict[Hashable, set[Hashable]] = defaultdict(set)
    for item in items:
        truth_members[truth[item]].add(item)
        predicted_members[predicted_of[item]].add(item)

    overlap: Counter[tuple[Hashable, Hashable]] = Counter((truth[i], predicted_of[i]) for i in items)
    precision = recall = 0.0
    for item in items:
        t, p = truth[item], predicted_of[item]
        shared = overlap[(t, p)]
        precision += shared / len(predicted_members[p])
        recall += shared / len(truth_members[t])
    precision /= len(items)
    recall /= len(items)
    return BCubed(precision, recall, harmonic_mean(precision, recall), len(items))


def accuracy(pairs: Iterable[tuple[object, object]]) -> Accuracy:
    """Share of (expected, got) pairs that agree."""
    correct = total = 0
    for expected, got in pairs:
        total += 1
        correct += expected == got
    return Accuracy(correct, total)


def confusions(pairs: Iterable[tuple[object, object]], top: int = 15) -> list[tuple[object, object, int]]:
    """The most frequent disagreements as (expected, got, count), most frequent first."""
    counts = Counter((expected, got) for expected, got in pairs if expected != got)
    return [(expected, got, n) for (expected, got), n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))][:top]

"""Configured phrases found in a message's word keys, as spaCy's PhraseMatcher(attr="LOWER") finds them.

Matching on a plain list of strings saves building a second spaCy Doc per message for three
matchers. The results are the matcher's, in its order: by start, then by end, and — where one
phrase belongs to several labels — in the order the matcher's own table gives them, which is
read off a small spaCy PhraseMatcher once at start-up (category scores add up in that order).

Callers that work per message take *spans*: (start, end, labels) once per place a phrase
occurs, its labels in that order; ``label_matches`` spells them out as the matcher does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import compress
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

_END = None  # marks a complete phrase in the trie (keys are strings)
Span = tuple[int, int, tuple[str, ...]]  # start, end, the phrase's labels in the matcher's order


class PhraseIndex:
    """A trie of phrases (lists of lower-cased keys), each leading to its labels."""

    def __init__(self) -> None:
        self._root: dict = {}
        self._labels_in_order: list[str] = []

    def add(self, label: str, keys: Sequence[str]) -> None:
        if not keys:
            return
        node = self._root
        for key in keys:
            node = node.setdefault(key.lower(), {})
        labels = node.setdefault(_END, [])
        if label not in labels:
            labels.append(label)
        if label not in self._labels_in_order:
            self._labels_in_order.append(label)

    def order_labels_as_spacy(self, vocab: Vocab) -> None:
        """Put labels sharing a phrase in the order spaCy's matcher reports them."""
        self._reorder(self._root, [], vocab)

    def _reorder(self, node: dict, path: list[str], vocab: Vocab) -> None:
        for key, child in node.items():
            if key == _END:
                if len(child) > 1:
                    node[_END] = _spacy_order(child, path, vocab)
                continue
            self._reorder(child, [*path, key], vocab)

    def __call__(self, keys: Sequence[str]) -> list[tuple[str, int, int]]:
        """(label, start, end) of every phrase occurrence, overlapping ones included."""
        return label_matches(self.spans(keys))

    def spans(self, keys: Sequence[str]) -> list[Span]:
        """(start, end, labels) of every phrase occurrence, overlapping ones included."""
        spans: list[Span] = []
        n = len(keys)
        firsts = list(map(self._root.get, keys))  # trie nodes are never empty, so never falsy
        for start in compress(range(n), firsts):
            node = firsts[start]
            end = start + 1
            while node is not None:
                labels = node.get(_END)
                if labels is not None:
                    spans.append((start, end, tuple(labels)))
                if end == n:
                    break
                node = node.get(keys[end])
                end += 1
        return spans


def label_matches(spans: Iterable[Span]) -> list[tuple[str, int, int]]:
    """(label, start, end) for each label of each span, in order: what spaCy's matcher reports."""
    return [(label, start, end) for start, end, labels in spans for label in labels]


class PhraseIndexes:
    """Several phrase indexes matched in one pass: each gets exactly the spans it would find alone.

    Places, categories and complaint signals are all matched on the same word keys; one walk of
    a merged trie replaces three. Its nodes are (labels per index, next nodes or None) pairs, so a
    step reads no end marker and a last word looks nothing up. Built from the finished indexes,
    which must not change after.
    """

    def __init__(self, indexes: Sequence[PhraseIndex]) -> None:
        self._count = len(indexes)
        merged: dict = {}
        for slot, index in enumerate(indexes):
            _merge(merged, index._root, slot)
        self._root: dict[str, _Node] = _compact(merged)[1] or {}

    def __call__(self, keys: Sequence[str]) -> list[list[Span]]:
        """Per index, in the order given: (start, end, labels) as ``PhraseIndex.spans`` returns them."""
        found: list[list[Span]] = [[] for _ in range(self._count)]
        n = len(keys)
        firsts = list(map(self._root.get, keys))
        for start in compress(range(n), firsts):
            outputs, following = firsts[start]
            end = start + 1
            while True:
                for slot, labels in outputs:
                    found[slot].append((start, end, labels))
                if following is None or end == n:
                    break
                node = following.get(keys[end])
                if node is None:
                    break
                outputs, following = node
                end += 1
        return found


# A merged trie node: the labels it ends, per index slot, and the nodes after it (None at a leaf).
_Node = tuple[tuple[tuple[int, tuple[str, ...]], ...], "dict[str, _Node] | None"]


def _compact(node: dict) -> _Node:
    ending: list[tuple[int, str]] = node.get(_END, [])
    slots = sorted({slot for slot, _ in ending})
    outputs = tuple((slot, tuple(label for s, label in ending if s == slot)) for slot in slots)
    following = {key: _compact(child) for key, child in node.items() if key != _END}
    return outputs, following or None


def _merge(target: dict, node: dict[Any, Any], slot: int) -> None:
    """Copy ``node``'s trie into ``target``, labels tagged with their index's slot (earlier slots first)."""
    for key, child in node.items():
        if key == _END:
            target.setdefault(_END, []).extend((slot, label) for label in child)
        else:
            _merge(target.setdefault(key, {}), child, slot)


def _spacy_order(labels: list[str], keys: list[str], vocab: Vocab) -> list[str]:
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for label in labels:
        matcher.add(label, [Doc(vocab, words=keys)])
    return [vocab.strings[match_id] for match_id, _, _ in matcher(Doc(vocab, words=keys))]

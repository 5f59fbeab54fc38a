"""Configured phrases found in a message's word keys, as spaCy's PhraseMatcher(attr="LOWER") finds them.

Matching on a plain list of strings saves building a second spaCy Doc per message for three
matchers. The results are the matcher's, in its order: by start, then by end, and — where one
phrase belongs to several labels — in the order the matcher's own table gives them, which is
read off a small spaCy PhraseMatcher once at start-up (category scores add up in that order).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

_END = None  # marks a complete phrase in the trie (keys are strings)


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
        matches: list[tuple[str, int, int]] = []
        n = len(keys)
        firsts = list(map(self._root.get, keys))  # trie nodes are never empty, so never falsy
        for start in compress(range(n), firsts):
            node = firsts[start]
            end = start + 1
            while node is not None:
                labels = node.get(_END)
                if labels is not None:
                    for label in labels:
                        matches.append((label, start, end))
                if end == n:
                    break
                node = node.get(keys[end])
                end += 1
        return matches


class PhraseIndexes:
    """Several phrase indexes matched in one pass: each gets exactly the matches it would find alone.

    Places, categories and complaint signals are all matched on the same word keys; one walk of
    a merged trie replaces three. Built from the finished indexes, which must not change after.
    """

    def __init__(self, indexes: Sequence[PhraseIndex]) -> None:
        self._count = len(indexes)
        self._root: dict = {}
        for slot, index in enumerate(indexes):
            _merge(self._root, index._root, slot)

    def __call__(self, keys: Sequence[str]) -> list[list[tuple[str, int, int]]]:
        """Per index, in the order given: (label, start, end) as ``PhraseIndex.__call__`` returns them."""
        found: list[list[tuple[str, int, int]]] = [[] for _ in range(self._count)]
        n = len(keys)
        firsts = list(map(self._root.get, keys))
        for start in compress(range(n), firsts):
            node = firsts[start]
            end = start + 1
            while node is not None:
                labels = node.get(_END)
                if labels is not None:
                    for slot, label in labels:
                        found[slot].append((label, start, end))
                if end == n:
                    break
                node = node.get(keys[end])
                end += 1
        return found


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

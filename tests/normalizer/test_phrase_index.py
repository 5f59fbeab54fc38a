"""The phrase index finds what spaCy's PhraseMatcher(attr="LOWER") finds, in the same order."""

from __future__ import annotations

import random

import pytest
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from normalizer.phrase_index import PhraseIndex, PhraseIndexes, label_matches
from normalizer.tokenizer import IndonesianTokenizer

WORDS = ["banjir", "jalan", "rusak", "lampu", "mati", "air", "Kali", "kali", "di", ","]


@pytest.fixture(scope="module")
def vocab():
    return IndonesianTokenizer().vocab


def random_phrases(rng: random.Random, labels: int) -> dict[str, list[list[str]]]:
    phrases: dict[str, list[list[str]]] = {}
    shared = [rng.choices(WORDS, k=rng.randint(1, 3)) for _ in range(6)]  # phrases several labels share
    for number in range(labels):
        own = [rng.choices(WORDS, k=rng.randint(1, 3)) for _ in range(rng.randint(1, 4))]
        phrases[f"label{number}"] = own + rng.sample(shared, 2)
    return phrases


@pytest.mark.parametrize("seed", range(5))
def test_matches_and_their_order_are_the_phrase_matchers(vocab, seed):
    rng = random.Random(seed)
    phrases = random_phrases(rng, labels=12)
    matcher = PhraseMatcher(vocab, attr="LOWER")
    index = PhraseIndex()
    for label, patterns in phrases.items():
        matcher.add(label, [Doc(vocab, words=p) for p in patterns])
        for pattern in patterns:
            index.add(label, pattern)
    index.order_labels_as_spacy(vocab)
    for _ in range(200):
        words = rng.choices(WORDS, k=rng.randint(0, 25))
        expected = [(vocab.strings[i], s, e) for i, s, e in matcher(Doc(vocab, words=words))] if words else []
        assert index([w.lower() for w in words]) == expected


def test_a_phrase_under_several_labels_is_reported_once_per_label(vocab):
    index = PhraseIndex()
    index.add("banjir/strong", ["banjir"])
    index.add("genangan/weak", ["banjir"])
    index.add("banjir/strong", ["banjir"])
    found = index(["banjir", "lagi"])
    assert sorted(found) == [("banjir/strong", 0, 1), ("genangan/weak", 0, 1)]


def test_phrases_are_lower_cased_like_the_lower_attribute():
    index = PhraseIndex()
    index.add("kota", ["Jakarta", "Selatan"])
    assert index(["di", "jakarta", "selatan"]) == [("kota", 1, 3)]
    assert index([]) == []


@pytest.mark.parametrize("seed", range(5))
def test_indexes_matched_together_find_what_each_finds_alone(vocab, seed):
    rng = random.Random(seed)
    indexes = []
    for _ in range(3):  # the same phrases under several indexes, and labels several indexes use
        index = PhraseIndex()
        for label, patterns in random_phrases(rng, labels=rng.randint(1, 6)).items():
            for pattern in patterns:
                index.add(label, pattern)
        index.order_labels_as_spacy(vocab)
        indexes.append(index)
    together = PhraseIndexes(indexes)
    for _ in range(200):
        keys = [w.lower() for w in rng.choices(WORDS, k=rng.randint(0, 25))]
        spans = together(keys)
        assert spans == [index.spans(keys) for index in indexes]
        assert [label_matches(found) for found in spans] == [index(keys) for index in indexes]


def test_indexes_matched_together_leave_an_empty_list_for_an_index_without_matches():
    places, signals = PhraseIndex(), PhraseIndex()
    places.add("kemang", ["kemang"])
    signals.add("request", ["tolong"])
    assert PhraseIndexes([places, signals])(["tolong", "min"]) == [[], [(0, 1, ("request",))]]
    assert PhraseIndexes([places, signals])([]) == [[], []]
    assert PhraseIndexes([])(["tolong"]) == []


def test_a_span_carries_every_label_of_its_phrase_in_the_matchers_order(vocab):
    index = PhraseIndex()
    index.add("sampah/strong", ["sampah", "numpuk"])
    index.add("banjir/weak", ["air"])
    index.add("sampah/keywords", ["sampah", "numpuk"])
    index.order_labels_as_spacy(vocab)
    spans = index.spans(["air", "sampah", "numpuk"])
    assert [span[:2] for span in spans] == [(0, 1), (1, 3)]
    assert label_matches(spans) == index(["air", "sampah", "numpuk"])
    assert sorted(spans[1][2]) == ["sampah/keywords", "sampah/strong"]

"""The complaint classifier's one-scan finders answer as a plain substring search does."""

from __future__ import annotations

import random

import pytest

from normalizer.complaint import _finder

ALPHABET = ["a", "B", " ", "\n", "+", "1", "é", "😭", "🙏", "‼", "👍", "+1"]


@pytest.mark.parametrize("needles", [("😭", "🙏", "‼"), ("+1", "👍"), ("é",), ("a",), ()])
def test_a_finder_says_whether_any_needle_occurs(needles):
    rng = random.Random(7)
    found = _finder(needles)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 8)))
        assert found(text) == any(needle in text for needle in needles), (needles, text)


def test_an_empty_needle_is_in_every_text():
    assert _finder(("😭", ""))("plain text")

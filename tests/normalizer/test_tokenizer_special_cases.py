"""The tokenizer that loads spaCy's special cases on demand splits every text as the fully loaded one."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import ahocorasick
import pytest
from spacy.lang.id import Indonesian
from spacy.symbols import ORTH

from normalizer.text import build_tokenizer
from normalizer.tokenizer import IndonesianTokenizer, pieces

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SPECIAL_CASES = sorted(Indonesian.Defaults.tokenizer_exceptions)
WHITESPACE = [chr(c) for c in range(0x3001) if chr(c).isspace()]


@pytest.fixture(scope="module")
def fully_loaded():
    return build_tokenizer()


@pytest.fixture(scope="module")
def lazy():
    return IndonesianTokenizer()


def corpus_tweets() -> list[str]:
    texts = []
    for folder in ("corpus", "holdout"):
        for path in sorted((BENCHMARKS / folder / "twitter").glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                page = json.loads(line)
                tweets = page.get("data", [page]) if isinstance(page, dict) else []
                texts.extend(t["text"] for t in tweets if isinstance(t, dict) and "text" in t)
    return texts


def special_cases_torn_apart(seed: int, count: int, single_spaces: bool = False) -> list[str]:
    """Special cases cut by spaces, line breaks and hyphens, glued to each other: where splitting is hard."""
    rng = random.Random(seed)
    texts = []
    cuts = [" ", " -", "- ", "-"] if single_spaces else [" ", "  ", "\n", " -", "- ", "-"]
    edges = [""] if single_spaces else ["", " ", "  ", "\n", "\xa0"]
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 5)):
            case = rng.choice(SPECIAL_CASES)
            if len(case) > 1 and rng.random() < 0.7:
                cut = rng.randint(1, len(case) - 1)
                case = case[:cut] + rng.choice(cuts) + case[cut:]
            parts.append(case)
        text = rng.choice(edges) + rng.choice(["", " ", "-", " - ", "."]).join(parts) + rng.choice(edges)
        texts.append(" ".join(text.split()) if single_spaces else text)
    return texts


def tokens(doc) -> list[str]:
    return [t.text for t in doc]


def test_corpus_tweets_split_as_with_every_special_case_loaded(fully_loaded, lazy):
    texts = corpus_tweets()
    assert len(texts) > 500
    for text in texts:
        assert tokens(lazy(text)) == tokens(fully_loaded(text)), text


@pytest.mark.parametrize(("seed", "single_spaces"), [(1, False), (2, False), (3, True), (4, True)])
def test_torn_special_cases_split_as_with_every_special_case_loaded(fully_loaded, lazy, seed, single_spaces):
    whole_texts = linked_pieces = 0
    for text in special_cases_torn_apart(seed, 1000, single_spaces):
        expected = tokens(fully_loaded(text))
        split = lazy.split(text)
        if split is None:  # a special case straddles a space in an odd text: it is tokenized whole
            whole_texts += 1
            assert tokens(lazy(text)) == expected, text
            continue
        if split != pieces(text):  # pieces a special case straddles, tokenized as one unit
            linked_pieces += 1
            assert " ".join(split) == text.rstrip(" "), text
        assert [t for piece in split for t in tokens(lazy.piece(piece))] == expected, text
    if single_spaces:
        assert whole_texts == 0 and linked_pieces > 100  # the hard case did occur, and was read in units
    else:
        assert whole_texts > 100


def test_a_fresh_tokenizer_loads_what_each_text_needs(fully_loaded):
    for text in special_cases_torn_apart(3, 12):
        assert tokens(IndonesianTokenizer()(text)) == tokens(fully_loaded(text)), text


def test_special_cases_load_only_when_a_text_has_them():
    lazy = IndonesianTokenizer()
    assert len(lazy.nlp.tokenizer.rules) < 20  # whitespace cases only
    assert tokens(lazy("kira-kira jam 3 banjir di Jl. Melati")) == ["kira-kira", "jam", "3", "banjir", "di", "Jl.", "Melati"]
    assert {"kira-kira", "Jl."} <= set(lazy.nlp.tokenizer.rules)
    assert len(lazy.nlp.tokenizer.rules) < 40


def test_pieces_a_special_case_straddles_are_one_unit():
    lazy = IndonesianTokenizer()
    assert lazy.split("surat dari Dr. med Budi") == ["surat", "dari", "Dr. med", "Budi"]
    assert lazy.split("RT @warga: pak gubernur :p") == ["RT", "@warga: pak", "gubernur", ":p"]
    assert lazy.split("a kira - kira b kira -kira") == ["a", "kira - kira", "b", "kira -kira"]
    assert lazy.split("banjir kira-kira sepinggang") == ["banjir", "kira-kira", "sepinggang"]
    assert lazy.split("surat dari  Dr. med Budi") is None  # runs of spaces: tokenized whole


def test_a_special_case_across_a_line_break_needs_the_whole_text():
    lazy = IndonesianTokenizer({"a\nb": [{ORTH: "a\nb"}]})
    assert lazy.split("x a\nb y") is None  # tokenized whole, as spaCy's matcher sees it
    assert lazy.split("x a b y") == ["x", "a", "b", "y"]


@pytest.mark.parametrize("space", WHITESPACE)
def test_pieces_are_what_spacy_splits_at_whitespace(fully_loaded, lazy, space):
    for text in (f"a{space}b", f"{space}a", f"a{space}", f"a {space}b", f"a{space} b", f"{space}{space}a  b{space}"):
        assert [t for piece in pieces(text) for t in tokens(lazy.piece(piece))] == tokens(fully_loaded(text)), repr(text)
        split = lazy.split(text)
        assert split is None or split == pieces(text)


def test_the_automaton_skipping_whitespace_skips_no_printable_character_but_the_space():
    """split() scans a printable text with the automaton skipping whitespace, as if its spaces were gone."""
    automaton = ahocorasick.Automaton()
    automaton.add_word("ab", True)
    automaton.make_automaton()
    skipped = [
        c for c in map(chr, range(sys.maxunicode + 1))
        if c.isprintable() and c not in "ab" and list(automaton.iter(f"a{c}b", ignore_white_space=True))
    ]
    assert skipped == [" "]
    assert list(automaton.iter("xa  b", ignore_white_space=True)) == [(4, True)]  # positions in the text itself

"""spaCy's Indonesian tokenizer, with its special cases loaded when a text first needs them.

``spacy.blank("id")`` loads ~16k special cases (reduplications such as "kira-kira", abbreviations,
emoticons) before it tokenizes anything: several seconds that every command would pay. A special
case can only change how a text is split when its characters occur in the text (spaces aside: a
few span a space, and spaCy's matcher joins tokens across single spaces), so an Aho-Corasick
automaton over all of them finds the ones a text needs, and only those are loaded. The tokens are
exactly those of the fully loaded tokenizer.

The same automaton tells when a text may be tokenized piece by piece (spaCy splits at whitespace
first, and only a special case that straddles a space links two pieces), which lets the text
normalizer cache each piece's tokens. Pieces a special case links are tokenized together, as one
unit: spaCy's matcher finds a case only where its characters are, so nothing reaches beyond them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate

import ahocorasick
from spacy.lang.id import Indonesian, IndonesianDefaults
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc
from spacy.vocab import Vocab

from normalizer.lexicon import ABBREVIATIONS_WITH_DOT

# What spaCy's tokenizer hands to its affix rules: runs of non-space characters, and runs of
# whitespace less the single space that separates two tokens (see Tokenizer._tokenize_affixes).
_PIECES = re.compile(r"\S+|^\s+|(?<=\S )\s+|(?<=\S)[^\S ]\s*")


class _IndonesianWithoutSpecialCases(IndonesianDefaults):
    tokenizer_exceptions: Mapping[str, list[dict[int, str]]] = {}


class _LeanIndonesian(Indonesian):
    lang = "id"
    Defaults = _IndonesianWithoutSpecialCases


def address_special_cases(abbreviations: Iterable[str] = ABBREVIATIONS_WITH_DOT) -> dict[str, list[dict[int, str]]]:
    """The address abbreviations spaCy splits ("Jl.", "Kel.", …) kept whole, in their usual spellings."""
    cases: dict[str, list[dict[int, str]]] = {}
    for abbreviation in abbreviations:
        for variant in (abbreviation, abbreviation.lower(), abbreviation.upper(), abbreviation.capitalize()):
            cases[variant] = [{ORTH: variant}]
    return cases


@dataclass(slots=True)
class _Form:
    """A special case's characters without its spaces, and the cases written that way."""

    length: int
    cases: tuple[str, ...]
    unprintable: bool  # holds a line break or a tab: found, it could join pieces across it
    loaded: bool = False  # checked per occurrence, so that a loaded case costs no set lookup


class IndonesianTokenizer:
    """Tokens of ``spacy.blank("id")`` plus our special cases, without loading them all up front."""

    def __init__(self, extra_special_cases: Mapping[str, list[dict[int, str]]] | None = None):
        self.nlp: Language = _LeanIndonesian()
        extra = address_special_cases() if extra_special_cases is None else extra_special_cases
        self._rules = {**Indonesian.Defaults.tokenizer_exceptions, **extra}
        self._loaded: set[str] = set()
        self._automaton = ahocorasick.Automaton()
        by_form: dict[str, list[str]] = {}
        for case in self._rules:
            if case.isspace():  # whitespace cases: a handful, needed by texts with line breaks
                self._load(case)
                continue
            by_form.setdefault(case.replace(" ", ""), []).append(case)
        for form, cases in by_form.items():
            # A case with other whitespace inside (a line break, a tab) would join pieces across it:
            # found, it takes the whole text. spaCy 3.8 has none; unprintable characters count too.
            self._automaton.add_word(form, _Form(len(form), tuple(cases), not form.isprintable()))
        self._automaton.make_automaton()

    @property
    def vocab(self) -> Vocab:
        return self.nlp.vocab

    def _load(self, case: str) -> None:
        self._loaded.add(case)
        self.nlp.tokenizer.add_special_case(case, self._rules[case])

    def split(self, text: str) -> list[str] | None:
        """Load the special cases ``text`` needs and return the units it is tokenized in: its
        pieces, pieces that a special case straddles joined into one; or None when the text must
        be tokenized whole (an odd one with such a case and runs of spaces or other whitespace)."""
        if not text:
            return []
        if not text.isprintable():
            return self._split_any(text)
        # Printable text has no whitespace but spaces: the automaton skipping them finds what it
        # finds in the text without them, at positions in the text itself. An occurrence straddles
        # a space when its last ``length`` characters hold one.
        straddling: list[tuple[int, int]] = []
        for end, form in self._automaton.iter(text, ignore_white_space=True):
            if not form.loaded:
                self._load_form(form)
            if form.length > 1 and " " in text[end - form.length + 1:end + 1]:
                straddling.append((end, form.length))
        simple = "  " not in text and text[0] != " "
        if straddling and not simple:
            return None
        if simple:
            # Only single spaces between pieces (a final one separates nothing).
            parts = text.split(" ")
            if not parts[-1]:
                parts.pop()
            return _joined(text, parts, straddling) if straddling else parts
        return pieces(text)

    def _split_any(self, text: str) -> list[str] | None:
        """``split`` for a text with line breaks, tabs or other whitespace: scanned without its spaces."""
        parts = text.split(" ")
        joined = "".join(parts)
        cuts = None
        separable = True
        for end, form in self._automaton.iter(joined):
            if not form.loaded:
                self._load_form(form)
            if form.unprintable:
                separable = False
            elif separable and form.length > 1 and len(parts) > 1:
                if cuts is None:
                    cuts = list(accumulate(map(len, parts)))[:-1]  # where the spaces were, in ``joined``
                i = bisect_right(cuts, end - form.length + 1)
                separable = i == len(cuts) or cuts[i] > end
        return pieces(text) if separable else None

    def _load_form(self, form: _Form) -> None:
        for case in form.cases:
            if case not in self._loaded:
                self._load(case)
        form.loaded = True

    def __call__(self, text: str) -> Doc:
        """The whole text as one Doc, as the fully loaded tokenizer would split it."""
        self.split(text)
        return self.nlp.tokenizer(text)

    def piece(self, piece: str) -> Doc:
        """One piece of a text that ``split`` returned (its special cases are loaded)."""
        return self.nlp.tokenizer(piece)


def _joined(text: str, parts: list[str], straddling: list[tuple[int, int]]) -> list[str]:
    """``parts`` (``text`` split at single spaces) with those an occurrence straddles joined again.

    An occurrence ends at ``end`` in ``text`` and spans ``length`` characters other than spaces.
    """
    starts = list(accumulate((len(part) + 1 for part in parts[:-1]), initial=0))  # of each part in text
    spans = []  # the first and last part of each occurrence
    for end, length in straddling:
        begin, left = end, length
        while True:  # back over ``length`` characters that are not spaces
            if text[begin] != " ":
                left -= 1
                if not left:
                    break
            begin -= 1
        spans.append((bisect_right(starts, begin) - 1, bisect_right(starts, end) - 1))
    linked: list[list[int]] = []  # in order, those sharing a part merged
    for first, last in sorted(spans):
        if linked and first <= linked[-1][1]:
            linked[-1][1] = max(linked[-1][1], last)
        else:
            linked.append([first, last])
    units: list[str] = []
    done = 0
    for first, last in linked:
        units.extend(parts[done:first])
        units.append(" ".join(parts[first:last + 1]))
        done = last + 1
    units.extend(parts[done:])
    return units


def pieces(text: str) -> list[str]:
    """The whitespace-delimited pieces spaCy tokenizes independently of one another."""
    return _PIECES.findall(text)

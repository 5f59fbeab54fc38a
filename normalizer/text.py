"""Indonesian tokens for matching: slang expanded, word families folded, noise removed.

One pass over spaCy's tokens gives three aligned lists: ``words`` (lower case, slang expanded:
what ``Mention.match_text`` is made of and what places are matched on), ``keys`` (each word's
root: what categories and signals are matched on) and ``surfaces`` (the token as written, for
capitalisation). URLs, @mentions, emoji and punctuation become one ``BREAK`` marker so that no
phrase matches across them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc, Token

from normalizer.lexicon import ABBREVIATIONS_WITH_DOT, Lexicon, typo_forms

BREAK = ","
_ELONGATION = re.compile(r"([a-z])\1{2,}")
# "Gg. III", "Jl. Kemang Utara VIII": numbers of lanes and streets, not letters drawn out
ROMAN_NUMERAL = re.compile(r"(?=[ivxl]+$)(?:xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
_CAMEL_PIECES = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_MAX_SEGMENT = 24
# Affixes tried, outermost first, on a word nobody listed: "kebanjran" is ke-+"banjr"+-an, and
# "banjr" is a known misspelling of "banjir". Nasal prefixes change the root, so they are left out.
_TYPO_PREFIXES = ("keter", "ke", "ter", "di", "ber", "se", "")
_TYPO_SUFFIXES = ("annya", "nya", "an", "kan", "in")  # a suffix is required: "selamat" is no "se-lamat"
_MIN_TYPO_STEM = 5
_MIN_SLANG_FOR_TYPOS = 6


def build_tokenizer(extra_special_cases: Iterable[str] = ()) -> Language:
    """``spacy.blank("id")`` with the address abbreviations it lacks kept as single tokens.

    Loads all ~16k special cases up front (seconds); the analyzer uses ``IndonesianTokenizer``,
    which splits texts the same way and loads them as texts need them. This one is the reference.
    """
    nlp = spacy.blank("id")
    for abbreviation in (*ABBREVIATIONS_WITH_DOT, *extra_special_cases):
        for variant in {abbreviation, abbreviation.lower(), abbreviation.upper(), abbreviation.capitalize()}:
            nlp.tokenizer.add_special_case(variant, [{ORTH: variant}])
    return nlp


Entry = tuple[tuple[str, ...], tuple[str, ...]]  # a token's words and their keys


class _KnownTokens:
    """Tokens with a reading of their own (slang, word forms, segmentation words).

    Readings are made on first use: the word-family map has ~130k forms, most never written.
    """

    def __init__(self, tokens: set[str], fixed: Mapping[str, Entry], reading: Callable[[str], Entry]):
        self._tokens = tokens | set(fixed)
        self._entries: dict[str, Entry] = dict(fixed)
        self._reading = reading

    def __contains__(self, token: object) -> bool:
        return token in self._tokens

    def get(self, token: str) -> Entry | None:
        entry = self._entries.get(token)
        if entry is None and token in self._tokens:
            entry = self._entries[token] = self._reading(token)
        return entry


@dataclass(slots=True)
class NormalizedText:
    words: list[str]
    keys: list[str]
    surfaces: list[str]

    @property
    def match_text(self) -> str:
        return " ".join([word for word in self.words if word != BREAK])


class TextNormalizer:
    """Turns a spaCy Doc into aligned words/keys/surfaces; everything costly is precomputed."""

    def __init__(
        self,
        lexicon: Lexicon,
        root_map: Mapping[str, str],
        segmentation_vocabulary: Iterable[str],
    ):
        self._lexicon = lexicon
        self._root_map = dict(root_map)
        self._segment_words = frozenset(w for w in segmentation_vocabulary if len(w) >= 2 and w.isalnum())
        abbreviations = {}
        for abbreviation in ABBREVIATIONS_WITH_DOT:
            low = abbreviation.lower()
            abbreviations[low] = self._plain(low) if low in lexicon.slang else self._plain(low.rstrip("."))
        self._known = _KnownTokens({*lexicon.slang, *self._root_map, *self._segment_words}, abbreviations, self._plain)
        self._roots = frozenset(self._root_map.values())
        self._slang_typos = _slang_misspellings(lexicon, self._roots, self._known)

    def key_of(self, word: str) -> str:
        return self._root_map.get(word, word)

    def _plain(self, low: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        words = self._lexicon.expand(low)
        return words, tuple(self._root_map.get(w, w) for w in words)

    def normalize(self, doc: Doc | Iterable[Token]) -> NormalizedText:
        words: list[str] = []
        keys: list[str] = []
        surfaces: list[str] = []
        self.extend(doc, words, keys, surfaces)
        return NormalizedText(words, keys, surfaces)

    def extend(self, tokens: Iterable[Token], words: list[str], keys: list[str], surfaces: list[str]) -> None:
        """Append the tokens' words, keys and surfaces; a break is not repeated after one already there."""
        known = self._known
        for token in tokens:
            low = token.lower_
            entry = known.get(low)
            if entry is None:
                self._unknown_token(token, low, words, keys, surfaces)
                continue
            words.extend(entry[0])
            keys.extend(entry[1])
            surfaces.extend([token.text] * len(entry[0]))

    def _unknown_token(self, token: Token, low: str, words: list[str], keys: list[str], surfaces: list[str]) -> None:
        text = token.text
        if text[0] == "#" and len(text) > 1:
            pieces = self.split_hashtag(text[1:])
            words.append(BREAK)
            keys.append(BREAK)
            surfaces.append(BREAK)
            for piece in pieces:
                self._word(piece, piece, words, keys, surfaces)
            words.append(BREAK)
            keys.append(BREAK)
            surfaces.append(BREAK)
            return
        abbreviation_glued = low.split(".", 1)[0] + "." in self._known  # "jl.thamrin" looks like a domain
        if text[0] == "@" or (token.like_url and not abbreviation_glued) or token.like_email:
            self._break(words, keys, surfaces)
            return
        if low.isalnum():
            self._word(low, text, words, keys, surfaces)
            return
        pieces = [p for p in re.split(r"[^0-9A-Za-z]+", text) if p]
        if not pieces:
            self._break(words, keys, surfaces)
            return
        if len(pieces) == 2 and pieces[0].lower() == pieces[1].lower():  # "kira-kira", "motor-motor"
            pieces = pieces[:1]
        first = True
        for piece in pieces:
            piece_low = piece.lower()
            dotted = piece_low + "." if first and low.startswith(piece_low + ".") else piece_low
            self._word(dotted if dotted in self._known else piece_low, piece, words, keys, surfaces)
            first = False

    def _word(self, low: str, surface: str, words: list[str], keys: list[str], surfaces: list[str]) -> None:
        entry = self._known.get(low)
        if entry is None:
            if len(low) > 2 and low[-1] == "2" and low[:-1].isalpha():  # "motor2": plural shorthand
                low = low[:-1]
            elif _ELONGATION.search(low) and not ROMAN_NUMERAL.match(low):  # "banjiiir", "bauuu"
                low = _ELONGATION.sub(r"\1", low)
            entry = self._known.get(low) or self._misspelt(low) or ((low,), (self._root_map.get(low, low),))
        words.extend(entry[0])
        keys.extend(entry[1])
        surfaces.extend([surface] * len(entry[0]))

    def _misspelt(self, low: str) -> Entry | None:
        """A misspelt word under affixes ("kebanjran", "dibongkr") or a misspelt slang word ("lobagn").

        Misspellings are listed for bare roots only (listing them for every affixed form would
        multiply the map); here the affixes are peeled off an unknown word and the rest looked up.
        """
        slang = self._slang_typos.get(low)
        if slang is not None:
            return self._plain(slang)
        if len(low) < _MIN_TYPO_STEM + 2 or not low.isalpha():
            return None
        for prefix in _TYPO_PREFIXES:
            if not low.startswith(prefix):
                continue
            for suffix in _TYPO_SUFFIXES:
                if low.endswith(suffix):
                    stem = low[len(prefix):len(low) - len(suffix)]
                    root = self._misspelt_root(stem) if len(stem) >= _MIN_TYPO_STEM else None
                    if root is not None:
                        return (low,), (root,)
        return None

    def _misspelt_root(self, stem: str) -> str | None:
        """The vocabulary root a bare misspelling or slang word stands for ("banjr", "bnjir")."""
        slang = self._slang_typos.get(stem)
        entry = self._plain(slang) if slang is not None else self._known.get(stem)
        if entry is None or len(entry[1]) != 1:
            return None
        root = entry[1][0]
        if root == stem or root not in self._roots:
            return None
        # "semalam" is a word (se-malam), not a misspelling: only slang and near-misses count.
        return root if slang is not None or stem in self._lexicon.slang or stem in typo_forms(root) else None

    @staticmethod
    def _break(words: list[str], keys: list[str], surfaces: list[str]) -> None:
        if not words or words[-1] != BREAK:
            words.append(BREAK)
            keys.append(BREAK)
            surfaces.append(BREAK)

    def split_hashtag(self, body: str) -> list[str]:
        """'BanjirJakarta' -> ['banjir', 'jakarta']; 'banjirkemang' -> ['banjir', 'kemang'] when known words cover it."""
        pieces = _CAMEL_PIECES.findall(body) if not body.islower() else [body]
        result: list[str] = []
        for piece in pieces:
            low = piece.lower()
            if low in self._known or low.isdigit():
                result.append(low)
            else:
                result.extend(self._segment(low) or [low])
        return result

    def _segment(self, text: str) -> list[str] | None:
        """Fewest known words that spell ``text`` exactly, or None."""
        n = len(text)
        if n > 60:
            return None
        best: list[list[str] | None] = [None] * (n + 1)
        best[0] = []
        for end in range(1, n + 1):
            for start in range(max(0, end - _MAX_SEGMENT), end):
                prefix = best[start]
                if prefix is None:
                    continue
                piece = text[start:end]
                if piece in self._segment_words or piece in self._known:
                    candidate = [*prefix, piece]
                    current = best[end]
                    if current is None or len(candidate) < len(current):
                        best[end] = candidate
        return best[n]


def _slang_misspellings(lexicon: Lexicon, roots: frozenset[str], known: _KnownTokens) -> dict[str, str]:
    """Misspellings of slang words that stand for a word of our vocabulary ("lobagn" for "lobang").

    Only slang of six letters or more, only forms of five or more no other word could claim.
    """
    claimed: dict[str, str] = {}
    for key, words in lexicon.slang.items():
        if len(key) < _MIN_SLANG_FOR_TYPOS or not key.isalpha() or len(words) != 1 or words[0] == key or words[0] not in roots:
            continue
        for form in typo_forms(key):
            if len(form) >= _MIN_SLANG_FOR_TYPOS - 1 and form not in known and claimed.setdefault(form, key) != key:
                claimed[form] = ""
    return {form: key for form, key in claimed.items() if key}

"""A whole message's normalized words, assembled from pieces read once and remembered.

Messages repeat their pieces ("banjir", "di", "Jl.", "@DKIJakarta", "#banjirjakarta"): spaCy
splits a text at whitespace first and each piece on its own, and the text normalizer reads token
by token, so a piece's words, keys and surfaces can be remembered. The one thing that reaches
across pieces is the break marker, which is not repeated: each piece is kept in two versions,
after a word and after a break. Pieces a special case straddles ("Dr. med", "kira - kira", and
the emoticon ":p" in "RT @warga: pak") are read as one unit; an odd text with such a case and
runs of whitespace is tokenized whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from normalizer.memory import BoundedMemory
from normalizer.text import BREAK, NormalizedText, TextNormalizer
from normalizer.tokenizer import IndonesianTokenizer

_AFTER_A_WORD = "\x00"  # stands for any word before the piece while it is read


@dataclass(frozen=True, slots=True)
class _Reading:
    """One piece's words/keys/surfaces, after a word (or at the start) and after a break."""

    after_word: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    after_break: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    lower_keys: bool  # keys are their own lower case (what phrases are matched on)


@dataclass(slots=True)
class MessageWords:
    text: NormalizedText
    match_keys: list[str]  # the keys lower-cased, as spaCy's LOWER attribute compares them


class TextReader:
    """Normalizes whole texts; remembers up to ``max_pieces`` pieces (oldest forgotten first)."""

    def __init__(self, tokenizer: IndonesianTokenizer, normalizer: TextNormalizer, max_pieces: int = 100_000):
        self._tokenizer = tokenizer
        self._normalizer = normalizer
        self._readings: BoundedMemory[str, _Reading] = BoundedMemory(max_pieces)

    def read(self, text: str) -> MessageWords:
        split = self._tokenizer.split(text)
        if split is None:
            return _with_match_keys(self._normalizer.normalize(self._tokenizer.nlp.tokenizer(text)))
        words: list[str] = []
        keys: list[str] = []
        surfaces: list[str] = []
        add_words, add_keys, add_surfaces = words.extend, keys.extend, surfaces.extend
        lower = True
        readings = self._readings
        for piece in split:
            reading = readings.get(piece)
            if reading is None:
                reading = self._read_piece(piece)
            part = reading.after_word
            if reading.after_break is not part and words and words[-1] == BREAK:
                part = reading.after_break
            add_words(part[0])
            add_keys(part[1])
            add_surfaces(part[2])
            if not reading.lower_keys:
                lower = False
        normalized = NormalizedText(words, keys, surfaces)
        return MessageWords(normalized, keys if lower else [k.lower() for k in keys])

    def _read_piece(self, piece: str) -> _Reading:
        tokens = list(self._tokenizer.piece(piece))
        versions = []
        for before in (_AFTER_A_WORD, BREAK):
            words, keys, surfaces = [before], [before], [before]
            self._normalizer.extend(tokens, words, keys, surfaces)
            versions.append((tuple(words[1:]), tuple(keys[1:]), tuple(surfaces[1:])))
        after_word, after_break = versions
        if "" in after_word[1]:
            raise ValueError(f"empty word key in {piece!r}")  # as spaCy's Doc refuses one
        if after_break == after_word:
            after_break = after_word  # one object: the piece does not start with a break
        reading = _Reading(after_word, after_break, all(k == k.lower() for k in after_word[1]))
        return self._readings.remember(piece, reading)


def _with_match_keys(text: NormalizedText) -> MessageWords:
    if "" in text.keys:
        raise ValueError("empty word key")  # as spaCy's Doc refuses one
    return MessageWords(text, [k.lower() for k in text.keys])

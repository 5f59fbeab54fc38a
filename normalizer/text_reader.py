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
_FIELDS = 4  # a token's word, key, surface and lower-cased key, one after the other

# One piece's tokens as (word, key, surface, lower-cased key) runs, read after a word (or at the
# start) and after a break; the same tuple twice when the piece does not start with a break. A
# text's runs are one list extended once per piece; its words, keys, surfaces and lower-cased
# keys are slices of that list with a step of four.
_Reading = tuple[tuple[str, ...], tuple[str, ...]]


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
        runs: list[str] = []
        add = runs.extend
        remembered = self._readings.get
        for piece in split:
            reading = remembered(piece)
            if reading is None:
                reading = self._read_piece(piece)
            after_word, after_break = reading
            if after_break is not after_word and runs and runs[-_FIELDS] == BREAK:
                add(after_break)
            else:
                add(after_word)
        normalized = NormalizedText(runs[0::_FIELDS], runs[1::_FIELDS], runs[2::_FIELDS])
        return MessageWords(normalized, runs[3::_FIELDS])

    def _read_piece(self, piece: str) -> _Reading:
        tokens = list(self._tokenizer.piece(piece))
        versions = []
        for before in (_AFTER_A_WORD, BREAK):
            words, keys, surfaces = [before], [before], [before]
            self._normalizer.extend(tokens, words, keys, surfaces)
            if "" in keys:
                raise ValueError(f"empty word key in {piece!r}")  # as spaCy's Doc refuses one
            runs = zip(words[1:], keys[1:], surfaces[1:], (key.lower() for key in keys[1:]))
            versions.append(tuple(field for run in runs for field in run))
        after_word, after_break = versions
        if after_break == after_word:
            after_break = after_word  # one object: the piece does not start with a break
        return self._readings.remember(piece, (after_word, after_break))


def _with_match_keys(text: NormalizedText) -> MessageWords:
    if "" in text.keys:
        raise ValueError("empty word key")  # as spaCy's Doc refuses one
    return MessageWords(text, [k.lower() for k in text.keys])

"""The Indonesian analyzer: fills a batch of Mentions with match_text, place, category and complaint.

Everything costly (the word-family map, three phrase indexes) is built once from data objects.
Per message, the text is normalized from remembered pieces (``TextReader``) and matched once per
index; what follows from the text alone (words, place, category, complaint signals) is remembered
per text, since retweets and copy-paste campaigns repeat texts verbatim. Whether a message is a
complaint also depends on its author, channel and references, so that part is decided per message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from normalizer.category import CategoryScorer, Taxonomy, load_taxonomy
from normalizer.complaint import (
    ComplaintClassifier,
    ComplaintSignals,
    OfficialAccounts,
    load_complaint_signals,
    load_official_accounts,
)
from normalizer.gazetteer import Gazetteer, load_gazetteer
from normalizer.lexicon import Lexicon, build_root_map, load_lexicon, name_misspellings
from normalizer.memory import BoundedMemory
from normalizer.phrase_index import PhraseIndexes
from normalizer.places import PlaceAliases, PlaceFinder, load_place_aliases
from normalizer.text import BREAK, TextNormalizer
from normalizer.text_reader import TextReader
from normalizer.tokenizer import IndonesianTokenizer
from normalizer.types import Mention, Place

CONFIG_FILES = {
    "taxonomy": "categories.toml",
    "aliases": "gazetteer_aliases.toml",
    "accounts": "official_accounts.toml",
    "lexicon": "lexicon.tsv",
    "signals": "complaint_signals.toml",
}


class TextAnalysis(NamedTuple):
    """What a text says on its own, whoever sent it (immutable: one is shared by every copy of a text)."""

    match_text: str
    place: Place
    category: str
    category_score: float
    clear_evidence: bool  # the category rests on a strong phrase
    signals: Mapping[str, int]  # complaint signals found (see ComplaintClassifier.signals)


class Analyzer:
    """Reads Indonesian messages the way the city's operators would.

    Keeps bounded memories (pieces of text, texts, place resolutions, authors) and a tokenizer that
    grows its special cases: one Analyzer per process or thread, like spaCy's tokenizer.
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        lexicon: Lexicon,
        taxonomy: Taxonomy,
        place_aliases: PlaceAliases,
        official_accounts: OfficialAccounts,
        complaint_signals: ComplaintSignals,
        remembered_texts: int = 20_000,
    ):
        self.tokenizer = IndonesianTokenizer()
        self.nlp = self.tokenizer.nlp
        self.gazetteer = gazetteer
        self.taxonomy = taxonomy
        self._texts: BoundedMemory[str, TextAnalysis] = BoundedMemory(remembered_texts)
        self._clear_evidence = taxonomy.weights["strong"]  # one strong phrase names a problem on its own
        stop_words = frozenset(self.nlp.Defaults.stop_words)
        plain = TextNormalizer(lexicon, {}, ())
        phrases = [*taxonomy.phrases(), *(p for group in complaint_signals.phrases.values() for p in group)]
        vocabulary = {w for phrase in phrases for w in self._words(plain, phrase)}
        place_words = {
            w
            for name in _place_names(gazetteer, place_aliases)
            for w in self._words(plain, name)
        }
        slang_words = set(lexicon.slang) | {w for words in lexicon.slang.values() for w in words}
        # Slang is never folded, but what it stands for is standard Indonesian and folds like any word
        # of a text ("nggenang" -> "menggenang" -> "genang"); words listed as themselves stay.
        root_map = build_root_map(vocabulary, stop_words | place_words | set(lexicon.slang), lexicon.kept_words)
        taken = stop_words | vocabulary | place_words | slang_words | root_map.keys()
        root_map.update(name_misspellings(place_words, taken))
        self.normalizer = TextNormalizer(lexicon, root_map, vocabulary | place_words | slang_words | stop_words)
        # Place names are protected from folding, so their roots are the words themselves: places,
        # categories and signals can all be matched on one Doc of roots.
        self.places = PlaceFinder(
            gazetteer, place_aliases, self.nlp.vocab, self.phrase_keys, stop_words | vocabulary | {BREAK}
        )
        self.categories = CategoryScorer(taxonomy, self.nlp.vocab, self.phrase_keys)
        self.complaints = ComplaintClassifier(
            complaint_signals, official_accounts, self.nlp.vocab, self.phrase_keys, taxonomy.fallback
        )
        self.reader = TextReader(self.tokenizer, self.normalizer)
        self._phrases = PhraseIndexes([self.places.index, self.categories.index, self.complaints.index])

    def _words(self, normalizer: TextNormalizer, text: str) -> list[str]:
        return [w for w in normalizer.normalize(self.tokenizer(text)).words if w != BREAK]

    def phrase_words(self, text: str) -> list[str]:
        """A configured name or phrase as normalized words (what place patterns are made of)."""
        return self._words(self.normalizer, text)

    def phrase_keys(self, text: str) -> list[str]:
        """A configured phrase as word roots (what category and signal patterns are made of)."""
        normalized = self.normalizer.normalize(self.tokenizer(text))
        return [k for k in normalized.keys if k != BREAK]

    def analyze(self, mentions: list[Mention]) -> None:
        """Fill match_text, place, category, category_score, is_complaint, complaint_reason in place."""
        texts = self._texts
        for mention in mentions:
            readable = _readable_text(mention) if mention.title else mention.text  # most have no title
            analysis = texts.get(readable)
            if analysis is None:
                analysis = texts.remember(readable, self.analyze_text(readable))
            is_complaint, reason = self.complaints.classify(
                mention, analysis.signals, analysis.category, analysis.clear_evidence
            )
            mention.match_text = analysis.match_text
            mention.place = analysis.place if mention.place_tag is None else self._tagged(analysis.place, mention.place_tag)
            mention.category = analysis.category
            mention.category_score = analysis.category_score
            mention.is_complaint = is_complaint
            mention.complaint_reason = reason

    def _tagged(self, place: Place, tag: str) -> Place:
        """The text's place completed by the channel's place tag: the text comes first (a user may
        tag where they are, not where the problem is), so the tag only adds the levels the text
        leaves open, and nothing when it names another kecamatan or kota."""
        if place.kelurahan:
            return place
        tagged = self._texts.get(tag)
        if tagged is None:
            tagged = self._texts.remember(tag, self.analyze_text(tag))
        hint = tagged.place
        if hint.kelurahan is None and hint.kecamatan is None:
            return place
        if (place.kecamatan and hint.kecamatan != place.kecamatan) or (place.kota and hint.kota != place.kota):
            return place
        if place.ambiguous and hint.kelurahan_code not in place.ambiguous:
            return place
        return replace(place, kota=hint.kota, kecamatan=hint.kecamatan, kelurahan=hint.kelurahan,
                       kelurahan_code=hint.kelurahan_code, ambiguous=())

    def analyze_text(self, readable: str) -> TextAnalysis:
        """Words, place, category and complaint signals of one text (title and text together)."""
        read = self.reader.read(readable)
        text, match_keys = read.text, read.match_keys
        place_names, category_phrases, signal_phrases = self._phrases(match_keys)
        place_match = self.places.find(match_keys, text, readable, place_names)
        category = self.categories.score(text.keys, place_match.name_tokens, match_keys, category_phrases)
        clear = category.scores.get(category.slug, 0.0) >= self._clear_evidence
        signals = self.complaints.signals(text.keys, match_keys, signal_phrases)
        return TextAnalysis(text.match_text, place_match.place, category.slug, category.score, clear, signals)


def _readable_text(mention: Mention) -> str:
    """Title and text together: report apps often name the problem or the place only in the title."""
    title = (mention.title or "").strip()
    if not title or title.casefold() in mention.text.casefold():
        return mention.text
    return f"{title}. {mention.text}"


def _place_names(gazetteer: Gazetteer, aliases: PlaceAliases) -> Iterable[str]:
    yield from (k.name for k in gazetteer.kota)
    yield from (k.name for k in gazetteer.kecamatan)
    yield from (k.name for k in gazetteer.kelurahan)
    yield from aliases.aliases
    yield from aliases.kota_abbreviations
    yield from aliases.split_spellings


def load_analyzer(config_dir: Path) -> Analyzer:
    """Build the analyzer from a config directory (the repository's ``config/``)."""
    missing = [name for name in CONFIG_FILES.values() if not (config_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(f"analyzer configuration incomplete in {config_dir}: missing {', '.join(missing)}")
    return Analyzer(
        gazetteer=load_gazetteer(),
        lexicon=load_lexicon(config_dir / CONFIG_FILES["lexicon"]),
        taxonomy=load_taxonomy(config_dir / CONFIG_FILES["taxonomy"]),
        place_aliases=load_place_aliases(config_dir / CONFIG_FILES["aliases"]),
        official_accounts=load_official_accounts(config_dir / CONFIG_FILES["accounts"]),
        complaint_signals=load_complaint_signals(config_dir / CONFIG_FILES["signals"]),
    )

"""The Indonesian analyzer: fills a batch of Mentions with match_text, place, category and complaint.

Everything costly (tokenizer special cases, the word-family map, three PhraseMatchers) is built
once from data objects; ``analyze`` then makes one tokenizer pass per batch (``nlp.pipe``) and
one Python pass over each message's tokens.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spacy.tokens import Doc

from normalizer.category import CategoryScorer, Taxonomy, load_taxonomy
from normalizer.complaint import (
    ComplaintClassifier,
    ComplaintSignals,
    OfficialAccounts,
    load_complaint_signals,
    load_official_accounts,
)
from normalizer.gazetteer import Gazetteer, load_gazetteer
from normalizer.lexicon import Lexicon, build_root_map, load_lexicon
from normalizer.places import PlaceAliases, PlaceFinder, load_place_aliases
from normalizer.text import BREAK, TextNormalizer, build_tokenizer
from normalizer.types import Mention

CONFIG_FILES = {
    "taxonomy": "categories.toml",
    "aliases": "gazetteer_aliases.toml",
    "accounts": "official_accounts.toml",
    "lexicon": "lexicon.tsv",
    "signals": "complaint_signals.toml",
}


class Analyzer:
    """Reads Indonesian messages the way the city's operators would."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        lexicon: Lexicon,
        taxonomy: Taxonomy,
        place_aliases: PlaceAliases,
        official_accounts: OfficialAccounts,
        complaint_signals: ComplaintSignals,
        batch_size: int = 512,
    ):
        self.nlp = build_tokenizer()
        self.gazetteer = gazetteer
        self.taxonomy = taxonomy
        self._batch_size = batch_size
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
        root_map = build_root_map(vocabulary, stop_words | place_words | slang_words, lexicon.kept_words)
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

    def _words(self, normalizer: TextNormalizer, text: str) -> list[str]:
        return [w for w in normalizer.normalize(self.nlp.make_doc(text)).words if w != BREAK]

    def phrase_words(self, text: str) -> list[str]:
        """A configured name or phrase as normalized words (what place patterns are made of)."""
        return self._words(self.normalizer, text)

    def phrase_keys(self, text: str) -> list[str]:
        """A configured phrase as word roots (what category and signal patterns are made of)."""
        normalized = self.normalizer.normalize(self.nlp.make_doc(text))
        return [k for k in normalized.keys if k != BREAK]

    def analyze(self, mentions: list[Mention]) -> None:
        """Fill match_text, place, category, category_score, is_complaint, complaint_reason in place."""
        vocab = self.nlp.vocab
        read = [_readable_text(m) for m in mentions]
        docs = self.nlp.pipe(read, batch_size=self._batch_size)
        for mention, raw_text, doc in zip(mentions, read, docs):
            text = self.normalizer.normalize(doc)
            keys_doc = Doc(vocab, words=text.keys)
            place_match = self.places.find(keys_doc, text, raw_text)
            category = self.categories.score(keys_doc, place_match.name_tokens, text.keys)
            clear = category.scores.get(category.slug, 0.0) >= self._clear_evidence
            is_complaint, reason = self.complaints.classify(mention, keys_doc, category.slug, clear)
            mention.match_text = text.match_text
            mention.place = place_match.place
            mention.category = category.slug
            mention.category_score = category.score
            mention.is_complaint = is_complaint
            mention.complaint_reason = reason


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

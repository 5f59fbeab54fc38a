"""Complaint or not: only complaints open tickets (DESIGN.md §3).

Checked in order, first answer wins: bounces and auto-replies, the city's own accounts (by
list and by name), official-reply wording, promotion/spam, news, praise for a solved problem;
then a message is a complaint when it describes a problem (a category) or asks for action.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from normalizer.types import Mention

_SIGNAL_LISTS = {
    "official": ("official_reply", "phrases"),
    "auto_reply": ("auto_reply", "phrases"),
    "spam_strong": ("spam", "strong"),
    "spam_weak": ("spam", "weak"),
    "headline": ("news", "headline"),
    "reporting": ("news", "reporting"),
    "praise": ("praise", "phrases"),
    "resolved": ("praise", "resolved"),
    "persisting": ("praise", "persisting"),
    "marker_strong": ("complaint", "strong"),
    "marker_weak": ("complaint", "weak"),
    "problem": ("complaint", "problem"),
    "first_person": ("complaint", "first_person"),
}
_HEADLINE_TAG = re.compile(r"^\s*(?:breaking\b|\[[a-z ]{3,15}\])|\[(?:foto|video|infografis|berita|update|live)\]", re.IGNORECASE)
_NAME_PIECES = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


@dataclass(frozen=True, slots=True)
class OfficialAccounts:
    handles: frozenset[str]  # lower case, without "@"
    email_domains: tuple[str, ...]
    email_addresses: frozenset[str]

    def owns(self, address_or_handle: str | None) -> bool:
        if not address_or_handle:
            return False
        value = address_or_handle.strip().lower().lstrip("@")
        if "@" in value:
            domain = value.rsplit("@", 1)[1]
            return value in self.email_addresses or any(
                domain == d or domain.endswith("." + d) for d in self.email_domains
            )
        return value in self.handles


@dataclass(frozen=True, slots=True)
class ComplaintSignals:
    phrases: Mapping[str, tuple[str, ...]]  # signal name -> phrases
    account_name_words: tuple[str, ...]
    news_outlets: tuple[str, ...]


def parse_official_accounts(data: Mapping[str, object]) -> OfficialAccounts:
    return OfficialAccounts(
        handles=frozenset(str(h).lower().lstrip("@") for h in data.get("handles", ())),  # type: ignore[union-attr]
        email_domains=tuple(str(d).lower() for d in data.get("email_domains", ())),  # type: ignore[union-attr]
        email_addresses=frozenset(str(a).lower() for a in data.get("email_addresses", ())),  # type: ignore[union-attr]
    )


def parse_complaint_signals(data: Mapping[str, object]) -> ComplaintSignals:
    phrases = {}
    for signal, (table, key) in _SIGNAL_LISTS.items():
        section = data.get(table, {})
        phrases[signal] = tuple(section.get(key, ())) if isinstance(section, dict) else ()
    official = data.get("official_reply", {})
    news = data.get("news", {})
    return ComplaintSignals(
        phrases=phrases,
        account_name_words=tuple(official.get("account_name_words", ())) if isinstance(official, dict) else (),
        news_outlets=tuple(news.get("outlets", ())) if isinstance(news, dict) else (),
    )


def _load_toml(path: Path) -> dict[str, object]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_official_accounts(path: Path) -> OfficialAccounts:
    return parse_official_accounts(_load_toml(path))


def load_complaint_signals(path: Path) -> ComplaintSignals:
    return parse_complaint_signals(_load_toml(path))


class ComplaintClassifier:
    """Decides ``is_complaint`` and a short reason from the message, its author and its category."""

    def __init__(
        self,
        signals: ComplaintSignals,
        accounts: OfficialAccounts,
        vocab: Vocab,
        phrase_keys: Callable[[str], list[str]],
        fallback_category: str = "lainnya",
    ):
        self._accounts = accounts
        self._fallback = fallback_category
        self._matcher = PhraseMatcher(vocab, attr="LOWER")
        self._signal_of: dict[int, str] = {}
        for signal, phrases in signals.phrases.items():
            patterns = [Doc(vocab, words=keys) for keys in map(phrase_keys, phrases) if keys]
            if patterns:
                self._matcher.add(signal, patterns)
                self._signal_of[vocab.strings[signal]] = signal
        words = [w.lower() for w in signals.account_name_words]
        self._name_words = frozenset(w for w in words if " " not in w)
        self._name_phrases = tuple(w for w in words if " " in w)
        self._handle_substrings = tuple(w.replace(" ", "") for w in words if len(w) >= 5)
        outlets = sorted({o.lower().replace(" ", "") for o in signals.news_outlets}, key=len, reverse=True)
        self._outlet_pattern = re.compile("|".join(map(re.escape, outlets))) if outlets else None

    def signals(self, doc: Doc) -> dict[str, int]:
        counts: dict[str, int] = {}
        for match_id, _, _ in self._matcher(doc):
            signal = self._signal_of[match_id]
            counts[signal] = counts.get(signal, 0) + 1
        return counts

    def classify(self, mention: Mention, doc: Doc, category: str) -> tuple[bool, str]:
        found = self.signals(doc)
        if "bounce" in mention.flags:
            return False, "bounce"
        if "auto_reply" in mention.flags or found.get("auto_reply"):
            return False, "auto-reply"
        if "official_source" in mention.flags or self._official_author(mention):
            return False, "official account"
        if found.get("official"):
            return False, "official reply style"
        if self._spam(mention, found):
            return False, "promotion/spam"
        personal = found.get("first_person", 0) + found.get("marker_weak", 0)
        if self._news(mention, found, personal):
            return False, "news"
        has_problem = category != self._fallback
        if found.get("praise") or found.get("resolved"):
            still = found.get("persisting", 0) or "?" in mention.text
            enthusiastic = found.get("praise", 0) >= 2 and not found.get("problem")
            if not still and (found.get("resolved") or not has_problem or enthusiastic):
                return False, "praise"
        if has_problem:
            return True, f"complaint: {category}"
        tags_city = any(self._accounts.owns(handle) for handle in mention.mentions)
        if found.get("marker_strong") and (found.get("problem") or found.get("first_person") or tags_city):
            return True, "complaint: request for action"
        if found.get("problem") and (found.get("marker_weak") or tags_city or "?" in mention.text or found.get("marker_strong")):
            return True, "complaint: problem reported"
        return False, "no problem described"

    def _official_author(self, mention: Mention) -> bool:
        author = mention.author
        if any(self._accounts.owns(value) for value in (author.handle, author.id)):
            return True
        handle = (author.handle or "").lower()
        if "@" not in handle and any(part in handle for part in self._handle_substrings):
            return True
        name = author.name or ""
        pieces = {piece.lower() for piece in _NAME_PIECES.findall(name)}
        if pieces & self._name_words:
            return True
        lowered = name.lower()
        return any(phrase in lowered for phrase in self._name_phrases)

    def _spam(self, mention: Mention, found: Mapping[str, int]) -> bool:
        strong, weak = found.get("spam_strong", 0), found.get("spam_weak", 0)
        links = len(mention.urls) or mention.text.count("http")
        return strong >= 1 or weak >= 2 or (weak >= 1 and links >= 2)

    def _news(self, mention: Mention, found: Mapping[str, int], personal: int) -> bool:
        outlet = self._outlet_pattern
        author = f"{mention.author.handle or ''}{mention.author.name or ''}".lower().replace(" ", "")
        if outlet is not None and outlet.search(author):
            return True
        score = found.get("headline", 0) + found.get("reporting", 0)
        if score == 0 and "[" not in mention.text and "breaking" not in mention.text.lower():
            return False
        if _HEADLINE_TAG.search(mention.text):
            score += 2
        if outlet is not None and any(outlet.search(urlsplit(url).netloc.lower()) for url in mention.urls):
            score += 1
        return score >= 2 and personal == 0

"""Complaint or not: only complaints open tickets (DESIGN.md §3).

Checked in order, first answer wins: bounces and auto-replies, the city's own accounts (by
list and by name), official-reply wording, promotion/spam, news, praise for a solved problem;
then a message is a complaint when it describes a problem (a category) or asks for action, or
when it is a reply that backs the complaint it answers ("valid", "up", "sama di sini").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from spacy.vocab import Vocab

from normalizer.phrase_index import PhraseIndex, Span
from normalizer.memory import BoundedMemory
from normalizer.types import Author, Mention

_SIGNAL_LISTS = {
    "official": ("official_reply", "phrases"),
    "auto_reply": ("auto_reply", "phrases"),
    "spam_strong": ("spam", "strong"),
    "spam_weak": ("spam", "weak"),
    "headline": ("news", "headline"),
    "reporting": ("news", "reporting"),
    "praise": ("praise", "phrases"),
    "thanks": ("praise", "thanks"),
    "resolved": ("praise", "resolved"),
    "persisting": ("praise", "persisting"),
    "marker_strong": ("complaint", "strong"),
    "marker_weak": ("complaint", "weak"),
    "problem": ("complaint", "problem"),
    "first_person": ("complaint", "first_person"),
    "support": ("complaint", "support"),
    "request": ("complaint", "request"),
    "grievance": ("complaint", "grievance"),
    "inquiry": ("complaint", "inquiry"),
    "community": ("complaint", "community"),
    "test": ("complaint", "test_submission"),
    "area_report": ("news", "area_report"),
}
_NEGATIONS = frozenset({"tidak", "bukan", "tak", "belum"})
# Channels whose every message is addressed to the city: a request there needs no @mention.
_ADDRESSED_CHANNELS = frozenset({"email", "qlue", "open311"})
# Report apps carry citizens' reports, never a publisher's.
_REPORT_CHANNELS = frozenset({"qlue", "open311"})
_DATELINE = re.compile(
    r"(?:^|\n|\s{2,})(?:[A-Z]{3,}(?: [A-Z]{3,}){0,2}|[A-Z][a-z]{2,}(?= ?\())(?:,\s*[A-Za-z0-9.]{2,25}|\s*\([A-Za-z .]{2,20}\))?"
    r"\s+[-\u2013\u2014]{1,2}\s+[A-Z][a-z]"
)
_HEADLINE_BODY_ALLOWANCE = 60  # characters: "Baca selengkapnya di situs kami." fits, a report does not
_SENTENCE_END = re.compile(r"\n|\s{2,}|\shttp|(?<=[a-z]{4})[.!?]\s")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# Words Indonesian headlines keep in lower case ("Banjir Rendam 4 RT di Kelurahan Tomang").
_HEADLINE_SMALL_WORDS = frozenset(
    {"di", "ke", "dari", "dan", "yang", "untuk", "atau", "dengan", "pada", "dalam", "oleh", "per", "vs", "bagi", "kepada"}
)
_HEADLINE_TAG = re.compile(r"^\s*(?:breaking\b|\[[a-z ]{3,15}\])|\[(?:foto|video|infografis|berita|update|live)\]", re.IGNORECASE)
_REMEMBERED = 50_000  # authors and names kept
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
    publisher_words: tuple[str, ...] = ()
    praise_emoji: tuple[str, ...] = ()
    distress_emoji: tuple[str, ...] = ()
    sarcasm_emoji: tuple[str, ...] = ()
    spam_emoji: tuple[str, ...] = ()
    support_marks: tuple[str, ...] = ()


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
    official = _table(data, "official_reply")
    news = _table(data, "news")
    praise = _table(data, "praise")
    complaint = _table(data, "complaint")
    markers, states, after = (tuple(praise.get(key, ())) for key in ("state_markers", "good_states", "state_after"))
    composed = tuple(f"{m} {s}" for m in markers for s in states) + tuple(f"{s} {a}" for s in states for a in after)
    phrases["resolved"] = phrases["resolved"] + composed
    return ComplaintSignals(
        phrases=phrases,
        account_name_words=tuple(official.get("account_name_words", ())),
        news_outlets=tuple(news.get("outlets", ())),
        publisher_words=tuple(str(w).lower() for w in news.get("publisher_words", ())),
        praise_emoji=tuple(praise.get("praise_emoji", ())),
        distress_emoji=tuple(complaint.get("distress_emoji", ())),
        sarcasm_emoji=tuple(praise.get("sarcasm_emoji", ())),
        spam_emoji=tuple(_table(data, "spam").get("spam_emoji", ())),
        support_marks=tuple(complaint.get("support_marks", ())),
    )


def _table(data: Mapping[str, object], name: str) -> Mapping[str, object]:
    table = data.get(name, {})
    return table if isinstance(table, dict) else {}


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
        self.index = PhraseIndex()
        for signal, phrases in signals.phrases.items():
            for keys in map(phrase_keys, phrases):
                self.index.add(signal, keys)
        self.index.order_labels_as_spacy(vocab)
        words = [w.lower() for w in signals.account_name_words]
        self._name_words = frozenset(w for w in words if " " not in w)
        self._name_phrases = tuple(w for w in words if " " in w)
        self._in_handle = _substring_finder(w.replace(" ", "") for w in words if len(w) >= 5)
        outlets = sorted({o.lower().replace(" ", "") for o in signals.news_outlets}, key=len, reverse=True)
        self._outlet_pattern = re.compile("|".join(map(re.escape, outlets))) if outlets else None
        publisher = signals.publisher_words
        self._in_publisher_name = _substring_finder(w for w in publisher if len(w) >= 4)
        self._publisher_pieces = frozenset(w for w in publisher if len(w) < 4)
        self._spam_emoji = signals.spam_emoji
        self._has_praise_emoji = _finder(signals.praise_emoji)
        self._has_sarcasm_emoji = _finder(signals.sarcasm_emoji)
        self._has_distress_emoji = _finder(e for e in signals.distress_emoji if e != "🙏")  # 🙏 is also "please"
        self._has_backing_mark = _finder((*signals.distress_emoji, *signals.support_marks))
        self._has_spam_emoji = _finder(signals.spam_emoji)
        # Facts about one author or name, the same in each of their messages.
        self._official_authors: BoundedMemory[tuple, bool] = BoundedMemory(_REMEMBERED)
        self._outlet_authors: BoundedMemory[tuple, bool] = BoundedMemory(_REMEMBERED)
        self._publisher_names: BoundedMemory[str, bool] = BoundedMemory(_REMEMBERED)

    def signals(
        self, keys: list[str], match_keys: list[str] | None = None, spans: list[Span] | None = None
    ) -> dict[str, int]:
        """How often each signal occurs in a message's word roots (``match_keys``: them lower-cased;
        ``spans``: what :attr:`index` finds in them, when the caller has them).

        "lagi" inside "nyala lagi" is part of the fix, and after a negation ("gak genang lagi") it
        means "no longer": neither says the problem persists.
        """
        counts: dict[str, int] = {}
        if spans is None:
            spans = self.index.spans(match_keys if match_keys is not None else [k.lower() for k in keys])
        resolved = [(start, end) for start, end, labels in spans if "resolved" in labels]
        for start, end, labels in spans:
            for signal in labels:
                if signal == "persisting":
                    if resolved and any(s <= start and end <= e for s, e in resolved):
                        continue
                    if keys[start] == "lagi" and any(keys[i] in _NEGATIONS for i in range(max(0, start - 3), start)):
                        continue
                counts[signal] = counts.get(signal, 0) + 1
        return counts

    def classify(
        self, mention: Mention, found: Mapping[str, int], category: str, clear_evidence: bool = False
    ) -> tuple[bool, str]:
        """``found``: the message's ``signals``. ``clear_evidence``: the category rests on a strong phrase,
        not on hints (also for a problem outside the taxonomy, "kabel menjuntai", whose category is the
        fallback)."""
        if "bounce" in mention.flags:
            return False, "bounce"
        if "auto_reply" in mention.flags or found.get("auto_reply"):
            return False, "auto-reply"
        if "official_source" in mention.flags or self._official_author(mention.author):
            return False, "official account"
        shared = _retweeted(mention.text)  # "RT @TMCPoldaMetro: ...": the city's or a publisher's post, passed on
        if shared is not None:
            if self._accounts.owns(shared.handle):  # only the listed accounts: a citizen may be "@warga_kelurahan"
                return False, "shares an official post"
            if self._outlet_author(shared):
                return False, "news"
        if found.get("official"):
            return False, "official reply style"
        if self._spam(mention, found):
            return False, "promotion/spam"
        if self._news(mention, found):
            return False, "news"
        if found.get("test") and not clear_evidence:
            return False, "test submission"
        has_problem = category != self._fallback
        problem_named = clear_evidence and not has_problem
        described = has_problem or problem_named
        text = mention.text
        praise = found.get("praise", 0) + (1 if self._has_praise_emoji(text) else 0)
        # Emoji searches (a scan of the text each) only where their answer counts.
        if (praise or found.get("thanks") or found.get("resolved")) and not self._has_sarcasm_emoji(text):
            still = found.get("persisting", 0) or "?" in text
            # Praise beside a clearly named problem, a problem word or a request is sarcasm or a
            # new complaint; hearty praise ("keren, cepat tanggap") of a service is praise.
            calm = not (found.get("problem") or found.get("marker_strong") or found.get("request"))
            plain = praise and calm and (praise >= 2 or not clear_evidence)
            if not still and (found.get("resolved") or not described or plain):
                return False, "praise"
        if found.get("inquiry") or found.get("community"):
            aggrieved = found.get("grievance", 0) or self._has_distress_emoji(text)
            if found.get("inquiry") and not aggrieved:
                return False, "information request"
            if found.get("community") and not aggrieved and not found.get("request"):
                return False, "community or charity"
        if has_problem:
            return True, f"complaint: {category}"
        if problem_named:
            return True, "complaint: problem reported"
        addressed = mention.channel in _ADDRESSED_CHANNELS or any(self._accounts.owns(h) for h in mention.mentions)
        if found.get("marker_strong") and (found.get("problem") or found.get("first_person") or addressed):
            return True, "complaint: request for action"
        if found.get("problem") and (found.get("marker_weak") or addressed or "?" in text or found.get("marker_strong")):
            return True, "complaint: problem reported"
        if (mention.reply_to or mention.quote_of) and self._backs_answered_message(text, found):
            return True, "complaint: backs the message it answers"
        return False, "no problem described"

    def _backs_answered_message(self, text: str, found: Mapping[str, int]) -> bool:
        """Anything but silence backs it: praise, staff replies and adverts were ruled out before."""
        backing = ("support", "persisting", "marker_strong", "marker_weak", "problem", "first_person", "request", "grievance")
        if any(found.get(signal) for signal in backing):
            return True
        return self._has_backing_mark(text)

    def _official_author(self, author: Author) -> bool:
        key = (author.id, author.handle, author.name)
        known = self._official_authors.get(key)
        if known is None:
            known = self._official_authors.remember(key, self._looks_official(author))
        return known

    def _looks_official(self, author: Author) -> bool:
        if any(self._accounts.owns(value) for value in (author.handle, author.id)):
            return True
        handle = (author.handle or "").lower()
        if "@" not in handle and self._in_handle(handle):
            return True
        name = author.name or ""
        pieces = {piece.lower() for piece in _NAME_PIECES.findall(name)}
        if pieces & self._name_words:
            return True
        lowered = name.lower()
        return any(phrase in lowered for phrase in self._name_phrases)

    def _outlet_author(self, author: Author) -> bool:
        """A news outlet's account, by its handle or name."""
        if self._outlet_pattern is None:
            return False
        key = (author.handle, author.name)
        known = self._outlet_authors.get(key)
        if known is None:
            name = f"{author.handle or ''}{author.name or ''}".lower().replace(" ", "")
            known = self._outlet_authors.remember(key, self._outlet_pattern.search(name) is not None)
        return known

    def _spam(self, mention: Mention, found: Mapping[str, int]) -> bool:
        strong = found.get("spam_strong", 0)
        if strong:
            return True
        text = mention.text
        emoji = sum(1 for e in self._spam_emoji if e in text) if self._has_spam_emoji(text) else 0
        weak = found.get("spam_weak", 0) + emoji
        if not weak or (found.get("first_person") and weak < 3):
            return False
        links = len(mention.urls) or mention.text.count("http")
        return weak >= 2 or links >= 2

    def _news(self, mention: Mention, found: Mapping[str, int]) -> bool:
        """A publisher's item: a known outlet, or two of headline wording, headline case, dateline, publisher name.

        A request to the city is never news; first-person words are ("baca di situs kami") only
        when the other evidence is plentiful.
        """
        outlet = self._outlet_pattern
        if self._outlet_author(mention.author):
            return True
        if found.get("request") or mention.channel in _REPORT_CHANNELS:
            return False
        text = mention.text
        needed = 3 if found.get("first_person") else 2
        score = found.get("headline", 0) + found.get("reporting", 0) + found.get("area_report", 0)
        if _has_headline_tag(text):
            score += 2
        if _has_dateline(text):
            score += 2
        if self._publisher(mention):
            score += 1
        # Headline case adds one, a link to an outlet one more from two on: decided without them
        # when they cannot change the answer (most messages, and the case test costs most).
        if score >= needed:
            return True
        if score == 0:
            return False
        if _headline_case(_headline_line(mention)):
            score += 1
        if score >= 2 and outlet is not None and any(outlet.search(urlsplit(url).netloc.lower()) for url in mention.urls):
            score += 1
        return score >= needed

    def _publisher(self, mention: Mention) -> bool:
        """Handle, name or feed address reads like a publisher's ("kabarjakarta_id", "Metro 24 News")."""
        author = mention.author
        names = [author.handle or "", author.name or ""]
        if mention.channel == "rss" and mention.permalink:
            names.append(urlsplit(mention.permalink).netloc)
        for name in names:
            known = self._publisher_names.get(name)
            if known is None:
                known = self._publisher_names.remember(name, self._publisher_name(name))
            if known:
                return True
        return False

    def _publisher_name(self, name: str) -> bool:
        lowered = name.lower()
        if not lowered or "@" in lowered:
            return False
        if self._in_publisher_name(lowered):
            return True
        return bool(self._publisher_pieces.intersection(p.lower() for p in _NAME_PIECES.findall(name.replace("_", " "))))


def _substring_finder(words: Iterable[str]) -> Callable[[str], bool]:
    """Whether a text holds any of ``words``, in one scan (an alternation of the words, longest first)."""
    words = sorted(set(words), key=len, reverse=True)
    if not words:
        return lambda text: False
    if "" in words:
        return lambda text: True
    search = re.compile("|".join(map(re.escape, words))).search
    return lambda text: search(text) is not None


def _finder(needles: Iterable[str]) -> Callable[[str], bool]:
    """Whether any of ``needles`` occurs in a text, in one scan."""
    needles = tuple(needles)
    if "" in needles:
        return lambda text: True
    if not needles:
        return lambda text: False
    search = re.compile("|".join(map(re.escape, needles))).search
    if not any(needle.isascii() for needle in needles):
        # Emoji sets: a text of plain ASCII (most messages) holds none of them, no scan needed.
        return lambda text: not text.isascii() and search(text) is not None
    return lambda text: search(text) is not None


_RETWEET = re.compile(r"RT @(\w{1,30}):")


def _retweeted(text: str) -> Author | None:
    """The author of the post a retweet passes on ("RT @BPBDJakarta: ..."), as X writes retweets."""
    match = _RETWEET.match(text)
    return Author(None, match.group(1), None) if match else None


def _has_headline_tag(text: str) -> bool:
    """``_HEADLINE_TAG`` found: without a "[" only its "breaking" at the very start can match."""
    return (_HEADLINE_TAG.search(text) if "[" in text else _HEADLINE_TAG.match(text)) is not None


def _has_dateline(text: str) -> bool:
    """``_DATELINE`` found: it needs a dash, which most messages lack (a search tries every position)."""
    return ("-" in text or "\u2013" in text or "\u2014" in text) and _DATELINE.search(text) is not None


def _headline_line(mention: Mention) -> str:
    """The line a headline would be: a title standing (nearly) alone, else the first sentence.

    Residents title their posts on report sites in Title Case too, so a title over a body of
    its own is not taken for a headline.
    """
    title, text = (mention.title or "").strip(), mention.text
    if title:
        return title if len(text) - len(title) < _HEADLINE_BODY_ALLOWANCE else ""
    return _first_sentence(text)


def _first_sentence(text: str) -> str:
    """Up to a line break, a link or a sentence end (not the dot of "Jl." or "Kel.")."""
    end = _SENTENCE_END.search(text)
    return text[: end.start()] if end else text


def _headline_case(line: str) -> bool:
    """Most content words capitalised, as headlines are and residents' messages are not (ALL CAPS is shouting)."""
    words = [w for w in _WORD.findall(line) if w.lower() not in _HEADLINE_SMALL_WORDS]
    if len(words) < 4:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    shouting = sum(1 for w in words if len(w) > 1 and w.isupper())
    return capitalised >= 0.8 * len(words) and shouting < 0.6 * len(words)

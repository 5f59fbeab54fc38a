"""A small evaluator of X search queries, enough for the queries a city configures.

Supported (case-insensitive, as on X):
- bare words (``banjir``) match a whole word of the text; ``#`` and ``@`` are word boundaries, so
  ``banjir`` also matches ``#banjir``; ``"exact phrase"`` matches consecutive words;
- ``@user`` matches tweets mentioning the user (``entities.mentions`` or ``@user`` in the text);
- ``#tag`` matches a hashtag (``entities.hashtags`` or ``#tag`` in the text);
- ``from:user``, ``to:user`` (reply to the user), ``lang:xx``, ``conversation_id:ID``;
- ``is:retweet``, ``is:reply``, ``is:quote``, ``has:geo``, ``has:media``, ``has:links``,
  ``has:hashtags``, ``has:mentions``;
- ``-`` before any of these negates it; terms side by side are ANDed; ``OR`` (upper case) binds
  looser than AND; parentheses group.

Anything else with a colon (``place:``, ``url:``...) is rejected with :class:`QueryError`, so a
test never passes on an operator the stand-in silently ignores.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_QUERY_LENGTH = 512  # recent search on the Basic access level

TOKEN = re.compile(r'\s*(?:(\()|(\))|(-?"[^"]*")|([^\s()"]+))')
WORD = re.compile(r"\w+", re.UNICODE)


class QueryError(ValueError):
    """The query cannot be evaluated; the message says where."""


@dataclass(frozen=True, slots=True)
class TweetView:
    """What a query can look at in one tweet, prepared once."""

    words: tuple[str, ...]
    hashtags: frozenset[str]
    mentions: frozenset[str]
    author: str  # username, lower case ("" when unknown)
    reply_to: str  # username replied to, lower case
    reference_types: frozenset[str]
    lang: str
    conversation_id: str
    has_geo: bool
    has_media: bool
    has_links: bool

    @classmethod
    def of(cls, tweet: dict, usernames_by_id: dict[str, str]) -> TweetView:
        text = str(tweet.get("text") or "")
        entities = tweet.get("entities") if isinstance(tweet.get("entities"), dict) else {}
        hashtags = {str(h.get("tag", "")).casefold() for h in _dicts(entities.get("hashtags"))}
        hashtags |= {tag.casefold() for tag in re.findall(r"#(\w+)", text)}
        mentions = {str(m.get("username", "")).casefold() for m in _dicts(entities.get("mentions"))}
        mentions |= {name.casefold() for name in re.findall(r"@(\w+)", text)}
        references = {str(r.get("type")) for r in _dicts(tweet.get("referenced_tweets"))}
        attachments = tweet.get("attachments") if isinstance(tweet.get("attachments"), dict) else {}
        return cls(
            words=tuple(word.casefold() for word in WORD.findall(text)),
            hashtags=frozenset(hashtags - {""}),
            mentions=frozenset(mentions - {""}),
            author=usernames_by_id.get(str(tweet.get("author_id")), "").casefold(),
            reply_to=usernames_by_id.get(str(tweet.get("in_reply_to_user_id")), "").casefold(),
            reference_types=frozenset(references),
            lang=str(tweet.get("lang") or "").casefold(),
            conversation_id=str(tweet.get("conversation_id") or tweet.get("id") or ""),
            has_geo=bool(tweet.get("geo")),
            has_media=bool(attachments.get("media_keys")),
            has_links=bool(_dicts(entities.get("urls"))) or "http" in text,
        )


Predicate = Callable[[TweetView], bool]


def compile_query(query: str) -> Predicate:
    """Parse ``query`` once; the returned predicate says whether a tweet matches."""
    if not query.strip():
        raise QueryError("the query is empty")
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is {len(query)} characters long; at most {MAX_QUERY_LENGTH} are allowed")
    tokens = _tokenize(query)
    parser = _Parser(tokens)
    predicate = parser.parse_or()
    if parser.position != len(tokens):
        raise QueryError(f"unexpected {tokens[parser.position]!r} in the query")
    return predicate


def _tokenize(query: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    while position < len(query):
        if query[position:].strip() == "":
            break
        match = TOKEN.match(query, position)
        if match is None:
            raise QueryError(f"unbalanced quote at character {position + 1}")
        tokens.append(next(group for group in match.groups() if group is not None))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def parse_or(self) -> Predicate:
        alternatives = [self.parse_and()]
        while self._peek() == "OR":
            self.position += 1
            alternatives.append(self.parse_and())
        if len(alternatives) == 1:
            return alternatives[0]
        return lambda view: any(alternative(view) for alternative in alternatives)

    def parse_and(self) -> Predicate:
        parts: list[Predicate] = []
        while (token := self._peek()) is not None and token not in (")", "OR"):
            parts.append(self.parse_unary())
        if not parts:
            raise QueryError("an empty group or a dangling OR in the query")
        if len(parts) == 1:
            return parts[0]
        return lambda view: all(part(view) for part in parts)

    def parse_unary(self) -> Predicate:
        token = self.tokens[self.position]
        if token == "(":
            self.position += 1
            inner = self.parse_or()
            if self._peek() != ")":
                raise QueryError("a parenthesis is not closed")
            self.position += 1
            return inner
        self.position += 1
        if token.startswith("-") and len(token) > 1:
            positive = _atom(token[1:])
            return lambda view: not positive(view)
        return _atom(token)


def _atom(token: str) -> Predicate:
    if token.startswith('"'):
        phrase = tuple(word.casefold() for word in WORD.findall(token.strip('"')))
        if not phrase:
            raise QueryError("an empty quoted phrase")
        return lambda view: _contains_run(view.words, phrase)
    if token.startswith("@") and len(token) > 1:
        name = token[1:].casefold()
        return lambda view: name in view.mentions
    if token.startswith("#") and len(token) > 1:
        tag = token[1:].casefold()
        return lambda view: tag in view.hashtags
    if ":" in token:
        return _operator(*token.split(":", 1))
    words = tuple(word.casefold() for word in WORD.findall(token))
    if not words:
        raise QueryError(f"{token!r} holds no word to search for")
    return lambda view: _contains_run(view.words, words)


def _operator(name: str, value: str) -> Predicate:
    value = value.casefold()
    if not value:
        raise QueryError(f"{name}: needs a value")
    match name.casefold():
        case "from":
            return lambda view: view.author == value.lstrip("@")
        case "to":
            return lambda view: view.reply_to == value.lstrip("@")
        case "lang":
            return lambda view: view.lang == value
        case "conversation_id":
            return lambda view: view.conversation_id == value
        case "is":
            kinds = {"retweet": "retweeted", "reply": "replied_to", "quote": "quoted"}
            if value not in kinds:
                raise QueryError(f"is:{value} is not supported (is:retweet, is:reply, is:quote)")
            kind = kinds[value]
            return lambda view: kind in view.reference_types
        case "has":
            checks: dict[str, Predicate] = {
                "geo": lambda view: view.has_geo,
                "media": lambda view: view.has_media,
                "links": lambda view: view.has_links,
                "hashtags": lambda view: bool(view.hashtags),
                "mentions": lambda view: bool(view.mentions),
            }
            if value not in checks:
                raise QueryError(f"has:{value} is not supported ({', '.join('has:' + c for c in checks)})")
            return checks[value]
    raise QueryError(f"the operator {name}: is not supported by this server")


def _contains_run(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    if len(run) == 1:
        return run[0] in words
    width = len(run)
    return any(words[start:start + width] == run for start in range(len(words) - width + 1))


def _dicts(value: object) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []

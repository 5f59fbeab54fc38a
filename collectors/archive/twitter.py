"""X (Twitter) archives: twarc2 JSONL (API pages or flattened tweets) and single API v2 responses.

Every tweet in a page's ``data`` becomes one RawItem whose payload is ``{"data": tweet,
"includes": {...}}`` holding only the users, tweets, media and places that tweet refers to, so
it can be normalized (and replayed) on its own. Tweets that appear only in ``includes.tweets``
(the originals of retweets, quoted tweets) are context, not items of their own.

A page with no tweets (``{"errors": [...]}`` without ``data``, or an empty result page) yields
nothing: it holds no message that could be lost. A line that is not JSON, or JSON of no known
shape, yields an UNREADABLE item so it is quarantined rather than dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from collectors.archive.json_sniff import (
    has_any_key,
    has_key,
    looks_like_json_feed,
    significant_head,
    starts_like_json,
)
from collectors.content_types import TWEET, UNREADABLE
from collectors.types import RawItem, fallback_external_id

CHANNEL = "twitter"

# Keys only X API v2 tweet objects (or twarc's provenance) carry.
TWEET_SIGNATURE_KEYS = (
    "edit_history_tweet_ids",
    "__twarc",
    "conversation_id",
    "referenced_tweets",
    "author_id",
    "reply_settings",
    "possibly_sensitive",
)
# Keys of other channels' JSON that a tweet never has at the top of an object.
FOREIGN_KEYS = ("service_request_id", "post_id", "instaloader", "node_type")

# A file whose first line is not JSON is tried as one (pretty-printed) document up to this size.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
# A twarc2 line is a page of up to a hundred tweets (tens of kilobytes): read in large blocks, not
# in the default 8 KiB that a line spans several of.
READ_BUFFER_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class DecodedTweet(RawItem):
    """A tweet's RawItem that also holds its payload as the object it was encoded from.

    The reader has that object in hand; the parser would otherwise decode the bytes just
    encoded. In memory only: ``payload`` is what is stored, and ``document`` equals
    ``orjson.loads(payload)``. It shares objects with its page (a user with every tweet of
    theirs), so it is read, never changed.
    """

    document: dict = field(compare=False, repr=False)


class PageIncludes:
    """A page's ``includes`` indexed once, so each tweet picks its own context in O(references)."""

    __slots__ = ("users_by_id", "users_by_username", "tweets_by_id", "media_by_key", "places_by_id")

    def __init__(self, includes: Any) -> None:
        includes = includes if isinstance(includes, dict) else {}
        users = _dicts(includes.get("users"))
        self.users_by_id = {user.get("id"): user for user in users}
        self.users_by_username = {str(user.get("username", "")).lower(): user for user in users}
        self.tweets_by_id = {tweet.get("id"): tweet for tweet in _dicts(includes.get("tweets"))}
        self.media_by_key = {media.get("media_key"): media for media in _dicts(includes.get("media"))}
        self.places_by_id = {place.get("id"): place for place in _dicts(includes.get("places"))}

    def for_tweet(self, tweet: dict) -> dict[str, list[dict]]:
        """The includes one tweet refers to: author, replied-to and mentioned users, referenced
        tweets with their authors and media, its media and its place.

        Written flat (no nested functions per call): it runs once per tweet of a million-tweet archive.
        """
        get = tweet.get
        users_by_id = self.users_by_id
        users: dict[Any, dict] = {}
        picked: dict[str, list[dict]] = {}

        author_id = get("author_id")
        if author_id is not None and (user := users_by_id.get(author_id)) is not None:
            users[author_id] = user
        reply_user_id = get("in_reply_to_user_id")
        if reply_user_id is not None and (user := users_by_id.get(reply_user_id)) is not None:
            users[reply_user_id] = user
        entities = get("entities")
        if entities and (mentioned := entities.get("mentions")):
            by_username = self.users_by_username
            for mention in mentioned:
                user = users_by_id.get(mention.get("id")) or by_username.get(str(mention.get("username", "")).lower())
                if user is not None:
                    users[user.get("id")] = user

        media_keys = list((get("attachments") or {}).get("media_keys") or ())
        references = get("referenced_tweets")
        if references:
            tweets_by_id = self.tweets_by_id
            tweets = []
            for reference in references:
                referenced = tweets_by_id.get(reference.get("id"))
                if referenced is not None:
                    tweets.append(referenced)
                    referenced_author = referenced.get("author_id")
                    if referenced_author is not None and (user := users_by_id.get(referenced_author)) is not None:
                        users[referenced_author] = user
                    media_keys.extend((referenced.get("attachments") or {}).get("media_keys") or ())
            if tweets:
                picked["tweets"] = tweets
        if users:
            picked["users"] = list(users.values())
        if media_keys:
            media_by_key = self.media_by_key
            media = [media_by_key[key] for key in dict.fromkeys(media_keys) if key in media_by_key]
            if media:
                picked["media"] = media
        geo = get("geo")
        if geo and (place_id := geo.get("place_id")) is not None and (place := self.places_by_id.get(place_id)):
            picked["places"] = [place]
        return picked


def _dicts(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def split_response_page(page: dict) -> Iterator[tuple[str | None, bytes]]:
    """(tweet id, payload) for each tweet in an X API v2 response page's ``data``.

    Shared with the live collector, which receives the same pages. A ``data`` entry that is not
    an object gives ``(None, its JSON)``: the caller stores it as unreadable.
    """
    for tweet_id, payload, _ in split_response_documents(page):
        yield tweet_id, payload


def split_response_documents(page: dict) -> Iterator[tuple[str | None, bytes, dict | None]]:
    """``split_response_page`` with each payload's object beside it (None for an unreadable entry)."""
    data = page.get("data")
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        return
    includes = page.get("includes")
    index = PageIncludes(includes) if includes else None
    for tweet in data:
        if not isinstance(tweet, dict):
            yield None, orjson.dumps(tweet), None
            continue
        picked: dict = {}
        if index is not None:
            try:
                picked = index.for_tweet(tweet)
            except (AttributeError, TypeError):  # a malformed reference: keep the tweet, lose context
                picked = {}
        tweet_id = tweet.get("id")
        document = {"data": tweet, "includes": picked}
        yield (str(tweet_id) if tweet_id is not None else None), orjson.dumps(document), document


def unflatten_tweet(tweet: dict) -> dict:
    """A twarc2-flattened tweet as ``{"data": tweet, "includes": {...}}``.

    twarc's ``flatten`` inlines expansions (``author``, ``in_reply_to_user``, full objects in
    ``referenced_tweets`` and ``entities.mentions``, ``attachments.media``, the place merged into
    ``geo``). Collecting them back into ``includes`` lets one parser read both shapes; the tweet
    itself is kept as it was.
    """
    users: dict[Any, dict] = {}
    tweets: list[dict] = []
    media: list[dict] = []
    places: list[dict] = []

    def add_user(user: Any) -> None:
        if isinstance(user, dict) and user.get("id") is not None and user["id"] not in users:
            users[user["id"]] = user

    def add_media(owner: dict) -> None:
        attachments = owner.get("attachments")
        if isinstance(attachments, dict):
            media.extend(item for item in _dicts(attachments.get("media")) if item not in media)

    add_user(tweet.get("author"))
    add_user(tweet.get("in_reply_to_user"))
    entities = tweet.get("entities")
    if isinstance(entities, dict):
        for mention in _dicts(entities.get("mentions")):
            if "id" in mention:
                add_user({key: value for key, value in mention.items() if key not in ("start", "end")})
    for reference in _dicts(tweet.get("referenced_tweets")):
        if "text" in reference:
            referenced = {key: value for key, value in reference.items() if key != "type"}
            tweets.append(referenced)
            add_user(referenced.get("author"))
            add_media(referenced)
    add_media(tweet)
    geo = tweet.get("geo")
    if isinstance(geo, dict) and "place_id" in geo and len(geo.keys() - {"place_id", "coordinates"}) > 0:
        place = {key: value for key, value in geo.items() if key not in ("place_id", "coordinates")}
        place["id"] = geo["place_id"]
        places.append(place)

    includes: dict[str, list[dict]] = {}
    if users:
        includes["users"] = list(users.values())
    if tweets:
        includes["tweets"] = tweets
    if media:
        includes["media"] = media
    if places:
        includes["places"] = places
    return {"data": tweet, "includes": includes}


def twarc_retrieved_at(document: dict) -> datetime | None:
    """When twarc fetched this page (``__twarc.retrieved_at``), as UTC; None when absent or bad."""
    provenance = document.get("__twarc")
    if not isinstance(provenance, dict):
        return None
    stamp = provenance.get("retrieved_at")
    if not isinstance(stamp, str):
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class XArchiveReader:
    """twarc2 JSONL (pages or flattened tweets, one a line) or one API response per file."""

    channel = CHANNEL
    name = "x-api-v2"

    def sniff(self, path: Path, head: bytes) -> bool:
        if not starts_like_json(head) or path.name.endswith("_comments.json"):
            return False
        if has_any_key(head, FOREIGN_KEYS) or looks_like_json_feed(head):
            return False
        if has_any_key(head, TWEET_SIGNATURE_KEYS):
            return True
        # A minimal page, as the API returns with default fields: {"data": [{"id", "text"}]}.
        return has_key(head, "data") and has_key(head, "id") and has_key(head, "text")

    def read(self, path: Path, source: str) -> Iterator[RawItem]:
        now = datetime.now(UTC)
        origin = str(path)
        with open(path, "rb", buffering=READ_BUFFER_BYTES) as archive:
            first_line = archive.readline()
            if not _parses(first_line) and os.fstat(archive.fileno()).st_size <= MAX_DOCUMENT_BYTES:
                archive.seek(0)
                whole = archive.read()
                try:
                    document = orjson.loads(significant_head(whole) or b"null")
                except orjson.JSONDecodeError:
                    pass
                else:
                    yield from self._items(document, source, origin, now, allow_list=True)
                    return
            archive.seek(0)
            for line_number, line in enumerate(archive, start=1):
                line = significant_head(line).rstrip() if line_number == 1 else line.strip()
                if not line:
                    continue
                line_origin = f"{origin}#line={line_number}"
                try:
                    document = orjson.loads(line)
                except orjson.JSONDecodeError:
                    yield _unreadable(line, source, line_origin, now)
                    continue
                yield from self._items(document, source, line_origin, now, allow_list=False, line=line)

    def _items(
        self,
        document: Any,
        source: str,
        origin: str,
        now: datetime,
        *,
        allow_list: bool,
        line: bytes | None = None,
    ) -> Iterator[RawItem]:
        if isinstance(document, list) and allow_list:
            for number, element in enumerate(document, start=1):
                yield from self._items(element, source, f"{origin}#item={number}", now, allow_list=False)
            return
        if not isinstance(document, dict):
            yield _unreadable(line if line is not None else orjson.dumps(document), source, origin, now)
            return
        fetched_at = twarc_retrieved_at(document) or now
        if "data" in document:
            for tweet_id, payload, tweet_document in split_response_documents(document):
                if tweet_id is None:
                    yield _unreadable(payload, source, origin, fetched_at)
                else:
                    yield DecodedTweet(CHANNEL, source, tweet_id, payload, TWEET, fetched_at, origin, tweet_document)
        elif "id" in document and ("text" in document or "author_id" in document):
            tweet_document = unflatten_tweet(document)
            payload = orjson.dumps(tweet_document)
            yield DecodedTweet(CHANNEL, source, str(document["id"]), payload, TWEET, fetched_at, origin, tweet_document)
        elif "errors" in document or "meta" in document or "includes" in document:
            return  # an error page or an empty result page: it carries no tweet
        else:
            yield _unreadable(line if line is not None else orjson.dumps(document), source, origin, now)


def _parses(line: bytes) -> bool:
    line = significant_head(line).rstrip()
    if not line:
        return False
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def _unreadable(payload: bytes, source: str, origin: str, fetched_at: datetime) -> RawItem:
    return RawItem(CHANNEL, source, fallback_external_id(payload), payload, UNREADABLE, fetched_at, origin)


READERS = [XArchiveReader()]

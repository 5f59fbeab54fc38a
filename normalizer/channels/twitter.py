"""X tweets (``{"data": tweet, "includes": {...}}``) as Mentions.

A retweet's own text is ``RT @user: ...`` cut at 140 characters, so its text, entities, media,
language and place come from the retweeted tweet when ``includes`` has it. Long posts keep their
full text in ``note_tweet``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from collectors.archive.twitter import DecodedTweet
from collectors.content_types import TWEET
from collectors.types import RawItem
from normalizer.channels.geopoint import bbox_centre, bbox_is_area, geo_point
from normalizer.channels.message_text import clean_text, hashtags_in, mentions_in, unique, urls_in
from normalizer.channels.timeparse import parse_timestamp
from normalizer.types import GEO_AREA, Author, GeoPoint, Mention, NormalizeError

CHANNEL = "twitter"
SNOWFLAKE_EPOCH_MS = 1288834974657  # X ids since Nov 2010 carry their creation time
SNOWFLAKE_MIN_ID = 1 << 32  # older (sequential) ids do not
REFERENCE_FIELDS = {"replied_to": "reply_to", "quoted": "quote_of", "retweeted": "repost_of"}


def parse_tweet(raw: RawItem) -> Mention:
    if type(raw) is DecodedTweet:  # read from an archive just now: the payload's object is at hand
        document = raw.document
    else:
        try:
            document = orjson.loads(raw.payload)
        except orjson.JSONDecodeError as exc:
            raise NormalizeError(f"tweet payload is not JSON: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        raise NormalizeError('tweet payload has no "data" object')
    tweet: dict = document["data"]
    includes = document.get("includes") if isinstance(document.get("includes"), dict) else {}

    tweet_id = tweet.get("id")
    if tweet_id in (None, ""):
        raise NormalizeError("tweet has no id")
    tweet_id = str(tweet_id)

    references = _references(tweet) if "referenced_tweets" in tweet else {}
    original = _by_id(includes.get("tweets"), "id", references["repost_of"]) if "repost_of" in references else None
    content = original if original is not None else tweet  # where the words, links and media are

    text = clean_text(_full_text(content), unescape_html=True)
    if not text:
        raise NormalizeError(f"tweet {tweet_id} has no text")

    author_user = _by_id(includes.get("users"), "id", tweet.get("author_id")) or {}
    author = Author(
        id=_str_or_none(tweet.get("author_id") or author_user.get("id")),
        handle=author_user.get("username"),
        name=author_user.get("name"),
    )
    permalink = f"https://x.com/{author.handle or 'i'}/status/{tweet_id}"
    geo, geo_is_area = _geo(tweet, includes)
    if geo is None and original is not None:
        geo, geo_is_area = _geo(original, includes)

    hashtags, mentions, urls = _entities(content, text)
    return Mention(
        channel=CHANNEL,
        external_id=tweet_id,
        source=raw.source,
        created_at=_created_at(tweet, tweet_id),
        text=text,
        author=author,
        permalink=permalink,
        lang=_lang(content.get("lang")),
        hashtags=hashtags,
        mentions=mentions,
        urls=urls,
        media=_media_urls(content, includes),
        reply_to=references.get("reply_to"),
        quote_of=references.get("quote_of"),
        repost_of=references.get("repost_of"),
        geo=geo,
        place_tag=_place_name(tweet, includes) or (_place_name(original, includes) if original is not None else None),
        flags=frozenset({GEO_AREA}) if geo_is_area else frozenset(),
    )


def _dicts(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _by_id(objects: Any, key: str, wanted: Any) -> dict | None:
    """The included object whose ``key`` is ``wanted`` (includes are short: a scan beats a dict)."""
    if wanted is None or not isinstance(objects, list):
        return None
    for item in objects:
        if isinstance(item, dict) and item.get(key) == wanted:
            return item
    return None


def _str_or_none(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _references(tweet: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    for reference in _dicts(tweet.get("referenced_tweets")):
        field = REFERENCE_FIELDS.get(reference.get("type"))
        if field and reference.get("id") is not None and field not in found:
            found[field] = str(reference["id"])
    return found


def _full_text(tweet: dict) -> str:
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and isinstance(note.get("text"), str) and note["text"].strip():
        return note["text"]
    text = tweet.get("text")
    return text if isinstance(text, str) else ""


def _created_at(tweet: dict, tweet_id: str) -> datetime:
    """``created_at`` when given; otherwise the time inside a snowflake id (pages fetched with
    default fields carry only id and text)."""
    stamp = tweet.get("created_at")
    if stamp not in (None, ""):
        try:
            return parse_timestamp(stamp, naive_zone=UTC)
        except ValueError as exc:
            raise NormalizeError(f"tweet {tweet_id}: invalid created_at: {exc}") from None
    if tweet_id.isdigit() and int(tweet_id) >= SNOWFLAKE_MIN_ID:
        return datetime.fromtimestamp(((int(tweet_id) >> 22) + SNOWFLAKE_EPOCH_MS) / 1000.0, UTC)
    raise NormalizeError(f"tweet {tweet_id} has no created_at and its id carries no time")


def _entities(tweet: dict, text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Hashtags, mentions and expanded links from X's entities, or from the text without them."""
    entities = tweet.get("entities")
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and isinstance(note.get("entities"), dict):
        entities = note["entities"]
    if not isinstance(entities, dict):
        return hashtags_in(text), mentions_in(text), urls_in(text)
    hashtags = unique((str(item.get("tag", "")) for item in _dicts(entities.get("hashtags"))), casefold=True)
    mentions = unique((str(item.get("username", "")) for item in _dicts(entities.get("mentions"))), casefold=True)
    urls = unique(
        str(item.get("expanded_url") or item.get("url") or "")
        for item in _dicts(entities.get("urls"))
        if "media_key" not in item  # the link X appends to a photo is not the citizen's link
    )
    return hashtags, mentions, urls


def _media_urls(tweet: dict, includes: dict) -> tuple[str, ...]:
    attachments = tweet.get("attachments")
    keys = attachments.get("media_keys") if isinstance(attachments, dict) else None
    if not keys:
        return ()
    by_key = {item.get("media_key"): item for item in _dicts(includes.get("media"))}
    found = []
    for key in keys:
        item = by_key.get(key)
        if item is not None:
            found.append(str(item.get("url") or item.get("preview_image_url") or ""))
    return unique(found)


def _geo(tweet: dict, includes: dict) -> tuple[GeoPoint | None, bool]:
    """The exact point a tweet carries ([lon, lat] GeoJSON), else the centre of its place; True
    when that centre stands for an area (X tags most tweets with a whole city), not a spot."""
    geo = tweet.get("geo")
    if not isinstance(geo, dict):
        return None, False
    coordinates = geo.get("coordinates")
    if isinstance(coordinates, dict):
        pair = coordinates.get("coordinates")
        if isinstance(pair, list) and len(pair) == 2:
            point = geo_point(pair[1], pair[0])
            if point is not None:
                return point, False
    place_id = geo.get("place_id")
    for place in _dicts(includes.get("places")):
        if place.get("id") == place_id:
            place_geo = place.get("geo")
            if isinstance(place_geo, dict):
                centre = bbox_centre(place_geo.get("bbox"))
                return centre, centre is not None and bbox_is_area(place_geo.get("bbox"))
    return None, False


def _place_name(tweet: dict, includes: dict) -> str | None:
    """The name of the place a tweet is tagged with ("Kebayoran Baru, Indonesia"): a neighbourhood
    names the area the text may leave out."""
    geo = tweet.get("geo")
    if not isinstance(geo, dict) or "place_id" not in geo:
        return None
    for place in _dicts(includes.get("places")):
        if place.get("id") == geo["place_id"]:
            name = place.get("full_name") or place.get("name")
            return name[:200] if isinstance(name, str) and name.strip() else None
    return None


def _lang(lang: Any) -> str | None:
    """X's language code; ``und``/``zxx``/``qme``-style codes mean X could not tell."""
    if not isinstance(lang, str) or not lang or lang in ("und", "zxx") or lang.startswith("q"):
        return None
    return lang


PARSERS = {TWEET: parse_tweet}

"""A local X API v2 server for the demo and the tests, speaking the wire format we rely on.

Endpoints: ``GET /2/tweets/search/recent``, ``GET /2/users/by/username/{username}`` and
``GET /2/users/{id}/mentions``, with bearer authentication, X's field and expansion parameters,
newest-first pages with ``meta`` and opaque pagination tokens, and X's JSON problem bodies for
errors. Queries are evaluated by :mod:`dengar.standins.x_query` (see there for what it supports).

The state holds the published tweets and the switches that make the server misbehave the way X
does: 429 with or without ``x-rate-limit-reset``, an HTML 503 from the edge, 401, 403, and tweets
indexed late (visible only from the Kth poll after publication, with ids older than tweets already
served). A *poll* is a first-page request (one without a pagination token) to a tweet timeline.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web

from collectors.archive.twitter import XArchiveReader, split_response_page
from collectors.content_types import TWEET
from collectors.live.snowflake import snowflake_at, snowflake_time
from dengar.standins.x_query import Predicate, QueryError, TweetView, compile_query

PROBLEMS = "https://api.twitter.com/2/problems/"
RATE_LIMIT = 450  # requests per 15-minute window for app-only recent search
RATE_WINDOW_SECONDS = 15 * 60
RECENT_WINDOW = timedelta(days=7)

TWEET_FIELDS = frozenset({
    "attachments", "author_id", "card_uri", "community_id", "context_annotations", "conversation_id",
    "created_at", "display_text_range", "edit_controls", "edit_history_tweet_ids", "entities", "geo", "id",
    "in_reply_to_user_id", "lang", "media_metadata", "non_public_metrics", "note_tweet", "organic_metrics",
    "possibly_sensitive", "promoted_metrics", "public_metrics", "referenced_tweets", "reply_settings", "scopes",
    "source", "text", "withheld",
})
USER_FIELDS = frozenset({
    "affiliation", "connection_status", "created_at", "description", "entities", "id", "is_identity_verified",
    "location", "most_recent_tweet_id", "name", "parody", "pinned_tweet_id", "profile_banner_url",
    "profile_image_url", "protected", "public_metrics", "receives_your_dm", "subscription", "subscription_type",
    "url", "username", "verified", "verified_followers_count", "verified_type", "withheld",
})
PLACE_FIELDS = frozenset({"contained_within", "country", "country_code", "full_name", "geo", "id", "name",
                          "place_type"})
MEDIA_FIELDS = frozenset({"alt_text", "duration_ms", "height", "media_key", "non_public_metrics", "organic_metrics",
                          "preview_image_url", "promoted_metrics", "public_metrics", "type", "url", "variants",
                          "width"})
EXPANSIONS = frozenset({
    "attachments.poll_ids", "attachments.media_keys", "author_id", "edit_history_tweet_ids",
    "entities.mentions.username", "geo.place_id", "in_reply_to_user_id", "entities.note.mentions.username",
    "referenced_tweets.id", "referenced_tweets.id.attachments.media_keys", "referenced_tweets.id.author_id",
})
DEFAULT_TWEET_FIELDS = ("id", "text", "edit_history_tweet_ids")
DEFAULT_USER_FIELDS = ("id", "name", "username")
DEFAULT_PLACE_FIELDS = ("id", "full_name")
DEFAULT_MEDIA_FIELDS = ("media_key", "type")
# The tweet field an expansion needs in order to be followed; X returns it when the expansion is asked.
EXPANSION_FIELDS = {
    "author_id": "author_id", "referenced_tweets.id": "referenced_tweets", "geo.place_id": "geo",
    "attachments.media_keys": "attachments", "in_reply_to_user_id": "in_reply_to_user_id",
}
FIELD_PARAMETERS = {"tweet.fields": TWEET_FIELDS, "user.fields": USER_FIELDS, "place.fields": PLACE_FIELDS,
                    "media.fields": MEDIA_FIELDS, "expansions": EXPANSIONS}
SEARCH_PARAMETERS = frozenset({"query", "since_id", "until_id", "start_time", "end_time", "max_results",
                               "next_token", "pagination_token", "sort_order", *FIELD_PARAMETERS})
MENTIONS_PARAMETERS = frozenset({"since_id", "until_id", "start_time", "end_time", "max_results",
                                 "pagination_token", *FIELD_PARAMETERS})
USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")
NUMERIC_ID = re.compile(r"^[0-9]{1,19}$")
TOKEN_PREFIX = "b26v89c19zqg8o3fo"


class Fault(Enum):
    """Ways the stand-in can answer instead of serving the request."""

    RATE_LIMITED = "rate_limited"  # 429 with x-rate-limit-reset
    RATE_LIMITED_NO_RESET = "rate_limited_no_reset"  # 429 without it (seen behind some gateways)
    HTML_503 = "html_503"  # the edge's "over capacity" page, not JSON
    UNAUTHORIZED = "unauthorized"  # 401: the token was revoked
    FORBIDDEN = "forbidden"  # 403: the app's access level lacks the endpoint


@dataclass
class _PendingFault:
    fault: Fault
    times: int
    after: int


@dataclass
class PublishedTweet:
    tweet: dict
    published_at_poll: int
    visible_from_poll: int  # 1: the first poll after publication sees it

    def visible(self, polls: int) -> bool:
        return polls - self.published_at_poll >= self.visible_from_poll


@dataclass(frozen=True)
class RequestRecord:
    path: str
    params: dict[str, str]


class BadParameter(Exception):
    def __init__(self, parameter: str, value: str, message: str) -> None:
        super().__init__(message)
        self.parameter, self.value, self.message = parameter, value, message


@dataclass
class XApiState:
    """The published tweets, users, places and media, plus the fault switches.

    ``recent_window``: how far back recent search reaches (None serves every published tweet, which
    the demo uses for bundled samples of any age).
    """

    bearer_tokens: set[str] = field(default_factory=lambda: {"demo-bearer-token"})
    recent_window: timedelta | None = RECENT_WINDOW
    rate_limit_reset_at: int | None = None  # epoch seconds sent in x-rate-limit-reset; None: now + 15 min
    tweets: dict[str, PublishedTweet] = field(default_factory=dict)
    context_tweets: dict[str, dict] = field(default_factory=dict)  # referenced originals, served in includes
    users: dict[str, dict] = field(default_factory=dict)
    places: dict[str, dict] = field(default_factory=dict)
    media: dict[str, dict] = field(default_factory=dict)
    polls: int = 0
    requests: deque[RequestRecord] = field(default_factory=lambda: deque(maxlen=1000))
    _faults: list[_PendingFault] = field(default_factory=list)
    _last_minted: int = 0

    # ---- fault switches -------------------------------------------------------------------------
    def fail(self, fault: Fault, times: int = 1, after: int = 0) -> None:
        """Answer ``times`` requests with ``fault``, once ``after`` more requests were served normally."""
        self._faults.append(_PendingFault(fault, times, after))

    def heal(self) -> None:
        self._faults.clear()

    def _take_fault(self) -> Fault | None:
        if not self._faults:
            return None
        head = self._faults[0]
        if head.after > 0:
            head.after -= 1
            return None
        head.times -= 1
        if head.times <= 0:
            self._faults.pop(0)
        return head.fault

    # ---- publishing -----------------------------------------------------------------------------
    def add_user(self, user: dict) -> dict:
        self.users[str(user["id"])] = user
        return user

    def user_by_username(self, username: str) -> dict | None:
        wanted = username.casefold()
        return next((u for u in self.users.values() if str(u.get("username", "")).casefold() == wanted), None)

    def ensure_user(self, username: str, name: str | None = None) -> dict:
        existing = self.user_by_username(username)
        if existing is not None:
            return existing
        user_id = str(1_000_000 + len(self.users))
        while user_id in self.users:
            user_id = str(int(user_id) + 1)
        return self.add_user({"id": user_id, "username": username, "name": name or username,
                              "created_at": "2015-01-01T00:00:00.000Z", "verified": False})

    def mint_id(self, created_at: datetime | None = None) -> str:
        """A fresh snowflake: increasing for "now", or of a past moment for a late-indexed tweet."""
        if created_at is None:
            minted = max(snowflake_at(datetime.now(UTC)), self._last_minted + 1)
            self._last_minted = minted
            return str(minted)
        minted = snowflake_at(created_at)
        while str(minted) in self.tweets or str(minted) in self.context_tweets:
            minted += 1
        return str(minted)

    def publish_document(self, document: dict, visible_from_poll: int = 1) -> None:
        """Publish ``{"data": tweet, "includes": {...}}`` (an archive item's payload)."""
        includes = document.get("includes") if isinstance(document.get("includes"), dict) else {}
        for user in _dicts(includes.get("users")):
            if user.get("id") is not None:
                self.users.setdefault(str(user["id"]), user)
        for place in _dicts(includes.get("places")):
            if place.get("id") is not None:
                self.places.setdefault(str(place["id"]), place)
        for item in _dicts(includes.get("media")):
            if item.get("media_key") is not None:
                self.media.setdefault(str(item["media_key"]), item)
        for tweet in _dicts(includes.get("tweets")):
            if tweet.get("id") is not None:
                self.context_tweets.setdefault(str(tweet["id"]), tweet)
        tweet = document.get("data")
        if isinstance(tweet, dict) and tweet.get("id") is not None:
            self.publish(tweet, visible_from_poll)

    def publish(self, tweet: dict, visible_from_poll: int = 1) -> dict:
        tweet.setdefault("edit_history_tweet_ids", [str(tweet["id"])])
        self.tweets[str(tweet["id"])] = PublishedTweet(tweet, self.polls, visible_from_poll)
        return tweet

    def publish_text(self, text: str, author: str, *, created_at: datetime | None = None,
                     visible_from_poll: int = 1, lang: str = "in", reply_to: dict | None = None,
                     retweet_of: dict | None = None, place: dict | None = None) -> dict:
        """Publish a tweet written now (or at ``created_at``, for late indexing) with entities parsed from the text."""
        author_user = self.ensure_user(author)
        tweet_id = self.mint_id(created_at)
        moment = created_at or snowflake_time(int(tweet_id)) or datetime.now(UTC)
        tweet: dict[str, Any] = {
            "id": tweet_id, "text": text, "author_id": author_user["id"], "lang": lang,
            "created_at": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z",
            "conversation_id": tweet_id, "edit_history_tweet_ids": [tweet_id], "possibly_sensitive": False,
            "reply_settings": "everyone",
            "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0,
                               "bookmark_count": 0, "impression_count": 0},
        }
        entities = self._entities(text)
        if entities:
            tweet["entities"] = entities
        if reply_to is not None:
            tweet["referenced_tweets"] = [{"type": "replied_to", "id": reply_to["id"]}]
            tweet["in_reply_to_user_id"] = reply_to.get("author_id")
            tweet["conversation_id"] = reply_to.get("conversation_id", reply_to["id"])
        if retweet_of is not None:
            tweet["referenced_tweets"] = [{"type": "retweeted", "id": retweet_of["id"]}]
        if place is not None:
            self.places[str(place["id"])] = place
            tweet["geo"] = {"place_id": place["id"]}
        return self.publish(tweet, visible_from_poll)

    def _entities(self, text: str) -> dict:
        entities: dict[str, list[dict]] = {}
        for match in re.finditer(r"#(\w+)", text):
            entities.setdefault("hashtags", []).append({"start": match.start(), "end": match.end(),
                                                        "tag": match.group(1)})
        for match in re.finditer(r"@(\w{1,15})", text):
            user = self.ensure_user(match.group(1))
            entities.setdefault("mentions", []).append({"start": match.start(), "end": match.end(),
                                                        "username": user["username"], "id": user["id"]})
        return entities

    # ---- loading --------------------------------------------------------------------------------
    def load_samples(self, path: Path) -> int:
        """Publish the tweets of twarc2 JSONL files (pages or flattened tweets) in ``path``; returns how many were read."""
        files = sorted(p for p in path.rglob("*") if p.suffix in (".jsonl", ".json")) if path.is_dir() else [path]
        reader = XArchiveReader()
        count = 0
        for archive in files:
            for item in reader.read(archive, "samples"):
                if item.content_type == TWEET:
                    self.publish_document(orjson.loads(item.payload))
                    count += 1
        return count

    def load_response(self, page: Any) -> int:
        """Publish the tweets of one X API v2 response body (users-only bodies add users); returns tweets added."""
        if not isinstance(page, dict):
            return 0
        data = page.get("data")
        entries = [data] if isinstance(data, dict) else _dicts(data)
        if entries and all("username" in entry and "text" not in entry for entry in entries):
            for user in entries:
                self.users.setdefault(str(user["id"]), user)
            return 0
        count = 0
        for _tweet_id, payload in split_response_page(page):
            document = orjson.loads(payload)
            if isinstance(document, dict) and isinstance(document.get("data"), dict):
                self.publish_document(document)
                count += 1
        return count

    # ---- reading --------------------------------------------------------------------------------
    def _usernames_by_id(self) -> dict[str, str]:
        return {user_id: str(user.get("username", "")) for user_id, user in self.users.items()}

    def timeline(self, predicate: Predicate, first_page: bool) -> list[dict]:
        """Visible published tweets matching ``predicate``, newest first; a first page counts as a poll."""
        if first_page:
            self.polls += 1
        names = self._usernames_by_id()
        matching = [published.tweet for published in self.tweets.values()
                    if published.visible(self.polls) and predicate(TweetView.of(published.tweet, names))]
        return sorted(matching, key=lambda tweet: int(tweet["id"]), reverse=True)


AppState = web.AppKey("x_api_state", XApiState)


def create_app(state: XApiState) -> web.Application:
    app = web.Application(middlewares=[_faults_and_auth])
    app[AppState] = state
    app.router.add_get("/2/tweets/search/recent", search_recent)
    app.router.add_get("/2/users/by/username/{username}", user_by_username)
    app.router.add_get("/2/users/{id}/mentions", user_mentions)
    return app


# ---- responses -----------------------------------------------------------------------------------

def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(body=orjson.dumps(body), status=status, headers=headers,
                        content_type="application/json", charset="utf-8")


def _rate_headers(state: XApiState, remaining: int) -> dict[str, str]:
    reset = state.rate_limit_reset_at if state.rate_limit_reset_at is not None else int(time.time()) + RATE_WINDOW_SECONDS
    return {"x-rate-limit-limit": str(RATE_LIMIT), "x-rate-limit-remaining": str(remaining),
            "x-rate-limit-reset": str(reset)}


def _fault_response(state: XApiState, fault: Fault) -> web.Response:
    if fault is Fault.RATE_LIMITED:
        return _json({"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank",
                      "status": 429}, 429, _rate_headers(state, 0))
    if fault is Fault.RATE_LIMITED_NO_RESET:
        return _json({"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank",
                      "status": 429}, 429)
    if fault is Fault.HTML_503:
        return web.Response(status=503, content_type="text/html", charset="utf-8",
                            text="<!DOCTYPE html><html><head><title>Twitter / Over capacity</title></head>"
                                 "<body><h1>Twitter is over capacity.</h1><p>Please wait a moment and try again."
                                 "</p></body></html>")
    if fault is Fault.UNAUTHORIZED:
        return _unauthorized()
    return _json({
        "client_id": "28000000", "title": "Client Forbidden", "required_enrollment": "Appropriate Level of API Access",
        "reason": "client-not-enrolled", "registration_url": "https://developer.twitter.com/en/portal/product",
        "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens "
                  "from a Twitter developer App that is attached to a Project. You can create a project via "
                  "the developer portal.",
        "type": f"{PROBLEMS}client-forbidden"}, 403)


def _unauthorized() -> web.Response:
    return _json({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}, 401)


@web.middleware
async def _faults_and_auth(request: web.Request, handler: Any) -> web.StreamResponse:
    state = request.app[AppState]
    state.requests.append(RequestRecord(request.path, dict(request.query)))
    fault = state._take_fault()
    if fault is not None:
        return _fault_response(state, fault)
    authorization = request.headers.get("Authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or token not in state.bearer_tokens:
        return _unauthorized()
    try:
        response = await handler(request)
    except BadParameter as bad:
        return _json({"errors": [{"parameters": {bad.parameter: [bad.value]}, "message": bad.message}],
                      "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                      "type": f"{PROBLEMS}invalid-request"}, 400)
    response.headers.update(_rate_headers(state, RATE_LIMIT - 1))
    return response


async def search_recent(request: web.Request) -> web.Response:
    state = request.app[AppState]
    params = _check_parameters(request, SEARCH_PARAMETERS)
    query = params.get("query")
    if query is None:
        raise BadParameter("query", "", "The `query` query parameter can not be empty")
    try:
        predicate = compile_query(query)
    except QueryError as problem:
        raise BadParameter("query", query, f"There were errors processing your request: {problem}") from None
    token = params.get("next_token") or params.get("pagination_token")
    size = _page_size(params, 10, 100)
    bounds = _Bounds.of(params, state.recent_window)
    tweets = state.timeline(predicate, first_page=token is None)
    return _page(state, tweets, params, bounds, token, size, "next_token")


async def user_mentions(request: web.Request) -> web.Response:
    state = request.app[AppState]
    user_id = request.match_info["id"]
    if not NUMERIC_ID.match(user_id):
        raise BadParameter("id", user_id, f"The `id` query parameter value [{user_id}] does not match ^[0-9]{{1,19}}$")
    params = _check_parameters(request, MENTIONS_PARAMETERS)
    size = _page_size(params, 5, 100)
    bounds = _Bounds.of(params, None)
    user = state.users.get(user_id)
    if user is None:
        return _json({"errors": [{"value": user_id, "detail": f"Could not find user with id: [{user_id}].",
                                  "title": "Not Found Error", "resource_type": "user", "parameter": "id",
                                  "resource_id": user_id, "type": f"{PROBLEMS}resource-not-found"}]})
    username = str(user.get("username", "")).casefold()
    token = params.get("pagination_token")
    tweets = state.timeline(lambda view: username in view.mentions, first_page=token is None)
    return _page(state, tweets, params, bounds, token, size, "next_token")


async def user_by_username(request: web.Request) -> web.Response:
    state = request.app[AppState]
    username = request.match_info["username"]
    if not USERNAME.match(username):
        raise BadParameter("username", username,
                           f"The `username` query parameter value [{username}] does not match ^[A-Za-z0-9_]{{1,15}}$")
    params = _check_parameters(request, frozenset({"user.fields", "expansions", "tweet.fields"}))
    user = state.user_by_username(username)
    if user is None:
        return _json({"errors": [{"value": username, "detail": f"Could not find user with username: [{username}].",
                                  "title": "Not Found Error", "resource_type": "user", "parameter": "username",
                                  "resource_id": username, "type": f"{PROBLEMS}resource-not-found"}]})
    return _json({"data": _pick(user, DEFAULT_USER_FIELDS, _fields(params, "user.fields"))})


# ---- request parsing -----------------------------------------------------------------------------

def _check_parameters(request: web.Request, allowed: frozenset[str]) -> dict[str, str]:
    params = dict(request.query)
    for name, value in params.items():
        if name not in allowed:
            raise BadParameter(name, value, f"The query parameter [{name}] is not one of "
                                            f"[{','.join(sorted(allowed))}]")
        if name in FIELD_PARAMETERS:
            for item in value.split(","):
                if item not in FIELD_PARAMETERS[name]:
                    raise BadParameter(name, item, f"The `{name}` query parameter value [{item}] is not one of "
                                                   f"[{','.join(sorted(FIELD_PARAMETERS[name]))}]")
    return params


def _fields(params: dict[str, str], name: str) -> tuple[str, ...]:
    value = params.get(name)
    return tuple(value.split(",")) if value else ()


def _page_size(params: dict[str, str], low: int, high: int) -> int:
    raw = params.get("max_results")
    if raw is None:
        return 10
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter("max_results", raw, f"The `max_results` query parameter value [{raw}] is not between "
                                               f"{low} and {high}")
    return int(raw)


def _tweet_id(params: dict[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not NUMERIC_ID.match(raw):
        raise BadParameter(name, raw, f"The `{name}` query parameter value [{raw}] does not match ^[0-9]{{1,19}}$")
    return int(raw)


def _time(params: dict[str, str], name: str) -> datetime | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadParameter(name, raw, f"The `{name}` query parameter value [{raw}] is not a valid RFC 3339 "
                                      "date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Bounds:
    since_id: int | None
    until_id: int | None
    start_time: datetime | None
    end_time: datetime | None
    floor: datetime | None  # the oldest moment recent search reaches

    @classmethod
    def of(cls, params: dict[str, str], window: timedelta | None) -> _Bounds:
        since_id, until_id = _tweet_id(params, "since_id"), _tweet_id(params, "until_id")
        start_time, end_time = _time(params, "start_time"), _time(params, "end_time")
        floor = datetime.now(UTC) - window if window is not None else None
        if floor is not None:
            stamp = floor.strftime("%Y-%m-%dT%H:%MZ")
            if start_time is not None and start_time < floor:
                raise BadParameter("start_time", params["start_time"], f"Invalid 'start_time':'{params['start_time']}'"
                                   f". 'start_time' must be on or after {stamp}")
            since_time = snowflake_time(since_id) if since_id is not None else None
            if since_id is not None and (since_time is None or since_time < floor):
                raise BadParameter("since_id", str(since_id), f"Invalid 'since_id':'{since_id}'. 'since_id' must be "
                                   f"a tweet id created after {stamp}. Please use a 'since_id' that is larger than "
                                   f"{snowflake_at(floor)}")
        return cls(since_id, until_id, start_time, end_time, floor)

    def admit(self, tweet: dict) -> bool:
        tweet_id = int(tweet["id"])
        if self.since_id is not None and tweet_id <= self.since_id:
            return False
        if self.until_id is not None and tweet_id >= self.until_id:
            return False
        if self.start_time or self.end_time or self.floor:
            moment = _created_at(tweet)
            if moment is None:
                return self.start_time is None and self.end_time is None
            if self.floor is not None and moment < self.floor:
                return False
            if self.start_time is not None and moment < self.start_time:
                return False
            if self.end_time is not None and moment >= self.end_time:
                return False
        return True


def _created_at(tweet: dict) -> datetime | None:
    stamp = tweet.get("created_at")
    if isinstance(stamp, str):
        try:
            return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            pass
    return snowflake_time(int(tweet["id"]))


def _token_for(tweet_id: str) -> str:
    return TOKEN_PREFIX + _base36(int(tweet_id))


def _token_position(token: str, parameter: str) -> int:
    if token.startswith(TOKEN_PREFIX):
        try:
            return int(token[len(TOKEN_PREFIX):], 36)
        except ValueError:
            pass
    raise BadParameter(parameter, token, f"The `{parameter}` query parameter value [{token}] is not valid")


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def _page(state: XApiState, tweets: list[dict], params: dict[str, str], bounds: _Bounds, token: str | None,
          size: int, token_name: str) -> web.Response:
    admitted = [tweet for tweet in tweets if bounds.admit(tweet)]
    if token is not None:
        parameter = "next_token" if "next_token" in params else "pagination_token"
        position = _token_position(token, parameter)
        admitted = [tweet for tweet in admitted if int(tweet["id"]) < position]
    served = admitted[:size]
    if not served:
        return _json({"meta": {"result_count": 0}})
    body: dict[str, Any] = {"data": [_shape_tweet(tweet, params) for tweet in served]}
    includes = _includes(state, served, params)
    if includes:
        body["includes"] = includes
    meta: dict[str, Any] = {"newest_id": served[0]["id"], "oldest_id": served[-1]["id"], "result_count": len(served)}
    if len(admitted) > size:
        meta[token_name] = _token_for(served[-1]["id"])
    body["meta"] = meta
    return _json(body)


def _shape_tweet(tweet: dict, params: dict[str, str]) -> dict:
    expansions = _fields(params, "expansions")
    wanted = _fields(params, "tweet.fields") + tuple(EXPANSION_FIELDS[e] for e in expansions if e in EXPANSION_FIELDS)
    return _pick(tweet, DEFAULT_TWEET_FIELDS, wanted)


def _pick(item: dict, defaults: Iterable[str], wanted: Iterable[str]) -> dict:
    keys = dict.fromkeys((*defaults, *wanted))
    return {key: item[key] for key in keys if key in item}


def _includes(state: XApiState, served: list[dict], params: dict[str, str]) -> dict[str, list[dict]]:
    expansions = set(_fields(params, "expansions"))
    users: dict[str, dict] = {}
    tweets: dict[str, dict] = {}
    media: dict[str, dict] = {}
    places: dict[str, dict] = {}

    def add_user(user_id: Any) -> None:
        if user_id is not None and (user := state.users.get(str(user_id))) is not None:
            users.setdefault(str(user_id), user)

    def add_media(owner: dict) -> None:
        attachments = owner.get("attachments") if isinstance(owner.get("attachments"), dict) else {}
        for key in attachments.get("media_keys") or ():
            if (item := state.media.get(str(key))) is not None:
                media.setdefault(str(key), item)

    for tweet in served:
        if "author_id" in expansions:
            add_user(tweet.get("author_id"))
        if "in_reply_to_user_id" in expansions:
            add_user(tweet.get("in_reply_to_user_id"))
        if "entities.mentions.username" in expansions:
            entities = tweet.get("entities") if isinstance(tweet.get("entities"), dict) else {}
            for mention in _dicts(entities.get("mentions")):
                user = state.users.get(str(mention.get("id"))) or state.user_by_username(str(mention.get("username")))
                if user is not None:
                    users.setdefault(str(user["id"]), user)
        if "attachments.media_keys" in expansions:
            add_media(tweet)
        if "geo.place_id" in expansions:
            geo = tweet.get("geo") if isinstance(tweet.get("geo"), dict) else {}
            if (place := state.places.get(str(geo.get("place_id")))) is not None:
                places.setdefault(str(place["id"]), place)
        if "referenced_tweets.id" in expansions:
            for reference in _dicts(tweet.get("referenced_tweets")):
                reference_id = str(reference.get("id"))
                referenced = state.context_tweets.get(reference_id)
                if referenced is None and (published := state.tweets.get(reference_id)) is not None:
                    referenced = published.tweet
                if referenced is None:
                    continue
                tweets.setdefault(reference_id, referenced)
                if "referenced_tweets.id.author_id" in expansions:
                    add_user(referenced.get("author_id"))
                if "referenced_tweets.id.attachments.media_keys" in expansions:
                    add_media(referenced)

    includes: dict[str, list[dict]] = {}
    if users:
        includes["users"] = [_pick(u, DEFAULT_USER_FIELDS, _fields(params, "user.fields")) for u in users.values()]
    if tweets:
        includes["tweets"] = [_shape_tweet(t, params) for t in tweets.values()]
    if places:
        includes["places"] = [_pick(p, DEFAULT_PLACE_FIELDS, _fields(params, "place.fields")) for p in places.values()]
    if media:
        includes["media"] = [_pick(m, DEFAULT_MEDIA_FIELDS, _fields(params, "media.fields")) for m in media.values()]
    return includes


def _dicts(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []

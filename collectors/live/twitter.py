"""X (Twitter) live collector: recent search for configured queries and mentions of configured accounts.

Talks X API v2 through tweepy's asyncio client, pointed at ``base_url`` by
:class:`~collectors.live.twitter_session.RedirectingSession`. Each page becomes one batch; a
query's ``since_id`` moves only with the last page of its walk (see
:mod:`collectors.live.twitter_cursor`). Every poll looks back ``overlap_seconds`` below the stored
``since_id``, because X indexes some tweets late, with ids older than tweets it already served;
storage is idempotent, so the overlap costs requests, never duplicates.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote

import aiohttp
import tweepy
from pydantic import Field, PrivateAttr, field_validator, model_validator
from tweepy.asynchronous import AsyncClient

from collectors.archive.twitter import DecodedTweet, split_response_documents
from collectors.content_types import TWEET, UNREADABLE
from collectors.live.base import (
    Batch,
    CollectorConfig,
    ConfigProblem,
    Cursor,
    PermanentFailure,
    RateLimited,
    SourceError,
    TemporaryFailure,
)
from collectors.live.snowflake import snowflake_at
from collectors.live.twitter_cursor import StreamPosition, XCursor, look_back
from collectors.live.twitter_session import BodyTooLarge, RedirectingSession, UnexpectedBody
from collectors.types import RawItem, fallback_external_id

log = logging.getLogger(__name__)

CHANNEL = "twitter"
DEFAULT_BASE_URL = "https://api.twitter.com"
RATE_LIMIT_FALLBACK = timedelta(minutes=15)  # X's rate-limit window, when a 429 does not say when to come back
RECENT_SEARCH_REACH = timedelta(days=7)
REACH_MARGIN = timedelta(minutes=2)  # stay clear of the 7-day edge: our clock and X's differ a little
USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")
# tweepy sends "Bearer <this>"; RedirectingSession puts the real token in, so tweepy's logs never hold it.
TOKEN_PLACEHOLDER = "token-added-by-session"

# What the normalizer reads (normalizer/channels/twitter.py), plus what a replayed archive would hold.
TWEET_FIELDS = ["attachments", "author_id", "conversation_id", "created_at", "edit_history_tweet_ids", "entities",
                "geo", "in_reply_to_user_id", "lang", "note_tweet", "possibly_sensitive", "public_metrics",
                "referenced_tweets", "reply_settings"]
EXPANSIONS = ["author_id", "referenced_tweets.id", "referenced_tweets.id.author_id", "in_reply_to_user_id",
              "entities.mentions.username", "geo.place_id", "attachments.media_keys",
              "referenced_tweets.id.attachments.media_keys"]
USER_FIELDS = ["created_at", "description", "location", "name", "public_metrics", "username", "verified"]
PLACE_FIELDS = ["contained_within", "country", "country_code", "full_name", "geo", "name", "place_type"]
MEDIA_FIELDS = ["alt_text", "preview_image_url", "type", "url"]


class TwitterConfig(CollectorConfig):
    """A ``type = "twitter"`` source."""

    queries: list[str] = Field(default_factory=list)
    mentions_of: list[str] = Field(default_factory=list)
    bearer_token_env: str = Field(min_length=1)
    base_url: str = DEFAULT_BASE_URL
    max_results: int = Field(100, ge=10, le=100)  # per page; mentions accept 5..100, search 10..100
    overlap_seconds: float = Field(300, ge=0)
    max_pages_per_run: int = Field(50, ge=1)  # per query and per account
    timeout: float = Field(30, gt=0)
    max_bytes: int = Field(20 * 1024 * 1024, gt=0)

    _bearer_token: str | None = PrivateAttr(None)

    @field_validator("queries")
    @classmethod
    def _queries_fit(cls, queries: list[str]) -> list[str]:
        for query in queries:
            if not query.strip():
                raise ValueError("a query is empty")
            if len(query) > 512:
                raise ValueError(f"a query is {len(query)} characters long; recent search takes at most 512")
        return queries

    @field_validator("mentions_of")
    @classmethod
    def _usernames(cls, usernames: list[str]) -> list[str]:
        cleaned = [name.strip().removeprefix("@") for name in usernames]
        bad = [name for name in cleaned if not USERNAME.match(name)]
        if bad:
            raise ValueError(f"not X usernames (letters, digits, _; at most 15): {', '.join(map(repr, bad))}")
        return cleaned

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if not re.match(r"^https?://[^/\s]+", url):
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url.rstrip("/")

    @model_validator(mode="after")
    def _something_to_collect(self) -> TwitterConfig:
        if not self.queries and not self.mentions_of:
            raise ValueError("give at least one of queries or mentions_of")
        return self

    def check_environment(self, environ: Mapping[str, str]) -> None:
        self._bearer_token = self.secret(self.name, "bearer_token_env", self.bearer_token_env, environ)

    @property
    def bearer_token(self) -> str:
        if not self._bearer_token:
            raise ConfigProblem(f"source {self.name!r}: no bearer token was read from {self.bearer_token_env}")
        return self._bearer_token


@dataclass(frozen=True, slots=True)
class Stream:
    """One thing to follow: a search query or one account's mentions."""

    key: str  # the cursor's name for it
    origin: str  # where its pages come from (stored with every item)
    fetch: Callable[..., Awaitable[Any]]
    token_parameter: str  # next_token (search) or pagination_token (mentions)
    recent_search: bool  # bound by the 7-day reach of recent search


class TwitterCollector:
    """One X source; a fresh tweepy client per collector, its HTTP session opened on first use."""

    config_model: ClassVar[type[CollectorConfig]] = TwitterConfig
    channel: ClassVar[str] = CHANNEL

    def __init__(self, config: TwitterConfig, **context: Any) -> None:
        self.config = config
        self._session: RedirectingSession | None = None
        self._client: AsyncClient | None = None

    def _api(self) -> AsyncClient:
        if self._client is None:
            self._session = RedirectingSession(self.config.base_url, self.config.bearer_token,
                                               self.config.timeout, self.config.max_bytes)
            self._client = AsyncClient(bearer_token=TOKEN_PLACEHOLDER, return_type=dict, wait_on_rate_limit=False)
            self._client.session = self._session
        return self._client

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
        self._session, self._client = None, None

    async def collect(self, cursor: Cursor, since: datetime | None = None) -> AsyncIterator[Batch]:
        state = XCursor.from_json(cursor)
        client = self._api()
        for query in self.config.queries:
            stream = Stream(f"search:{query}", f"{self.config.base_url}/2/tweets/search/recent?query={quote(query)}",
                            lambda q=query, **params: client.search_recent_tweets(q, **params), "next_token", True)
            async for batch in self._walk(stream, state, since):
                state = XCursor.from_json(batch.cursor)
                yield batch
        for username in self.config.mentions_of:
            user_id = state.user_ids.get(username.casefold())
            if user_id is None:
                user_id = await self._resolve(client, username)
                state = state.with_user_id(username, user_id)
            stream = Stream(f"mentions:{username.casefold()}", f"{self.config.base_url}/2/users/{user_id}/mentions",
                            lambda user=user_id, **params: client.get_users_mentions(user, **params),
                            "pagination_token", False)
            async for batch in self._walk(stream, state, since):
                state = XCursor.from_json(batch.cursor)
                yield batch

    async def _resolve(self, client: AsyncClient, username: str) -> str:
        answer = await self._call(lambda: client.get_user(username=username), f"looking up @{username}")
        user = answer.get("data")
        if not isinstance(user, dict) or not str(user.get("id", "")).isdigit():
            raise PermanentFailure(f"source {self.config.name!r}: X knows no account @{username} "
                                   "— check mentions_of")
        return str(user["id"])

    async def _walk(self, stream: Stream, state: XCursor, since: datetime | None) -> AsyncIterator[Batch]:
        """Page down one stream from the newest tweet to the stored ``since_id`` (or to ``since``)."""
        position = state.position(stream.key)
        params = self._bounds(stream, position, since)
        newest_seen: int | None = None
        token: str | None = None
        for _page in range(self.config.max_pages_per_run):
            page_params = dict(params, **({stream.token_parameter: token} if token else {}))
            page = await self._call(lambda: stream.fetch(**page_params), f"reading {stream.key!r}")
            fetched_at = datetime.now(UTC)
            items = list(self._items(page, stream.origin, fetched_at))
            ids = _page_ids(page)
            if ids:
                newest_seen = max(ids[0], newest_seen or 0)
            token = _next_token(page)
            if token is None:
                done = position.backfilled(newest_seen) if since is not None else position.finished(newest_seen)
                yield Batch(items, state.with_position(stream.key, done).to_json())
                return
            if ids and since is None:
                position = position.walked_down_to(ids[1], ids[0])
            yield Batch(items, state.with_position(stream.key, position).to_json())
        log.warning("source %r: %s has more pages than max_pages_per_run=%d; the next run goes on from here",
                    self.config.name, stream.key, self.config.max_pages_per_run)

    def _bounds(self, stream: Stream, position: StreamPosition, since: datetime | None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "max_results": self.config.max_results, "tweet_fields": TWEET_FIELDS, "expansions": EXPANSIONS,
            "user_fields": USER_FIELDS, "place_fields": PLACE_FIELDS, "media_fields": MEDIA_FIELDS,
        }
        floor = datetime.now(UTC) - RECENT_SEARCH_REACH + REACH_MARGIN if stream.recent_search else None
        if since is not None:
            since = since if since.tzinfo else since.replace(tzinfo=UTC)
            if floor is not None and since < floor:
                log.info("source %r: recent search reaches back 7 days only; backfilling %s from %s, not %s",
                         self.config.name, stream.key, floor.isoformat(timespec="seconds"),
                         since.isoformat(timespec="seconds"))
                since = floor
            params["start_time"] = since
            return params
        if position.pending is not None:
            params["until_id"] = str(position.pending.until_id)
        if position.since_id is None:
            return params
        lower = look_back(position.since_id, timedelta(seconds=self.config.overlap_seconds))
        if floor is not None and lower < snowflake_at(floor):
            if position.since_id < snowflake_at(floor):
                log.warning("source %r: %s was last read more than 7 days ago; recent search cannot reach "
                            "tweets older than %s, some may be missed", self.config.name, stream.key,
                            floor.isoformat(timespec="seconds"))
                params["start_time"] = floor
                lower = None
            else:
                lower = snowflake_at(floor)
        if lower is not None:
            params["since_id"] = str(lower)
        return params

    def _items(self, page: dict, origin: str, fetched_at: datetime) -> list[RawItem]:
        items = []
        for tweet_id, payload, document in split_response_documents(page):
            if tweet_id is None or document is None:
                items.append(RawItem(CHANNEL, self.config.name, fallback_external_id(payload), payload, UNREADABLE,
                                     fetched_at, origin))
            else:
                items.append(DecodedTweet(CHANNEL, self.config.name, tweet_id, payload, TWEET, fetched_at, origin, document))
        return items

    async def _call(self, request: Callable[[], Awaitable[Any]], doing: str) -> dict:
        """One API request with every way it can fail mapped onto the four failure kinds."""
        name = self.config.name
        try:
            answer = await request()
        except tweepy.TooManyRequests as exc:
            raise RateLimited(f"source {name!r}: X rate limit reached while {doing}", _retry_at(exc.reset_time)) from None
        except tweepy.Unauthorized:
            raise PermanentFailure(f"source {name!r}: X refused the bearer token (401) while {doing} — check "
                                   f"{self.config.bearer_token_env}") from None
        except tweepy.Forbidden as exc:
            raise PermanentFailure(f"source {name!r}: the X app lacks access to this endpoint (403) while {doing}: "
                                   f"{_api_message(exc)}") from None
        except (tweepy.BadRequest, tweepy.NotFound) as exc:
            raise PermanentFailure(f"source {name!r}: X rejected the request while {doing} "
                                   f"({_api_message(exc)}) — check the source's settings") from None
        except tweepy.TwitterServerError as exc:
            raise TemporaryFailure(f"source {name!r}: X server error while {doing}: {_api_message(exc)}") from None
        except tweepy.HTTPException as exc:
            raise TemporaryFailure(f"source {name!r}: unexpected X answer while {doing}: {_api_message(exc)}") from None
        except UnexpectedBody as exc:
            raise _by_status(exc.status, f"source {name!r}: {exc} while {doing}") from None
        except BodyTooLarge as exc:
            raise TemporaryFailure(f"source {name!r}: {exc} while {doing}") from None
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            raise TemporaryFailure(f"source {name!r}: network problem while {doing}: "
                                   f"{type(exc).__name__}: {exc}") from None
        except (ValueError, TypeError, AttributeError, KeyError) as exc:  # an error body tweepy could not read
            raise TemporaryFailure(f"source {name!r}: unreadable X answer while {doing}: "
                                   f"{type(exc).__name__}") from None
        if not isinstance(answer, dict):
            raise TemporaryFailure(f"source {name!r}: X answered with something that is not a JSON object while {doing}")
        return answer


def _by_status(status: int, reason: str) -> SourceError:
    if status == 429:
        return RateLimited(reason, _retry_at(None))
    if status in (401, 403):
        return PermanentFailure(reason)
    return TemporaryFailure(reason)


def _retry_at(reset_time: int | None) -> datetime:
    now = datetime.now(UTC)
    if reset_time is None:
        return now + RATE_LIMIT_FALLBACK
    try:
        return max(datetime.fromtimestamp(reset_time, UTC), now)
    except (OverflowError, OSError, ValueError):
        return now + RATE_LIMIT_FALLBACK


def _api_message(exc: tweepy.HTTPException) -> str:
    messages = "; ".join(str(message) for message in exc.api_messages)
    return messages[:300] if messages else f"HTTP {getattr(exc.response, 'status', '?')}"


def _page_ids(page: dict) -> tuple[int, int] | None:
    """(newest, oldest) tweet id of a page, from its data (``meta`` may be missing or wrong)."""
    data = page.get("data")
    ids = [int(tweet["id"]) for tweet in (data if isinstance(data, list) else [])
           if isinstance(tweet, dict) and isinstance(tweet.get("id"), str) and tweet["id"].isdigit()
           and len(tweet["id"]) <= 19]
    return (max(ids), min(ids)) if ids else None


def _next_token(page: dict) -> str | None:
    meta = page.get("meta")
    token = meta.get("next_token") if isinstance(meta, dict) else None
    return token if isinstance(token, str) and token else None

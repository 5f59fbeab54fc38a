"""Instagram posts and comments of configured profiles and hashtags, through instaloader.

instaloader is synchronous (requests), so every call runs in a worker thread, one call at a time
on the collector's single ``Instaloader``. It downloads nothing but metadata, never sleeps on a
rate limit (its rate controller raises instead, see :mod:`collectors.live.instagram_failures`),
and each item has exactly the shape instaloader saves, so the archive readers' parsers apply:
a post is instaloader's ``{"node": ..., "instaloader": ...}`` structure, its comments are split
as a ``*_comments.json`` list is (:func:`collectors.archive.instagram.comment_items`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import instaloader
from instaloader import (
    Hashtag,
    NodeIterator,
    Post,
    PrivateProfileNotFollowedException,
    Profile,
    ProfileNotExistsException,
    QueryReturnedNotFoundException,
)
from instaloader.structures import get_json_structure
from pydantic import Field, field_validator, model_validator

from collectors.archive.instagram import comment_items
from collectors.content_types import INSTAGRAM_POST, UNREADABLE
from collectors.live.base import Batch, CollectorConfig, ConfigProblem, Cursor, PermanentFailure, SourceError
from collectors.live.instagram_cursor import InstagramCursor, Mark, Target
from collectors.live.instagram_failures import RaisingRateController, short, source_error
from collectors.live.instagram_session import SessionFileProblem, read_session_cookies
from collectors.types import RawItem, fallback_external_id

log = logging.getLogger(__name__)

CHANNEL = "instagram"
NAME = re.compile(r"^[A-Za-z0-9._]{1,30}$")
HASHTAG = re.compile(r"^\w{1,100}$")
T = TypeVar("T")


class InstagramConfig(CollectorConfig):
    profiles: list[str] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)
    session_file: Path | None = None  # written by `instaloader --login USER`
    login_user: str | None = None  # the session's user; default: from instaloader's file name "session-USER"
    comments: bool = True
    comments_days: float = Field(7, ge=0)  # comments of posts newer than this are re-read each run
    max_posts_per_run: int = Field(50, ge=1)  # per profile / hashtag
    max_comments_per_post: int = Field(500, ge=0)
    batch_posts: int = Field(12, ge=1)  # posts (with their comments) stored per transaction
    timeout: float = Field(30, gt=0)  # seconds per HTTP request
    block_backoff: float = Field(3600, gt=0)  # seconds to wait after Instagram refused the session
    polite_pauses: bool = True  # instaloader's short random pause before each request
    max_connection_attempts: int = Field(2, ge=1)

    @field_validator("profiles")
    @classmethod
    def _profile_names(cls, names: list[str]) -> list[str]:
        cleaned = [name.strip().lstrip("@").lower() for name in names]
        bad = [name for name in cleaned if not NAME.match(name)]
        if bad:
            raise ValueError(f"not an Instagram user name: {', '.join(map(repr, bad))}")
        return list(dict.fromkeys(cleaned))

    @field_validator("hashtags")
    @classmethod
    def _hashtag_names(cls, names: list[str]) -> list[str]:
        cleaned = [name.strip().lstrip("#").lower() for name in names]
        bad = [name for name in cleaned if not HASHTAG.match(name)]
        if bad:
            raise ValueError(f"not a hashtag: {', '.join(map(repr, bad))}")
        return list(dict.fromkeys(cleaned))

    @model_validator(mode="after")
    def _something_to_follow(self) -> InstagramConfig:
        if not self.profiles and not self.hashtags:
            raise ValueError("give at least one of profiles or hashtags")
        if self.login_user and self.session_file is None:
            raise ValueError("login_user needs session_file (create it with `instaloader --login USER`)")
        return self

    def check_environment(self, environ: Mapping[str, str]) -> None:
        if self.session_file is not None and not self.session_file.is_file():
            raise ConfigProblem(f"source {self.name!r}: session_file {str(self.session_file)!r} does not exist — "
                                f"create it with `instaloader --login {self.session_user()}` or fix the path")

    def session_user(self) -> str:
        """The user name the session belongs to, as far as the configuration tells ("USER" when it does not)."""
        if self.login_user:
            return self.login_user
        if self.session_file is not None and self.session_file.name.startswith("session-"):
            return self.session_file.name.removeprefix("session-")
        return "USER"


@dataclass
class TargetRun:
    """One profile's or hashtag's walk through its posts, newest first, within one run."""

    target: Target
    posts: Iterator[Post]
    threshold: int | None  # posts at or after this time (unix s) are stored
    stop_before: int | None  # the walk ends at the first unpinned post older than this
    comments_since: int | None  # comments are read for posts at or after this time
    newest: Mark | None = None
    seen: int = 0
    done: bool = False
    truncated: bool = False
    unreadable: int = field(default=0)


class InstagramCollector:
    """Posts (and their comments) of the configured profiles and hashtags, newest first, per run."""

    config_model: ClassVar[type[CollectorConfig]] = InstagramConfig
    channel: ClassVar[str] = CHANNEL

    def __init__(self, config: InstagramConfig, **context: Any) -> None:
        self.config = config
        self._loader: instaloader.Instaloader | None = None
        self._now: Callable[[], datetime] = context.get("clock") or (lambda: datetime.now(UTC))

    # -- the async side: scheduling, batching, failure kinds ------------------------------------------

    async def collect(self, cursor: Cursor, since: datetime | None = None) -> AsyncIterator[Batch]:
        marks = InstagramCursor.from_json(cursor)
        await self._call(self._ensure_loader)
        unavailable: list[str] = []
        targets = [Target("profiles", name) for name in self.config.profiles]
        targets += [Target("hashtags", name) for name in self.config.hashtags]
        for target in targets:
            try:
                run = await self._call(self._open, target, marks.mark(target), since)
            except _TargetUnavailable as exc:
                unavailable.append(exc.reason)
                continue
            while not run.done:
                items = await self._call(self._read_chunk, run)
                if run.done:
                    moved = marks.advanced(target, run.newest)
                    if not items and moved is marks:
                        break
                    marks = moved
                yield Batch(items, marks.to_json(), notes={"target": str(target), "truncated": run.truncated,
                                                            "unreadable": run.unreadable})
        if unavailable:
            raise PermanentFailure(f"source {self.config.name!r}: " + "; ".join(unavailable))

    async def aclose(self) -> None:
        loader, self._loader = self._loader, None
        if loader is not None:
            await asyncio.to_thread(loader.close)

    async def _call(self, function: Callable[..., T], *args: Any) -> T:
        """Run one instaloader step in a worker thread; whatever it raises becomes a failure kind."""
        try:
            return await asyncio.to_thread(function, *args)
        except SourceError:
            raise
        except Exception as exc:
            raise source_error(exc, now=self._now(), block_backoff=timedelta(seconds=self.config.block_backoff),
                               relogin_advice=self._relogin_advice()) from exc

    def _relogin_advice(self) -> str:
        if self.config.session_file is None:
            return "configure session_file and login_user with a session from `instaloader --login USER`"
        return (f"refresh the session file: run `instaloader --login {self.config.session_user()}` and copy its "
                f"session file to {self.config.session_file}")

    # -- the worker-thread side: instaloader calls ----------------------------------------------------

    def _ensure_loader(self) -> None:
        if self._loader is not None:
            return
        loader = instaloader.Instaloader(
            sleep=self.config.polite_pauses, quiet=True, download_pictures=False, download_videos=False,
            download_video_thumbnails=False, download_geotags=False, download_comments=False,
            save_metadata=False, compress_json=False, post_metadata_txt_pattern="",
            max_connection_attempts=self.config.max_connection_attempts, request_timeout=self.config.timeout,
            rate_controller=RaisingRateController, resume_prefix=None)
        # instaloader prints its errors to stderr and keeps every one for an end-of-program summary,
        # which a long-running daemon must not do: send them to our log instead.
        loader.context.error = self._log_instaloader_error  # type: ignore[method-assign]
        if self.config.session_file is not None:
            try:
                cookies = read_session_cookies(self.config.session_file)
            except SessionFileProblem as exc:
                raise PermanentFailure(f"source {self.config.name!r}: {exc} — create it with "
                                       f"`instaloader --login {self.config.session_user()}`") from None
            # instaloader counts a session as logged in by its user name; the cookies alone carry the login
            loader.load_session(self.config.session_user(), cookies)
        self._loader = loader

    def _log_instaloader_error(self, msg: str, repeat_at_end: bool = True) -> None:
        log.info("source %s: instaloader: %s", self.config.name, short(Exception(msg)))

    def _open(self, target: Target, mark: Mark | None, since: datetime | None) -> TargetRun:
        assert self._loader is not None
        context = self._loader.context
        try:
            if target.kind == "profiles":
                posts: Iterator[Post] = Profile.from_username(context, target.name).get_posts()
            else:
                posts = Hashtag.from_name(context, target.name).get_posts_resumable()
        except ProfileNotExistsException:
            raise _TargetUnavailable(f"profile {target.name!r} does not exist on Instagram — check `profiles`") from None
        except PrivateProfileNotFollowedException:
            raise _TargetUnavailable(f"profile {target.name!r} is private and {self.config.session_user()} does not "
                                     f"follow it") from None
        except QueryReturnedNotFoundException:
            if target.kind == "profiles":
                raise _TargetUnavailable(f"profile {target.name!r} does not exist on Instagram") from None
            raise _TargetUnavailable(f"hashtag #{target.name} does not exist on Instagram — check `hashtags`") from None
        now = int(self._now().timestamp())
        threshold = int(since.timestamp()) if since is not None else (mark.newest if mark else None)
        # Instagram shows comments to logged-in sessions only; without one, posts are still collected
        reads_comments = self.config.comments and context.is_logged_in
        comments_since = now - int(self.config.comments_days * 86400) if reads_comments else None
        stop_before = threshold if comments_since is None or threshold is None else min(threshold, comments_since)
        return TargetRun(target, posts, threshold, stop_before, comments_since)

    def _read_chunk(self, run: TargetRun) -> list[RawItem]:
        """The next ``batch_posts`` posts of a target with their comments; sets ``run.done`` at the end."""
        items: list[RawItem] = []
        posts = 0
        while posts < self.config.batch_posts:
            if run.seen >= self.config.max_posts_per_run:
                run.done = run.truncated = True
                break
            before = getattr(run.posts, "total_index", None)
            try:
                post = next(run.posts)
            except StopIteration:
                run.done = True
                break
            except (KeyError, TypeError, ValueError, AssertionError, IndexError) as exc:
                if getattr(run.posts, "total_index", None) in (None, before):
                    raise  # the page itself is malformed: retrying the same step would loop
                run.seen += 1
                run.unreadable += 1
                items.append(self._unreadable(_current_node(run.posts), exc, run.target))
                continue
            run.seen += 1
            posts += 1
            items.extend(self._post_items(post, run))
        return items

    def _post_items(self, post: Post, run: TargetRun) -> list[RawItem]:
        fetched_at = self._now()
        try:
            shortcode = post.shortcode
            taken = int(post.date_utc.replace(tzinfo=UTC).timestamp())
            payload = json.dumps(get_json_structure(post), separators=(",", ":"), ensure_ascii=False).encode()
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
            run.unreadable += 1
            return [self._unreadable(getattr(post, "_node", None), exc, run.target)]
        if run.stop_before is not None and taken < run.stop_before and not post.is_pinned:
            run.done = True
            return []
        origin = f"https://www.instagram.com/p/{shortcode}/"
        items: list[RawItem] = []
        if run.threshold is None or taken >= run.threshold:
            items.append(RawItem(CHANNEL, self.config.name, shortcode, payload, INSTAGRAM_POST, fetched_at, origin))
            if run.newest is None or taken > run.newest.newest:
                run.newest = Mark(taken, shortcode)
        if run.comments_since is not None and taken >= run.comments_since:
            items.extend(self._comment_items(post, shortcode, origin, run))
        return items

    def _comment_items(self, post: Post, shortcode: str, origin: str, run: TargetRun) -> list[RawItem]:
        comments: list[Any] = []
        for number, comment in enumerate(post.get_comments()):
            if number >= self.config.max_comments_per_post:
                break
            try:
                comments.append(_comment_as_saved(comment))
            except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
                # kept as a non-object entry, which comment_items turns into an UNREADABLE item
                run.unreadable += 1
                comments.append([f"{type(exc).__name__}: {short(exc)}", _plain(getattr(comment, "_node", None))])
        return list(comment_items(comments, {"shortcode": shortcode}, self.config.name, origin, self._now()))

    def _unreadable(self, node: Any, exc: BaseException, target: Target) -> RawItem:
        payload = json.dumps({"error": f"{type(exc).__name__}: {short(exc)}", "target": str(target),
                              "node": _plain(node)}, separators=(",", ":"), ensure_ascii=False).encode()
        return RawItem(CHANNEL, self.config.name, fallback_external_id(payload), payload, UNREADABLE, self._now(),
                       f"instagram:{target}")


class _TargetUnavailable(PermanentFailure):
    """One profile or hashtag cannot be read; the others still are, then the source reports it."""


def _comment_as_saved(comment: Any) -> dict[str, Any]:
    """A comment as instaloader writes it to ``*_comments.json`` (``Instaloader.update_comments``)."""

    def own(entry: Any) -> dict[str, Any]:
        return {"id": entry.id, "created_at": int(entry.created_at_utc.replace(tzinfo=UTC).timestamp()),
                "text": entry.text, "owner": entry.owner._asdict(), "likes_count": entry.likes_count}

    answers = sorted((own(answer) for answer in comment.answers), key=lambda a: int(a["id"]), reverse=True)
    return {**own(comment), "answers": answers}


def _current_node(posts: Iterator[Post]) -> Any:
    """The raw node instaloader just failed to wrap as a Post, when its iterator still holds it."""
    if isinstance(posts, NodeIterator):
        try:
            return posts._data["edges"][posts._page_index - 1]["node"]  # noqa: SLF001 - kept for quarantine
        except (AttributeError, KeyError, IndexError, TypeError):
            return None
    return None


def _plain(value: Any) -> Any:
    """``value`` made JSON-safe (a malformed node may hold anything)."""
    try:
        return json.loads(json.dumps(value, default=str))
    except (TypeError, ValueError):
        return repr(value)

"""The demo's channel stand-ins: X API v2, feeds, Open311, Qlue and IMAP on free loopback ports, serving samples/.

Each stand-in speaks its service's wire protocol (see dengar/standins/), so the demo's sources go
through the same collectors, HTTP and IMAP handling and cursors as against the real services.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web

from collectors.content_types import OPEN311_REQUEST

from dengar.demo_queries import queries_for
from dengar.importer import FileReport, archive_items
from dengar.standins import feeds, open311, qlue, x_api
from dengar.standins.imap import ImapServer
from dengar.standins.imap_mailbox import ImapState

LOOPBACK = "127.0.0.1"
IMAP_USER = "pengaduan@demo.example"  # the complaint mailbox the demo's e-mail source logs in to
IMAP_MAILBOX = "INBOX"


@dataclass(frozen=True, slots=True)
class FeedEndpoint:
    name: str  # the sample file's stem, e.g. "kabarmetro"
    url: str


@dataclass(frozen=True, slots=True)
class DemoEndpoints:
    """Where each stand-in listens and what the demo's sources ask it for."""

    x_base_url: str
    x_queries: list[str]
    x_mentions_of: list[str]
    feeds: list[FeedEndpoint]
    open311_url: str
    qlue_url: str
    imap_host: str
    imap_port: int
    imap_user: str = IMAP_USER
    imap_mailbox: str = IMAP_MAILBOX


def open311_requests(folder: Path) -> list[dict[str, Any]]:
    """The requests of every GeoReport archive in ``folder`` (requests.json and requests.xml), once each.

    The stand-in serves them all as JSON, as the city's server lists them whatever format was saved.
    """
    requests: dict[str, dict[str, Any]] = {}
    for item in archive_items([folder], "samples", FileReport(), channel="open311"):
        if item.content_type == OPEN311_REQUEST:
            requests.setdefault(item.external_id, orjson.loads(item.payload))
    return list(requests.values())


@dataclass
class DemoStandins:
    """Starts and stops the five stand-ins; :meth:`start` loads the samples and returns their endpoints.

    ``imap_password`` is the demo mailbox's password; like the X token it exists only in this process.
    """

    samples: Path
    x_bearer_token: str
    host: str = LOOPBACK
    imap_password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    _runners: list[web.AppRunner] = field(default_factory=list)
    _imap: ImapServer | None = None

    async def start(self) -> DemoEndpoints:
        try:
            return await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> DemoEndpoints:
        x_state = x_api.XApiState(bearer_tokens={self.x_bearer_token}, recent_window=None)  # samples of any age
        x_state.load_samples(self.samples / "twitter")
        names = {user_id: str(user.get("username", "")) for user_id, user in x_state.users.items()}
        queries = queries_for([published.tweet for published in x_state.tweets.values()], names)
        x_url = await self._serve(x_api.create_app(x_state))

        feed_state = feeds.FeedServerState()
        paths = feed_state.load_samples(self.samples / "rss")
        feed_url = await self._serve(feeds.create_app(feed_state))

        open311_state = open311.Open311State()
        for request in open311_requests(self.samples / "open311"):
            open311_state.publish(request)
        open311_url = await self._serve(open311.create_app(open311_state))

        qlue_state = qlue.QlueState()
        qlue_state.load_samples(self.samples / "qlue")
        qlue_url = await self._serve(qlue.create_app(qlue_state))

        imap_state = ImapState(users={IMAP_USER: self.imap_password})
        imap_state.create(IMAP_MAILBOX)
        imap_state.load_samples(self.samples / "email", IMAP_MAILBOX)
        self._imap = ImapServer(imap_state, host=self.host)
        imap_port = await self._imap.start()

        return DemoEndpoints(
            x_base_url=x_url,
            x_queries=queries,
            x_mentions_of=["DKIJakarta"] if x_state.user_by_username("DKIJakarta") else [],
            feeds=[FeedEndpoint(Path(path).stem, feed_url + path) for path in paths],
            open311_url=open311_url + "/requests.json",
            qlue_url=qlue_url + "/reports.json",
            imap_host=self.host,
            imap_port=imap_port,
        )

    async def _serve(self, app: web.Application) -> str:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, self.host, 0)
        await site.start()
        address: Any = runner.addresses[0]
        return f"http://{address[0]}:{address[1]}"

    async def stop(self) -> None:
        imap, self._imap = self._imap, None
        if imap is not None:
            await imap.stop()
        runners, self._runners = self._runners, []
        for runner in reversed(runners):
            await runner.cleanup()


__all__ = ["IMAP_USER", "DemoEndpoints", "DemoStandins", "FeedEndpoint"]

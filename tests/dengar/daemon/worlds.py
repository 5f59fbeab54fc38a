"""What the daemon tests run against: the real Open311 and feed stand-ins (and, where asked, the X API
and Qlue ones), complaint messages to publish, a configuration file pointing at them, and the daemon
as a subprocess.

The messages describe a few incidents each reported several times, on both channels, so the
tickets the pipeline builds from them are a meaningful partition to compare between runs.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from dengar.standins.feeds import FeedEntry, FeedServerState
from dengar.standins.open311 import Open311State
from dengar.standins.qlue import QlueState
from dengar.standins.x_api import XApiState
from sink.export import iter_mentions
from sink.models import RawItemRow

REPO_ROOT = Path(__file__).resolve().parents[3]
FEED_PATH = "/warga.xml"
X_TOKEN_ENV = "DENGAR_TEST_X_TOKEN"
X_TOKEN = "x-daemon-test-token"
X_QUERY = "@DKIJakarta"
WIB = timezone(timedelta(hours=7))
TWO_CHANNELS = ("open311", "rss")
FOUR_CHANNELS = ("open311", "rss", "twitter", "qlue")

INCIDENTS = [
    ("Banjir setinggi lutut di Jl. Pemuda, Kelurahan Rawamangun, air tidak surut sejak pagi", -6.1932, 106.8891),
    ("Sampah menumpuk di pinggir kali Kelurahan Cideng, bau busuk sudah tiga hari belum diangkut", -6.1721, 106.8105),
    ("Jalan berlubang besar di Jl. Raya Bogor, Kelurahan Kramat Jati, motor sering jatuh", -6.2701, 106.8680),
    ("Lampu jalan mati di Jl. Cempaka Putih Tengah, Kelurahan Cempaka Putih Timur, gelap dan rawan", -6.1802, 106.8701),
    ("Pohon tumbang menutup jalan di Jl. Kemang Raya, Kelurahan Bangka, mohon segera dievakuasi", -6.2602, 106.8150),
    ("Saluran air tersumbat di Kelurahan Tebet Barat, air meluap ke rumah warga setiap hujan", -6.2301, 106.8499),
]
OPENERS = ["Lapor:", "Mohon ditindaklanjuti,", "Tolong pak,", "Warga mengeluhkan", "Sudah seminggu,"]


@dataclass(frozen=True)
class Message:
    channel: str  # "open311", "rss", "twitter" or "qlue"
    external_id: str
    text: str
    created: datetime
    point: tuple[float, float]


def complaint_messages(count: int, base: datetime, channels: tuple[str, ...] = TWO_CHANNELS) -> list[Message]:
    """``count`` reports of the incidents above, taking the channels in turn, a minute apart.

    A tweet's id is minted by the X stand-in from its time, so it is the same in every run.
    """
    messages = []
    for number in range(count):
        text, lat, lon = INCIDENTS[number % len(INCIDENTS)]
        opener = OPENERS[(number // len(INCIDENTS)) % len(OPENERS)]
        channel = channels[number % len(channels)]
        external_id = {"open311": f"26{number:07d}", "rss": f"warga-{number}", "qlue": str(3_600_000 + number),
                       "twitter": ""}[channel]
        messages.append(Message(channel, external_id, f"{opener} {text}", base + timedelta(minutes=number), (lat, lon)))
    return messages


@dataclass
class StandIns:
    """The servers' states; the test serves them with aiohttp_server (X and Qlue only when asked)."""

    open311: Open311State = field(default_factory=Open311State)
    feeds: FeedServerState = field(default_factory=FeedServerState)
    x_api: XApiState = field(default_factory=lambda: XApiState(bearer_tokens={X_TOKEN}))
    qlue: QlueState = field(default_factory=QlueState)
    open311_url: str = ""
    feeds_url: str = ""
    x_url: str = ""
    qlue_url: str = ""
    published: set[tuple[str, str]] = field(default_factory=set)

    def publish(self, messages: Iterable[Message]) -> None:
        for message in messages:
            if message.channel == "open311":
                self.open311.publish({
                    "service_request_id": message.external_id, "status": "open", "service_name": "Pengaduan",
                    "service_code": "UM-01", "description": message.text,
                    "requested_datetime": message.created.astimezone(UTC).isoformat(), "updated_datetime": None,
                    "address": None, "lat": message.point[0], "long": message.point[1],
                })
            elif message.channel == "twitter":
                tweet = self.x_api.publish_text(f"{message.text} {X_QUERY}", "wargajkt", created_at=message.created)
                self.published.add(("twitter", tweet["id"]))
                continue
            elif message.channel == "qlue":
                self.qlue.publish({
                    "post_id": int(message.external_id), "post_title": message.text[:40], "post_desc": message.text,
                    "post_date": message.created.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S"), "post_images": [],
                    "loc_lat": message.point[0], "loc_lng": message.point[1], "profile_name": "Warga",
                })
            else:
                self.feeds.publish_entry(FEED_PATH, FeedEntry(
                    guid=message.external_id, title=message.text[:60], description=message.text,
                    published=message.created, point=message.point))
            self.published.add((message.channel, message.external_id))


async def serve_stand_ins(aiohttp_server: Any, stand_ins: StandIns | None = None,
                          channels: tuple[str, ...] = TWO_CHANNELS) -> StandIns:
    """Serve the Open311 and feed stand-ins, plus X and Qlue when ``channels`` names them."""
    from dengar.standins.feeds import create_app as feeds_app
    from dengar.standins.open311 import create_app as open311_app
    from dengar.standins.qlue import create_app as qlue_app
    from dengar.standins.x_api import create_app as x_app

    stand_ins = stand_ins or StandIns()
    open311 = await aiohttp_server(open311_app(stand_ins.open311))
    feeds = await aiohttp_server(feeds_app(stand_ins.feeds))
    stand_ins.open311_url = str(open311.make_url("/requests.json"))
    stand_ins.feeds_url = str(feeds.make_url(FEED_PATH))
    if "twitter" in channels:
        stand_ins.x_url = str((await aiohttp_server(x_app(stand_ins.x_api))).make_url("/")).rstrip("/")
    if "qlue" in channels:
        stand_ins.qlue_url = str((await aiohttp_server(qlue_app(stand_ins.qlue))).make_url("/reports.json"))
    return stand_ins


def write_config(path: Path, stand_ins: StandIns, interval: float = 0.5, lease_seconds: float = 3,
                 port: int | None = None, queue_size: int = 4, instance: str | None = None,
                 extra: str = "") -> Path:
    console = f"[console]\nenabled = false\nport = {port}\n" if port else "[console]\nenabled = false\n"
    daemon = f"[daemon]\nqueue_size = {queue_size}\nlease_seconds = {lease_seconds}\ndatabase_retry_max = 1\n"
    if instance:
        daemon += f'instance = "{instance}"\n'
    path.write_text(
        console + daemon
        + f'[[sources]]\nname = "lapor-311"\ntype = "open311"\ninterval = {interval}\nurl = "{stand_ins.open311_url}"\n'
          f"page_size = 2\noverlap_seconds = 600\n"
        + f'[[sources]]\nname = "warga-rss"\ntype = "rss"\ninterval = {interval}\nurl = "{stand_ins.feeds_url}"\n'
        + extra
        + (f'[[sources]]\nname = "x-dki"\ntype = "twitter"\ninterval = {interval}\nqueries = ["{X_QUERY}"]\n'
           f'bearer_token_env = "{X_TOKEN_ENV}"\nbase_url = "{stand_ins.x_url}"\nmax_results = 10\n'
           if stand_ins.x_url else "")
        + (f'[[sources]]\nname = "qlue-jakarta"\ntype = "qlue"\ninterval = {interval}\nurl = "{stand_ins.qlue_url}"\n'
           if stand_ins.qlue_url else ""), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_daemon(config: Path, db_url: str, *extra: str, log: Path | None = None) -> asyncio.subprocess.Process:
    """``dengar run`` as a separate process, its log appended to ``log``."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", X_TOKEN_ENV: X_TOKEN}
    env.pop("DENGAR_CONFIG", None)
    env.pop("DENGAR_DATABASE_URL", None)
    output = open(log, "ab") if log else asyncio.subprocess.DEVNULL  # noqa: SIM115 (the child owns it)
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "dengar", "run", "--db", db_url, "--config", str(config), *extra,
            cwd=REPO_ROOT, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=output, stderr=output)
    finally:
        if log:
            output.close()  # type: ignore[union-attr]


async def run_cli(*args: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DENGAR_CONFIG", "DENGAR_DATABASE_URL")}
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "dengar", *args, cwd=REPO_ROOT, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


async def kill(process: asyncio.subprocess.Process, sig: int = signal.SIGKILL) -> int:
    if process.returncode is None:
        process.send_signal(sig)
    return await process.wait()


def stored_keys(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [(c, e) for c, e in connection.execute(select(RawItemRow.channel, RawItemRow.external_id))]


def unprocessed(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(RawItemRow)
                                      .where(RawItemRow.state == "new")).scalar_one())


async def wait_for(condition: Any, what: str, deadline_seconds: float = 90, process: Any = None,
                   log: Path | None = None) -> None:
    """Poll ``condition`` (a sync callable) while the stand-ins keep serving; fail with the daemon's log."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + deadline_seconds
    while True:
        try:
            if condition():
                return
        except Exception:  # the database may be mid-outage on purpose; ask again
            pass
        if process is not None and process.returncode is not None:
            raise AssertionError(f"the daemon exited ({process.returncode}) while waiting for {what}\n{tail(log)}")
        if loop.time() > give_up:
            raise AssertionError(f"gave up waiting for {what}\n{tail(log)}")
        await asyncio.sleep(0.2)


def tail(log: Path | None, lines: int = 40) -> str:
    if log is None or not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def ticket_partition(engine: Engine) -> set[frozenset[tuple[str, str]]]:
    """Messages grouped by ticket, as `dengar export mentions` reports them (ticket numbers aside)."""
    groups: dict[Any, set[tuple[str, str]]] = {}
    for record in iter_mentions(engine, None):
        key = record["ticket_id"] if record["ticket_id"] is not None else ("no ticket", record["channel"], record["external_id"])
        groups.setdefault(key, set()).add((record["channel"], record["external_id"]))
    return {frozenset(group) for group in groups.values()}


class TcpProxy:
    """A loopback TCP relay in front of PostgreSQL that a test can cut (dropping every connection) and restore."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.is_cut = False
        self.port = 0
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.AbstractServer | None = None

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.is_cut:
            writer.close()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, upstream_writer}
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    def cut(self) -> None:
        self.is_cut = True
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def restore(self) -> None:
        self.is_cut = False

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

"""Shared fixtures: database URLs for SQLite and a real PostgreSQL, and repository paths.

PostgreSQL is started by the test session itself (a throw-away cluster in a temporary directory)
so that storage code is exercised against the production engine, not only SQLite. Set
``DENGAR_TEST_POSTGRES_URL`` to use an existing server instead. Without one, PostgreSQL tests skip
on a developer machine but fail under ``CI=true``, so CI cannot go green without PostgreSQL.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import re
import shutil
import shlex
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, make_url

REPO_ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL_ENV = "DENGAR_TEST_POSTGRES_URL"
POSTGRES_SYSTEM_USER = "postgres"
# Test-only durability settings: a crash loses nothing we care about, and they make DDL fast.
POSTGRES_SERVER_OPTIONS = "-F -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
START_TIMEOUT_SECONDS = 60


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL can be had on this machine (binaries or system user missing)."""


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _version_key(path: str) -> tuple[int, ...]:
    """Order /usr/lib/postgresql/<major>/bin by major version, numerically."""
    return tuple(int(part) for part in re.findall(r"\d+", path))


def find_postgres_bindir() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl``: PATH first, then Debian's versioned dirs."""
    on_path = shutil.which("initdb")
    if on_path:
        bindir = Path(on_path).resolve().parent
        if (bindir / "pg_ctl").exists():
            return bindir
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    for initdb in reversed(candidates):
        bindir = Path(initdb).parent
        if (bindir / "pg_ctl").exists():
            return bindir
    raise PostgresUnavailable(
        "no PostgreSQL found (initdb/pg_ctl neither on PATH nor under /usr/lib/postgresql/*/bin); "
        f"install the 'postgresql' package or set {POSTGRES_URL_ENV}"
    )


def free_local_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class LocalPostgresCluster:
    """A throw-away PostgreSQL cluster; initdb refuses root, so as root it runs as ``postgres``."""

    bindir: Path
    workdir: Path
    port: int
    run_as: str | None  # system user to switch to, or None to run as ourselves

    @property
    def datadir(self) -> Path:
        return self.workdir / "data"

    @property
    def logfile(self) -> Path:
        return self.workdir / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _command(self, *argv: str) -> list[str]:
        prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        return [*prefix, *argv]

    def _run(self, *argv: str) -> None:
        completed = subprocess.run(
            self._command(*argv),
            cwd=self.workdir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_SECONDS + 30,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"{Path(argv[0]).name} failed with exit code {completed.returncode}:\n"
                f"{completed.stdout}\n{completed.stderr}\nserver log:\n{_tail(self.logfile)}"
            )

    def start(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D", str(self.datadir),
            "-U", "postgres",
            "-A", "trust",
            "-E", "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = (
            f"{POSTGRES_SERVER_OPTIONS} -c listen_addresses=127.0.0.1 -p {self.port} "
            f"-k {shlex.quote(str(self.workdir))}"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D", str(self.datadir),
            "-l", str(self.logfile),
            "-o", options,
            "-w", "-t", str(START_TIMEOUT_SECONDS),
            "start",
        )

    def stop(self) -> None:
        if (self.datadir / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "fast",
                          "-w", "stop")
        shutil.rmtree(self.workdir, ignore_errors=True)


def _make_workdir(run_as: str | None) -> Path:
    """A temporary directory the server user owns, outside root's private pytest tmp tree."""
    workdir = Path(tempfile.mkdtemp(prefix="dengar-pg-"))
    if run_as:
        account = pwd.getpwnam(run_as)
        os.chown(workdir, account.pw_uid, account.pw_gid)
    return workdir


def start_local_cluster() -> LocalPostgresCluster:
    bindir = find_postgres_bindir()
    run_as: str | None = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(POSTGRES_SYSTEM_USER)
        except KeyError:
            raise PostgresUnavailable(
                f"running as root and there is no '{POSTGRES_SYSTEM_USER}' system user to run "
                "initdb as (initdb refuses root)"
            ) from None
        if not shutil.which("runuser"):
            raise PostgresUnavailable("running as root and 'runuser' is missing")
        run_as = POSTGRES_SYSTEM_USER
    last_error: Exception | None = None
    for _attempt in range(3):  # another process may grab the free port before we bind it
        cluster = LocalPostgresCluster(bindir, _make_workdir(run_as), free_local_port(), run_as)
        try:
            cluster.start()
            return cluster
        except BaseException as error:
            cluster.stop()
            if not isinstance(error, Exception):
                raise
            last_error = error
    raise RuntimeError(f"could not start a test PostgreSQL: {last_error}")


@contextlib.contextmanager
def _teardown_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt so pytest still runs teardown and stops the server."""
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt("SIGTERM")

    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@dataclass
class PostgresServer:
    """A reachable server plus a counter for naming per-test databases."""

    url: str
    _sequence: Iterator[int] = field(default_factory=itertools.count)

    def admin_conninfo(self) -> str:
        return _libpq_url(make_url(self.url))

    def new_database_name(self) -> str:
        # The pid keeps names apart when several runs share one DENGAR_TEST_POSTGRES_URL server.
        return f"dengar_test_{os.getpid()}_{next(self._sequence)}"

    def database_url(self, name: str) -> str:
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    @contextlib.contextmanager
    def fresh_database(self) -> Iterator[str]:
        """Create an empty database, yield its SQLAlchemy URL, then drop it even if still in use."""
        import psycopg

        name = self.new_database_name()
        admin = self.admin_conninfo()
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield self.database_url(name)
        finally:
            with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _libpq_url(url: URL) -> str:
    """psycopg wants a plain ``postgresql://`` URL, not SQLAlchemy's ``+psycopg`` dialect form."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _unavailable(reason: str) -> None:
    if running_in_ci():
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL unavailable: {reason}")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    shared = (REPO_ROOT / ".." / "shared").resolve()
    if not shared.is_dir():
        pytest.skip(f"shared test data folder not found beside the repository ({shared})")
    return shared


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    configured = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if configured:
        yield PostgresServer(url=configured)
        return
    try:
        cluster = start_local_cluster()
    except PostgresUnavailable as missing:
        _unavailable(str(missing))
        raise AssertionError("unreachable") from missing
    try:
        with _teardown_on_sigterm():
            yield PostgresServer(url=cluster.url)
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """SQLAlchemy URL of the session's PostgreSQL server (its maintenance database)."""
    return postgres_server.url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file for one test."""
    return f"sqlite:///{tmp_path / 'dengar.db'}"


@pytest.fixture
def postgres_database_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards even if connections linger."""
    with postgres_server.fresh_database() as url:
        yield url


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test once on SQLite and once on PostgreSQL, each with an empty database."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_database_url")


@pytest.fixture
def engine(db_url: str) -> Iterator:
    """A migrated, empty database of each backend (see ``db_url``), disposed after the test."""
    from sink.database import ensure_schema, open_engine

    engine = open_engine(db_url)
    ensure_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def tweepy_response_files(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The X API response bodies recorded in tweepy's vcrpy cassettes, one JSON file each."""
    import gzip

    import yaml

    cassettes = sorted((shared_dir / "corpora" / "tweepy-cassettes").glob("*.yaml"))
    if not cassettes:
        pytest.skip("no tweepy cassettes in the shared corpora")
    folder = tmp_path_factory.mktemp("tweepy-responses")
    files = []
    for cassette in cassettes:
        for number, interaction in enumerate(yaml.safe_load(cassette.read_text())["interactions"]):
            body = interaction["response"]["body"]["string"]
            body = body.encode() if isinstance(body, str) else body
            if body[:2] == b"\x1f\x8b":
                body = gzip.decompress(body)
            path = folder / f"{cassette.stem}-{number}.json"
            path.write_bytes(body)
            files.append(path)
    return files


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Real-browser tests run last.

    Playwright's sync API keeps an event loop running in the main thread from the first browser
    test to the end of the session; an asyncio test collected after it could not start its own.
    """
    browser_dir = REPO_ROOT / "tests" / "dengar" / "console" / "browser"
    in_browser = [item for item in items if browser_dir in Path(str(item.path)).parents]
    if in_browser:
        chosen = set(map(id, in_browser))
        items[:] = [item for item in items if id(item) not in chosen] + in_browser

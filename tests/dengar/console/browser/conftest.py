"""A real browser against a real console: Debian's Chromium driven by Playwright, the console served by
`dengar console` in its own process on a free port, over a SQLite store filled by `dengar import`.

One browser per session (pytest-playwright's ``browser``), one context per test. The console runs
as a separate process on purpose: the mentions monitor must see what another process writes.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[4]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
ROLES = ("admin", "operator", "social", "viewer")
START_TIMEOUT_SECONDS = 60
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "Debian's chromium is not installed (scripts/test.sh installs it)"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, chromium_executable: str) -> dict:
    """pytest-playwright's launch arguments, pointed at the system Chromium (no browser download)."""
    return {**browser_type_launch_args, "executable_path": chromium_executable,
            "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_cli(*argv: str, db_url: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real `dengar` command, as an operator would type it."""
    completed = subprocess.run([sys.executable, "-m", "dengar", *argv, "--db", db_url], cwd=REPO_ROOT,
                               input=stdin, capture_output=True, text=True, timeout=300)
    if completed.returncode != 0:
        raise AssertionError(f"dengar {' '.join(argv)} failed ({completed.returncode}):\n{completed.stderr}")
    return completed


@dataclass
class Console:
    """A console server process and the accounts it knows."""

    db_url: str
    folder: Path
    passwords: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    base_url: str = ""

    def add_users(self) -> None:
        for role in ROLES:
            password = secrets.token_urlsafe(12)
            run_cli("user", "add", role, "--role", role, db_url=self.db_url, stdin=password + "\n")
            self.passwords[role] = password

    def start(self) -> None:
        port = _free_port()
        log = open(self.folder / "console.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dengar", "console", "--host", "127.0.0.1", "--port", str(port), "--db", self.db_url],
            cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        self.base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the console exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base_url + "/login", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"the console did not answer within {START_TIMEOUT_SECONDS} s:\n{self.log()}")

    def log(self) -> str:
        path = self.folder / "console.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_console(folder: Path, imports: Sequence[Sequence[str]]) -> Console:
    """Import each argument list with `dengar import`, add one account per role, serve the console."""
    folder.mkdir(parents=True, exist_ok=True)
    console = Console(db_url=f"sqlite:///{folder / 'dengar.db'}", folder=folder)
    for arguments in imports:
        run_cli("import", *arguments, "-q", db_url=console.db_url)
    console.add_users()
    console.start()
    return console


@pytest.fixture(scope="session")
def sample_console(tmp_path_factory: pytest.TempPathFactory, chromium_executable: str) -> Iterator[Console]:
    """The console over the bundled sample data, imported with the real CLI."""
    samples = sorted(str(p) for p in (REPO_ROOT / "samples").iterdir() if p.is_dir())
    console = start_console(tmp_path_factory.mktemp("sample-console"), [samples])
    try:
        yield console
    finally:
        console.stop()


@pytest.fixture(scope="session")
def login() -> Callable:  # type: ignore[type-arg]
    """Sign a page in as the account of ``role`` on ``console``; returns the page, on the queue."""

    def sign_in(page, console: Console, role: str):  # type: ignore[no-untyped-def]
        page.goto(console.base_url + "/login")
        page.fill("input[name=username]", role)
        page.fill("input[name=password]", console.passwords[role])
        page.locator("form[action='/login'] [type=submit]").click()
        page.wait_for_url(lambda url: "/login" not in url)
        return page

    return sign_in


@pytest.fixture(scope="session")
def screenshot() -> Callable:  # type: ignore[type-arg]
    """Save a full-page screenshot under artifacts/screenshots/ (kept by CI for a person to look at)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:  # type: ignore[no-untyped-def]
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}, "locale": "id-ID",
            "timezone_id": "Asia/Jakarta"}


@pytest.fixture(scope="session")
def console_factory() -> Callable[[Path, Sequence[Sequence[str]]], Console]:
    """``start_console`` for test modules (importlib mode lets them import no conftest); the caller stops it."""
    return start_console

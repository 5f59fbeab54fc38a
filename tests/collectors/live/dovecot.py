"""A real Dovecot IMAP server for the e-mail collector tests, started in the foreground on loopback.

One server per test session; each test gets its own user (and so its own maildir) so tests never
see each other's mail. Messages are delivered with the standard library's ``imaplib`` APPEND, the
way a mail client would file them, and mailbox state (UIDVALIDITY, flags) is changed through the
same IMAP connection or ``doveadm``, so the collector under test sees only what a real server says.
"""

from __future__ import annotations

import contextlib
import imaplib
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAIL_UID = 65534  # Dovecot refuses to run mail processes as root
START_TIMEOUT_SECONDS = 30


class DovecotUnavailable(RuntimeError):
    """No Dovecot binary on this machine."""


def free_local_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(workdir: Path, port: int) -> str:
    return f"""\
protocols = imap
listen = 127.0.0.1
base_dir = {workdir}/run
state_dir = {workdir}/state
log_path = {workdir}/dovecot.log
info_log_path = {workdir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{workdir}/mail/%u
default_internal_user = nobody
default_login_user = nobody
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {workdir}/users/%u
}}
userdb {{
  driver = static
  args = uid={MAIL_UID} gid={MAIL_UID} home={workdir}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def _quoted(mailbox: str) -> str:
    """imaplib sends mailbox names as they are; a name with a space must be quoted."""
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Mailbox:
    """An IMAP session of one test user, used to deliver and inspect mail."""

    connection: imaplib.IMAP4

    def append(self, message: bytes, mailbox: str = "INBOX", flags: str = "") -> None:
        status, data = self.connection.append(_quoted(mailbox), flags or None, None, message)
        if status != "OK":
            raise RuntimeError(f"APPEND to {mailbox} failed: {data!r}")

    def create(self, mailbox: str) -> None:
        status, data = self.connection.create(_quoted(mailbox))
        if status != "OK":
            raise RuntimeError(f"CREATE {mailbox} failed: {data!r}")

    def flags(self, mailbox: str = "INBOX") -> dict[int, str]:
        """UID -> FLAGS list as the server reports it (read-only, so looking changes nothing)."""
        status, _ = self.connection.select(mailbox, readonly=True)
        if status != "OK":
            raise RuntimeError(f"EXAMINE {mailbox} failed")
        status, data = self.connection.uid("FETCH", "1:*", "(FLAGS)")
        result: dict[int, str] = {}
        for line in data:
            if not line:
                continue
            text = line.decode() if isinstance(line, bytes) else line[0].decode()
            match = re.search(r"UID (\d+).*FLAGS \(([^)]*)\)|FLAGS \(([^)]*)\).*UID (\d+)", text)
            if match:
                uid = match.group(1) or match.group(4)
                result[int(uid)] = match.group(2) if match.group(2) is not None else match.group(3)
        self.connection.close()
        return result

    def uidvalidity(self, mailbox: str = "INBOX") -> int:
        status, data = self.connection.status(mailbox, "(UIDVALIDITY)")
        match = re.search(rb"UIDVALIDITY (\d+)", data[0] or b"")
        if status != "OK" or not match:
            raise RuntimeError(f"STATUS {mailbox} failed: {data!r}")
        return int(match.group(1))


@dataclass
class DovecotServer:
    workdir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    _users: Iterator[int] = field(default_factory=itertools.count)

    @property
    def config_path(self) -> Path:
        return self.workdir / "dovecot.conf"

    def start(self) -> None:
        for sub in ("run", "state"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        mail = self.workdir / "mail"
        mail.mkdir(exist_ok=True)
        os.chown(mail, MAIL_UID, MAIL_UID)
        (self.workdir / "users").mkdir(exist_ok=True)
        self.config_path.write_text(_config(self.workdir, self.port))
        self.process = subprocess.Popen(
            ["dovecot", "-F", "-c", str(self.config_path)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return
            time.sleep(0.1)
        raise RuntimeError(f"dovecot did not answer on port {self.port}:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(Exception):
                subprocess.run(["doveadm", "-c", str(self.config_path), "stop"],
                               capture_output=True, timeout=15)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join((self.workdir / "dovecot.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def add_user(self, password: str = "rahasia-uji") -> tuple[str, str]:
        """A new user with an empty maildir; returns (username, password)."""
        username = f"warga{next(self._users)}"
        # one passwd-file per user: Dovecot opens it fresh, so a user added a moment ago can log in
        (self.workdir / "users" / username).write_text(f"{username}:{{PLAIN}}{password}\n")
        return username, password

    @contextlib.contextmanager
    def mailbox(self, username: str, password: str) -> Iterator[Mailbox]:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        try:
            connection.login(username, password)
            yield Mailbox(connection)
        finally:
            with contextlib.suppress(Exception):
                connection.logout()

    def doveadm(self, *args: str) -> str:
        completed = subprocess.run(["doveadm", "-c", str(self.config_path), *args],
                                   capture_output=True, text=True, timeout=30)
        if completed.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)} failed: {completed.stderr}{completed.stdout}")
        return completed.stdout

    def set_uidvalidity(self, username: str, mailbox: str, uidvalidity: int) -> None:
        """What a server restore or mailbox rebuild does: the same mail under a new UIDVALIDITY."""
        self.doveadm("mailbox", "update", "-u", username, "--uid-validity", str(uidvalidity), mailbox)

    def kick(self, username: str) -> None:
        """Disconnect every session of ``username`` (the server says BYE and closes)."""
        self.doveadm("kick", username)


def start_dovecot() -> DovecotServer:
    if not shutil.which("dovecot") or not shutil.which("doveadm"):
        raise DovecotUnavailable("dovecot/doveadm not found; install the dovecot-imapd package")
    if os.geteuid() != 0:
        raise DovecotUnavailable("the test Dovecot runs its mail processes as uid 65534, which needs root")
    last_error: Exception | None = None
    for _attempt in range(3):  # another process may take the free port before Dovecot binds it
        workdir = Path(tempfile.mkdtemp(prefix="dengar-dovecot-"))
        os.chmod(workdir, 0o755)
        server = DovecotServer(workdir, free_local_port())
        try:
            server.start()
            return server
        except Exception as error:
            server.stop()
            last_error = error
    raise RuntimeError(f"could not start a test Dovecot: {last_error}")


def dovecot_or_skip() -> Iterator[DovecotServer]:
    """A running Dovecot for a fixture to yield from: skipped without one, except in CI, where it fails."""
    import pytest

    from tests.conftest import running_in_ci

    try:
        server = start_dovecot()
    except DovecotUnavailable as missing:
        if running_in_ci():
            pytest.fail(f"Dovecot is required in CI: {missing}", pytrace=False)
        pytest.skip(str(missing))
    try:
        yield server
    finally:
        server.stop()

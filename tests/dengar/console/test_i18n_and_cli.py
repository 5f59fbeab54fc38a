"""Interface strings in both languages, and the console's command-line side (`dengar user add`, `dengar console`)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from dengar.cli import main
from dengar.console.i18n import LOCALES_DIR, Translations
from sink.database import open_engine
from sink.models import AuditRow, OperatorRow

TEMPLATES = Path(__file__).resolve().parents[3] / "dengar" / "console" / "templates"
STATIC_KEY = re.compile(r"""\bt\(\s*["']([a-z_.]*[a-z_])["']""")


def test_english_has_every_indonesian_string_and_no_extra():
    translations = Translations.load(LOCALES_DIR)
    assert set(translations.strings["id"]) == set(translations.strings["en"])


def test_every_string_a_template_names_exists():
    known = set(Translations.load(LOCALES_DIR).strings["id"])
    used = {key for path in TEMPLATES.glob("*.html") for key in STATIC_KEY.findall(path.read_text(encoding="utf-8"))}
    assert used and sorted(used - known) == []


def test_placeholders_are_filled_and_unknown_keys_show_themselves():
    translations = Translations.load(LOCALES_DIR)
    assert translations.text("id", "queue.count", count=3) == "3 tiket"
    assert translations.text("en", "queue.count", count=3) == "3 tickets"
    assert translations.text("en", "no.such.key") == "no.such.key"


def test_user_add_reads_the_password_from_standard_input_and_hashes_it(sqlite_url, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("sandi-yang-panjang-1\n"))
    assert main(["user", "add", "Siti", "--role", "operator", "--db", sqlite_url]) == 0
    engine = open_engine(sqlite_url)
    with engine.connect() as connection:
        row = connection.execute(select(OperatorRow.__table__)).one()
        audit = connection.execute(select(AuditRow.__table__).where(AuditRow.action == "user_add")).one()
    engine.dispose()
    assert (row.username, row.role) == ("siti", "operator")
    assert row.password_hash.startswith("$argon2id$") and "sandi-yang-panjang-1" not in row.password_hash
    assert audit.after == {"username": "siti", "role": "operator"}
    monkeypatch.setattr(sys, "stdin", io.StringIO("sandi-yang-panjang-1\n"))
    assert main(["user", "add", "siti", "--role", "viewer", "--db", sqlite_url]) == 2  # already exists


@pytest.mark.parametrize(("role", "password"), [("operator", "pendek"), ("superuser", "sandi-yang-panjang-1")])
def test_user_add_refuses_weak_passwords_and_unknown_roles(sqlite_url, monkeypatch, role, password):
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    with pytest.raises(SystemExit) if role == "superuser" else _nothing():
        assert main(["user", "add", "budi", "--role", role, "--db", sqlite_url]) == 2


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_dengar_console_serves_the_login_page(sqlite_url, repo_root):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "dengar", "console", "--port", str(port), "--db", sqlite_url],
                               cwd=repo_root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
                    body = response.read().decode()
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "the console did not start"
                time.sleep(0.2)
        assert response.status == 200 and "Masuk" in body and 'name="csrf_token"' in body
    finally:
        process.terminate()
        process.wait(timeout=30)

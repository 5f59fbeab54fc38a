"""The commented source examples in the bundled dengar.toml are valid configuration once uncommented.

People copy them; a renamed key in a collector must not leave the documentation behind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dengar.cli import main

EXAMPLE_LINE = re.compile(r"^# ?(\[\[sources\]\].*|\[daemon\].*|[a-z_]+ = .*)$")


def _uncommented_examples(config: Path, session_file: Path) -> str:
    text = config.read_text(encoding="utf-8")
    text = text[: text.index("# Qlue-style report JSON")]  # sources and [daemon] come before it
    lines = []
    for line in text.splitlines():
        match = EXAMPLE_LINE.match(line)
        lines.append(match.group(1) if match else line)
    return "\n".join(lines).replace("/var/lib/dengar/session-dengarbot", str(session_file))


def test_every_commented_source_example_is_valid(repo_root: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    session = tmp_path / "session-dengarbot"
    session.write_bytes(b"")
    config = tmp_path / "dengar.toml"
    config.write_text(_uncommented_examples(repo_root / "config" / "dengar.toml", session), encoding="utf-8")
    for variable in ("DENGAR_X_BEARER_TOKEN", "DENGAR_IMAP_PASSWORD", "DENGAR_OPEN311_KEY"):
        monkeypatch.setenv(variable, "example-secret")
    status = main(["config", "check", "--config", str(config), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    output = capsys.readouterr().out
    assert status == 0, output
    for source_type in ("twitter", "instagram", "email", "rss", "open311", "qlue"):
        assert f"({source_type}): ok" in output

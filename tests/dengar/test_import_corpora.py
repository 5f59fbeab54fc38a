"""Third-party data through `dengar import`, storage included: every item ingested or quarantined
with a readable reason, never a crash, never a silent drop (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import create_engine, func, select

from dengar.cli import main
from sink.models import MentionRow, QuarantineRow, RawItemRow


def counts(db_url: str) -> dict[str, int]:
    engine = create_engine(db_url)
    with engine.connect() as connection:
        result = {
            "raw": connection.execute(select(func.count()).select_from(RawItemRow)).scalar(),
            "mentions": connection.execute(select(func.count()).select_from(MentionRow)).scalar(),
            "quarantined": connection.execute(select(func.count()).select_from(QuarantineRow)).scalar(),
            "unprocessed": connection.execute(select(func.count()).select_from(RawItemRow).where(RawItemRow.state == "new")).scalar(),
            "reasonless": connection.execute(select(func.count()).select_from(QuarantineRow).where(func.length(QuarantineRow.error) < 3)).scalar(),
        }
    engine.dispose()
    return result


def summary_total(stderr: str) -> tuple[int, int, int, int]:
    line = next(line for line in stderr.splitlines() if line.startswith("total"))
    read, new, known, quarantined = (int(x) for x in line.split()[1:5])
    return read, new, known, quarantined


def test_shared_corpora_import_without_loss(db_url, shared_dir: Path, tweepy_response_files: list[Path], capsys):
    corpora = shared_dir / "corpora"
    paths = [corpora / "feedparser-tests", corpora / "cpython-email", tweepy_response_files[0].parent]
    assert main(["import", *map(str, paths), "--db", db_url, "-q", "-v"]) == 0
    err = capsys.readouterr().err
    read, new, known, quarantined = summary_total(err)
    stored = counts(db_url)
    assert read > 1500 and stored["raw"] == new
    assert stored["unprocessed"] == 0
    assert stored["mentions"] + stored["quarantined"] == stored["raw"]
    assert stored["quarantined"] == quarantined and stored["reasonless"] == 0
    # every file is accounted for: read, or skipped with a reason (licences, helper code)
    skipped = re.findall(r"^skipped (.+?): (.+)$", err, flags=re.M)
    assert all(reason for _, reason in skipped)
    user_lookups = {path.name for path in tweepy_response_files if b'"text"' not in path.read_bytes()}  # no messages
    unexpected = {Path(path).name for path, _ in skipped} - user_lookups - {"LICENSE", "LICENSE.txt"} - {
        "rss_empty_document.xml",  # a comment and nothing else
        "msg_19.txt",  # a digest body without any header
    }
    assert {name for name in unexpected if not name.endswith(".py")} == set()

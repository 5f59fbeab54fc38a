"""`dengar import / export / reprocess` end to end, through the real CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select

from dengar.cli import main
from sink.models import RawItemRow

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"


def dengar(*argv: str) -> int:
    return main([*argv])


def export_mentions(db_url: str, tmp_path: Path) -> dict[tuple[str, str], dict]:
    out = tmp_path / f"mentions-{time.monotonic_ns()}.jsonl"
    assert dengar("export", "mentions", "--format", "jsonl", "--db", db_url, "-o", str(out)) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {(r["channel"], r["external_id"]): r for r in records}


def partition(mentions: dict[tuple[str, str], dict]) -> set[frozenset]:
    """Tickets as sets of messages: comparable across databases whatever the ticket ids are."""
    groups: dict[int, set] = {}
    for key, record in mentions.items():
        if record["ticket_id"] is not None:
            groups.setdefault(record["ticket_id"], set()).add(key)
    return {frozenset(group) for group in groups.values()}


def raw_count(db_url: str) -> int:
    """Raw items stored so far (0 before the importing process has created the schema)."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("raw_items"):
                return 0
            return connection.execute(select(func.count()).select_from(RawItemRow)).scalar()
    finally:
        engine.dispose()


def load_throughput_module():
    spec = importlib.util.spec_from_file_location("throughput_bench", REPO / "benchmarks" / "throughput.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tweet_archive(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "tweets.jsonl"
    load_throughput_module().generate_archive(path, 3000, seed=11)
    return path


def test_samples_import_once_export_everything_reimport_adds_nothing(db_url, tmp_path, capsys):
    assert dengar("import", str(SAMPLES), "--db", db_url, "-q") == 0
    first = capsys.readouterr().err
    assert "total" in first
    mentions = export_mentions(db_url, tmp_path)
    stored = raw_count(db_url)
    assert len(mentions) >= 100 and stored >= len(mentions)
    assert {channel for channel, _ in mentions} == {"twitter", "instagram", "email", "rss", "open311", "qlue"}
    assert any(r["ticket_id"] is not None for r in mentions.values())
    assert any(r["ticket_id"] is None for r in mentions.values())

    assert dengar("import", str(SAMPLES), "--db", db_url, "-q") == 0
    again = capsys.readouterr().err
    total_line = next(line for line in again.splitlines() if line.startswith("total"))
    read, new, known = (int(x) for x in total_line.split()[1:4])
    assert new == 0 and known == read >= stored  # an archive may list a message twice (two searches)
    assert export_mentions(db_url, tmp_path) == mentions


def test_reprocess_gives_the_same_result_as_a_fresh_import(db_url, tmp_path):
    assert dengar("import", str(SAMPLES), "--db", db_url, "-q") == 0
    before = export_mentions(db_url, tmp_path)
    assert dengar("reprocess", "--db", db_url) == 0
    assert export_mentions(db_url, tmp_path) == before


def test_operator_split_is_kept_by_reprocess(sqlite_url, tmp_path):
    assert dengar("import", str(SAMPLES), "--db", sqlite_url, "-q") == 0
    mentions = export_mentions(sqlite_url, tmp_path)
    groups = sorted((sorted(group) for group in partition(mentions) if len(group) > 1), key=len, reverse=True)
    channel, external_id = groups[0][-1]
    assert dengar("split", f"{channel}:{external_id}", "--db", sqlite_url, "--actor", "ani") == 0
    after_split = partition(export_mentions(sqlite_url, tmp_path))
    assert frozenset({(channel, external_id)}) in after_split
    assert dengar("reprocess", "--db", sqlite_url) == 0
    assert partition(export_mentions(sqlite_url, tmp_path)) == after_split


def test_killed_import_resumes_without_loss_or_doubles(db_url, tweet_archive, tmp_path):
    """SIGKILL an import mid-way, several times; the finished database equals an uninterrupted one."""
    env = {**os.environ, "DENGAR_DATABASE_URL": db_url}
    command = [sys.executable, "-m", "dengar", "import", str(tweet_archive), "-q", "--batch-size", "200"]
    killed_mid_run = 0
    for kill_after in (0.1, 0.3, 0.6):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        before = raw_count(db_url)
        deadline = time.monotonic() + 60
        while raw_count(db_url) <= before and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        time.sleep(kill_after)
        if process.poll() is None and raw_count(db_url) < 3000:
            killed_mid_run += 1
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert killed_mid_run >= 2, "the import finished before it could be killed: make the archive bigger"
    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    interrupted = export_mentions(db_url, tmp_path)

    reference_db = f"sqlite:///{tmp_path / 'reference.db'}"
    assert dengar("import", str(tweet_archive), "--db", reference_db, "-q", "--batch-size", "200") == 0
    reference = export_mentions(reference_db, tmp_path)
    assert len(interrupted) == len(reference) == 3000
    assert raw_count(db_url) == 3000
    assert partition(interrupted) == partition(reference)


def test_cli_errors_say_what_to_do(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert dengar("import", str(tmp_path / "missing.jsonl"), "--db", db) == 2
    assert "no such file or folder" in capsys.readouterr().err
    junk = tmp_path / "notes.txt"
    junk.write_text("just some notes, not an archive\n")
    assert dengar("import", str(junk), "--db", db, "-q") == 1
    err = capsys.readouterr().err
    assert "skipped" in err and "nothing could be read" in err
    bad_config = tmp_path / "dengar.toml"
    bad_config.write_text('[console]\nport = "eighty"\n')
    assert dengar("import", str(junk), "--db", db, "--config", str(bad_config)) == 2
    assert "console.port" in capsys.readouterr().err
    assert dengar("export", "mentions", "--since", "yesterday", "--db", db) == 2
    assert "is not a date" in capsys.readouterr().err


def test_qlue_reports_with_other_field_names_import_through_the_configured_mapping(tmp_path):
    reports = tmp_path / "laporan.json"
    reports.write_text(json.dumps({"results": [
        {"id_laporan": 77, "waktu": "2026-10-03 08:15:00", "judul": "Sampah menumpuk",
         "isi": "Sampah belum diangkut 3 hari di Jl. Kenari, Kel. Kenari", "pelapor": "warga77",
         "lokasi": {"lat": -6.19, "lng": 106.85}},
    ]}))
    config = tmp_path / "dengar.toml"
    config.write_text('[qlue]\nid_field = "id_laporan"\ndate_field = "waktu"\ntitle_field = "judul"\n'
                      'text_field = "isi"\nauthor_field = "pelapor"\nlat_field = "lokasi.lat"\nlng_field = "lokasi.lng"\n')
    db = f"sqlite:///{tmp_path / 'q.db'}"
    assert dengar("import", str(reports), "--channel", "qlue", "--config", str(config), "--db", db, "-q") == 0
    (record,) = export_mentions(db, tmp_path).values()
    assert (record["channel"], record["external_id"]) == ("qlue", "77")
    assert record["created_at"] == "2026-10-03T01:15:00Z"  # 08:15 WIB
    assert record["location"]["lat"] == -6.19 and record["category"] == "sampah"

    bad = tmp_path / "bad.toml"
    bad.write_text('[qlue]\nid_feld = "x"\n')
    assert dengar("import", str(reports), "--config", str(bad), "--db", db) == 2


def test_database_outage_mid_import_stops_cleanly_and_the_rerun_loses_nothing(postgres_server, postgres_database_url,
                                                                               tweet_archive, tmp_path):
    """The database refuses connections mid-import: the import says so and stops; once it is back,
    running the same import again completes it, with no message lost or doubled."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = make_url(postgres_database_url).database
    admin = postgres_server.admin_conninfo()
    env = {**os.environ, "DENGAR_DATABASE_URL": postgres_database_url}
    command = [sys.executable, "-m", "dengar", "import", str(tweet_archive), "-q", "--batch-size", "200"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while raw_count(postgres_database_url) == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    with psycopg.connect(admin, autocommit=True) as conn:  # the outage
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
    try:
        _, stderr = process.communicate(timeout=60)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert process.returncode not in (0, None)
    assert "database" in stderr and "run the same command again" in stderr and "Traceback" not in stderr
    assert 0 < raw_count(postgres_database_url) < 3000

    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    reference_db = f"sqlite:///{tmp_path / 'reference.db'}"
    assert dengar("import", str(tweet_archive), "--db", reference_db, "-q", "--batch-size", "200") == 0
    recovered, reference = export_mentions(postgres_database_url, tmp_path), export_mentions(reference_db, tmp_path)
    assert raw_count(postgres_database_url) == len(recovered) == len(reference) == 3000
    assert partition(recovered) == partition(reference)

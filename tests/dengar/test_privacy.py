"""Pseudonymous authors: citizens become stable keyed hashes, the city's accounts stay readable."""

from __future__ import annotations

import json
from pathlib import Path

from dengar.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def exported_authors(db: str, tmp_path: Path) -> list[dict]:
    out = tmp_path / "mentions.jsonl"
    assert main(["export", "mentions", "--db", db, "-o", str(out)]) == 0
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_hashed_authors_are_stable_and_officials_stay_readable(tmp_path, monkeypatch):
    config = tmp_path / "dengar.toml"
    config.write_text("[privacy]\nhash_authors = true\n")
    monkeypatch.setenv("DENGAR_PSEUDONYM_KEY", "a-long-secret-key-for-tests-only")
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["import", str(SAMPLES / "twitter"), "--config", str(config), "--db", db, "-q"]) == 0
    records = exported_authors(db, tmp_path)
    citizens = [r for r in records if r["complaint_reason"] != "official account"]
    officials = [r for r in records if r["complaint_reason"] == "official account"]
    assert citizens and all(r["author"]["handle"].startswith("anon-") and r["author"]["name"] is None for r in citizens)
    assert officials and not any(r["author"]["handle"].startswith("anon-") for r in officials)
    # one citizen, one pseudonym: the archive's author of each tweet maps to exactly one hash
    author_of = {}
    for archive in (SAMPLES / "twitter").glob("*.jsonl"):
        for line in archive.read_text().splitlines():
            page = json.loads(line)
            tweets = page.get("data", [page]) if isinstance(page.get("data"), list) else [page]
            users = {u["id"]: u["username"] for u in page.get("includes", {}).get("users", [])}
            for tweet in tweets:
                author_of[tweet["id"]] = users.get(tweet.get("author_id")) or (tweet.get("author") or {}).get("username")
    pseudonyms: dict[str, set[str]] = {}
    for record in citizens:
        pseudonyms.setdefault(author_of[record["external_id"]], set()).add(record["author"]["handle"])
    assert all(len(hashes) == 1 for hashes in pseudonyms.values())
    assert len({h for hashes in pseudonyms.values() for h in hashes}) == len(pseudonyms)
    assert not set(pseudonyms) & {r["author"]["handle"] for r in records}


def test_hashing_without_a_key_is_refused_with_the_fix(tmp_path, monkeypatch, capsys):
    config = tmp_path / "dengar.toml"
    config.write_text("[privacy]\nhash_authors = true\n")
    monkeypatch.delenv("DENGAR_PSEUDONYM_KEY", raising=False)
    assert main(["import", str(SAMPLES / "qlue"), "--config", str(config), "--db", f"sqlite:///{tmp_path / 'p.db'}"]) == 2
    assert "DENGAR_PSEUDONYM_KEY" in capsys.readouterr().err

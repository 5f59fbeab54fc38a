"""The quality report's figures from a truth file and an export, without running the pipeline."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str):
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


quality = _load("quality")


def truth_line(channel, ext, incident, category=None, code=None):
    return {"channel": channel, "external_id": ext, "incident": incident, "category": category, "kelurahan_code": code,
            "kelurahan": "X" if code else None}


def row(channel, ext, ticket, category=None, code=None):
    return {"channel": channel, "external_id": ext, "ticket_id": ticket, "is_complaint": ticket is not None, "category": category,
            "location": {"kelurahan_code": code}}


def test_measure_counts_each_kind_of_error_once():
    truth = [
        truth_line("twitter", "1", "inc-1", "banjir", "31.74.06.1001"),
        truth_line("twitter", "2", "inc-1", "banjir", None),
        truth_line("qlue", "9", "inc-2", "sampah", "31.71.01.1001"),
        truth_line("email", "m1", None),  # a bounce
        truth_line("email", "m2", None),  # spam
        truth_line("rss", "lost-one", "inc-3", "jalan_rusak", "31.72.01.1001"),
    ]
    export = {(r["channel"], r["external_id"]): r for r in [
        row("twitter", "1", 10, "banjir", "31.74.06.1001"),
        row("twitter", "2", 10, "banjir", None),
        row("qlue", "9", 10, "saluran_air", "31.71.01.1002"),  # wrongly merged, wrong category and place
        row("email", "m1", None),
        row("email", "m2", 11, "lainnya"),  # spam given a ticket
        row("rss", "extra", None),  # exported, not in truth
    ]}
    report = quality.measure(truth, quality.Run(export, []))
    o = report["overall"]
    assert (o["messages"], o["exported"], o["lost"], o["exported_not_in_truth"]) == (6, 5, 1, 1)
    # complaints: 1,2 (inc-1) and 9 (inc-2) in ticket 10; lost-one alone
    # precision: 2/3 + 2/3 + 1/3 + 1 over 4; recall: 1 + 1 + 1 + 1 over 4
    assert o["precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert o["recall"] == pytest.approx(1.0)
    assert (o["category"], o["category_n"]) == (pytest.approx(0.5), 4)
    assert (o["kelurahan"], o["kelurahan_n"]) == (pytest.approx(1 / 3), 3)
    assert (o["noise_ticketed"], o["noise_ticketed_n"]) == (pytest.approx(0.5), 1)
    assert report["by_channel"]["email"]["noise_ticketed_n"] == 1
    assert report["by_channel"]["twitter"]["f1"] == pytest.approx(1.0)
    assert {"expected": "sampah", "got": "saluran_air", "count": 1} in report["category_confusions"]
    assert report["merged_tickets"] == [{"ticket": 10, "incidents": {"inc-1": 2, "inc-2": 1}}]
    assert report["lost_examples"] == ["rss:lost-one"]
    assert [n["external_id"] for n in report["noise_ticketed_examples"]] == ["m2"]


def test_main_without_truth_file_still_exits_zero(tmp_path, capsys):
    assert quality.main(["--corpus", str(tmp_path)]) == 0
    assert "no truth file" in capsys.readouterr().err

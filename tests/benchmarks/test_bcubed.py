"""B-cubed and accuracy on small cases worked out by hand."""

from __future__ import annotations

import importlib.util
import sys
from fractions import Fraction
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load_bcubed():
    spec = importlib.util.spec_from_file_location("benchmarks_bcubed", BENCHMARKS / "bcubed.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


bc = _load_bcubed()


def test_textbook_split_and_merge():
    # truth: {a,b,c} {d,e}; predicted: {a,b} {c,d,e}
    truth = {"a": "X", "b": "X", "c": "X", "d": "Y", "e": "Y"}
    predicted = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2}
    score = bc.bcubed(truth, predicted)
    # precision: 1 + 1 + 1/3 + 2/3 + 2/3 over 5; recall: 2/3 + 2/3 + 1/3 + 1 + 1 over 5
    assert score.precision == pytest.approx(float(Fraction(11, 15)))
    assert score.recall == pytest.approx(float(Fraction(11, 15)))
    assert score.f1 == pytest.approx(float(Fraction(11, 15)))
    assert score.items == 5


def test_every_message_its_own_ticket_keeps_precision_loses_recall():
    truth = {"a": "X", "b": "X", "c": "Y"}
    score = bc.bcubed(truth, {"a": 1, "b": 2, "c": 3})
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(0.8)


def test_one_ticket_for_everything_keeps_recall_loses_precision():
    truth = {"a": "X", "b": "X", "c": "Y"}
    score = bc.bcubed(truth, {"a": 7, "b": 7, "c": 7})
    assert score.precision == pytest.approx(5 / 9)
    assert score.recall == pytest.approx(1.0)


def test_missing_or_null_predictions_are_singletons_not_one_cluster():
    truth = {"a": "X", "b": "X", "c": "X"}
    score = bc.bcubed(truth, {"a": None, "b": None})  # c is missing altogether
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx(1 / 3)


def test_predicted_items_outside_truth_do_not_count():
    truth = {"a": "X", "b": "Y"}
    score = bc.bcubed(truth, {"a": 1, "b": 2, "spam": 1, "news": 2})
    assert (score.precision, score.recall) == (pytest.approx(1.0), pytest.approx(1.0))


def test_perfect_and_empty():
    truth = {"a": "X", "b": "X", "c": "Y"}
    assert bc.bcubed(truth, {"a": "t1", "b": "t1", "c": "t2"}).f1 == pytest.approx(1.0)
    assert bc.bcubed({}, {}).items == 0


def test_accuracy_and_confusions():
    pairs = [("banjir", "banjir"), ("sampah", "saluran_air"), ("sampah", "saluran_air"), ("banjir", None)]
    acc = bc.accuracy(pairs)
    assert (acc.correct, acc.total) == (1, 4)
    assert acc.value == pytest.approx(0.25)
    assert bc.confusions(pairs) == [("sampah", "saluran_air", 2), ("banjir", None, 1)]
    assert bc.confusions(pairs, top=1) == [("sampah", "saluran_air", 2)]
    assert bc.accuracy([]).value == 1.0

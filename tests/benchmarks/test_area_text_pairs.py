"""The pairs area_text_pairs.py measures are those the place leaves to the words."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from area_text_pairs import Report, kecamatan_level_pairs  # noqa: E402

from dedup.signature import text_signature  # noqa: E402

HOUR = 3600.0


def report(incident: str, text: str, *, category="banjir", kecamatan="Pasar Minggu", kelurahan=None, street=None, hours=0.0):
    return Report(incident, category, kecamatan, kelurahan, street, hours * HOUR, frozenset(text.split()), text_signature(text))


def test_only_pairs_that_the_place_does_not_settle_are_measured():
    base = report("a", "banjir sepinggang warga ngungsi", kelurahan="31.74.04.1002")
    pairs = kecamatan_level_pairs([
        base,
        report("a", "banjir sepinggang warga ngungsi", street="jalan raya ragunan", hours=1),  # measured
        report("b", "banjir sepinggang", kelurahan="31.74.04.1002", street="jalan raya ragunan", hours=2),  # same kelurahan, same street
        report("c", "sampah numpuk", category="sampah", hours=1),  # another category
        report("d", "banjir lagi", kecamatan="Cilandak", hours=1),  # another kecamatan
        report("e", "banjir lagi", hours=100),  # out of the window
    ])
    assert len(pairs) == 1
    same, measures = pairs[0]
    assert same and measures["content"] == 1.0 and measures["overlap"] == 1.0 and measures["char5"] > 0.9

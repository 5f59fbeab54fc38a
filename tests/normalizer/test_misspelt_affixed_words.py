"""Misspellings under affixes and misspelt slang fold onto the vocabulary root."""

from pathlib import Path

import pytest

from normalizer.analyzer import load_analyzer

CONFIG = Path(__file__).resolve().parents[2] / "config"


@pytest.fixture(scope="module")
def analyzer():
    return load_analyzer(CONFIG)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("rumah kami kebanjran dari subuh", "banjir"),
        ("gang sebelah kebnjiran lagi", "banjir"),
        ("lobagn dimana2 di jalan raya", "jalan_rusak"),
        ("motor kejeblos lobagnya dalem", "jalan_rusak"),
        ("ketumpkan sampah di pinggir kali", "sampah"),
    ],
)
def test_misspelt_affixed_word_counts_for_its_category(analyzer, text, category):
    assert analyzer.analyze_text(text).category == category


@pytest.mark.parametrize(
    "text",
    ["Selamat pagi Jakarta, semangat beraktivitas", "semalaman nonton bola sama teman", "terima kasih atas perhatiannya"],
)
def test_real_words_are_not_taken_for_misspellings(analyzer, text):
    assert analyzer.analyze_text(text).category == "lainnya"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("air menggenang setinggi ban motor", "banjir"),  # meng- before g: menggenang of genang
        ("air nggenang di underpass", "banjir"),  # slang for menggenang, which folds in turn
        ("ketinggian air sudah 70 cm di gang kami", "banjir"),
    ],
)
def test_standard_forms_slang_stands_for_fold_like_any_word(analyzer, text, category):
    assert analyzer.analyze_text(text).category == category


def test_words_listed_as_themselves_do_not_fold(analyzer):
    keys = analyzer.reader.read("mbak berapa ketinggian gedung itu").text.keys
    assert keys == ["mbak", "berapa", "ketinggian", "gedung", "itu"]
    assert analyzer.analyze_text("gedung tinggi, air mancur mati").category != "banjir"

"""Kelurahan whose names are nothing but the place are found written bare; everyday words are not."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from normalizer.analyzer import load_analyzer
from normalizer.types import Author, Mention

CONFIG = Path(__file__).resolve().parents[2] / "config"


@pytest.fixture(scope="module")
def analyzer():
    return load_analyzer(CONFIG)


def place_of(analyzer, text: str):
    item = Mention(
        channel="twitter",
        external_id="1",
        source="test",
        created_at=datetime(2024, 1, 1, tzinfo=timezone.utc),
        text=text,
        author=Author(id="warga", handle="warga", name="Warga"),
    )
    analyzer.analyze([item])
    return item.place


@pytest.mark.parametrize(
    ("text", "kelurahan", "kecamatan"),
    [
        ("sampah numpuk di susukan udah seminggu", "Susukan", "Ciracas"),
        ("Lampu jalan mati di Gg. Melati, Susukan", "Susukan", "Ciracas"),
        ("air pam gak ngalir di joglo dari kemarin", "Joglo", "Kembangan"),
        ("JALAN BERLUBANG DI JOGLO", "Joglo", "Kembangan"),
        ("got mampet daerah galur, bau banget", "Galur", "Johar Baru"),
        ("banjir lagi di kebon baru, air masuk rumah", "Kebon Baru", "Tebet"),
        ("parkir liar di selong bikin macet", "Selong", "Kebayoran Baru"),
        ("trotoar rusak di pegangsaan", "Pegangsaan", "Menteng"),
    ],
)
def test_place_only_names_need_no_context_word(analyzer, text, kelurahan, kecamatan):
    place = place_of(analyzer, text)
    assert (place.kelurahan, place.kecamatan) == (kelurahan, kecamatan)


@pytest.mark.parametrize(
    "text",
    [
        "pohon tumbang di tengah jalan",
        "jalan baru diaspal udah rusak lagi",
        "pohon rambutan tumbang nutup gang",
        "lampu di pasar baru dipasang tapi mati lagi",
        "tanah tinggi di pinggir kali longsor",
    ],
)
def test_everyday_words_still_need_context(analyzer, text):
    assert place_of(analyzer, text).kelurahan is None


@pytest.mark.parametrize(
    "text",
    [
        "lampu jalan padam di Jl. Kavling DKI, Kel. Galur, Kec. Johar Baru",
        "got mampet di kelurahan galur",
        "sampah numpuk di Kel. Galur",
    ],
)
def test_official_name_and_its_alias_are_one_reading(analyzer, text):
    place = place_of(analyzer, text)
    assert place.kelurahan == "Galur" and place.ambiguous == ()


@pytest.mark.parametrize(
    "text",
    [
        "Pohon tumbang di Jl. Sisingamangaraja depan Masjid Agung Al-Azhar",
        "parkir liar depan masjid al-azhar bikin macet",
        "sampah numpuk di samping Masjid Al-Azhar!!",
        "sampah numpuk di samping masjid al azhar",
    ],
)
def test_hyphenated_landmark_is_found(analyzer, text):
    place = place_of(analyzer, text)
    assert place.kelurahan == "Selong" and place.landmark is not None


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("seberang kampung pulo juga sama, bidara cina RW 07 banjir setinggi dada", "Bidara Cina"),
        ("dari kampung pulo sampe bidara cina kebanjiran semua", "Bidara Cina"),
        ("banjir di kemang, tepatnya di cipete utara", "Cipete Utara"),
        ("banjir di kampung pulo", "Kampung Melayu"),
    ],
)
def test_official_name_outranks_a_neighbourhood_alias(analyzer, text, kelurahan):
    assert place_of(analyzer, text).kelurahan == kelurahan


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("jalan ancur deket Terminal Kampung Rambutan, dari arah cibubur hati2", "Rambutan"),
        ("lampu mati depan Stasiun Manggarai arah tebet", "Manggarai"),
    ],
)
def test_landmark_keeps_its_place_before_a_later_official_name(analyzer, text, kelurahan):
    assert place_of(analyzer, text).kelurahan == kelurahan


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("tadi pagi lewat samping pangkalan ojek di Pasar Baru, got mampet penuh lumpur", "Pasar Baru"),
        ("saluran airnya ketutup sampah di jl Pasar Baru Timur, Pasar Baru!! kapan dikeruk", "Pasar Baru"),
        ("air pam mati di Tanah Tinggi dari kemarin", "Tanah Tinggi"),
    ],
)
def test_a_two_word_everyday_name_written_as_a_name_is_the_kelurahan(analyzer, text, kelurahan):
    assert place_of(analyzer, text).kelurahan == kelurahan


@pytest.mark.parametrize(
    "text",
    [
        "di pasar baru deket rumah sampahnya numpuk",  # any new market
        "Baru aja lewat, sampah numpuk di pinggir jalan",  # one capitalised word opening a sentence
    ],
)
def test_the_same_words_written_plainly_are_no_place(analyzer, text):
    assert place_of(analyzer, text).kelurahan is None

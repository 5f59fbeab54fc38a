"""The places an operator can choose from: Jakarta's official kelurahan, with their kecamatan and kota."""

from __future__ import annotations

from dataclasses import dataclass

from normalizer.gazetteer import Gazetteer, load_gazetteer


@dataclass(frozen=True)
class PlaceChoices:
    gazetteer: Gazetteer

    @classmethod
    def load(cls) -> PlaceChoices:
        return cls(load_gazetteer())

    def by_kota(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """[(kota, [(kelurahan_code, "Kelurahan — Kecamatan"), ...]), ...] for a grouped select."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for kelurahan in self.gazetteer.kelurahan:
            groups.setdefault(kelurahan.kota_name, []).append((kelurahan.code, f"{kelurahan.name} — {kelurahan.kecamatan_name}"))
        return [(kota, sorted(items, key=lambda item: item[1])) for kota, items in groups.items()]

    def kota_names(self) -> list[str]:
        return [kota.name for kota in self.gazetteer.kota]

    def lookup(self, kelurahan_code: str) -> tuple[str, str, str] | None:
        """(kota, kecamatan, kelurahan) names for an official code; None when it is not one."""
        try:
            kelurahan = self.gazetteer.kelurahan_by_code(kelurahan_code)
        except KeyError:
            return None
        return kelurahan.kota_name, kelurahan.kecamatan_name, kelurahan.name

"""Synthetic short Indonesian complaints with known incidents, for dedup's benchmarks.

Each incident (category, kelurahan, street, time) is described by several citizens: some copy
the first text with small edits (a cross-post or a re-post with slang, typos, a dropped or added
word), others tell it in their own words. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from normalizer.types import Author, Mention, Place

START = datetime(2025, 1, 6, 0, 0, tzinfo=timezone.utc)
_NOT_WORD = re.compile(r"[^\w]+")

# 288 kelurahan in 48 kecamatan of 6 kota, about Jakarta's 267 / 44 / 6 (synthetic names).
KELURAHAN = [
    (f"31.7{k}.{c:02d}.10{n:02d}", f"Kelurahan {k}{c}{n}", f"Kecamatan {k}{c}", f"Kota {k}")
    for k in range(1, 7)
    for c in range(1, 9)
    for n in range(1, 7)
]
STREET_NAMES = ["Raya", "Dalam", "Utara", "Selatan", "Timur", "Barat", "Masjid", "Pasar", "Haji Naim", "Kali Baru"]
LANDMARKS = ["Pasar", "Masjid Al Ikhlas", "SDN 05", "Halte TransJakarta", "Puskesmas", "Taman RPTRA"]

TEMPLATES: dict[str, list[str]] = {
    "banjir": [
        "banjir {depth} di {street} sejak {when}, air masuk ke rumah warga, mohon pompa segera dikirim",
        "air sudah {depth} di {street}, motor mogok semua, kapan surutnya ini",
        "tolong {street} banjir lagi {depth}, anak-anak tidak bisa berangkat sekolah",
        "genangan {depth} belum surut dari {when} di {street}, got tidak berfungsi",
    ],
    "sampah": [
        "sampah menumpuk di {street} sudah {days}, bau busuk sampai ke rumah, tolong diangkut",
        "truk sampah tidak datang {days} di {street}, tumpukan makin tinggi dan banyak lalat",
        "tempat sampah di {street} penuh meluber ke jalan, mohon petugas kebersihan datang",
    ],
    "jalan_rusak": [
        "jalan berlubang besar di {street}, sudah {n} motor jatuh, mohon segera diperbaiki",
        "aspal {street} rusak parah dan bergelombang, bahaya untuk pengendara malam hari",
        "lubang di {street} makin dalam setelah hujan, tolong ditambal sebelum ada korban",
    ],
    "lampu_jalan": [
        "lampu jalan di {street} mati {days}, gelap gulita rawan begal",
        "penerangan jalan umum {street} padam semua, warga takut lewat malam",
    ],
    "kemacetan": [
        "macet total di {street} arah {dir}, sudah {n} jam tidak bergerak",
        "kendaraan mengular di {street}, lampu lalu lintas mati, tolong polisi atur",
    ],
    "saluran_air": [
        "got mampet di {street}, air hitam meluap ke jalan setiap hujan",
        "saluran air tersumbat sampah di {street}, genangan tidak surut {days}",
    ],
}
DEPTHS = ["selutut", "sepinggang", "semata kaki", "30 cm", "sepaha", "sebetis"]
WHENS = ["subuh", "tadi malam", "jam 3 pagi", "kemarin sore"]
DAYS = ["tiga hari", "seminggu", "dua minggu", "4 hari"]
DIRS = ["Cawang", "Blok M", "Grogol", "Senen"]
OPENERS = ["", "", "pak ", "min ", "halo ", "parah ", "lapor ", "duh "]
CLOSERS = ["", "", " terima kasih", " mohon ditindaklanjuti", " @dkijakarta", " #banjirjakarta", " tolong ya"]
SLANG = {"tidak": "gak", "sudah": "udh", "tolong": "tlg", "yang": "yg", "jalan": "jln", "banget": "bgt", "sampai": "sampe"}


def match_text(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def rewrite(text: str, rng: random.Random) -> str:
    """A near-duplicate: what a second person (or the same one on another channel) posts."""
    words = text.split()
    for _ in range(rng.randint(1, 3)):
        edit = rng.random()
        i = rng.randrange(len(words))
        if edit < 0.3:
            words[i] = SLANG.get(words[i], words[i])
        elif edit < 0.5 and len(words) > 6:
            del words[i]
        elif edit < 0.7:
            words.insert(i, rng.choice(["banget", "lagi", "ini", "sekali", "woy", "pak"]))
        elif edit < 0.85 and len(words[i]) > 3:
            j = rng.randrange(len(words[i]) - 1)
            w = words[i]
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # a typo: swapped letters
        else:
            words = words[i:] + words[:i] if i else words
    return rng.choice(OPENERS) + " ".join(words) + rng.choice(CLOSERS)


@dataclass(frozen=True, slots=True)
class Incident:
    number: int
    category: str
    kelurahan: tuple[str, str, str, str]
    street: str
    landmark: str | None
    rt_rw: tuple[str, str] | None
    at: datetime


def incident_text(incident: Incident, rng: random.Random) -> str:
    template = rng.choice(TEMPLATES[incident.category])
    text = template.format(
        depth=rng.choice(DEPTHS), street=incident.street, when=rng.choice(WHENS), days=rng.choice(DAYS),
        n=rng.randint(2, 9), dir=rng.choice(DIRS),
    )
    if incident.landmark and rng.random() < 0.4:
        text += f" dekat {incident.landmark}"
    if incident.rt_rw and rng.random() < 0.3:
        text += f" rt {incident.rt_rw[0]} rw {incident.rt_rw[1]}"
    return rng.choice(OPENERS) + text + rng.choice(CLOSERS)


def incidents(count: int, span: timedelta, seed: int = 1) -> list[Incident]:
    rng = random.Random(seed)
    made = []
    for number in range(count):
        kelurahan = rng.choice(KELURAHAN)
        street = f"Jl. {rng.choice(STREET_NAMES)} {kelurahan[1].split()[-1]}-{rng.randint(1, 3)}"
        made.append(Incident(
            number, rng.choice(list(TEMPLATES)), kelurahan, street,
            rng.choice(LANDMARKS) if rng.random() < 0.3 else None,
            (f"{rng.randint(1, 12):02d}", f"{rng.randint(1, 9):02d}") if rng.random() < 0.3 else None,
            START + timedelta(seconds=rng.uniform(0, span.total_seconds())),
        ))
    return made


def messages(incident_list: list[Incident], per_incident: tuple[int, int] = (1, 19), seed: int = 2,
             place_known: float = 0.8) -> list[tuple[Mention, int]]:
    """Mentions in time order with their true incident number."""
    rng = random.Random(seed)
    out: list[tuple[Mention, int]] = []
    serial = 0
    for incident in incident_list:
        first = incident_text(incident, rng)
        for k in range(rng.randint(*per_incident)):
            roll = rng.random()
            text = first if k == 0 else rewrite(first, rng) if roll < 0.5 else incident_text(incident, rng)
            code, kel, kec, kota = incident.kelurahan
            if rng.random() < place_known:
                place = Place(kota=kota, kecamatan=kec, kelurahan=kel, kelurahan_code=code,
                              street=incident.street if rng.random() < 0.6 else None,
                              landmark=incident.landmark if incident.landmark and rng.random() < 0.5 else None,
                              rt=incident.rt_rw[0] if incident.rt_rw else None,
                              rw=incident.rt_rw[1] if incident.rt_rw else None)
            elif rng.random() < 0.5:
                place = Place(street=incident.street)
            else:
                place = Place()
            serial += 1
            channel = rng.choice(["twitter", "twitter", "twitter", "instagram", "email", "qlue", "open311"])
            mention = Mention(
                channel=channel, external_id=str(serial), source=channel, text=text,
                created_at=incident.at + timedelta(minutes=rng.uniform(0, 36 * 60) if k else 0),
                author=Author(id=f"user{rng.randint(1, 10**6)}"), place=place, category=incident.category,
                is_complaint=True, match_text=match_text(text),
            )
            out.append((mention, incident.number))
    out.sort(key=lambda pair: (pair[0].created_at, int(pair[0].external_id)))
    return out


def near_duplicate_pairs(count: int, seed: int = 3) -> tuple[list[str], list[tuple[int, int]]]:
    """``count`` texts: originals and their rewrites, with the (original, rewrite) index pairs."""
    rng = random.Random(seed)
    found = incidents(count // 2, timedelta(days=3), seed)
    texts: list[str] = []
    pairs: list[tuple[int, int]] = []
    for incident in found:
        original = incident_text(incident, rng)
        texts.append(match_text(original))
        texts.append(match_text(rewrite(original, rng)))
        pairs.append((len(texts) - 2, len(texts) - 1))
    return texts, pairs

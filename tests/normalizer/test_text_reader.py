"""Texts read from remembered pieces give the words, keys and surfaces of a token-by-token reading."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from pathlib import Path

import pytest

from normalizer.analyzer import load_analyzer
from normalizer.text import BREAK
from normalizer.text_reader import TextReader
from normalizer.types import Author, Mention

ROOT = Path(__file__).resolve().parents[2]
TRICKY = [
    "@DKIJakarta @BPBDJakarta banjir!! 😭😭 https://t.co/x1 #BanjirJakarta, #macetparah.",
    "kira-kira jam 3 air naik,,, di Jl.Kemang Raya no.5 RT 03/RW 08",
    "  awal dengan spasi\n\nbaris baru\t tab \xa0nbsp akhir  ",
    "surat dari Dr. med Budi: jalan - jalan rusak -- motor2 jatuh",
    "#banjir#kemang @a@b ... (banjir) [jalan rusak] \"lampu mati\"",
    "",
    " ",
    "BANJIIIR bgt gk bs lwt udh 2 hari",
]


@pytest.fixture(scope="module")
def analyzer():
    return load_analyzer(ROOT / "config")


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "benchmarks" / "corpus" / "twitter").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            page = json.loads(line)
            tweets = page.get("data", [page]) if isinstance(page, dict) else []
            texts.extend(t["text"] for t in tweets if isinstance(t, dict) and "text" in t)
    return texts


def shuffled_pieces(texts: list[str], seed: int) -> list[str]:
    """New texts from the corpus's pieces, so that remembered pieces meet new neighbours."""
    rng = random.Random(seed)
    words = [w for text in texts for w in text.split(" ")]
    return [" ".join(rng.choices(words, k=rng.randint(1, 30))) for _ in range(500)]


def test_remembered_pieces_read_as_the_whole_text(analyzer):
    reader = TextReader(analyzer.tokenizer, analyzer.normalizer)
    texts = TRICKY + corpus_texts()
    texts += shuffled_pieces(texts, seed=4)
    for text in texts * 2:  # the second round reads from memory
        expected = analyzer.normalizer.normalize(analyzer.tokenizer(text))
        read = reader.read(text)
        assert (read.text.words, read.text.keys, read.text.surfaces) == (expected.words, expected.keys, expected.surfaces), text
        assert read.match_keys == [k.lower() for k in expected.keys]


def test_a_break_is_not_repeated_across_pieces(analyzer):
    words = TextReader(analyzer.tokenizer, analyzer.normalizer).read("banjir !! @a , https://t.co/x kemang").text.words
    assert words == ["banjir", BREAK, "kemang"]


def test_the_piece_memory_is_bounded(analyzer):
    reader = TextReader(analyzer.tokenizer, analyzer.normalizer, max_pieces=10)
    for number in range(50):
        reader.read(f"laporan {number} banjir")
    assert len(reader._readings) <= 10
    assert reader.read("laporan 7 banjir").text.words == ["laporan", "7", "banjir"]


def mention(text: str, handle: str, reply_to: str | None = None) -> Mention:
    return Mention(channel="twitter", external_id=handle, source="test", created_at=datetime(2026, 9, 1, tzinfo=timezone.utc),
                   text=text, author=Author(id=handle, handle=handle, name=handle), reply_to=reply_to)


def test_a_remembered_text_is_still_judged_by_its_sender(analyzer):
    text = "Banjir setinggi lutut di Kel. Kampung Melayu, mohon ditindak"
    citizen, city, again = mention(text, "warga77"), mention(text, "DKIJakarta"), mention(text, "warga78")
    analyzer.analyze([citizen, city])
    analyzer.analyze([again])
    assert citizen.is_complaint and again.is_complaint
    assert not city.is_complaint and city.complaint_reason == "official account"
    assert citizen.place == again.place and citizen.place.kelurahan == "Kampung Melayu"
    assert (citizen.category, citizen.match_text) == (again.category, again.match_text)


def test_the_text_memory_is_bounded(analyzer):
    small = load_analyzer(ROOT / "config")
    small._texts.capacity = 5
    items = [mention(f"sampah numpuk di rawamangun hari ke {n}", f"w{n}") for n in range(20)]
    small.analyze(items)
    assert len(small._texts) <= 5
    assert all(m.category == "sampah" for m in items)

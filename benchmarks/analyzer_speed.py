"""Analyzer cost per short tweet: python benchmarks/analyzer_speed.py [count] [--distinct]

Generates short complaints from templates (varied problems, places, slang, hashtags, links) and
times ``Analyzer.analyze`` over them in one batch, after a warm-up. Prints µs per mention.

The templates give ~1,200 different texts, so most mentions repeat an earlier text (as retweets and
copy-paste campaigns do). ``--distinct`` times the original tweets of throughput.py's archive
instead (nine in ten texts new), after a warm-up on as many of them: the cost of texts not seen before.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import orjson

from normalizer.analyzer import load_analyzer
from normalizer.types import Author, Mention

sys.path.insert(0, str(Path(__file__).resolve().parent))
import throughput  # noqa: E402

PROBLEMS = [
    "banjir lagi", "sampah numpuk udh 3 hari", "jalan berlubang parah", "got mampet bau bgt",
    "lampu jalan mati", "pohon tumbang nutup jalan", "parkir liar bikin macet", "macet total",
    "PKL jualan di trotoar", "halte rusak", "air PAM gak ngalir", "pungli di kantor kelurahan",
]
PLACES = [
    "di Kel. Duren Sawit", "di kemang", "deket stasiun manggarai", "di Jl. Tebet Raya no 12",
    "di rawamangun", "RT 03/RW 08 Cipinang Melayu", "di jaksel", "depan pasar minggu", "di kampung pulo", "",
]
TAILS = [
    "tolong min", "kapan diperbaiki?", "@DKIJakarta", "#banjirjakarta", "https://t.co/abc123", "😭😭",
    "udh lapor tp blm ada tindakan", "", "parah bgt", "mohon ditindak",
]


def generate(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(PROBLEMS)} {rng.choice(PLACES)} {rng.choice(TAILS)}".strip() for _ in range(count)]


def tweet_texts(count: int) -> list[str]:
    """Texts of the original (not retweeted) tweets of throughput.py's generated archive."""
    with tempfile.TemporaryDirectory(prefix="dengar-speed-") as folder:
        archive = Path(folder) / "tweets.jsonl"
        throughput.generate_archive(archive, int(count * 1.3))
        texts = [t["text"] for line in archive.read_bytes().splitlines() for t in orjson.loads(line)["data"]
                 if "referenced_tweets" not in t]
    return texts[:count]


def main() -> None:
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    distinct = "--distinct" in sys.argv
    count = int(arguments[0]) if arguments else 20_000
    config_dir = Path(__file__).resolve().parents[1] / "config"
    started = time.perf_counter()
    analyzer = load_analyzer(config_dir)
    print(f"start-up: {time.perf_counter() - started:.2f} s")
    now = datetime.now(timezone.utc)

    def batch(texts: list[str]) -> list[Mention]:
        return [
            Mention(channel="twitter", external_id=str(i), source="bench", created_at=now, text=t, author=Author(handle="warga"))
            for i, t in enumerate(texts)
        ]

    if distinct:
        texts = tweet_texts(2 * count)
        analyzer.analyze(batch(texts[:count]))  # warm-up: the words of a running process
        mentions = batch(texts[count:])
        print(f"{len(set(texts[count:]) - set(texts[:count])):,} of {count:,} texts not seen in the warm-up")
    else:
        analyzer.analyze(batch(generate(500, seed=1)))  # warm-up
        mentions = batch(generate(count))
    started = time.perf_counter()
    analyzer.analyze(mentions)
    elapsed = time.perf_counter() - started
    complaints = sum(m.is_complaint for m in mentions)
    placed = sum(bool(m.place.kelurahan) for m in mentions)
    print(f"{count} mentions: {elapsed * 1e6 / count:.1f} µs/mention ({count / elapsed:,.0f}/s); "
          f"complaints {complaints}, with kelurahan {placed}")


if __name__ == "__main__":
    main()

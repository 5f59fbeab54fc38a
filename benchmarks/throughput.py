"""Import throughput: a generated twarc2 archive of N tweets into SQLite, with the per-stage split.

    python benchmarks/throughput.py              # 100k tweets
    python benchmarks/throughput.py --n 1000000  # 1M tweets

Prints messages/s overall and for the first and last 10 % of the archive (does the pipeline slow
down as history grows?), the peak RSS, and where the time goes (split, store raw, parse, analyze,
dedup, write). Targets: >= 5,000 tweets/s on one core; last 10 % >= 80 % of the first; RSS <= 1 GB at 1M.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson

from dengar.app import build_pipeline
from dengar.importer import FileReport, archive_items
from dengar.pipeline import IngestCounts
from dengar.settings import load_settings

PROBLEMS = [
    ("banjir", ["banjir {d} cm", "air masuk rumah", "genangan tinggi", "kebanjiran lagi", "air naik terus"]),
    ("sampah", ["sampah numpuk", "sampah belum diangkut", "bau sampah", "tps penuh"]),
    ("jalan_rusak", ["jalan berlubang", "aspal rusak parah", "lubang besar", "jalan amblas"]),
    ("saluran_air", ["got mampet", "selokan tersumbat", "saluran air meluap"]),
    ("lampu_jalan", ["lampu jalan mati", "pju padam", "gelap gulita lampu mati"]),
    ("pohon_tumbang", ["pohon tumbang", "dahan patah menutup jalan"]),
    ("parkir_liar", ["parkir liar", "jukir liar", "mobil parkir di bahu jalan"]),
    ("kemacetan", ["macet total", "lalin padat merayap"]),
]
PLACES = [
    "Cipete Utara", "Kebon Kacang", "Pluit", "Kelapa Gading Barat", "Sunter Agung", "Tebet Barat", "Cempaka Putih Timur",
    "Duren Sawit", "Pademangan Barat", "Kalideres", "Cengkareng Timur", "Grogol", "Menteng", "Gambir", "Kramat Jati",
    "Pasar Minggu", "Jagakarsa", "Cilandak Barat", "Pondok Labu", "Bidara Cina", "Kampung Melayu", "Rawamangun",
]
STREETS = ["Jl. Merdeka", "jln melati", "Jl. Raya Bogor", "jalan kenanga", "Jl. Pemuda", "jl mawar", "Jl. Sudirman"]
OPENERS = ["tolong min", "@DKIJakarta", "pak gubernur", "min tolong dicek", "woy", "mohon bantuannya", ""]
CLOSERS = ["udah 3 hari gak ada yg dateng", "kapan diperbaiki?", "#banjirjakarta", "parah bgt", "tolong segera", "🙏", "😡😡"]


def generate_archive(path: Path, n: int, seed: int = 7, per_page: int = 100) -> None:
    """A twarc2 JSONL archive: pages of 100 tweets with users in includes, a fifth of them retweets."""
    rng = random.Random(seed)
    start = datetime(2026, 9, 1, tzinfo=timezone.utc)
    span = timedelta(days=max(7, n // 3000))
    users = [{"id": str(1000 + i), "username": f"warga{i}", "name": f"Warga {i}"} for i in range(5000)]
    recent: list[dict] = []
    with open(path, "wb") as out:
        for page_start in range(0, n, per_page):
            tweets, included = [], {}
            for i in range(page_start, min(n, page_start + per_page)):
                user = users[rng.randrange(len(users))]
                created = start + span * (i / n) + timedelta(seconds=rng.randrange(600))
                tweet = {"id": str(1_700_000_000_000_000_000 + i), "author_id": user["id"], "lang": "in",
                         "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "edit_history_tweet_ids": []}
                if recent and rng.random() < 0.2:
                    original = rng.choice(recent)
                    tweet["text"] = f"RT @warga: {original['text'][:100]}"
                    tweet["referenced_tweets"] = [{"type": "retweeted", "id": original["id"]}]
                else:
                    category, phrases = rng.choice(PROBLEMS)
                    text = " ".join(filter(None, [
                        rng.choice(OPENERS), rng.choice(phrases).format(d=rng.choice((20, 30, 50))),
                        f"di {rng.choice(STREETS)}", f"kel. {rng.choice(PLACES)}", rng.choice(CLOSERS)]))
                    tweet["text"] = text
                    recent.append(tweet)
                    if len(recent) > 500:
                        recent.pop(0)
                tweet["edit_history_tweet_ids"] = [tweet["id"]]
                tweets.append(tweet)
                included[user["id"]] = user
            page = {"data": tweets, "includes": {"users": list(included.values())},
                    "meta": {"result_count": len(tweets)}, "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all", "version": "2.14.0"}}
            out.write(orjson.dumps(page) + b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="tweets to generate (default 100000)")
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--keep", metavar="DIR", help="keep the archive and database in DIR")
    args = parser.parse_args()

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dengar-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    archive, db = workdir / "tweets.jsonl", workdir / "bench.db"
    for stale in workdir.glob("bench.db*"):
        stale.unlink()
    started = time.perf_counter()
    generate_archive(archive, args.n)
    print(f"generated {args.n:,} tweets ({archive.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    settings = load_settings(None, f"sqlite:///{db}")
    pipeline = build_pipeline(settings)
    marks: list[tuple[int, float]] = [(0, time.perf_counter())]
    stage_marks: list[dict[str, float]] = [pipeline.times.as_dict()]
    seen = IngestCounts()

    def batch_done(counts: IngestCounts) -> None:
        seen.add(counts)
        marks.append((sum(seen.read.values()), time.perf_counter()))
        stage_marks.append(pipeline.times.as_dict())

    report = FileReport()
    started = marks[0][1]
    counts = pipeline.ingest(archive_items([archive], "bench", report), batch_size=args.batch_size, on_batch=batch_done)
    elapsed = time.perf_counter() - started
    total = sum(counts.read.values())

    def rate(begin: tuple[int, float], end: tuple[int, float]) -> float:
        return (end[0] - begin[0]) / (end[1] - begin[1])

    first_end_index = next(i for i, mark in enumerate(marks) if mark[0] >= 0.1 * total)
    last_begin_index = [i for i, mark in enumerate(marks) if mark[0] <= 0.9 * total][-1]
    first_end, last_begin = marks[first_end_index], marks[last_begin_index]

    def stage_split(begin: int, end: int) -> dict[str, float]:
        count = marks[end][0] - marks[begin][0]
        return {stage: (stage_marks[end][stage] - stage_marks[begin][stage]) / count * 1e6 for stage in stage_marks[0]}

    first_split, last_split = stage_split(0, first_end_index), stage_split(last_begin_index, len(marks) - 1)
    first_rate, last_rate = rate(marks[0], first_end), rate(last_begin, marks[-1])
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"tweets imported      {total:,}  (new {sum(counts.new.values()):,}, ticketed {sum(counts.ticketed.values()):,}, "
          f"quarantined {sum(counts.quarantined.values()):,})")
    print(f"overall              {total / elapsed:,.0f} tweets/s  ({elapsed:.1f} s)")
    print(f"first 10 %           {first_rate:,.0f} tweets/s")
    print(f"last 10 %            {last_rate:,.0f} tweets/s  ({last_rate / first_rate:.0%} of the first)")
    print(f"peak RSS             {peak_rss_mb:,.0f} MB")
    print("per-stage split (µs per tweet):   overall   first 10 %   last 10 %")
    for stage, seconds in pipeline.times.as_dict().items():
        print(f"  {stage:<10} {seconds / total * 1e6:8.1f} ({seconds / elapsed:4.0%})"
              f"   {first_split[stage]:9.1f}   {last_split[stage]:9.1f}")


if __name__ == "__main__":
    main()

"""Does the analyzer still give the very same answers? A digest of its output over known messages.

    python benchmarks/analyzer_regression.py --save baseline.jsonl   # before a change
    python benchmarks/analyzer_regression.py --check baseline.jsonl  # after it: identical or a list of differences

Runs the analyzer over every message of benchmarks/corpus/ and benchmarks/holdout/ (archive readers and
channel parsers, as ``dengar import`` does), the generated tweets of throughput.py (20k by default, a
fifth of them retweets, so repeated texts are covered) and the short complaints of analyzer_speed.py,
and the third-party test corpora next to the repository when present (``../shared/corpora``),
in batches, with one analyzer for all of them (so any memory it keeps across batches is exercised).
Each message gives one line: channel, external id, match_text, the whole place, category, category
score, is_complaint and reason. Speed work may change no line.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import orjson

from collectors.archive import all_readers, detect, iter_files
from normalizer.analyzer import load_analyzer
from normalizer.channels import all_parsers, parse
from normalizer.types import Author, Mention, NormalizeError

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import analyzer_speed  # noqa: E402
import throughput  # noqa: E402

LABELLED_CORPORA = (HERE / "corpus", HERE / "holdout")
# Third-party test messages (other languages, odd markup, broken encodings), read when present.
SHARED_CORPORA = HERE.parent / ".." / "shared" / "corpora"
BATCH_SIZE = 500


def archive_mentions(paths: list[Path]) -> Iterator[Mention]:
    """Every readable message of every archive under ``paths`` (labels files skipped)."""
    readers, parsers = all_readers(), all_parsers()
    for path in iter_files(paths):
        if path.name == "truth.jsonl":
            continue
        reader = detect(path, readers)
        if reader is None:
            continue
        for item in reader.read(path, "regression"):
            try:
                yield parse(item, parsers)
            except NormalizeError:
                continue


def speed_mentions(count: int) -> Iterator[Mention]:
    now = datetime(2026, 9, 1, tzinfo=timezone.utc)
    for i, text in enumerate(analyzer_speed.generate(count)):
        yield Mention(channel="twitter", external_id=f"speed-{i}", source="regression", created_at=now, text=text,
                      author=Author(handle="warga"))


def all_mentions(generated: int, workdir: Path) -> Iterator[Mention]:
    yield from archive_mentions(list(LABELLED_CORPORA))
    archive = workdir / "tweets.jsonl"
    throughput.generate_archive(archive, generated)
    yield from archive_mentions([archive])
    yield from speed_mentions(2_000)
    if SHARED_CORPORA.is_dir():
        yield from archive_mentions([SHARED_CORPORA])


def record(mention: Mention) -> bytes:
    return orjson.dumps([
        mention.channel, mention.external_id, mention.match_text, asdict(mention.place), mention.category,
        round(mention.category_score, 6), mention.is_complaint, mention.complaint_reason,
    ])


def analyzed_records(generated: int) -> list[bytes]:
    analyzer = load_analyzer(HERE.parent / "config")
    lines: list[bytes] = []
    batch: list[Mention] = []

    def flush() -> None:
        analyzer.analyze(batch)
        lines.extend(record(m) for m in batch)
        batch.clear()

    with tempfile.TemporaryDirectory(prefix="dengar-regression-") as workdir:
        for mention in all_mentions(generated, Path(workdir)):
            batch.append(mention)
            if len(batch) >= BATCH_SIZE:
                flush()
        if batch:
            flush()
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", metavar="FILE", type=Path, help="write the per-message records (the baseline)")
    action.add_argument("--check", metavar="FILE", type=Path, help="compare with a saved baseline")
    parser.add_argument("--generated", type=int, default=20_000, help="generated tweets (default 20000)")
    parser.add_argument("--show", type=int, default=10, help="differences to print (default 10)")
    args = parser.parse_args()

    lines = analyzed_records(args.generated)
    digest = hashlib.sha256(b"\n".join(lines)).hexdigest()
    print(f"{len(lines):,} messages, digest {digest}")
    if args.save:
        args.save.write_bytes(b"\n".join(lines) + b"\n")
        print(f"baseline written to {args.save}")
        return 0
    baseline = args.check.read_bytes().splitlines()
    if baseline == lines:
        print("identical to the baseline")
        return 0
    differing = [i for i in range(max(len(lines), len(baseline)))
                 if i >= len(lines) or i >= len(baseline) or lines[i] != baseline[i]]
    print(f"DIFFERENT: {len(differing):,} of {len(baseline):,} lines (now {len(lines):,})")
    for i in differing[: args.show]:
        print(f"  line {i + 1}\n    was {baseline[i].decode() if i < len(baseline) else '-'}"
              f"\n    now {lines[i].decode() if i < len(lines) else '-'}")
    return 1


if __name__ == "__main__":
    sys.exit(main())

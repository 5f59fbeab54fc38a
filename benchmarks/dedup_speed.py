"""Deduplicator speed with ~100k mentions inside the merge window, and its B-cubed quality.

Usage: python benchmarks/dedup_speed.py [INCIDENTS] [--sweep]

The synthetic stream (benchmarks/complaint_stream.py) puts every message in a 72-hour span, so
the whole stream stays in the index. Prints µs per assign() (GC frozen after warm-up, as the
pipeline is advised to do, and not), resident memory per remembered mention, and B-cubed
precision/recall/F1 against the true incidents. ``--sweep`` repeats the quality run for several
same-incident and cross-post thresholds (the measurement behind MergeRules' defaults).
"""

from __future__ import annotations

import gc
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bcubed import bcubed  # noqa: E402
from complaint_stream import incidents, messages  # noqa: E402

from dedup import Deduplicator, MergeRules  # noqa: E402


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def run(stream, rules: MergeRules, freeze: bool) -> tuple[float, float, dict]:  # noqa: ANN001
    gc.collect()
    base = rss_bytes()
    dedup = Deduplicator(rules)
    warm = min(2000, len(stream) // 10)
    predicted = {}
    for mention, _ in stream[:warm]:
        assignment = dedup.assign(mention)
        predicted[mention.key] = assignment.ticket_id if assignment else None
    if freeze:
        gc.freeze()
    started = time.perf_counter()
    for mention, _ in stream[warm:]:
        assignment = dedup.assign(mention)
        predicted[mention.key] = assignment.ticket_id if assignment else None
    elapsed = time.perf_counter() - started
    if freeze:
        gc.unfreeze()
    per_assign = elapsed / (len(stream) - warm) * 1e6
    memory = (rss_bytes() - base) / max(1, dedup.size.members)
    return per_assign, memory, predicted


def quality(stream, predicted) -> str:  # noqa: ANN001
    truth = {mention.key: incident for mention, incident in stream}
    score = bcubed(truth, predicted)
    return f"P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 30_000
    stream = messages(incidents(count, timedelta(hours=72)))
    tickets = len({incident for _, incident in stream})
    print(f"{len(stream):,} mentions of {tickets:,} incidents within 72 h")
    for freeze in (True, False):
        per_assign, memory, predicted = run(stream, MergeRules(), freeze)
        print(f"gc frozen after warm-up={freeze!s:<5}  {per_assign:6.1f} µs/assign  {memory:6.0f} B/mention  {quality(stream, predicted)}")
    if "--sweep" in sys.argv:
        small = messages(incidents(min(count, 6000), timedelta(hours=72)))
        print(f"\nthreshold sweep on {len(small):,} mentions")
        for similarity in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
            for cross in (0.5, 0.6, 0.7):
                rules = replace(MergeRules(), similarity=similarity, cross_post_similarity=cross)
                _, _, predicted = run(small, rules, False)
                print(f"similarity {similarity:.2f}  cross_post {cross:.2f}  {quality(small, predicted)}")


if __name__ == "__main__":
    main()

"""datasketch or rensa, character 5-shingles or word 3-shingles: which MinHash for dedup.

Usage: python benchmarks/minhash_choice.py [N]   (default 50,000 texts: N/2 originals + rewrites)
Needs the comparison library: pip install -e ".[bench]"

For each configuration, in a fresh process (so memory figures do not mix): microseconds per
signature (shingling included), per LSH query+insert into an index growing to N, recall of the
near-duplicate pairs (the rewrite's query returns its original) and resident memory per entry
(signatures kept + LSH), and the mean number of hits a query returns (what scoring them costs
later). LSH at threshold 0.5 (rensa: 24 bands x 5 rows as dedup uses; datasketch chooses its own
bands for 0.5), 120 permutations.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from complaint_stream import near_duplicate_pairs  # noqa: E402

NUM_PERM = 120
SEED = 42
CONFIGS = [
    ("rensa", "char5"), ("rensa", "word3"),
    ("datasketch-template", "char5"), ("datasketch-template", "word3"),
    ("datasketch-bulk", "char5"),
]


def shingles(text: str, kind: str) -> list[str]:
    if kind == "char5":
        return [text[i : i + 5] for i in range(max(1, len(text) - 4))]
    words = text.split()
    return [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))]


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def run_one(library: str, kind: str, count: int) -> dict[str, float]:
    texts, pairs = near_duplicate_pairs(count)
    shingled = [shingles(t, kind) for t in texts[:2000]]  # warm-up sample for shingling cost
    started = time.perf_counter()
    for text in texts[:5000]:
        shingles(text, kind)
    shingle_us = (time.perf_counter() - started) / 5000 * 1e6
    gc.collect()
    base = rss_bytes()
    if library == "rensa":
        from rensa import RMinHash, RMinHashLSH

        def signature(text: str):  # noqa: ANN202
            m = RMinHash(NUM_PERM, SEED)
            m.update(shingles(text, kind))
            return m

        lsh = RMinHashLSH(0.5, NUM_PERM, 24)
        insert, query = lsh.insert, lsh.query
    else:
        from datasketch import MinHash, MinHashLSH

        template = MinHash(num_perm=NUM_PERM, seed=SEED)
        if library == "datasketch-template":
            def signature(text: str):  # noqa: ANN202
                m = template.copy()
                m.update_batch([s.encode() for s in shingles(text, kind)])
                return m
        else:
            def signature(text: str):  # noqa: ANN202
                return MinHash.bulk([[s.encode() for s in shingles(text, kind)]], num_perm=NUM_PERM, seed=SEED)[0]

        lsh = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
        insert, query = lsh.insert, lsh.query
    started = time.perf_counter()
    signatures = [signature(text) for text in texts]
    signature_us = (time.perf_counter() - started) / len(texts) * 1e6
    rewrite_of = {rewrite: original for original, rewrite in pairs}
    found = 0
    returned = 0
    started = time.perf_counter()
    for key, sig in enumerate(signatures):
        hits = query(sig)
        returned += len(hits)
        if key in rewrite_of and rewrite_of[key] in hits:
            found += 1
        insert(key, sig)
    lsh_us = (time.perf_counter() - started) / len(texts) * 1e6
    memory = (rss_bytes() - base) / len(texts)
    estimated = [signatures[a].jaccard(signatures[b]) for a, b in pairs[:2000]]
    del shingled
    return {
        "shingle_us": shingle_us, "signature_us": signature_us, "lsh_us": lsh_us,
        "recall": found / len(pairs), "bytes_per_entry": memory, "hits": returned / len(texts),
        "pair_jaccard_p10": sorted(estimated)[len(estimated) // 10],
        "pair_jaccard_median": sorted(estimated)[len(estimated) // 2],
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "--one" else 50_000
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(run_one(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
        return
    print(f"{count:,} texts ({count // 2:,} near-duplicate pairs), {NUM_PERM} permutations, LSH threshold 0.5")
    header = f"{'library':<21}{'shingles':<9}{'µs shingle':>11}{'µs sig':>9}{'µs LSH q+i':>12}{'recall':>8}{'B/entry':>9}{'hits':>6}{'J p10':>7}{'J med':>7}"
    print(header)
    print("-" * len(header))
    for library, kind in CONFIGS:
        done = subprocess.run([sys.executable, __file__, "--one", library, kind, str(count)],
                              capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{library:<21}{kind:<9}{r['shingle_us']:>11.1f}{r['signature_us']:>9.1f}{r['lsh_us']:>12.1f}"
              f"{r['recall']:>8.1%}{r['bytes_per_entry']:>9.0f}{r['hits']:>6.0f}{r['pair_jaccard_p10']:>7.2f}{r['pair_jaccard_median']:>7.2f}")


if __name__ == "__main__":
    main()

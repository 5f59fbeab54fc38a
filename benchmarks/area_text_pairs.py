"""Can words tell one incident from another where the place only agrees as far as the kecamatan?

DESIGN §4 joins reports of one category within the window when their kelurahan agrees; where only
the kecamatan does (a kelurahan on one side and a street or nothing narrower on the other, or a
kelurahan named by its kecamatan's name), dedup asks the texts to be a little alike. This script
takes every pair of complaints the pipeline placed that way (same category, same kecamatan,
within 72 h, not the same kelurahan or street, no repost) and prints, for a few text measures and
bars, how many pairs pass and how many of those are truly one incident.

    python benchmarks/area_text_pairs.py [--corpus benchmarks/corpus]

Measures: ``char5`` is dedup's own (MinHash Jaccard of character 5-shingles of match_text);
``content`` the Jaccard of the content words (spaCy's Indonesian stop words, numbers and words
under three letters left out); ``overlap`` their share of the shorter text's content words.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from spacy.lang.id.stop_words import STOP_WORDS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import HERE, read_jsonl, run_pipeline  # noqa: E402

from dedup.signature import text_signature  # noqa: E402
from normalizer.analyzer import load_analyzer  # noqa: E402

WINDOW_SECONDS = 72 * 3600
BARS = {"char5": (0.05, 0.1, 0.15, 0.2), "content": (0.1, 0.15, 0.2, 0.3), "overlap": (0.2, 0.3, 0.4, 0.5)}


@dataclass(frozen=True)
class Report:
    incident: str
    category: str
    kecamatan: str
    kelurahan_code: str | None
    street: str | None
    at: float
    content: frozenset[str]
    signature: object


def reports(corpus: Path) -> list[Report]:
    truth = read_jsonl(corpus / "truth.jsonl")
    exported = run_pipeline(corpus, None).exported
    analyzer = load_analyzer(HERE.parent / "config")
    found = []
    for t in truth:
        row = exported.get((t["channel"], t["external_id"]))
        if not t["incident"] or row is None or row.get("link_kind") == "repost":
            continue
        location = row.get("location") or {}
        if not location.get("kecamatan"):
            continue
        match_text = analyzer.analyze_text(row["text"]).match_text
        content = frozenset(w for w in match_text.split() if w not in STOP_WORDS and len(w) > 2 and not w.isdigit())
        at = datetime.fromisoformat(row["created_at"].replace("Z", "+00:00")).timestamp()
        found.append(Report(t["incident"], row["category"], location["kecamatan"], location.get("kelurahan_code"),
                            location.get("street"), at, content, text_signature(match_text)))
    return found


def kecamatan_level_pairs(found: list[Report]) -> list[tuple[bool, dict[str, float]]]:
    pairs = []
    for a, b in itertools.combinations(found, 2):
        if a.category != b.category or a.kecamatan != b.kecamatan or abs(a.at - b.at) > WINDOW_SECONDS:
            continue
        if a.kelurahan_code and a.kelurahan_code == b.kelurahan_code or a.street and a.street == b.street:
            continue  # the place settles these
        shared = len(a.content & b.content)
        measures = {
            "char5": a.signature.jaccard(b.signature),
            "content": shared / max(1, len(a.content | b.content)),
            "overlap": shared / max(1, min(len(a.content), len(b.content))),
        }
        pairs.append((a.incident == b.incident, measures))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus", help="folder with channel archives and truth.jsonl")
    args = parser.parse_args()
    pairs = kecamatan_level_pairs(reports(args.corpus))
    same_total = sum(same for same, _ in pairs)
    print(f"{len(pairs)} pairs compared at kecamatan level, {same_total} of them one incident")
    print(f"{'measure':8} {'bar':>5} {'pass':>6} {'one inc.':>9} {'precision':>10} {'recall':>7}")
    for measure, bars in BARS.items():
        for bar in bars:
            passing = [same for same, measures in pairs if measures[measure] >= bar]
            same = sum(passing)
            print(f"{measure:8} {bar:5.2f} {len(passing):6d} {same:9d} {same / max(1, len(passing)):10.2f} {same / max(1, same_total):7.2f}")


if __name__ == "__main__":
    main()

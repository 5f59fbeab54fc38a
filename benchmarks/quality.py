"""Measure the whole pipeline against the labelled corpus: grouping, category, place, noise.

Runs ``dengar import`` on the corpus archives and ``dengar export mentions`` from the same fresh
database, then compares the export with ``truth.jsonl``. It measures and never gates: the exit
status is 0 whatever the figures (a failed command is reported, not raised).

    python benchmarks/quality.py [--corpus benchmarks/corpus] [--db URL] [--json] [--arrival ORDER --seed N]

``--arrival shuffled`` (or ``newest-first``, ``interleaved``) feeds the corpus as live sources
deliver it instead, source by source and batch by batch out of time order, through the daemon's
store-and-process path (``benchmarks/arrival.py``); ``time`` is the import.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bcubed import accuracy, bcubed, confusions  # noqa: E402

HERE = Path(__file__).resolve().parent
TARGETS = {"f1": (">=", 0.95), "category": (">=", 0.92), "kelurahan": (">=", 0.97), "noise_ticketed": ("<=", 0.03), "lost": ("<=", 0)}
Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Run:
    """What the pipeline said about each message, keyed by (channel, external_id)."""

    exported: dict[Key, dict]
    errors: list[str]


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def arrive(corpus: Path, db: str, order: str, seed: int) -> None:
    """Feed the corpus into ``db`` in a live arrival order (see benchmarks/arrival.py)."""
    from arrival import arrival_batches, corpus_sources, ingest_in_arrival_order

    from dengar.app import build_pipeline, channel_parsers
    from dengar.settings import load_settings

    settings = load_settings(database_url=db)
    pipeline = build_pipeline(settings)
    try:
        sources = corpus_sources(corpus, settings)
        ingest_in_arrival_order(pipeline, arrival_batches(sources, order, seed, channel_parsers(settings)))
    finally:
        pipeline.engine.dispose()


def run_pipeline(corpus: Path, db_url: str | None, arrival: str = "time", seed: int = 1) -> Run:
    """Import the corpus's channel folders (not its truth file) into a fresh database and export."""
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="quality-") as tmp:
        db = db_url or f"sqlite:///{Path(tmp) / 'quality.db'}"
        archives = sorted(str(p) for p in corpus.iterdir() if p.is_dir())
        base = [sys.executable, "-m", "dengar"]
        if arrival == "time":
            imported = subprocess.run([*base, "import", *archives, "--db", db, "-q"], capture_output=True, text=True)
            if imported.returncode != 0:
                errors.append(f"dengar import exited {imported.returncode}: {imported.stderr.strip()[-2000:]}")
        else:
            try:
                arrive(corpus, db, arrival, seed)
            except Exception as exc:  # measured, never raised: the report says what broke
                errors.append(f"{arrival} arrival failed: {type(exc).__name__}: {exc}")
        out = Path(tmp) / "mentions.jsonl"
        exported = subprocess.run([*base, "export", "mentions", "--format", "jsonl", "--db", db, "-q", "-o", str(out)], capture_output=True, text=True)
        if exported.returncode != 0:
            errors.append(f"dengar export exited {exported.returncode}: {exported.stderr.strip()[-2000:]}")
        rows = read_jsonl(out) if out.exists() else []
    return Run({(r["channel"], str(r["external_id"])): r for r in rows}, errors)


def kelurahan_code(row: dict | None) -> str | None:
    return ((row or {}).get("location") or {}).get("kelurahan_code")


def names_a_place(row: dict | None) -> bool:
    """Whether the message itself names or pins a place; one that does not cannot join a report of
    its incident by place, so it opens its own ticket unless it references or copies one."""
    loc = (row or {}).get("location") or {}
    return any(loc.get(k) for k in ("kelurahan", "kecamatan", "kota", "street", "landmark", "lat"))


def ticket_label(row: dict | None):
    ticket = (row or {}).get("ticket_id")
    return None if ticket is None else ("ticket", ticket)


def measure(truth: list[dict], run: Run) -> dict:
    """All figures of one run; pure, so the report is reproducible from a saved export."""
    exported = run.exported
    keys = [(t["channel"], t["external_id"]) for t in truth]
    complaints = [t for t in truth if t["incident"]]
    noise = [t for t in truth if not t["incident"]]
    lost = [k for k in keys if k not in exported]
    key = lambda t: (t["channel"], t["external_id"])  # noqa: E731

    def figures(subset: list[dict]) -> dict:
        comp = [t for t in subset if t["incident"]]
        non = [t for t in subset if not t["incident"]]
        score = bcubed({key(t): t["incident"] for t in comp}, {key(t): ticket_label(exported.get(key(t))) for t in comp})
        cat = accuracy((t["category"], (exported.get(key(t)) or {}).get("category")) for t in comp)
        kel = accuracy((t["kelurahan_code"], kelurahan_code(exported.get(key(t)))) for t in comp if t["kelurahan_code"])
        ticketed = sum(1 for t in non if ticket_label(exported.get(key(t))) is not None)
        return {
            "messages": len(subset), "complaints": len(comp), "exported": sum(1 for t in subset if key(t) in exported),
            "lost": sum(1 for t in subset if key(t) not in exported),
            "precision": score.precision, "recall": score.recall, "f1": score.f1,
            "category": cat.value, "category_n": cat.total, "kelurahan": kel.value, "kelurahan_n": kel.total,
            "non_complaints": len(non), "noise_ticketed": ticketed / len(non) if non else 0.0, "noise_ticketed_n": ticketed,
        }

    overall = figures(truth)
    placed = [t for t in complaints if names_a_place(exported.get(key(t)))]
    placed_score = bcubed({key(t): t["incident"] for t in placed}, {key(t): ticket_label(exported.get(key(t))) for t in placed})
    overall.update({"placed_n": len(placed), "precision_placed": placed_score.precision,
                    "recall_placed": placed_score.recall, "f1_placed": placed_score.f1})
    overall["exported_not_in_truth"] = len(set(exported) - set(keys))
    overall["complaints_without_ticket"] = sum(1 for t in complaints if ticket_label(exported.get(key(t))) is None)
    channels = sorted({t["channel"] for t in truth})
    by_channel = {c: figures([t for t in truth if t["channel"] == c]) for c in channels}

    category_pairs = confusions(((t["category"], (exported.get(key(t)) or {}).get("category")) for t in complaints), top=15)
    wrong_places = []
    for t in complaints:
        if t["kelurahan_code"] and kelurahan_code(exported.get(key(t))) != t["kelurahan_code"]:
            loc = (exported.get(key(t)) or {}).get("location") or {}
            wrong_places.append({"channel": t["channel"], "external_id": t["external_id"], "expected": f"{t['kelurahan']} ({t['kelurahan_code']})",
                                 "got": f"{loc.get('kelurahan')} ({loc.get('kelurahan_code')})" if loc.get("kelurahan_code") else "none"})
    noise_ticketed = [{"channel": t["channel"], "external_id": t["external_id"], "note": t.get("note", "")}
                      for t in noise if ticket_label(exported.get(key(t))) is not None]
    split_incidents, merged_tickets = grouping_errors(complaints, exported)
    return {
        "overall": overall, "by_channel": by_channel, "targets": {k: f"{op} {v}" for k, (op, v) in TARGETS.items()},
        "lost_examples": [f"{c}:{i}" for c, i in lost[:15]],
        "category_confusions": [{"expected": e, "got": g, "count": n} for e, g, n in category_pairs],
        "wrong_kelurahan": wrong_places[:15], "wrong_kelurahan_total": len(wrong_places),
        "noise_ticketed_examples": noise_ticketed[:15],
        "split_incidents": split_incidents[:15], "merged_tickets": merged_tickets[:15],
        "errors": run.errors,
    }


def grouping_errors(complaints: list[dict], exported: dict[Key, dict]) -> tuple[list[dict], list[dict]]:
    """Incidents spread over several tickets, and tickets holding several incidents, worst first."""
    tickets_of: dict[str, Counter] = {}
    incidents_of: dict[object, Counter] = {}
    for t in complaints:
        label = ticket_label(exported.get((t["channel"], t["external_id"])))
        tickets_of.setdefault(t["incident"], Counter())[label[1] if label else None] += 1
        if label:
            incidents_of.setdefault(label[1], Counter())[t["incident"]] += 1
    split = [{"incident": inc, "tickets": {str(k): v for k, v in c.most_common()}} for inc, c in tickets_of.items() if len(c) > 1]
    split.sort(key=lambda d: -len(d["tickets"]))
    merged = [{"ticket": tk, "incidents": dict(c.most_common())} for tk, c in incidents_of.items() if len(c) > 1]
    merged.sort(key=lambda d: -len(d["incidents"]))
    return split, merged


def verdict(name: str, value: float) -> str:
    op, target = TARGETS[name]
    ok = value >= target if op == ">=" else value <= target
    return f"target {op} {target:g}  {'ok' if ok else 'BELOW TARGET' if op == '>=' else 'ABOVE TARGET'}"


def print_report(report: dict) -> None:
    o = report["overall"]
    print(f"messages in truth {o['messages']}  exported {o['exported']}  lost {o['lost']}  ({verdict('lost', o['lost'])})"
          f"  exported but not in truth {o['exported_not_in_truth']}")
    print(f"complaints {o['complaints']}  non-complaints {o['non_complaints']}  complaints without a ticket {o['complaints_without_ticket']}")
    print(f"B-cubed  precision {o['precision']:.3f}  recall {o['recall']:.3f}  F1 {o['f1']:.3f}   {verdict('f1', o['f1'])}")
    print(f"  over the {o['placed_n']} complaints that name or pin a place: precision {o['precision_placed']:.3f}"
          f"  recall {o['recall_placed']:.3f}  F1 {o['f1_placed']:.3f}")
    print(f"category accuracy   {o['category']:.3f} of {o['category_n']}   {verdict('category', o['category'])}")
    print(f"kelurahan accuracy  {o['kelurahan']:.3f} of {o['kelurahan_n']}   {verdict('kelurahan', o['kelurahan'])}")
    print(f"non-complaints ticketed {o['noise_ticketed']:.3f} ({o['noise_ticketed_n']} of {o['non_complaints']})   {verdict('noise_ticketed', o['noise_ticketed'])}")
    print("\nper channel:")
    print(f"  {'channel':10} {'msgs':>5} {'lost':>5} {'P':>6} {'R':>6} {'F1':>6} {'cat':>6} {'kel':>6} {'noise':>6}")
    for channel, f in report["by_channel"].items():
        print(f"  {channel:10} {f['messages']:5d} {f['lost']:5d} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f} {f['category']:6.3f} {f['kelurahan']:6.3f} {f['noise_ticketed']:6.3f}")
    if report["category_confusions"]:
        print("\nworst category confusions (expected -> got):")
        for c in report["category_confusions"]:
            print(f"  {c['count']:4d}  {c['expected']} -> {c['got']}")
    if report["wrong_kelurahan"]:
        print(f"\nwrong kelurahan ({report['wrong_kelurahan_total']} in all; first 15):")
        for w in report["wrong_kelurahan"]:
            print(f"  {w['channel']}:{w['external_id']}  expected {w['expected']}  got {w['got']}")
    if report["split_incidents"]:
        print("\nincidents split over several tickets (first 15):")
        for s in report["split_incidents"]:
            print(f"  {s['incident']}: {s['tickets']}")
    if report["merged_tickets"]:
        print("\ntickets mixing several incidents (first 15):")
        for m in report["merged_tickets"]:
            print(f"  ticket {m['ticket']}: {m['incidents']}")
    if report["noise_ticketed_examples"]:
        print("\nnon-complaints given a ticket (first 15):")
        for n in report["noise_ticketed_examples"]:
            print(f"  {n['channel']}:{n['external_id']}  ({n['note']})")
    if report["lost_examples"]:
        print("\nlost (first 15): " + ", ".join(report["lost_examples"]))
    for error in report["errors"]:
        print(f"\nerror: {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure grouping, category and place quality on a labelled corpus.")
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus", help="folder with channel archives and truth.jsonl")
    parser.add_argument("--db", help="database URL to import into (default: a temporary SQLite file); use an empty one")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--explain-splits", type=int, default=0, metavar="N",
                        help="after the report, show each message of the first N split incidents (place, category, time, link)")
    parser.add_argument("--arrival", default="time", choices=("time", "shuffled", "newest-first", "interleaved"),
                        help="time: dengar import; otherwise each source's batches out of time order, as live sources deliver")
    parser.add_argument("--seed", type=int, default=1, help="the random arrival order's seed")
    args = parser.parse_args(argv)
    truth_path = args.corpus / "truth.jsonl"
    if not truth_path.exists():
        print(f"no truth file at {truth_path}: run python benchmarks/make_corpus.py first", file=sys.stderr)
        return 0
    truth = read_jsonl(truth_path)
    run = run_pipeline(args.corpus, args.db, args.arrival, args.seed)
    report = measure(truth, run)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_report(report)
    if args.explain_splits:
        print_split_details(truth, run.exported, args.explain_splits)
    return 0


def print_split_details(truth: list[dict], exported: dict[Key, dict], limit: int) -> None:
    """Why split incidents were not joined: each message's ticket, place, category, time and link."""
    complaints = [t for t in truth if t["incident"]]
    split, _ = grouping_errors(complaints, exported)
    members: dict[object, list[dict]] = {}
    for t in complaints:
        members.setdefault(t["incident"], []).append(t)
    for s in split[:limit]:
        print(f"\nincident {s['incident']}:")
        rows = [(t, exported.get((t["channel"], t["external_id"])) or {}) for t in members[s["incident"]]]
        for t, row in sorted(rows, key=lambda pair: (str(pair[1].get("ticket_id")), pair[1].get("created_at") or "")):
            loc = row.get("location") or {}
            where = "/".join(str(loc.get(k) or "-") for k in ("kelurahan", "street", "landmark", "rt", "rw"))
            text = " ".join((row.get("text") or "").split())[:90]
            print(f"  t{row.get('ticket_id')} {row.get('created_at', '')[:16]} {t['channel']:9} {row.get('category')!s:16} "
                  f"{where}  {row.get('link_kind')}:{row.get('link_score')}  | {text}")


if __name__ == "__main__":
    raise SystemExit(main())

"""MinHash signatures of a mention's ``match_text``, the key of candidate search.

Choice (measured by ``benchmarks/minhash_choice.py`` on 50k synthetic short Indonesian complaints
with near-duplicate rewrites, one core): rensa's ``RMinHash`` with 128 permutations over character
5-shingles. Figures are in the table printed by that benchmark and summarised here:

FIGURES_PLACEHOLDER

Character 5-shingles survive the edits people make when they re-post a complaint (slang, typos,
a dropped word, a different order of clauses) far better than word 3-shingles, whose every
changed word destroys three shingles. rensa computes the signature and answers LSH queries in Rust,
an order of magnitude under datasketch's pure-Python permutations, and holds less per entry.
"""

from __future__ import annotations

from rensa import RMinHash

SHINGLE_SIZE = 5
NUM_PERM = 128
SEED = 42


def char_shingles(match_text: str, size: int = SHINGLE_SIZE) -> list[str]:
    """Overlapping character windows; a text shorter than one window is its own shingle.

    Duplicates are left in: MinHash keeps the minimum either way, and building a set costs more.
    """
    if len(match_text) <= size:
        return [match_text] if match_text else []
    return [match_text[i : i + size] for i in range(len(match_text) - size + 1)]


def text_signature(match_text: str) -> RMinHash:
    """The MinHash of one text; equal texts give equal signatures in every process (fixed seed)."""
    signature = RMinHash(NUM_PERM, SEED)
    shingles = char_shingles(match_text)
    if shingles:
        signature.update(shingles)
    return signature


def estimated_jaccard(a: RMinHash, b: RMinHash) -> float:
    """Jaccard similarity of the two texts' shingle sets, as estimated from their signatures."""
    return a.jaccard(b)

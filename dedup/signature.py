"""MinHash signatures of a mention's ``match_text``, the key of candidate search.

Choice (measured by ``benchmarks/minhash_choice.py`` on 50k synthetic short Indonesian complaints,
25k near-duplicate rewrite pairs, 128 permutations, LSH threshold 0.5, a shared 2-core machine,
expect +-30 %): rensa's ``RMinHash`` over character 5-shingles.

    library              shingles  µs sig  µs LSH q+i  recall  bytes/entry
    rensa                char 5      13.6        64.4   99.9 %       2,134
    rensa                word 3       9.1        22.9   91.5 %       3,224
    datasketch template  char 5     207.7       228.4   98.9 %       7,667
    datasketch template  word 3     169.4       222.9   78.6 %       9,545
    datasketch bulk      char 5     691.4       352.1   98.9 %       8,866

(µs sig includes ~9 µs of shingling in Python, since cut in C for ASCII texts, see ``shingle_tokens``; LSH cost is dominated by the number of hits a
query returns, ~1,000 per query on this template-heavy text at 32 bands x 4 rows.) dedup uses
120 permutations in 20 bands of 6 rows instead (see dedup/index.py): LSH only looks for
cross-posts, at Jaccard >= 0.7.

Character 5-shingles survive the edits people make when they re-post a complaint (slang, typos,
a dropped word, a different order of clauses) far better than word 3-shingles, whose every
changed word destroys three shingles. rensa computes the signature and answers LSH queries in Rust,
an order of magnitude under datasketch's pure-Python permutations, and holds less per entry.
"""

from __future__ import annotations

import numpy as np
from rensa import RMinHash

SHINGLE_SIZE = 5
NUM_PERM = 120  # 20 LSH bands of 6 rows
SEED = 42
_WINDOW = np.dtype(f"S{SHINGLE_SIZE}")  # one shingle of an ASCII text, as bytes


def char_shingles(match_text: str, size: int = SHINGLE_SIZE) -> list[str]:
    """Overlapping character windows; a text shorter than one window is its own shingle.

    Duplicates are left in: MinHash keeps the minimum either way, and building a set costs more.
    """
    if len(match_text) <= size:
        return [match_text] if match_text else []
    return [match_text[i : i + size] for i in range(len(match_text) - size + 1)]


def shingle_tokens(match_text: str) -> list[str] | list[bytes]:
    """``char_shingles`` as rensa hashes them, cut in one C loop where that gives the same tokens.

    rensa hashes a ``str`` token as its UTF-8 bytes, so the byte windows of an ASCII text are the
    same tokens; numpy's fixed-width view over overlapping windows makes them without a Python
    slice per character (half the cost of a signature). Fixed-width bytes lose trailing NULs, so a
    text holding one (or any non-ASCII character) takes the plain path.
    """
    count = len(match_text) - SHINGLE_SIZE + 1
    if count <= 1 or not match_text.isascii() or "\x00" in match_text:
        return char_shingles(match_text)
    # ndarray(shape, dtype, buffer, offset, strides): positional, numpy's keyword parsing costs more than the cut
    return np.ndarray((count,), _WINDOW, match_text.encode("ascii"), 0, (1,)).tolist()


def text_signature(match_text: str) -> RMinHash:
    """The MinHash of one text; equal texts give equal signatures in every process (fixed seed)."""
    signature = RMinHash(NUM_PERM, SEED)
    shingles = shingle_tokens(match_text)
    if shingles:
        signature.update(shingles)
    return signature


def estimated_jaccard(a: RMinHash, b: RMinHash) -> float:
    """Jaccard similarity of the two texts' shingle sets, as estimated from their signatures."""
    return a.jaccard(b)

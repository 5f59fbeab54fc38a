"""RT/RW numbers: the quick check before the pattern searches never changes what they find."""

from __future__ import annotations

import random

import pytest

from normalizer.places import _RT_ALONE, _RT_RW_PAIR, _RW_ALONE, _rt_rw

# Characters around "rt"/"rw" that make word boundaries hard: letters whose lower case is longer
# ("İ"), underscores, digits, marks, handles and hashtags.
PIECES = ["r", "R", "t", "T", "w", "W", "rt", "RW", "Rt", "rW", " ", "_", "İ", "ẞ", "ǅ", "1", "03", "/", ".", ":", "#",
          "@", "a", "\u0307", "\xa0", "\n", "-"]


def searched(text: str) -> tuple[str | None, str | None]:
    """The pattern searches alone, on every text."""
    pair = _RT_RW_PAIR.search(text)
    if pair:
        rt, rw = (pair.group(1), pair.group(2)) if pair.group(1) else (pair.group(3), pair.group(4))
        return rt.zfill(3), rw.zfill(3)
    rt_match, rw_match = _RT_ALONE.search(text), _RW_ALONE.search(text)
    return (rt_match.group(1).zfill(3) if rt_match else None, rw_match.group(1).zfill(3) if rw_match else None)


@pytest.mark.parametrize(("text", "expected"), [
    ("banjir di RT 03/RW 08", ("003", "008")),
    ("RT.003 RW.08 #banjirjakarta", ("003", "008")),
    ("@DKIJakarta #banjirjakarta parkir", (None, None)),
    ("İrt 3 _rw 4 x_rt 5", (None, None)),
    ("ǅrt 3, (rw 4)", (None, "004")),
    ("RT @warga: banjir di RT 05 RW 02", ("005", "002")),
    ("RT @warga: RT 5 rawan, rw 7", ("005", "007")),
    ("İİ rt 4", ("004", None)),  # lower-cased longer: searched whole
])
def test_rt_rw_of_written_examples(text, expected):
    assert _rt_rw(text) == expected == searched(text)


@pytest.mark.parametrize("seed", range(3))
def test_the_quick_check_agrees_with_the_searches(seed):
    rng = random.Random(seed)
    for _ in range(5000):
        text = "".join(rng.choices(PIECES, k=rng.randint(0, 12)))
        assert _rt_rw(text) == searched(text), repr(text)

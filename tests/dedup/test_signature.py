"""Text signatures: the fast shingle path must sign exactly as the plain character shingles do."""

from __future__ import annotations

import random

import pytest
from rensa import RMinHash

from dedup.signature import NUM_PERM, SEED, char_shingles, shingle_tokens, text_signature

TEXTS = [
    "",
    "a",
    "banjir",
    "banjir lagi",
    "tolong min sampah numpuk di jalan kenanga kel pluit udah 3 hari gak ada yg dateng",
    "banjir 50 cm di jl merdeka kel cipete utara kapan diperbaiki",
    "café di kemang kebanjiran lagi",  # non-ASCII: the plain path
    "jalan rusak\x00 di sini",  # a NUL the fixed-width bytes would drop
    "lampu jalan mati\x00",
    "x" * 5000,
]


def plain_signature(text: str) -> RMinHash:
    signature = RMinHash(NUM_PERM, SEED)
    shingles = char_shingles(text)
    if shingles:
        signature.update(shingles)
    return signature


@pytest.mark.parametrize("text", TEXTS)
def test_the_signature_equals_the_one_of_the_plain_shingles(text):
    assert text_signature(text).digest() == plain_signature(text).digest()


def test_random_texts_sign_the_same_on_both_paths():
    rng = random.Random(5)
    alphabet = "abcdefghijklmnopqrstuvwxyz 0123456789.,#@" + "éà\x00"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 200)))
        assert text_signature(text).digest() == plain_signature(text).digest(), repr(text)


def test_fast_tokens_are_the_shingles_as_bytes_for_ascii_text():
    text = "sampah belum diangkut di jalan melati"
    assert [token.decode("ascii") for token in shingle_tokens(text)] == char_shingles(text)  # type: ignore[union-attr]


def test_near_copies_are_alike_and_other_texts_are_not():
    base = "banjir setinggi lutut di jalan kemang raya depan kemang village sejak subuh mohon pompa"
    copy = "banjir setinggi lutut di jalan kemang raya depan kemang village sejak subuh mohon pompa air"
    other = "lampu penerangan jalan mati total di gang mawar sudah seminggu gelap gulita"
    assert text_signature(base).jaccard(text_signature(copy)) > 0.8
    assert text_signature(base).jaccard(text_signature(other)) < 0.2

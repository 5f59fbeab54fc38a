"""Slang lexicon, word-family folding and the token pass that makes match_text."""

from __future__ import annotations

from pathlib import Path

import pytest

from normalizer.lexicon import affixed_forms, build_root_map, load_lexicon, parse_lexicon, typo_forms
from normalizer.text import BREAK, TextNormalizer, build_tokenizer

CONFIG = Path(__file__).resolve().parents[2] / "config"


def test_repository_lexicon_covers_common_chat_spellings():
    lexicon = load_lexicon(CONFIG / "lexicon.tsv")
    assert len(lexicon.slang) >= 300
    expected = {
        "gk": "tidak", "ga": "tidak", "gak": "tidak", "nggak": "tidak", "enggak": "tidak", "bgt": "banget",
        "yg": "yang", "jln": "jalan", "jl": "jalan", "kel": "kelurahan", "kec": "kecamatan", "tlg": "tolong",
        "udh": "sudah", "udah": "sudah", "sdh": "sudah", "blm": "belum", "dr": "dari", "utk": "untuk",
        "buat": "untuk", "tp": "tapi", "krn": "karena", "bs": "bisa", "gmn": "bagaimana", "knp": "kenapa",
        "skrg": "sekarang", "dgn": "dengan", "dpn": "depan", "sblh": "sebelah", "lg": "lagi", "jg": "juga",
        "org": "orang", "bnyk": "banyak",
    }
    for slang, standard in expected.items():
        assert lexicon.expand(slang) == (standard,), slang


def test_lexicon_rejects_malformed_lines():
    assert parse_lexicon(["# comment", "", "gk\ttidak"]).expand("gk") == ("tidak",)
    with pytest.raises(ValueError, match="line 1"):
        parse_lexicon(["gk tidak"])
    with pytest.raises(ValueError, match="one token"):
        parse_lexicon(["lampu merah\tlampu"])


@pytest.mark.parametrize(
    ("root", "form"),
    [("banjir", "kebanjiran"), ("genang", "tergenang"), ("tumpuk", "menumpuk"), ("tumpuk", "numpuk"),
     ("sumbat", "tersumbat"), ("sumbat", "nyumbat"), ("rusak", "kerusakan"), ("lapor", "dilaporkan"),
     ("betis", "sebetis"), ("macet", "kemacetan"), ("antre", "mengantre")],
)
def test_affixed_forms(root, form):
    assert form in affixed_forms(root)


def test_typo_forms_cover_drop_double_swap_and_shorthand():
    forms = typo_forms("banjir")
    assert {"bnjir", "banjiir", "bajnir", "bnjr"} <= forms
    assert "banjir" not in forms


def test_root_map_never_folds_a_protected_word_nor_guesses_between_roots():
    root_map = build_root_map(["banjir", "kali", "genang", "genangan"], protected=["kalian"])
    assert root_map["kebanjiran"] == "banjir"
    assert root_map["bnjir"] == "banjir"
    assert "kalian" not in root_map  # "you all", not the river
    assert root_map["genangan"] == "genang"
    assert root_map["genangannya"] == "genang"


@pytest.fixture(scope="module")
def normalizer_and_nlp():
    lexicon = load_lexicon(CONFIG / "lexicon.tsv")
    root_map = build_root_map(["banjir", "sampah", "macet"], protected=["jakarta"])
    return TextNormalizer(lexicon, root_map, ["banjir", "jakarta", "kemang", "macet", "parah"]), build_tokenizer()


def normalize(normalizer_and_nlp, text):
    normalizer, nlp = normalizer_and_nlp
    return normalizer.normalize(nlp.make_doc(text))


def test_kept_words_are_not_folded_onto_a_shorter_vocabulary_word():
    vocabulary = {"lurah", "kelurahan", "kali", "sekali", "pak", "makin", "jam", "dijamin"}
    folded = build_root_map(vocabulary, protected=())
    assert folded["kelurahan"] == "lurah" and folded["sekali"] == "kali"  # what goes wrong without the list
    kept = build_root_map(vocabulary, protected=(), kept={"kelurahan", "sekali", "makin", "dijamin"})
    for word in ("kelurahan", "sekali", "makin", "dijamin"):
        assert kept.get(word, word) == word


def test_lexicon_lists_words_standing_for_themselves():
    lexicon = parse_lexicon(["kelurahan\tkelurahan", "kel\tkelurahan", "gk\ttidak"])
    assert lexicon.kept_words == frozenset({"kelurahan"})
    repository = load_lexicon(CONFIG / "lexicon.tsv")
    assert {"kelurahan", "kecamatan", "sekali", "makin"} <= repository.kept_words
    assert repository.expand("asap") == ("asap",)  # smoke, not "as soon as possible"
    assert repository.expand("bangjo") == ("lampu", "lalu", "lintas")


def test_tokenizer_keeps_address_abbreviations_whole():
    nlp = build_tokenizer()
    tokens = [t.text for t in nlp.make_doc("Jl. Melati Kel. Cikini Kec. Menteng RT. 03 RW. 08 jln. mawar")]
    for abbreviation in ("Jl.", "Kel.", "Kec.", "RT.", "RW.", "jln."):
        assert abbreviation in tokens


def test_match_text_drops_urls_mentions_emoji_and_punctuation(normalizer_and_nlp):
    text = normalize(normalizer_and_nlp, "@DKIJakarta Banjir lg di Jl. Kemang!! 😭😭 https://t.co/x1 gk bs lewat")
    assert text.match_text == "banjir lagi di jalan kemang tidak bisa lewat"
    assert len(text.words) == len(text.keys) == len(text.surfaces)


def test_keys_fold_word_families_and_elongations(normalizer_and_nlp):
    text = normalize(normalizer_and_nlp, "kebanjiran bnjir banjiiir sampahnya")
    assert [k for k in text.keys if k != BREAK] == ["banjir", "banjir", "banjir", "sampah"]


@pytest.mark.parametrize(
    ("hashtag", "words"),
    [("#banjirjakarta", ["banjir", "jakarta"]), ("#BanjirJakarta", ["banjir", "jakarta"]),
     ("#macetparah", ["macet", "parah"]), ("#KemangBanjir", ["kemang", "banjir"]), ("#xyzqw", ["xyzqw"])],
)
def test_hashtags_split_into_known_words(normalizer_and_nlp, hashtag, words):
    assert normalize(normalizer_and_nlp, hashtag).match_text == " ".join(words)

"""How Jakarta residents spell things: the slang lexicon and the word-family map of our vocabulary.

Citizens write "gk", "bnjir", "kebanjiran", "ke banjiran" and "banjiiir" for the same thing. The
slang lexicon (a file operators can extend) handles the conventional abbreviations; the root map,
generated at start-up from the words our taxonomy cares about, folds Indonesian affixes and common
typos onto one root so that rules stay short and generalize to spellings nobody listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

# Abbreviations that end in a dot and that spaCy's Indonesian tokenizer would split off.
ABBREVIATIONS_WITH_DOT = (
    "Jl.", "Jln.", "Kel.", "Kec.", "Kab.", "RT.", "RW.", "Gg.", "Kp.", "Komp.", "Perum.", "No.",
    # the first word of place names in addresses: Pondok, Kebon, Tanjung ("Pd. Labu", "Kb. Jeruk"),
    # and the short forms map services print in addresses ("Cemp. Putih Tim., Kec. Kby. Lama")
    "Pd.", "Kb.", "Tj.", "Gn.", "Cemp.", "Kby.", "Klp.", "Cip.", "Tim.", "Sel.", "Bar.", "Ut.",
    # titles in street names ("Jl. Jend. Sudirman", "Jl. Ir. H. Juanda") that spaCy splits at the dot
    "Jend.", "Ir.", "Hj.", "Drs.", "Kol.", "Letjen.", "Mayjen.", "Brigjen.", "Laks.", "Tb.",
)

# Affixes folded onto a root. Nasal prefixes change the root's first letter (tumpuk -> menumpuk,
# colloquial numpuk), so they are generated per initial letter.
_SUFFIXES = ("", "nya", "an", "annya", "kan", "i", "in", "lah", "kah")
_PLAIN_PREFIXES = ("", "ke", "ter", "di", "ber", "se", "keter")
_MIN_ROOT_FOR_AFFIXES = 3
_MIN_ROOT_FOR_TYPOS = 5


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Slang and abbreviations: a lower-case token and the standard word(s) it stands for."""

    slang: Mapping[str, tuple[str, ...]]

    def expand(self, token: str) -> tuple[str, ...]:
        return self.slang.get(token, (token,))

    @property
    def kept_words(self) -> frozenset[str]:
        """Words listed as standing for themselves: they look affixed but are words of their own."""
        return frozenset(key for key, words in self.slang.items() if words == (key,))


def parse_lexicon(lines: Iterable[str]) -> Lexicon:
    """Read ``slang<TAB>standard words`` lines; ``#`` starts a comment line."""
    slang: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(lines, start=1):
        text = line.rstrip("\n")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        parts = text.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise ValueError(f"lexicon line {number}: expected 'slang<TAB>standard', got {text!r}")
        key = parts[0].strip().lower()
        if " " in key:
            raise ValueError(f"lexicon line {number}: the slang side must be one token, got {key!r}")
        slang[key] = tuple(parts[1].lower().split())
    return Lexicon(slang)


def load_lexicon(path: Path) -> Lexicon:
    with path.open(encoding="utf-8") as lines:
        return parse_lexicon(lines)


def affixed_forms(root: str) -> set[str]:
    """Inflected forms of an Indonesian root: ke-/ter-/di-/ber-/se-, nasal me-/pe-/colloquial, -nya/-an/-kan/-in."""
    prefixed = {prefix + root for prefix in _PLAIN_PREFIXES}
    prefixed.update(_nasal_forms(root))
    return {form + suffix for form in prefixed for suffix in _SUFFIXES} - {root}


def _nasal_forms(root: str) -> set[str]:
    first, rest = root[0], root[1:]
    if first in "aeiou":
        stems = {"ng" + root}
    elif first == "k":
        stems = {"ng" + rest, "nge" + root}
    elif first == "t":
        stems = {"n" + rest}
    elif first == "s":
        stems = {"ny" + rest}
    elif first == "p":
        stems = {"m" + rest}
    elif first == "b":
        stems = {"m" + root}
    elif first in "cdj":
        stems = {"n" + root}
    elif first in "gh":  # menggenang, menghalangi; colloquial nggenang, ngegenang
        stems = {"ng" + root, "nge" + root}
    else:
        stems = {"nge" + root}
    formal = {"me" + stem for stem in stems} | {"pe" + stem for stem in stems}
    if first in "lmnrwy":
        formal |= {"me" + root, "pe" + root}
    return stems | formal


def typo_forms(root: str) -> set[str]:
    """One dropped, doubled or swapped letter, and the vowel-less shorthand ("bnjr")."""
    forms: set[str] = set()
    for i in range(len(root)):
        forms.add(root[:i] + root[i + 1:])
        forms.add(root[:i] + root[i] + root[i:])
        if i + 1 < len(root):
            forms.add(root[:i] + root[i + 1] + root[i] + root[i + 2:])
    skeleton = root[0] + "".join(ch for ch in root[1:] if ch not in "aeiou")
    if len(skeleton) >= 4:
        forms.add(skeleton)
    forms.discard(root)
    return forms


_MIN_NAME_FOR_TYPOS = 6


def name_misspellings(names: Iterable[str], taken: AbstractSet[str]) -> dict[str, str]:
    """Near-miss spellings of the words of place names ("Cipete Selatn", "Rawamangn"): each form
    maps to the one name word it misspells.

    Only words of six letters or more, never the first letter lost or moved (people keep it), never
    a form that is a word of ``taken`` (stop words, rule words, slang, other names) or that two
    names could claim.
    """
    claimed: dict[str, str] = {}
    for name in names:
        if len(name) < _MIN_NAME_FOR_TYPOS or not name.isalpha():
            continue
        for form in typo_forms(name):
            if form[0] == name[0] and form not in taken and claimed.setdefault(form, name) != name:
                claimed[form] = ""
    return {form: name for form, name in claimed.items() if name}


def build_root_map(
    vocabulary: Iterable[str], protected: Iterable[str], kept: Iterable[str] = ()
) -> dict[str, str]:
    """Map every affixed form and near-miss spelling of a vocabulary word to its root.

    A form that is a word in its own right (``protected``: stop words, slang, place names) is
    never folded, and a form two roots could claim is dropped rather than guessed. Vocabulary
    words that are themselves affixed forms of shorter vocabulary words ("genangan" of "genang")
    fold onto the shorter one, so rules may name either, unless they are ``kept`` as words of
    their own ("kelurahan" is not "lurah", "sekali" is not "kali").
    """
    roots = {word for word in vocabulary if word.isalpha()}
    protected_words = set(protected)
    kept_words = set(kept)
    affixed = {root: affixed_forms(root) for root in roots if len(root) >= _MIN_ROOT_FOR_AFFIXES}
    roots_forming: dict[str, list[str]] = {}  # affixed form -> the roots it is a form of
    for other, forms in affixed.items():
        for form in forms:
            if form in roots:
                roots_forming.setdefault(form, []).append(other)
    # Vocabulary words that are affixed forms of a shorter vocabulary word fold onto it.
    base_of: dict[str, str] = {}
    for root in sorted(roots, key=len):
        if root in kept_words:
            continue
        shorter = [other for other in roots_forming.get(root, ()) if len(other) < len(root)]
        if len(shorter) == 1:
            base = shorter[0]
            base_of[root] = base_of.get(base, base)
    claimed_by: dict[str, str] = {}  # form -> the one base claiming it ("" once two bases do)
    for root in roots:
        forms = set(affixed.get(root, ()))
        if len(root) >= _MIN_ROOT_FOR_TYPOS:
            typos = typo_forms(root)
            forms |= typos | {typo + "nya" for typo in typos}
        base = base_of.get(root, root)
        for form in forms:
            if len(form) >= 3 and claimed_by.setdefault(form, base) != base:
                claimed_by[form] = ""
    root_map: dict[str, str] = dict(base_of)
    for form, base in claimed_by.items():
        if base and form not in protected_words and form not in roots:
            root_map[form] = base
    return root_map

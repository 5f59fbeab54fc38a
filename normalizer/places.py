"""Where a message says the problem is: DKI kelurahan, kecamatan, kota, street, RT/RW.

Names are found with one phrase index over the normalized words; which place a shared name
means is decided by, in order: a context word right before it ("kel.", "kecamatan", "kota"),
other places named in the same message that contain one candidate, and — for a name that is
both a kecamatan and the kelurahan at its seat — the kelurahan, the likeliest reading, marked as
possibly meaning the whole kecamatan (``Place.may_mean_kecamatan``) unless "Kel." says so. What is
still ambiguous stays ambiguous (``Place.ambiguous``); a geo point alone never gives a kelurahan.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from typing import Literal, NamedTuple

from spacy.vocab import Vocab

from normalizer.gazetteer import Gazetteer
from normalizer.memory import BoundedMemory
from normalizer.phrase_index import PhraseIndex, Span
from normalizer.text import BREAK, ROMAN_NUMERAL, NormalizedText
from normalizer.types import Place

Level = Literal["kelurahan", "kecamatan", "kota", "outside", "street", "proper_name"]
_CONTEXT_LEVELS: Mapping[str, Level] = {
    "kelurahan": "kelurahan",
    "desa": "kelurahan",
    "kecamatan": "kecamatan",
    "kota": "kota",
    "kabupaten": "kota",
    "wilayah": "kota",
}
_STREET_ABBREVIATIONS = frozenset({"jl", "jln", "jlan", "gg", "gng"})
# A lane ("Gg. Mawar") is where people live, and narrower than the road it leaves: it names the
# spot when both are given, so it is looked for first.
_STREET_HEADS = ("gang", "jalan")
# Rivers carry the names of the areas they pass ("kali Krukut", "sungai Pesanggrahan"): a name
# right after one of these words is the river, and says where only when nothing else does.
_WATERWAY_WORDS = frozenset({"kali", "sungai", "kanal"})
_STREET_WORDS_ALLOWED = frozenset({"baru", "tengah", "lama", "dalam", "atas", "bawah", "luar", "raya", "utama", "besar"})
_STREET_HARD_STOPS = frozenset({"nomor", "no", "rt", "rw", "kelurahan", "kecamatan", "kota", "gang", "jalan", "blok", "kav", "kaveling"})
_STREET_ENDS = _STREET_HARD_STOPS | {BREAK}
_MAX_STREET_WORDS = 4
# What may stand between a street and the kelurahan written as the next part of its address
_ADDRESS_GLUE = frozenset({"kel", "kelurahan", "desa"})
# How a street's name ends ("Cikini Raya", "Kemang Utara IX"): enough to tell a street typed all in
# lower case from a road's description ("jalan kaki", "jalan rusak parah").
_LOWER_CASE_STREET_ENDINGS = frozenset({"raya", "utara", "selatan", "barat", "timur", "dalam"})
_BETAWI_KEBON, _STANDARD_KEBUN = "Kebon ", "Kebun "
# A "street" whose name starts with one of these words is a road's state or a common phrase read
# as a name ("jalan rusak", "Penerangan Jalan Umum", "gang sebelah"), not a street: it says nothing
# about where, and a street named further on is the one meant.
NOT_A_STREET_NAME = frozenset({
    "rusak", "berlubang", "bolong", "amblas", "ambles", "retak", "licin", "tergenang", "banjir", "macet",
    "gelap", "mati", "padam", "umum", "utama", "ini", "itu", "tersebut", "sini", "situ", "di", "ke", "dan",
    "yang", "sudah", "tidak", "masih", "depan", "dekat", "sekitar", "sebelah", "arah", "menuju",
    # what kind of road it is ("Jalan Sempit Dipakai Parkir", "jalan tikus", "jalan lingkungan")
    "sempit", "kecil", "becek", "penuh", "tikus", "alternatif", "pintas", "lingkungan", "setapak",
    "protokol", "berdebu", "bergelombang", "ambrol", "rawan", "sepi", "ramai", "padat",
})
_START = itemgetter(0)  # of a (start, end, labels) span
_REMEMBERED = 50_000  # name combinations and places kept
_RT_RW_PAIR = re.compile(
    r"\brt\s*[./:]?\s*0*(\d{1,3})\s*(?:[/,\\-]|\s)\s*(?:rw\s*[./:]?\s*)?0*(\d{1,3})\b"
    r"|\brt\s*/\s*rw\s*[./:]?\s*0*(\d{1,3})\s*/\s*0*(\d{1,3})\b",
    re.IGNORECASE,
)
# A Jakarta postal code where addresses put it: after "Jakarta [Selatan]" or "kode pos".
_POSTAL_CODE = re.compile(
    r"(?:jakarta(?:\s+(?:pusat|utara|barat|selatan|timur))?|jak(?:pus|ut|bar|sel|tim)|kode\s*pos|kodepos)"
    r"\s*[,.:-]?\s*(1[0-4]\d{3})(?!\d)",
    re.IGNORECASE,
)
_FIVE_DIGITS = re.compile(r"1[0-4]\d{3}")
_RT_ALONE = re.compile(r"\brt\s*[./:]?\s*0*(\d{1,3})\b", re.IGNORECASE)
_RW_ALONE = re.compile(r"\brw\s*[./:]?\s*0*(\d{1,3})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One thing a place name can mean."""

    level: Level
    code: str | None = None  # Kemendagri code for kelurahan/kecamatan/kota
    needs_context: bool = False  # an official name that is also an everyday word
    landmark: str | None = None
    street: str | None = None
    outside: str | None = None
    area_alias: bool = False  # a neighbourhood name ("Kampung Pulo") that mostly lies in the kelurahan


@dataclass(frozen=True, slots=True)
class PlaceAliases:
    """The alias layer of config/gazetteer_aliases.toml."""

    aliases: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    kota_abbreviations: Mapping[str, str] = field(default_factory=dict)
    split_spellings: tuple[str, ...] = ()
    needs_context: frozenset[str] = frozenset()


def parse_place_aliases(data: Mapping[str, object]) -> PlaceAliases:
    return PlaceAliases(
        aliases=dict(data.get("aliases", {})),  # type: ignore[arg-type]
        kota_abbreviations=dict(data.get("kota_abbreviations", {})),  # type: ignore[arg-type]
        split_spellings=tuple(data.get("split_spellings", ())),  # type: ignore[arg-type]
        needs_context=frozenset(data.get("needs_context", ())),  # type: ignore[arg-type]
    )


def load_place_aliases(path: Path) -> PlaceAliases:
    with path.open("rb") as handle:
        return parse_place_aliases(tomllib.load(handle))


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    candidates: list[Candidate]
    context: Level | None
    in_street: bool


@dataclass(slots=True)
class _Resolution:
    kelurahan: str | None = None
    kelurahan_code: str | None = None
    kecamatan: str | None = None
    kota: str | None = None
    ambiguous: tuple[str, ...] = ()
    outside: bool = False
    landmark: str | None = None
    street: str | None = None
    may_mean_kecamatan: bool = False

    @property
    def placed(self) -> bool:
        return bool(self.kelurahan or self.kecamatan or self.kota or self.ambiguous)


class PlaceMatch(NamedTuple):
    """Made once per message: a named tuple is built faster than a frozen dataclass."""

    place: Place
    name_tokens: AbstractSet[int]  # word positions that are place or street names, not problem words


class PlaceFinder:
    """Finds the place in normalized words; built once, used for every message."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        aliases: PlaceAliases,
        vocab: Vocab,
        phrase_keys: Callable[[str], list[str]],
        street_stop_words: Iterable[str],
    ):
        self._gazetteer = gazetteer
        self.index = PhraseIndex()
        self._entries: dict[str, list[Candidate]] = {}
        self._street_stops = frozenset(street_stop_words) - _STREET_WORDS_ALLOWED
        self._phrase_keys = phrase_keys
        self._resolutions: BoundedMemory[tuple, _Resolution] = BoundedMemory(_REMEMBERED)  # read-only once stored
        self._places: BoundedMemory[tuple, Place] = BoundedMemory(_REMEMBERED)
        self._streets: BoundedMemory[tuple, tuple[str | None, int]] = BoundedMemory(_REMEMBERED)
        self._add_official_names(aliases.needs_context)
        for spelling in aliases.split_spellings:
            self._add_pattern(spelling, [])
        for written, kota_name in aliases.kota_abbreviations.items():
            self._add_pattern(written, [Candidate("kota", gazetteer.kota_by_name(kota_name).code)])
        for written, target in aliases.aliases.items():
            self._add_pattern(written, [self._alias_candidate(written, target)])
        self.index.order_labels_as_spacy(vocab)

    # ----- building
    def _key(self, words: list[str]) -> str:
        return "".join(words)

    def _add_pattern(self, written: str, candidates: list[Candidate]) -> None:
        words = self._phrase_keys(written)
        if not words:
            return
        if "-" in written:
            # The tokenizer breaks a message's "Al-Azhar" at the hyphen: the name is also looked
            # for with that break inside it.
            parts = [self._phrase_keys(part) for part in written.split("-")]
            broken = [word for part in parts if part for word in [*part, BREAK]][:-1]
            if broken and broken != words:
                self.index.add(self._key(words), broken)
        key = self._key(words)
        entry = self._entries.setdefault(key, [])
        for candidate in candidates:
            if candidate not in entry:
                entry.append(candidate)
        self.index.add(key, words)
        if len(words) > 1:
            self.index.add(key, [key])

    def _add_official_names(self, needs_context: frozenset[str]) -> None:
        gazetteer = self._gazetteer
        named: list[tuple[str, Candidate]] = [(k.name, Candidate("kota", k.code)) for k in gazetteer.kota]
        named += [(k.name, Candidate("kecamatan", k.code)) for k in gazetteer.kecamatan]
        named += [(k.name, Candidate("kelurahan", k.code)) for k in gazetteer.kelurahan]
        for name, candidate in named:
            if name.lower() in needs_context:
                candidate = Candidate(candidate.level, candidate.code, needs_context=True)
            self._add_pattern(name, [candidate])
            if name.startswith(_BETAWI_KEBON):  # "Kebon Jeruk" in the standard spelling people also use
                self._add_pattern(_STANDARD_KEBUN + name[len(_BETAWI_KEBON):], [candidate])

    def _alias_candidate(self, written: str, target: Mapping[str, object]) -> Candidate:
        gazetteer = self._gazetteer
        landmark = written if target.get("landmark") else None
        street = target.get("street")
        street = str(street) if street else None
        if "kelurahan" in target:
            matches = gazetteer.kelurahan_by_name(str(target["kelurahan"]))
            if len(matches) != 1:
                raise ValueError(f"place alias {written!r}: kelurahan {target['kelurahan']!r} is not one DKI kelurahan")
            return Candidate("kelurahan", matches[0].code, landmark=landmark, street=street, area_alias=not landmark)
        if "kecamatan" in target:
            code = gazetteer.kecamatan_by_name(str(target["kecamatan"])).code
            return Candidate("kecamatan", code, landmark=landmark, street=street)
        if "kota" in target:
            return Candidate("kota", gazetteer.kota_by_name(str(target["kota"])).code, landmark=landmark, street=street)
        if "outside" in target:
            return Candidate("outside", outside=str(target["outside"]))
        if street:
            return Candidate("street", landmark=landmark, street=street)
        raise ValueError(f"place alias {written!r}: needs one of kelurahan, kecamatan, kota, outside, street")

    # ----- finding
    def find(
        self, match_keys: list[str], text: NormalizedText, raw_text: str, spans: list[Span] | None = None
    ) -> PlaceMatch:
        """``match_keys`` are ``text.keys`` lower-cased; ``raw_text`` is the message as written (for RT/RW);
        ``spans``: what :attr:`index` finds in ``match_keys``, when the caller has them.

        Which place the names mean depends only on the names, their context words and whether they
        are part of a street, in order: that signature's resolution is remembered.
        """
        words, surfaces = text.words, text.surfaces
        street, street_range = self._street(text)
        found = _longest_first(self.index.spans(match_keys) if spans is None else spans)
        if len(found) > 1:
            found = self._without_names_before_outside_places(found)
        if street is not None:
            street, street_range = self._street_before_area(street, street_range, words, found)
        street_start, street_end = street_range
        name_tokens = set(range(street_start, street_end))
        signature = []
        for start, end, labels in found:
            match_id = labels[0]  # a name's one label (of several, the matcher's first would win)
            before = words[start - 1] if start else None
            context = _CONTEXT_LEVELS.get(before) if start else None
            if context is None and end - start > 1 and _written_as_proper_name(surfaces, start, end):
                context = "proper_name"
            # A river named after an area counts only when no other place is named, like a street.
            in_street = street_start <= start < street_end or (start > 0 and before in _WATERWAY_WORDS)
            signature.append((match_id, context, in_street))
            name_tokens.update(range(start, end))
        key = tuple(signature)
        rt, rw = _rt_rw(raw_text)
        postal = _POSTAL_CODE.search(raw_text) if _FIVE_DIGITS.search(raw_text) else None  # most texts have no such number
        postal_code = postal.group(1) if postal else None
        place_key = (key, street, rt, rw, postal_code)
        place = self._places.get(place_key)
        if place is None:
            resolution = self._resolutions.get(key)
            if resolution is None:
                resolution = self._resolution(key)
            place = Place(
                kota=resolution.kota,
                kecamatan=resolution.kecamatan,
                kelurahan=resolution.kelurahan,
                kelurahan_code=resolution.kelurahan_code,
                street=street or resolution.street,
                landmark=resolution.landmark,
                rt=rt,
                rw=rw,
                ambiguous=resolution.ambiguous,
                # with a street, a landmark or an RT/RW the name is the address's kelurahan
                may_mean_kecamatan=resolution.may_mean_kecamatan and not (
                    street or resolution.street or resolution.landmark or rt or rw),
            )
            if postal_code is not None:
                place = self._with_postal_code(place, postal_code, resolution.may_mean_kecamatan)
            self._places.remember(place_key, place)
        return PlaceMatch(place, name_tokens)

    def _resolution(self, signature: tuple[tuple[str, Level | None, bool], ...]) -> _Resolution:
        spans = [_Span(0, 0, list(self._entries[match_id]), context, in_street) for match_id, context, in_street in signature]
        resolution = self._resolve([s for s in spans if not s.in_street])
        in_street = [s for s in spans if s.in_street]
        if not resolution.placed and not resolution.outside:
            # Only a street named after an area ("Jl. Tebet Raya"): it usually runs through it.
            from_street = self._resolve(in_street)
            from_street.landmark = resolution.landmark or from_street.landmark
            from_street.street = resolution.street or from_street.street  # a road alias ("Gatot Subroto")
            resolution = from_street
        elif in_street and resolution.kelurahan_code is None and not resolution.outside:
            # "Jl. Pegangsaan Dua, Kelapa Gading": the street's kelurahan, inside the area named after it
            from_street = self._resolve(in_street)
            if from_street.kelurahan_code and _lies_in(from_street, resolution):
                resolution.kelurahan, resolution.kelurahan_code = from_street.kelurahan, from_street.kelurahan_code
                resolution.kecamatan, resolution.kota = from_street.kecamatan, from_street.kota
                resolution.ambiguous, resolution.may_mean_kecamatan = (), from_street.may_mean_kecamatan
        return self._resolutions.remember(signature, resolution)

    def _with_postal_code(self, place: Place, postal_code: str, by_kecamatan_name: bool) -> Place:
        """The kelurahan an address's postal code serves, where the text left it open or named
        it only by its kecamatan's name ("Jl. Cikini Raya, Menteng, Jakarta Pusat 10330"); a
        kelurahan the text names outright is kept."""
        if place.kelurahan_code and not by_kecamatan_name:
            return place
        fitting = [
            k for k in self._gazetteer.kelurahan_by_postal_code(postal_code)
            if (place.kecamatan is None or k.kecamatan_name == place.kecamatan) and (place.kota is None or k.kota_name == place.kota)
            and (not place.ambiguous or k.code in place.ambiguous)
        ]
        if len(fitting) != 1:
            return place
        kelurahan = fitting[0]
        return replace(place, kelurahan=kelurahan.name, kelurahan_code=kelurahan.code, kecamatan=kelurahan.kecamatan_name,
                       kota=kelurahan.kota_name, ambiguous=(), may_mean_kecamatan=False)

    def _without_names_before_outside_places(self, found: list[Span]) -> list[Span]:
        """A DKI name written right before a place outside DKI is that place's own area of the same
        name ("Kelapa Dua Tangerang", "Cibubur Bekasi"): it names no DKI place."""
        entries = self._entries
        kept = [
            span for span, after in zip(found, found[1:])
            if not (after[0] == span[1] and all(c.level == "outside" for c in entries[after[2][0]]))
        ]
        kept.append(found[-1])
        return kept if len(kept) < len(found) else found

    def _street_before_area(
        self, street: str, street_range: tuple[int, int], words: list[str], found: list[Span]
    ) -> tuple[str, tuple[int, int]]:
        """A street read on into the area written after it ("Jl. Mayjen Sutoyo Cililitan") ends
        where the area's name begins. Only a name at the street's end is cut off, and only when
        the message names no other kelurahan elsewhere: a name that opens the street's ("Jl.
        Kemanggisan Raya", "Jl. Raya Kebayoran Lama"), or that ends it while another kelurahan
        follows ("Jl. Taman Kebon Jeruk, Meruya Utara") or the same one as its address ("Jl. Taman
        Kebon Jeruk, Kebon Jeruk"), is part of the street's name; one the message names again
        elsewhere ("Macet di Pulo Gadung: ... di Jalan Musholla Pulo Gadung") is its area."""
        start, end = street_range
        first_named = start + (2 if words[start] == "raya" else 1)
        cut, cut_name = end, None
        for s, e, labels in found:  # most streets end on a word that names no area: nothing is cut
            if first_named <= s < cut and end <= e and self._names_an_area(labels[0]):
                cut, cut_name = s, labels[0]
        if cut == end or any((e <= start or s >= end) and (labels[0] != cut_name or _written_next(words, end, s))
                             and self._names_an_area(labels[0], "kelurahan") for s, e, labels in found):
            return street, street_range
        head = street.split(" ", 1)[0]
        return f"{head} " + " ".join(words[start:cut]), (start, cut)

    def _names_an_area(self, match_id: str, level: Level | None = None) -> bool:
        """Only a kelurahan, kecamatan or kota (or one at ``level``) by its name, not an everyday
        word, landmark or road."""
        entries = self._entries[match_id]
        return all(
            c.level in ("kelurahan", "kecamatan", "kota") and not c.needs_context and c.landmark is None and c.street is None
            for c in entries
        ) and (level is None or any(c.level == level for c in entries))

    def _street(self, text: NormalizedText) -> tuple[str | None, tuple[int, int]]:
        """'Jl. Kemang Raya no. 5' -> 'jalan kemang raya', 'Gg. Mawar 2' -> 'gang mawar': the words
        after 'gang' (else 'jalan') up to a stop."""
        words = text.words
        for head in _STREET_HEADS:
            if head in words:
                street, span = self._street_after(head, text)
                if street is not None:
                    return street, span
        return None, (0, 0)

    def _street_after(self, head: str, text: NormalizedText) -> tuple[str | None, tuple[int, int]]:
        words, surfaces = text.words, text.surfaces
        i = -1
        for _ in range(words.count(head)):  # each place the head word is written, found by list search
            i = words.index(head, i + 1)
            if i + 1 >= len(words):
                continue
            # What follows a head is read from the few words after it alone, and those repeat
            # ("Jl. Raya Bogor kel."): the reading is remembered by them.
            after = (head, tuple(words[i + 1:i + 1 + _MAX_STREET_WORDS]), tuple(surfaces[i:i + 1 + _MAX_STREET_WORDS]))
            found = self._streets.get(after)
            if found is None:
                found = self._streets.remember(after, self._street_words(head, after[1], after[2]))
            street, length = found
            if street is not None:
                return street, (i + 1, i + 1 + length)
        return None, (0, 0)

    def _street_words(self, head: str, words: tuple[str, ...], surfaces: tuple[str, ...]) -> tuple[str | None, int]:
        """The street named by ``words`` after a head written as ``surfaces[0]`` (``surfaces[1:]`` are
        ``words`` as written), and how many words it takes; (None, 0) when they name none."""
        abbreviated = surfaces[0].lower().rstrip(".") in _STREET_ABBREVIATIONS
        following = surfaces[1]
        # In a message typed in capitals, a capital says nothing: "JALAN DARI PAGI" is no street.
        shouted = len(following) > 1 and following.isupper()
        capitalised = following[:1].isupper() and not shouted
        if not (abbreviated or capitalised or shouted):
            j = self._named_by_its_ending(words)
            return (f"{head} " + " ".join(words[:j]), j) if j else (None, 0)
        j = 0
        while j < len(words):
            word_j = words[j]
            if word_j in _STREET_ENDS or (j > 0 and word_j.isdigit()):
                break
            if capitalised:
                initial = surfaces[j + 1][:1]
                if not (initial.isupper() or initial.isdigit()) and word_j not in _STREET_WORDS_ALLOWED:
                    break
            elif word_j in self._street_stops:
                break
            j += 1
        if j and words[0] not in NOT_A_STREET_NAME:
            return f"{head} " + " ".join(words[:j]), j
        return None, 0

    def _named_by_its_ending(self, words: tuple[str, ...]) -> int:
        """How many words of a street typed in lower case, which shows itself by how its name ends
        ("jalan cikini raya", "jalan kemang utara ix"); 0 when the words name no street."""
        for ending_at in (1, 2):  # one or two name words, then the ending
            if len(words) > ending_at and words[ending_at] in _LOWER_CASE_STREET_ENDINGS and all(
                word.isalpha() and word not in self._street_stops and word not in NOT_A_STREET_NAME
                for word in words[:ending_at]
            ):
                length = ending_at + 1
                if len(words) > length and ROMAN_NUMERAL.match(words[length]):
                    length += 1
                return length
        return 0

    def _resolve(self, spans: list[_Span]) -> _Resolution:
        result = _Resolution()
        if not spans:
            return result
        kelurahan_found: list[str] = []
        kelurahan_named: list[str] = []  # written right after "Kel."/"kelurahan": the sender's own statement
        # Its official name, or a landmark inside it, over a neighbourhood that mostly lies in one.
        kelurahan_official: list[str] = []
        kelurahan_or_kecamatan: set[str] = set()  # read from a name the kecamatan around it shares
        kelurahan_only: set[str] = set()
        kecamatan_found: list[str] = []
        kota_found: list[str] = []
        ambiguous: list[str] = []
        ambiguous_areas: list[str] = []
        for span in spans:
            others = [c for other in spans if other is not span for c in other.candidates]
            candidates = self._narrow(span, others)
            if not candidates:
                continue
            if result.landmark is None:
                result.landmark = next((c.landmark for c in candidates if c.landmark), None)
            if result.street is None:
                result.street = next((c.street for c in candidates if c.street), None)
            if any(c.level == "outside" for c in candidates):
                result.outside = True
                continue
            admin = [c for c in candidates if c.level in ("kelurahan", "kecamatan", "kota")]
            chosen = self._choose(admin)
            if chosen is None:
                ambiguous.extend(c.code for c in admin if c.level == "kelurahan" and c.code)
                ambiguous_areas.extend(c.code for c in admin if c.code)
                continue
            {"kelurahan": kelurahan_found, "kecamatan": kecamatan_found, "kota": kota_found}[chosen.level].append(
                chosen.code or ""
            )
            if chosen.level == "kelurahan" and span.context == "kelurahan":
                kelurahan_named.append(chosen.code or "")
            if chosen.level == "kelurahan" and not chosen.area_alias:
                kelurahan_official.append(chosen.code or "")
            if chosen.level == "kelurahan":
                seat = span.context != "kelurahan" and any(
                    c.level == "kecamatan" and c.code and (chosen.code or "").startswith(c.code + ".") for c in admin)
                (kelurahan_or_kecamatan if seat else kelurahan_only).add(chosen.code or "")
        self._fill(result, kelurahan_named or kelurahan_official or kelurahan_found, kecamatan_found, kota_found, ambiguous, ambiguous_areas)
        code = result.kelurahan_code
        result.may_mean_kecamatan = code in kelurahan_or_kecamatan and code not in kelurahan_only
        return result

    def _narrow(self, span: _Span, others: list[Candidate]) -> list[Candidate]:
        candidates = span.candidates
        if span.context in ("kelurahan", "kecamatan", "kota"):
            at_level = [c for c in candidates if c.level == span.context]
            if at_level:
                return at_level
        supported = [c for c in candidates if self._supported(c, others)]
        if supported:
            return supported
        if span.context is None or span.context == "street":
            candidates = [c for c in candidates if not c.needs_context]
        outside = [c for c in candidates if c.level == "outside"]
        return outside or candidates

    def _supported(self, candidate: Candidate, others: list[Candidate]) -> bool:
        """Another place in the message contains this one (a kecamatan or kota around it)."""
        if candidate.code is None or candidate.level in ("kota", "outside", "street"):
            return False
        return any(
            other.code
            and other.level in ("kecamatan", "kota")
            and other.code != candidate.code
            and candidate.code.startswith(other.code + ".")
            for other in others
        )

    def _choose(self, candidates: list[Candidate]) -> Candidate | None:
        # One area reached twice (the official name and an alias of it, "Kel. Galur") is one reading.
        unique = list({(c.level, c.code): c for c in reversed(candidates)}.values())[::-1]
        if len(unique) == 1:
            return unique[0]
        kelurahan = [c for c in unique if c.level == "kelurahan"]
        kecamatan = [c for c in unique if c.level == "kecamatan"]
        if not kelurahan:
            return kecamatan[0] if len(kecamatan) == 1 else None
        if len(kecamatan) == 1:  # the seat: Kel. Duren Sawit inside Kec. Duren Sawit
            seat = [k for k in kelurahan if k.code and k.code.startswith(kecamatan[0].code + ".")]
            if len(seat) == 1 and len(kelurahan) == 1:
                return seat[0]
            if not seat and len(kelurahan) == 1:
                # a kecamatan's name that a kelurahan elsewhere also bears ("Jatinegara", a kelurahan
                # of Cakung): the district, unless "Kel." before it said the kelurahan
                return kecamatan[0]
        if len(kelurahan) == 1 and not kecamatan:
            return kelurahan[0]
        return None

    def _fill(
        self,
        result: _Resolution,
        kelurahan_found: list[str],
        kecamatan_found: list[str],
        kota_found: list[str],
        ambiguous: list[str],
        ambiguous_areas: list[str],
    ) -> None:
        gazetteer = self._gazetteer
        if kelurahan_found:
            kelurahan = gazetteer.kelurahan_by_code(_most_consistent(kelurahan_found, kecamatan_found + kota_found))
            result.kelurahan, result.kelurahan_code = kelurahan.name, kelurahan.code
            result.kecamatan, result.kota = kelurahan.kecamatan_name, kelurahan.kota_name
            return
        if kecamatan_found:
            kecamatan = gazetteer.kecamatan_by_code(_most_consistent(kecamatan_found, kota_found))
            result.kecamatan, result.kota = kecamatan.name, kecamatan.kota_name
        elif ambiguous:
            # Only what every reading shares: "Jatinegara" (a kecamatan, and a kelurahan of Cakung)
            # is surely in Jakarta Timur, in no one kecamatan.
            result.ambiguous = tuple(dict.fromkeys(ambiguous))
            kecamatan_codes = {code[:8] for code in ambiguous_areas}
            kota_codes = {code[:5] for code in ambiguous_areas}
            if len(kecamatan_codes) == 1 and all(len(code) >= 8 for code in ambiguous_areas):
                result.kecamatan = gazetteer.kecamatan_by_code(kecamatan_codes.pop()).name
            if len(kota_codes) == 1:
                result.kota = gazetteer.kota_by_code(kota_codes.pop()).name
        elif kota_found:
            result.kota = gazetteer.kota_by_code(kota_found[0]).name


def _lies_in(inner: _Resolution, outer: _Resolution) -> bool:
    """Whether a kelurahan read from a street fits the wider place the message names."""
    if outer.ambiguous:
        return inner.kelurahan_code in outer.ambiguous
    return (outer.kecamatan is None or outer.kecamatan == inner.kecamatan) and (outer.kota is None or outer.kota == inner.kota)


def _most_consistent(codes: list[str], containers: list[str]) -> str:
    """The first code that lies inside another named place, else the first named."""
    for code in codes:
        if any(code.startswith(container + ".") for container in containers):
            return code
    return codes[0]


def _longest_first(spans: list[Span]) -> list[Span]:
    """Non-overlapping names, longer ones winning ("Menteng Dalam" over "Menteng"), in text order."""
    reach = 0
    for start, end, _ in spans:  # in the index's order (by start, then end): any overlap?
        if start < reach:
            break
        reach = end
    else:
        return spans
    taken: list[Span] = []
    used: set[int] = set()
    for span in sorted(spans, key=_longer_then_earlier):
        start, end, _ = span
        # A name taken before is at least as long: overlapping this one, it holds one of its ends.
        if start not in used and end - 1 not in used:
            taken.append(span)
            used.update(range(start, end))
    taken.sort(key=_START)
    return taken


def _longer_then_earlier(span: Span) -> tuple[int, int]:
    return span[0] - span[1], span[0]


def _written_as_proper_name(surfaces: list[str], start: int, end: int) -> bool:
    """"Pasar Baru", "Tanah Tinggi", "Kayu Putih" written as a name (every word capitalised):
    the kelurahan, where "pasar baru" is any new market. One word is not enough ("Baru aja...")."""
    return end - start > 1 and all(surface[:1].isupper() for surface in surfaces[start:end])


def _word_starts(lowered: str, pair: str) -> list[int]:
    """Where ``pair`` ("rt" or "rw") starts a word in ``lowered``, the raw text lower-cased.

    Only "R"/"r", "T"/"t", "W"/"w" lower to r, t, w (as the patterns' IGNORECASE matches them), and
    no character outside a word lowers into one: every place a pattern below can match is among
    these. Hashtags and handles ("#banjirjakarta", "@DKIJakarta") hold "rt" inside a word.
    """
    starts = []
    at = lowered.find(pair)
    while at >= 0:
        if at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
            starts.append(at)
        at = lowered.find(pair, at + 1)
    return starts


def _first_match(pattern: re.Pattern[str], text: str, starts: list[int]) -> re.Match[str] | None:
    """``pattern.search(text)`` for a pattern that can only match at ``starts`` (in order)."""
    for at in starts:
        found = pattern.match(text, at)
        if found is not None:
            return found
    return None


def _written_next(words: list[str], end: int, start: int) -> bool:
    """Whether the name at ``start`` follows the street ending at ``end`` as the next part of its
    address ("Jl. Taman Kebon Jeruk, Kebon Jeruk", "... kel. Kebon Jeruk")."""
    return end <= start and all(word in _ADDRESS_GLUE or not word.isalnum() for word in words[end:start])


def _rt_rw(raw_text: str) -> tuple[str | None, str | None]:
    """'RT 03/RW 08', 'RT.003 RW.08', 'rt3 rw8', 'RT/RW 03/08' -> ('003', '008').

    Each pattern starts with "rt" or "rw" at the start of a word: it is tried there only, not at
    every character ("RT @warga: ..." starts every retweet).
    """
    lowered = raw_text.lower()
    rt_starts, rw_starts = _word_starts(lowered, "rt"), _word_starts(lowered, "rw")
    if not rt_starts and not rw_starts:
        return None, None
    if len(lowered) != len(raw_text):  # a letter lowered into two: positions differ, search it all
        pair, rt_match, rw_match = _RT_RW_PAIR.search(raw_text), _RT_ALONE.search(raw_text), _RW_ALONE.search(raw_text)
    else:
        pair = _first_match(_RT_RW_PAIR, raw_text, rt_starts)
        rt_match = None if pair else _first_match(_RT_ALONE, raw_text, rt_starts)
        rw_match = None if pair else _first_match(_RW_ALONE, raw_text, rw_starts)
    if pair:
        rt, rw = (pair.group(1), pair.group(2)) if pair.group(1) else (pair.group(3), pair.group(4))
        return rt.zfill(3), rw.zfill(3)
    return (rt_match.group(1).zfill(3) if rt_match else None, rw_match.group(1).zfill(3) if rw_match else None)

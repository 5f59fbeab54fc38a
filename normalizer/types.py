"""The Mention: one message, decoded from its channel and read as Indonesian text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Author:
    id: str | None = None  # the channel's id (user id, e-mail address, profile name)
    handle: str | None = None  # @name without the @, or the mailbox
    name: str | None = None  # display name


GEO_AREA = "geo_area"  # Mention flag: ``geo`` is the centre of a tagged area (a city, a district), not a pin


@dataclass(frozen=True, slots=True)
class GeoPoint:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Place:
    """Where a message says the problem is; unknown levels stay None rather than guessed."""

    kota: str | None = None
    kecamatan: str | None = None
    kelurahan: str | None = None
    kelurahan_code: str | None = None  # Kemendagri code, e.g. "31.74.06.1001"
    street: str | None = None  # "Jalan Kemang Raya" (normalized, lower-case free)
    landmark: str | None = None
    rt: str | None = None
    rw: str | None = None
    ambiguous: tuple[str, ...] = ()  # kelurahan codes the text could mean when it cannot be told
    # The kelurahan was read from a name its kecamatan shares ("di Pasar Minggu"), with no "Kel."
    # before it: the likeliest reading, but the sender may mean anywhere in the kecamatan.
    may_mean_kecamatan: bool = False

    @property
    def known(self) -> bool:
        return bool(self.kelurahan or self.kecamatan or self.kota or self.street)


# Frozen, so one instance can be every new Mention's default (made once, not per message).
_NO_AUTHOR = Author()
_NO_PLACE = Place()


@dataclass(slots=True)
class Mention:
    """Everything later stages need from one message; channel quirks end here.

    Channel parsers fill the identity, author, time, text and references; the analyzer fills
    ``place``, ``category`` and ``is_complaint``.
    """

    channel: str
    external_id: str
    source: str
    created_at: datetime  # UTC, tz-aware
    text: str  # clean text for people: HTML removed, whitespace folded
    author: Author = _NO_AUTHOR
    permalink: str | None = None
    title: str | None = None  # subject / report title when the channel has one (also in text)
    lang: str | None = None
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()  # handles without @
    urls: tuple[str, ...] = ()
    media: tuple[str, ...] = ()
    reply_to: str | None = None  # external ids on the same channel
    quote_of: str | None = None
    repost_of: str | None = None
    geo: GeoPoint | None = None
    place_tag: str | None = None  # the place the channel tags it with (an Instagram location, an X place)
    flags: frozenset[str] = frozenset()  # channel signals: "auto_reply", "bounce", "official_source", "geo_area"
    place: Place = _NO_PLACE
    category: str = "lainnya"
    category_score: float = 0.0
    is_complaint: bool = False
    complaint_reason: str = ""  # why it is or is not a complaint, for operators
    match_text: str = ""  # normalized tokens used for similarity (slang expanded, no urls/emoji)

    @property
    def key(self) -> tuple[str, str]:
        return (self.channel, self.external_id)


class NormalizeError(ValueError):
    """A payload that cannot be read as a message; the item is quarantined with this reason."""

"""Writing what processing decided for a batch of raw items: mentions, tickets, members, quarantine.

One call, one transaction (the caller's), a handful of executemany statements per batch: no
statement per row, so ingest speed does not depend on round trips.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from dedup.types import Assignment, LinkKind
from normalizer.types import Mention
from sink.bulk import EMPTY_JSON_ARRAY, BulkInsert, ByIds, ChangedColumnsUpdate, RowsByIds, StoredTimes, is_sqlite, json_text, json_value
from sink.models import MentionRow, QuarantineRow, TicketMemberRow, TicketRow
from sink.raw_store import RAW_TABLE
from sink.text_search import MESSAGES as MESSAGES_SEARCH

MENTIONS = MentionRow.__table__
TICKETS = TicketRow.__table__
MEMBERS = TicketMemberRow.__table__
QUARANTINE = QuarantineRow.__table__

TITLE_LENGTH = 140
MEMBER_COLUMNS = ("ticket_id", "mention_id", "link_kind", "score", "linked_by", "linked_at", "candidates")

AgencyRouter = Callable[[str, str | None], str | None]  # (category, kota) -> agency


@dataclass(slots=True)
class Outcome:
    """What became of one raw item: a mention (with its ticket, if a complaint) or an error."""

    raw_id: int
    channel: str
    external_id: str
    mention: Mention | None = None
    assignment: Assignment | None = None
    error: str | None = None
    stage: str = ""  # where it failed: parse | analyze | dedup


def mention_values(mention: Mention, raw_id: int, ticket_id: int | None) -> dict:
    """A mention's row as SQLAlchemy's own insert takes it: the reference :func:`mention_row` is held to."""
    place = mention.place
    return {
        "id": raw_id,
        "channel": mention.channel,
        "external_id": mention.external_id,
        "source": mention.source,
        "permalink": mention.permalink,
        "author_id": mention.author.id,
        "author_handle": mention.author.handle,
        "author_name": mention.author.name,
        "created_at": mention.created_at,
        "title": mention.title,
        "text": mention.text,
        "lang": mention.lang,
        "hashtags": list(mention.hashtags),
        "mentions": list(mention.mentions),
        "urls": list(mention.urls),
        "media": list(mention.media),
        "flags": sorted(mention.flags),
        "reply_to": mention.reply_to,
        "quote_of": mention.quote_of,
        "repost_of": mention.repost_of,
        "lat": mention.geo.lat if mention.geo else None,
        "lon": mention.geo.lon if mention.geo else None,
        "kota": place.kota,
        "kecamatan": place.kecamatan,
        "kelurahan": place.kelurahan,
        "kelurahan_code": place.kelurahan_code,
        "street": place.street,
        "landmark": place.landmark,
        "rt": place.rt,
        "rw": place.rw,
        "place_ambiguous": list(place.ambiguous),
        "place_may_mean_kecamatan": place.may_mean_kecamatan,
        "category": mention.category,
        "category_score": mention.category_score,
        "is_complaint": mention.is_complaint,
        "complaint_reason": mention.complaint_reason,
        "match_text": mention.match_text,
        "ticket_id": ticket_id,
    }


MENTION_COLUMNS = (
    "id", "channel", "external_id", "source", "permalink", "author_id", "author_handle", "author_name", "created_at",
    "title", "text", "lang", "hashtags", "mentions", "urls", "media", "flags", "reply_to", "quote_of", "repost_of",
    "lat", "lon", "kota", "kecamatan", "kelurahan", "kelurahan_code", "street", "landmark", "rt", "rw",
    "place_ambiguous", "place_may_mean_kecamatan", "category", "category_score", "is_complaint", "complaint_reason", "match_text", "ticket_id",
)


def mention_row(mention: Mention, raw_id: int, ticket_id: int | None, stored_time: StoredTimes) -> tuple:
    """:func:`mention_values` as the driver takes it, in ``MENTION_COLUMNS`` order, built without a dict:
    this runs once per message. Most of a message's lists are empty: those skip the call to :func:`json_text`."""
    place, geo, author = mention.place, mention.geo, mention.author
    hashtags, mentions, urls, media, flags, ambiguous = (
        mention.hashtags, mention.mentions, mention.urls, mention.media, mention.flags, place.ambiguous)
    return (
        raw_id, mention.channel, mention.external_id, mention.source, mention.permalink,
        author.id, author.handle, author.name, stored_time(mention.created_at),
        mention.title, mention.text, mention.lang,
        json_text(hashtags) if hashtags else EMPTY_JSON_ARRAY, json_text(mentions) if mentions else EMPTY_JSON_ARRAY,
        json_text(urls) if urls else EMPTY_JSON_ARRAY, json_text(media) if media else EMPTY_JSON_ARRAY,
        json_text(sorted(flags)) if flags else EMPTY_JSON_ARRAY, mention.reply_to, mention.quote_of, mention.repost_of,
        geo.lat if geo else None, geo.lon if geo else None,
        place.kota, place.kecamatan, place.kelurahan, place.kelurahan_code, place.street, place.landmark, place.rt, place.rw,
        json_text(ambiguous) if ambiguous else EMPTY_JSON_ARRAY, place.may_mean_kecamatan, mention.category, mention.category_score,
        mention.is_complaint, mention.complaint_reason, mention.match_text, ticket_id,
    )


# A link kind's plain text by a dict hit: the enum's ``.value`` is a Python-level property read per message.
LINK_KIND_TEXT = MappingProxyType({kind: kind.value for kind in LinkKind})


def member_row(outcome: Outcome, assignment: Assignment, linked_at: datetime | str) -> tuple:
    """A machine link of a message to its ticket, in ``MEMBER_COLUMNS`` order (``linked_at`` converted)."""
    candidates = assignment.candidates
    return (assignment.ticket_id, outcome.raw_id, LINK_KIND_TEXT[assignment.link_kind], assignment.score, "machine",
            linked_at, json_text(candidates) if candidates else EMPTY_JSON_ARRAY)


INSERT_MENTIONS = BulkInsert(MENTIONS, MENTION_COLUMNS)
INSERT_MEMBERS = BulkInsert(MEMBERS, MEMBER_COLUMNS)
NEW_TICKET_COLUMNS = (
    "id", "category", "kota", "kecamatan", "kelurahan", "kelurahan_code", "street", "lat", "lon", "title",
    "first_seen", "last_seen", "member_count", "channels", "status", "agency", "is_complaint", "merged_into",
    "created_at", "updated_at",
)
INSERT_TICKETS = BulkInsert(TICKETS, NEW_TICKET_COLUMNS)
UNQUARANTINE = ByIds(QUARANTINE, "raw_item_id")
MARK_RAW = ByIds(RAW_TABLE, "id", ("state",))
# A joined ticket's count and update time always change; the rest only sometimes (bit i: group i).
FIRST_SEEN, LAST_SEEN, CHANNELS, PLACE, CATEGORY = (1 << bit for bit in range(5))
UPDATE_TICKETS = ChangedColumnsUpdate(
    TICKETS, "id", ("member_count", "updated_at"),
    (("first_seen",), ("last_seen",), ("channels",), ("kota", "kecamatan", "kelurahan", "kelurahan_code"),
     ("category", "agency")),
)
READ_TICKETS = RowsByIds(
    TICKETS, "id",
    ("id", "first_seen", "last_seen", "member_count", "channels", "kota", "kecamatan", "kelurahan", "kelurahan_code",
     "category", "agency", "operator_fields"),
)
UNCATEGORIZED = "lainnya"  # dedup's and the taxonomy's fallback: a ticket so labelled takes the first real category


@dataclass(slots=True)
class _TicketDelta:
    """How one batch changes one ticket."""

    opened_by: Mention | None
    first_seen: datetime
    last_seen: datetime
    added: int
    channels: set[str]
    place_from: Mention | None  # first member in the batch that knows the kelurahan
    category_from: Mention | None = None  # first complaint in the batch with a category (dedup does the same)

    def add(self, mention: Mention) -> None:
        self.first_seen = min(self.first_seen, mention.created_at)
        self.last_seen = max(self.last_seen, mention.created_at)
        self.added += 1
        self.channels.add(mention.channel)
        if self.place_from is None and mention.place.kelurahan_code:
            self.place_from = mention
        if self.category_from is None and mention.is_complaint and mention.category != UNCATEGORIZED:
            self.category_from = mention

    def category(self, current: str) -> str:
        """An uncategorized ticket takes the category of the first categorized complaint that joins it."""
        if current == UNCATEGORIZED and self.category_from is not None:
            return self.category_from.category
        return current


def _ticket_deltas(outcomes: Sequence[Outcome]) -> dict[int, _TicketDelta]:
    deltas: dict[int, _TicketDelta] = {}
    for outcome in outcomes:
        mention, assignment = outcome.mention, outcome.assignment
        if mention is None or assignment is None:
            continue
        delta = deltas.get(assignment.ticket_id)
        if delta is None:
            delta = deltas[assignment.ticket_id] = _TicketDelta(
                opened_by=mention if assignment.opened else None,
                first_seen=mention.created_at,
                last_seen=mention.created_at,
                added=0,
                channels=set(),
                place_from=None,
            )
        elif assignment.opened:
            delta.opened_by = mention
        delta.add(mention)
    return deltas


def _place_values(mention: Mention | None) -> dict:
    if mention is None:
        return {"kota": None, "kecamatan": None, "kelurahan": None, "kelurahan_code": None}
    place = mention.place
    return {"kota": place.kota, "kecamatan": place.kecamatan, "kelurahan": place.kelurahan, "kelurahan_code": place.kelurahan_code}


def _title(mention: Mention) -> str:
    text = (mention.title or mention.text).strip()
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"


def _write_tickets(connection: Connection, deltas: dict[int, _TicketDelta], now: datetime, route: AgencyRouter,
                   stored_time: StoredTimes) -> None:
    new_rows = []
    for ticket_id, delta in deltas.items():
        opener = delta.opened_by
        if opener is None:
            continue
        place = _place_values(delta.place_from or opener)
        category = delta.category(opener.category)
        new_rows.append(
            {
                "id": ticket_id,
                "category": category,
                **place,
                "street": opener.place.street,
                "lat": opener.geo.lat if opener.geo else None,
                "lon": opener.geo.lon if opener.geo else None,
                "title": _title(opener),
                "first_seen": delta.first_seen,
                "last_seen": delta.last_seen,
                "member_count": delta.added,
                "channels": sorted(delta.channels),
                "status": "menunggu",
                "agency": route(category, place["kota"]),
                "is_complaint": True,
                "merged_into": None,
                "created_at": now,
                "updated_at": now,
            }
        )
    INSERT_TICKETS.execute(connection, new_rows)

    existing_ids = [ticket_id for ticket_id, delta in deltas.items() if delta.opened_by is None]
    if existing_ids:
        UPDATE_TICKETS.execute_values(connection, _ticket_updates(connection, existing_ids, deltas, now, route, stored_time))


def _ticket_updates(connection: Connection, ids: list[int], deltas: dict[int, _TicketDelta], now: datetime,
                    route: AgencyRouter, stored_time: StoredTimes) -> list[tuple[int, tuple]]:
    """The batch's changes to tickets it did not open, as ``UPDATE_TICKETS`` rows (mask, values).

    Times are compared in their stored form (SQLite's fixed-width UTC text orders as the times do),
    so a ticket's unchanged first report is not written at all; nor is any other unchanged column
    but the count and update time, which every join moves.
    """
    updated_at = stored_time(now)
    current = {row[0]: row for row in READ_TICKETS.fetch(connection, ids)}
    updates = []
    for ticket_id in ids:
        row, delta = current.get(ticket_id), deltas[ticket_id]
        if row is None:
            raise LookupError(f"ticket {ticket_id} assigned by dedup is not in the database")
        _, first_seen, last_seen, member_count, channels, kota, kecamatan, kelurahan, kelurahan_code, category, agency, \
            operator_fields = row
        mask = 0
        values: list = [member_count + delta.added, updated_at]
        if (first := stored_time(delta.first_seen)) < first_seen:
            mask |= FIRST_SEEN
            values.append(first)
        if (last := stored_time(delta.last_seen)) > last_seen:
            mask |= LAST_SEEN
            values.append(last)
        joined_channels = sorted(set(json_value(channels) or ()) | delta.channels)
        joined_text = json_text(joined_channels)
        if (joined_text if isinstance(channels, str) else joined_channels) != channels:  # SQLite gives the text
            mask |= CHANNELS
            values.append(joined_text)
        if not kelurahan_code and delta.place_from is not None:
            place = delta.place_from.place
            kota = place.kota
            mask |= PLACE
            values.extend((place.kota, place.kecamatan, place.kelurahan, place.kelurahan_code))
        set_by_operator = json_value(operator_fields) or ()
        if "category" not in set_by_operator and (joined := delta.category(category)) != category:
            category = joined
            if "agency" not in set_by_operator:
                agency = route(category, kota)
            mask |= CATEGORY
            values.extend((category, agency))
        values.append(ticket_id)
        updates.append((mask, tuple(values)))
    return updates


def _write_quarantine(connection: Connection, failed: Sequence[Outcome], now: datetime) -> None:
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(QUARANTINE)
    statement = statement.on_conflict_do_update(
        index_elements=["raw_item_id"],
        set_={
            "stage": statement.excluded.stage,
            "error": statement.excluded.error,
            "attempts": QUARANTINE.c.attempts + 1,
            "last_failed_at": statement.excluded.last_failed_at,
        },
    )
    connection.execute(
        statement,
        [
            {
                "raw_item_id": outcome.raw_id,
                "channel": outcome.channel,
                "external_id": outcome.external_id,
                "stage": outcome.stage,
                "error": outcome.error or "unknown error",
                "attempts": 1,
                "first_failed_at": now,
                "last_failed_at": now,
            }
            for outcome in failed
        ],
    )


def write_outcomes(connection: Connection, outcomes: Sequence[Outcome], now: datetime, route: AgencyRouter) -> None:
    """Persist a processed batch; the raw items are marked processed or quarantined in the same transaction."""
    stored_time = StoredTimes(is_sqlite(connection))  # the batch's times, each converted once
    deltas = _ticket_deltas(outcomes)
    if deltas:
        _write_tickets(connection, deltas, now, route, stored_time)

    readable = [outcome for outcome in outcomes if outcome.mention is not None]
    if readable:
        readable_ids = [o.raw_id for o in readable]
        # A mention's id is its raw item's id: no RETURNING round trip.
        INSERT_MENTIONS.execute_values(connection, [
            mention_row(o.mention, o.raw_id, o.assignment.ticket_id if o.assignment else None, stored_time)  # type: ignore[arg-type]
            for o in readable
        ])
        MESSAGES_SEARCH.index_late_rows(connection, readable_ids)  # the messages the search's catch-up has passed
        linked_at = stored_time(now)
        INSERT_MEMBERS.execute_values(connection, [
            member_row(o, o.assignment, linked_at) for o in readable if o.assignment is not None
        ])
        UNQUARANTINE.execute(connection, readable_ids)
        MARK_RAW.execute(connection, readable_ids, "processed")

    failed = [outcome for outcome in outcomes if outcome.mention is None]
    if failed:
        _write_quarantine(connection, failed, now)
        MARK_RAW.execute(connection, [o.raw_id for o in failed], "quarantined")

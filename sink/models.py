"""The schema: raw store, mentions, tickets and their members, quarantine, source state, audit, outbox.

One schema for SQLite (embedded default) and PostgreSQL (production); the naming convention makes
migrations name constraints identically on both.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The predicate of the partial index of raw items to process; a query must repeat it word for word
# for SQLite to use the index (sink.raw_store.pending_batches).
UNPROCESSED_RAW = "state <> 'processed'"

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a real BIGINT.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Timestamps go in as UTC and come out tz-aware, on SQLite (which keeps no zone) too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RawItemRow(Base):
    """A message exactly as collected; written before any cursor moves, never rewritten."""

    __tablename__ = "raw_items"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        Index("ix_raw_items_source_stored_at", "source", "stored_at"),  # sources page: last stored per source
        Index("ix_raw_items_stored_at", "stored_at"),  # sources page: stored in the last day
        # The rows still to process (new, quarantined): an imported row leaves it when processed
        # instead of moving within an index of every row's state (migration 0009).
        Index("ix_raw_items_unprocessed", "id", sqlite_where=text(UNPROCESSED_RAW),
              postgresql_where=text(UNPROCESSED_RAW)),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(100))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(100))
    origin: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime())
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # new -> processed | quarantined; reprocess resets it
    state: Mapped[str] = mapped_column(String(16), default="new")


class MentionRow(Base):
    """A normalized message; one per raw item that could be read, sharing its id."""

    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        Index("ix_mentions_created_at", "created_at"),
        Index("ix_mentions_ticket_id", "ticket_id"),
    )

    # One mention per raw item, so the mention is known by its raw item's id.
    id: Mapped[int] = mapped_column(Id, ForeignKey("raw_items.id"), primary_key=True, autoincrement=False)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(100))
    permalink: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(String(255))
    author_handle: Mapped[str | None] = mapped_column(String(255))
    author_name: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(16))
    hashtags: Mapped[list[str]] = mapped_column(JSON, default=list)
    mentions: Mapped[list[str]] = mapped_column(JSON, default=list)
    urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    media: Mapped[list[str]] = mapped_column(JSON, default=list)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    reply_to: Mapped[str | None] = mapped_column(String(255))
    quote_of: Mapped[str | None] = mapped_column(String(255))
    repost_of: Mapped[str | None] = mapped_column(String(255))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    kota: Mapped[str | None] = mapped_column(String(100))
    kecamatan: Mapped[str | None] = mapped_column(String(100))
    kelurahan: Mapped[str | None] = mapped_column(String(100))
    kelurahan_code: Mapped[str | None] = mapped_column(String(20))
    street: Mapped[str | None] = mapped_column(String(255))
    landmark: Mapped[str | None] = mapped_column(String(255))
    rt: Mapped[str | None] = mapped_column(String(8))
    rw: Mapped[str | None] = mapped_column(String(8))
    place_ambiguous: Mapped[list[str]] = mapped_column(JSON, default=list)
    place_may_mean_kecamatan: Mapped[bool] = mapped_column(Boolean, server_default=false())
    category: Mapped[str] = mapped_column(String(40))
    category_score: Mapped[float] = mapped_column(Float, default=0.0)
    is_complaint: Mapped[bool] = mapped_column(Boolean)
    complaint_reason: Mapped[str] = mapped_column(Text, default="")
    match_text: Mapped[str] = mapped_column(Text, default="")
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))


class TicketRow(Base):
    """One incident: one problem at one place in one stretch of time."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_last_seen", "status", "last_seen"),
        Index("ix_tickets_kelurahan_code", "kelurahan_code"),
        Index("ix_tickets_queue", "member_count", "last_seen", "id"),  # the console queue's order, paged by keyset
        # the queue of one status (or the open ones) already in its order: no sort of 100k rows
        Index("ix_tickets_status_queue", "status", "is_complaint", "member_count", "last_seen", "id"),
        Index("ix_tickets_first_seen", "first_seen"),  # reports count a period's tickets by their first report
        Index("ix_tickets_last_seen", "last_seen"),  # the queue's date filter: active since a day
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=False)
    category: Mapped[str] = mapped_column(String(40), index=True)
    kota: Mapped[str | None] = mapped_column(String(100))
    kecamatan: Mapped[str | None] = mapped_column(String(100))
    kelurahan: Mapped[str | None] = mapped_column(String(100))
    kelurahan_code: Mapped[str | None] = mapped_column(String(20))
    street: Mapped[str | None] = mapped_column(String(255))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str] = mapped_column(Text, default="")
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime())
    member_count: Mapped[int] = mapped_column(Integer, default=1)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="menunggu")
    agency: Mapped[str | None] = mapped_column(String(120))
    is_complaint: Mapped[bool] = mapped_column(Boolean, default=True)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Set by operators' actions; the SLA clock and the triage-time report read them.
    first_triaged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    coordinated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Which of category / place / agency / is_complaint an operator set: a reprocess keeps those
    # and re-derives the rest (sink.operator_state).
    operator_fields: Mapped[list[str]] = mapped_column(JSON, default=list)


class TicketMemberRow(Base):
    """Why a mention is in its ticket, how sure the machine was, and who put it there."""

    __tablename__ = "ticket_members"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"), unique=True)
    link_kind: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float)
    linked_by: Mapped[str] = mapped_column(String(100), default="machine")  # "machine" or "operator:<name>"
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    candidates: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[ticket_id, score], ...]


class OperatorDecisionRow(Base):
    """A person's merge or split; replayed on reprocess so the machine never undoes it."""

    __tablename__ = "operator_decisions"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # merge | split | undo
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("operator_decisions.id"))


class QuarantineRow(Base):
    """A raw item that could not be read, with the reason; counted, inspectable, retried by reprocess."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    raw_item_id: Mapped[int] = mapped_column(ForeignKey("raw_items.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(255))
    stage: Mapped[str] = mapped_column(String(20))  # parse | analyze | dedup
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    first_failed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_failed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SourceStateRow(Base):
    """Per configured source: its cursor (moved with the data it covers), health and lease."""

    __tablename__ = "source_state"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    cursor: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(20), default="ok")
    last_success: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires: Mapped[datetime | None] = mapped_column(UtcDateTime())


class OperatorRow(Base):
    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class TicketStatusRow(Base):
    """One step of a ticket through the status workflow, with the operator's note.

    No foreign key on ``ticket_id``: ticket ids are re-derived by a reprocess, which moves the history
    to the ticket now holding the same messages, or detaches it (no ticket id, ``message_keys`` kept)
    when those messages form no ticket any more.
    """

    __tablename__ = "ticket_status_history"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(Id, index=True)
    message_keys: Mapped[list[list[str]] | None] = mapped_column(JSON)  # [[channel, external_id], ...] when detached
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class ConsoleSessionRow(Base):
    """A signed-in console user; kept server-side so signing out (or disabling) takes effect at once."""

    __tablename__ = "console_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie value
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class LoginAttemptRow(Base):
    """Failed and successful logins, to throttle guessing across every console process."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    succeeded: Mapped[bool] = mapped_column(Boolean)


class AuditRow(Base):
    """Who changed what, when, with the state before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class OutboxRow(Base):
    """A ticket queued for delivery to the CRM, retried until delivered; the key makes retries safe.

    A reprocess re-points the row at the ticket now holding the same messages; when they form no
    ticket any more the row stays, detached (no ticket id, ``message_keys`` kept), never deleted.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    message_keys: Mapped[list[list[str]] | None] = mapped_column(JSON)  # [[channel, external_id], ...] when detached
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    target: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Delivery (sink.outbox): the CRM's reference once it accepted the row; the outcome of the last
    # attempt; when we gave up (max_attempts); and the claim that keeps two daemons from sending it at once.
    crm_request_id: Mapped[str | None] = mapped_column(String(200))
    crm_token: Mapped[str | None] = mapped_column(String(200))
    last_outcome: Mapped[str | None] = mapped_column(String(30))
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_outbox_due", "delivered_at", "failed_at", "next_attempt_at"),)

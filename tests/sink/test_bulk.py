"""The driver-level bulk statements store exactly what SQLAlchemy's own statements store."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, event, select

from dedup.types import Assignment, LinkKind
from normalizer.types import Author, GeoPoint, Mention, Place
from sink.bulk import BulkInsert, ByIds, ChangedColumnsUpdate, StoredTimes, is_sqlite, utc_value
from sink.database import open_engine
from sink.dedup_state import row_to_mention
from sink.models import MentionRow, RawItemRow, TicketMemberRow, TicketRow
from sink.outcomes import INSERT_MEMBERS, INSERT_MENTIONS, INSERT_TICKETS, Outcome, member_row, mention_row, mention_values

TICKETS = TicketRow.__table__
RAW = RawItemRow.__table__
MENTIONS = MentionRow.__table__
MEMBERS = TicketMemberRow.__table__
T0 = datetime(2026, 10, 3, 1, 0, tzinfo=timezone.utc)
WIB = timezone(timedelta(hours=7))


def ticket(ticket_id: int, first_seen: datetime, **changes) -> dict:
    row = {
        "id": ticket_id, "category": "banjir", "kota": "Jakarta Selatan", "kecamatan": "Cilandak",
        "kelurahan": "Cipete Utara", "kelurahan_code": "31.74.06.1004", "street": "jalan kemang raya",
        "lat": -6.27, "lon": 106.81, "title": "banjir 50 cm di cipete", "first_seen": first_seen,
        "last_seen": first_seen + timedelta(hours=1), "member_count": 2, "channels": ["twitter", "qlue"],
        "status": "menunggu", "agency": "Dinas SDA", "is_complaint": True, "merged_into": None,
        "created_at": T0, "updated_at": T0,
    }
    return {**row, **changes}


def stored_tickets(connection, ids) -> list[tuple]:
    rows = connection.execute(select(TICKETS).where(TICKETS.c.id.in_(ids)).order_by(TICKETS.c.id)).all()
    return [tuple(row)[1:] for row in rows]  # all but the id


def test_new_tickets_are_stored_as_sqlalchemys_insert_stores_them(engine):
    # Times in several zones, shared by several rows (the converter remembers a batch's values).
    times = [T0, T0, T0.astimezone(WIB), T0 + timedelta(microseconds=1), T0 + timedelta(days=400)]
    by_sqlalchemy = [ticket(i + 1, t, channels=["twitter"] * (i % 2), agency=None if i else "x", lat=None)
                     for i, t in enumerate(times)]
    by_driver = [{**row, "id": row["id"] + 100} for row in by_sqlalchemy]
    with engine.begin() as connection:
        connection.execute(TICKETS.insert(), by_sqlalchemy)
        INSERT_TICKETS.execute(connection, by_driver)
    with engine.connect() as connection:
        expected = stored_tickets(connection, [row["id"] for row in by_sqlalchemy])
        written = stored_tickets(connection, [row["id"] for row in by_driver])
    assert written == expected
    assert len(written) == len(times)


def test_a_column_left_out_gets_its_python_default(engine):
    metadata = MetaData()
    table = Table(
        "bulk_defaults", metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("tags", JSON, default=list),
        Column("status", String(20), default="menunggu"),
        Column("note", String(20)),
    )
    metadata.create_all(engine)
    with engine.begin() as connection:
        BulkInsert(table, ["id", "note"]).execute(connection, [{"id": 1, "note": "a"}, {"id": 2, "note": None}])
        connection.execute(table.insert(), [{"id": 3, "note": "a"}])
    with engine.connect() as connection:
        rows = connection.execute(select(table).order_by(table.c.id)).all()
    assert [tuple(r) for r in rows] == [(1, [], "menunggu", "a"), (2, [], "menunggu", None), (3, [], "menunggu", "a")]


def test_by_ids_updates_and_deletes_exactly_the_ids_given_across_chunks(engine):
    raw_rows = [
        {"channel": "twitter", "external_id": str(i), "source": "test", "payload": b"{}", "content_type": "application/json",
         "origin": "file", "fetched_at": T0, "stored_at": T0, "state": "new"}
        for i in range(10)
    ]
    with engine.begin() as connection:
        ids = [row.id for row in connection.execute(RAW.insert().returning(RAW.c.id), raw_rows)]
    mark, remove = ByIds(RAW, "id", ("state",)), ByIds(RAW, "id")
    mark.CHUNK = remove.CHUNK = 3  # several statements for one call
    with engine.begin() as connection:
        mark.execute(connection, ids[:7], "processed")
        remove.execute(connection, ids[8:])
        mark.execute(connection, [], "processed")
    with engine.connect() as connection:
        states = dict(connection.execute(select(RAW.c.id, RAW.c.state)).all())
    assert states == {**{i: "processed" for i in ids[:7]}, ids[7]: "new"}
    with engine.connect() as connection, pytest.raises(ValueError):
        mark.execute(connection, ids, "processed", "extra")


def test_changed_columns_update_sets_only_each_rows_groups(engine):
    """Each row writes its always-set columns and the groups its mask names; nothing else is named in
    the SQL (SQLite rewrites the index entries of every column an UPDATE names, changed or not)."""
    with engine.begin() as connection:
        INSERT_TICKETS.execute(connection, [ticket(i, T0) for i in (1, 2, 3)])
    update = ChangedColumnsUpdate(TICKETS, "id", ("member_count",), (("first_seen",), ("category", "agency")))
    sqlite_text = engine.dialect.name == "sqlite"
    earlier = utc_value(T0 - timedelta(hours=1), sqlite_text)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, *_: statements.append(sql))
    with engine.begin() as connection:
        update.execute_values(connection, [
            (0, (5, 1)),
            (0b01, (6, earlier, 2)),
            (0b11, (7, earlier, "sampah", None, 3)),
        ])
    with engine.connect() as connection:
        rows = {row.id: row for row in connection.execute(select(TICKETS))}
    assert [(rows[i].member_count, rows[i].first_seen, rows[i].category, rows[i].agency) for i in (1, 2, 3)] == [
        (5, T0, "banjir", "Dinas SDA"), (6, T0 - timedelta(hours=1), "banjir", "Dinas SDA"),
        (7, T0 - timedelta(hours=1), "sampah", None)]
    updates = [sql for sql in statements if sql.startswith("UPDATE")]
    assert len(updates) == 3
    assert "first_seen" not in updates[0] and "category" not in updates[0]
    assert "first_seen" in updates[1] and "category" not in updates[1]
    assert "first_seen" in updates[2] and "agency" in updates[2]


def _mentions(*external_ids: str) -> list[Mention]:
    """One message with every optional field set (times in WIB), one with every list empty."""
    full = Mention(
        channel="twitter", external_id="", source="x-dki", created_at=datetime(2026, 10, 3, 8, 30, 15, 250, tzinfo=WIB),
        text="banjir 50 cm di jl. kenanga #banjirjakarta", author=Author("1001", "warga", "Warga Satu"),
        permalink="https://x.com/warga/status/1", title="Banjir", lang="in", hashtags=("banjirjakarta",),
        mentions=("DKIJakarta",), urls=("https://example.org/a",), media=("https://example.org/a.jpg", "b.jpg"),
        reply_to="11", quote_of="12", repost_of=None, geo=GeoPoint(-6.27, 106.81), flags=frozenset({"geo_area", "auto_reply"}),
        place=Place("Jakarta Selatan", "Cilandak", "Cipete Utara", "31.74.06.1004", "jalan kenanga", "pasar", "03", "08",
                    ("31.74.06.1004", "31.74.06.1005"), may_mean_kecamatan=True),
        category="banjir", category_score=0.875, is_complaint=True, complaint_reason="complaint: banjir",
        match_text="banjir 50 cm di jalan kenanga",
    )
    bare = Mention(channel="email", external_id="", source="mail", created_at=T0, text="")
    return [replace(mention, external_id=external_id) for mention in (full, bare) for external_id in external_ids]


def _stored(connection, table, ids) -> list[tuple]:
    """Rows as the driver returns them (with each value's storage class on SQLite), without the key."""
    columns = [column.name for column in table.columns if column.name not in ("id", "external_id", "mention_id")]
    if connection.dialect.name == "sqlite":
        listed = ", ".join(f"typeof({name}), {name}" for name in columns)
    else:
        listed = ", ".join(columns)
    key = "mention_id" if "mention_id" in table.columns else "id"
    marks = ", ".join(str(int(i)) for i in ids)
    return [tuple(row) for row in connection.exec_driver_sql(f"SELECT {listed} FROM {table.name} WHERE {key} IN ({marks}) ORDER BY {key}")]


def test_mention_and_member_rows_are_stored_as_sqlalchemys_insert_stores_them(engine):
    by_sqlalchemy, by_driver = _mentions("a1", "a2"), _mentions("b1", "b2")
    raw_rows = [
        {"id": i + 1, "channel": m.channel, "external_id": m.external_id, "source": m.source, "payload": b"{}",
         "content_type": "application/json", "origin": "test", "fetched_at": T0, "stored_at": T0, "state": "new"}
        for i, m in enumerate(by_sqlalchemy + by_driver)
    ]
    assignment = Assignment(7, LinkKind.SAME_INCIDENT, 0.8125, False, ((8, 0.5), (9, 0.25)))
    lone = Assignment(7, LinkKind.NEW, 1.0, True)
    linked_at = T0.astimezone(WIB)
    with engine.begin() as connection:
        connection.execute(TICKETS.insert(), [ticket(7, T0)])
        connection.execute(RAW.insert(), raw_rows)
        connection.execute(MENTIONS.insert(), [mention_values(m, i + 1, 7 if i % 2 else None) for i, m in enumerate(by_sqlalchemy)])
        sqlite_text = is_sqlite(connection)
        INSERT_MENTIONS.execute_values(connection, [
            mention_row(m, i + 5, 7 if i % 2 else None, StoredTimes(sqlite_text)) for i, m in enumerate(by_driver)])
        connection.execute(MEMBERS.insert(), [
            {"ticket_id": 7, "mention_id": i + 1, "link_kind": a.link_kind.value, "score": a.score, "linked_by": "machine",
             "linked_at": linked_at, "candidates": [list(c) for c in a.candidates]}
            for i, a in enumerate((assignment, lone, assignment, lone))])
        INSERT_MEMBERS.execute_values(connection, [
            member_row(Outcome(i + 5, "twitter", "b"), a, utc_value(linked_at, sqlite_text))
            for i, a in enumerate((assignment, lone, assignment, lone))])
    with engine.connect() as connection:
        assert _stored(connection, MENTIONS, range(5, 9)) == _stored(connection, MENTIONS, range(1, 5))
        assert _stored(connection, MEMBERS, range(5, 9)) == _stored(connection, MEMBERS, range(1, 5))
        assert len(_stored(connection, MEMBERS, range(5, 9))) == 4
        read_back = connection.execute(select(MENTIONS).order_by(MENTIONS.c.id)).all()
    assert [tuple(row)[3:] for row in read_back[4:]] == [tuple(row)[3:] for row in read_back[:4]]
    assert read_back[4].created_at == by_driver[0].created_at and read_back[4].flags == ["auto_reply", "geo_area"]
    # what dedup reads back at start-up is the place it was given
    assert [row_to_mention(row).place for row in read_back[4:]] == [m.place for m in by_driver]


def test_pre_converted_rows_need_every_defaulted_column_listed(engine):
    with engine.begin() as connection, pytest.raises(ValueError, match="defaulted"):
        BulkInsert(MEMBERS, ["ticket_id", "mention_id", "link_kind", "score", "linked_at"]).execute_values(connection, [(1,)])


def test_sqlite_stores_none_bytes_and_bools_as_their_plain_storage_classes(sqlite_url):
    """The driver binds these through identity adapters (sink.database): NULL, BLOB, INTEGER 0/1."""
    engine = open_engine(sqlite_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE plain (a, b, c, d)")
        connection.exec_driver_sql("INSERT INTO plain VALUES (?, ?, ?, ?)", [(None, b"\x00{}", True, False)])
        stored = connection.exec_driver_sql("SELECT typeof(a), a, typeof(b), b, typeof(c), c, typeof(d), d FROM plain").one()
    engine.dispose()
    assert tuple(stored) == ("null", None, "blob", b"\x00{}", "integer", 1, "integer", 0)


def test_stored_times_give_each_dialect_its_utc_form():
    on_sqlite, on_postgres = StoredTimes(True), StoredTimes(False)
    local = datetime(2026, 10, 3, 8, 0, 0, 5, tzinfo=WIB)
    assert on_sqlite(local) == "2026-10-03 01:00:00.000005" == on_sqlite(local.astimezone(timezone.utc))
    assert on_postgres(local) == local and on_postgres(local).utcoffset() is not None
    with pytest.raises(ValueError, match="naive"):
        on_sqlite(datetime(2026, 10, 3))

"""The driver-level bulk statements store exactly what SQLAlchemy's own statements store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, select

from sink.bulk import BulkInsert, ByIds
from sink.database import ensure_schema, open_engine
from sink.models import RawItemRow, TicketRow
from sink.outcomes import INSERT_TICKETS

TICKETS = TicketRow.__table__
RAW = RawItemRow.__table__
T0 = datetime(2026, 10, 3, 1, 0, tzinfo=timezone.utc)
WIB = timezone(timedelta(hours=7))


@pytest.fixture
def engine(db_url):
    engine = open_engine(db_url)
    ensure_schema(engine)
    yield engine
    engine.dispose()


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

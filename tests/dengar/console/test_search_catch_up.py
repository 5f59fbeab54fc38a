"""The console brings the messages' text-search index up to date in the background once it starts."""

from __future__ import annotations

import asyncio

from sink.text_search import rows_behind
from sink.ticket_queue import QueueFilter, queue_page

WAIT_SECONDS = 120  # a ceiling for a stuck task on a busy machine, not a speed requirement


def _behind(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return rows_behind(connection)


def _search(engine, term: str) -> set[int]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return {t.id for t in queue_page(connection, QueueFilter(status=None, text=term), None, 200).tickets}


async def test_the_console_indexes_the_imported_messages_and_search_answers_the_same(console_client, console_engine):
    behind = _behind(console_engine)
    assert behind > 100  # the import left every message to the catch-up
    before = _search(console_engine, "banjir")
    assert before
    operator = await console_client("admin")
    assert (await operator.get("/")).status == 200
    for _ in range(WAIT_SECONDS * 10):
        if _behind(console_engine) == 0:
            break
        await asyncio.sleep(0.1)
    assert _behind(console_engine) == 0
    assert _search(console_engine, "banjir") == before
    with console_engine.connect() as connection:
        indexed = connection.exec_driver_sql("SELECT count(*) FROM mentions_text_search WHERE mentions_text_search MATCH 'banjir'")
        assert indexed.scalar_one() > 0

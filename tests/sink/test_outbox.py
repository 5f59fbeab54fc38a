"""The outbox's claim and bookkeeping on SQLite and PostgreSQL: one holder per row, retries, giving up."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from sink.outbox import backlog, claim, due_ids, get_entry, list_entries, mark_attempt_failed, mark_delivered, release_claim, retry_failed
from tests.dengar.delivery.outbox_world import Clock, forward, imported_engine

HOLD = timedelta(seconds=60)


@pytest.fixture
def outbox(db_url):
    engine = imported_engine(db_url)
    ids = forward(engine, 3)
    yield engine, ids
    engine.dispose()


def test_forwarded_rows_are_due_and_claimed_by_one_holder(outbox):
    engine, ids = outbox
    clock = Clock()
    assert due_ids(engine, clock()) == ids
    first = claim(engine, ids[0], "daemon-a", HOLD, clock())
    assert first is not None and first.attempts == 1 and not first.tried_before
    assert first.state(clock()) == "sending"
    assert claim(engine, ids[0], "daemon-b", HOLD, clock()) is None
    assert due_ids(engine, clock()) == ids[1:]
    clock.advance(HOLD.total_seconds() + 1)  # the holder died: its claim runs out and the row is due again
    again = claim(engine, ids[0], "daemon-b", HOLD, clock())
    assert again is not None and again.attempts == 2 and again.tried_before


def test_racing_claims_have_one_winner(outbox):
    engine, ids = outbox
    clock = Clock()
    winners: list[str] = []
    barrier = threading.Barrier(6)

    def race(owner: str) -> None:
        barrier.wait()
        if claim(engine, ids[1], owner, HOLD, clock()) is not None:
            winners.append(owner)

    threads = [threading.Thread(target=race, args=(f"daemon-{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1
    assert get_entry(engine, ids[1]).claimed_by == winners[0]


def test_failed_attempts_wait_then_give_up_at_max_attempts(outbox):
    engine, ids = outbox
    clock = Clock()
    for attempt in (1, 2):
        assert claim(engine, ids[0], "a", HOLD, clock()) is not None
        entry = mark_attempt_failed(engine, ids[0], "a", "rejected", f"HTTP 400: attempt {attempt}", clock() + timedelta(minutes=5),
                                    max_attempts=3, now=clock())
        assert entry.failed_at is None and entry.state(clock()) == "retrying"
        assert ids[0] not in due_ids(engine, clock())
        clock.advance(301)
        assert ids[0] in due_ids(engine, clock())
    assert claim(engine, ids[0], "a", HOLD, clock()) is not None
    entry = mark_attempt_failed(engine, ids[0], "a", "rejected", "HTTP 400: kategori tidak dikenal", clock(), 3, clock())
    assert entry.failed_at is not None and entry.state(clock()) == "failed" and entry.attempts == 3
    assert entry.last_error == "HTTP 400: kategori tidak dikenal"
    clock.advance(10 * 3600)
    assert ids[0] not in due_ids(engine, clock())
    assert backlog(engine) == {"pending": 2, "failed": 1}
    assert retry_failed(engine, ids[0], clock())
    retried = claim(engine, ids[0], "a", HOLD, clock())
    assert retried.attempts == 1 and retried.tried_before  # the earlier outcome still says: look before sending


def test_only_the_holder_records_a_failure_and_delivery_is_final(outbox):
    engine, ids = outbox
    clock = Clock()
    claim(engine, ids[2], "a", HOLD, clock())
    assert mark_attempt_failed(engine, ids[2], "b", "timeout", "x", clock(), 5, clock()) is None
    assert mark_delivered(engine, ids[2], "crm-7", None, now=clock())
    assert not mark_delivered(engine, ids[2], "crm-8", None, now=clock())
    entry = get_entry(engine, ids[2])
    assert entry.crm_request_id == "crm-7" and entry.state(clock()) == "delivered" and entry.claimed_by is None
    assert ids[2] not in due_ids(engine, clock() + timedelta(days=1))
    assert backlog(engine) == {"pending": 2, "failed": 0}
    assert [e.id for e in list_entries(engine)] == sorted(ids, reverse=True)


def test_a_claim_given_back_untried_does_not_count(outbox):
    engine, ids = outbox
    clock = Clock()
    claim(engine, ids[0], "a", HOLD, clock())
    release_claim(engine, ids[0], "a")
    entry = claim(engine, ids[0], "b", HOLD, clock())
    assert entry.attempts == 1 and not entry.tried_before

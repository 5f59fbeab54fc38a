"""Leases taken over from a holder proven dead: at once, from exactly that holder, never held twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from sink.database import ensure_schema, open_engine
from sink.source_state import acquire_lease, all_states, release_lease

TTL = timedelta(minutes=10)


def opened(url: str) -> Engine:
    engine = open_engine(url)
    ensure_schema(engine)
    return engine


def holder(engine: Engine, name: str = "src") -> str | None:
    return all_states(engine)[name].lease_owner


def test_a_dead_holder_is_replaced_at_once_and_a_live_one_kept(db_url: str) -> None:
    engine = opened(db_url)
    assert acquire_lease(engine, "src", "rss", "killed", TTL)
    dead = {"killed"}.__contains__
    assert not acquire_lease(engine, "src", "rss", "restart", TTL), "no proof asked for: the lease runs out first"
    assert acquire_lease(engine, "src", "rss", "restart", TTL, holder_is_dead=dead)
    assert holder(engine) == "restart"
    expires = all_states(engine)["src"].lease_expires
    assert expires is not None and expires > datetime.now(UTC) + TTL - timedelta(minutes=1)
    # The new holder is alive: nobody takes it, whatever they think of the old name.
    assert not acquire_lease(engine, "src", "rss", "third", TTL, holder_is_dead=dead)
    assert holder(engine) == "restart"


def test_only_the_proven_holder_is_asked_about_and_only_it_replaced(db_url: str) -> None:
    engine = opened(db_url)
    asked: list[str] = []

    def judged(owner: str) -> bool:
        asked.append(owner)
        return owner == "killed"

    assert acquire_lease(engine, "src", "rss", "alive", TTL)
    assert not acquire_lease(engine, "src", "rss", "restart", TTL, holder_is_dead=judged)
    assert asked == ["alive"] and holder(engine) == "alive"
    release_lease(engine, "src", "alive")
    asked.clear()
    assert acquire_lease(engine, "src", "rss", "restart", TTL, holder_is_dead=judged)
    assert asked == [], "a free lease is taken without judging anyone"


def test_two_restarts_racing_for_a_dead_holder_do_not_both_win(db_url: str) -> None:
    engine = opened(db_url)
    assert acquire_lease(engine, "src", "rss", "killed", TTL)
    # The second restart judged the holder while it was still "killed"; by the time it updates,
    # the first restart holds the lease, and the UPDATE conditional on "killed" matches nothing.
    def stale_judgement(owner: str) -> bool:
        if owner == "killed":
            assert acquire_lease(engine, "src", "rss", "first", TTL, holder_is_dead={"killed"}.__contains__)
            return True
        return False

    if engine.dialect.name == "sqlite":
        # SQLite cannot take the row inside another open write transaction; check the outcome order instead.
        assert acquire_lease(engine, "src", "rss", "first", TTL, holder_is_dead={"killed"}.__contains__)
        assert not acquire_lease(engine, "src", "rss", "second", TTL, holder_is_dead={"killed"}.__contains__)
    else:
        assert not acquire_lease(engine, "src", "rss", "second", TTL, holder_is_dead=stale_judgement)
    assert holder(engine) == "first"


def test_an_expired_lease_needs_no_proof(db_url: str) -> None:
    engine = opened(db_url)
    past = datetime.now(UTC) - timedelta(hours=1)
    assert acquire_lease(engine, "src", "rss", "gone", TTL, now=past)
    assert acquire_lease(engine, "src", "rss", "restart", TTL, holder_is_dead=lambda owner: False)
    assert holder(engine) == "restart"

"""The X cursor on its own: the high-water mark only rises, a walk in progress is remembered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from collectors.live.snowflake import snowflake_at, snowflake_time
from collectors.live.twitter_cursor import PendingWalk, StreamPosition, XCursor, look_back

TWEET_ID = 1578522401263919106  # a real id from 2022-10-07


def test_snowflake_time_round_trips_to_the_millisecond() -> None:
    moment = snowflake_time(TWEET_ID)
    assert moment is not None and moment.year == 2022
    assert snowflake_at(moment) <= TWEET_ID < snowflake_at(moment + timedelta(milliseconds=1))
    assert snowflake_time(12345) is None  # pre-snowflake ids carry no time


def test_look_back_lowers_by_the_overlap_and_never_raises() -> None:
    lowered = look_back(TWEET_ID, timedelta(minutes=5))
    assert lowered < TWEET_ID
    difference = snowflake_time(TWEET_ID) - snowflake_time(lowered)  # type: ignore[operator]
    assert timedelta(minutes=5) - timedelta(milliseconds=1) <= difference <= timedelta(minutes=5)
    assert look_back(TWEET_ID, timedelta(0)) == TWEET_ID
    assert look_back(12345, timedelta(minutes=5)) == 12345


def test_a_walk_moves_since_id_only_when_finished() -> None:
    start = StreamPosition(since_id=100)
    midway = start.walked_down_to(oldest_id=180, newest_id=200).walked_down_to(oldest_id=150, newest_id=179)
    assert midway.since_id == 100 and midway.pending == PendingWalk(until_id=150, newest_id=200)
    assert midway.finished(newest_seen=140) == StreamPosition(since_id=200)
    assert StreamPosition(since_id=300).finished(newest_seen=None) == StreamPosition(since_id=300)
    assert StreamPosition(since_id=300).finished(newest_seen=250).since_id == 300


def test_a_backfill_keeps_an_unfinished_walk() -> None:
    midway = StreamPosition(since_id=100, pending=PendingWalk(150, 200))
    assert midway.backfilled(newest_seen=400) == StreamPosition(since_id=400, pending=PendingWalk(150, 200))


def test_the_cursor_round_trips_through_json_and_ignores_what_it_did_not_write() -> None:
    cursor = (XCursor().with_position("search:banjir", StreamPosition(100, PendingWalk(150, 200)))
              .with_user_id("DKIJakarta", "5359901514"))
    assert XCursor.from_json(cursor.to_json()) == cursor
    assert cursor.to_json()["streams"]["search:banjir"] == {"since_id": "100",
                                                            "pending": {"until_id": "150", "newest_id": "200"}}
    damaged = {"streams": {"search:banjir": {"since_id": "12ab"}, "x": "nonsense"}, "user_ids": {"a": "b"}}
    assert XCursor.from_json(damaged) == XCursor({"search:banjir": StreamPosition(), "x": StreamPosition()}, {})
    assert XCursor.from_json(None) == XCursor()


def test_snowflakes_of_now_are_after_snowflakes_of_the_past() -> None:
    now = datetime.now(UTC)
    assert snowflake_at(now - timedelta(seconds=1)) < snowflake_at(now)
    assert snowflake_at(datetime(2000, 1, 1, tzinfo=UTC)) == 1

"""Scheduling, backoff and silence are pure functions of time and a seeded random generator."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from collectors.live.base import Blocked, PermanentFailure, RateLimited, SourceError, TemporaryFailure
from dengar.daemon import silence
from dengar.daemon.schedule import BackoffPolicy, after_failure, after_success, full_jitter

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_a_success_waits_the_interval_give_or_take_the_jitter() -> None:
    rng = random.Random(1)
    waits = [after_success(NOW, 60, 0.1, rng).wait_seconds(NOW) for _ in range(500)]
    assert all(54 <= w <= 66 for w in waits)
    assert max(waits) - min(waits) > 6, "jitter spreads the polls"
    assert {after_success(NOW, 60, 0.0, rng).wait_seconds(NOW) for _ in range(5)} == {60.0}


def test_full_jitter_grows_with_failures_and_stops_at_the_cap() -> None:
    rng = random.Random(2)
    for failures, ceiling in ((1, 5), (2, 10), (3, 20), (10, 900)):
        draws = [full_jitter(5, 900, failures, rng) for _ in range(300)]
        assert all(2.5 <= d <= ceiling for d in draws)
        assert max(draws) > ceiling * 0.8
    assert all(full_jitter(5, 900, 60, rng) <= 900 for _ in range(100))


def test_a_temporary_failure_backs_off() -> None:
    rng = random.Random(3)
    first = after_failure(TemporaryFailure("HTTP 500"), 1, NOW, 60, rng)
    assert first.state == "backing_off" and 0 < first.wait_seconds(NOW) <= 5
    assert first.reason == "temporary: HTTP 500"
    late = [after_failure(TemporaryFailure("x"), 12, NOW, 60, rng).wait_seconds(NOW) for _ in range(50)]
    assert max(late) <= 900 and min(late) >= 2.5


def test_an_unexpected_error_kind_is_treated_as_temporary() -> None:
    decision = after_failure(SourceError("odd"), 1, NOW, 60, random.Random(4))
    assert decision.state == "backing_off"


def test_a_rate_limit_waits_until_the_time_the_service_gave() -> None:
    reset = NOW + timedelta(minutes=7)
    decision = after_failure(RateLimited("429", reset), 1, NOW, 60, random.Random(5))
    assert decision.state == "rate_limited"
    assert reset <= decision.at <= reset + timedelta(seconds=BackoffPolicy().retry_at_slack)


def test_a_rate_limit_without_a_time_waits_a_rate_limit_window() -> None:
    decision = after_failure(RateLimited("429"), 1, NOW, 60, random.Random(6))
    assert decision.state == "rate_limited" and decision.wait_seconds(NOW) >= 450


def test_a_reset_time_in_the_past_means_now() -> None:
    decision = after_failure(RateLimited("429", NOW - timedelta(hours=1)), 1, NOW, 60, random.Random(7))
    assert NOW <= decision.at <= NOW + timedelta(seconds=5)


def test_blocked_waits_its_time_or_half_an_hour_growing() -> None:
    rng = random.Random(8)
    until = NOW + timedelta(hours=2)
    assert after_failure(Blocked("login required", until), 1, NOW, 900, rng).at >= until
    first = after_failure(Blocked("please wait"), 1, NOW, 900, rng)
    assert first.state == "blocked" and 900 <= first.wait_seconds(NOW) <= 1800
    assert after_failure(Blocked("please wait"), 20, NOW, 900, rng).wait_seconds(NOW) <= 6 * 3600


def test_a_permanent_failure_waits_an_hour() -> None:
    decision = after_failure(PermanentFailure("HTTP 401: check DENGAR_X_BEARER_TOKEN"), 1, NOW, 60, random.Random(9))
    assert decision.state == "failed"
    assert 3600 <= decision.wait_seconds(NOW) <= 3960
    assert "DENGAR_X_BEARER_TOKEN" in decision.reason


def test_the_same_seed_gives_the_same_schedule() -> None:
    one = [after_failure(TemporaryFailure("x"), n, NOW, 60, random.Random(10)).at for n in range(1, 6)]
    two = [after_failure(TemporaryFailure("x"), n, NOW, 60, random.Random(10)).at for n in range(1, 6)]
    assert one == two


def every(minutes: float, count: int, last: datetime) -> list[datetime]:
    return [last - timedelta(minutes=minutes * i) for i in range(count)]


def test_a_source_quiet_for_many_usual_gaps_is_silent() -> None:
    history = every(10, 12, NOW - timedelta(hours=2))
    verdict = silence.judge(history, NOW, factor=5, minimum=0)
    assert verdict.silent and verdict.usual_gap == 600 and verdict.threshold == 3000
    assert "usually every 10 min" in verdict.describe()


def test_a_quiet_spell_within_the_usual_rhythm_is_not_silence() -> None:
    history = every(10, 12, NOW - timedelta(minutes=40))
    assert not silence.judge(history, NOW, factor=5, minimum=0).silent


def test_the_minimum_and_the_poll_interval_bound_the_threshold() -> None:
    history = every(1, 12, NOW - timedelta(minutes=30))
    assert silence.judge(history, NOW, factor=5, minimum=0).silent
    assert not silence.judge(history, NOW, factor=5, minimum=3600).silent
    assert not silence.judge(history, NOW, factor=5, minimum=0, interval=1200).silent


@pytest.mark.parametrize("count", [0, 1, 3])
def test_too_little_history_says_nothing(count: int) -> None:
    verdict = silence.judge(every(10, count, NOW - timedelta(days=3)), NOW, minimum=0)
    assert not verdict.silent and verdict.usual_gap is None


def test_stores_of_one_batch_count_as_one_arrival() -> None:
    burst = [NOW + timedelta(milliseconds=ms) for ms in (0, 10, 300)]
    assert silence.arrivals(burst) == [NOW]
    assert silence.usual_gap(burst + every(30, 4, NOW - timedelta(minutes=30))) == 1800

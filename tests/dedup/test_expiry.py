"""The expiry queue gives back exactly what expired, whatever order things were pushed in."""

from __future__ import annotations

import random

from dedup.expiry import ExpiryQueue


def test_items_come_out_once_when_they_expire_in_and_out_of_order():
    rng = random.Random(3)
    queue: ExpiryQueue[int] = ExpiryQueue()
    pushed: dict[int, float] = {}
    clock = 0.0
    for item in range(2000):
        clock += rng.random()
        expires_at = clock + 100 - (rng.random() * 300 if rng.random() < 0.1 else 0)  # a tenth arrive late
        queue.push(expires_at, item)
        pushed[item] = expires_at
    taken: list[int] = []
    for now in (50.0, 400.0, 401.0, 1500.0, 1e9):
        out = list(queue.pop_before(now))
        assert all(expires_at < now for expires_at, _ in out)
        taken.extend(item for _, item in out)
        assert {item for item in pushed if pushed[item] < now} == set(taken)
        assert len(queue) == len(pushed) - len(taken)
    assert sorted(taken) == list(range(2000))


def test_equal_times_and_an_emptied_queue():
    queue: ExpiryQueue[str] = ExpiryQueue()
    queue.push(5.0, "a")
    queue.push(5.0, "b")
    assert list(queue.pop_before(5.0)) == []
    assert sorted(item for _, item in queue.pop_before(5.5)) == ["a", "b"]
    queue.push(1.0, "c")  # older than anything pushed before, into an empty queue
    assert [item for _, item in queue.pop_before(2.0)] == ["c"] and len(queue) == 0

"""When remembered things leave memory: a queue by expiry time that is cheap for a stream in time order."""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class ExpiryQueue(Generic[T]):
    """Items by the time they expire.

    Messages mostly arrive in time order and all stay the same time, so most items expire in the
    order they were pushed: those go to a plain first-in-first-out queue (no heap to sift on
    every message); only an item expiring before the newest one pushed goes to a heap.
    """

    def __init__(self) -> None:
        self._in_order: deque[tuple[float, T]] = deque()
        self._late: list[tuple[float, T]] = []

    def __len__(self) -> int:
        return len(self._in_order) + len(self._late)

    def push(self, expires_at: float, item: T) -> None:
        in_order = self._in_order
        if not in_order or expires_at >= in_order[-1][0]:
            in_order.append((expires_at, item))
        else:
            heapq.heappush(self._late, (expires_at, item))

    def pop_before(self, now: float) -> Iterator[tuple[float, T]]:
        """Take out every item that expires before ``now`` (in no particular order)."""
        in_order = self._in_order
        while in_order and in_order[0][0] < now:
            yield in_order.popleft()
        late = self._late
        while late and late[0][0] < now:
            yield heapq.heappop(late)

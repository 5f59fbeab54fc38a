"""When remembered things leave memory: a queue by expiry time that is cheap for a stream in time order."""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterator
from itertools import count
from typing import Generic, TypeVar

T = TypeVar("T")


class ExpiryQueue(Generic[T]):
    """Items by the time they expire.

    Messages mostly arrive in time order and all stay the same time, so most items expire in the
    order they were pushed: those go to two plain first-in-first-out queues, times and items side
    by side (no heap to sift and no tuple kept per item: every object kept alive here counts
    towards the next garbage collection); only an item expiring before the newest one pushed goes
    to a heap.
    """

    def __init__(self) -> None:
        self._times: deque[float] = deque()
        self._items: deque[T] = deque()
        self._late: list[tuple[float, int, T]] = []  # (expires_at, arrival, item): items need no order
        self._arrivals = count()

    def __len__(self) -> int:
        return len(self._items) + len(self._late)

    def push(self, expires_at: float, item: T) -> None:
        times = self._times
        if not times or expires_at >= times[-1]:
            times.append(expires_at)
            self._items.append(item)
        else:
            heapq.heappush(self._late, (expires_at, next(self._arrivals), item))

    def pop_before(self, now: float) -> Iterator[tuple[float, T]]:
        """Take out every item that expires before ``now`` (in no particular order)."""
        times, items = self._times, self._items
        while times and times[0] < now:
            yield times.popleft(), items.popleft()
        late = self._late
        while late and late[0][0] < now:
            expires_at, _, item = heapq.heappop(late)
            yield expires_at, item

"""A bounded memory of answers already worked out, for a process that runs for months.

Texts, pieces of text, place-name combinations and authors repeat; what the analyzer concluded
about one is kept up to a fixed number of entries, the oldest forgotten first (in constant time:
popping the front of a plain dict rescans the slots its earlier deletions left behind).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedMemory(OrderedDict, Generic[K, V]):
    """``get`` as a dict; ``remember`` stores and forgets the oldest entry beyond ``capacity``."""

    def __init__(self, capacity: int):
        super().__init__()
        if capacity < 1:
            raise ValueError("a memory needs room for at least one entry")
        self.capacity = capacity

    def remember(self, key: K, value: V) -> V:
        if len(self) >= self.capacity:
            self.popitem(last=False)
        self[key] = value
        return value

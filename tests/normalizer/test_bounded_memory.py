"""The analyzer's memories stay within their size and forget the oldest entries first."""

from __future__ import annotations

import pytest

from normalizer.memory import BoundedMemory


def test_oldest_entries_are_forgotten_first():
    memory: BoundedMemory[str, int] = BoundedMemory(3)
    for number, key in enumerate("abcde"):
        assert memory.remember(key, number) == number
    assert list(memory) == ["c", "d", "e"]
    assert memory.get("a") is None and memory.get("e") == 4


def test_a_memory_holds_at_least_one_entry():
    with pytest.raises(ValueError):
        BoundedMemory(0)

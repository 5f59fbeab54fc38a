"""Which tickets became one (old → new) and which must never be together again.

Merges come from operators, and from dedup folding a ticket opened by an early reply into the
ticket of the message it answers; splits only from operators, and the machine never makes two
tickets one against a split. Both are few, so they are kept for the whole history.
"""

from __future__ import annotations


class OperatorDecisions:
    def __init__(self) -> None:
        self._merged_into: dict[int, int] = {}
        self._forbidden: dict[int, set[int]] = {}
        # Read for every message (plain attributes, not properties): while False, every ticket
        # id stands for itself and nothing is forbidden, and the matching code takes a fast path.
        self.any_merges = False
        self.any_splits = False

    def resolve(self, ticket_id: int) -> int:
        """The ticket that now stands for ``ticket_id`` after every merge."""
        seen = ticket_id
        hops = 0
        while (target := self._merged_into.get(seen)) is not None and hops <= len(self._merged_into):
            seen = target
            hops += 1
        return seen

    def merge(self, old: int, new: int) -> bool:
        """Record that ``old`` now lives in ``new``; False when they already are one ticket."""
        old, new = self.resolve(old), self.resolve(new)
        if old == new:
            return False
        self._merged_into[old] = new
        self.any_merges = True
        # The operator's latest word wins: a merge lifts a split between the two.
        self._forbidden.get(old, set()).discard(new)
        self._forbidden.get(new, set()).discard(old)
        for other in self._forbidden.pop(old, set()):
            self._forbidden.setdefault(new, set()).add(other)
            partners = self._forbidden.setdefault(other, set())
            partners.discard(old)
            partners.add(new)
        self.any_splits = bool(self._forbidden)
        return True

    def forbid(self, ticket_a: int, ticket_b: int) -> None:
        a, b = self.resolve(ticket_a), self.resolve(ticket_b)
        if a == b:
            return
        self._forbidden.setdefault(a, set()).add(b)
        self._forbidden.setdefault(b, set()).add(a)
        self.any_splits = True

    def forbidden(self, ticket_a: int, ticket_b: int) -> bool:
        partners = self._forbidden.get(self.resolve(ticket_a))
        return bool(partners) and self.resolve(ticket_b) in partners

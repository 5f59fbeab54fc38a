"""What dedup decides: which ticket a mention belongs to, how it got there and how sure we are."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class LinkKind(StrEnum):
    """Why a mention is in its ticket (DESIGN.md §4); stored with every member."""

    NEW = "new"  # first message of a new ticket
    REPOST = "repost"  # retweet, or quote/reply adding no new complaint
    CROSS_POST = "cross_post"  # the same or nearly the same text elsewhere
    SAME_INCIDENT = "same_incident"  # same category, compatible place, time window, similar text
    OPERATOR = "operator"  # put there by a person; the machine never moves it


class Assignment(NamedTuple):
    """The ticket a complaint joins (or opens); ``ticket_id`` is allocated by dedup.

    Immutable and typed like a frozen dataclass, but one is made for every message: a named
    tuple is built in a third of the time (a frozen dataclass sets each field through
    ``object.__setattr__``).
    """

    ticket_id: int
    link_kind: LinkKind
    score: float  # 1.0 for NEW/REPOST/OPERATOR; similarity for the others
    opened: bool  # True when this mention opened the ticket
    candidates: tuple[tuple[int, float], ...] = ()  # nearest other tickets seen (id, score)
    # Reposts and replies of this message that arrived before it and opened tickets of their own:
    # ((channel, external_id), the ticket it opened). They now count as reposts in this ticket, and
    # the tickets they opened fold into it, as if the messages had arrived in time order.
    adopted: tuple[tuple[tuple[str, str], int], ...] = ()
    # Tickets that only named this mention's kelurahan, now known to be this ticket's incident: the
    # mention names the street of this ticket and the kelurahan of those (they opened apart because
    # no message had said both yet).
    bridged: tuple[int, ...] = ()

    @property
    def folded(self) -> tuple[int, ...]:
        """The tickets that fold into this one (opened by adopted messages, or bridged)."""
        opened = (ticket for _, ticket in self.adopted if ticket != self.ticket_id)
        return tuple(dict.fromkeys((*opened, *self.bridged)))

"""The e-mail cursor: per mailbox, the UIDVALIDITY and the highest UID already stored.

IMAP UIDs only mean something together with the mailbox's UIDVALIDITY; when the server changes
it (a restore, a rebuilt index) every stored UID is void and the mailbox is read again from
UID 1 — storage is idempotent on Message-ID, so that costs bandwidth, never doubles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class MailboxPosition:
    uidvalidity: int
    last_uid: int

    def resume_from(self, uidvalidity: int) -> MailboxPosition:
        """Where to go on in a mailbox the server now reports with ``uidvalidity``."""
        if uidvalidity != self.uidvalidity:
            return MailboxPosition(uidvalidity, 0)
        return self

    def advanced_to(self, uid: int) -> MailboxPosition:
        return MailboxPosition(self.uidvalidity, max(self.last_uid, uid))


@dataclass(frozen=True, slots=True)
class EmailCursor:
    """``{"mailboxes": {name: {"uidvalidity": N, "last_uid": M}}}``; unknown or malformed entries start afresh."""

    mailboxes: dict[str, MailboxPosition]

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> EmailCursor:
        positions: dict[str, MailboxPosition] = {}
        raw = (data or {}).get("mailboxes")
        if isinstance(raw, dict):
            for name, entry in raw.items():
                if not isinstance(entry, dict):
                    continue
                uidvalidity, last_uid = entry.get("uidvalidity"), entry.get("last_uid")
                if isinstance(uidvalidity, int) and isinstance(last_uid, int) and last_uid >= 0:
                    positions[str(name)] = MailboxPosition(uidvalidity, last_uid)
        return cls(positions)

    def to_json(self) -> dict[str, Any]:
        return {"mailboxes": {name: {"uidvalidity": p.uidvalidity, "last_uid": p.last_uid}
                              for name, p in sorted(self.mailboxes.items())}}

    def position(self, mailbox: str) -> MailboxPosition | None:
        return self.mailboxes.get(mailbox)

    def with_position(self, mailbox: str, position: MailboxPosition) -> EmailCursor:
        return EmailCursor({**self.mailboxes, mailbox: position})

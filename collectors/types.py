"""The RawItem: one message exactly as a channel delivered it, with where and when it came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

CHANNELS = ("twitter", "instagram", "email", "rss", "open311", "qlue")


@dataclass(frozen=True, slots=True)
class RawItem:
    """The smallest unit of one message that a later stage can re-read on its own.

    ``payload`` holds the bytes as received where the channel delivers one message as one
    document (an e-mail, an Instagram post file, a Qlue report object). Where a channel delivers
    many messages in one document (an X API page, a feed), the payload is that message's own
    object from the document, with the page context it needs (X ``includes``; the feed's title
    and link), re-encoded as JSON; ``content_type`` says which shape it is.
    """

    channel: str
    source: str
    external_id: str
    payload: bytes
    content_type: str
    fetched_at: datetime
    origin: str


def fallback_external_id(payload: bytes) -> str:
    """A stable id for a message that carries none (or none we could read)."""
    return "sha256:" + hashlib.sha256(payload).hexdigest()[:32]

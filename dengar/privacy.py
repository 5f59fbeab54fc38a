"""Pseudonymous authors: where configured, citizens are kept as stable hashes, not names.

The same person gets the same pseudonym in every channel record (so operators still see that
one citizen reported ten times), but the database holds no handle, address or display name.
The city's own accounts stay readable: they are public and operators need to see them.
"""

from __future__ import annotations

import hashlib
import os

from normalizer.types import Author, Mention

OFFICIAL_REASON = "official account"


class AuthorPseudonyms:
    """Replaces citizens' author fields with keyed hashes (BLAKE2b with a secret key)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the pseudonym key must be at least 16 bytes")
        self._key = key[:64]

    @classmethod
    def from_environment(cls, variable: str) -> AuthorPseudonyms:
        value = os.environ.get(variable, "")
        if not value:
            raise ValueError(f"[privacy] hash_authors is on but {variable} is not set: "
                             f"set it to a long random secret (and keep it, or pseudonyms change)")
        return cls(value.encode())

    def _hash(self, channel: str, value: str | None) -> str | None:
        if not value:
            return None
        digest = hashlib.blake2b(f"{channel}\x00{value.casefold()}".encode(), key=self._key, digest_size=10)
        return "anon-" + digest.hexdigest()

    def apply(self, mention: Mention) -> None:
        if mention.complaint_reason == OFFICIAL_REASON:
            return
        author = mention.author
        mention.author = Author(
            id=self._hash(mention.channel, author.id or author.handle),
            handle=self._hash(mention.channel, author.handle or author.id),
        )

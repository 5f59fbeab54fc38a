"""Reading the untagged data of aioimaplib responses: UIDVALIDITY, SEARCH results, FETCH records.

aioimaplib hands a response over as a list of lines in which a literal (a message body) is its
own ``bytearray`` element right after the line announcing it (``... BODY[] {1234}``). These
functions turn that list into typed values and never trust the server's shape: what does not
match is skipped or reported, not indexed blindly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_UIDVALIDITY = re.compile(rb"\[UIDVALIDITY (\d+)\]")
_UIDNEXT = re.compile(rb"\[UIDNEXT (\d+)\]")
_FETCH_START = re.compile(rb"^\d+ FETCH \(")
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """One ``* n FETCH (...)`` response: its UID, the size if asked, the literal if one came."""

    uid: int | None
    size: int | None
    literal: bytes | None
    text: bytes  # the response without its literal, for error messages


def _as_bytes(line: object) -> bytes:
    return bytes(line) if isinstance(line, (bytes, bytearray)) else str(line).encode()


def uidvalidity(lines: Sequence[object]) -> int | None:
    for line in lines:
        match = _UIDVALIDITY.search(_as_bytes(line))
        if match:
            return int(match.group(1))
    return None


def uidnext(lines: Sequence[object]) -> int | None:
    for line in lines:
        match = _UIDNEXT.search(_as_bytes(line))
        if match:
            return int(match.group(1))
    return None


def search_uids(lines: Sequence[object]) -> list[int]:
    """The UIDs of a SEARCH response, sorted.

    aioimaplib strips the ``SEARCH`` keyword off the untagged line and ends the list with the
    tagged status text, so a line counts when it is (after an optional ``SEARCH``) all numbers.
    """
    uids: set[int] = set()
    for line in lines[:-1]:
        tokens = _as_bytes(line).split()
        if tokens[:1] == [b"SEARCH"]:
            tokens = tokens[1:]
        if tokens and all(token.isdigit() for token in tokens):
            uids.update(int(token) for token in tokens)
    return sorted(uids)


def fetch_records(lines: Sequence[object]) -> list[FetchRecord]:
    records: list[FetchRecord] = []
    text: list[bytes] = []
    literal: bytes | None = None
    collecting = False

    def close() -> None:
        joined = b" ".join(text)
        uid = _UID.search(joined)
        size = _SIZE.search(joined)
        records.append(FetchRecord(int(uid.group(1)) if uid else None, int(size.group(1)) if size else None,
                                   literal, joined))

    for line in lines:
        if isinstance(line, bytearray) and collecting:
            literal = bytes(line)  # aioimaplib gives literals as bytearray, protocol lines as bytes
            continue
        data = _as_bytes(line)
        if _FETCH_START.match(data):
            if collecting:
                close()
            text, literal, collecting = [data], None, True
        elif collecting:
            text.append(data)
    if collecting:
        close()
    return [record for record in records if record.uid is not None]


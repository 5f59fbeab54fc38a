"""Cut the attachments out of an oversized e-mail while it streams in, keeping headers and text.

A message bigger than a source's ``max_message_bytes`` is still a citizen's complaint: its
headers and text are what the normalizer reads, the 40 MB of photos are not. So instead of
skipping it, the collector streams it through :class:`AttachmentCutter`, which keeps every
header block (of the message and of every MIME part), every boundary line and the body of every
``text/*`` part byte for byte, and drops the body of every other leaf part (images, PDFs, archives,
``application/*``...). Each dropped body leaves its part's headers behind with one added header,
``X-Dengar-Attachment-Cut: <bytes> bytes removed``, so a reader sees what was there. Memory stays
at the size of what is kept, not of the message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32

CUT_HEADER = b"X-Dengar-Attachment-Cut"
_KEPT_MAINTYPES = frozenset({"text", "multipart", "message"})
_LONGEST_LINE = 64 * 1024


@dataclass
class _Part:
    headers: list[bytes] = field(default_factory=list)
    in_headers: bool = True
    keep_body: bool = True
    dropped_bytes: int = 0


class AttachmentCutter:
    """Feed the raw message in chunks, then take :meth:`finish` — the message without attachment bodies."""

    def __init__(self) -> None:
        self._out: list[bytes] = []
        self._pending = b""
        self._boundaries: list[bytes] = []  # open multipart boundaries, innermost last
        self._part = _Part()
        self.removed_bytes = 0
        self.removed_parts = 0

    def feed(self, chunk: bytes) -> None:
        pieces = (self._pending + chunk).split(b"\n")
        self._pending = pieces.pop()
        for piece in pieces:
            self._line(piece + b"\n")
        part = self._part
        if len(self._pending) > _LONGEST_LINE and not part.in_headers and not part.keep_body:
            part.dropped_bytes += len(self._pending)  # binary without newlines: count it, hold nothing
            self._pending = b""

    def finish(self) -> bytes:
        if self._pending:
            self._line(self._pending)
            self._pending = b""
        self._close_part()
        if self._part.in_headers and self._part.headers:  # a message that is all headers
            self._out.extend(self._part.headers)
            self._part.headers = []
        return b"".join(self._out)

    def _line(self, line: bytes) -> None:
        part = self._part
        if part.in_headers:
            part.headers.append(line)
            if line in (b"\r\n", b"\n", b"\r"):
                self._end_of_headers()
            return
        boundary = self._boundary_of(line)
        if boundary is not None:
            self._close_part()
            closing = line.rstrip(b" \t\r\n") == b"--" + boundary + b"--"
            index = self._boundaries.index(boundary)
            del self._boundaries[index if closing else index + 1:]
            self._out.append(line)
            # after a closing line comes the enclosing multipart's epilogue, which is kept
            self._part = _Part(in_headers=not closing, keep_body=True)
            return
        if part.keep_body:
            self._out.append(line)
        else:
            part.dropped_bytes += len(line)

    def _end_of_headers(self) -> None:
        """Decide what the part's body is: sub-parts, a nested message, kept text or a cut attachment."""
        part = self._part
        headers = BytesHeaderParser(policy=compat32).parsebytes(b"".join(part.headers))
        maintype = headers.get_content_maintype()
        if maintype == "multipart":
            boundary = headers.get_param("boundary")
            if isinstance(boundary, str) and boundary:
                self._boundaries.append(boundary.encode("utf-8", "surrogateescape"))
        if maintype == "message" and headers.get_content_subtype() in ("rfc822", "global"):
            # a forwarded message: its own headers follow, and its parts are judged the same way
            self._out.extend(part.headers)
            self._part = _Part()
            return
        if maintype in _KEPT_MAINTYPES:
            self._out.extend(part.headers)
            part.headers = []
            part.in_headers = False
            return
        part.in_headers = False
        part.keep_body = False  # headers wait until we know how much was dropped

    def _close_part(self) -> None:
        part = self._part
        if part.keep_body or part.in_headers:
            return
        blank = part.headers[-1]
        note = CUT_HEADER + b": " + str(part.dropped_bytes).encode() + b" bytes removed" + \
            (blank if blank in (b"\r\n", b"\n") else b"\r\n")
        self._out.extend(part.headers[:-1])
        self._out.append(note)
        self._out.append(blank)
        self.removed_bytes += part.dropped_bytes
        self.removed_parts += 1
        part.keep_body = True
        part.headers = []

    def _boundary_of(self, line: bytes) -> bytes | None:
        if not self._boundaries or not line.startswith(b"--"):
            return None
        text = line.rstrip(b" \t\r\n")
        for boundary in reversed(self._boundaries):
            if text == b"--" + boundary or text == b"--" + boundary + b"--":
                return boundary
        return None


def cut_attachments(message: bytes) -> bytes:
    """The whole-bytes form of :class:`AttachmentCutter`, for messages already in memory."""
    cutter = AttachmentCutter()
    cutter.feed(message)
    return cutter.finish()

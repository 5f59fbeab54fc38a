"""The e-mail collector's pure parts: the UIDVALIDITY-aware cursor, IMAP response reading, the attachment cutter."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from collectors.live.email import split_by_size
from collectors.live.email_cursor import EmailCursor, MailboxPosition
from collectors.live.imap_responses import fetch_records, search_uids, uidnext, uidvalidity
from collectors.live.mime_cut import CUT_HEADER, AttachmentCutter, cut_attachments


def test_a_cursor_resumes_in_the_same_uidvalidity_and_restarts_in_a_new_one() -> None:
    position = MailboxPosition(uidvalidity=7, last_uid=40)
    assert position.resume_from(7) is position
    assert position.resume_from(8) == MailboxPosition(8, 0)


def test_a_cursor_position_only_moves_forward() -> None:
    position = MailboxPosition(7, 40)
    assert position.advanced_to(45).last_uid == 45
    assert position.advanced_to(12).last_uid == 40


def test_a_cursor_round_trips_and_ignores_what_it_cannot_read() -> None:
    data = {"mailboxes": {"INBOX": {"uidvalidity": 3, "last_uid": 9},
                          "Arsip": {"uidvalidity": "x", "last_uid": 1},
                          "Lain": [1, 2]}}
    cursor = EmailCursor.from_json(data)
    assert cursor.to_json() == {"mailboxes": {"INBOX": {"uidvalidity": 3, "last_uid": 9}}}
    assert EmailCursor.from_json({}).mailboxes == {}
    assert EmailCursor.from_json({"mailboxes": "rusak"}).mailboxes == {}
    moved = cursor.with_position("Pengaduan", MailboxPosition(5, 1))
    assert set(moved.to_json()["mailboxes"]) == {"INBOX", "Pengaduan"}
    assert set(cursor.to_json()["mailboxes"]) == {"INBOX"}, "positions are values; the old cursor is unchanged"


def test_examine_search_and_fetch_responses_as_aioimaplib_hands_them_over() -> None:
    examine = [b"FLAGS (\\Seen)", b"3 EXISTS", b"OK [UIDVALIDITY 1796006813] UIDs valid",
               b"OK [UIDNEXT 4] Predicted next UID", b"[READ-ONLY] Examine completed"]
    assert (uidvalidity(examine), uidnext(examine)) == (1796006813, 4)
    assert uidvalidity([b"Examine completed"]) is None
    assert search_uids([b"4 2 9", b"Search completed (0.001 secs)."]) == [2, 4, 9]
    assert search_uids([b"Search completed."]) == []
    assert search_uids([b"SEARCH 5", b"done"]) == [5]
    fetch = [b"1 FETCH (UID 11 BODY[] {5}", bytearray(b"hello"), b")",
             b"2 FETCH (BODY[] {3}", bytearray(b"abc"), b" UID 12)",
             b"3 FETCH (UID 13 BODY[] NIL)",
             b"4 FETCH (FLAGS (\\Seen))",
             b"Fetch completed."]
    records = fetch_records(fetch)
    assert [(r.uid, r.literal) for r in records] == [(11, b"hello"), (12, b"abc"), (13, None)]
    sizes = fetch_records([b"1 FETCH (UID 3 RFC822.SIZE 1200)", b"Fetch completed."])
    assert [(r.uid, r.size) for r in sizes] == [(3, 1200)]


def _complaint_with_photo(photo: bytes) -> bytes:
    message = EmailMessage()
    message["From"] = "warga@example.net"
    message["Subject"] = "Saluran air mampet"
    message["Message-ID"] = "<saluran@example.net>"
    message.set_content("Saluran air di RT 03/RW 08 mampet, air meluap ke jalan.")
    message.add_attachment(photo, maintype="image", subtype="png", filename="saluran.png")
    message.add_attachment("no;kelurahan\n1;Cawang\n", subtype="csv", filename="data.csv")
    return message.as_bytes(policy=email.policy.SMTP)


def test_the_cutter_keeps_headers_text_and_boundaries_and_notes_what_it_removed() -> None:
    raw = _complaint_with_photo(b"\x89PNG" + b"\x00" * 300_000)
    cut = cut_attachments(raw)
    assert cut.startswith(raw.split(b"\r\n\r\n", 1)[0])
    parsed = email.message_from_bytes(cut, policy=email.policy.default)
    assert not parsed.defects
    assert "meluap ke jalan" in parsed.get_body(("plain",)).get_content()
    photo, table = [part for part in parsed.iter_attachments()]
    assert photo.get_filename() == "saluran.png" and photo.get_content() == b""
    assert int(photo[CUT_HEADER.decode()].split()[0]) > 300_000
    assert table.get_content_type() == "text/csv" and "Cawang" in table.get_content(), "text parts survive"


def test_the_cutter_gives_the_same_result_whatever_the_piece_size() -> None:
    raw = _complaint_with_photo(bytes(range(256)) * 2000)
    whole = cut_attachments(raw)
    for size in (1, 7, 4096, 100_000):
        cutter = AttachmentCutter()
        for start in range(0, len(raw), size):
            cutter.feed(raw[start:start + size])
        assert cutter.finish() == whole
        assert cutter.removed_parts == 1


def test_the_cutter_leaves_a_message_without_attachments_untouched() -> None:
    message = EmailMessage()
    message["Subject"] = "Lampu jalan mati"
    message.set_content("Lampu jalan di Jl. Kenanga mati sejak Senin.")
    message.add_alternative("<p>Lampu jalan di Jl. Kenanga mati sejak Senin.</p>", subtype="html")
    raw = message.as_bytes(policy=email.policy.SMTP)
    assert cut_attachments(raw) == raw
    headers_only = b"Subject: kosong\r\nFrom: a@example.net\r\n"
    assert cut_attachments(headers_only) == headers_only


def test_the_cutter_survives_broken_mime() -> None:
    unterminated = (b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: image/gif\r\n\r\n"
                    + b"GIF89a" * 1000)
    cut = cut_attachments(unterminated)
    assert b"GIF89a" not in cut and CUT_HEADER in cut
    no_boundary = b"Content-Type: multipart/mixed\r\n\r\nteks saja\r\n"
    assert cut_attachments(no_boundary) == no_boundary


def test_batches_are_split_so_their_bodies_stay_within_the_byte_budget() -> None:
    sizes = {1: 400, 2: 400, 3: 300, 4: 5000, 5: 10, 6: 10}
    assert split_by_size([1, 2, 3, 4, 5, 6], sizes, 1000) == [[1, 2], [3], [4], [5, 6]]
    assert split_by_size([7, 8], {}, 1000) == [[7, 8]], "UIDs the server gave no size for stay in order"
    assert split_by_size([], sizes, 1000) == []

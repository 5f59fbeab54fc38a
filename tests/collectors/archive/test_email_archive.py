"""mbox, Maildir and .eml archives: recognised, split byte for byte, identified by Message-ID."""

from __future__ import annotations

import mailbox
from pathlib import Path

import pytest

from collectors.archive import HEAD_BYTES, detect, iter_files
from collectors.archive.email import (
    READERS,
    looks_like_message,
    message_external_id,
    split_mbox,
)
from collectors.content_types import EMAIL
from collectors.types import fallback_external_id

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "email"


def reader_name(path: Path) -> str | None:
    reader = detect(path, READERS)
    return reader.name if reader else None


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("arsip.mbox", "mbox"),
        ("keluhan_banjir.eml", "rfc822-message"),
        ("Maildir/cur/1736820000.M1P42.mail.example.go.id", "rfc822-message"),
        ("Maildir/new/1736820100.M2P42.mail.example.go.id", "rfc822-message"),
        ("../feeds/laporan_warga.rss", None),
        ("../feeds/laporan.json", None),
    ],
)
def test_fixture_files_are_claimed_by_the_right_reader(relative: str, expected: str | None) -> None:
    assert reader_name(FIXTURES / relative) == expected


@pytest.mark.parametrize(
    "head",
    [
        b'{"From": "budi@example.org", "Subject": "x"}',
        b"<?xml version='1.0'?>\nFrom: x\n",
        b"Catatan: rapat jam 9\nhadir: semua\n",  # header-shaped, but no mail header
        b"Catatan rapat: jam 9\nSubject: bukan surat\n",  # a field name has no spaces
        b"Just some text\nwith lines\n",
        b"  folded: first line cannot be a continuation\nFrom: a@b\n",
        b"",
    ],
)
def test_heads_that_are_not_mail_are_refused(head: bytes) -> None:
    assert not looks_like_message(head)


def test_headers_without_the_blank_line_still_count_as_mail() -> None:
    assert looks_like_message(b"From: a@example.org\nSubject: hai\nbody without a separating blank line\n")


def test_a_head_cut_inside_a_long_header_block_is_still_mail() -> None:
    head = (b"Received: from a by b; Tue, 14 Jan 2025 08:00:00 +0700\n" * 200)[:HEAD_BYTES]
    assert looks_like_message(head)


def test_mbox_split_matches_the_standard_library_byte_for_byte(tmp_path: Path) -> None:
    source = FIXTURES / "arsip.mbox"
    expected = [mailbox.mbox(str(source), create=False).get_bytes(key) for key in sorted(mailbox.mbox(str(source)).keys())]
    assert list(split_mbox(source)) == expected
    assert len(expected) == 3
    assert b"\n>From the gate" in expected[0]  # quoting left as stored


def test_mbox_items_carry_message_ids_origins_and_verbatim_payloads() -> None:
    path = FIXTURES / "arsip.mbox"
    items = list(detect(path, READERS).read(path, "arsip"))
    messages = list(split_mbox(path))
    assert [item.payload for item in items] == messages
    assert [item.origin for item in items] == [f"{path}#{index}" for index in range(3)]
    assert items[0].external_id == "mbox-1@example.net"
    assert items[1].external_id == fallback_external_id(messages[1])  # no Message-ID
    assert items[2].external_id == "mbox-3@example.net"
    assert {item.channel for item in items} == {"email"}
    assert {item.content_type for item in items} == {EMAIL}
    assert {item.source for item in items} == {"arsip"}


def test_mbox_with_crlf_and_no_trailing_newline_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "windows.mbox"
    path.write_bytes(b"From a Tue\r\nSubject: satu\r\n\r\nisi\r\n\r\nFrom b Tue\r\nSubject: dua\r\n\r\nakhir")
    box = mailbox.mbox(str(path), create=False)
    assert list(split_mbox(path)) == [box.get_bytes(key) for key in sorted(box.keys())]


def test_maildir_folder_yields_one_item_per_message_file() -> None:
    items = [
        item
        for path in iter_files([FIXTURES / "Maildir"])
        for item in detect(path, READERS).read(path, "maildir")
    ]
    assert sorted(item.external_id for item in items) == ["maildir-cur-1@example.org", "maildir-new-1@example.org"]
    for item in items:
        assert item.payload == Path(item.origin).read_bytes()


def test_eml_payload_is_the_file_verbatim_and_the_id_is_cleaned() -> None:
    path = FIXTURES / "keluhan_banjir.eml"
    [item] = list(detect(path, READERS).read(path, "eml"))
    assert item.payload == path.read_bytes()
    assert item.external_id == "20250114081530.4421@example.net"  # brackets and spaces removed
    assert item.origin == str(path)
    assert item.fetched_at.tzinfo is not None


def test_message_id_falls_back_to_a_stable_hash() -> None:
    message = b"From: a@example.org\nSubject: tanpa id\n\nisi\n"
    assert message_external_id(message) == fallback_external_id(message)
    assert message_external_id(b"Message-ID:   \n\nx") == fallback_external_id(b"Message-ID:   \n\nx")
    assert message_external_id(b"Message-ID: <a@b>\n\nx") == "a@b"

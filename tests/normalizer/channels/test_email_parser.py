"""E-mail messages to Mentions: decoded headers, the new text only, bounces and auto-replies flagged."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from collectors.archive import detect
from collectors.archive.email import READERS
from collectors.content_types import EMAIL
from collectors.types import RawItem
from normalizer.channels import parse
from normalizer.channels.email import PARSERS, parse_email, strip_reply_tail
from normalizer.types import NormalizeError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "email"
FETCHED_AT = datetime(2025, 2, 1, 12, 0, tzinfo=UTC)


def mention_of(name: str):
    path = FIXTURES / name
    [item] = list(detect(path, READERS).read(path, "surel"))
    return parse(item, PARSERS)


def raw_message(payload: bytes) -> RawItem:
    return RawItem(
        channel="email", source="surel", external_id="x@example.org", payload=payload,
        content_type=EMAIL, fetched_at=FETCHED_AT, origin="test",
    )


def test_indonesian_complaint_with_encoded_headers() -> None:
    mention = mention_of("keluhan_banjir.eml")
    subject = "Banjir 50 cm di Jl. Kemang Raya — mohon segera ditangani"  # RFC 2047 B, UTF-8
    assert mention.title == subject
    assert mention.text.startswith(subject + "\n\n")
    assert mention.author.name == "Andrés Wijaya"  # RFC 2047 Q, iso-8859-1
    assert mention.author.id == "andres.wijaya@example.net"
    assert mention.author.handle == "Andres.Wijaya@example.net"
    assert mention.created_at == datetime(2025, 1, 14, 1, 15, 30, tzinfo=UTC)  # +0700 to UTC
    assert mention.channel == "email" and mention.source == "surel"
    assert mention.external_id == "20250114081530.4421@example.net"
    assert mention.reply_to == "balasan-1736810000@example.go.id"
    assert mention.media == ("genangan.jpg",)
    assert mention.flags == frozenset()


def test_plain_part_is_preferred_and_quotes_and_signature_are_cut() -> None:
    text = mention_of("keluhan_banjir.eml").text
    assert "Jl. Kemang Raya, RT 03/RW 08" in text  # quoted-printable soft breaks joined
    assert "versi HTML" not in text  # the plain alternative was taken
    assert "Nomor tiket" not in text and "menulis" not in text  # quoted reply removed
    assert "Warga Bangka" not in text  # signature removed


def test_entities_are_found_in_the_text() -> None:
    mention = mention_of("keluhan_banjir.eml")
    assert mention.hashtags == ("banjirjakarta",)
    assert mention.mentions == ("BPBDJakarta",)
    assert mention.urls == ("https://example.org/laporan/4421",)


def test_auto_reply_is_flagged() -> None:
    mention = mention_of("balasan_otomatis.eml")
    assert "auto_reply" in mention.flags
    assert "bounce" not in mention.flags


def test_delivery_report_is_a_bounce_with_the_human_part_as_text() -> None:
    mention = mention_of("surat_gagal_terkirim.eml")
    assert "bounce" in mention.flags
    assert "could not be delivered" in mention.text
    assert "Final-Recipient" not in mention.text  # the machine-readable part is not prose


def test_forwarded_html_message_gives_its_visible_text_and_received_time() -> None:
    mention = mention_of("terusan_html.eml")
    assert mention.title == "Lampu jalan mati – Kel. Cilandak Barat"
    assert "Saya teruskan laporan tetangga saya" in mention.text
    assert "mati sudah seminggu & gelap sekali." in mention.text
    for hidden in ("alert", "color:red", "judul", "javascript:"):
        assert hidden not in mention.text
    # No Date header: the first (nearest) Received hop gives the time.
    assert mention.created_at == datetime(2025, 1, 15, 3, 30, tzinfo=UTC)
    assert "date_missing" not in mention.flags
    assert mention.media == ("laporan tetangga.eml",)


def test_message_without_any_date_uses_fetch_time_and_says_so() -> None:
    mention = parse_email(raw_message(b"From: a@example.org\nSubject: Sampah\n\nBelum diangkut.\n"))
    assert mention.created_at == FETCHED_AT
    assert "date_missing" in mention.flags


def test_message_without_subject_or_body_is_refused() -> None:
    with pytest.raises(NormalizeError, match="empty message"):
        parse_email(raw_message(b"From: a@example.org\nTo: b@example.org\n\n\n"))


def test_missing_boundary_still_gives_text_and_records_defects() -> None:
    payload = (
        b"From: a@example.org\nSubject: Rusak\nContent-Type: multipart/mixed; boundary=ADA\n\n"
        b"--TIDAK\nContent-Type: text/plain\n\nJalan rusak parah.\n--TIDAK--\n"
    )
    mention = parse_email(raw_message(payload))
    assert "Jalan rusak parah." in mention.text
    assert "mime_defects" in mention.flags


def test_raw_utf8_header_bytes_are_read_as_utf8() -> None:
    payload = "From: Dédé <d@example.org>\nSubject: Got mampet — tolong\n\nisi\n".encode()
    mention = parse_email(raw_message(payload))
    assert mention.title == "Got mampet — tolong"
    assert mention.author.name == "Dédé"


@pytest.mark.parametrize(
    ("subject", "headers", "flag"),
    [
        ("Automatic reply: Laporan", "", "auto_reply"),
        ("Out of Office", "", "auto_reply"),
        ("Laporan banjir", "Precedence: bulk\n", "auto_reply"),
        ("Laporan banjir", "X-Autoreply: yes\n", "auto_reply"),
        ("Laporan banjir", "Auto-Submitted: auto-generated\n", "auto_reply"),
        ("Delivery Status Notification (Failure)", "", "bounce"),
    ],
)
def test_flag_signals(subject: str, headers: str, flag: str) -> None:
    payload = f"From: a@example.org\nSubject: {subject}\n{headers}\nisi\n".encode()
    assert flag in parse_email(raw_message(payload)).flags


def test_auto_submitted_no_is_a_person() -> None:
    payload = b"From: a@example.org\nSubject: Banjir\nAuto-Submitted: no\n\nisi\n"
    assert parse_email(raw_message(payload)).flags == {"date_missing"}


def test_postmaster_sender_is_a_bounce() -> None:
    payload = b"From: postmaster@example.org\nSubject: Pemberitahuan\n\nisi\n"
    assert "bounce" in parse_email(raw_message(payload)).flags


def test_reply_tail_variants() -> None:
    text = "Masih banjir.\n\nOn Mon, 13 Jan 2025 at 20:00, Pengaduan <p@example.go.id> wrote:\n> lama\n"
    assert strip_reply_tail(text).strip() == "Masih banjir."
    outlook = "Sudah surut.\n-----Original Message-----\nFrom: p@example.go.id\n"
    assert strip_reply_tail(outlook).strip() == "Sudah surut."
    inline = "> pertanyaan\njawaban saya\n> lagi\njawaban kedua"
    assert strip_reply_tail(inline) == "jawaban saya\njawaban kedua"

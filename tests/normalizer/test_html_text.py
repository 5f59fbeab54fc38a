"""HTML to plain text: what a reader sees, never markup or code."""

from __future__ import annotations

import pytest

from normalizer.html_text import clean_plain_text, html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("Ban<b>jir</b> di Kemang", "Banjir di Kemang"),
        ("<p>satu</p><p>dua</p>", "satu\n\ndua"),
        ("baris<br>baru<br><br>paragraf", "baris\nbaru\n\nparagraf"),
        ("<ul>\n <li>a</li>\n <li>b</li>\n</ul>sesudah", "a\nb\n\nsesudah"),
        ("<table><tr><td>RT</td><td>03</td></tr><tr><td>RW</td><td>08</td></tr></table>", "RT 03\nRW 08"),
        ("A &amp; B &lt;tag&gt; &nbsp; &mdash; &#233;", "A & B <tag> — é"),
        ("teks   biasa\n\n\n\n tanpa  markup", "teks biasa tanpa markup"),
        ("", ""),
    ],
)
def test_visible_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert('x')</script>aman",
        "<style>p{color:red}</style>aman",
        "<head><title>judul</title></head><body>aman</body>",
        "<iframe src='x'>bingkai</iframe>aman",
        "<svg><text>gambar</text></svg>aman",
        "<!-- komentar -->aman",
        "<a href='javascript:alert(1)' onclick='x()'>aman</a>",
    ],
)
def test_invisible_content_and_attributes_are_dropped(html: str) -> None:
    assert html_to_text(html) == "aman"


def test_unclosed_and_deeply_nested_markup() -> None:
    assert html_to_text("<div><p>tidak <b>ditutup") == "tidak ditutup"
    assert html_to_text("<span>" * 50_000 + "dalam") == "dalam"


def test_clean_plain_text_keeps_paragraphs_and_folds_the_rest() -> None:
    assert clean_plain_text("  a \t b \r\n\r\n\r\n\r\n c  ") == "a b\n\nc"
    assert clean_plain_text(None) == ""

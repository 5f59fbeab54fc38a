"""Outside text and HTML rendered inert: checked on every sanitizer case of the feedparser suite
(the raw, unsanitized HTML of each case) and on hostile tweet and e-mail texts."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from selectolax.lexbor import LexborHTMLParser

from dengar.console.inert import LINK_REL, inert, inert_html, inert_text

ALLOWED_ATTRIBUTES = {"href", "title", "rel", "target", "class", "alt", "colspan", "rowspan", "lang"}
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "button", "svg", "math", "img",
                  "link", "meta", "base", "frame", "frameset", "video", "audio", "source", "textarea", "select"}
HOSTILE_TEXTS = [
    '<script>window.__xss = 1</script> banjir di Kemang',
    '"><img src=x onerror="window.__xss=1"> jalan rusak',
    "javascript:window.__xss=1",
    "lihat https://example.org/a\"onmouseover=\"window.__xss=1 ya",
    "<svg/onload=window.__xss=1>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


def assert_inert(markup: str) -> None:
    tree = LexborHTMLParser(f"<div id='root'>{markup}</div>")
    root = tree.css_first("#root")
    for position, node in enumerate(root.traverse(include_text=False)):
        if position == 0:
            continue  # the wrapper itself
        assert node.tag not in FORBIDDEN_TAGS, markup
        for name, value in node.attributes.items():
            assert name in ALLOWED_ATTRIBUTES, (name, markup)
            assert not name.startswith("on")
        if node.tag == "a" and "href" in node.attributes:
            assert node.attributes["href"].lower().startswith(("http://", "https://", "mailto:")), markup
            assert node.attributes.get("rel") == LINK_REL, markup


def sanitize_cases(shared_dir: Path) -> list[Path]:
    cases = sorted((shared_dir / "corpora" / "feedparser-tests" / "wellformed" / "sanitize").glob("*.xml"))
    if not cases:
        pytest.skip("feedparser sanitize cases not in the shared corpora")
    return cases


def raw_html_of(path: Path) -> list[str]:
    parsed = feedparser.parse(path.read_bytes(), sanitize_html=False, resolve_relative_uris=False)
    pieces = []
    for entry in parsed.entries:
        for content in entry.get("content", []):
            pieces.append(content.get("value", ""))
        for key in ("summary", "title"):
            if entry.get(key):
                pieces.append(entry[key])
    for key in ("title", "subtitle", "info", "rights"):
        if parsed.feed.get(key):
            pieces.append(parsed.feed[key])
    return pieces


def test_every_feedparser_sanitizer_case_is_inert_as_html_and_as_text(shared_dir):
    checked = 0
    for path in sanitize_cases(shared_dir):
        for html in raw_html_of(path):
            assert_inert(str(inert_html(html)))
            assert_inert(str(inert_text(html)))
            checked += 1
    assert checked > 700


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_message_text_is_escaped(text):
    rendered = str(inert(text))
    assert_inert(rendered)
    assert "<script" not in rendered and "<img" not in rendered and "<svg" not in rendered


def test_text_keeps_line_breaks_and_links_web_addresses_inertly():
    rendered = str(inert_text("Banjir di Jl. Kemang\nfoto: https://example.org/foto.jpg."))
    assert "<br>" in rendered
    assert f'<a href="https://example.org/foto.jpg" rel="{LINK_REL}" target="_blank">' in rendered
    assert rendered.endswith("</a>.")


def test_a_remote_image_becomes_a_link_the_operator_may_follow():
    rendered = str(inert_html('<p>lihat <img src="https://cdn.example.org/banjir.jpg" alt="genangan"></p>'))
    assert "<img" not in rendered
    assert 'href="https://cdn.example.org/banjir.jpg"' in rendered and "genangan" in rendered
    assert 'class="remote-image"' in rendered


def test_none_and_huge_values_do_not_break_rendering():
    assert str(inert(None)) == ""
    assert len(str(inert("a" * 1_000_000))) <= 200_000

"""Showing what came from outside (tweets, captions, e-mails, feed HTML) so that nothing in it acts.

Text is escaped; HTML goes through nh3 (an allow-list sanitizer); every link gets
rel="noopener noreferrer nofollow" and opens apart; an image becomes a link the operator may follow,
so no remote image is fetched just by opening a page.
"""

from __future__ import annotations

import html
import re

import nh3
from markupsafe import Markup, escape

LINK_REL = "noopener noreferrer nofollow"
MAX_LENGTH = 200_000  # a pathological message is cut, not rendered whole
URL_SCHEMES = {"http", "https", "mailto"}
ALLOWED_TAGS = (set(nh3.ALLOWED_TAGS) | {"img"}) - {"map", "area"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
IMG_TAG = re.compile(r"<img\b((?:[^>\"]|\"[^\"]*\")*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def inert_link(url: str, label: str | None = None, css_class: str = "") -> Markup:
    """A link to an outside address that leaks nothing and opens apart; only http(s) addresses link."""
    if not re.match(r"^https?://", url, re.IGNORECASE):
        return escape(label if label is not None else url)
    class_attribute = Markup(' class="{}"').format(css_class) if css_class else Markup("")
    return Markup('<a href="{}" rel="{}" target="_blank"{}>{}</a>').format(
        url, LINK_REL, class_attribute, label if label is not None else url
    )


def inert_text(value: object) -> Markup:
    """Plain outside text: escaped, its web addresses made into inert links, line breaks kept."""
    text = "" if value is None else str(value)[:MAX_LENGTH]
    pieces: list[Markup] = []
    position = 0
    for match in URL_IN_TEXT.finditer(text):
        pieces.append(escape(text[position:match.start()]))
        url = match.group(0).rstrip(".,;:!?)")
        pieces.append(inert_link(url))
        position = match.start() + len(url)
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces).replace("\n", Markup("<br>"))


def _image_as_link(match: re.Match[str]) -> str:
    attributes = dict(ATTRIBUTE.findall(match.group(1)))
    src = html.unescape(attributes.get("src", ""))
    alt = html.unescape(attributes.get("alt", "")).strip()
    label = "🖼 " + (alt[:80] if alt else "gambar / image")
    return str(inert_link(src, label, css_class="remote-image")) if src else str(escape(label))


def inert_html(value: object) -> Markup:
    """Outside HTML: sanitized by allow-list; images replaced by links; links made inert."""
    text = "" if value is None else str(value)[:MAX_LENGTH]
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        clean_content_tags={"script", "style"},
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )
    return Markup(IMG_TAG.sub(_image_as_link, cleaned))


def inert(value: object, kind: str = "text") -> Markup:
    """The Jinja filter: ``{{ message.text | inert }}`` or ``{{ body_html | inert("html") }}``."""
    return inert_html(value) if kind == "html" else inert_text(value)

"""HTML to plain text for people: what a browser would show, without any markup.

E-mail bodies and feed entries arrive as HTML written by anyone; the rest of the pipeline (and
the console) wants readable text. Lexbor (through selectolax) parses HTML the way browsers do,
so broken markup, entities and stray ``<`` come out as a browser would render them. Content of
elements a reader never sees (script, style, head, embedded objects) is dropped, block
elements become line breaks, and inline elements join without spaces ("ban<b>jir</b>" is
"banjir").
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Elements whose text a reader never sees, or that only carry code or embedded documents.
INVISIBLE_TAGS = frozenset(
    {
        "head", "title", "meta", "link", "base", "script", "style", "template",
        "iframe", "frame", "frameset", "object", "embed", "applet", "param", "svg", "math",
        "canvas", "audio", "video", "source", "track", "select", "datalist", "button", "input",
        "textarea", "xmp", "plaintext", "noembed", "noframes",
    }
)
# Elements that start a new paragraph, and elements that only start a new line.
PARAGRAPH_TAGS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl", "table",
        "address", "article", "aside", "section", "header", "footer", "figure", "form",
        "fieldset", "hr", "main", "nav", "details", "center",
    }
)
LINE_TAGS = frozenset({"div", "li", "dt", "dd", "tr", "caption", "figcaption", "summary", "option", "legend"})
CELL_TAGS = frozenset({"td", "th"})

_PARAGRAPH = "\n\n"
_LINE = "\n"
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but a newline (tabs, nbsp, ...)
_ANY_WHITESPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")
_MARKUP_HINT = re.compile(r"[<&]")


def html_to_text(html: str | None) -> str:
    """The visible text of an HTML fragment or document, whitespace folded, entities decoded."""
    if not html:
        return ""
    if not _MARKUP_HINT.search(html):
        return clean_plain_text(_ANY_WHITESPACE.sub(" ", html))
    tree = LexborHTMLParser(html)
    pieces: list[str] = []
    # Iterative walk with explicit enter/leave events: deep nesting in hostile HTML must not
    # exhaust the Python stack.
    stack: list[tuple[LexborNode, bool]] = [(tree.root, False)] if tree.root is not None else []
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            _add_break(pieces, _break_after(tag))
            continue
        if tag == "-text":
            text = _ANY_WHITESPACE.sub(" ", node.text_content or "")
            if text.strip() or (pieces and not _is_break(pieces[-1])):
                pieces.append(text)
            continue
        if tag is None or tag.startswith("-") or tag in INVISIBLE_TAGS:  # comments, doctype
            continue
        if tag == "br":
            pieces.append(_LINE)  # consecutive <br> are deliberate blank lines
            continue
        _add_break(pieces, _break_after(tag))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    return clean_plain_text("".join(pieces))


def clean_plain_text(text: str | None) -> str:
    """Plain text in the form every parser hands on: lines trimmed, runs of spaces and blank lines folded."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _is_break(piece: str) -> bool:
    return piece in (_LINE, _PARAGRAPH)


def _add_break(pieces: list[str], separator: str) -> None:
    """Adjacent block boundaries give one break, the strongest of them, not one per element."""
    if not separator:
        return
    if pieces and _is_break(pieces[-1]) and separator != " ":
        if len(separator) > len(pieces[-1]):
            pieces[-1] = separator
        return
    pieces.append(separator)


def _break_after(tag: str) -> str:
    if tag in PARAGRAPH_TAGS:
        return _PARAGRAPH
    if tag in LINE_TAGS:
        return _LINE
    if tag in CELL_TAGS:
        return " "
    return ""

"""Every tweet in tweepy's recorded X API responses goes through detect, read and parse:
each becomes a Mention or is quarantined with a reason, none is lost and nothing crashes."""

from __future__ import annotations

import base64
import gzip
import re
from pathlib import Path

import orjson
import pytest

from collectors.archive import all_readers, detect
from collectors.content_types import TWEET
from normalizer.channels import all_parsers, parse
from normalizer.types import Mention, NormalizeError

YAML_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
HEX_ESCAPE_LENGTHS = {"x": 2, "u": 4, "U": 8}
STRING_KEY = re.compile(r"^(?P<indent> *)string: (?P<rest>.*)$")


def _fold(text: str, start: int, out: list[str]) -> int:
    """YAML line folding inside a flow scalar: a line break is one space, n empty lines are n
    newlines, and the next line's indentation is dropped."""
    while out and out[-1] in " \t":
        out.pop()
    breaks = 0
    position = start
    while position < len(text) and text[position] in " \t\n":
        breaks += text[position] == "\n"
        position += 1
    out.append("\n" * (breaks - 1) if breaks > 1 else " ")
    return position


def yaml_double_quoted(text: str) -> str:
    """The value of a double-quoted YAML scalar; ``text`` starts after the opening quote."""
    out: list[str] = []
    position = 0
    while True:
        char = text[position]
        if char == '"':
            return "".join(out)
        if char == "\\":
            escape = text[position + 1]
            if escape == "\n":  # escaped line break: join, drop the next line's indentation
                position += 2
                while text[position] in " \t":
                    position += 1
                continue
            if escape in HEX_ESCAPE_LENGTHS:
                length = HEX_ESCAPE_LENGTHS[escape]
                out.append(chr(int(text[position + 2 : position + 2 + length], 16)))
                position += 2 + length
                continue
            out.append(YAML_ESCAPES[escape])
            position += 2
            continue
        if char == "\n":
            position = _fold(text, position, out)
            continue
        out.append(char)
        position += 1


def yaml_single_quoted(text: str) -> str:
    out: list[str] = []
    position = 0
    while True:
        char = text[position]
        if char == "'":
            if text[position + 1 : position + 2] == "'":
                out.append("'")
                position += 2
                continue
            return "".join(out)
        if char == "\n":
            position = _fold(text, position, out)
            continue
        out.append(char)
        position += 1


def response_bodies(cassette: Path) -> list[bytes]:
    """The ``string:`` bodies of a vcrpy cassette, decoded (base64 ``!!binary``, gzip)."""
    text = cassette.read_text()
    try:
        import yaml
    except ImportError:
        yaml = None
    if yaml is not None:
        document = yaml.safe_load(text) if "!!python" not in text else None
        if document is not None:
            raw_bodies = [interaction["response"]["body"]["string"] for interaction in document["interactions"]]
            return [_decoded(body.encode() if isinstance(body, str) else body) for body in raw_bodies]
    bodies = []
    lines = text.split("\n")
    for number, line in enumerate(lines):
        match = STRING_KEY.match(line)
        if not match:
            continue
        rest = match["rest"]
        following = "\n".join([rest, *lines[number + 1 :]])
        if rest.startswith("!!binary"):
            indent = len(match["indent"])
            block = []
            for continuation in lines[number + 1 :]:
                if continuation.strip() and len(continuation) - len(continuation.lstrip()) <= indent:
                    break
                block.append(continuation.strip())
            bodies.append(_decoded(base64.b64decode("".join(block))))
        elif rest.startswith('"'):
            bodies.append(_decoded(yaml_double_quoted(following[1:]).encode()))
        elif rest.startswith("'"):
            bodies.append(_decoded(yaml_single_quoted(following[1:]).encode()))
    return bodies


def _decoded(body: bytes) -> bytes:
    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body


def test_manual_yaml_scalars() -> None:
    assert yaml_double_quoted('a\\\n   b\\u2019 c\n   d\\"e" tail') == "ab\u2019 c d\"e"
    assert yaml_single_quoted("it''s\n    folded' x") == "it's folded"


def tweets_in(body: bytes) -> int:
    data = orjson.loads(body).get("data")
    entries = data if isinstance(data, list) else [data]
    return sum(1 for entry in entries if isinstance(entry, dict) and "text" in entry)


def test_every_recorded_tweet_is_ingested_or_quarantined(shared_dir: Path, tmp_path: Path) -> None:
    cassettes = sorted((shared_dir / "corpora" / "tweepy-cassettes").glob("*.yaml"))
    if not cassettes:
        pytest.skip("no tweepy cassettes in the shared corpora")
    readers = all_readers()
    parsers = all_parsers()
    totals = {"in": 0, "ingested": 0, "quarantined": 0}
    for cassette in cassettes:
        for number, body in enumerate(response_bodies(cassette)):
            orjson.loads(body)  # every recorded body is JSON once decoded
            path = tmp_path / f"{cassette.stem}-{number}.json"
            path.write_bytes(body)
            expected = tweets_in(body)
            reader = detect(path, readers)
            if expected == 0:  # user lookups: nothing to ingest, and nothing may crash
                for raw in reader.read(path, "import") if reader is not None else ():
                    with pytest.raises(NormalizeError):
                        parse(raw, parsers)
                continue
            assert reader is not None and reader.channel == "twitter", cassette.name
            ingested = quarantined = 0
            items = list(reader.read(path, "import"))
            for raw in items:
                assert raw.content_type == TWEET
                try:
                    mention = parse(raw, parsers)
                except NormalizeError as error:
                    assert str(error)
                    quarantined += 1
                else:
                    assert isinstance(mention, Mention) and mention.external_id == raw.external_id
                    assert mention.text and mention.created_at.tzinfo is not None
                    ingested += 1
            assert ingested + quarantined == len(items) == expected, cassette.name
            totals["in"] += expected
            totals["ingested"] += ingested
            totals["quarantined"] += quarantined
    print(f"tweepy cassettes: {totals}")
    assert totals["in"] > 0
    # these pages carry id and text only: the time comes from the id, so none is quarantined
    assert totals["quarantined"] == 0

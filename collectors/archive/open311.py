"""Open311 GeoReport v2 archives: ``requests.json`` (an array) and ``requests.xml``.

Each service request becomes one RawItem whose payload is the request as a JSON object; XML
requests are turned into a dict of their child elements (text values, nested elements as
dicts). XML with a DOCTYPE is refused: GeoReport never needs one, and entity declarations are
the way to make a parser expand or fetch what it should not.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from collectors.archive.json_sniff import has_key, looks_like_json_feed, significant_head, starts_like_json
from collectors.content_types import OPEN311_REQUEST, UNREADABLE
from collectors.types import RawItem, fallback_external_id

CHANNEL = "open311"
ID_FIELD = "service_request_id"
XML_ROOT = re.compile(rb"<(?:[\w.-]+:)?service_requests[\s>/]")
XML_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
PROLOG_BYTES = 1024 * 1024


def request_items(
    requests: Any, source: str, origin: str, fetched_at: datetime, first_number: int = 1
) -> Iterator[RawItem]:
    """RawItems for a decoded GeoReport ``requests`` array; shared with the live collector."""
    for number, request in enumerate(requests, start=first_number):
        item_origin = f"{origin}#item={number}"
        payload = orjson.dumps(request)
        if not isinstance(request, dict):
            yield RawItem(CHANNEL, source, fallback_external_id(payload), payload, UNREADABLE, fetched_at, item_origin)
            continue
        request_id = request.get(ID_FIELD)
        external_id = str(request_id).strip() if request_id not in (None, "") else ""
        # without an id the request is still stored; its parser quarantines it
        yield RawItem(CHANNEL, source, external_id or fallback_external_id(payload), payload, OPEN311_REQUEST, fetched_at, item_origin)


def requests_in(document: Any) -> list[Any] | None:
    """The request array of a decoded ``requests.json`` (bare, wrapped, or one request), else None."""
    if isinstance(document, dict) and isinstance(document.get("service_requests"), list):
        return document["service_requests"]  # some servers wrap the array
    if isinstance(document, dict) and ID_FIELD in document:
        return [document]
    return document if isinstance(document, list) else None


class Open311JsonReader:
    channel = CHANNEL
    name = "open311-json"

    def sniff(self, path: Path, head: bytes) -> bool:
        return starts_like_json(head) and has_key(head, ID_FIELD) and not looks_like_json_feed(head)

    def read(self, path: Path, source: str) -> Iterator[RawItem]:
        now = datetime.now(UTC)
        raw_bytes = path.read_bytes()
        try:
            document = orjson.loads(significant_head(raw_bytes))
        except orjson.JSONDecodeError:
            document = None
        requests = requests_in(document)
        if requests is None:
            yield RawItem(CHANNEL, source, fallback_external_id(raw_bytes), raw_bytes, UNREADABLE, now, str(path))
            return
        yield from request_items(requests, source, str(path), now)


def element_dict(element: ElementTree.Element) -> dict[str, Any]:
    """Child elements as a dict: leaf text (None when empty), nested elements as dicts,
    repeated tags as lists."""
    fields: dict[str, Any] = {}
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        value: Any = element_dict(child) if len(child) else ((child.text or "").strip() or None)
        if tag in fields:
            existing = fields[tag]
            fields[tag] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            fields[tag] = value
    return fields


class Open311XmlReader:
    channel = CHANNEL
    name = "open311-xml"

    def sniff(self, path: Path, head: bytes) -> bool:
        return significant_head(head).startswith(b"<") and XML_ROOT.search(head) is not None

    def read(self, path: Path, source: str) -> Iterator[RawItem]:
        now = datetime.now(UTC)
        origin = str(path)
        with open(path, "rb") as document:
            prolog = document.read(PROLOG_BYTES)
        root_at = XML_ROOT.search(prolog)
        if root_at is None or XML_DECLARATIONS.search(prolog, 0, root_at.start()):
            raw_bytes = path.read_bytes()
            yield RawItem(CHANNEL, source, fallback_external_id(raw_bytes), raw_bytes, UNREADABLE, now, origin + "#refused=doctype")
            return
        requests: list[dict[str, Any]] = []
        done = 0  # requests already yielded, so item numbers run on across batches
        depth = 0
        try:
            for event, element in ElementTree.iterparse(path, events=("start", "end")):
                if event == "start":
                    depth += 1
                    continue
                depth -= 1
                if depth == 1 and element.tag.rsplit("}", 1)[-1] == "request":
                    requests.append(element_dict(element))
                    element.clear()
                    if len(requests) >= 1000:
                        yield from request_items(requests, source, origin, now, done + 1)
                        done += len(requests)
                        requests = []
        except ElementTree.ParseError as error:
            # what parsed before the damage is kept; the whole file is kept too, for the rest
            yield from request_items(requests, source, origin, now, done + 1)
            raw_bytes = path.read_bytes()
            yield RawItem(CHANNEL, source, fallback_external_id(raw_bytes), raw_bytes, UNREADABLE, now, f"{origin}#xml-error={error}")
            return
        yield from request_items(requests, source, origin, now, done + 1)


READERS = [Open311JsonReader(), Open311XmlReader()]

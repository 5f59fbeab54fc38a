"""Qlue-style city reports as Mentions, read through a ``QlueMapping``.

``make_parser(mapping)`` gives a parser for a feed with its own field names; ``PARSERS`` reads
Qlue's default names. Report times without a zone are local time in ``mapping.timezone``.
"""

from __future__ import annotations

from typing import Any

import orjson

from collectors.archive.qlue import DEFAULT_MAPPING, QlueMapping
from collectors.content_types import QLUE_REPORT
from collectors.types import RawItem
from normalizer.channels import Parser
from normalizer.channels.geopoint import geo_point
from normalizer.channels.message_text import clean_text, hashtags_in, mentions_in, unique, urls_in
from normalizer.channels.timeparse import named_zone, parse_timestamp
from normalizer.types import Author, Mention, NormalizeError

CHANNEL = "qlue"
IMAGE_URL_KEYS = ("url", "image", "src", "image_url", "path")


def make_parser(mapping: QlueMapping = DEFAULT_MAPPING) -> Parser:
    zone = named_zone(mapping.timezone)

    def parse_report(raw: RawItem) -> Mention:
        try:
            report = orjson.loads(raw.payload)
        except orjson.JSONDecodeError as exc:
            raise NormalizeError(f"report payload is not JSON: {exc}") from None
        if not isinstance(report, dict):
            raise NormalizeError("report payload is not a JSON object")
        report_id = _text(mapping.value(report, mapping.id_field))
        if not report_id:
            raise NormalizeError(f'report has no id (field "{mapping.id_field}")')
        try:
            created_at = parse_timestamp(mapping.value(report, mapping.date_field), naive_zone=zone)
        except ValueError as exc:
            raise NormalizeError(f'report {report_id}: invalid "{mapping.date_field}": {exc}') from None
        title = clean_text(_text(mapping.value(report, mapping.title_field))) or None
        text = clean_text(_text(mapping.value(report, mapping.text_field))) or title or ""
        if not text:
            raise NormalizeError(f'report {report_id} has no text ("{mapping.text_field}" and "{mapping.title_field}" empty)')
        author_name = clean_text(_text(mapping.value(report, mapping.author_field))) or None
        permalink = _text(mapping.value(report, mapping.permalink_field))
        return Mention(
            channel=CHANNEL,
            external_id=report_id,
            source=raw.source,
            created_at=created_at,
            text=text,
            author=Author(id=author_name, name=author_name),
            permalink=permalink if permalink.lower().startswith(("https://", "http://")) else None,
            title=title,
            hashtags=hashtags_in(text),
            mentions=mentions_in(text),
            urls=urls_in(text),
            media=image_urls(mapping.value(report, mapping.images_field)),
            geo=geo_point(mapping.value(report, mapping.lat_field), mapping.value(report, mapping.lng_field)),
        )

    return parse_report


def image_urls(value: Any) -> tuple[str, ...]:
    """Image links from a list of URLs, a list of image objects, or one comma-separated string."""
    if isinstance(value, str):
        candidates: list[Any] = [part.strip() for part in value.split(",")]
    elif isinstance(value, list):
        candidates = value
    elif isinstance(value, dict):
        candidates = [value]
    else:
        return ()
    urls = []
    for candidate in candidates:
        if isinstance(candidate, dict):
            candidate = next((candidate[key] for key in IMAGE_URL_KEYS if isinstance(candidate.get(key), str)), "")
        if isinstance(candidate, str) and candidate.strip().lower().startswith(("https://", "http://")):
            urls.append(candidate.strip())
    return unique(urls)


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return value.strip() if isinstance(value, str) else str(value)


PARSERS = {QLUE_REPORT: make_parser(DEFAULT_MAPPING)}

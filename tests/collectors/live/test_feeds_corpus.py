"""feedparser's own test corpus served over HTTP and collected: the robustness bar for the feed collector.

Every file (well-formed, ill-formed, encodings, entities, sanitizer cases, JSON) is served by one
local feed server with a plausible Content-Type (the test's own ``Header: Content-type`` where it
names one). Each must give items or one UNREADABLE item, never an exception; a document giving
nothing must be one feedparser reads cleanly as a feed without entries. Every item parses or is
refused with a NormalizeError, which the pipeline turns into a quarantined item with its reason.
"""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path
from typing import Any

import feedparser
import pytest

from collectors.content_types import UNREADABLE
from collectors.live import build_collector
from dengar.standins.feeds import FeedServerState, content_type_for, create_app
from normalizer.channels import all_parsers, parse
from normalizer.types import NormalizeError

HEADER_CONTENT_TYPE = re.compile(rb"^Header:\s*Content-type:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
CONCURRENT_FETCHES = 16


def plausible_content_type(path: Path, body: bytes) -> str:
    named = HEADER_CONTENT_TYPE.search(body[:4096])
    if named:
        return named.group(1).decode("latin-1")
    if path.suffix.lower() in (".xml", ".json", ".atom", ".rss", ".rdf"):
        return content_type_for(path.name, body)
    return "text/plain; charset=utf-8"


@pytest.fixture
def corpus(shared_dir: Path) -> list[Path]:
    root = shared_dir / "corpora" / "feedparser-tests"
    if not root.is_dir():
        pytest.skip("feedparser test corpus not present")
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


async def test_every_corpus_file_is_collected_without_an_exception(corpus: list[Path], aiohttp_server: Any) -> None:
    root = corpus[0].parent
    while root.name != "feedparser-tests":
        root = root.parent
    state = FeedServerState()
    for path in corpus:
        body = path.read_bytes()
        state.publish(path.relative_to(root).as_posix(), body, plausible_content_type(path, body))
    server = await aiohttp_server(create_app(state))
    base = str(server.make_url("")).rstrip("/")
    parsers = all_parsers()
    limit = asyncio.Semaphore(CONCURRENT_FETCHES)
    outcome = {"items": 0, "unreadable": 0, "parsed": 0, "refused": 0, "empty": 0}
    problems: list[str] = []

    async def collect(served_path: str) -> None:
        async with limit:
            collector = build_collector("corpus", "rss", {"url": base + served_path}, {})
            items = []
            try:
                async for batch in collector.collect({}):
                    items.extend(batch.items)
            except Exception as exc:  # noqa: BLE001 — any escape is the failure this test looks for
                problems.append(f"{served_path}: {type(exc).__name__}: {exc}")
                return
            finally:
                await collector.aclose()
        if not items:
            document = state.documents[served_path]
            result = feedparser.parse(io.BytesIO(document.body), response_headers={
                "content-type": document.content_type, "content-location": base + served_path})
            if result.entries or result.get("bozo"):
                problems.append(f"{served_path}: no item, yet feedparser finds {len(result.entries)} entries "
                                f"(bozo={result.get('bozo')})")
            outcome["empty"] += 1
        for item in items:
            outcome["items"] += 1
            outcome["unreadable"] += item.content_type == UNREADABLE
            try:
                parse(item, parsers)
            except NormalizeError as error:
                assert str(error), f"{served_path}: a refusal without a reason"
                outcome["refused"] += 1
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{served_path}: parse raised {type(exc).__name__}: {exc}")
            else:
                outcome["parsed"] += 1

    await asyncio.gather(*(collect(path) for path in sorted(state.documents)))
    assert problems == []
    assert outcome["items"] == outcome["parsed"] + outcome["refused"]
    # the corpus holds real entries, documents nothing can read, and feeds without entries
    assert outcome["items"] > 1000 and outcome["parsed"] > 0 and outcome["unreadable"] > 0 and outcome["empty"] > 0

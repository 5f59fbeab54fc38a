"""Every file of third-party feed and e-mail test corpora goes through import and parsing unharmed.

feedparser's own test suite (well-formed, ill-formed, encodings, entities, 745 sanitizer cases)
and CPython's e-mail test messages (digests, bounces, forwards, defects) are hostile input
written by people who know the formats. Each file is either recognised and fully accounted for
(every item it yields is a Mention or a NormalizeError with a reason) or listed here as not
being an archive at all, with the reason.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

import pytest

from collectors.archive import FORMAT_MODULES, all_readers, detect
from collectors.archive import email as email_archive
from collectors.archive import feeds as feed_archive
from collectors.types import RawItem
from normalizer.channels import CHANNEL_MODULES, all_parsers, parse
from normalizer.channels import email as email_channel
from normalizer.channels import feeds as feed_channel
from normalizer.types import Mention, NormalizeError

CORPORA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"

# Files that are not archives of any channel, and why; anything else must be recognised.
NOT_ARCHIVES = {
    "feedparser-tests": {
        "LICENSE": "the licence text of the test suite",
        "illformed/rss_empty_document.xml": "only an XML comment: no feed element at all",
    },
    "cpython-email": {
        "LICENSE.txt": "the licence text of the test data",
        "msg_19.txt": "a digest body saved without any header",
    },
}
EXPECTED_CHANNEL = {"feedparser-tests": "rss", "cpython-email": "email"}


def _all_modules_present(package: str, modules: tuple[str, ...]) -> bool:
    return all(importlib.util.find_spec(f"{package}.{name}") is not None for name in modules)


def readers():
    """Every reader once all channels exist, so the test also proves no other reader claims these files."""
    if _all_modules_present("collectors.archive", FORMAT_MODULES):
        return all_readers()
    return [*email_archive.READERS, *feed_archive.READERS]


def parsers() -> dict[str, Callable[[RawItem], Mention]]:
    if _all_modules_present("normalizer.channels", CHANNEL_MODULES):
        return all_parsers()
    return {**email_channel.PARSERS, **feed_channel.PARSERS}


@dataclass
class CorpusRun:
    files: int = 0
    items: int = 0
    mentions: list[tuple[str, Mention]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    escaped: list[str] = field(default_factory=list)  # exceptions that got out: always a bug
    channels: set[str] = field(default_factory=set)


def run_corpus(root: Path) -> CorpusRun:
    run = CorpusRun()
    reader_list, parser_map = readers(), parsers()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".py"):
        relative = path.relative_to(root).as_posix()
        if "__pycache__" in relative:
            continue
        run.files += 1
        try:
            reader = detect(path, reader_list)
            if reader is None:
                run.unknown.append(relative)
                continue
            run.channels.add(reader.channel)
            for item in reader.read(path, "corpus"):
                run.items += 1
                try:
                    run.mentions.append((relative, parse(item, parser_map)))
                except NormalizeError as error:
                    run.errors.append((relative, str(error)))
        except Exception as error:  # noqa: BLE001 - the point is to see any that escape
            run.escaped.append(f"{relative}: {type(error).__name__}: {error}")
    return run


@functools.cache
def corpus_run(name: str) -> CorpusRun:
    root = CORPORA / name
    if not root.is_dir():
        pytest.skip(f"corpus {name} not found beside the repository")
    return run_corpus(root)


@pytest.fixture(params=sorted(NOT_ARCHIVES))
def corpus(request: pytest.FixtureRequest) -> tuple[str, CorpusRun]:
    return request.param, corpus_run(request.param)


def test_no_exception_escapes(corpus: tuple[str, CorpusRun]) -> None:
    _, run = corpus
    assert run.escaped == []


def test_every_item_is_a_mention_or_an_error_with_a_reason(corpus: tuple[str, CorpusRun]) -> None:
    name, run = corpus
    assert run.items > 0
    assert run.items == len(run.mentions) + len(run.errors)
    assert [file for file, reason in run.errors if not reason.strip()] == []
    assert run.channels == {EXPECTED_CHANNEL[name]}
    for file, mention in run.mentions:
        assert isinstance(mention, Mention), file
        assert mention.text.strip(), file
        assert mention.created_at.tzinfo is not None and mention.created_at.utcoffset() == UTC.utcoffset(None), file
        assert mention.channel == EXPECTED_CHANNEL[name] and mention.external_id, file


def test_only_known_non_archives_are_left_unrecognised(corpus: tuple[str, CorpusRun]) -> None:
    name, run = corpus
    assert sorted(run.unknown) == sorted(NOT_ARCHIVES[name]), "unexpected unknown-format files"
    assert len(run.unknown) * 10 <= run.files  # a small minority


def test_sanitizer_cases_leave_no_markup_or_script_links() -> None:
    run = corpus_run("feedparser-tests")
    sanitize = [mention for file, mention in run.mentions if file.startswith("wellformed/sanitize/")]
    assert sanitize, "no sanitizer case gave a mention; the check below would prove nothing"
    for _file, mention in run.mentions:
        lowered = mention.text.lower()
        assert "<script" not in lowered and "javascript:" not in lowered, _file
        assert mention.permalink is None or mention.permalink.startswith(("http://", "https://")), _file


def test_flags_come_from_the_corpus_messages_that_carry_them() -> None:
    run = corpus_run("cpython-email")
    flagged = {flag for _file, mention in run.mentions for flag in mention.flags}
    # The corpus holds delivery reports, bulk mail, defective MIME and undated messages.
    assert {"bounce", "auto_reply", "mime_defects", "date_missing"} <= flagged

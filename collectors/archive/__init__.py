"""Archive import: recognise a channel's native archive file and split it into RawItems.

Each format module exposes ``READERS``: objects with ``channel``, ``name``,
``sniff(path, head) -> bool`` and ``read(path, source) -> Iterator[RawItem]``.
``read`` never raises for bad content inside a recognised file: a part it cannot split is
yielded as a RawItem with content type ``UNREADABLE`` so it is stored and quarantined, not lost.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from collectors.types import RawItem

FORMAT_MODULES = ("twitter", "instagram", "email", "feeds", "open311", "qlue")
HEAD_BYTES = 4096


class ArchiveReader(Protocol):
    channel: str
    name: str

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path, source: str) -> Iterator[RawItem]: ...


def all_readers() -> list[ArchiveReader]:
    readers: list[ArchiveReader] = []
    for module_name in FORMAT_MODULES:
        module = importlib.import_module(f"collectors.archive.{module_name}")
        readers.extend(module.READERS)
    return readers


def detect(path: Path, readers: Iterable[ArchiveReader], channel: str | None = None) -> ArchiveReader | None:
    """The first reader that recognises the file (restricted to ``channel`` when forced)."""
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    for reader in readers:
        if channel is not None and reader.channel != channel:
            continue
        if reader.sniff(path, head):
            return reader
    return None


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named and files under folders named, recursively, in a stable order; hidden ones skipped."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path

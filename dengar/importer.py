"""`dengar import`: walk files and folders, recognise each archive, and feed its items to the pipeline."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from collectors.archive import ArchiveReader, all_readers, detect, iter_files
from collectors.types import RawItem

log = logging.getLogger(__name__)


@dataclass
class FileReport:
    """What the import made of each file: its format, how many items, or why it was skipped."""

    recognised: list[tuple[Path, str, int]] = field(default_factory=list)  # path, format, items
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # path, reason
    failed: list[tuple[Path, str, int]] = field(default_factory=list)  # path, error, items read before it

    @property
    def anything_read(self) -> bool:
        return any(count for _, _, count in self.recognised) or any(count for _, _, count in self.failed)


def archive_items(paths: Iterable[Path], source: str, report: FileReport, channel: str | None = None,
                  readers: list[ArchiveReader] | None = None,
                  on_file_done: Callable[[Path], None] | None = None) -> Iterator[RawItem]:
    """Every item of every recognised file; a file that breaks mid-way is reported, not fatal."""
    readers = readers if readers is not None else all_readers()
    for path in iter_files(paths):
        try:
            reader = detect(path, readers, channel)
        except OSError as exc:
            report.skipped.append((path, f"cannot be read: {exc.strerror or exc}"))
            continue
        if reader is None:
            wanted = f"a {channel} archive" if channel else "any known archive format"
            report.skipped.append((path, f"not {wanted}"))
            continue
        count = 0
        try:
            for item in reader.read(path, source):
                count += 1
                yield item
        except Exception as exc:  # the file's remaining content is unreadable; what came before is kept
            log.warning("%s: stopped after %d items: %s", path, count, exc)
            report.failed.append((path, f"{type(exc).__name__}: {exc}", count))
        else:
            report.recognised.append((path, reader.name, count))
        if on_file_done is not None:
            on_file_done(path)

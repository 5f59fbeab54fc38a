"""Collectors: turn what a channel sends (live or archived) into RawItems, verbatim."""

from collectors.types import CHANNELS, RawItem

__all__ = ["CHANNELS", "RawItem"]

"""Dedup: which ticket each complaint belongs to (exact, repost, cross-post, same incident)."""

from dedup.deduplicator import Deduplicator, DedupSize, TicketLookup
from dedup.rules import DEFAULT_WINDOW_HOURS, MergeRules
from dedup.types import Assignment, LinkKind

__all__ = ["Assignment", "DEFAULT_WINDOW_HOURS", "DedupSize", "Deduplicator", "LinkKind", "MergeRules", "TicketLookup"]

"""Search queries for the demo's X source that find every bundled sample tweet.

The samples were gathered by several searches over a month; a single city query would find only
some of them on a recent-search server. The demo asks instead for a small set of terms (hashtags,
mentions, then plain words) chosen greedily so that each sample tweet matches at least one, and
checks that with the same query evaluator the X stand-in answers with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dengar.standins.x_query import MAX_QUERY_LENGTH, TweetView, compile_query

KEYWORD = re.compile(r"^[^\W\d_]{4,}$")  # a plain word of 4+ letters: reads like a search keyword


def candidate_terms(view: TweetView) -> set[str]:
    """Query terms that match this tweet, in X's own syntax."""
    terms = {f"#{tag}" for tag in view.hashtags if re.fullmatch(r"\w+", tag)}
    terms |= {f"@{name}" for name in view.mentions if re.fullmatch(r"\w{1,15}", name)}
    terms |= {word for word in view.words if KEYWORD.match(word) and word not in ("or", "and")}
    if not terms and view.author:
        terms.add(f"from:{view.author}")
    return terms


def _preference(term: str) -> tuple[int, str]:
    """Hashtags and mentions before words, words before from:; then alphabetical, so the result is stable."""
    return ({"#": 0, "@": 1}.get(term[0], 3 if term.startswith("from:") else 2), term)


def covering_terms(views: Iterable[TweetView]) -> list[str]:
    """A small set of terms such that every tweet matches one (greedy set cover)."""
    candidates = [candidate_terms(view) for view in views]
    uncovered = set(range(len(candidates)))
    chosen: list[str] = []
    while uncovered:
        counts: dict[str, int] = {}
        for index in uncovered:
            for term in candidates[index]:
                counts[term] = counts.get(term, 0) + 1
        if not counts:
            raise ValueError("a sample tweet has neither text, tags nor author to search it by")
        best = min(counts, key=lambda term: (-counts[term], _preference(term)))
        chosen.append(best)
        uncovered = {index for index in uncovered if best not in candidates[index]}
    return sorted(chosen, key=_preference)


def join_queries(terms: list[str], limit: int = MAX_QUERY_LENGTH) -> list[str]:
    """OR-queries of ``terms``, each within recent search's length limit."""
    queries: list[str] = []
    current = ""
    for term in terms:
        joined = f"{current} OR {term}" if current else term
        if len(joined) > limit and current:
            queries.append(current)
            joined = term
        current = joined
    return [*queries, current] if current else queries


def queries_for(tweets: Iterable[dict], usernames_by_id: dict[str, str]) -> list[str]:
    """Queries finding every one of ``tweets``; raises ValueError if the check finds one missed."""
    views = [TweetView.of(tweet, usernames_by_id) for tweet in tweets]
    queries = join_queries(covering_terms(views))
    predicates = [compile_query(query) for query in queries]
    missed = [view for view in views if not any(predicate(view) for predicate in predicates)]
    if missed:
        raise ValueError(f"{len(missed)} sample tweets match none of the demo queries")
    return queries


__all__ = ["candidate_terms", "covering_terms", "join_queries", "queries_for"]

"""Every tweet in tweepy's recorded X API responses goes through detect, read and parse:
each becomes a Mention or is quarantined with a reason, none is lost and nothing crashes."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from collectors.archive import all_readers, detect
from collectors.content_types import TWEET
from normalizer.channels import all_parsers, parse
from normalizer.types import Mention, NormalizeError


def tweets_in(body: bytes) -> int:
    data = orjson.loads(body).get("data")
    entries = data if isinstance(data, list) else [data]
    return sum(1 for entry in entries if isinstance(entry, dict) and "text" in entry)


def test_every_recorded_tweet_is_ingested_or_quarantined(tweepy_response_files: list[Path]) -> None:
    readers = all_readers()
    parsers = all_parsers()
    totals = {"in": 0, "ingested": 0, "quarantined": 0}
    for path in tweepy_response_files:
        expected = tweets_in(path.read_bytes())
        reader = detect(path, readers)
        if expected == 0:  # user lookups: nothing to ingest, and nothing may crash
            for raw in reader.read(path, "import") if reader is not None else ():
                with pytest.raises(NormalizeError):
                    parse(raw, parsers)
            continue
        assert reader is not None and reader.channel == "twitter", path.name
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
        assert ingested + quarantined == len(items) == expected, path.name
        totals["in"] += expected
        totals["ingested"] += ingested
        totals["quarantined"] += quarantined
    print(f"tweepy cassettes: {totals}")
    assert totals["in"] > 0
    # these pages carry id and text only: the time comes from the id, so none is quarantined
    assert totals["quarantined"] == 0

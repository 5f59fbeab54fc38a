"""Splitting a large twarc2 archive: every tweet comes out once, streamed; the rate is printed
(not asserted: machines are shared)."""

from __future__ import annotations

import time
from pathlib import Path

import orjson

from collectors.archive.twitter import XArchiveReader

PAGES = 1000
TWEETS_PER_PAGE = 100


def write_archive(path: Path) -> None:
    users = [{"id": str(number), "username": f"warga{number}", "name": f"Warga {number}"} for number in range(40)]
    with open(path, "wb") as archive:
        for page_number in range(PAGES):
            base = 1767100000000000000 + page_number * TWEETS_PER_PAGE
            data = [
                {
                    "id": str(base + offset),
                    "author_id": str(offset % 40),
                    "created_at": "2024-03-11T08:30:12.000Z",
                    "lang": "in",
                    "conversation_id": str(base + offset),
                    "edit_history_tweet_ids": [str(base + offset)],
                    "text": f"Sampah numpuk di kali Krukut udh {offset} hari gk diangkut @warga3 #sampah",
                    "entities": {
                        "hashtags": [{"start": 60, "end": 67, "tag": "sampah"}],
                        "mentions": [{"start": 52, "end": 59, "username": "warga3", "id": "3"}],
                    },
                    "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 1, "quote_count": 0},
                }
                for offset in range(TWEETS_PER_PAGE)
            ]
            page = {"data": data, "includes": {"users": users}, "meta": {"result_count": len(data)},
                    "__twarc": {"version": "2.14.0", "retrieved_at": "2024-03-11T09:10:00+00:00"}}
            archive.write(orjson.dumps(page) + b"\n")


def test_hundred_thousand_tweets_split_once_each(tmp_path: Path) -> None:
    archive = tmp_path / "large.jsonl"
    write_archive(archive)
    started = time.perf_counter()
    count = 0
    last_id = 0
    for item in XArchiveReader().read(archive, "import"):
        count += 1
        tweet_id = int(item.external_id)
        assert tweet_id > last_id
        last_id = tweet_id
    elapsed = time.perf_counter() - started
    print(f"split {count} tweets in {elapsed:.2f} s: {count / elapsed:,.0f} tweets/s, {elapsed / count * 1e6:.1f} µs/tweet")
    assert count == PAGES * TWEETS_PER_PAGE

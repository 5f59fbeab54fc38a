"""The mentions monitor's queries on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from sink.database import ensure_schema, open_engine
from sink.models import MentionRow, RawItemRow
from sink.monitor import MentionFilter, hourly_volume, latest_day_with_mentions, latest_mentions, mentions_after, \
    newest_mention_id, top_values

WIB_MIDNIGHT = datetime(2026, 11, 19, 17, 0, tzinfo=timezone.utc)  # 20 Nov 2026 00:00 in Jakarta


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    engine = open_engine(db_url)
    ensure_schema(engine)
    messages = [
        # (channel, minutes after midnight WIB, text, complaint, category, kelurahan)
        ("twitter", 5, "Banjir 50% di Kampung Melayu", True, "banjir", "Kampung Melayu"),
        ("twitter", 70, "Terima kasih Pak Gubernur", False, "lainnya", None),
        ("email", 75, "Sampah menumpuk_di jalan", True, "sampah", "Kampung Melayu"),
        ("qlue", 23 * 60 + 59, "BANJIR lagi", True, "banjir", "Bidara Cina"),
        ("rss", -1, "kemarin banjir", True, "banjir", "Cawang"),  # the day before
    ]
    with engine.begin() as connection:
        for number, (channel, minutes, text, complaint, category, kelurahan) in enumerate(messages, start=1):
            at = WIB_MIDNIGHT + timedelta(minutes=minutes)
            connection.execute(insert(RawItemRow.__table__).values(
                id=number, channel=channel, external_id=str(number), source="t", payload=b"{}", content_type="x",
                origin="t", fetched_at=at, stored_at=at, state="processed"))
            connection.execute(insert(MentionRow.__table__).values(
                id=number, channel=channel, external_id=str(number), source="t", created_at=at, text=text,
                author_handle=f"warga{number}", category=category, is_complaint=complaint, kelurahan=kelurahan))
    return engine


def ids(rows):  # type: ignore[no-untyped-def]
    return [row.id for row in rows]


def test_latest_and_paging_back(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        assert ids(latest_mentions(connection, MentionFilter(), limit=2)) == [5, 4]
        assert ids(latest_mentions(connection, MentionFilter(), limit=2, before_id=4)) == [3, 2]
        assert newest_mention_id(connection) == 5


def test_filters_by_channel_complaint_and_keyword(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        assert ids(latest_mentions(connection, MentionFilter(channel="twitter"))) == [2, 1]
        assert ids(latest_mentions(connection, MentionFilter(complaint=False))) == [2]
        assert ids(latest_mentions(connection, MentionFilter(keyword="banjir"))) == [5, 4, 1]  # any case
        # LIKE wildcards in a keyword are plain characters
        assert ids(latest_mentions(connection, MentionFilter(keyword="50%"))) == [1]
        assert ids(latest_mentions(connection, MentionFilter(keyword="j_lan"))) == []
        assert ids(latest_mentions(connection, MentionFilter(keyword="WARGA3"))) == [3]  # the author's handle


def test_mentions_after_skips_what_was_shown(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        assert ids(mentions_after(connection, MentionFilter(), after_id=2)) == [3, 4, 5]
        assert ids(mentions_after(connection, MentionFilter(), after_id=0, skip_ids=[1, 3])) == [2, 4, 5]
        assert ids(mentions_after(connection, MentionFilter(complaint=True), after_id=1)) == [3, 4, 5]


def test_hourly_volume_and_top_values_of_one_day(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        volume = hourly_volume(connection, WIB_MIDNIGHT)
        top_categories = top_values(connection, "category", WIB_MIDNIGHT, WIB_MIDNIGHT + timedelta(days=1))
        top_kelurahan = top_values(connection, "kelurahan", WIB_MIDNIGHT, WIB_MIDNIGHT + timedelta(days=1))
        latest = latest_day_with_mentions(connection)
    assert volume.channels["twitter"][0] == 1 and volume.channels["twitter"][1] == 1
    assert volume.channels["email"][1] == 1 and volume.channels["qlue"][23] == 1
    assert "rss" not in volume.channels and volume.total == 4 and volume.peak == 1
    assert top_categories == [("banjir", 2), ("sampah", 1)]  # complaints only
    assert top_kelurahan == [("Kampung Melayu", 2), ("Bidara Cina", 1)]
    assert latest == WIB_MIDNIGHT + timedelta(minutes=23 * 60 + 59)
    with pytest.raises(ValueError):
        top_values(engine.connect(), "text", WIB_MIDNIGHT, WIB_MIDNIGHT)

"""The fetch helper's pure parts: Retry-After in both forms, and URLs safe to show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from collectors.live.http import redact_url, retry_after

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("120", NOW) == NOW + timedelta(seconds=120)
    assert retry_after("Mon, 30 Nov 2026 03:10:00 GMT", NOW) == NOW + timedelta(minutes=10)
    assert retry_after("Mon, 30 Nov 2026 02:00:00 GMT", NOW) == NOW  # a past date means now
    assert retry_after("segera", NOW) is None
    assert retry_after(None, NOW) is None


def test_secrets_never_show_in_a_url() -> None:
    shown = redact_url("https://user:pw@open311.example.org/v2/requests.json?api_key=abc&page=2&access_token=t")
    assert "abc" not in shown and "pw" not in shown and "=t" not in shown
    assert shown == "https://open311.example.org/v2/requests.json?api_key=***&page=2&access_token=***"

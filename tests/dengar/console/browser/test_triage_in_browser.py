"""An operator triages the bundled samples end to end in a real browser; the monitor shows a message
collected while it is open. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone

from playwright.sync_api import expect

from collectors.content_types import TWEET
from collectors.types import RawItem
from dengar.app import build_pipeline
from dengar.settings import load_settings


def _ticket_id(href: str) -> int:
    return int(re.search(r"/tickets/(\d+)", href).group(1))


def test_operator_triages_a_ticket_end_to_end(page, sample_console, login, screenshot) -> None:  # type: ignore[no-untyped-def]
    login(page, sample_console, "operator")
    # the page reads dates and times as an operator in Jakarta does
    assert page.evaluate("[navigator.language, Intl.DateTimeFormat().resolvedOptions().timeZone]") == ["id-ID", "Asia/Jakarta"]
    # the queue, filtered by category
    page.select_option("#f-category", "banjir")
    page.click("#apply-filters")
    page.wait_for_url(re.compile(r"category=banjir"))
    links = page.locator("table a.ticket-link")
    expect(links.first).to_be_visible()
    assert links.count() >= 2
    screenshot(page, "queue")
    first, second = (_ticket_id(links.nth(i).get_attribute("href")) for i in (0, 1))

    # a ticket: every message side by side
    links.first.click()
    page.wait_for_url(f"**/tickets/{first}")
    messages = page.locator("#messages .message")
    before = messages.count()
    assert before >= 2
    screenshot(page, "ticket")

    # merge the second ticket into this one
    page.fill("#merge-form input[name=other]", str(second))
    page.locator("#merge-form button[type=submit]").click()
    expect(page.locator("#action-done")).to_be_visible()
    merged = page.locator("#messages .message").count()
    assert merged > before

    # split one message out into a new ticket
    page.locator("#messages .split").first.click()
    expect(page.locator("#new-ticket-link")).to_be_visible()
    assert page.locator("#messages .message").count() == merged - 1

    # undo the split: the message comes back
    page.locator("#decisions button.undo").first.click()
    expect(page.locator("#action-done")).to_be_visible()
    assert page.locator("#messages .message").count() == merged

    # the status workflow with a note
    page.select_option("#status-form select[name=status]", "koordinasi")
    page.fill("#status-form textarea[name=note]", "Diteruskan ke Sudin SDA untuk dicek")
    page.locator("#status-form button[type=submit]").click()
    expect(page.locator("#ticket-status")).to_have_text(re.compile("Koordinasi", re.I))
    expect(page.locator("#history")).to_contain_text("Diteruskan ke Sudin SDA")

    # the audit log has every step, by this operator
    page.goto(sample_console.base_url + "/audit")
    audit = page.locator("main")
    for action in ("merge", "split", "undo", "status"):
        expect(audit).to_contain_text(action)
    expect(audit).to_contain_text("operator")

    # the evaluation report now counts a triaged ticket
    page.goto(sample_console.base_url + "/reports?from=2026-11-01&to=2026-11-30")
    expect(page.locator("#report-table tr.total")).to_be_visible()
    screenshot(page, "reports")


def test_viewer_cannot_triage(page, sample_console, login) -> None:  # type: ignore[no-untyped-def]
    login(page, sample_console, "viewer")
    href = page.locator("table a.ticket-link").first.get_attribute("href")
    page.goto(sample_console.base_url + href)
    expect(page.locator("#messages .message").first).to_be_visible()
    assert page.locator("#status-form, #merge-form, #messages .split").count() == 0


def _live_tweet(text: str) -> RawItem:
    now = datetime.now(timezone.utc)
    tweet_id = str(9_000_000_000_000_000_000 + uuid.uuid4().int % 10**15)
    payload = {"data": {"id": tweet_id, "text": text, "author_id": "777", "created_at": now.isoformat().replace("+00:00", "Z"),
                        "lang": "in"},
               "includes": {"users": [{"id": "777", "username": "warga_live", "name": "Warga Live"}]}}
    return RawItem(channel="twitter", source="x-live-test", external_id=tweet_id, payload=json.dumps(payload).encode(),
                   content_type=TWEET, fetched_at=now, origin="https://api.twitter.com/2/tweets/search/recent")


def test_monitor_shows_a_message_collected_while_open(page, sample_console, login, screenshot) -> None:  # type: ignore[no-untyped-def]
    login(page, sample_console, "social")
    page.goto(sample_console.base_url + "/mentions?day=2026-11-20")
    expect(page.locator("#live-state.is-live")).to_be_visible(timeout=20_000)
    marker = f"Banjir setinggi lutut di Kel. Kampung Melayu, tolong dibantu {uuid.uuid4().hex[:8]}"
    settings = load_settings(None, sample_console.db_url)
    pipeline = build_pipeline(settings)
    counts = pipeline.ingest_source_batch("x-live-test", "twitter", [_live_tweet(marker)], {"since_id": "1"})
    assert sum(counts.new.values()) == 1
    arrived = page.locator("#mention-stream .message.arrived", has_text=marker)
    expect(arrived).to_be_visible(timeout=30_000)
    expect(arrived).to_contain_text("@warga_live")
    screenshot(page, "mentions")

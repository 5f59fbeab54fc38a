"""The CRM delivery of a forwarded ticket on its page, as the deliverer's own outbox functions leave it,
and the operator's retry of a delivery the deliverer gave up on."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from markupsafe import escape
from sqlalchemy import select

from sink.models import AuditRow, OutboxRow, TicketRow
from sink.outbox import claim, get_entry, mark_attempt_failed, mark_delivered

TICKETS = TicketRow.__table__
CRM_REFUSAL = 'HTTP 400: {"code":400,"description":"service_code <banjir> tidak dikenal"}'


def _ticket(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(TICKETS.c.id).where(TICKETS.c.merged_into.is_(None), TICKETS.c.is_complaint.is_(True))
                                  .order_by(TICKETS.c.member_count.desc(), TICKETS.c.id).limit(1)).scalar_one()


async def _forwarded(console_client, engine) -> tuple[int, int]:
    ticket = _ticket(engine)
    response = await (await console_client("operator")).post_form(f"/tickets/{ticket}/forward")
    assert response.status == 303
    with engine.connect() as connection:
        outbox_id = connection.execute(select(OutboxRow.id).where(OutboxRow.ticket_id == ticket)).scalar_one()
    return ticket, outbox_id


def _give_up(engine, outbox_id: int, attempts: int = 3) -> None:
    """What the deliverer does when the CRM keeps refusing: attempt after attempt, then it stops."""
    now = datetime.now(timezone.utc)
    for attempt in range(attempts):
        assert claim(engine, outbox_id, "daemon-1", timedelta(minutes=1), now) is not None
        mark_attempt_failed(engine, outbox_id, "daemon-1", "rejected", CRM_REFUSAL, now, max_attempts=attempts, now=now)


def _crm_state(page: str) -> str:
    marker = 'data-crm-state="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


async def test_a_queued_delivery_shows_its_next_attempt(console_client, console_engine):
    ticket, _ = await _forwarded(console_client, console_engine)
    page = await (await console_client("viewer")).page(f"/tickets/{ticket}")
    assert _crm_state(page) == "queued" and "Percobaan berikutnya" in page
    assert 'id="retry-delivery-form"' not in page


async def test_a_delivered_ticket_shows_the_crms_reference(console_client, console_engine):
    ticket, outbox_id = await _forwarded(console_client, console_engine)
    assert claim(console_engine, outbox_id, "daemon-1", timedelta(minutes=1)) is not None
    assert mark_delivered(console_engine, outbox_id, "SR-2026-000417", "tok-1")
    client = await console_client("operator")
    await client.client.get("/lang/en?next=/")
    page = await client.page(f"/tickets/{ticket}")
    assert _crm_state(page) == "delivered"
    assert '<code id="crm-request-id">SR-2026-000417</code>' in page and "CRM reference" in page
    assert 'id="retry-delivery-form"' not in page


@pytest.mark.parametrize("role", ["admin", "operator", "social", "viewer"])
async def test_a_failed_delivery_shows_attempts_and_the_crms_message_and_only_triage_may_retry(console_client, console_engine, role):
    ticket, outbox_id = await _forwarded(console_client, console_engine)
    _give_up(console_engine, outbox_id)
    client = await console_client(role)
    page = await client.page(f"/tickets/{ticket}")
    assert _crm_state(page) == "failed" and "3 kali dicoba" in page
    assert str(escape(CRM_REFUSAL)) in page and "<banjir>" not in page
    triage = role in ("admin", "operator")
    assert ('id="retry-delivery-form"' in page) == triage
    response = await client.post_form(f"/tickets/{ticket}/retry_delivery")
    entry = get_entry(console_engine, outbox_id)
    if not triage:
        assert response.status == 403
        assert entry.failed_at is not None and entry.attempts == 3
        return
    assert response.status == 303 and response.headers["Location"] == f"/tickets/{ticket}?done=retry_delivery"
    assert entry.failed_at is None and entry.attempts == 0 and entry.state(datetime.now(timezone.utc)) == "queued"
    assert entry.last_outcome == "rejected"  # the earlier attempts are remembered, so the deliverer looks before resending
    with console_engine.connect() as connection:
        audit = connection.execute(select(AuditRow.__table__).where(AuditRow.action == "retry_delivery")).one()
    assert audit.actor == role and audit.entity_id == str(ticket)
    assert audit.before["attempts"] == 3 and audit.before["failed_at"] and audit.before["last_error"] == CRM_REFUSAL
    assert audit.after["attempts"] == 0 and audit.after["failed_at"] is None
    assert _crm_state(await client.page(f"/tickets/{ticket}")) == "queued"


async def test_retry_needs_a_failed_delivery(console_client, console_engine):
    operator = await console_client("operator")
    never_forwarded = _ticket(console_engine)
    response = await operator.post_form(f"/tickets/{never_forwarded}/retry_delivery")
    assert response.status == 409 and "not forwarded" in await response.text()
    ticket, outbox_id = await _forwarded(console_client, console_engine)
    response = await operator.post_form(f"/tickets/{ticket}/retry_delivery")
    assert response.status == 409 and "has not failed" in await response.text()
    with console_engine.connect() as connection:
        assert connection.execute(select(AuditRow.id).where(AuditRow.action == "retry_delivery")).first() is None


async def test_retry_without_the_csrf_token_or_signed_out_changes_nothing(console_client, console_engine):
    ticket, outbox_id = await _forwarded(console_client, console_engine)
    _give_up(console_engine, outbox_id)
    operator = await console_client("operator")
    assert (await operator.post_form(f"/tickets/{ticket}/retry_delivery", csrf=False)).status == 403
    anonymous = await console_client(None)
    assert (await anonymous.client.post(f"/tickets/{ticket}/retry_delivery", allow_redirects=False)).status == 403
    assert get_entry(console_engine, outbox_id).failed_at is not None

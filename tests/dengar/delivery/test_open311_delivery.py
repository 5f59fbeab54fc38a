"""Forwarded tickets delivered to the Open311 stand-in over loopback, on SQLite and PostgreSQL.

The stand-in speaks GeoReport v2 (form POST, errors as [{code, description}], GET search), so
what is counted here is what a CRM would have stored: exactly one request per forwarded ticket,
whatever went wrong on the way.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl

import pytest

from dengar.delivery.deliverer import Deliverer
from dengar.delivery.georeport import reference
from dengar.delivery.setup import build_client
from dengar.standins.faults import Fault
from dengar.standins.open311 import Open311State, create_app
from sink.outbox import due_ids, get_entry
from tests.dengar.delivery.outbox_world import Clock, crm_settings, forward, imported_engine

API_KEY = "kunci-rahasia-123"
ENV = {"CRM_API_KEY": API_KEY}


@pytest.fixture
def engine(db_url):
    engine = imported_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
async def crm(aiohttp_server):
    state = Open311State(api_key=API_KEY, jurisdiction_id="jakarta.go.id")
    server = await aiohttp_server(create_app(state))
    return state, str(server.make_url("/open311/v2"))


def deliverer(engine, url: str, clock: Clock, owner: str = "daemon-a", **overrides) -> Deliverer:
    crm = crm_settings(url, api_key_env="CRM_API_KEY", jurisdiction_id="jakarta.go.id", **overrides)
    return Deliverer(engine, build_client(crm, ENV), crm, owner, clock=clock)


async def test_a_forwarded_ticket_arrives_once_as_a_georeport_form(engine, crm):
    state, url = crm
    [outbox_id] = forward(engine, 1)
    clock = Clock()
    delivery = deliverer(engine, url, clock, service_code_map={"sampah": "SAMPAH-01"})
    try:
        report = await delivery.deliver_due()
        assert report.outcomes == {outbox_id: "delivered"}
        assert (await delivery.deliver_due()).outcomes == {}
    finally:
        await delivery.client.aclose()
    entry = get_entry(engine, outbox_id)
    assert len(state.posts) == 1 and len(state.created) == 1
    form = dict(state.posts[0])
    assert form["api_key"] == API_KEY and form["jurisdiction_id"] == "jakarta.go.id"
    assert form["service_code"] == entry.payload["service_code"].replace("sampah", "SAMPAH-01")
    assert float(form["lat"]) == entry.payload["lat"] and float(form["long"]) == entry.payload["long"]
    assert form["description"].endswith(reference(entry.idempotency_key))
    assert form["attribute[dengar_key]"] == entry.idempotency_key
    assert form["attribute[dengar_ticket]"] == str(entry.ticket_id)
    assert ("attribute[channels][]", "open311") in state.posts[0]
    assert entry.crm_request_id == state.created[0]["service_request_id"] and entry.state(clock()) == "delivered"
    assert entry.attempts == 1 and entry.last_error is None


async def test_500_then_success_stores_one_request(engine, crm):
    state, url = crm
    [outbox_id] = forward(engine, 1)
    clock = Clock()
    delivery = deliverer(engine, url, clock)
    state.post_faults.arm(Fault.SERVER_ERROR)
    try:
        assert (await delivery.deliver(outbox_id)) == "server_error"
        entry = get_entry(engine, outbox_id)
        assert entry.state(clock()) == "retrying" and "HTTP 500" in entry.last_error
        assert outbox_id not in due_ids(engine, clock())
        state.post_faults.heal()
        clock.advance()
        assert (await delivery.deliver_due()).outcomes == {outbox_id: "delivered"}
    finally:
        await delivery.client.aclose()
    assert len(state.created) == 1 and len(state.posts) == 2
    searches = [q for q in state.queries if q.get("service_code")]
    assert len(searches) == 1  # the retry looked first, found nothing, then posted
    assert get_entry(engine, outbox_id).crm_request_id == state.created[0]["service_request_id"]


async def test_a_timeout_after_the_crm_stored_it_sends_no_second_request(engine, crm):
    state, url = crm
    [outbox_id] = forward(engine, 1)
    clock = Clock()
    delivery = deliverer(engine, url, clock, timeout=0.5)
    state.post_delay = 3.0  # stored at once, answered too late
    try:
        assert (await delivery.deliver(outbox_id)) == "timeout"
        assert len(state.created) == 1
        assert get_entry(engine, outbox_id).delivered_at is None
        state.post_delay = 0.0
        clock.advance()
        assert (await delivery.deliver(outbox_id)) == "found"
    finally:
        await delivery.client.aclose()
    assert len(state.posts) == 1 and len(state.created) == 1
    entry = get_entry(engine, outbox_id)
    assert entry.crm_request_id == state.created[0]["service_request_id"] and entry.last_outcome == "found"


async def test_a_failed_search_sends_nothing(engine, crm):
    state, url = crm
    [outbox_id] = forward(engine, 1)
    clock = Clock()
    delivery = deliverer(engine, url, clock, timeout=0.5)
    state.post_delay = 3.0
    try:
        assert (await delivery.deliver(outbox_id)) == "timeout"
        state.post_delay = 0.0
        state.faults.arm(Fault.HTML_503)  # the search (GET) fails
        clock.advance()
        assert (await delivery.deliver(outbox_id)) == "lookup"
        assert len(state.posts) == 1
        state.faults.heal()
        clock.advance()
        assert (await delivery.deliver(outbox_id)) == "found"
    finally:
        await delivery.client.aclose()
    assert len(state.posts) == 1 and len(state.created) == 1


async def test_a_400_fails_after_max_attempts_with_the_crms_message(engine, crm):
    state, url = crm
    [outbox_id] = forward(engine, 1)
    clock = Clock()
    delivery = deliverer(engine, url, clock, max_attempts=3)
    state.reject_with = [{"code": 400, "description": "Kategori layanan tidak dikenal"}]
    outcomes = []
    try:
        for _ in range(4):
            outcomes.append(await delivery.deliver(outbox_id))
            clock.advance()
    finally:
        await delivery.client.aclose()
    assert outcomes == ["rejected", "rejected", "failed", "busy"]
    entry = get_entry(engine, outbox_id)
    assert entry.state(clock()) == "failed" and entry.attempts == 3 and entry.failed_at is not None
    assert "400: Kategori layanan tidak dikenal" in entry.last_error
    assert state.created == [] and len(state.posts) == 3


async def test_a_wrong_api_key_is_rejected_and_never_shown(engine, crm):
    state, url = crm
    [outbox_id] = forward(engine, 1)
    crm_config = crm_settings(url, api_key_env="CRM_API_KEY", jurisdiction_id="jakarta.go.id")
    delivery = Deliverer(engine, build_client(crm_config, {"CRM_API_KEY": "kunci-salah-999"}), crm_config, "a", clock=Clock())
    try:
        assert (await delivery.deliver(outbox_id)) == "rejected"
    finally:
        await delivery.client.aclose()
    error = get_entry(engine, outbox_id).last_error
    assert "Invalid api_key" in error and "kunci-salah-999" not in error and state.created == []


async def test_two_concurrent_deliverers_post_each_row_once(engine, crm):
    state, url = crm
    ids = forward(engine, 4)
    clock = Clock()
    state.post_delay = 0.2  # both deliverers are mid-flight at once
    first, second = deliverer(engine, url, clock, "daemon-a"), deliverer(engine, url, clock, "daemon-b")
    try:
        reports = await asyncio.gather(first.deliver_due(), second.deliver_due())
    finally:
        await first.client.aclose()
        await second.client.aclose()
    keys = [dict(form)["attribute[dengar_key]"] for form in state.posts]
    assert sorted(keys) == sorted(get_entry(engine, i).idempotency_key for i in ids)
    assert len(state.created) == 4
    delivered = [i for report in reports for i, outcome in report.outcomes.items() if outcome == "delivered"]
    assert sorted(delivered) == ids
    assert all(get_entry(engine, i).delivered_at is not None for i in ids)



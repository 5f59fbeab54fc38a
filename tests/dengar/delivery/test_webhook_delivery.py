"""Forwarded tickets posted to a webhook receiver that honours Idempotency-Key, over loopback."""

from __future__ import annotations

import orjson
import pytest

from dengar.delivery.deliverer import Deliverer
from dengar.delivery.setup import build_client
from dengar.standins.faults import Fault
from dengar.standins.webhook import WebhookState, create_app
from sink.outbox import get_entry
from tests.dengar.delivery.outbox_world import Clock, crm_settings, forward, imported_engine

TOKEN = "hook-token-abc"


@pytest.fixture
def engine(sqlite_url):
    engine = imported_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
async def hook(aiohttp_server):
    state = WebhookState(token=TOKEN)
    server = await aiohttp_server(create_app(state))
    return state, str(server.make_url("/hooks/dengar"))


def deliverer(engine, url: str, clock: Clock, **overrides) -> Deliverer:
    crm = crm_settings(url, kind="webhook", token_env="HOOK_TOKEN", **overrides)
    return Deliverer(engine, build_client(crm, {"HOOK_TOKEN": TOKEN}), crm, "daemon-a", clock=clock)


async def test_the_row_is_posted_as_json_with_its_idempotency_key(engine, hook):
    state, url = hook
    [outbox_id] = forward(engine, 1)
    delivery = deliverer(engine, url, Clock(), service_code_map={"sampah": "SAMPAH-01"})
    try:
        assert (await delivery.deliver(outbox_id)) == "delivered"
    finally:
        await delivery.client.aclose()
    entry = get_entry(engine, outbox_id)
    [received] = state.received
    assert received["headers"]["Idempotency-Key"] == entry.idempotency_key
    assert received["headers"]["Authorization"] == f"Bearer {TOKEN}"
    body = orjson.loads(received["body"])
    assert body["idempotency_key"] == entry.idempotency_key and body["ticket_id"] == entry.ticket_id
    assert body["service_request"]["category"] == entry.payload["service_code"]
    assert body["service_request"]["description"] == entry.payload["description"]
    assert entry.crm_request_id == "hook-1"


async def test_a_retry_after_a_timeout_repeats_the_key_and_the_receiver_keeps_one(engine, hook):
    state, url = hook
    [outbox_id] = forward(engine, 1)
    clock = Clock()
    delivery = deliverer(engine, url, clock, timeout=0.5)
    state.delay = 3.0
    try:
        assert (await delivery.deliver(outbox_id)) == "timeout"
        state.delay = 0.0
        clock.advance()
        assert (await delivery.deliver(outbox_id)) == "delivered"
    finally:
        await delivery.client.aclose()
    keys = [r["headers"]["Idempotency-Key"] for r in state.received]
    assert len(keys) == 2 and len(set(keys)) == 1 and len(state.stored) == 1
    assert get_entry(engine, outbox_id).crm_request_id == "hook-1"


async def test_a_500_is_retried_and_a_wrong_token_is_rejected(engine, hook):
    state, url = hook
    first, second = forward(engine, 2)
    clock = Clock()
    delivery = deliverer(engine, url, clock)
    state.faults.arm(Fault.SERVER_ERROR)
    try:
        assert (await delivery.deliver(first)) == "server_error"
        state.faults.heal()
        clock.advance()
        assert (await delivery.deliver(first)) == "delivered"
    finally:
        await delivery.client.aclose()
    crm = crm_settings(url, kind="webhook", token_env="HOOK_TOKEN")
    wrong = Deliverer(engine, build_client(crm, {"HOOK_TOKEN": "not-it"}), crm, "b", clock=clock)
    try:
        assert (await wrong.deliver(second)) == "rejected"
    finally:
        await wrong.client.aclose()
    error = get_entry(engine, second).last_error
    assert "HTTP 401" in error and "not-it" not in error
    assert len(state.stored) == 1

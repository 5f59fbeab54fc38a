"""A JSON webhook: the row's GeoReport fields as JSON, the idempotency key in an ``Idempotency-Key`` header.

The receiver is expected to answer a repeated key with the first answer (as payment APIs do), so a
retry after a timeout needs no search. The key is also in the body, for receivers that dedupe there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from collectors.live.http import redact_url
from dengar.delivery.outcomes import Accepted
from dengar.delivery.transport import CrmTransport, failure_for_status, printable
from sink.outbox import OutboxEntry


def webhook_body(entry: OutboxEntry, service_code_map: Mapping[str, str]) -> dict[str, Any]:
    payload = dict(entry.payload)
    category = payload.get("service_code")
    if category is not None:
        payload["service_code"] = service_code_map.get(str(category), category)
    payload["category"] = category
    return {"idempotency_key": entry.idempotency_key, "outbox_id": entry.id, "ticket_id": entry.ticket_id,
            "service_request": payload}


def reference_from(body: bytes) -> str | None:
    """An id the receiver gave the request, when it answers a JSON object that names one."""
    try:
        document = orjson.loads(body) if body.strip() else None
    except orjson.JSONDecodeError:
        return None
    if isinstance(document, list) and document and isinstance(document[0], dict):
        document = document[0]
    if not isinstance(document, dict):
        return None
    for name in ("service_request_id", "id", "request_id", "token"):
        value = document.get(name)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()[:200]
    return None


class WebhookClient:
    looks_up = False

    def __init__(self, url: str, token: str | None, service_code_map: Mapping[str, str], transport: CrmTransport) -> None:
        self.url = url
        self.token = token
        self.service_code_map = dict(service_code_map)
        self.transport = transport
        self.shown = redact_url(url)

    def describe(self) -> str:
        return f"webhook at {self.shown}"

    async def submit(self, entry: OutboxEntry) -> Accepted:
        headers = {"Idempotency-Key": entry.idempotency_key, "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        answer = await self.transport.send("POST", self.url, json_body=webhook_body(entry, self.service_code_map),
                                           headers=headers)
        if not 200 <= answer.status < 300:
            raise failure_for_status(answer, f"POST {self.shown}", printable(answer.body))
        return Accepted(reference_from(answer.body), None)

    async def find(self, entry: OutboxEntry) -> Accepted | None:
        return None  # the Idempotency-Key header makes a repeated POST safe

    async def aclose(self) -> None:
        await self.transport.aclose()


__all__ = ["WebhookClient", "reference_from", "webhook_body"]

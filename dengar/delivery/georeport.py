"""GeoReport v2 ``POST requests.json``: the form we send, the answer we read, and the search for an earlier send.

The specification has no idempotency key, so the row's key travels twice: as ``attribute[dengar_key]``
and as a reference ``[ref KEY]`` at the end of the description, because ``GET requests.json``
returns the description but not the attributes. Before a row that may already have arrived is
sent again, the requests of its service code since the row was queued are searched for that
reference; only when it is absent is the row posted again. A search that fails sends nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import orjson

from collectors.live.http import redact_url
from dengar.delivery.outcomes import BAD_RESPONSE, LOOKUP, Accepted, DeliveryFailure
from dengar.delivery.transport import CrmTransport, failure_for_status, printable
from sink.outbox import OutboxEntry

MAX_DESCRIPTION = 4000  # GeoReport: "up to 4,000 characters"
KEY_ATTRIBUTE = "dengar_key"
SEARCH_SKEW = timedelta(minutes=10)  # clocks of ours and the CRM's may disagree this much
SEARCH_SPAN = timedelta(days=90)  # GeoReport servers refuse wider date ranges
POSTED_FIELDS = ("service_code", "lat", "long", "address_string", "address_id", "media_url")


def requests_url(url: str) -> str:
    """``url`` is the endpoint root or its requests.json, as for an Open311 source."""
    if urlsplit(url).path.lower().endswith(".json"):
        return url
    parts = url.split("?", 1)
    return parts[0].rstrip("/") + "/requests.json" + ("?" + parts[1] if len(parts) > 1 else "")


def reference(key: str) -> str:
    return f"[ref {key}]"


def description_with_reference(description: str | None, key: str) -> str:
    tail = reference(key)
    text = (description or "").strip()
    room = MAX_DESCRIPTION - len(tail) - 2
    if len(text) > room:
        text = text[: room - 1] + "…"
    return f"{text}\n\n{tail}" if text else tail


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def form_fields(entry: OutboxEntry, service_code_map: Mapping[str, str], jurisdiction_id: str | None,
                api_key: str | None) -> list[tuple[str, str]]:
    """The form-encoded body: the spec's fields, then ``attribute[code]=value`` (``attribute[code][]`` per list item)."""
    payload = entry.payload
    fields: list[tuple[str, str]] = []
    if jurisdiction_id:
        fields.append(("jurisdiction_id", jurisdiction_id))
    if api_key:
        fields.append(("api_key", api_key))
    category = payload.get("service_code")
    service_code = service_code_map.get(str(category), category) if category is not None else None
    for name in POSTED_FIELDS:
        value = service_code if name == "service_code" else payload.get(name)
        if value is not None and value != "":
            fields.append((name, _value(value)))
    fields.append(("description", description_with_reference(payload.get("description"), entry.idempotency_key)))
    attributes = dict(payload.get("attributes") or {})
    if payload.get("agency_responsible"):
        attributes.setdefault("agency_responsible", payload["agency_responsible"])
    attributes[KEY_ATTRIBUTE] = entry.idempotency_key
    for code, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            fields.extend((f"attribute[{code}][]", _value(item)) for item in value if item is not None)
        else:
            fields.append((f"attribute[{code}]", _value(value)))
    return fields


def _json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


def _objects(document: Any) -> list[dict[str, Any]]:
    """GeoReport answers a list; some servers wrap it (``{"service_requests": [...]}``) or send one object."""
    if isinstance(document, dict):
        inner = document.get("service_requests", document.get("service_request", document))
        document = inner if isinstance(inner, list) else [inner]
    return [item for item in document if isinstance(item, dict)] if isinstance(document, list) else []


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text[:200] or None


def accepted_from(body: bytes) -> Accepted | None:
    """The service_request_id or token of a 2xx answer; None when it carries neither."""
    for item in _objects(_json(body)):
        request_id, token = _text(item.get("service_request_id")), _text(item.get("token"))
        if request_id or token:
            return Accepted(request_id, token)
    return None


def errors_from(body: bytes) -> str:
    """GeoReport errors ``[{"code", "description"}]`` as one line; else an excerpt of whatever came."""
    described = []
    for item in _objects(_json(body)):
        if "description" in item or "code" in item:
            code, description = item.get("code"), printable(str(item.get("description", "")).encode(), 300)
            described.append(f"{code}: {description}" if code is not None else description)
    return "; ".join(described)[:1000] if described else printable(body)


def matches(item: dict[str, Any], key: str) -> bool:
    """The request carries our key: the reference in its description, or the attribute when echoed."""
    description = item.get("description")
    if isinstance(description, str) and reference(key) in description:
        return True
    for name in ("attributes", "extended_attributes"):
        attributes = item.get(name)
        if isinstance(attributes, dict) and attributes.get(KEY_ATTRIBUTE) == key:
            return True
    return False


def _w3c(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Open311Client:
    """POSTs a row to a GeoReport v2 server, and finds a row an earlier attempt may have delivered."""

    looks_up = True

    def __init__(self, url: str, api_key: str | None, jurisdiction_id: str | None, service_code_map: Mapping[str, str],
                 transport: CrmTransport) -> None:
        self.url = requests_url(url)
        self.api_key = api_key
        self.jurisdiction_id = jurisdiction_id
        self.service_code_map = dict(service_code_map)
        self.transport = transport
        self.shown = redact_url(self.url)

    def describe(self) -> str:
        return f"Open311 GeoReport v2 at {self.shown}"

    async def submit(self, entry: OutboxEntry) -> Accepted:
        fields = form_fields(entry, self.service_code_map, self.jurisdiction_id, self.api_key)
        answer = await self.transport.send("POST", self.url, data=fields, headers={"Accept": "application/json"})
        shown = f"POST {self.shown}"
        if not 200 <= answer.status < 300:
            raise failure_for_status(answer, shown, errors_from(answer.body))
        accepted = accepted_from(answer.body)
        if accepted is None:
            raise DeliveryFailure(BAD_RESPONSE, f"{shown}: HTTP {answer.status} without service_request_id or token: "
                                                f"{printable(answer.body, 200)}")
        return accepted

    async def find(self, entry: OutboxEntry, now: datetime | None = None) -> Accepted | None:
        """The request an earlier attempt created, if the CRM has it; raises DeliveryFailure(LOOKUP) when unsure."""
        now = now or datetime.now(timezone.utc)
        end = now + SEARCH_SKEW
        start = max(entry.created_at - SEARCH_SKEW, end - SEARCH_SPAN + timedelta(minutes=1))
        params = {"start_date": _w3c(start), "end_date": _w3c(end)}
        category = entry.payload.get("service_code")
        if category is not None:
            params["service_code"] = str(self.service_code_map.get(str(category), category))
        if self.jurisdiction_id:
            params["jurisdiction_id"] = self.jurisdiction_id
        try:
            answer = await self.transport.send("GET", self.url, params=params, headers={"Accept": "application/json"})
        except DeliveryFailure as failure:
            raise DeliveryFailure(LOOKUP, f"looking for an earlier attempt: {failure.reason}", failure.retry_at) from None
        if not 200 <= answer.status < 300:
            failure = failure_for_status(answer, f"GET {self.shown}", errors_from(answer.body))
            raise DeliveryFailure(LOOKUP, f"looking for an earlier attempt: {failure.reason}", failure.retry_at)
        document = _json(answer.body)
        if not isinstance(document, (list, dict)):
            raise DeliveryFailure(LOOKUP, f"looking for an earlier attempt: GET {self.shown} answered no JSON list: "
                                          f"{printable(answer.body, 200)}")
        for item in _objects(document):
            if matches(item, entry.idempotency_key):
                return Accepted(_text(item.get("service_request_id")), _text(item.get("token")))
        return None

    async def aclose(self) -> None:
        await self.transport.aclose()


__all__ = ["Open311Client", "accepted_from", "description_with_reference", "errors_from", "form_fields", "matches",
           "reference", "requests_url"]

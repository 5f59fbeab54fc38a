"""From the [crm] section to a client: secrets read from the environment, problems named by field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from collectors.live.http import redact_url
from dengar.delivery.georeport import Open311Client
from dengar.delivery.outcomes import Accepted
from dengar.delivery.transport import CrmTransport
from dengar.delivery.webhook import WebhookClient
from dengar.settings import ConfigError, CrmSettings
from sink.outbox import OutboxEntry


class CrmClient(Protocol):
    looks_up: bool

    def describe(self) -> str: ...

    async def submit(self, entry: OutboxEntry) -> Accepted: ...

    async def find(self, entry: OutboxEntry) -> Accepted | None: ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True, slots=True)
class CrmCheck:
    verdict: str  # ok | disabled | unusable
    message: str


def _secret(environ: Mapping[str, str], field: str, variable: str | None) -> str | None:
    if not variable:
        return None
    value = environ.get(variable, "").strip()
    if not value:
        raise ConfigError(f"[crm] {field}: environment variable {variable} is not set — export it, or remove {field}")
    return value


def check_crm(crm: CrmSettings, environ: Mapping[str, str]) -> CrmCheck:
    """What `dengar config check` says about delivery (never the secret itself)."""
    if not crm.enabled:
        return CrmCheck("disabled", "disabled (forwarded tickets wait in the outbox)")
    try:
        _secret(environ, "api_key_env", crm.api_key_env)
        _secret(environ, "token_env", crm.token_env)
    except ConfigError as exc:
        return CrmCheck("unusable", str(exc))
    mapped = f", {len(crm.service_code_map)} categories mapped" if crm.service_code_map else ""
    return CrmCheck("ok", f"{crm.kind} at {redact_url(crm.url or '')}, up to {crm.max_attempts} attempts{mapped}")


def build_client(crm: CrmSettings, environ: Mapping[str, str]) -> CrmClient:
    """The client for the configured CRM; ConfigError naming the field when it cannot be built."""
    if not crm.url:
        raise ConfigError("[crm] url: required to deliver the outbox")
    transport = CrmTransport(crm.timeout, crm.max_response_bytes)
    if crm.kind == "webhook":
        return WebhookClient(crm.url, _secret(environ, "token_env", crm.token_env), crm.service_code_map, transport)
    return Open311Client(crm.url, _secret(environ, "api_key_env", crm.api_key_env), crm.jurisdiction_id,
                         crm.service_code_map, transport)


__all__ = ["CrmCheck", "CrmClient", "build_client", "check_crm"]

"""What one delivery attempt can end in: the CRM accepted the row, or a failure of a named kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Failure kinds, used in the outbox (last_outcome), in metrics labels and in `dengar outbox`.
REJECTED = "rejected"  # a 4xx: the CRM refused the request (validation, api key); its message is kept
SERVER_ERROR = "server_error"  # a 5xx: the CRM may or may not have stored it
TIMEOUT = "timeout"  # no complete answer in time: the CRM may have stored it
NETWORK = "network"  # connection refused, reset, DNS
RATE_LIMITED = "rate_limited"  # 429, or 503 with Retry-After
BAD_RESPONSE = "bad_response"  # a 2xx we cannot read (not GeoReport, oversized): it may have been stored
LOOKUP = "lookup"  # the search for an earlier attempt's request failed, so nothing was sent
FAILURE_KINDS = (REJECTED, SERVER_ERROR, TIMEOUT, NETWORK, RATE_LIMITED, BAD_RESPONSE, LOOKUP)


@dataclass(frozen=True, slots=True)
class Accepted:
    """The CRM has the request: GeoReport answers a service_request_id, or a token to resolve it later."""

    request_id: str | None = None
    token: str | None = None


class DeliveryFailure(Exception):
    """An attempt that did not deliver; ``retry_at`` when the CRM said when to come back."""

    def __init__(self, kind: str, reason: str, retry_at: datetime | None = None) -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason
        self.retry_at = retry_at


__all__ = ["Accepted", "DeliveryFailure", "FAILURE_KINDS", "BAD_RESPONSE", "LOOKUP", "NETWORK", "RATE_LIMITED",
           "REJECTED", "SERVER_ERROR", "TIMEOUT"]

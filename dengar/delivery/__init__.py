"""Delivery of forwarded tickets from the outbox to the CRM: Open311 GeoReport v2 or a JSON webhook.

Every row is sent at least once and, through its idempotency key, reaches the CRM at most once:
a webhook gets the key in an ``Idempotency-Key`` header; an Open311 server (whose specification
has no such thing) gets it in an attribute and in the description, and a row that may already
have arrived is looked up with ``GET requests.json`` before it is sent again.
"""

"""GeoReport v2 encoding and answers, on their own: the form, the reference, what a server says back."""

from __future__ import annotations

from datetime import datetime, timezone

from dengar.delivery.georeport import (
    MAX_DESCRIPTION, accepted_from, description_with_reference, errors_from, form_fields, matches, requests_url,
)
from dengar.delivery.outcomes import Accepted
from sink.outbox import OutboxEntry

NOW = datetime(2026, 1, 5, 3, 0, tzinfo=timezone.utc)


def entry(payload: dict, key: str = "dengar-ticket-12") -> OutboxEntry:
    return OutboxEntry(id=1, ticket_id=12, idempotency_key=key, target="crm", payload=payload, attempts=1,
                       next_attempt_at=NOW, delivered_at=None, failed_at=None, last_error=None, last_outcome=None,
                       crm_request_id=None, crm_token=None, claimed_by="a", claimed_until=NOW, created_at=NOW)


def test_form_has_spec_fields_mapped_code_and_attributes_without_empty_values():
    payload = {"service_code": "banjir", "description": "Banjir 50 cm di Jl. Kemang Raya", "lat": -6.26, "long": 106.81,
               "address_string": None, "agency_responsible": "BPBD", "requested_datetime": "2026-01-05T02:00:00+00:00",
               "attributes": {"dengar_ticket": 12, "reports": 3, "channels": ["twitter", "email"], "kelurahan_code": None,
                              "verified": True}}
    fields = form_fields(entry(payload), {"banjir": "FLOOD"}, "jakarta.go.id", "k3y")
    names = [name for name, _ in fields]
    assert ("service_code", "FLOOD") in fields and ("jurisdiction_id", "jakarta.go.id") in fields and ("api_key", "k3y") in fields
    assert ("lat", "-6.26") in fields and ("long", "106.81") in fields
    assert "address_string" not in names and "requested_datetime" not in names and "attribute[kelurahan_code]" not in names
    assert [v for n, v in fields if n == "attribute[channels][]"] == ["twitter", "email"]
    assert ("attribute[verified]", "true") in fields and ("attribute[reports]", "3") in fields
    assert ("attribute[agency_responsible]", "BPBD") in fields and ("attribute[dengar_key]", "dengar-ticket-12") in fields
    assert dict(fields)["description"] == "Banjir 50 cm di Jl. Kemang Raya\n\n[ref dengar-ticket-12]"


def test_an_unmapped_category_is_sent_as_it_is_and_no_key_or_jurisdiction_when_unset():
    fields = form_fields(entry({"service_code": "sampah", "description": "x"}), {}, None, None)
    assert ("service_code", "sampah") in fields
    assert "api_key" not in dict(fields) and "jurisdiction_id" not in dict(fields)


def test_a_long_description_is_cut_so_the_reference_survives():
    text = description_with_reference("a" * 10_000, "dengar-ticket-7")
    assert len(text) <= MAX_DESCRIPTION and text.endswith("[ref dengar-ticket-7]")
    assert description_with_reference(None, "k") == "[ref k]"


def test_answers_with_an_id_a_token_or_wrapped():
    assert accepted_from(b'[{"service_request_id":"638344","service_notice":"","account_id":null}]') == Accepted("638344", None)
    assert accepted_from(b'[{"token":"12345"}]') == Accepted(None, "12345")
    assert accepted_from(b'{"service_requests":[{"service_request_id":7}]}') == Accepted("7", None)
    for unreadable in (b"", b"<html>ok</html>", b"[]", b'[{"service_request_id":{"x":1}}]', b"null", b'"x"'):
        assert accepted_from(unreadable) is None


def test_errors_are_read_as_georeport_says_else_excerpted_safely():
    assert errors_from(b'[{"code":400,"description":"service_code not found"},{"code":400,"description":"lat missing"}]') \
        == "400: service_code not found; 400: lat missing"
    assert errors_from(b"<h1>Bad\r\nRequest</h1>\x1b[31m") == "<h1>Bad Request</h1> [31m"
    assert len(errors_from(b"x" * 100_000)) <= 300


def test_the_reference_matches_only_its_own_key():
    assert matches({"description": "Sampah menumpuk\n\n[ref dengar-ticket-12]"}, "dengar-ticket-12")
    assert not matches({"description": "Sampah\n\n[ref dengar-ticket-12]"}, "dengar-ticket-1")
    assert matches({"description": None, "attributes": {"dengar_key": "dengar-ticket-1"}}, "dengar-ticket-1")
    assert not matches({"description": 5, "extended_attributes": ["dengar-ticket-1"]}, "dengar-ticket-1")


def test_requests_url_accepts_the_root_or_the_document():
    assert requests_url("https://crm.example.org/open311/v2/") == "https://crm.example.org/open311/v2/requests.json"
    assert requests_url("https://crm.example.org/v2/requests.json") == "https://crm.example.org/v2/requests.json"

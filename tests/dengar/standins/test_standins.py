"""The stand-ins speak the protocol as real servers do (what the collectors' tests rely on)."""

from __future__ import annotations

from email.utils import format_datetime
from typing import Any

from dengar.standins.feeds import FeedServerState
from dengar.standins.feeds import create_app as feed_app
from dengar.standins.open311 import Open311State
from dengar.standins.open311 import create_app as open311_app


async def test_feed_server_answers_if_modified_since_and_lets_if_none_match_decide(
        aiohttp_client: Any, repo_root: Any) -> None:
    state = FeedServerState()
    paths = state.load_samples(repo_root / "samples" / "rss")
    client = await aiohttp_client(feed_app(state))
    document = state.documents[paths[0]]
    since = format_datetime(document.modified, usegmt=True)
    assert (await client.get(paths[0], headers={"If-Modified-Since": since})).status == 304
    response = await client.get(paths[0], headers={"If-Modified-Since": since, "If-None-Match": '"other"'})
    assert response.status == 200 and await response.read() == document.body
    assert response.headers["ETag"] == document.etag
    state.publish(paths[0], document.body + b"\n")
    assert (await client.get(paths[0], headers={"If-Modified-Since": since})).status == 200


async def test_georeport_server_refuses_a_span_over_ninety_days_and_pages(aiohttp_client: Any, repo_root: Any) -> None:
    state = Open311State()
    count = state.load_samples(repo_root / "samples" / "open311" / "requests.json")
    client = await aiohttp_client(open311_app(state))
    refused = await client.get("/requests.json", params={"start_date": "2026-01-01T00:00:00Z",
                                                         "end_date": "2026-06-01T00:00:00Z"})
    assert refused.status == 400 and (await refused.json())[0]["code"] == 400
    pages = [await (await client.get("/requests.json", params={"page": str(n), "page_size": "4"})).json()
             for n in range(1, count // 4 + 3)]
    listed = [request["service_request_id"] for page in pages for request in page]
    assert len(listed) == count == len(set(listed))
    dates = [request["requested_datetime"] for page in pages for request in page]
    assert dates == sorted(dates, reverse=True)  # the samples share one offset, so text order is time order

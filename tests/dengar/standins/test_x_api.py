"""The X API v2 stand-in, spoken to over HTTP the way any client would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from collectors.archive.twitter import XArchiveReader
from dengar.standins.x_api import Fault, XApiState, create_app
from dengar.standins.x_query import QueryError, TweetView, compile_query

TOKEN = "stand-in-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
async def api(aiohttp_client: Any) -> tuple[XApiState, Any]:
    state = XApiState(bearer_tokens={TOKEN})
    return state, await aiohttp_client(create_app(state))


async def get(client: Any, path: str, **params: Any) -> tuple[int, Any, Any]:
    response = await client.get(path, params=params, headers=AUTH)
    body = await response.json() if response.content_type == "application/json" else await response.text()
    return response.status, body, response.headers


async def test_requests_without_the_bearer_token_get_a_401_problem(api: tuple[XApiState, Any]) -> None:
    _state, client = api
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        response = await client.get("/2/tweets/search/recent", params={"query": "banjir"}, headers=headers)
        assert response.status == 401
        assert await response.json() == {"title": "Unauthorized", "type": "about:blank", "status": 401,
                                          "detail": "Unauthorized"}


async def test_an_empty_result_is_meta_only(api: tuple[XApiState, Any]) -> None:
    _state, client = api
    status, body, headers = await get(client, "/2/tweets/search/recent", query="banjir")
    assert (status, body) == (200, {"meta": {"result_count": 0}})
    assert headers["x-rate-limit-limit"] == "450"


async def test_default_fields_and_includes_only_for_expansions_asked(api: tuple[XApiState, Any]) -> None:
    state, client = api
    tweet = state.publish_text("Banjir di Kel. Cawang @BPBDJakarta #banjirjakarta", "warga")
    _status, plain, _ = await get(client, "/2/tweets/search/recent", query="banjir")
    assert plain["data"] == [{"id": tweet["id"], "text": tweet["text"], "edit_history_tweet_ids": [tweet["id"]]}]
    assert "includes" not in plain
    assert plain["meta"] == {"newest_id": tweet["id"], "oldest_id": tweet["id"], "result_count": 1}
    _status, full, _ = await get(client, "/2/tweets/search/recent", query="banjir", expansions="author_id",
                                 **{"tweet.fields": "created_at,entities", "user.fields": "created_at"})
    (shaped,) = full["data"]
    assert set(shaped) == {"id", "text", "edit_history_tweet_ids", "created_at", "entities", "author_id"}
    assert full["includes"] == {"users": [{"id": tweet["author_id"], "name": "warga", "username": "warga",
                                           "created_at": "2015-01-01T00:00:00.000Z"}]}


async def test_next_token_pages_cover_every_tweet_once_newest_first(api: tuple[XApiState, Any]) -> None:
    state, client = api
    published = [state.publish_text(f"banjir ke-{n}", "warga")["id"] for n in range(35)]
    served, token, pages = [], None, 0
    while True:
        params = {"query": "banjir", "max_results": "10", **({"next_token": token} if token else {})}
        _status, body, _ = await get(client, "/2/tweets/search/recent", **params)
        served += [tweet["id"] for tweet in body["data"]]
        pages += 1
        token = body["meta"].get("next_token")
        if token is None:
            break
    assert pages == 4
    assert served == sorted(published, key=int, reverse=True)
    assert state.polls == 1, "only the first page of a walk is a poll"


async def test_mentions_page_with_pagination_token(api: tuple[XApiState, Any]) -> None:
    state, client = api
    wanted = [state.publish_text(f"@DKIJakarta sampah ke-{n}", "warga")["id"] for n in range(7)]
    state.publish_text("sampah tanpa sebutan", "warga")
    _status, user, _ = await get(client, "/2/users/by/username/dkijakarta")
    user_id = user["data"]["id"]
    _status, first, _ = await get(client, f"/2/users/{user_id}/mentions", max_results="5")
    _status, second, _ = await get(client, f"/2/users/{user_id}/mentions", max_results="5",
                                   pagination_token=first["meta"]["next_token"])
    assert [t["id"] for t in first["data"] + second["data"]] == sorted(wanted, key=int, reverse=True)
    assert "next_token" not in second["meta"]


@pytest.mark.parametrize(("path", "params", "parameter"), [
    ("/2/tweets/search/recent", {"query": "banjir", "max_results": "5"}, "max_results"),
    ("/2/tweets/search/recent", {"query": "banjir", "tweet.fields": "colour"}, "tweet.fields"),
    ("/2/tweets/search/recent", {"query": "banjir", "pagination": "1"}, "pagination"),
    ("/2/tweets/search/recent", {"query": "place:jakarta"}, "query"),
    ("/2/tweets/search/recent", {"query": "banjir", "next_token": "garbage"}, "next_token"),
    ("/2/tweets/search/recent", {"query": "banjir", "start_time": "2001-01-01T00:00:00Z"}, "start_time"),
    ("/2/users/123/mentions", {"max_results": "101"}, "max_results"),
])
async def test_bad_parameters_get_an_invalid_request_problem(api: tuple[XApiState, Any], path: str,
                                                             params: dict, parameter: str) -> None:
    _state, client = api
    status, body, _ = await get(client, path, **params)
    assert status == 400
    assert body["title"] == "Invalid Request" and parameter in body["errors"][0]["parameters"]


async def test_an_unknown_username_is_a_not_found_error_in_a_200(api: tuple[XApiState, Any]) -> None:
    _state, client = api
    status, body, _ = await get(client, "/2/users/by/username/nobody_here")
    assert status == 200 and body["errors"][0]["title"] == "Not Found Error" and "data" not in body


async def test_fault_switches(api: tuple[XApiState, Any]) -> None:
    state, client = api
    state.rate_limit_reset_at = 1_900_000_000
    state.fail(Fault.RATE_LIMITED, after=1)
    state.fail(Fault.RATE_LIMITED_NO_RESET)
    state.fail(Fault.HTML_503)
    state.fail(Fault.UNAUTHORIZED)
    state.fail(Fault.FORBIDDEN)
    answers = [await client.get("/2/tweets/search/recent", params={"query": "x"}, headers=AUTH) for _ in range(7)]
    assert [a.status for a in answers] == [200, 429, 429, 503, 401, 403, 200]
    assert answers[1].headers["x-rate-limit-reset"] == "1900000000"
    assert answers[1].headers["x-rate-limit-remaining"] == "0"
    assert "x-rate-limit-reset" not in answers[2].headers
    assert answers[3].content_type == "text/html" and "over capacity" in await answers[3].text()
    assert (await answers[5].json())["title"] == "Client Forbidden"


async def test_a_late_indexed_tweet_appears_from_its_kth_poll_with_an_older_id(api: tuple[XApiState, Any]) -> None:
    state, client = api
    early = state.publish_text("banjir pagi", "warga")
    late = state.publish_text("banjir subuh", "warga", created_at=datetime.now(UTC) - timedelta(minutes=2),
                              visible_from_poll=3)
    assert int(late["id"]) < int(early["id"])
    seen = []
    for _ in range(3):
        _status, body, _ = await get(client, "/2/tweets/search/recent", query="banjir")
        seen.append([tweet["id"] for tweet in body["data"]])
    assert seen == [[early["id"]], [early["id"]], [early["id"], late["id"]]]


async def test_recent_search_reaches_seven_days_back(api: tuple[XApiState, Any]) -> None:
    state, client = api
    state.publish_text("banjir bulan lalu", "warga", created_at=datetime.now(UTC) - timedelta(days=30))
    fresh = state.publish_text("banjir hari ini", "warga")
    _status, body, _ = await get(client, "/2/tweets/search/recent", query="banjir")
    assert [tweet["id"] for tweet in body["data"]] == [fresh["id"]]


def test_samples_load_every_archived_tweet(repo_root: Path) -> None:
    state = XApiState()
    folder = repo_root / "samples" / "twitter"
    archived = {item.external_id for path in folder.glob("*.jsonl") for item in XArchiveReader().read(path, "s")}
    assert state.load_samples(folder) >= len(archived) > 0
    assert set(state.tweets) == archived
    assert state.users and state.context_tweets, "authors and retweeted originals come along for includes"


def test_users_only_responses_add_users_not_tweets() -> None:
    state = XApiState()
    assert state.load_response({"data": [{"id": "783214", "name": "Twitter", "username": "Twitter"}]}) == 0
    assert state.user_by_username("twitter") is not None and not state.tweets


# ---- the query evaluator ---------------------------------------------------------------------------

def view(text: str, author: str = "warga", **tweet: Any) -> TweetView:
    return TweetView.of({"id": "1", "text": text, "author_id": "9", **tweet}, {"9": author, "8": "dkijakarta"})


@pytest.mark.parametrize(("query", "text", "extra", "matches"), [
    ("banjir", "Banjir lagi di Cawang", {}, True),
    ("banjir", "#banjir lagi", {}, True),
    ("banjir", "banjirnya surut", {}, False),
    ("banjir OR sampah", "sampah menumpuk", {}, True),
    ("banjir sampah", "sampah menumpuk", {}, False),
    ("(banjir OR sampah) cawang", "sampah di Cawang", {}, True),
    ("(banjir OR sampah) cawang", "sampah di Bidara", {}, False),
    ('"jalan rusak"', "jalan sangat rusak", {}, False),
    ('"jalan rusak"', "Jalan rusak parah", {}, True),
    ("@DKIJakarta", "tolong @dkijakarta", {}, True),
    ("@DKIJakarta", "DKIJakarta tolong", {}, False),
    ("#banjirjakarta", "air naik #BanjirJakarta", {}, True),
    ("banjir -is:retweet", "RT @a: banjir", {"referenced_tweets": [{"type": "retweeted", "id": "2"}]}, False),
    ("banjir -is:retweet", "banjir", {}, True),
    ("banjir is:reply", "banjir juga", {"referenced_tweets": [{"type": "replied_to", "id": "2"}]}, True),
    ("from:warga", "apa saja", {}, True),
    ("to:dkijakarta", "balasan", {"in_reply_to_user_id": "8"}, True),
    ("banjir lang:in", "banjir", {"lang": "in"}, True),
    ("banjir has:geo", "banjir", {}, False),
])
def test_query_evaluator(query: str, text: str, extra: dict, matches: bool) -> None:
    assert compile_query(query)(view(text, **extra)) is matches


@pytest.mark.parametrize("query", ["", "banjir OR", "(banjir", '"banjir', "url:example", "is:nullcast", "x" * 513])
def test_queries_the_evaluator_cannot_read_are_refused(query: str) -> None:
    with pytest.raises(QueryError):
        compile_query(query)

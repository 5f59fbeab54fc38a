"""The Open311 stand-in's POST requests.json answers as GeoReport servers do."""

from __future__ import annotations

from dengar.standins.open311 import Open311State, create_app


async def test_post_validates_checks_the_key_and_lists_the_new_request(aiohttp_client):
    state = Open311State(api_key="k", service_codes={"SAMPAH"})
    client = await aiohttp_client(create_app(state))
    answer = await client.post("/v2/requests.json", data={"api_key": "k", "service_code": "BANJIR"})
    assert answer.status == 400
    errors = await answer.json()
    assert [e["code"] for e in errors] == [400, 400] and "BANJIR" in errors[0]["description"]
    answer = await client.post("/v2/requests.json", data={"api_key": "x", "service_code": "SAMPAH", "lat": "-6.2", "long": "106.8"})
    assert answer.status == 403 and (await answer.json())[0]["description"] == "Invalid api_key"
    answer = await client.post("/v2/requests.json", data=[("api_key", "k"), ("service_code", "SAMPAH"), ("lat", "-6.2"),
                                                          ("long", "106.8"), ("description", "Sampah menumpuk"),
                                                          ("attribute[channels][]", "twitter"), ("attribute[channels][]", "email"),
                                                          ("attribute[reports]", "2")])
    assert answer.status == 201
    [created] = await answer.json()
    assert state.created[0]["attributes"] == {"channels": ["twitter", "email"], "reports": "2"}
    listed = await (await client.get("/v2/requests.json", params={"service_code": "SAMPAH"})).json()
    assert [r["service_request_id"] for r in listed] == [created["service_request_id"]]
    assert "attributes" not in listed[0]
    assert await (await client.get("/v2/requests.json", params={"service_code": "BANJIR"})).json() == []

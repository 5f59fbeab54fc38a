"""Tickets a later message shows to be one incident fold together, in the store too.

Three batches through the real pipeline into SQLite and PostgreSQL: a neighbour's flood report,
then replies to a post not yet seen (they open a ticket of their own), then the post, which joins
the neighbour's ticket. The replies' ticket folds into it: their rows move, they count as reposts
with the flood's category, the folded ticket points at the one it joined, and the audit log says
the machine did it. A ticket an operator has worked on is never folded. And a ticket that named
only the kelurahan folds into the one on a street when a report names both.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import orjson
import pytest
from sqlalchemy import select

from collectors.content_types import TWEET
from collectors.types import RawItem
from dengar.app import build_pipeline
from dengar.settings import load_settings
from sink import ticket_actions
from sink.ticket_folds import BRIDGED
from sink.models import AuditRow, MentionRow, TicketMemberRow, TicketRow

T0 = datetime(2026, 1, 14, 6, 0, tzinfo=timezone.utc)
MENTIONS, MEMBERS, TICKETS, AUDIT = MentionRow.__table__, TicketMemberRow.__table__, TicketRow.__table__, AuditRow.__table__


def tweet(tweet_id: str, text: str, hours: float, reply_to: str | None = None) -> RawItem:
    data: dict = {"id": tweet_id, "text": text, "author_id": f"u{tweet_id}", "lang": "in",
                  "created_at": (T0 + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S.000Z")}
    if reply_to:
        data["referenced_tweets"] = [{"type": "replied_to", "id": reply_to}]
        data["in_reply_to_user_id"] = f"u{reply_to}"
    includes = {"users": [{"id": f"u{tweet_id}", "username": f"warga{tweet_id}", "name": "Warga"}]}
    payload = orjson.dumps({"data": data, "includes": includes})
    return RawItem("twitter", "x-test", tweet_id, payload, TWEET, T0 + timedelta(hours=hours), "test")


NEIGHBOUR = tweet("101", "Banjir setinggi lutut di Kel. Kampung Melayu sejak subuh, air masuk rumah warga @BPBDJakarta", 0)
REPLIES = [tweet("301", "@warga201 up, belum ditangani sampai sekarang", 3, reply_to="201"),
           tweet("302", "@warga201 sama, tolong diurus min", 4, reply_to="201")]
POST = tweet("201", "Kampung Melayu banjir lagi, air sudah sepinggang di rumah warga, tolong kirim perahu karet @BPBDJakarta", 1)


def rows(engine) -> dict[str, dict]:
    with engine.connect() as connection:
        query = select(MENTIONS.c.external_id, MENTIONS.c.ticket_id, MENTIONS.c.category, MEMBERS.c.link_kind).join(
            MEMBERS, MEMBERS.c.mention_id == MENTIONS.c.id)
        return {row.external_id: dict(row._mapping) for row in connection.execute(query)}


def ticket(engine, ticket_id: int):
    with engine.connect() as connection:
        return connection.execute(select(TICKETS).where(TICKETS.c.id == ticket_id)).one()


@pytest.fixture
def pipeline(db_url):
    pipeline = build_pipeline(load_settings(database_url=db_url))
    yield pipeline
    pipeline.engine.dispose()


def test_replies_that_came_first_fold_into_the_ticket_their_post_joins(pipeline):
    pipeline.ingest([NEIGHBOUR])
    pipeline.ingest(REPLIES)
    before = rows(pipeline.engine)
    replies_tickets = {before[reply]["ticket_id"] for reply in ("301", "302")}
    assert before["101"]["ticket_id"] not in replies_tickets

    pipeline.ingest([POST])
    after = rows(pipeline.engine)
    flood_ticket = after["101"]["ticket_id"]
    assert after["201"]["ticket_id"] == flood_ticket and after["201"]["category"] == "banjir"
    for reply in ("301", "302"):
        assert after[reply]["ticket_id"] == flood_ticket
        assert after[reply]["category"] == "banjir"
    assert after["301"]["link_kind"] == "repost"
    for replies_ticket in replies_tickets:
        folded = ticket(pipeline.engine, replies_ticket)
        assert folded.merged_into == flood_ticket and folded.member_count == 0
    joined = ticket(pipeline.engine, flood_ticket)
    assert joined.member_count == 4 and joined.category == "banjir"
    with pipeline.engine.connect() as connection:
        audit = connection.execute(select(AUDIT).where(AUDIT.c.action == "merge")).all()
    assert {row.actor for row in audit} == {"dengar"} and {row.entity_id for row in audit} == {str(t) for t in replies_tickets}

    # a restarted pipeline remembers the fold: a later reply to the same post joins the flood ticket
    restarted = pipeline.within(pipeline.engine)
    restarted.ingest([tweet("303", "@warga201 up lagi, masih banjir", 6, reply_to="201")])
    assert rows(pipeline.engine)["303"]["ticket_id"] == flood_ticket


@pytest.mark.parametrize("touch", ["status", "note"])
def test_a_ticket_an_operator_worked_on_is_not_folded(pipeline, touch):
    pipeline.ingest([NEIGHBOUR])
    pipeline.ingest(REPLIES)
    replies_ticket = rows(pipeline.engine)["301"]["ticket_id"]
    other_reply_ticket = rows(pipeline.engine)["302"]["ticket_id"]
    with pipeline.engine.begin() as connection:
        if touch == "status":
            ticket_actions.set_status(connection, replies_ticket, "koordinasi", "", "operator1")
        else:
            ticket_actions.add_note(connection, replies_ticket, "sudah dicek, tunggu laporan lain", "operator1")

    pipeline.ingest([POST])
    after = rows(pipeline.engine)
    assert after["201"]["ticket_id"] == after["101"]["ticket_id"]
    assert after["301"]["ticket_id"] == replies_ticket and after["301"]["link_kind"] == "new"
    assert ticket(pipeline.engine, replies_ticket).merged_into is None
    assert ticket(pipeline.engine, replies_ticket).member_count == 1
    # the other early reply's ticket, which nobody touched, folds as usual
    assert after["302"]["ticket_id"] == after["101"]["ticket_id"] != other_reply_ticket


def test_a_ticket_opened_by_an_early_reply_takes_its_post_category_and_agency(pipeline):
    pipeline.ingest(REPLIES[:1])
    reply_ticket = rows(pipeline.engine)["301"]["ticket_id"]
    opened = ticket(pipeline.engine, reply_ticket)
    assert opened.category == "lainnya"

    pipeline.ingest([POST])
    after = rows(pipeline.engine)
    assert after["201"]["ticket_id"] == after["301"]["ticket_id"] == reply_ticket
    assert after["301"]["category"] == "banjir" and after["301"]["link_kind"] == "repost"
    joined = ticket(pipeline.engine, reply_ticket)
    assert joined.category == "banjir" and joined.agency == pipeline.route("banjir", joined.kota) != opened.agency


def test_a_report_naming_street_and_kelurahan_folds_the_kelurahan_ticket_into_the_street_one(pipeline):
    pipeline.ingest([tweet("401", "Banjir lagi di Kel. Kampung Melayu, air masuk rumah warga sejak subuh", 0)])
    pipeline.ingest([tweet("402", "Gg. Jambu banjir sepinggang, motor warga pada mogok, tolong @BPBDJakarta", 1)])
    before = rows(pipeline.engine)
    assert before["401"]["ticket_id"] != before["402"]["ticket_id"]

    pipeline.ingest([tweet("403", "Banjir di Gg. Jambu Kel. Kampung Melayu makin tinggi, warga mulai mengungsi", 2)])
    after = rows(pipeline.engine)
    street_ticket = before["402"]["ticket_id"]
    assert after["401"]["ticket_id"] == after["402"]["ticket_id"] == after["403"]["ticket_id"] == street_ticket
    folded = ticket(pipeline.engine, before["401"]["ticket_id"])
    assert folded.merged_into == street_ticket and folded.member_count == 0
    assert ticket(pipeline.engine, street_ticket).member_count == 3
    with pipeline.engine.connect() as connection:
        audit = connection.execute(select(AUDIT).where(AUDIT.c.action == "merge")).one()
    assert audit.actor == "dengar" and audit.after["reason"] == BRIDGED

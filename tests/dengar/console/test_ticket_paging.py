"""A ticket with many messages: the page shows 50 at a time in time order, with the whole ticket counted on top."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import select

from sink import operator
from sink.models import MentionRow, TicketMemberRow, TicketRow
from sink.ticket_queue import MEMBERS_PER_PAGE

TICKETS = TicketRow.__table__
MENTIONS = MentionRow.__table__
MEMBERS = TicketMemberRow.__table__
MESSAGE_KEY = re.compile(r'<article class="message" data-key="([^"]+)"')


def _big_ticket(engine, at_least: int = 2 * MEMBERS_PER_PAGE + 10) -> int:
    """Merge the samples' tickets into the busiest one (through the operator's merge) until it is big."""
    with engine.begin() as connection:
        ids = connection.execute(select(TICKETS.c.id).where(TICKETS.c.merged_into.is_(None), TICKETS.c.member_count > 0)
                                 .order_by(TICKETS.c.member_count.desc(), TICKETS.c.id)).scalars().all()
        target = ids[0]
        for other in ids[1:]:
            if connection.execute(select(TICKETS.c.member_count).where(TICKETS.c.id == target)).scalar_one() >= at_least:
                break
            operator.merge_tickets(connection, other, target, "test")
    return target


def _members_in_order(engine, ticket: int) -> list[str]:
    with engine.connect() as connection:
        rows = connection.execute(select(MENTIONS.c.channel, MENTIONS.c.external_id).where(MENTIONS.c.ticket_id == ticket)
                                  .order_by(MENTIONS.c.created_at, MENTIONS.c.id)).all()
    return [f"{r.channel}:{r.external_id}" for r in rows]


@pytest.mark.parametrize("role", ["admin", "operator", "social", "viewer"])
async def test_every_page_of_a_big_ticket_shows_the_next_messages_in_time_order(console_client, console_engine, role):
    ticket = _big_ticket(console_engine)
    expected = _members_in_order(console_engine, ticket)
    assert len(expected) > 2 * MEMBERS_PER_PAGE
    client = await console_client(role)
    pages = -(-len(expected) // MEMBERS_PER_PAGE)
    shown: list[str] = []
    for page in range(1, pages + 1):
        html = await client.page(f"/tickets/{ticket}?page={page}")
        keys = MESSAGE_KEY.findall(html)
        assert len(keys) == (MEMBERS_PER_PAGE if page < pages else len(expected) - (pages - 1) * MEMBERS_PER_PAGE)
        assert f'data-page="{page}" data-pages="{pages}"' in html
        assert ('rel="next"' in html) == (page < pages) and ('rel="prev"' in html) == (page > 1)
        assert ('class="secondary split"' in html) == (role in ("admin", "operator"))
        shown.extend(keys)
    assert shown == expected


async def test_counts_on_top_cover_the_whole_ticket(console_client, console_engine):
    ticket = _big_ticket(console_engine)
    with console_engine.connect() as connection:
        rows = connection.execute(select(MENTIONS.c.channel, MEMBERS.c.link_kind).outerjoin(MEMBERS, MEMBERS.c.mention_id == MENTIONS.c.id)
                                  .where(MENTIONS.c.ticket_id == ticket)).all()
    channels = Counter(r.channel for r in rows)
    kinds = Counter(r.link_kind or "none" for r in rows)
    assert len(channels) > 1 and "operator" in kinds
    html = await (await console_client("viewer")).page(f"/tickets/{ticket}?page=2")
    assert f"({len(rows)})" in html
    for channel, count in channels.items():
        assert f'data-channel="{channel}" data-count="{count}"' in html
    for kind, count in kinds.items():
        assert f'data-link-kind="{kind}" data-count="{count}"' in html


@pytest.mark.parametrize("page", ["0", "-3", "999", "abc", "1e9"])
async def test_a_page_out_of_range_or_not_a_number_shows_the_nearest_page(console_client, console_engine, page):
    ticket = _big_ticket(console_engine)
    pages = -(-len(_members_in_order(console_engine, ticket)) // MEMBERS_PER_PAGE)
    html = await (await console_client("viewer")).page(f"/tickets/{ticket}?page={page}")
    nearest = pages if page == "999" else 1
    assert f'data-page="{nearest}" data-pages="{pages}"' in html


async def test_a_small_ticket_has_no_pager(console_client, console_engine):
    with console_engine.connect() as connection:
        ticket = connection.execute(select(TICKETS.c.id).where(TICKETS.c.merged_into.is_(None), TICKETS.c.member_count == 2)
                                    .limit(1)).scalar_one()
    html = await (await console_client("operator")).page(f"/tickets/{ticket}")
    assert len(MESSAGE_KEY.findall(html)) == 2 and "message-pager-top" not in html


async def test_signed_out_sees_no_page_of_messages(console_client, console_engine):
    ticket = _big_ticket(console_engine)
    response = await (await console_client(None)).get(f"/tickets/{ticket}?page=2")
    assert response.status == 303 and response.headers["Location"].startswith("/login")

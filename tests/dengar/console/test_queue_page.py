"""The queue page over the imported samples: filters, search, paging links and escaping of ticket titles."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from sink.models import TicketRow

ROW = re.compile(r'<tr data-ticket="(\d+)">')
NEXT = re.compile(r'id="next-page" href="([^"]+)"|href="([^"]+)" id="next-page"')


def _open_tickets(engine, **where) -> set[int]:
    statement = select(TicketRow.id).where(TicketRow.merged_into.is_(None), TicketRow.is_complaint.is_(True),
                                           TicketRow.status.in_(("menunggu", "koordinasi", "disposisi", "proses")))
    for name, value in where.items():
        statement = statement.where(getattr(TicketRow, name) == value)
    with engine.connect() as connection:
        return set(connection.execute(statement).scalars())


async def _walk(client, path: str) -> list[int]:
    """Every ticket on every page, following the "next" links as a person would."""
    seen: list[int] = []
    while path:
        html = await client.page(path)
        seen.extend(int(n) for n in ROW.findall(html))
        match = NEXT.search(html)
        path = (match.group(1) or match.group(2)).replace("&amp;", "&") if match else None
    return seen


async def test_all_open_tickets_are_listed_once_across_pages(console_client, console_engine):
    viewer = await console_client("viewer")
    seen = await _walk(viewer, "/?per_page=5")
    assert len(seen) == len(set(seen))
    assert set(seen) == _open_tickets(console_engine)
    assert len(seen) > 10  # several pages were walked
    assert set(await _walk(viewer, "/")) == set(seen)


async def test_filters_by_category_kota_and_channel_keep_to_what_was_asked(console_client, console_engine):
    viewer = await console_client("viewer")
    assert set(await _walk(viewer, "/?category=banjir&per_page=5")) == _open_tickets(console_engine, category="banjir")
    assert set(await _walk(viewer, "/?kota=Jakarta+Selatan")) == _open_tickets(console_engine, kota="Jakarta Selatan")
    with console_engine.connect() as connection:
        with_open311 = {t.id for t in connection.execute(select(TicketRow.id, TicketRow.channels)) if "open311" in (t.channels or [])}
    assert set(await _walk(viewer, "/?channel=open311")) == with_open311 & _open_tickets(console_engine)
    html = await viewer.page("/?channel=open311&category=banjir")
    assert 'value="banjir" selected' in html and 'value="open311" selected' in html


async def test_search_finds_tickets_by_any_member_text(console_client, console_engine):
    viewer = await console_client("viewer")
    found = await _walk(viewer, "/?q=lampu&status=all")
    assert found
    with console_engine.connect() as connection:
        biggest = connection.execute(select(TicketRow.id).where(func.lower(TicketRow.title).like("%lampu%"))).scalars().all()
    assert set(biggest) <= set(found)
    assert await _walk(viewer, "/?q=tidak-ada-kata-seperti-ini") == []


async def test_nonsense_filters_are_ignored_not_errors(console_client):
    viewer = await console_client("viewer")
    await viewer.page("/?status=<script>&channel=fax&since=kemarin&after=1.2.3.4.5&complaints=maybe")


async def test_ticket_titles_from_citizens_are_escaped_in_the_queue(console_client, console_engine):
    operator = await console_client("operator")
    with console_engine.begin() as connection:
        ticket = connection.execute(select(TicketRow.id).order_by(TicketRow.member_count.desc())).scalar()
        connection.execute(TicketRow.__table__.update().where(TicketRow.id == ticket)
                           .values(title='<img src=x onerror="window.__xss=1">banjir'))
    html = await operator.page("/")
    assert "<img src=x" not in html and "&lt;img src=x" in html

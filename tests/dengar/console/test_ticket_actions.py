"""The ticket page's actions end to end through the app: the database and the audit log change as asked."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from sink.models import AuditRow, MentionRow, OperatorDecisionRow, OutboxRow, TicketRow, TicketStatusRow

TICKETS = TicketRow.__table__


def _ticket(engine, ticket_id: int):
    with engine.connect() as connection:
        return connection.execute(select(TICKETS).where(TICKETS.c.id == ticket_id)).one()


def _busiest(engine, count: int = 2) -> list[int]:
    with engine.connect() as connection:
        return connection.execute(select(TICKETS.c.id).where(TICKETS.c.merged_into.is_(None))
                                  .order_by(TICKETS.c.member_count.desc(), TICKETS.c.id).limit(count)).scalars().all()


def _audit(engine, action: str) -> list:
    with engine.connect() as connection:
        return connection.execute(select(AuditRow.__table__).where(AuditRow.action == action).order_by(AuditRow.id)).all()


async def test_status_walks_the_jakarta_workflow_with_notes_and_stamps_the_sla_times(console_client, console_engine):
    operator = await console_client("operator")
    (ticket,) = _busiest(console_engine, 1)
    for status in ("koordinasi", "disposisi", "proses", "selesai"):
        response = await operator.post_form(f"/tickets/{ticket}/status", {"status": status, "note": f"ke {status}"})
        assert response.status == 303
    row = _ticket(console_engine, ticket)
    assert row.status == "selesai"
    assert row.first_triaged_at <= row.coordinated_at <= row.resolved_at
    with console_engine.connect() as connection:
        steps = connection.execute(select(TicketStatusRow.from_status, TicketStatusRow.to_status, TicketStatusRow.note)
                                   .where(TicketStatusRow.ticket_id == ticket).order_by(TicketStatusRow.id)).all()
    assert steps == [("menunggu", "koordinasi", "ke koordinasi"), ("koordinasi", "disposisi", "ke disposisi"),
                     ("disposisi", "proses", "ke proses"), ("proses", "selesai", "ke selesai")]
    audit = _audit(console_engine, "set_status")
    assert [(a.actor, a.before["status"], a.after["status"]) for a in audit][-1] == ("operator", "proses", "selesai")
    page = await operator.page(f"/tickets/{ticket}")
    assert 'data-sla="resolution" data-state="met' in page and "ke disposisi" in page


async def test_a_skipped_step_and_a_rejection_without_a_reason_are_refused(console_client, console_engine):
    operator = await console_client("operator")
    (ticket,) = _busiest(console_engine, 1)
    response = await operator.post_form(f"/tickets/{ticket}/status", {"status": "selesai"})
    assert response.status == 409
    assert "cannot go to selesai" in await response.text()
    response = await operator.post_form(f"/tickets/{ticket}/status", {"status": "ditolak", "note": "  "})
    assert response.status == 409
    assert _ticket(console_engine, ticket).status == "menunggu"
    response = await operator.post_form(f"/tickets/{ticket}/status", {"status": "ditolak", "note": "bukan wewenang Pemprov"})
    assert response.status == 303
    row = _ticket(console_engine, ticket)
    assert row.status == "ditolak" and row.resolved_at is not None


async def test_merge_then_undo_restores_both_tickets_and_is_audited(console_client, console_engine):
    operator = await console_client("operator")
    target, source = _busiest(console_engine)
    before_target, before_source = _ticket(console_engine, target), _ticket(console_engine, source)
    response = await operator.post_form(f"/tickets/{target}/merge", {"other": f"#{source}"})
    assert response.status == 303
    merged = _ticket(console_engine, target)
    assert merged.member_count == before_target.member_count + before_source.member_count
    assert _ticket(console_engine, source).merged_into == target
    assert merged.first_triaged_at is not None
    page = await operator.page(f"/tickets/{target}")
    assert 'class="secondary undo"' in page
    with console_engine.connect() as connection:
        decision = connection.execute(select(OperatorDecisionRow.id).where(OperatorDecisionRow.kind == "merge")).scalar_one()
    # the merged-away ticket's page says where its messages went, and offers no actions
    source_page = await operator.page(f"/tickets/{source}")
    assert 'id="merged-banner"' in source_page and 'id="status-form"' not in source_page
    response = await operator.post_form(f"/tickets/{target}/undo", {"decision": decision})
    assert response.status == 303
    assert _ticket(console_engine, target).member_count == before_target.member_count
    assert _ticket(console_engine, source).merged_into is None
    # the operator's merge, audited once (the machine's own folds of the samples are audited as merges too)
    assert [a.action for a in _audit(console_engine, "merge") if a.actor == "operator"] == ["merge"]
    assert [a.actor for a in _audit(console_engine, "undo")] == ["operator"]


async def test_merge_refuses_itself_and_unknown_tickets(console_client, console_engine):
    operator = await console_client("admin")
    (ticket,) = _busiest(console_engine, 1)
    for other in (str(ticket), "999999", "abc"):
        response = await operator.post_form(f"/tickets/{ticket}/merge", {"other": other})
        assert response.status in (404, 409), other
    assert _ticket(console_engine, ticket).merged_into is None


async def test_split_moves_one_message_into_a_new_ticket_and_undo_brings_it_back(console_client, console_engine):
    operator = await console_client("operator")
    (ticket,) = _busiest(console_engine, 1)
    count = _ticket(console_engine, ticket).member_count
    with console_engine.connect() as connection:
        message = connection.execute(select(MentionRow.channel, MentionRow.external_id).where(MentionRow.ticket_id == ticket)
                                     .order_by(MentionRow.created_at.desc())).first()
    key = f"{message.channel}:{message.external_id}"
    response = await operator.post_form(f"/tickets/{ticket}/split", {"message": key})
    assert response.status == 303
    new_ticket = int(response.headers["Location"].rsplit("new=", 1)[1])
    assert _ticket(console_engine, ticket).member_count == count - 1
    assert _ticket(console_engine, new_ticket).member_count == 1
    new_page = await operator.page(f"/tickets/{new_ticket}")
    assert f'data-key="{key}"' in new_page
    # a message of another ticket cannot be split out through this one
    response = await operator.post_form(f"/tickets/{ticket}/split", {"message": key})
    assert response.status == 409
    with console_engine.connect() as connection:
        decision = connection.execute(select(OperatorDecisionRow.id).where(OperatorDecisionRow.kind == "split")).scalar_one()
    assert (await operator.post_form(f"/tickets/{new_ticket}/undo", {"decision": decision})).status == 303
    assert _ticket(console_engine, ticket).member_count == count


async def test_category_place_agency_and_not_a_complaint_are_saved_with_before_and_after(console_client, console_engine):
    operator = await console_client("operator")
    (ticket,) = _busiest(console_engine, 1)
    old = _ticket(console_engine, ticket)
    new_category = "banjir" if old.category != "banjir" else "sampah"
    assert (await operator.post_form(f"/tickets/{ticket}/category", {"category": new_category})).status == 303
    assert (await operator.post_form(f"/tickets/{ticket}/category", {"category": "bukan-kategori"})).status == 409
    assert (await operator.post_form(f"/tickets/{ticket}/place", {"kelurahan_code": "31.71.01.1001", "street": "Jl. Gunung Sahari"})).status == 303
    assert (await operator.post_form(f"/tickets/{ticket}/place", {"kelurahan_code": "99.99"})).status == 409
    assert (await operator.post_form(f"/tickets/{ticket}/agency", {"agency": "Suku Dinas SDA Jakarta Pusat"})).status == 303
    row = _ticket(console_engine, ticket)
    assert row.category == new_category
    assert (row.kota, row.kelurahan_code, row.street) == ("Jakarta Pusat", "31.71.01.1001", "Jl. Gunung Sahari")
    assert row.agency == "Suku Dinas SDA Jakarta Pusat"
    (change,) = _audit(console_engine, "set_category")
    assert change.before == {"category": old.category} and change.after == {"category": new_category}
    assert (await operator.post_form(f"/tickets/{ticket}/complaint", {"is_complaint": "0"})).status == 303
    assert not _ticket(console_engine, ticket).is_complaint
    queue = await operator.page("/?status=all")
    assert f'data-ticket="{ticket}"' not in queue
    assert f'data-ticket="{ticket}"' in await operator.page("/?status=all&complaints=0")


async def test_forward_queues_the_ticket_once_with_an_idempotency_key(console_client, console_engine):
    operator = await console_client("operator")
    (ticket,) = _busiest(console_engine, 1)
    assert (await operator.post_form(f"/tickets/{ticket}/forward")).status == 303
    assert (await operator.post_form(f"/tickets/{ticket}/forward")).status == 409
    with console_engine.connect() as connection:
        (outbox,) = connection.execute(select(OutboxRow.__table__).where(OutboxRow.ticket_id == ticket)).all()
    assert outbox.idempotency_key == f"dengar-ticket-{ticket}" and outbox.delivered_at is None
    assert outbox.payload["attributes"]["dengar_ticket"] == ticket
    assert 'id="ticket-crm"' in await operator.page(f"/tickets/{ticket}")


async def test_sla_clock_shows_a_breach_when_coordination_is_late(console_client, console_engine):
    operator = await console_client("viewer")
    (ticket,) = _busiest(console_engine, 1)
    long_ago = datetime.now(timezone.utc) - timedelta(days=10)
    with console_engine.begin() as connection:
        connection.execute(TICKETS.update().where(TICKETS.c.id == ticket).values(first_seen=long_ago))
    page = await operator.page(f"/tickets/{ticket}")
    assert 'data-sla="coordination" data-state="breached"' in page
    assert 'data-sla="resolution" data-state="breached"' in page
    recent = datetime.now(timezone.utc) - timedelta(minutes=30)
    with console_engine.begin() as connection:
        connection.execute(TICKETS.update().where(TICKETS.c.id == ticket).values(first_seen=recent))
    page = await operator.page(f"/tickets/{ticket}")
    assert 'data-sla="coordination" data-state="running"' in page


async def test_audit_log_page_lists_changes_with_before_and_after(console_client, console_engine):
    operator = await console_client("operator")
    (ticket,) = _busiest(console_engine, 1)
    await operator.post_form(f"/tickets/{ticket}/agency", {"agency": "Dinas <b>Uji</b>"})
    page = await operator.page("/audit?action=set_agency")
    assert f'href="/tickets/{ticket}"' in page and "Dinas &lt;b&gt;Uji&lt;/b&gt;" in page

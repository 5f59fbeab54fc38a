"""The place index: a crowded cell gives the tickets touched last, however they were touched."""

from __future__ import annotations

from dedup.index import PlaceIndex

CELL = ("banjir", "kecamatan", "tebet")
OTHER = ("banjir", "kelurahan", "31.74.01.1001")


def test_a_crowded_cell_gives_the_tickets_put_last():
    index = PlaceIndex()
    for ticket_id in range(1, 21):
        index.put(ticket_id, (CELL,))
    for ticket_id in (3, 1, 7):  # old tickets heard from again
        index.put(ticket_id, (CELL,))
    assert sorted(index.newest(CELL, 5)) == [1, 3, 7, 19, 20]
    assert sorted(index.newest(CELL, 50)) == list(range(1, 21))


def test_a_ticket_moved_to_other_cells_is_newest_there_and_gone_from_the_old():
    index = PlaceIndex()
    for ticket_id in range(1, 11):
        index.put(ticket_id, (CELL,))
    index.put(2, (OTHER,))
    assert 2 not in index.newest(CELL, 50) and list(index.newest(OTHER, 5)) == [2]
    index.put(4, (CELL, OTHER))
    assert sorted(index.newest(OTHER, 1)) == [4] and 4 in index.newest(CELL, 1)


def test_dropped_tickets_leave_no_cell_behind():
    index = PlaceIndex()
    index.put(1, (CELL, OTHER))
    index.put(2, (CELL,))
    index.drop(1)
    assert list(index.newest(CELL, 5)) == [2] and not index.newest(OTHER, 5)
    index.drop(2)
    assert len(index) == 0


def test_a_kelurahan_only_ticket_is_listed_as_bare_until_it_names_a_street():
    from dedup.index import bare_kelurahan_cell, ticket_cells
    from dedup.place import MentionPlace, TicketPlace
    from normalizer.types import Place

    bungur = dict(kota="Jakarta Pusat", kecamatan="Senen", kelurahan="Bungur", kelurahan_code="31.71.03.1006")
    bare = bare_kelurahan_cell("banjir", "31.71.03.1006", "bungur")
    ticket = TicketPlace()
    ticket.add(MentionPlace.of(Place(**bungur)))
    index = PlaceIndex()
    index.put(1, ticket_cells("banjir", ticket))
    assert index.lists_any(bare) and not index.lists_any(bare_kelurahan_cell("sampah", "31.71.03.1006", "bungur"))
    ticket.add(MentionPlace.of(Place(**bungur, street="Gang Jambu")))
    index.put(1, ticket_cells("banjir", ticket))
    assert not index.lists_any(bare)

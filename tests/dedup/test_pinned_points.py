"""A report that names no place but was pinned on a map (Qlue, Open311, a geotag) joins the ticket pinned beside it."""

from __future__ import annotations

from dataclasses import replace

from dedup import Deduplicator, LinkKind, MergeRules
from dedup.index import geo_cells, ticket_cells
from dedup.place import MentionPlace, TicketPlace, metres_between, pinned_near
from normalizer.types import GEO_AREA, GeoPoint, Place

PLUIT = Place(kota="Jakarta Utara", kecamatan="Penjaringan", kelurahan="Pluit", kelurahan_code="31.72.01.1004")
CIPINANG_MELAYU = Place(kota="Jakarta Timur", kecamatan="Makasar", kelurahan="Cipinang Melayu", kelurahan_code="31.75.08.1005")
PIN = GeoPoint(-6.1180, 106.7900)
PIN_200_M_NORTH = GeoPoint(-6.1162, 106.7900)
PIN_1_KM_EAST = GeoPoint(-6.1180, 106.7990)


def dedup() -> Deduplicator:
    return Deduplicator(MergeRules())


def test_metres_between_nearby_points():
    assert 190 < metres_between((PIN.lat, PIN.lon), (PIN_200_M_NORTH.lat, PIN_200_M_NORTH.lon)) < 210
    assert 950 < metres_between((PIN.lat, PIN.lon), (PIN_1_KM_EAST.lat, PIN_1_KM_EAST.lon)) < 1050


def test_a_ticket_keeps_a_few_pins_and_is_listed_under_their_squares():
    ticket = TicketPlace()
    for i in range(20):
        ticket.add(MentionPlace(point=(PIN.lat + i * 1e-5, PIN.lon)))
    assert len(ticket.points) == 8  # bounded, whatever the ticket's size
    listed = {cell for cell in ticket_cells("banjir", ticket) if cell[1] == "geo"}
    assert listed and listed <= set(geo_cells("banjir", (PIN.lat, PIN.lon), 300))
    assert pinned_near(ticket, MentionPlace(point=(PIN_200_M_NORTH.lat, PIN_200_M_NORTH.lon)), 300)
    assert not pinned_near(ticket, MentionPlace(point=(PIN_1_KM_EAST.lat, PIN_1_KM_EAST.lon)), 300)
    assert not pinned_near(ticket, MentionPlace(), 300)  # no pin on the mention: nothing to compare


def test_a_placeless_pinned_report_joins_the_ticket_pinned_nearby(complaint):
    d = dedup()
    first = d.assign(replace(complaint("1", "banjir sepinggang di jalan pluit raya, warga ngungsi", channel="qlue", place=PLUIT),
                             geo=PIN))
    placeless = d.assign(replace(complaint("2", "air udah masuk rumah di komplek gue dari tadi", channel="qlue", hours=2),
                                 geo=PIN_200_M_NORTH))
    assert first is not None and placeless is not None
    assert placeless.ticket_id == first.ticket_id and placeless.link_kind is LinkKind.SAME_INCIDENT


def test_a_placeless_pin_far_away_or_of_another_category_or_too_late_opens_its_own_ticket(complaint):
    d = dedup()
    first = d.assign(replace(complaint("1", "banjir sepinggang di jalan pluit raya, warga ngungsi", channel="qlue", place=PLUIT),
                             geo=PIN))
    far = d.assign(replace(complaint("2", "air udah masuk rumah di komplek gue dari tadi", channel="qlue", hours=1),
                           geo=PIN_1_KM_EAST))
    other_problem = d.assign(replace(complaint("3", "sampah numpuk di depan rumah gak diangkut", channel="qlue",
                                               category="sampah", hours=1), geo=PIN_200_M_NORTH))
    weeks_later = d.assign(replace(complaint("4", "air udah masuk rumah lagi di komplek gue", channel="qlue", hours=24 * 21),
                                   geo=PIN_200_M_NORTH))
    assert first is not None and far is not None and other_problem is not None and weeks_later is not None
    assert len({first.ticket_id, far.ticket_id, other_problem.ticket_id, weeks_later.ticket_id}) == 4


def test_a_placeless_report_without_a_pin_opens_its_own_ticket_while_two_floods_are_reported(complaint):
    d = dedup()
    first = d.assign(replace(complaint("1", "banjir sepinggang di jalan pluit raya, warga ngungsi", channel="qlue", place=PLUIT),
                             geo=PIN))
    other = d.assign(complaint("2", "banjir lagi di cipinang melayu, air masuk rumah", place=CIPINANG_MELAYU))
    unpinned = d.assign(complaint("3", "air udah masuk rumah di komplek gue dari tadi", hours=1))
    assert first is not None and other is not None and unpinned is not None
    assert other.ticket_id != first.ticket_id
    assert unpinned.ticket_id not in (first.ticket_id, other.ticket_id)


def test_a_named_place_outranks_a_nearby_pin(complaint):
    """Pins only speak when a side names no place: another kelurahan named is another incident."""
    d = dedup()
    first = d.assign(replace(complaint("1", "banjir sepinggang di jalan pluit raya, warga ngungsi", channel="qlue", place=PLUIT),
                             geo=PIN))
    other_kelurahan = Place(kota="Jakarta Utara", kecamatan="Penjaringan", kelurahan="Penjaringan", kelurahan_code="31.72.01.1001")
    named = d.assign(replace(complaint("2", "banjir di kel penjaringan, air masuk rumah", channel="qlue", place=other_kelurahan,
                                       hours=1), geo=PIN_200_M_NORTH))
    assert first is not None and named is not None and named.ticket_id != first.ticket_id


def test_a_pinned_member_restored_from_storage_keeps_its_pin(complaint):
    d = dedup()
    d.remember(replace(complaint("1", "banjir sepinggang di jalan pluit raya, warga ngungsi", channel="qlue", place=PLUIT),
                       geo=PIN), ticket_id=7)
    placeless = d.assign(replace(complaint("2", "air udah masuk rumah di komplek gue dari tadi", channel="qlue", hours=2),
                                 geo=PIN_200_M_NORTH))
    assert placeless is not None and placeless.ticket_id == 7


def test_a_street_only_ticket_and_a_kelurahan_only_report_pinned_close_together_are_one_incident(complaint):
    """Neither place contradicts the other and neither is narrower; the pins say it is one spot."""
    d = dedup()
    street_only = Place(street="Jalan Pluit Karang")
    first = d.assign(replace(complaint("1", "banjir sepinggang di jalan pluit karang, warga ngungsi", channel="qlue",
                                       place=street_only), geo=PIN))
    near = d.assign(replace(complaint("2", "rumah warga kerendam di kelurahan pluit sejak subuh", channel="open311",
                                      place=PLUIT, hours=3), geo=PIN_200_M_NORTH))
    assert first is not None and near is not None
    assert near.ticket_id == first.ticket_id and near.link_kind is LinkKind.SAME_INCIDENT

    d = dedup()
    first = d.assign(replace(complaint("1", "banjir sepinggang di jalan pluit karang, warga ngungsi", channel="qlue",
                                       place=street_only), geo=PIN))
    far = d.assign(replace(complaint("2", "rumah warga kerendam di kelurahan pluit sejak subuh", channel="open311",
                                     place=PLUIT, hours=3), geo=PIN_1_KM_EAST))
    assert first is not None and far is not None and far.ticket_id != first.ticket_id


def test_the_centre_of_a_tagged_city_is_no_pin(complaint):
    """X tags most geotagged tweets with a whole city: every such tweet has the same centre."""
    d = dedup()
    jakarta_centre = GeoPoint(-6.2250, 106.8250)
    first = d.assign(replace(complaint("1", "air udah masuk rumah di komplek gue dari tadi"), geo=jakarta_centre,
                             flags=frozenset({GEO_AREA})))
    second = d.assign(replace(complaint("2", "banjir lagi depan rumah, motor gak bisa lewat", hours=2), geo=jakarta_centre,
                              flags=frozenset({GEO_AREA})))
    assert first is not None and second is not None and second.ticket_id != first.ticket_id


def test_a_placeless_pin_that_came_first_is_folded_into_the_ticket_a_named_pin_beside_it_joins(complaint):
    """The other order of the test above: the pinned report without a place opened its own ticket
    before the incident's ticket had any pin; a named, pinned report shows the two are one."""
    d = dedup()
    placeless = d.assign(replace(complaint("1", "air udah masuk rumah di komplek gue dari tadi", channel="qlue"),
                                 geo=PIN_200_M_NORTH))
    named = d.assign(complaint("2", "banjir sepinggang di jalan pluit raya, warga ngungsi", place=PLUIT, hours=1))
    far = d.assign(replace(complaint("3", "rumah kebanjiran, barang2 udah diungsikan", channel="qlue", hours=1), geo=PIN_1_KM_EAST))
    named_and_pinned = d.assign(replace(complaint("4", "genangan di pluit makin tinggi, motor mogok", channel="qlue",
                                                  place=PLUIT, hours=2), geo=PIN))
    assert placeless is not None and named is not None and far is not None and named_and_pinned is not None
    assert len({placeless.ticket_id, named.ticket_id, far.ticket_id}) == 3
    assert named_and_pinned.ticket_id == named.ticket_id and named_and_pinned.bridged == (placeless.ticket_id,)
    later = d.assign(replace(complaint("5", "air masih setinggi lutut di gang kami", channel="qlue", hours=3), geo=PIN_200_M_NORTH))
    assert later is not None and later.ticket_id == named.ticket_id


def test_a_pin_with_only_the_city_named_is_folded_like_a_pin_alone(complaint):
    """A pinned report that names only its kota ("KAPAN DIBERSIHIN DI JAKARTA UTARA??") came first; a
    named, pinned report beside it shows the two are one. A pin in another kota stays apart."""
    d = dedup()
    city_only = d.assign(replace(complaint("1", "kapan dibersihin di jakarta utara?? air naik terus", channel="qlue",
                                           place=Place(kota="Jakarta Utara")), geo=PIN_200_M_NORTH))
    other_city = d.assign(replace(complaint("2", "air naik terus di jakarta barat", channel="qlue",
                                            place=Place(kota="Jakarta Barat")), geo=PIN_200_M_NORTH))
    named = d.assign(complaint("3", "banjir sepinggang di jalan pluit raya, warga ngungsi", place=PLUIT, hours=1))
    named_and_pinned = d.assign(replace(complaint("4", "genangan di pluit makin tinggi, motor mogok", channel="qlue",
                                                  place=PLUIT, hours=2), geo=PIN))
    assert city_only is not None and other_city is not None and named is not None and named_and_pinned is not None
    assert named_and_pinned.ticket_id == named.ticket_id and named_and_pinned.bridged == (city_only.ticket_id,)


def test_a_placeless_ticket_pinned_by_a_copy_of_its_report_folds_into_the_ticket_pinned_beside_it(complaint):
    """A tweet naming no place opens its own ticket; its copy on Qlue carries the pin the tweet
    left out, beside the pin of the incident's ticket: the tweet's ticket was that incident."""
    d = dedup()
    named = d.assign(replace(complaint("1", "banjir sepinggang di jalan pluit raya, warga ngungsi", channel="qlue", place=PLUIT),
                             geo=PIN))
    d.assign(complaint("0", "banjir lagi di cipinang melayu, air masuk rumah", place=CIPINANG_MELAYU))  # two floods reported
    said = "depan rumah air udah sepinggang dari subuh, tolong dievakuasi lansia kejebak"
    tweet = d.assign(complaint("2", said, hours=1))
    copy = d.assign(replace(complaint("3", said, channel="qlue", hours=2), geo=PIN_200_M_NORTH))
    assert named is not None and tweet is not None and copy is not None
    assert tweet.ticket_id != named.ticket_id
    assert copy.link_kind is LinkKind.CROSS_POST
    assert copy.ticket_id == named.ticket_id and copy.bridged == (tweet.ticket_id,)
    far = d.assign(complaint("4", "rumah kebanjiran, barang2 udah diungsikan semua ke lantai dua", hours=3))
    far_copy = d.assign(replace(complaint("5", "rumah kebanjiran, barang2 udah diungsikan semua ke lantai dua", channel="qlue",
                                          hours=4), geo=PIN_1_KM_EAST))
    assert far is not None and far_copy is not None
    assert far_copy.ticket_id == far.ticket_id != named.ticket_id and not far_copy.bridged


def test_pins_of_a_flood_or_a_jam_join_from_further_than_pins_of_one_spot(complaint):
    """A flood covers blocks; a pothole is one spot: the pins of its reports lie closer together."""
    pin_700_m_east = GeoPoint(PIN.lat, PIN.lon + 0.0063)
    assert 650 < metres_between((PIN.lat, PIN.lon), (pin_700_m_east.lat, pin_700_m_east.lon)) < 750
    rules = MergeRules()
    assert rules.pinned_metres_for("banjir") > 700 > rules.pinned_metres_for("jalan_rusak")
    d = dedup()
    flood = d.assign(replace(complaint("1", "banjir sepinggang di jalan pluit raya, warga ngungsi", channel="qlue", place=PLUIT),
                             geo=PIN))
    pothole = d.assign(replace(complaint("2", "lubang besar di jalan pluit raya, motor jatuh", channel="qlue",
                                         category="jalan_rusak", place=PLUIT), geo=PIN))
    flood_nearby = d.assign(replace(complaint("3", "air udah masuk rumah di komplek gue dari tadi", channel="qlue", hours=1),
                                    geo=pin_700_m_east))
    pothole_nearby = d.assign(replace(complaint("4", "aspal ambles di depan rumah, bahaya", channel="qlue",
                                                category="jalan_rusak", hours=1), geo=pin_700_m_east))
    assert flood is not None and pothole is not None and flood_nearby is not None and pothole_nearby is not None
    assert flood_nearby.ticket_id == flood.ticket_id
    assert pothole_nearby.ticket_id != pothole.ticket_id


def test_the_grid_searched_around_a_pin_reaches_the_distance_asked():
    assert len(geo_cells("banjir", (PIN.lat, PIN.lon), 300)) == 9
    assert len(geo_cells("banjir", (PIN.lat, PIN.lon), 800)) == 25
    assert geo_cells("banjir", None, 300) == []

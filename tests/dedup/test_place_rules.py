"""Same incident by place and time: people tell one problem in their own words (DESIGN.md §4, rule 4)."""

from __future__ import annotations

import pytest

from dedup import Deduplicator, LinkKind, MergeRules
from dedup.index import PlaceIndex, place_cells, ticket_cells
from dedup.place import MentionPlace, Specificity, TicketPlace, compare_place, normalized_street, streets_agree
from normalizer.types import Place

KEBAYORAN_LAMA = dict(kota="Jakarta Selatan", kecamatan="Kebayoran Lama")
GROGOL_UTARA = dict(KEBAYORAN_LAMA, kelurahan="Grogol Utara", kelurahan_code="31.74.05.1004")
CIPULIR = dict(KEBAYORAN_LAMA, kelurahan="Cipulir", kelurahan_code="31.74.05.1006")
KRAMAT_JATI = dict(kota="Jakarta Timur", kecamatan="Kramat Jati")
PASAR_MINGGU_KECAMATAN = dict(kota="Jakarta Selatan", kecamatan="Pasar Minggu")
# "di Pasar Minggu": the seat kelurahan, or anywhere in the kecamatan of the same name
PASAR_MINGGU_SAID_BARE = dict(PASAR_MINGGU_KECAMATAN, kelurahan="Pasar Minggu", kelurahan_code="31.74.04.1001",
                              may_mean_kecamatan=True)
JATI_PADANG = dict(PASAR_MINGGU_KECAMATAN, kelurahan="Jati Padang", kelurahan_code="31.74.04.1002")
CILANDAK_TIMUR = dict(PASAR_MINGGU_KECAMATAN, kelurahan="Cilandak Timur", kelurahan_code="31.74.04.1003")
RAMBUTAN = dict(kota="Jakarta Timur", kecamatan="Ciracas", kelurahan="Rambutan", kelurahan_code="31.75.09.1005")
JAKARTA_SELATAN = dict(kota="Jakarta Selatan")  # "di Jaksel"
KEBON_KOSONG = dict(kota="Jakarta Pusat", kecamatan="Kemayoran", kelurahan="Kebon Kosong", kelurahan_code="31.71.03.1004")


def dedup() -> Deduplicator:
    return Deduplicator(MergeRules())


def test_same_kelurahan_and_category_in_window_joins_whatever_the_words(complaint):
    d = dedup()
    first = d.assign(complaint("1", "Aspal di depan pasar ambles, motor pada jatuh tadi pagi", category="jalan_rusak",
                               place=Place(**GROGOL_UTARA)))
    second = d.assign(complaint("2", "kapan diperbaiki?? lubangnya makin gede, ban mobil gue pecah semalem",
                                category="jalan_rusak", place=Place(**GROGOL_UTARA), hours=20))
    assert first is not None and second is not None
    assert second.ticket_id == first.ticket_id and second.link_kind is LinkKind.SAME_INCIDENT


def test_a_street_named_on_one_side_only_is_no_conflict(complaint):
    d = dedup()
    street = Place(**GROGOL_UTARA, street="Jalan Raya Kebayoran Lama")
    first = d.assign(complaint("1", "Jalan berlubang di Jl. Raya Kebayoran Lama, sudah dua motor jatuh", category="jalan_rusak",
                               place=street))
    no_street = d.assign(complaint("2", "di grogol utara aspalnya ancur, ojol pada ogah lewat", category="jalan_rusak",
                                   place=Place(**GROGOL_UTARA), hours=3))
    other_street = d.assign(complaint("3", "Jl. Kemandoran berlubang dalam, tolong ditambal", category="jalan_rusak",
                                      place=Place(**GROGOL_UTARA, street="Jalan Kemandoran"), hours=4))
    assert first is not None and no_street is not None and other_street is not None
    assert no_street.ticket_id == first.ticket_id
    assert other_street.ticket_id != first.ticket_id  # a conflicting street keeps them apart


def test_the_same_street_joins_without_a_kelurahan_unless_the_kecamatan_disagrees(complaint):
    d = dedup()
    first = d.assign(complaint("1", "Lubang besar di Jl. Raya Bogor depan terminal, truk pada oleng", category="jalan_rusak",
                               place=Place(**RAMBUTAN, street="Jalan Raya Bogor")))
    street_only = d.assign(complaint("2", "raya bogor tuh ya, tiap ujan lubangnya nambah", category="jalan_rusak",
                                     place=Place(street="Jl. Raya Bogor"), hours=5))
    # a long road: the same street name in another kecamatan is another stretch of road
    other_kecamatan = d.assign(complaint("3", "Jl. Raya Bogor depan pasar induk aspalnya hancur", category="jalan_rusak",
                                         place=Place(**KRAMAT_JATI, street="Jalan Raya Bogor"), hours=6))
    assert first is not None and street_only is not None and other_kecamatan is not None
    assert street_only.ticket_id == first.ticket_id and street_only.link_kind is LinkKind.SAME_INCIDENT
    assert other_kecamatan.ticket_id != first.ticket_id


def test_the_same_street_in_two_kelurahan_is_two_places(complaint):
    d = dedup()
    first = d.assign(complaint("1", "Banjir sebetis di Jl. Ciledug Raya, air masuk toko", place=Place(**GROGOL_UTARA, street="Jalan Ciledug Raya")))
    other = d.assign(complaint("2", "Ciledug Raya tergenang lagi, mobil mogok", place=Place(**CIPULIR, street="Jalan Ciledug Raya"), hours=1))
    assert first is not None and other is not None and other.ticket_id != first.ticket_id


def test_street_names_agree_on_their_first_words_and_road_states_are_no_names():
    assert normalized_street("Jl. Raya Kebayoran Lama") == "raya kebayoran lama"
    assert streets_agree("raya kebayoran lama", "raya kebayoran lama grogol")
    assert streets_agree("damai", "damai susukan")
    assert not streets_agree("kemang raya", "kemang selatan")
    assert not streets_agree("damai", "damaiyanti")
    assert normalized_street("jalan rusak di") is None and normalized_street("Jalan umum") is None
    ticket = TicketPlace()
    ticket.add(MentionPlace.of(Place(**GROGOL_UTARA, street="Jalan Raya Kebayoran Lama Grogol")))
    assert compare_place(ticket, MentionPlace.of(Place(**GROGOL_UTARA, street="Jl. Raya Kebayoran Lama"))).specificity is Specificity.SPOT
    assert compare_place(ticket, MentionPlace.of(Place(**GROGOL_UTARA, street="jalan rusak"))).specificity is Specificity.KELURAHAN
    assert compare_place(ticket, MentionPlace.of(Place(**GROGOL_UTARA, street="Jalan Kemandoran"))).conflict


def test_titles_and_initials_that_open_a_street_name_are_left_out_of_it():
    """As the streets are written and as the normalizer reads them ("Dr." reads as slang "dari")."""
    assert normalized_street("jalan jend sudirman") == normalized_street("Jl. Sudirman") == "sudirman"
    assert normalized_street("jalan prof dari satrio") == normalized_street("jalan dari satrio") == "satrio"
    assert normalized_street("jalan m h thamrin") == "thamrin"
    assert normalized_street("jalan ir h juanda") == "juanda"
    assert normalized_street("jalan h nawi raya") == "nawi raya" and streets_agree("nawi raya", normalized_street("jalan haji nawi"))
    assert normalized_street("jalan h") == "h"  # a name is never left empty
    assert not streets_agree(normalized_street("jalan jend sudirman"), normalized_street("jalan jend gatot subroto"))


def test_messages_without_a_place_join_only_a_near_copy(complaint):
    d = dedup()
    text = "Sudah tiga hari sampah tidak diangkut di depan gang, bau menyengat sampai ke dalam rumah"
    first = d.assign(complaint("1", text, category="sampah"))
    other_words = d.assign(complaint("2", "tumpukan sampah makin tinggi, lalat di mana-mana, tolong diangkut", category="sampah", hours=1))
    copy = d.assign(complaint("3", text + " tolong", category="sampah", channel="qlue", hours=2))
    assert first is not None and other_words is not None and copy is not None
    assert other_words.ticket_id != first.ticket_id
    assert copy.ticket_id == first.ticket_id and copy.link_kind is LinkKind.CROSS_POST


@pytest.mark.parametrize(("ticket_place", "report_place"), [
    (GROGOL_UTARA, KEBAYORAN_LAMA),  # the report names only the kecamatan
    (JATI_PADANG, PASAR_MINGGU_SAID_BARE),  # or a kelurahan by the kecamatan's name, which may mean all of it
    (GROGOL_UTARA, JAKARTA_SELATAN),  # or only its kota
])
def test_a_report_placed_only_by_its_kecamatan_joins_the_one_ticket_of_its_category_there(complaint, ticket_place, report_place):
    d = dedup()
    first = d.assign(complaint("1", "Lampu jalan mati sepanjang gang dekat musholla, gelap gulita rawan begal", category="lampu_jalan",
                               place=Place(**ticket_place)))
    unlike = d.assign(complaint("2", "PJU padam dari kemarin malam, tolong Distamhut", category="lampu_jalan",
                                place=Place(**report_place), hours=3))
    other_problem = d.assign(complaint("3", "Got mampet dari kemarin malam, tolong", category="saluran_air",
                                       place=Place(**report_place), hours=4))
    assert first is not None and unlike is not None and other_problem is not None
    assert unlike.ticket_id == first.ticket_id and unlike.link_kind is LinkKind.SAME_INCIDENT
    assert other_problem.ticket_id != first.ticket_id


@pytest.mark.parametrize(("ticket_places", "report_place"), [
    ((GROGOL_UTARA, CIPULIR), KEBAYORAN_LAMA),
    ((JATI_PADANG, CILANDAK_TIMUR), PASAR_MINGGU_SAID_BARE),
    ((GROGOL_UTARA, JATI_PADANG), JAKARTA_SELATAN),
])
def test_with_two_tickets_of_the_category_in_the_kecamatan_only_some_text_in_common_decides(complaint, ticket_places, report_place):
    d = dedup()
    first = d.assign(complaint("1", "Lampu jalan mati sepanjang gang dekat musholla, gelap gulita rawan begal", category="lampu_jalan",
                               place=Place(**ticket_places[0])))
    second = d.assign(complaint("2", "tiang PJU miring hampir roboh, kabelnya menjuntai ke jalan", category="lampu_jalan",
                                place=Place(**ticket_places[1]), hours=1))
    alike = d.assign(complaint("3", "gelap gulita rawan begal, lampu jalan mati semua dekat musholla", category="lampu_jalan",
                               place=Place(**report_place), hours=2))
    unlike = d.assign(complaint("4", "PJU padam dari kemarin malam, tolong Distamhut", category="lampu_jalan",
                                place=Place(**report_place), hours=3))
    assert first is not None and second is not None and alike is not None and unlike is not None
    assert second.ticket_id != first.ticket_id
    assert alike.ticket_id == first.ticket_id
    assert unlike.ticket_id not in (first.ticket_id, second.ticket_id)


def test_a_report_placed_only_by_its_kota_does_not_join_a_ticket_in_another_kota(complaint):
    d = dedup()
    first = d.assign(complaint("1", "Lampu jalan mati sepanjang gang dekat musholla", category="lampu_jalan", place=Place(**RAMBUTAN)))
    elsewhere = d.assign(complaint("2", "PJU padam dari kemarin malam", category="lampu_jalan", place=Place(**JAKARTA_SELATAN), hours=1))
    assert first is not None and elsewhere is not None and elsewhere.opened


def test_a_report_that_names_its_kelurahan_or_street_is_not_vague_enough_to_join_the_kecamatan_s_one_ticket(complaint):
    d = dedup()
    bare = d.assign(complaint("1", "air naik terus dari subuh, warga ngungsi ke musholla", category="banjir",
                              place=Place(**PASAR_MINGGU_SAID_BARE)))
    named = d.assign(complaint("2", "Banjir sepinggang, mobil mogok semua", category="banjir", place=Place(**JATI_PADANG), hours=1))
    street = d.assign(complaint("3", "genangan tinggi bikin motor mogok", category="banjir",
                                place=Place(**PASAR_MINGGU_KECAMATAN, street="Jalan Raya Ragunan"), hours=2))
    assert bare is not None and named is not None and street is not None
    assert named.ticket_id != bare.ticket_id
    assert street.ticket_id not in (bare.ticket_id, named.ticket_id)


def test_of_several_compatible_tickets_the_one_on_the_same_street_wins(complaint):
    d = dedup()
    kelurahan_only = d.assign(complaint("1", "Got mampet di grogol utara, air hitam meluap", category="saluran_air",
                                        place=Place(**GROGOL_UTARA)))
    # a second incident in the same kelurahan, on a named street, later and so more recent
    d.remember(complaint("2", "Saluran di Jl. Kemandoran tersumbat sampah", category="saluran_air",
                         place=Place(**GROGOL_UTARA, street="Jalan Kemandoran"), hours=1), 7)
    # without a street both tickets fit: the closer text wins, the other is suggested
    vague = d.assign(complaint("4", "got mampet di grogol utara, air hitam meluap lagi", category="saluran_air",
                               place=Place(**GROGOL_UTARA), hours=3))
    assert kelurahan_only is not None and vague is not None
    assert vague.ticket_id == kelurahan_only.ticket_id
    assert 7 in {ticket for ticket, _ in vague.candidates}
    # a report on the street names that kelurahan too: the kelurahan-only ticket was this incident
    on_the_street = d.assign(complaint("3", "air got meluap terus di kemandoran tiap hujan", category="saluran_air",
                                       place=Place(**GROGOL_UTARA, street="Jl. Kemandoran"), hours=4))
    assert on_the_street is not None and on_the_street.ticket_id == 7
    assert on_the_street.bridged == (kelurahan_only.ticket_id,) and on_the_street.folded == (kelurahan_only.ticket_id,)
    later = d.assign(complaint("5", "got mampet di grogol utara", category="saluran_air", place=Place(**GROGOL_UTARA), hours=5))
    assert later is not None and later.ticket_id == 7


def test_a_reply_that_gives_a_street_ticket_its_kelurahan_folds_in_that_kelurahan_s_ticket(complaint):
    d = dedup()
    street = d.assign(complaint("1", "selokan tersumbat di Jl. Benyamin Sueb, air hitam meluap", category="saluran_air",
                                place=Place(kota="Jakarta Pusat", kecamatan="Kemayoran", street="Jalan Benyamin Sueb")))
    kelurahan_only = d.assign(complaint("2", "got mampet di kebon kosong, tolong dikeruk", category="saluran_air",
                                        place=Place(**KEBON_KOSONG), hours=2))
    assert street is not None and kelurahan_only is not None and kelurahan_only.ticket_id != street.ticket_id
    # the reply places the street's drain in Kebon Kosong, as "Jl. Benyamin Sueb, Kebon Kosong" would
    reply = d.assign(complaint("3", "ini udah dari kemaren, kapan dibersihin di Kel. Kebon Kosong??", category="saluran_air",
                               place=Place(**KEBON_KOSONG), hours=30, reply_to="1"))
    assert reply is not None and (reply.ticket_id, reply.link_kind) == (street.ticket_id, LinkKind.REPOST)
    assert reply.bridged == (kelurahan_only.ticket_id,)
    later = d.assign(complaint("4", "got mampet di kebon kosong", category="saluran_air", place=Place(**KEBON_KOSONG), hours=31))
    assert later is not None and later.ticket_id == street.ticket_id


PULO_GADUNG = dict(kota="Jakarta Timur", kecamatan="Pulogadung", kelurahan="Pulo Gadung", kelurahan_code="31.75.02.1001")


def test_a_reply_that_places_a_placeless_thread_folds_it_into_the_ticket_at_that_place(complaint):
    d = dedup()
    for number, kelurahan in enumerate((GROGOL_UTARA, JATI_PADANG)):  # blocked drains reported elsewhere too
        d.assign(complaint(f"9{number}", "got mampet, air meluap ke jalan", category="saluran_air", place=Place(**kelurahan)))
    post = d.assign(complaint("100", "depan rumah got nya udah nggak ngalir, udah lapor berkali2", category="saluran_air"))
    there = d.assign(complaint("200", "selokan tersumbat di Jl. Pemuda, air hitam meluap", category="saluran_air",
                               place=Place(**PULO_GADUNG, street="Jalan Pemuda"), hours=1))
    assert post is not None and there is not None and there.ticket_id != post.ticket_id
    reply = d.assign(complaint("101", "sama, tadi lewat Jl. Pemuda kel pulo gadung juga gitu", category="saluran_air",
                               place=Place(**PULO_GADUNG, street="Jalan Pemuda"), hours=2, reply_to="100"))
    assert reply is not None and reply.ticket_id == there.ticket_id and reply.bridged == (post.ticket_id,)
    again = d.assign(complaint("100", "depan rumah got nya udah nggak ngalir, udah lapor berkali2", category="saluran_air"))
    assert again is not None and again.ticket_id == there.ticket_id  # the post now stands on that ticket


def test_a_placed_reply_leaves_a_thread_alone_with_no_ticket_there_or_split_off_by_an_operator(complaint):
    d = dedup()
    lonely = d.assign(complaint("100", "depan rumah got nya udah nggak ngalir", category="saluran_air"))
    reply = d.assign(complaint("101", "sama di Jl. Pemuda kel pulo gadung", category="saluran_air",
                               place=Place(**PULO_GADUNG, street="Jalan Pemuda"), hours=1, reply_to="100"))
    assert lonely is not None and reply is not None and reply.ticket_id == lonely.ticket_id and not reply.bridged
    post = d.assign(complaint("300", "got mampet depan rumah dari kemarin", category="saluran_air", hours=2))
    there = d.assign(complaint("400", "selokan tersumbat di Jl. Pemuda", category="saluran_air",
                               place=Place(**PULO_GADUNG, street="Jalan Pemuda"), hours=3))
    assert post is not None and there is not None
    d.forbid(post.ticket_id, there.ticket_id)
    split_reply = d.assign(complaint("301", "di Jl. Pemuda kel pulo gadung juga", category="saluran_air",
                                     place=Place(**PULO_GADUNG, street="Jalan Pemuda"), hours=4, reply_to="300"))
    assert split_reply is not None and split_reply.ticket_id == post.ticket_id and not split_reply.bridged


def test_a_report_that_fits_two_tickets_alike_joins_the_one_more_people_report(complaint):
    d = dedup()
    busy = [d.assign(complaint(f"b{i}", text, category="jalan_rusak", place=Place(**GROGOL_UTARA, street="Jalan Kemandoran"), hours=i))
            for i, text in enumerate(["Jl. Kemandoran berlubang besar", "lubang kemandoran makin dalam", "ban pecah di kemandoran"])]
    quiet = d.assign(complaint("q1", "aspal Jl. Masjid ngelupas", category="jalan_rusak",
                               place=Place(**GROGOL_UTARA, street="Jalan Masjid"), hours=3))
    assert all(a is not None for a in busy) and quiet is not None
    assert len({a.ticket_id for a in busy}) == 1 and quiet.ticket_id != busy[0].ticket_id
    # no street, words like neither: the kelurahan fits both, and more people report the first
    vague = d.assign(complaint("v1", "jalan ancur di grogol utara, tolong", category="jalan_rusak", place=Place(**GROGOL_UTARA), hours=4))
    assert vague is not None and vague.ticket_id == busy[0].ticket_id
    assert quiet.ticket_id in {ticket for ticket, _ in vague.candidates}


def test_a_kelurahan_ticket_stays_apart_from_a_street_report_of_another_kind_or_split_off(complaint):
    d = dedup()
    kelurahan_only = d.assign(complaint("1", "Got mampet di grogol utara, air hitam meluap", category="saluran_air",
                                        place=Place(**GROGOL_UTARA)))
    d.remember(complaint("2", "Jl. Kemandoran berlubang besar", category="jalan_rusak",
                         place=Place(**GROGOL_UTARA, street="Jalan Kemandoran"), hours=1), 7)
    other_kind = d.assign(complaint("3", "lubang makin besar di kemandoran", category="jalan_rusak",
                                    place=Place(**GROGOL_UTARA, street="Jl. Kemandoran"), hours=2))
    assert kelurahan_only is not None and other_kind is not None and other_kind.ticket_id == 7 and other_kind.bridged == ()
    d.remember(complaint("4", "Saluran di Jl. Kemandoran tersumbat sampah", category="saluran_air",
                         place=Place(**GROGOL_UTARA, street="Jalan Kemandoran"), hours=3), 8)
    d.forbid(kelurahan_only.ticket_id, 8)  # an operator split them
    on_the_street = d.assign(complaint("5", "air got meluap terus di kemandoran", category="saluran_air",
                                       place=Place(**GROGOL_UTARA, street="Jl. Kemandoran"), hours=4))
    assert on_the_street is not None and on_the_street.ticket_id == 8 and on_the_street.bridged == ()


def test_a_reply_without_a_place_follows_its_thread_whatever_its_category(complaint):
    d = dedup()
    post = d.assign(complaint("100", "Sampah dibuang ke kali tiap subuh di pinggir jalan, tolong ditindak", category="sampah",
                              place=Place(**CIPULIR)))
    reply = d.assign(complaint("101", "sama min, rumah aye juga kerendem", category="banjir", hours=1, reply_to="100"))
    # a reply that names its own place elsewhere is its own complaint
    elsewhere = d.assign(complaint("102", "di rambutan juga banjir sepinggang, tolong perahu", category="banjir", hours=1,
                                   reply_to="100", place=Place(**RAMBUTAN)))
    # a quote is a post of its own: another problem at the same spot is another ticket
    quote = d.assign(complaint("103", "belum lagi lampu jalannya mati juga di situ", category="lampu_jalan", hours=1, quote_of="100"))
    assert post is not None and reply is not None and elsewhere is not None and quote is not None
    assert (reply.ticket_id, reply.link_kind) == (post.ticket_id, LinkKind.REPOST)
    assert elsewhere.ticket_id != post.ticket_id
    assert quote.ticket_id != post.ticket_id


def test_a_thread_comment_on_a_post_that_is_no_complaint_is_judged_on_its_own(complaint):
    d = dedup()
    d.assign(complaint("Cx1", "Selamat pagi warga Jakarta, yuk jaga kebersihan", channel="instagram", is_complaint=False))
    comment = d.assign(complaint("1799", "min lampu jalan di gang rumah saya mati seminggu", channel="instagram",
                                 category="lampu_jalan", reply_to="Cx1", place=Place(**CIPULIR)))
    assert comment is not None and comment.opened


def test_two_uncategorized_reports_join_on_one_street_but_not_on_a_kelurahan(complaint):
    d = dedup()
    street = Place(**CIPULIR, street="Jalan Masjid")
    first = d.assign(complaint("1", "tetangga nyetel musik kenceng tiap malem di jalan Masjid", category="lainnya", place=street))
    same_street = d.assign(complaint("2", "Jl. Masjid berisik terus sampai subuh, tolong ditertibkan", category="lainnya",
                                     place=street, hours=5))
    same_kelurahan = d.assign(complaint("3", "kabel menjuntai rendah di cipulir, bahaya", category="lainnya",
                                        place=Place(**CIPULIR), hours=6))
    assert first is not None and same_street is not None and same_kelurahan is not None
    assert same_street.ticket_id == first.ticket_id
    assert same_kelurahan.ticket_id != first.ticket_id


def test_the_window_still_separates_incidents_at_one_place(complaint):
    d = dedup()
    first = d.assign(complaint("1", "banjir di grogol utara", place=Place(**GROGOL_UTARA)))
    weeks_later = d.assign(complaint("2", "grogol utara kebanjiran lagi", place=Place(**GROGOL_UTARA), hours=24 * 20))
    assert first is not None and weeks_later is not None and weeks_later.opened


def test_a_ticket_that_learns_its_kelurahan_leaves_the_cells_of_tickets_without_one():
    index = PlaceIndex()
    ticket = TicketPlace()
    ticket.add(MentionPlace.of(Place(kecamatan="Kebayoran Lama", street="Jalan Ciledug Raya")))
    index.put(5, ticket_cells("banjir", ticket))
    with_kelurahan = MentionPlace.of(Place(**GROGOL_UTARA, street="Jalan Ciledug Raya"))
    assert all(5 in index.newest(cell, 10) for cell in place_cells("banjir", with_kelurahan) if cell[1].endswith("_only"))
    ticket.add(with_kelurahan)
    index.put(5, ticket_cells("banjir", ticket))
    cells = place_cells("banjir", with_kelurahan)
    assert list(index.newest(cells[0], 10)) == [5]  # its kelurahan
    assert not any(index.newest(cell, 10) for cell in cells if cell[1].endswith("_only"))  # no longer "without a kelurahan"
    index.drop(5)
    assert len(index) == 0


def test_a_kelurahan_that_may_mean_its_kecamatan_agrees_with_its_neighbours_as_far_as_the_kecamatan():
    bare = MentionPlace.of(Place(**PASAR_MINGGU_SAID_BARE))
    neighbour = TicketPlace()
    neighbour.add(MentionPlace.of(Place(**JATI_PADANG)))
    assert compare_place(neighbour, bare).specificity is Specificity.AREA
    elsewhere = TicketPlace()
    elsewhere.add(MentionPlace.of(Place(**GROGOL_UTARA)))
    assert compare_place(elsewhere, bare).conflict  # another kecamatan
    named_outright = TicketPlace()
    named_outright.add(MentionPlace.of(Place(**CILANDAK_TIMUR)))
    assert compare_place(named_outright, MentionPlace.of(Place(**JATI_PADANG))).conflict


def test_a_ticket_opened_by_the_kecamatan_s_name_is_found_from_its_kelurahan_and_then_bears_that_name(complaint):
    d = dedup()
    said = "air naik terus dari subuh, warga ngungsi ke musholla"
    places = (PASAR_MINGGU_SAID_BARE, CILANDAK_TIMUR, JATI_PADANG)
    assignments = [d.assign(complaint(str(i), said, category="banjir", place=Place(**place), hours=i)) for i, place in enumerate(places)]
    bare, outright, neighbour = (assignment.ticket_id for assignment in assignments if assignment is not None)
    assert outright == bare
    assert neighbour != bare  # the ticket is Cilandak Timur's now: another kelurahan


def test_a_ticket_named_bare_takes_the_kelurahan_a_member_names_outright():
    ticket = TicketPlace()
    ticket.add(MentionPlace.of(Place(**PASAR_MINGGU_SAID_BARE)))
    assert ticket.kelurahan == "pasar minggu" and ticket.may_mean_kecamatan
    assert ticket.add(MentionPlace.of(Place(**CILANDAK_TIMUR)))
    assert (ticket.kelurahan_code, ticket.may_mean_kecamatan) == ("31.74.04.1003", False)
    ticket.add(MentionPlace.of(Place(**JATI_PADANG)))
    assert ticket.kelurahan_code == "31.74.04.1003"  # the first named outright stays


def test_a_report_that_names_no_place_joins_the_one_ticket_of_its_category_being_reported(complaint):
    """"banjir depan rumah" while one flood is being reported in the city is likelier that flood than a new one."""
    d = dedup()
    flood = d.assign(complaint("1", "Banjir sepinggang di Jatipadang, warga mengungsi", category="banjir", place=Place(**JATI_PADANG)))
    pothole = d.assign(complaint("2", "Aspal ambles di Grogol Utara", category="jalan_rusak", place=Place(**GROGOL_UTARA)))
    placeless = d.assign(complaint("3", "air udah masuk rumah, tolong dong", category="banjir", hours=2))
    assert flood is not None and pothole is not None and placeless is not None
    assert placeless.ticket_id == flood.ticket_id and placeless.link_kind is LinkKind.SAME_INCIDENT


def test_a_report_that_names_no_place_stays_apart_when_two_tickets_are_open_or_the_one_is_no_longer_reported(complaint):
    d = dedup()
    flood = d.assign(complaint("1", "Banjir sepinggang di Jatipadang, warga mengungsi", category="banjir", place=Place(**JATI_PADANG)))
    quiet = d.assign(complaint("2", "air udah masuk rumah, tolong dong", category="banjir",
                               hours=MergeRules().unplaced_recent_hours + 1))  # in the flood's window, but none reported since
    other = d.assign(complaint("3", "Banjir lagi di Grogol Utara", category="banjir", place=Place(**GROGOL_UTARA), hours=14))
    two_open = d.assign(complaint("4", "depan rumah banjir lagi", category="banjir", author="orang_lain", hours=15))
    assert flood is not None and quiet is not None and other is not None and two_open is not None
    assert quiet.opened and other.opened
    assert two_open.ticket_id not in (flood.ticket_id, quiet.ticket_id, other.ticket_id)


def test_a_ticket_of_reports_that_named_no_place_folds_into_the_one_reported_ticket_that_arrives_after_it(complaint):
    """Newest first (or a backfill): the unplaced report came before the flood's reports it would have joined."""
    d = dedup()
    placeless = d.assign(complaint("1", "air udah masuk rumah, tolong dong", category="banjir", hours=5))
    flood = d.assign(complaint("2", "Banjir sepinggang di Jatipadang, warga mengungsi", category="banjir", place=Place(**JATI_PADANG),
                               hours=2))
    assert placeless is not None and flood is not None
    assert placeless.opened and flood.opened and flood.bridged == (placeless.ticket_id,)
    later = d.assign(complaint("3", "depan rumah banjir lagi", category="banjir", author="orang_lain", hours=6))
    assert later is not None and later.ticket_id == flood.ticket_id


def test_a_ticket_of_reports_that_named_no_place_stays_apart_while_two_places_report_its_kind(complaint):
    d = dedup()
    other = d.assign(complaint("0", "Banjir lagi di Grogol Utara", category="banjir", place=Place(**GROGOL_UTARA)))
    # not heard from Grogol Utara for longer than the rule's span, but its flood is still open
    placeless = d.assign(complaint("1", "air udah masuk rumah, tolong dong", category="banjir", hours=13))
    flood = d.assign(complaint("2", "Banjir sepinggang di Jatipadang, warga mengungsi", category="banjir", place=Place(**JATI_PADANG),
                               hours=12))
    assert other is not None and placeless is not None and flood is not None
    assert placeless.opened and flood.opened and not flood.bridged


def test_an_unplaced_reply_to_a_post_not_yet_seen_waits_for_its_thread(complaint):
    """Its post, when it arrives, places it (a reply before its post: live sources out of time order)."""
    d = dedup()
    flood = d.assign(complaint("1", "Banjir sepinggang di Jatipadang, warga mengungsi", category="banjir", place=Place(**JATI_PADANG)))
    reply = d.assign(complaint("101", "air udah masuk rumah, tolong dong", category="banjir", hours=3, reply_to="100"))
    post = d.assign(complaint("100", "banjir lagi di Grogol Utara, motor mogok semua", category="banjir", place=Place(**GROGOL_UTARA),
                              hours=2))
    assert flood is not None and reply is not None and post is not None
    assert reply.ticket_id != flood.ticket_id
    assert post.ticket_id != flood.ticket_id and post.adopted == ((("twitter", "101"), reply.ticket_id),)

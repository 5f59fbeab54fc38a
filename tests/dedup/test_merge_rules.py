"""The four merge rules of DESIGN.md §4 and their hard negatives, on realistic Indonesian complaints."""

from __future__ import annotations

from dedup import Deduplicator, LinkKind, MergeRules
from normalizer.types import Place

BANGKA = dict(kota="Jakarta Selatan", kecamatan="Mampang Prapatan", kelurahan="Bangka", kelurahan_code="31.74.06.1001")
CAWANG = dict(kota="Jakarta Timur", kecamatan="Kramat Jati", kelurahan="Cawang", kelurahan_code="31.75.03.1006")

FLOOD_TEXT = (
    "Banjir setinggi lutut di Jl. Kemang Raya depan Kemang Village sejak subuh, "
    "motor mogok semua, mohon pompa air segera dikirim @DKIJakarta"
)


class DictTicketLookup:
    """Storage as dedup sees it: which ticket holds a stored message."""

    def __init__(self, tickets: dict[tuple[str, str], int]) -> None:
        self.tickets = tickets

    def ticket_of(self, channel: str, external_id: str) -> int | None:
        return self.tickets.get((channel, external_id))


def dedup() -> Deduplicator:
    return Deduplicator(MergeRules())


def test_first_complaint_opens_a_ticket_and_non_complaints_get_none(complaint):
    d = dedup()
    first = d.assign(complaint("1", FLOOD_TEXT, place=Place(**BANGKA, street="Jalan Kemang Raya")))
    praise = d.assign(complaint("2", "Terima kasih Pak Gubernur, jalan sudah mulus", is_complaint=False))
    assert first is not None and first.opened and first.link_kind is LinkKind.NEW and first.ticket_id == 1
    assert praise is None
    assert d.next_ticket_id == 2


def test_same_message_twice_returns_the_same_ticket(complaint):
    d = dedup()
    mention = complaint("1", FLOOD_TEXT, place=Place(**BANGKA))
    first = d.assign(mention)
    again = d.assign(mention)
    assert again is not None and first is not None
    assert again.ticket_id == first.ticket_id and again.link_kind is LinkKind.NEW
    assert d.next_ticket_id == 2 and d.size.members == 1


def test_retweet_joins_even_when_not_classified_a_complaint(complaint):
    d = dedup()
    original = d.assign(complaint("100", FLOOD_TEXT, place=Place(**BANGKA)))
    retweet = d.assign(complaint("101", "RT @warga: " + FLOOD_TEXT, is_complaint=False, author="tetangga", repost_of="100"))
    assert original is not None and retweet is not None
    assert retweet.ticket_id == original.ticket_id
    assert retweet.link_kind is LinkKind.REPOST and retweet.score == 1.0 and not retweet.opened


def test_retweet_of_a_message_from_an_older_batch_joins_through_the_lookup(complaint):
    d = Deduplicator(MergeRules(), next_ticket_id=41, lookup=DictTicketLookup({("twitter", "7"): 17}))
    retweet = d.assign(complaint("900", "RT @warga: sampah numpuk di pasar", is_complaint=False, hours=500, repost_of="7"))
    unknown = d.assign(complaint("901", "RT @lain: ok", is_complaint=False, hours=500, repost_of="8"))
    assert retweet is not None and retweet.ticket_id == 17 and retweet.link_kind is LinkKind.REPOST
    assert unknown is None
    assert d.next_ticket_id == 41


def test_quote_that_adds_a_new_problem_is_its_own_ticket(complaint):
    d = dedup()
    flood = d.assign(complaint("1", FLOOD_TEXT, place=Place(**BANGKA, street="Jalan Kemang Raya")))
    quote = d.assign(complaint(
        "2", "Bukan cuma banjir, lampu jalan di sini juga mati total tiap malam gelap gulita",
        category="lampu_jalan", place=Place(**BANGKA, street="Jalan Kemang Raya"), hours=1, quote_of="1",
    ))
    assert flood is not None and quote is not None
    assert quote.ticket_id != flood.ticket_id and quote.opened


def test_quote_or_reply_repeating_the_complaint_joins_as_repost(complaint):
    d = dedup()
    flood = d.assign(complaint("1", FLOOD_TEXT, place=Place(**BANGKA, street="Jalan Kemang Raya")))
    reply = d.assign(complaint("2", "Betul, parah banget ini airnya masuk rumah", hours=1, reply_to="1"))
    plus_one = d.assign(complaint("3", "tolong segera ditindak min", category="lainnya", hours=1, quote_of="1"))
    elsewhere = d.assign(complaint(
        "4", "Di Cawang juga banjir sepinggang, mohon bantuan perahu karet", hours=1, reply_to="1", place=Place(**CAWANG)
    ))
    assert flood is not None and reply is not None and plus_one is not None and elsewhere is not None
    assert (reply.ticket_id, reply.link_kind) == (flood.ticket_id, LinkKind.REPOST)
    assert (plus_one.ticket_id, plus_one.link_kind) == (flood.ticket_id, LinkKind.REPOST)
    assert elsewhere.ticket_id != flood.ticket_id


def test_reply_to_an_unticketed_message_is_judged_on_its_own(complaint):
    d = dedup()
    d.assign(complaint("1", "Selamat pagi warga Jakarta, cuaca cerah hari ini", is_complaint=False, author="DKIJakarta"))
    reply = d.assign(complaint("2", "Cerah apanya, Kemang Raya banjir dari subuh belum surut", reply_to="1",
                               place=Place(**BANGKA, street="Jalan Kemang Raya")))
    assert reply is not None and reply.opened and reply.link_kind is LinkKind.NEW


def test_cross_post_between_twitter_and_qlue_is_one_ticket(complaint):
    d = dedup()
    tweet = d.assign(complaint("1", FLOOD_TEXT + " #banjirjakarta", place=Place(**BANGKA, street="Jalan Kemang Raya")))
    qlue = d.assign(complaint(
        "q-77", "Banjir setinggi lutut di Jl Kemang Raya depan Kemang Village sejak subuh. Motor mogok semua, mohon pompa air segera dikirim",
        channel="qlue", category="saluran_air", author="budi_s", hours=2,
    ))
    assert tweet is not None and qlue is not None
    assert qlue.ticket_id == tweet.ticket_id and qlue.link_kind is LinkKind.CROSS_POST
    assert qlue.score >= MergeRules().cross_post_similarity


def test_cross_post_with_a_conflicting_place_stays_apart(complaint):
    d = dedup()
    text = "Sudah tiga hari sampah tidak diangkut, bau menyengat sampai ke dalam rumah, tolong petugas kebersihan datang"
    first = d.assign(complaint("1", text, category="sampah", place=Place(**BANGKA)))
    second = d.assign(complaint("2", text, category="sampah", place=Place(**CAWANG), hours=1))
    assert first is not None and second is not None and second.ticket_id != first.ticket_id


def test_same_incident_told_in_other_words_on_the_same_street_joins(complaint):
    d = dedup()
    first = d.assign(complaint("1", FLOOD_TEXT, place=Place(**BANGKA, street="Jalan Kemang Raya")))
    other_words = d.assign(complaint(
        "e-5", "Mohon bantuan, air sudah masuk ke rumah-rumah warga di kemang raya, anak-anak tidak bisa sekolah",
        channel="email", hours=3, place=Place(**BANGKA, street="Jl. Kemang Raya"),
    ))
    assert first is not None and other_words is not None
    assert other_words.ticket_id == first.ticket_id and other_words.link_kind is LinkKind.SAME_INCIDENT


def test_same_category_same_kelurahan_other_street_is_two_tickets(complaint):
    d = dedup()
    first = d.assign(complaint("1", "Jalan berlubang besar di Jl. Kemang Selatan, sudah dua motor jatuh", category="jalan_rusak",
                               place=Place(**BANGKA, street="Jalan Kemang Selatan")))
    second = d.assign(complaint("2", "Jalan berlubang besar di Jl. Bangka Raya, sudah dua motor jatuh", category="jalan_rusak",
                                place=Place(**BANGKA, street="Jalan Bangka Raya"), hours=2))
    assert first is not None and second is not None and second.ticket_id != first.ticket_id
    assert first.ticket_id not in {ticket for ticket, _ in second.candidates}  # a conflicting place is no suggestion


def test_same_street_other_category_is_two_tickets(complaint):
    d = dedup()
    flood = d.assign(complaint("1", "Banjir lagi di jalan Kemang Raya, got mampet", place=Place(**BANGKA, street="Jalan Kemang Raya")))
    lamp = d.assign(complaint("2", "Lampu jalan di jalan Kemang Raya mati, gelap rawan begal", category="lampu_jalan",
                              place=Place(**BANGKA, street="Jalan Kemang Raya"), hours=1))
    assert flood is not None and lamp is not None and lamp.ticket_id != flood.ticket_id


def test_same_place_three_weeks_later_is_a_new_ticket_but_a_steady_stream_stays_one(complaint):
    d = dedup()
    place = Place(**BANGKA, street="Jalan Kemang Raya")
    first = d.assign(complaint("1", FLOOD_TEXT, place=place))
    # every 60 h, inside the 72 h window measured from the ticket's last message
    steady = [d.assign(complaint(f"s{i}", FLOOD_TEXT.replace("lutut", "pinggang"), place=place, hours=60 * i)) for i in (1, 2, 3)]
    later = d.assign(complaint("later", FLOOD_TEXT, place=place, hours=180 + 21 * 24))
    assert first is not None and later is not None
    assert {a.ticket_id for a in steady if a} == {first.ticket_id}
    assert later.opened and later.ticket_id != first.ticket_id


def test_traffic_jam_window_is_hours_not_days(complaint):
    d = dedup()
    place = Place(**CAWANG, street="Jalan Dewi Sartika")
    text = "Macet total di Jl. Dewi Sartika arah Cawang, sudah satu jam tidak bergerak sama sekali"
    morning = d.assign(complaint("1", text, category="kemacetan", place=place))
    same_jam = d.assign(complaint("2", text + " parah", category="kemacetan", place=place, hours=2))
    next_day = d.assign(complaint("3", text, category="kemacetan", place=place, hours=26))
    assert morning is not None and same_jam is not None and next_day is not None
    assert same_jam.ticket_id == morning.ticket_id
    assert next_day.ticket_id != morning.ticket_id


def test_illegal_parking_at_one_spot_two_days_apart_is_one_standing_problem(complaint):
    d = dedup()
    place = Place(**BANGKA, street="Jalan Bangka Raya")
    first = d.assign(complaint("1", "Jukir liar minta 5 ribu di Jl. Bangka Raya depan minimarket, maksa banget",
                               category="parkir_liar", place=place))
    two_days_later = d.assign(complaint("2", "mobil parkir dua lapis lagi di jalan bangka raya, tukang parkirnya galak",
                                        category="parkir_liar", place=place, hours=48))
    weeks_later = d.assign(complaint("3", "parkir liar di Jl. Bangka Raya lagi, trotoar ketutup mobil",
                                     category="parkir_liar", place=place, hours=48 + 24 * 14))
    assert first is not None and two_days_later is not None and weeks_later is not None
    assert two_days_later.ticket_id == first.ticket_id
    assert weeks_later.ticket_id != first.ticket_id


def test_generic_short_complaints_without_place_stay_apart(complaint):
    d = dedup()
    first = d.assign(complaint("1", "jalan rusak parah", category="jalan_rusak"))
    second = d.assign(complaint("2", "jalan rusak parah", category="jalan_rusak", author="orang_lain", hours=1))
    assert first is not None and second is not None and second.ticket_id != first.ticket_id


def test_short_complaints_in_the_same_kelurahan_join(complaint):
    d = dedup()
    first = d.assign(complaint("1", "banjir lagi di bangka", place=Place(**BANGKA)))
    second = d.assign(complaint("2", "bangka banjir lagi", place=Place(**BANGKA), hours=1))
    assert first is not None and second is not None and second.ticket_id == first.ticket_id


def test_other_rt_rw_on_the_same_street_needs_near_identical_text(complaint):
    d = dedup()
    street = dict(BANGKA, street="Jalan Kemang Raya")
    first = d.assign(complaint("1", "Got mampet di RT 03 RW 05 Jl. Kemang Raya, air hitam meluap ke jalan",
                               category="saluran_air", place=Place(**street, rt="03", rw="05")))
    other_rw = d.assign(complaint("2", "Saluran air tersumbat sampah di RW 07, genangan tidak surut-surut",
                                  category="saluran_air", place=Place(**street, rt="01", rw="07"), hours=1))
    same_rw = d.assign(complaint("3", "Air got meluap lagi di RW 05 Kemang Raya, saluran tersumbat sampah",
                                 category="saluran_air", place=Place(**street, rt="3", rw="5"), hours=1))
    assert first is not None and other_rw is not None and same_rw is not None
    assert other_rw.ticket_id != first.ticket_id
    assert same_rw.ticket_id == first.ticket_id
    copy = d.assign(complaint("4", "Got mampet di RT 03 RW 05 Jl. Kemang Raya, air hitam meluap ke jalan",
                              category="saluran_air", place=Place(**street, rt="04", rw="05"), hours=2))
    assert copy is not None and copy.ticket_id == first.ticket_id


def test_ticket_place_is_the_union_of_its_members(complaint):
    d = dedup()
    opened = d.assign(complaint("1", FLOOD_TEXT, place=Place(**BANGKA)))
    # names the street but not the kelurahan: joins by text and teaches the ticket its street
    street_only = d.assign(complaint("2", FLOOD_TEXT.replace("subuh", "pagi"), place=Place(street="Jalan Kemang Raya"), hours=1))
    other_street = d.assign(complaint("3", "Banjir di Jl. Bangka Raya, air masuk rumah warga sejak subuh",
                                      place=Place(street="Jalan Bangka Raya", kecamatan="Mampang Prapatan"), hours=2))
    assert opened is not None and street_only is not None and other_street is not None
    assert street_only.ticket_id == opened.ticket_id
    assert other_street.ticket_id != opened.ticket_id


def test_best_candidate_wins_and_the_others_are_suggested(complaint):
    d = dedup()
    lower = d.assign(complaint("1", "Banjir di Jl. Kemang Raya, air masuk rumah", place=Place(**BANGKA)))
    upper = d.assign(complaint("2", "Genangan di Jl. Bangka Raya sedalam betis", place=Place(**BANGKA, street="Jalan Bangka Raya"), hours=1))
    newcomer = d.assign(complaint("3", "Genangan di Jl. Bangka Raya sedalam betis belum surut", place=Place(**BANGKA, street="Jalan Bangka Raya"), hours=2))
    assert lower is not None and upper is not None and newcomer is not None
    # both tickets are in the same kelurahan; the one on the same street with the closer text wins
    assert newcomer.ticket_id == upper.ticket_id
    assert lower.ticket_id in {ticket for ticket, _ in newcomer.candidates} or upper.ticket_id == lower.ticket_id

"""Tickets depend on when messages were written, not on when they arrived (no storage involved here;
tests/dengar/test_arrival_order.py replays whole corpora through the store)."""

from __future__ import annotations

from dedup import Deduplicator, LinkKind, MergeRules
from normalizer.types import Place

TEBET = dict(kota="Jakarta Selatan", kecamatan="Tebet", kelurahan="Tebet Barat", kelurahan_code="31.74.01.1001")
FLOOD = "Banjir setinggi lutut di Jalan Tebet Raya sejak subuh, motor mogok semua, tolong dibantu pompa"
BOILERPLATE = "kagak ada yg dateng ampe sekarang tolong"


def test_a_report_written_before_the_ticket_opened_joins_it(complaint):
    d = Deduplicator(MergeRules())
    later = d.assign(complaint("2", FLOOD, place=Place(**TEBET), hours=10))
    earlier = d.assign(complaint("1", "Air masuk rumah di Tebet Barat, sudah sepinggang", place=Place(**TEBET)))
    assert later is not None and earlier is not None
    assert earlier.ticket_id == later.ticket_id and earlier.link_kind is LinkKind.SAME_INCIDENT


def test_a_post_whose_reply_arrived_first_joins_the_reply_ticket(complaint):
    d = Deduplicator(MergeRules())
    reply = d.assign(complaint("r", "up, blm ditangani sampai sekarang", category="lainnya", reply_to="p", hours=2))
    post = d.assign(complaint("p", FLOOD, place=Place(**TEBET)))
    assert reply is not None and post is not None
    assert post.ticket_id == reply.ticket_id and not post.opened
    assert d.next_ticket_id == reply.ticket_id + 1  # no ticket id was spent on the post
    # in time order the same two messages make one ticket too
    d2 = Deduplicator(MergeRules())
    first = d2.assign(complaint("p", FLOOD, place=Place(**TEBET)))
    second = d2.assign(complaint("r", "up, blm ditangani sampai sekarang", category="lainnya", reply_to="p", hours=2))
    assert first is not None and second is not None and first.ticket_id == second.ticket_id


def test_a_post_in_another_place_than_its_early_reply_names_opens_its_own(complaint):
    d = Deduplicator(MergeRules())
    cikini = Place(kota="Jakarta Pusat", kecamatan="Menteng", kelurahan="Cikini", kelurahan_code="31.71.06.1004")
    reply = d.assign(complaint("r", "banjir juga di Cikini sini sejak pagi", place=cikini, reply_to="p", hours=1))
    post = d.assign(complaint("p", FLOOD, place=Place(**TEBET)))
    assert reply is not None and post is not None
    assert post.opened and post.ticket_id != reply.ticket_id


def test_an_early_reply_is_not_joined_to_other_threads_by_its_boilerplate(complaint):
    d = Deduplicator(MergeRules())
    other_thread = d.assign(complaint("x", FLOOD, place=Place(**TEBET)))
    other_reply = d.assign(complaint("xr", BOILERPLATE, category="lainnya", reply_to="x", hours=1))
    assert other_thread is not None and other_reply is not None and other_reply.ticket_id == other_thread.ticket_id
    orphan = d.assign(complaint("yr", BOILERPLATE, category="lainnya", reply_to="y", hours=2))
    assert orphan is not None and orphan.ticket_id != other_thread.ticket_id


def test_a_month_old_ticket_leaves_memory_without_a_store_to_recall_it_from(complaint):
    d = Deduplicator(MergeRules())
    d.assign(complaint("1", FLOOD, place=Place(**TEBET)))
    d.assign(complaint("2", FLOOD + " lagi", place=Place(**TEBET), hours=24 * 30))
    assert d.size.tickets == 1
    late = d.assign(complaint("3", FLOOD + " makin parah", place=Place(**TEBET), hours=1))
    assert late is not None and late.opened and d.recalls == 0


# ----- a post whose early replies opened tickets of their own, then joins another ticket

NEIGHBOUR = "Banjir juga di Tebet Barat, air masuk rumah warga sejak subuh tadi"


def test_early_replies_fold_into_the_ticket_their_post_joins(complaint):
    d = Deduplicator(MergeRules())
    neighbour = d.assign(complaint("n", NEIGHBOUR, place=Place(**TEBET)))
    reply = d.assign(complaint("r", "up, blm ditangani sampai sekarang", category="lainnya", reply_to="p", hours=3))
    retweet_of_reply = d.assign(complaint("rr", "up, blm ditangani sampai sekarang", category="lainnya", repost_of="r", hours=4))
    assert neighbour is not None and reply is not None and retweet_of_reply is not None
    assert reply.opened and reply.ticket_id != neighbour.ticket_id and retweet_of_reply.ticket_id == reply.ticket_id

    post = d.assign(complaint("p", FLOOD, place=Place(**TEBET), hours=1))
    assert post is not None and post.ticket_id == neighbour.ticket_id
    assert post.adopted == ((("twitter", "r"), reply.ticket_id),) and post.folded == (reply.ticket_id,)
    # what would have joined the reply's ticket now joins the post's
    later = d.assign(complaint("rrr", "up, blm ditangani sampai sekarang", category="lainnya", repost_of="r", hours=5))
    assert later is not None and later.ticket_id == neighbour.ticket_id
    assert d.assign(complaint("r", "up", category="lainnya", reply_to="p", hours=3)).link_kind is LinkKind.REPOST  # type: ignore[union-attr]


def test_an_early_reply_elsewhere_or_split_off_by_an_operator_stays(complaint):
    d = Deduplicator(MergeRules())
    cikini = Place(kota="Jakarta Pusat", kecamatan="Menteng", kelurahan="Cikini", kelurahan_code="31.71.06.1004")
    neighbour = d.assign(complaint("n", NEIGHBOUR, place=Place(**TEBET)))
    elsewhere = d.assign(complaint("r1", "banjir juga di Cikini sini sejak pagi", place=cikini, reply_to="p", hours=3))
    split_off = d.assign(complaint("r2", "up, blm ditangani", category="lainnya", reply_to="p", hours=3))
    assert neighbour is not None and elsewhere is not None and split_off is not None
    d.forbid(split_off.ticket_id, neighbour.ticket_id)
    post = d.assign(complaint("p", FLOOD, place=Place(**TEBET), hours=1))
    assert post is not None and post.ticket_id == neighbour.ticket_id and post.adopted == ()


def test_a_post_joining_its_early_reply_ticket_adopts_the_reply(complaint):
    d = Deduplicator(MergeRules())
    reply = d.assign(complaint("r", "up, blm ditangani sampai sekarang", category="lainnya", reply_to="p", hours=2))
    post = d.assign(complaint("p", FLOOD, place=Place(**TEBET)))
    assert reply is not None and post is not None and post.ticket_id == reply.ticket_id
    assert post.adopted == ((("twitter", "r"), reply.ticket_id),) and post.folded == ()

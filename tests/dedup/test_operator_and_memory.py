"""Operator decisions are respected, memory stays within the window, and runs are reproducible."""

from __future__ import annotations

import random

from dedup import Deduplicator, LinkKind, MergeRules
from dedup.operator_decisions import OperatorDecisions
from normalizer.types import Place

TEBET = dict(kota="Jakarta Selatan", kecamatan="Tebet", kelurahan="Tebet Barat", kelurahan_code="31.74.01.1001")
TRASH = "Sampah menumpuk di pinggir kali dekat pasar, sudah seminggu tidak diangkut, bau busuk dan banyak lalat"


def test_forbidden_tickets_are_never_suggested_together(complaint):
    d = Deduplicator(MergeRules())
    place = Place(**TEBET, street="Jalan Tebet Raya")
    a = d.assign(complaint("1", TRASH, category="sampah", place=place))
    # an operator split the second message off into ticket 2 and forbade merging the two
    split_off = complaint("2", "Tumpukan sampah di Tebet Raya dekat pasar dibakar warga, asapnya ke mana-mana",
                          category="sampah", place=place, hours=1)
    d.remember(split_off, 2, pinned=True)
    d.forbid(1, 2)
    later = d.assign(complaint("3", TRASH + " tolong", category="sampah", place=place, hours=2))
    assert a is not None and later is not None
    assert later.ticket_id == 1
    assert 2 not in {ticket for ticket, _ in later.candidates}
    # without the split the other ticket is a suggestion
    d2 = Deduplicator(MergeRules())
    d2.assign(complaint("1", TRASH, category="sampah", place=place))
    d2.remember(split_off, 2, pinned=True)
    again = d2.assign(complaint("3", TRASH + " tolong", category="sampah", place=place, hours=2))
    assert again is not None and 2 in {ticket for ticket, _ in again.candidates}


def test_retarget_sends_future_candidates_of_the_old_ticket_to_the_new(complaint):
    d = Deduplicator(MergeRules())
    place = Place(**TEBET, street="Jalan Tebet Raya")
    old = d.assign(complaint("1", TRASH, category="sampah", place=place))
    new = d.assign(complaint("2", "Lampu penerangan jalan mati sepanjang Tebet Raya", category="lampu_jalan", place=place))
    assert old is not None and new is not None and old.ticket_id != new.ticket_id
    d.retarget(old.ticket_id, new.ticket_id)
    follow = d.assign(complaint("3", TRASH.replace("seminggu", "dua minggu"), category="sampah", place=place, hours=1))
    retweet = d.assign(complaint("4", "RT " + TRASH, is_complaint=False, repost_of="1", hours=1))
    assert follow is not None and retweet is not None
    assert follow.ticket_id == new.ticket_id and retweet.ticket_id == new.ticket_id


def test_pinned_member_is_not_moved_back_by_the_machine(complaint):
    d = Deduplicator(MergeRules())
    mention = complaint("1", TRASH, category="sampah", place=Place(**TEBET))
    d.remember(mention, 5, pinned=True)
    d.remember(mention, 3)  # a replay of the machine's old decision
    again = d.assign(mention)
    assert again is not None and again.ticket_id == 5 and again.link_kind is LinkKind.OPERATOR
    assert d.next_ticket_id == 6


def test_operator_move_takes_the_place_out_of_the_old_ticket(complaint):
    d = Deduplicator(MergeRules())
    first = complaint("1", "Pohon tumbang menutup jalan, mobil tidak bisa lewat", category="pohon_tumbang",
                      place=Place(**TEBET, street="Jalan Tebet Barat Dalam"))
    second = complaint("2", "Pohon besar tumbang menutup jalan, mohon segera dipotong", category="pohon_tumbang",
                       place=Place(**TEBET, landmark="Taman Tebet"))
    d.remember(first, 1)
    d.remember(second, 1)
    # the operator splits the Taman Tebet message into its own ticket
    d.remember(second, 2, pinned=True)
    d.forbid(1, 2)
    near_park = d.assign(complaint("3", "Pohon tumbang di Taman Tebet menimpa pagar, jalan tertutup",
                                   category="pohon_tumbang", place=Place(**TEBET, landmark="Taman Tebet"), hours=1))
    assert near_park is not None and near_park.ticket_id == 2


def test_restored_state_continues_ticket_ids_and_joins_old_tickets(complaint):
    d = Deduplicator(MergeRules(), next_ticket_id=1)
    d.remember(complaint("1", TRASH, category="sampah", place=Place(**TEBET)), 12)
    assert d.next_ticket_id == 13
    joined = d.assign(complaint("2", TRASH + " parah", category="sampah", place=Place(**TEBET), hours=5))
    fresh = d.assign(complaint("3", "Trotoar dipakai PKL semua, pejalan kaki turun ke jalan", category="pkl_trotoar",
                               place=Place(**TEBET), hours=5))
    assert joined is not None and fresh is not None
    assert joined.ticket_id == 12 and fresh.ticket_id == 13


def test_eviction_keeps_memory_bounded_over_a_month(complaint):
    rules = MergeRules()
    d = Deduplicator(rules)
    rng = random.Random(7)
    syllables = ["ba", "ji", "ru", "sa", "ka", "ma", "pe", "lo", "ta", "ng", "gu", "di", "ne", "wa", "ko"]
    words = ["".join(rng.choice(syllables) for _ in range(3)) for _ in range(400)]
    sizes = []
    for hour in range(24 * 30):
        for n in range(20):
            text = "banjir " + " ".join(rng.choice(words) for _ in range(10))
            d.assign(complaint(f"{hour}-{n}", text, category=rng.choice(["banjir", "sampah", "jalan_rusak"]), hours=hour))
        if hour % 24 == 23:
            sizes.append(d.size)
    longest_hours = rules.longest_window.total_seconds() / 3600
    per_hour = 20
    # auto eviction keeps the window plus a day of slack (and an hour between sweeps)
    bound = per_hour * (longest_hours + 24 + 2)
    assert max(size.members for size in sizes) <= bound
    assert sizes[-1].members > per_hour * longest_hours * 0.9
    assert sizes[-1].indexed_texts <= sizes[-1].members
    dropped = d.evict_before(complaint("x", "x", hours=24 * 30).created_at)
    assert dropped > 0
    assert d.size.members <= per_hour * (longest_hours + 1)


def test_evict_before_returns_how_many_and_forgets_them(complaint):
    d = Deduplicator(MergeRules(window_hours={}, default_window_hours=72))
    for i in range(10):
        d.assign(complaint(str(i), TRASH + f" nomor {i}", category="sampah", place=Place(**TEBET), hours=i))
    late = complaint("late", "x", hours=72 + 4.5).created_at
    assert d.evict_before(late) == 5
    assert d.size.members == 5
    # the first messages are gone from memory: a retweet of one cannot find it without storage
    assert d.assign(complaint("rt", "RT", is_complaint=False, repost_of="0", hours=77)) is None
    assert d.assign(complaint("rt9", "RT", is_complaint=False, repost_of="9", hours=77)) is not None


def _stream(complaint, seed: int) -> list:
    rng = random.Random(seed)
    streets = ["Jalan Tebet Raya", "Jalan Tebet Barat Dalam", "Jalan Casablanca"]
    texts = [TRASH, "Got mampet air meluap ke jalan tiap hujan", "Jalan berlubang dalam, banyak pengendara jatuh"]
    return [
        complaint(str(i), rng.choice(texts) + " " + rng.choice(["tolong", "segera", "parah", ""]),
                  category=rng.choice(["sampah", "saluran_air", "jalan_rusak"]),
                  place=Place(**TEBET, street=rng.choice(streets)), hours=i * 0.5)
        for i in range(300)
    ]


def test_same_input_order_gives_the_same_tickets(complaint):
    runs = []
    for _ in range(2):
        d = Deduplicator(MergeRules())
        runs.append([d.assign(m) for m in _stream(complaint, 3)])
    assert runs[0] == runs[1]
    assert len({a.ticket_id for a in runs[0] if a}) > 3


def test_operator_decisions_follow_chains_of_merges():
    decisions = OperatorDecisions()
    decisions.forbid(1, 9)
    decisions.merge(1, 2)
    decisions.merge(2, 3)
    assert decisions.resolve(1) == 3 and decisions.resolve(3) == 3
    assert decisions.forbidden(3, 9) and decisions.forbidden(9, 1)
    decisions.merge(9, 3)  # the operator's latest word: merged after all
    assert not decisions.forbidden(3, 9)
    assert decisions.merge(1, 9) is False

"""The analyzer on realistic messages: categories, places, complaint or not."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from normalizer.analyzer import load_analyzer
from normalizer.types import Author, GeoPoint, Mention

CONFIG = Path(__file__).resolve().parents[2] / "config"


@pytest.fixture(scope="module")
def analyzer():
    return load_analyzer(CONFIG)


def mention(text: str, *, handle: str | None = "warga123", name: str | None = "Warga", **fields) -> Mention:
    return Mention(
        channel=fields.pop("channel", "twitter"),
        external_id="1",
        source="test",
        created_at=datetime(2024, 1, 1, tzinfo=timezone.utc),
        text=text,
        author=Author(id=handle, handle=handle, name=name),
        **fields,
    )


def analyzed(analyzer, text: str, **fields) -> Mention:
    item = mention(text, **fields)
    analyzer.analyze([item])
    return item


CATEGORY_CASES = [
    ("banjir", "Banjir lagi di depan rumah, air sebetis gk bisa lewat"),
    ("banjir", "rumah kebanjiran sejak subuh, air masuk rumah"),
    ("banjir", "ke banjiran lagi kampung kami min"),
    ("banjir", "bnjir selutut di gang sebelah masjid"),
    ("banjir", "genangan air tinggi banget di perempatan, motor pada mogok"),
    ("banjir", "rob naik lagi di muara angke"),
    ("banjir", "#banjirjakarta parah bgt hari ini"),
    ("banjir", "jalanan tergenang setinggi lutut"),
    ("sampah", "sampah numpuk di pinggir kali udh seminggu gk diangkut"),
    ("sampah", "TPS liar di ujung gang bau busuk bgt"),
    ("sampah", "warga buang sampah sembarangan di lahan kosong"),
    ("sampah", "tumpukan smpah makin tinggi, lalat dimana mana"),
    ("jalan_rusak", "jalan berlubang besar di depan sekolah, udah ada yg jatuh"),
    ("jalan_rusak", "aspal ngelupas dan jalan bolong2, tolong diperbaiki"),
    ("jalan_rusak", "jalan amblas setelah hujan kemarin"),
    ("jalan_rusak", "jalannya rusak parah banyak lubang"),
    ("saluran_air", "got depan rumah mampet, airnya hitam"),
    ("saluran_air", "selokan tersumbat sampah plastik jadi meluap kalau hujan"),
    ("saluran_air", "gorong-gorong di gang kami nyumbat"),
    # how deep, measured on the body; a pothole "sampai lutut" stays a pothole
    ("banjir", "air sampe dengkul di depan rumah, motor pada mogok"),
    ("banjir", "motor tetangga hanyut kebawa arus"),
    ("banjir", "air udah ampe teras rumah, tolong pompanya dinyalain"),
    ("banjir", "jalan depan komplek jadi empang lagi"),
    ("jalan_rusak", "lubang di tengah jalan dalemnya sampai lutut"),
    ("lampu_jalan", "lampu jalan mati udah seminggu, gelap bgt"),
    ("air_bersih", "nunggu mobil tangki air dari kemaren, keran kering"),
    # vehicles queueing are a jam; people queueing at a counter are a service
    ("kemacetan", "kendaraan ngantri panjang banget dari perempatan"),
    ("pelayanan_publik", "antre panjang di dukcapil dari subuh"),
    ("lampu_jalan", "PJU padam di sepanjang jalan, rawan begal"),
    ("lampu_jalan", "lampu penerangan jalan tidak menyala sejak kemarin"),
    # the lamps of a public place: the light is the problem, not the place
    ("lampu_jalan", "lampu JPO mati, serem kalo nyebrang malem"),
    ("lampu_jalan", "lampu halte busway mati semua, gelap"),
    ("fasilitas_umum", "halte busway rusak, atapnya bocor"),
    # a broken sidewalk is the facility's problem, not the road's nor the vendors'
    ("fasilitas_umum", "trotoar bolong2, nenek2 kesandung tadi pagi"),
    ("fasilitas_umum", "trotoarnya jebol, pejalan kaki terpaksa turun ke jalan"),
    ("pohon_tumbang", "pohon tumbang menutup jalan, mobil tertimpa"),
    ("pohon_tumbang", "dahan patah nyangkut di kabel, bahaya"),
    ("pohon_tumbang", "pohon besar miring mau roboh, tolong dipangkas"),
    ("parkir_liar", "parkir liar di bahu jalan bikin sempit"),
    ("parkir_liar", "jukir minta 5 ribu padahal cuma sebentar"),
    ("parkir_liar", "mobil parkir sembarangan di depan gang, gak bisa keluar"),
    ("kemacetan", "macet parah dari pagi, kendaraan gak gerak"),
    ("kemacetan", "lalin padat merayap arah sudirman"),
    ("kemacetan", "kemacetan tiap sore di perempatan ini"),
    ("pkl_trotoar", "PKL jualan di trotoar, pejalan kaki terpaksa ke jalan"),
    ("pkl_trotoar", "pedagang kaki lima makan trotoar sampai habis"),
    ("pkl_trotoar", "lapak pedagang liar menutupi trotoar"),
    ("fasilitas_umum", "halte rusak atapnya bocor"),
    ("fasilitas_umum", "JPO rusak lantainya bolong, bahaya"),
    ("fasilitas_umum", "toilet umum di taman kotor dan rusak"),
    ("fasilitas_umum", "trotoar rusak banyak ubin copot"),
    ("air_bersih", "air PAM mati udh 2 hari"),
    ("air_bersih", "air pdam keruh dan bau"),
    ("air_bersih", "air aetra gak ngalir dari kemarin"),
    ("air_bersih", "airnya kuning keruh gak bisa dipake mandi"),
    ("pelayanan_publik", "ada pungli di kantor kelurahan waktu ngurus KTP"),
    ("pelayanan_publik", "bikin KK aja dipersulit, petugasnya jutek"),
    ("pelayanan_publik", "antre di puskesmas lama banget, pelayanan lambat"),
    ("pelayanan_publik", "e-KTP saya udah 3 bulan belum jadi"),
    # traffic stopped by a flood or a fallen tree: the flood or the tree is the problem
    ("pohon_tumbang", "pohon tumbang nutupin jalan, lalu lintas dialihkan"),
    ("banjir", "kali meluap, arus lalu lintas dialihkan"),
    ("kemacetan", "lalu lintas padat merayap di Jl. Sudirman"),
    # an office or a clinic named as the place: the problem there decides
    ("banjir", "banjir di depan kantor kelurahan"),
    ("saluran_air", "got mampet depan puskesmas"),
    ("pelayanan_publik", "antre di puskesmas lama banget"),
    ("jalan_rusak", "izin min, jalan depan rumah berlubang"),  # "izin min" is how reports open
    # a flood that is over only says when
    ("sampah", "sampah dimana-mana abis banjir surut"),
    ("kemacetan", "macet parah abis banjir"),
    ("banjir", "banjir lagi abis hujan semalam"),
    # a flood that may only happen says why the problem matters
    ("saluran_air", "selokan penuh sampah, takut banjir"),
    ("sampah", "tumpukan sampah di pinggir kali, nanti banjir lagi"),
    # a word of time inside a phrase leaves it the phrase it was
    ("banjir", "air udah masuk rumah"),
    ("banjir", "Air mulai masuk ke rumah, mohon bantuan perahu"),
    ("banjir", "aer naek terus ke dlm rumah"),  # Betawi and chat spellings
    ("banjir", "warga ngungsi, tinggi air 70 senti"),
    # English and code-mixed, as Jakarta also writes
    ("banjir", "the street in front of my house is flooded"),
    ("banjir", "jalanan flooded parah"),
    ("jalan_rusak", "huge pothole on jalan sudirman, almost crashed my bike"),
    ("kemacetan", "traffic jam is crazy at semanggi"),
    ("pohon_tumbang", "a tree fell on the road near my office"),
    ("air_bersih", "no running water since yesterday, PAM please"),
]


@pytest.mark.parametrize(("expected", "text"), CATEGORY_CASES)
def test_category_from_how_citizens_write(analyzer, expected, text):
    item = analyzed(analyzer, text)
    assert item.category == expected, (item.category, item.match_text)
    assert item.is_complaint, item.complaint_reason
    assert 0.0 < item.category_score <= 1.0


@pytest.mark.parametrize(
    "text",
    ["Alhamdulillah hari ini tidak banjir", "sekarang udah gak macet lagi", "tidak ada sampah di sini, bersih",
     "air tidak masuk rumah, aman", "roads are not flooded anymore"],
)
def test_negated_problem_is_not_evidence(analyzer, text):
    item = analyzed(analyzer, text)
    assert item.category == "lainnya", item.match_text
    assert not item.is_complaint


def test_nothing_recognizable_is_lainnya(analyzer):
    item = analyzed(analyzer, "selamat pagi semuanya, semoga harinya menyenangkan")
    assert (item.category, item.category_score, item.is_complaint) == ("lainnya", 0.0, False)


PLACE_CASES = [
    # text, kelurahan, kecamatan, kota
    ("banjir di Kel. Duren Sawit", "Duren Sawit", "Duren Sawit", "Jakarta Timur"),
    ("banjir di Kec. Duren Sawit", None, "Duren Sawit", "Jakarta Timur"),
    ("banjir di duren sawit", "Duren Sawit", "Duren Sawit", "Jakarta Timur"),  # the seat kelurahan
    ("banjir di kel. Jatinegara", "Jatinegara", "Cakung", "Jakarta Timur"),
    ("banjir di Cilandak KKO", "Cilandak Timur", "Pasar Minggu", "Jakarta Selatan"),
    ("macet di rawa belong", None, None, "Jakarta Barat"),
    ("sampah numpuk di Menteng Dalam", "Menteng Dalam", "Tebet", "Jakarta Selatan"),
    ("macet parah di Kemang", "Bangka", "Mampang Prapatan", "Jakarta Selatan"),
    ("got mampet di blok m", "Melawai", "Kebayoran Baru", "Jakarta Selatan"),
    ("pohon tumbang dekat monas", "Gambir", "Gambir", "Jakarta Pusat"),
    ("banjir lagi di kampung pulo", "Kampung Melayu", "Jatinegara", "Jakarta Timur"),
    ("PKL di Tanah Abang makin banyak", None, "Tanah Abang", "Jakarta Pusat"),
    ("air pam mati di rawa mangun", "Rawamangun", "Pulogadung", "Jakarta Timur"),
    ("jalan rusak di kramat jati", "Kramatjati", "Kramatjati", "Jakarta Timur"),
    ("banjir di Jaksel parah", None, None, "Jakarta Selatan"),
    ("macet di jakut", None, None, "Jakarta Utara"),
    ("banjir di kelurahan bintaro pesanggrahan", "Bintaro", "Pesanggrahan", "Jakarta Selatan"),
    ("lampu jalan mati di Menteng, Jakarta Pusat", "Menteng", "Menteng", "Jakarta Pusat"),
    ("banjir di #banjirkemang", "Bangka", "Mampang Prapatan", "Jakarta Selatan"),
    # address shorthands for a name's first word, and the standard spelling of Betawi "kebon"
    ("banjir di Pd. Labu", "Pondok Labu", "Cilandak", "Jakarta Selatan"),
    ("banjir di kel. Tj. Duren Utara", "Tanjung Duren Utara", "Grogol Petamburan", "Jakarta Barat"),
    ("sampah di Kebun Kacang", "Kebon Kacang", "Tanah Abang", "Jakarta Pusat"),
    # the shared part of two kelurahan names ("Utan Kayu Utara/Selatan") is their kecamatan
    ("banjir di Utan Kayu", None, "Matraman", "Jakarta Timur"),
    ("banjir di Cipinang Besar", None, "Jatinegara", "Jakarta Timur"),
    # a letter dropped or swapped in a long name word
    ("banjir di Cipete Selatn", "Cipete Selatan", "Cilandak", "Jakarta Selatan"),
    ("got mampet di Rawamangn", "Rawamangun", "Pulogadung", "Jakarta Timur"),
    ("angka banjir naik lagi", None, None, None),  # "angka" is a word, not "Bangka" misspelt
    # the area written after a street, and the street's own kelurahan inside a wider area
    ("macet di Jl. Mayjen Sutoyo Cililitan, Jakarta Timur", "Cililitan", "Kramatjati", "Jakarta Timur"),
    ("banjir di Jl. Pegangsaan Dua, Kelapa Gading", "Pegangsaan Dua", "Kelapa Gading", "Jakarta Utara"),
    ("macet parah depan Sarinah", "Gondangdia", "Menteng", "Jakarta Pusat"),
    ("sampah numpuk di Pasar Pramuka", None, "Matraman", "Jakarta Timur"),
    # an address's postal code gives the kelurahan the text leaves open or names by its kecamatan's name
    ("Jakarta 12190 - genangan di depan kantor", "Senayan", "Kebayoran Baru", "Jakarta Selatan"),
    ("banjir di Jl. Cikini Raya No. 73, Menteng, Jakarta Pusat 10330", "Cikini", "Menteng", "Jakarta Pusat"),
    ("banjir di Kel. Bangka, Jakarta Selatan 12190", "Bangka", "Mampang Prapatan", "Jakarta Selatan"),  # said outright
    ("transfer 12190 ke rekening, banjir", None, None, None),  # a number, not an address
    # a DKI name right before a place outside DKI is that place's own area
    ("banjir di Kelapa Dua Tangerang", None, None, None),
    ("banjir di Kelapa Dua, Kebon Jeruk", "Kelapa Dua", "Kebon Jeruk", "Jakarta Barat"),
    ("banjir di Pancoran Mas Depok", None, None, None),
    # short forms printed in map addresses
    ("banjir di Cemp. Putih Tim., Kec. Cemp. Putih, Jakarta Pusat", "Cempaka Putih Timur", "Cempaka Putih", "Jakarta Pusat"),
    ("banjir di Gn. Sahari Utara", "Gunung Sahari Utara", "Sawah Besar", "Jakarta Pusat"),
    ("banjir di Cengkareng Brt", "Cengkareng Barat", "Cengkareng", "Jakarta Barat"),
]


@pytest.mark.parametrize(("text", "may_mean_kecamatan"), [
    ("banjir di duren sawit", True),  # the seat kelurahan's name is its kecamatan's too
    ("banjir di Pasar Minggu, Jakarta Selatan", True),  # the kota contains both readings
    ("banjir di Kel. Duren Sawit", False),  # said outright
    ("banjir di Jl. Raya Ragunan, Pasar Minggu", False),  # an address: the name is its kelurahan
    ("banjir di RT 03/RW 05 Pasar Minggu", False),
    ("sampah numpuk di Menteng Dalam", False),  # no kecamatan of that name
    ("banjir di Kec. Duren Sawit", False),  # no kelurahan read at all
])
def test_a_kelurahan_named_like_its_kecamatan_may_mean_the_whole_kecamatan(analyzer, text, may_mean_kecamatan):
    place = analyzed(analyzer, text).place
    assert place.kelurahan is not None or "Kec." in text
    assert place.may_mean_kecamatan is may_mean_kecamatan


@pytest.mark.parametrize(("text", "kelurahan", "kecamatan", "kota"), PLACE_CASES)
def test_place_levels(analyzer, text, kelurahan, kecamatan, kota):
    place = analyzed(analyzer, text).place
    assert (place.kelurahan, place.kecamatan, place.kota) == (kelurahan, kecamatan, kota)
    if kelurahan:
        assert analyzer.gazetteer.kelurahan_by_code(place.kelurahan_code).name == kelurahan


@pytest.mark.parametrize(
    "text",
    ["pohon tumbang di Bintaro sektor 9", "banjir di depok", "macet di bekasi barat", "jalan rusak di ciputat"],
)
def test_places_outside_dki_give_no_dki_place(analyzer, text):
    place = analyzed(analyzer, text).place
    assert (place.kelurahan, place.kecamatan, place.kota) == (None, None, None)


def test_a_kecamatan_s_name_that_a_kelurahan_elsewhere_bears_reads_as_the_kecamatan(analyzer):
    # Kecamatan Jatinegara, and a kelurahan Jatinegara in Kecamatan Cakung: "di Jatinegara" is the
    # district (its market, its station); "Kel. Jatinegara" or "Jatinegara, Cakung" the kelurahan.
    place = analyzed(analyzer, "macet parah di jatinegara").place
    assert (place.kelurahan, place.kecamatan, place.kota, place.ambiguous) == (None, "Jatinegara", "Jakarta Timur", ())


def test_another_place_in_the_message_settles_a_shared_name(analyzer):
    place = analyzed(analyzer, "macet di jatinegara, cakung").place
    assert (place.kelurahan, place.kecamatan) == ("Jatinegara", "Cakung")


def test_everyday_word_kelurahan_needs_context(analyzer):
    assert analyzed(analyzer, "jalan baru rusak lagi").place.kelurahan is None
    assert analyzed(analyzer, "jalan rusak di kel. gunung").place.kelurahan == "Gunung"


@pytest.mark.parametrize(
    ("text", "street"),
    [("lampu mati di Jl. Kemang Raya no. 5", "jalan kemang raya"),
     ("jln sudirman macet", "jalan sudirman"),
     ("banjir di Jalan Haji Nawi Raya dekat sekolah", "jalan haji nawi raya"),
     ("jl.thamrin banjir", "jalan thamrin"),
     ("jalan rusak parah", None),
     ("got mampet di Gg. Mawar 3 RT 04", "gang mawar"),
     ("sampah numpuk di gg kelinci dekat musholla", "gang kelinci"),
     ("Jl. Kemang Raya Gg. Buntu banjir lagi", "gang buntu"),  # the lane is the narrower spot
     ("masuk gang sempit aja susah, banjir", None),
     # typed in capitals: a capital is no sign of a name, so only what follows the stop words counts
     ("DRAINASE GAK JALAN DARI PAGI DI KEL. CIPETE SELATAN", None),
     ("BANJIR LAGI DI JALAN MERPATI, TOLONG", "jalan merpati"),
     ("GOT MAMPET DI JL. MERPATI NO 5", "jalan merpati"),
     # a road's state or a common phrase read as a name is none: the street named further on is meant
     ("Penerangan Jalan Umum\n\nlampu mati di Jl. Kemanggisan Raya, Kemanggisan", "jalan kemanggisan raya"),
     ("AIR COMBERAN DI DEPAN RUMAH DI GANG SEBELAH", None),
     ("Jalan Rusak di Jl. Kemang Raya", "jalan kemang raya"),
     # titles written with a dot are part of the name, not its end
     ("macet di Jl. Jend. Sudirman depan halte", "jalan jend sudirman"),
     ("banjir di Jl. Ir. H. Juanda", "jalan ir h juanda"),
     ("lampu mati di Jl. Kol. Sugiono", "jalan kol sugiono"),
     # a road known by its name alone, with no kelurahan of its own
     ("macet parah di Gatot Subroto", "jalan gatot subroto"),
     ("macet di kalimalang dari pagi", "jalan kalimalang"),
     # a street ends where the area written after it begins, unless the area opens its name
     ("macet di Jl. Mayjen Sutoyo Cililitan, Jakarta Timur", "jalan mayjen sutoyo"),
     ("banjir di Jl. Daan Mogot Kedaung Kali Angke", "jalan daan mogot"),
     ("jalan rusak di Jl. Raya Kebayoran Lama", "jalan raya kebayoran lama"),
     ("lampu mati di Jl. Kemanggisan Raya", "jalan kemanggisan raya"),
     ("banjir di Jl. Taman Kebon Jeruk, Meruya Utara", "jalan taman kebon jeruk"),
     ("banjir di Jl. Taman Kebon Jeruk, Kebon Jeruk", "jalan taman kebon jeruk"),  # its address follows
     ("banjir di Jl. Taman Kebon Jeruk kel. Kebon Jeruk", "jalan taman kebon jeruk"),
     # the same area named again elsewhere is where the street runs, not part of its name
     ("Macet di Pulo Gadung: antrean mengular di Jalan Musholla Pulo Gadung", "jalan musholla"),
     ("sampah di Jl. Kavling DKI Rawa Buaya, tadi lewat kelurahan Rawa Buaya ada TPS liar", "jalan kavling dki"),
     # a lane's number in Roman numerals is no drawn-out letter: VIII is not VI
     ("banjir di Jl. Kemang Utara VIII", "jalan kemang utara viii"),
     ("got mampet di Gg. III", "gang iii"),
     # typed all in lower case, a street shows itself by how its name ends
     ("lampu mati di jalan cikini raya", "jalan cikini raya"),
     ("banjir di jalan kemang utara ix", "jalan kemang utara ix"),
     ("banjir di jalan kemang utara xixi", "jalan kemang utara"),  # laughter, no lane number
     ("jalan kaki susah karena pkl", None),
     ("jalan ke arah utara macet", None),
     ("Jalan Sempit Dipakai Parkir Liar", None),  # a headline's road, no street's name
     ("Jalan Tikus Jadi Macet", None)],
)
def test_street_names(analyzer, text, street):
    assert analyzed(analyzer, text).place.street == street


@pytest.mark.parametrize(
    ("text", "rt", "rw"),
    [("banjir di RT 03/RW 08", "003", "008"), ("RT.003 RW.08 got mampet", "003", "008"),
     ("sampah di rt3 rw8", "003", "008"), ("RT/RW 05/02 banjir", "005", "002"), ("RW 11 banjir", None, "011")],
)
def test_rt_rw(analyzer, text, rt, rw):
    place = analyzed(analyzer, text).place
    assert (place.rt, place.rw) == (rt, rw)


def test_geo_point_alone_gives_no_kelurahan(analyzer):
    item = analyzed(analyzer, "banjir parah di sini", geo=GeoPoint(-6.2, 106.8))
    assert item.place.kelurahan is None and item.is_complaint


def test_a_place_tag_gives_the_kelurahan_the_text_leaves_open(analyzer):
    place = analyzed(analyzer, "got mampet di gg. mawar dari kemaren", channel="instagram",
                     place_tag="Mangga Dua Selatan, Jakarta Pusat").place
    assert (place.kelurahan, place.kecamatan, place.kota) == ("Mangga Dua Selatan", "Sawah Besar", "Jakarta Pusat")
    assert place.street == "gang mawar"


def test_the_text_names_the_place_before_the_tag(analyzer):
    named = analyzed(analyzer, "banjir di kel. pluit", place_tag="Kebon Kosong, Jakarta Pusat").place
    assert named.kelurahan == "Pluit"
    elsewhere = analyzed(analyzer, "banjir di kec. penjaringan", place_tag="Kebon Kosong, Jakarta Pusat").place
    assert (elsewhere.kelurahan, elsewhere.kecamatan) == (None, "Penjaringan")
    same_area = analyzed(analyzer, "banjir di kec. kemayoran", place_tag="Kebon Kosong, Jakarta Pusat").place
    assert (same_area.kelurahan, same_area.kecamatan) == ("Kebon Kosong", "Kemayoran")
    assert analyzed(analyzer, "banjir parah", place_tag="Jakarta, Indonesia").place.kelurahan is None


NOT_COMPLAINTS = [
    ("official account", dict(text="Banjir di Kampung Melayu sudah surut, petugas masih berjaga", handle="BPBDJakarta")),
    ("official account", dict(text="Genangan di Jl. Sudirman sedang ditangani", handle="pengaduan@jakarta.go.id", channel="email")),
    ("official account", dict(text="Kerja bakti membersihkan saluran air RW 05", handle="kel_cikini", name="Kelurahan Cikini")),
    ("official account", dict(text="Pengangkutan sampah hari ini", handle="sudinlhjaktim", name="Sudin LH Jaktim")),
    ("official reply style", dict(text="Terima kasih atas laporannya, sudah kami teruskan ke Sudin SDA Jakarta Selatan")),
    ("official reply style", dict(text="Mohon maaf atas ketidaknyamanannya. Silakan laporkan melalui aplikasi JAKI ya")),
    ("official reply style", dict(text="Laporan Anda sedang kami tindak lanjuti. Salam, Admin")),
    ("auto-reply", dict(text="Balasan otomatis: saya sedang cuti sampai tanggal 5")),
    ("auto-reply", dict(text="Out of office until Monday")),
    ("auto-reply", dict(text="Terima kasih, email anda sudah kami terima", flags=frozenset({"auto_reply"}))),
    ("bounce", dict(text="Delivery to the following recipient failed", flags=frozenset({"bounce"}))),
    ("praise", dict(text="Terima kasih pak, jalannya sudah diperbaiki. Mantap!")),
    ("praise", dict(text="keren pelayanannya cepat tanggap")),
    ("praise", dict(text="got depan rumah sudah dibersihkan, terima kasih petugas")),
    ("promotion/spam", dict(text="Slot gacor maxwin hari ini, cek bio! #banjirjakarta")),
    ("promotion/spam", dict(text="Jual followers murah, hubungi WA 0812xxxx")),
    ("promotion/spam", dict(text="Promo diskon 50% hari ini saja")),
    ("promotion/spam", dict(text="pinjol cair cepat tanpa ribet")),
    ("news", dict(text="BREAKING: Banjir rendam 20 RT di Jakarta Timur https://kompas.com/x", handle="kompascom", name="Kompas.com")),
    ("news", dict(text="[FOTO] Genangan di Kemang, warga mengeluhkan saluran mampet. Baca selengkapnya", handle="beritaku")),
    ("news", dict(text="Warga mengeluhkan jalan rusak di Cakung, ujar Ketua RT setempat", handle="detikcom", name="detikcom")),
    ("no problem described", dict(text="Selamat pagi Jakarta, semangat beraktivitas")),
    # a retweet passes on the city's or a publisher's post: it reports nothing of its own
    ("shares an official post", dict(text="RT @TMCPoldaMetro: Kepadatan lalu lintas di Tol Dalam Kota arah Cawang")),
    ("news", dict(text="RT @kompascom: Banjir rendam 30 RT di Jakarta Timur")),
]


def test_a_retweet_of_a_citizen_s_report_is_that_report(analyzer):
    item = analyzed(analyzer, "RT @pemuda_kelurahan: got mampet di gang kami, tolong")  # not a listed account
    assert item.is_complaint and item.category == "saluran_air", item.complaint_reason


@pytest.mark.parametrize(("reason", "fields"), NOT_COMPLAINTS)
def test_not_complaints(analyzer, reason, fields):
    text = fields.pop("text")
    item = analyzed(analyzer, text, **fields)
    assert not item.is_complaint
    assert item.complaint_reason == reason


COMPLAINTS = [
    "@DKIJakarta min tolong jalan depan rumah saya berlubang",
    "Sudah lapor 3x tapi lampu jalan masih mati, kapan diperbaiki?",
    "Terima kasih sebelumnya, mohon dibantu: sampah di gang kami belum diangkut",
    "banjir lagi, jalan yang kemarin diperbaiki sudah rusak lagi",
    "Warga mengeluhkan jalan rusak di depan rumah saya sejak sebulan lalu",  # third person, but a citizen
    "tolong ditertibkan, tiap malam ada balap liar di jalan ini",
]


@pytest.mark.parametrize("text", COMPLAINTS)
def test_complaints(analyzer, text):
    item = analyzed(analyzer, text)
    assert item.is_complaint, (item.complaint_reason, item.match_text)
    assert item.complaint_reason.startswith("complaint")


def test_a_retweet_is_read_by_its_text(analyzer):
    item = analyzed(analyzer, "RT @warga: got mampet di Kel. Cikini", repost_of="99")
    assert item.is_complaint and item.category == "saluran_air" and item.place.kelurahan == "Cikini"


def test_batches_fill_every_mention(analyzer):
    items = [mention(text) for _, text in CATEGORY_CASES]
    analyzer.analyze(items)
    assert all(item.match_text and item.complaint_reason for item in items)
    assert [item.category for item in items] == [expected for expected, _ in CATEGORY_CASES]


# ----- traffic lights are traffic, not street lighting
@pytest.mark.parametrize(
    "text",
    [
        "lampu merah di perempatan mati dari pagi, kendaraan saling serobot",
        "traffic light depan pasar error, semua arah jalan bareng",
        "bangjo di simpang empat gak nyala, semrawut bgt",
        "APILL di pertigaan rusak, polisi gak ada yg ngatur",
        "lampu lalu lintas padam sejak subuh, antrean kendaraan panjang",
    ],
)
def test_traffic_lights_belong_to_traffic(analyzer, text):
    item = analyzed(analyzer, text)
    assert item.category == "kemacetan", (item.category, item.match_text)


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("kemacetan", "dari tadi mobil gak bergerak sama sekali di tol dalam kota"),
        ("kemacetan", "jalanan ngunci total, udah sejam gak maju"),
        ("banjir", "rumah kemasukan air semalam, kasur basah semua"),
        ("banjir", "jalan depan sekolah udah kayak kolam, anak2 gak bisa lewat"),
        ("banjir", "motor warga pada kerendem di parkiran"),
        ("air_bersih", "terpaksa beli air galon buat masak, pam gak keluar"),
        ("air_bersih", "aer di rumah mati lagi sejak kemarin sore"),
        ("fasilitas_umum", "perosotan di taman bermain patah, bahaya buat anak"),
        ("lampu_jalan", "tiang lampu di gang kami miring mau roboh"),
        ("pelayanan_publik", "petugas kelurahan ketus, ditanya malah dibentak"),
        ("jalan_rusak", "aspal di tikungan sudah makan korban, pengendara jatuh"),
    ],
)
def test_more_ways_residents_name_a_problem(analyzer, expected, text):
    item = analyzed(analyzer, text)
    assert item.category == expected, (item.category, item.match_text)
    assert item.is_complaint, item.complaint_reason


# ----- problems outside the taxonomy are complaints labelled lainnya
@pytest.mark.parametrize(
    "text",
    [
        "kabel listrik menjuntai rendah di gang, bisa kena kepala",
        "tetangga pasang sound system keras sampe jam 2 malam",
        "bau limbah pabrik bikin warga sesak napas",
        "anjing liar ngejar anak2 pulang ngaji",
        "tawuran remaja tiap malam minggu di jembatan",
        "suara knalpot brong tiap malem bikin ga bisa tidur",
    ],
)
def test_problems_outside_the_taxonomy(analyzer, text):
    item = analyzed(analyzer, text)
    assert item.category == "lainnya", (item.category, item.match_text)
    assert item.is_complaint, item.complaint_reason


def test_the_word_kelurahan_is_not_the_lurah(analyzer):
    # "kelurahan" folded onto "lurah" made every place context a public-service complaint.
    item = analyzed(analyzer, "got mampet di Kelurahan Cikini, Kecamatan Menteng")
    assert item.category == "saluran_air", item.category


def test_fear_of_crime_because_of_darkness_is_street_lighting(analyzer):
    item = analyzed(analyzer, "jalan ke rumah gelap, rawan begal kalau malam")
    assert item.category == "lampu_jalan", item.category


# ----- replies that back a complaint
@pytest.mark.parametrize(
    "text",
    ["valid bgt ini", "up biar dibaca dinas", "sama di gang saya juga", "+1", "masih begitu sampai sekarang",
     "😭😭", "setuju, tolong diurus"],
)
def test_a_reply_backing_a_complaint_is_a_complaint(analyzer, text):
    item = analyzed(analyzer, text, reply_to="123")
    assert item.is_complaint, item.complaint_reason


@pytest.mark.parametrize("text", ["valid bgt ini", "+1", "setuju"])
def test_backing_words_without_a_message_to_back_are_no_complaint(analyzer, text):
    assert not analyzed(analyzer, text).is_complaint


# ----- praise, solved problems, sarcasm
@pytest.mark.parametrize(
    "text",
    [
        "alhamdulillah lampu di gang kami udah nyala lagi, makasih",
        "trotoar sekarang rapi, enak buat jalan kaki 👏",
        "got depan rumah sudah dikeruk, hujan semalam gak genang lagi 👍",
        "jalan kampung kami kini mulus, terima kasih pak lurah",
        "salut sama petugas PPSU, subuh2 udah nyapu",
        "terima kasih petugas di lapangan, kalian pahlawan",
        "thank you for fixing the pothole so fast!",
        "the flood is gone now, thanks to the team",
    ],
)
def test_praise_and_solved_problems(analyzer, text):
    item = analyzed(analyzer, text)
    assert not item.is_complaint and item.complaint_reason == "praise", (item.complaint_reason, item.match_text)


@pytest.mark.parametrize(
    "text",
    [
        "mantap, jalannya kayak kolam renang lagi",
        "makasih pemprov, banjir tiap tahun 🙃",
        "sudah diperbaiki tapi sebulan rusak lagi",
        "air pam udah ngalir, tapi masih keruh",
    ],
)
def test_sarcasm_or_a_problem_back_is_still_a_complaint(analyzer, text):
    item = analyzed(analyzer, text)
    assert item.is_complaint, (item.complaint_reason, item.match_text)


def test_a_formal_letter_closing_with_thanks_is_a_complaint(analyzer):
    text = ("Dengan hormat, saya ingin menyampaikan bahwa lampu penerangan di gang kami padam. "
            "Atas perhatiannya kami ucapkan terima kasih.")
    item = analyzed(analyzer, text, channel="email", handle="warga@contoh.id")
    assert item.is_complaint and item.category == "lampu_jalan", item.complaint_reason


# ----- news in its many shapes
@pytest.mark.parametrize(
    ("fields"),
    [
        dict(text="JAKARTA, KOMPAS.com - Hujan deras sejak sore membuat sejumlah ruas jalan tergenang.", handle="warga_1"),
        dict(text="Jakarta (ANTARA) - Dinas SDA mengerahkan pompa mobile ke kawasan yang tergenang.", handle="warga_2"),
        dict(text="Pemkot Jaktim Kerahkan 20 Pompa Atasi Genangan di Cawang https://t.co/x", handle="kabarkota_id", name="Kabar Kota"),
        dict(text="Pohon Tumbang Timpa Dua Mobil di Jalan Sudirman https://t.co/y", handle="metro_daily", name="Metro Daily"),
        dict(text="Dua Kelurahan Masih Tergenang Usai Hujan Semalam. Baca selengkapnya di situs kami.", handle="jktupdate"),
        dict(text="Banjir Rendam Permukiman di Kemang", channel="rss", handle=None, name=None,
             permalink="https://wartakita.example/2024/banjir-kemang", title="Banjir Rendam Permukiman di Kemang"),
        dict(text="Warga keluhkan sampah menumpuk, ini penjelasan Dinas LH", handle="tempodotco", name="TEMPO.CO"),
    ],
)
def test_news_items(analyzer, fields):
    text = fields.pop("text")
    item = analyzed(analyzer, text, **fields)
    assert not item.is_complaint and item.complaint_reason == "news", (item.complaint_reason, item.match_text)


@pytest.mark.parametrize(
    ("fields"),
    [
        dict(text="LAPORAN JALAN RUSAK DI GANG MAWAR — mohon segera diperbaiki"),
        dict(text="Banjir Lagi Di Depan Rumah Saya, Tolong Pak"),
        dict(text="Jalan Berlubang Di Kemang Raya",  channel="qlue", title="Jalan Berlubang Di Kemang Raya"),
        dict(text="Genangan Di Jalan Raya Bogor  Air setinggi lutut sejak pagi, motor pada mogok dan belum ada petugas.",
             channel="rss", title="Genangan Di Jalan Raya Bogor", handle=None, name="Siti"),
    ],
)
def test_residents_in_capitals_are_not_news(analyzer, fields):
    text = fields.pop("text")
    item = analyzed(analyzer, text, **fields)
    assert item.is_complaint, (item.complaint_reason, item.match_text)


# ----- questions, community notes, tests, adverts
@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ("information request", "min, mau tanya syarat bikin KTP buat pindahan dari luar kota apa aja ya?"),
        ("information request", "jadwal pemangkasan pohon di wilayah kami kapan ya min?"),
        ("information request", "numpang tanya, posko pengungsian terdekat di mana ya?"),
        # traffic news passed on to other road users, and news watched
        ("news", "info lalin: arus di jalan sudirman terpantau padat merayap, hindari jika memungkinkan"),
        ("news", "lagi nonton berita banjir di kampung pulo, kasian warganya"),
        ("community or charity", "komunitas kami buka donasi pakaian untuk korban banjir, bisa diantar ke balai RW 03"),
        ("community or charity", "kerja bakti bersihin selokan hari Minggu, semua warga diharapkan hadir"),
        ("community or charity", "doain ya semoga banjirnya cepet surut"),
        ("community or charity", "jangan buang sampah sembarangan ya guys, sayangi lingkungan"),
        ("community or charity", "Pengumuman: besok ada pemadaman air di RW 05 karena pemeliharaan pipa"),
        ("community or charity", "Diinformasikan kepada seluruh warga, pengangkutan sampah hari Rabu dan Sabtu"),
        ("test submission", "test laporan, mohon abaikan"),
        ("promotion/spam", "Butuh dana cepat? pinjaman tanpa agunan, langsung cair"),
        ("promotion/spam", "Dijual rumah hook 2 lantai, SHM, lokasi strategis bebas banjir. Hubungi pemilik"),
        ("promotion/spam", "Bengkel kami terima servis motor mogok kena banjir, home service 📞 0812-0000-0000"),
    ],
)
def test_not_complaints_beyond_the_city(analyzer, reason, text):
    item = analyzed(analyzer, text)
    assert not item.is_complaint and item.complaint_reason == reason, (item.complaint_reason, item.match_text)


@pytest.mark.parametrize("text", [
    "doain ya, rumah kami kebanjiran sepinggang, belum ada bantuan",
    "air belum surut juga dari kemarin, semoga cepat surut, tolong pompanya",
])
def test_a_prayer_beside_a_flood_of_one_s_own_stays_a_complaint(analyzer, text):
    item = analyzed(analyzer, text)
    assert item.is_complaint, item.complaint_reason


def test_a_question_with_a_grievance_stays_a_complaint(analyzer):
    item = analyzed(analyzer, "mau tanya, kenapa lampu jalan di gang kami masih mati sebulan?")
    assert item.is_complaint, item.complaint_reason


@pytest.mark.parametrize(
    "text",
    ["Kak, laporan sudah kami terima dan kami teruskan ke Sudin terkait ya",
     "Halo kak, mohon ditunggu, petugas sedang menuju lokasi",
     "Terima kasih atas partisipasinya. Laporan telah kami terima"],
)
def test_staff_replies_from_unlisted_accounts(analyzer, text):
    item = analyzed(analyzer, text, handle="kel_sukamaju", name="Sukamaju Bersatu", reply_to="9")
    assert not item.is_complaint and item.complaint_reason == "official reply style", item.complaint_reason


def test_job_seekers_pkl_words_are_not_adverts(analyzer):
    # "jualan" once counted as selling: PKL complaints were taken for adverts.
    text = "Saya mau lapor, pedagang jualan di trotoar, harga parkir juga dipatok seenaknya"
    item = analyzed(analyzer, text)
    assert item.is_complaint, item.complaint_reason


# ----- places: what the sender states, rivers, landmarks, shorthands
def test_a_kelurahan_written_after_kel_wins_over_a_landmark(analyzer):
    place = analyzed(analyzer, "PKL di depan Stasiun Jatinegara sisi Kel. Rawa Bunga menutup trotoar").place
    assert place.kelurahan == "Rawa Bunga"


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [("kali krukut meluap, Cipete Selatan RT 02 kebanjiran", "Cipete Selatan"),
     ("sungai pesanggrahan naik, rumah di Ulujami terendam", "Ulujami"),
     ("sampah numpuk di pinggir kali cideng", "Cideng")],  # the river alone still says where
)
def test_a_river_named_after_an_area_is_not_the_place(analyzer, text, kelurahan):
    assert analyzed(analyzer, text).place.kelurahan == kelurahan


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [("jalan berlubang depan Pasar Induk Kramat Jati", "Tengah"),
     ("antrean pasien di RSCM sampai luber ke trotoar", "Kenari"),
     ("banjir di kel. pdk kelapa RT 05", "Pondok Kelapa"),
     ("got mampet di klp gading barat", "Kelapa Gading Barat")],
)
def test_landmarks_and_place_shorthands(analyzer, text, kelurahan):
    assert analyzed(analyzer, text).place.kelurahan == kelurahan


def test_a_street_read_before_is_placed_where_it_is_written_again(analyzer):
    """The words after "Jl." are read once and remembered; each text still gets its own positions."""
    for text in ("Jl. Haji Nawi Raya banjir", "tolong dicek banjir lagi di Jl. Haji Nawi Raya", "jl. Haji Nawi Raya"):
        read = analyzer.reader.read(text)
        match = analyzer.places.find(read.match_keys, read.text, text)
        assert match.place.street == "jalan haji nawi raya"
        start = read.text.words.index("haji")
        assert read.text.words[start:start + 3] == ["haji", "nawi", "raya"]
        assert {start, start + 1, start + 2} <= match.name_tokens and start - 1 not in match.name_tokens

"""Words and phrasings for the labelled corpus: how Jakarta's citizens, officials and media write.

Pure data for make_corpus.py. Placeholders in braces are filled per incident: {depth}, {cm},
{dur}, {n}. Phrasings deliberately often avoid the category's own keyword.
"""

# Streets by kelurahan (name, kecamatan). Long roads appear under several kelurahan on purpose.
STREETS: dict[tuple[str, str], list[str]] = {
    ("Bangka", "Mampang Prapatan"): ["Jl. Kemang Raya", "Jl. Bangka Raya", "Jl. Kemang Selatan"],
    ("Mampang Prapatan", "Mampang Prapatan"): ["Jl. Mampang Prapatan Raya", "Jl. Kapten Tendean"],
    ("Melawai", "Kebayoran Baru"): ["Jl. Melawai Raya", "Jl. Melawai VI"],
    ("Cipete Utara", "Kebayoran Baru"): ["Jl. Haji Nawi", "Jl. Kemang Utara Raya"],
    ("Cipete Selatan", "Cilandak"): ["Jl. Cipete Raya", "Jl. Fatmawati"],
    ("Gandaria Selatan", "Cilandak"): ["Jl. Fatmawati", "Jl. Gandaria Tengah"],
    ("Pondok Labu", "Cilandak"): ["Jl. Fatmawati", "Jl. Margasatwa"],
    ("Lebak Bulus", "Cilandak"): ["Jl. Lebak Bulus Raya", "Jl. Karang Tengah"],
    ("Tebet Timur", "Tebet"): ["Jl. Tebet Timur Dalam", "Jl. Tebet Raya"],
    ("Tebet Barat", "Tebet"): ["Jl. Tebet Barat Dalam", "Jl. Tebet Raya"],
    ("Kebon Baru", "Tebet"): ["Jl. Asem Baris", "Jl. Kebon Baru Utara"],
    ("Manggarai", "Tebet"): ["Jl. Dr. Saharjo", "Jl. Manggarai Utara"],
    ("Menteng Atas", "Setiabudi"): ["Jl. Dr. Saharjo", "Jl. Menteng Pulo"],
    ("Bukit Duri", "Tebet"): ["Jl. Bukit Duri Tanjakan", "Jl. Swadaya Bukit Duri"],
    ("Kuningan Timur", "Setiabudi"): ["Jl. HR Rasuna Said", "Jl. Prof. Dr. Satrio"],
    ("Karet Kuningan", "Setiabudi"): ["Jl. HR Rasuna Said", "Jl. Prof. Dr. Satrio"],
    ("Kampung Melayu", "Jatinegara"): ["Jl. Jatinegara Barat", "Jl. Kampung Pulo"],
    ("Cipinang Melayu", "Makasar"): ["Jl. Inspeksi Kalimalang", "Jl. Cipinang Melayu Raya"],
    ("Pondok Kelapa", "Duren Sawit"): ["Jl. Inspeksi Kalimalang", "Jl. Pondok Kelapa Raya"],
    ("Pondok Bambu", "Duren Sawit"): ["Jl. Pahlawan Revolusi", "Jl. Inspeksi Kalimalang"],
    ("Rawamangun", "Pulogadung"): ["Jl. Pemuda", "Jl. Balai Pustaka", "Jl. Rawamangun Muka"],
    ("Pulo Gadung", "Pulogadung"): ["Jl. Raya Bekasi", "Jl. Pemuda"],
    ("Jatinegara Kaum", "Pulogadung"): ["Jl. Raya Bekasi", "Jl. Cipinang Jaya"],
    ("Kayu Putih", "Pulogadung"): ["Jl. Kayu Putih Raya", "Jl. Pulomas Barat"],
    ("Kramatjati", "Kramatjati"): ["Jl. Raya Bogor", "Jl. Inpres"],
    ("Tengah", "Kramatjati"): ["Jl. Raya Bogor", "Jl. Pasar Induk"],
    ("Rambutan", "Ciracas"): ["Jl. Raya Bogor", "Jl. Tanah Merdeka"],
    ("Susukan", "Ciracas"): ["Jl. Raya Bogor", "Jl. Susukan Raya"],
    ("Gedong", "Pasar Rebo"): ["Jl. Raya Bogor", "Jl. TB Simatupang"],
    ("Balekambang", "Kramatjati"): ["Jl. Raya Condet", "Jl. Budaya"],
    ("Batu Ampar", "Kramatjati"): ["Jl. Raya Condet", "Jl. Batu Ampar III"],
    ("Cawang", "Kramatjati"): ["Jl. Dewi Sartika", "Jl. Mayjen Sutoyo"],
    ("Cililitan", "Kramatjati"): ["Jl. Mayjen Sutoyo", "Jl. Dewi Sartika"],
    ("Kemanggisan", "Pal Merah"): ["Jl. Kemanggisan Raya", "Jl. Anggrek Cakra"],
    ("Palmerah", "Pal Merah"): ["Jl. Palmerah Barat", "Jl. Palmerah Utara"],
    ("Slipi", "Pal Merah"): ["Jl. S. Parman", "Jl. KS Tubun"],
    ("Tomang", "Grogol Petamburan"): ["Jl. Tomang Raya", "Jl. S. Parman"],
    ("Grogol", "Grogol Petamburan"): ["Jl. Dr. Susilo", "Jl. Prof. Dr. Latumenten"],
    ("Jelambar", "Grogol Petamburan"): ["Jl. Prof. Dr. Latumenten", "Jl. Jelambar Utama"],
    ("Tanjung Duren Utara", "Grogol Petamburan"): ["Jl. Tanjung Duren Raya", "Jl. Tanjung Duren Dalam"],
    ("Tanjung Duren Selatan", "Grogol Petamburan"): ["Jl. Tanjung Duren Raya", "Jl. Tanjung Duren Barat"],
    ("Kedoya Utara", "Kebon Jeruk"): ["Jl. Panjang", "Jl. Kedoya Raya"],
    ("Kebon Jeruk", "Kebon Jeruk"): ["Jl. Panjang", "Jl. Raya Kebon Jeruk"],
    ("Sukabumi Utara", "Kebon Jeruk"): ["Jl. Panjang", "Jl. Sukabumi Ilir"],
    ("Duri Kepa", "Kebon Jeruk"): ["Jl. Duri Kepa Raya", "Jl. Taman Ratu"],
    ("Cengkareng Timur", "Cengkareng"): ["Jl. Daan Mogot", "Jl. Bangun Nusa"],
    ("Kedaung Kali Angke", "Cengkareng"): ["Jl. Daan Mogot", "Jl. Kresek Raya"],
    ("Rawa Buaya", "Cengkareng"): ["Jl. Daan Mogot", "Jl. Lingkar Luar Barat"],
    ("Kalideres", "Kalideres"): ["Jl. Daan Mogot", "Jl. Peta Selatan"],
    ("Pluit", "Penjaringan"): ["Jl. Pluit Raya", "Jl. Pluit Karang", "Jl. Muara Karang Raya"],
    ("Penjaringan", "Penjaringan"): ["Jl. Tanah Pasir", "Jl. Pakin"],
    ("Kapuk Muara", "Penjaringan"): ["Jl. Kapuk Muara Raya", "Jl. Kapuk Kamal"],
    ("Kelapa Gading Barat", "Kelapa Gading"): ["Jl. Boulevard Raya", "Jl. Gading Indah"],
    ("Kelapa Gading Timur", "Kelapa Gading"): ["Jl. Boulevard Raya", "Jl. Kelapa Hybrida"],
    ("Pegangsaan Dua", "Kelapa Gading"): ["Jl. Pegangsaan Dua Raya", "Jl. Kelapa Nias"],
    ("Sunter Jaya", "Tanjung Priok"): ["Jl. Danau Sunter Utara", "Jl. Sunter Jaya Raya"],
    ("Sunter Agung", "Tanjung Priok"): ["Jl. Danau Sunter Selatan", "Jl. Sunter Permai"],
    ("Tanjung Priok", "Tanjung Priok"): ["Jl. Enggano", "Jl. Jampea"],
    ("Cilincing", "Cilincing"): ["Jl. Cilincing Raya", "Jl. Sungai Landak"],
    ("Marunda", "Cilincing"): ["Jl. Marunda Makmur", "Jl. Cilincing Raya"],
    ("Ancol", "Pademangan"): ["Jl. RE Martadinata", "Jl. Lodan Raya"],
    ("Kramat", "Senen"): ["Jl. Kramat Raya", "Jl. Kramat Sentiong"],
    ("Kwitang", "Senen"): ["Jl. Kwitang Raya", "Jl. Kramat Raya"],
    ("Cikini", "Menteng"): ["Jl. Cikini Raya", "Jl. Raden Saleh"],
    ("Menteng", "Menteng"): ["Jl. HOS Cokroaminoto", "Jl. Teuku Umar"],
    ("Kebon Kacang", "Tanah Abang"): ["Jl. Kebon Kacang Raya", "Jl. Kebon Kacang IX"],
    ("Kampung Bali", "Tanah Abang"): ["Jl. Jati Baru", "Jl. KH Mas Mansyur"],
    ("Karet Tengsin", "Tanah Abang"): ["Jl. KH Mas Mansyur", "Jl. Karet Pasar Baru"],
    ("Bendungan Hilir", "Tanah Abang"): ["Jl. Bendungan Hilir Raya", "Jl. Danau Toba"],
    ("Petamburan", "Tanah Abang"): ["Jl. KS Tubun", "Jl. Petamburan III"],
    ("Cideng", "Gambir"): ["Jl. Cideng Barat", "Jl. Cideng Timur"],
    ("Pinangsia", "Taman Sari"): ["Jl. Kali Besar Timur", "Jl. Pintu Besar Utara"],
    ("Glodok", "Taman Sari"): ["Jl. Pancoran Glodok", "Jl. Hayam Wuruk"],
    ("Mangga Besar", "Taman Sari"): ["Jl. Mangga Besar Raya", "Jl. Taman Sari Raya"],
    ("Pasar Minggu", "Pasar Minggu"): ["Jl. Raya Pasar Minggu", "Jl. Raya Ragunan"],
    ("Kalibata", "Pancoran"): ["Jl. Raya Kalibata", "Jl. Raya Pasar Minggu"],
    ("Pancoran", "Pancoran"): ["Jl. Raya Pasar Minggu", "Jl. Pengadegan Timur"],
    ("Jati Padang", "Pasar Minggu"): ["Jl. Jati Padang Raya", "Jl. Kebagusan Raya"],
    ("Ragunan", "Pasar Minggu"): ["Jl. Harsono RM", "Jl. Raya Ragunan"],
    ("Cilandak Timur", "Pasar Minggu"): ["Jl. TB Simatupang", "Jl. Saco"],
    ("Lenteng Agung", "Jagakarsa"): ["Jl. Raya Lenteng Agung", "Jl. Agung Raya"],
    ("Tanjung Barat", "Jagakarsa"): ["Jl. Raya Lenteng Agung", "Jl. TB Simatupang"],
    ("Jagakarsa", "Jagakarsa"): ["Jl. Moh. Kahfi I", "Jl. Jagakarsa Raya"],
    ("Ciganjur", "Jagakarsa"): ["Jl. Moh. Kahfi I", "Jl. Ciganjur Raya"],
    ("Kebayoran Lama Utara", "Kebayoran Lama"): ["Jl. Raya Kebayoran Lama", "Jl. Kebayoran Lama Pal VII"],
    ("Grogol Utara", "Kebayoran Lama"): ["Jl. Raya Kebayoran Lama", "Jl. Arteri Permata Hijau"],
    ("Cipulir", "Kebayoran Lama"): ["Jl. Ciledug Raya", "Jl. Cipulir Raya"],
    ("Petukangan Utara", "Pesanggrahan"): ["Jl. Ciledug Raya", "Jl. Masjid Al-Huda"],
    ("Ulujami", "Pesanggrahan"): ["Jl. Ulujami Raya", "Jl. Pesanggrahan Raya"],
    ("Utan Kayu Utara", "Matraman"): ["Jl. Utan Kayu Raya", "Jl. Pramuka Sari"],
    ("Klender", "Duren Sawit"): ["Jl. I Gusti Ngurah Rai", "Jl. Bekasi Timur Raya"],
    ("Cakung Barat", "Cakung"): ["Jl. Raya Bekasi", "Jl. Tipar Cakung"],
    ("Cibubur", "Ciracas"): ["Jl. Lapangan Tembak", "Jl. Radar AURI"],
    ("Lubang Buaya", "Cipayung"): ["Jl. Raya Pondok Gede", "Jl. Pondok Gede Permai"],
    ("Cempaka Putih Timur", "Cempaka Putih"): ["Jl. Cempaka Putih Raya", "Jl. Letjen Suprapto"],
    ("Rawasari", "Cempaka Putih"): ["Jl. Rawasari Selatan", "Jl. Percetakan Negara"],
    ("Pasar Baru", "Sawah Besar"): ["Jl. Samanhudi", "Jl. Pasar Baru Timur"],
    ("Mangga Dua Selatan", "Sawah Besar"): ["Jl. Mangga Dua Raya", "Jl. Gunung Sahari"],
    ("Gunung Sahari Utara", "Sawah Besar"): ["Jl. Gunung Sahari", "Jl. Kartini Raya"],
    ("Gunung Sahari Selatan", "Kemayoran"): ["Jl. Gunung Sahari", "Jl. Garuda"],
    ("Kebon Kosong", "Kemayoran"): ["Jl. Benyamin Sueb", "Jl. Kemayoran Gempol"],
    ("Meruya Utara", "Kembangan"): ["Jl. Meruya Ilir Raya", "Jl. Taman Kebon Jeruk"],
    ("Joglo", "Kembangan"): ["Jl. Joglo Raya", "Jl. Kembangan Raya"],
    ("Kalibaru", "Cilincing"): ["Jl. Kalibaru Timur", "Jl. Cilincing Raya"],
}

# Small streets any kelurahan has; never a kelurahan's name.
GENERIC_STREETS = [
    "Jl. Masjid Al-Ikhlas", "Gg. Mawar", "Gg. Melati", "Jl. Swadaya", "Jl. Bhakti", "Gg. H. Saleh", "Jl. Damai",
    "Jl. Pendidikan", "Jl. Kenanga", "Gg. Kelor", "Jl. Nusa Indah", "Jl. Merpati", "Gg. Langgar", "Jl. Sawo",
    "Jl. Pelita", "Gg. Sepakat", "Jl. Musholla", "Jl. H. Dul", "Gg. Remaja", "Jl. Mandala", "Gg. Pinang",
    "Jl. Asem", "Jl. Flamboyan", "Gg. Delima", "Jl. Sadar", "Jl. Rukun", "Gg. Buntu", "Jl. Haji Ipin",
    "Jl. Karya", "Gg. Anggrek", "Jl. Setia", "Jl. Kavling DKI", "Gg. Jambu", "Jl. Amal", "Jl. Kampung Dukuh",
    "Jl. Raya Sekolah", "Gg. Lurah", "Jl. Bungur Besar", "Jl. Lontar", "Gg. Nangka",
]

LANDMARKS = [
    "depan Indomaret", "dpn indomaret", "deket Alfamart", "dkt alfamart", "sebelah masjid", "samping musholla",
    "depan SDN {n:02d}", "deket pos RW", "samping pangkalan ojek", "seberang warteg", "depan gereja",
    "deket pasar", "depan puskesmas", "di pertigaan", "di perempatan lampu merah", "bawah flyover",
    "pinggir kali", "depan sekolah", "deket halte", "depan bengkel", "samping SPBU", "depan apotek",
]

# Colloquial areas a Jakartan would place in one kelurahan: (kelurahan, kecamatan).
ALIASES: dict[str, tuple[str, str]] = {
    "Blok M": ("Melawai", "Kebayoran Baru"),
    "Kemang": ("Bangka", "Mampang Prapatan"),
    "Kota Tua": ("Pinangsia", "Taman Sari"),
    "Pluit": ("Pluit", "Penjaringan"),
    "Monas": ("Gambir", "Gambir"),
    "Stasiun Manggarai": ("Manggarai", "Tebet"),
    "Pasar Tanah Abang": ("Kampung Bali", "Tanah Abang"),
    "Pasar Senen": ("Senen", "Senen"),
    "Terminal Kampung Rambutan": ("Rambutan", "Ciracas"),
    "Ancol": ("Ancol", "Pademangan"),
    "Glodok": ("Glodok", "Taman Sari"),
    "Cawang": ("Cawang", "Kramatjati"),
    "Condet": ("Balekambang", "Kramatjati"),
    "Rawamangun": ("Rawamangun", "Pulogadung"),
}

# Areas people name that span several kelurahan: a reader cannot tell which.
AMBIGUOUS_AREAS: dict[str, list[tuple[str, str]]] = {
    "Kelapa Gading": [("Kelapa Gading Barat", "Kelapa Gading"), ("Kelapa Gading Timur", "Kelapa Gading"), ("Pegangsaan Dua", "Kelapa Gading")],
    "Sunter": [("Sunter Jaya", "Tanjung Priok"), ("Sunter Agung", "Tanjung Priok")],
    "Tebet": [("Tebet Timur", "Tebet"), ("Tebet Barat", "Tebet"), ("Kebon Baru", "Tebet")],
    "Kebayoran": [("Kebayoran Lama Utara", "Kebayoran Lama"), ("Grogol Utara", "Kebayoran Lama"), ("Cipulir", "Kebayoran Lama")],
}

# Single-word kelurahan names that are ordinary words: written with "Kel." when meant.
COMMON_WORD_NAMES = {
    "Baru", "Tengah", "Gunung", "Pulo", "Gedong", "Dukuh", "Selong", "Bangka", "Karet", "Kartini", "Guntur",
    "Kenari", "Jati", "Setu", "Gelora", "Kramat", "Kapuk", "Kamal", "Galur", "Serdang", "Bungur", "Angke",
    "Pekojan", "Tangki", "Senayan", "Menteng", "Grogol", "Cipinang", "Kalibaru", "Slipi", "Gambir",
}

KOTA_SHORT = {
    "31.71": ["Jakpus", "Jakarta Pusat", "jakpus"],
    "31.72": ["Jakut", "Jakarta Utara", "jakut"],
    "31.73": ["Jakbar", "Jakarta Barat", "jakbar"],
    "31.74": ["Jaksel", "Jakarta Selatan", "jaksel"],
    "31.75": ["Jaktim", "Jakarta Timur", "jaktim"],
}
KOTA_CENTRE = {
    "31.71": (-6.182, 106.834), "31.72": (-6.128, 106.880), "31.73": (-6.168, 106.760),
    "31.74": (-6.266, 106.813), "31.75": (-6.235, 106.900),
}
SUDIN = {"31.71": "Jakpus", "31.72": "Jakut", "31.73": "Jakbar", "31.74": "Jaksel", "31.75": "Jaktim"}

# Per category: informal problem clauses, formal clauses, impacts, "when will it be fixed", agency tags.
CATEGORIES: dict[str, dict[str, list[str]]] = {
    "banjir": {
        "informal": [
            "banjir lagi", "air udah {depth}", "kebanjiran dari subuh", "gak bisa lewat, tergenang", "air naik terus, udah {depth}",
            "jalanan jadi kali", "rumah warga kemasukan air", "genangan {depth} gak surut2", "air masuk rumah {depth}",
            "banjir {depth}", "motor pada mogok kerendem air", "ujan dikit langsung banjir", "air setinggi {depth}",
            "tergenang parah", "BANJIR LAGI BANJIR LAGI", "udah kayak kolam renang", "air kali meluap ke jalan",
        ],
        "formal": [
            "terjadi banjir dengan ketinggian air sekitar {cm} cm", "genangan air setinggi {cm} cm belum surut sejak {since}",
            "air meluap dan masuk ke permukiman warga setinggi kurang lebih {cm} cm", "jalan tergenang banjir sehingga tidak dapat dilalui kendaraan",
        ],
        "impact": [
            "motor gue mogok", "anak2 gak bisa sekolah", "warga ngungsi ke masjid", "barang2 pada basah semua", "mobil gak bisa keluar",
            "ojol pada puter balik", "lansia kejebak di rumah", "kasur udah kerendem",
        ],
        "fix": ["kapan normalisasi kalinya", "pompanya kemana", "kapan ada pompa", "mana petugasnya"],
        "tags": ["@BPBDJakarta", "@DKIJakarta"],
        "hashtags": ["#banjirjakarta", "#jakartarawanbanjir", "#banjir", "#infobanjir"],
        "title": ["Banjir", "Genangan Air", "Banjir di permukiman", "Jalan tergenang"],
    },
    "sampah": {
        "informal": [
            "sampah numpuk", "tumpukan sampah udah {dur} gak diangkut", "bau busuk dari TPS", "ada TPS liar", "orang buang sampah sembarangan",
            "truk sampah gak dateng2", "baunya nyampe ke rumah", "sampah berserakan sampe ke badan jalan", "sampahnya udah ada belatungnya",
            "plastik sama sisa makanan numpuk", "bau banget kayak bangkai", "gunungan sampah makin tinggi", "sampah rumah tangga dibuang ke kali",
        ],
        "formal": [
            "terdapat penumpukan sampah yang belum diangkut petugas selama {dur}", "warga membuang sampah sembarangan sehingga menimbulkan bau tidak sedap",
            "tempat pembuangan sampah sementara sudah penuh dan meluber ke jalan",
        ],
        "impact": ["lalat di mana2", "anak2 pada gatel2", "gak bisa buka jendela", "tikus berkeliaran", "pejalan kaki tutup idung"],
        "fix": ["kapan diangkut", "petugas kebersihannya kemana", "kapan dibersihin"],
        "tags": ["@dinaslhdki", "@DKIJakarta"],
        "hashtags": ["#sampah", "#jakartabersih", "#dinaslhdki"],
        "title": ["Sampah menumpuk", "Sampah belum diangkut", "TPS liar", "Penumpukan sampah"],
    },
    "jalan_rusak": {
        "informal": [
            "jalan berlubang", "lubang gede banget di tengah jalan", "motor gue masuk lubang", "aspal ngelupas semua", "jalannya rusak parah",
            "udah kayak kubangan kerbau", "ada lubang menganga", "aspal amblas", "jalannya bergelombang parah", "udah makan korban, ada yg jatoh",
            "lobang dimana2", "jalanan ancur", "bekas galian gak ditutup lagi", "ban mobil gue pecah kena lubang",
        ],
        "formal": [
            "terdapat kerusakan jalan berupa lubang dengan diameter sekitar {cm} cm", "permukaan aspal rusak dan berlubang sehingga membahayakan pengendara",
            "jalan amblas dan belum diperbaiki sejak {since}", "bekas galian utilitas tidak ditutup kembali dengan baik",
        ],
        "impact": ["pengendara motor sering jatoh", "mobil harus zig-zag", "kalo malem gak keliatan", "ojol ogah lewat", "velg gue penyok"],
        "fix": ["kapan dibenerin", "kapan diaspal", "kapan ditambal", "nunggu ada korban dulu?"],
        "tags": ["@DKIJakarta", "@DinasBMDKI"],
        "hashtags": ["#jalanrusak", "#jakarta"],
        "title": ["Jalan rusak", "Jalan berlubang", "Aspal rusak", "Kerusakan jalan"],
    },
    "saluran_air": {
        "informal": [
            "got mampet", "selokan tersumbat", "gorong2 buntu", "air got meluap", "saluran air penuh lumpur, item dan bau",
            "drainase gak jalan", "tutup got ilang, bolong", "air comberan ngegenang di depan rumah", "got nya udah gak ngalir",
            "saluran airnya ketutup sampah", "kali kecilnya dangkal penuh lumpur",
        ],
        "formal": [
            "saluran air tersumbat sehingga air meluap ke jalan", "penutup saluran air hilang dan membahayakan pejalan kaki",
            "drainase di lingkungan kami tidak berfungsi dan perlu dikeruk", "gorong-gorong tersumbat lumpur dan sampah",
        ],
        "impact": ["nyamuk banyak banget", "baunya gak ketahan", "bocah hampir kecemplung", "kalo ujan pasti luber"],
        "fix": ["kapan dikeruk", "kapan dibersihin gotnya", "PPSU nya kemana"],
        "tags": ["@DKIJakarta", "@dinassdadki"],
        "hashtags": ["#gotmampet", "#jakarta"],
        "title": ["Saluran air tersumbat", "Got mampet", "Drainase buruk", "Penutup saluran hilang"],
    },
    "lampu_jalan": {
        "informal": [
            "lampu jalan mati", "PJU padam", "gelap gulita kalo malem", "rawan begal soalnya gelap", "lampu jalannya kedip2 terus mati",
            "tiang lampu miring mau roboh", "udah {dur} gelap", "lampunya mati semua sepanjang jalan", "jalanan gelap banget",
            "lampu PJU nyala siang mati malem",
        ],
        "formal": [
            "lampu penerangan jalan umum (PJU) tidak menyala sejak {since}", "sebanyak {n} titik lampu jalan padam sehingga kondisi jalan gelap",
            "tiang lampu penerangan jalan dalam kondisi miring dan membahayakan",
        ],
        "impact": ["ibu2 takut pulang malem", "kemarin ada yg kejambret", "motor nabrak polisi tidur krn gak keliatan", "anak kos takut lewat"],
        "fix": ["kapan dinyalain", "kapan dibenerin lampunya", "tolong diganti lampunya"],
        "tags": ["@DKIJakarta", "@DistamhutDKI"],
        "hashtags": ["#lampujalan", "#jakarta"],
        "title": ["Lampu jalan mati", "PJU padam", "Penerangan jalan", "Lampu PJU rusak"],
    },
    "pohon_tumbang": {
        "informal": [
            "pohon tumbang", "pohon roboh nutupin jalan", "dahan patah nimpa motor", "pohon gede ambruk", "pohonnya miring mau jatoh",
            "ranting gede nyangkut di kabel", "ada pohon nimpa mobil", "POHON TUMBANG NUTUP JALAN", "batang pohon melintang di jalan",
        ],
        "formal": [
            "terdapat pohon tumbang yang menutup sebagian badan jalan", "pohon besar dalam kondisi miring dan berpotensi tumbang",
            "dahan pohon patah dan menimpa kabel listrik",
        ],
        "impact": ["jalan ketutup separo", "macet gara2 itu", "kabel listrik ketarik", "untung gak ada korban"],
        "fix": ["mohon segera dievakuasi", "kapan dipotong", "tolong dirapikan dahannya"],
        "tags": ["@DKIJakarta", "@BPBDJakarta", "@DistamhutDKI"],
        "hashtags": ["#pohontumbang", "#jakarta"],
        "title": ["Pohon tumbang", "Pohon rawan tumbang", "Dahan patah"],
    },
    "parkir_liar": {
        "informal": [
            "parkir liar", "mobil parkir sembarangan di bahu jalan", "jukir liar minta 5rb", "parkir sampe makan setengah jalan",
            "mobil parkir di trotoar", "tukang parkir ngeselin, maksa", "motor parkir dua lapis", "parkir seenaknya depan toko",
            "bahu jalan jadi lahan parkir", "parkir di bawah rambu dilarang parkir",
        ],
        "formal": [
            "terdapat parkir liar yang memakan badan jalan", "kendaraan diparkir di trotoar sehingga mengganggu pejalan kaki",
            "juru parkir liar memungut tarif di luar ketentuan",
        ],
        "impact": ["jalan jadi sempit", "bikin macet", "pejalan kaki susah", "ambulans susah lewat"],
        "fix": ["mana dishub", "tolong diderek", "kapan ditertibkan"],
        "tags": ["@DishubDKI", "@TMCPoldaMetro"],
        "hashtags": ["#parkirliar", "#jakarta"],
        "title": ["Parkir liar", "Parkir sembarangan", "Juru parkir liar"],
    },
    "kemacetan": {
        "informal": [
            "macet parah", "macet total", "ga gerak sama sekali", "stuck {dur} di sini", "antrean kendaraan mengular",
            "lampu merah mati jadi semrawut", "puter balik bikin mampet", "MACET GILA", "padat merayap dari tadi",
            "kendaraan numpuk gak bergerak", "jalan ngunci total",
        ],
        "formal": [
            "terjadi kemacetan panjang setiap jam sibuk", "arus lalu lintas tersendat parah akibat kendaraan putar balik",
            "lampu lalu lintas tidak berfungsi sehingga terjadi kemacetan",
        ],
        "impact": ["telat ngantor", "bensin abis di jalan", "anak telat sekolah", "ambulans kejebak"],
        "fix": ["mana petugasnya", "tolong diatur", "kapan diurai"],
        "tags": ["@TMCPoldaMetro", "@DishubDKI"],
        "hashtags": ["#macet", "#lalinjakarta"],
        "title": ["Kemacetan", "Macet parah", "Lampu lalu lintas mati"],
    },
    "pkl_trotoar": {
        "informal": [
            "PKL jualan di trotoar", "trotoar dipake dagang", "pejalan kaki terpaksa turun ke jalan", "lapak pedagang makan trotoar",
            "gerobak pedagang nutup trotoar", "trotoar jadi pasar", "pedagang kaki lima menuhin trotoar", "tenda pedagang di atas trotoar",
        ],
        "formal": [
            "pedagang kaki lima berjualan di atas trotoar sehingga pejalan kaki harus berjalan di badan jalan",
            "trotoar digunakan sebagai tempat berjualan", "lapak pedagang menutup akses trotoar",
        ],
        "impact": ["orang jalan harus ke aspal", "bahaya buat anak sekolah", "kursi roda gak bisa lewat", "sampah dagangan dimana2"],
        "fix": ["mana satpol PP", "tolong ditertibkan", "kapan ditata"],
        "tags": ["@DKIJakarta", "@satpolpp_dki"],
        "hashtags": ["#trotoar", "#jakarta"],
        "title": ["PKL di trotoar", "Trotoar dipakai berjualan", "Pedagang kaki lima"],
    },
    "fasilitas_umum": {
        "informal": [
            "halte rusak", "atap halte bocor", "ayunan di taman patah", "toilet umum rusak dan jorok", "lantai JPO bolong",
            "bangku taman rusak", "kursi halte ilang", "lift JPO mati", "RPTRA gak keurus", "pagar taman roboh",
            "kran air di taman mati", "perosotan anak2 patah",
        ],
        "formal": [
            "fasilitas umum berupa {fac} dalam kondisi rusak dan tidak terawat", "{fac} rusak dan membahayakan pengguna",
            "mohon perbaikan {fac} yang sudah lama rusak",
        ],
        "impact": ["anak2 gak bisa main", "penumpang kehujanan", "lansia susah", "bahaya banget"],
        "fix": ["kapan diperbaiki", "tolong dicek", "kapan direnovasi"],
        "tags": ["@DKIJakarta", "@PT_Transjakarta"],
        "hashtags": ["#fasum", "#jakarta"],
        "title": ["Fasilitas umum rusak", "Halte rusak", "Taman rusak", "JPO rusak"],
    },
    "air_bersih": {
        "informal": [
            "air PAM mati", "air keruh kayak teh susu", "air gak ngalir dari kemarin", "air ledeng bau kaporit banget", "pipa bocor, air muncrat",
            "aer mati lagi", "udah {dur} gak ada air", "air kran kecil banget", "airnya kuning", "terpaksa beli air galon buat mandi",
        ],
        "formal": [
            "aliran air bersih PAM Jaya tidak mengalir sejak {since}", "air yang mengalir keruh dan berbau",
            "terdapat kebocoran pipa air bersih di badan jalan",
        ],
        "impact": ["gak bisa mandi", "cucian numpuk", "anak mau sekolah gak mandi", "harus ngangsu ke masjid"],
        "fix": ["kapan nyala lagi", "PAM nya kemana", "tolong dicek pipanya"],
        "tags": ["@PAMJAYA", "@DKIJakarta"],
        "hashtags": ["#airmati", "#pamjaya"],
        "title": ["Air bersih tidak mengalir", "Air PAM keruh", "Pipa bocor"],
    },
    "pelayanan_publik": {
        "informal": [
            "pelayanan di kantor kelurahan lama banget", "ngurus KK dipingpong terus", "petugasnya jutek", "antrean dukcapil gak manusiawi",
            "disuruh bayar buat ngurus surat", "kantor udah tutup padahal belum jam pulang", "ngurus KTP udah {dur} belum jadi",
            "pelayanannya lelet", "ada pungli pas ngurus surat pindah",
        ],
        "formal": [
            "pelayanan administrasi di kantor kelurahan sangat lambat", "petugas meminta biaya tambahan di luar ketentuan",
            "pengurusan dokumen kependudukan tidak selesai sesuai janji",
        ],
        "impact": ["udah bolak balik 4x", "cuti kerja sia2", "gak jelas prosedurnya"],
        "fix": ["tolong dievaluasi", "mohon ditindak", "kapan dibenahi"],
        "tags": ["@DKIJakarta", "@DukcapilDKI"],
        "hashtags": ["#pelayananpublik"],
        "title": ["Pelayanan lambat", "Pungli", "Pelayanan kelurahan"],
    },
    "lainnya": {
        "informal": [
            "tetangga nyetel musik kenceng tiap malem", "anjing liar ngejar2 anak", "asap bakar2an sampah kabel bikin sesek",
            "kabel semrawut menjuntai", "ada tawuran tiap malem minggu", "ada ular masuk rumah warga", "bau limbah pabrik",
        ],
        "formal": [
            "terdapat gangguan ketertiban berupa {other} di lingkungan kami", "warga terganggu oleh {other}",
        ],
        "impact": ["gak bisa tidur", "anak2 takut", "warga resah"],
        "fix": ["tolong ditindak", "mohon ditertibkan"],
        "tags": ["@DKIJakarta"],
        "hashtags": ["#jakarta"],
        "title": ["Gangguan ketertiban", "Lainnya"],
    },
}
DEPTHS = ["semata kaki", "selutut", "sepaha", "sepinggang", "sedada", "30 cm", "50an cm", "sebetis", "sepinggang orang dewasa"]
DEPTH_CM = {"semata kaki": 10, "sebetis": 25, "selutut": 40, "sepaha": 60, "sepinggang": 80, "sepinggang orang dewasa": 90, "sedada": 110, "30 cm": 30, "50an cm": 50}
DURATIONS = ["3 hari", "seminggu", "2 minggu", "sebulan", "4 hari", "2 hari", "berhari-hari", "1 jam", "dua jam"]
FACILITIES = ["halte", "toilet umum", "JPO", "bangku taman", "ayunan taman", "atap halte", "lift JPO"]
OTHERS = ["suara musik keras hingga larut malam", "anjing liar", "tawuran remaja", "kabel yang menjuntai", "asap pembakaran"]

OPENERS = ["", "", "", "Pak, ", "Min, ", "woy ", "parah, ", "astaga ", "Lapor! ", "duh ", "ya ampun ", "anjir ", "halo min ", "ini gimana sih, "]
REQUESTS = [
    "tolong dong ditindak", "mohon segera diperbaiki", "pak gub tolong", "tolong cepet ya", "plis lah", "gimana sih ini",
    "kok gak ada yg ngurus", "tolong diperhatiin dong", "mohon ditindaklanjuti", "jangan diem aja", "udah lapor berkali2",
    "tolong segera", "kapan beresnya sih", "please bgt", "", "",
]
FORMAL_REQUESTS = [
    "Mohon segera ditindaklanjuti.", "Kami mohon perhatian dan penanganan segera.", "Atas perhatiannya kami ucapkan terima kasih.",
    "Mohon bantuan dinas terkait untuk menangani.", "Besar harapan kami agar segera diperbaiki.",
]
EMOJI = ["😤", "😡", "🙏", "😭", "🤦", "🤬", "😩", "‼️", "🥲", "💀", ""]
AGREE = [
    "iya bener", "bener bgt ini", "sama di sini juga", "ini udah dari kemaren", "setuju, tolong diurus", "up", "naikin biar diliat",
    "valid", "asli parah", "iyaa min tolong", "nah ini", "bener, td gw lewat situ",
]
FOLLOW_UPS = [
    "update: makin parah", "update: belum ada petugas yg dateng", "masih sama sampe sekarang", "udah {dur} gini terus",
    "barusan lewat lagi, masih", "up, belum ditangani",
]

# Not complaints.
OFFICIAL_REPLIES = [
    "Terima kasih atas laporannya, sudah kami teruskan ke Sudin {agency} {sudin}.",
    "Halo Kak, mohon info titik lokasi lengkapnya ya. Terima kasih 🙏",
    "Laporan sudah kami terima dan diteruskan ke petugas. Silakan pantau di aplikasi JAKI.",
    "Terima kasih, laporan sudah kami koordinasikan dengan pihak kelurahan setempat.",
    "Halo, mohon maaf atas ketidaknyamanannya. Petugas akan segera menuju lokasi.",
    "Terima kasih informasinya. Untuk pengaduan silakan melalui aplikasi JAKI agar dapat dipantau.",
    "Update: petugas sudah menangani lokasi tersebut. Terima kasih atas partisipasinya.",
]
AGENCIES = ["SDA", "Bina Marga", "LH", "Perhubungan", "Pertamanan", "PPKUKM"]
OFFICIAL_ACCOUNTS = [
    ("DKIJakarta", "Pemprov DKI Jakarta"), ("BPBDJakarta", "BPBD DKI Jakarta"), ("dinaslhdki", "Dinas LH DKI"),
    ("TMCPoldaMetro", "TMC Polda Metro Jaya"),
]
TMC_INFO = [
    "Lalin di {street} arah {dir} terpantau padat merayap pukul {hh}.{mm} WIB.",
    "Info: arus lalu lintas di {street} ramai lancar pukul {hh}.{mm} WIB.",
    "Kecelakaan lalu lintas di {street}, mohon pengendara berhati-hati. Petugas sudah di lokasi.",
]
NEWS_HEADLINES = [
    "Banjir Rendam {n} RT di Kelurahan {kel}, Ketinggian Capai {cm} cm",
    "Pemprov DKI Targetkan Perbaikan {n}0 Titik Jalan Rusak Rampung Akhir Tahun",
    "Sudin SDA {sudin} Keruk Saluran di {kel} Jelang Musim Hujan",
    "Pohon Tumbang di {street}, Lalu Lintas Sempat Tersendat",
    "Dinas LH DKI Angkut {n}00 Ton Sampah Pascabanjir",
    "Warga {kel} Keluhkan Air PAM Mati, Ini Penjelasan PAM Jaya",
    "BPBD DKI: {n} Kelurahan Tergenang Usai Hujan Deras Semalam",
    "Penataan PKL di {kel} Dimulai Pekan Depan",
    "Gubernur Resmikan RPTRA Baru di {kec}",
    "Prakiraan Cuaca Jakarta Hari Ini: Hujan Ringan hingga Sedang",
    "Dishub DKI Derek {n}0 Kendaraan Parkir Liar Sepekan Terakhir",
]
NEWS_ACCOUNTS = [("kabarjakarta_id", "Kabar Jakarta"), ("metro24news", "Metro 24 News"), ("warta_ibukota", "Warta Ibukota")]
SPAM = [
    "SLOT GACOR hari ini maxwin 🔥🔥 daftar sekarang bonus new member 100% link di bio",
    "jual followers murah aktif permanen, DM aja kak 🙏",
    "Pinjol cair 5 menit tanpa BI checking!! WA 0813-8{n}21-45{n}7",
    "gacor parah bang, depo 10rb wd 2jt 😍 cek bio",
    "Butuh dana cepat? Pinjaman tanpa jaminan, proses kilat, hubungi admin",
    "promo endorse murah kak, cek IG kita ya",
    "RTP live tertinggi hari ini, situs terpercaya anti rungkad",
]
PRAISE = [
    "mantap pak, jalan depan rumah udh mulus 👍", "makasih petugas PPSU udah gercep bersihin got 🙏",
    "keren, lampu jalan di gang kami udah nyala lagi. terima kasih!", "respon cepat, sampah udah diangkut tadi pagi. mantap!",
    "salut sama pasukan oranye, subuh2 udah kerja", "taman di deket rumah sekarang bagus bgt, makasih pemprov",
    "trotoarnya sekarang lega, enak buat jalan kaki 👏",
]
CHATTER = [
    "jakarta hari ini cerah banget ya", "ada yg tau jadwal CFD minggu ini?", "min, besok ganjil genap berlaku gak?",
    "ngopi dulu biar waras 😅", "kangen jakarta jaman dulu", "hari ini macetnya tumben gak parah, alhamdulillah",
    "info loker admin daerah jaksel dong", "selamat pagi jakarta ☀️",
]
CITY_ANNOUNCEMENTS = [
    "Jelang musim hujan, Pemprov DKI Jakarta menyiagakan {n}00 pompa stasioner dan mobile di seluruh wilayah. #JakartaSiaga",
    "Yuk laporkan keluhanmu melalui aplikasi JAKI! Setiap laporan akan ditindaklanjuti oleh perangkat daerah terkait.",
    "Car Free Day kembali hadir setiap Minggu pukul 06.00-10.00 WIB di Jl. Sudirman-MH Thamrin.",
    "Program pengerukan saluran dan kali terus dilakukan untuk mengantisipasi genangan. Terima kasih atas dukungan warga!",
    "Selamat Hari Jadi ke-{n}99 untuk seluruh warga! Mari jaga kebersihan lingkungan bersama.",
    "Pasukan oranye siap membersihkan lingkungan setiap hari. Tetap buang sampah pada tempatnya ya!",
    "Pemprov DKI membuka pendaftaran pelatihan kerja gratis bagi warga ber-KTP DKI. Info lengkap di tautan bio.",
]

FIRST_NAMES = [
    "Budi", "Siti", "Agus", "Dewi", "Rina", "Andi", "Fajar", "Putri", "Rizky", "Nur", "Ahmad", "Intan", "Yusuf", "Maya", "Hendra",
    "Wulan", "Dimas", "Sari", "Bayu", "Indah", "Eko", "Lestari", "Joko", "Ratna", "Arif", "Fitri", "Bambang", "Ayu", "Teguh", "Nadia",
    "Hasan", "Mega", "Irfan", "Dian", "Reza", "Citra", "Hadi", "Anisa", "Wahyu", "Tika", "Gilang", "Yanti", "Slamet", "Vina", "Rudi",
    "Kartika", "Iwan", "Melati", "Dedi", "Nurul", "Taufik", "Aulia", "Sri", "Yoga", "Rahmat", "Desi", "Ujang", "Lia", "Farhan", "Nia",
]
LAST_NAMES = [
    "Santoso", "Pratama", "Wijaya", "Saputra", "Hidayat", "Kurniawan", "Setiawan", "Lestari", "Nugroho", "Siregar", "Harahap", "Simanjuntak",
    "Rahman", "Hakim", "Susanto", "Permana", "Maulana", "Firmansyah", "Utami", "Wibowo", "Purnomo", "Gunawan", "Sitompul", "Nasution",
    "Suryadi", "Halim", "Tanjung", "Ramadhan", "Fauzi", "Anggraini", "Rachmawati", "Syahputra", "Batubara", "Manurung", "Kusuma", "",
]
MAIL_DOMAINS = ["gmail.com", "yahoo.co.id", "yahoo.com", "outlook.com", "ymail.com", "gmail.com", "gmail.com"]

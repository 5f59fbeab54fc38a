"""Hand-written incidents and noise for the held-out corpus (rainy season, Jan-Feb 2027).

Written apart from the main corpus's phrase bank on purpose: rules tuned on one should be tested
on text they have never seen. Each incident is one problem at one place in one stretch of time:

    (category, kelurahan or None, "MM-DD HH:MM" WIB of the first message, spread in hours, messages, note)

A message is ``(code, text)``:

    "tw" "ig" "igc" "em" "rss" "ql" "o311"   an original message on that channel; a careful reader can
                                              tell the kelurahan from it (a leading "-" says they cannot)
    "rt>N"                                    a retweet of message N of the same incident
    "+>N"                                     a reply (X) or comment (Instagram) backing message N, text
                                              drawn from SUPPORT_REPLIES
    "fu>N" / "-fu>N"                          the same author's own follow-up, replying to message N
    "xp:CHAN>N"                               the same author posting message N again on CHAN

Titles ride in front of the text with " || " (Qlue title, feed title, mail subject); Open311 text is
"service || description || address". An Instagram post may end in " @loc=Name" (its location tag).
"igc" is a comment under a city or news account's post.
"""

from __future__ import annotations

# --- Night 1: 4-5 January, the Ciliwung and Kali Sunter overflow ---------------------------------
FLOODS_NIGHT_1 = [
    ("banjir", "Kampung Melayu", "01-04 23:40", 30, [
        ("tw", "@DKIJakarta air ciliwung udh masuk rumah warga kampung pulo, ini jam 12 malem dan makin naik. ada yg bisa bantu evakuasi lansia di RW 03?? #banjirjakarta"),
        ("rt>0", ""),
        ("rt>0", ""),
        ("+>0", ""),
        ("-tw", "banjir lg 😭 #kampungpulo"),
        ("-fu>0", "update: udah sepinggang orang dewasa. perahu karet belom keliatan sama sekali @BPBDJakarta"),
        ("ig", "Subuh-subuh udah begini. Kampung Pulo lagi, tiap taun lagi. Katanya normalisasi sungai, mana? 🙃 #banjirjakarta #kampungpulo @loc=Kampung Pulo, Jakarta"),
        ("+>6", ""),
        ("+>6", ""),
        ("-ig", "📸📸 #banjirjakarta"),
        ("ql", "Banjir Kampung Pulo || Air luapan Kali Ciliwung masuk ke rumah warga RW 03 Kampung Pulo Kel. Kampung Melayu ketinggian 120 cm. Warga butuh perahu dan makanan"),
        ("xp:tw>10", ""),
        ("igc", "min tolong kampung pulo min, RT 11 RW 03 masih ada nenek2 kejebak di lantai 2 😭🙏"),
        ("em", "Mohon bantuan evakuasi - Kampung Pulo || Selamat pagi Bapak/Ibu,\n\nSaya warga RT 05/RW 03 Kampung Pulo, Kelurahan Kampung Melayu, Jatinegara. Sejak pukul 23.00 semalam air Ciliwung masuk rumah dan sekarang sudah sekitar 1,5 meter. Kami sekeluarga mengungsi ke lantai dua, tapi tetangga ada yang punya bayi dan belum dievakuasi.\n\nMohon segera dikirim perahu.\n\nTerima kasih,\nNur Aini"),
        ("-tw", "pompa di pintu air kok gak jalan sih??? air naik terus nih di RW 03 kampung pulo, eh maksudnya rumah aye udah kelelep. mantep bgt pak gub 👏👏"),
    ], "big flood on the east bank of the Ciliwung"),
    ("banjir", "Bidara Cina", "01-05 00:15", 24, [
        ("tw", "seberang kampung pulo juga sama min, bidara cina RW 07 banjir setinggi dada. jangan cuma yg masuk tv yg dibantu @DKIJakarta @BPBDJakarta"),
        ("rt>0", ""),
        ("ql", "Banjir di Bidara Cina || Jl. Tanjung Lengkong Kel. Bidara Cina terendam kira2 1 meter sejak jam 12 malam. Listrik udah dipadamkan."),
        ("-igc", "kita yg di tanjung lengkong gimana min?? dari semalem gak ada petugas lewat"),
        ("o311", "Banjir/Genangan || Genangan air masuk permukiman setinggi +/- 100 cm akibat luapan Kali Ciliwung. Warga lansia perlu evakuasi. || Jl. Tanjung Lengkong RT 06/RW 07, Bidara Cina, Jatinegara, Jakarta Timur"),
        ("+>0", ""),
    ], "neighbour of the Kampung Melayu flood, across the river, same night"),
    ("banjir", "Bukit Duri", "01-05 01:30", 20, [
        ("tw", "Bukit Duri lagi2 kebanjiran. Anak2 kecil di RT 06 belom makan dr semalem. Dinsos kemana ya kok posko blm ada #banjirjakarta"),
        ("-tw", "Kalo ngomongin banjir tuh yg paling kasian warga bantaran, di gang belakang sekolah air udah 1 meter lebih. plis lah asap kirim bantuan"),
        ("ig", "kondisi bukit duri jam 3 pagi. air naik cepet bgt, ini udh lantai 1 semua. #banjirjakarta @loc=Bukit Duri, Tebet"),
        ("+>2", ""),
    ], "third kelurahan on the Ciliwung the same night"),
    ("banjir", "Cipinang Melayu", "01-05 02:10", 28, [
        ("tw", "@DKIJakarta @BPBDJakarta Komplek Bulog Cipinang Melayu udah kerendem, mobil2 pd terendam 😭 kali sunter meluap lagi"),
        ("rt>0", ""),
        ("-tw", "banjir lg 😭 #cipinang"),
        ("tw", "kel. cip melayu RW 04 butuh perahu karet!!! ada ibu hamil di Jl. Masjid Al Mubarok. tolong di RT"),
        ("+>3", ""),
        ("-fu>0", "udah 5 jam ga ada petugas satupun. yg dateng malah relawan kampus."),
        ("ql", "Banjir Cipinang Melayu || Air sudah masuk rumah 80cm, jalan depan Universitas Borobudur putus gak bisa dilewatin. Kel Cipinang Melayu"),
        ("-igc", "admin dki tolong dong liat daerah Kalimalang belakang kampus borobudur, air udah sedada"),
        ("em", "Banjir di Cipinang Melayu, belum ada bantuan || Yth. Admin Pengaduan,\n\nsaya mau melapor rumah kami di RT 02 RW 04 Kelurahan Cipinang Melayu terendam sejak jam 2 dini hari. Ketinggian air sekarang sudah sekitar 1 meter. Sampai jam 9 pagi belum ada petugas BPBD atau perahu yang datang, padahal banyak lansia.\n\nMohon ditindaklanjuti.\n\nHormat kami,\nAgus Setiawan"),
        ("ig", "Kali Sunter ngamuk lagi 😢 kapan sih ini beres. #cipinangmelayu #banjirjakarta @loc=Cipinang Melayu"),
    ], "Kali Sunter overflow"),
    ("banjir", "Rawajati", "01-05 03:00", 18, [
        ("tw", "rawajati bawah banjir lagi, yg di gang deket rel KRL. air masuk lewat got. tolong @dinassdadki 🙏"),
        ("-tw", "air ciliwung naik bgt pagi ini, gang aye di deket kalibata udah semata kaki, kagak lama lagi selutut dah"),
        ("tw", "Warga Kel. Rawajati RT 09/RW 03 kebanjiran, mohon bantuan Sudin SDA Jaksel. Sudah dilaporkan lewat JAKI tapi blm direspon"),
    ], "same night, across the river from Pejaten Timur"),
    ("banjir", "Pejaten Timur", "01-05 03:45", 16, [
        ("tw", "Pejaten Timur jg kena min, di Jl. Haji Jian terendam 1 meter. ini mah banjir kiriman bogor ya? @BPBDJakarta"),
        ("ql", "Banjir Jl. Haji Jian || Pejaten Timur banjir sepinggang, warga butuh air bersih dan perahu"),
        ("-fu>0", "sampe skrg blm surut juga, lampu mati, hp lowbat. semoga ada yg baca"),
    ], "same night, neighbour of Rawajati across the river"),
    ("banjir", None, "01-05 05:30", 10, [
        ("-tw", "kolong flyover pesing kerendem, motor mogok semua. siapapun yg ngurus pompa di sini tolong bangun 🙄"),
        ("-tw", "Jl. Daan Mogot arah Tangerang lumpuh pagi ini, genangan sedengkul di bawah flyover pesing. mantap banget jalannya kayak kolam renang"),
        ("rt>1", ""),
    ], "long road, the flooded spot under the flyover does not name a kelurahan"),
    ("banjir", "Kalideres", "01-05 06:20", 12, [
        ("tw", "Daan Mogot depan Terminal Kalideres banjir 40cm, angkot pada muter balik. jangan lewat sini guys"),
        ("-o311", "Banjir/Genangan || Genangan di jalur lambat arah Tangerang, saluran tidak berfungsi || Jl. Daan Mogot Km 17, Jakarta Barat"),
        ("ql", "Genangan depan terminal kalideres || air gak surut2 dari subuh, got depan terminal kalideres mampet kayaknya"),
    ], "same long road as the Pesing flood, another place the same morning"),
    ("banjir", "Kelapa Gading Barat", "01-05 04:10", 20, [
        ("tw", "kelapa gading tenggelam lagi 🌊 Kel. Klp Gading Barat, Jl. Gading Indah Raya udah kayak sungai. nice one jakarta"),
        ("ig", "Nggak bisa ke kantor. Gading Indah pagi ini 🥲 #banjirjakarta #kelapagading @loc=Kelapa Gading Barat, Jakarta Utara"),
        ("+>1", ""),
        ("-tw", "ada yg tau boulevard gading udah surut blm? mobil aye kagak bisa keluar komplek dari subuh"),
        ("em", "Laporan genangan Kelapa Gading Barat || Selamat pagi,\nJalan di Blok NB Kelurahan Kelapa Gading Barat tergenang sekitar 50 cm sejak subuh dan pompa di ujung jalan sepertinya tidak menyala. Mohon dicek.\n\nRegards,\nStevan"),
    ], "north Jakarta flood the same night"),
    ("banjir", "Pluit", "01-05 07:00", 14, [
        ("tw", "Muara Angke banjir rob + hujan, rumah nelayan pd kerendem. @DKIJakarta pompa waduk pluit jalan gak sih"),
        ("ql", "Rob di Muara Angke || Air laut naik masuk ke permukiman nelayan Muara Angke, Kel. Pluit. Jalan ke pelelangan ikan juga tergenang"),
    ], ""),
    ("pohon_tumbang", None, "01-05 00:50", 6, [
        ("-tw", "pohon tumbang di Gatot Subroto arah Slipi, nutup 2 lajur. hati2 yg lewat malem ini @TMCPoldaMetro"),
        ("-tw", "gatsu ketutup pohon gede nih, angin kenceng banget tadi. udah ada petugas blm ya?"),
        ("rt>0", ""),
    ], "long road, no kelurahan"),
    ("pohon_tumbang", "Cikini", "01-05 01:15", 10, [
        ("tw", "Pohon angsana tumbang di Jl. Cikini Raya deket TIM, nimpa gerobak pedagang. untung gak ada korban. @DistamhutDKI tolong dipotong"),
        ("-fu>0", "udah pagi masih belom diangkut, macet jadinya"),
    ], ""),
]

# --- 7-12 January: after the water goes down -----------------------------------------------------
AFTER_NIGHT_1 = [
    ("sampah", "Kampung Melayu", "01-07 09:00", 48, [
        ("tw", "sisa lumpur sama sampah bekas banjir di kampung pulo belom diangkut2 udah 2 hari. bau bgt. @dinaslhdki kapan nih"),
        ("ql", "Sampah sisa banjir Kampung Pulo || kasur, lemari rusak, sampah numpuk di pinggir Jl. Jatinegara Barat depan gang Kampung Pulo. Kel Kampung Melayu"),
        ("-tw", "sampah sisa banjir numpuk, udah 3 hari lapor blm ada tindakan 🙄 #DLH"),
    ], "same kelurahan as the flood, another problem after it"),
    ("jalan_rusak", "Cipinang Melayu", "01-08 16:00", 40, [
        ("tw", "abis banjir jalan di cipinang melayu jadi ancur, aspal ngelupas semua di Jl. Bulog. motor ane selip tadi"),
        ("o311", "Jalan Rusak || Aspal terkelupas dan berlubang setelah banjir, membahayakan pengendara roda dua || Jl. Bulog Raya, Cipinang Melayu, Makasar, Jakarta Timur"),
    ], "same kelurahan as the flood, another problem after it"),
    ("saluran_air", "Kayu Manis", "01-09 10:30", 30, [
        ("tw", "gorong2 di Kel. Kayu Manis mampet total, tiap ujan dikit langsung genang. @dinassdadki tolong dikeruk lah"),
        ("-tw", "yg di Matraman, got depan warung padang tuh udah item pekat ga ngalir sama sekali 🤢"),
    ], ""),
    ("saluran_air", "Pondok Kopi", "01-10 08:15", 40, [
        ("ql", "Saluran tersumbat || Saluran air di RT 05 RW 07 Kel. Pondok Kopi tersumbat sampah & lumpur, air balik ke rumah warga"),
        ("em", "Saluran air tersumbat RT 05/07 Pondok Kopi || Kepada Yth. Sudin SDA Jakarta Timur\n\nDengan hormat,\nKami warga RT 005 RW 007 Kelurahan Pondok Kopi melaporkan saluran di depan mushola tersumbat sejak banjir kemarin. Air tidak mengalir dan menimbulkan bau, sudah banyak nyamuk.\n\nAtas perhatiannya kami ucapkan terima kasih.\n\nKetua RT 005"),
        ("xp:tw>0", ""),
    ], ""),
    ("sampah", "Pisangan Baru", "01-09 07:00", 30, [
        ("tw", "Jl. Pisangan Baru Timur jadi TPS dadakan 🙃 sampah ditumpuk di trotoar, kucing ngacak2. Kel. Pisangan Baru, pls @dinaslhdki"),
        ("-tw", "yang buang sampah di pinggir jalan pisangan baru timur tiap subuh itu siapa sih?? udh setinggi pinggang"),
        ("rss", "Tumpukan sampah di Pisangan Baru || Sampah rumah tangga menumpuk di pinggir Jl. Pisangan Baru Timur, Kelurahan Pisangan Baru, Matraman, sejak awal pekan. Warga mengeluhkan bau dan lalat."),
    ], "same street as the broken lights, another problem"),
    ("lampu_jalan", "Pisangan Baru", "01-10 20:30", 30, [
        ("tw", "Lampu jalan sepanjang Jl. Pisangan Baru Timur mati semua, gelap gulita. rawan begal bund @DKIJakarta"),
        ("-tw", "di pisangan baru timur tuh PJU udh seminggu mati, rawan bgt buat cewek pulang malem"),
    ], "same street as the garbage, another problem"),
    ("pohon_tumbang", "Ragunan", "01-11 15:20", 8, [
        ("tw", "pohon tumbang nimpa mobil di Jl. Harsono RM depan pintu masuk Ragunan. Jalan ketutup satu arah @DistamhutDKI @TMCPoldaMetro"),
        ("ig", "Ngeri 😨 tadi sore pohon gede roboh depan kebun binatang ragunan, mobil orang ringsek. semoga pengemudinya selamat @loc=Taman Margasatwa Ragunan"),
        ("+>1", ""),
        ("-tw", "tolong deh pohon2 tua di sepanjang harsono dicek, jgn nunggu ada yg ketiban dulu"),
    ], ""),
    ("jalan_rusak", "Tengah", "01-07 06:40", 60, [
        ("tw", "Jl. Raya Bogor depan Pasar Induk Kramat Jati lubangnya segede kolam ikan. truk sayur pada oleng. @DKIJakarta @BinaMargaDKI"),
        ("rt>0", ""),
        ("-tw", "raya bogor tuh ya, tiap ujan lubangnya nambah. nggak ada yang peduli?"),
        ("o311", "Jalan Rusak || Lubang besar di badan jalan lajur kiri depan pintu masuk pasar induk, sudah ada kecelakaan motor || Jl. Raya Bogor, depan Pasar Induk Kramat Jati, Jakarta Timur"),
        ("em", "jalan berlubang depan pasar induk || Pak, Bu. Tolong ditambal lubang di Jl Raya Bogor persis depan Pasar Induk Kramat Jati, kemarin malam saya lihat ibu2 jatuh dari motor disitu. Lubangnya dalam dan ketutup air kalau hujan jadi nggak keliatan.\n\nTerima kasih\n--\nDimas"),
    ], "the same long road broken in another place, kilometres south"),
    ("jalan_rusak", "Rambutan", "01-08 17:00", 60, [
        ("tw", "Jl. Raya Bogor deket Terminal Kampung Rambutan ancur parah, yang dari arah cibubur hati2 ada lubang di tengah jalan"),
        ("ql", "Jalan berlubang dekat terminal || Lubang di Jl. Raya Bogor sebelum putaran Terminal Kampung Rambutan, Kel. Rambutan. sudah 2 minggu"),
        ("-tw", "Jl. Raya Bogor Km 21 tuh lubangnya dalem bgt, aye ampe jatoh kemaren. the worst road in jakarta fr"),
    ], "the same long road broken kilometres north at Pasar Induk is another incident"),
    ("sampah", "Tengah", "01-12 05:30", 36, [
        ("tw", "sampah sayur busuk di depan Pasar Induk Kramat Jati numpuk ampe ke badan jalan. baunya nyampe halte @dinaslhdki"),
        ("ig", "Pasar induk pagi ini. Bau, becek, sampah di mana2. Ini pasar pangan terbesar lho 🙃 @loc=Pasar Induk Kramat Jati"),
        ("+>1", ""),
    ], "same landmark as the broken road, another problem"),
    ("saluran_air", "Jembatan Lima", "01-10 13:00", 20, [
        ("ql", "Selokan bau || Got di gang belakang Masjid Jami Kel. Jembatan Lima item dan bau bangkai, airnya ga ngalir"),
        ("-tw", "tambora tuh gotnya item semua ya. sumpah baunya bikin pusing"),
    ], ""),
    ("air_bersih", "Penjaringan", "01-08 06:00", 60, [
        ("tw", "@PAMJaya air mati 3 hari di Kel. Penjaringan, RW 17. ngangkut air pake jerigen dari musholla. kapan nyala??"),
        ("-fu>0", "udah 4 hari sekarang. customer service cuma bilang 'sedang dalam perbaikan'"),
        ("ql", "Air PAM tidak mengalir || Warga Penjaringan RW 17 sudah 3 hari tidak dapat air PAM Jaya, mohon dikirim mobil tangki"),
        ("em", "Air PAM mati sudah 3 hari - Penjaringan || Kepada PAM Jaya dan Pemprov DKI,\n\nSudah tiga hari air di rumah kami (Kel. Penjaringan, Kec. Penjaringan) tidak mengalir sama sekali. Kami sudah telepon call center tapi tidak ada kepastian. Tolong kirim mobil tangki air.\n\nWassalam\nHj. Rohimah"),
        ("+>0", ""),
    ], ""),
    ("parkir_liar", "Kampung Bali", "01-09 11:00", 30, [
        ("tw", "depan Stasiun Tanah Abang parkir liar sampe 3 lapis, angkot ngetem, ojol nunggu di badan jalan. @DishubDKI ini kapan ditertibkan?"),
        ("-tw", "jukir di tanah abang minta 10rb buat motor. pungli terang2an"),
        ("ig", "Pemandangan sehari2 depan stasiun tanah abang. parkir di mana aja suka2 😤 #jakartasemrawut @loc=Stasiun Tanah Abang"),
    ], ""),
    ("pkl_trotoar", "Kampung Bali", "01-10 14:00", 40, [
        ("tw", "trotoar Jatibaru depan Pasar Tanah Abang dipake lapak PKL full. pejalan kaki disuruh jalan di aspal. @satpolpp_dki"),
        ("ql", "PKL di trotoar Tanah Abang || Pedagang kaki lima menutup trotoar dekat Blok G Pasar Tanah Abang, Kel. Kampung Bali"),
    ], "same area as the illegal parking, another problem"),
    ("fasilitas_umum", "Gambir", "01-11 10:00", 20, [
        ("tw", "toilet umum di Monas jorok parah, air gak ada, pintunya rusak. malu sama turis @DKIJakarta"),
        ("ig", "bawa anak ke Monas, mau ke toilet aja susah. air mati, bau pesing 😷 @loc=Monumen Nasional"),
    ], ""),
    ("lainnya", "Manggarai", "01-10 01:30", 10, [
        ("tw", "tawuran lagi di Manggarai deket pintu air jam 1 malem, pada bawa celurit. warga gak berani keluar @DKIJakarta @PolresJaksel"),
        ("-tw", "denger suara petasan sama teriakan dari arah pasar rumput, tawuran kah?"),
    ], ""),
    ("kemacetan", None, "01-07 07:30", 4, [
        ("-tw", "DI Panjaitan arah cawang macet total gara2 genangan di bawah tol, 1 jam cuma maju 500m"),
        ("-tw", "Jl. DI Panjaitan stuck parah, ada mobil mogok kena banjir ditengah. @TMCPoldaMetro"),
    ], "long road"),
]

# --- Night 2: 18-19 January, west and north Jakarta ----------------------------------------------
FLOODS_NIGHT_2 = [
    ("banjir", "Rawa Buaya", "01-18 21:30", 24, [
        ("tw", "Rawa Buaya banjir lagiii, Jl. Utan Jati RT 08 udh selutut. @BPBDJakarta mohon dipantau"),
        ("rt>0", ""),
        ("ql", "Banjir di Rawa Buaya || Genangan setinggi lutut di permukiman Kel. Rawa Buaya Cengkareng, air dari Kali Mookervart"),
        ("-tw", "kali mookervart meluap, rumah gue kerendem. thanks for nothing 🙂"),
        ("em", "Banjir Rawa Buaya malam ini || Selamat malam, kami warga Kelurahan Rawa Buaya melapor air sudah masuk rumah sejak jam 9 malam, tinggi sekitar 50 cm dan terus naik. Mohon dikirim pompa mobile. Terima kasih."),
    ], "two floods in neighbouring kelurahan the same night"),
    ("banjir", "Duri Kosambi", "01-18 22:10", 20, [
        ("tw", "Duri Kosambi juga min!! Jl. Raya Duri Kosambi depan pabrik kerupuk kerendem, motor pada dorong"),
        ("ig", "Duri Kosambi malam ini, air gak ada turunnya 😩 #banjirjakarta @loc=Duri Kosambi"),
        ("+>1", ""),
        ("-igc", "Cengkareng mana perhatiannya min, ujan 2 jam langsung banjir. tiap taun begini"),
    ], "two floods in neighbouring kelurahan the same night"),
    ("banjir", "Kamal", "01-19 01:00", 12, [
        ("ql", "Banjir Kamal || Air masuk rumah di RW 01 Kel. Kamal, Kalideres sekitar 60cm. Drainase kecil gak cukup"),
        ("-tw", "kalideres bagian kamal tuh selalu jadi yg terakhir surut. pompa kemana pompa"),
    ], ""),
    ("banjir", "Tegal Alur", "01-19 02:30", 12, [
        ("tw", "Tegal Alur kebanjiran dr jam 2 pagi, jalan ke pasar putus. Sudin SDA Jakbar tolong liat kesini"),
        ("-fu>0", "masih tergenang, anak2 gak bisa sekolah"),
    ], ""),
    ("banjir", "Kebon Baru", "01-18 23:00", 20, [
        ("tw", "Kebon Baru tebet banjir kiriman, air sampe atap rumah yg di pinggir kali. pengungsi di musholla butuh selimut"),
        ("rt>0", ""),
        ("igc", "min kebon baru tebet blm ada dapur umum, pengungsi kelaperan"),
    ], ""),
    ("banjir", "Manggarai", "01-19 00:40", 18, [
        ("tw", "pintu air manggarai siaga 1, gang2 di bawah jembatan manggarai udah kerendem 80cm. kasian warga bantaran"),
        ("-tw", "yg tinggal dket stasiun gede itu gimana kabarnya, aman kah? kabarnya air naik"),
        ("ql", "Banjir Manggarai || Rumah warga RW 12 Kel. Manggarai terendam, perlu evakuasi"),
    ], ""),
    ("banjir", "Pondok Kelapa", "01-19 04:00", 24, [
        ("tw", "kel. pdk kelapa RT 02 kebanjiran, air dari kali buaran. gimana sih ini sodetan katanya udah jadi"),
        ("-tw", "duren sawit tuh tiap hujan pasti ada aja yg banjir. #banjirjakarta"),
        ("em", "Genangan di Pondok Kelapa || Kepada Yth. Pemprov DKI\nDengan hormat, di wilayah Kel. Pondok Kelapa (Jl. Swadaya) tergenang hingga 70 cm sejak subuh. Mohon penanganan segera.\nTerima kasih"),
    ], ""),
    ("banjir", "Sunter Jaya", "01-19 03:20", 18, [
        ("tw", "Sunter Jaya kena juga, Jl. Sunter Jaya 1 udh selutut, mobil gak bisa lewat @BPBDJakarta"),
        ("ig", "Sunter jaya jam 5 pagi. siapa yg bilang jakut aman 😅 @loc=Sunter Jaya, Jakarta Utara"),
    ], "neighbouring kelurahan flooding the same night"),
    ("banjir", "Sunter Agung", "01-19 04:05", 16, [
        ("tw", "Danau Sunter meluap, Sunter Agung RW 05 kebanjiran. pompa gak nyala min @dinassdadki"),
        ("-tw", "aduh sunter lagi sunter lagi. udh lah pindah aja"),
    ], "neighbouring kelurahan flooding the same night"),
    ("banjir", "Cawang", "01-19 05:10", 14, [
        ("tw", "RW 05 Kel. Cawang terendam 1,2 meter, warga ngungsi ke masjid. bantuan logistik belum ada"),
        ("ql", "Banjir Cawang || Luapan Ciliwung di Kel. Cawang Kramatjati, ketinggian 120cm"),
    ], ""),
    ("banjir", "Jatinegara", "01-19 02:00", 20, [
        ("-tw", "jatinegara banjir lg gaes, jangan lewat sini"),
        ("tw", "Kel. Jatinegara, Cakung - perumahan Taman Modern? bukan, itu di Cakung Timur. yg kena sini di RW 10 Kel. Jatinegara Cakung, air semata kaki masuk rumah"),
    ], "a name shared by a kecamatan and a kelurahan"),
    ("banjir", "Marunda", "01-19 07:30", 30, [
        ("tw", "Rusun Marunda kena rob, lantai dasar kerendem, lift mati. warga lansia kejebak di lantai 4 @DKIJakarta"),
        ("o311", "Banjir Rob || Air laut pasang masuk blok rusunawa, lift dan pompa air tidak berfungsi || Rusunawa Marunda Blok C, Marunda, Cilincing, Jakarta Utara"),
        ("-fu>0", "hari kedua masih sama. air pam juga jadi mati"),
    ], ""),
    ("pohon_tumbang", "Selong", "01-18 17:45", 8, [
        ("tw", "Pohon besar tumbang di Jl. Sisingamangaraja depan Masjid Agung Al-Azhar, nutup lajur busway @TMCPoldaMetro @DistamhutDKI"),
        ("rt>0", ""),
        ("-tw", "sisingamangaraja ketutup pohon, TJ koridor 1 pada numpuk"),
    ], ""),
    ("kemacetan", "Rambutan", "01-18 18:30", 5, [
        ("tw", "keluar Terminal Kampung Rambutan stuck 1 jam, bis AKAP keluar masuk seenaknya ditambah genangan. @DishubDKI mana petugasnya"),
        ("-tw", "lingkar luar arah rambutan parkir massal. gak gerak sama sekali"),
    ], ""),
]

# --- Night 3: 8-9 February, the same places again a month later ----------------------------------
FLOODS_NIGHT_3 = [
    ("banjir", "Kampung Melayu", "02-08 22:30", 24, [
        ("tw", "kampung pulo kebanjiran LAGI. belom sebulan dari yg kemaren. warga udh capek nyuci lumpur @DKIJakarta #banjirjakarta"),
        ("rt>0", ""),
        ("-tw", "dejavu. persis kayak tgl 5 kemaren, air naik jam 11 malem. kita sih udh siap2 ngungsi"),
        ("ql", "Banjir lagi di Kampung Pulo || Kel. Kampung Melayu RW 02 dan 03 terendam 80-150 cm. Mohon perahu karet dan dapur umum"),
        ("ig", "Round 2 🙃 #kampungpulo #banjirjakarta @loc=Kampung Pulo, Jakarta"),
        ("+>4", ""),
    ], "same place as the 5 January flood, five weeks later"),
    ("banjir", "Cipinang Melayu", "02-09 01:00", 24, [
        ("tw", "Cipinang Melayu banjir lagi setelah sebulan. Komplek Bulog 1 meter. apa kabar turap kali sunter yg katanya mau dibangun?"),
        ("-tw", "banjir lg 😭 #cipinang #kalisunter"),
        ("em", "Banjir berulang di Cipinang Melayu || Yth. Gubernur,\nIni kali kedua bulan ini rumah kami di Kelurahan Cipinang Melayu RW 04 terendam. Mohon ada solusi permanen, bukan hanya bantuan sesaat.\nSalam,\nAgus Setiawan"),
        ("-ql", "Banjir lagi || air masuk rumah lagi setinggi paha, tolong lah pak"),
    ], "same place as the 5 January flood, five weeks later"),
    ("banjir", "Rawajati", "02-09 02:30", 14, [
        ("tw", "gang di rawajati deket rel banjir lagi, air got balik. @dinassdadki udh dilaporin dari bulan lalu"),
    ], "same place as the January flood, a month later"),
    ("banjir", "Tomang", "02-08 20:15", 10, [
        ("tw", "underpass Tomang? bukan, Jl. Tomang Raya depan Mall Taman Anggrek? ah pokoknya Jl. Tomang Raya Kel. Tomang banjir 50 cm, mobil pada nyerah"),
        ("-tw", "tomang raya kayak sungai 😒 klo punya sampan bisa buka jasa nyebrang"),
    ], ""),
    ("banjir", "Jelambar", "02-08 21:00", 12, [
        ("ql", "Jalan tergenang || Jl. Jelambar Ilir Kel. Jelambar tergenang 40 cm, got meluap"),
        ("-tw", "grogol sampe jelambar aer semua. pengen nangis"),
    ], ""),
    ("banjir", "Kembangan Utara", "02-09 03:00", 12, [
        ("tw", "perumahan di Kel. Kembangan Utara kebanjiran, kali angke naik. pompa pemda gak keliatan"),
        ("-fu>0", "warga gotong royong nyedot pake pompa sendiri. makasih pemprov 🙃"),
    ], ""),
    ("banjir", "Pademangan Barat", "02-09 04:40", 12, [
        ("tw", "Pademangan Barat RW 08 air masuk rumah, kata warga pompa rumah pompa lagi rusak @dinassdadki"),
        ("o311", "Banjir/Genangan || Genangan air 30-50 cm di permukiman RW 08, rumah pompa tidak beroperasi || Pademangan Barat, Pademangan, Jakarta Utara"),
    ], ""),
    ("banjir", "Cipete Selatan", "02-09 00:30", 10, [
        ("tw", "kali krukut meluap, Cipete Selatan RT 04 RW 03 udh sepinggang. tolong @BPBDJakarta"),
    ], ""),
    ("banjir", None, "02-08 23:30", 8, [
        ("-tw", "kemang banjir lagi, mobil sedan mogok di tengah jalan. heran deh daerah elite tapi kok gini"),
        ("-ig", "Kemang Raya malam ini 🌧️🚗 #banjirjakarta @loc=Kemang, Jakarta Selatan"),
    ], "colloquial area, no kelurahan"),
    ("banjir", "Rorotan", "02-09 06:00", 16, [
        ("tw", "Rorotan Cilincing terendam, akses ke sekolah putus. Kel. Rorotan mana aksinya?"),
        ("-tw", "jakut bagian ujung tuh gak dianggap ya, dari subuh banjir gak ada yg dateng"),
    ], ""),
    ("pohon_tumbang", None, "02-08 19:30", 6, [
        ("-tw", "Jl. Pramuka arah Matraman ada pohon tumbang, 1 lajur ketutup. @TMCPoldaMetro"),
        ("rt>0", ""),
    ], "long road"),
    ("kemacetan", None, "02-09 07:00", 4, [
        ("-tw", "Sudirman-Thamrin lumpuh pagi ini, genangan di depan Sarinah. udah 2 jam di bus"),
    ], "long road"),
]

# --- The rest of January and February: everything that is not water --------------------------------
EVERYDAY = [
    ("sampah", "Manggarai", "01-20 08:00", 30, [
        ("tw", "sampah kiriman numpuk di Pintu Air Manggarai, kayu, kasur, plastik. bau nyampe ke stasiun. kapan diangkat @dinaslhdki"),
        ("ig", "Pintu air manggarai abis banjir. ini sampah dari mana aja coba 😵 @loc=Pintu Air Manggarai"),
    ], "same kelurahan as the flood of 19 January, another problem"),
    ("sampah", "Pluit", "01-14 07:30", 30, [
        ("tw", "Muara Angke sampahnya numpuk di pinggir dermaga, plastik sampe ke laut. gimana mau jadi destinasi wisata"),
        ("ql", "Sampah di Muara Angke || Tumpukan sampah di dekat TPI Muara Angke Kel. Pluit belum diangkut seminggu"),
    ], "same landmark as the tidal flood, another problem a week later"),
    ("sampah", "Pasar Minggu", "01-22 06:15", 24, [
        ("tw", "depan pasar pasar minggu sampah busuk berserakan, air lindinya ngalir ke jalan. jijik parah"),
        ("-tw", "bau pasar tuh wajar, tapi ini udh kelewatan. sampah 3 hari gak diangkut"),
    ], ""),
    ("sampah", "Kebon Manggis", "01-15 09:30", 30, [
        ("em", "Truk sampah tidak datang || Selamat pagi, sudah seminggu truk sampah tidak mengambil sampah di RT 07 RW 02 Kelurahan Kebon Manggis. Warga terpaksa menumpuk di ujung gang. Mohon diperhatikan.\n\nSalam, Bu Ratna (Sekretaris RT)"),
        ("xp:ql>0", ""),
    ], "cross-post from the mailbox to Qlue"),
    ("sampah", "Lenteng Agung", "01-25 19:00", 20, [
        ("tw", "ada yg bakar sampah tiap malem di lahan kosong deket Stasiun Lenteng Agung. asepnya masuk rumah, anak batuk2 @dinaslhdki"),
        ("-tw", "asap bakar sampah lagi. ini kan dilarang ya? kok dibiarin"),
    ], ""),
    ("sampah", "Tanah Tinggi", "02-02 07:00", 24, [
        ("ql", "TPS penuh || TPS di Kel. Tanah Tinggi Johar Baru meluber sampai ke jalan, truk baru dateng seminggu sekali"),
        ("-tw", "johar baru tuh padet, sampahnya juga padet 😭 tolong tambahin jadwal angkut"),
    ], ""),
    ("sampah", "Senen", "02-12 10:00", 24, [
        ("tw", "samping Stasiun Pasar Senen jadi tempat buang sampah, bau pesing + sampah. @dinaslhdki @DKIJakarta"),
    ], ""),
    ("sampah", None, "02-14 06:30", 10, [
        ("-tw", "kali sunter penuh sampah styrofoam, kayak daratan. pantes banjir terus"),
    ], "river crossing many kelurahan"),
    ("jalan_rusak", None, "01-16 08:30", 30, [
        ("-tw", "Jl. Daan Mogot Km 13 arah Tangerang lubang di lajur kiri, gak ada rambu. udh 2 motor jatuh pagi ini"),
        ("-o311", "Jalan Rusak || Lubang diameter +/- 1 meter di lajur lambat, tergenang saat hujan || Jl. Daan Mogot Km 13, Cengkareng, Jakarta Barat"),
    ], "long road"),
    ("jalan_rusak", None, "01-21 07:00", 30, [
        ("-tw", "gatsu arah semanggi aspalnya bergelombang parah sejak musim ujan. kayak naik odong2"),
        ("-tw", "@BinaMargaDKI tolong Gatot Subroto dicek dong, aspal ngelupas sepanjang jalan. the worst"),
    ], "long road, no kelurahan"),
    ("jalan_rusak", "Kuningan Barat", "01-23 12:00", 20, [
        ("tw", "Jl. Gatot Subroto Kel. Kuningan Barat deket gedung LIPI ada lubang sedalam 20cm di jalur cepat @BinaMargaDKI"),
        ("ql", "Lubang di jalur cepat || Jalan berlubang di Jl. Gatot Subroto, Kuningan Barat, Mampang Prapatan. bahaya buat motor"),
    ], "the same long road, another stretch named by its kelurahan"),
    ("jalan_rusak", "Rawamangun", "01-26 09:00", 30, [
        ("tw", "Jl. Pemuda depan kampus UNJ Rawamangun berlubang banyak, mahasiswa yg naik motor pd zigzag. @BinaMargaDKI"),
        ("rss", "Jalan Pemuda Berlubang || Warga melaporkan sejumlah lubang di Jl. Pemuda tepat di depan Kampus UNJ, Kelurahan Rawamangun. Lubang tertutup genangan saat hujan sehingga membahayakan pengendara."),
        ("-tw", "lubang di jl pemuda masih ada aja, udh sebulan. lapor JAKI cuma dibales 'dalam proses'"),
    ], ""),
    ("jalan_rusak", None, "01-28 15:00", 30, [
        ("-tw", "Jl. Inspeksi Kalimalang rusak parah, becek, lubang dimana2. mobil kecil mending jangan lewat"),
        ("-ql", "Jalan inspeksi rusak || sepanjang inspeksi kalimalang arah timur jalannya hancur, pelan2 aja"),
    ], "long road"),
    ("jalan_rusak", None, "02-03 06:00", 40, [
        ("-tw", "Cakung Cilincing rusak berat, truk kontainer bikin jalan jadi kubangan. kapan dicor lagi @DKIJakarta"),
        ("-o311", "Jalan Rusak || Jalan rusak dan berlubang dilewati truk kontainer, terjadi kecelakaan motor || Jl. Cakung Cilincing Raya, Jakarta Utara"),
        ("-tw", "jalan cacing tuh kayak off road. truk kontainer bebas lewat, warga yg susah"),
    ], "long road"),
    ("jalan_rusak", None, "02-05 10:00", 20, [
        ("-tw", "jalan amblas di kemang raya deket restoran, ditutup cone doang. bahaya kalo malem"),
    ], "colloquial area"),
    ("jalan_rusak", "Cipete Utara", "02-06 08:00", 10, [
        ("ql", "Jalan berlubang gang || Gg. H. Naim RT 03 RW 05 Kel. Cipete Utara jalan berlubang, anak2 sering jatuh sepeda"),
    ], ""),
    ("jalan_rusak", "Pulo Gebang", "02-10 16:00", 30, [
        ("tw", "jalan masuk Terminal Pulo Gebang berlubang, bis pd nyangkut. terminal terbesar se-asia tenggara katanya 😅"),
        ("ig", "akses terminal pulo gebang kayak gini. pls lah @dkijakarta @loc=Terminal Terpadu Pulo Gebang"),
    ], ""),
    ("saluran_air", "Utan Kayu Selatan", "01-29 07:00", 20, [
        ("tw", "got depan SDN Utan Kayu Selatan meluap tiap ujan, anak2 masuk sekolah basah semua. Kel. Utan Kayu Selatan tolong dikeruk"),
        ("em", "Got meluap depan sekolah || Yth. Sudin SDA Jaktim\nGot di depan SD Negeri di Kelurahan Utan Kayu Selatan meluap setiap hujan. Mohon dikeruk.\nTerima kasih\nOrang tua murid"),
    ], ""),
    ("saluran_air", "Kenari", "02-04 11:00", 20, [
        ("tw", "tutup got ilang di trotoar depan RSCM, pasien kursi roda hampir keperosok. bahaya bgt @dinassdadki"),
        ("o311", "Saluran Air || Penutup saluran hilang di trotoar, membahayakan pejalan kaki dan pasien rumah sakit || Jl. Diponegoro, depan RSCM, Kenari, Senen, Jakarta Pusat"),
    ], ""),
    ("saluran_air", "Jati Padang", "02-07 09:00", 20, [
        ("ql", "Saluran penghubung mampet || Saluran penghubung di Jl. Jati Padang Raya Kel. Jati Padang penuh lumpur, air meluber ke jalan"),
        ("-tw", "pasar minggu bagian jati padang got nya gak pernah dikeruk, pantes aja"),
    ], ""),
    ("saluran_air", "Menteng Atas", "02-13 08:00", 10, [
        ("tw", "saluran di gang belakang Pasar Rumput? bukan, yg di Kel. Menteng Atas RT 10, tersumbat sampah. air ngendep, nyamuk DBD 🦟"),
    ], ""),
    ("lampu_jalan", None, "01-17 21:00", 30, [
        ("-tw", "kolong flyover pesing gelap total, lampu mati semua. sering ada jambret di sini"),
        ("-ql", "PJU mati di flyover || lampu penerangan jalan di bawah flyover pesing mati sejak banjir"),
    ], "landmark on a kelurahan border, no kelurahan"),
    ("lampu_jalan", None, "01-24 20:00", 30, [
        ("-tw", "Jl. Raya Bogor Km 24 lampu PJU mati sepanjang 500 m, gelap banget, truk2 gede ngebut"),
    ], "long road"),
    ("lampu_jalan", "Cawang", "01-27 19:30", 30, [
        ("tw", "lampu jalan di Gg. Mawar RT 09 RW 01 Kel. Cawang mati udah 2 minggu, anak2 pulang ngaji gelap2an"),
        ("-fu>0", "masih mati ya min, tolong disampein ke Dinas Bina Marga"),
    ], "same kelurahan as the January flood, another problem"),
    ("lampu_jalan", "Karet Kuningan", "02-01 20:30", 30, [
        ("tw", "JPO depan ITC Kuningan gelap total, lampunya dicolong kali ya. cewek2 takut lewat malem"),
        ("ql", "Lampu JPO mati || Lampu di JPO depan ITC Kuningan Kel. Karet Kuningan mati semua"),
    ], ""),
    ("lampu_jalan", "Lebak Bulus", "02-11 21:00", 20, [
        ("tw", "lampu jalan di depan Terminal Lebak Bulus kedip2 terus mati. suram bgt kayak film horor"),
    ], ""),
    ("lampu_jalan", "Menteng", "02-15 19:00", 10, [
        ("tw", "lampu taman di Taman Menteng mati sebagian, jogging malem jadi serem"),
    ], ""),
    ("pohon_tumbang", "Jati Padang", "01-31 16:00", 8, [
        ("tw", "dahan pohon gede patah di Kel. Jati Padang, kabel listrik ikut putus. @DistamhutDKI @pln_123"),
    ], "same kelurahan as the blocked drain a week later, another problem"),
    ("pohon_tumbang", None, "02-03 15:30", 8, [
        ("-tw", "pohon mahoni di pinggir Jl. Ahmad Yani tumbang ke jalur busway, TJ terhambat"),
    ], "long road"),
    ("pohon_tumbang", "Kebagusan", "02-12 09:00", 30, [
        ("em", "Pohon rawan tumbang di Kebagusan || Dengan hormat,\nDi RT 03/RW 04 Kelurahan Kebagusan ada pohon besar yang sudah miring dan akarnya terangkat setelah hujan deras. Kami khawatir roboh menimpa rumah. Mohon dipangkas oleh Distamhut.\n\nWassalam,\nBapak Jaelani"),
    ], ""),
    ("parkir_liar", None, "01-13 18:00", 30, [
        ("-tw", "boulevard kelapa gading parkir di bahu jalan sampe 2 lapis, macet tiap malem. dishub kok diem @DishubDKI"),
        ("-tw", "yg parkir di depan ruko2 boulevard itu dikasih tilang dong"),
    ], "long road through two kelurahan"),
    ("parkir_liar", "Cililitan", "01-19 14:00", 30, [
        ("tw", "trotoar depan PGC jadi parkiran motor, pejalan kaki turun ke jalan. @DishubDKI @satpolpp_dki"),
        ("ql", "Parkir liar PGC || Parkir motor liar di trotoar depan Pusat Grosir Cililitan"),
    ], ""),
    ("parkir_liar", "Pondok Pinang", "01-30 17:00", 20, [
        ("tw", "bahu jalan depan Pondok Indah Mall jadi tempat parkir mobil, bikin macet panjang. gak ada petugas sama sekali"),
    ], ""),
    ("parkir_liar", "Melawai", "02-06 19:00", 20, [
        ("tw", "Blok M malem minggu: parkir liar dimana2, jukir minta 20rb. mau dibilang kota global? @DishubDKI"),
        ("-tw", "parkir di blok m mahal bgt ga ada karcis. pungli kah?"),
    ], "same place as the vendors, another problem"),
    ("parkir_liar", "Tebet Timur", "02-14 16:30", 10, [
        ("tw", "jukir liar di minimarket Tebet Timur, udah bayar tetep aja motor gak dijagain. Kel. Tebet Timur pls"),
    ], ""),
    ("pkl_trotoar", "Senen", "01-21 10:00", 30, [
        ("tw", "trotoar depan Stasiun Pasar Senen full PKL, jalan kaki harus turun ke jalan raya. @satpolpp_dki"),
        ("-tw", "pedagang di trotoar senen makin banyak, penumpang kereta susah jalan"),
    ], ""),
    ("pkl_trotoar", "Manggarai", "01-27 07:30", 30, [
        ("tw", "pintu keluar Stasiun Manggarai ke arah jalan dipenuhin PKL, desek2an parah pagi ini"),
        ("ig", "jalan keluar stasiun manggarai sempit bgt gara2 lapak2 🥵 @loc=Stasiun Manggarai"),
    ], "same kelurahan as the brawl and the flood, another problem"),
    ("pkl_trotoar", None, "02-02 16:00", 20, [
        ("-tw", "trotoar jatinegara barat dipake buat jualan batu akik sama baju bekas. pedestrian lewat mana"),
    ], "name shared by a kecamatan and a kelurahan"),
    ("pkl_trotoar", "Melawai", "02-07 18:00", 20, [
        ("ql", "PKL di trotoar Blok M || Trotoar sekitar terminal Blok M dipakai PKL, Kel. Melawai"),
    ], "same place as the illegal parking, another problem"),
    ("fasilitas_umum", "Pejagalan", "01-17 10:00", 30, [
        ("tw", "RPTRA Kalijodo ayunannya patah, perosotan bolong. bahaya buat anak2 @DKIJakarta"),
        ("ig", "main ke RPTRA Kalijodo, eh banyak mainan rusak 😕 @loc=RPTRA Kalijodo"),
    ], ""),
    ("fasilitas_umum", "Grogol", "01-24 08:00", 20, [
        ("tw", "halte bus depan Univ Trisakti atapnya bolong, ujan2 nunggu bus basah kuyup"),
        ("-tw", "halte2 di kyai tapa kok rusak semua sih"),
    ], ""),
    ("fasilitas_umum", None, "02-05 12:00", 10, [
        ("-tw", "JPO di Jl. Daan Mogot lantainya bolong2, serem nyebrang. kapan diperbaiki"),
    ], "long road"),
    ("fasilitas_umum", "Pluit", "02-13 16:00", 10, [
        ("ql", "Bangku taman rusak || Bangku dan lampu taman di Taman Waduk Pluit rusak dan tidak diperbaiki"),
    ], ""),
    ("air_bersih", "Jelambar Baru", "01-13 07:00", 24, [
        ("tw", "air PAM di Kel. Jelambar Baru keruh kayak kopi susu, gak bisa buat masak. @PAMJaya"),
        ("-tw", "airnya coklat min 🤮 masa bayar tiap bulan dapet yg kayak gini"),
    ], ""),
    ("air_bersih", "Kalibaru", "01-20 06:00", 30, [
        ("ql", "Air tidak mengalir || Sudah 2 hari air PAM di Kel. Kalibaru Cilincing mati, warga beli air gerobak"),
        ("-tw", "warga cilincing tuh beli air jerigen 5rb, pam kemana?"),
    ], ""),
    ("air_bersih", None, "01-31 09:00", 10, [
        ("-tw", "pipa PAM bocor di Jl. Kyai Tapa, air nyembur ke jalan dari pagi. sayang bgt airnya @PAMJaya"),
    ], "long road between kelurahan"),
    ("air_bersih", "Marunda", "02-10 08:00", 30, [
        ("tw", "rusun marunda air mati lagi. ini rusun pemerintah lho @DKIJakarta @PAMJaya"),
        ("-tw", "udh 3 hari gak mandi. kami juga warga jakarta pak"),
    ], "same landmark as the tidal flood in January, another problem"),
    ("air_bersih", "Duri Kepa", "02-15 10:00", 10, [
        ("em", "Air PAM berbau || Yth. PAM Jaya,\nAir yang keluar dari keran di rumah kami (Kel. Duri Kepa, Kebon Jeruk) berbau kaporit sangat tajam dan sedikit keruh sejak dua hari lalu. Apakah aman diminum?\n\nTerima kasih\nMichael"),
    ], "a question that reports a problem"),
    ("pelayanan_publik", "Pegadungan", "01-14 10:00", 30, [
        ("tw", "ngurus KK di kantor Kelurahan Pegadungan dilempar sana sini, disuruh balik besok terus. pelayanan macam apa ini"),
        ("-tw", "petugas kelurahan ketus bgt, ditanya baik2 malah dimarahin 🙄"),
    ], ""),
    ("pelayanan_publik", "Klender", "01-22 08:30", 20, [
        ("tw", "antrean Puskesmas Kelurahan Klender dari subuh, nomor antrean abis jam 7. lansia pd kecapean nunggu"),
        ("ql", "Antrean puskesmas || Puskesmas Kel. Klender kekurangan petugas, antrean sampai 4 jam"),
    ], ""),
    ("pelayanan_publik", "Srengseng", "02-04 13:00", 10, [
        ("em", "Pungutan liar surat pindah || Dengan hormat,\nSaya diminta membayar Rp 200.000 oleh oknum untuk surat pengantar pindah di kantor Kelurahan Srengseng, Kembangan. Setahu saya layanan ini gratis. Mohon ditindak.\n\nHormat saya,\n(nama dirahasiakan)"),
    ], ""),
    ("pelayanan_publik", None, "02-11 09:00", 10, [
        ("-tw", "aplikasi JAKI error terus pas mau lapor, udah 3 hari. gimana mau ngadu kalo aplikasinya aja rusak 😑"),
    ], ""),
    ("pelayanan_publik", None, "01-29 11:00", 20, [
        ("-tw", "KJP anak aye belum cair juga, padahal udh bulan januari. ditanya ke sekolah gak tau, ke sudin gak jelas"),
        ("-tw", "KJP plus blm cair min?? anak mau beli seragam"),
    ], ""),
    ("lainnya", "Kapuk Muara", "01-26 21:00", 30, [
        ("tw", "bau busuk dari pabrik pengolahan ikan di Kel. Kapuk Muara tiap malem, warga sesek napas @dinaslhdki"),
        ("-tw", "baunya nyampe ke jalan raya, kayak bangkai. gak ada izin lingkungannya kali"),
    ], ""),
    ("lainnya", "Ciganjur", "02-01 06:30", 10, [
        ("tw", "anjing liar segerombolan di Kel. Ciganjur, ngejar anak sekolah pagi ini. tolong dinas KPKP"),
    ], ""),
    ("lainnya", "Tegal Parang", "02-08 10:00", 10, [
        ("tw", "kabel fiber optik menjuntai di Kel. Tegal Parang, nyangkut di helm pengendara motor. bahaya!!"),
    ], ""),
    ("lainnya", None, "02-14 23:30", 6, [
        ("-tw", "balap liar di Daan Mogot tiap malem minggu, suara knalpot sampe jam 3 pagi 😤 @TMCPoldaMetro"),
    ], "long road"),
    ("kemacetan", "Tengah", "02-03 07:00", 5, [
        ("tw", "keluar masuk truk di depan Pasar Induk Kramat Jati bikin Raya Bogor macet total pagi ini. @DishubDKI"),
    ], "third problem at the same landmark"),
    ("kemacetan", None, "02-15 17:30", 5, [
        ("-tw", "Gatot Subroto arah Cawang stuck dari Semanggi, ada apa ya? @TMCPoldaMetro"),
    ], "long road"),
]

# --- Reports that come mostly through apps, forms, feeds and Instagram -------------------------------
APP_REPORTS = [
    ("banjir", "Pondok Bambu", "01-05 05:00", 16, [
        ("ql", "Banjir Pondok Bambu || Jl. Pahlawan Revolusi Kel. Pondok Bambu tergenang 50 cm, kendaraan kecil tidak bisa lewat"),
        ("xp:tw>0", ""),
        ("-o311", "Banjir/Genangan || Genangan akibat saluran meluap di depan sekolah || Jl. Pahlawan Revolusi, Jakarta Timur"),
        ("-ig", "Pahlawan revolusi pagi ini 🌊 anak sekolah pd diliburin #banjirjakarta"),
    ], "same night as the Kali Sunter flood, another kelurahan"),
    ("banjir", "Cililitan", "01-19 05:30", 12, [
        ("ql", "Genangan depan PGC || Air setinggi betis di depan Pusat Grosir Cililitan, angkot mogok"),
        ("-rss", "Genangan di Jalan Mayjen Sutoyo || Genangan setinggi betis membuat lalu lintas tersendat sejak subuh, pengendara diminta mencari jalan lain."),
        ("xp:tw>0", ""),
    ], "same landmark as the parking on the pavement, another problem"),
    ("saluran_air", "Cempaka Putih Barat", "01-12 08:00", 30, [
        ("ql", "Got mampet di cempaka ptih barat || got depan rumah RT 04 RW 06 cempaka ptih barat gak ngalir, airnya item dan bau"),
        ("-ig", "ini got depan rumah, udh sebulan kayak gini 🤢 @dinassdadki tolong dong"),
        ("+>1", ""),
    ], "kelurahan spelled loosely"),
    ("sampah", "Cideng", "01-16 06:00", 30, [
        ("o311", "Sampah || Sampah menumpuk di pinggir Kali Cideng, sebagian masuk ke kali dan menghambat aliran || Jl. Cideng Barat, Cideng, Gambir, Jakarta Pusat"),
        ("ql", "Sampah di Kali Cideng || sampah plastik numpuk di pinggir kali cideng, pas ujan kebawa arus"),
    ], ""),
    ("jalan_rusak", "Semanan", "01-21 09:00", 40, [
        ("ql", "Jalan rusak Semanan || Jalan di Kel. Semanan Kalideres hancur dilewati truk tanah, berlubang dan licin"),
        ("o311", "Jalan Rusak || Jalan berlubang dan berlumpur akibat truk proyek || Jl. Semanan Raya, Semanan, Kalideres, Jakarta Barat"),
        ("xp:tw>0", ""),
        ("-fu>2", "seminggu lewat, masih sama aja. truk tanah tetep lewat tiap malem"),
    ], ""),
    ("lampu_jalan", "Rawa Badak Utara", "01-23 19:00", 30, [
        ("ql", "PJU mati || Lampu penerangan jalan di Jl. Mangga Kel. Rawa Badak Utara mati 5 tiang berturut-turut"),
        ("-em", "Lampu jalan mati || Lampu di jalan depan rumah kami sudah 2 minggu mati, anak-anak pulang mengaji gelap. Mohon dinyalakan kembali."),
    ], ""),
    ("pohon_tumbang", "Pegangsaan Dua", "01-18 16:30", 8, [
        ("ig", "Pohon tumbang nimpa 2 motor di Pegangsaan Dua sore ini, untung pengendaranya selamat 🙏 @loc=Pegangsaan Dua, Kelapa Gading"),
        ("+>0", ""),
        ("ql", "Pohon tumbang || pohon tumbang di Jl. Pegangsaan Dua Kelapa Gading menutup jalan"),
    ], ""),
    ("fasilitas_umum", "Kebon Kacang", "01-25 11:00", 30, [
        ("ql", "Trotoar rusak || Trotoar di Jl. Kebon Kacang Raya, Kel. Kebon Kacang berlubang, keramiknya lepas"),
        ("-ig", "trotoar kebanggaan jakarta kok gini min 😅 #trotoarjakarta"),
    ], ""),
    ("air_bersih", "Kamal Muara", "01-27 06:00", 30, [
        ("ql", "Air bersih tidak mengalir || Warga Kamal Muara tidak dapat air PAM seminggu, beli air pikulan 5 ribu per jerigen"),
        ("o311", "Air Bersih || Air PAM tidak mengalir sejak seminggu || Kamal Muara, Penjaringan, Jakarta Utara"),
        ("-tw", "penjaringan ujung tuh air bersih susah bgt, pdhl bayar juga @PAMJaya"),
    ], ""),
    ("parkir_liar", "Glodok", "02-01 13:00", 30, [
        ("ql", "Parkir liar Glodok || parkir motor di trotoar sepanjang Pancoran Glodok, pejalan kaki jalan di aspal"),
        ("ig", "glodok siang ini, trotoar jadi parkiran 🙃 @loc=Glodok, Taman Sari"),
    ], ""),
    ("pkl_trotoar", "Rawa Bunga", "02-05 16:00", 30, [
        ("ql", "PKL tutup trotoar || Lapak PKL menutup trotoar di depan Stasiun Jatinegara sisi Kel. Rawa Bunga"),
        ("-o311", "Ketertiban Umum || PKL berjualan di trotoar hingga ke badan jalan || Jl. Bekasi Barat, Jakarta Timur"),
    ], ""),
    ("pelayanan_publik", "Duren Sawit", "02-09 10:00", 20, [
        ("em", "Pelayanan kantor Kelurahan Duren Sawit || Dengan hormat,\nSaya mengurus akta kelahiran di kantor Kelurahan Duren Sawit (bukan kecamatan) sejak dua minggu lalu, tetapi berkas saya dinyatakan hilang oleh petugas. Mohon perhatian.\n\nHormat saya,\nIbu Sari"),
        ("xp:ql>0", ""),
    ], "a name shared by a kecamatan and a kelurahan, told apart in the text"),
    ("banjir", "Ulujami", "02-09 02:00", 14, [
        ("ql", "Banjir Ulujami || Kali Pesanggrahan meluap, permukiman di Kel. Ulujami terendam 1 meter"),
        ("ig", "Pesanggrahan naik lagi, Ulujami kebanjiran 😢 @loc=Ulujami, Pesanggrahan"),
        ("+>1", ""),
        ("-igc", "komplek deket kali pesanggrahan udh selutut min, ada pompa?"),
    ], ""),
    ("banjir", "Cipinang Muara", "01-05 03:30", 18, [
        ("ql", "Banjir Cipinang Muara || Air Kali Sunter meluap ke RW 06 Kel. Cipinang Muara, tinggi 60cm"),
        ("-rss", "Kali Sunter Meluap, Warga Mengungsi || Warga di bantaran Kali Sunter mengungsi ke musholla setelah air masuk rumah sekitar 60 cm sejak dini hari."),
        ("-em", "Laporan banjir || Selamat pagi,\nRumah kami di bantaran Kali Sunter kebanjiran sejak jam 3 pagi. Mohon dibantu pompa dan perahu.\nTerima kasih"),
    ], "same river and night as Cipinang Melayu, another kelurahan"),
    ("sampah", "Angke", "02-11 08:00", 30, [
        ("o311", "Sampah || Sampah menumpuk di kolong jembatan Kali Angke, bau menyengat || Angke, Tambora, Jakarta Barat"),
        ("ql", "Sampah kolong jembatan || kolong jembatan kali angke jadi tempat buang sampah warga, Kel. Angke Tambora"),
    ], ""),
    ("kemacetan", "Kampung Melayu", "01-12 17:30", 4, [
        ("ig", "Kampung Melayu sore ini, angkot ngetem sembarangan bikin macet sampe Jatinegara 😤 @loc=Terminal Kampung Melayu"),
        ("-ql", "Macet terminal || angkot ngetem di luar terminal bikin macet tiap sore"),
    ], "same kelurahan as the floods, another problem"),
]

INCIDENTS = FLOODS_NIGHT_1 + AFTER_NIGHT_1 + FLOODS_NIGHT_2 + FLOODS_NIGHT_3 + EVERYDAY + APP_REPORTS

# --- Replies that back a complaint without adding one (they join its ticket) -----------------------
SUPPORT_REPLIES = [
    "sama min, rumah aye juga kerendem", "up up biar dibaca", "+1 tolong diurus", "bener bgt, udah dari kemaren begini",
    "ini beneran, aku lewat tadi", "ditunggu tindakannya @DKIJakarta", "tolong di notice min 🙏", "iya parah bgt",
    "kagak ada yg dateng ampe sekarang", "asli ini mah udah kelewatan", "pls viralin biar diurus", "same here 😭",
    "noted, tetangga gue juga ngalamin", "gini terus tiap taun", "naikin terus sampe direspon", "🙏🙏🙏",
]

# --- Non-complaints: official replies (to a complaint), by account --------------------------------
OFFICIAL_REPLIES = {
    "DKIJakarta": [
        "Terima kasih atas laporannya. Laporan sudah kami teruskan ke perangkat daerah terkait untuk ditindaklanjuti. Pantau perkembangannya melalui aplikasi JAKI ya.",
        "Halo, mohon maaf atas ketidaknyamanannya. Laporan Anda sudah kami koordinasikan dengan Suku Dinas setempat.",
        "Terima kasih sudah melapor. Agar dapat kami tindak lanjuti, mohon kirimkan alamat lengkap dan foto lokasi melalui DM.",
    ],
    "BPBDJakarta": [
        "Laporan diterima. Tim TRC BPBD DKI sedang menuju lokasi. Utamakan keselamatan dan matikan listrik di rumah yang tergenang 🙏",
        "Terima kasih infonya. Petugas gabungan dan perahu karet sudah dikerahkan ke lokasi. Warga dapat menuju posko pengungsian terdekat.",
    ],
    "dinassdadki": [
        "Siap, petugas Sudin SDA sudah kami arahkan untuk pengecekan saluran dan pompa di lokasi. Terima kasih atas laporannya.",
        "Terima kasih. Pompa mobile sedang dikirim ke lokasi genangan.",
    ],
    "dinaslhdki": ["Terima kasih laporannya, armada pengangkut sampah Sudin LH sudah dijadwalkan ke lokasi hari ini."],
    "PAMJaya": ["Halo Kak, mohon maaf atas ketidaknyamanannya. Mohon informasikan nomor pelanggan melalui DM agar dapat kami cek ya 🙏"],
    "DishubDKI": ["Terima kasih atas informasinya, akan kami koordinasikan dengan petugas di lapangan untuk penertiban."],
    "BinaMargaDKI": ["Terima kasih, laporan sudah kami catat dan akan ditangani oleh Satgas Jalan Bina Marga."],
}
# Accounts of kelurahan and sub-agencies that no list of the city's accounts names, replying to complaints
# about their own area: (account, display name, kelurahan whose complaints they answer, text)
LOCAL_OFFICIAL_REPLIES = [
    ("kel_cipinangmelayu", "Kelurahan Cipinang Melayu", "Cipinang Melayu",
     "Mohon maaf atas ketidaknyamanannya. Petugas PPSU Kel. Cipinang Melayu sudah di lokasi membantu evakuasi warga RW 04. Posko pengungsian ada di Masjid Al Mubarok 🙏"),
    ("kel_kampungmelayu", "Kelurahan Kampung Melayu", "Kampung Melayu",
     "Terima kasih informasinya. Perahu karet dan petugas gabungan sudah di Kampung Pulo sejak pukul 01.00 WIB, dapur umum di kantor kelurahan."),
    ("sudinsda_jaktim", "Sudin SDA Jakarta Timur", "Pondok Kopi",
     "Laporan diterima, tim Sudin SDA Jaktim akan melakukan pengerukan saluran di lokasi besok pagi."),
    ("kel_rawabuaya", "Kelurahan Rawa Buaya", "Rawa Buaya",
     "Siap, pompa mobile sudah kami tempatkan di Jl. Utan Jati. Warga yang butuh evakuasi silakan hubungi posko kelurahan."),
    ("ppsu_kayumanis", "PPSU Kayu Manis", "Kayu Manis",
     "Sudah kami kerjakan pagi ini ya kak, saluran sudah dikeruk. Terima kasih laporannya 🙏"),
]

PRAISE = [
    ("01-09 10:00", "salut sama petugas PPSU kampung melayu, subuh2 udah bersihin lumpur di gang2. makasih banyak 🙏"),
    ("01-11 16:00", "makasih @dinassdadki got di Kayu Manis udah dikeruk, tadi ujan gak genang lagi 👍"),
    ("01-15 20:00", "keren, lampu di Pisangan Baru Timur udah nyala lagi. gercep juga ternyata"),
    ("01-21 09:00", "terima kasih @BPBDJakarta udah evakuasi ibu saya semalem di Rawa Buaya. respect"),
    ("01-28 08:00", "jalan depan pasar induk udah ditambal! thanks @BinaMargaDKI, akhirnya 😂"),
    ("02-10 12:00", "apresiasi buat relawan dan damkar yg bantu warga cipinang melayu kemarin 🫡"),
    ("02-16 09:30", "pohon yg miring di ragunan udah dipangkas, makasih distamhut"),
]
INFO_QUESTIONS = [
    "min, cara bikin KTP buat anak yg baru 17 tahun gimana ya? harus ke kelurahan atau bisa online lewat JAKI?",
    "jadwal samsat keliling hari ini di mana ya min?",
    "posko pengungsian terdekat dari Bidara Cina di mana ya? mau nganterin baju bekas",
    "@DKIJakarta ganjil genap hari ini tetep berlaku gak ya pas banjir gini?",
    "mau tanya, syarat daftar KJP plus tahun ini apa aja ya min?",
    "ada info donasi buat korban banjir jaktim? pengen bantu",
    "min, pendaftaran PPDB jalur zonasi mulai kapan?",
    "kalo mau ngajuin pemangkasan pohon depan rumah, lapornya ke mana ya?",
]
CHATTER = [
    "hujan gini enaknya indomie pake telor sama tidur 😴",
    "semangat buat temen2 yg kena banjir, stay safe semua 🙏",
    "jakarta ujan dikit langsung macet, kayak biasa lah ya",
    "lagi hujan deres di jaksel, yg di jalan hati2",
    "kapan ya jakarta bebas banjir, cucu gue kali",
    "ngeliat berita banjir tiap januari udh kayak tradisi",
]
PROMOTIONS = [
    "PROMO cuci sofa & kasur pasca banjir! Diskon 30% area Jakarta Timur. WA 0813-1177-2024",
    "Jasa sedot WC & saluran mampet 24 jam Jakarta, harga bersahabat. hubungi 0857-7700-1122",
    "Jual pompa air celup (submersible) murah, ready stok, bisa COD Jakarta. DM ya kak",
    "Servis motor mogok kena banjir, panggilan ke rumah. Bengkel Berkah Motor Cawang 📞 0812-9911-0077",
]
SPAM = [
    "GACOR HARI INI 🔥 slot maxwin deposit 10rb langsung WD! link di bio 💰💰",
    "daftar sekarang di JAYATOTO88 bonus new member 100% 🎰 anti rungkad",
    "butuh dana cepat? pinjaman online tanpa BI checking cair 5 menit, klik link profil",
    "info slot gacor malam ini, rtp live 98% 🤑 cek bio kak",
    "Mau penghasilan tambahan 2 juta/hari? kerja dari rumah, DM admin sekarang!!!",
]
NEWS_HEADLINES = [
    ("01-05 08:00", "BPBD DKI: 94 RT di Jakarta Terendam Banjir Pagi Ini, Ketinggian Air Capai 2 Meter"),
    ("01-05 10:30", "Banjir Rendam Kampung Pulo, Ratusan Warga Mengungsi ke Masjid dan Sekolah"),
    ("01-05 12:00", "Pohon Tumbang di Jalan Gatot Subroto, Lalu Lintas Sempat Tersendat"),
    ("01-12 09:00", "Pemprov DKI Percepat Pengerukan Kali Sunter Usai Banjir Cipinang Melayu"),
    ("01-19 07:00", "Pintu Air Manggarai Siaga 1, Warga Bantaran Ciliwung Diminta Waspada"),
    ("01-19 11:00", "Banjir Rob Genangi Rusun Marunda, Lift dan Pompa Air Mati"),
    ("01-20 15:00", "Gubernur Tinjau Rumah Pompa di Jakarta Barat, Janjikan Tambahan Pompa Mobile"),
    ("02-09 08:30", "Banjir Kembali Landa Jakarta, 62 RT Tergenang di Jakarta Timur dan Selatan"),
    ("02-09 13:00", "Sebulan Dua Kali Kebanjiran, Warga Cipinang Melayu Tuntut Turap Kali Sunter"),
    ("02-11 10:00", "Dinas Bina Marga Tambal 1.300 Lubang Jalan Selama Musim Hujan"),
    ("02-13 09:00", "Satpol PP Tertibkan PKL di Trotoar Tanah Abang dan Pasar Senen"),
]
ANNOUNCEMENTS = [
    ("01-04 16:00", "BPBDJakarta", "⚠️ Peringatan dini cuaca DKI Jakarta 4 Januari 2027 pukul 16.00 WIB: berpotensi hujan lebat disertai kilat dan angin kencang. Waspada genangan."),
    ("01-04 22:00", "BPBDJakarta", "Status Bendung Katulampa Siaga 2 pukul 22.00 WIB. Warga bantaran Ciliwung diimbau waspada kenaikan muka air."),
    ("01-18 15:30", "BPBDJakarta", "⚠️ Peringatan dini: hujan sedang-lebat di Jakarta Barat dan Jakarta Utara hingga malam hari."),
    ("02-08 17:00", "DKIJakarta", "Sobat Jakarta, musim hujan masih berlangsung. Laporkan genangan dan pohon rawan tumbang melalui aplikasi JAKI ya."),
    ("01-25 10:00", "DKIJakarta", "Hari ini Pemprov DKI menggelar kerja bakti serentak membersihkan saluran di 267 kelurahan. Yuk ikut!"),
]
TRAFFIC_INFO = [
    ("01-05 07:15", "[07.15] Genangan +/- 40 cm di Jl. Daan Mogot depan Terminal Kalideres, arus lalin arah Tangerang tersendat."),
    ("01-05 08:40", "[08.40] Pohon tumbang di Jl. Gatot Subroto arah Slipi sudah dievakuasi, lalin kembali normal."),
    ("01-18 18:10", "[18.10] Lalin padat di Jl. Lingkar Luar arah Kampung Rambutan akibat genangan."),
    ("02-09 07:20", "[07.20] Genangan di Jl. MH Thamrin depan Sarinah, kendaraan diimbau menghindari ruas tersebut."),
]

# --- Mail that is not a complaint --------------------------------------------------------------------
MAIL_AUTO_REPLY = "Terima kasih, email Anda telah kami terima dan akan diproses dalam 3x24 jam kerja. Nomor tiket: {ticket}. Email ini dikirim otomatis, mohon tidak membalas."
MAIL_OUT_OF_OFFICE = "Saya sedang cuti sampai tanggal {until}. Untuk keperluan mendesak silakan hubungi sekretariat Sudin SDA.\n\nI am out of office until {until}."
MAIL_INFO_QUESTIONS = [
    ("Tanya cara bikin KTP", "Selamat siang,\nSaya mau tanya, untuk membuat KTP elektronik bagi warga pindahan dari Bandung, dokumen apa saja yang perlu dibawa ke kelurahan? Terima kasih."),
    ("Jadwal kerja bakti", "Halo admin, kapan jadwal kerja bakti serentak berikutnya di Jakarta Selatan? Warga RT kami mau ikut. Terima kasih."),
    ("Informasi donasi banjir", "Selamat pagi, kantor kami ingin menyalurkan donasi sembako untuk korban banjir. Ke mana sebaiknya kami hubungi?"),
]
MAIL_SPAM = [
    ("Penawaran Kerjasama Pengadaan Pompa Air", "Kepada Yth. Bapak/Ibu Pimpinan,\nKami PT Sumber Tirta Abadi menawarkan pompa banjir kapasitas besar dengan harga khusus instansi pemerintah. Katalog terlampir."),
    ("Selamat! Anda terpilih mendapatkan hadiah", "Klik tautan berikut untuk mengklaim hadiah Anda sebelum 31 Januari. Bonus deposit slot hingga 200%!"),
    ("Pinjaman dana cepat tanpa jaminan", "Cair dalam 10 menit, bunga rendah, tanpa BI checking. Balas email ini untuk info."),
]
MAILBOX_REPLY = "Yth. Bapak/Ibu,\n\nTerima kasih telah menyampaikan laporan kepada Pemprov DKI Jakarta. Laporan Anda telah kami teruskan kepada perangkat daerah terkait dengan nomor tiket {ticket}. Perkembangan dapat dipantau melalui aplikasi JAKI.\n\nSalam,\nTim Pengelola Pengaduan"

# --- Instagram posts of city and news accounts (not complaints; complaints come in their comments) --
IG_CITY_POSTS = [
    ("01-04 18:00", "dkijakarta", "Sobat Jakarta, BMKG memprakirakan hujan lebat malam ini. Simpan nomor darurat 112 dan laporkan genangan lewat JAKI. #JakartaSiaga"),
    ("01-05 09:00", "dkijakarta", "Pagi ini Gubernur meninjau posko pengungsian di Jakarta Timur. Bantuan logistik terus disalurkan. #JakartaSiaga"),
    ("01-19 08:00", "dkijakarta", "Update genangan pagi ini: petugas gabungan dan 480 pompa mobile disiagakan di seluruh wilayah. #JakartaSiaga"),
    ("02-09 07:30", "dkijakarta", "Tetap waspada, Sobat Jakarta. Posko pengungsian dibuka di kantor kelurahan terdekat. #JakartaSiaga"),
]
IG_NEWS_POSTS = [
    ("01-05 11:00", "infojakarta_terkini", "Banjir merendam sejumlah wilayah di Jakarta Timur sejak dini hari. Ketinggian air di bantaran Ciliwung mencapai 2 meter. 📷: kontributor"),
    ("01-19 10:00", "infojakarta_terkini", "Jakarta Barat dan Utara tergenang usai hujan semalaman. Bagaimana kondisi di tempatmu? Share di kolom komentar 👇"),
    ("02-09 09:00", "infojakarta_terkini", "Banjir lagi! Beberapa wilayah yang bulan lalu terendam kembali kebanjiran pagi ini."),
]
IG_PRAISE_COMMENTS = [
    "mantap pak gub, gercep 👍", "terima kasih petugas di lapangan, kalian pahlawan 🙏", "semoga lancar semua, semangat petugas!",
    "makasih infonya min", "respect buat relawan 🫡",
]
IG_OFFICIAL_ANSWERS = [
    "Terima kasih laporannya, sudah kami teruskan ke BPBD DKI dan Sudin setempat ya 🙏",
    "Halo, mohon kirim lokasi lengkap via DM agar segera kami tindak lanjuti.",
]

# --- Feeds, Open311 and Qlue items that are not complaints -------------------------------------------
FEED_EVENTS = [
    ("Kerja bakti warga RW 05", "Warga RW 05 mengadakan kerja bakti membersihkan saluran hari Minggu pukul 07.00. Semua warga diharap hadir."),
    ("Donasi untuk korban banjir", "Komunitas kami membuka donasi pakaian layak pakai dan makanan siap saji untuk pengungsi banjir Jakarta Timur."),
]
OPEN311_NOT_COMPLAINTS = [
    ("Informasi", "Mohon informasi syarat pembuatan KTP untuk warga pindahan dari luar kota.", "Kantor Kelurahan Kebon Kacang, Tanah Abang"),
    ("Lainnya", "TEST - mohon abaikan, uji coba sistem", ""),
    ("Informasi", "Kapan jadwal pemangkasan pohon rutin di wilayah kami? Hanya ingin tahu jadwalnya.", "Cilandak Barat, Cilandak, Jakarta Selatan"),
]
QLUE_NOT_COMPLAINTS = [
    ("Terima kasih PPSU", "Saluran di gang kami sudah dibersihkan petugas PPSU, terima kasih banyak 🙏"),
    ("Selamat pagi Jakarta", "Pagi yang cerah setelah hujan semalaman. Semangat beraktivitas!"),
    ("Laporan sudah ditangani", "Jalan yang saya laporkan minggu lalu sudah ditambal. Terima kasih Bina Marga."),
    ("Jual rumah", "Dijual rumah 2 lantai bebas banjir di Jakarta Selatan, SHM, hubungi pemilik langsung."),
]

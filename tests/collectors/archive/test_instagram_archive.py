"""instaloader's post metadata (.json / .json.xz) and comment files split into RawItems."""

from __future__ import annotations

import lzma
import shutil
from pathlib import Path

import instaloader
import orjson
from instaloader.structures import Post, Profile, save_structure_to_file

from collectors.archive import detect
from collectors.archive.instagram import READERS, InstaloaderCommentsReader, InstaloaderPostReader
from collectors.content_types import INSTAGRAM_COMMENT, INSTAGRAM_POST, UNREADABLE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "instagram"
POST_XZ = FIXTURES / "2024-03-11_08-30-12_UTC.json.xz"
POST_JSON = FIXTURES / "2024-03-12_08-00-00_UTC.json"
COMMENTS = FIXTURES / "2024-03-11_08-30-12_UTC_comments.json"


def test_compressed_and_plain_post_files_are_posts() -> None:
    assert detect(POST_XZ, READERS).name == "instaloader-post"
    assert detect(POST_JSON, READERS).name == "instaloader-post"
    assert detect(COMMENTS, READERS).name == "instaloader-comments"


def test_post_payload_is_the_decompressed_file_verbatim() -> None:
    [item] = list(InstaloaderPostReader().read(POST_XZ, "import"))
    assert item.content_type == INSTAGRAM_POST and item.channel == "instagram"
    assert item.external_id == "C4Hk2pLvQxZ"
    with lzma.open(POST_XZ, "rb") as compressed:
        assert item.payload == compressed.read()
    [plain] = list(InstaloaderPostReader().read(POST_JSON, "import"))
    assert plain.payload == POST_JSON.read_bytes() and plain.external_id == "C4Hz9QmPaBc"


def test_files_instaloader_writes_itself_round_trip(tmp_path: Path) -> None:
    context = instaloader.InstaloaderContext(quiet=True)
    node = {"shortcode": "C5aaaaaaaaa", "taken_at_timestamp": 1712000000, "caption": "Got mampet di Cempaka Putih"}
    save_structure_to_file(Post(context, node), str(tmp_path / "post.json.xz"))
    save_structure_to_file(Profile(context, {"id": "1", "username": "dkijakarta"}), str(tmp_path / "profile.json.xz"))
    post_reader = InstaloaderPostReader()
    assert detect(tmp_path / "post.json.xz", READERS) is READERS[0]
    assert [item.external_id for item in post_reader.read(tmp_path / "post.json.xz", "import")] == ["C5aaaaaaaaa"]
    assert detect(tmp_path / "profile.json.xz", READERS) is None  # a profile is not a post


def test_damaged_post_file_is_kept_as_unreadable(tmp_path: Path) -> None:
    damaged = tmp_path / "2024-01-01_00-00-00_UTC.json.xz"
    damaged.write_bytes(POST_XZ.read_bytes()[:-40])
    assert detect(damaged, READERS) is READERS[0]
    [item] = list(InstaloaderPostReader().read(damaged, "import"))
    assert item.content_type == UNREADABLE and item.payload == damaged.read_bytes()


def test_each_comment_and_each_answer_is_an_item() -> None:
    items = list(InstaloaderCommentsReader().read(COMMENTS, "import"))
    source_comments = orjson.loads(COMMENTS.read_bytes())
    expected = []
    for comment in source_comments:
        expected.append((str(comment["id"]), None))
        expected += [(str(answer["id"]), str(comment["id"])) for answer in comment["answers"]]
    assert [(item.external_id, orjson.loads(item.payload)["reply_to"]) for item in items] == expected
    assert all(item.content_type == INSTAGRAM_COMMENT for item in items)
    first = orjson.loads(items[0].payload)
    assert "answers" not in first["comment"]
    # the default filename pattern has no shortcode: it comes from the sibling metadata file
    assert first["post"] == {"shortcode": "C4Hk2pLvQxZ", "file": COMMENTS.name}


def test_shortcode_from_the_filename_or_none(tmp_path: Path) -> None:
    [item] = list(InstaloaderCommentsReader().read(FIXTURES / "C4Jq7Lm0aXy_comments.json", "import"))
    assert orjson.loads(item.payload)["post"]["shortcode"] == "C4Jq7Lm0aXy"
    lonely = tmp_path / COMMENTS.name
    shutil.copy(COMMENTS, lonely)
    first = next(iter(InstaloaderCommentsReader().read(lonely, "import")))
    assert orjson.loads(first.payload)["post"]["shortcode"] is None


def test_broken_comments_file_and_odd_entries_are_not_lost(tmp_path: Path) -> None:
    broken = tmp_path / "x_comments.json"
    broken.write_bytes(b'[{"id": 1, "created_at": 1710000000, "text": "putus')
    assert detect(broken, READERS) is READERS[1]
    [item] = list(InstaloaderCommentsReader().read(broken, "import"))
    assert item.content_type == UNREADABLE
    odd = tmp_path / "y_comments.json"
    odd.write_bytes(b'[{"created_at": 1710000000, "text": "tanpa id"}, 7]')
    items = list(InstaloaderCommentsReader().read(odd, "import"))
    assert [item.content_type for item in items] == [INSTAGRAM_COMMENT, UNREADABLE]
    assert items[0].external_id.startswith("sha256:")

"""A folder with no photos offers the folders inside it that hold photos."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from photoscreen.core.session import Subfolder, has_photos, subfolders_with_photos

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)
NOT_A_PHOTO = b"\x00\x00\x00\x18ftypmp42 a video" + bytes(30)

contents = st.sampled_from([JPEG, PNG, NOT_A_PHOTO, b"", b"text"])
file_names = st.sampled_from(
    ["a.jpg", "b.JPG", "c.png", "clip.mp4", "notes.txt", "Thumbs.db", ".hidden.jpg", "._a.jpg"]
)
folder_names = st.sampled_from(["Monday", "DCIM", "trip 2", ".photoscreen", ".Trash", "empty"])
# A subfolder: its files, and maybe photos one level further down (not counted).
subfolder = st.tuples(st.dictionaries(file_names, contents, max_size=5), st.booleans())


def _expected_count(files: dict[str, bytes]) -> int:
    hidden_or_system = {"Thumbs.db", ".hidden.jpg", "._a.jpg"}
    return sum(
        1 for name, data in files.items() if name not in hidden_or_system and data in (JPEG, PNG)
    )


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(folder_names, subfolder, max_size=5), st.dictionaries(file_names, contents))
def test_offered_folders_are_exactly_the_visible_ones_holding_photos(tree, top_files):
    with tempfile.TemporaryDirectory() as made:
        top = Path(made)
        for name, data in top_files.items():
            (top / name).write_bytes(data)
        for folder, (files, deeper) in tree.items():
            (top / folder).mkdir()
            for name, data in files.items():
                (top / folder / name).write_bytes(data)
            if deeper:
                (top / folder / "inner").mkdir()
                (top / folder / "inner" / "deep.jpg").write_bytes(JPEG)
        expected = [
            Subfolder(top / folder, _expected_count(files))
            for folder, (files, _) in sorted(tree.items(), key=lambda kv: kv[0].casefold())
            if not folder.startswith(".") and _expected_count(files)
        ]
        assert subfolders_with_photos(top) == expected
        assert has_photos(top) == bool(_expected_count(top_files))


def test_links_are_not_followed_and_a_missing_folder_offers_nothing(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.jpg").write_bytes(JPEG)
    top = tmp_path / "top"
    top.mkdir()
    (top / "linked").symlink_to(outside, target_is_directory=True)
    (top / "photo link.jpg").symlink_to(outside / "a.jpg")
    assert subfolders_with_photos(top) == []
    assert not has_photos(top)
    assert subfolders_with_photos(tmp_path / "gone") == []
    assert not has_photos(tmp_path / "gone")

"""Files the system leaves in every folder (Thumbs.db, desktop.ini, .DS_Store, ._name) are
not listed, not counted and not called "not supported"; every other file still is."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from photoscreen.core.session import Session
from photoscreen.core.session.photo_list import is_system_file, list_folder
from tests.helpers.session_fixtures import write_photo

SYSTEM = ["Thumbs.db", "desktop.ini", "ehthumbs.db", ".DS_Store", "._IMG_0001.jpg"]


def _any_case(name: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(name), max_size=len(name)).map(
        lambda upper: "".join(
            c.upper() if u else c.lower() for c, u in zip(name, upper, strict=True)
        )
    )


system_names = st.sampled_from(SYSTEM).flatmap(_any_case)
other_names = st.from_regex(r"[A-Za-z0-9_ -]{1,12}\.(jpg|png|txt|mov|db|ini)", fullmatch=True)


@settings(max_examples=40, deadline=None)
@given(st.sets(system_names, max_size=4), st.sets(other_names, max_size=5))
def test_only_the_systems_files_are_left_out(system, others):
    others = {n for n in others if not is_system_file(n)}
    with tempfile.TemporaryDirectory() as folder:
        for name in system | others:
            (Path(folder) / name).write_bytes(b"x")
        listed = {p.name for p in list_folder(Path(folder))}
    # (A case-insensitive file system keeps one of two names differing only in case.)
    assert {n.casefold() for n in listed} == {n.casefold() for n in others}
    assert not any(is_system_file(n) for n in listed)


def test_a_folder_with_thumbs_db_counts_only_its_photos(tmp_path: Path) -> None:
    write_photo(tmp_path / "IMG_0001.jpg", 1)
    for name in ("Thumbs.db", "desktop.ini", ".DS_Store", "._IMG_0001.jpg"):
        (tmp_path / name).write_bytes(b"\x00junk")
    (tmp_path / "notes.txt").write_text("a note someone left")
    with Session.open(tmp_path, "Alice") as session:
        names = [entry.name for entry in session.photos()]
    assert names == ["IMG_0001.jpg", "notes.txt"]  # a file a person put there still shows

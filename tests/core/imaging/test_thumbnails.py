"""Thumbnails: right size and way up, cached only in the session directory, written atomically."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import piexif
import pytest
from PIL import Image

from photoscreen.core.imaging.loading import UnreadablePhoto
from photoscreen.core.imaging.thumbnails import (
    THUMBNAIL_LONG_SIDE,
    ThumbnailStore,
    make_thumbnail,
    quick_thumbnail,
)

HASH = "ab" * 32


def _marked_photo(width: int = 1200, height: int = 800) -> np.ndarray:
    """Grey picture with a red block in the top-left quarter: shows which way is up."""
    pixels = np.full((height, width, 3), 128, dtype=np.uint8)
    pixels[: height // 2, : width // 2] = (220, 30, 30)
    return pixels


def _write_jpeg(path: Path, pixels: np.ndarray, orientation: int | None = None) -> Path:
    image = Image.fromarray(pixels)
    if orientation is None:
        image.save(path, "JPEG", quality=90)
    else:
        exif = piexif.dump({"0th": {piexif.ImageIFD.Orientation: orientation}})
        image.save(path, "JPEG", quality=90, exif=exif)
    return path


def _is_red(pixel: np.ndarray) -> bool:
    return bool(pixel[0] > 180 and pixel[1] < 90 and pixel[2] < 90)


def test_make_thumbnail_keeps_aspect_and_long_side() -> None:
    thumb = make_thumbnail(_marked_photo(1200, 800), long_side=300)
    assert thumb.shape == (200, 300, 3)
    assert thumb.dtype == np.uint8
    assert _is_red(thumb[10, 10]) and not _is_red(thumb[190, 290])


def test_make_thumbnail_never_enlarges() -> None:
    small = _marked_photo(100, 60)
    thumb = make_thumbnail(small, long_side=256)
    assert thumb.shape == small.shape
    thumb[0, 0] = 0
    assert small[0, 0, 0] == 220, "the thumbnail must be a copy, not a view"


def test_quick_thumbnail_is_upright_for_rotated_exif(tmp_path: Path) -> None:
    # Stored sideways (portrait scene saved landscape) with orientation 6: viewers turn it
    # 90 degrees clockwise, so the upright picture is portrait with the red block top-right.
    stored = _marked_photo(1600, 1200)
    path = _write_jpeg(tmp_path / "rotated.jpg", stored, orientation=6)
    thumb = quick_thumbnail(path)
    assert max(thumb.shape[:2]) == THUMBNAIL_LONG_SIDE
    height, width = thumb.shape[:2]
    assert height > width, "orientation 6 must turn the landscape file into a portrait"
    assert _is_red(thumb[5, width - 5])
    assert not _is_red(thumb[5, 5])


def test_quick_thumbnail_of_a_broken_file_says_why(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("shopping list: milk, bread")
    with pytest.raises(UnreadablePhoto) as caught:
        quick_thumbnail(path)
    assert "not an image" in caught.value.reason


def test_store_round_trip_in_session_thumbs_dir(tmp_path: Path) -> None:
    session_dir = tmp_path / ".photoscreen"
    store = ThumbnailStore(session_dir)
    assert store.load(HASH) is None
    thumb = make_thumbnail(_marked_photo(), long_side=256)
    written = store.save(HASH, thumb)
    assert written == session_dir / "thumbs" / f"{HASH}.jpg"
    loaded = store.load(HASH)
    assert loaded is not None and loaded.shape == thumb.shape
    # JPEG is lossy, but the picture must be the same one.
    assert np.abs(loaded.astype(int) - thumb.astype(int)).mean() < 4
    assert store.has(HASH)


def test_store_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = ThumbnailStore(tmp_path / ".photoscreen")
    for index in range(3):
        store.save(f"{index:02x}" * 32, make_thumbnail(_marked_photo(), 64))
    names = sorted(p.name for p in store.directory.iterdir())
    assert names == [f"{index:02x}" * 32 + ".jpg" for index in range(3)]


def test_store_overwrite_replaces_whole_file(tmp_path: Path) -> None:
    store = ThumbnailStore(tmp_path / ".photoscreen")
    first = store.save(HASH, np.zeros((64, 64, 3), dtype=np.uint8))
    inode_before = os.stat(first).st_ino
    store.save(HASH, np.full((64, 64, 3), 255, dtype=np.uint8))
    # A rename puts a new file in place; readers never see a half-written one.
    assert os.stat(first).st_ino != inode_before
    loaded = store.load(HASH)
    assert loaded is not None and loaded.min() > 240


def test_store_treats_a_damaged_file_as_missing(tmp_path: Path) -> None:
    store = ThumbnailStore(tmp_path / ".photoscreen")
    path = store.save(HASH, np.zeros((32, 32, 3), dtype=np.uint8))
    path.write_bytes(path.read_bytes()[:40])
    assert store.load(HASH) is None


@pytest.mark.parametrize("bad", ["../../escape", "ABC", "", "a" * 8 + "/x"])
def test_store_refuses_names_that_are_not_hashes(tmp_path: Path, bad: str) -> None:
    store = ThumbnailStore(tmp_path / ".photoscreen")
    with pytest.raises(ValueError):
        store.save(bad, np.zeros((8, 8, 3), dtype=np.uint8))
    assert not (tmp_path / "escape.jpg").exists()


def test_thumbnail_bytes_are_a_plain_jpeg_without_metadata(tmp_path: Path) -> None:
    store = ThumbnailStore(tmp_path / ".photoscreen")
    path = store.save(HASH, make_thumbnail(_marked_photo(), 128))
    with Image.open(io.BytesIO(path.read_bytes())) as image:
        assert image.format == "JPEG"
        assert not image.getexif()

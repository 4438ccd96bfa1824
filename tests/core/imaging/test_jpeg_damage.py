"""Loading staff's JPEGs: picture data that is damaged or cut short is refused with a plain
reason even when the end marker is intact; libjpeg's harmless warnings, common in camera
files, are not (DESIGN.md invariant 7).

Pillow and OpenCV ignore libjpeg's "corrupt data" warnings and fill what is missing with
grey, so these files used to load (and export) without a word.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

from photoscreen.core.formats.jpeg_segments import walk_jpeg
from photoscreen.core.imaging.jpeg_fast import DAMAGED, decode_plain_jpeg
from photoscreen.core.imaging.loading import UnreadablePhoto, decode_photo
from photoscreen.core.render.safe_export import ExportFailed, ExportOptions, export_photo
from tests.helpers.photos import sample_pixels

WIDTH, HEIGHT = 643, 481  # not multiples of 8 or 16


def camera_like(**options: object) -> bytes:
    """A JPEG with some texture, so its picture data is long enough to cut into."""
    rng = np.random.default_rng(3)
    pixels = sample_pixels(WIDTH, HEIGHT).astype(np.int16) + rng.integers(
        -25, 25, (HEIGHT, WIDTH, 3)
    )
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if options.pop("grey", False):
        image = image.convert("L")
    if options.pop("cmyk", False):
        image = image.convert("CMYK")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, **options)
    return out.getvalue()


def scan_data(data: bytes) -> tuple[int, int]:
    """Where the first scan's entropy-coded data starts and ends."""
    layout = walk_jpeg(data)
    scan = layout.find(0xDA)[0]
    start = scan.offset + 4 + len(scan.payload)
    following = [s.offset for s in layout.segments if s.offset > start]
    return start, min(following)


def cut_middle(data: bytes) -> bytes:
    """A third of the first scan's data cut out of its middle; every marker kept."""
    start, end = scan_data(data)
    third = (end - start) // 3
    return data[: start + third] + data[start + 2 * third :]


def stray_bytes_before_eoi(data: bytes) -> bytes:
    """Padding after the last block, as some cameras write it."""
    assert data.endswith(b"\xff\xd9")
    return data[:-2] + b"\x00\x00\x00\x00\x00" + data[-2:]


def unknown_jfif_version(data: bytes) -> bytes:
    damaged = bytearray(data)
    damaged[damaged.index(b"JFIF\x00") + 5] = 9  # version 9.01
    return bytes(damaged)


def stray_bytes_before_a_restart_marker(data: bytes) -> bytes:
    start, _end = scan_data(data)
    rst = data.index(b"\xff\xd3", start)
    return data[:rst] + b"\x12\x34\x56" + data[rst:]


KINDS: dict[str, dict[str, object]] = {
    "baseline": {},
    "progressive": {"progressive": True},
    "restart markers": {"restart_marker_rows": 1},
    "grey": {"grey": True},
    "cmyk": {"cmyk": True},
}


def reason_for(data: bytes, min_long_side: int | None = None) -> str | None:
    try:
        decode_photo(data, min_long_side=min_long_side)
    except UnreadablePhoto as error:
        return error.reason
    return None


@pytest.mark.parametrize("min_long_side", [None, 100])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_picture_data_cut_from_the_middle_is_refused(kind: str, min_long_side: int | None) -> None:
    whole = camera_like(**KINDS[kind])
    assert reason_for(whole, min_long_side) is None
    damaged = cut_middle(whole)
    assert damaged.endswith(b"\xff\xd9")  # the end marker is intact
    assert reason_for(damaged, min_long_side) == DAMAGED
    assert DAMAGED == "the file is damaged: the picture data is damaged or cut short"


def test_stray_bytes_before_a_restart_marker_are_damage() -> None:
    # Each restart interval holds exactly its blocks: leftovers mean lost or scrambled
    # data (a cut in such a file shows up just so).
    data = stray_bytes_before_a_restart_marker(camera_like(restart_marker_rows=1))
    assert reason_for(data) == DAMAGED


HARMLESS: dict[str, Callable[[bytes], bytes]] = {
    "stray bytes before EOI": stray_bytes_before_eoi,
    "unknown JFIF version": unknown_jfif_version,
}


@pytest.mark.parametrize("min_long_side", [None, 100])
@pytest.mark.parametrize("warning", sorted(HARMLESS))
def test_harmless_decoder_warnings_are_accepted(warning: str, min_long_side: int | None) -> None:
    whole = camera_like()
    expected = decode_photo(whole, min_long_side=min_long_side).pixels
    photo = decode_photo(HARMLESS[warning](whole), min_long_side=min_long_side)
    assert np.array_equal(photo.pixels, expected)


def test_the_fast_path_itself_refuses_damage() -> None:
    """loading.py relies on decode_plain_jpeg raising UnreadablePhoto, not on declining
    (which would hand the file to Pillow, which decodes it without a word)."""
    damaged = cut_middle(camera_like())
    with Image.open(io.BytesIO(damaged)) as opened:
        assert isinstance(opened, ImageFile.ImageFile)
        opened.load()  # Pillow: no complaint
        with pytest.raises(UnreadablePhoto) as caught:
            decode_plain_jpeg(damaged, opened, None)
    assert caught.value.reason == DAMAGED


def test_exporting_a_damaged_photo_fails_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(ExportFailed) as caught:
        export_photo(cut_middle(camera_like()), [], tmp_path / "out.jpg", ExportOptions())
    assert caught.value.reason == DAMAGED
    assert list(tmp_path.iterdir()) == []

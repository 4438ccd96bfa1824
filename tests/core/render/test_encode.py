"""Fresh JPEGs from pixels, the independent verifier, the segment walker, atomic writes."""

from __future__ import annotations

import contextlib
import io
import os
import re
import struct
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from photoscreen.core.formats.jpeg_segments import (
    JpegStructureError,
    count_restart_markers,
    find_scan_end,
    frame_size,
    walk_jpeg,
)
from photoscreen.core.render.encode import (
    encode_clean_jpeg,
    is_partial_name,
    resize_to_long_side,
    verify_clean_jpeg,
    write_new_file,
)
from tests.helpers.photos import display_p3_profile, insert_jpeg_segment, make_jpeg, sample_pixels
from tests.helpers.photos_metadata import exif_bytes, iptc_records, photoshop_app13, xmp_packet

BARE_SEGMENTS = {"SOI", "APP0", "DQT", "SOF0", "DHT", "SOS", "EOI"}


# --- resizing -------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(width=st.integers(1, 300), height=st.integers(1, 300), long_side=st.integers(1, 320))
def test_resize_hits_the_long_side_and_never_enlarges(
    width: int, height: int, long_side: int
) -> None:
    pixels = np.zeros((height, width, 3), np.uint8)
    resized = resize_to_long_side(pixels, long_side)
    assert max(resized.shape[:2]) == min(long_side, max(width, height))
    factor = min(1.0, long_side / max(width, height))
    # The aspect ratio is kept, to the nearest pixel.
    assert abs(resized.shape[0] - height * factor) <= 1
    assert abs(resized.shape[1] - width * factor) <= 1
    assert resized.dtype == np.uint8


def test_resize_averages_instead_of_skipping_pixels() -> None:
    # One-pixel stripes: nearest-neighbour sampling would keep only one stripe colour,
    # area averaging gives the mid grey.
    stripes = np.zeros((100, 200, 3), np.uint8)
    stripes[:, ::2] = 255
    resized = resize_to_long_side(stripes, 50)
    assert resized.shape == (25, 50, 3)
    assert np.abs(resized.astype(int) - 127).max() <= 2


@pytest.mark.parametrize("long_side", [70, 120, 150])
def test_resize_by_an_uneven_ratio_aliases_no_more_than_area_averaging(long_side: int) -> None:
    import cv2

    # One-pixel stripes are the worst case for moire: every filter leaves some beat
    # pattern at uneven ratios; ours must leave no more than area averaging does.
    stripes = np.zeros((100, 200, 3), np.uint8)
    stripes[:, ::2] = 255
    resized = resize_to_long_side(stripes, long_side)
    area = cv2.resize(stripes, resized.shape[1::-1], interpolation=cv2.INTER_AREA)
    ours = np.abs(resized.astype(int) - 127).mean()
    theirs = np.abs(area.astype(int) - 127).mean()
    assert ours <= theirs + 1.0


def test_resize_matches_area_averaging_on_a_photo() -> None:
    import cv2
    from skimage.data import astronaut

    photo = astronaut()
    for long_side in (400, 263, 130):
        resized = resize_to_long_side(photo, long_side).astype(float)
        area = cv2.resize(photo, resized.shape[1::-1], interpolation=cv2.INTER_AREA)
        mse = np.mean((resized - area) ** 2)
        assert 10 * np.log10(255**2 / mse) > 38, long_side


def test_small_photo_is_returned_as_it_is() -> None:
    pixels = sample_pixels()
    assert resize_to_long_side(pixels, 2048) is pixels


# --- encoding and verification -----------------------------------------------------------


def test_encoded_jpeg_is_bare_and_faithful() -> None:
    pixels = sample_pixels()
    data = encode_clean_jpeg(pixels, quality=90)
    layout = walk_jpeg(data)
    assert {s.name for s in layout.segments} <= BARE_SEGMENTS
    assert layout.trailing == b""
    assert verify_clean_jpeg(data, (96, 64)) == []
    decoded = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert np.abs(decoded.astype(int) - pixels).mean() < 3


def test_quality_changes_the_file() -> None:
    pixels = sample_pixels(160, 120, seed=3)
    assert len(encode_clean_jpeg(pixels, 40)) < len(encode_clean_jpeg(pixels, 95))


@pytest.mark.parametrize(
    "pixels",
    [np.zeros((8, 8), np.uint8), np.zeros((8, 8, 4), np.uint8), np.zeros((8, 8, 3), np.uint16)],
)
def test_encoder_refuses_anything_but_rgb_bytes(pixels: np.ndarray) -> None:
    with pytest.raises(ValueError):
        encode_clean_jpeg(pixels)


def clean() -> bytes:
    return encode_clean_jpeg(sample_pixels())


def jfif_with_thumbnail(data: bytes) -> bytes:
    """The JFIF header rewritten to carry a 2 x 2 RGB thumbnail."""
    length = int.from_bytes(data[4:6], "big")
    payload = data[6 : 4 + length][:12] + b"\x02\x02" + bytes(12)
    return data[:4] + struct.pack(">H", len(payload) + 2) + payload + data[4 + length :]


def segment(marker: int, payload: bytes) -> Callable[[bytes], bytes]:
    return lambda data: insert_jpeg_segment(data, marker, payload)


IPTC = photoshop_app13(iptc_records(byline="X", caption="Y", keywords=()))
DIRTY: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "EXIF": (segment(0xE1, exif_bytes(gps=True)), "APP1"),
    "XMP": (segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp_packet()), "APP1"),
    "ICC": (segment(0xE2, b"ICC_PROFILE\x00\x01\x01" + display_p3_profile()), "APP2"),
    "IPTC": (segment(0xED, IPTC), "APP13"),
    "comment": (segment(0xFE, b"hello"), "COM"),
    "JFXX thumbnail": (segment(0xE0, b"JFXX\x00\x13" + bytes(8)), "APP0"),
    "JFIF thumbnail": (jfif_with_thumbnail, "JFIF"),
    "Adobe": (segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01"), "APP14"),
    "trailing bytes": (lambda d: d + b"secret", "after the end-of-image"),
    "appended image": (lambda d: d + clean(), "after the end-of-image"),
    "truncated": (lambda d: d[:-2], "ends before"),
}


@pytest.mark.parametrize("kind", sorted(DIRTY))
def test_verifier_rejects_each_kind_of_extra_data(kind: str) -> None:
    make_dirty, expected = DIRTY[kind]
    problems = verify_clean_jpeg(make_dirty(clean()), (96, 64))
    assert problems, kind
    assert any(expected in p for p in problems), problems


def test_verifier_rejects_a_container_copied_from_the_original() -> None:
    # What a naive "save" does: pass the original's EXIF and ICC along.
    pixels = sample_pixels()
    copied = make_jpeg(pixels, exif=exif_bytes(gps=True, serial=True), icc=display_p3_profile())
    problems = verify_clean_jpeg(copied, (96, 64))
    assert any("APP1" in p for p in problems) and any("APP2" in p for p in problems)


def test_verifier_checks_the_size() -> None:
    assert verify_clean_jpeg(clean(), (64, 96)) == ["frame is 96 x 64, expected 64 x 96"]


def test_verifier_accepts_progressive_and_restart_markers() -> None:
    image = Image.fromarray(sample_pixels())
    for options in ({"progressive": True}, {"restart_marker_blocks": 2}):
        out = io.BytesIO()
        image.save(out, format="JPEG", **options)
        data = out.getvalue()
        assert verify_clean_jpeg(data, (96, 64)) == [], options
    assert any(s.restart_markers for s in walk_jpeg(data, count_restarts=True).segments)


def test_verifier_catches_damage_the_segment_walk_cannot_see() -> None:
    data = bytearray(clean())
    sos = walk_jpeg(bytes(data)).find(0xDA)[0]
    # Zero the Huffman tables' code counts: the segments are intact, the scan undecodable.
    dht = walk_jpeg(bytes(data)).find(0xC4)[0]
    data[dht.offset + 5 : dht.offset + 21] = bytes(16)
    problems = verify_clean_jpeg(bytes(data), (96, 64))
    assert problems and sos.offset > dht.offset
    assert any("does not decode" in p for p in problems), problems


def _scan_data_start(data: bytes) -> int:
    scan = walk_jpeg(data).find(0xDA)[0]
    return scan.offset + 4 + len(scan.payload)


def noisy_clean() -> bytes:
    """A 640 x 480 export of noise: plenty of picture data to damage."""
    rng = np.random.default_rng(0)
    return encode_clean_jpeg(rng.integers(0, 256, (480, 640, 3), dtype=np.uint8))


@pytest.mark.parametrize("picture", ["noise", "photo-like"])
def test_verifier_catches_picture_data_cut_from_the_middle(picture: str) -> None:
    # The end marker is intact, so the segment walk is satisfied, and a tolerant decoder
    # fills the missing part with grey: the Pillow-based check passed every one of these.
    # (Not every cut of a few bytes shows: desynchronised Huffman decoding can happen to
    # end on the last byte. The byte-for-byte comparison after writing covers those.)
    data = noisy_clean() if picture == "noise" else encode_clean_jpeg(sample_pixels(640, 480))
    start = _scan_data_start(data)
    cuts = (4000, len(data) // 3) if picture == "noise" else (7, 64, 500, len(data) // 3)
    for cut in cuts:
        for position in (start + 500, (start + len(data) - cut) // 2):
            damaged = data[:position] + data[position + cut :]
            problems = verify_clean_jpeg(damaged, (640, 480))
            assert problems and problems[0].startswith("does not decode"), (cut, problems)


def test_verifier_catches_scrambled_picture_data() -> None:
    data = noisy_clean()
    start = _scan_data_start(data)
    rng = np.random.default_rng(1)
    caught = 0
    for _ in range(40):
        damaged = bytearray(data)
        for position in rng.integers(start + 10, len(data) - 10, size=3):
            if 0xFF not in damaged[position - 1 : position + 2]:
                damaged[position] = (damaged[position] + 1 + int(rng.integers(0, 200))) % 0xFF
        caught += bool(verify_clean_jpeg(bytes(damaged), (640, 480)))
    # A few changed bits can, by chance, still decode without a warning (the Pillow-based
    # check it replaced caught 0 of 40); the byte-for-byte comparison after writing
    # covers those.
    assert caught >= 36


def test_verifier_refuses_even_harmless_decoder_warnings_in_our_own_files() -> None:
    data = clean()
    padded = data[:-2] + b"\x00\x00\x00" + data[-2:]  # stray bytes before EOI
    problems = verify_clean_jpeg(padded, (96, 64))
    assert problems and "extraneous bytes" in problems[0], problems


def test_verifier_never_raises_on_garbage() -> None:
    for data in (b"", b"\xff\xd8", b"\xff\xd8\xff\xe0\x00", b"not a jpeg", clean()[:50]):
        assert verify_clean_jpeg(data, (96, 64))


# --- the segment walker -------------------------------------------------------------------


def test_walker_lists_segments_in_order_and_the_tail() -> None:
    data = insert_jpeg_segment(clean(), 0xFE, b"note") + b"TAIL"
    layout = walk_jpeg(data)
    names = [s.name for s in layout.segments]
    assert names[:3] == ["SOI", "APP0", "COM"] and names[-2:] == ["SOS", "EOI"]
    assert layout.find(0xFE)[0].payload == b"note"
    assert layout.trailing == b"TAIL"
    assert frame_size(layout.frame) == (96, 64)  # type: ignore[arg-type]


def test_walker_reports_truncation_and_malformed_segments() -> None:
    data = clean()
    assert walk_jpeg(data[: len(data) // 2]).end is None
    with pytest.raises(JpegStructureError):
        walk_jpeg(b"PNG")
    broken = data[:2] + b"\x00\x00" + data[2:]
    with pytest.raises(JpegStructureError):
        walk_jpeg(broken)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=64), st.integers(0, 600))
def test_walker_never_crashes_on_mangled_input(noise: bytes, position: int) -> None:
    data = clean()
    mangled = data[:position] + noise + data[position + len(noise) :]
    with contextlib.suppress(JpegStructureError):
        walk_jpeg(mangled)
    assert isinstance(verify_clean_jpeg(mangled, (96, 64)), list)


# --- atomic writes ----------------------------------------------------------------------


def test_write_new_file_creates_the_file_with_todays_date(tmp_path: Path) -> None:
    target = tmp_path / "out.jpg"
    start = time.time()
    write_new_file(target, b"data")
    assert target.read_bytes() == b"data"
    assert target.stat().st_mtime >= start - 2
    assert os.listdir(tmp_path) == ["out.jpg"]


def test_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "out.jpg"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        write_new_file(target, b"new")
    assert target.read_bytes() == b"precious"
    assert os.listdir(tmp_path) == ["out.jpg"]


def test_a_link_at_the_destination_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep")
    (tmp_path / "out.jpg").symlink_to(victim)
    with pytest.raises(FileExistsError):
        write_new_file(tmp_path / "out.jpg", b"new")
    assert victim.read_bytes() == b"keep"


def test_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    missing_folder = tmp_path / "gone" / "out.jpg"
    with pytest.raises(OSError):
        write_new_file(missing_folder, b"data")
    assert os.listdir(tmp_path) == []


def test_a_check_that_fails_leaves_neither_the_final_nor_the_temporary_name(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out.jpg"
    seen: list[tuple[str, bytes, bool]] = []

    def check(temporary: Path) -> None:
        seen.append((temporary.name, temporary.read_bytes(), target.exists()))
        raise ValueError("not safe")

    with pytest.raises(ValueError, match="not safe"):
        write_new_file(target, b"data", check=check)
    ((name, data, final_existed),) = seen
    assert is_partial_name(name) and data == b"data" and not final_existed
    assert os.listdir(tmp_path) == []


def test_the_check_runs_on_the_bytes_on_disk_before_the_final_name_exists(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out.jpg"
    seen: list[bool] = []
    write_new_file(target, b"data", check=lambda temporary: seen.append(target.exists()))
    assert seen == [False]
    assert os.listdir(tmp_path) == ["out.jpg"] and target.read_bytes() == b"data"


# --- the scan search against a regex reference -----------------------------------------

# The walker's former regexes, kept as the reference: a scan ends at 0xFF followed by
# anything but a stuffed 0x00 or RSTn (0xD0-0xD7); RSTn markers are counted inside it.
_REFERENCE_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")
_REFERENCE_RESTART = re.compile(rb"\xff[\xd0-\xd7]")

# Bytes weighted towards the interesting ones: 0xFF, stuffed zeros, RSTn, other markers.
_SCAN_BYTES = st.lists(
    st.one_of(
        st.sampled_from([0xFF, 0x00, 0xD0, 0xD7, 0xD8, 0xD9, 0xCF, 0xDA]),
        st.integers(0, 255),
    ),
    max_size=200,
).map(bytes)


@settings(max_examples=300, deadline=None)
@given(data=_SCAN_BYTES, pos=st.integers(0, 210), window=st.integers(1, 40))
def test_scan_search_matches_the_regex_reference(data: bytes, pos: int, window: int) -> None:
    """Same answer on any bytes (fill bytes, RSTn, truncation), whatever the window size."""
    match = _REFERENCE_SCAN_END.search(data, pos)
    assert find_scan_end(data, pos, window) == (match.start() if match else None)
    end = match.start() if match else len(data)
    expected = sum(1 for _ in _REFERENCE_RESTART.finditer(data, pos, end))
    assert count_restart_markers(data, pos, end) == expected


@pytest.mark.parametrize("options", [{}, {"restart_marker_blocks": 1}, {"progressive": True}])
def test_segment_walk_of_real_jpegs_matches_the_regex_reference(options: dict[str, object]) -> None:
    """Plain, restart-marker and progressive files, whole and truncated mid-scan."""
    out = io.BytesIO()
    Image.fromarray(sample_pixels(200, 150)).save(out, format="JPEG", **options)
    whole = out.getvalue()
    for data in (whole, whole[: len(whole) * 2 // 3]):
        layout = walk_jpeg(data, count_restarts=True)
        scans = layout.find(0xDA)
        assert scans
        for scan in scans:
            start = scan.offset + 4 + len(scan.payload)
            match = _REFERENCE_SCAN_END.search(data, start)
            end = match.start() if match else len(data)
            restarts = sum(1 for _ in _REFERENCE_RESTART.finditer(data, start, end))
            assert scan.restart_markers == restarts
        assert (layout.end is None) == (data is not whole)
    if options.get("restart_marker_blocks"):
        assert walk_jpeg(whole, count_restarts=True).find(0xDA)[0].restart_markers > 0

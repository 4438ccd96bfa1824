"""The safe-export engine: every format, orientation and metadata kind in, a clean upright
sRGB JPEG with faces redacted out, verified on disk, never overwriting anything."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from photoscreen.commands import verify
from photoscreen.core.basics.geometry import Box
from photoscreen.core.formats.jpeg_segments import walk_jpeg
from photoscreen.core.metadata.inspection import inspect_metadata
from photoscreen.core.render import encode, safe_export
from photoscreen.core.render.encode import is_partial_name, remove_partial_files, verify_clean_jpeg
from photoscreen.core.render.redact import RedactionStyle, head_region, redact_faces
from photoscreen.core.render.safe_export import (
    ExportFailed,
    ExportOptions,
    export_photo,
    render_export,
)
from tests.helpers.photos import (
    ORIENTATIONS,
    display_p3_profile,
    insert_jpeg_segment,
    loaded_photo,
    make_heic,
    make_jpeg,
    make_png,
    sample_pixels,
)
from tests.helpers.photos_metadata import exif_bytes, p3_to_srgb

FORMATS = ("jpeg", "png", "webp", "heif", "tiff", "gif")
KEEP_SIZE = ExportOptions(long_side=4096)


def decode(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


def mean_difference(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape, f"shape {a.shape} != {b.shape}"
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def cases() -> list[tuple[str, int]]:
    return [(fmt, o) for fmt in FORMATS for o in (ORIENTATIONS if fmt != "gif" else (1,))]


@pytest.mark.parametrize(("fmt", "orientation"), cases())
def test_export_is_clean_upright_and_verified(fmt: str, orientation: int, tmp_path: Path) -> None:
    upright = sample_pixels()
    source = loaded_photo(fmt, upright, orientation)
    assert inspect_metadata(source)  # the input really carries identifying data
    written = export_photo(source, [], tmp_path / "out.jpg", KEEP_SIZE)
    data = written.read_bytes()
    assert verify_clean_jpeg(data, (96, 64)) == []
    assert inspect_metadata(data) == []
    assert mean_difference(decode(data), upright) < 5.0
    # The verify command agrees with the engine.
    out = io.StringIO()
    assert verify.run([written], out) == 0, out.getvalue()
    assert out.getvalue().strip().endswith(": clean")


@pytest.mark.parametrize("builder", [make_jpeg, make_png, make_heic])
def test_display_p3_export_is_srgb(builder: object) -> None:
    colour = (200, 60, 40)
    flat = np.full((32, 48, 3), colour, np.uint8)
    data = builder(flat, icc=display_p3_profile())  # type: ignore[operator]
    exported = render_export(data, [], KEEP_SIZE)
    centre = decode(exported)[8:24, 12:36].reshape(-1, 3).mean(axis=0)
    assert np.abs(centre - p3_to_srgb(colour)).max() <= 4
    assert not any(s.name == "APP2" for s in walk_jpeg(exported).segments)  # no ICC kept


def test_export_is_resized_to_the_long_side() -> None:
    upright = sample_pixels(400, 300)
    stored = np.ascontiguousarray(np.rot90(upright))  # EXIF 6: stored portrait
    data = make_jpeg(stored, exif=exif_bytes(orientation=6))
    exported = render_export(data, [], ExportOptions(long_side=200, quality=85))
    assert decode(exported).shape == (150, 200, 3)
    assert verify_clean_jpeg(exported, (200, 150)) == []


@pytest.mark.parametrize("style", list(RedactionStyle))
def test_faces_are_redacted_at_full_resolution_and_nothing_else_changes(
    style: RedactionStyle,
) -> None:
    rng = np.random.default_rng(5)
    upright = sample_pixels(320, 240)
    face = Box(180, 90, 48, 56)
    upright[90:146, 180:228] = rng.integers(0, 255, (56, 48, 3))  # a detailed "face"
    stored = np.ascontiguousarray(np.rot90(upright, -1))  # EXIF 8
    data = make_jpeg(stored, exif=exif_bytes(orientation=8), quality=98)
    options = ExportOptions(long_side=4096, style=style)
    plain = decode(render_export(data, [], options))
    redacted = decode(render_export(data, [face], options))
    head = head_region(face, 320, 240)
    x0, y0 = int(head.x), int(head.y)
    x1, y1 = int(np.ceil(head.right)), int(np.ceil(head.bottom))
    inside = (slice(90, 146), slice(180, 228))
    assert mean_difference(redacted[inside], plain[inside]) > 20
    # Outside the head region (plus the JPEG blocks it touches) the pixels are identical.
    outside = np.ones((240, 320), bool)
    outside[max(0, y0 - 16) : y1 + 16, max(0, x0 - 16) : x1 + 16] = False
    assert np.array_equal(redacted[outside], plain[outside])


@pytest.mark.parametrize("style", list(RedactionStyle))
def test_faces_are_redacted_when_resizing_by_an_uneven_ratio(style: RedactionStyle) -> None:
    # 400 -> 210 px (1.9x) takes the pre-filtered path, where faces are redacted head by
    # head inside the filtered copy. Two overlapping faces and one cut by the edge.
    rng = np.random.default_rng(9)
    upright = sample_pixels(400, 300)
    faces = [Box(100, 100, 60, 70), Box(140, 120, 60, 70), Box(370, 200, 50, 60)]
    for face in faces:
        x, y, w, h = (int(v) for v in (face.x, face.y, face.w, face.h))
        upright[y : y + h, x : min(x + w, 400)] = rng.integers(0, 255, (h, min(w, 400 - x), 3))
    data = make_png(upright)
    options = ExportOptions(long_side=210, style=style)
    plain = decode(render_export(data, [], options)).astype(np.float64)
    redacted = decode(render_export(data, faces, options)).astype(np.float64)
    scale = 210 / 400
    for face in faces:
        inner = face.scaled(scale).clipped(210, 158)
        ys = slice(int(inner.y) + 1, int(inner.bottom) - 1)
        xs = slice(int(inner.x) + 1, int(inner.right) - 1)
        original, covered = plain[ys, xs].ravel(), redacted[ys, xs].ravel()
        correlation = np.corrcoef(original, covered)[0, 1] if covered.std() > 0 else 0.0
        assert abs(correlation) < 0.3, (face, correlation)
    # Outside the heads (plus 2 px of resampling, rounded out to the 16 x 16 blocks JPEG
    # codes together, plus 2 px where the decoder smooths colour across blocks) the
    # export is bit for bit the same as without faces.
    outside = np.ones(plain.shape[:2], bool)
    for face in faces:
        head = head_region(face, 400, 300).scaled(scale)
        y0, x0 = (max(0, int(v - 2) // 16 * 16 - 2) for v in (head.y, head.x))
        y1, x1 = (int(np.ceil((v + 2) / 16)) * 16 + 2 for v in (head.bottom, head.right))
        outside[y0:y1, x0:x1] = False
    assert outside.mean() > 0.4
    assert np.array_equal(redacted[outside], plain[outside])


@pytest.mark.parametrize("shift", [0.0, 0.3, 0.5, 0.7])
def test_redacting_head_by_head_covers_exactly_what_whole_photo_redaction_covers(
    shift: float,
) -> None:
    # FILL and STICKER are deterministic, so the two ways must agree pixel for pixel,
    # including overlapping heads, a head cut by the edge and fractional boxes.
    pixels = sample_pixels(300, 200)
    faces = [
        Box(50 + shift, 60, 40, 50),
        Box(75, 70 + shift, 45, 40),
        Box(270 + shift, 150, 50, 60),
        Box(-10, -5 + shift, 30, 30),
    ]
    for style in (RedactionStyle.FILL, RedactionStyle.STICKER):
        whole = redact_faces(pixels, faces, style)
        by_head = pixels.copy()
        safe_export._redact_in_place(by_head, faces, style)
        assert np.array_equal(by_head, whole), style


def test_face_boxes_are_in_upright_full_size_coordinates() -> None:
    # A 4:3 photo exported at half size: the box must land on the same content.
    upright = np.full((240, 320, 3), 128, np.uint8)
    face = Box(40, 40, 40, 40)
    data = make_png(upright)
    exported = decode(render_export(data, [face], ExportOptions(long_side=160)))
    assert exported.shape == (120, 160, 3)
    half = head_region(face.scaled(0.5), 160, 120)
    assert (
        np.abs(exported[int(half.y) + 2 : int(half.bottom) - 2, 120:].astype(int) - 128).max() < 4
    )


def test_existing_destination_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "out.jpg"
    target.write_bytes(b"someone else's file")
    with pytest.raises(ExportFailed) as caught:
        export_photo(make_png(sample_pixels()), [], target, ExportOptions())
    assert "already exists" in caught.value.reason
    assert target.read_bytes() == b"someone else's file"
    assert os.listdir(tmp_path) == ["out.jpg"]


def test_a_file_that_fails_verification_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A writer regression: the encoder starts copying a comment into the file. The real
    # verifier must catch it and the file must not stay under its final name.
    real_encode = safe_export.encode_clean_jpeg

    def leaky_encode(pixels: np.ndarray, quality: int = 90) -> bytes:
        return insert_jpeg_segment(real_encode(pixels, quality), 0xFE, b"Taken by Eve")

    monkeypatch.setattr(safe_export, "encode_clean_jpeg", leaky_encode)
    target = tmp_path / "out.jpg"
    with pytest.raises(ExportFailed) as caught:
        export_photo(make_png(sample_pixels()), [], target, ExportOptions())
    assert "COM" in caught.value.reason
    assert os.listdir(tmp_path) == []
    with pytest.raises(ExportFailed):
        render_export(make_png(sample_pixels()), [], ExportOptions())


class PublishSpy:
    """Stands in for the one step that gives a file its final name, and records, for each
    name, what the file about to get it holds and whether it was checked from disk."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.published: dict[str, bytes] = {}
        self.checked_from_disk: list[str] = []
        real_publish, real_check = encode._publish, safe_export._check_written

        def publish(temporary: Path, final: Path) -> None:
            assert not final.exists()
            self.published[final.name] = temporary.read_bytes()
            real_publish(temporary, final)

        def check(path: Path, expected: bytes, size: tuple[int, int]) -> list[str]:
            assert is_partial_name(path.name)  # only ever a temporary file
            self.checked_from_disk.append(path.name)
            return real_check(path, expected, size)

        monkeypatch.setattr(encode, "_publish", publish)
        monkeypatch.setattr(safe_export, "_check_written", check)


def test_a_file_gets_its_final_name_only_once_verified_from_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = PublishSpy(monkeypatch)
    export_photo(make_png(sample_pixels()), [], tmp_path / "out.jpg", KEEP_SIZE)
    assert len(spy.checked_from_disk) == 1
    assert list(spy.published) == ["out.jpg"]
    assert verify_clean_jpeg(spy.published["out.jpg"], (96, 64)) == []
    assert os.listdir(tmp_path) == ["out.jpg"]  # the temporary file is gone


def test_bytes_that_fail_verification_in_memory_are_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = PublishSpy(monkeypatch)
    real_encode = safe_export.encode_clean_jpeg
    written: list[bytes] = []
    monkeypatch.setattr(
        safe_export,
        "encode_clean_jpeg",
        lambda pixels, quality=90: insert_jpeg_segment(real_encode(pixels, quality), 0xFE, b"Eve"),
    )
    monkeypatch.setattr(encode, "write_and_sync", lambda handle, data: written.append(data))
    with pytest.raises(ExportFailed, match="COM"):
        export_photo(make_png(sample_pixels()), [], tmp_path / "out.jpg", KEEP_SIZE)
    assert written == [] and spy.published == {} and spy.checked_from_disk == []
    assert os.listdir(tmp_path) == []


def _scramble_scan(data: bytes) -> bytes:
    """``data`` with bytes in the middle of its picture data changed (segments intact)."""
    scan = walk_jpeg(data).find(0xDA)[0]
    start = scan.offset + 4 + len(scan.payload)
    damaged = bytearray(data)
    for position in range(start + 20, len(data) - 20, 7):
        if 0xFF not in (damaged[position - 1], damaged[position], damaged[position + 1]):
            damaged[position] ^= 0x5A
    return bytes(damaged)


@pytest.mark.parametrize(
    "on_disk",
    [
        pytest.param(lambda d: d[: len(d) // 2] + d[len(d) // 2 + 600 :], id="middle-cut"),
        pytest.param(_scramble_scan, id="scrambled"),
        pytest.param(lambda d: insert_jpeg_segment(d, 0xFE, b"Jane Smith"), id="comment"),
    ],
)
def test_a_file_that_fails_verification_on_disk_never_gets_its_final_name(
    on_disk: Callable[[bytes], bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Clean in memory, damaged on the way to the disk: caught when read back, while the
    # file still has only its temporary name, and removed.
    spy = PublishSpy(monkeypatch)
    real_write = encode.write_and_sync
    monkeypatch.setattr(
        encode, "write_and_sync", lambda handle, data: real_write(handle, on_disk(data))
    )
    pixels = sample_pixels(320, 240)
    with pytest.raises(ExportFailed, match="failed its safety check"):
        export_photo(make_png(pixels), [], tmp_path / "out.jpg", KEEP_SIZE)
    assert len(spy.checked_from_disk) == 1 and spy.published == {}
    assert os.listdir(tmp_path) == []


def test_unreadable_photo_fails_with_its_reason(tmp_path: Path) -> None:
    data = make_jpeg(sample_pixels())
    with pytest.raises(ExportFailed) as caught:
        export_photo(data[: len(data) // 2], [], tmp_path / "out.jpg", ExportOptions())
    assert caught.value.reason == "the file is truncated (the picture data ends early)"
    assert os.listdir(tmp_path) == []


def test_unwritable_destination_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(ExportFailed) as caught:
        export_photo(make_png(sample_pixels()), [], tmp_path / "no" / "out.jpg", ExportOptions())
    assert "could not write out.jpg" in caught.value.reason


@pytest.mark.parametrize(
    ("name", "ours"),
    [
        (".messy-play-001.jpg.0a1b2c3d4e5f.partial", True),
        (".photo-012.JPEG.0a1b2c3d4e5f.partial", True),
        (".holiday.jpg", False),
        (".holiday.jpg.partial", False),
        ("messy-play-001.jpg.0a1b2c3d4e5f.partial", False),  # not hidden
        (".messy-play-001.jpg.0a1b2c3d4e5.partial", False),  # token too short
        (".messy-play-001.jpg.0a1b2c3d4e5fz.partial", False),
        (".notes.txt.0a1b2c3d4e5f.partial", False),  # not a photo we write
        (".messy-play-001.jpg.0a1b2c3d4e5f.partial.bak", False),
    ],
)
def test_temporary_export_files_are_recognised_by_name_alone(name: str, ours: bool) -> None:
    assert is_partial_name(name) is ours


@pytest.mark.skipif(os.name != "posix", reason="flock is POSIX; Windows refuses to delete")
def test_clean_up_leaves_a_temporary_file_another_export_is_writing(tmp_path: Path) -> None:
    import fcntl

    busy = tmp_path / ".messy-play-001.jpg.0a1b2c3d4e5f.partial"
    stale = tmp_path / ".messy-play-002.jpg.0a1b2c3d4e5f.partial"
    busy.write_bytes(b"half")
    stale.write_bytes(b"half")
    (tmp_path / ".messy-play-003.jpg.0a1b2c3d4e5f.partial").mkdir()  # not a file: left
    target = tmp_path / "theirs.jpg"
    target.write_bytes(b"a person's photo")
    (tmp_path / ".messy-play-004.jpg.0a1b2c3d4e5f.partial").symlink_to(target)
    with busy.open("rb") as writer:
        fcntl.flock(writer.fileno(), fcntl.LOCK_EX)  # as write_new_file holds it
        assert remove_partial_files(tmp_path) == [stale.name]
    assert busy.exists() and not stale.exists()
    assert target.read_bytes() == b"a person's photo"
    assert (tmp_path / ".messy-play-004.jpg.0a1b2c3d4e5f.partial").is_symlink()
    assert remove_partial_files(tmp_path) == [busy.name]  # the writer is gone now

"""Whatever a decoding library raises, a photo "cannot be read", with its reason.

The class of bug: a library's exception escaping the loader's error mapping. A HEIC whose
declared size is smaller than its coded picture made pillow-heif raise ``RuntimeError``,
which was not among the errors mapped where the library was called: ``verify`` printed a
traceback, exited 1 ("identifying data found") and stopped checking the folder.

Two tests of the class: every library entry point the loader uses is made to fail with
each kind of exception a C library or its binding may raise, and the loader must answer
:class:`UnreadablePhoto` (or recover); and seeded mutations of valid files of every
format are loaded, inspected and verified, and nothing but that one error may come out.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import pillow_heif
import pytest
import simplejpeg
from PIL import Image, ImageFile, TiffImagePlugin
from pillow_heif import as_plugin

from photoscreen.commands.verify import run
from photoscreen.core.imaging.loading import UnreadablePhoto, decode_photo, probe_photo
from photoscreen.core.metadata.inspection import DAMAGED, Finding, inspect_metadata
from tests.helpers.parser_cases import mutations
from tests.helpers.photos import (
    display_p3_profile,
    make_gif,
    make_heic,
    make_jpeg,
    make_paged_tiff,
    make_png,
    make_tiff,
    make_webp,
    other_pixels,
    sample_pixels,
)
from tests.helpers.photos_metadata import exif_bytes

# (object, attribute): what the loader calls in a library, for one format or another.
ENTRY_POINTS: dict[str, tuple[Any, str]] = {
    "Image.open": (Image, "open"),
    "ImageFile.load": (ImageFile.ImageFile, "load"),
    "pillow-heif load": (as_plugin._LibHeifImageFile, "load"),
    "simplejpeg.decode_jpeg": (simplejpeg, "decode_jpeg"),
    "Image.getexif": (Image.Image, "getexif"),
    "Image.convert": (Image.Image, "convert"),
    "TiffImageFile.seek": (TiffImagePlugin.TiffImageFile, "seek"),
    "cv2.rotate": (cv2, "rotate"),
    "cv2.LUT": (cv2, "LUT"),
}
FAILURES: tuple[Callable[[], BaseException], ...] = (
    lambda: RuntimeError("Invalid input: Decoded image does not have the size signalled"),
    lambda: MemoryError(),
    lambda: struct.error("unpack requires a buffer of 4 bytes"),
    lambda: ZeroDivisionError("division by zero"),
    lambda: AssertionError(),
    lambda: cv2.error("OpenCV(5.0) error: (-215:Assertion failed)"),
    lambda: OverflowError("Python int too large to convert to C long"),
)


def _photos() -> dict[str, bytes]:
    """A photo of each format that goes through every step: turned (EXIF orientation 6),
    wide-gamut colour (Display P3) where the format has it, a TIFF page to seek."""
    pixels, p3 = sample_pixels(48, 32), display_p3_profile()
    turned = exif_bytes(orientation=6)
    return {
        "jpeg": make_jpeg(pixels, exif=turned, icc=p3),
        "png": make_png(pixels, exif=turned, icc=p3),
        "webp": make_webp(pixels, exif=turned, icc=p3),
        "heif": make_heic(pixels, icc=p3),
        "tiff": make_tiff(pixels, exif=turned, icc=p3),
        # A reduced-size preview before the photo: the loader seeks past it.
        "tiff+preview": make_paged_tiff([(other_pixels(16, 16), {254: (4, (1,))}), (pixels, {})]),
        "gif": make_gif(pixels),
    }


PHOTOS = _photos()


@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
def test_any_failure_of_a_library_means_cannot_be_read(
    entry_point: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For each format and failure: the loader gives UnreadablePhoto with a reason, or
    recovers and decodes; no other exception ever comes out."""
    owner, attribute = ENTRY_POINTS[entry_point]
    refused = 0
    for fmt, data in PHOTOS.items():
        for failure in FAILURES:

            def fail(*_args: object, _failure: Any = failure, **_kwargs: object) -> Any:
                raise _failure()

            with monkeypatch.context() as patch:
                patch.setattr(owner, attribute, fail)
                try:
                    decode_photo(data, min_long_side=16)
                except UnreadablePhoto as error:
                    assert error.reason, (fmt, entry_point)
                    refused += 1
    assert refused > 0, f"{entry_point} was never reached"


@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
def test_any_failure_of_a_library_while_measuring_means_cannot_be_read(
    entry_point: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header-only measure (scan's, for a photo read again from the cache) maps
    failures as the decode does: scan then decodes in full, which says why."""
    owner, attribute = ENTRY_POINTS[entry_point]
    for fmt, data in PHOTOS.items():
        for failure in FAILURES:

            def fail(*_args: object, _failure: Any = failure, **_kwargs: object) -> Any:
                raise _failure()

            with monkeypatch.context() as patch:
                patch.setattr(owner, attribute, fail)
                try:
                    probe_photo(data)
                except UnreadablePhoto as error:
                    assert error.reason, (fmt, entry_point)


def _write_heic_that_libheif_refuses(path: Path) -> None:
    """A HEIC whose declared size (ispe) is half its coded picture."""
    data = bytearray(make_heic(sample_pixels(96, 64)))
    at = data.find(b"ispe")
    data[at + 8 : at + 16] = struct.pack(">II", 48, 32)
    path.write_bytes(bytes(data))


def test_verify_says_cannot_be_read_and_checks_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case, with pillow-heif raising RuntimeError as the version found did."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("Invalid input: Decoded image does not have the size signalled")

    monkeypatch.setattr(as_plugin._LibHeifImageFile, "load", refuse)
    _write_heic_that_libheif_refuses(tmp_path / "a.heic")
    (tmp_path / "b.jpg").write_bytes(make_jpeg(sample_pixels(), exif=exif_bytes(gps=True)))
    out = io.StringIO()
    assert run([tmp_path], out) == 2
    lines = out.getvalue().splitlines()
    assert lines[1] == (
        f"{tmp_path / 'a.heic'}: cannot be read: HEIC image could not be decoded: "
        "Invalid input: Decoded image does not have the size signalled"
    )
    assert lines[2].startswith(f"{tmp_path / 'b.jpg'}: GPS location")


def test_libheif_failing_to_list_a_file_is_damage_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(pillow_heif, "open_heif", refuse)
    findings = inspect_metadata(PHOTOS["heif"])
    assert findings == [Finding(DAMAGED, "HEIC structure could not be read (MemoryError)")]


# --- mutations of real files ---------------------------------------------------------

MUTATIONS = 240
SEED = 9


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's notes on damaged files
def test_mutated_files_load_and_inspect_with_only_the_one_error() -> None:
    for case in mutations(SEED, MUTATIONS):
        try:
            decode_photo(case.data, min_long_side=64)
        except UnreadablePhoto as error:
            assert error.reason, case.label
        findings = inspect_metadata(case.data)
        assert all(isinstance(f, Finding) and f.text for f in findings), case.label


def test_verify_reads_a_folder_of_mutated_files_to_the_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = list(mutations(SEED + 1, 60))
    for index, case in enumerate(cases):
        (tmp_path / f"{index:03d}.img").write_bytes(case.data)
    out = io.StringIO()
    assert run([tmp_path], out) in (0, 1, 2)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 + len(cases)
    assert "could not be checked" not in out.getvalue()  # no fault of photoscreen's own
    assert capsys.readouterr().err == ""

"""``photoscreen verify``: one line per file, exit 0 clean / 1 identifying / 2 unreadable."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from photoscreen.app import main
from photoscreen.commands.verify import run
from photoscreen.core.render.encode import encode_clean_jpeg
from tests.helpers.photos import (
    loaded_photo,
    make_gif,
    make_jpeg,
    make_png,
    other_pixels,
    sample_pixels,
)
from tests.helpers.photos_metadata import exif_bytes, thumbnail_jpeg


def check(*paths: Path) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = run(list(paths), out)
    return status, out.getvalue().splitlines()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "clean.jpg").write_bytes(encode_clean_jpeg(sample_pixels()))
    exif = exif_bytes(gps=True, serial=True, thumbnail=thumbnail_jpeg(other_pixels()))
    (tmp_path / "gps.jpg").write_bytes(make_jpeg(sample_pixels(), exif=exif))
    data = make_png(sample_pixels())
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    (tmp_path / "notes.txt").write_text("not a photo")
    return tmp_path


def test_clean_file_exits_zero(folder: Path) -> None:
    assert check(folder / "clean.jpg") == (0, [f"{folder / 'clean.jpg'}: clean"])


def test_identifying_file_exits_one_and_names_what_it_found(folder: Path) -> None:
    status, lines = check(folder / "clean.jpg", folder / "gps.jpg")
    assert status == 1
    assert lines[1] == (
        f"{folder / 'gps.jpg'}: GPS location (53.68 N, 1.51 W), camera serial number, "
        "lens serial number, a small preview picture (embedded thumbnail)"
    )


def test_unreadable_file_exits_two_with_its_reason(folder: Path) -> None:
    status, lines = check(folder / "gps.jpg", folder / "cut.png", folder / "clean.jpg")
    assert status == 2  # 2 wins over 1
    assert lines[1] == (
        f"{folder / 'cut.png'}: cannot be read: the file is truncated (the picture data ends early)"
    )
    assert len(lines) == 3  # the other files are still checked


def test_non_image_and_missing_files(folder: Path) -> None:
    status, lines = check(folder / "notes.txt", folder / "missing.jpg")
    assert status == 2
    assert lines == [
        f"{folder / 'notes.txt'}: cannot be read: not an image (looks like a text file)",
        f"{folder / 'missing.jpg'}: cannot be read: "
        "the file does not exist (it may have been moved)",
    ]


def test_a_folder_is_searched_for_image_files(folder: Path) -> None:
    status, lines = check(folder)
    assert status == 2
    assert lines[0] == (
        f"{folder}: folder, checking 3 image file(s) in it "
        "(skipped: 1 other file(s) that are not images)"
    )
    assert [line.split(": ")[0] for line in lines[1:]] == [
        str(folder / name) for name in ("clean.jpg", "cut.png", "gps.jpg")
    ]


@pytest.mark.parametrize("fmt", ["png", "webp", "heif", "tiff", "gif"])
def test_every_format_is_checked(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / "photo"
    path.write_bytes(loaded_photo(fmt, sample_pixels()))
    status, lines = check(path)
    assert status == 1
    assert "GPS location (53.68 N, 1.51 W)" in lines[0]
    assert "Alice Example" in lines[0]


def test_wired_into_the_command_line(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(folder / "gps.jpg")]) == 1
    assert "GPS location (53.68 N, 1.51 W)" in capsys.readouterr().out


def test_a_folder_is_searched_by_content_including_hidden_files(tmp_path: Path) -> None:
    gps = make_jpeg(sample_pixels(), exif=exif_bytes(gps=True))
    (tmp_path / "IMG_0001").write_bytes(gps)  # no extension
    (tmp_path / "photo.JPG_original").write_bytes(gps)  # exiftool's untouched backup
    (tmp_path / ".hidden.jpg").write_bytes(gps)
    (tmp_path / "clean.jpg").write_bytes(encode_clean_jpeg(sample_pixels()))
    (tmp_path / "notes.txt").write_text("not a photo")
    (tmp_path / "README").write_bytes(b"")
    (tmp_path / "older").mkdir()
    (tmp_path / "older" / "IMG_0002.jpg").write_bytes(gps)
    status, lines = check(tmp_path)
    assert status == 1
    assert lines[0] == (
        f"{tmp_path}: folder, checking 4 image file(s) in it "
        "(skipped: 2 other file(s) that are not images, 1 subfolder(s), not searched)"
    )
    assert lines[1:] == [
        f"{tmp_path / name}: {result}"
        for name, result in [
            (".hidden.jpg", "GPS location (53.68 N, 1.51 W)"),
            ("clean.jpg", "clean"),
            ("IMG_0001", "GPS location (53.68 N, 1.51 W)"),
            ("photo.JPG_original", "GPS location (53.68 N, 1.51 W)"),
        ]
    ]


def test_a_file_named_as_a_photo_is_checked_even_if_it_is_not_one(tmp_path: Path) -> None:
    (tmp_path / "party.jpg").write_bytes(b"%PDF-1.4 Jane Smith")
    status, lines = check(tmp_path)
    assert status == 2
    assert lines[1] == f"{tmp_path / 'party.jpg'}: cannot be read: not an image (looks like a PDF)"


@pytest.mark.parametrize("files", [{}, {"notes.txt": b"minutes of the meeting"}])
def test_a_folder_without_image_files_is_not_passed_as_clean(
    files: dict[str, bytes], tmp_path: Path
) -> None:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    status, lines = check(tmp_path)
    assert status == 2
    assert lines[0].startswith(f"{tmp_path}: folder, no image files in it, nothing was checked")
    assert len(lines) == 1


def test_a_gif_without_its_trailer_byte_is_clean(tmp_path: Path) -> None:
    gif = make_gif(sample_pixels(300, 200))
    (tmp_path / "no_trailer.gif").write_bytes(gif[:-1])
    assert check(tmp_path / "no_trailer.gif") == (0, [f"{tmp_path / 'no_trailer.gif'}: clean"])


@pytest.mark.parametrize("cut", [2, 5, 3000])
def test_a_gif_cut_short_cannot_be_read(cut: int, tmp_path: Path) -> None:
    gif = make_gif(sample_pixels(300, 200))
    (tmp_path / "cut.gif").write_bytes(gif[:-cut])
    status, lines = check(tmp_path / "cut.gif")
    assert status == 2
    assert lines[0].startswith(f"{tmp_path / 'cut.gif'}: cannot be read: ")


def test_a_cut_gif_still_names_what_it_carries(tmp_path: Path) -> None:
    gif = make_gif(sample_pixels(300, 200), comment="Jane Smith", frames=[other_pixels(300, 200)])
    (tmp_path / "cut.gif").write_bytes(gif[:-5])  # the second frame is cut short
    status, lines = check(tmp_path / "cut.gif")
    assert status == 2
    assert lines[0] == (
        f"{tmp_path / 'cut.gif'}: cannot be read: damaged or truncated file structure: the "
        "picture can be shown, but the rest of the file cannot be checked; it also carries "
        "a comment (Jane Smith), an animation (2 frames)"
    )


def test_terminal_codes_in_metadata_are_shown_not_obeyed(tmp_path: Path) -> None:
    fake = "\x1b[2K\x1b[1Gplain.png: clean\x1b[8m"
    (tmp_path / "sneaky.png").write_bytes(make_png(sample_pixels(), text={"Comment": fake}))
    status, lines = check(tmp_path / "sneaky.png")
    assert status == 1
    assert "\x1b" not in lines[0]
    assert lines[0] == (
        f"{tmp_path / 'sneaky.png'}: a comment (\\x1b[2K\\x1b[1Gplain.png: clean\\x1b[8m)"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="names with line breaks or non-UTF-8 bytes")
def test_file_names_are_printed_safely(tmp_path: Path) -> None:
    gps = make_jpeg(sample_pixels(), exif=exif_bytes(gps=True))
    (tmp_path / "photo\u202egpj.exe").write_bytes(gps)  # reads as "photoexe.jpg"
    (tmp_path / "line\nbreak.jpg").write_bytes(gps)
    raw = bytes(tmp_path / "caf") + b"\xe9.jpg"  # not UTF-8: Latin-1 from an old camera
    with open(raw, "wb") as handle:
        handle.write(gps)
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="utf-8", errors="strict")
    assert run([tmp_path], out) == 1
    out.flush()
    lines = buffer.getvalue().decode("utf-8").splitlines()
    assert [line.split(": ")[0] for line in lines[1:]] == [
        str(tmp_path / "caf\\xe9.jpg"),
        str(tmp_path / "line\\nbreak.jpg"),
        str(tmp_path / "photo\\u202egpj.exe"),
    ]


def test_names_the_output_cannot_encode_are_escaped(tmp_path: Path) -> None:
    """A Windows console redirected to a file may use cp1252, which has no "Ł"."""
    (tmp_path / "Łucja.jpg").write_bytes(encode_clean_jpeg(sample_pixels()))
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="cp1252", errors="strict")
    assert run([tmp_path / "Łucja.jpg"], out) == 0
    out.flush()
    expected = f"{tmp_path}{os.sep}\\u0141ucja.jpg: clean"
    assert buffer.getvalue().decode("cp1252").strip() == expected


def test_pictures_photoscreen_cannot_check_are_not_skipped(tmp_path: Path) -> None:
    """A BMP (or camera raw, AVIF...) can carry metadata too: reported, not passed over;
    sidecar files and other non-pictures are skipped."""
    (tmp_path / "scan").write_bytes(b"BM" + b"\x00" * 60)
    (tmp_path / "IMG_0001.xmp").write_text('<?xml version="1.0"?><x:xmpmeta/>')
    (tmp_path / "clip.mov").write_bytes(b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ")
    status, lines = check(tmp_path)
    assert status == 2
    assert lines == [
        f"{tmp_path}: folder, checking 1 image file(s) in it "
        "(skipped: 2 other file(s) that are not images)",
        f"{tmp_path / 'scan'}: cannot be read: unsupported format: BMP",
    ]

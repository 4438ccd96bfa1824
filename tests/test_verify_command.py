"""``photoscreen verify``: one line per file, exit 0 clean / 1 identifying / 2 unreadable."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from photoscreen.app import main
from photoscreen.commands.verify import run
from photoscreen.core.encode import encode_clean_jpeg
from tests.photos import loaded_photo, make_jpeg, make_png, other_pixels, sample_pixels
from tests.photos_metadata import exif_bytes, thumbnail_jpeg


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
        f"{folder / 'gps.jpg'}: GPS position 53.68 N 1.51 W, camera serial number, "
        "lens serial number, 1 embedded thumbnail"
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
    assert lines[0] == f"{folder}: folder, checking 3 image file(s) in it"
    assert [line.split(": ")[0] for line in lines[1:]] == [
        str(folder / name) for name in ("clean.jpg", "cut.png", "gps.jpg")
    ]


@pytest.mark.parametrize("fmt", ["png", "webp", "heif", "tiff", "gif"])
def test_every_format_is_checked(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / "photo"
    path.write_bytes(loaded_photo(fmt, sample_pixels()))
    status, lines = check(path)
    assert status == 1
    assert "GPS position 53.68 N 1.51 W" in lines[0]
    assert "Alice Example" in lines[0]


def test_wired_into_the_command_line(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(folder / "gps.jpg")]) == 1
    assert "GPS position 53.68 N 1.51 W" in capsys.readouterr().out

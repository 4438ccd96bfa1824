"""The demo folder: sample photos that load upright, carry planted identifying metadata,
include the deliberately bad files, and are rebuilt (never overwritten) on demand."""

from __future__ import annotations

import io
import sys

import numpy as np
import piexif
import pytest
from PIL import Image, ImageOps, IptcImagePlugin, UnidentifiedImageError

from photoscreen.core.demo.sample_folder import (
    DEMO_PHOTOS,
    build_demo_folder,
    default_demo_dir,
    demo_file_bytes,
    ensure_demo_folder,
)

READABLE = [photo for photo in DEMO_PHOTOS if photo.kind in ("jpeg", "png")]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_demo_folder(tmp_path_factory.mktemp("demo") / "sample photos")


def upright(path) -> Image.Image:
    with Image.open(path) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def test_folder_holds_a_session_worth_of_photos_and_two_bad_files(demo):
    names = sorted(path.name for path in demo.iterdir())
    assert names == sorted(photo.name for photo in DEMO_PHOTOS)
    assert 8 <= len(READABLE) <= 12
    assert {photo.kind for photo in DEMO_PHOTOS} == {"jpeg", "png", "truncated", "video"}
    assert any(photo.activity == "swimming" for photo in DEMO_PHOTOS)


@pytest.mark.parametrize("photo", READABLE, ids=lambda photo: photo.name)
def test_every_photo_loads(demo, photo):
    image = upright(demo / photo.name)
    assert min(image.size) >= 800
    assert np.asarray(image).std() > 10  # a picture, not a blank


def test_sideways_and_upside_down_photos_need_their_orientation(demo):
    group = next(photo for photo in DEMO_PHOTOS if photo.meta.orientation == 6)
    with Image.open(demo / group.name) as stored:
        assert stored.width > stored.height  # the camera stored it sideways
    pixels = np.asarray(upright(demo / group.name)).astype(int)
    assert pixels.shape[0] > pixels.shape[1]
    sky, grass = pixels[:100].mean(axis=(0, 1)), pixels[-100:].mean(axis=(0, 1))
    assert sky[2] > sky[1] and grass[1] > grass[2]  # blue above, green below
    sand = next(photo for photo in DEMO_PHOTOS if photo.meta.orientation == 3)
    pixels = np.asarray(upright(demo / sand.name)).astype(int)
    top, bottom = pixels[:100].mean(axis=(0, 1)), pixels[-100:].mean(axis=(0, 1))
    assert top[2] > top[0] and bottom[0] > bottom[2]  # sky above, sand below


def test_bad_files_do_not_load(demo):
    truncated = next(photo for photo in DEMO_PHOTOS if photo.kind == "truncated")
    with pytest.raises(OSError), Image.open(demo / truncated.name) as image:
        image.load()
    video = next(photo for photo in DEMO_PHOTOS if photo.kind == "video")
    assert (demo / video.name).read_bytes()[4:8] == b"ftyp"
    with pytest.raises(UnidentifiedImageError):
        Image.open(demo / video.name)


def test_metadata_plants_gps_serial_date_and_names(demo):
    story = DEMO_PHOTOS[0]
    data = (demo / story.name).read_bytes()
    exif = piexif.load(data)
    assert exif["GPS"][piexif.GPSIFD.GPSLatitudeRef] == b"N"
    assert exif["GPS"][piexif.GPSIFD.GPSLongitudeRef] == b"W"
    assert exif["Exif"][piexif.ExifIFD.BodySerialNumber] == b"083021004512"
    assert exif["Exif"][piexif.ExifIFD.DateTimeOriginal].startswith(b"2024:05:14")
    with Image.open(io.BytesIO(data)) as image:
        xmp = image.info["xmp"]
        iptc = IptcImagePlugin.getiptcinfo(image)
    assert b'mwg-rs:Name="Amelia Hart"' in xmp and b"Noah Patel" in xmp
    assert iptc is not None and b"Amelia Hart" in iptc[(2, 120)]
    png = next(photo for photo in DEMO_PHOTOS if photo.kind == "png")
    with Image.open(demo / png.name) as image:
        assert b"Amelia Hart" in image.info["xmp"]
        assert piexif.GPSIFD.GPSLatitude in image.getexif().get_ifd(0x8825)


def test_metadata_inspector_reports_what_was_planted(demo):
    metadata = pytest.importorskip("photoscreen.core.metadata.inspection")
    kinds = {f.kind for f in metadata.inspect_metadata((demo / DEMO_PHOTOS[0].name).read_bytes())}
    assert {"gps", "serial", "names", "datetime"} <= kinds
    png = next(photo for photo in DEMO_PHOTOS if photo.kind == "png")
    png_kinds = {f.kind for f in metadata.inspect_metadata((demo / png.name).read_bytes())}
    assert "gps" in png_kinds


def test_building_is_deterministic(demo):
    for index in (0, 6, len(DEMO_PHOTOS) - 1):
        photo = DEMO_PHOTOS[index]
        assert demo_file_bytes(photo, index) == (demo / photo.name).read_bytes()


def test_rebuild_writes_only_missing_files(tmp_path):
    folder = build_demo_folder(tmp_path / "demo")
    kept = folder / DEMO_PHOTOS[1].name
    kept.write_bytes(b"a file the user changed")
    missing = folder / DEMO_PHOTOS[2].name
    missing.unlink()
    ensure_demo_folder(folder)
    assert kept.read_bytes() == b"a file the user changed"
    assert missing.read_bytes() == demo_file_bytes(DEMO_PHOTOS[2], 2)
    assert not list(folder.glob(".*.tmp"))


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG layout is for Linux")
def test_default_location_is_the_per_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_demo_dir() == tmp_path / "photoscreen" / "demo"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_demo_dir() == tmp_path / ".local" / "share" / "photoscreen" / "demo"

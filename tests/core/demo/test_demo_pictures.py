"""The demo's sample pictures: read from the app's own files when it ships them (the
self-contained build has no scikit-image), with the same demo files as a result."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from photoscreen.core.demo import pictures as demo_pictures
from photoscreen.core.demo.pictures import NAMES, DemoPictureMissingError, extract, picture
from photoscreen.core.demo.sample_folder import DEMO_PHOTOS, demo_file_bytes

# One demo photo per background picture (each also pastes the astronaut's face).
_BY_SCENE = {"outing": "rocket", "snack_time": "coffee", "animal_visit": "chelsea"}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pictures")


@pytest.fixture(scope="module")
def from_scikit_image(extracted) -> dict[str, bytes]:
    """The demo files as a source checkout makes them (pictures from scikit-image)."""
    assert not demo_pictures.packaged_folder().is_dir(), "a source tree ships no pictures"
    extract(extracted)
    return {
        photo.name: demo_file_bytes(photo, index)
        for index, photo in enumerate(DEMO_PHOTOS)
        if photo.scene in _BY_SCENE
    }


def test_extract_writes_every_picture_losslessly(extracted, from_scikit_image) -> None:
    from skimage import data

    assert sorted(p.stem for p in extracted.glob("*.png")) == sorted(NAMES)
    for name in NAMES:
        original = np.asarray(getattr(data, name)())
        assert np.array_equal(np.asarray(picture(name, extracted)), original)


def test_shipped_pictures_make_the_same_demo_files_without_scikit_image(
    monkeypatch, extracted, from_scikit_image
) -> None:
    monkeypatch.setattr(demo_pictures, "packaged_folder", lambda: extracted)
    monkeypatch.setitem(sys.modules, "skimage", None)  # importing it now fails
    for index, photo in enumerate(DEMO_PHOTOS):
        if photo.scene in _BY_SCENE:
            assert demo_file_bytes(photo, index) == from_scikit_image[photo.name], photo.name


def test_without_shipped_pictures_or_scikit_image_the_message_says_what_to_do(
    monkeypatch, tmp_path
) -> None:
    monkeypatch.setitem(sys.modules, "skimage", None)
    with pytest.raises(DemoPictureMissingError, match="Reinstall photoscreen"):
        picture("astronaut", tmp_path)


def test_only_the_demo_pictures_are_read(tmp_path) -> None:
    with pytest.raises(ValueError, match="not a demo picture"):
        picture("../../secret", tmp_path)

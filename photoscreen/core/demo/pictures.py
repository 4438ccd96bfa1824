"""The public-domain photos the demo scenes are composed from, and where they are read.

The demo folder (:mod:`photoscreen.core.demo.sample_folder`) pastes NASA's astronaut
portrait onto drawn bodies and uses three other of scikit-image's sample photos (coffee,
rocket, chelsea the cat) as backgrounds; all four are in the public domain. From a source
checkout they are read from the installed ``scikit-image`` package. The self-contained app
does not ship scikit-image (with scipy it would add over 100 MB for four pictures): when
it is built, :func:`extract` saves the four as lossless PNG files, which the bundle
carries in ``photoscreen/resources/demo_pictures/``. :func:`picture` reads those files
whenever they are there and only falls back to scikit-image when they are not.

PNG is lossless, so the pictures, and so the demo files built from them, are the same
byte for byte whichever way they were read.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# scikit-image's names for the pictures the scenes use (functions of ``skimage.data``).
NAMES = ("astronaut", "chelsea", "coffee", "rocket")
PACKAGED_FOLDER = "demo_pictures"
_RESOURCES = "photoscreen.resources"


class DemoPictureMissingError(RuntimeError):
    """Neither the packaged picture nor scikit-image is there to read it from."""


def packaged_folder() -> Traversable:
    """Where a bundle keeps the extracted pictures (absent in a source checkout)."""
    return resources.files(_RESOURCES).joinpath(PACKAGED_FOLDER)


def picture(name: str, packaged: Traversable | None = None) -> Image.Image:
    """The sample picture ``name`` (one of :data:`NAMES`) as an RGB image.

    Read from ``packaged`` (default :func:`packaged_folder`) when the file is there,
    otherwise from scikit-image.
    """
    if name not in NAMES:
        raise ValueError(f"not a demo picture: {name!r}")
    shipped = (packaged_folder() if packaged is None else packaged).joinpath(f"{name}.png")
    if shipped.is_file():
        with shipped.open("rb") as handle, Image.open(handle) as image:
            return image.convert("RGB")
    return _from_scikit_image(name)


def _from_scikit_image(name: str) -> Image.Image:
    try:
        from skimage import data
    except ImportError as error:
        raise DemoPictureMissingError(
            f"The sample picture '{name}' is missing: it ships with the app, or comes "
            "from the scikit-image package when photoscreen runs from its source. "
            f"Reinstall photoscreen. Details: {error}"
        ) from error
    return Image.fromarray(np.asarray(getattr(data, name)())).convert("RGB")


def extract(dest: Path) -> list[Path]:
    """Save every picture from scikit-image as ``dest/NAME.png`` (at build time)."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name in NAMES:
        target = dest / f"{name}.png"
        _from_scikit_image(name).save(target, "PNG", optimize=True)
        written.append(target)
    return written

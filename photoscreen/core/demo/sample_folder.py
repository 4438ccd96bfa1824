"""A folder of sample session photos, so a newcomer can try the whole flow in a minute.

``photoscreen --demo`` (and the welcome screen's "Try it with sample photos") open this
folder. Its photos are composed from public-domain scikit-image pictures (see
:mod:`photoscreen.core.demo.scenes`) and carry the identifying metadata real ones do: GPS
positions, camera serial numbers, capture dates, children's names in face regions and
captions (see :mod:`photoscreen.core.demo.planted_metadata`). Some are stored sideways or upside
down with an EXIF orientation, one is a PNG, one a swimming scene that policy blocks, one a
truncated JPEG and one a video, so every branch of the flow shows up.

Building is deterministic (fixed seed, fixed encoder settings): the same files, byte for
byte, on every machine, so decisions keyed to content hashes survive a rebuild. Existing
files are never overwritten; only missing ones are written, each atomically.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, PngImagePlugin

from photoscreen.core.basics import data_dir, write_atomically
from photoscreen.core.demo import scenes
from photoscreen.core.demo.planted_metadata import (
    PlantedMetadata,
    exif_bytes,
    with_segments,
    xmp_packet,
)

SEED = 20240514
JPEG_QUALITY = 88
_SESSION_PLACE = (52.95361, -1.15047)  # an invented centre's position, for the demo only
_STAFF = "Jo Bennett"
_CAMERA = {"make": "Canon", "model": "Canon EOS 250D", "serial": "083021004512"}
_PHONE = {"make": "samsung", "model": "SM-A536B", "serial": "R58T21XKQ4M"}
_STORE_ROTATION = {1: None, 3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90}


@dataclass(frozen=True)
class DemoPhoto:
    """One file of the demo folder and what a person should do with it.

    ``activity`` is the key (from the shipped activity list) staff would tag it with;
    ``faces`` how many faces were pasted in; ``kind`` is ``"jpeg"``, ``"png"``,
    ``"truncated"`` (unreadable on purpose) or ``"video"`` (unsupported on purpose).
    """

    name: str
    scene: str  # the name of a function in demo_scenes
    activity: str
    what: str
    faces: int
    kind: str = "jpeg"
    meta: PlantedMetadata = field(default_factory=PlantedMetadata)


def _meta(
    orientation: int = 1, device: dict[str, str] | None = None, **extra: object
) -> PlantedMetadata:
    device = _CAMERA if device is None else device
    fields: dict[str, object] = {
        "orientation": orientation,
        "gps": _SESSION_PLACE,
        "taken": "2024:05:14 10:32:05",
        "owner": _STAFF,
        **device,
        **extra,
    }
    return PlantedMetadata(**fields)  # type: ignore[arg-type]


DEMO_PHOTOS: tuple[DemoPhoto, ...] = (
    DemoPhoto(
        "IMG_2041.JPG",
        "story_time",
        "story_time",
        "Story time on the rug",
        4,
        meta=_meta(
            names=("Amelia Hart", "Noah Patel"),
            caption="Amelia Hart and Noah Patel at story time, Brookside Family Centre",
            keywords=("Brookside Family Centre", "story time"),
        ),
    ),
    DemoPhoto(
        "IMG_2042.JPG",
        "messy_play",
        "messy_play",
        "Messy play with paint",
        2,
        meta=_meta(taken="2024:05:14 10:48:51"),
    ),
    DemoPhoto(
        "IMG_2043.JPG",
        "outing",
        "trips_and_outings",
        "Outing to the space centre",
        3,
        meta=_meta(
            gps=(52.65383, -1.13267),
            taken="2024:05:14 13:05:12",
            caption="Isla Thompson on the trip to the space centre",
        ),
    ),
    DemoPhoto(
        "IMG_2044.JPG",
        "swimming",
        "swimming",
        "Swimming lesson (policy blocks this)",
        2,
        meta=_meta(taken="2024:05:14 14:20:40", names=("Leo Wright",)),
    ),
    DemoPhoto(
        "IMG_2045.JPG",
        "snack_time",
        "cooking",
        "Snack table, no people",
        0,
        meta=_meta(gps=None, owner="", taken="2024:05:14 11:15:00"),
    ),
    DemoPhoto(
        "20240514_113402.jpg",
        "animal_visit",
        "stay_and_play",
        "Visit from a cat",
        1,
        meta=_meta(device=_PHONE, taken="2024:05:14 11:34:02", owner=""),
    ),
    DemoPhoto(
        "IMG_2047.JPG",
        "group_photo",
        "outdoor_play",
        "Group photo in the garden (stored sideways)",
        7,
        meta=_meta(
            orientation=6,
            taken="2024:05:14 12:01:33",
            names=("Amelia Hart", "Noah Patel", "Isla Thompson"),
            caption="Brookside under-fives, summer term",
        ),
    ),
    DemoPhoto(
        "IMG_2048.JPG",
        "sand_play",
        "outdoor_play",
        "Sand play (stored upside down)",
        1,
        meta=_meta(orientation=3, taken="2024:05:14 12:15:10"),
    ),
    DemoPhoto(
        "IMG_2049.JPG",
        "music",
        "music_and_movement",
        "Music and movement, one child peeking over the piano",
        5,
        meta=_meta(taken="2024:05:14 15:02:44", keywords=("music", "Brookside")),
    ),
    DemoPhoto(
        "craft_display.png",
        "craft_display",
        "arts_and_crafts",
        "Craft display (a PNG)",
        0,
        kind="png",
        meta=_meta(caption="Paintings by Amelia Hart and friends"),
    ),
    DemoPhoto(
        "IMG_2050.JPG",
        "snack_time",
        "",
        "Truncated copy: cannot be read",
        0,
        kind="truncated",
        meta=_meta(taken="2024:05:14 15:30:00"),
    ),
    DemoPhoto("MVI_2051.MP4", "", "", "A video: not supported", 0, kind="video"),
)


def default_demo_dir() -> Path:
    """Where ``photoscreen --demo`` keeps its folder: the user's per-application data dir."""
    return data_dir() / "demo"


def ensure_demo_folder(dest: Path | None = None) -> Path:
    """The demo folder (default: :func:`default_demo_dir`), with any missing file rebuilt."""
    return build_demo_folder(default_demo_dir() if dest is None else dest)


def build_demo_folder(dest: Path) -> Path:
    """Write the demo photos into ``dest`` (created if needed); returns ``dest``.

    Files already there are left alone, so a folder being worked on keeps its decisions.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for index, photo in enumerate(DEMO_PHOTOS):
        target = dest / photo.name
        if not target.exists():
            write_atomically(target, demo_file_bytes(photo, index))
    return dest


def demo_file_bytes(photo: DemoPhoto, index: int) -> bytes:
    """The exact content of one demo file (``index`` seeds its random props)."""
    if photo.kind == "video":
        return _video_like_bytes(np.random.default_rng(SEED + index))
    maker: scenes.SceneMaker = getattr(scenes, photo.scene)
    picture = Image.fromarray(maker(np.random.default_rng(SEED + index)).pixels)
    if photo.kind == "png":
        return _png_bytes(picture, photo.meta)
    data = _jpeg_bytes(picture, photo.meta)
    if photo.kind == "truncated":
        return data[: len(data) * 2 // 5]  # cut mid-scan, like a copy that stopped early
    return data


def _jpeg_bytes(upright: Image.Image, meta: PlantedMetadata) -> bytes:
    rotation = _STORE_ROTATION[meta.orientation]
    stored = upright if rotation is None else upright.transpose(rotation)
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=JPEG_QUALITY, exif=exif_bytes(meta))
    return with_segments(buffer.getvalue(), meta, *upright.size)


def _png_bytes(picture: Image.Image, meta: PlantedMetadata) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(meta, *picture.size).decode("utf-8"))
    info.add_text("Author", meta.owner)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", pnginfo=info, exif=exif_bytes(meta))
    return buffer.getvalue()


def _video_like_bytes(rng: np.random.Generator) -> bytes:
    """The start of an MP4 file: an ``ftyp`` box naming video brands, then media data."""
    brands = b"isom" + struct.pack(">I", 0x200) + b"isomiso2avc1mp41"
    ftyp = struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands
    media = zlib.compress(rng.integers(0, 256, 24_000, dtype=np.uint8).tobytes(), 1)
    return ftyp + struct.pack(">I", 8 + len(media)) + b"mdat" + media

"""Synthetic photos with writing at known places, for the text detector's tests and benchmark.

A scene is a 12-megapixel photo (4000 x 3000 by default) made from a real public-domain
picture that scikit-image ships (``coffee``, ``chelsea``, ``brick``, ``coins``...), tiled at
2x so its texture keeps fine detail, with things people write names on pasted into it:
coat-peg labels, name stickers, UK number plates, whiteboard lines and names on children's
artwork, in several fonts (DejaVu from the ``fonts-dejavu-core`` package, and Pillow's own
font), sizes, colours, a slight rotation and a slight perspective. Each drawn line of text is
a truth box (upright pixels, ``[x, y, w, h]``) with its letter height (capital height in
pixels). Text-free scenes use the same backgrounds plus textures that fool text detectors:
wood grain, fur, brick, coins, gravel.

The names are invented first names; nothing here is anyone's real label.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont
from skimage import data

Pixels = npt.NDArray[np.uint8]

NAMES = (
    "Amelia", "Oliver", "Isla", "Noah", "Freya", "Arthur", "Maya", "Leo", "Ava", "Theo",
    "Poppy", "Harry", "Zara", "Jack", "Ruby", "Alfie", "Ellie", "Finley", "Sofia", "Oscar",
    "Grace", "Muhammad", "Evie", "George", "Lily", "Jacob", "Daisy", "Ethan", "Ivy", "Reuben",
)  # fmt: skip
WHITEBOARD = (
    "Today: messy play", "Snack: apples", "Well done", "Helpers", "Story time 2pm",
    "Birthdays", "Our garden", "Song of the week",
)  # fmt: skip
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
)
# Capital height of the fonts used, as a share of the font size.
CAP_SHARE = 0.73
TEXT_BACKGROUNDS = ("coffee", "chelsea", "brick", "grass", "coins", "wood", "gravel")
PLAIN_BACKGROUNDS = ("coffee", "chelsea", "brick", "grass", "gravel", "coins", "wood", "hubble")
KINDS = ("peg", "sticker", "plate", "whiteboard", "artwork")


@dataclass
class Scene:
    """One generated photo: upright RGB pixels, a truth box per line, letter heights."""

    pixels: Pixels
    boxes: list[list[int]] = field(default_factory=list)
    letters: list[float] = field(default_factory=list)


def fonts() -> list[str | None]:
    """Font files that exist here, and None for Pillow's own scalable font."""
    return [path for path in FONT_FILES if Path(path).exists()] + [None]


def _font(path: str | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if path is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(path, size)


def _rgb(image: npt.NDArray[np.generic]) -> Pixels:
    array = np.asarray(image)
    if array.dtype != np.uint8:
        array = (np.clip(array, 0, 1) * 255).astype(np.uint8)
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    return np.ascontiguousarray(array[..., :3])


def _wood(rng: np.random.Generator) -> Pixels:
    """Wood grain: warped rings, as a table top or a floor shows them."""
    h, w = 600, 800
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    warp = cv2.GaussianBlur(rng.normal(0, 30, (h, w)).astype(np.float32), (0, 0), 25)
    rings = np.sin((y * 0.15 + warp * 0.4 + 8 * np.sin(x / 90)) * rng.uniform(0.8, 1.3))
    fine = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1.2)
    tone = 0.55 + 0.18 * rings + 0.08 * fine
    base = np.array([150, 100, 60], np.float32)
    return np.clip(base * tone[..., None] * 1.4, 0, 255).astype(np.uint8)


def background(name: str, rng: np.random.Generator, size: tuple[int, int]) -> Pixels:
    """A public-domain picture (or wood grain), tiled mirrored at 2x to ``size`` (w, h)."""
    if name == "wood":
        tile = _wood(rng)
    elif name == "hubble":
        tile = _rgb(data.hubble_deep_field())
    else:
        tile = _rgb(getattr(data, name)())
    tile = cv2.resize(tile, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    width, height = size
    reps_y = math.ceil(height / tile.shape[0]) + 1
    reps_x = math.ceil(width / tile.shape[1]) + 1
    row = np.concatenate([tile if i % 2 == 0 else tile[:, ::-1] for i in range(reps_x)], axis=1)
    full = np.concatenate([row if i % 2 == 0 else row[::-1] for i in range(reps_y)], axis=0)
    oy, ox = rng.integers(0, tile.shape[0]), rng.integers(0, tile.shape[1])
    return np.ascontiguousarray(full[oy : oy + height, ox : ox + width])


@dataclass
class _Card:
    """A flat thing with writing on it, drawn upright before it is placed."""

    image: Image.Image  # RGBA
    lines: list[tuple[tuple[int, int, int, int], float]]  # ink box (x1, y1, x2, y2), letters


def _card(
    size: tuple[int, int], colour: tuple[int, ...], rounded: bool = False
) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    box = (0, 0, size[0] - 1, size[1] - 1)
    if rounded:
        draw.rounded_rectangle(box, radius=min(size) // 6, fill=(*colour, 255))
    else:
        draw.rectangle(box, fill=(*colour, 255))
    return image, draw


def _write(
    draw: ImageDraw.ImageDraw, at: tuple[int, int], text: str, font_path: str | None, size: int,
    colour: tuple[int, int, int], lines: list[tuple[tuple[int, int, int, int], float]],
) -> None:  # fmt: skip
    font = _font(font_path, size)
    draw.text(at, text, font=font, fill=(*colour, 255))
    x1, y1, x2, y2 = draw.textbbox(at, text, font=font)
    lines.append(((int(x1), int(y1), int(x2), int(y2)), CAP_SHARE * size))


def _text_size(text: str, font_path: str | None, size: int) -> tuple[int, int]:
    left, _, right, bottom = _font(font_path, size).getbbox(text)
    return int(right - left), int(bottom)


def make_card(kind: str, letters: float, rng: np.random.Generator) -> _Card:
    """One labelled thing of ``kind`` whose main line has capitals ``letters`` px high."""
    font_path = fonts()[rng.integers(len(fonts()))]
    size = max(6, round(letters / CAP_SHARE))
    lines: list[tuple[tuple[int, int, int, int], float]] = []
    name = str(rng.choice(NAMES))
    if kind == "plate":
        text = f"{_letters(rng, 2)}{rng.integers(10, 75)} {_letters(rng, 3)}"
        bold = fonts()[1] if len(fonts()) > 2 else font_path
        tw, _ = _text_size(text, bold, size)
        colour = (248, 214, 20) if rng.random() < 0.5 else (242, 242, 238)
        image, draw = _card((int(tw * 1.25), int(size * 1.45)), colour)
        _write(draw, (int(tw * 0.12), int(size * 0.12)), text, bold, size, (12, 12, 12), lines)
        draw.rectangle((0, 0, image.width - 1, image.height - 1), outline=(20, 20, 20, 255),
                       width=max(1, size // 20))  # fmt: skip
        return _Card(image, lines)
    if kind == "sticker":
        head = max(6, size // 2)
        tw, _ = _text_size(name, font_path, size)
        hw, _ = _text_size("HELLO my name is", font_path, head)
        width = int(max(tw, hw) * 1.3)
        image, draw = _card((width, int(size * 1.6 + head * 1.9)), (250, 250, 250), rounded=True)
        draw.rectangle((0, 0, width, int(head * 1.6)), fill=(200, 30, 40, 255))
        _write(draw, (int(width * 0.1), int(head * 0.2)), "HELLO my name is", font_path, head,
               (255, 255, 255), lines)  # fmt: skip
        ink = tuple(int(c) for c in rng.choice([(20, 20, 20), (20, 40, 160), (150, 20, 30)]))
        _write(draw, (int(width * 0.12), int(head * 1.8)), name, font_path, size, ink, lines)  # type: ignore[arg-type]
        return _Card(image, lines)
    if kind == "whiteboard":
        rows = [str(rng.choice(WHITEBOARD)) for _ in range(int(rng.integers(2, 4)))]
        widths = [_text_size(row, font_path, size)[0] for row in rows]
        image, draw = _card((int(max(widths) * 1.2), int(size * (1.5 * len(rows) + 0.6))),
                            (236, 238, 240))  # fmt: skip
        for i, row in enumerate(rows):
            ink = tuple(int(c) for c in rng.choice([(20, 40, 170), (190, 30, 30), (20, 120, 50)]))
            _write(draw, (int(max(widths) * 0.08), int(size * (0.4 + 1.5 * i))), row, font_path,
                   size, ink, lines)  # type: ignore[arg-type]  # fmt: skip
        return _Card(image, lines)
    tw, _ = _text_size(name, font_path, size)
    if kind == "peg":
        colour = tuple(
            int(c) for c in rng.choice([(255, 255, 255), (255, 240, 160), (190, 225, 255)])
        )
        image, draw = _card((int(tw * 1.3), int(size * 1.6)), colour, rounded=True)
        _write(draw, (int(tw * 0.15), int(size * 0.2)), name, font_path, size, (15, 15, 15), lines)
        return _Card(image, lines)
    # artwork: a name in crayon colours on a sheet of sugar paper with a painted blob
    paper = tuple(int(c) for c in rng.choice([(250, 250, 245), (255, 225, 120), (170, 210, 240)]))
    image, draw = _card((int(tw * 2.2), int(size * 4.5)), paper)
    draw.ellipse((int(tw * 0.6), int(size * 0.3), int(tw * 1.9), int(size * 2.6)),
                 fill=(int(rng.integers(0, 255)), 120, 40, 255))  # fmt: skip
    ink = tuple(
        int(c) for c in rng.choice([(200, 30, 30), (30, 30, 160), (20, 20, 20), (140, 30, 140)])
    )
    _write(draw, (int(tw * 0.2), int(size * 3.0)), name, font_path, size, ink, lines)  # type: ignore[arg-type]
    return _Card(image, lines)


def _letters(rng: np.random.Generator, count: int) -> str:
    return "".join(str(rng.choice(list("ABCDEFGHJKLMNOPRSTUVWXYZ"))) for _ in range(count))


def _homography(
    card: _Card, rng: np.random.Generator, at: tuple[float, float]
) -> npt.NDArray[np.float64]:
    """Slight rotation (up to 8 degrees) and perspective (up to 8% of a side)."""
    w, h = card.image.size
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = rng.uniform(-0.08, 0.08, (4, 2)) * np.float32([w, h]) * 0.5
    angle = math.radians(rng.uniform(-8, 8))
    rot = np.float32([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    dst = (src + jitter - np.float32([w / 2, h / 2])) @ rot.T + np.float32(at)
    return cv2.getPerspectiveTransform(src, dst.astype(np.float32))


def place(
    scene: Scene, card: _Card, rng: np.random.Generator, taken: list[tuple[int, ...]]
) -> bool:
    """Paste ``card`` somewhere free in the scene; False when no free place was found."""
    height, width = scene.pixels.shape[:2]
    w, h = card.image.size
    reach = math.hypot(w, h) / 2 + 4
    for _ in range(30):
        at = (rng.uniform(reach, width - reach), rng.uniform(reach, height - reach))
        area = (int(at[0] - reach), int(at[1] - reach), int(at[0] + reach), int(at[1] + reach))
        if any(_overlap(area, other) for other in taken) or reach * 2 >= min(width, height):
            continue
        taken.append(area)
        matrix = _homography(card, rng, at)
        rgba = np.asarray(card.image)
        warped = cv2.warpPerspective(rgba, matrix, (width, height), flags=cv2.INTER_LINEAR)
        alpha = warped[..., 3:4].astype(np.float32) / 255
        blended = scene.pixels * (1 - alpha) + warped[..., :3] * alpha
        scene.pixels = blended.astype(np.uint8)
        for (x1, y1, x2, y2), letters in card.lines:
            corners = np.float32([[[x1, y1], [x2, y1], [x2, y2], [x1, y2]]])
            moved = cv2.perspectiveTransform(corners, matrix)[0]
            lx, ly = moved.min(axis=0)
            hx, hy = moved.max(axis=0)
            scene.boxes.append([int(lx), int(ly), math.ceil(hx - lx), math.ceil(hy - ly)])
            scene.letters.append(round(letters, 1))
        return True
    return False


def _overlap(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def text_scene(rng: np.random.Generator, size: tuple[int, int] = (4000, 3000)) -> Scene:
    """A scene with two to five labelled things, letters 12 to 90 px high."""
    name = str(rng.choice(TEXT_BACKGROUNDS))
    scene = Scene(background(name, rng, size))
    taken: list[tuple[int, ...]] = []
    scale = size[0] / 4000
    for _ in range(int(rng.integers(2, 6))):
        kind = str(rng.choice(KINDS))
        letters = float(np.exp(rng.uniform(math.log(12), math.log(90)))) * scale
        place(scene, make_card(kind, max(letters, 6.0), rng), rng, taken)
    return scene


def plain_scene(rng: np.random.Generator, size: tuple[int, int] = (4000, 3000)) -> Scene:
    """A scene with no writing: a photo or texture alone."""
    return Scene(background(str(rng.choice(PLAIN_BACKGROUNDS)), rng, size))


def write_set(folder: Path, count: int = 40, plain: int = 10, seed: int = 1,
              size: tuple[int, int] = (4000, 3000)) -> dict[str, list[list[int]]]:  # fmt: skip
    """Write ``count`` JPEG scenes (``plain`` of them without text), ``truth.json`` and
    ``letters.json`` (the capital height of each truth line); returns the truth."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    truth: dict[str, list[list[int]]] = {}
    letters: dict[str, list[float]] = {}
    for index in range(count):
        scene = plain_scene(rng, size) if index >= count - plain else text_scene(rng, size)
        name = f"scene{index:03d}.jpg"
        Image.fromarray(scene.pixels).save(folder / name, quality=92)
        truth[name], letters[name] = scene.boxes, scene.letters
    (folder / "truth.json").write_text(json.dumps(truth, indent=1))
    (folder / "letters.json").write_text(json.dumps(letters, indent=1))
    return truth

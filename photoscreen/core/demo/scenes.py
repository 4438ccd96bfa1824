"""Pictures for the demo folder: activity scenes composed from public-domain photos.

Every face is the NASA portrait shipped with scikit-image (``skimage.data.astronaut()``,
public domain), cut out, scaled and pasted onto a simple drawn body; backgrounds are
scikit-image's other public-domain photos (coffee, rocket, chelsea the cat) or shapes
drawn here. The pictures are read through :mod:`photoscreen.core.demo.pictures` (from
the app's own files in the self-contained build, from scikit-image otherwise). Nothing
depicts a real child. Scenes are drawn upright; the folder builder rotates some of them
to imitate a camera that stored the picture sideways.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFilter

from photoscreen.core.demo.pictures import picture

Pixels = npt.NDArray[np.uint8]
# Where the astronaut's head (hair to chin) sits in the 512 x 512 portrait.
_HEAD_CROP = (150, 12, 305, 195)
_CLOTHES = ((232, 74, 95), (64, 145, 230), (250, 190, 40), (90, 185, 110), (160, 95, 200))


@dataclass(frozen=True)
class Scene:
    """An upright picture and where its pasted faces are (x, y, w, h in its pixels)."""

    pixels: Pixels
    faces: tuple[tuple[int, int, int, int], ...]


class Canvas:
    """A picture being composed, with the faces pasted so far."""

    def __init__(self, background: Image.Image) -> None:
        self.image = background.convert("RGB")
        self.draw = ImageDraw.Draw(self.image)
        self.faces: list[tuple[int, int, int, int]] = []
        self._head = picture("astronaut").crop(_HEAD_CROP)
        self._mask = _soft_ellipse(self._head.size)

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size

    def person(
        self, centre_x: int, top: int, head_height: int, clothes: int, flip: bool = False
    ) -> None:
        """A head of ``head_height`` pixels at (centre_x, top) on a plain body."""
        width = round(head_height * self._head.width / self._head.height)
        colour = _CLOTHES[clothes % len(_CLOTHES)]
        body_top = top + int(head_height * 0.85)
        self.draw.rounded_rectangle(
            (
                centre_x - int(width * 0.95),
                body_top,
                centre_x + int(width * 0.95),
                body_top + int(head_height * 1.6),
            ),
            radius=max(4, head_height // 3),
            fill=colour,
        )
        self.head(centre_x, top, head_height, flip)

    def head(self, centre_x: int, top: int, head_height: int, flip: bool = False) -> None:
        """Just a head, for someone mostly hidden behind something drawn afterwards."""
        width = round(head_height * self._head.width / self._head.height)
        head = self._head.resize((width, head_height), Image.Resampling.LANCZOS)
        mask = self._mask.resize((width, head_height), Image.Resampling.BILINEAR)
        if flip:
            head = head.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        self.image.paste(head, (centre_x - width // 2, top), mask)
        self.faces.append((centre_x - width // 2, top, width, head_height))

    def scene(self) -> Scene:
        return Scene(np.asarray(self.image, dtype=np.uint8).copy(), tuple(self.faces))


def _soft_ellipse(size: tuple[int, int]) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).ellipse((3, 2, size[0] - 4, size[1] - 2), fill=255)
    return mask.filter(ImageFilter.GaussianBlur(2))


def _gradient(size: tuple[int, int], top: tuple[int, ...], bottom: tuple[int, ...]) -> Image.Image:
    weights = np.linspace(0.0, 1.0, size[1])[:, None, None]
    column = (1 - weights) * np.array(top) + weights * np.array(bottom)
    return Image.fromarray(np.repeat(column, size[0], axis=1).astype(np.uint8))


def _fit(photo: Image.Image, size: tuple[int, int]) -> Image.Image:
    """A photo scaled to cover ``size`` and cropped to it."""
    scale = max(size[0] / photo.width, size[1] / photo.height)
    scaled = photo.resize(
        (round(photo.width * scale), round(photo.height * scale)), Image.Resampling.BICUBIC
    )
    left, top = (scaled.width - size[0]) // 2, (scaled.height - size[1]) // 2
    return scaled.crop((left, top, left + size[0], top + size[1]))


def story_time(rng: np.random.Generator) -> Scene:
    canvas = Canvas(_gradient((1600, 1200), (236, 214, 170), (214, 182, 140)))
    for shelf_y in (120, 330):
        canvas.draw.rectangle((980, shelf_y + 170, 1540, shelf_y + 185), fill=(120, 80, 50))
        x = 990
        while x < 1520:
            width = int(rng.integers(22, 48))
            colour = tuple(int(c) for c in rng.integers(40, 230, 3))
            canvas.draw.rectangle(
                (x, shelf_y + int(rng.integers(20, 60)), x + width, shelf_y + 170), fill=colour
            )
            x += width + 4
    canvas.draw.ellipse((80, 900, 1520, 1300), fill=(70, 110, 170))
    canvas.person(470, 300, 230, 1)  # the member of staff reading
    canvas.draw.polygon(
        [(330, 700), (470, 650), (610, 700), (610, 860), (470, 810), (330, 860)], fill="white"
    )
    for index, (x, top, height) in enumerate(((860, 620, 150), (1120, 640, 140), (1360, 610, 155))):
        canvas.person(x, top, height, index + 2, flip=index % 2 == 1)
    return canvas.scene()


def messy_play(rng: np.random.Generator) -> Scene:
    canvas = Canvas(_gradient((1600, 1200), (200, 226, 240), (180, 205, 225)))
    canvas.person(520, 260, 200, 3)
    canvas.person(1080, 300, 190, 0, flip=True)
    canvas.draw.rectangle((0, 760, 1600, 1200), fill=(222, 196, 150))
    for _ in range(60):
        x, y = int(rng.integers(0, 1600)), int(rng.integers(780, 1200))
        radius = int(rng.integers(12, 70))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        canvas.draw.ellipse((x - radius, y - radius // 2, x + radius, y + radius // 2), fill=colour)
    canvas.draw.rectangle((600, 860, 980, 1100), fill="white", outline=(90, 90, 90), width=3)
    return canvas.scene()


def outing(rng: np.random.Generator) -> Scene:
    canvas = Canvas(_fit(picture("rocket"), (1800, 1200)))
    canvas.person(1180, 760, 120, 1)
    canvas.person(1330, 790, 105, 4, flip=True)
    canvas.person(1460, 770, 115, 2)
    return canvas.scene()


def swimming(rng: np.random.Generator) -> Scene:
    canvas = Canvas(_gradient((1600, 1200), (120, 200, 235), (20, 90, 170)))
    canvas.draw.rectangle((0, 0, 1600, 260), fill=(235, 235, 228))
    canvas.person(600, 420, 170, 1)
    canvas.person(1000, 460, 150, 3, flip=True)
    water = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    ImageDraw.Draw(water).rectangle((0, 590, 1600, 1200), fill=(30, 120, 200, 235))
    canvas.image.paste(water, (0, 0), water)
    canvas.draw = ImageDraw.Draw(canvas.image)
    for y in range(620, 1200, 46):
        offset = int(rng.integers(0, 60))
        for x in range(-60 + offset, 1600, 120):
            canvas.draw.arc((x, y, x + 90, y + 24), 200, 340, fill=(200, 235, 255), width=4)
    for x in range(0, 1600, 40):
        colour = (220, 40, 40) if (x // 40) % 2 else (250, 250, 250)
        canvas.draw.ellipse((x, 575, x + 36, 611), fill=colour)
    return canvas.scene()


def snack_time(rng: np.random.Generator) -> Scene:
    return Canvas(_fit(picture("coffee"), (1500, 1000))).scene()


def animal_visit(rng: np.random.Generator) -> Scene:
    canvas = Canvas(_fit(picture("chelsea"), (1600, 1070)))
    canvas.person(260, 330, 220, 4, flip=True)
    return canvas.scene()


def group_photo(rng: np.random.Generator) -> Scene:
    canvas = Canvas(_gradient((1200, 1600), (150, 200, 250), (220, 235, 250)))
    canvas.draw.rectangle((0, 900, 1200, 1600), fill=(96, 160, 80))
    canvas.draw.ellipse((-200, 780, 700, 1100), fill=(110, 175, 90))
    for row, (top, height, xs) in enumerate(
        ((560, 120, (230, 470, 720, 960)), (860, 135, (340, 600, 860)))
    ):
        for index, x in enumerate(xs):
            canvas.person(
                x, top + int(rng.integers(-15, 15)), height, row * 4 + index, flip=index % 2 == 0
            )
    return canvas.scene()


def sand_play(rng: np.random.Generator) -> Scene:
    canvas = Canvas(_gradient((1600, 1200), (160, 210, 245), (200, 225, 245)))
    canvas.draw.rectangle((0, 520, 1600, 1200), fill=(226, 200, 140))
    for _ in range(400):
        x, y = int(rng.integers(0, 1600)), int(rng.integers(530, 1200))
        canvas.draw.point((x, y), fill=(190, 160, 100))
    canvas.person(700, 330, 180, 2)
    canvas.draw.polygon([(980, 760), (1180, 760), (1150, 960), (1010, 960)], fill=(230, 60, 60))
    canvas.draw.rectangle((1230, 700, 1250, 950), fill=(40, 90, 200))
    return canvas.scene()


def music(rng: np.random.Generator) -> Scene:
    canvas = Canvas(_gradient((1600, 1200), (250, 236, 200), (240, 220, 180)))
    for index, x in enumerate((320, 640, 960, 1280)):
        canvas.person(x, 360 + (index % 2) * 40, 150 + (index % 3) * 12, index, flip=index == 2)
        canvas.draw.ellipse(
            (x - 70, 760, x + 70, 830), fill=(200, 150, 60), outline=(90, 60, 20), width=6
        )
    # A child peeking over the piano: half the face hidden, so the detector is unsure and
    # the photo shows a "possible face" for staff to accept or dismiss.
    canvas.head(1490, 150, 90)
    piano_top = 150 + 45
    canvas.draw.rectangle((1380, piano_top, 1600, 700), fill=(70, 40, 25))
    for key_x in range(1385, 1600, 14):
        canvas.draw.rectangle(
            (key_x, piano_top + 8, key_x + 10, piano_top + 40), fill=(245, 245, 240)
        )
    return canvas.scene()


def craft_display(rng: np.random.Generator) -> Scene:
    canvas = Canvas(Image.new("RGB", (1400, 900), (245, 240, 230)))
    for column in range(4):
        for row in range(2):
            left, top = 70 + column * 330, 80 + row * 400
            canvas.draw.rectangle(
                (left, top, left + 280, top + 330), fill="white", outline=(60, 60, 60), width=4
            )
            for _ in range(6):
                x, y = left + int(rng.integers(30, 250)), top + int(rng.integers(30, 300))
                radius = int(rng.integers(15, 60))
                colour = tuple(int(c) for c in rng.integers(0, 255, 3))
                canvas.draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    return canvas.scene()


SceneMaker = Callable[[np.random.Generator], Scene]

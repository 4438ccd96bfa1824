"""Turning a decoded image of any mode into 8-bit sRGB RGB.

Photos arrive as RGB, grey, palette, 16-bit, CMYK, with or without transparency, and with
or without an ICC profile (or, in HEIF, colour given as ``nclx`` code points, see
:mod:`photoscreen.core.imaging.nclx`). Facebook and every viewer assume sRGB for a JPEG without
a profile, and the exported JPEG carries no profile (a profile is one more thing a file
carries), so the pixels must already be sRGB: a Display P3 photo whose profile were
simply dropped would look dull and shifted.

Whether a profile is sRGB is decided by what it does, not by its name: its colorants and
tone curves must match sRGB's to within a level, so "e-sRGB" and "scRGB" (other
encodings with sRGB's primaries) are converted like any other space. Conversion costs a
pass over the pixels, so it runs only when needed, and it is prepared once per distinct
profile (most photos of a folder share one): a matrix/TRC profile, the kind nearly every
photo carries, becomes lookup tables and a 3 x 3 matrix on linear light applied with
OpenCV and numpy: a 2048 x 1536 export converts in 20 ms against 75 ms through LittleCMS
and Pillow (median of 21, one thread), and as exactly (16-bit linear light, one rounding;
within a level of LittleCMS). Anything else (lookup-table profiles, CMYK) goes through a
cached LittleCMS transform.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageCms

from photoscreen.core.imaging import nclx
from photoscreen.core.imaging.icc import MatrixShaper, colorants_d50, read_matrix_shaper

Pixels = npt.NDArray[np.uint8]

WHITE = (255, 255, 255)
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16B", "I;16L", "I;16N", "I"})

_SRGB_COLORANTS = colorants_d50(((0.64, 0.33), (0.30, 0.60), (0.15, 0.06)), (0.3127, 0.3290))
# A profile is sRGB when converting would move no value by more than about a level:
# its tone curves re-encode every code to within 1 level, and its colorants give a
# matrix within 0.005 of the identity (under a level even at full brightness).
_CURVE_TOLERANCE = 1.0
_MATRIX_TOLERANCE = 0.005
_PROFILE_CACHE = 16  # distinct profiles kept prepared (a folder rarely has more than two)
# Pixels converted at a time (128 rows of a 2048 px export): the 16-bit intermediates
# stay in the CPU's cache; 256 rows took half as long again, 32 rows a little longer.
_BAND_PIXELS = 2048 * 128


def _srgb_encode(linear: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Linear light (0..1) to sRGB code values (0..255, unrounded), IEC 61966-2-1."""
    v = np.clip(linear, 0.0, 1.0)
    return np.where(v <= 0.0031308, v * 12.92, 1.055 * v ** (1 / 2.4) - 0.055) * 255.0


# 16-bit linear light -> 8-bit sRGB, for the last step of every matrix conversion.
_ENCODE_TABLE: Pixels = np.round(_srgb_encode(np.arange(65536) / 65535.0)).astype(np.uint8)
_ENCODE_TABLE.flags.writeable = False


def to_rgb(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    """The image as mode ``RGB``, and the RGB profile still to convert it from.

    Transparency is flattened onto white and CMYK converted fully; an RGB image whose
    profile (or HEIF nclx colour) is not sRGB is returned in its own colour space with
    that profile (``None`` when the pixels are sRGB already), so the caller can convert
    it when it is cheapest, e.g. after resizing (see :func:`pixels_to_srgb`).
    """
    icc = image.info.get("icc_profile") or nclx.profile_for_nclx(image.info.get("nclx_profile"))
    if image.mode in _SIXTEEN_BIT_MODES or image.mode == "F":
        image = _wide_grey_to_l(image)
    if _has_alpha(image):
        image = _flatten_on_white(image)
    if image.mode == "CMYK":
        return _cmyk_to_rgb(image, icc), None
    was_rgb = image.mode == "RGB"
    if not was_rgb:
        image = image.convert("RGB")
    return image, pending_rgb_profile(icc) if was_rgb else None


def pending_rgb_profile(icc: bytes | None) -> bytes | None:
    """``icc`` if it is a usable RGB profile other than sRGB (pixels need converting)."""
    if not icc or _profile_space(icc) != "RGB" or is_srgb_profile(icc):
        return None
    return icc


def pixels_to_srgb(pixels: Pixels, icc: bytes) -> Pixels:
    """RGB pixels (H x W x 3) in the colour space of ``icc`` converted to sRGB (a new array).

    The conversion is per pixel, so it gives the same colours before or after resizing;
    after is four times cheaper for a 12-megapixel photo exported at 2048 pixels.
    """
    conversion = _rgb_conversion(icc)
    return np.array(pixels) if conversion is None else conversion.apply(pixels)


def is_srgb_profile(icc: bytes) -> bool:
    """Whether an RGB ICC profile is sRGB in effect: converting from it to sRGB would
    leave every value as it is, to within a level. An unreadable profile cannot be
    honoured and counts as sRGB (the pixels are taken as they are)."""
    if _profile_space(icc) not in ("RGB", ""):
        return False
    return _rgb_conversion(icc) is None


@dataclass(frozen=True)
class _MatrixConversion:
    """A matrix/TRC profile's conversion to sRGB: code values to 16-bit linear light by
    one table per channel, a 3 x 3 matrix (sRGB's inverse times the profile's colorants;
    OpenCV clips what falls outside sRGB, as LittleCMS does), then one table back to
    8-bit sRGB."""

    to_linear: npt.NDArray[np.uint16]  # 1 x 256 (one curve for all channels) or 1 x 256 x 3
    mix: npt.NDArray[np.float32]  # 3 x 3, linear source RGB -> linear sRGB

    @classmethod
    def unless_srgb(cls, shaper: MatrixShaper) -> _MatrixConversion | None:
        mix = np.linalg.solve(_SRGB_COLORANTS, shaper.colorants)
        curve_error = np.abs(_srgb_encode(shaper.linear) - np.arange(256)).max()
        if curve_error <= _CURVE_TOLERANCE and np.abs(mix - np.eye(3)).max() <= _MATRIX_TOLERANCE:
            return None
        to_linear = np.round(shaper.linear.T * 65535).astype(np.uint16).reshape(1, 256, 3)
        if (to_linear == to_linear[:, :, :1]).all():
            # One curve for all three channels (the usual case): OpenCV's one-table
            # lookup is twice as fast as its per-channel one.
            to_linear = np.ascontiguousarray(to_linear[:, :, 0])
        to_linear.flags.writeable = False
        mix32 = mix.astype(np.float32)
        mix32.flags.writeable = False
        return cls(to_linear, mix32)

    def apply(self, pixels: Pixels) -> Pixels:
        converted = np.empty(pixels.shape, np.uint8)
        rows = max(1, _BAND_PIXELS // max(1, pixels.shape[1]))
        for top in range(0, pixels.shape[0], rows):
            band = np.ascontiguousarray(pixels[top : top + rows])
            mixed = cv2.transform(cv2.LUT(band, self.to_linear), self.mix)
            linear = np.asarray(mixed, dtype=np.uint16)  # no copy: it is 16-bit already
            # Every 16-bit value indexes the 65,536-entry table, so "wrap" never wraps;
            # it is the bounds mode numpy checks fastest (a third faster than "clip").
            np.take(_ENCODE_TABLE, linear, out=converted[top : top + rows], mode="wrap")
        return converted


@dataclass(frozen=True)
class _LittleCmsConversion:
    """Any other RGB profile's conversion to sRGB, by a LittleCMS transform."""

    transform: ImageCms.ImageCmsTransform

    @classmethod
    def unless_srgb(cls, icc: bytes) -> _LittleCmsConversion | None:
        transform = _transform(icc, "RGB")
        exact = _transform(icc, "RGB", ImageCms.Intent.RELATIVE_COLORIMETRIC)
        if transform is None or exact is None:
            return None
        # Colour values on a 9 x 9 x 9 grid through the colorimetric transform tell
        # whether the profile is sRGB in effect.
        levels = np.linspace(0, 255, 9).round().astype(np.uint8)
        grid = np.stack(np.meshgrid(levels, levels, levels), axis=-1).reshape(1, -1, 3)
        moved = np.asarray(exact.apply(Image.fromarray(grid))).astype(np.int16) - grid
        return None if np.abs(moved).max() <= 2 else cls(transform)

    def apply(self, pixels: Pixels) -> Pixels:
        image = Image.fromarray(np.ascontiguousarray(pixels))
        return np.asarray(self.transform.apply(image))


@functools.lru_cache(maxsize=_PROFILE_CACHE)
def _rgb_conversion(icc: bytes) -> _MatrixConversion | _LittleCmsConversion | None:
    """How to convert pixels in ``icc``'s colour space to sRGB; ``None``: they are sRGB
    in effect, or the profile cannot be used."""
    shaper = read_matrix_shaper(icc)
    if shaper is not None:
        return _MatrixConversion.unless_srgb(shaper)
    return _LittleCmsConversion.unless_srgb(icc)


@functools.lru_cache(maxsize=_PROFILE_CACHE)
def _transform(
    icc: bytes, mode: str, intent: ImageCms.Intent = ImageCms.Intent.PERCEPTUAL
) -> ImageCms.ImageCmsTransform | None:
    """A LittleCMS transform from ``icc`` (of ``mode``) to sRGB, ``None`` if unusable.

    LittleCMS transforms keep no state between calls, so one serves every thread.
    """
    source = _open_profile(icc)
    if source is None or _profile_space(icc) != ("CMYK" if mode == "CMYK" else "RGB"):
        return None
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    try:
        return ImageCms.ImageCmsTransform(source, srgb, mode, "RGB", intent=intent)
    except (ImageCms.PyCMSError, ValueError, OSError):  # ValueError: "cannot build transform"
        if intent == ImageCms.Intent.RELATIVE_COLORIMETRIC:
            return None
    # Some profiles lack a perceptual table; colorimetric is the standard fallback and
    # is what viewers use for them anyway.
    return _transform(icc, mode, ImageCms.Intent.RELATIVE_COLORIMETRIC)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in _ALPHA_MODES or (image.mode == "P" and "transparency" in image.info)


def _flatten_on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, WHITE)
    background.paste(rgba.convert("RGB"), mask=rgba.getchannel("A"))
    background.info = dict(image.info)
    return background


def _wide_grey_to_l(image: Image.Image) -> Image.Image:
    """16-bit or float grey scaled (not clipped, as ``convert`` would) to 8 bits."""
    values = np.asarray(image)
    if image.mode == "F":
        peak = 1.0 if float(values.max(initial=0.0)) <= 1.0 else 255.0
        scaled = np.clip(values / peak * 255.0 + 0.5, 0, 255)
    elif image.mode == "I" and int(values.max(initial=0)) <= 255:
        scaled = np.clip(values, 0, 255)
    else:
        scaled = np.clip(values, 0, 65535).astype(np.uint32) * 255 // 65535
    grey = Image.fromarray(scaled.astype(np.uint8))
    grey.info = dict(image.info)
    return grey


def _cmyk_to_rgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    transform = _transform(icc, "CMYK") if icc else None
    if transform is None:
        # No usable profile: Pillow's direct formula. Colours are approximate but the
        # photo is upright and complete, which is what matters for posting.
        return image.convert("RGB")
    converted = transform.apply(image)
    converted.info.pop("icc_profile", None)
    return converted


def _open_profile(icc: bytes) -> ImageCms.ImageCmsProfile | None:
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _profile_space(icc: bytes) -> str:
    """The profile's data colour space from its header ("RGB", "CMYK", "GRAY"...)."""
    return icc[16:20].decode("latin-1").strip() if len(icc) >= 20 else ""

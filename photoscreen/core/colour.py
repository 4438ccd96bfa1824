"""Turning a decoded image of any mode into 8-bit sRGB RGB.

Photos arrive as RGB, grey, palette, 16-bit, CMYK, with or without transparency, and with
or without an ICC profile. Facebook and every viewer assume sRGB for a JPEG without a
profile, and the exported JPEG carries no profile (a profile is one more thing a file
carries), so the pixels must already be sRGB: a Display P3 photo whose profile were simply
dropped would look dull and shifted. Conversion runs only when a non-sRGB profile is
present, because it costs a full pass over the pixels.
"""

from __future__ import annotations

import io

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageCms

WHITE = (255, 255, 255)
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16B", "I;16L", "I;16N", "I"})


def to_srgb_rgb(image: Image.Image) -> Image.Image:
    """The image as mode ``RGB`` in sRGB, transparency flattened onto white."""
    rgb, profile = to_rgb(image)
    return _profile_to_srgb(rgb, profile, "RGB") if profile else rgb


def to_rgb(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    """The image as mode ``RGB``, and the RGB profile still to convert it from.

    Transparency is flattened onto white and CMYK converted fully; an RGB image with a
    non-sRGB profile is returned in its own colour space with that profile (``None``
    when the pixels are sRGB already), so the caller can convert it when it is
    cheapest, e.g. after resizing (see :func:`pixels_to_srgb`).
    """
    icc = image.info.get("icc_profile")
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


def pixels_to_srgb(pixels: npt.NDArray[np.uint8], icc: bytes) -> npt.NDArray[np.uint8]:
    """RGB pixels in the colour space of ``icc`` converted to sRGB (a new array).

    The conversion is per pixel, so it gives the same colours before or after resizing;
    after is four times cheaper for a 12-megapixel photo exported at 2048 pixels.
    """
    converted = _profile_to_srgb(Image.fromarray(np.ascontiguousarray(pixels)), icc, "RGB")
    return np.asarray(converted)


def is_srgb_profile(icc: bytes) -> bool:
    """Whether an ICC profile is (a variant of) sRGB, by its description."""
    profile = _open_profile(icc)
    if profile is None:
        return True  # an unreadable profile cannot be honoured; the pixels are taken as sRGB
    description = ImageCms.getProfileDescription(profile).lower()
    return "srgb" in description or "iec61966-2" in description


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
    if icc and _profile_space(icc) == "CMYK":
        return _profile_to_srgb(image, icc, "CMYK")
    # No usable profile: Pillow's direct formula. Colours are approximate but the photo
    # is upright and complete, which is what matters for posting.
    return image.convert("RGB")


def _profile_to_srgb(image: Image.Image, icc: bytes, mode: str) -> Image.Image:
    source = _open_profile(icc)
    if source is None or _profile_space(icc) != ("CMYK" if mode == "CMYK" else "RGB"):
        return image if image.mode == "RGB" else image.convert("RGB")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    try:
        transform = ImageCms.ImageCmsTransform(
            source, srgb, mode, "RGB", intent=ImageCms.Intent.PERCEPTUAL
        )
    except ImageCms.PyCMSError:
        # Some matrix profiles lack a perceptual table; colorimetric is the standard
        # fallback and is what viewers use for them anyway.
        transform = ImageCms.ImageCmsTransform(
            source, srgb, mode, "RGB", intent=ImageCms.Intent.RELATIVE_COLORIMETRIC
        )
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

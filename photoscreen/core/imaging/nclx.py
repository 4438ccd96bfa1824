"""HEIF colour given as code points (an ``nclx`` box) turned into an ICC profile.

A HEIF photo says what its pixel values mean either with an ICC profile (iPhones) or
with ``nclx`` code points from ITU-T H.273: colour primaries, transfer characteristics,
matrix coefficients (Android phones and Canon HIF, often in Display P3 or BT.2020).
libheif has already used the matrix coefficients and range to turn YCbCr into RGB, so
what is left is the colour space of those RGB values: primaries and transfer. This
module writes the matrix/TRC profile that says the same thing, so nclx photos go
through the same conversion to sRGB as profiled ones (:mod:`photoscreen.core.imaging.colour`).

Decisions, each where H.273 leaves a choice or where a code point is rare:

- Primaries known by their H.273 chromaticities are converted (BT.709 = sRGB's own, so
  only its transfer can differ); 2 ("unspecified") is taken as sRGB; any other value
  (reserved, or 10, CIE XYZ for digital cinema) is left as it is and read as sRGB, as
  viewers without colour management show it.
- Transfer 13 (sRGB) and 2 ("unspecified") are the sRGB curve; 1, 6, 11, 12, 14 and 15
  are the BT.709 camera curve, undone exactly as H.273 defines it (mid-grey comes out
  a little brighter than if the values were read as sRGB); 4 and 5 are gammas 2.2 and
  2.8; 7 is SMPTE 240M; 8 is linear light. Other curves (the logarithmic 9 and 10,
  cinema's 17) are rare in photos and are read as sRGB.
- 16 (PQ) and 18 (HLG) are HDR: the values stand for light far brighter than an sRGB
  display's white. They are tone-mapped to SDR by one simple, fixed curve (see
  :func:`_hdr_to_sdr`): PQ's absolute light and HLG's (through its reference OOTF, for a
  1,000-nit display) are scaled so that HDR reference white, 203 nits (ITU-R BT.2408),
  lands near sRGB white, shadows and mid-tones untouched; highlights above 80% roll off
  smoothly instead of clipping. The curve is applied to each channel, like an ICC tone
  curve, so the brightest saturated highlights drift a little towards white. This is
  meant to post a recognisable, natural-looking photo, not to grade it.

An ICC profile carried by the photo takes precedence: the caller only asks here when
there is none.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import numpy as np

from photoscreen.core.imaging import icc

D65 = (0.3127, 0.3290)
_ILLUMINANT_C = (0.310, 0.316)
_DCI_WHITE = (0.314, 0.351)
# ColourPrimaries (H.273 table 2): red, green, blue and white xy chromaticities.
PRIMARIES: dict[int, tuple[tuple[float, float], ...]] = {
    1: ((0.640, 0.330), (0.300, 0.600), (0.150, 0.060), D65),  # BT.709, sRGB
    4: ((0.67, 0.33), (0.21, 0.71), (0.14, 0.08), _ILLUMINANT_C),  # BT.470 System M
    5: ((0.64, 0.33), (0.29, 0.60), (0.15, 0.06), D65),  # BT.470 System B, G; BT.601 625
    6: ((0.630, 0.340), (0.310, 0.595), (0.155, 0.070), D65),  # BT.601 525, SMPTE 170M
    7: ((0.630, 0.340), (0.310, 0.595), (0.155, 0.070), D65),  # SMPTE 240M
    8: ((0.681, 0.319), (0.243, 0.692), (0.145, 0.049), _ILLUMINANT_C),  # generic film
    9: ((0.708, 0.292), (0.170, 0.797), (0.131, 0.046), D65),  # BT.2020, BT.2100
    11: ((0.680, 0.320), (0.265, 0.690), (0.150, 0.060), _DCI_WHITE),  # DCI-P3 (RP 431-2)
    12: ((0.680, 0.320), (0.265, 0.690), (0.150, 0.060), D65),  # Display P3 (EG 432-1)
    22: ((0.630, 0.340), (0.295, 0.605), (0.155, 0.077), D65),  # EBU Tech 3213-E
}
SRGB_PRIMARIES = (1, 2)
SRGB_TRANSFERS = (2, 13)
PQ, HLG = 16, 18
_BT709_FAMILY = (1, 6, 11, 12, 14, 15)

# The sRGB curve (IEC 61966-2-1) as an ICC type-3 parametric curve.
_SRGB_CURVE = (2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045)
# BT.709's camera curve V = 1.099 L^0.45 - 0.099 (4.5 L below 0.018), inverted.
_BT709_CURVE = (1 / 0.45, 1 / 1.099, 0.099 / 1.099, 1 / 4.5, 0.081)
# SMPTE 240M: V = 1.1115 L^0.45 - 0.1115 (4 L below 0.0228), inverted.
_SMPTE240_CURVE = (1 / 0.45, 1 / 1.1115, 0.1115 / 1.1115, 1 / 4.0, 0.0913)
_GAMMAS = {4: 2.2, 5: 2.8, 8: 1.0}

# HDR to SDR: HDR reference white (ITU-R BT.2408) becomes linear 1.0 before the roll-off,
# which leaves everything up to _KNEE alone and bends the rest smoothly towards 1.0.
REFERENCE_WHITE_NITS = 203.0
_KNEE = 0.8
_HLG_DISPLAY_PEAK_NITS = 1000.0
_HLG_SYSTEM_GAMMA = 1.2  # BT.2100's OOTF gamma for a 1,000-nit display
_SAMPLES = 4096


def profile_for_nclx(nclx: Mapping[str, object] | None) -> bytes | None:
    """The ICC profile that converts pixels decoded from a HEIF with these ``nclx`` code
    points (pillow-heif's ``info["nclx_profile"]``), or ``None`` when they are sRGB
    already (or their primaries are unknown, see the module notes)."""
    if not nclx:
        return None
    primaries, transfer = nclx.get("color_primaries"), nclx.get("transfer_characteristics")
    if not isinstance(primaries, int) or not isinstance(transfer, int):
        return None
    return _profile(primaries, transfer)


@functools.lru_cache(maxsize=32)
def _profile(primaries: int, transfer: int) -> bytes | None:
    if primaries in SRGB_PRIMARIES:
        primaries = 1
    chromaticities = PRIMARIES.get(primaries)
    if chromaticities is None or (primaries == 1 and transfer in SRGB_TRANSFERS):
        return None
    *rgb, white = chromaticities
    curve = _transfer_curve(transfer)
    return icc.write_matrix_shaper(
        f"HEIF nclx primaries {primaries} transfer {transfer}",
        icc.colorants_d50(rgb, white),
        [curve] * 3,
        icc.xy_to_xyz(white),
    )


def _transfer_curve(transfer: int) -> bytes:
    """The ICC tone curve (code value -> linear light) of an H.273 transfer code."""
    if transfer in _BT709_FAMILY:
        return icc.parametric_curve(*_BT709_CURVE)
    if transfer == 7:
        return icc.parametric_curve(*_SMPTE240_CURVE)
    if transfer in _GAMMAS:
        return icc.parametric_curve(_GAMMAS[transfer])
    if transfer == PQ:
        return icc.sampled_curve(_hdr_to_sdr(pq_to_nits(np.linspace(0.0, 1.0, _SAMPLES))))
    if transfer == HLG:
        return icc.sampled_curve(_hdr_to_sdr(hlg_to_nits(np.linspace(0.0, 1.0, _SAMPLES))))
    return icc.parametric_curve(*_SRGB_CURVE)


def pq_to_nits(signal: np.ndarray) -> np.ndarray:
    """SMPTE ST 2084 (PQ) EOTF: code value (0..1) to absolute luminance in cd/m²."""
    m1, m2 = 2610 / 16384, 2523 / 4096 * 128
    c1, c2, c3 = 3424 / 4096, 2413 / 4096 * 32, 2392 / 4096 * 32
    power = np.power(np.clip(signal, 0.0, 1.0), 1 / m2)
    return np.asarray(10000.0 * (np.maximum(power - c1, 0.0) / (c2 - c3 * power)) ** (1 / m1))


def hlg_to_nits(signal: np.ndarray) -> np.ndarray:
    """BT.2100 HLG: code value (0..1) to scene light by the inverse OETF, then display
    light on a 1,000-nit display by the OOTF (applied per channel: a simplification)."""
    a = 0.17883277
    b, c = 1 - 4 * a, 0.5 - a * math.log(4 * a)
    e = np.clip(signal, 0.0, 1.0)
    with np.errstate(over="ignore"):
        scene = np.where(e <= 0.5, e * e / 3, (np.exp((e - c) / a) + b) / 12)
    return np.asarray(_HLG_DISPLAY_PEAK_NITS * np.clip(scene, 0.0, 1.0) ** _HLG_SYSTEM_GAMMA)


def _hdr_to_sdr(nits: np.ndarray) -> np.ndarray:
    """Display light in cd/m² to SDR linear light (0..1): reference white to 1.0, then
    a knee: linear up to ``_KNEE``, above it an exponential shoulder that meets the
    line with the same slope and approaches 1.0 (HDR highlights keep some gradation)."""
    relative = nits / REFERENCE_WHITE_NITS
    headroom = 1.0 - _KNEE
    shoulder = _KNEE + headroom * (1.0 - np.exp(-(relative - _KNEE) / headroom))
    return np.asarray(np.where(relative <= _KNEE, relative, shoulder))

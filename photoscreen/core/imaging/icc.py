"""ICC profiles of the matrix/TRC kind: read into numbers, or written from them.

Nearly every photo with a profile carries this simplest kind (sRGB, Display P3 from
iPhones, Adobe RGB from cameras): three colorants and three tone curves. Reading them
lets :mod:`photoscreen.core.imaging.colour` convert pixels with one matrix on linear light, and
tell whether a profile really is sRGB by what it does rather than by its name. Writing
one lets :mod:`photoscreen.core.imaging.nclx` hand HEIF colour given as code points to the same
conversion. Lookup-table profiles (and CMYK) are not read here: LittleCMS handles those.

Profiles come from the photo, so they are treated as hostile: every offset is
bounds-checked and anything odd gives ``None`` (the caller then falls back to LittleCMS).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]

# The profile connection space's white (ICC.1, 7.2.16), as profiles store it.
D50 = np.array([0.9642, 1.0, 0.8249])
# Bradford cone response (ICC.1 Annex E): the chromatic adaptation ICC profiles use.
_BRADFORD = np.array(
    [[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]]
)
_MATRIX_TAGS = (b"rXYZ", b"gXYZ", b"bXYZ")
_CURVE_TAGS = (b"rTRC", b"gTRC", b"bTRC")
# With any of these, LittleCMS uses the tables rather than the matrix for some intent.
_TABLE_TAGS = (b"A2B0", b"A2B1", b"A2B2", b"B2A0", b"B2A1", b"B2A2", b"D2B0", b"D2B1")
_PARAMETER_COUNTS = {0: 1, 1: 3, 2: 4, 3: 5, 4: 7}
_MAX_TAGS = 100


@dataclass(frozen=True)
class MatrixShaper:
    """What an RGB matrix/TRC profile says its pixel values mean.

    ``colorants`` has the red, green and blue colorants (D50-adapted XYZ) as columns, so
    ``colorants @ linear_rgb`` is XYZ; ``linear`` is 3 x 256: each channel's 8-bit code
    value to linear light (0..1).
    """

    colorants: Matrix
    linear: Matrix


def read_matrix_shaper(icc: bytes) -> MatrixShaper | None:
    """The colorants and curves of an RGB matrix/TRC profile, or ``None`` if it is not
    one (lookup tables, another colour space) or cannot be read."""
    if len(icc) < 132 or icc[16:20] != b"RGB " or icc[20:24] != b"XYZ ":
        return None
    table = _tag_table(icc)
    if table is None or any(name in table for name in _TABLE_TAGS):
        return None

    def tag(name: bytes) -> bytes | None:
        # Sliced only for the six tags used: the table may point every entry at the
        # same megabytes, and a copy of each would multiply them.
        where = table.get(name)
        return None if where is None else icc[where[0] : where[0] + where[1]]

    columns = [_xyz(tag(name)) for name in _MATRIX_TAGS]
    codes = np.arange(256) / 255.0
    curves = [_evaluate_curve(tag(name), codes) for name in _CURVE_TAGS]
    if any(c is None for c in columns) or any(c is None for c in curves):
        return None
    colorants = np.array(columns, dtype=np.float64).T
    if abs(np.linalg.det(colorants)) < 1e-6:
        return None
    return MatrixShaper(colorants, np.array(curves, dtype=np.float64))


def _tag_table(icc: bytes) -> dict[bytes, tuple[int, int]] | None:
    """Each tag's (offset, size) by signature (``None`` when the table is damaged)."""
    count = int.from_bytes(icc[128:132], "big")
    if count > _MAX_TAGS or 132 + 12 * count > len(icc):
        return None
    tags: dict[bytes, tuple[int, int]] = {}
    for index in range(count):
        signature, offset, size = struct.unpack_from(">4sII", icc, 132 + 12 * index)
        if offset + size > len(icc) or size < 8:
            return None
        tags[signature] = (offset, size)
    return tags


def _xyz(tag: bytes | None) -> tuple[float, float, float] | None:
    if tag is None or len(tag) < 20 or tag[:4] != b"XYZ ":
        return None
    x, y, z = struct.unpack_from(">3i", tag, 8)
    return x / 65536, y / 65536, z / 65536


def _evaluate_curve(tag: bytes | None, x: Matrix) -> Matrix | None:
    """A ``curv`` or ``para`` tone curve (ICC.1 10.6, 10.18) at ``x`` (0..1)."""
    if tag is None or len(tag) < 12:
        return None
    if tag[:4] == b"curv":
        return _sampled(tag, x)
    if tag[:4] == b"para":
        return _parametric(tag, x)
    return None


def _sampled(tag: bytes, x: Matrix) -> Matrix | None:
    count = int.from_bytes(tag[8:12], "big")
    if count == 0:
        return x.copy()  # the identity
    if len(tag) < 12 + 2 * count:
        return None
    if count == 1:
        return np.asarray(x ** (int.from_bytes(tag[12:14], "big") / 256.0))
    table = np.frombuffer(tag, dtype=">u2", count=count, offset=12) / 65535.0
    return np.interp(x * (count - 1), np.arange(count), table)


def _parametric(tag: bytes, x: Matrix) -> Matrix | None:
    kind = int.from_bytes(tag[8:10], "big")
    wanted = _PARAMETER_COUNTS.get(kind)
    if wanted is None or len(tag) < 12 + 4 * wanted:
        return None
    values = [v / 65536 for v in struct.unpack_from(f">{wanted}i", tag, 12)]
    g, a, b, c, d, e, f = values + [0.0] * (7 - wanted)
    if kind == 0:
        a, b, d = 1.0, 0.0, 0.0
    elif kind in (1, 2):
        # Below -b/a the curve is flat: 0 (type 1) or c (type 2), which it adds above.
        d = -b / a if a else 0.0
        e = f = c if kind == 2 else 0.0
        c = 0.0
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        above = np.maximum(a * x + b, 0.0) ** g + e
        y = np.where(x >= d, above, c * x + f)
    return np.asarray(np.clip(np.nan_to_num(y), 0.0, 1.0))


# --- writing ------------------------------------------------------------------------


def rgb_to_xyz(primaries: Sequence[tuple[float, float]], white: tuple[float, float]) -> Matrix:
    """Linear RGB -> XYZ for primaries and a white point given as xy chromaticities."""
    columns = np.array([xy_to_xyz(xy) for xy in primaries]).T
    return np.asarray(columns * np.linalg.solve(columns, xy_to_xyz(white)))


def colorants_d50(primaries: Sequence[tuple[float, float]], white: tuple[float, float]) -> Matrix:
    """A colour space's colorants as a profile stores them: adapted from its white to D50."""
    return np.asarray(adaptation(xy_to_xyz(white), D50) @ rgb_to_xyz(primaries, white))


def adaptation(source_white: Matrix, target_white: Matrix) -> Matrix:
    """The Bradford chromatic adaptation between two white points (XYZ)."""
    gain = (_BRADFORD @ target_white) / (_BRADFORD @ source_white)
    return np.asarray(np.linalg.inv(_BRADFORD) @ np.diag(gain) @ _BRADFORD)


def xy_to_xyz(xy: tuple[float, float] | Matrix) -> Matrix:
    x, y = float(xy[0]), float(xy[1])
    return np.array([x / y, 1.0, (1.0 - x - y) / y])


def parametric_curve(
    g: float, a: float = 1.0, b: float = 0.0, c: float = 0.0, d: float = 0.0
) -> bytes:
    """A ``para`` tone curve: ``(a*x + b)**g`` from ``d`` up, ``c*x`` below (type 3),
    or the plain power ``x**g`` when only ``g`` is given (type 0)."""
    if (a, b, c, d) == (1.0, 0.0, 0.0, 0.0):
        return b"para\x00\x00\x00\x00" + struct.pack(">HH", 0, 0) + _s15(g)
    return b"para\x00\x00\x00\x00" + struct.pack(">HH", 3, 0) + b"".join(map(_s15, (g, a, b, c, d)))


def sampled_curve(values: Matrix) -> bytes:
    """A ``curv`` tone curve from samples (0..1) evenly spaced over the code values."""
    table = np.round(np.clip(values, 0.0, 1.0) * 65535).astype(">u2")
    return b"curv\x00\x00\x00\x00" + struct.pack(">I", table.size) + table.tobytes()


def write_matrix_shaper(
    description: str, colorants: Matrix, curves: Sequence[bytes], white: Matrix
) -> bytes:
    """An ICC v4 RGB display profile from D50 colorants (columns), three curves and the
    colour space's own white (XYZ), recorded in its ``chad`` tag as v4 asks."""
    chad = adaptation(white, D50)
    tags = [
        (b"desc", _text(description)),
        (b"cprt", _text("No copyright, use freely")),
        (b"wtpt", _xyz_tag(D50)),
        (b"chad", b"sf32\x00\x00\x00\x00" + b"".join(_s15(v) for v in chad.ravel())),
        *((name, _xyz_tag(colorants[:, i])) for i, name in enumerate(_MATRIX_TAGS)),
        *zip(_CURVE_TAGS, curves, strict=True),
    ]
    return _assemble(tags)


def _assemble(tags: list[tuple[bytes, bytes]]) -> bytes:
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data + b"\x00" * (-len(data) % 4)
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"\x00" * 4  # preferred CMM: none
        + bytes((4, 0x30, 0, 0))  # version 4.3
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\x00" * 24  # platform, flags, manufacturer, model, attributes
        + struct.pack(">I", 1)  # rendering intent: relative colorimetric
        + b"".join(_s15(v) for v in D50)
        + b"\x00" * 48  # creator, profile ID (not computed), reserved
    )
    return header + struct.pack(">I", len(tags)) + table + body


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz_tag(xyz: Matrix) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + b"".join(_s15(v) for v in xyz)


def _text(text: str) -> bytes:
    """A one-record ``mluc`` tag (en-US), the v4 type for descriptions."""
    encoded = text.encode("utf-16-be")
    return (
        b"mluc\x00\x00\x00\x00"
        + struct.pack(">II2s2sII", 1, 12, b"en", b"US", len(encoded), 28)
        + encoded
    )

"""A JPEG segment walker written from the standard, independent of any image library.

Both the metadata inspector and the export verifier need to see *every* segment of a JPEG
file, including the ones a decoder skips silently (comments, unknown APPn blocks, bytes
after the end-of-image marker, further images appended after it). Pillow hides exactly
those, so the verifier must not rely on the same library that wrote the file.

A JPEG file is a sequence of markers (``0xFF`` + a code). Most carry a two-byte length and
a payload; SOI, EOI and RST0-7 stand alone; a start-of-scan (SOS) is followed by
entropy-coded data in which ``0xFF`` is escaped as ``0xFF 0x00`` and RSTn may appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

SOI = 0xD8
EOI = 0xD9
SOS = 0xDA
DQT = 0xDB
DHT = 0xC4
DRI = 0xDD
COM = 0xFE
APP0 = 0xE0
APP1 = 0xE1
APP2 = 0xE2
APP13 = 0xED
APP14 = 0xEE
RST_MARKERS = frozenset(range(0xD0, 0xD8))
# Start-of-frame markers (DHT 0xC4, JPG 0xC8 and DAC 0xCC share the range but are not SOFs).
SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {DHT, 0xC8, 0xCC}
_STANDALONE = RST_MARKERS | {SOI, EOI, 0x01}

# Entropy-coded data is searched in windows of this many bytes: a scan usually ends
# within the first window (several scans in a progressive JPEG), so the whole rest of the
# file is not compared for every scan, and the temporary arrays stay small.
SCAN_WINDOW = 1 << 18
# Segments in one image. A camera JPEG has a few dozen (a progressive one a few more, an
# ICC profile split over APP2 segments up to 255); a file of nothing but two-byte markers
# would otherwise make a Python object of every two bytes.
MAX_SEGMENTS = 10_000
_FIRST_WINDOW = 4096
_QUICK_LOOKS = 8

_NAMES = {
    SOI: "SOI",
    EOI: "EOI",
    SOS: "SOS",
    DQT: "DQT",
    DHT: "DHT",
    DRI: "DRI",
    COM: "COM",
    0xC0: "SOF0",
    0xC1: "SOF1",
    0xC2: "SOF2",
    0xC3: "SOF3",
}


class JpegStructureError(ValueError):
    """The bytes are not a well-formed JPEG; the message says where and why."""


@dataclass(frozen=True)
class Segment:
    """One marker segment: its code, where its ``0xFF`` sits, and its payload.

    ``payload`` is the bytes after the length field (empty for standalone markers).
    ``restart_markers`` counts the RSTn markers inside the scan that follows an SOS
    (when the walk was asked to count them).
    """

    marker: int
    offset: int
    payload: bytes
    restart_markers: int = 0

    @property
    def name(self) -> str:
        """A readable name such as ``APP1``, ``SOF2`` or ``COM``."""
        if self.marker in _NAMES:
            return _NAMES[self.marker]
        if 0xE0 <= self.marker <= 0xEF:
            return f"APP{self.marker - 0xE0}"
        if self.marker in SOF_MARKERS:
            return f"SOF{self.marker - 0xC0}"
        if self.marker in RST_MARKERS:
            return f"RST{self.marker - 0xD0}"
        return f"marker 0x{self.marker:02X}"


@dataclass(frozen=True)
class JpegLayout:
    """The segments of the first image in a file, and what follows its EOI.

    ``end`` is the offset just after the first EOI, or ``None`` if the file stops before
    one (truncated). :attr:`trailing` is every byte after that EOI: appended images (MPF
    gain maps, depth maps) or other data.
    """

    segments: tuple[Segment, ...]
    end: int | None
    # The walked bytes; the rest of the file is copied only when asked for (a file of many
    # tiny appended images is walked image by image, and copying the rest for each
    # would take time growing with the square of the file's size).
    data: bytes = field(repr=False, compare=False)

    @property
    def trailing(self) -> bytes:
        """Every byte after the first EOI (empty when there is none)."""
        return b"" if self.end is None else bytes(self.data[self.end :])

    def find(self, marker: int) -> list[Segment]:
        """All segments with this marker code, in file order."""
        return [s for s in self.segments if s.marker == marker]

    @property
    def frame(self) -> Segment | None:
        """The start-of-frame segment, if there is one."""
        return next((s for s in self.segments if s.marker in SOF_MARKERS), None)


def frame_size(frame: Segment) -> tuple[int, int]:
    """Width and height recorded in a start-of-frame segment."""
    if len(frame.payload) < 6:
        raise JpegStructureError(f"{frame.name} segment is too short")
    height = int.from_bytes(frame.payload[1:3], "big")
    width = int.from_bytes(frame.payload[3:5], "big")
    return width, height


def walk_jpeg(data: bytes, start: int = 0, *, count_restarts: bool = False) -> JpegLayout:
    """Walk the JPEG image that starts at ``start``; raise :class:`JpegStructureError`.

    ``count_restarts`` fills in :attr:`Segment.restart_markers` (one more pass over the
    entropy-coded data, so only on request).

    Stops at the first EOI. A file that ends before its EOI gives ``end=None`` rather
    than an error, so callers can say "truncated" in their own words; a malformed segment
    (bad length, garbage where a marker should be) raises.
    """
    if data[start : start + 2] != b"\xff\xd8":
        raise JpegStructureError("does not start with a JPEG start-of-image marker")
    segments = [Segment(SOI, start, b"")]
    pos = start + 2
    while True:
        if len(segments) > MAX_SEGMENTS:
            raise JpegStructureError(f"more than {MAX_SEGMENTS} marker segments")
        marker_at, marker = _next_marker(data, pos)
        if marker is None:
            return JpegLayout(tuple(segments), None, data)
        if marker == EOI:
            segments.append(Segment(EOI, marker_at, b""))
            return JpegLayout(tuple(segments), marker_at + 2, data)
        if marker in _STANDALONE:
            segments.append(Segment(marker, marker_at, b""))
            pos = marker_at + 2
            continue
        payload, pos = _read_payload(data, marker_at, marker)
        if marker == SOS:
            scan_end, restarts = _skip_scan(data, pos, count_restarts)
            segments.append(Segment(marker, marker_at, payload, restarts))
            if scan_end is None:
                return JpegLayout(tuple(segments), None, data)
            pos = scan_end
        else:
            segments.append(Segment(marker, marker_at, payload))


def _next_marker(data: bytes, pos: int) -> tuple[int, int | None]:
    """The offset and code of the marker at ``pos`` (fill bytes 0xFF allowed before it)."""
    if pos >= len(data):
        return pos, None
    if data[pos] != 0xFF:
        raise JpegStructureError(f"expected a marker at byte {pos}, found 0x{data[pos]:02X}")
    code_at = pos + 1
    while code_at < len(data) and data[code_at] == 0xFF:
        code_at += 1
    if code_at >= len(data):
        return pos, None
    if data[code_at] == 0x00:
        raise JpegStructureError(f"invalid marker 0xFF00 at byte {pos}")
    return code_at - 1, data[code_at]


def _read_payload(data: bytes, marker_at: int, marker: int) -> tuple[bytes, int]:
    """The payload of a length-prefixed segment and the offset just after it."""
    length_at = marker_at + 2
    if length_at + 2 > len(data):
        return b"", len(data)
    length = int.from_bytes(data[length_at : length_at + 2], "big")
    if length < 2:
        raise JpegStructureError(f"segment 0x{marker:02X} at byte {marker_at} has length {length}")
    end = length_at + length
    if end > len(data):
        # The file ends inside this segment: report it as truncated via the caller.
        return bytes(data[length_at + 2 :]), len(data)
    return bytes(data[length_at + 2 : end]), end


def _skip_scan(data: bytes, pos: int, count_restarts: bool) -> tuple[int | None, int]:
    """Skip entropy-coded data; the offset of the next real marker and the RSTn count."""
    end = find_scan_end(data, pos)
    if not count_restarts:
        return end, 0
    return end, count_restart_markers(data, pos, len(data) if end is None else end)


def find_scan_end(data: bytes, pos: int, window: int = SCAN_WINDOW) -> int | None:
    """The offset of the first 0xFF from ``pos`` that ends entropy-coded data, or None.

    In a scan 0xFF is followed by a stuffed 0x00 or by RST0-7 (0xD0-0xD7); anything else,
    including another 0xFF (a fill byte before a marker), ends it. A vectorised search:
    looking at each byte in Python would cost a second per photo.
    """
    # A short scan (thousands of them in a hostile file) is ended by the first few 0xFF
    # bytes: looking at those costs less than setting up a vectorised search.
    at = pos
    for _ in range(_QUICK_LOOKS):
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            return None
        follower = data[at + 1]
        if follower != 0x00 and follower & 0xF8 != 0xD0:
            return at
        at += 2
    view = np.frombuffer(data, dtype=np.uint8)
    start = at
    # The windows start small and double: a long run of stuffed bytes near the start of
    # a scan must not cost a full window each time either.
    size = min(window, _FIRST_WINDOW)
    while start < len(view) - 1:
        # One byte of overlap so a 0xFF at a window's last byte is judged with its follower.
        stop = min(len(view), start + size + 1)
        hit = _first_scan_end(view[start:stop])
        if hit is not None:
            return start + hit
        start = stop - 1
        size = min(window, size * 2)
    return None


def _first_scan_end(chunk: npt.NDArray[np.uint8]) -> int | None:
    """Index of the first 0xFF in ``chunk`` (not its last byte) followed by a marker code."""
    candidates = np.flatnonzero(chunk[:-1] == 0xFF)
    if candidates.size == 0:
        return None
    following = chunk[candidates + 1]
    ends = candidates[(following != 0x00) & ((following & 0xF8) != 0xD0)]
    return int(ends[0]) if ends.size else None


def count_restart_markers(data: bytes, start: int, end: int) -> int:
    """How many RSTn markers (0xFF 0xD0-0xD7) lie wholly in ``data[start:end]``."""
    chunk = np.frombuffer(data, dtype=np.uint8)[start:end]
    if chunk.size < 2:
        return 0
    # 0xFF is rare in entropy-coded data (~1 byte in 160): test only its followers.
    following = chunk[np.flatnonzero(chunk[:-1] == 0xFF) + 1]
    return int(np.count_nonzero((following & 0xF8) == 0xD0))

"""What the metadata inspector reports: one plain-words finding per kind of data.

Kept apart from the format readers so each of them (EXIF, XMP, IPTC, container walkers)
can produce findings without importing the others.

A finding says *what* the data is in words a member of staff understands ("photographer's
name", "GPS location") and, where showing it helps, what it says ("Jo Bennett"). The same
thing is often stored several times in one file: the caption in IPTC and again in XMP, the
photographer as EXIF artist, camera owner and IPTC by-line. :func:`merged` makes one line
of each meaning, so the side panel and ``photoscreen verify`` list each thing once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from photoscreen.core.basics import printable

# Stable short ids, in the order a summary lists them (most identifying first).
KINDS = (
    "names",
    "gps",
    "location",
    "owner",
    "serial",
    "camera",
    "datetime",
    "comment",
    "text",
    "software",
    "thumbnail",
    "secondary_image",
    "makernote",
    "xmp",
    "iptc",
    "exif",
    "other",
    "trailing_data",
    "too_large",
    "damaged",
)

# A part of the file that could not be checked: its structure breaks off (damaged), or it
# declares more than a reader will take on (too large). What follows, or what that part
# holds, is unknown, so ``photoscreen verify`` reports such a file as not checked.
DAMAGED = "damaged"
TOO_LARGE = "too_large"
UNCHECKED_KINDS = (DAMAGED, TOO_LARGE)

# Meanings shared by several readers: findings with the same words are merged into one.
NAMES = "names in photo tags"
GPS = "GPS location"
PLACES = "place names"
PHOTOGRAPHER = "photographer's name"
COPYRIGHT = "copyright notice"
CAMERA = "camera model"
LENS = "lens model"
CAMERA_SERIAL = "camera serial number"
LENS_SERIAL = "lens serial number"
TAKEN = "date and time taken"
CHANGED = "date and time last changed"
SOFTWARE = "software used"
CAPTION = "a caption"
TITLE = "a title"
KEYWORDS = "keywords"
COMMENT = "a comment"
OTHER_TEXT = "other text"
THUMBNAIL = "a small preview picture (embedded thumbnail)"
# Data whose content we do not read or name: the block is named in brackets ("XMP").
OTHER = "other hidden data"

# Longest run of values shown on one line, in characters.
_TEXT_LIMIT = 60
# Longest single value kept: enough for any caption, while a file cannot make us hold a
# megabyte of one text per finding.
_VALUE_LIMIT = 1000
_MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
# EXIF's "2024:05:14 10:32:05", XMP's "2024-05-14T10:32:05+01:00", IPTC's "20240514".
_DATE = re.compile(r"^\s*(\d{4})[-:]?(\d{2})[-:]?(\d{2})(?:[T ](\d{2}):?(\d{2}))?")


@dataclass(frozen=True)
class Finding:
    """One kind of identifying data a file carries.

    ``kind`` is a stable id (one of :data:`KINDS`); ``what`` names the data in plain
    words; ``values`` are what it says, where showing it helps (names, a place, a
    caption). Values are kept with whitespace runs made single spaces; control and
    direction characters are made visible only when :attr:`text` is written.
    """

    kind: str
    what: str
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        cleaned = (" ".join(v[: _VALUE_LIMIT * 2].split())[:_VALUE_LIMIT] for v in self.values)
        object.__setattr__(self, "values", tuple(dict.fromkeys(v for v in cleaned if v)))

    @property
    def text(self) -> str:
        """The line shown to people: "photographer's name (Jo Bennett)"."""
        if not self.values:
            return self.what
        shown = _shown(self.values)
        if self.what == NAMES:
            count = len(self.values)
            return f"{count} {'name' if count == 1 else 'names'} in photo tags ({shown})"
        return f"{self.what} ({shown})"


def too_large(part: str) -> Finding:
    """A part of the file too large to check: "a part too large to check (XMP, 40 MB)".

    Every reader stops at a bound (bytes read, values decoded, text inflated) whatever the
    file declares, so a file cannot make photoscreen use unbounded memory or time; what it
    did not read it says here, in words a person can act on.
    """
    return Finding(TOO_LARGE, "a part too large to check", (part,))


def merged(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per meaning, most identifying first.

    Findings with the same ``what`` become one, with the values of all of them: the
    caption in IPTC and in XMP is one caption, Jo Bennett as artist and as by-line is one
    photographer. A value that only repeats the start of a longer one (an IPTC date beside
    the EXIF date and time, a caption cut short by one format) is dropped.
    """
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.what, []).append(finding)
    order = {kind: index for index, kind in enumerate(KINDS)}
    result = []
    for what, group in groups.items():
        kind = min((f.kind for f in group), key=lambda k: order.get(k, len(KINDS)))
        result.append(Finding(kind, what, _distinct(v for f in group for v in f.values)))
    result.sort(key=lambda f: order.get(f.kind, len(KINDS)))
    return result


def summarize(findings: Iterable[Finding]) -> str:
    """One line for staff, most identifying first, e.g. "GPS location (53.68 N, 1.51 W),
    camera serial number"; "clean" when there is nothing."""
    lines = [f.text for f in merged(findings)]
    return ", ".join(lines) if lines else "clean"


def date_words(value: str) -> str:
    """A metadata date as people write it: "2024:05:14 10:32:05" -> "14 May 2024, 10:32".

    Takes EXIF's, XMP's (ISO 8601) and IPTC's ("20240514") forms; anything else is
    returned as it is.
    """
    match = _DATE.match(value)
    if match is None:
        return value
    year, month, day, hour, minute = match.groups()
    if not 1 <= int(month) <= 12 or not 1 <= int(day) <= 31:
        return value
    words = f"{int(day)} {_MONTHS[int(month) - 1]} {year}"
    return f"{words}, {hour}:{minute}" if hour else words


def camera_words(make: str, model: str) -> str:
    """The camera as one name, without the maker said twice ("Canon EOS 250D")."""
    make, model = make.strip(), model.strip()
    first_word = make.split()[0].casefold() if make else ""
    if not make or (first_word and model.casefold().startswith(first_word)):
        return model
    return f"{make} {model}".strip()


def more_pictures(count: int, where: str) -> str:
    """ "another picture in the file", "3 more pictures after the photo"."""
    return f"another picture {where}" if count == 1 else f"{count} more pictures {where}"


def animation(frames: int) -> str:
    """An animated picture: each frame is a picture of its own."""
    return f"an animation ({frames} frames)"


def _shown(values: tuple[str, ...]) -> str:
    """As many values as fit on a line, then how many more: "k0, k1, k2 and 39997 more"."""
    # Values that hold commas themselves (a GPS position) are kept apart by semicolons.
    separator = "; " if any("," in v for v in values[:50]) else ", "
    shown: list[str] = []
    length = 0
    for value in values:
        text = printable(value)
        length += len(text) + (len(separator) if shown else 0)
        if length > _TEXT_LIMIT and shown:
            break
        shown.append(text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…")
    more = len(values) - len(shown)
    return separator.join(shown) + (f" and {more} more" if more else "")


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    """The values once each (ignoring case), without those that start a longer one."""
    unique: dict[str, str] = {}
    for value in values:
        unique.setdefault(value.casefold(), value)
    folded = sorted(unique)
    # A value that starts another, at a word's end, sorts right before one that it starts.
    shorter = {
        value
        for value, following in pairwise(folded)
        if following.startswith(value) and not following[len(value)].isalnum()
    }
    return tuple(v for key, v in unique.items() if key not in shorter)

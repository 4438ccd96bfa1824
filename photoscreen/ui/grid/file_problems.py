"""Why a file of the folder cannot be used, told once, in plain words.

The core lists every file it could not use, with its reason (see
:mod:`photoscreen.core.formats.sniffing` and :mod:`photoscreen.core.imaging.loading`). Staff
need to tell two cases apart: a file photoscreen does not work with (a video, a document, a
BMP...), which is expected and harmless, and a photo that is damaged or could not be read,
which may need copying from the camera again. The grid badge, the side panel and the photo
view all take their words from :func:`file_problem`, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from photoscreen.core.rules import PhotoState, PhotoStatus

# How the core's policy prefixes an unreadable file's reason.
_POLICY_PREFIX = "Could not be read: "
# How the core's format sniffing starts the reason for a file that is not a usable photo.
_NOT_AN_IMAGE = "not an image"
_UNSUPPORTED_FORMAT = "unsupported format: "
_NOT_A_PHOTO_SUFFIX = ", not a photo"  # a link, a folder, a device


@dataclass(frozen=True)
class FileProblem:
    """What to say about a file that cannot be used."""

    unsupported: bool  # True: not a kind of file photoscreen works with; False: damaged
    badge: str  # the grid badge, a few words
    headline: str  # the side panel's status line
    sentence: str  # the one explanation, for the side panel and the photo view


def file_problem(status: PhotoStatus) -> FileProblem | None:
    """The problem of an unreadable file, or None for any other status."""
    if status.state is not PhotoState.UNREADABLE:
        return None
    reason = status.reasons[0] if status.reasons else ""
    if reason.startswith(_POLICY_PREFIX):
        reason = reason[len(_POLICY_PREFIX) :]
    return problem_for_reason(reason)


def problem_for_reason(reason: str) -> FileProblem:
    """The problem behind the core's plain-words ``reason`` for not using a file."""
    reason = reason.strip() or "the file could not be read"
    if reason.startswith(_NOT_AN_IMAGE) or reason.endswith(_NOT_A_PHOTO_SUFFIX):
        detail = reason.removeprefix(_NOT_AN_IMAGE).strip().removeprefix("(").removesuffix(")")
        return _unsupported(f"Not a photo photoscreen can use ({detail}).")
    if reason.startswith(_UNSUPPORTED_FORMAT):
        detail = reason[len(_UNSUPPORTED_FORMAT) :]
        return _unsupported(
            f"A picture format photoscreen cannot read ({detail}). Save it as JPEG to include it."
        )
    return FileProblem(
        unsupported=False,
        badge="Can't open",
        headline="Cannot be opened",
        sentence=f"This file cannot be opened: {reason}. It will not be posted. "
        "If you need it, copy it from the camera again.",
    )


def _unsupported(sentence: str) -> FileProblem:
    return FileProblem(
        unsupported=True,
        badge="Not supported",
        headline="Not supported",
        sentence=f"{sentence} It will not be posted.",
    )

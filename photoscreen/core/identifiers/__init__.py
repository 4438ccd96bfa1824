"""Writing that could identify someone (name labels, names on artwork, number plates):
found, never read.

:class:`TextDetector` locates lines of writing with the PP-OCRv4 *detection* network and
returns boxes; no character is ever recognised and no text is ever stored. The session
keeps each box as a "writing?" region (see :mod:`photoscreen.core.rules.policy`'s
``RegionKind``) that a person accepts (redacted, solid fill by default) or dismisses.
"""

from photoscreen.core.identifiers.combined import WRITING_MARK, with_writing
from photoscreen.core.identifiers.text_detector import (
    PreparedText,
    TextDetector,
    TextRegion,
    TextSettings,
)
from photoscreen.core.identifiers.text_model import TextModelMissingError, dynamic_model_bytes

__all__ = [
    "WRITING_MARK",
    "PreparedText",
    "TextDetector",
    "TextModelMissingError",
    "TextRegion",
    "TextSettings",
    "dynamic_model_bytes",
    "preload",
    "with_writing",
    "writing_problem",
]


def preload() -> None:
    """Read and prepare the model now (the window does, before it shows); a missing model
    is left for the detector to report when it is built."""
    try:
        dynamic_model_bytes()
    except TextModelMissingError:
        return


def writing_problem() -> str | None:
    """Why writing cannot be looked for on this PC (its model is missing or damaged), in
    words to show; None when it can. Faces are still found either way."""
    try:
        dynamic_model_bytes()
    except TextModelMissingError as error:
        return f"Writing (names, number plates) is not looked for: {error}"
    return None

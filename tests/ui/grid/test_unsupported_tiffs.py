"""Camera raw TIFFs and preview-only TIFFs are files photoscreen does not work with, not
damaged ones: the window must say "not supported" for the core's reasons for them."""

from __future__ import annotations

import numpy as np
import pytest

from photoscreen.core.imaging.loading import UnreadablePhoto, decode_photo
from photoscreen.core.rules.policy import PhotoDecisions, photo_status
from photoscreen.ui.grid.file_problems import file_problem
from tests.helpers.photos import make_paged_tiff, other_pixels

PREVIEW = {254: (4, (1,))}
DNG_VERSION = {50706: (1, b"\x01\x04\x00\x00")}


@pytest.mark.parametrize(
    "data",
    [
        make_paged_tiff([(other_pixels(32, 24), {**PREVIEW, **DNG_VERSION})]),
        make_paged_tiff(
            [(other_pixels(32, 24), PREVIEW)],
            sub_ifds=[(np.zeros((24, 32, 1), np.uint8), {262: (3, (32803,)), 277: (3, (1,))})],
        ),
        make_paged_tiff([(other_pixels(32, 24), PREVIEW)]),
    ],
    ids=["dng", "raw in a sub-IFD", "only previews"],
)
def test_window_calls_them_unsupported(data: bytes) -> None:
    with pytest.raises(UnreadablePhoto) as caught:
        decode_photo(data)
    status = photo_status(PhotoDecisions(photo_hash="h", unreadable_reason=caught.value.reason), ())
    problem = file_problem(status)
    assert problem is not None
    assert problem.unsupported, caught.value.reason

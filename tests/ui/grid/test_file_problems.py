"""Files that cannot be used: "not supported" (a video...) is told apart from "damaged"."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from photoscreen.core.formats.sniffing import describe_unsupported
from photoscreen.core.imaging.loading import UnreadablePhoto, decode_photo
from photoscreen.core.rules.policy import PhotoDecisions, PhotoState, PhotoStatus, photo_status
from photoscreen.ui.grid.delegate import BADGE_COLOURS, badge_colours, badge_text
from photoscreen.ui.grid.file_problems import file_problem
from photoscreen.ui.grid.filters import counts_text

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64)


def _status(reason: str) -> PhotoStatus:
    """The status the core gives a file it could not use for ``reason``."""
    return photo_status(PhotoDecisions(photo_hash="h", unreadable_reason=reason), ())


def _truncated_jpeg_reason() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buffer, "JPEG")
    with pytest.raises(UnreadablePhoto) as caught:
        decode_photo(buffer.getvalue()[:300])
    return caught.value.reason


@pytest.mark.parametrize(
    ("data", "words"),
    [(MP4_HEAD, "video"), (b"BM" + bytes(64), "BMP"), (b"%PDF-1.4" + bytes(64), "PDF")],
)
def test_videos_and_other_files_are_not_supported(data: bytes, words: str):
    status = _status(describe_unsupported(data))
    problem = file_problem(status)
    assert problem is not None and problem.unsupported
    assert badge_text(status) == "Not supported"
    assert words in problem.sentence and "will not be posted" in problem.sentence
    assert "Could not be read" not in problem.sentence


def test_a_damaged_photo_cannot_be_opened():
    reason = _truncated_jpeg_reason()
    status = _status(reason)
    problem = file_problem(status)
    assert problem is not None and not problem.unsupported
    assert badge_text(status) == "Can't open"
    assert problem.sentence.startswith(f"This file cannot be opened: {reason}.")
    # The two kinds look different in the grid, not only in words.
    video = _status(describe_unsupported(MP4_HEAD))
    assert badge_colours(status.state, problem) != badge_colours(video.state, file_problem(video))


def test_other_statuses_have_no_file_problem():
    assert file_problem(PhotoStatus(PhotoState.READY, ())) is None


def test_counts_keep_files_that_cannot_be_used_apart_from_photos():
    ready = PhotoStatus(PhotoState.READY, ())
    statuses = [ready, ready, _status(describe_unsupported(MP4_HEAD)), _status("the file is empty")]
    assert counts_text(statuses) == (
        "2 photos: 2 ready; 1 file not supported; 1 file can't be opened"
    )


def test_blocked_and_awaiting_review_badges_are_far_apart_in_colour():
    """Blocked must not be mistaken for "for manager", also with red-green colour blindness."""

    def rgb(hex_colour: str) -> tuple[int, int, int]:
        value = int(hex_colour.lstrip("#"), 16)
        return value >> 16, (value >> 8) & 255, value & 255

    def deuteranope(colour: tuple[int, int, int]) -> tuple[float, float, float]:
        # A rough model of deuteranopia: red and green collapse to one channel.
        r, g, b = colour
        return (0.29 * r + 0.71 * g, 0.29 * r + 0.71 * g, -0.02 * r + 0.02 * g + b)

    blocked = rgb(BADGE_COLOURS[PhotoState.BLOCKED][0])
    review = rgb(BADGE_COLOURS[PhotoState.AWAITING_REVIEW][0])
    for see in (lambda c: tuple(map(float, c)), deuteranope):
        a, b = see(blocked), see(review)
        assert sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5 > 150

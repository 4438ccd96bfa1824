"""The side panel says plainly which part of a file was too large to check.

Every metadata reader stops at a bound whatever the file declares (tests/
test_parsers_bounded.py); what it did not read is a finding of its own, which the panel
lists in words, beside whatever was found in the rest of the file.
"""

from __future__ import annotations

from photoscreen.core.metadata.inspection import inspect_metadata
from photoscreen.ui.threads.photo_jobs import hidden_data_lines
from tests.core.metadata.test_metadata_tags import png_chunk, png_with
from tests.helpers.parser_cases import MB, shared_value_tiff


def test_the_panel_names_the_part_too_large_to_check_and_what_else_was_found():
    exif = png_chunk(b"eXIf", shared_value_tiff(tags=990, blob=MB))
    data = png_with(exif, png_chunk(b"tIME", b"\x07\xe8\x05\x03\x09\x1e\x00"))
    lines = hidden_data_lines(inspect_metadata(data))
    assert "a part too large to check (EXIF tags)" in lines
    assert any(line.startswith("date and time last changed") for line in lines)

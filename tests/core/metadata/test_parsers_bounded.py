"""Every metadata parser works in bounded memory and time, whatever the file declares.

The class of bug: a parser trusts the sizes, counts and offsets in the file. A 4 MB TIFF
whose thousand tags all point at the same 4 MB once made the tag reader allocate 1.85 GB
for ten of them. The cases (:mod:`tests.helpers.parser_cases`) are built attacks on each parser
and a few hundred seeded mutations of valid files; each runs in a child process with a
capped address space, its peak allocation measured, and a time budget per case
(:mod:`tests.helpers.bounded_runs`). A file that cannot be checked to the end is reported as
such, never passed as clean: ``verify`` exits 2 and says which part was too large.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from photoscreen.commands.verify import run
from photoscreen.core.metadata.inspection import TOO_LARGE, inspect_metadata
from tests.core.metadata.test_metadata_tags import png_chunk, png_with
from tests.helpers.bounded_runs import Outcome, run_cases
from tests.helpers.parser_cases import (
    MB,
    entity_bomb_xmp,
    nested_xmp,
    shared_value_tiff,
)
from tests.helpers.photos import make_jpeg, make_png, sample_pixels
from tests.helpers.photos_metadata import exif_bytes

# A case may use this much memory: enough for a copy or two of the file and the findings,
# nowhere near what the declared sizes would take (gigabytes).
BASE_MEMORY = 64 * MB
MEMORY_PER_BYTE = 4
# How many seeded mutations CI runs (a run takes a few seconds).
MUTATIONS = 300
SEED = 20240503


def _problems(outcomes: list[Outcome]) -> list[str]:
    problems = []
    for outcome in outcomes:
        allowed = BASE_MEMORY + MEMORY_PER_BYTE * outcome.size
        if outcome.error is not None:
            problems.append(f"{outcome.label}: raised {outcome.error}")
        elif outcome.peak > allowed:
            problems.append(f"{outcome.label}: used {outcome.peak / MB:.0f} MB")
    return problems


def test_files_declaring_far_more_than_they_hold_are_read_within_bounds() -> None:
    outcomes = run_cases("attacks")
    assert len(outcomes) >= 20
    assert _problems(outcomes) == []


def test_mutated_files_of_every_format_are_read_within_bounds() -> None:
    outcomes = run_cases("mutations", seed=SEED, count=MUTATIONS)
    assert len(outcomes) == MUTATIONS
    assert _problems(outcomes) == []


def _png_exif(structure: bytes) -> bytes:
    return png_with(png_chunk(b"eXIf", structure))


def test_a_part_too_large_to_check_is_said_plainly_beside_what_was_found() -> None:
    """The EXIF block is reported as too large; the text chunk beside it is still read."""
    exif = png_chunk(b"eXIf", shared_value_tiff(tags=990, blob=MB))
    data = png_with(exif, png_chunk(b"tEXt", b"Author\x00Carol"))
    findings = inspect_metadata(data)
    assert [f.text for f in findings if f.kind == TOO_LARGE] == [
        "a part too large to check (EXIF tags)"
    ]
    assert any(f.text == "photographer's name (Carol)" for f in findings)


def test_verify_exits_2_for_a_part_too_large_and_checks_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a-bomb.png").write_bytes(_png_exif(shared_value_tiff(tags=990, blob=MB)))
    (tmp_path / "b-gps.jpg").write_bytes(make_jpeg(sample_pixels(), exif=exif_bytes(gps=True)))
    out = io.StringIO()
    assert run([tmp_path], out) == 2
    lines = out.getvalue().splitlines()
    assert lines[1].startswith(
        f"{tmp_path / 'a-bomb.png'}: cannot be read: a part too large to check (EXIF tags): "
        "the picture can be shown, but that part cannot be checked"
    )
    assert lines[2].startswith(f"{tmp_path / 'b-gps.jpg'}: GPS location")


@pytest.mark.parametrize(
    ("packet", "expected"),
    [
        (nested_xmp(400), ["other hidden data (XMP)", "keywords (k)"]),
        (entity_bomb_xmp(), ["other hidden data (XMP that could not be read)"]),
    ],
)
def test_xmp_nested_in_itself_or_with_entities_is_still_reported(
    packet: bytes, expected: list[str]
) -> None:
    png = make_png(sample_pixels(), xmp=packet)
    assert [f.text for f in inspect_metadata(png)] == expected

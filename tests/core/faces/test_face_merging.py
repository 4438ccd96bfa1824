"""One box per face: a possible face on a face, or a box inside a face, is merged.

The rule (:func:`photoscreen.core.basics.geometry.same_face`) and the merge of a detector run
(:func:`photoscreen.core.faces.detector.merge_same_faces`) are property-tested over any boxes:
nothing any box covered is left outside the merged boxes (redaction stays safe), a face
stays a face, and no two boxes left are of one face. Looking harder uses the same rule
against the boxes already on the photo.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from photoscreen.core.basics.geometry import Box, same_face
from photoscreen.core.faces.detector import Detection, FaceBand, merge_same_faces
from photoscreen.core.rules.policy import FaceState
from photoscreen.core.session import Session
from tests.helpers.session_fixtures import detection, make_ready, scan, write_photo

boxes = st.builds(
    Box,
    st.integers(0, 400).map(float),
    st.integers(0, 300).map(float),
    st.integers(4, 200).map(float),
    st.integers(4, 200).map(float),
)
detections = st.builds(
    Detection, boxes, st.floats(0.05, 1.0), st.sampled_from([FaceBand.FACE, FaceBand.POSSIBLE])
)


def _holds(outer: Box, inner: Box) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and outer.right >= inner.right
        and outer.bottom >= inner.bottom
    )


@given(boxes, boxes)
def test_same_face_is_symmetric_and_a_box_is_its_own_face(a, b):
    assert same_face(a, b) == same_face(b, a)
    assert same_face(a, a)
    if a.intersection(b) == 0:
        assert not same_face(a, b)


@given(st.lists(detections, max_size=25))
def test_merging_keeps_every_covered_pixel_and_every_face(found):
    merged = merge_same_faces(found)
    assert len(merged) <= len(found)
    for before in found:
        holders = [m for m in merged if _holds(m.box, before.box)]
        assert holders, before
        if before.band is FaceBand.FACE:
            assert any(m.band is FaceBand.FACE for m in holders)
    for i, a in enumerate(merged):
        for b in merged[i + 1 :]:
            assert not same_face(a.box, b.box)
    assert [m.score for m in merged] == sorted((m.score for m in merged), reverse=True)


@given(st.lists(detections, max_size=12))
def test_boxes_of_different_faces_are_left_alone(found):
    apart = []
    for d in found:
        if all(d.box.intersection(other.box) == 0 for other in apart):
            apart.append(d)
    assert sorted(merge_same_faces(apart), key=lambda d: (d.box.x, d.box.y)) == sorted(
        apart, key=lambda d: (d.box.x, d.box.y)
    )


def test_a_possible_face_on_a_face_and_a_box_inside_one_are_merged():
    face = Detection(Box(100, 100, 120, 150), 0.9, FaceBand.FACE)
    possible_on_it = Detection(Box(95, 90, 100, 110), 0.3, FaceBand.POSSIBLE)
    eye = Detection(Box(130, 140, 30, 20), 0.5, FaceBand.FACE)
    [merged] = merge_same_faces([possible_on_it, eye, face])
    assert merged.band is FaceBand.FACE and merged.score == 0.9
    assert merged.box == Box(95, 90, 125, 160)
    # Two faces side by side, just touching, stay two.
    neighbour = Detection(Box(220, 100, 120, 150), 0.8, FaceBand.FACE)
    assert len(merge_same_faces([face, neighbour])) == 2


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    with Session.open(tmp_path, user="Alice") as opened:
        yield opened


def test_looking_harder_skips_boxes_inside_known_faces_but_not_faces_holding_dismissed_ones(
    session: Session,
) -> None:
    path = session.folder / "p.jpg"
    write_photo(path, 3)
    digest = scan(
        session,
        path,
        [detection(Box(2, 2, 20, 24)), detection(Box(44, 10, 4, 4), possible=True)],
    )
    _, small = session.faces(digest)
    session.dismiss_face(digest, small.id)
    make_ready(session, digest)
    found = [
        detection(Box(8, 8, 6, 6), possible=True),  # inside the face: the same face
        detection(Box(40, 6, 16, 20)),  # a face whose box holds the dismissed speck
    ]
    assert session.add_detections(digest, found, "k") == (1, 0)
    added = session.faces(digest)[-1]
    assert added.box == Box(40, 6, 16, 20) and added.state is FaceState.FACE

"""The policy: the default activities and the one status function, reasons word for word."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from photoscreen.core.basics.geometry import Box
from photoscreen.core.rules.activities import slugify
from photoscreen.core.rules.policy import (
    Activity,
    Concern,
    FaceRecord,
    FaceSource,
    FaceState,
    PhotoDecisions,
    PhotoState,
    Verdict,
    count_states,
    default_activities,
    photo_status,
)

ACTIVITIES = default_activities()
READY = PhotoDecisions(
    photo_hash="h", activity="messy_play", faces_checked_by="Alice", faces_checked_at="t"
)
ASKED = (Concern("Alice", note="is this ok?"),)


def face(
    face_id: int,
    state: FaceState = FaceState.FACE,
    consent: str | None = None,
    person: str | None = None,
) -> FaceRecord:
    return FaceRecord(
        face_id, Box(1, 2, 3, 4), FaceSource.DETECTOR, state, consent_by=consent, person_id=person
    )


def test_defaults_block_every_activity_that_involves_undress() -> None:
    blocked = {a.key for a in ACTIVITIES if a.blocked}
    assert {"baby_massage", "swimming", "water_play", "nappy_changing_toileting"} <= blocked
    allowed = {a.key for a in ACTIVITIES if not a.blocked}
    assert {"stay_and_play", "messy_play", "story_time", "trips_and_outings"} <= allowed
    assert all(a.block_reason for a in ACTIVITIES if a.blocked)


def test_default_keys_and_shortcuts_are_unique() -> None:
    keys = [a.key for a in ACTIVITIES]
    shortcuts = [a.shortcut for a in ACTIVITIES if a.shortcut]
    assert len(set(keys)) == len(keys)
    assert sorted(shortcuts) == sorted("0123456789")


def test_a_tagged_checked_photo_is_ready() -> None:
    status = photo_status(READY, ACTIVITIES)
    assert status.state is PhotoState.READY
    assert status.reasons == ()
    assert status.exportable


def test_never_scanned_and_unreadable_photos_say_so() -> None:
    assert photo_status(None, ACTIVITIES).reasons == ("Not read yet",)
    broken = PhotoDecisions("h", unreadable_reason="the file is empty")
    status = photo_status(broken, ACTIVITIES)
    assert status.state is PhotoState.UNREADABLE
    assert status.reasons == ("Could not be read: the file is empty",)


def test_a_new_photo_lists_every_reason_in_plain_words() -> None:
    status = photo_status(PhotoDecisions("h"), ACTIVITIES)
    assert status.state is PhotoState.NEEDS_ACTIVITY
    assert status.reasons == ("No activity tagged yet", "Faces not checked yet")


def test_blocked_activity_reason_names_the_activity() -> None:
    status = photo_status(replace(READY, activity="swimming"), ACTIVITIES)
    assert status.state is PhotoState.BLOCKED
    assert status.reasons == ("Blocked: swimming involves undress (policy)",)


def test_blocked_is_absolute_even_when_approved() -> None:
    approved = replace(READY, questions=ASKED, verdict=Verdict.APPROVED, reviewer="Sam")
    for decisions in (
        replace(approved, activity="baby_massage"),
        replace(approved, unclothed=True),
    ):
        status = photo_status(decisions, ACTIVITIES)
        assert status.state is PhotoState.BLOCKED
        assert not status.exportable


def test_unclothed_flag_blocks_whatever_the_activity() -> None:
    status = photo_status(replace(READY, unclothed=True), ACTIVITIES)
    assert status.state is PhotoState.BLOCKED
    assert status.reasons == ("Marked unclothed / semi-clothed",)


def test_possible_faces_must_be_decided() -> None:
    one = replace(READY, faces=(face(1, FaceState.POSSIBLE_PENDING),))
    two = replace(one, faces=(*one.faces, face(2, FaceState.POSSIBLE_PENDING)))
    assert photo_status(one, ACTIVITIES).reasons == ("1 possible face to accept or dismiss",)
    status = photo_status(two, ACTIVITIES)
    assert status.state is PhotoState.CHECK_FACES
    assert status.reasons == ("2 possible faces to accept or dismiss",)


def test_flagged_photo_waits_for_the_manager_and_rejection_keeps_it_out() -> None:
    flagged = replace(READY, questions=(Concern("Alice", note="is this ok?"),))
    assert photo_status(flagged, ACTIVITIES).reasons == ("Waiting for the manager to review it",)
    rejected = replace(flagged, verdict=Verdict.REJECTED, reviewer="Sam", review_note="too clear")
    status = photo_status(rejected, ACTIVITIES)
    assert status.state is PhotoState.REJECTED
    assert status.reasons == ("Rejected by Sam: too clear",)
    approved = replace(flagged, verdict=Verdict.APPROVED, reviewer="Sam")
    assert photo_status(approved, ACTIVITIES).exportable


def test_a_rejection_keeps_an_unflagged_photo_out_too() -> None:
    rejected = replace(READY, verdict=Verdict.REJECTED, reviewer="Sam")
    assert photo_status(rejected, ACTIVITIES).reasons == ("Rejected by Sam",)


def test_excluded_and_removed_activity() -> None:
    assert photo_status(replace(READY, excluded=True), ACTIVITIES).reasons == ("Excluded",)
    gone = photo_status(replace(READY, activity="old_key"), ACTIVITIES)
    assert gone.state is PhotoState.NEEDS_ACTIVITY
    assert gone.reasons == ("The activity 'old_key' is no longer in the centre's list",)


def test_blocked_badge_wins_over_other_reasons() -> None:
    decisions = PhotoDecisions("h", activity="swimming", excluded=True)
    status = photo_status(decisions, ACTIVITIES)
    assert status.state is PhotoState.BLOCKED
    assert "Excluded" in status.reasons and "Faces not checked yet" in status.reasons


def test_centre_blocked_activity_without_reason_gets_a_plain_one() -> None:
    custom = (Activity("forest_school", "Forest school", blocked=True),)
    decisions = replace(READY, activity="forest_school")
    reasons = photo_status(decisions, custom).reasons
    assert reasons == ("Blocked: forest school is a blocked activity (policy)",)


def test_faces_to_redact_skips_shown_dismissed_and_pending() -> None:
    faces = (
        face(1),
        face(2, consent="Alice", person="P-1A2B3C"),
        face(3, FaceState.DISMISSED),
        face(4, FaceState.POSSIBLE_ACCEPTED),
        face(5, FaceState.POSSIBLE_PENDING),
        face(6, consent="Alice"),  # consent on file from before the register: no person
        face(7, person="P-1A2B3C"),  # linked, not shown
    )
    decisions = replace(READY, faces=faces)
    assert decisions.faces_to_redact == (faces[0].box, faces[3].box, faces[5].box, faces[6].box)
    assert [f.needs_linking for f in faces] == [False] * 5 + [True, False]


def test_counts_line() -> None:
    statuses = [photo_status(READY, ACTIVITIES)] * 3 + [
        photo_status(replace(READY, questions=ASKED), ACTIVITIES),
        photo_status(replace(READY, activity="swimming"), ACTIVITIES),
    ]
    assert count_states(statuses) == "3 ready, 1 blocked, 1 waiting for the manager"


def test_slugify_makes_neutral_ascii_names() -> None:
    assert slugify("Arts & crafts") == "arts-crafts"
    assert slugify("Nappy changing / toileting") == "nappy-changing-toileting"
    assert slugify("Café") == "caf"
    assert slugify("!!!") == "photo"


decisions_strategy = st.builds(
    PhotoDecisions,
    photo_hash=st.just("h"),
    activity=st.sampled_from([None, "messy_play", "swimming", "story_time", "gone"]),
    unclothed=st.booleans(),
    excluded=st.booleans(),
    faces=st.lists(st.sampled_from(list(FaceState)), max_size=3).map(
        lambda states: tuple(face(i, s) for i, s in enumerate(states))
    ),
    faces_checked_by=st.sampled_from([None, "Alice"]),
    questions=st.sampled_from([(), ASKED, (*ASKED, Concern("Bob"))]),
    verdict=st.sampled_from([None, Verdict.APPROVED, Verdict.REJECTED]),
    reviewer=st.just("Sam"),
)


@given(decisions_strategy)
def test_exportable_exactly_when_every_rule_holds(decisions: PhotoDecisions) -> None:
    blocked_keys = {a.key for a in ACTIVITIES if a.blocked}
    known = {a.key for a in ACTIVITIES}
    expected = (
        decisions.activity in known
        and decisions.activity not in blocked_keys
        and not decisions.unclothed
        and not decisions.excluded
        and decisions.faces_checked_by is not None
        and all(f.state is not FaceState.POSSIBLE_PENDING for f in decisions.faces)
        and decisions.verdict is not Verdict.REJECTED
        and (not decisions.questions or decisions.verdict is Verdict.APPROVED)
    )
    status = photo_status(decisions, ACTIVITIES)
    assert status.exportable == expected
    assert (status.reasons == ()) == expected

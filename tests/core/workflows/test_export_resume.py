"""An export that can be stopped anywhere and resumed: what is in the upload folder always
agrees with the audit trail, a resumed run completes the set with each picture once,
"only photos not exported yet" skips what went out before, and the progress counts the
photos being exported, not every file in the folder."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photoscreen.core.basics.jobs import CancelToken, Progress
from photoscreen.core.session import Session
from photoscreen.core.workflows import export_photos, exported_before
from tests.helpers.export_checks import assert_folder_agrees_with_the_trail, published_into
from tests.helpers.session_fixtures import make_ready, scan, write_photo


def _folder_with(root: Path, ready: int, not_ready: int) -> tuple[Session, list[str]]:
    """A session with ``ready`` photos ready to post (their hashes returned) and
    ``not_ready`` photos that still need their faces checked, interleaved by name."""
    folder = root / "photos"
    folder.mkdir()
    session = Session.open(folder, "Alice")
    kinds: list[bool] = []  # ready or not, alternating while both last
    while len(kinds) < ready + not_ready:
        if kinds.count(True) < ready:
            kinds.append(True)
        if kinds.count(False) < not_ready:
            kinds.append(False)
    ready_hashes = []
    for i, is_ready in enumerate(kinds):
        path = folder / f"IMG_{i:03d}.jpg"
        write_photo(path, 1000 + i)
        digest = scan(session, path)
        if is_ready:
            make_ready(session, digest)
            ready_hashes.append(digest)
        else:
            session.set_activity(digest, "messy_play")
    return session, ready_hashes


def _stop_after(stop_at: int, cancel: CancelToken):  # type: ignore[no-untyped-def]
    def progress(report: Progress) -> None:
        if report.done >= stop_at:
            cancel.cancel()

    return progress


def _killed_before_naming(session: Session, upload: Path, digest: str) -> None:
    """What an export killed between a photo's entry and its file's name leaves: the
    entry, and its hidden temporary file."""
    upload.mkdir(exist_ok=True)
    name = "messy-play-900.jpg"
    details = {"name": name, "file": "IMG.jpg", "destination": str(upload.resolve())}
    session.log_event("exported", digest, details)
    (upload / f".{name}.0123456789ab.partial").write_bytes(b"half a picture")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ready=st.integers(1, 5),
    not_ready=st.integers(0, 3),
    stop_at=st.integers(0, 6),
    only_new=st.booleans(),
    killed=st.booleans(),
)
def test_any_stop_leaves_the_folder_as_audited_and_a_resume_completes_it_once(
    ready: int, not_ready: int, stop_at: int, only_new: bool, killed: bool
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        session, ready_hashes = _folder_with(root, ready, not_ready)
        with session:
            upload = root / "upload"
            cancel = CancelToken()
            stop = _stop_after(stop_at, cancel)
            first = export_photos(session, upload, cancel=cancel, progress=stop)
            assert_folder_agrees_with_the_trail(session, upload)
            # Every ready photo is accounted for: saved, or named as not reached.
            assert len(first.written) + len(first.not_reached) == ready
            if killed and first.not_reached:
                gone = {w.photo_hash for w in first.written}
                _killed_before_naming(session, upload, min(set(ready_hashes) - gone))
            resumed = export_photos(session, upload, only_new=only_new)
            assert_folder_agrees_with_the_trail(session, upload, killed=killed)
            there = {p.name for p in upload.iterdir()}
            done = [r.photo_hash for r in published_into(session, upload) if r.name in there]
            assert sorted(done) == sorted(ready_hashes)  # the whole set, each picture once
            assert len(first.written) + len(resumed.written) == ready
            assert len(resumed.already) == len(first.written)
            again = export_photos(session, upload)  # a third run writes nothing more
            assert not again.written and len(again.already) == ready


def test_progress_counts_the_photos_being_exported(tmp_path: Path) -> None:
    session, _ = _folder_with(tmp_path, ready=2, not_ready=3)
    (session.folder / "notes.txt").write_text("not a photo")
    session.record_unreadable(session.folder / "notes.txt", "not a photo")  # as scan does
    seen: list[Progress] = []
    with session:
        summary = export_photos(session, tmp_path / "upload", progress=seen.append)
    assert {p.total for p in seen} == {2}
    assert [p.done for p in seen] == [0, 1, 2]
    assert len(summary.written) == 2
    # The others are still listed, each with its reason, without being read.
    assert len(summary.withheld) == 4
    assert any("Faces not checked" in " ".join(w.reasons) for w in summary.withheld)


def test_only_new_photos_skips_what_went_out_before_anywhere(tmp_path: Path) -> None:
    session, ready_hashes = _folder_with(tmp_path, ready=2, not_ready=0)
    with session:
        first = export_photos(session, tmp_path / "monday")
        assert {w.photo_hash for w in first.written} == set(ready_hashes)
        late = session.folder / "IMG_late.jpg"
        write_photo(late, 77)
        make_ready(session, late_hash := scan(session, late))
        entries = session.photos()
        assert exported_before(entries, session.exports()) == 2
        tuesday = export_photos(session, tmp_path / "tuesday", only_new=True)
        assert [w.photo_hash for w in tuesday.written] == [late_hash]
        assert sorted(a.record.name for a in tuesday.already) == sorted(
            w.name for w in first.written
        )
        assert all(not a.here and "exported before" in a.sentence for a in tuesday.already)
        # Without the choice, a new folder gets the whole set again.
        everything = export_photos(session, tmp_path / "wednesday")
        assert len(everything.written) == 3 and not everything.already


def test_exports_come_from_the_trail_and_an_unpublished_file_is_not_one(tmp_path: Path) -> None:
    with Session.open(tmp_path, "Alice") as session:
        details = {"name": "story-time-001.jpg", "file": "a.jpg", "destination": "/up"}
        session.log_event("exported", "h1", details)
        session.log_event("exported", "h2", {**details, "name": "story-time-002.jpg"})
        session.log_event("export_not_published", "h2", {**details, "name": "story-time-002.jpg"})
        session.log_event("exported", "h3", {"name": 7})  # not as photoscreen writes it
        found = session.exports()
    assert list(found) == ["h1"]
    (record,) = found["h1"]
    assert (record.name, record.destination) == ("story-time-001.jpg", "/up")
    assert record.at[:4].isdigit()

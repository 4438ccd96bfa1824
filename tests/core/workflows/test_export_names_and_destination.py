"""Export's names and where it may write (issue 10, item 14 b and c).

Names made from activity labels: a 500-character label was accepted, then every export of
its photos failed ("File name too long"). Labels are bounded when set, with a plain
message, and every name made from one (the export's file names) is bounded whatever the
label already is.

Where export writes: the photo folder reached by a second path (a bind mount) was not
refused, since only resolved paths were compared. Folders are compared by identity, and
the photo folder, any folder inside it and the session folder are refused by any path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photoscreen.core.rules.activities import MAX_LABEL_CHARS, Activity, slugify
from photoscreen.core.session.folder_session import Session
from photoscreen.core.settings.centre_settings import SettingError
from photoscreen.core.workflows.export import ExportRefused, export_photos
from tests.helpers.session_fixtures import make_ready, scan, write_photo

NAME_MAX = 255  # bytes in a file name, on every file system photoscreen writes to


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    folder = tmp_path / "photos"
    folder.mkdir()
    with Session.open(folder, "Alice") as opened:
        yield opened


def test_a_too_long_activity_name_is_refused_when_set(session: Session) -> None:
    with pytest.raises(SettingError, match=f"at most {MAX_LABEL_CHARS} characters"):
        session.settings.activity_list.add("Messy play " * 50)
    first = session.activities()[0]
    with pytest.raises(SettingError, match="please choose a shorter one"):
        session.settings.activity_list.rename(first.key, "x" * (MAX_LABEL_CHARS + 1))
    session.settings.activity_list.rename(first.key, "y" * MAX_LABEL_CHARS)  # the bound is allowed


def test_photos_of_an_existing_long_activity_export_under_a_short_name(
    session: Session, tmp_path: Path
) -> None:
    """A list saved before the bound (or edited by hand) keeps its long name."""
    long_label = "Outdoor adventure in the woods with the forest school " * 10
    activity = Activity("woods", long_label)
    session.settings.activity_list.replace((*session.activities(), activity))
    write_photo(session.folder / "IMG_1.jpg", 1)
    digest = scan(session, session.folder / "IMG_1.jpg")
    make_ready(session, digest, "woods")
    summary = export_photos(session, tmp_path / "upload")
    assert summary.failed == []
    assert [w.name for w in summary.written] == ["outdoor-adventure-in-the-woods-with-the-001.jpg"]


@settings(max_examples=200, deadline=None)
@given(label=st.text(max_size=600))
def test_any_label_makes_a_short_plain_file_name(label: str) -> None:
    slug = slugify(label)
    name = f"{slug}-999999.jpg"
    assert slug and slug.isascii() and len(name.encode()) <= 60 < NAME_MAX
    assert all(c.isalnum() or c == "-" for c in slug) and not slug.startswith("-")


# --- where export may write ------------------------------------------------------------


@pytest.mark.parametrize(
    "where",
    ["the folder", "a folder inside it", "a link to it", "inside a link to it", "session"],
)
def test_the_photo_folder_is_refused_by_any_path(session: Session, where: str) -> None:
    folder = session.folder
    link = folder.parent / "alias"
    link.symlink_to(folder, target_is_directory=True)
    destination = {
        "the folder": folder,
        "a folder inside it": folder / "upload",
        "a link to it": link,
        "inside a link to it": link / "upload",
        "session": link / ".photoscreen" / "out",
    }[where]
    with pytest.raises(ExportRefused, match=r"photo folder itself|session folder"):
        export_photos(session, destination)
    assert not (folder / "upload").exists()


_BIND_MOUNT_CHECK = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from photoscreen.core.render.export_destination import ExportRefused, check_destination

    folder, alias = Path(sys.argv[1]), Path(sys.argv[2])
    for destination in (alias, alias / "upload"):
        try:
            check_destination(destination, photo_folder=folder, session_dir=folder / ".s")
        except ExportRefused as refused:
            print("refused:", refused)
        else:
            print("accepted:", destination)
    """
)


@pytest.mark.skipif(
    sys.platform != "linux" or shutil.which("unshare") is None, reason="needs Linux namespaces"
)
def test_the_photo_folder_is_refused_through_a_bind_mount(tmp_path: Path) -> None:
    """The issue's case: the same folder mounted a second time (in a private mount
    namespace, so nothing outside this test sees it)."""
    folder, alias = tmp_path / "photos", tmp_path / "mounted"
    folder.mkdir()
    alias.mkdir()
    mount = f'mount --bind "{folder}" "{alias}" && exec "$0" "$@"'
    command = ["unshare", "-rm", "sh", "-c", mount, sys.executable, "-c", _BIND_MOUNT_CHECK]
    result = subprocess.run(
        [*command, str(folder), str(alias)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
        check=False,
    )
    if result.returncode != 0 and "mount" in result.stderr:
        pytest.skip(f"bind mounts are not allowed here: {result.stderr.strip()}")
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("refused:") for line in lines), result

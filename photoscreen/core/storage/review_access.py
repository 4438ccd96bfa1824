"""The manager reviewing a folder that staff have open: the session shared, under SQLite's lock.

The folder lock (:mod:`~photoscreen.core.storage.session_lock`) keeps a second photoscreen
from *deciding* on the same photos at once. The manager reviewing them is different: a
verdict touches only the verdict of one photo (who, when, the note), which no staff
decision writes (a staff change only clears an approval, by design: it covered what the
reviewer saw), and every write of either side is one ``BEGIN IMMEDIATE`` transaction that
reads the photo afresh inside it. So the two never overwrite each other, and the lock that
makes that so is SQLite's own write lock, held for the milliseconds of one transaction
(the rollback journal works on shares too: see :mod:`~photoscreen.core.storage.store`).
Each side's audit entries are chained inside its own transaction from the trail's head
as it is then, so the chain stays one chain (:mod:`~photoscreen.core.trail.audit_chain`).

What this module does not do: decide which writes the reviewer may make (only verdicts,
and the count of wrong PINs; the session's ``review_only`` gate refuses the rest) nor
check that the reviewer saw the photo as it now is (the verdict does, in its transaction).
"""

from __future__ import annotations

from photoscreen.core.basics import shown_name
from photoscreen.core.storage.location import SessionLocation
from photoscreen.core.storage.store import Store
from photoscreen.core.storage.store_errors import StoreError

__all__ = ["open_for_review"]


def open_for_review(location: SessionLocation) -> Store:
    """The session another photoscreen has open (holding its lock), opened beside it.

    Made and migrated by the lock's holder, never here: a session that does not exist
    yet, or whose schema is not this photoscreen's, is refused with a ``StoreError``
    saying what to do. The caller sets ``before_write`` to refuse all but verdicts.
    """
    db_path = location.db_path
    if not db_path.exists():
        raise StoreError(
            f"Nothing has been saved in {shown_name(location.folder)} yet, so there is "
            "nothing to review. Try again once staff have asked about a photo."
        )
    return Store(db_path, shared=True)

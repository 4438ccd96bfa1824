"""The register file itself: opening it, one read or change at a time, its chained trail.

A :class:`~photoscreen.core.consent.register.ConsentRegister` holds one
:class:`RegisterFile` (``register.file``), as do its PIN guard and its export index.
Sharing follows the session store's discipline: the rollback
journal (``journal_mode=DELETE``, never WAL, which breaks on network shares),
``synchronous=FULL``, each change in one ``BEGIN IMMEDIATE`` transaction; each read or
change opens the file afresh (read-write, never creating it), so a shared drive that went
away and came back is used again, and one that is gone is said at once.

Every audit entry is linked into the register's chain in the same transaction, carrying
the row of the person it changed (:mod:`photoscreen.core.consent.register_chain`), and
:meth:`RegisterFile.findings` compares every row with the chain, and the chain with the
head this PC last saw of it. A register made before the chain existed (schema 1) is
sealed as it is the first time this photoscreen opens it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from photoscreen.core.consent import register_chain
from photoscreen.core.consent.register_chain import RegisterFindings
from photoscreen.core.consent.schema import (
    CHAIN_SCHEMA,
    VERSION,
    RegisterDamaged,
    RegisterUnreachable,
    check_format,
    create,
)
from photoscreen.core.storage import DamagedValue, read_only_uri
from photoscreen.core.trail import trail_anchor, utc_now

BUSY_TIMEOUT_S = 15.0


class RegisterFile:
    """The register file at ``path``; changes are audited under ``who``.

    Opening it checks it and brings an older register up to date; a file that does not
    exist yet is made when its folder exists (``create``).
    """

    def __init__(self, path: Path, who: str, *, create: bool = True) -> None:
        self.path = Path(path)
        self.who = who
        self._replay: register_chain.Replay | None = None
        self._open(create)

    def findings(self, *, full: bool = False) -> RegisterFindings:
        """Every person's row against the register's chained trail, now (see
        :mod:`~photoscreen.core.consent.register_chain`). The trail's replay is kept and
        only the links added since are read (every row is compared each time); ``full``
        (and the first call) reads the whole trail again, so an edit of an old entry is
        found then. This PC keeps the trail's head when the trail still holds the one it
        kept before."""
        kept = trail_anchor.load(self.path)
        with self.connect() as conn:
            known = None if full else self._replay
            replay = self._replay = register_chain.brought_up_to_date(conn, known)
            found = register_chain.check(conn, kept, replay)
            head = trail_anchor.head_of(conn)
        if register_chain.TRAIL_CUT not in found.trail and head != kept:
            trail_anchor.save(self.path, head)
        return found

    # Opening ----------------------------------------------------------------------------

    def _open(self, may_create: bool) -> None:
        if not self.path.parent.is_dir():
            raise RegisterUnreachable(
                f"The consent register cannot be reached: the folder {self.path.parent} is "
                "not there (is the shared drive connected?). Nothing that needs the register "
                "can be exported until it can be reached."
            )
        if may_create and not self.path.exists():
            try:
                create(self.path)
            except (OSError, sqlite3.Error) as error:
                raise self.unreachable(error, "could not be made") from error
        with self.connect(oldest=1) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                raise RegisterDamaged(
                    f"The consent register {self.path} is damaged: {'; '.join(problems)}. "
                    "Restore it from a backup."
                )
            old = conn.execute("PRAGMA user_version").fetchone()[0] < VERSION
        if old:
            self._migrate()

    def _migrate(self) -> None:
        """Chain the trail of a register made before the chain, and seal its rows."""
        with self.writing(oldest=1) as conn:
            if conn.execute("PRAGMA user_version").fetchone()[0] == VERSION:
                return
            for statement in CHAIN_SCHEMA:
                conn.execute(statement)
            earlier = register_chain.seal_existing(conn)
            details = {"reason": "the trail was not chained before", "entries": len(earlier)}
            self.audit(conn, register_chain.SEALED, None, details, checkpoint=True)
            conn.execute(f"PRAGMA user_version = {VERSION}")

    # One read or change -----------------------------------------------------------------

    @contextmanager
    def connect(self, oldest: int = VERSION) -> Iterator[sqlite3.Connection]:
        """A connection for one read or change, with any failure said plainly."""
        try:
            uri = read_only_uri(self.path).replace("?mode=ro", "?mode=rw")
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as error:
            raise self.unreachable(error, "cannot be opened") from error
        try:
            try:
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute("PRAGMA synchronous=FULL")
                check_format(conn, self.path, oldest)
                yield conn
            except DamagedValue as error:
                message = f"The consent register {self.path} is damaged: {error}."
                raise RegisterDamaged(message) from error
            except sqlite3.DatabaseError as error:
                if _is_damage(error):
                    raise RegisterDamaged(
                        f"The consent register {self.path} is damaged or is not a register "
                        f"({error}). Restore it from a backup."
                    ) from error
                raise self.unreachable(error, "cannot be used") from error
        finally:
            conn.close()

    @contextmanager
    def writing(self, oldest: int = VERSION) -> Iterator[sqlite3.Connection]:
        """One atomic, durable change: committed whole, or not at all."""
        with self.connect(oldest) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def audit(
        self,
        conn: sqlite3.Connection,
        action: str,
        person_id: str | None,
        details: dict[str, Any],
        *,
        checkpoint: bool = False,
    ) -> None:
        """One entry of the trail with its link: after the change it records, in its
        transaction (the link seals the person's row as it is now)."""
        cursor = conn.execute(
            "INSERT INTO audit (at, who, action, person_id, details) VALUES (?, ?, ?, ?, ?)",
            (utc_now(), self.who, action, person_id, json.dumps(details, sort_keys=True)),
        )
        entry = int(cursor.lastrowid or 0)
        if checkpoint:
            register_chain.write_checkpoint(conn, entry)
        else:
            register_chain.link_entry(conn, entry, person_id)

    def unreachable(self, error: BaseException, what: str) -> RegisterUnreachable:
        why = getattr(error, "strerror", None) or str(error)
        if "locked" in why or "busy" in why:
            return RegisterUnreachable(
                f"The consent register {self.path} is busy: another PC has been changing it "
                f"for {BUSY_TIMEOUT_S:.0f} seconds. Try again in a moment; nothing was changed."
            )
        return RegisterUnreachable(
            f"The consent register {self.path} {what} ({why}). Nothing that needs the "
            "register can be exported until it can be used; nothing was changed."
        )

    def checked(self, read: Callable[[Any], Any], row: Any) -> Any:
        try:
            return read(tuple(row))
        except (ValueError, TypeError, json.JSONDecodeError) as error:
            raise RegisterDamaged(
                f"The consent register {self.path} is damaged: {error}. Restore it from a "
                "backup; until then no face linked to anyone in it can be shown."
            ) from None


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    text = str(error)
    return code in (11, 26) or "malformed" in text or "not a database" in text

"""The centre's consent register: whose face may be shown, kept in one SQLite file.

Public API (import from here):

* :class:`ConsentRegister`: the register file (read, and the manager's changes);
* :class:`Person`, :class:`Kind`, :class:`ConsentState`, :class:`NewPerson`;
* :func:`parse_csv`: a spreadsheet's people, checked line by line, all or nothing;
* :func:`register_path`: where the register is, from the centre setting;
* :class:`RegisterFindings`: whose row, or what of the trail, was changed outside
  photoscreen (:meth:`ConsentRegister.findings`; the register's trail is a hash chain);
* :class:`ConsentCheck` and :class:`RegisterHolds`: why the register holds a photo back
  now, the one check export, the window and ``photoscreen status`` use;
* the errors: :class:`ConsentError` (a change refused, in plain words),
  :class:`RegisterProblem` and its kinds :class:`RegisterUnreachable` and
  :class:`RegisterDamaged` (the register cannot be used: whatever depends on it stops).

No face recognition happens here or anywhere: linking a face to a person is always a
person's choice.
"""

from photoscreen.core.consent.csv_import import ImportRefused, parse_csv, read_csv
from photoscreen.core.consent.export_check import (
    ConsentCheck,
    HeldBack,
    RegisterHolds,
    RegisterUser,
    session_register,
)
from photoscreen.core.consent.exports_index import ExportedFile, thumbnail_path
from photoscreen.core.consent.location import REGISTER_KEY, default_register_path, register_path
from photoscreen.core.consent.people import (
    ConsentError,
    ConsentState,
    Kind,
    Person,
    day_words,
    parse_day,
)
from photoscreen.core.consent.register import ConsentRegister, RegisterEntry
from photoscreen.core.consent.register_chain import RegisterFindings
from photoscreen.core.consent.rules import NewPerson, iso_day
from photoscreen.core.consent.schema import (
    RegisterDamaged,
    RegisterProblem,
    RegisterUnreachable,
)

__all__ = [
    "REGISTER_KEY",
    "ConsentCheck",
    "ConsentError",
    "ConsentRegister",
    "ConsentState",
    "ExportedFile",
    "HeldBack",
    "ImportRefused",
    "Kind",
    "NewPerson",
    "Person",
    "RegisterDamaged",
    "RegisterEntry",
    "RegisterFindings",
    "RegisterHolds",
    "RegisterProblem",
    "RegisterUnreachable",
    "RegisterUser",
    "day_words",
    "default_register_path",
    "iso_day",
    "parse_csv",
    "parse_day",
    "read_csv",
    "register_path",
    "session_register",
    "thumbnail_path",
]

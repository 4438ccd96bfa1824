"""People's names compared as a person reads them: the same name, however it was typed.

The two-person rule (README rule 8) asks whether a reviewer is one of the people
who asked the manager. Names are typed, so the same name can be typed as a different
string that reads the same: in capitals ("ALICE"); with another alphabet's look-alike
letters ("Аlice" with a Cyrillic А, "Alicе" with a Cyrillic е, "AIice" with a capital I,
"Alıce" with a dotless ı); with an accent ("Álice"); with punctuation or spaces
("Alice.", "A lice"); with invisible characters (a zero-width space, a direction mark);
in full-width, bold mathematical or other compatibility forms of letters ("Ｓａｍ").
None of these is another person.

Activity names are compared the same way (:func:`reads_the_same`): a second activity
that reads as a blocked one's name would not be blocked.

A name is reduced to what a person reads, twice over (:func:`name_keys`), and two names
are the same person's when either reading agrees (:func:`same_person`):

* the *glyph* reading maps every character to the one standing for everything that looks
  like it (the confusable skeleton of Unicode UTS #39 / TR39), then folds case, then maps
  again: a capital letter's look-alike from another alphabet (Cyrillic "В" for "B") reads
  as that letter;
* the *case* reading folds case first, then maps look-alikes: a name in capitals of any
  alphabet reads as the same name in small letters.

Both then drop accents and other diacritics, punctuation, symbols, spaces and invisible
characters, and count "i" and "l" as one letter: a capital I looks like a small l, so
"ALlCE" reads as "ALICE". That is the one place two different names can meet ("Ali" and
"All"); it only ever makes the two-person check stricter. Genuinely different names
("Alice" and "Alicia", "Jo" and "Joe") stay different.

The look-alike data is Unicode's confusables list as shipped inside the
``confusable-homoglyphs`` package (MIT), read from its installed data file: never
downloaded. That file lists each confusable pair both ways; the classes are rebuilt
from it (each connected group of look-alikes), once, the first time a name is compared.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources

# Default-ignorable characters that are letters rather than format characters (Hangul
# fillers, Khmer inherent vowels): invisible, so not read.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u17b4\u17b5\u3164\uffa0")
# What a person does not read as part of a name: accents and other marks written over or
# under a letter (Mn, Me; not the spacing vowel signs of Indic scripts, Mc), punctuation
# (P), symbols (S), spaces (Z) and control, format, private-use and unassigned
# characters (C).
_UNREAD = ("Mn", "Me", "P", "S", "Z", "C")
_DATA_PACKAGE = "confusable_homoglyphs"
_DATA_FILE = "confusables.json"


def tidy_name(name: str) -> str:
    """A name as it is kept and shown: ends trimmed, each run of spaces made one space.

    The one clean-up for every name a person types: theirs, a reviewer's, an activity's.
    """
    return " ".join(name.split())


def same_person(first: str | None, second: str | None) -> bool:
    """True when two names read as the same person's name (see the module doc)."""
    if first is None or second is None:
        return False
    glyph, case = name_keys(first)
    other_glyph, other_case = name_keys(second)
    return glyph == other_glyph or case == other_case


def reads_the_same(first: str, second: str) -> bool:
    """True when two texts that have something to read (an activity's name, say) read the
    same, compared as :func:`same_person` compares names; texts with nothing to read
    (only symbols) are the same only when equal ignoring case."""
    if first.casefold() == second.casefold():
        return True
    return has_letters(first) and has_letters(second) and same_person(first, second)


def name_keys(name: str) -> tuple[str, str]:
    """The name's glyph reading and case reading, as compared by :func:`same_person`."""
    # NFKD first: full-width, mathematical, circled and other compatibility forms of a
    # letter ("Ｓａｍ", "𝐒𝐚𝐦") are that letter, whether or not the look-alike list has them.
    # Not for a character the list has: its compatibility form can be another letter
    # (GREEK CAPITAL LUNATE SIGMA "Ϲ", which reads as C, is a Σ to NFKD), or nothing to
    # read (a spacing ogonek "˛" is a space and an accent), and then "Ϲara" was not Cara.
    table = _look_alikes()
    visible = "".join(ch if ch in table else unicodedata.normalize("NFKD", ch) for ch in name)
    glyph = _read(_skeleton(_skeleton(visible).casefold()))
    case = _read(_skeleton(visible.casefold()))
    return glyph, case


def has_letters(name: str) -> bool:
    """True when something of ``name`` is read as a name (not only punctuation or spaces)."""
    return bool(name_keys(name)[0])


def _skeleton(text: str) -> str:
    """Every character replaced by the one standing for its look-alikes (TR39's skeleton)."""
    table = _look_alikes()
    text = unicodedata.normalize("NFD", text)
    mapped = "".join(table.get(ch, ch) for ch in text)
    # A class may stand for a sequence ("m" reads as "rn"); its letters are mapped too.
    mapped = "".join(table.get(ch, ch) for ch in mapped)
    return unicodedata.normalize("NFD", mapped)


def _read(text: str) -> str:
    """What is left that a person reads: no accents, punctuation, spaces or invisibles."""
    kept = "".join(ch for ch in text if _is_read(ch))
    return kept.replace("l", "i")


def _is_read(ch: str) -> bool:
    return ch not in _INVISIBLE_LETTERS and not unicodedata.category(ch).startswith(_UNREAD)


@cache
def _look_alikes() -> dict[str, str]:
    """Each character that has look-alikes -> the string standing for all of them."""
    text = resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE).read_text("utf-8")
    pairs = json.loads(text)
    neighbours: dict[str, set[str]] = {}
    for key, entries in pairs.items():
        for entry in entries:
            _link(neighbours, _plain(key), _plain(entry["c"]))
    table: dict[str, str] = {}
    for group in _groups(neighbours):
        chosen = _standing_for(group, neighbours)
        table.update({member: chosen for member in group if len(member) == 1})
    return table


def _plain(text: str) -> str:
    # The data file wraps right-to-left characters in left-to-right marks for display.
    return text.replace("\u200e", "").replace("\u200f", "")


def _link(neighbours: dict[str, set[str]], first: str, second: str) -> None:
    if first and second and first != second:
        neighbours.setdefault(first, set()).add(second)
        neighbours.setdefault(second, set()).add(first)


def _groups(neighbours: dict[str, set[str]]) -> Iterable[set[str]]:
    """The connected groups of look-alikes."""
    seen: set[str] = set()
    for start in sorted(neighbours):
        if start in seen:
            continue
        group, stack = {start}, [start]
        while stack:
            for other in neighbours[stack.pop()]:
                if other not in group:
                    group.add(other)
                    stack.append(other)
        seen |= group
        yield group


def _standing_for(group: set[str], neighbours: dict[str, set[str]]) -> str:
    """The member that stands for the group: TR39's prototype where the data shows it.

    In the Unicode list every character maps to one prototype, so a group is a star: the
    prototype is a sequence (only prototypes are), or the one member linked to several.
    A pair could be read either way; an ASCII or small letter is taken, so that folding
    its case lands where the small letter's own group does.
    """
    sequences = sorted(m for m in group if len(m) > 1)
    if sequences:
        return sequences[0]
    centres = sorted(m for m in group if len(neighbours[m]) > 1)
    if centres:
        return centres[0]
    return min(group, key=lambda m: (not m.isascii(), m.casefold() != m, m))

"""Names compared as people read them (core/rules/names.py): look-alike letters from any
alphabet, case, accents, punctuation, spaces and invisible characters never make another
person, and genuinely different names stay different."""

from __future__ import annotations

import string
import unicodedata

from confusable_homoglyphs import confusables
from hypothesis import given, settings
from hypothesis import strategies as st

from photoscreen.core.rules.names import has_letters, same_person, tidy_name

# The look-alikes come straight from the package's data (Unicode's confusables list), not
# from the classes photoscreen builds out of it: neighbours, and their neighbours (two
# characters that look like the same third one).
_DATA = confusables.confusables_data
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u034f\u180e\u3164\ufe0f\u2800"
PUNCTUATION = ".,-'_·’!*()\u00a0\u2002\u3000 "
ACCENTS = [chr(code) for code in range(0x300, 0x370)]


def _plain(text: str) -> str:
    return text.replace("\u200e", "").replace("\u200f", "")


def _neighbours(ch: str) -> set[str]:
    return {_plain(entry["c"]) for entry in _DATA.get(ch, ())}


def look_alikes(ch: str) -> list[str]:
    near = _neighbours(ch)
    for other in list(near):
        near |= _neighbours(other)
    return sorted(near | {ch})


def test_the_look_alike_names_that_approved_their_own_question_are_the_same_person() -> None:
    for disguise in ("Аlice", "Alicе", "Alıce", "Álice", "Alice.", "AIice", "ＡＬＩＣＥ"):
        assert same_person(disguise, "Alice"), disguise
    assert same_person("  alice   SMITH ", "Alice Smith")
    assert same_person("Ali\u200bce", "Alice")
    assert same_person("\u200fAlice\u200e", "alice")
    # Letters whose compatibility form is another letter or none (found by the property
    # tests below): GREEK CAPITAL LUNATE SIGMA reads as C, a spacing ogonek as i.
    assert same_person("Ϲara", "Cara") and same_person("AAAϹ", "AAAC")
    assert not same_person("aaa˛a", "aaaa")
    assert same_person("Mary-Jane", "mary jane")
    assert same_person("Вob", "Bob")  # a Cyrillic capital Ve
    assert same_person("Emma", "Ernrna")  # "m" reads as "rn"
    assert same_person("Ｓａｍ", "Sam") and same_person("𝐒𝐚𝐦", "sam")  # compatibility forms


def test_different_names_stay_different() -> None:
    for first, second in (("Alice", "Alicia"), ("Jo", "Joe"), ("Sam", "Pam"), ("Bob", "Rob")):
        assert not same_person(first, second)
    assert not same_person(None, "Alice")
    assert not has_letters(" .- ") and has_letters("Jo")


def _full_width(ch: str) -> str:
    return chr(ord(ch) + 0xFEE0)


def _bold(ch: str) -> str:
    """MATHEMATICAL BOLD CAPITAL A (U+1D400) onwards: 26 capitals, then 26 small letters."""
    start = 0x1D400 if ch.isupper() else 0x1D41A
    return chr(start + string.ascii_letters.index(ch) % 26)


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    """A name, and the same name typed differently, character by character."""
    words = draw(st.lists(st.text(string.ascii_letters, min_size=1, max_size=8), max_size=3))
    name = " ".join(words) or draw(st.sampled_from(string.ascii_letters))
    typed = []
    for ch in name:
        how = draw(st.integers(0, 6))
        if how == 6 and ch in string.ascii_letters:  # full-width or bold mathematical
            ch = draw(st.sampled_from([_full_width(ch), _bold(ch)]))
        elif how == 1:
            ch = ch.swapcase()
        elif how in (2, 3):
            ch = draw(st.sampled_from(look_alikes(ch.swapcase() if how == 3 else ch)))
        elif how in (4, 5):
            accented = ch + draw(st.sampled_from(ACCENTS))
            ch = unicodedata.normalize("NFC", accented) if how == 5 else accented
        typed.append(ch)
        if draw(st.booleans()):
            typed.append(draw(st.sampled_from(INVISIBLE + PUNCTUATION)))
    return name, "".join(typed)


@settings(max_examples=300, deadline=None)
@given(disguised())
def test_a_name_typed_differently_is_the_same_person(pair: tuple[str, str]) -> None:
    name, typed = pair
    assert same_person(typed, name)
    assert same_person(name, typed)


# Letters people might read as one another once case is ignored: a capital I looks like
# a small l (and the digit 1 like both, as 0 like O). Only these may meet.
_ONE_LETTER = str.maketrans({"l": "i"})


@st.composite
def different(draw: st.DrawFn) -> tuple[str, str]:
    """A name, and another name one letter away from it (a letter added, dropped or
    changed), typed differently as above."""
    name = draw(st.text(string.ascii_lowercase, min_size=2, max_size=10))
    at = draw(st.integers(0, len(name) - 1))
    edit = draw(st.sampled_from(["add", "drop", "change"]))
    if edit == "add":
        other = name[:at] + draw(st.sampled_from(string.ascii_lowercase)) + name[at:]
    elif edit == "drop":
        other = name[:at] + name[at + 1 :]
    else:
        old = name[at].translate(_ONE_LETTER)
        letters = [c for c in string.ascii_lowercase if c.translate(_ONE_LETTER) != old]
        other = name[:at] + draw(st.sampled_from(letters)) + name[at + 1 :]
    disguise = draw(disguised_as(other))
    return name, disguise


@st.composite
def disguised_as(draw: st.DrawFn, name: str) -> str:
    typed = []
    for ch in name:
        if draw(st.booleans()):
            ch = ch.upper()
        if draw(st.booleans()):
            ch = draw(st.sampled_from(look_alikes(ch)))
        typed.append(ch)
    return "".join(typed)


@settings(max_examples=300, deadline=None)
@given(different())
def test_another_name_stays_another_person_however_it_is_typed(pair: tuple[str, str]) -> None:
    name, other = pair
    assert not same_person(name, other)


@given(st.text(max_size=40))
def test_a_tidied_name_has_single_spaces_and_reads_as_the_same_person(typed: str) -> None:
    name = tidy_name(typed)
    assert tidy_name(name) == name
    assert name == name.strip() and "  " not in name
    assert not any(ch.isspace() and ch != " " for ch in name)
    if has_letters(typed):
        assert same_person(name, typed)

"""Review by a second person: the reviewer PIN and the rules an approval must pass.

README rule 8: an approval names the reviewer; when the centre has set a PIN,
approving or rejecting needs it; the PIN is stored only as a salted, deliberately slow
hash (scrypt), so reading the session file does not reveal it; and nobody who asked the
manager about a photo can approve it under their own name, nor under one that reads the
same (:mod:`photoscreen.core.rules.names`).

A new PIN has at least :data:`MIN_PIN_LENGTH` characters and is not one anyone would try
first (one digit repeated, a run such as 123456 or 654321, a short block repeated). PINs
set before that rule (4 characters were enough) still open their folders; their hashes
carry the older scheme name, so the settings can ask the manager to choose a new one.
How often a PIN may be tried is :mod:`photoscreen.core.settings.pin_attempts`' business.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import secrets
from collections.abc import Sequence

from photoscreen.core.rules.names import has_letters, same_person, tidy_name

# scrypt cost: n=2**14, r=8 needs 16 MiB and tens of milliseconds per guess, which makes
# trying every 6-digit PIN from a stolen session file take a day of a core, yet costs a
# person nothing. Never run on the GUI thread.
_N, _R, _P = 2**14, 8, 1
# "scrypt2": made under the 6-character rule; "scrypt": made when 4 characters were enough.
_SCHEME = "scrypt2"
_LEGACY_SCHEME = "scrypt"
MIN_PIN_LENGTH = 6
MAX_PIN_LENGTH = 64
# The 64 bytes scrypt derives: the first 32 are stored (the hash), the last 32 never are:
# they key the proofs a PIN change leaves in the centre file (photoscreen.core.settings.pin_change).
_DIGEST = 32
# Well-known PINs that no simple pattern below catches (lists of leaked PINs start so).
_COMMON_PINS = (
    "123321 159753 147258 258369 789456 102030 147852 159357 741852 963852 112358 "
    "101010 010203 142536 124578"
)
_COMMON = frozenset(_COMMON_PINS.split())


class ReviewRefused(ValueError):
    """An approval or rejection was not allowed; ``str()`` says why in plain words."""


def new_pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be chosen as a new reviewer PIN, in plain words; None when fine."""
    text = pin.strip()
    if len(text) < MIN_PIN_LENGTH:
        return (
            f"The reviewer PIN must have at least {MIN_PIN_LENGTH} digits "
            "(letters may be used too)."
        )
    if len(pin) > MAX_PIN_LENGTH:
        return f"The reviewer PIN can have at most {MAX_PIN_LENGTH} characters."
    if _easy_to_guess(text.casefold()):
        return (
            "That PIN is one of the first anyone would try (the same digit repeated, a run "
            "such as 123456 or 654321, or a short pattern repeated). Choose another."
        )
    return None


def _easy_to_guess(text: str) -> bool:
    """One character repeated, a run up or down, a short block repeated, a well-known PIN,
    or a run with each step doubled (112233)."""
    if text in _COMMON or _is_run(text):
        return True
    if any(
        all(c == text[i % size] for i, c in enumerate(text))
        for size in range(1, len(text) // 2 + 1)
    ):
        return True
    groups = _groups(text)
    return (
        len(groups) > 1
        and len({n for _, n in groups}) == 1
        and _is_run("".join(c for c, _ in groups))
    )


def _is_run(text: str) -> bool:
    """True for 123456, 654321, 890123 (digits wrap round) or abcdef."""
    if len(text) < 3:
        return False
    steps = {_step(a, b) for a, b in itertools.pairwise(text)}
    return steps in ({1}, {-1})


def _step(a: str, b: str) -> int:
    if a.isdigit() and b.isdigit():
        step = (int(b) - int(a)) % 10
        return {1: 1, 9: -1}.get(step, 0)
    return ord(b) - ord(a)


def _groups(text: str) -> list[tuple[str, int]]:
    """Runs of one character: 112233 gives [("1", 2), ("2", 2), ("3", 2)]."""
    groups: list[tuple[str, int]] = []
    for c in text:
        if groups and groups[-1][0] == c:
            groups[-1] = (c, groups[-1][1] + 1)
        else:
            groups.append((c, 1))
    return groups


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of a new ``pin``, as ``scrypt2$n$r$p$salt$hash`` (hex).

    Raises :class:`ReviewRefused` when ``pin`` is too short or too easy to guess.
    """
    return hash_pin_with_key(pin)[0]


def hash_pin_with_key(pin: str) -> tuple[str, bytes]:
    """:func:`hash_pin`, and the key that PIN gives for change proofs (never stored)."""
    problem = new_pin_problem(pin)
    if problem is not None:
        raise ReviewRefused(problem)
    salt = secrets.token_bytes(16)
    digest, key = _derive(pin, salt, _N, _R, _P)
    return f"{_SCHEME}${_N}${_R}${_P}${salt.hex()}${digest.hex()}", key


def pin_key(pin: str, stored: str) -> bytes | None:
    """The change-proof key of ``pin`` when it opens ``stored``; None when it does not.

    One scrypt run gives both the stored hash (compared in constant time) and the key.
    """
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme not in (_SCHEME, _LEGACY_SCHEME):
            return None
        digest, key = _derive(pin, bytes.fromhex(salt_hex), int(n), int(r), int(p))
        expected = bytes.fromhex(digest_hex)
    except (ValueError, MemoryError):
        return None
    return key if hmac.compare_digest(digest, expected) else None


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches the stored hash (compared in constant time)."""
    return pin_key(pin, stored) is not None


def meets_pin_rules(stored: str) -> bool:
    """True when ``stored`` was made under today's rules (at least 6, not trivial); a PIN
    from before still opens its folder, but the manager should choose a new one."""
    return stored.split("$", 1)[0] == _SCHEME


def looks_like_pin_hash(stored: object) -> bool:
    """True when ``stored`` has the shape :func:`hash_pin` gives (not whether a PIN fits)."""
    if not isinstance(stored, str):
        return False
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] not in (_SCHEME, _LEGACY_SCHEME):
        return False
    if not all(p.isdigit() for p in parts[1:4]) or not _sane_cost(*map(int, parts[1:4])):
        return False
    try:
        return len(bytes.fromhex(parts[4])) >= 8 and len(bytes.fromhex(parts[5])) == _DIGEST
    except ValueError:
        return False


def _sane_cost(n: int, r: int, p: int) -> bool:
    """scrypt parameters photoscreen could have written: a damaged or hand-made hash must
    not make each check take minutes or gigabytes."""
    return 2 <= n <= 2**16 and n & (n - 1) == 0 and 1 <= r <= 16 and 1 <= p <= 4


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    if not _sane_cost(n, r, p):
        raise ValueError("unusable scrypt parameters")
    out = hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=64
    )
    return out[:_DIGEST], out[_DIGEST:]


def check_review(
    *,
    reviewer: str,
    asked_by: Sequence[str],
    approving: bool,
) -> str:
    """Check a verdict may be given; returns the reviewer's name, tidied.

    Raises :class:`ReviewRefused` when no name is given, or when anyone who asked about
    the photo (``asked_by``) tries to approve it: names are compared as people read them
    (:func:`same_person`), so a look-alike of an asker's name is that asker. The reviewer
    PIN is checked before, by
    :meth:`~photoscreen.core.settings.pin.ReviewerPin.check`
    (slowed down after wrong guesses, and audited).
    """
    name = tidy_name(reviewer)
    if not has_letters(name):
        raise ReviewRefused("Enter the reviewer's name to approve or reject a photo.")
    asker = next((who for who in asked_by if same_person(name, who)), None)
    if approving and asker is not None:
        raise ReviewRefused(
            f"{asker} asked the manager about this photo, so someone else must approve it "
            "(review means two people)."
        )
    return name

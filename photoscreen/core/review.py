"""Review by a second person: the reviewer PIN and the rules an approval must pass.

DESIGN.md invariant 8: an approval names the reviewer; when the centre has set a PIN,
approving or rejecting needs it; the PIN is stored only as a salted, deliberately slow
hash (scrypt), so reading the session file does not reveal it; and nobody who asked the
manager about a photo can approve it under their own name, nor under one that reads the
same (:mod:`photoscreen.core.names`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence

from photoscreen.core.names import has_letters, same_person

# scrypt cost: n=2**14, r=8 needs 16 MiB and tens of milliseconds per guess, which makes
# trying every 4-6 digit PIN from a stolen session file slow, yet costs a person nothing.
_N, _R, _P = 2**14, 8, 1
_SCHEME = "scrypt"
MIN_PIN_LENGTH = 4


class ReviewRefused(ValueError):
    """An approval or rejection was not allowed; ``str()`` says why in plain words."""


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of ``pin``, as ``scrypt$n$r$p$salt$hash`` (hex)."""
    if len(pin.strip()) < MIN_PIN_LENGTH:
        raise ReviewRefused(f"The PIN must have at least {MIN_PIN_LENGTH} characters.")
    salt = secrets.token_bytes(16)
    digest = _scrypt(pin, salt, _N, _R, _P)
    return f"{_SCHEME}${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches the stored hash (compared in constant time)."""
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != _SCHEME:
            return False
        digest = _scrypt(pin, bytes.fromhex(salt_hex), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(digest, bytes.fromhex(digest_hex))


def looks_like_pin_hash(stored: object) -> bool:
    """True when ``stored`` has the shape :func:`hash_pin` gives (not whether a PIN fits)."""
    if not isinstance(stored, str):
        return False
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _SCHEME or not all(p.isdigit() for p in parts[1:4]):
        return False
    try:
        return len(bytes.fromhex(parts[4])) >= 8 and len(bytes.fromhex(parts[5])) >= 16
    except ValueError:
        return False


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)


def check_pin(pin: str | None, pin_hash: str, missing: str) -> None:
    """Raise :class:`ReviewRefused` unless ``pin`` opens ``pin_hash``; ``missing`` is the
    sentence said when no PIN was given."""
    if not pin:
        raise ReviewRefused(missing)
    if not verify_pin(pin, pin_hash):
        raise ReviewRefused("That reviewer PIN is not right.")


def check_review(
    *,
    reviewer: str,
    pin: str | None,
    pin_hash: str | None,
    asked_by: Sequence[str],
    approving: bool,
) -> str:
    """Check a verdict may be given; returns the reviewer's name, tidied.

    Raises :class:`ReviewRefused` when no name is given, when a PIN is set and the PIN is
    missing or wrong, or when anyone who asked about the photo (``asked_by``) tries to
    approve it: names are compared as people read them (:func:`same_person`), so a
    look-alike of an asker's name is that asker.
    """
    name = " ".join(reviewer.split())
    if not has_letters(name):
        raise ReviewRefused("Enter the reviewer's name to approve or reject a photo.")
    if pin_hash is not None:
        check_pin(pin, pin_hash, "Enter the reviewer PIN to approve or reject a photo.")
    asker = next((who for who in asked_by if same_person(name, who)), None)
    if approving and asker is not None:
        raise ReviewRefused(
            f"{asker} asked the manager about this photo, so someone else must approve it "
            "(review means two people)."
        )
    return name

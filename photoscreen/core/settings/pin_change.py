"""A reviewer PIN change carried to older folders by the centre file, with its proof.

When the manager changes the centre's PIN, folders that still hold the old one should
take the new one (and a PIN that got out should stop working there too). The centre file
carries the change to them, but anyone at the PC can write that file, and the old PIN's
hash is no secret (it is in every folder's database). So a change is taken only with a
proof that whoever made it knew the old PIN; the hashes alone prove nothing.

Each :class:`PinChange` holds the old and new hashes and two things only the PIN holders
can make, both keyed with the never-stored half of a PIN's scrypt output
(:func:`~photoscreen.core.rules.review.pin_key`):

- ``proof``: an HMAC of both hashes keyed with the *old* PIN. Whoever types the old PIN
  in an older folder can check it, and is then told the PIN was replaced (the folder
  takes the new hash): a PIN that got out stops working in the folders opened here.
- ``sealed``: the old PIN, encrypted with a key stream from the *new* PIN (SHAKE-256 of
  that key and a random nonce). Whoever types the new PIN in an older folder opens it,
  and the old PIN it holds must open the folder's hash: only then does the folder take
  the new PIN. A forged change cannot seal a PIN that opens a hash its maker cannot open.

Nothing needs a stored secret, and no folder changes its PIN when merely opened: only
when a PIN that proves the change is typed. Changes chain (old folders may be several
changes behind); following a chain costs one scrypt run per step, bounded by
:data:`MAX_STEPS`, so a centre file full of forged changes can only slow a check a little.
A PIN removed is never carried: an older folder keeps its PIN (the safe way round).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from photoscreen.core.rules import MAX_PIN_LENGTH, looks_like_pin_hash, pin_key

# How many changes the centre file keeps, and how many scrypt runs one check may spend
# following them.
MAX_CHANGES = 50
MAX_STEPS = 8
_NONCE = 16
# A PIN of up to MAX_PIN_LENGTH characters is at most 4 bytes each in UTF-8, plus a
# 2-byte length: every sealed PIN is this long, so its length says nothing.
_SEALED = 2 + 4 * MAX_PIN_LENGTH
_PROOF_LABEL = b"photoscreen reviewer PIN change\0"
_SEAL_LABEL = b"photoscreen sealed PIN\0"


@dataclass(frozen=True)
class PinChange:
    """The PIN with hash ``old`` was replaced by the PIN with hash ``new``."""

    old: str
    new: str
    proof: str
    sealed: str

    def to_json(self) -> dict[str, str]:
        return {"old": self.old, "new": self.new, "proof": self.proof, "sealed": self.sealed}


def make_change(
    old: str, old_key: bytes, old_pin: str, new: str, new_key: bytes
) -> PinChange | None:
    """The change from ``old`` to ``new``, made by someone who typed both PINs; None for an
    old PIN too long to seal (set before PINs had a longest length): older folders then
    keep it, the safe way round."""
    if len(old_pin.encode("utf-8")) > _SEALED - 2:
        return None
    return PinChange(old, new, _proof(old_key, old, new).hex(), _seal(old_pin, new_key).hex())


def parse_changes(stored: object) -> list[PinChange]:
    """The changes a centre file holds; anything not shaped like one is left out."""
    if not isinstance(stored, list):
        return []
    changes = []
    for item in stored[-MAX_CHANGES:]:
        if isinstance(item, dict) and _well_formed(item):
            changes.append(PinChange(item["old"], item["new"], item["proof"], item["sealed"]))
    return changes


def _well_formed(item: dict[str, Any]) -> bool:
    try:
        return (
            looks_like_pin_hash(item["old"])
            and looks_like_pin_hash(item["new"])
            and len(bytes.fromhex(item["proof"])) == 32
            and len(bytes.fromhex(item["sealed"])) == _NONCE + _SEALED
        )
    except (KeyError, TypeError, ValueError):
        return False


def replacement(changes: Iterable[PinChange], stored: str, key: bytes) -> str | None:
    """The hash that replaced ``stored``, proven by the PIN whose key is ``key``; else None.

    The latest proven change wins (a PIN changed twice from the same old one).
    """
    found = None
    for change in changes:
        if change.old == stored and hmac.compare_digest(
            bytes.fromhex(change.proof), _proof(key, change.old, change.new)
        ):
            found = change.new
    return found


def newer_pin_opens(changes: Sequence[PinChange], start: str, pin: str) -> tuple[str, bytes] | None:
    """A hash that ``pin`` opens and that replaced ``start`` through proven changes.

    Returns that hash and ``pin``'s key for it, or None. Each candidate newer hash costs a
    scrypt run, each step back to ``start`` another; at most :data:`MAX_STEPS` in all.
    """
    budget = [MAX_STEPS]
    for candidate in _reachable(changes, start):
        if budget[0] <= 0:
            return None
        budget[0] -= 1
        key = pin_key(pin, candidate)
        if key is not None and _proven_back(changes, candidate, key, start, budget):
            return candidate, key
    return None


def _reachable(changes: Sequence[PinChange], start: str) -> list[str]:
    """The hashes changes lead to from ``start``, nearest first (no crypto: a forged
    change may be among them; each is proven before it counts)."""
    seen, frontier, order = {start}, [start], []
    while frontier:
        following = []
        for change in changes:
            if change.old in frontier and change.new not in seen:
                seen.add(change.new)
                following.append(change.new)
        order.extend(following)
        frontier = following
    return order


def _proven_back(
    changes: Sequence[PinChange], stored: str, key: bytes, start: str, budget: list[int]
) -> bool:
    """True when a chain of changes ending at ``stored`` (whose PIN's key is ``key``)
    starts at ``start``, each step sealing an old PIN that opens the step's old hash."""
    for change in changes:
        if change.new != stored or budget[0] <= 0:
            continue
        old_pin = _unseal(bytes.fromhex(change.sealed), key)
        if old_pin is None:
            continue
        budget[0] -= 1
        old_key = pin_key(old_pin, change.old)
        if old_key is None:
            continue
        if change.old == start or _proven_back(changes, change.old, old_key, start, budget):
            return True
    return False


def _proof(key: bytes, old: str, new: str) -> bytes:
    message = _PROOF_LABEL + old.encode("ascii") + b"\0" + new.encode("ascii")
    return hmac.new(key, message, hashlib.sha256).digest()


def _keystream(key: bytes, nonce: bytes) -> bytes:
    return hashlib.shake_256(_SEAL_LABEL + key + nonce).digest(_SEALED)


def _seal(pin: str, key: bytes) -> bytes:
    data = pin.encode("utf-8")
    padded = len(data).to_bytes(2, "big") + data + bytes(_SEALED - 2 - len(data))
    nonce = secrets.token_bytes(_NONCE)
    return nonce + bytes(a ^ b for a, b in zip(padded, _keystream(key, nonce), strict=True))


def _unseal(sealed: bytes, key: bytes) -> str | None:
    nonce, body = sealed[:_NONCE], sealed[_NONCE:]
    padded = bytes(a ^ b for a, b in zip(body, _keystream(key, nonce), strict=True))
    size = int.from_bytes(padded[:2], "big")
    if size > _SEALED - 2:
        return None  # not sealed with this key
    try:
        return padded[2 : 2 + size].decode("utf-8")
    except UnicodeDecodeError:
        return None

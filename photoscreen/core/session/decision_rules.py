"""Whose concern is whose, and who may clear it: the rules that protect one person's
decisions from another's (README rule 8).

Two staff decisions are concerns a person raises (:class:`~photoscreen.core.rules.policy.Concern`):

* an **unclothed / semi-clothed mark**. Whoever marked the photo may clear the mark in the
  sitting they marked it in. With a reviewer PIN set, anyone else needs the PIN (that is,
  the manager), and so does the same name typed in a later sitting. With no PIN set, names
  are all there is, and anyone may clear it.
* a **question to the manager**, one per person who asked. Each asker may take back their
  own question in the sitting they asked it in. Nobody can take back anyone else's
  question, nor their own from an earlier sitting: the photo waits for the manager until
  every question is taken back or the manager approves or rejects it.

A *sitting* is one person's time at the app under one name: it begins when a folder is
opened, or when the name is changed (File > Your name), and ends when the folder is
closed or the name changed again. Names are typed, not proven: "Alice" typed tomorrow, or
Bob renaming himself "Alice", could be anyone. So a concern counts as one's own only when
it was raised in this very sitting, known by a random token made when the sitting began
(:class:`Identity`) and stored with the concern (and in its audit entry). It is never
written anywhere a later sitting could read it back as its own.

The rules judge the state a write would reach, not the verb that reaches it:
:func:`check_change` runs on every write of staff fields (a direct decision, an undo, a
redo) with the fields before and after, so no path reaches a state that the direct
action by the person now using the app would have been refused.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from photoscreen.core.rules import Concern, ReviewRefused
from photoscreen.core.storage import Snapshot
from photoscreen.core.trail import utc_now


class DecisionError(ValueError):
    """A decision could not be made (unknown photo, face or activity, or someone else's
    question); ``str()`` says why."""


@dataclass(frozen=True)
class Identity:
    """The person using the app in this sitting: the name they gave, and a random token
    made when they gave it, which no other sitting has."""

    name: str
    sitting: str

    @classmethod
    def begin(cls, name: str) -> Identity:
        """A new sitting for ``name`` (a folder opened, or the name changed)."""
        return cls(name, secrets.token_hex(16))

    def raised(self, concern: Concern | None) -> bool:
        """True when ``concern`` was raised in this sitting: it is this person's own."""
        return concern is not None and concern.sitting == self.sitting

    def concern(self, note: str = "") -> Concern:
        """A concern raised now, in this sitting."""
        return Concern(self.name, utc_now(), note, self.sitting)


def check_change(
    before: Snapshot,
    after: Snapshot,
    by: Identity,
    *,
    pin_hash: str | None,
    pin_given: bool = False,
) -> None:
    """Refuse unless ``by`` may turn the staff fields ``before`` into ``after`` (which
    holds only the fields being written).

    Raises :class:`~photoscreen.core.rules.review.ReviewRefused` when an unclothed mark would
    be cleared that needs the reviewer PIN (``pin_hash`` is the PIN in force) and the PIN
    was not given, and :class:`DecisionError` when a question someone else asked would go.
    ``pin_given`` says the person gave the PIN for this change and it opened the PIN in
    force: the caller checks it with ``settings.pin.check`` before the change's
    transaction (slowed down after wrong ones, audited), never here inside it, where a
    refusal would roll back the record of the wrong PIN. Undo and redo never carry it.
    """
    if "unclothed" in after and before["unclothed"] != after["unclothed"]:
        mark = mark_needing_pin(before["unclothed"], by, pin_hash)
        if mark is not None and not pin_given:
            raise ReviewRefused(clearing_mark_refused(mark, by))
    if "questions" in after:
        kept = set(after["questions"])
        for question in before["questions"]:
            if question not in kept and not by.raised(question):
                raise DecisionError(question_stays(question, by))


def mark_needing_pin(mark: Concern | None, by: Identity, pin_hash: str | None) -> Concern | None:
    """``mark`` when ``by`` clearing it would need the reviewer PIN: a PIN is set and the
    mark was not raised in ``by``'s sitting. Else None."""
    if mark is None or pin_hash is None or by.raised(mark):
        return None
    return mark


def marked(mark: Concern | None, by: Identity) -> Concern:
    """The photo's unclothed mark once ``by`` marks it: an existing mark stays whoever
    raised it (marking it again must not make someone else's mark one's own)."""
    return mark if mark is not None else by.concern()


def asked(questions: tuple[Concern, ...], by: Identity, note: str) -> tuple[Concern, ...]:
    """The questions once ``by`` asks the manager with ``note``: their own question from
    this sitting gets the new note, else theirs is added after the others."""
    own = next((q for q in questions if by.raised(q)), None)
    if own is None:
        return (*questions, by.concern(note))
    if own.note == note:
        return questions
    return tuple(by.concern(note) if q is own else q for q in questions)


def withdrawn(questions: tuple[Concern, ...], by: Identity) -> tuple[Concern, ...]:
    """The questions once ``by`` takes back their own; raises :class:`DecisionError` when
    they have none to take back while others' stand."""
    left = tuple(q for q in questions if not by.raised(q))
    if left and left == questions:
        raise DecisionError(question_stays(questions[0], by))
    return left


def clearing_mark_refused(mark: Concern, by: Identity) -> str:
    """Why ``by`` needs the reviewer PIN to clear ``mark``, in plain words."""
    who = mark.who or "Someone"
    if _same_name(mark.who, by.name):
        return (
            f"{who} marked this photo unclothed / semi-clothed earlier, before the folder "
            "was opened or the name last changed: only the manager can clear that now "
            "(it needs the reviewer PIN)."
        )
    return (
        f"{who} marked this photo unclothed / semi-clothed: only the manager can clear "
        "that (it needs the reviewer PIN)."
    )


def question_stays(question: Concern, by: Identity) -> str:
    """Why ``by`` cannot take back ``question``, in plain words."""
    who = question.who or "Someone"
    earlier = (
        " earlier, before the folder was opened or the name last changed"
        if _same_name(question.who, by.name)
        else ""
    )
    return (
        f"{who} asked the manager about this photo{earlier}: only the manager can answer "
        "it now, by approving or rejecting it in Manager review."
    )


def _same_name(first: str, second: str) -> bool:
    # Only for the wording of a refusal ("earlier"): the rule itself never reads names.
    return first.casefold() == second.casefold()

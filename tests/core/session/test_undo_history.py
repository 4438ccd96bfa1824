"""Undo and redo as one step in two directions (core/session/undo.py), on their own.

A state machine pushes decisions, undoes and redoes them (some writes refused), and
changes who is at the PC, against a model of two plain lists: a step taken writes the
right fields once and moves to the other list; a refused one writes nothing, moves
nothing, tells no listener; a new decision empties the redo list; the oldest steps go
beyond :data:`MAX_UNDO`.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from photoscreen.core.session.undo import MAX_UNDO, Change, Direction, History
from photoscreen.core.storage import Snapshot


class Refused(Exception):
    """The write of a step was refused (as the rules refuse one)."""


def _change(number: int) -> Change:
    return Change(f"photo-{number % 3}", "tag_activity", f"Step {number}",
                  {"activity": f"before-{number}"}, {"activity": f"after-{number}"})  # fmt: skip


class HistoryMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.told: list[str | None] = []
        self.history = History(self.told.append)
        self.done: list[Change] = []  # the model
        self.undone: list[Change] = []
        self.written: list[tuple[Change, Snapshot, str]] = []
        self.count = 0

    def _restore(self, refuse: bool) -> Any:
        def restore(change: Change, fields: Snapshot, action: str) -> None:
            if refuse:
                raise Refused(change.description)
            self.written.append((change, fields, action))

        return restore

    @rule()
    def decide(self) -> None:
        self.count += 1
        change = _change(self.count)
        self.history.push(change)
        self.done = [*self.done, change][-MAX_UNDO:]
        self.undone = []

    @rule(refuse=st.booleans())
    def undo(self, refuse: bool) -> None:
        self._step(Direction.UNDO, refuse, self.done, self.undone, "before")

    @rule(refuse=st.booleans())
    def redo(self, refuse: bool) -> None:
        self._step(Direction.REDO, refuse, self.undone, self.done, "after")

    def _step(
        self, direction: Direction, refuse: bool, source: list[Change], to: list[Change], side: str
    ) -> None:
        told, written = len(self.told), len(self.written)
        if not source:
            assert self.history.step(direction, self._restore(refuse)) is None
        elif refuse:
            with pytest.raises(Refused):
                self.history.step(direction, self._restore(refuse))
        else:
            change = source.pop()
            assert self.history.step(direction, self._restore(refuse)) == change.photo_hash
            to.append(change)
            assert self.written[written:] == [
                (change, getattr(change, side), direction.value)
            ]
            assert self.told[told:] == [change.photo_hash]
            return
        assert len(self.written) == written and len(self.told) == told

    @precondition(lambda self: self.count > 0)
    @rule()
    def someone_else_sits_down(self) -> None:
        self.history.clear()
        self.done, self.undone = [], []

    @invariant()
    def matches_the_model(self) -> None:
        for direction, steps in ((Direction.UNDO, self.done), (Direction.REDO, self.undone)):
            assert self.history.can(direction) == bool(steps)
            expected = steps[-1].description if steps else None
            assert self.history.next_description(direction) == expected


TestHistory = HistoryMachine.TestCase
TestHistory.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)


def test_the_oldest_steps_go_beyond_the_limit() -> None:
    history = History(lambda photo_hash: None)
    for number in range(MAX_UNDO + 5):
        history.push(_change(number))
    undone = []
    while history.can(Direction.UNDO):
        history.step(Direction.UNDO, lambda change, fields, action: undone.append(change))
    assert len(undone) == MAX_UNDO
    assert undone[-1].description == "Step 5"  # steps 0..4 were forgotten

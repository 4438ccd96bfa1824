"""Moving through the grid: the next photo still needing staff, the neighbour, the ends,
always in the grid's order and within its filter (a property over any folder)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photoscreen.core.rules.policy import PhotoState, PhotoStatus, needs_staff
from photoscreen.core.session import PhotoEntry
from photoscreen.ui.control.navigation import GridNavigation
from photoscreen.ui.control.photo_rows import PhotoRows
from photoscreen.ui.grid import FILTERS, PhotoGridModel, StatusFilter, StatusFilterProxy

STATES = [
    PhotoState.READY,
    PhotoState.NEEDS_ACTIVITY,
    PhotoState.CHECK_FACES,
    PhotoState.EXCLUDED,
    PhotoState.AWAITING_REVIEW,
    PhotoState.UNREADABLE,
]


def _navigation(states: list[PhotoState], status_filter: StatusFilter):
    rows = PhotoRows(PhotoGridModel())
    rows.load(
        [
            PhotoEntry(Path(f"/f/p{i:02}.jpg"), f"h{i}", PhotoStatus(s), None)
            for i, s in enumerate(states)
        ],
        {},
    )
    proxy = StatusFilterProxy()
    proxy.setSourceModel(rows.model)
    proxy.set_filter(status_filter)
    return GridNavigation(rows, proxy), rows, proxy


def _expected_next(states, status_filter, current, step, wrap):
    """The reference walk, on a plain list."""
    count = len(states)
    start = current if current is not None else (-1 if step > 0 else count)
    for offset in range(1, count + 1):
        row = start + (1 if step > 0 else -1) * offset
        if wrap:
            row %= count
        elif not 0 <= row < count:
            return None
        status = PhotoStatus(states[row])
        if row != current and needs_staff(status) and status_filter.accepts(status):
            return f"p{row:02}.jpg"
    return None


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    states=st.lists(st.sampled_from(STATES), min_size=0, max_size=12),
    filter_index=st.integers(0, len(FILTERS) - 1),
    current=st.integers(-1, 12),
    step=st.sampled_from([+1, -1]),
    wrap=st.booleans(),
)
def test_the_next_photo_needing_staff_is_the_first_in_the_grid_order_and_filter(
    qtbot, states, filter_index, current, step, wrap
):
    status_filter = FILTERS[filter_index]
    navigation, _, _ = _navigation(states, status_filter)
    at = current if 0 <= current < len(states) else None
    photo_id = f"p{at:02}.jpg" if at is not None else None
    assert navigation.next_needing(photo_id, step, wrap=wrap) == _expected_next(
        states, status_filter, at, step, wrap
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    states=st.lists(st.sampled_from(STATES), min_size=0, max_size=12),
    filter_index=st.integers(0, len(FILTERS) - 1),
    current=st.integers(0, 11),
    step=st.sampled_from([+1, -1]),
)
def test_the_neighbour_and_the_ends_are_photos_the_filtered_grid_shows(
    qtbot, states, filter_index, current, step
):
    status_filter = FILTERS[filter_index]
    navigation, _, _ = _navigation(states, status_filter)
    shown = [f"p{i:02}.jpg" for i, s in enumerate(states) if status_filter.accepts(PhotoStatus(s))]
    assert navigation.end(last=False) == (shown[0] if shown else None)
    assert navigation.end(last=True) == (shown[-1] if shown else None)
    photo_id = f"p{current:02}.jpg"
    if photo_id in shown:
        navigation.shown(photo_id)
        place = shown.index(photo_id)
        expected = shown[min(max(place + step, 0), len(shown) - 1)]
        assert navigation.neighbour(photo_id, step) == expected
    elif shown:
        assert navigation.neighbour(photo_id, step) in shown
    else:
        assert navigation.neighbour(photo_id, step) is None


def test_a_photo_that_left_the_filter_is_followed_by_the_one_in_its_place(qtbot):
    states = [PhotoState.NEEDS_ACTIVITY] * 4
    needs = next(f for f in FILTERS if f.states == frozenset({PhotoState.NEEDS_ACTIVITY}))
    navigation, rows, _proxy = _navigation(states, needs)
    navigation.shown("p01.jpg")
    rows.store(PhotoEntry(Path("/f/p01.jpg"), "h1", PhotoStatus(PhotoState.READY), None))
    assert not navigation.is_visible("p01.jpg")  # decided: out of the filter
    assert navigation.neighbour("p01.jpg", +1) == "p02.jpg"
    assert navigation.neighbour("p01.jpg", -1) == "p00.jpg"

"""The ONNX layer: both backends give CenterFace's same maps, ONNX Runtime is preferred
when it can be imported, and the cores are shared out so the window keeps a turn."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import skimage.data
from hypothesis import given
from hypothesis import strategies as st

from photoscreen.core.faces.centerface import CenterFaceNet
from photoscreen.core.faces.onnx_runner import (
    MAX_CALLS,
    Backend,
    ThreadPlan,
    available_backends,
    default_backend,
    thread_plan,
)

needs_onnxruntime = pytest.mark.skipif(
    Backend.ONNXRUNTIME not in available_backends(), reason="needs onnxruntime"
)


@needs_onnxruntime
@pytest.mark.parametrize("size", [(96, 64), (320, 256), (224, 416)])
def test_both_backends_give_the_same_maps(size: tuple[int, int]) -> None:
    width, height = size
    picture = np.ascontiguousarray(skimage.data.astronaut()[:height, :width])
    on_ort = CenterFaceNet(Backend.ONNXRUNTIME, threads=2).run_batch([picture, picture[::-1]])
    on_cv = CenterFaceNet(Backend.OPENCV).run_batch([picture, picture[::-1]])
    for ort_maps, cv_maps in zip(on_ort, on_cv, strict=True):
        assert ort_maps.heatmap.shape == (height // 4, width // 4)
        np.testing.assert_allclose(ort_maps.heatmap, cv_maps.heatmap, atol=1e-4)
        np.testing.assert_allclose(ort_maps.scale, cv_maps.scale, atol=1e-3)
        np.testing.assert_allclose(ort_maps.offset, cv_maps.offset, atol=1e-3)


@needs_onnxruntime
def test_onnxruntime_is_used_when_it_can_be_imported() -> None:
    assert default_backend() is Backend.ONNXRUNTIME
    assert CenterFaceNet().backend is Backend.ONNXRUNTIME


def test_without_onnxruntime_opencv_runs_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes every import of the package fail, as a missing one does.
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    assert default_backend() is Backend.OPENCV
    assert available_backends() == [Backend.OPENCV]
    net = CenterFaceNet()
    assert net.backend is Backend.OPENCV and not net.thread_safe
    maps = net.run(np.zeros((64, 96, 3), np.uint8))
    assert maps.heatmap.shape == (16, 24)


def test_a_run_refuses_what_is_not_an_nchw_float_array() -> None:
    model = CenterFaceNet(Backend.OPENCV)._model
    with pytest.raises(ValueError, match="NCHW float32"):
        model.run(np.zeros((3, 32, 32), np.float32))
    with pytest.raises(ValueError, match="NCHW float32"):
        model.run(np.zeros((1, 3, 32, 32), np.uint8))  # type: ignore[arg-type]


def test_two_cores_run_two_inputs_side_by_side_one_photo_at_a_time() -> None:
    assert thread_plan(Backend.ONNXRUNTIME, 2) == ThreadPlan(calls=2, threads=1, photos=1)
    assert thread_plan(Backend.ONNXRUNTIME, 1) == ThreadPlan(calls=1, threads=1, photos=1)


@given(cores=st.integers(1, 256))
def test_many_cores_leave_one_for_the_window_and_bound_the_runs(cores: int) -> None:
    plan = thread_plan(Backend.ONNXRUNTIME, cores)
    assert 1 <= plan.calls <= MAX_CALLS, "runs side by side each hold their memory"
    assert plan.threads >= 1 and plan.photos in (1, 2)
    used = plan.calls * plan.threads
    if cores >= 4:
        assert used <= cores - 1, "a core is left for the window"
        assert used > (cores - 1) - plan.calls, "and the rest is used"
    else:
        assert used == cores
    opencv = thread_plan(Backend.OPENCV, cores)
    assert (opencv.calls, opencv.photos) == (1, 1), "a cv2 net runs one input at a time"

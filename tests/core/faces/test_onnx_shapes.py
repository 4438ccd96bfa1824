"""Making a fixed-shape ONNX model size-free, by editing its protobuf bytes.

The models here are written byte by byte (tests/helpers/onnx_models.py) and run by the real
backends: ONNX Runtime refuses any input but the declared shape until the model is made
size-free, and every field the edit does not concern must come through unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photoscreen.core.faces.onnx_runner import (
    Backend,
    ModelLoadError,
    OnnxModel,
    available_backends,
)
from photoscreen.core.faces.onnx_shapes import ModelFormatError, dynamic_model
from tests.helpers.onnx_models import conv_model, field, fields, fixed32_field, int_field

WEIGHTS = np.array([[[[1.0]], [[2.0]], [[-1.0]]], [[[0.5]], [[0.0]], [[3.0]]]], np.float32)
BACKENDS = available_backends()


def expected(blob: np.ndarray) -> np.ndarray:
    """What the 1x1 convolution computes: a weighted sum over the input channels."""
    return np.einsum("oi,nihw->nohw", WEIGHTS[:, :, 0, 0], blob)


def _blob(n: int, h: int, w: int) -> np.ndarray:
    return np.random.default_rng(n * h * w).normal(0, 10, (n, 3, h, w)).astype(np.float32)


@pytest.mark.skipif(Backend.ONNXRUNTIME not in BACKENDS, reason="needs onnxruntime")
def test_onnxruntime_refuses_other_sizes_of_a_fixed_shape_model() -> None:
    model = OnnxModel(conv_model(WEIGHTS), ["y"], backend=Backend.ONNXRUNTIME)
    with pytest.raises(Exception, match=r"[Ii]nvalid|dimension|shape"):
        model.run(_blob(1, 20, 28))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("n", "h", "w"), [(1, 20, 28), (2, 8, 12), (10, 32, 32), (1, 1, 97)])
def test_a_size_free_model_runs_at_any_size(backend: Backend, n: int, h: int, w: int) -> None:
    model = OnnxModel(dynamic_model(conv_model(WEIGHTS)), ["y"], backend=backend)
    blob = _blob(n, h, w)
    (result,) = model.run(blob)
    np.testing.assert_allclose(result, expected(blob), rtol=1e-5, atol=1e-4)


def _graph(model: bytes) -> bytes:
    (graph,) = [payload for number, _, payload in fields(model) if number == 7]
    return graph


def _names(graph: bytes, number: int, name_field: int) -> list[bytes]:
    return [
        next(p for n, _, p in fields(payload) if n == name_field)
        for n, _, payload in fields(graph)
        if n == number
    ]


def _dims(graph: bytes, number: int) -> list[list[tuple[int, bytes]]]:
    """Per graph input (11) or output (12): each dim as (field number, payload)."""
    shapes = []
    for n, _, info in fields(graph):
        if n != number:
            continue
        (type_proto,) = [p for f, _, p in fields(info) if f == 2]
        (tensor_type,) = [p for f, _, p in fields(type_proto) if f == 1]
        (shape,) = [p for f, _, p in fields(tensor_type) if f == 2]
        shapes.append([fields(dim)[0][:3:2] for f, _, dim in fields(shape) if f == 1])
    return shapes


def test_only_the_channels_stay_fixed_and_weights_leave_the_inputs() -> None:
    graph = _graph(dynamic_model(conv_model(WEIGHTS)))
    assert _names(graph, 11, 1) == [b"x"]  # the weights listed as inputs are gone
    assert _names(graph, 5, 8) == [b"w"]  # the weight no node reads is gone
    assert not [n for n, _, _ in fields(graph) if n == 13]  # stale shape hints are gone
    (x_dims,) = _dims(graph, 11)
    (y_dims,) = _dims(graph, 12)
    for dims, channels in ((x_dims, 3), (y_dims, 2)):
        assert [number for number, _ in dims] == [2, 1, 2, 2]  # dim_param, value, param...
        assert dims[1][1] == int_field(1, channels)[1:]
        assert len({payload for number, payload in dims if number == 2}) == 3


unknown_fields = st.lists(
    st.one_of(
        st.tuples(st.integers(100, 5000), st.binary(max_size=300)).map(lambda t: field(*t)),
        st.tuples(st.integers(100, 5000), st.integers(0, 2**63)).map(lambda t: int_field(*t)),
        st.tuples(st.integers(100, 5000), st.integers(0, 2**32 - 1)).map(
            lambda t: fixed32_field(*t)
        ),
        # Long payloads: lengths that take two and three bytes to write.
        st.sampled_from([field(101, b"a" * 200), field(102, b"b" * 20000)]),
    ),
    max_size=4,
).map(b"".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model_extra=unknown_fields, graph_extra=unknown_fields, input_extra=unknown_fields)
def test_fields_the_edit_does_not_concern_survive_byte_for_byte(
    model_extra: bytes, graph_extra: bytes, input_extra: bytes
) -> None:
    original = conv_model(
        WEIGHTS, model_extra=model_extra, graph_extra=graph_extra, input_extra=input_extra
    )
    edited = dynamic_model(original)
    assert edited.endswith(model_extra)
    graph = _graph(edited)
    assert graph.endswith(graph_extra)
    (x_info,) = [p for n, _, p in fields(graph) if n == 11]
    assert x_info.endswith(input_extra)
    (result,) = OnnxModel(edited, ["y"], backend=BACKENDS[0]).run(_blob(1, 4, 4))
    np.testing.assert_allclose(result, expected(_blob(1, 4, 4)), rtol=1e-5, atol=1e-4)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_damaged_model_bytes_fail_in_words(data: st.DataObject) -> None:
    model = conv_model(WEIGHTS)
    cut = data.draw(st.integers(0, len(model) - 1))
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(model) - 1), st.integers(0, 255))))
    damaged = bytearray(model[:cut] if data.draw(st.booleans()) else model)
    for position, value in flips:
        if position < len(damaged):
            damaged[position] = value
    try:
        dynamic_model(bytes(damaged))
    except ModelFormatError as error:
        assert str(error)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_model_cut_short_is_refused(data: st.DataObject) -> None:
    model = conv_model(WEIGHTS)
    # Cuts between the model's own fields leave a shorter but whole message.
    boundaries, position = set(), 0
    for _, _, payload in fields(model):
        position = model.index(payload, position) + len(payload)
        boundaries.add(position)
    cut = data.draw(st.integers(1, len(model) - 1).filter(lambda c: c not in boundaries))
    with pytest.raises(ModelFormatError):
        dynamic_model(model[:cut])


def test_bytes_that_hold_no_graph_are_refused() -> None:
    with pytest.raises(ModelFormatError, match="no ONNX graph"):
        dynamic_model(int_field(1, 4))
    with pytest.raises(ModelLoadError):
        OnnxModel(b"\x00not a model", ["y"], backend=Backend.OPENCV)

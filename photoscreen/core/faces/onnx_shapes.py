"""Making an ONNX model accept any input size, by editing its protobuf bytes directly.

Some models declare a fixed input shape although their layers work at any size:
``centerface.onnx`` declares 10 x 3 x 32 x 32. OpenCV's ``cv2.dnn`` ignores the
declaration; ONNX Runtime enforces it. :func:`dynamic_model` rewrites the declared input
and output shapes so that every axis but the channels is a named free dimension, and
tidies what old exporters left behind:

- graph inputs that are also initializers (weights listed as inputs, as IR version 3
  required) are dropped: ONNX Runtime will not fold a weight that could be overridden, so
  they cost speed (batch-norm folding), and CenterFace's unused ``num_batches_tracked``
  counters among them only draw warnings;
- initializers that no node reads are dropped;
- ``value_info`` (optional shape hints for inner tensors, valid for the old size only) is
  dropped; ONNX Runtime infers the shapes again.

Why not the ``onnx`` package: this is the whole of what we need from it, while it would
add a 17 MB wheel (and a protobuf runtime of a version it pins) to every install. The
protobuf wire format is small and stable (varints, fixed 32/64-bit values and
length-delimited bytes, each behind a field-number tag); only the few messages on the path
to the shapes are decoded, and every other field is copied byte for byte. The field
numbers come from ``onnx.proto`` (stable since IR version 1).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Field numbers from onnx/onnx.proto.
_MODEL_GRAPH = 7
_GRAPH_NODE, _GRAPH_INITIALIZER = 1, 5
_GRAPH_INPUT, _GRAPH_OUTPUT, _GRAPH_VALUE_INFO = 11, 12, 13
_NODE_INPUT = 1
_TENSOR_NAME = 8
_VALUE_INFO_NAME, _VALUE_INFO_TYPE = 1, 2
_TYPE_TENSOR = 1
_TENSOR_TYPE_SHAPE = 2
_SHAPE_DIM = 1
_DIM_PARAM = 2

_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5

# Rewrites one field's payload; None drops the field.
_Buffer = bytes | memoryview
_Edit = Callable[[memoryview], "_Buffer | None"]

# The axis whose declared size is kept: the channels of an NCHW tensor (the layers'
# weights fix it; the batch and the two image axes are free).
CHANNEL_AXIS = 1


class ModelFormatError(ValueError):
    """The bytes are not an ONNX model this module can read."""


@dataclass(frozen=True)
class _Field:
    """One field of a protobuf message: its number, wire type, payload and whole bytes."""

    number: int
    wire_type: int
    payload: memoryview  # the value's bytes (length-delimited fields: without the length)
    raw: memoryview  # tag, length and value exactly as read


def _read_varint(data: memoryview, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise ModelFormatError("a number in the model file is cut short or too long")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, position


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _fields(message: _Buffer) -> Iterator[_Field]:
    """The fields of one message, in order (views into ``message``: nothing is copied)."""
    data = memoryview(message)
    position = 0
    while position < len(data):
        start = position
        key, position = _read_varint(data, position)
        number, wire_type = key >> 3, key & 7
        if wire_type == _VARINT:
            _, position = _read_varint(data, position)
            payload_start = start
        elif wire_type in (_FIXED64, _FIXED32):
            payload_start = position
            position += 8 if wire_type == _FIXED64 else 4
        elif wire_type == _BYTES:
            length, payload_start = _read_varint(data, position)
            position = payload_start + length
        else:
            raise ModelFormatError(f"unsupported protobuf wire type {wire_type}")
        if position > len(data) or number == 0:
            raise ModelFormatError("the model file is truncated or not an ONNX model")
        yield _Field(number, wire_type, data[payload_start:position], data[start:position])


def _bytes_field(number: int, payload: _Buffer) -> bytes:
    return b"".join((_varint(number << 3 | _BYTES), _varint(len(payload)), payload))


def _string(message: _Buffer, number: int) -> str:
    """The first string field ``number`` of ``message`` ('' when absent)."""
    for field in _fields(message):
        if field.number == number and field.wire_type == _BYTES:
            return bytes(field.payload).decode("utf-8", errors="replace")
    return ""


def _rewrite(message: _Buffer, edits: dict[int, _Edit]) -> bytes:
    """``message`` with each length-delimited field whose number is in ``edits`` replaced
    by what its edit returns for its payload (dropped on None); other fields as they were."""
    parts: list[_Buffer] = []
    for field in _fields(message):
        edit = edits.get(field.number) if field.wire_type == _BYTES else None
        if edit is None:
            parts.append(field.raw)
            continue
        edited = edit(field.payload)
        if edited is not None:
            parts.append(_bytes_field(field.number, edited))
    return b"".join(parts)


def _free_shape(shape: memoryview, tensor: str) -> bytes:
    """A TensorShapeProto with every dimension but the channels' named and free."""
    axis = itertools.count()

    def free(dimension: memoryview) -> _Buffer:
        index = next(axis)
        if index == CHANNEL_AXIS:
            return dimension
        return _bytes_field(_DIM_PARAM, f"{tensor}_{index}".encode())

    return _rewrite(shape, {_SHAPE_DIM: free})


def _free_value_info(value_info: memoryview) -> bytes:
    """A graph input or output whose tensor shape has free dimensions (see module doc)."""
    name = _string(value_info, _VALUE_INFO_NAME)

    def tensor_type(payload: memoryview) -> bytes:
        return _rewrite(payload, {_TENSOR_TYPE_SHAPE: lambda shape: _free_shape(shape, name)})

    def type_proto(payload: memoryview) -> bytes:
        return _rewrite(payload, {_TYPE_TENSOR: tensor_type})

    return _rewrite(value_info, {_VALUE_INFO_TYPE: type_proto})


def _names_read_by_nodes(graph: memoryview) -> set[str]:
    names = set()
    for field in _fields(graph):
        if field.number == _GRAPH_NODE and field.wire_type == _BYTES:
            for part in _fields(field.payload):
                if part.number == _NODE_INPUT and part.wire_type == _BYTES:
                    names.add(bytes(part.payload).decode("utf-8", errors="replace"))
    return names


def _dynamic_graph(graph: memoryview) -> bytes:
    initializers = {
        _string(field.payload, _TENSOR_NAME)
        for field in _fields(graph)
        if field.number == _GRAPH_INITIALIZER and field.wire_type == _BYTES
    }
    read = _names_read_by_nodes(graph)

    def graph_input(value_info: memoryview) -> bytes | None:
        if _string(value_info, _VALUE_INFO_NAME) in initializers:
            return None
        return _free_value_info(value_info)

    def initializer(tensor: memoryview) -> memoryview | None:
        return tensor if _string(tensor, _TENSOR_NAME) in read else None

    return _rewrite(
        graph,
        {
            _GRAPH_INPUT: graph_input,
            _GRAPH_OUTPUT: _free_value_info,
            _GRAPH_VALUE_INFO: lambda _: None,
            _GRAPH_INITIALIZER: initializer,
        },
    )


def dynamic_model(model: bytes) -> bytes:
    """``model`` (a serialized ONNX ModelProto) with free input and output sizes.

    Every axis of the graph's inputs and outputs but :data:`CHANNEL_AXIS` becomes a named
    free dimension; weights listed as inputs, unused weights and inner shape hints are
    dropped (see the module docstring). Raises :class:`ModelFormatError` for bytes that
    are not a readable ONNX model.
    """
    graphs = [f for f in _fields(model) if f.number == _MODEL_GRAPH and f.wire_type == _BYTES]
    if len(graphs) != 1:
        raise ModelFormatError("the file holds no ONNX graph")
    return _rewrite(model, {_MODEL_GRAPH: _dynamic_graph})

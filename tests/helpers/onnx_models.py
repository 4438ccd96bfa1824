"""Tiny ONNX models written byte by byte, for the tests of the ONNX layer.

The tests must not depend on the ``onnx`` package (photoscreen does not), so this writes
the protobuf wire format directly: a one-layer model (a 1x1 convolution, weights given)
that declares a fixed input shape the way ``centerface.onnx`` does, with the weights also
listed as graph inputs (as IR version 3 exporters wrote them), an unused weight, a stale
``value_info`` shape hint, and any extra fields a test wants to see survive.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

FLOAT = 1  # TensorProto.DataType.FLOAT


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def field(number: int, payload: bytes) -> bytes:
    """A length-delimited field."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def int_field(number: int, value: int) -> bytes:
    return varint(number << 3) + varint(value)


def fixed32_field(number: int, value: int) -> bytes:
    return varint(number << 3 | 5) + struct.pack("<I", value)


def value_info(name: str, dims: Sequence[int], extra: bytes = b"") -> bytes:
    """A ValueInfoProto of a float tensor with fixed ``dims``."""
    shape = b"".join(field(1, int_field(1, dim)) for dim in dims)
    tensor_type = int_field(1, FLOAT) + field(2, shape)
    return field(1, name.encode()) + field(2, field(1, tensor_type)) + extra


def tensor(name: str, values: np.ndarray) -> bytes:
    """A TensorProto holding float32 ``values``."""
    dims = b"".join(int_field(1, dim) for dim in values.shape)
    raw = np.ascontiguousarray(values, dtype="<f4").tobytes()
    return dims + int_field(2, FLOAT) + field(8, name.encode()) + field(9, raw)


def conv_model(
    weights: np.ndarray,
    declared_input: Sequence[int] = (10, 3, 32, 32),
    *,
    model_extra: bytes = b"",
    graph_extra: bytes = b"",
    input_extra: bytes = b"",
) -> bytes:
    """A ModelProto: ``y = Conv(x, weights)`` (1x1 kernel), opset 9, IR version 4.

    ``x`` is declared with the fixed ``declared_input`` shape and ``y`` likewise; the
    weights are an initializer that is also listed as an input; an initializer named
    ``unused`` is read by no node; a ``value_info`` gives ``y`` its old fixed shape.
    """
    out_channels = weights.shape[0]
    n, _, h, w = declared_input
    node = field(1, b"x") + field(1, b"w") + field(2, b"y") + field(4, b"Conv")
    graph = b"".join(
        [
            field(1, node),
            field(2, b"tiny"),
            field(5, tensor("w", weights)),
            field(5, tensor("unused", np.zeros(3, np.float32))),
            field(11, value_info("x", declared_input, input_extra)),
            field(11, value_info("w", weights.shape)),
            field(11, value_info("unused", (3,))),
            field(12, value_info("y", (n, out_channels, h, w))),
            field(13, value_info("y", (n, out_channels, h, w))),
            graph_extra,
        ]
    )
    opset = field(1, b"") + int_field(2, 9)
    return (
        b"".join(
            [int_field(1, 4), field(2, b"photoscreen-tests"), field(7, graph), field(8, opset)]
        )
        + model_extra
    )


def fields(message: bytes) -> list[tuple[int, int, bytes]]:
    """(number, wire type, payload) of each field: an independent reader for the tests."""
    out = []
    position = 0
    while position < len(message):
        key, position = _read_varint(message, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            start = position
            _, position = _read_varint(message, position)
        elif wire == 2:
            length, start = _read_varint(message, position)
            position = start + length
        else:
            start = position
            position += 8 if wire == 1 else 4
        out.append((number, wire, message[start:position]))
    return out


def _read_varint(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, position

"""Walkers for the PNG, WebP (RIFF) and GIF containers, written from their specifications.

Like the JPEG segment walker, they list every block a file carries, including the ones a
decoder ignores (text chunks, comments, unknown chunks, extra frames, trailing bytes),
so the metadata inspector sees all of it. Each stops at the first malformed block and says
so rather than raising.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class Walk:
    """The blocks found (type name, payload), bytes after the end, and whether it broke."""

    blocks: list[tuple[str, bytes]] = field(default_factory=list)
    trailing: bytes = b""
    broken: bool = False
    frames: int = 0

    def named(self, name: str) -> list[bytes]:
        return [payload for kind, payload in self.blocks if kind == name]


def walk_png(data: bytes) -> Walk:
    """The chunks of a PNG file, up to and including IEND."""
    walk = Walk()
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8].decode("latin-1")
        end = pos + 12 + length
        if end > len(data):
            break
        walk.blocks.append((kind, bytes(data[pos + 8 : pos + 8 + length])))
        pos = end
        if kind == "IEND":
            walk.trailing = bytes(data[pos:])
            return walk
    walk.broken = True
    return walk


def walk_riff(data: bytes) -> Walk:
    """The chunks of a RIFF/WebP file within its declared size."""
    walk = Walk()
    declared_end = 8 + int.from_bytes(data[4:8], "little")
    end = min(declared_end, len(data))
    pos = 12
    while pos + 8 <= end:
        kind = data[pos : pos + 4].decode("latin-1")
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if pos + 8 + size > end:
            walk.broken = True
            break
        walk.blocks.append((kind, bytes(data[pos + 8 : pos + 8 + size])))
        pos += 8 + size + size % 2
    walk.broken = walk.broken or declared_end > len(data)
    walk.trailing = bytes(data[declared_end:])
    walk.frames = max(1, len(walk.named("ANMF")))
    return walk


def walk_gif(data: bytes) -> Walk:
    """The extension blocks and frames of a GIF; blocks are named "comment", "text",
    "application:<identifier>"; ``frames`` counts the images."""
    walk = Walk()
    if len(data) < 13:
        walk.broken = True
        return walk
    pos = 13 + _colour_table_size(data[10])
    while pos < len(data):
        introducer = data[pos]
        if introducer == 0x3B:  # trailer
            walk.trailing = bytes(data[pos + 1 :])
            return walk
        if introducer == 0x21 and pos + 1 < len(data):
            pos = _gif_extension(data, pos, walk)
        elif introducer == 0x2C and pos + 10 <= len(data):
            walk.frames += 1
            pos += 10 + _colour_table_size(data[pos + 9]) + 1  # descriptor, table, LZW size
            _, pos = _sub_blocks(data, pos)
        else:
            break
        if pos < 0:
            break
    walk.broken = True
    return walk


def _gif_extension(data: bytes, pos: int, walk: Walk) -> int:
    label = data[pos + 1]
    body, end = _sub_blocks(data, pos + 2)
    if label == 0xFE:
        walk.blocks.append(("comment", body))
    elif label == 0x01:
        walk.blocks.append(("text", body[12:]))
    elif label == 0xFF:
        walk.blocks.append((f"application:{body[:11].decode('latin-1')}", body[11:]))
    return end


def _sub_blocks(data: bytes, pos: int) -> tuple[bytes, int]:
    """Concatenated data sub-blocks starting at ``pos``; -1 as the end if they run off."""
    parts: list[bytes] = []
    while pos < len(data):
        size = data[pos]
        if size == 0:
            return b"".join(parts), pos + 1
        parts.append(data[pos + 1 : pos + 1 + size])
        pos += 1 + size
    return b"".join(parts), -1


def _colour_table_size(flags: int) -> int:
    return 3 * (2 ** ((flags & 0x07) + 1)) if flags & 0x80 else 0

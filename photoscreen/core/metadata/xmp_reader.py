"""Reading chosen properties out of an XMP packet in one streaming pass, in bounded work.

XMP is RDF/XML: a property may be written as an attribute or as an element, whose value
is its text, the items (``rdf:li``) of a Bag/Seq/Alt, or a struct of further elements and
attributes. The metadata inspector asks for a few dozen properties by namespace and local
name; this reader collects them all in a single pass of expat over the packet, so its
work grows with the packet's size and nothing else:

- no tree is built (ElementTree spends some 150 bytes per element, so a packet of empty
  elements takes 40 times its size), only the values asked for are kept;
- each value is kept to :data:`VALUE_CHARS` characters (a finding shows 1,000);
- a property nested inside itself is collected at most :data:`_MAX_OPEN` levels deep, so
  ten thousand nested ``dc:subject`` elements are not each given the text of all the
  others;
- reading stops after :data:`MAX_ELEMENTS` elements, and the values found so far are
  returned marked ``too_large`` (each element costs a few microseconds of Python; a
  packet listing forty thousand keywords has some 80,000);
- a packet with a document type declaration is refused: XMP has none, and entities are
  how XML files expand to many times their size.

What it returns for a property is what the earlier ElementTree reader returned: every
attribute value first, then the value of each element of that name in document order
(its ``rdf:li`` items if it has any, else all its text and the attributes inside it,
joined by spaces).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_LI = f"{{{RDF}}}li"
# Longest value kept, in characters: Finding keeps 1,000 of the first 2,000.
VALUE_CHARS = 2000
# Open elements of a wanted name collected at once, and open rdf:li items in each.
_MAX_OPEN = 2
MAX_ELEMENTS = 250_000


class _Refused(Exception):
    """The packet uses something XMP never does (a document type declaration)."""


class _TooMany(Exception):
    """The packet has more than :data:`MAX_ELEMENTS` elements."""


@dataclass
class _Text:
    """Pieces of one value, kept until they reach :data:`VALUE_CHARS` characters."""

    pieces: list[str] = field(default_factory=list)
    chars: int = 0

    def add(self, text: str) -> None:
        text = text.strip()
        if text and self.chars < VALUE_CHARS:
            self.pieces.append(text[: VALUE_CHARS - self.chars])
            self.chars += len(text) + 1

    def joined(self) -> str:
        return " ".join(self.pieces)


@dataclass
class _Open:
    """An element of a wanted name being read: its text, attributes and items so far."""

    name: str
    text: _Text = field(default_factory=_Text)
    attributes: _Text = field(default_factory=_Text)
    items: list[str] = field(default_factory=list)
    # The items being read: (nesting depth, index in ``items``, text); ``depth`` counts the
    # rdf:li elements open inside this one, kept or not.
    open_items: list[tuple[int, int, _Text]] = field(default_factory=list)
    depth: int = 0

    def item_started(self) -> None:
        self.depth += 1
        if len(self.open_items) < _MAX_OPEN:
            self.items.append("")  # its place, in document order
            self.open_items.append((self.depth, len(self.items) - 1, _Text()))

    def item_ended(self) -> None:
        if self.open_items and self.open_items[-1][0] == self.depth:
            _, index, text = self.open_items.pop()
            self.items[index] = text.joined()
        self.depth -= 1

    def value(self) -> list[str]:
        if self.items:
            return self.items
        whole = _Text([*self.text.pieces, *self.attributes.pieces])
        return [whole.joined()] if whole.pieces else []


@dataclass
class XmpValues:
    """The values found for each wanted property, attributes before elements."""

    attributes: dict[str, list[str]] = field(default_factory=dict)
    elements: dict[str, list[str]] = field(default_factory=dict)
    too_large: bool = False  # reading stopped at MAX_ELEMENTS

    def values(self, namespace: str, local: str) -> list[str]:
        name = f"{{{namespace}}}{local}"
        found = self.attributes.get(name, []) + self.elements.get(name, [])
        return [v.strip() for v in found if v and v.strip()]


def read_xmp(packet: bytes, wanted: frozenset[str]) -> XmpValues | None:
    """The values of the ``wanted`` properties (``"{namespace}local"``) in ``packet``;
    None when it is not well-formed XML (or has a document type declaration)."""
    reader = _Reader(wanted)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True  # one callback per text node, as ElementTree sees them
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    parser.StartDoctypeDeclHandler = _refuse
    try:
        parser.Parse(packet, True)
    except (expat.ExpatError, _Refused, ValueError):
        return None
    except _TooMany:
        reader.found.too_large = True
    return reader.found


def _refuse(*_: object) -> None:
    raise _Refused


def _name(expat_name: str) -> str:
    """expat's "namespace local" as ElementTree's "{namespace}local"."""
    namespace, _, local = expat_name.rpartition(" ")
    return f"{{{namespace}}}{local}" if namespace else local


class _Reader:
    """expat's callbacks: keeps the values of wanted properties, and nothing else."""

    def __init__(self, wanted: frozenset[str]) -> None:
        self.wanted = wanted
        self.found = XmpValues()
        self.open: list[_Open] = []
        self.stack: list[bool] = []  # per open element: did it open a collector?
        self.elements = 0
        self._names: dict[str, str] = {}  # the few distinct names, converted once each

    def _name(self, expat_name: str) -> str:
        name = self._names.get(expat_name)
        if name is None:
            name = self._names[expat_name] = _name(expat_name)
        return name

    def start(self, expat_name: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise _TooMany
        name = self._name(expat_name)
        plain = []
        for key, value in attributes.items():
            attribute = self._name(key)
            if attribute in self.wanted:
                self.found.attributes.setdefault(attribute, []).append(value[:VALUE_CHARS])
            if not attribute.startswith(f"{{{RDF}}}"):
                plain.append(value)
        for collector in self.open:
            for value in plain:
                collector.attributes.add(value)
            if name == _LI:
                collector.item_started()
        opens = name in self.wanted and len(self.open) < _MAX_OPEN
        if opens:
            collector = _Open(name)
            for value in plain:
                collector.attributes.add(value)
            self.open.append(collector)
        self.stack.append(opens)

    def end(self, expat_name: str) -> None:
        if self.stack.pop():
            collector = self.open.pop()
            self.found.elements.setdefault(collector.name, []).extend(collector.value())
        if self.open and self._name(expat_name) == _LI:
            for collector in self.open:
                collector.item_ended()

    def text(self, data: str) -> None:
        for collector in self.open:
            collector.text.add(data)
            for _, _, item in collector.open_items:
                item.add(data)

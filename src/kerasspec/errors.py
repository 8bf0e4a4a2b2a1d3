"""Why a model JSON was rejected: one exception class per error code of ``spec/errors.md``.

Every error is a value: its ``code`` (stable, part of the spec), a ``message`` for a person,
the JSON ``path`` where the problem was found, the offending ``value`` and a ``hint``.
:class:`DataFileError` is the same shape for the files the harness itself reads (the corpus
manifest, a known-failures file, a results file): one that cannot be trusted stops the run.
"""

from __future__ import annotations

from typing import Any, ClassVar

from kerasspec._text import printable

__all__ = [
    "CODES",
    "BadEntry",
    "BadLayer",
    "BadNode",
    "Cycle",
    "DanglingReference",
    "DataFileError",
    "DuplicateLayerName",
    "NodeIndexOutOfRange",
    "NotAModel",
    "NotJSON",
    "ParseError",
    "TensorIndexOutOfRange",
    "TooDeep",
    "TooLarge",
    "UnknownFormat",
]


class ParseError(Exception):
    """A model JSON that a conforming reader must reject."""

    code: ClassVar[str] = "parse-error"
    hint_text: ClassVar[str] = ""

    message: str
    path: str
    value: Any
    hint: str

    def __init__(self, message: str, *, path: str = "$", value: Any = None, hint: str | None = None):
        super().__init__(message)
        fields = {
            "message": message,
            "path": path,
            "value": value,
            "hint": self.hint_text if hint is None else hint,
        }
        for name, field_value in fields.items():
            object.__setattr__(self, name, field_value)

    def __setattr__(self, name: str, value: Any) -> None:
        # A value object: the fields are fixed once made.  Python itself still sets dunder
        # attributes (__traceback__, __cause__, ...) on exceptions, so those stay writable.
        if name.startswith("__"):
            object.__setattr__(self, name, value)
            return
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParseError):
            return NotImplemented
        return (self.code, self.message, self.path, self.hint) == (
            other.code,
            other.message,
            other.path,
            other.hint,
        ) and _same(self.value, other.value)

    def __hash__(self) -> int:
        return hash((self.code, self.message, self.path))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, path={self.path!r}, message={self.message!r})"

    def __str__(self) -> str:
        return f"{printable(self.message)} at {printable(self.path)}"

    def line(self) -> str:
        """The one-line form the CLI prints: ``error[<code>]: <message> at <path>``.

        Always one line of a readable length: characters that are not printable (a newline in a
        key, a terminal escape in a name) are escaped and long messages and paths are cut.
        """
        return f"error[{self.code}]: {self}"


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # values from a hostile file may compare strangely; identity is enough then
        return a is b


class NotJSON(ParseError):
    code = "not-json"
    hint_text = "the input must be one JSON text (UTF-8); NaN and Infinity are accepted as Keras writes them"


class NotAModel(ParseError):
    code = "not-a-model"
    hint_text = "expected an object with 'class_name' and 'config' as model.to_json() writes it"


class UnknownFormat(ParseError):
    code = "unknown-format"
    hint_text = "neither the envelope nor any node says whether this is keras2 or keras3; pass the format explicitly"


class BadLayer(ParseError):
    code = "bad-layer"
    hint_text = "a layer is an object with 'class_name', 'config' (with 'name') and, in a Functional, 'inbound_nodes'"


class BadNode(ParseError):
    code = "bad-node"
    hint_text = (
        "keras2 nodes are lists of entries (or one entry, or a dict of entries); "
        "keras3 nodes are {'args': [...], 'kwargs': {...}}"
    )


class BadEntry(ParseError):
    code = "bad-entry"
    hint_text = "a reference is [layer_name, node_index, tensor_index] (plus a kwargs object in keras2 entries)"


class DanglingReference(ParseError):
    code = "dangling-reference"
    hint_text = "every referenced layer must be one of the layers of the same model"


class NodeIndexOutOfRange(ParseError):
    code = "node-index-out-of-range"
    hint_text = (
        "a node index counts the referenced layer's calls in this model "
        "(from 1 for nested Functional models; see the numbering rules)"
    )


class TensorIndexOutOfRange(ParseError):
    code = "tensor-index-out-of-range"
    hint_text = "the referenced call does not have that many outputs"


class Cycle(ParseError):
    code = "cycle"
    hint_text = "a call cannot consume, directly or indirectly, a tensor it produces"


class DuplicateLayerName(ParseError):
    code = "duplicate-layer-name"
    hint_text = "layer names identify layers inside one model and must be unique there"


class TooDeep(ParseError):
    code = "too-deep"
    hint_text = "raise Limits.max_depth if this nesting is intended"


class TooLarge(ParseError):
    code = "too-large"
    hint_text = "raise Limits.max_bytes / max_values / max_layers if this size is intended"


class DataFileError(Exception):
    """A data file the harness reads that cannot be trusted: the run stops (exit 65).

    Subclasses set ``code``; ``default_path`` and ``default_hint`` fill what the raiser leaves out.
    """

    code: ClassVar[str] = "bad-data"
    default_path: ClassVar[str | None] = None
    default_hint: ClassVar[str] = ""

    def __init__(self, message: str, *, path: str | None = None, value: Any = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = self.default_path if path is None else path
        self.value = value
        self.hint = hint or self.default_hint

    def __str__(self) -> str:
        # File names, case ids and keys come from the files themselves: escaped as ParseError's are.
        where = f" at {printable(self.path)}" if self.path is not None else ""
        hint = f" ({printable(self.hint)})" if self.hint else ""
        return f"{printable(self.message)}{where}{hint}"

    def line(self) -> str:
        """The one line every command prints for it: ``error[<code>]: <message> at <path> (<hint>)``.

        As :meth:`ParseError.line`: characters that are not printable are escaped, long texts cut.
        """
        return f"error[{self.code}]: {self}"


CODES: dict[str, type[ParseError]] = {
    cls.code: cls
    for cls in (
        NotJSON,
        NotAModel,
        UnknownFormat,
        BadLayer,
        BadNode,
        BadEntry,
        DanglingReference,
        NodeIndexOutOfRange,
        TensorIndexOutOfRange,
        Cycle,
        DuplicateLayerName,
        TooDeep,
        TooLarge,
    )
}

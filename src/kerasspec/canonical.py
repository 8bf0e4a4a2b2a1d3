"""The canonical graph: what a Keras model JSON *means*, independent of its wire format.

This is the contract between the corpus and every parser under test (``spec/canonical-graph.md``)::

    Document = {"format": "keras2" | "keras3", "model": Model}
    Model    = {"class_name", "name", "inputs": Value | null, "outputs": Value | null, "layers": [Layer]}
    Layer    = {"name", "class_name", "module": str | null, "calls": [Call], "model"?: Model}
    Call     = {"args": [Value], "kwargs": {str: Value}}
    Value    = {"tensor": [layer, call, output]} | {"const": scalar} | {"list": [Value]}
             | {"dict": {str: Value}} | {"object": {...}}

Documents from other languages arrive as JSON, so comparison works on the JSON form:
:func:`diff` finds the first difference (key order ignored, ``2 == 2.0``, ``true != 1``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TextIO, TypeAlias

from kerasspec.vocabulary import FORMATS, Format

__all__ = [
    "Call",
    "Const",
    "DictValue",
    "Difference",
    "Document",
    "Layer",
    "ListValue",
    "Model",
    "ObjectValue",
    "Tensor",
    "Value",
    "diff",
    "differences",
    "equal",
    "is_absent",
    "leaves",
    "path_join",
    "path_keys",
    "value_from_json",
]

Scalar: TypeAlias = bool | int | float | str | None


class _Record:
    """Equality for the named-tuple records below: same type and same fields, never a bare tuple.

    The records are named tuples because a large model holds millions of them and a tuple is
    several times cheaper to build than a frozen dataclass; this keeps them from comparing equal
    to a plain tuple or to a record of another kind with the same fields.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and tuple.__eq__(self, other)  # type: ignore[operator]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self))  # type: ignore[misc]


class _TensorFields(NamedTuple):
    layer: str
    call: int
    output: int


class Tensor(_Record, _TensorFields):
    """Output ``output`` of call ``call`` of layer ``layer`` (an InputLayer's only tensor is ``[name, 0, 0]``)."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {"tensor": [self.layer, self.call, self.output]}


class _ConstFields(NamedTuple):
    value: Scalar


class Const(_Record, _ConstFields):
    """A scalar argument: null, a boolean, a number or a string."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {"const": self.value}


class _ListValueFields(NamedTuple):
    items: tuple[Value, ...]


class ListValue(_Record, _ListValueFields):
    """A list (or tuple) argument, expanded item by item."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {"list": [item.to_json() for item in self.items]}


class _DictValueFields(NamedTuple):
    items: Mapping[str, Value]


class DictValue(_Record, _DictValueFields):
    """A dict argument, expanded key by key."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {"dict": {key: item.to_json() for key, item in self.items.items()}}


class _ObjectValueFields(NamedTuple):
    data: Mapping[str, Any]


class ObjectValue(_Record, _ObjectValueFields):
    """A typed object other than a tensor (``__slice__``, ``__numpy__``, ...), kept verbatim as inert data."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {"object": self.data}


Value: TypeAlias = "Tensor | Const | ListValue | DictValue | ObjectValue"


class _CallFields(NamedTuple):
    args: tuple[Value, ...]
    kwargs: Mapping[str, Value]


class Call(_Record, _CallFields):
    """One call of a layer: one node of ``inbound_nodes``."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "args": [arg.to_json() for arg in self.args],
            "kwargs": {key: value.to_json() for key, value in self.kwargs.items()},
        }


class _LayerFields(NamedTuple):
    name: str | None  # None only for a model a list-shaped Sequential config holds unnamed (Keras < 2.2.3)
    class_name: str
    module: str | None
    calls: tuple[Call, ...] = ()
    model: Model | None = None  # set when the layer is itself a model


class Layer(_Record, _LayerFields):
    """A layer of a model, with every call it received inside that model."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "name": self.name,
            "class_name": self.class_name,
            "module": self.module,
            "calls": [call.to_json() for call in self.calls],
        }
        if self.model is not None:
            document["model"] = self.model.to_json()
        return document


@dataclass(frozen=True, slots=True)
class Model:
    """A Functional or Sequential model: its layers in config order and its inputs and outputs."""

    class_name: str
    name: str | None  # None only where a list-shaped Sequential config (Keras < 2.2.3) names none
    inputs: Value | None
    outputs: Value | None
    layers: tuple[Layer, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "class_name": self.class_name,
            "name": self.name,
            "inputs": None if self.inputs is None else self.inputs.to_json(),
            "outputs": None if self.outputs is None else self.outputs.to_json(),
            "layers": [layer.to_json() for layer in self.layers],
        }

    def layer(self, name: str) -> Layer:
        """The layer called ``name`` (``KeyError`` if there is none)."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed model JSON: its wire format and its model."""

    format: Format
    model: Model

    def to_json(self) -> dict[str, Any]:
        return {"format": self.format, "model": self.model.to_json()}

    def to_text(self) -> str:
        """The document as JSON text: exactly ``json.dumps(self.to_json(), indent=2)``, several times faster."""
        from kerasspec._canonical_text import render

        return render(self)

    def dump(self, file: TextIO) -> None:
        """Write :meth:`to_text` to ``file`` piece by piece, so a large model's text is never held whole."""
        from kerasspec._canonical_text import render

        render(self, file.write)

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Document:
        """Read a canonical document (as produced by :meth:`to_json`); raises ``ValueError`` if malformed."""
        fmt = document.get("format")
        if fmt not in FORMATS:
            raise ValueError(f"format must be 'keras2' or 'keras3', not {fmt!r}")
        return cls(fmt, _model_from_json(document["model"]))


def leaves(*values: Value) -> Iterator[Value]:
    """Every value inside ``values`` that is no list or dict (tensors, constants, objects), in order.

    Iterative, so a deeply nested value cannot exhaust the stack.
    """
    pending = list(reversed(values))
    while pending:
        item = pending.pop()
        if isinstance(item, ListValue):
            pending.extend(reversed(item.items))
        elif isinstance(item, DictValue):
            pending.extend(reversed(list(item.items.values())))
        else:
            yield item


def _model_from_json(model: Mapping[str, Any]) -> Model:
    return Model(
        class_name=model["class_name"],
        name=model["name"],
        inputs=None if model.get("inputs") is None else value_from_json(model["inputs"]),
        outputs=None if model.get("outputs") is None else value_from_json(model["outputs"]),
        layers=tuple(_layer_from_json(layer) for layer in model["layers"]),
    )


def _layer_from_json(layer: Mapping[str, Any]) -> Layer:
    return Layer(
        name=layer["name"],
        class_name=layer["class_name"],
        module=layer.get("module"),
        calls=tuple(
            Call(
                tuple(value_from_json(arg) for arg in call["args"]),
                {key: value_from_json(value) for key, value in call["kwargs"].items()},
            )
            for call in layer["calls"]
        ),
        model=_model_from_json(layer["model"]) if layer.get("model") is not None else None,
    )


def value_from_json(value: Mapping[str, Any]) -> Value:
    """Read one canonical ``Value``; raises ``ValueError`` if it is not one."""
    if not isinstance(value, Mapping) or len(value) != 1:
        raise ValueError(f"a Value is an object with exactly one key, not {value!r}")
    ((kind, payload),) = value.items()
    if kind == "tensor":
        layer, call, output = payload
        return Tensor(layer, call, output)
    if kind == "const":
        return Const(payload)
    if kind == "list":
        return ListValue(tuple(value_from_json(item) for item in payload))
    if kind == "dict":
        return DictValue({key: value_from_json(item) for key, item in payload.items()})
    if kind == "object":
        return ObjectValue(payload)
    raise ValueError(f"unknown Value kind {kind!r}")


# --- comparison -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Difference:
    """The first place where two canonical documents differ."""

    path: str  # JSON path, e.g. ``$.model.layers[2].calls[0].kwargs.value``
    expected: Any
    actual: Any
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason} (expected {_short(self.expected)}, got {_short(self.actual)})"


_MISSING = object()


def _short(value: Any, limit: int = 120) -> str:
    if value is _MISSING:
        return "nothing"
    try:
        text = json.dumps(value, sort_keys=True, default=str)
    except (ValueError, RecursionError):  # a value nested deeper than the encoder goes
        return f"a {_kind(value)} too deeply nested to show"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def path_join(path: str, key: str | int) -> str:
    """Append a key or index to a JSON path, in the ``$.a.b[0]['odd key']`` notation the spec uses."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key.isidentifier():
        return f"{path}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{path}['{escaped}']"


_PATH_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")


def path_keys(path: str) -> list[str | int] | None:
    """The keys of a JSON path :func:`path_join` wrote (``$.a[0]['odd key']`` -> ``['a', 0, 'odd key']``),
    or ``None`` for text that is not such a path (a path from a parser may be anything)."""
    if not path.startswith("$"):
        return None
    keys: list[str | int] = []
    position = 1
    while position < len(path):
        step = _PATH_STEP.match(path, position)
        if step is None:
            return None
        name, index, quoted = step.groups()
        if index is not None:
            keys.append(int(index))
        elif name is not None:
            if not name.isidentifier():
                return None
            keys.append(name)
        else:
            keys.append(re.sub(r"\\(.)", r"\1", quoted))
        position = step.end()
    return keys


_KINDS: dict[type, str] = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    dict: "object",
    list: "array",
    tuple: "array",
}
# Leaves equal by == and of one of these exact types are equal under diff() too (bool, whose True
# equals 1, and float, whose NaN differs from itself, are left to the full comparison).
_PLAIN = (str, int, type(None))


def _kind(value: Any) -> str:
    kind = _KINDS.get(type(value))
    if kind is not None:
        return kind
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, Sequence):
        return "array"
    return type(value).__name__


def _numbers_equal(a: float, b: float) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


_Where: TypeAlias = "tuple[_Where, str | int] | None"


def path_of(where: _Where) -> str:
    """The JSON path of a chain of keys ``(parent, key)`` (``None`` is the root), e.g. ``$.model.layers[2]``."""
    keys: list[str | int] = []
    while where is not None:
        where, key = where
        keys.append(key)
    path = "$"
    for key in reversed(keys):
        path = path_join(path, key)
    return path


def _same_leaf(want: Any, got: Any) -> bool:
    kind = type(want)
    return kind is type(got) and kind in _PLAIN and want == got


def _differences(expected: Any, actual: Any) -> Iterator[Difference]:
    # Iterative, depth first, in document order: deep documents must not hit the recursion limit.
    # Paths are kept as (parent, key) links and written out only for a difference: most nodes agree.
    stack: list[tuple[_Where, Any, Any]] = [(None, expected, actual)]
    while stack:
        where, want, got = stack.pop()
        want_kind, got_kind = _kind(want), _kind(got)
        if want_kind != got_kind:
            yield Difference(path_of(where), want, got, f"expected {want_kind}, got {got_kind}")
            continue
        if want_kind == "number":
            if not _numbers_equal(want, got):
                yield Difference(path_of(where), want, got, "numbers differ")
        elif want_kind == "object":
            # Every missing and unexpected key, then the keys both have (diff() takes the first).
            for key in want:
                if key not in got:
                    yield Difference(path_of((where, key)), want[key], _MISSING, "missing key")
            for key in got:
                if key not in want:
                    yield Difference(path_of((where, key)), _MISSING, got[key], "unexpected key")
            stack.extend(
                ((where, key), want[key], got[key])
                for key in reversed(list(want))
                if key in got and not _same_leaf(want[key], got[key])
            )
        elif want_kind == "array":
            if len(want) != len(got):
                yield Difference(path_of(where), want, got, f"expected {len(want)} items, got {len(got)}")
                continue
            stack.extend(
                ((where, index), want[index], got[index])
                for index in reversed(range(len(want)))
                if not _same_leaf(want[index], got[index])
            )
        elif want != got:
            yield Difference(path_of(where), want, got, f"{want_kind}s differ")


def diff(expected: Any, actual: Any) -> Difference | None:
    """The first difference between two JSON values (documents), or ``None`` when they are equal.

    Object key order never matters, numbers compare numerically (``2`` equals ``2.0``, NaN equals
    NaN), and a boolean is never equal to a number.
    """
    return next(_differences(expected, actual), None)


def differences(expected: Any, actual: Any) -> Iterator[Difference]:
    """Every difference between two JSON values, in document order, the first being :func:`diff`'s.

    An object's missing and unexpected keys each count, and the keys both have are compared below;
    arrays of different lengths are one difference (their items are not paired up). The side of a
    key one document lacks is a marker that :func:`is_absent` tells from a JSON ``null``.
    """
    return _differences(expected, actual)


def is_absent(value: Any) -> bool:
    """Whether a :class:`Difference` side stands for a key one document does not have."""
    return value is _MISSING


def equal(expected: Any, actual: Any) -> bool:
    """Whether two JSON values are equal under the canonical comparison rules of :func:`diff`."""
    return diff(expected, actual) is None

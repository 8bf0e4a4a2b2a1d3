"""The canonical document as JSON text, written straight from the records.

``json.dumps(document.to_json(), indent=2)`` builds a dict for every record and then runs the
standard library's pure-Python encoder (the C encoder only serves ``indent=None``); on a large model
that costs more than parsing it.  :func:`render` writes the same text, byte for byte, from the
records themselves: the shape of each record is fixed, so only names and numbers vary.  Anything
outside that shape (an object value, a constant that is not a scalar, a key that is not a string)
is handed to ``json.dumps`` and indented to its place, so the output never depends on which way a
value went.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kerasspec.canonical import Call, Const, DictValue, Document, Layer, ListValue, Model, Tensor, Value

# What json.dumps uses for a string under its default ensure_ascii=True (the C function).
_string = json.encoder.encode_basestring_ascii
_INFINITY = float("inf")

_indents: list[str] = [""]


def _indent(level: int) -> str:
    while len(_indents) <= level:
        _indents.append("  " * len(_indents))
    return _indents[level]


#: Pieces held before they go to the sink: the text of a large model never sits in memory whole.
_CHUNK = 8192


def render(document: Document, sink: Callable[[str], object] | None = None) -> str:
    """``json.dumps(document.to_json(), indent=2)``, built without the intermediate dicts.

    With ``sink``, the text goes to it in pieces (``sink(text)`` as ``file.write`` takes it) and
    the empty string is returned.
    """
    out: list[str] = []
    write = out.append

    def scalar(value: Any) -> str | None:
        # The json encoder's own choices, in its own order; None where it is no scalar.
        if isinstance(value, str):
            return _string(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            if value != value:
                return "NaN"
            if value == _INFINITY:
                return "Infinity"
            if value == -_INFINITY:
                return "-Infinity"
            return float.__repr__(value)
        return None

    def general(data: Any, level: int) -> None:
        write(json.dumps(data, indent=2).replace("\n", "\n" + _indent(level)))

    def array(items: Sequence[Any], level: int, each: Callable[[Any, int], None]) -> None:
        # An array opened where the text stands, at nesting ``level``: its items one level deeper.
        if not items:
            write("[]")
            return
        inner = _indent(level + 1)
        write("[\n" + inner)
        for index, item in enumerate(items):
            if index:
                write(",\n" + inner)
            each(item, level + 1)
            if sink is not None and len(out) > _CHUNK:
                sink("".join(out))
                out.clear()
        write(f"\n{_indent(level)}]")

    def obj(mapping: Mapping[str, Any], level: int, each: Callable[[Any, int], None]) -> None:
        # An object of string keys, placed as array() places an array.
        if not mapping:
            write("{}")
            return
        inner = _indent(level + 1)
        write("{\n" + inner)
        for index, (key, item) in enumerate(mapping.items()):
            if index:
                write(",\n" + inner)
            write(_string(key) + ": ")
            each(item, level + 1)
        write(f"\n{_indent(level)}}}")

    def value(item: Any, level: int) -> None:
        kind = type(item)
        if kind is Tensor:
            layer, call, output = item
            if type(layer) is str and type(call) is int and type(output) is int:
                inner, innermost = _indent(level + 1), _indent(level + 2)
                write(
                    f'{{\n{inner}"tensor": [\n{innermost}{_string(layer)},\n{innermost}{call},\n'
                    f"{innermost}{output}\n{inner}]\n{_indent(level)}}}"
                )
                return
        elif kind is Const:
            text = scalar(item.value)
            if text is not None:
                write(f'{{\n{_indent(level + 1)}"const": {text}\n{_indent(level)}}}')
                return
        elif kind is ListValue:
            write(f'{{\n{_indent(level + 1)}"list": ')
            array(item.items, level + 1, value)
            write(f"\n{_indent(level)}}}")
            return
        elif kind is DictValue and all(type(key) is str for key in item.items):
            write(f'{{\n{_indent(level + 1)}"dict": ')
            obj(item.items, level + 1, value)
            write(f"\n{_indent(level)}}}")
            return
        general(item.to_json(), level)

    def call(record: Call, level: int) -> None:
        inner = _indent(level + 1)
        write(f'{{\n{inner}"args": ')
        array(record.args, level + 1, value)
        write(f',\n{inner}"kwargs": ')
        if all(type(key) is str for key in record.kwargs):
            obj(record.kwargs, level + 1, value)
        else:
            general({key: item.to_json() for key, item in record.kwargs.items()}, level + 1)
        write(f"\n{_indent(level)}}}")

    def layer(record: Layer, level: int) -> None:
        inner = _indent(level + 1)
        texts = scalar(record.name), scalar(record.class_name), scalar(record.module)
        if None in texts:
            general(record.to_json(), level)
            return
        write(f'{{\n{inner}"name": {texts[0]},\n{inner}"class_name": {texts[1]},\n{inner}"module": {texts[2]},\n')
        write(f'{inner}"calls": ')
        array(record.calls, level + 1, call)
        if record.model is not None:
            write(f',\n{inner}"model": ')
            model(record.model, level + 1)
        write(f"\n{_indent(level)}}}")

    def optional(item: Value | None, level: int) -> None:
        if item is None:
            write("null")
        else:
            value(item, level)

    def model(record: Model, level: int) -> None:
        inner = _indent(level + 1)
        texts = scalar(record.class_name), scalar(record.name)
        if None in texts:
            general(record.to_json(), level)
            return
        write(f'{{\n{inner}"class_name": {texts[0]},\n{inner}"name": {texts[1]},\n{inner}"inputs": ')
        optional(record.inputs, level + 1)
        write(f',\n{inner}"outputs": ')
        optional(record.outputs, level + 1)
        write(f',\n{inner}"layers": ')
        array(record.layers, level + 1, layer)
        write(f"\n{_indent(level)}}}")

    fmt = scalar(document.format)
    if fmt is None:
        write(json.dumps(document.to_json(), indent=2))
    else:
        write(f'{{\n  "format": {fmt},\n  "model": ')
        model(document.model, 1)
        write("\n}")
    if sink is None:
        return "".join(out)
    sink("".join(out))
    return ""

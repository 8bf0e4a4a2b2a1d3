"""Pieces both wire readers share: how a reference is resolved, and plain data as values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeAlias

from kerasspec._location import Location, render
from kerasspec.canonical import Const, DictValue, ListValue, Tensor, Value
from kerasspec.errors import TooDeep

#: The kwargs of every call without any: one shared, read-only mapping.
NO_KWARGS: Mapping[str, Value] = MappingProxyType({})

#: Builds a record (a named tuple of :mod:`kerasspec.canonical`) from a tuple of its fields without
#: the named tuple's Python-level ``__new__``, at half the cost: ``new(Tensor, (layer, call, output))``.
new = tuple.__new__

#: ``resolve(layer_name, node_index, tensor_index, location) -> Tensor``: a wire reference to the
#: call it names, checked against the model the reference sits in.
Resolve: TypeAlias = Callable[[Any, int, int, Location], Tensor]


def json_type(value: Any) -> str:
    """The JSON type of a decoded value, with an article, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def plain_value(value: Any, location: Location, max_depth: int, depth: int = 0) -> Value:
    """Plain JSON data as a value: containers expanded, nothing read as a reference."""
    if depth > max_depth:
        raise TooDeep(f"the value nests deeper than the limit of {max_depth}", path=render(location))
    if type(value) is list:
        return ListValue(tuple(plain_value(item, (location, i), max_depth, depth + 1) for i, item in enumerate(value)))
    if type(value) is dict:
        return DictValue({key: plain_value(item, (location, key), max_depth, depth + 1) for key, item in value.items()})
    return Const(value)

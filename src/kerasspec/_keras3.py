"""keras3 ``inbound_nodes``: Keras 3.x (spec/keras3.md).

A node is ``{"args": [...], "kwargs": {...}}`` holding the call's arguments as Keras recorded
them; a tensor is a ``__keras_tensor__`` object whose ``keras_history`` names the producing call;
any other object with a ``class_name`` is a typed value (``__slice__``, ``__numpy__``, ...) kept
verbatim; every other object is a dict.
"""

from __future__ import annotations

from typing import Any

from kerasspec._location import Location, render
from kerasspec._values import NO_KWARGS, Resolve, json_type
from kerasspec.canonical import Call, Const, DictValue, ListValue, ObjectValue, Value
from kerasspec.errors import BadEntry, BadNode, TooDeep

KERAS_TENSOR = "__keras_tensor__"


def is_node(value: Any) -> bool:
    """Whether ``value`` has the keras3 node shape (used to tell the formats apart)."""
    return type(value) is dict and "args" in value and set(value) <= {"args", "kwargs"}


class NodeReader:
    """Reads a layer's nodes into calls."""

    __slots__ = ("max_depth", "resolve")

    def __init__(self, resolve: Resolve, max_depth: int) -> None:
        self.resolve = resolve
        self.max_depth = max_depth

    def calls(self, nodes: list[Any], preserve_structure: bool, location: Location, depth: int) -> tuple[Call, ...]:
        """A layer's ``inbound_nodes`` (at ``location``, each node at ``depth``) as its calls."""
        return tuple(
            [self.call(node, preserve_structure, (location, index), depth) for index, node in enumerate(nodes)]
        )

    def call(self, node: Any, preserve_structure: bool, location: Location, depth: int) -> Call:
        """One node as a call, argument by argument (``preserve_structure`` is a keras2 notion)."""
        if type(node) is not dict:
            raise BadNode(
                f"a keras3 node is an object with 'args' and 'kwargs', not {json_type(node)}",
                path=render(location),
                value=node,
            )
        args, kwargs = node.get("args"), node.get("kwargs")
        if type(args) is not list or type(kwargs) is not dict or len(node) != 2:
            raise BadNode(
                "a keras3 node is an object with exactly 'args' (an array) and 'kwargs' (an object)",
                path=render(location),
                value=node,
            )
        args_location, kwargs_location = (location, "args"), (location, "kwargs")
        return Call(
            tuple([self._value(arg, (args_location, i), depth + 2) for i, arg in enumerate(args)]),
            {key: self._value(arg, (kwargs_location, key), depth + 2) for key, arg in kwargs.items()}
            if kwargs
            else NO_KWARGS,
        )

    def _value(self, value: Any, location: Location, depth: int) -> Value:
        if depth > self.max_depth:
            raise TooDeep(f"the node nests deeper than the limit of {self.max_depth}", path=render(location))
        kind = type(value)
        if kind is list:
            return ListValue(tuple([self._value(item, (location, i), depth + 1) for i, item in enumerate(value)]))
        if kind is dict:
            if "class_name" not in value:
                return DictValue({key: self._value(item, (location, key), depth + 1) for key, item in value.items()})
            if value["class_name"] == KERAS_TENSOR:
                return self._tensor(value, location)
            return ObjectValue(value)
        return Const(value)

    def _tensor(self, value: dict[str, Any], location: Location) -> Value:
        config = value.get("config")
        history = config.get("keras_history") if type(config) is dict else None
        history_location = ((location, "config"), "keras_history")
        if (
            type(history) is not list
            or len(history) != 3
            or type(history[0]) is not str
            or type(history[1]) is not int
            or type(history[2]) is not int
        ):
            raise BadEntry(
                "a __keras_tensor__ needs config.keras_history = [layer_name, node_index, tensor_index]",
                path=render(history_location if history is not None else location),
                value=history,
            )
        return self.resolve(history[0], history[1], history[2], history_location)

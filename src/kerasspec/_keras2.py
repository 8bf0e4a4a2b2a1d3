"""keras2 ``inbound_nodes``: tf.keras in TensorFlow 2.x and the ``tf_keras`` package (spec/keras2.md).

A node holds the *first* call argument as a structure of entries ``[layer, node, tensor, kwargs]``;
every other argument sits in the entries' kwargs (the same dict on each entry; a reader uses the
last one, as tf_keras's own loader does), with tensors written as 3-element references.
"""

from __future__ import annotations

from typing import Any

from kerasspec._location import Location, render
from kerasspec._values import NO_KWARGS, Resolve, json_type, new, plain_value
from kerasspec.canonical import Call, Const, DictValue, ListValue, ObjectValue, Value
from kerasspec.errors import BadEntry, BadNode, TooDeep
from kerasspec.vocabulary import CONSTANT_VALUE


def is_entry(value: Any) -> bool:
    """Whether ``value`` reads as an entry or reference: a list of 3 or 4 items starting with a string.

    This is tf_keras's own test (``convert_inner_node_data``); it is why a constant list such as
    ``["relu", 1, 2]`` in kwargs reads as a reference (spec: the constant-list ambiguity).
    """
    return type(value) is list and len(value) in (3, 4) and type(value[0]) is str


def _preview_number(value: Any) -> str:
    return repr(value) if type(value) in (int, float) else json_type(value)


def _index(value: Any, what: str, location: Location) -> int:
    if type(value) is not int:
        raise BadEntry(f"the {what} must be an integer, not {json_type(value)}", path=render(location), value=value)
    return value


class NodeReader:
    """Reads a layer's nodes into calls."""

    __slots__ = ("_kwargs", "_leaves", "max_depth", "resolve")

    def __init__(self, resolve: Resolve, max_depth: int) -> None:
        self.resolve = resolve
        self.max_depth = max_depth
        self._kwargs: Any = None
        self._leaves: list[Value] = []

    def calls(self, nodes: list[Any], preserve_structure: bool, location: Location, depth: int) -> tuple[Call, ...]:
        """A layer's ``inbound_nodes`` (at ``location``, each node at ``depth``) as its calls."""
        resolve = self.resolve
        # Most nodes in real files are one tensor or a list of tensors (a merge layer) without
        # kwargs; they are read here without the general walk, to the same result.
        simple = not preserve_structure and depth < self.max_depth
        calls = []
        for index, node in enumerate(nodes):
            if simple and type(node) is list:
                tensors = []
                for position, entry in enumerate(node):
                    if not (
                        type(entry) is list
                        and len(entry) == 4
                        and type(entry[0]) is str
                        and type(entry[1]) is int
                        and type(entry[2]) is int
                        and type(entry[3]) is dict
                        and not entry[3]
                        and entry[0] != CONSTANT_VALUE
                    ):
                        break
                    tensors.append(resolve(entry[0], entry[1], entry[2], ((location, index), position)))
                else:
                    if tensors:
                        first = tensors[0] if len(tensors) == 1 else new(ListValue, (tuple(tensors),))
                        calls.append(new(Call, ((first,), NO_KWARGS)))
                        continue
            calls.append(self.call(node, preserve_structure, (location, index), depth))
        return tuple(calls)

    def call(self, node: Any, preserve_structure: bool, location: Location, depth: int) -> Call:
        """One node of ``inbound_nodes`` as a call: ``args = [first argument]`` and the resolved kwargs."""
        if type(node) not in (list, dict):
            raise BadNode(
                f"a keras2 node is a list of entries, one entry, or a dict of entries, not {json_type(node)}",
                path=render(location),
                value=node,
            )
        if not node:
            raise BadNode("a keras2 node must hold at least one entry", path=render(location), value=node)
        self._kwargs = None
        self._leaves = []
        first = self._structure(node, location, depth)
        if not preserve_structure and type(first) is not DictValue and len(self._leaves) == 1:
            # tf_keras unnest_if_single_tensor: one tensor in any non-dict structure is passed bare.
            first = self._leaves[0]
        kwargs = self._kwargs
        if kwargs is None or not kwargs[0]:
            return Call((first,), NO_KWARGS)
        values, entry_location, values_depth = kwargs
        return Call(
            (first,),
            {key: self._kwarg(value, (entry_location, key), values_depth) for key, value in values.items()},
        )

    def _structure(self, value: Any, location: Location, depth: int) -> Value:
        if depth > self.max_depth:
            raise TooDeep(f"the node nests deeper than the limit of {self.max_depth}", path=render(location))
        if is_entry(value):
            return self._entry(value, location, depth)
        if type(value) is list:
            return ListValue(tuple(self._structure(item, (location, i), depth + 1) for i, item in enumerate(value)))
        if type(value) is dict:
            return DictValue({key: self._structure(item, (location, key), depth + 1) for key, item in value.items()})
        raise BadEntry(
            f"expected an entry [layer, node_index, tensor_index, kwargs], got {json_type(value)}",
            path=render(location),
            value=value,
        )

    def _entry(self, entry: list[Any], location: Location, depth: int) -> Value:
        if len(entry) == 4:
            kwargs = entry[3]
            if type(kwargs) is not dict:
                raise BadEntry(
                    f"the fourth item of an entry is its kwargs object, not {json_type(kwargs)}",
                    path=render((location, 3)),
                    value=kwargs,
                )
            # Every entry carries the same dict: the last one wins.  Its values sit two levels below the entry.
            self._kwargs = (kwargs, (location, 3), depth + 2)
        layer = entry[0]
        if layer == CONSTANT_VALUE:
            if type(entry[1]) is not int or entry[1] != -1:
                raise BadEntry(
                    f"a _CONSTANT_VALUE entry's second item is -1, not {_preview_number(entry[1])}",
                    path=render((location, 1)),
                    value=entry[1],
                )
            value = plain_value(entry[2], (location, 2), self.max_depth, depth + 1)
        else:
            node_index, tensor_index = entry[1], entry[2]
            if type(node_index) is not int or type(tensor_index) is not int:
                _index(node_index, "node index", (location, 1))
                _index(tensor_index, "tensor index", (location, 2))
            value = self.resolve(layer, node_index, tensor_index, location)
        self._leaves.append(value)
        return value

    def _kwarg(self, value: Any, location: Location, depth: int) -> Value:
        if depth > self.max_depth:
            raise TooDeep(f"the kwargs nest deeper than the limit of {self.max_depth}", path=render(location))
        if is_entry(value):
            node_index = _index(value[1], "node index", (location, 1))
            tensor_index = _index(value[2], "tensor index", (location, 2))
            return self.resolve(value[0], node_index, tensor_index, location)
        kind = type(value)
        if kind is list:
            return ListValue(tuple(self._kwarg(item, (location, i), depth + 1) for i, item in enumerate(value)))
        if kind is dict:
            if "class_name" in value:
                # A typed value tf_keras's JSON encoder wrote (``__ellipsis__``, ``TensorShape``): inert data.
                return ObjectValue(value)
            return DictValue({key: self._kwarg(item, (location, key), depth + 1) for key, item in value.items()})
        return Const(value)

"""The reference parser: a Keras model JSON, in either wire format, to its canonical graph.

:func:`parse` is the public entry point.  It reads a model in two passes per model, so that the
``layers`` list may come in any order: the first learns every layer's name, kind and number of
calls; the second reads the nodes and resolves each reference at once, in time linear in the size
of the model (there is no re-queue loop of the kind Keras's own loaders use, which can spin
forever on a bad file).  A last pass rejects cycles among calls.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from kerasspec import _keras2, _keras3
from kerasspec._load import Source, load
from kerasspec._location import ROOT, Location, render
from kerasspec._values import json_type
from kerasspec.canonical import Call, DictValue, Document, Layer, ListValue, Model, Tensor, Value
from kerasspec.errors import (
    BadEntry,
    BadLayer,
    Cycle,
    DanglingReference,
    DuplicateLayerName,
    NodeIndexOutOfRange,
    NotAModel,
    ParseError,
    TensorIndexOutOfRange,
    TooDeep,
    TooLarge,
    UnknownFormat,
)

__all__ = ["Limits", "parse"]

Format = Literal["keras2", "keras3"]

#: Class names under which a model is nested as a layer (besides any config with ``input_layers``).
MODEL_CLASSES = frozenset({"Functional", "Model", "Sequential"})

_UNKNOWN_OUTPUTS = 1 << 62  # a layer whose number of outputs the JSON does not say


@dataclass(frozen=True)
class Limits:
    """Bounds on what the parser accepts, so that no input can exhaust memory, stack or time."""

    max_bytes: int = 256 * 1024 * 1024  #: size of the JSON text
    max_depth: int = 100  #: nesting depth of models, nodes and values the parser reads
    max_layers: int = 1_000_000  #: layers in the whole document, nested models included


def parse(source: Source, *, format: Format | None = None, limits: Limits | None = None) -> Document:
    """Read a Keras model JSON into its canonical :class:`~kerasspec.canonical.Document`.

    ``source`` is JSON text (``str`` or ``bytes``), an already-decoded ``dict``, or a path
    (``pathlib.Path``) to a ``.json`` file, a ``.keras`` archive or a legacy ``.h5`` file.
    The wire format is detected unless ``format`` is given.  Invalid input raises a
    :class:`~kerasspec.errors.ParseError` naming its code and JSON path; nothing else is raised
    for any input, and nothing in the input is ever executed or imported.
    """
    limits = limits or Limits()
    # Parsing allocates millions of acyclic objects on large models; the cyclic garbage collector's
    # repeated passes over them would make the parse superlinear, and it can find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        document = load(source, max_bytes=limits.max_bytes, max_depth=limits.max_depth)
        if type(document) is not dict:
            raise NotAModel(f"a model JSON is an object, not {json_type(document)}", value=_preview(document))
        detected = format or detect_format(document)
        return Document(detected, _Reader(detected, limits).model(document, ROOT, 0, top=True))
    finally:
        if collecting:
            gc.enable()


def detect_format(document: Mapping[str, Any]) -> Format:
    """The wire format of a decoded model JSON: from ``keras_version`` if present, else from its nodes."""
    version = document.get("keras_version")
    if isinstance(version, str):
        major = version.split(".", 1)[0]
        if major == "2":
            return "keras2"
        if major == "3":
            return "keras3"
        raise UnknownFormat(
            f"keras_version {version!r} is neither 2.x (keras2) nor 3.x (keras3)",
            path="$.keras_version",
            value=version,
        )
    for layer in _all_layers(document):
        nodes = layer.get("inbound_nodes")
        if type(nodes) is list and nodes:
            return "keras3" if _keras3.is_node(nodes[0]) else "keras2"
    # No wiring anywhere (a Sequential, or a model of inputs only): spec/envelope.md#format-detection.
    # keras3's InputLayer writes ``batch_shape`` where keras2's writes ``batch_input_shape``; failing
    # that, keras3's Sequential config has ``trainable``.  (Both write a ``module`` envelope in .keras archives.)
    for layer in _all_layers(document):
        config = layer.get("config")
        if type(config) is not dict or layer.get("class_name") != "InputLayer":
            continue
        if "batch_shape" in config:
            return "keras3"
        if "batch_input_shape" in config:
            return "keras2"
    config = document.get("config")
    return "keras3" if type(config) is dict and "trainable" in config and "input_layers" not in config else "keras2"


def _all_layers(document: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every layer object in the document, nested models' layers included (no recursion)."""
    pending = [document]
    while pending:
        model = pending.pop()
        config = model.get("config")
        layers = config.get("layers") if type(config) is dict else None
        if type(layers) is not list:
            continue
        for layer in layers:
            if type(layer) is dict:
                yield layer
                pending.append(layer)


def _preview(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 80 else text[:77] + "..."


class _LayerFacts:
    """What the first pass learns about a layer, for the second pass to resolve references to it."""

    __slots__ = (
        "class_name",
        "first_call",
        "is_input",
        "location",
        "model",
        "module",
        "name",
        "nodes",
        "outputs",
    )

    def __init__(
        self,
        name: str,
        class_name: str,
        module: str | None,
        nodes: list[Any],
        model: Model | None,
        location: Location,
    ) -> None:
        self.name = name
        self.class_name = class_name
        self.module = module
        self.nodes = nodes
        self.model = model
        self.location = location
        self.is_input = class_name == "InputLayer"
        self.outputs = _leaf_count(model.outputs) if model is not None and model.outputs is not None else None
        self.first_call = (0, 0)  # wire number of the first call: (inside nodes, in input/output_layers)


def _leaf_count(value: Value) -> int:
    count, pending = 0, [value]
    while pending:
        item = pending.pop()
        if type(item) is ListValue:
            pending.extend(item.items)
        elif type(item) is DictValue:
            pending.extend(item.items.values())
        else:
            count += 1
    return count


class _Reader:
    """Reads one document; holds the format, the limits and the running layer count."""

    def __init__(self, format: Format, limits: Limits) -> None:
        self.format = format
        self.limits = limits
        self.layer_count = 0
        self.node_reader_class = _keras2.NodeReader if format == "keras2" else _keras3.NodeReader

    def model(self, envelope: Any, location: Location, depth: int, *, top: bool = False) -> Model:
        if depth > self.limits.max_depth:
            raise TooDeep(f"models nest deeper than the limit of {self.limits.max_depth}", path=render(location))
        class_name = envelope.get("class_name")
        config = envelope.get("config")
        if type(class_name) is not str or type(config) is not dict:
            raise NotAModel(
                "a model has a string 'class_name' and an object 'config'",
                path=render(location),
                value=_preview(envelope) if top else class_name,
            )
        config_location = (location, "config")
        layers = config.get("layers")
        if type(layers) is not list:
            raise NotAModel(
                f"a model config has a 'layers' array; this one has {json_type(layers)}"
                if "layers" in config
                else f"this {class_name} config has no 'layers' array (a model that cannot be serialized as a graph?)",
                path=render((config_location, "layers") if "layers" in config else config_location),
                value=_preview(layers),
            )
        name = config.get("name")
        if type(name) is not str:
            raise NotAModel("a model config has a string 'name'", path=render((config_location, "name")), value=name)
        sequential = class_name == "Sequential" and "input_layers" not in config
        facts = self._first_pass(layers, (config_location, "layers"), depth + 3, sequential)
        if sequential:
            layer_list = tuple(
                Layer(fact.name, fact.class_name, fact.module, (), fact.model) for fact in facts.values()
            )
            return Model(class_name, name, None, None, layer_list)
        return _FunctionalReader(self, facts, depth).read(class_name, name, config, config_location)

    def _first_pass(
        self, layers: list[Any], location: Location, depth: int, sequential: bool
    ) -> dict[str, _LayerFacts]:
        self.layer_count += len(layers)
        if self.layer_count > self.limits.max_layers:
            raise TooLarge(
                f"the model has more than the limit of {self.limits.max_layers} layers",
                path=render(location),
                value=self.layer_count,
            )
        facts: dict[str, _LayerFacts] = {}
        for index, layer in enumerate(layers):
            layer_location = (location, index)
            if type(layer) is not dict:
                raise BadLayer(
                    f"a layer is an object, not {json_type(layer)}", path=render(layer_location), value=_preview(layer)
                )
            class_name = layer.get("class_name")
            config = layer.get("config")
            if type(class_name) is not str or type(config) is not dict:
                raise BadLayer(
                    "a layer has a string 'class_name' and an object 'config'",
                    path=render(layer_location),
                    value=class_name if type(class_name) is not str else _preview(config),
                )
            name = layer.get("name")
            if name is None:  # a Sequential's layers carry their name only in their config
                name = config.get("name")
            if type(name) is not str:
                raise BadLayer(
                    f"a layer's name is a string, not {json_type(name)}",
                    path=render((layer_location, "name") if "name" in layer else ((layer_location, "config"), "name")),
                    value=name,
                )
            if name in facts:
                raise DuplicateLayerName(
                    f"two layers are named {name!r} (the first at {render(facts[name].location)})",
                    path=render((layer_location, "name") if "name" in layer else layer_location),
                    value=name,
                )
            module = layer.get("module")
            nodes: Any = [] if sequential else layer.get("inbound_nodes", [])
            if type(nodes) is not list:
                raise BadLayer(
                    f"inbound_nodes is an array, not {json_type(nodes)}",
                    path=render((layer_location, "inbound_nodes")),
                    value=_preview(nodes),
                )
            if class_name == "InputLayer" and nodes:
                raise BadLayer(
                    "an InputLayer has no inbound nodes",
                    path=render((layer_location, "inbound_nodes")),
                    value=_preview(nodes),
                )
            nested = None
            if class_name in MODEL_CLASSES or "input_layers" in config:
                nested = self.model(layer, layer_location, depth + 1)
            fact = _LayerFacts(name, class_name, module if type(module) is str else None, nodes, nested, layer_location)
            if nested is not None:
                fact.first_call = self._first_call(fact, config)
            facts[name] = fact
        return facts

    def _first_call(self, fact: _LayerFacts, config: dict[str, Any]) -> tuple[int, int]:
        """The wire number of a layer's first call: (inside nodes, in input_layers/output_layers).

        keras2 numbers a nested model's calls from 1 everywhere when the model has a node of its
        own linking its inputs to its outputs (a Functional, or a Sequential whose first layer is an
        InputLayer).  keras3 numbers a nested Functional's calls from 1 in input_layers and
        output_layers only, and from 0 inside nodes.  (spec/canonical-graph.md, node numbering)
        """
        if fact.model is None:
            return (0, 0)
        functional = "input_layers" in config
        if self.format == "keras2":
            layers = fact.model.layers
            starts_with_input = bool(layers) and layers[0].class_name == "InputLayer"
            own_node = functional or starts_with_input
            return (1, 1) if own_node else (0, 0)
        return (0, 1) if functional else (0, 0)


class _FunctionalReader:
    """The second pass over one Functional model: nodes, references, inputs and outputs, cycles."""

    def __init__(self, reader: _Reader, facts: dict[str, _LayerFacts], depth: int) -> None:
        self.reader = reader
        self.facts = facts
        self.depth = depth
        self.max_depth = reader.limits.max_depth
        # Calls are numbered globally in this model for the cycle check: call j of a layer is
        # ``base + j``.  ``targets`` holds, per layer name, what resolving a reference needs:
        # (base, number of calls, first wire number inside nodes, in input/output_layers, outputs).
        # An InputLayer resolves like a layer with one call numbered 0 and one output, and base -1.
        targets: dict[str, tuple[int, int, int, int, int]] = {}
        total = 0
        for name, fact in facts.items():
            count = len(fact.nodes)
            if fact.model is None:
                targets[name] = (-1, 1, 0, 0, 1) if fact.is_input else (total, count, 0, 0, _UNKNOWN_OUTPUTS)
            else:
                first_in_nodes, first_in_io = fact.first_call
                outputs = fact.outputs if fact.outputs is not None else _UNKNOWN_OUTPUTS
                targets[name] = (total, count, first_in_nodes, first_in_io, outputs)
            if not fact.is_input:
                total += count
        self.targets = targets
        self.calls = total
        # The references among calls, as parallel lists (producer, consumer); only a reference
        # from a call to one at or after it in config order can close a cycle.
        self.producers: list[int] = []
        self.consumers: list[int] = []
        self.backwards = False
        self.consumer = -1
        self.first_slot = 2  # targets slot of the first wire number: 2 inside nodes, 3 in input/output_layers

    def resolve(self, layer_name: Any, node_index: int, tensor_index: int, location: Location) -> Tensor:
        target = self.targets.get(layer_name) if type(layer_name) is str else None
        if target is not None:
            call = node_index - target[self.first_slot]
            if 0 <= call < target[1] and 0 <= tensor_index < target[4]:
                consumer = self.consumer
                if consumer >= 0 and target[0] >= 0:
                    producer = target[0] + call
                    self.producers.append(producer)
                    self.consumers.append(consumer)
                    if producer >= consumer:
                        self.backwards = True
                return Tensor(layer_name, call, tensor_index)
        raise self._bad_reference(layer_name, node_index, tensor_index, location)

    def _bad_reference(self, layer_name: Any, node_index: int, tensor_index: int, location: Location) -> ParseError:
        fact = self.facts.get(layer_name) if type(layer_name) is str else None
        if fact is None:
            return DanglingReference(
                f"no layer named {layer_name!r} in this model", path=render((location, 0)), value=layer_name
            )
        if fact.is_input:
            if node_index != 0:
                return NodeIndexOutOfRange(
                    f"InputLayer {layer_name!r} has only node 0, not node {node_index}",
                    path=render((location, 1)),
                    value=node_index,
                )
            return TensorIndexOutOfRange(
                f"InputLayer {layer_name!r} has only output 0, not output {tensor_index}",
                path=render((location, 2)),
                value=tensor_index,
            )
        first, count = self.targets[layer_name][self.first_slot], len(fact.nodes)
        if not 0 <= node_index - first < count:
            numbers = f"node indices {first}..{first + count - 1}" if count else "no nodes"
            return NodeIndexOutOfRange(
                f"layer {layer_name!r} has {count} call{'s' if count != 1 else ''} in this model ({numbers}), "
                f"so node index {node_index} names none",
                path=render((location, 1)),
                value=node_index,
            )
        limit = (
            f"it has {fact.outputs} output{'s' if fact.outputs != 1 else ''}"
            if fact.outputs is not None
            else "outputs count from 0"
        )
        return TensorIndexOutOfRange(
            f"layer {layer_name!r} has no output {tensor_index} ({limit})",
            path=render((location, 2)),
            value=tensor_index,
        )

    def read(self, class_name: str, name: str, config: dict[str, Any], location: Location) -> Model:
        call_node = self.reader.node_reader_class(self.resolve, self.max_depth).call
        preserving = _keras2.STRUCTURE_PRESERVING
        layers = []
        node_depth = self.depth + 5  # envelope > config > layers > layer > inbound_nodes > node
        base = 0
        for fact in self.facts.values():
            nodes = fact.nodes
            calls: tuple[Call, ...] = ()
            if nodes:
                nodes_location = (fact.location, "inbound_nodes")
                preserve = fact.class_name in preserving
                collected = []
                for index, node in enumerate(nodes):
                    self.consumer = base + index
                    collected.append(call_node(node, preserve, (nodes_location, index), node_depth))
                calls = tuple(collected)
                base += len(nodes)
            layers.append(Layer(fact.name, fact.class_name, fact.module, calls, fact.model))
        self.consumer, self.first_slot = -1, 3
        inputs = self._io(config, "input_layers", location)
        outputs = self._io(config, "output_layers", location)
        if self.backwards:
            self._check_acyclic()
        return Model(class_name, name, inputs, outputs, tuple(layers))

    def _io(self, config: dict[str, Any], key: str, location: Location) -> Value:
        if key not in config:
            raise NotAModel(f"a Functional model config has '{key}'", path=render(location), value=None)
        value = self._io_value(config[key], (location, key), self.depth + 2)
        if self.reader.format == "keras2" and type(value) is ListValue and _leaf_count(value) == 1:
            # tf_keras writes a single input as a one-element list and its Functional unwraps any
            # list holding one tensor (``inputs[0]``), so the model itself never holds such a list.
            return value.items[0]
        return value

    def _io_value(self, value: Any, location: Location, depth: int) -> Value:
        if depth > self.max_depth:
            raise TooDeep(f"the structure nests deeper than the limit of {self.max_depth}", path=render(location))
        if _keras2.is_entry(value):
            node_index, tensor_index = value[1], value[2]
            if type(node_index) is not int or type(tensor_index) is not int:
                raise BadEntry(
                    "a reference is [layer_name, node_index, tensor_index] with integer indices",
                    path=render(location),
                    value=value,
                )
            return self.resolve(value[0], node_index, tensor_index, location)
        if type(value) is list:
            return ListValue(tuple(self._io_value(item, (location, i), depth + 1) for i, item in enumerate(value)))
        if type(value) is dict:
            return DictValue({k: self._io_value(item, (location, k), depth + 1) for k, item in value.items()})
        raise BadEntry(
            "expected a reference [layer_name, node_index, tensor_index] or a structure of them, "
            f"not {json_type(value)}",
            path=render(location),
            value=value,
        )

    def _check_acyclic(self) -> None:
        """Reject a cycle among calls: iterative depth-first search, linear in calls and references."""
        edges: list[list[int]] = [[] for _ in range(self.calls)]
        for producer, consumer in zip(self.producers, self.consumers, strict=True):
            edges[consumer].append(producer)
        state = bytearray(self.calls)  # 0 unseen, 1 on the current path, 2 done
        for start in range(self.calls):
            if state[start]:
                continue
            state[start] = 1
            stack = [(start, 0)]
            while stack:
                call, position = stack[-1]
                targets = edges[call]
                if position == len(targets):
                    state[call] = 2
                    stack.pop()
                    continue
                stack[-1] = (call, position + 1)
                target = targets[position]
                if state[target] == 1:
                    raise self._cycle(target, call)
                if state[target] == 0:
                    state[target] = 1
                    stack.append((target, 0))

    def _cycle(self, produced: int, consumer: int) -> Cycle:
        def name(call: int) -> tuple[_LayerFacts, int]:
            for fact in self.facts.values():
                base, count = self.targets[fact.name][:2]
                if base <= call < base + count:
                    return fact, call - base
            raise AssertionError(call)

        consumer_fact, consumer_call = name(consumer)
        produced_fact, produced_call = name(produced)
        return Cycle(
            f"call {consumer_call} of {consumer_fact.name!r} depends on its own output "
            f"through call {produced_call} of {produced_fact.name!r}",
            path=render(((consumer_fact.location, "inbound_nodes"), consumer_call)),
            value=[consumer_fact.name, consumer_call],
        )

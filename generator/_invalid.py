"""corpus/invalid/: must-reject inputs, each made by mutating a real valid output.

Every mutation starts from a model JSON that a real release wrote (the smoke recipes of
keras 3.15.1 and tf_keras 2.21.0, whose layer names this module relies on), changes one
thing, and says which error code a conforming parser must give. Reproducible: the same
base files give the same invalid files. The ``order-*`` cases change two things on purpose:
they pin which error comes first (spec/errors.md#order).

``corpus/handmade/`` holds valid cases built the same way (``HANDMADE``): a real case whose
input and expected document are edited by one change, for readings the spec decides that no
recipe reaches.

``too-large`` has no case: with the default limits (256 MiB of text, a million layers) a
file that exceeds them would not belong in a repository, and the manifest has no field
for a per-case limit. Every other code has at least one case per format where it applies.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from generator._corpus import Case

Mutation = Callable[[dict[str, Any]], Any]

# (format, base producer, base recipe) -> cases made from it
BASES = {
    ("keras3", "shared"): "keras3/keras-3.15.1/smoke-shared-nested",
    ("keras3", "mha"): "keras3/keras-3.15.1/smoke-mha-positional",
    ("keras2", "shared"): "keras2/tf_keras-2.21.0/smoke-shared-nested",
    ("keras2", "mha"): "keras2/tf_keras-2.21.0/smoke-mha-positional",
    ("keras3", "seq"): "keras3/keras-3.15.1/smoke-sequential-in-functional",
    ("keras2", "seq"): "keras2/tf_keras-2.21.0/smoke-sequential-in-functional",
    ("keras2", "tfop"): "keras2/tf_keras-2.21.0/tfop-concat-constant",
    ("keras2", "legacy-seq"): "keras2/keras-2.1.6/legacy-sequential-in-sequential",
    ("keras2", "legacy-functional"): "keras2/keras-2.1.6/legacy-functional-in-sequential",
    ("keras2", "seq-in-seq"): "keras2/tf_keras-2.21.0/sequential-in-sequential",
}
DEPTH = 150  # deeper than the default max_depth (100) of the reference parser


def layer(model: dict[str, Any], name: str) -> dict[str, Any]:
    return next(item for item in model["config"]["layers"] if item["name"] == name)


def deep_list(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


def deep_dict(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = {"k": value}
    return value


def deep_dict_around(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = {"k": value}
    return value


# ---------------------------------------------------------------- keras3 mutations
def k3_history(model: dict[str, Any], name: str, node: int, arg_path: tuple[Any, ...]) -> list[Any]:
    """The keras_history list of the tensor at `arg_path` inside node `node` of layer `name`."""
    value: Any = layer(model, name)["inbound_nodes"][node]
    for key in arg_path:
        value = value[key]
    history: list[Any] = value["config"]["keras_history"]
    return history


def k3_set(name: str, node: int, arg_path: tuple[Any, ...], history: list[Any]) -> Mutation:
    def mutate(model: dict[str, Any]) -> dict[str, Any]:
        k3_history(model, name, node, arg_path)[:] = history
        return model

    return mutate


ADD_FIRST = ("args", 0, 0)  # add's first tensor: inner call 0
INNER_ARG = ("args", 0)  # inner's argument tensor


def on_layer(name: str, change: Callable[[dict[str, Any]], None]) -> Mutation:
    def mutate(model: dict[str, Any]) -> dict[str, Any]:
        change(layer(model, name))
        return model

    return mutate


def on_config(change: Callable[[dict[str, Any]], None]) -> Mutation:
    def mutate(model: dict[str, Any]) -> dict[str, Any]:
        change(model["config"])
        return model

    return mutate


def set_key(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(target: dict[str, Any]) -> None:
        target[key] = copy.deepcopy(value)

    return change


def drop_key(key: str) -> Callable[[dict[str, Any]], None]:
    def change(target: dict[str, Any]) -> None:
        del target[key]

    return change


def rename(old: str, new: str) -> Callable[[dict[str, Any]], None]:
    def change(target: dict[str, Any]) -> None:
        target["name"] = new
        target["config"]["name"] = new

    return change


def replace_model(value: Any) -> Mutation:
    return lambda _model: copy.deepcopy(value)


def both(*mutations: Mutation) -> Mutation:
    """Several changes at once: the order-* cases hold more than one error (spec/errors.md#order)."""

    def mutate(model: dict[str, Any]) -> Any:
        for mutation in mutations:
            model = mutation(model)
        return model

    return mutate


def on_model(change: Callable[[dict[str, Any]], None]) -> Mutation:
    def mutate(model: dict[str, Any]) -> dict[str, Any]:
        change(model)
        return model

    return mutate


def on_sequential_item(index: int, change: Callable[[dict[str, Any]], None]) -> Mutation:
    """Change the config of item ``index`` of the nested Sequential ``seq`` (the "seq" bases)."""
    return on_layer("seq", lambda item: change(item["config"]["layers"][index]["config"]))


def on_inner_config(change: Callable[[dict[str, Any]], None]) -> Mutation:
    return on_layer("inner", lambda item: change(item["config"]))


def outputs_in_lists(levels: int) -> Mutation:
    """output_layers (depth 2) as its reference inside ``levels`` lists: the reference at depth 2 + levels."""

    def mutate(model: dict[str, Any]) -> dict[str, Any]:
        model["config"]["output_layers"] = _wrapped(lambda item: [item], model["config"]["output_layers"], levels)
        return model

    return mutate


KERAS3: list[tuple[str, str, str, Mutation, str]] = [
    # name, base, error, mutation, description
    (
        "dangling-arg-layer",
        "shared",
        "dangling-reference",
        k3_set("add", 0, ADD_FIRST, ["nowhere", 0, 0]),
        "a call argument's keras_history names a layer that does not exist",
    ),
    (
        "dangling-kwarg-layer",
        "mha",
        "dangling-reference",
        k3_set("mha", 0, ("args", 1), ["nowhere", 0, 0]),
        "MultiHeadAttention's value tensor names a layer that does not exist",
    ),
    (
        "dangling-output-layer",
        "shared",
        "dangling-reference",
        on_config(set_key("output_layers", ["nowhere", 0, 0])),
        "output_layers names a layer that does not exist",
    ),
    (
        "dangling-input-layer",
        "shared",
        "dangling-reference",
        on_config(set_key("input_layers", [["nowhere", 0, 0], ["b", 0, 0]])),
        "input_layers names a layer that does not exist",
    ),
    (
        "node-index-past-calls",
        "shared",
        "node-index-out-of-range",
        k3_set("add", 0, ADD_FIRST, ["inner", 2, 0]),
        "inner has two calls (0 and 1 inside nodes); node index 2 does not exist",
    ),
    (
        "node-index-negative",
        "shared",
        "node-index-out-of-range",
        k3_set("add", 0, ADD_FIRST, ["inner", -1, 0]),
        "node index -1 (Keras 3.15 reads it as the last call; the spec rejects it)",
    ),
    (
        "input-layer-node-index",
        "shared",
        "node-index-out-of-range",
        k3_set("inner", 0, INNER_ARG, ["a", 1, 0]),
        "an InputLayer has no calls: only [name, 0, 0] refers to its tensor",
    ),
    (
        "output-layers-node-index",
        "shared",
        "node-index-out-of-range",
        on_config(set_key("output_layers", ["add", 1, 0])),
        "output_layers refers to call 1 of a layer called once",
    ),
    (
        "input-layer-tensor-index",
        "shared",
        "tensor-index-out-of-range",
        k3_set("inner", 0, INNER_ARG, ["a", 0, 1]),
        "output 1 of an InputLayer, which has one output",
    ),
    (
        "input-layers-tensor-index",
        "shared",
        "tensor-index-out-of-range",
        on_config(set_key("input_layers", [["a", 0, 1], ["b", 0, 0]])),
        "input_layers refers to output 1 of an InputLayer",
    ),
    (
        "cycle-two-calls",
        "shared",
        "cycle",
        k3_set("inner", 0, INNER_ARG, ["add", 0, 0]),
        "inner's first call consumes add's output, and add consumes inner's first call",
    ),
    (
        "cycle-self",
        "shared",
        "cycle",
        k3_set("add", 0, ADD_FIRST, ["add", 0, 0]),
        "a call that consumes its own output",
    ),
    (
        "node-not-object",
        "shared",
        "bad-node",
        on_layer("add", set_key("inbound_nodes", ["not a node"])),
        "a keras3 node that is a string",
    ),
    (
        "node-args-not-list",
        "shared",
        "bad-node",
        on_layer("add", set_key("inbound_nodes", [{"args": 5, "kwargs": {}}])),
        "a keras3 node whose args is a number",
    ),
    (
        "node-kwargs-not-object",
        "mha",
        "bad-node",
        on_layer("mha", lambda item: item["inbound_nodes"][0].__setitem__("kwargs", [1, 2])),
        "a keras3 node whose kwargs is a list",
    ),
    (
        "history-too-short",
        "shared",
        "bad-entry",
        k3_set("add", 0, ADD_FIRST, ["inner", 0]),
        "a keras_history with two items instead of three",
    ),
    (
        "history-index-not-int",
        "shared",
        "bad-entry",
        k3_set("add", 0, ADD_FIRST, ["inner", "0", 0]),
        "a keras_history whose node index is a string",
    ),
    (
        "inbound-nodes-not-list",
        "shared",
        "bad-layer",
        on_layer("add", set_key("inbound_nodes", {"args": []})),
        "inbound_nodes is an object, not a list",
    ),
    (
        "layer-without-class-name",
        "shared",
        "bad-layer",
        on_layer("add", drop_key("class_name")),
        "a layer without class_name",
    ),
    (
        "layer-not-object",
        "shared",
        "bad-layer",
        on_config(lambda config: config["layers"].append("Dense")),
        "a layers item that is a string",
    ),
    (
        "duplicate-layer-name",
        "shared",
        "duplicate-layer-name",
        on_layer("b", rename("b", "a")),
        "two InputLayers named a",
    ),
    (
        "layers-not-list",
        "shared",
        "not-a-model",
        on_config(set_key("layers", {"a": {}})),
        "a Functional config whose layers is an object",
    ),
    (
        "json-array",
        "shared",
        "not-a-model",
        replace_model([1, 2, 3]),
        "valid JSON that is an array, not a model object",
    ),
    (
        "layer-config-alone",
        "shared",
        "not-a-model",
        lambda model: {"name": "inner_dense", "config": {"units": 3}},
        "an object with neither class_name nor a model config",
    ),
    (
        "deep-kwarg",
        "mha",
        "too-deep",
        on_layer("mha", lambda item: item["inbound_nodes"][0]["kwargs"].__setitem__("extra", deep_list(DEPTH))),
        f"a kwarg value nested {DEPTH} lists deep (the default max_depth is 100)",
    ),
    # Pins of spec decisions (spec/CHANGELOG.md, issue "every rule pinned").
    (
        "tensor-index-negative",
        "shared",
        "tensor-index-out-of-range",
        k3_set("add", 0, ADD_FIRST, ["inner", 0, -1]),
        "tensor index -1: an integer naming no output, not bad-entry (spec/keras2.md#entries)",
    ),
    (
        "node-without-kwargs",
        "shared",
        "bad-node",
        on_layer("add", lambda item: item["inbound_nodes"][0].pop("kwargs")),
        "a keras3 node with args and no kwargs member (every release writes both)",
    ),
    (
        "order-node-before-outputs",
        "shared",
        "bad-node",
        both(
            on_layer("add", set_key("inbound_nodes", [{"args": 5, "kwargs": {}}])),
            on_config(set_key("output_layers", ["nowhere", 0, 0])),
        ),
        "two errors: a bad node and a dangling output; nodes are checked first (spec/errors.md#order)",
    ),
    (
        "order-outputs-before-cycle",
        "shared",
        "dangling-reference",
        both(k3_set("add", 0, ADD_FIRST, ["add", 0, 0]), on_config(set_key("output_layers", ["nowhere", 0, 0]))),
        "two errors: a cycle and a dangling output; output_layers is checked before cycles",
    ),
    (
        "deep-kwarg-101",
        "mha",
        "too-deep",
        on_layer("mha", lambda item: item["inbound_nodes"][0]["kwargs"].__setitem__("extra", deep_list(94))),
        "a kwarg value whose innermost item sits at depth 101 (spec/errors.md#depth: the limit is 100)",
    ),
    (
        "deep-arg-101",
        "mha",
        "too-deep",
        on_layer("mha", lambda item: item["inbound_nodes"][0]["args"].append(deep_dict(94))),
        "a call argument nested in objects whose innermost item sits at depth 101 (spec/errors.md#depth)",
    ),
    (
        "sequential-item-without-name",
        "seq",
        "bad-layer",
        on_sequential_item(1, drop_key("name")),
        "an item of a nested Sequential whose config has no name",
    ),
    (
        "sequential-duplicate-name",
        "seq",
        "duplicate-layer-name",
        on_sequential_item(2, set_key("name", "s1")),
        "two items of a nested Sequential named s1",
    ),
    ("model-without-name", "shared", "not-a-model", on_config(drop_key("name")), "a model config without name"),
    (
        "nested-model-without-name",
        "shared",
        "not-a-model",
        on_inner_config(drop_key("name")),
        "a nested Functional whose config has no name",
    ),
    (
        "io-four-item-reference",
        "shared",
        "bad-entry",
        on_config(set_key("output_layers", ["add", 0, 0, {}])),
        "output_layers holds a four-item array: a reference there has exactly three items",
    ),
    (
        "history-index-float",
        "shared",
        "bad-entry",
        k3_set("add", 0, ADD_FIRST, ["inner", 0.0, 0]),
        "keras_history node index written 0.0: not an integer (spec/errors.md#integers)",
    ),
    (
        "history-tensor-index-float",
        "shared",
        "bad-entry",
        k3_set("add", 0, ADD_FIRST, ["inner", 0, 0.0]),
        "keras_history tensor index written 0.0: not an integer (spec/errors.md#integers)",
    ),
    (
        "history-index-boolean",
        "shared",
        "bad-entry",
        k3_set("add", 0, ADD_FIRST, ["inner", False, 0]),
        "keras_history node index false: a boolean is not an integer",
    ),
    (
        "detection-first-node",
        "shared",
        "bad-node",
        on_layer("inner", lambda item: item["inbound_nodes"].__setitem__(1, [["b", 0, 0, {}]])),
        "inner's first node is keras3 and its second keras2: the first node decides (keras3), so the "
        "second is a bad keras3 node (spec/envelope.md#format-detection)",
    ),
    (
        "detection-document-order",
        "shared",
        "bad-node",
        both(
            on_layer("inner", set_key("inbound_nodes", [])),
            on_layer("add", set_key("inbound_nodes", [[["a", 0, 0, {}], ["b", 0, 0, {}]]])),
        ),
        "the first node in document order is a keras3 node inside the uncalled nested model; a later layer "
        "has a keras2 node, which is then a bad keras3 node (spec/envelope.md#format-detection)",
    ),
    (
        "outputs-deep-101",
        "shared",
        "too-deep",
        outputs_in_lists(99),
        "output_layers' one reference inside 99 lists: the reference sits at depth 101 (spec/errors.md#depth)",
    ),
]


# ---------------------------------------------------------------- keras2 mutations
def k2_entry(name: str, node: int, entry: int, value: list[Any]) -> Mutation:
    def mutate(model: dict[str, Any]) -> dict[str, Any]:
        layer(model, name)["inbound_nodes"][node][entry] = copy.deepcopy(value)
        return model

    return mutate


def k2_kwarg(name: str, key: str, value: Any) -> Mutation:
    def mutate(model: dict[str, Any]) -> dict[str, Any]:
        for entry in layer(model, name)["inbound_nodes"][0]:
            entry[3][key] = copy.deepcopy(value)
        return model

    return mutate


def converted_with_version(version: Any) -> Mutation:
    """The model JSON as the tfjs converter's ``model.json`` holds it (spec/envelope.md#wrappers):
    ``model_config`` in ``modelTopology``, with ``version`` as the ``keras_version`` beside it."""

    def mutate(model: dict[str, Any]) -> dict[str, Any]:
        model.pop("keras_version")
        topology = {"keras_version": version, "backend": model.pop("backend"), "model_config": model}
        return {
            "format": "layers-model",
            "generatedBy": "keras v2.21.0",
            "convertedBy": "TensorFlow.js Converter v4.22.0",
            "modelTopology": topology | {"training_config": None},
            "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": []}],
        }

    return mutate


def nested_models(levels: int) -> Any:
    """A Functional holding an uncalled nested Functional, ``levels`` deep: the innermost envelope sits
    at depth 3 * levels (spec/errors.md#depth)."""

    def functional(number: int) -> dict[str, Any]:
        name = f"in{number}"
        return {
            "class_name": "Functional",
            "config": {
                "name": f"m{number}",
                "input_layers": [[name, 0, 0]],
                "output_layers": [[name, 0, 0]],
                "layers": [
                    {
                        "class_name": "InputLayer",
                        "name": name,
                        "inbound_nodes": [],
                        "config": {"name": name, "batch_input_shape": [None, 1]},
                    }
                ],
            },
        }

    model = functional(levels)
    for number in range(levels - 1, -1, -1):
        outer = functional(number)
        outer["config"]["layers"].append({**model, "name": model["config"]["name"], "inbound_nodes": []})
        model = outer
    return {**model, "keras_version": "2.21.0", "backend": "tensorflow"}


def tfop_constant(value: Any) -> Mutation:
    """tf.concat's _CONSTANT_VALUE payload (its node at depth 5, the entry at 6, the payload at 7) replaced."""

    def mutate(model: dict[str, Any]) -> dict[str, Any]:
        for entry in layer(model, "tf.concat")["inbound_nodes"][0]:
            if entry[0] == "_CONSTANT_VALUE":
                entry[2] = copy.deepcopy(value)
        return model

    return mutate


def list_sequential(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` as the one layer of a Sequential written as a bare list (Keras 1.x to 2.2.2): two levels deeper."""
    return {"class_name": "Sequential", "config": [item]}


def _wrapped(wrap: Callable[[Any], Any], item: Any, times: int) -> Any:
    for _ in range(times):
        item = wrap(item)
    return item


def node_at_depth_100(model: dict[str, Any]) -> dict[str, Any]:
    # The nested Model "tower" sits at $.config[0] (depth 2), its Dense's node at 7. 45 list-shaped
    # Sequentials (2 levels each) and one object-shaped Sequential (3) around it put the node at 100.
    around = {"class_name": "Sequential", "config": {"name": "wrap", "layers": [model["config"][0]]}}
    model["config"][0] = _wrapped(list_sequential, around, 45)
    return model


def cycle_below_a_call(model: dict[str, Any]) -> dict[str, Any]:
    # Calls: inner 0 and 1, add 2. inner's call 0 consumes add, add consumes inner's call 1, which consumes
    # add: a cycle the search reaches from call 0, which is not on it.
    layer(model, "inner")["inbound_nodes"] = [[["add", 0, 0, {}]], [["add", 0, 0, {}]]]
    layer(model, "add")["inbound_nodes"] = [[["inner", 2, 0, {}]]]
    return model


KERAS2: list[tuple[str, str, str, Mutation, str]] = [
    (
        "cycle-below-a-call",
        "shared",
        "cycle",
        cycle_below_a_call,
        "inner's second call and add feed each other; inner's first call consumes add, off the cycle",
    ),
    (
        "dangling-entry-layer",
        "shared",
        "dangling-reference",
        k2_entry("add", 0, 0, ["nowhere", 1, 0, {}]),
        "an entry naming a layer that does not exist",
    ),
    (
        "dangling-kwarg-reference",
        "mha",
        "dangling-reference",
        k2_kwarg("mha", "value", ["nowhere", 0, 0]),
        "MultiHeadAttention's value kwarg refers to a layer that does not exist",
    ),
    (
        "dangling-output-layer",
        "shared",
        "dangling-reference",
        on_config(set_key("output_layers", [["nowhere", 0, 0]])),
        "output_layers names a layer that does not exist",
    ),
    (
        "dangling-input-layer",
        "shared",
        "dangling-reference",
        on_config(set_key("input_layers", [["nowhere", 0, 0], ["b", 0, 0]])),
        "input_layers names a layer that does not exist",
    ),
    (
        "node-index-past-calls",
        "shared",
        "node-index-out-of-range",
        k2_entry("add", 0, 0, ["inner", 3, 0, {}]),
        "inner's calls are numbered 1 and 2 (nested Functional); 3 does not exist",
    ),
    (
        "nested-functional-node-zero",
        "shared",
        "node-index-out-of-range",
        k2_entry("add", 0, 0, ["inner", 0, 0, {}]),
        "node index 0 of a nested Functional: keras2 numbers its calls from 1",
    ),
    (
        "node-index-negative",
        "shared",
        "node-index-out-of-range",
        k2_entry("add", 0, 0, ["inner", -1, 0, {}]),
        "node index -1",
    ),
    (
        "kwarg-node-index",
        "mha",
        "node-index-out-of-range",
        k2_kwarg("mha", "value", ["v", 1, 0]),
        "a kwargs reference to call 1 of an InputLayer",
    ),
    (
        "output-layers-node-index",
        "shared",
        "node-index-out-of-range",
        on_config(set_key("output_layers", [["add", 1, 0]])),
        "output_layers refers to call 1 of a layer called once",
    ),
    (
        "input-layer-tensor-index",
        "shared",
        "tensor-index-out-of-range",
        k2_entry("inner", 0, 0, ["a", 0, 1, {}]),
        "output 1 of an InputLayer, which has one output",
    ),
    (
        "kwarg-tensor-index",
        "mha",
        "tensor-index-out-of-range",
        k2_kwarg("mha", "value", ["v", 0, 2]),
        "a kwargs reference to output 2 of an InputLayer",
    ),
    (
        "cycle-two-calls",
        "shared",
        "cycle",
        k2_entry("inner", 0, 0, ["add", 0, 0, {}]),
        "inner's first call consumes add's output, and add consumes inner's first call",
    ),
    ("cycle-self", "shared", "cycle", k2_entry("add", 0, 0, ["add", 0, 0, {}]), "a call that consumes its own output"),
    (
        "cycle-through-kwargs",
        "mha",
        "cycle",
        k2_kwarg("mha", "value", ["mha", 0, 0]),
        "MultiHeadAttention's value kwarg is its own output",
    ),
    ("entry-too-short", "shared", "bad-entry", k2_entry("add", 0, 0, ["inner", 1]), "an entry with two items"),
    (
        "entry-too-long",
        "shared",
        "bad-entry",
        k2_entry("add", 0, 0, ["inner", 1, 0, {}, 7]),
        "an entry with five items",
    ),
    (
        "entry-index-not-int",
        "shared",
        "bad-entry",
        k2_entry("add", 0, 0, ["inner", "1", 0, {}]),
        "an entry whose node index is a string",
    ),
    (
        "entry-kwargs-not-object",
        "shared",
        "bad-entry",
        k2_entry("add", 0, 0, ["inner", 1, 0, "x"]),
        "an entry whose fourth item is a string, not a kwargs object",
    ),
    (
        "node-not-list",
        "shared",
        "bad-node",
        on_layer("add", set_key("inbound_nodes", [5])),
        "a keras2 node that is a number",
    ),
    (
        "node-empty",
        "shared",
        "bad-node",
        on_layer("add", set_key("inbound_nodes", [[]])),
        "a keras2 node that is an empty list: a node holds at least one entry (spec/errors.md#codes)",
    ),
    (
        "inbound-nodes-not-list",
        "shared",
        "bad-layer",
        on_layer("add", set_key("inbound_nodes", "add")),
        "inbound_nodes is a string",
    ),
    ("layer-without-config", "shared", "bad-layer", on_layer("add", drop_key("config")), "a layer without config"),
    (
        "duplicate-layer-name",
        "shared",
        "duplicate-layer-name",
        on_layer("b", rename("b", "a")),
        "two InputLayers named a",
    ),
    (
        "layers-not-list",
        "shared",
        "not-a-model",
        on_config(set_key("layers", "none")),
        "a Functional config whose layers is a string",
    ),
    ("json-string", "shared", "not-a-model", replace_model("Functional"), "valid JSON that is a string"),
    (
        "deep-structure-101",
        "shared",
        "too-deep",
        on_layer(
            "add", lambda item: item["inbound_nodes"].__setitem__(0, deep_dict_around(item["inbound_nodes"][0], 95))
        ),
        "a node whose entries sit in objects nested to depth 101 (spec/errors.md#depth)",
    ),
    (
        "deep-kwarg",
        "mha",
        "too-deep",
        k2_kwarg("mha", "extra", deep_list(DEPTH)),
        f"a kwarg value nested {DEPTH} lists deep (the default max_depth is 100)",
    ),
    # Pins of spec decisions (spec/CHANGELOG.md, issue "every rule pinned").
    (
        "tensor-index-negative",
        "shared",
        "tensor-index-out-of-range",
        k2_entry("add", 0, 0, ["inner", 1, -1, {}]),
        "tensor index -1: an integer naming no output, not bad-entry (spec/keras2.md#entries)",
    ),
    (
        "order-layer-before-node",
        "shared",
        "bad-layer",
        both(on_layer("add", set_key("inbound_nodes", [[]])), on_config(lambda config: config["layers"].append(7))),
        "two errors: an empty node in add and a last layer that is a number; every layer is checked "
        "before any node (spec/errors.md#order)",
    ),
    (
        "order-envelope-before-layers",
        "shared",
        "not-a-model",
        both(on_layer("add", set_key("inbound_nodes", [[]])), on_config(drop_key("output_layers"))),
        "two errors: an empty node and no output_layers; the envelope is checked first",
    ),
    (
        "order-envelope-before-version",
        "shared",
        "not-a-model",
        both(on_model(set_key("keras_version", "4.0.0")), on_config(drop_key("output_layers"))),
        "two errors: keras_version 4.0.0 and no output_layers; the envelope is checked before the version "
        "(spec/errors.md#order)",
    ),
    (
        "deep-kwarg-101",
        "mha",
        "too-deep",
        k2_kwarg("mha", "extra", deep_list(93)),
        "a kwarg value whose innermost item sits at depth 101 (spec/errors.md#depth: the limit is 100)",
    ),
    (
        "deep-kwarg-dict-101",
        "mha",
        "too-deep",
        k2_kwarg("mha", "extra", deep_dict(93)),
        "a kwarg value nested in objects whose innermost item sits at depth 101 (spec/errors.md#depth)",
    ),
    (
        "nested-model-without-name",
        "shared",
        "not-a-model",
        on_inner_config(drop_key("name")),
        "a nested Functional whose config has no name",
    ),
    (
        "layer-without-name",
        "shared",
        "bad-layer",
        on_layer("add", drop_key("name")),
        "a Functional's layer without its name member (config.name does not stand in)",
    ),
    (
        "sequential-duplicate-name",
        "seq",
        "duplicate-layer-name",
        on_sequential_item(2, set_key("name", "s1")),
        "two items of a nested Sequential named s1",
    ),
    ("keras-version-4", "shared", "unknown-format", on_model(set_key("keras_version", "4.0.0")), "keras_version 4.0.0"),
    (
        "keras-version-number",
        "shared",
        "unknown-format",
        on_model(set_key("keras_version", 2.21)),
        "keras_version written as a number, not a string",
    ),
    (
        "keras-version-beside-model-config",
        "shared",
        "unknown-format",
        converted_with_version(2.21),
        "a tfjs converter model.json whose keras_version beside model_config is a number: it is the "
        "envelope's, so unknown-format as there (spec/envelope.md#format-detection)",
    ),
    (
        "constant-second-item",
        "shared",
        "bad-entry",
        k2_entry("add", 0, 1, ["_CONSTANT_VALUE", 0, 1.0, {}]),
        "a _CONSTANT_VALUE entry whose second item is 0, not -1",
    ),
    (
        "io-four-item-reference",
        "shared",
        "bad-entry",
        on_config(set_key("output_layers", [["add", 0, 0, {}]])),
        "output_layers holds a four-item array: a reference there has exactly three items",
    ),
    (
        "entry-index-float",
        "shared",
        "bad-entry",
        k2_entry("add", 0, 0, ["inner", 1.0, 0, {}]),
        "an entry whose node index is written 1.0: not an integer (spec/errors.md#integers)",
    ),
    (
        "entry-tensor-index-float",
        "shared",
        "bad-entry",
        k2_entry("inner", 0, 0, ["a", 0, 0.0, {}]),
        "a node of one plain entry whose tensor index is written 0.0: not an integer (spec/errors.md#integers)",
    ),
    (
        "nested-models-too-deep",
        "shared",
        "too-deep",
        replace_model(nested_models(34)),
        "34 nested Functionals, none called: the innermost envelope sits at depth 102, past the limit of 100",
    ),
    (
        "kwarg-lookalike-bad-index",
        "mha",
        "bad-entry",
        k2_kwarg("mha", "names", ["nope", "b", "c"]),
        'a kwarg ["nope", "b", "c"]: read as a reference, its indices are checked before its name',
    ),
    (
        "node-at-depth-100",
        "legacy-functional",
        "too-deep",
        node_at_depth_100,
        "a nested Model inside 46 Sequentials, its Dense's node [entry] at depth 100: the entry sits at 101 "
        "(spec/errors.md#depth)",
    ),
    (
        "sequential-too-deep",
        "legacy-seq",
        "too-deep",
        lambda model: {**model, "config": [_wrapped(list_sequential, model["config"][0], 50), *model["config"][1:]]},
        "a list-shaped Sequential inside 50 more: the innermost envelope sits at depth 102 (spec/errors.md#depth)",
    ),
    (
        "constant-deep-101",
        "tfop",
        "too-deep",
        tfop_constant(deep_list(94)),
        "a _CONSTANT_VALUE payload of nested lists whose innermost item sits at depth 101 (spec/errors.md#depth)",
    ),
]


def input_layer_called_on_b(model: dict[str, Any]) -> dict[str, Any]:
    layer(model, "a")["inbound_nodes"] = [copy.deepcopy(layer(model, "inner")["inbound_nodes"][1])]
    return model


# Cases made the same way in both formats (appended to KERAS3 and KERAS2).
BOTH: list[tuple[str, str, str, Mutation, str]] = [
    (
        "model-name-not-string",
        "shared",
        "not-a-model",
        on_config(set_key("name", 5)),
        "a model config whose name is a number (spec/envelope.md#functional)",
    ),
    (
        "functional-without-input-layers",
        "shared",
        "not-a-model",
        on_config(drop_key("input_layers")),
        "a Functional config without input_layers, which is no Sequential for it (spec/envelope.md#functional)",
    ),
    (
        "input-layer-with-nodes",
        "shared",
        "bad-layer",
        input_layer_called_on_b,
        "InputLayer a with an inbound node: inner's call on input b, copied (spec/envelope.md#layers)",
    ),
    (
        "sequential-without-name",
        "seq",
        "not-a-model",
        on_layer("seq", lambda item: item["config"].pop("name")),
        "a nested Sequential whose config has no name (spec/envelope.md#functional)",
    ),
    (
        "output-layers-number",
        "shared",
        "bad-entry",
        on_config(set_key("output_layers", 5)),
        "output_layers a number: neither a reference nor a structure of them (spec/errors.md#codes)",
    ),
]


def kwarg_past_any_decoder(text: str) -> str:
    """mha's call with a kwarg nested 100,000 lists deep, written into the text (json.dumps would recurse).

    The kwargs are read, so the code is too-deep whether a reader's decoder holds the text or not
    (spec/errors.md#nesting); the reference parser's decoder does not, and it locates the error by
    scanning the text."""
    deep = "[" * 100_000 + "]" * 100_000
    if '"kwargs": {' in text:  # keras3: the node's kwargs object
        return text.replace('"kwargs": {', f'"kwargs": {{"extra": {deep}, ', 1)
    return text.replace('{"value": ', f'{{"extra": {deep}, "value": ', 1)  # keras2: the entry's kwargs


# Text-level cases (not JSON at all), per format: name, base, error, transform, description
TEXT: list[tuple[str, str, str, Callable[[str], str], str]] = [
    ("truncated", "shared", "not-json", lambda text: text[: len(text) // 2], "the model JSON cut in half"),
    ("empty", "shared", "not-json", lambda text: "", "an empty file"),
    ("trailing-garbage", "shared", "not-json", lambda text: text + "}", "one extra closing brace"),
    (
        "byte-order-mark",
        "shared",
        "not-json",
        lambda text: "\ufeff" + text,
        "the model JSON after a UTF-8 byte-order mark, which JSON forbids",
    ),
    (
        "kwarg-past-any-decoder",
        "mha",
        "too-deep",
        kwarg_past_any_decoder,
        "a kwarg nested 100,000 lists deep, past any depth limit and past many JSON decoders' own",
    ),
    (
        "double-encoded-twice",
        "shared",
        "not-a-model",
        lambda text: json.dumps(json.dumps(text)),
        "the model JSON encoded as a JSON string twice: a reader decodes the string once only "
        "(spec/envelope.md#double-encoded)",
    ),
]


# ---------------------------------------------------------------- hand-made valid cases
# A few readings no Keras release writes, or writes only through constructs the recipes lack, that
# the spec decides (spec/CHANGELOG.md). Each starts from a real case and edits its input and its
# expected document (computed from the live model) by the same change, so the expected document is
# never the reference parser's output. The spec names the case where it states the rule. An edit
# changes both in place; one that wraps the model JSON (spec/envelope.md#wrappers) returns the file's
# new JSON value. A lossy base gives a lossy case, its live document edited by the same change.
Edit = Callable[[dict[str, Any], dict[str, Any]], Any]


def expected_layer(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(item for item in document["model"]["layers"] if item["name"] == name)


def nested_list_value(depth: int) -> Any:
    value: Any = {"const": 0}
    for _ in range(depth):
        value = {"list": [value]}
    return value


def one_entry_nested(model: dict[str, Any], expected: dict[str, Any]) -> None:
    nodes = layer(model, "inner")["inbound_nodes"]
    nodes[0] = [nodes[0]]  # [[entry]]: still the one tensor after flattening
    nodes[1] = [{"k": nodes[1][0]}]  # [{"k": entry}]: the top is a list, so the dict goes too


def outputs_as(wrap: Callable[[Any], Any], value: Callable[[Any], Any]) -> Edit:
    def edit(model: dict[str, Any], expected: dict[str, Any]) -> None:
        model["config"]["output_layers"] = [wrap(model["config"]["output_layers"][0])]
        expected["model"]["outputs"] = value(expected["model"]["outputs"])

    return edit


def custom_functional(model: dict[str, Any], expected: dict[str, Any]) -> None:
    # keras 3.15.1 writes `class MyModel(keras.Model)` built as MyModel(inputs, outputs) with its own
    # class_name and numbers it as a Functional in output_layers (checked with the live release).
    layer(model, "inner")["class_name"] = "MyModel"
    model["config"]["output_layers"] = [["add", 0, 0], ["inner", 2, 0]]
    inner = expected_layer(expected, "inner")
    inner["class_name"] = inner["model"]["class_name"] = "MyModel"
    expected["model"]["outputs"] = {"list": [{"tensor": ["add", 0, 0]}, {"tensor": ["inner", 1, 0]}]}


def kwarg_at_depth_100(lists: int) -> Edit:
    def edit(model: dict[str, Any], expected: dict[str, Any]) -> None:
        node = layer(model, "mha")["inbound_nodes"][0]
        for kwargs in [entry[3] for entry in node] if isinstance(node, list) else [node["kwargs"]]:
            kwargs["extra"] = deep_list(lists)
        expected_layer(expected, "mha")["calls"][0]["kwargs"]["extra"] = nested_list_value(lists)

    return edit


def nested_dict_value(depth: int) -> Any:
    value: Any = {"const": 0}
    for _ in range(depth):
        value = {"dict": {"k": value}}
    return value


def kwarg_dict_at_depth_100(model: dict[str, Any], expected: dict[str, Any]) -> None:
    for entry in layer(model, "mha")["inbound_nodes"][0]:
        entry[3]["extra"] = deep_dict(92)
    expected_layer(expected, "mha")["calls"][0]["kwargs"]["extra"] = nested_dict_value(92)


def arg_at_depth_100(model: dict[str, Any], expected: dict[str, Any]) -> None:
    layer(model, "mha")["inbound_nodes"][0]["args"].append(deep_dict(93))
    expected_layer(expected, "mha")["calls"][0]["args"].append(nested_dict_value(93))


def structure_at_depth_100(model: dict[str, Any], expected: dict[str, Any]) -> None:
    # The node [entry, entry] sits at depth 5; 94 objects around it put its entries at depth 100.
    nodes = layer(model, "add")["inbound_nodes"]
    nodes[0] = deep_dict_around(nodes[0], 94)
    call = expected_layer(expected, "add")["calls"][0]
    for _ in range(94):
        call["args"][0] = {"dict": {"k": call["args"][0]}}


def keras_version(value: str) -> Edit:
    def edit(model: dict[str, Any], expected: dict[str, Any]) -> None:
        model["keras_version"] = value

    return edit


def typed_object_odd_class_name(model: dict[str, Any], expected: dict[str, Any]) -> None:
    odd = {"class_name": 5, "config": {}}
    layer(model, "add")["inbound_nodes"][0]["kwargs"]["extra"] = copy.deepcopy(odd)
    expected_layer(expected, "add")["calls"][0]["kwargs"]["extra"] = {"object": odd}


def sequential_output(node_index: int) -> Edit:
    def edit(model: dict[str, Any], expected: dict[str, Any]) -> None:
        reference = ["seq", node_index, 1]  # keras2 wraps a single output in a list, keras3 >= 3.11 does not
        model["config"]["output_layers"] = [reference] if node_index else reference
        expected["model"]["outputs"] = {"tensor": ["seq", 0, 1]}

    return edit


def inputs_only(model: dict[str, Any], expected: dict[str, Any]) -> None:
    # Model([a, b], [a, b]) as an .h5 file holds it (no module on the envelope): no node anywhere, so the
    # first InputLayer config decides the format, not the config of an uncalled layer listed before it.
    unused = {
        "class_name": "Dense",
        "config": {"name": "unused", "units": 2, "batch_input_shape": [None, 4]},
        "name": "unused",
        "inbound_nodes": [],
    }
    for key in ("module", "registered_name"):
        model.pop(key, None)
    model["config"]["layers"] = [unused, layer(model, "a"), layer(model, "b")]
    model["config"]["output_layers"] = [["a", 0, 0], ["b", 0, 0]]
    expected["model"]["layers"] = [
        {"name": "unused", "class_name": "Dense", "module": None, "calls": []},
        expected_layer(expected, "a"),
        expected_layer(expected, "b"),
    ]
    expected["model"]["outputs"] = {"list": [{"tensor": ["a", 0, 0]}, {"tensor": ["b", 0, 0]}]}


def sequential_alone(dropped: str) -> Edit:
    # The nested Sequential of the "seq" base as a whole file, without its InputLayer and without
    # module (as in .h5): only its config's members can tell the format (detection step 4).
    def edit(model: dict[str, Any], expected: dict[str, Any]) -> None:
        sequential = layer(model, "seq")
        config = {key: value for key, value in sequential["config"].items() if key != dropped}
        config["layers"] = [item for item in config["layers"] if item["class_name"] != "InputLayer"]
        model.clear()
        model.update({"class_name": "Sequential", "config": config})
        inner = expected_layer(expected, "seq")["model"]
        inner["layers"] = [item for item in inner["layers"] if item["class_name"] != "InputLayer"]
        expected["model"] = inner

    return edit


def no_layers(model: dict[str, Any], expected: dict[str, Any]) -> None:
    # A Functional with no layers at all: detection step 5 (keras3 keeps `module` only, keras2 has none).
    for key in ("registered_name", "keras_version", "backend"):
        model.pop(key, None)
    model["config"] = {"name": model["config"]["name"], "layers": [], "input_layers": [], "output_layers": []}
    expected["model"].update(layers=[], inputs={"list": []}, outputs={"list": []})


def inputs_only_archive(model: dict[str, Any], expected: dict[str, Any]) -> None:
    # A keras2 model of inputs only as a tf_keras .keras archive writes its envelope (module, no
    # keras_version): the InputLayers' batch_input_shape decides before the envelope's module (step 3).
    for key in ("keras_version", "backend"):
        model.pop(key, None)
    model.update(module="keras", registered_name=None)
    model["config"]["layers"] = [layer(model, "a"), layer(model, "b")]
    model["config"]["output_layers"] = [["a", 0, 0], ["b", 0, 0]]
    expected["model"]["layers"] = [expected_layer(expected, "a"), expected_layer(expected, "b")]
    expected["model"]["outputs"] = {"list": [{"tensor": ["a", 0, 0]}, {"tensor": ["b", 0, 0]}]}


def tfop_one_entry_list(model: dict[str, Any], expected: dict[str, Any]) -> None:
    # tf.concat's node as a list holding one plain entry with empty kwargs: a structure-preserving
    # layer keeps the list of one (spec/keras2.md#structure-preserving-layers).
    layer(model, "tf.concat")["inbound_nodes"] = [[["x", 0, 0, {}]]]
    expected_layer(expected, "tf.concat")["calls"] = [{"args": [{"list": [{"tensor": ["x", 0, 0]}]}], "kwargs": {}}]


def constants_only(model: dict[str, Any], expected: dict[str, Any]) -> None:
    # Add's first argument a list of two constants, as tf_keras writes any leaf that is not a Keras
    # tensor (spec/keras2.md#constant-value), with empty kwargs.
    layer(model, "add")["inbound_nodes"] = [[["_CONSTANT_VALUE", -1, 3, {}], ["_CONSTANT_VALUE", -1, 4, {}]]]
    expected_layer(expected, "add")["calls"] = [{"args": [{"list": [{"const": 3}, {"const": 4}]}], "kwargs": {}}]


def constant_at_depth_100(model: dict[str, Any], expected: dict[str, Any]) -> None:
    # The payload sits at depth 7 (node 5, entry 6): 93 lists put its innermost item at 100.
    tfop_constant(deep_list(93))(model)
    expected_layer(expected, "tf.concat")["calls"][0]["args"][0]["list"][1] = nested_list_value(93)


def sequential_at_depth_100(model: dict[str, Any], expected: dict[str, Any]) -> None:
    # The inner Sequential sits at $.config[0], depth 2; 49 list-shaped Sequentials around it (two
    # levels each: envelope > config > layer) put its envelope at depth 100, the limit.
    inner = model["config"][0]
    described = expected["model"]["layers"][0]
    for _ in range(49):
        inner = list_sequential(inner)
        described = {
            "name": None,
            "class_name": "Sequential",
            "module": None,
            "calls": [],
            "model": {"class_name": "Sequential", "name": None, "inputs": None, "outputs": None, "layers": [described]},
        }
    model["config"][0] = inner
    expected["model"]["layers"][0] = described


def sequentials_at_depth_99(model: dict[str, Any], expected: dict[str, Any]) -> None:
    # inner_seq sits at $.config.layers[1], depth 3; 32 object-shaped Sequentials around it (three
    # levels each: envelope > config > layers > layer) put it at depth 99, the deepest such nesting reaches.
    inner = layer_of_sequential(model, "inner_seq")
    described = expected_layer(expected, "inner_seq")
    position = model["config"]["layers"].index(inner)
    for number in range(32, 0, -1):
        name = f"wrap_{number}"
        inner = {
            "module": inner["module"],
            "class_name": "Sequential",
            "config": {"name": name, "trainable": True, "dtype": "float32", "layers": [inner]},
            "registered_name": None,
        }
        described = {
            "name": name,
            "class_name": "Sequential",
            "module": described["module"],
            "calls": [],
            "model": {"class_name": "Sequential", "name": name, "inputs": None, "outputs": None, "layers": [described]},
        }
    model["config"]["layers"][position] = inner
    expected["model"]["layers"][position] = described


def layer_of_sequential(model: dict[str, Any], name: str) -> dict[str, Any]:
    return next(item for item in model["config"]["layers"] if item["config"]["name"] == name)


def outputs_at_depth_100(model: dict[str, Any], expected: dict[str, Any]) -> None:
    outputs_in_lists(98)(model)
    expected["model"]["outputs"] = _wrapped(lambda item: {"list": [item]}, expected["model"]["outputs"], 98)


def outputs_empty_list_first(model: dict[str, Any], expected: dict[str, Any]) -> None:
    # One reference in all, so tf_keras's Functional takes outputs[0], the empty list: tf_keras 2.21.0
    # loads this file as a model whose outputs are [] (model_from_json, checked with the live release).
    model["config"]["output_layers"] = [[], model["config"]["output_layers"][0]]
    expected["model"]["outputs"] = {"list": []}


def tfjs_layers(model: dict[str, Any], expected: dict[str, Any]) -> Any:
    # tfjs-layers' model.save(): the model JSON is modelTopology, beside what tfjs-layers 4.22.0 writes.
    return {
        "modelTopology": model,
        "format": "layers-model",
        "generatedBy": "TensorFlow.js tfjs-layers v4.22.0",
        "convertedBy": None,
        "weightsManifest": [{"paths": ["weights.bin"], "weights": []}],
    }


def tfjs_converter(model: dict[str, Any], expected: dict[str, Any]) -> Any:
    # tensorflowjs_converter on an .h5 file: model_config is the .h5 attribute (no keras_version), and
    # keras_version and backend sit beside it in modelTopology.
    version = model.pop("keras_version")
    topology = {
        "keras_version": version,
        "backend": model.pop("backend"),
        "model_config": model,
        "training_config": None,
    }
    return {
        "format": "layers-model",
        "generatedBy": f"keras v{version}",
        "convertedBy": "TensorFlow.js Converter v4.22.0",
        "modelTopology": topology,
        "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": []}],
    }


def double_encoded(model: dict[str, Any], expected: dict[str, Any]) -> Any:
    # The text model.to_json() returns, saved with json.dump: the file is one JSON string.
    return json.dumps(model)


HANDMADE: list[tuple[str, str, str, Edit, str]] = [
    # format, name, base, edit, description
    (
        "keras2",
        "node-one-entry-nested",
        "shared",
        one_entry_nested,
        'inner\'s nodes written [[entry]] and [{"k": entry}]: one entry after flattening is the tensor '
        "(spec/keras2.md#nodes)",
    ),
    (
        "keras2",
        "outputs-list-of-one-list",
        "shared",
        outputs_as(lambda ref: [ref], lambda out: {"list": [out]}),
        "output_layers [[ref]]: one level unwrapped, a list of one remains (spec/canonical-graph.md#from-keras2)",
    ),
    (
        "keras2",
        "outputs-list-of-one-dict",
        "shared",
        outputs_as(lambda ref: {"k": ref}, lambda out: {"dict": {"k": out}}),
        'output_layers [{"k": ref}]: one level unwrapped, a dict remains',
    ),
    (
        "keras2",
        "kwarg-at-depth-100",
        "mha",
        kwarg_at_depth_100(92),
        "a kwarg value whose innermost item sits at depth 100, the limit (spec/errors.md#depth)",
    ),
    (
        "keras3",
        "kwarg-at-depth-100",
        "mha",
        kwarg_at_depth_100(93),
        "a kwarg value whose innermost item sits at depth 100, the limit (spec/errors.md#depth)",
    ),
    (
        "keras2",
        "kwarg-dict-at-depth-100",
        "mha",
        kwarg_dict_at_depth_100,
        "a kwarg value nested in objects whose innermost item sits at depth 100, the limit (spec/errors.md#depth)",
    ),
    (
        "keras2",
        "structure-at-depth-100",
        "shared",
        structure_at_depth_100,
        "a node whose entries sit in objects nested to depth 100, the limit (spec/errors.md#depth)",
    ),
    (
        "keras3",
        "arg-at-depth-100",
        "mha",
        arg_at_depth_100,
        "a call argument nested in objects whose innermost item sits at depth 100, the limit (spec/errors.md#depth)",
    ),
    (
        "keras2",
        "keras-version-major-only",
        "shared",
        keras_version("2"),
        'keras_version "2": the part before the first dot decides (spec/envelope.md#format-detection)',
    ),
    (
        "keras3",
        "custom-functional-subclass",
        "shared",
        custom_functional,
        "a nested Functional of a custom class (class_name MyModel) referenced from output_layers: "
        "numbered from 1 like any config with input_layers (spec/keras3.md#node-numbering)",
    ),
    (
        "keras3",
        "typed-object-odd-class-name",
        "shared",
        typed_object_odd_class_name,
        "a kwarg object whose class_name is a number: a typed object all the same (spec/keras3.md#values)",
    ),
    (
        "keras3",
        "nested-sequential-output-1",
        "seq",
        sequential_output(0),
        "output 1 of a nested Sequential: its outputs are not counted (keras 3 lets its last layer return "
        "several, spec/errors.md#codes)",
    ),
    (
        "keras3",
        "inputs-only",
        "shared",
        inputs_only,
        "a model of two inputs passed straight through, without module (as in .h5), after an uncalled Dense "
        "whose config has batch_input_shape: the first InputLayer's batch_shape says keras3 "
        "(spec/envelope.md#format-detection, step 3)",
    ),
    (
        "keras3",
        "sequential-trainable-only",
        "seq",
        sequential_alone("dtype"),
        "a keras3 Sequential without InputLayer, module or dtype: its trainable member says keras3 "
        "(spec/envelope.md#format-detection, step 4)",
    ),
    (
        "keras3",
        "sequential-dtype-only",
        "seq",
        sequential_alone("trainable"),
        "a keras3 Sequential without InputLayer, module or trainable: its dtype member says keras3 (step 4)",
    ),
    (
        "keras3",
        "no-layers",
        "shared",
        no_layers,
        "a Functional with no layers whose envelope has module only: keras3 (step 5)",
    ),
    (
        "keras2",
        "no-layers",
        "shared",
        no_layers,
        "a Functional with no layers and neither keras_version nor module (as in .h5): keras2 (step 5)",
    ),
    (
        "keras2",
        "inputs-only-archive",
        "shared",
        inputs_only_archive,
        "a keras2 model of inputs only with a .keras archive's envelope (module): the InputLayers decide, "
        "keras2 (step 3 before step 5)",
    ),
    (
        "keras2",
        "nested-sequential-output-1",
        "seq",
        sequential_output(1),
        "output 1 of a nested Sequential: its outputs are not counted",
    ),
    (
        "keras2",
        "tfoplambda-one-entry-list",
        "tfop",
        tfop_one_entry_list,
        "a TFOpLambda node [[entry]] with empty kwargs: a structure-preserving layer's list of one stays a list "
        "(spec/keras2.md#structure-preserving-layers)",
    ),
    (
        "keras2",
        "constants-only-node",
        "shared",
        constants_only,
        "an Add node of two _CONSTANT_VALUE entries with empty kwargs: constants, not references "
        "(spec/keras2.md#constant-value)",
    ),
    (
        "keras2",
        "constant-at-depth-100",
        "tfop",
        constant_at_depth_100,
        "a _CONSTANT_VALUE payload of nested lists whose innermost item sits at depth 100, the limit "
        "(spec/errors.md#depth)",
    ),
    (
        "keras2",
        "sequential-at-depth-100",
        "legacy-seq",
        sequential_at_depth_100,
        "a list-shaped Sequential inside 49 more: the innermost envelope sits at depth 100, the limit "
        "(spec/errors.md#depth)",
    ),
    (
        "keras2",
        "sequentials-at-depth-99",
        "seq-in-seq",
        sequentials_at_depth_99,
        "a nested Sequential inside 32 more: the innermost envelope sits at depth 99, the deepest object-shaped "
        "nesting reaches within the limit (spec/errors.md#depth)",
    ),
    (
        "keras3",
        "outputs-at-depth-100",
        "shared",
        outputs_at_depth_100,
        "output_layers' one reference inside 98 lists: the reference sits at depth 100, the limit "
        "(spec/errors.md#depth)",
    ),
    (
        "keras2",
        "outputs-empty-list-first",
        "shared",
        outputs_empty_list_first,
        "output_layers [[], ref]: its one reference makes tf_keras take the first item, the empty list "
        "(spec/canonical-graph.md#from-keras2)",
    ),
    (
        "keras2",
        "tfjs-layers",
        "shared",
        tfjs_layers,
        "the model JSON as the modelTopology of a tfjs-layers model.json (spec/envelope.md#wrappers)",
    ),
    (
        "keras2",
        "tfjs-converter",
        "shared",
        tfjs_converter,
        "the model JSON as the model_config of a tfjs converter model.json, its keras_version only beside it "
        "(spec/envelope.md#wrappers)",
    ),
    (
        "keras2",
        "double-encoded",
        "shared",
        double_encoded,
        "the model JSON saved as a JSON string: decoded once (spec/envelope.md#double-encoded)",
    ),
    (
        "keras3",
        "double-encoded",
        "shared",
        double_encoded,
        "the model JSON saved as a JSON string: decoded once (spec/envelope.md#double-encoded)",
    ),
]


def build_handmade_cases(cases: list[Case], old_handmade: list[Case]) -> list[Case]:
    """Every hand-made case, from the base cases in `cases` (or the previous ones if a base is missing)."""
    from generator._corpus import document_bytes, first_difference

    by_id = {c.id: c for c in cases}
    if any(base not in by_id for base in BASES.values()):
        return old_handmade
    made: list[Case] = []
    for fmt, name, base, edit, description in HANDMADE:
        source = by_id[BASES[(fmt, base)]]
        model = json.loads(source.files["input"])
        expected = json.loads(source.files["expected"])
        wrapped = edit(model, expected)
        text = json.dumps(model if wrapped is None else wrapped)
        files = {"input": text.encode(), "expected": document_bytes(expected)}
        kind = source.meta["kind"]
        if kind == "lossy":
            live = json.loads(source.files["live"])
            edit(json.loads(source.files["input"]), live)
            files["live"] = document_bytes(live)
            description += f" (lossy: the live model differs at {first_difference(live, expected)})"
        meta = {
            "id": f"handmade/{fmt}/{name}",
            "kind": kind,
            "format": fmt,
            "producer": None,
            "recipe": None,
            "container": "to_json",
            "features": list(source.meta.get("features", [])),
            "description": f"{description} (edited from {source.id})",
        }
        made.append(Case(meta, files))
    return made


def build_invalid_cases(cases: list[Case], old_invalid: list[Case]) -> list[Case]:
    """Every invalid case, from the base cases in `cases` (or the previous ones if a base is missing)."""
    by_id = {c.id: c for c in cases}
    if any(base not in by_id for base in BASES.values()):
        return old_invalid
    made: list[Case] = []
    for fmt, table in (("keras3", KERAS3 + BOTH), ("keras2", KERAS2 + BOTH)):
        for name, base, error, mutation, description in table:
            source = by_id[BASES[(fmt, base)]]
            model = mutation(json.loads(source.files["input"]))
            made.append(invalid_case(fmt, name, json.dumps(model), error, description, source))
        for name, base, error, transform, description in TEXT:
            source = by_id[BASES[(fmt, base)]]
            made.append(invalid_case(fmt, name, transform(source.files["input"].decode()), error, description, source))
    return made


def invalid_case(fmt: str, name: str, text: str, error: str, description: str, source: Case) -> Case:
    meta: dict[str, Any] = {
        "id": f"invalid/{fmt}/{name}",
        "kind": "invalid",
        "format": fmt,
        "producer": None,
        "recipe": None,
        "container": "to_json",
        "features": [],
        "error": error,
        "description": f"{description} (mutated from {source.id})",
    }
    return Case(meta, {"input": text.encode()})

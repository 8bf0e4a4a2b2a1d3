"""Runs INSIDE one producer venv: builds recipes with that Keras and reports what it wrote.

Started by the orchestrator as ``<venv>/bin/python generator/_worker.py REQUEST.json``; it
uses only the standard library and the producer's Keras. For every recipe it writes one
JSON line to the request's ``out`` file::

    {"recipe", "status": "ok" | "unbuildable", "error",
     "containers": {"to_json": TEXT, "keras-archive": TEXT | null, "h5": TEXT | null},
     "notes": {container: why it is missing or "same as to_json"},
     "expected": {container: canonical document}, "live": {container: document} (lossy only)}

and prints ``@@ <recipe>`` on stdout when it starts one (the progress display reads it).

The canonical document is computed from the LIVE model objects (layers' inbound nodes,
call arguments, tensors' Keras history, the model's own nodes), never from the JSON. Only
each layer's ``class_name`` and ``module`` are copied from the container's own config of
that layer (matched by position, the name checked): they are what the serializer writes
for the class, not wiring.

Normalization rules (where the JSON cannot say what the live model held; the spec
documents them, the corpus marks a case ``lossy`` when ``expected`` != ``live``):

1. keras2 node, first argument: ``Node.serialize`` writes a first argument that is not a
   nested structure as a list of one entry (unless the layer keeps its input structure:
   ``_preserve_input_structure_in_config``, i.e. TFOpLambda, SlicingOpLambda,
   ClassMethod, InstanceProperty, InstanceMethod). So a node that is a list of exactly
   one entry reads as that single value; a live one-element list ``layer([x])`` is lost.
2. keras2 node, other arguments: ``args = [first argument]``; every other positional
   argument is bound to its parameter name (``_call_spec.arg_names[1:]``) and merged into
   ``kwargs`` with the call's own kwargs, as ``Node.serialize`` does (a live
   ``mha(q, v)`` has kwargs ``{"value": v}``, so this is not lossy: the live call is
   expressed the same way).
3. keras2 ``input_layers``/``output_layers``: the release writes a single tensor as a
   list of one triple (``get_network_config``: "Preserve external TF-Keras compat for
   Models with single input"), and Functional.__init__ unwraps a list that flattens to one
   tensor (``inputs[0]``). So a list holding exactly one tensor (at any depth) reads as
   its first item; only a live 1-tuple or a list nesting one tensor deeper is lost.
4. keras3 ``input_layers``/``output_layers`` are read literally: a bare triple is a
   tensor, a list is a list. Releases before 3.11 write a single tensor as a list of one
   triple (``map_tensors``: 3.0-3.3 for any bare tensor, 3.4-3.10 ``[get_tensor_config]``),
   so a single-input model from them is lossy (``live`` has the bare tensor).
5. keras3 values: a KerasTensor is a tensor; None/bool/int/float/str are consts;
   lists/tuples are lists (tuples serialize as JSON arrays); dicts are dicts; anything
   else is what ``serialize_keras_object`` writes for it: a dict with ``class_name`` is an
   ``object`` verbatim (``__slice__``, ``__numpy__``, ``__tensor__``...), plain data is
   expanded (numpy scalars become numbers).
6. keras2 values: keras tensors are tensors; numpy arrays and eager tf.Tensors are
   ``.tolist()``-ed and expanded (``_serialize_keras_tensor``); constants in the first
   argument are ``_CONSTANT_VALUE`` payloads, expanded the same way.
7. References name calls: ``call`` = position of the producing node among the layer's
   nodes that belong to this model and have inputs (InputLayer: no calls, ``[name, 0, i]``).
8. A Sequential's own layers have ``calls: []`` and the Sequential ``inputs``/``outputs``
   are null.
9. keras3 node indices inside nodes (``keras_history[1]``) are read as the call position
   (the 3.3+ rule), but releases wrote other numbers: 3.0-3.1 the raw index into
   ``_inbound_nodes`` (calls the layer got outside this model count too), 3.2 always 0 (``serialize_node`` tests
   ``node not in own_nodes`` with a Node against a set of keys). The expected document
   holds what the rule reads; where that is another call the case is lossy, where it is
   past the layer's calls the file cannot be read by the rule at all and the worker reports
   it as ``unreadable`` (the corpus then lists it as a must-reject case).
10. keras2 kwargs: a constant list that looks like a reference (``[str, int, int]`` or
   with a 4th item, naming a layer of the model) is read as that reference, as tf_keras's
   loader does (``convert_inner_node_data``); the live model held a constant (lossy).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent

# Classes whose keras2 nodes keep the first argument's structure (rule 1); anything else
# with the attribute set is reported, because the spec would have to name it.
PRESERVING_CLASSES = {"TFOpLambda", "SlicingOpLambda", "ClassMethod", "InstanceProperty",
                      "InstanceMethod"}


class RecipeError(Exception):
    """The live model holds something the canonical graph cannot express."""


# --------------------------------------------------------------------------- the producer
class Producer:
    """The producer's Keras, imported once per worker process."""

    def __init__(self, request: dict[str, Any]) -> None:
        self.format = request["format"]
        self.package = request["package"]
        self.version = tuple(int(p) for p in request["version"].split(".")[:3])
        self.tf = None
        if self.format == "keras3":
            import keras

            self.keras = keras
            if request["backend"] == "tensorflow":
                import tensorflow as tf

                self.tf = tf
            from keras import ops

            self.ops = ops
        else:
            import tensorflow as tf

            self.tf = tf
            self.ops = None
            if self.package == "tf_keras":
                import tf_keras

                self.keras = tf_keras
            else:
                self.keras = tf.keras

    def kit(self) -> Any:
        from generator.recipes import Kit

        return Kit(format=self.format, keras=self.keras, version=self.version, tf=self.tf,
                   ops=self.ops)

    def reset(self) -> None:
        """Fresh global state: name counters, graph, seeds."""
        self.keras.backend.clear_session()
        self.keras.utils.set_random_seed(0)


# --------------------------------------------------------------------------- containers
def save_archive(model: Any, tmp: Path) -> str:
    path = tmp / "model.keras"
    model.save(str(path))
    with zipfile.ZipFile(path) as archive:
        return archive.read("config.json").decode("utf-8")


def save_h5(model: Any, tmp: Path) -> str:
    import h5py

    path = tmp / "model.h5"
    model.save(str(path))
    with h5py.File(path, "r") as f:
        config = f.attrs["model_config"]
    return config.decode("utf-8") if isinstance(config, bytes) else str(config)


def containers(model: Any, to_json_only: bool) -> tuple[dict[str, str], dict[str, str]]:
    """The model JSON per container; the other containers only when they differ."""
    texts = {"to_json": model.to_json()}
    notes: dict[str, str] = {}
    reference = json.loads(texts["to_json"])
    savers = (("keras-archive", save_archive), ("h5", save_h5))
    if to_json_only:
        # Real-world models are large: their archives would multiply the corpus size while
        # the small recipes already show every container difference.
        return texts, {name: "not written: real-world recipe, to_json only" for name, _ in savers}
    for name, save in savers:
        try:
            with tempfile.TemporaryDirectory() as tmp:
                text = save(model, Path(tmp))
        except Exception as exc:  # a release that cannot write this container
            notes[name] = f"not written: {type(exc).__name__}: {first_line(exc)}"
            continue
        text = renumber_shared_objects(text)
        if json.loads(text) == reference:
            notes[name] = "same as to_json"
        else:
            texts[name] = text
    return texts, notes


def renumber_shared_objects(text: str) -> str:
    """Replace memory addresses used as ``shared_object_id`` by 1, 2, ... in order of appearance.

    Keras 3 writes ``id(obj)`` there (``record_object_after_serialization``), which differs
    on every run; only equality between ids means anything. The text is re-dumped the way
    Keras dumps it (``json.dumps`` defaults), so nothing else changes.
    """
    if '"shared_object_id"' not in text:
        return text
    data = json.loads(text)
    numbers: dict[int, int] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "shared_object_id" and isinstance(value, int) and value > 1_000_000:
                    node[key] = numbers.setdefault(value, len(numbers) + 1)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    if not numbers:
        return text
    return json.dumps(data)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else ""


# --------------------------------------------------------------------------- live graph
class Graph:
    """Shared logic: walks a live model into canonical dicts (expected and live)."""

    def __init__(self, producer: Producer) -> None:
        self.p = producer
        self.in_node_wire = False  # converting a node's arguments for the expected document
        self.unreadable: list[str] = []  # wire references the spec's numbering cannot resolve

    # -- models
    def document(self, model: Any, config: dict[str, Any]) -> tuple[dict, dict]:
        """(expected, live) documents of `model`; config is the container's model config."""
        expected = self.model(model, config, wire=True)
        live = self.model(model, config, wire=False)
        return ({"format": self.p.format, "model": expected},
                {"format": self.p.format, "model": live})

    def model(self, model: Any, config: dict[str, Any], *, wire: bool) -> dict[str, Any]:
        inner = config.get("config", config)
        layer_configs = inner.get("layers", [])
        sequential = isinstance(model, self.p.keras.Sequential)
        layers = self.config_layers(model, sequential)
        if [layer.name for layer in layers] != [c.get("name", c.get("config", {}).get("name"))
                                               for c in layer_configs]:
            raise RecipeError(
                f"live layer order {[layer.name for layer in layers]} differs from the config's"
            )
        self.layers_by_name = {layer.name: layer for layer in layers}
        calls = {} if sequential else self.calls_by_layer(model, layers)
        index = {} if sequential else self.call_index(calls)
        out_layers = []
        for layer, layer_config in zip(layers, layer_configs, strict=True):
            entry: dict[str, Any] = {
                "name": layer.name,
                "class_name": layer_config["class_name"],
                "module": layer_config.get("module"),
                "calls": [] if sequential else [
                    self.call(layer, node, index, wire=wire) for node in calls[id(layer)]
                ],
            }
            if self.is_model(layer):
                entry["model"] = self.model(layer, layer_config, wire=wire)
                self.layers_by_name = {layer.name: layer for layer in layers}  # back to this model
            out_layers.append(entry)
        doc: dict[str, Any] = {"class_name": config["class_name"], "name": model.name,
                               "inputs": None, "outputs": None, "layers": out_layers}
        if not sequential:
            doc["inputs"] = self.io(self.nested_inputs(model), index, wire=wire)
            doc["outputs"] = self.io(self.nested_outputs(model), index, wire=wire)
        return doc

    def is_model(self, layer: Any) -> bool:
        return isinstance(layer, self.p.keras.Model)

    def config_layers(self, model: Any, sequential: bool) -> list[Any]:
        if sequential:
            # Sequential.get_config iterates `super().layers`, which keeps the InputLayer.
            return list(super(self.p.keras.Sequential, model).layers)
        return self.functional_layers(model)

    def call_index(self, calls: dict[int, list[Any]]) -> dict[Any, int]:
        """id(node) -> its position among its layer's calls in this model; ("calls", id(layer)) -> count."""
        index: dict[Any, int] = {id(node): i for nodes in calls.values() for i, node in enumerate(nodes)}
        index.update({("calls", layer_id): len(nodes) for layer_id, nodes in calls.items()})
        return index

    def tensor(self, t: Any, index: dict[int, int]) -> dict[str, Any]:
        layer, node_index, tensor_index = self.history(t)
        if self.is_input_layer(layer):
            return {"tensor": [layer.name, 0, tensor_index]}
        node = layer._inbound_nodes[node_index]
        if id(node) not in index:
            raise RecipeError(f"tensor from {layer.name} node {node_index} is not in the model")
        return {"tensor": [layer.name, index[id(node)], tensor_index]}

    def const(self, v: Any) -> dict[str, Any]:
        return {"const": v}

    def plain(self, v: Any, convert: Any) -> dict[str, Any] | None:
        """Scalars and containers, shared by both formats; None for anything else."""
        if v is None or isinstance(v, (bool, str)):
            return {"const": v}
        if isinstance(v, (int, float)):
            return {"const": v}
        if isinstance(v, (list, tuple)):
            return {"list": [convert(x) for x in v]}
        if isinstance(v, dict):
            return {"dict": {str(k): convert(x) for k, x in v.items()}}
        return None

    def io(self, struct: Any, index: dict[int, int], *, wire: bool) -> dict[str, Any]:
        value = self.value(struct, index)
        if wire and self.wraps_single_io(struct):
            value = {"list": [value]}
        return value


class Keras3Graph(Graph):
    def functional_layers(self, model: Any) -> list[Any]:
        # Functional.get_config iterates `self.operations` (layers and ops layers).
        return list(getattr(model, "operations", model.layers))

    def calls_by_layer(self, model: Any, layers: list[Any]) -> dict[int, list[Any]]:
        from keras.src.ops.function import make_node_key

        own = model._nodes
        return {
            id(layer): [
                node for i, node in enumerate(layer._inbound_nodes)
                if make_node_key(layer, i) in own and node.input_tensors
            ]
            for layer in layers
        }

    def history(self, t: Any) -> tuple[Any, int, int]:
        h = t._keras_history
        return h[0], h[1], h[2]

    def is_input_layer(self, layer: Any) -> bool:
        return isinstance(layer, self.p.keras.layers.InputLayer)

    def nested_inputs(self, model: Any) -> Any:
        return model._inputs_struct

    def nested_outputs(self, model: Any) -> Any:
        return model._outputs_struct

    def wraps_single_io(self, struct: Any) -> bool:
        # Rule 4: before 3.11 `map_tensors` wrapped a bare tensor in a list.
        from keras.src.backend import KerasTensor

        return self.p.version < (3, 11) and isinstance(struct, KerasTensor)

    def call(self, layer: Any, node: Any, index: dict[int, int], *, wire: bool) -> dict:
        args = node.arguments.args
        kwargs = node.arguments.kwargs
        self.in_node_wire = wire
        try:
            return {"args": [self.value(a, index) for a in args],
                    "kwargs": {str(k): self.value(v, index) for k, v in kwargs.items()}}
        finally:
            self.in_node_wire = False

    def tensor(self, t: Any, index: dict[Any, int]) -> dict[str, Any]:
        """Inside nodes, the expected document reads the node index the release wrote (rule 9)."""
        canonical = super().tensor(t, index)
        layer, raw, tensor_index = self.history(t)
        if not self.in_node_wire or self.is_input_layer(layer):
            return canonical
        call = canonical["tensor"][1]
        if self.p.version < (3, 2):
            written = raw  # serialize_node wrote the raw history: every node of the layer counts
        elif self.p.version < (3, 3):
            written = 0  # 3.2: `node not in own_nodes` compares a Node with keys: always 0
        else:
            written = call
        if written != call and written >= index[("calls", id(layer))]:
            self.unreadable.append(
                f"{layer.name} call {call} is written as node {written}, "
                f"but it has {index[('calls', id(layer))]} call(s) in this model"
            )
        return {"tensor": [layer.name, written, tensor_index]}

    def value(self, v: Any, index: dict[int, int]) -> dict[str, Any]:
        from keras.src.backend import KerasTensor

        if isinstance(v, KerasTensor):
            return self.tensor(v, index)
        plain = self.plain(v, lambda x: self.value(x, index))
        if plain is not None:
            return plain
        serialized = self.p.keras.saving.serialize_keras_object(v)
        if isinstance(serialized, dict) and "class_name" in serialized:
            return {"object": json.loads(json.dumps(serialized))}
        if serialized is v:
            raise RecipeError(f"cannot express a {type(v).__name__} value")
        return self.value(serialized, index)


class Keras2Graph(Graph):
    def functional_layers(self, model: Any) -> list[Any]:
        # get_network_config iterates `network.layers`.
        return list(model.layers)

    def calls_by_layer(self, model: Any, layers: list[Any]) -> dict[int, list[Any]]:
        own = model._network_nodes
        return {
            id(layer): [
                node for i, node in enumerate(layer._inbound_nodes)
                if f"{layer.name}_ib-{i}" in own and not node.is_input
            ]
            for layer in layers
        }

    def history(self, t: Any) -> tuple[Any, int, int]:
        h = t._keras_history
        return h.layer, h.node_index, h.tensor_index

    def is_input_layer(self, layer: Any) -> bool:
        return isinstance(layer, self.p.keras.layers.InputLayer)

    def nested_inputs(self, model: Any) -> Any:
        return model._nested_inputs

    def nested_outputs(self, model: Any) -> Any:
        return model._nested_outputs

    def wraps_single_io(self, struct: Any) -> bool:
        return False  # see io()

    def io(self, struct: Any, index: dict[int, int], *, wire: bool) -> dict[str, Any]:
        if not wire:
            return self.value(struct, index)
        # Rule 3: get_network_config writes a non-nested structure as a list of one triple;
        # a list holding a single tensor (at any depth) reads as its first item.
        written = [struct] if self.is_keras_tensor(struct) else struct
        if isinstance(written, (list, tuple)) and len(self.p.tf.nest.flatten(written)) == 1:
            return self.value(written[0], index)
        return self.value(written, index)

    def is_keras_tensor(self, v: Any) -> bool:
        # Node.serialize's own test: anything with a Keras history is a reference.
        return hasattr(v, "_keras_history")

    def call(self, layer: Any, node: Any, index: dict[int, int], *, wire: bool) -> dict:
        # Exactly what Node.serialize does with the live call (rule 2).
        spec = layer._call_spec
        first, rest, kwargs = spec.split_out_first_arg(node.call_args, node.call_kwargs)
        named = dict(zip(spec.arg_names[1:], rest, strict=False))
        named.update(kwargs)
        preserving = bool(getattr(layer, "_preserve_input_structure_in_config", False))
        if preserving and type(layer).__name__ not in PRESERVING_CLASSES:
            raise RecipeError(f"{type(layer).__name__} keeps its input structure: name it in the spec")
        arg = self.value(first, index)
        if (wire and not preserving and isinstance(first, (list, tuple)) and len(first) == 1
                and not self.p.tf.nest.is_nested(first[0])):
            arg = self.value(first[0], index)  # rule 1: a list of one entry is that entry
        if wire:
            kwargs = {str(k): self.kwarg(v, index, self.layers_by_name) for k, v in named.items()}
        else:
            kwargs = {str(k): self.value(v, index) for k, v in named.items()}
        return {"args": [arg], "kwargs": kwargs}

    def value(self, v: Any, index: dict[int, int]) -> dict[str, Any]:
        import numpy as np

        if self.is_keras_tensor(v):
            return self.tensor(v, index)
        if isinstance(v, (np.ndarray, np.generic)):
            return self.value(v.tolist(), index)
        if self.p.tf.is_tensor(v) and hasattr(v, "numpy"):
            return self.value(v.numpy().tolist(), index)
        plain = self.plain(v, lambda x: self.value(x, index))
        if plain is not None:
            return plain
        # Anything else is written by the JSON encoder's default hook (to_json passes
        # `default=json_utils.get_json_type`): expand what it writes, e.g. Ellipsis ->
        # {"class_name": "__ellipsis__"}, a DType -> its name.
        encoded = json.loads(json.dumps(v, default=self.json_default()))
        if isinstance(encoded, dict) and "class_name" in encoded:
            return {"object": encoded}  # a typed value json_utils decodes back (rule 6)
        if encoded is v:
            raise RecipeError(f"cannot express a {type(v).__name__} value in keras2")
        return self.value(encoded, index)

    def kwarg(self, v: Any, index: dict[Any, int], layers: dict[str, Any]) -> dict[str, Any]:
        """A kwargs value as the reading rule sees it: a constant list that looks like a
        reference ([str, int, int] or with a 4th item) IS read as one (rule 10)."""
        if (isinstance(v, (list, tuple)) and len(v) in (3, 4) and isinstance(v[0], str)
                and not self.is_keras_tensor(v[0]) and isinstance(v[1], int)
                and isinstance(v[2], int) and v[0] in layers):
            layer = layers[v[0]]
            if self.is_input_layer(layer):
                return {"tensor": [v[0], v[1], v[2]]}
            return {"tensor": [v[0], v[1] - self.first_wire_index(layer), v[2]]}
        if isinstance(v, (list, tuple)) and not self.is_keras_tensor(v):
            return {"list": [self.kwarg(x, index, layers) for x in v]}
        if isinstance(v, dict):
            return {"dict": {str(k): self.kwarg(x, index, layers) for k, x in v.items()}}
        return self.value(v, index)

    def first_wire_index(self, layer: Any) -> int:
        """keras2 numbers a nested Functional's (or InputLayer-first Sequential's) calls from 1."""
        trackables = getattr(layer, "_self_tracked_trackables", None)
        return int(bool(trackables) and isinstance(layer, self.p.keras.Model)
                   and getattr(layer, "_is_graph_network", False)
                   and isinstance(trackables[0], self.p.keras.layers.InputLayer))

    def json_default(self) -> Any:
        for module in ("tf_keras.src.saving.legacy.saved_model.json_utils",
                       "keras.src.saving.legacy.saved_model.json_utils",
                       "keras.saving.legacy.saved_model.json_utils"):
            try:
                return __import__(module, fromlist=["get_json_type"]).get_json_type
            except ImportError:
                continue
        raise RecipeError("no json_utils.get_json_type in this release")


# --------------------------------------------------------------------------- one recipe
def run_recipe(producer: Producer, graph_cls: type[Graph], recipe: Any) -> dict[str, Any]:
    producer.reset()
    try:
        model = recipe.build(producer.kit())
        texts, notes = containers(model, to_json_only="real-world" in recipe.tags)
    except Exception as exc:
        return {"recipe": recipe.name, "status": "unbuildable",
                "error": f"{type(exc).__name__}: {first_line(exc)}"}
    expected: dict[str, Any] = {}
    live: dict[str, Any] = {}
    unreadable: dict[str, list[str]] = {}
    for container, text in texts.items():
        graph = graph_cls(producer)
        exp, liv = graph.document(model, json.loads(text))
        expected[container] = exp
        if exp != liv:
            live[container] = liv
        if graph.unreadable:
            unreadable[container] = graph.unreadable
    return {"recipe": recipe.name, "status": "ok", "containers": texts, "notes": notes,
            "expected": expected, "live": live, "unreadable": unreadable}


def call_signatures(producer: Producer) -> dict[str, Any]:
    """Every public layer class's ``call`` parameters (for spec/generated/call-parameters.md)."""
    import inspect

    base = producer.keras.layers.Layer
    merge_base = None
    # The merge base class of *this* producer (a tf_keras venv also holds keras 3).
    modules = {"tf_keras": ("tf_keras.src.layers.merging.base_merge",),
               "keras": ("keras.src.layers.merging.base_merge",),
               "tensorflow": ("keras.src.layers.merging.base_merge", "keras.layers.merging.base_merge")}
    for module in modules[producer.package]:
        try:
            found = __import__(module, fromlist=["Merge"])
        except ImportError:
            continue
        merge_base = getattr(found, "Merge", None) or getattr(found, "_Merge", None)  # keras2: _Merge
        break
    out: dict[str, Any] = {}
    for name in sorted(dir(producer.keras.layers)):
        cls = getattr(producer.keras.layers, name)
        if not isinstance(cls, type) or not issubclass(cls, base) or cls.__name__ != name:
            continue
        try:
            signature = inspect.signature(cls.call)
        except (TypeError, ValueError):
            continue
        params = []
        for p in signature.parameters.values():
            if p.name == "self":
                continue
            default = None if p.default is inspect.Parameter.empty else repr(p.default)
            params.append({"name": p.name, "kind": p.kind.name, "default": default})
        out[name] = {
            "params": params,
            # Called on a list of tensors: the merge layers and the dot-product attentions.
            "list_input": bool(merge_base and issubclass(cls, merge_base))
            or name in ("Attention", "AdditiveAttention"),
        }
    return out


def main(request_path: str) -> int:
    request = json.loads(Path(request_path).read_text())
    if request["format"] == "keras3":
        os.environ["KERAS_BACKEND"] = request["backend"]
    sys.path.insert(0, str(REPO_ROOT))
    producer = Producer(request)
    from generator.recipes import RECIPES

    graph_cls = Keras3Graph if producer.format == "keras3" else Keras2Graph
    if request.get("signatures_out"):
        Path(request["signatures_out"]).write_text(json.dumps(call_signatures(producer), sort_keys=True))
    wanted = request.get("recipes") or sorted(RECIPES)
    with open(request["out"], "w", encoding="utf-8") as out:
        for name in wanted:
            recipe = RECIPES[name]
            if producer.format not in recipe.formats:
                continue
            print(f"@@ {name}", flush=True)
            minimum = recipe.min_version.get(producer.format)
            if minimum and producer.version < tuple(minimum):
                result = {"recipe": name, "status": "unbuildable",
                          "error": f"needs {producer.package} >= "
                                   f"{'.'.join(map(str, minimum))} (recipe min_version)"}
            else:
                try:
                    result = run_recipe(producer, graph_cls, recipe)
                except Exception as exc:  # our bug or an inexpressible model: report, go on
                    result = {"recipe": name, "status": "failed",
                              "error": f"{type(exc).__name__}: {first_line(exc)}",
                              "traceback": traceback.format_exc()[-3000:]}
            out.write(json.dumps(result, sort_keys=True) + "\n")
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

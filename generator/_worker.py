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
from typing import Any, cast

REPO_ROOT = Path(__file__).resolve().parent.parent

# Classes whose keras2 nodes keep the first argument's structure (rule 1; kerasspec.vocabulary.STRUCTURE_PRESERVING,
# copied because the worker runs where kerasspec is not installed); anything else
# with the attribute set is reported, because the spec would have to name it.
PRESERVING_CLASSES = {"TFOpLambda", "SlicingOpLambda", "ClassMethod", "InstanceProperty", "InstanceMethod"}


class RecipeError(Exception):
    """The live model holds something the canonical graph cannot express."""


class NotInGraph(RecipeError):
    """A call's argument comes from a layer the model does not hold (standalone Keras tracked only
    the first argument's tensors, so layers feeding keyword arguments alone are left out)."""


# --------------------------------------------------------------------------- the producer
def release_version(text: str) -> tuple[int, ...]:
    """``"3.15.1"`` -> ``(3, 15, 1)``: kerasspec.vocabulary.Producer's ``version``, cut to three parts
    (copied: the worker runs where kerasspec is not installed; tests/generator/test_vocabulary.py ties them)."""
    return tuple(int(p) for p in text.split(".")[:3])


def is_legacy(format: str, package: str) -> bool:
    """Standalone Keras 1.x and 2.0-2.3 (package "keras" writing keras2), run on Theano:
    kerasspec.vocabulary.Producer's ``old_era``, told from the request's fields."""
    return format == "keras2" and package == "keras"


class Producer:
    """The producer's Keras, imported once per worker process."""

    def __init__(self, request: dict[str, Any]) -> None:
        self.format = request["format"]
        self.package = request["package"]
        self.version = release_version(request["version"])
        self.keras: Any
        self.ops: Any
        self.tf: Any = None
        self.legacy = is_legacy(self.format, self.package)
        if self.legacy:
            restore_collections_aliases()
            import keras

            self.keras = keras
            self.ops = None
        elif self.format == "keras3":
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

        return Kit(format=self.format, keras=self.keras, version=self.version, tf=self.tf, ops=self.ops)

    def reset(self) -> None:
        """Fresh global state: name counters, graph, seeds."""
        if self.legacy:
            import random

            import numpy as np

            # The Theano backend's only global state is its name counters (1.x keeps them in backend.common).
            backend = self.keras.backend
            reset_uids = getattr(backend, "reset_uids", None) or backend.common.reset_uids
            reset_uids()
            random.seed(0)
            np.random.seed(0)
            return
        self.keras.backend.clear_session()
        self.keras.utils.set_random_seed(0)


# Python 3.10 removed these aliases; Keras 1.x-2.3 and Theano 1.0.5 still import them from collections.
_COLLECTIONS_ALIASES = ("Iterable", "Mapping", "MutableMapping", "Sequence", "Callable")


def restore_collections_aliases() -> None:
    """Also ``inspect.getargspec`` (removed in 3.11), which Keras 1's Lambda and merge call."""
    import collections
    import collections.abc
    import inspect

    for name in _COLLECTIONS_ALIASES:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))
    if not hasattr(inspect, "getargspec"):
        ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")

        def getargspec(function: Any) -> Any:
            full = inspect.getfullargspec(function)
            return ArgSpec(full.args, full.varargs, full.varkw, full.defaults)

        inspect.getargspec = getargspec  # type: ignore[attr-defined]


def legacy_environment(workdir: str) -> None:
    """Theano in its pure-Python mode: no BLAS detection, no C compiler, its cache in the work dir."""
    os.environ["KERAS_BACKEND"] = "theano"
    os.environ["THEANO_FLAGS"] = f"blas.ldflags=,cxx=,device=cpu,base_compiledir={workdir}/theano"


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


def containers(model: Any, to_json_only: bool, legacy: bool = False) -> tuple[dict[str, str], dict[str, str]]:
    """The model JSON per container; the other containers only when they differ."""
    texts = {"to_json": model.to_json()}
    notes: dict[str, str] = {}
    reference = json.loads(texts["to_json"])
    savers: tuple[tuple[str, Any], ...] = (("keras-archive", save_archive), ("h5", save_h5))
    if legacy:
        # model.save() of these releases writes HDF5 whatever the file name says.
        notes["keras-archive"] = "not written: the .keras archive did not exist before tf.keras 2.13 and Keras 3"
        savers = savers[1:]
    if to_json_only:
        # Real-world models are large: their archives would multiply the corpus size while
        # the small recipes already show every container difference.
        return texts, {**notes, **{name: "not written: real-world recipe, to_json only" for name, _ in savers}}
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


def written_name(layer_config: dict[str, Any]) -> str | None:
    """A layer's name as the file holds it: its ``name`` member, else its config's (None: nowhere)."""
    if "name" in layer_config:
        name: str | None = layer_config["name"]
        return name
    inner = layer_config.get("config")
    return inner.get("name") if isinstance(inner, dict) else None


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
    def document(self, model: Any, config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """(expected, live) documents of `model`; config is the container's model config."""
        expected = self.model(model, config, wire=True)
        live = self.model(model, config, wire=False)
        return ({"format": self.p.format, "model": expected}, {"format": self.p.format, "model": live})

    def model(self, model: Any, config: dict[str, Any], *, wire: bool) -> dict[str, Any]:
        inner = config.get("config", config)
        # Keras 1.x to 2.2.2 write a Sequential's config as the bare list of its layers.
        layer_configs = inner if isinstance(inner, list) else inner.get("layers", [])
        sequential = self.is_sequential(model)
        layers = self.config_layers(model, sequential)
        written = [written_name(c) for c in layer_configs]
        self.check_layers(layers, written)
        self.layers_by_name = {layer.name: layer for layer in layers}
        calls = {} if sequential else self.calls_by_layer(model, layers)
        index = {} if sequential else self.call_index(calls)
        out_layers = []
        for layer, layer_config, name in zip(layers, layer_configs, written, strict=True):
            entry: dict[str, Any] = {
                # The live name, unless the file holds none (a model in a list-shaped Sequential
                # config): then the reading is null and the case lossy.
                "name": layer.name if name is not None or not wire else None,
                "class_name": layer_config["class_name"],
                "module": layer_config.get("module"),
                "calls": [] if sequential else [self.call(layer, node, index, wire=wire) for node in calls[id(layer)]],
            }
            if self.is_model(layer):
                entry["model"] = self.model(layer, layer_config, wire=wire)
                self.layers_by_name = {layer.name: layer for layer in layers}  # back to this model
            out_layers.append(entry)
        unnamed = isinstance(inner, list) and not isinstance(config.get("name"), str)
        doc: dict[str, Any] = {
            "class_name": config["class_name"],
            "name": None if wire and unnamed else model.name,
            "inputs": None,
            "outputs": None,
            "layers": out_layers,
        }
        if not sequential:
            doc["inputs"] = self.io(self.nested_inputs(model), index, wire=wire)
            doc["outputs"] = self.io(self.nested_outputs(model), index, wire=wire)
        return doc

    def check_layers(self, layers: list[Any], written: list[str | None]) -> None:
        """RecipeError unless the live layers are the config's, in its order (a name the file omits matches any)."""
        if [layer.name for layer, name in zip(layers, written, strict=False) if name is not None] != [
            name for name in written if name is not None
        ] or len(layers) != len(written):
            raise RecipeError(f"live layer order {[layer.name for layer in layers]} differs from the config's")

    def is_model(self, layer: Any) -> bool:
        return isinstance(layer, self.p.keras.Model)

    def is_sequential(self, model: Any) -> bool:
        return isinstance(model, self.p.keras.Sequential)

    def config_layers(self, model: Any, sequential: bool) -> list[Any]:
        if sequential:
            # Sequential.get_config iterates `super().layers`, which keeps the InputLayer.
            inherited: Any = super(self.p.keras.Sequential, model)  # a Keras class mypy cannot see
            return list(inherited.layers)
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

    # -- what each Keras era's graph supplies
    def functional_layers(self, model: Any) -> list[Any]:
        raise NotImplementedError

    def calls_by_layer(self, model: Any, layers: list[Any]) -> dict[int, list[Any]]:
        raise NotImplementedError

    def call(self, layer: Any, node: Any, index: dict[int, int], *, wire: bool) -> dict[str, Any]:
        raise NotImplementedError

    def history(self, t: Any) -> tuple[Any, int, int]:
        raise NotImplementedError

    def is_input_layer(self, layer: Any) -> bool:
        raise NotImplementedError

    def nested_inputs(self, model: Any) -> Any:
        raise NotImplementedError

    def nested_outputs(self, model: Any) -> Any:
        raise NotImplementedError

    def wraps_single_io(self, struct: Any) -> bool:
        raise NotImplementedError

    def value(self, v: Any, index: dict[int, int]) -> dict[str, Any]:
        raise NotImplementedError


class Keras3Graph(Graph):
    def functional_layers(self, model: Any) -> list[Any]:
        # Functional.get_config iterates `self.operations` (layers and ops layers).
        return list(getattr(model, "operations", model.layers))

    def calls_by_layer(self, model: Any, layers: list[Any]) -> dict[int, list[Any]]:
        from keras.src.ops.function import make_node_key

        own = model._nodes
        return {
            id(layer): [
                node
                for i, node in enumerate(layer._inbound_nodes)
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

    def call(self, layer: Any, node: Any, index: dict[int, int], *, wire: bool) -> dict[str, Any]:
        args = node.arguments.args
        kwargs = node.arguments.kwargs
        self.in_node_wire = wire
        try:
            return {
                "args": [self.value(a, index) for a in args],
                "kwargs": {str(k): self.value(v, index) for k, v in kwargs.items()},
            }
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
                node
                for i, node in enumerate(layer._inbound_nodes)
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

    def call(self, layer: Any, node: Any, index: dict[int, int], *, wire: bool) -> dict[str, Any]:
        # Exactly what Node.serialize does with the live call (rule 2).
        spec = layer._call_spec
        first, rest, kwargs = spec.split_out_first_arg(node.call_args, node.call_kwargs)
        named = dict(zip(spec.arg_names[1:], rest, strict=False))
        named.update(kwargs)
        preserving = bool(getattr(layer, "_preserve_input_structure_in_config", False))
        if preserving and type(layer).__name__ not in PRESERVING_CLASSES:
            raise RecipeError(f"{type(layer).__name__} keeps its input structure: name it in the spec")
        arg = self.value(first, index)
        if (
            wire
            and not preserving
            and isinstance(first, (list, tuple))
            and len(first) == 1
            and not self.p.tf.nest.is_nested(first[0])
        ):
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
        if (
            isinstance(v, (list, tuple))
            and len(v) in (3, 4)
            and isinstance(v[0], str)
            and not self.is_keras_tensor(v[0])
            and isinstance(v[1], int)
            and isinstance(v[2], int)
            and v[0] in layers
        ):
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
        trackables: Any = getattr(layer, "_self_tracked_trackables", None)
        return int(
            bool(trackables)
            and isinstance(layer, self.p.keras.Model)
            and getattr(layer, "_is_graph_network", False)
            and isinstance(trackables[0], self.p.keras.layers.InputLayer)
        )

    def json_default(self) -> Any:
        for module in (
            "tf_keras.src.saving.legacy.saved_model.json_utils",
            "keras.src.saving.legacy.saved_model.json_utils",
            "keras.saving.legacy.saved_model.json_utils",
        ):
            try:
                return __import__(module, fromlist=["get_json_type"]).get_json_type
            except ImportError:
                continue
        raise RecipeError("no json_utils.get_json_type in this release")


class LegacyGraph(Graph):
    """Standalone Keras 1.x and 2.0-2.3: the keras2 wire as ``Container.get_config`` wrote it.

    Live nodes hold ``inbound_layers``/``node_indices``/``tensor_indices`` (the first argument,
    always a list) and, from 2.0, ``arguments`` (the call's other keyword arguments). The writer:
    a list of one entry is the single tensor (rule 1); ``arguments`` are written only when
    ``json.dumps`` takes them, else dropped whole (so kwargs holding tensors are lost: lossy);
    Keras 1 writes no kwargs at all. Every nested model (Sequential included) is numbered from 1.
    """

    misnumbered: frozenset[str] | set[str] = frozenset()  # nested Sequentials an undated file misreads

    def document(self, model: Any, config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        # The spec dates a file by its keras_version, else (an .h5 model_config) by its top level
        # alone: a top-level Model or a list-shaped config. A file it does not date is read with
        # the later numbering, where a nested Sequential without an InputLayer counts from 0.
        dated = (
            "keras_version" in config or config.get("class_name") == "Model" or isinstance(config.get("config"), list)
        )
        self.misnumbered = set() if dated else unnumbered_sequentials(config)
        return super().document(model, config)

    def is_model(self, layer: Any) -> bool:
        return isinstance(layer, self.p.keras.models.Model)

    def is_sequential(self, model: Any) -> bool:
        return isinstance(model, self.p.keras.models.Sequential)

    def functional_layers(self, model: Any) -> list[Any]:
        return list(model.layers)

    def config_layers(self, model: Any, sequential: bool) -> list[Any]:
        if not sequential:
            return self.functional_layers(model)
        # Sequential.get_config iterates `self.layers`, which omits the InputLayer Keras adds.
        return list(model.layers)

    @staticmethod
    def inbound(layer: Any) -> list[Any]:
        nodes: list[Any] | None = getattr(layer, "_inbound_nodes", None)
        return nodes if nodes is not None else layer.inbound_nodes

    @staticmethod
    def own_nodes(model: Any) -> set[str]:
        for attribute in ("_network_nodes", "_container_nodes", "container_nodes"):
            nodes = getattr(model, attribute, None)
            if nodes is not None:
                return set(nodes)
        raise RecipeError("no container nodes in this release")

    def calls_by_layer(self, model: Any, layers: list[Any]) -> dict[int, list[Any]]:
        own = self.own_nodes(model)
        return {
            id(layer): [
                node
                for i, node in enumerate(self.inbound(layer))
                if f"{layer.name}_ib-{i}" in own and node.inbound_layers
            ]
            for layer in layers
        }

    def history(self, t: Any) -> tuple[Any, int, int]:
        layer, node_index, tensor_index = t._keras_history
        return layer, node_index, tensor_index

    def is_input_layer(self, layer: Any) -> bool:
        return type(layer).__name__ == "InputLayer"

    def tensor(self, t: Any, index: dict[Any, int]) -> dict[str, Any]:
        return self.node_tensor(*self.history(t), index)

    def node_tensor(
        self, layer: Any, node_index: int, tensor_index: int, index: dict[Any, int], *, wire: bool = False
    ) -> dict[str, Any]:
        if self.is_input_layer(layer):
            return {"tensor": [layer.name, 0, tensor_index]}
        node = self.inbound(layer)[node_index]
        if id(node) not in index:
            raise NotInGraph(
                f"tensor from {layer.name} node {node_index} is not in the model: this release "
                "leaves out layers that feed keyword arguments only"
            )
        call = index[id(node)]
        if wire and layer.name in self.misnumbered:
            # Written as node call + 1 (every nested model counts from 1), read from 0.
            calls = index[("calls", id(layer))]
            if call + 1 >= calls:
                self.unreadable.append(
                    f"{layer.name} call {call} is written as node {call + 1}, which an undated file "
                    f"reads as call {call + 1}, but it has {calls} call(s) in this model"
                )
            return {"tensor": [layer.name, call + 1, tensor_index]}
        return {"tensor": [layer.name, call, tensor_index]}

    def nested_inputs(self, model: Any) -> Any:
        return self.coordinates(model, "input")

    def nested_outputs(self, model: Any) -> Any:
        return self.coordinates(model, "output")

    def coordinates(self, model: Any, side: str) -> list[tuple[Any, int, int, bool]]:
        """(layer, node index, tensor index, in the model's graph) of each input or output, as recorded when built."""
        recorded = getattr(model, f"_{side}_coordinates", None)  # 2.2.0 on
        if recorded is None:
            recorded = zip(
                getattr(model, f"{side}_layers"),
                getattr(model, f"{side}_layers_node_indices"),
                getattr(model, f"{side}_layers_tensor_indices"),
                strict=True,
            )
        own = self.own_nodes(model)
        return [
            (layer, node_index, tensor_index, f"{layer.name}_ib-{node_index}" in own)
            for layer, node_index, tensor_index in recorded
        ]

    def wraps_single_io(self, struct: Any) -> bool:
        return False

    def io(self, struct: Any, index: dict[int, int], *, wire: bool) -> dict[str, Any]:
        # These releases keep inputs and outputs as flat lists and write them so (rule 3).
        if wire:
            # 2.2.x skip an input the model's graph never reaches (a mask passed as a keyword
            # argument, which these releases do not track): the file loses it (lossy).
            struct = [coordinates for coordinates in struct if coordinates[3]]
        tensors = [self.node_tensor(layer, node, tensor, index, wire=wire) for layer, node, tensor, _ in struct]
        return tensors[0] if len(tensors) == 1 else {"list": tensors}

    def is_keras_tensor(self, v: Any) -> bool:
        return hasattr(v, "_keras_history")

    def call(self, layer: Any, node: Any, index: dict[int, int], *, wire: bool) -> dict[str, Any]:
        # The node's own record of its inputs: a tensor returned twice from a nested model's
        # output cache has its _keras_history overwritten by the later call.
        tensors = [
            self.node_tensor(inbound, node_index, tensor_index, index, wire=wire)
            for inbound, node_index, tensor_index in zip(
                node.inbound_layers, node.node_indices, node.tensor_indices, strict=True
            )
        ]
        arg = tensors[0] if len(tensors) == 1 else {"list": tensors}  # rule 1
        written = dict(getattr(node, "arguments", None) or {})
        arguments = dict(written)
        mask = arguments.get("mask")
        if mask is not None and not self.is_keras_tensor(mask) and not isinstance(mask, (list, tuple)):
            # 2.0.0-2.0.x put the incoming mask (a backend tensor, not a Keras tensor) into the
            # arguments themselves; the caller passed none.
            del arguments["mask"]
        if not wire:
            return {"args": [arg], "kwargs": {str(k): self.value(v, index) for k, v in arguments.items()}}
        if self.p.version < (2,):
            arguments = {}  # Keras 1 writes entries of three items: no kwargs at all
        try:
            json.dumps(written)
        except TypeError:
            arguments = {}  # get_config drops arguments json.dumps refuses (tensors), with a warning
        return {"args": [arg], "kwargs": {str(k): self.kwarg(v, index) for k, v in arguments.items()}}

    def kwarg(self, v: Any, index: dict[Any, int]) -> dict[str, Any]:
        """Rule 10, where every nested model counts from 1."""
        if (
            isinstance(v, (list, tuple))
            and len(v) in (3, 4)
            and isinstance(v[0], str)
            and isinstance(v[1], int)
            and isinstance(v[2], int)
            and v[0] in self.layers_by_name
        ):
            layer = self.layers_by_name[v[0]]
            first = 0 if self.is_input_layer(layer) or not self.is_model(layer) else 1
            return {"tensor": [v[0], v[1] - first, v[2]]}
        if isinstance(v, (list, tuple)):
            return {"list": [self.kwarg(x, index) for x in v]}
        if isinstance(v, dict):
            return {"dict": {str(k): self.kwarg(x, index) for k, x in v.items()}}
        return self.value(v, index)

    def value(self, v: Any, index: dict[int, int]) -> dict[str, Any]:
        import numpy as np

        if self.is_keras_tensor(v):
            return self.tensor(v, index)
        if isinstance(v, (np.ndarray, np.generic)):
            return self.value(v.tolist(), index)
        plain = self.plain(v, lambda x: self.value(x, index))
        if plain is not None:
            return plain
        raise RecipeError(f"cannot express a {type(v).__name__} value")


def unnumbered_sequentials(config: Any) -> set[str]:
    """Names of the nested Sequentials whose config does not start with an InputLayer (spec §3.8
    numbers their calls from 0), anywhere in a model JSON."""
    found: set[str] = set()
    pending = [config]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            inner = item.get("config")
            layers = inner if isinstance(inner, list) else inner.get("layers") if isinstance(inner, dict) else None
            if item.get("class_name") == "Sequential" and isinstance(layers, list) and item is not config:
                first = layers[0] if layers else {}
                if not (isinstance(first, dict) and first.get("class_name") == "InputLayer"):
                    found.add(item.get("name") or (inner.get("name") if isinstance(inner, dict) else None) or "")
            pending.extend(value for value in item.values() if isinstance(value, (dict, list)))
    return found


# --------------------------------------------------------------------------- one recipe
def run_recipe(producer: Producer, graph_cls: type[Graph], recipe: Any) -> dict[str, Any]:
    producer.reset()
    try:
        model = recipe.build(producer.kit())
        texts, notes = containers(model, to_json_only="real-world" in recipe.tags, legacy=producer.legacy)
    except Exception as exc:
        return {"recipe": recipe.name, "status": "unbuildable", "error": f"{type(exc).__name__}: {first_line(exc)}"}
    expected: dict[str, Any] = {}
    live: dict[str, Any] = {}
    unreadable: dict[str, list[str]] = {}
    for container, text in texts.items():
        graph = graph_cls(producer)
        try:
            exp, liv = graph.document(model, json.loads(text))
        except NotInGraph as exc:
            return {"recipe": recipe.name, "status": "unbuildable", "error": f"{type(exc).__name__}: {exc}"}
        expected[container] = exp
        if exp != liv:
            live[container] = liv
        if graph.unreadable:
            unreadable[container] = graph.unreadable
    return {
        "recipe": recipe.name,
        "status": "ok",
        "containers": texts,
        "notes": notes,
        "expected": expected,
        "live": live,
        "unreadable": unreadable,
    }


def call_signatures(producer: Producer) -> dict[str, Any]:
    """Every public layer class's ``call`` parameters (for spec/generated/call-parameters.md)."""
    import inspect

    base = producer.keras.layers.Layer
    merge_base = None
    # The merge base class of *this* producer (a tf_keras venv also holds keras 3).
    modules = {
        "tf_keras": ("tf_keras.src.layers.merging.base_merge",),
        "keras": ("keras.src.layers.merging.base_merge",),
        "tensorflow": ("keras.src.layers.merging.base_merge", "keras.layers.merging.base_merge"),
    }
    if producer.legacy:
        # Keras 2.x: keras.layers.merge._Merge; Keras 1.x: the Merge layer itself (engine.topology).
        modules = {"keras": ("keras.layers.merge", "keras.engine.topology")}
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
            signature = inspect.signature(cast(Any, cls).call)
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
    elif request["backend"] == "theano":
        legacy_environment(os.getcwd())
    sys.path.insert(0, str(REPO_ROOT))
    producer = Producer(request)
    from generator.recipes import RECIPES

    graph_cls: type[Graph] = (
        Keras3Graph if producer.format == "keras3" else LegacyGraph if producer.legacy else Keras2Graph
    )
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
            maximum = recipe.max_version.get(producer.format)
            if maximum and producer.version >= tuple(maximum):
                continue  # not this producer's era: no case, nothing unbuildable to record
            if producer.legacy and "real-world" in recipe.tags:
                continue  # keras.applications models of later releases; minutes each on pure-Python Theano
            if minimum and producer.version < tuple(minimum):
                result = {
                    "recipe": name,
                    "status": "unbuildable",
                    "error": f"needs {producer.package} >= {'.'.join(map(str, minimum))} (recipe min_version)",
                }
            else:
                try:
                    result = run_recipe(producer, graph_cls, recipe)
                except Exception as exc:  # our bug or an inexpressible model: report, go on
                    result = {
                        "recipe": name,
                        "status": "failed",
                        "error": f"{type(exc).__name__}: {first_line(exc)}",
                        "traceback": traceback.format_exc()[-3000:],
                    }
            out.write(json.dumps(result, sort_keys=True) + "\n")
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

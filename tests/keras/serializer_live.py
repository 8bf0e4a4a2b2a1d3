"""Live Keras for the serializer's differential test: replay generated graphs, capture templates.

Runs *inside a producer environment* (``.cache/producers/<release>/bin/python``), never inside the
test process, so one pytest run can compare the serializer with every installed release:

    python serializer_live.py < plans.json > files.json

A plan is a blueprint in JSON (``kerasspec.strategies.plan``): per model its layers with the
calls as made and the order they were made in.  The output of ``build`` is, per plan, the text of
``model.to_json()`` or the error Keras raised.  Only the standard library and Keras are imported.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import warnings
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
warnings.filterwarnings("ignore")


# Python 3.10 removed these aliases; Keras 1.x-2.3 and Theano 1.0.5 still import them from collections
# (generator/_worker.py restores them the same way for the corpus).
_COLLECTIONS_ALIASES = ("Iterable", "Mapping", "MutableMapping", "Sequence", "Callable")


def _restore_collections_aliases() -> None:
    import collections
    import collections.abc
    import inspect

    for name in _COLLECTIONS_ALIASES:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))
    if not hasattr(inspect, "getargspec"):  # removed in 3.11; Keras 1's merge calls it
        ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")  # type: ignore[name-match]

        def getargspec(function: Any) -> Any:
            full = inspect.getfullargspec(function)
            return ArgSpec(full.args, full.varargs, full.varkw, full.defaults)

        inspect.getargspec = getargspec  # type: ignore[attr-defined]


def _keras() -> tuple[str, Any, Any]:
    # The test environment holds keras 3 and tf_keras side by side: the caller names the format.
    wanted = os.environ.get("KERASSPEC_LIVE_FORMAT")
    if wanted == "legacy":  # standalone Keras 1.x-2.3 on Theano: it writes keras2
        _restore_collections_aliases()
        import keras

        return "legacy", keras, None
    if wanted == "keras3":
        import keras

        return "keras3", keras, None
    try:
        import tensorflow as tf
        import tf_keras as keras  # keras2 first: tf_keras environments also hold keras 3

        return "keras2", keras, tf
    except ImportError:
        pass
    try:
        import keras

        if keras.__version__.startswith("3."):
            return "keras3", keras, None
    except ImportError:
        pass
    import tensorflow as tf

    return "keras2", tf.keras, tf


FORMAT, keras, tf = _keras()
layers = keras.layers
#: Keras 1 has no Add, Multiply, ...: one Merge layer with a mode.
MERGE_MODES = {"Add": "sum", "Multiply": "mul", "Average": "ave", "Maximum": "max"}
KERAS1 = FORMAT == "legacy" and keras.__version__.startswith("1.")


#: The one Lambda the strategies draw, compiled under the corpus recipes' file name (generator/recipes/
#: lambdas.py): the bytecode Keras writes is then the corpus case lambda-simple's, and the same on every run.
LAMBDA_SOURCE = "lambda t: t * 2.0"


def _inert_lambda(source: str) -> Any:
    return eval(compile(source, "<kerasspec recipe>", "eval"), {"__name__": "generator.recipes.lambdas"})


def _tf_op_lambda(function: Any, name: str) -> Any:
    if FORMAT != "keras2":
        raise RuntimeError("TFOpLambda is keras2 only")
    try:
        from tf_keras.src.layers.core.tf_op_layer import SlicingOpLambda, TFOpLambda
    except ImportError:
        try:
            from keras.src.layers.core.tf_op_layer import SlicingOpLambda, TFOpLambda
        except ImportError:
            from keras.layers.core.tf_op_layer import SlicingOpLambda, TFOpLambda
    cls = SlicingOpLambda if function is tf.__operators__.getitem else TFOpLambda
    return cls(function, name=name)


def _ops(class_name: str, name: str) -> Any:
    from keras.src.ops import numpy as knp

    return getattr(knp, class_name)(name=name)


def make_layer(kind: str, name: str, params: dict[str, Any]) -> Any:
    """A live layer of one vocabulary kind (``kerasspec.strategies._kinds``)."""
    if kind == "Dense":
        return layers.Dense(params.get("units", 4), name=name)
    if kind == "TimeDistributed":
        return layers.TimeDistributed(layers.Dense(params.get("units", 4), name=f"{name}_dense"), name=name)
    if kind == "LSTM":
        # Keras 1 has no return_state: it is passed only when asked for
        states = {"return_state": True} if params.get("return_state") else {}
        return layers.LSTM(
            params.get("units", 4), return_sequences=params.get("return_sequences", False), name=name, **states
        )
    if kind == "Merge":
        axes = {"dot_axes": params["dot_axes"]} if "dot_axes" in params else {}
        return layers.Merge(mode=params["mode"], concat_axis=params.get("concat_axis", -1), name=name, **axes)
    if kind == "Bidirectional":
        sequences = params.get("return_sequences", False)
        inner = layers.LSTM(params.get("units", 4), return_sequences=sequences, name=f"{name}_lstm")
        return layers.Bidirectional(inner, name=name)
    if kind == "Lambda":
        return layers.Lambda(_inert_lambda(LAMBDA_SOURCE), name=name)
    if kind in ("Add", "Multiply", "Average", "Maximum"):
        return getattr(layers, kind)(name=name)
    if kind == "Concatenate":
        return layers.Concatenate(axis=params.get("axis", -1), name=name)
    if kind == "Attention":
        return layers.Attention(name=name)
    if kind == "MultiHeadAttention":
        return layers.MultiHeadAttention(
            num_heads=params.get("num_heads", 2), key_dim=params.get("key_dim", 2), name=name
        )
    if kind == "ops.add":
        return _ops("Add", name)
    if kind == "ops.multiply":
        return _ops("Multiply", name)
    if kind == "ops.getitem":
        return _ops("GetItem", name)
    if kind == "tf.math.multiply":
        return _tf_op_lambda(tf.math.multiply, name)
    if kind == "tf.concat":
        return _tf_op_lambda(tf.concat, name)
    if kind == "tf.stack":
        return _tf_op_lambda(tf.stack, name)
    if kind == "tf.__operators__.getitem":
        return _tf_op_lambda(tf.__operators__.getitem, name)
    raise ValueError(f"unknown kind {kind!r}")


def _value(value: dict[str, Any], tensors: dict[tuple[str, int, int], Any], slicing: bool = False) -> Any:
    ((tag, payload),) = value.items()
    if tag == "tensor":
        return tensors[tuple(payload)]
    if tag == "const":
        return payload
    if tag == "list":
        items = [_value(item, tensors, slicing) for item in payload]
        return tuple(items) if slicing else items
    if tag == "dict":
        return {key: _value(item, tensors, slicing) for key, item in payload.items()}
    if tag == "object" and payload.get("class_name") == "__slice__":
        config = payload["config"]
        return slice(config["start"], config["stop"], config["step"])
    raise ValueError(f"cannot replay {value!r}")


def build_model(plan: dict[str, Any]) -> Any:
    """Replay one model plan (Functional or Sequential) into a live model."""
    if plan["class_name"] == "Sequential" and FORMAT == "legacy" and plan["layers"][0].get("models"):
        # Keras 1's Merge of whole models as the first layer of a Sequential: a model of several inputs.
        merge, *rest = plan["layers"]
        model = keras.models.Sequential(name=plan["name"])
        branches = [build_model(branch) for branch in merge["models"]]
        params = merge["params"]
        axes = {"dot_axes": params["dot_axes"]} if "dot_axes" in params else {}
        model.add(
            layers.Merge(
                branches, mode=params["mode"], concat_axis=params.get("concat_axis", -1), name=merge["name"], **axes
            )
        )
        for layer in rest:
            model.add(make_layer(layer["kind"], layer["name"], layer["params"]))
        return model
    if plan["class_name"] == "Sequential" and FORMAT == "legacy":
        # Keras before 2.4 takes the input shape on the first layer and writes no InputLayer.
        first, head, *rest = plan["layers"]
        model = keras.models.Sequential(name=plan["name"])
        # (a Sequential's layers are Dense only; the strategies draw float32 inputs for them)
        model.add(layers.Dense(head["params"].get("units", 4), name=head["name"], input_shape=tuple(first["shape"])))
        for layer in rest:
            model.add(make_layer(layer["kind"], layer["name"], layer["params"]))
        return model
    if plan["class_name"] == "Sequential":
        first, *rest = plan["layers"]
        stack = [keras.Input(shape=tuple(first["shape"]), dtype=first["dtype"], name=first["name"])]
        stack += [make_layer(layer["kind"], layer["name"], layer["params"]) for layer in rest]
        return keras.Sequential(stack, name=plan["name"])
    by_name = {layer["name"]: layer for layer in plan["layers"]}
    tensors: dict[tuple[str, int, int], Any] = {}
    live: dict[str, Any] = {}
    for layer in plan["layers"]:
        if layer["kind"] == "InputLayer":
            tensors[(layer["name"], 0, 0)] = layers.Input(
                shape=tuple(layer["shape"]), dtype=layer["dtype"], name=layer["name"]
            )
    for name, index in plan["order"]:
        layer = by_name[name]
        if name not in live:
            if layer.get("model") is not None:
                live[name] = build_model(layer["model"])
            else:
                live[name] = make_layer(layer["kind"], name, layer["params"])
        call = layer["calls"][index]
        slicing = layer["kind"] == "ops.getitem"
        args = [_value(arg, tensors, slicing) for arg in call["args"]]
        kwargs = {key: _value(value, tensors) for key, value in call["kwargs"].items()}
        if layer["kind"] == "tf.__operators__.getitem":
            kwargs["slice_spec"] = tuple(kwargs["slice_spec"])
        result = live[name](*args, **kwargs)
        outputs = list(result) if isinstance(result, list | tuple) else [result]
        for position, output in enumerate(outputs):
            tensors[(name, index, position)] = output
    inputs = _value(plan["inputs"], tensors)
    outputs = _value(plan["outputs"], tensors)
    return keras.models.Model(inputs, outputs, name=plan["name"])


def build(plans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    results = []
    for plan in plans:
        try:
            model = build_model(plan["model"])
            results.append({"json": model.to_json()})
        except Exception as error:  # a plan Keras refuses is a finding, reported per plan
            results.append({"error": f"{type(error).__name__}: {error}"})
        with contextlib.suppress(Exception):  # a release without clear_session keeps its counters
            keras.backend.clear_session()
    return results


def main() -> None:
    plans = json.load(sys.stdin)
    json.dump({"format": FORMAT, "version": _version(), "results": build(plans)}, sys.stdout)


def _version() -> str:
    # tf.keras in TensorFlow 2.13+ is a lazy module without __version__; the keras package has it
    version = getattr(keras, "__version__", None)
    if version is None:
        from importlib import metadata

        version = metadata.version("keras")
    return str(version)


if __name__ == "__main__":
    main()

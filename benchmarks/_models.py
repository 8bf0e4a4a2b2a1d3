"""Synthetic model JSON for the benchmarks, shaped like what real Keras releases write.

Two shapes per wire format: *full* layers (Dense and Add configs exactly as tf_keras 2.21.0 and
keras 3.15.1 write them, the bulk of a real file's bytes) and *small* layers (a name and one
setting), where the wiring is most of the file and a reader's own work weighs most against the
JSON decoder.  Every tenth layer merges two earlier tensors, so references are not all to the
previous layer.  :func:`wide_node_model` is one layer called on a million tensors at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable

# Layer JSON exactly as tf_keras 2.21.0 and keras 3.15.1 write a Dense and an Add layer
# (taken from their to_json()); only names and references change from layer to layer.
KERAS2_DENSE = (
    '{"module": "keras.layers", "class_name": "Dense", "config": {"name": "NAME", "trainable": true,'
    ' "dtype": "float32", "units": 8, "activation": "linear", "use_bias": true,'
    ' "kernel_initializer": {"module": "keras.initializers",'
    ' "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer":'
    ' {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},'
    ' "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,'
    ' "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 8]}, "name": "NAME",'
    ' "inbound_nodes": [[["A", 0, 0, {}]]]}'
)
KERAS2_ADD = (
    '{"module": "keras.layers", "class_name": "Add", "config": {"name": "NAME", "trainable": true, "dtype": "float32"},'
    ' "registered_name": null, "build_config": {"input_shape": [[null, 8], [null, 8]]}, "name": "NAME",'
    ' "inbound_nodes": [[["A", 0, 0, {}], ["B", 0, 0, {}]]]}'
)
_TENSOR3 = (
    '{"class_name": "__keras_tensor__", "config": {"shape": [null, 8], "dtype": "float32",'
    ' "keras_history": ["X", 0, 0]}}'
)
_POLICY3 = '{"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}'
KERAS3_DENSE = (
    '{"module": "keras.layers", "class_name": "Dense", "config": {"name": "NAME", "trainable": true, "dtype": '
    + _POLICY3
    + ', "units": 8, "activation": "linear", "use_bias": true, "kernel_initializer": {"module": "keras.initializers",'
    ' "class_name": "GlorotUniform", "config": {"seed": null, "input_axes": null, "output_axes": null},'
    ' "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros",'
    ' "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null,'
    ' "kernel_constraint": null, "bias_constraint": null, "quantization_config": null}, "registered_name": null,'
    ' "build_config": {"input_shape": [null, 8]}, "name": "NAME", "inbound_nodes": [{"args": ['
    + _TENSOR3.replace("X", "A")
    + '], "kwargs": {}}]}'
)
KERAS3_ADD = (
    '{"module": "keras.layers", "class_name": "Add", "config": {"name": "NAME", "trainable": true, "dtype": '
    + _POLICY3
    + '}, "registered_name": null, "build_config": {"input_shape": [[null, 8], [null, 8]]}, "name": "NAME",'
    ' "inbound_nodes": [{"args": [['
    + _TENSOR3.replace("X", "A")
    + ", "
    + _TENSOR3.replace("X", "B")
    + ']], "kwargs": {}}]}'
)


# The same layers cut down to their wiring: a name (and for keras2 one setting), no module.
KERAS2_DENSE_SMALL = (
    '{"class_name": "Dense", "config": {"name": "NAME", "units": 8}, "name": "NAME",'
    ' "inbound_nodes": [[["A", 0, 0, {}]]]}'
)
KERAS2_ADD_SMALL = (
    '{"class_name": "Add", "config": {"name": "NAME"}, "name": "NAME",'
    ' "inbound_nodes": [[["A", 0, 0, {}], ["B", 0, 0, {}]]]}'
)
KERAS3_DENSE_SMALL = (
    '{"class_name": "Dense", "config": {"name": "NAME"}, "name": "NAME",'
    ' "inbound_nodes": [{"args": [' + _TENSOR3.replace("X", "A") + '], "kwargs": {}}]}'
)
KERAS3_ADD_SMALL = (
    '{"class_name": "Add", "config": {"name": "NAME"}, "name": "NAME",'
    ' "inbound_nodes": [{"args": [['
    + _TENSOR3.replace("X", "A")
    + ", "
    + _TENSOR3.replace("X", "B")
    + ']], "kwargs": {}}]}'
)


def _layers(size: int, dense: str, add: str) -> list[str]:
    """A chain of Dense layers from input ``x``; every tenth layer adds two earlier tensors."""
    names = ["x"]
    layers = []
    for i in range(1, size):
        template, name = (add, f"add_{i}") if i % 10 == 0 else (dense, f"dense_{i}")
        text = template.replace('"NAME"', json.dumps(name)).replace('"A"', json.dumps(names[-1]))
        layers.append(text.replace('"B"', json.dumps(names[max(0, len(names) - 5)])))
        names.append(name)
    return layers


def keras2_model(size: int, small: bool = False) -> str:
    layers = [
        '{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 8],'
        ' "dtype": "float32", "sparse": false, "ragged": false, "name": "x"}, "registered_name": null, "name": "x",'
        ' "inbound_nodes": []}',
        *(_layers(size, KERAS2_DENSE_SMALL, KERAS2_ADD_SMALL) if small else _layers(size, KERAS2_DENSE, KERAS2_ADD)),
    ]
    last = "dense_" + str(size - 1) if (size - 1) % 10 else "add_" + str(size - 1)
    return (
        '{"class_name": "Functional", "config": {"name": "bench", "trainable": true, "layers": ['
        + ", ".join(layers)
        + f'], "input_layers": [["x", 0, 0]], "output_layers": [["{last}", 0, 0]]}}, "keras_version": "2.21.0",'
        ' "backend": "tensorflow"}'
    )


def keras3_model(size: int, small: bool = False) -> str:
    layers = [
        '{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 8], "dtype":'
        ' "float32", "sparse": false, "ragged": false, "name": "x", "optional": false}, "registered_name": null,'
        ' "name": "x", "inbound_nodes": []}',
        *(_layers(size, KERAS3_DENSE_SMALL, KERAS3_ADD_SMALL) if small else _layers(size, KERAS3_DENSE, KERAS3_ADD)),
    ]
    last = "dense_" + str(size - 1) if (size - 1) % 10 else "add_" + str(size - 1)
    return (
        '{"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "bench",'
        ' "trainable": true, "layers": ['
        + ", ".join(layers)
        + f'], "input_layers": ["x", 0, 0], "output_layers": ["{last}", 0, 0]}}, "registered_name": "Functional",'
        ' "build_config": {"input_shape": null}, "compile_config": null}'
    )


MODELS: dict[str, Callable[..., str]] = {"keras2": keras2_model, "keras3": keras3_model}


def wide_node_model(entries: int, bad_every: int = 0) -> str:
    """keras2: an input and one Concatenate called on ``entries`` tensors, all of them the input.

    With ``bad_every`` > 0, every ``bad_every``-th entry has a negative tensor index (a schema
    violation), the first of them the very first entry.
    """
    good, bad = '["x", 0, 0, {}]', '["x", 0, -1, {}]'
    node = ", ".join(bad if bad_every and i % bad_every == 0 else good for i in range(entries))
    return (
        '{"class_name": "Functional", "config": {"name": "wide", "trainable": true, "layers": ['
        '{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 8], "dtype": "float32", "name": "x"},'
        ' "name": "x", "inbound_nodes": []}, {"class_name": "Concatenate", "config": {"name": "c", "axis": -1},'
        f' "name": "c", "inbound_nodes": [[{node}]]}}], "input_layers": [["x", 0, 0]],'
        ' "output_layers": [["c", 0, 0]]}, "keras_version": "2.21.0", "backend": "tensorflow"}'
    )

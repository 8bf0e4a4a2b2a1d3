"""How the reference parser scales: synthetic models of 1k, 10k and 100k layers, both wire formats.

Prints, per format and size: json.loads time (the floor), parse time (text to canonical document,
json.loads included), the parser's own work beyond json.loads ("extra": parse of the already
decoded JSON, so it is measured, not taken as a difference of two noisy times), the ratios of
both to json.loads, and the growth factor of parse per 10x layers (near 10 means linear).  Times
are process CPU time, best of several rounds in which the three take turns, so the ratios come
from one run and other work on the machine weighs on all three alike.
Run: ``python benchmarks/parse.py [--sizes 1000,10000,100000]``.

The layer configs are shaped like real Dense/Add configs (the bulk of a real file's bytes), and
every tenth layer merges two earlier tensors so references are not all to the previous layer.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Callable

from kerasspec import parse

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


def keras2_model(size: int) -> str:
    layers = [
        '{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 8],'
        ' "dtype": "float32", "sparse": false, "ragged": false, "name": "x"}, "registered_name": null, "name": "x",'
        ' "inbound_nodes": []}',
        *_layers(size, KERAS2_DENSE, KERAS2_ADD),
    ]
    last = "dense_" + str(size - 1) if (size - 1) % 10 else "add_" + str(size - 1)
    return (
        '{"class_name": "Functional", "config": {"name": "bench", "trainable": true, "layers": ['
        + ", ".join(layers)
        + f'], "input_layers": [["x", 0, 0]], "output_layers": [["{last}", 0, 0]]}}, "keras_version": "2.21.0",'
        ' "backend": "tensorflow"}'
    )


def keras3_model(size: int) -> str:
    layers = [
        '{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 8], "dtype":'
        ' "float32", "sparse": false, "ragged": false, "name": "x", "optional": false}, "registered_name": null,'
        ' "name": "x", "inbound_nodes": []}',
        *_layers(size, KERAS3_DENSE, KERAS3_ADD),
    ]
    last = "dense_" + str(size - 1) if (size - 1) % 10 else "add_" + str(size - 1)
    return (
        '{"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "bench",'
        ' "trainable": true, "layers": ['
        + ", ".join(layers)
        + f'], "input_layers": ["x", 0, 0], "output_layers": ["{last}", 0, 0]}}, "registered_name": "Functional",'
        ' "build_config": {"input_shape": null}, "compile_config": null}'
    )


def best_times(runs: int, functions: list[Callable[[], object]]) -> list[float]:
    """The best process CPU time of each function over ``runs`` rounds, the functions taking turns.

    Taking turns puts every function through the same spells of load on the machine, so the
    ratios between them hold where single times do not.
    """
    best = [float("inf")] * len(functions)
    for _ in range(runs):
        for index, function in enumerate(functions):
            # The parser turns the cyclic GC off while it runs; the others get the same treatment,
            # or json.loads alone would pay for GC passes that the parse does not.
            gc.collect()
            gc.disable()
            start = time.process_time()
            function()
            best[index] = min(best[index], time.process_time() - start)
            gc.enable()
    return best


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", default="1000,10000,100000")
    options.add_argument("--runs", type=int, default=7)
    args = options.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        f"{'format':8} {'layers':>8} {'MB':>7} {'json.loads':>11} {'parse':>9} {'extra':>9}"
        f" {'parse/loads':>12} {'extra/loads':>12} {'growth':>7}"
    )
    for name, build in (("keras2", keras2_model), ("keras3", keras3_model)):
        previous = None
        for size in sizes:
            text = build(size)
            decoded = json.loads(text)
            loads, parsed, extra = best_times(
                args.runs,
                [lambda: json.loads(text), lambda: parse(text), lambda: parse(decoded)],  # noqa: B023 (called at once)
            )
            growth = f"{parsed / previous:7.1f}" if previous else f"{'':7}"
            print(
                f"{name:8} {size:8d} {len(text) / 1e6:7.1f} {loads * 1e3:9.1f}ms {parsed * 1e3:7.1f}ms"
                f" {extra * 1e3:7.1f}ms {parsed / loads:12.2f} {extra / loads:12.2f} {growth}"
            )
            previous = parsed


if __name__ == "__main__":
    main()

"""Recipes for the structure of a model's inputs and outputs: single, list, dict, nested."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe


@recipe("single-io-dense", tags=["single-io"])
def single_io_dense(k: Kit) -> Any:
    """One input, one output, passed bare: the flat triple in recent keras3."""
    x = k.Input(shape=(4,), name="x")
    h = k.layers.Dense(8, activation="relu", name="hidden")(x)
    y = k.layers.Dense(2, activation="softmax", name="probs")(h)
    return k.Model(x, y, name="single_io_dense")


@recipe("single-io-in-lists", tags=["single-io", "one-element-list"])
def single_io_in_lists(k: Kit) -> Any:
    """One input and one output, each passed as a one-element list."""
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="out")(x)
    return k.Model([x], [y], name="single_io_in_lists")


@recipe("dict-inputs", tags=["dict-io", "multi-io", "list-call"])
def dict_inputs(k: Kit) -> Any:
    """Inputs given as a dict whose keys differ from the Input names and are not sorted."""
    a = k.Input(shape=(4,), name="alpha")
    b = k.Input(shape=(4,), name="beta")
    y = k.layers.Concatenate(name="cat")([a, b])
    return k.Model({"zeta": b, "eta": a}, y, name="dict_inputs")


@recipe("dict-outputs", tags=["dict-io", "multi-io", "multi-output"])
def dict_outputs(k: Kit) -> Any:
    """Outputs given as a dict of named heads."""
    x = k.Input(shape=(4,), name="x")
    h = k.layers.Dense(8, name="trunk")(x)
    y = {
        "score": k.layers.Dense(1, name="score_head")(h),
        "label": k.layers.Dense(3, name="label_head")(h),
    }
    return k.Model(x, y, name="dict_outputs")


@recipe("dict-inputs-and-outputs", tags=["dict-io", "multi-io"])
def dict_inputs_and_outputs(k: Kit) -> Any:
    """Dicts on both sides, one output being an input passed straight through."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    s = k.layers.Add(name="sum")([a, b])
    return k.Model({"a": a, "b": b}, {"sum": s, "a_again": a}, name="dict_io")


@recipe("nested-outputs", tags=["nested-io", "multi-io"], min_version={"keras3": (3, 4, 0)})
def nested_outputs(k: Kit) -> Any:
    """Outputs as a list holding a tensor and a list of two tensors."""
    x = k.Input(shape=(4,), name="x")
    h1 = k.layers.Dense(2, name="h1")(x)
    h2 = k.layers.Dense(3, name="h2")(x)
    h3 = k.layers.Dense(4, name="h3")(x)
    return k.Model(x, [h1, [h2, h3]], name="nested_outputs")


@recipe("nested-inputs", tags=["nested-io", "multi-io", "list-call"], min_version={"keras3": (3, 4, 0)})
def nested_inputs(k: Kit) -> Any:
    """Inputs as a list holding an input and a list of two inputs."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    c = k.Input(shape=(4,), name="c")
    y = k.layers.Average(name="avg")([a, b, c])
    return k.Model([a, [b, c]], y, name="nested_inputs")


@recipe("dict-of-lists-outputs", tags=["nested-io", "dict-io", "multi-io"], min_version={"keras3": (3, 4, 0)})
def dict_of_lists_outputs(k: Kit) -> Any:
    """Outputs as a dict whose values are a tensor and a list of tensors."""
    x = k.Input(shape=(4,), name="x")
    h1 = k.layers.Dense(2, name="h1")(x)
    h2 = k.layers.Dense(3, name="h2")(x)
    return k.Model(x, {"first": h1, "rest": [h2, h1]}, name="dict_of_lists_outputs")


@recipe("output-is-input", tags=["multi-io"])
def output_is_input(k: Kit) -> Any:
    """An Input that is also an output, next to a computed output."""
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="out")(x)
    return k.Model(x, [x, y], name="output_is_input")


@recipe("same-output-twice", tags=["multi-io"])
def same_output_twice(k: Kit) -> Any:
    """One tensor listed twice among the outputs."""
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="out")(x)
    return k.Model(x, [y, y], name="same_output_twice")


@recipe("inputs-out-of-order", tags=["unordered-layers", "multi-io", "list-call"])
def inputs_out_of_order(k: Kit) -> Any:
    """Inputs listed in the opposite order of their use: input_layers order differs from layers."""
    a = k.Input(shape=(4,), name="a")
    d = k.layers.Dense(4, name="dense_a")(a)
    b = k.Input(shape=(4,), name="b")
    y = k.layers.Add(name="sum")([d, b])
    return k.Model([b, a], y, name="inputs_out_of_order")


@recipe("late-input", tags=["unordered-layers", "multi-io", "list-call"])
def late_input(k: Kit) -> Any:
    """A deep branch on one input and an Input created last that joins at the end."""
    a = k.Input(shape=(4,), name="early")
    h = a
    for i in range(4):
        h = k.layers.Dense(4, name=f"deep_{i}")(h)
    b = k.Input(shape=(4,), name="late")
    y = k.layers.Concatenate(name="join")([b, h])
    return k.Model([a, b], y, name="late_input")


@recipe("outputs-reversed", tags=["unordered-layers", "multi-io"])
def outputs_reversed(k: Kit) -> Any:
    """Outputs listed in reverse order of creation, one of them a short branch."""
    x = k.Input(shape=(4,), name="x")
    long = k.layers.Dense(4, name="long_1")(x)
    long = k.layers.Dense(4, name="long_2")(long)
    short = k.layers.Dense(4, name="short")(x)
    return k.Model(x, [short, long], name="reverse_outputs")


@recipe("tuple-inputs-outputs", tags=["multi-io", "list-call"])
def tuple_inputs_outputs(k: Kit) -> Any:
    """Inputs, outputs and a merge call given as tuples instead of lists."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    cat = k.layers.Concatenate(name="cat")((a, b))
    y = k.layers.Dense(2, name="head")(cat)
    return k.Model((a, b), (y, cat), name="tuple_inputs_outputs")

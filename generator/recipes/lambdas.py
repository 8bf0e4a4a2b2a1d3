"""Recipes for Lambda layers: Python code that the JSON carries as inert data, never to be run."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe

# Keras writes a Python function as marshalled bytecode, which embeds the source file name; a
# function compiled from text under a fixed name keeps the corpus independent of the checkout path.
_SOURCE_NAME = "<kerasspec recipe>"


def inert_lambda(source: str) -> Any:
    """A Python lambda compiled from `source` under a fixed file name (deterministic bytecode)."""
    return eval(compile(source, _SOURCE_NAME, "eval"), {"__name__": __name__})


def inert_function(source: str, name: str) -> Any:
    """A `def` function compiled from `source` under a fixed file name; returns `name`."""
    namespace: dict[str, Any] = {"__name__": __name__}
    exec(compile(source, _SOURCE_NAME, "exec"), namespace)
    return namespace[name]


_SCALE = "def scale(t, factor=2.0):\n    return t * factor\n"


@recipe("lambda-simple", tags=["lambda", "single-io"])
def lambda_simple(k: Kit) -> Any:
    """Lambda(lambda t: t * 2.0): a Python lambda serialized as bytecode."""
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Lambda(inert_lambda("lambda t: t * 2.0"), name="double")(x)
    return k.Model(x, y, name="lambda_simple")


@recipe("lambda-named-function", tags=["lambda", "single-io"])
def lambda_named_function(k: Kit) -> Any:
    """Lambda(a def function, arguments={"factor": 3.0}): keras3 writes it by name only."""
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Lambda(inert_function(_SCALE, "scale"), arguments={"factor": 3.0}, name="scale")(x)
    return k.Model(x, y, name="lambda_named_function")


@recipe("lambda-list-input", tags=["lambda", "list-call", "multi-io"])
def lambda_list_input(k: Kit) -> Any:
    """A Lambda called on a list of two tensors, like a merge layer."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.layers.Lambda(inert_lambda("lambda ts: ts[0] * ts[1]"), name="product")([a, b])
    return k.Model([a, b], y, name="lambda_list_input")


@recipe("lambda-one-element-list", tags=["lambda", "list-call", "one-element-list", "single-io"])
def lambda_one_element_list(k: Kit) -> Any:
    """A Lambda called on [x]: keras2 cannot tell a one-element list from the bare tensor."""
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Lambda(inert_lambda("lambda ts: ts[0] + 1.0"), name="unwrap")([x])
    return k.Model(x, y, name="lambda_one_element_list")


@recipe("lambda-multi-output", tags=["lambda", "multi-output", "single-io"])
def lambda_multi_output(k: Kit) -> Any:
    """A Lambda returning two tensors: its second output is consumed (tensor_index 1)."""
    x = k.Input(shape=(4,), name="x")
    lo, hi = k.layers.Lambda(inert_lambda("lambda t: [t - 1.0, t + 1.0]"), name="band")(x)
    y = k.layers.Subtract(name="width")([hi, lo])
    return k.Model(x, y, name="lambda_multi_output")


@recipe("lambda-shared", tags=["lambda", "shared-layer", "multi-io"])
def lambda_shared(k: Kit) -> Any:
    """One Lambda layer applied to two inputs."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    sq = k.layers.Lambda(inert_lambda("lambda t: t * t"), name="square")
    y = k.layers.Add(name="sum")([sq(a), sq(b)])
    return k.Model([a, b], y, name="lambda_shared")

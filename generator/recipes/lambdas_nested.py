"""Recipes for code at every depth: Lambda layers and function references inside nested models
and wrappers, and controls of the same shapes without any (what a scanner must and must not flag).
"""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe
from .lambdas import inert_function, inert_lambda

_HALVE = "def halve(t):\n    return t * 0.5\n"


def _code(k: Kit, name: str, code: bool) -> Any:
    """A Lambda (bytecode) where the case carries code, a Dense of the same width in its control."""
    if code:
        return k.layers.Lambda(inert_lambda("lambda t: t * 2.0"), name=name)
    return k.layers.Dense(4, name=name)


def _functional(k: Kit, name: str, code: bool, body: Any = None) -> Any:
    """A Functional of width 4: Dense, then `body` (a layer or model) or a Lambda / its control."""
    x = k.Input(shape=(4,), name=f"{name}_in")
    h = k.layers.Dense(4, name=f"{name}_dense")(x)
    y = (body if body is not None else _code(k, f"{name}_code", code))(h)
    return k.Model(x, y, name=name)


def _sequential(k: Kit, name: str, code: bool, body: Any = None) -> Any:
    """A Sequential of width 4 with its own Input: Dense, then `body` or a Lambda / its control."""
    last = body if body is not None else _code(k, f"{name}_code", code)
    if k.legacy:  # no Input in a Sequential's list before 2.4: the first layer takes input_shape
        return k.Sequential([k.layers.Dense(4, input_shape=(4,), name=f"{name}_dense"), last], name=name)
    return k.Sequential(
        [k.Input(shape=(4,), name=f"{name}_in"), k.layers.Dense(4, name=f"{name}_dense"), last],
        name=name,
    )


def _outer_functional(k: Kit, inner: Any, name: str) -> Any:
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="head")(inner(x))
    return k.Model(x, y, name=name)


def _outer_sequential(k: Kit, inner: Any, name: str) -> Any:
    if k.legacy:  # the nested model, built on its own input, starts the Sequential
        return k.Sequential([inner, k.layers.Dense(2, name="head")], name=name)
    return k.Sequential([k.Input(shape=(4,), name="x"), inner, k.layers.Dense(2, name="head")], name=name)


def _register(name: str, tags: list[str], doc: str, build: Any) -> None:
    build.__doc__ = doc
    recipe(name, tags=tags)(build)


def _depth_recipes(suffix: str, code: bool) -> None:
    """Register the nested shapes once with a Lambda (suffix "") and once as controls without."""
    tags = ["lambda-nested", "lambda"] if code else ["lambda-nested"]
    what = "holding a Lambda" if code else "holding a Dense where its twin holds a Lambda (control)"

    def in_nested_functional(k: Kit) -> Any:
        return _outer_functional(k, _functional(k, "inner", code), "outer")

    def in_nested_sequential(k: Kit) -> Any:
        return _outer_functional(k, _sequential(k, "inner_seq", code), "outer")

    def functional_in_sequential(k: Kit) -> Any:
        return _outer_sequential(k, _functional(k, "inner", code), "outer_seq")

    def sequential_in_sequential(k: Kit) -> Any:
        return _outer_sequential(k, _sequential(k, "inner_seq", code), "outer_seq")

    def two_levels_functional(k: Kit) -> Any:
        middle = _sequential(k, "middle", code, body=_functional(k, "inner", code))
        return _outer_functional(k, middle, "outer")

    def two_levels_sequential(k: Kit) -> Any:
        middle = _functional(k, "middle", code, body=_sequential(k, "inner_seq", code))
        return _outer_sequential(k, middle, "outer_seq")

    def in_timedistributed(k: Kit) -> Any:
        x = k.Input(shape=(5, 4), name="x")
        y = k.layers.TimeDistributed(_code(k, "step", code), name="td")(x)
        return k.Model(x, y, name="lambda_in_timedistributed")

    def nested_shared(k: Kit) -> Any:
        tower = _functional(k, "tower", code)
        a = k.Input(shape=(4,), name="a")
        b = k.Input(shape=(4,), name="b")
        y = k.layers.Subtract(name="diff")([tower(a), tower(b)])
        return k.Model([a, b], y, name="lambda_nested_shared")

    _register(
        f"lambda-in-nested-functional{suffix}",
        [*tags, "nested-functional", "single-io"],
        f"A Functional model {what}, used as a layer of a Functional model.",
        in_nested_functional,
    )
    _register(
        f"lambda-in-nested-sequential{suffix}",
        [*tags, "nested-sequential", "single-io"],
        f"A Sequential model {what}, used as a layer of a Functional model.",
        in_nested_sequential,
    )
    _register(
        f"lambda-functional-in-sequential{suffix}",
        [*tags, "sequential", "nested-functional"],
        f"A Functional model {what}, as a layer of a Sequential.",
        functional_in_sequential,
    )
    _register(
        f"lambda-sequential-in-sequential{suffix}",
        [*tags, "sequential", "nested-sequential"],
        f"A Sequential {what}, as a layer of a Sequential.",
        sequential_in_sequential,
    )
    _register(
        f"lambda-two-levels-functional{suffix}",
        [*tags, "nested-functional", "nested-sequential", "nested-deep", "single-io"],
        f"Two levels down: a Functional {what}, in a Sequential, in a Functional.",
        two_levels_functional,
    )
    _register(
        f"lambda-two-levels-sequential{suffix}",
        [*tags, "sequential", "nested-functional", "nested-sequential", "nested-deep"],
        f"Two levels down: a Sequential {what}, in a Functional, in a Sequential.",
        two_levels_sequential,
    )
    _register(
        f"lambda-in-timedistributed{suffix}",
        [*tags, "wrappers", "single-io"],
        f"TimeDistributed {what.replace('holding', 'wrapping')}: in config.layer only.",
        in_timedistributed,
    )
    _register(
        f"lambda-nested-shared{suffix}",
        [*tags, "nested-functional", "nested-twice", "shared-layer", "multi-io"],
        f"A Functional {what}, called on two inputs: one config, two calls.",
        nested_shared,
    )


_depth_recipes("", code=True)
_depth_recipes("-control", code=False)


def _registered_halve(k: Kit) -> Any:
    """A def function registered with Keras: both formats then write it as a reference by name.

    Registered once per process: tf.keras 2.12 refuses a name registered before ("kerasspec>halve has
    already been registered"), which made every recipe after the first in a worker unbuildable there.
    """
    if k.legacy:
        # Standalone Keras writes any function by its __name__; custom objects (2.0 on) let it load.
        fn = inert_function(_HALVE, "halve")
        custom = getattr(k.keras.utils, "get_custom_objects", None)
        if custom is not None:
            custom()["halve"] = fn
        return fn
    saving = k.keras.saving if k.format == "keras3" else k.keras.utils
    register = saving.register_keras_serializable  # Keras before 2.5 has none: unbuildable there
    registered = saving.get_registered_object("kerasspec>halve")
    if registered is not None:
        return registered
    return register(package="kerasspec")(inert_function(_HALVE, "halve"))


@recipe("function-reference-in-bidirectional", tags=["lambda-nested", "wrappers", "single-io"])
def function_reference_in_bidirectional(k: Kit) -> Any:
    """Bidirectional(LSTM(activation=a registered function)): a function reference in config.layer."""
    x = k.Input(shape=(5, 3), name="x")
    lstm = k.layers.LSTM(4, activation=_registered_halve(k), name="lstm")
    h = k.layers.Bidirectional(lstm, name="bilstm")(x)
    return k.Model(x, k.layers.Dense(2, name="head")(h), name="function_reference_in_bidirectional")


@recipe("function-reference-in-backward-layer", tags=["lambda-nested", "wrappers", "single-io"])
def function_reference_in_backward_layer(k: Kit) -> Any:
    """Bidirectional with an explicit backward_layer whose activation is a registered function."""
    x = k.Input(shape=(5, 3), name="x")
    fwd = k.layers.GRU(4, return_sequences=True, name="fwd")
    bwd = k.layers.GRU(4, return_sequences=True, go_backwards=True, activation=_registered_halve(k), name="bwd")
    y = k.layers.Bidirectional(fwd, backward_layer=bwd, merge_mode="sum", name="bigru")(x)
    return k.Model(x, y, name="function_reference_in_backward_layer")


@recipe("function-reference-in-nested-functional", tags=["lambda-nested", "lambda", "nested-functional", "single-io"])
def function_reference_in_nested_functional(k: Kit) -> Any:
    """Lambda(a registered function) inside a nested Functional: a reference by name, no bytecode in keras3."""
    x_in = k.Input(shape=(4,), name="inner_in")
    h = k.layers.Lambda(_registered_halve(k), name="inner_halve")(x_in)
    inner = k.Model(x_in, h, name="inner")
    return _outer_functional(k, inner, "outer")


@recipe("bidirectional-control", tags=["lambda-nested", "wrappers", "single-io"])
def bidirectional_control(k: Kit) -> Any:
    """Bidirectional(LSTM) with Keras's own activations: the control without code."""
    x = k.Input(shape=(5, 3), name="x")
    h = k.layers.Bidirectional(k.layers.LSTM(4, name="lstm"), name="bilstm")(x)
    return k.Model(x, k.layers.Dense(2, name="head")(h), name="bidirectional_control")

"""Recipes for models used as layers: nested Functional and Sequential, called once, twice, deep."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe


def _inner(k: Kit, name: str = "inner", width: int = 4) -> Any:
    x = k.Input(shape=(width,), name=f"{name}_in")
    h = k.layers.Dense(width, activation="relu", name=f"{name}_dense")(x)
    return k.Model(x, h, name=name)


def _inner_seq(k: Kit, name: str = "inner_seq", with_input: bool = True, width: int = 4) -> Any:
    layers = [k.Input(shape=(width,), name=f"{name}_in")] if with_input else []
    layers += [
        k.layers.Dense(width, activation="relu", name=f"{name}_d1"),
        k.layers.Dense(width, name=f"{name}_d2"),
    ]
    return k.Sequential(layers, name=name)


@recipe("nested-functional", tags=["nested-functional", "single-io"])
def nested_functional(k: Kit) -> Any:
    """A Functional model used once as a layer inside another."""
    inner = _inner(k)
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="head")(inner(x))
    return k.Model(x, y, name="outer")


@recipe("nested-functional-twice", tags=["nested-functional", "nested-twice", "shared-layer", "multi-io"])
def nested_functional_twice(k: Kit) -> Any:
    """One Functional model called on two inputs (a siamese tower): two calls of one nested model."""
    tower = _inner(k, "tower")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    ea, eb = tower(a), tower(b)
    y = k.layers.Subtract(name="diff")([ea, eb])
    return k.Model([a, b], y, name="siamese")


@recipe("nested-functional-twice-outputs", tags=["nested-functional", "nested-twice", "multi-io"])
def nested_functional_twice_outputs(k: Kit) -> Any:
    """Both calls of a nested model are model outputs, the second listed first."""
    tower = _inner(k, "tower")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    ea, eb = tower(a), tower(b)
    return k.Model([a, b], [eb, ea], name="twice_outputs")


@recipe("nested-sequential-with-input", tags=["nested-sequential", "single-io"])
def nested_sequential_with_input(k: Kit) -> Any:
    """A Sequential that starts with an Input, used as a layer in a Functional model."""
    inner = _inner_seq(k, with_input=True)
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="head")(inner(x))
    return k.Model(x, y, name="outer")


@recipe("nested-sequential-no-input", tags=["nested-sequential", "single-io"])
def nested_sequential_no_input(k: Kit) -> Any:
    """A Sequential without an Input, built by its first call inside a Functional model."""
    inner = _inner_seq(k, with_input=False)
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="head")(inner(x))
    return k.Model(x, y, name="outer")


@recipe("nested-sequential-twice", tags=["nested-sequential", "nested-twice", "shared-layer", "multi-io"])
def nested_sequential_twice(k: Kit) -> Any:
    """A Sequential (with Input) called on two tensors, both results merged."""
    inner = _inner_seq(k, with_input=True)
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.layers.Concatenate(name="cat")([inner(a), inner(b)])
    return k.Model([a, b], y, name="outer")


@recipe(
    "nested-sequential-no-input-twice",
    tags=["nested-sequential", "nested-twice", "shared-layer", "multi-io"],
)
def nested_sequential_no_input_twice(k: Kit) -> Any:
    """A Sequential without an Input called twice: keras2 still numbers its calls from 1."""
    inner = _inner_seq(k, with_input=False)
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.layers.Add(name="sum")([inner(a), inner(b)])
    return k.Model([a, b], y, name="outer")


@recipe("nested-two-deep", tags=["nested-functional", "nested-deep", "single-io"])
def nested_two_deep(k: Kit) -> Any:
    """A Functional inside a Functional inside the model: nesting two levels deep."""
    innermost = _inner(k, "innermost")
    m = k.Input(shape=(4,), name="middle_in")
    middle = k.Model(m, k.layers.Dense(4, name="middle_dense")(innermost(m)), name="middle")
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="head")(middle(x))
    return k.Model(x, y, name="outer")


@recipe(
    "nested-two-deep-twice",
    tags=["nested-functional", "nested-deep", "nested-twice", "shared-layer", "multi-io"],
)
def nested_two_deep_twice(k: Kit) -> Any:
    """Two levels of nesting where both the inner and the middle model are called twice."""
    innermost = _inner(k, "innermost")
    m = k.Input(shape=(4,), name="middle_in")
    h = innermost(innermost(m))
    middle = k.Model(m, h, name="middle")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.layers.Add(name="sum")([middle(a), middle(b)])
    return k.Model([a, b], y, name="outer")


@recipe("sequential-in-sequential", tags=["sequential", "nested-sequential"])
def sequential_in_sequential(k: Kit) -> Any:
    """A Sequential whose second layer is another Sequential."""
    inner = _inner_seq(k, with_input=False)
    return k.Sequential(
        [k.Input(shape=(4,), name="x"), k.layers.Dense(4, name="first"), inner, k.layers.Dense(2, name="last")],
        name="outer_seq",
    )


@recipe("functional-in-sequential", tags=["sequential", "nested-functional"])
def functional_in_sequential(k: Kit) -> Any:
    """A Functional model as a layer of a Sequential."""
    inner = _inner(k)
    return k.Sequential([k.Input(shape=(4,), name="x"), inner, k.layers.Dense(2, name="last")], name="outer_seq")


@recipe("nested-two-outputs", tags=["nested-functional", "multi-output", "single-io"])
def nested_two_outputs(k: Kit) -> Any:
    """A nested model with two outputs; the outer model uses output 1 before output 0."""
    x_in = k.Input(shape=(4,), name="inner_in")
    o1 = k.layers.Dense(3, name="inner_a")(x_in)
    o2 = k.layers.Dense(2, name="inner_b")(x_in)
    inner = k.Model(x_in, [o1, o2], name="inner")
    x = k.Input(shape=(4,), name="x")
    a, b = inner(x)
    hb = k.layers.Dense(3, name="from_b")(b)
    y = k.layers.Add(name="sum")([hb, a])
    return k.Model(x, y, name="outer")


@recipe("nested-multi-input", tags=["nested-functional", "list-call", "multi-io"])
def nested_multi_input(k: Kit) -> Any:
    """A nested model with two inputs, called on a list (in reverse order of the outer inputs)."""
    i1 = k.Input(shape=(4,), name="inner_a")
    i2 = k.Input(shape=(4,), name="inner_b")
    inner = k.Model([i1, i2], k.layers.Add(name="inner_add")([i1, i2]), name="inner")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = inner([b, a])
    return k.Model([a, b], y, name="outer")


@recipe("nested-dict-input", tags=["nested-functional", "dict-io", "dict-call", "multi-io"])
def nested_dict_input(k: Kit) -> Any:
    """A nested model whose inputs are a dict, called with a dict: keras2 writes the node as an object."""
    i1 = k.Input(shape=(4,), name="left")
    i2 = k.Input(shape=(4,), name="right")
    inner = k.Model({"left": i1, "right": i2}, k.layers.Concatenate(name="inner_cat")([i1, i2]), name="inner")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = inner({"left": a, "right": b})
    return k.Model([a, b], y, name="outer")


@recipe("nested-shared-with-outer", tags=["nested-functional", "shared-layer", "single-io"])
def nested_shared_with_outer(k: Kit) -> Any:
    """One Dense layer used inside a nested model and again directly in the outer model."""
    shared = k.layers.Dense(4, name="shared")
    i = k.Input(shape=(4,), name="inner_in")
    inner = k.Model(i, shared(i), name="inner")
    x = k.Input(shape=(4,), name="x")
    y = shared(inner(x))
    return k.Model(x, y, name="outer")


@recipe("sequential-with-input", tags=["sequential", "single-io"])
def sequential_with_input(k: Kit) -> Any:
    """A plain Sequential that starts with an Input."""
    return _inner_seq(k, "plain_seq", with_input=True)


@recipe("sequential-built-later", tags=["sequential"])
def sequential_built_later(k: Kit) -> Any:
    """A Sequential without an Input, built with build(input_shape)."""
    model = _inner_seq(k, "late_seq", with_input=False)
    model.build((None, 4))
    return model


@recipe(
    "nested-two-outputs-twice",
    tags=["nested-functional", "nested-twice", "multi-output", "shared-layer", "multi-io"],
)
def nested_two_outputs_twice(k: Kit) -> Any:
    """A two-output nested model called twice: references with both node and tensor index > 0."""
    x_in = k.Input(shape=(4,), name="inner_in")
    inner = k.Model(
        x_in,
        [k.layers.Dense(3, name="inner_a")(x_in), k.layers.Dense(3, name="inner_b")(x_in)],
        name="inner",
    )
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    a0, a1 = inner(a)
    b0, b1 = inner(b)
    y = k.layers.Concatenate(name="cat")([b1, a0, b0, a1])
    return k.Model([a, b], [y, b1], name="outer")

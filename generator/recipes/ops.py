"""Recipes for keras3 `keras.ops` calls recorded as operation layers (module keras.src.ops.*)."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe

KERAS3 = ("keras3",)


@recipe("ops-add-collision", tags=["ops", "name-collision", "positional-call", "list-call", "multi-io"], formats=KERAS3)
def ops_add_collision(k: Kit) -> Any:
    """keras.ops.add next to layers.Add: two layers with class_name Add, told apart by module."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    s1 = k.ops.add(a, b)
    s2 = k.layers.Add(name="add_layer")([a, b])
    y = k.layers.Concatenate(name="cat")([s1, s2])
    return k.Model([a, b], y, name="ops_add_collision")


@recipe(
    "ops-multiply-concatenate-collision",
    tags=["ops", "name-collision", "list-call", "const-in-args", "multi-io"],
    formats=KERAS3,
)
def ops_multiply_concatenate_collision(k: Kit) -> Any:
    """keras.ops.multiply(x, 2.0) and keras.ops.concatenate([..], axis=-1) beside their layers."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    m1 = k.ops.multiply(a, 2.0)
    m2 = k.layers.Multiply(name="multiply_layer")([a, b])
    c1 = k.ops.concatenate([m1, m2], axis=-1)
    c2 = k.layers.Concatenate(name="concatenate_layer")([m2, m1])
    y = k.ops.subtract(c1, c2)
    return k.Model([a, b], y, name="ops_multiply_concatenate_collision")


@recipe("ops-const-first", tags=["ops", "const-in-args", "single-io"], formats=KERAS3)
def ops_const_first(k: Kit) -> Any:
    """keras.ops.subtract(1.0, x): a plain number as the first positional argument."""
    x = k.Input(shape=(4,), name="x")
    y = k.ops.subtract(1.0, x)
    return k.Model(x, y, name="ops_const_first")


@recipe("ops-split", tags=["ops", "multi-output", "single-io"], formats=KERAS3)
def ops_split(k: Kit) -> Any:
    """keras.ops.split(x, 2, axis=-1): a list-returning op (outputs 0, 1), constants in its config."""
    x = k.Input(shape=(6,), name="x")
    left, right = k.ops.split(x, 2, axis=-1)
    y = k.layers.Subtract(name="sub")([right, left])
    return k.Model(x, y, name="ops_split")


@recipe("ops-unstack", tags=["ops", "multi-output", "list-call", "single-io"], formats=KERAS3)
def ops_unstack(k: Kit) -> Any:
    """keras.ops.unstack(x, axis=1): three outputs of one op, merged in reverse order."""
    x = k.Input(shape=(3, 4), name="x")
    parts = k.ops.unstack(x, axis=1)
    y = k.layers.Concatenate(name="cat")(list(reversed(parts)))
    return k.Model(x, y, name="ops_unstack")


@recipe("ops-top-k", tags=["ops", "multi-output", "multi-io"], formats=KERAS3)
def ops_top_k(k: Kit) -> Any:
    """keras.ops.top_k returns (values, indices): a tuple output, both parts model outputs."""
    x = k.Input(shape=(6,), name="x")
    values, indices = k.ops.top_k(x, k=2, sorted=True)
    return k.Model(x, [indices, values], name="ops_top_k")


@recipe("ops-stack", tags=["ops", "list-call", "multi-io"], formats=KERAS3)
def ops_stack(k: Kit) -> Any:
    """keras.ops.stack([a, b, a], axis=1): a list argument with one tensor twice."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.ops.stack([a, b, a], axis=1)
    return k.Model([a, b], y, name="ops_stack")


@recipe("ops-getitem-slice", tags=["ops", "slicing", "typed-objects", "single-io"], formats=KERAS3)
def ops_getitem_slice(k: Kit) -> Any:
    """x[:, 1:3]: a GetItem op whose key is a tuple of __slice__ objects."""
    x = k.Input(shape=(5, 4), name="x")
    y = k.layers.Flatten(name="flat")(x[:, 1:3])
    return k.Model(x, y, name="ops_getitem_slice")


@recipe(
    "ops-getitem-ellipsis",
    tags=["ops", "slicing", "typed-objects", "single-io"],
    formats=KERAS3,
    min_version={"keras3": (3, 3, 0)},
)
def ops_getitem_ellipsis(k: Kit) -> Any:
    """x[..., 0] and x[:, None, ::2]: __ellipsis__, an int index, None and a stepped slice."""
    x = k.Input(shape=(5, 4), name="x")
    first = x[..., 0]
    strided = k.layers.Flatten(name="flat")(x[:, None, ::2])
    y = k.layers.Concatenate(name="cat")([first, strided])
    return k.Model(x, y, name="ops_getitem_ellipsis")


@recipe("ops-numpy-constant", tags=["ops", "typed-objects", "const-in-args", "single-io"], formats=KERAS3)
def ops_numpy_constant(k: Kit) -> Any:
    """keras.ops.add(x, numpy array): the constant is written as a __numpy__ object."""
    import numpy as np

    x = k.Input(shape=(3,), name="x")
    y = k.ops.add(x, np.array([1.0, 2.0, 3.0], dtype="float32"))
    return k.Model(x, y, name="ops_numpy_constant")


@recipe("ops-reshape-transpose", tags=["ops", "single-io"], formats=KERAS3)
def ops_reshape_transpose(k: Kit) -> Any:
    """keras.ops.reshape and transpose: tuple arguments that land in the op config, not the node."""
    x = k.Input(shape=(6,), name="x")
    y = k.ops.reshape(x, (-1, 2, 3))
    y = k.ops.transpose(y, axes=(0, 2, 1))
    return k.Model(x, y, name="ops_reshape_transpose")


@recipe("ops-nn-matmul", tags=["ops", "positional-call", "multi-io"], formats=KERAS3)
def ops_nn_matmul(k: Kit) -> Any:
    """keras.ops.matmul and keras.ops.softmax: ops from numpy and nn modules in one graph."""
    q = k.Input(shape=(3, 4), name="q")
    v = k.Input(shape=(5, 4), name="v")
    scores = k.ops.matmul(q, k.ops.transpose(v, axes=(0, 2, 1)))
    weights = k.ops.softmax(scores, axis=-1)
    y = k.ops.matmul(weights, v)
    return k.Model([q, v], y, name="ops_nn_matmul")


@recipe("ops-cast-where", tags=["ops", "const-in-args", "positional-call", "single-io"], formats=KERAS3)
def ops_cast_where(k: Kit) -> Any:
    """keras.ops.cast(x, "int32") and keras.ops.where(cond, x, 0.0): strings and mixed args."""
    x = k.Input(shape=(4,), name="x")
    cond = k.ops.greater(x, 0.5)
    y = k.ops.where(cond, x, 0.0)
    n = k.ops.cast(cond, "int32")
    return k.Model(x, [y, n], name="ops_cast_where")


@recipe("ops-maximum-collision", tags=["ops", "name-collision", "list-call", "multi-io"], formats=KERAS3)
def ops_maximum_collision(k: Kit) -> Any:
    """keras.ops.maximum beside layers.Maximum, the op named exactly like the layer class."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    m1 = k.ops.maximum(a, b)
    m2 = k.layers.Maximum(name="maximum_layer")([a, b])
    y = k.ops.minimum(m1, m2)
    return k.Model([a, b], y, name="ops_maximum_collision")


@recipe(
    "ops-in-nested-model", tags=["ops", "nested-functional", "nested-twice", "shared-layer", "multi-io"], formats=KERAS3
)
def ops_in_nested_model(k: Kit) -> Any:
    """A nested model built from ops, called twice; the outer model adds an op of its own."""
    i = k.Input(shape=(4,), name="inner_in")
    inner = k.Model(i, k.ops.multiply(k.ops.relu(i), 0.5), name="inner")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.ops.concatenate([inner(a), inner(b)], axis=-1)
    return k.Model([a, b], y, name="ops_in_nested_model")


@recipe("ops-shared-op-output", tags=["ops", "multi-io"], formats=KERAS3)
def ops_shared_op_output(k: Kit) -> Any:
    """One op output consumed by a layer, another op and the model outputs."""
    x = k.Input(shape=(4,), name="x")
    e = k.ops.exp(x)
    total = k.ops.sum(e, axis=-1, keepdims=True)
    y = k.ops.divide(e, total)
    d = k.layers.Dense(2, name="head")(e)
    return k.Model(x, [y, d, e], name="ops_shared_op_output")


@recipe("ops-tensor-constant", tags=["ops", "typed-objects", "const-in-args", "single-io"], formats=KERAS3)
def ops_tensor_constant(k: Kit) -> Any:
    """keras.ops.multiply(x, backend tensor): the constant is written as a __tensor__ object."""
    x = k.Input(shape=(3,), name="x")
    c = k.ops.convert_to_tensor([[0.5, 1.0, 2.0]], dtype="float32")
    y = k.ops.multiply(x, c)
    return k.Model(x, y, name="ops_tensor_constant")

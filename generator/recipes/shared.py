"""Recipes for shared layers: one layer, several nodes, referenced by node index."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe
from .lambdas import inert_lambda


@recipe("shared-dense-siamese", tags=["shared-layer", "multi-io", "list-call"])
def shared_dense_siamese(k: Kit) -> Any:
    """One Dense applied to two inputs; the merge reads node 0 and node 1."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    d = k.layers.Dense(4, name="shared")
    y = k.layers.Concatenate(name="cat")([d(a), d(b)])
    return k.Model([a, b], y, name="shared_dense_siamese")


@recipe("shared-nodes-out-of-order", tags=["shared-layer", "multi-io", "list-call"])
def shared_nodes_out_of_order(k: Kit) -> Any:
    """A shared layer's later node is consumed before its earlier one, and both are outputs."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    d = k.layers.Dense(4, name="shared")
    first = d(a)
    second = d(b)
    y = k.layers.Subtract(name="sub")([second, first])
    return k.Model([a, b], [y, second, first], name="shared_nodes_out_of_order")


@recipe("shared-layer-repeated", tags=["shared-layer", "single-io"])
def shared_layer_repeated(k: Kit) -> Any:
    """The same Dense applied three times in a chain: each node reads the previous node's output."""
    x = k.Input(shape=(4,), name="x")
    d = k.layers.Dense(4, activation="tanh", name="step")
    y = d(d(d(x)))
    return k.Model(x, y, name="shared_layer_repeated")


@recipe(
    "shared-layer-non-topological",
    tags=["shared-layer", "unordered-layers", "non-topological", "single-io"],
)
def shared_layer_non_topological(k: Kit) -> Any:
    """A shared layer listed before a layer its second node depends on: config order is not topological."""
    x = k.Input(shape=(4,), name="x")
    d = k.layers.Dense(4, name="shared")
    h = d(x)
    mid = k.layers.Dense(4, name="middle")(h)
    y = d(mid)
    return k.Model(x, y, name="shared_layer_non_topological")


@recipe("shared-layer-foreign-node", tags=["shared-layer", "foreign-node", "single-io"])
def shared_layer_foreign_node(k: Kit) -> Any:
    """A layer first called outside the model: its node inside the model is renumbered to 0."""
    d = k.layers.Dense(4, name="shared")
    outside = k.Input(shape=(4,), name="outside")
    d(outside)
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="head")(d(x))
    return k.Model(x, y, name="shared_layer_foreign_node")


@recipe(
    "shared-layer-foreign-between",
    tags=["shared-layer", "foreign-node", "multi-io", "list-call"],
)
def shared_layer_foreign_between(k: Kit) -> Any:
    """A foreign call between the model's two calls of a shared layer: the gap is closed."""
    d = k.layers.Dense(4, name="shared")
    a = k.Input(shape=(4,), name="a")
    ya = d(a)
    d(k.Input(shape=(4,), name="outside"))
    b = k.Input(shape=(4,), name="b")
    yb = d(b)
    y = k.layers.Add(name="sum")([ya, yb])
    return k.Model([a, b], y, name="shared_layer_foreign_between")


@recipe("shared-conv-towers", tags=["shared-layer", "multi-io", "list-call", "lambda"])
def shared_conv_towers(k: Kit) -> Any:
    """Shared Conv1D and pooling towers on three inputs, distances by Subtract and Lambda(abs)."""
    ins = [k.Input(shape=(6, 2), name=f"seq_{i}") for i in range(3)]
    conv = k.layers.Conv1D(3, 2, name="conv")
    pool = k.layers.GlobalMaxPooling1D(name="pool")
    emb = [pool(conv(t)) for t in ins]
    d01 = k.layers.Subtract(name="d01")([emb[0], emb[1]])
    d02 = k.layers.Subtract(name="d02")([emb[0], emb[2]])
    absd = k.layers.Lambda(inert_lambda("lambda t: abs(t)"), name="abs")
    y = k.layers.Concatenate(name="cat")([absd(d01), absd(d02)])
    return k.Model(ins, y, name="shared_conv_towers")

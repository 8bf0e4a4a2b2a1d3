"""Smoke recipes: the smallest models that exercise every path of the generator pipeline."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe


@recipe("smoke-dense-chain", tags=["single-io"])
def smoke_dense_chain(k: Kit) -> Any:
    """Input -> Dense -> Dense: the simplest Functional model, one input and one output."""
    x = k.Input(shape=(4,), name="x")
    h = k.layers.Dense(3, name="hidden")(x)
    y = k.layers.Dense(2, name="out")(h)
    return k.Model(x, y, name="smoke_dense_chain")


@recipe("smoke-shared-nested", tags=["shared-layer", "nested-functional", "multi-io"])
def smoke_shared_nested(k: Kit) -> Any:
    """A nested Functional called twice, then merged: renumbered node indices of a shared model."""
    i = k.Input(shape=(4,), name="inner_in")
    inner = k.Model(i, k.layers.Dense(3, name="inner_dense")(i), name="inner")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.layers.Add(name="add")([inner(a), inner(b)])
    return k.Model([a, b], y, name="smoke_shared_nested")


@recipe("smoke-sequential-in-functional", tags=["nested-sequential", "single-io"])
def smoke_sequential_in_functional(k: Kit) -> Any:
    """A Sequential with an InputLayer used as a layer inside a Functional model."""
    seq = k.Sequential(
        [k.Input(shape=(4,), name="seq_in"), k.layers.Dense(3, name="s1"), k.layers.Dense(2, name="s2")],
        name="seq",
    )
    x = k.Input(shape=(4,), name="x")
    return k.Model(x, seq(x), name="smoke_sequential_in_functional")


@recipe("smoke-one-element-list-call", tags=["list-call", "single-io"])
def smoke_one_element_list_call(k: Kit) -> Any:
    """Concatenate called on a one-element list: keras2 writes it like a bare tensor (lossy)."""
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Concatenate(name="concat")([x])
    return k.Model([x], y, name="smoke_one_element_list_call")


@recipe("smoke-mha-positional", tags=["positional-call", "tensor-in-kwargs", "multi-io"])
def smoke_mha_positional(k: Kit) -> Any:
    """MultiHeadAttention(query, value): keras2 folds the second tensor into the entry kwargs."""
    q = k.Input(shape=(3, 4), name="q")
    v = k.Input(shape=(5, 4), name="v")
    y = k.layers.MultiHeadAttention(num_heads=2, key_dim=2, name="mha")(q, v)
    return k.Model([q, v], y, name="smoke_mha_positional")

"""Recipes for the list-call merge layers: one list argument, several tensors in one node."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe


def _pair(k: Kit, shape: tuple[int, ...] = (4,)) -> tuple[Any, Any]:
    return k.Input(shape=shape, name="a"), k.Input(shape=shape, name="b")


@recipe("merge-add", tags=["list-call", "multi-io"])
def merge_add(k: Kit) -> Any:
    """Add called on a list of two inputs: the plainest list call."""
    a, b = _pair(k)
    s = k.layers.Add(name="add")([a, b])
    y = k.layers.Dense(2, name="head")(s)
    return k.Model([a, b], y, name="merge_add")


@recipe("merge-subtract", tags=["list-call", "multi-io"])
def merge_subtract(k: Kit) -> Any:
    """Subtract, where the order of the two list items is the meaning."""
    a, b = _pair(k)
    y = k.layers.Subtract(name="sub")([b, a])
    return k.Model([a, b], y, name="merge_subtract")


@recipe("merge-multiply-three", tags=["list-call", "multi-io"])
def merge_multiply_three(k: Kit) -> Any:
    """Multiply over a list of three tensors, two of them computed."""
    a, b = _pair(k)
    c = k.layers.Dense(4, name="proj")(a)
    y = k.layers.Multiply(name="mul")([a, b, c])
    return k.Model([a, b], y, name="merge_multiply_three")


@recipe("merge-average", tags=["list-call", "multi-io"])
def merge_average(k: Kit) -> Any:
    """Average of two dense branches of one input and a second input."""
    a, b = _pair(k)
    d1 = k.layers.Dense(4, name="branch_1")(a)
    d2 = k.layers.Dense(4, name="branch_2")(a)
    y = k.layers.Average(name="avg")([d1, d2, b])
    return k.Model([a, b], y, name="merge_average")


@recipe("merge-maximum-minimum", tags=["list-call", "multi-io", "multi-output"])
def merge_maximum_minimum(k: Kit) -> Any:
    """Maximum and Minimum over the same two tensors, each a model output."""
    a, b = _pair(k)
    hi = k.layers.Maximum(name="hi")([a, b])
    lo = k.layers.Minimum(name="lo")([a, b])
    return k.Model([a, b], [hi, lo], name="merge_maximum_minimum")


@recipe("merge-concatenate-axis", tags=["list-call", "multi-io"])
def merge_concatenate_axis(k: Kit) -> Any:
    """Concatenate along axis 1 of 3-D tensors: an axis in the config, not in the node."""
    a, b = _pair(k, (3, 4))
    y = k.layers.Concatenate(axis=1, name="cat")([a, b])
    y = k.layers.Flatten(name="flat")(y)
    return k.Model([a, b], y, name="merge_concatenate_axis")


@recipe("merge-dot", tags=["list-call", "multi-io"])
def merge_dot(k: Kit) -> Any:
    """Dot with normalize=True over two vectors (cosine similarity)."""
    a, b = _pair(k)
    y = k.layers.Dot(axes=1, normalize=True, name="cosine")([a, b])
    return k.Model([a, b], y, name="merge_dot")


@recipe("merge-same-tensor-twice", tags=["list-call", "single-io"])
def merge_same_tensor_twice(k: Kit) -> Any:
    """Add([x, x]): one tensor appears twice in one list call."""
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Add(name="double")([x, x])
    return k.Model(x, y, name="merge_same_tensor_twice")


@recipe("merge-tree", tags=["list-call", "multi-io"])
def merge_tree(k: Kit) -> Any:
    """A tree of merges whose list items are outputs of other merges."""
    a, b = _pair(k)
    c = k.Input(shape=(4,), name="c")
    ab = k.layers.Add(name="ab")([a, b])
    bc = k.layers.Multiply(name="bc")([b, c])
    cat = k.layers.Concatenate(name="cat")([ab, bc, c])
    top = k.layers.Dense(4, name="top")(cat)
    y = k.layers.Subtract(name="resid")([top, ab])
    return k.Model([a, b, c], y, name="merge_tree")


@recipe("merge-functional-helpers", tags=["list-call", "multi-io"])
def merge_functional_helpers(k: Kit) -> Any:
    """The lower-case helpers (layers.add, layers.concatenate) with explicit names."""
    a, b = _pair(k)
    s = k.layers.add([a, b], name="added")
    m = k.layers.maximum([a, s], name="maxed")
    y = k.layers.concatenate([s, m], axis=-1, name="joined")
    return k.Model([a, b], y, name="merge_functional_helpers")

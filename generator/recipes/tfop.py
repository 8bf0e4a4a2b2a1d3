"""Recipes for keras2 TF-op layers (TFOpLambda, SlicingOpLambda): structure-preserving nodes."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe

KERAS2 = ("keras2",)


@recipe("tfop-multiply-const", tags=["tfoplambda", "const-kwargs", "single-io"], formats=KERAS2)
def tfop_multiply_const(k: Kit) -> Any:
    """tf.math.multiply(x, 2.0): the node is a bare entry, the constant a kwarg."""
    x = k.Input(shape=(4,), name="x")
    y = k.tf.math.multiply(x, 2.0)
    y = k.layers.Dense(2, name="head")(y)
    return k.Model(x, y, name="tfop_multiply_const")


@recipe("tfop-const-first", tags=["tfoplambda", "const-in-args", "single-io"], formats=KERAS2)
def tfop_const_first(k: Kit) -> Any:
    """tf.math.add(2.0, x): a constant as the first argument, the tensor as a kwarg."""
    x = k.Input(shape=(4,), name="x")
    y = k.tf.math.add(2.0, x)
    return k.Model(x, y, name="tfop_const_first")


@recipe("tfop-tensor-kwarg", tags=["tfoplambda", "tensor-in-kwargs", "multi-io"], formats=KERAS2)
def tfop_tensor_kwarg(k: Kit) -> Any:
    """tf.math.maximum(a, b): the second tensor is written as a reference inside kwargs."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.tf.math.maximum(a, b)
    return k.Model([a, b], y, name="tfop_tensor_kwarg")


@recipe("tfop-concat", tags=["tfoplambda", "list-call", "const-kwargs", "multi-io"], formats=KERAS2)
def tfop_concat(k: Kit) -> Any:
    """tf.concat([a, b], axis=-1): a list node whose entries all carry the axis kwarg."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(3,), name="b")
    y = k.tf.concat([a, b], axis=-1)
    return k.Model([a, b], y, name="tfop_concat")


@recipe(
    "tfop-concat-constant",
    tags=["tfoplambda", "list-call", "const-in-args", "single-io"],
    formats=KERAS2,
)
def tfop_concat_constant(k: Kit) -> Any:
    """tf.concat([x, constant], axis=1): a _CONSTANT_VALUE entry inside the list."""
    x = k.Input(shape=(2,), name="x", batch_size=2)
    c = k.tf.constant([[1.0, 2.0], [3.0, 4.0]])
    y = k.tf.concat([x, c], axis=1)
    return k.Model(x, y, name="tfop_concat_constant")


@recipe("tfop-stack", tags=["tfoplambda", "list-call", "const-kwargs", "multi-io"], formats=KERAS2)
def tfop_stack(k: Kit) -> Any:
    """tf.stack([a, b, a], axis=1): one tensor twice in a structure-preserving list."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.tf.stack([a, b, a], axis=1)
    return k.Model([a, b], y, name="tfop_stack")


@recipe("tfop-add-n-nested", tags=["tfoplambda", "list-call", "multi-io"], formats=KERAS2)
def tfop_add_n_nested(k: Kit) -> Any:
    """tf.math.add_n over computed tensors, then tf.nn.relu: chained op layers."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    d = k.layers.Dense(4, name="proj")(a)
    s = k.tf.math.add_n([a, b, d])
    y = k.tf.nn.relu(s)
    return k.Model([a, b], y, name="tfop_add_n_nested")


@recipe("tfop-slicing", tags=["tfoplambda", "slicing", "single-io"], formats=KERAS2)
def tfop_slicing(k: Kit) -> Any:
    """x[:, 1:3]: a SlicingOpLambda whose slice_spec is a list of slice dicts."""
    x = k.Input(shape=(5, 4), name="x")
    y = x[:, 1:3]
    y = k.layers.Flatten(name="flat")(y)
    return k.Model(x, y, name="tfop_slicing")


@recipe("tfop-slicing-ellipsis", tags=["tfoplambda", "slicing", "single-io"], formats=KERAS2)
def tfop_slicing_ellipsis(k: Kit) -> Any:
    """x[..., 0] and x[:, None, ::2]: Ellipsis, an integer index, a new axis and a step."""
    x = k.Input(shape=(5, 4), name="x")
    first = x[..., 0]
    strided = x[:, None, ::2]
    y = k.layers.Concatenate(name="cat")([first, k.layers.Flatten(name="flat")(strided)])
    return k.Model(x, y, name="tfop_slicing_ellipsis")


@recipe("tfop-operators", tags=["tfoplambda", "const-kwargs", "single-io"], formats=KERAS2)
def tfop_operators(k: Kit) -> Any:
    """Python operators on tensors (x * 2.0 + 1.0, -x): TFOpLambda named after tf.__operators__."""
    x = k.Input(shape=(4,), name="x")
    y = x * 2.0 + 1.0
    z = -y
    return k.Model(x, [y, z], name="tfop_operators")


@recipe("tfop-reduce-keywords", tags=["tfoplambda", "const-kwargs", "single-io"], formats=KERAS2)
def tfop_reduce_keywords(k: Kit) -> Any:
    """tf.reduce_mean(x, axis=1, keepdims=True): several constant kwargs on one entry."""
    x = k.Input(shape=(5, 4), name="x")
    y = k.tf.reduce_mean(x, axis=1, keepdims=True)
    y = k.tf.reshape(y, [-1, 4])
    return k.Model(x, y, name="tfop_reduce_keywords")


@recipe("tfop-einsum-varargs", tags=["tfoplambda", "const-in-args", "varargs-call", "multi-io"], formats=KERAS2)
def tfop_einsum_varargs(k: Kit) -> Any:
    """tf.einsum("bi,bj->bij", a, b): keras2 drops the *varargs tensors, keeping only the string."""
    a = k.Input(shape=(3,), name="a")
    b = k.Input(shape=(2,), name="b")
    y = k.tf.einsum("bi,bj->bij", a, b)
    return k.Model([a, b], y, name="tfop_einsum")


@recipe(
    "tfop-matmul-shared-input", tags=["tfoplambda", "tensor-in-kwargs", "const-kwargs", "single-io"], formats=KERAS2
)
def tfop_matmul_shared_input(k: Kit) -> Any:
    """tf.linalg.matmul(x, x, transpose_b=True): the same tensor as entry and as kwarg."""
    x = k.Input(shape=(3, 4), name="x")
    y = k.tf.linalg.matmul(x, x, transpose_b=True)
    return k.Model(x, y, name="tfop_matmul_shared_input")


@recipe("tfop-stack-nested", tags=["tfoplambda", "list-call", "nested-call", "multi-io"], formats=KERAS2)
def tfop_stack_nested(k: Kit) -> Any:
    """tf.stack([[a, b], [b, a]], axis=1): a node that is a list of lists of entries."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.tf.stack([[a, b], [b, a]], axis=1)
    return k.Model([a, b], y, name="tfop_stack_nested")


@recipe("tfop-where", tags=["tfoplambda", "tensor-in-kwargs", "multi-io"], formats=KERAS2)
def tfop_where(k: Kit) -> Any:
    """tf.where(cond, a, b): a computed boolean entry, two tensor references in kwargs."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    cond = k.tf.math.greater(a, b)
    y = k.tf.where(cond, a, b)
    return k.Model([a, b], y, name="tfop_where")


@recipe(
    "tfop-in-nested-model",
    tags=["tfoplambda", "nested-functional", "nested-twice", "shared-layer", "multi-io"],
    formats=KERAS2,
)
def tfop_in_nested_model(k: Kit) -> Any:
    """A nested model made of TF ops, called twice: bare-entry nodes under renumbering."""
    i = k.Input(shape=(4,), name="inner_in")
    inner = k.Model(i, k.tf.math.multiply(k.tf.nn.relu(i), 0.5), name="inner")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.tf.concat([inner(a), inner(b)], axis=-1)
    return k.Model([a, b], y, name="tfop_in_nested_model")


@recipe("tfop-ragged-methods", tags=["tfoplambda", "method-layers", "const-kwargs", "multi-io"], formats=KERAS2)
def tfop_ragged_methods(k: Kit) -> Any:
    """RaggedTensor class method, instance methods and a property: ClassMethod/InstanceMethod/InstanceProperty."""
    x = k.Input(shape=(4,), name="x")
    ragged = k.tf.RaggedTensor.from_tensor(x, padding=0.0)
    dense = ragged.to_tensor(default_value=-1.0)
    lengths = ragged.row_lengths()
    return k.Model(x, [dense, lengths, ragged.flat_values], name="tfop_ragged_methods")

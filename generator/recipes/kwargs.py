"""Recipes for call keyword arguments: training=, mask=, constants and tensors by keyword.

Some recipes define a small custom layer (inside the recipe, on the producer's own base class)
because no built-in layer takes the argument shapes they exist to show.
"""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe


@recipe("dropout-training-true", tags=["training-kwarg", "const-kwargs", "single-io"])
def dropout_training_true(k: Kit) -> Any:
    """Dropout(x, training=True): a boolean constant kwarg the user wrote."""
    x = k.Input(shape=(4,), name="x")
    h = k.layers.Dropout(0.5, name="mc_dropout")(x, training=True)
    y = k.layers.Dense(2, name="head")(h)
    return k.Model(x, y, name="dropout_training_true")


@recipe("batchnorm-training-false", tags=["training-kwarg", "const-kwargs", "single-io"])
def batchnorm_training_false(k: Kit) -> Any:
    """BatchNormalization(x, training=False) next to an un-flagged call of another one."""
    x = k.Input(shape=(4,), name="x")
    h = k.layers.BatchNormalization(name="frozen_bn")(x, training=False)
    h = k.layers.Dense(4, name="dense")(h)
    y = k.layers.BatchNormalization(name="bn")(h)
    return k.Model(x, y, name="batchnorm_training_false")


@recipe("nested-model-training-false", tags=["training-kwarg", "const-kwargs", "nested-functional", "single-io"])
def nested_model_training_false(k: Kit) -> Any:
    """A nested model called with training=False (the frozen-backbone idiom)."""
    i = k.Input(shape=(4,), name="backbone_in")
    h = k.layers.Dense(4, name="backbone_dense")(i)
    h = k.layers.Dropout(0.2, name="backbone_dropout")(h)
    backbone = k.Model(i, h, name="backbone")
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="head")(backbone(x, training=False))
    return k.Model(x, y, name="nested_model_training_false")


@recipe("softmax-mask", tags=["mask-kwarg", "tensor-in-kwargs", "multi-io"])
def softmax_mask(k: Kit) -> Any:
    """Softmax(x, mask=m): a mask tensor by keyword on a non-recurrent layer."""
    x = k.Input(shape=(5,), name="logits")
    m = k.Input(shape=(5,), dtype="bool", name="mask")
    y = k.layers.Softmax(name="softmax")(x, mask=m)
    return k.Model([x, m], y, name="softmax_mask")


@recipe("first-arg-by-keyword", tags=["kwarg-call", "single-io"])
def first_arg_by_keyword(k: Kit) -> Any:
    """Dense(inputs=x): even the first argument passed by keyword."""
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="head")(inputs=x)
    return k.Model(x, y, name="first_arg_by_keyword")


def _custom_layers(k: Kit) -> dict[str, type]:
    """Small custom layers, one per argument shape; defined per producer base class."""

    class Blend(k.layers.Layer):  # type: ignore[misc,name-defined]
        """call(x, y, z=None, scale=1.0): tensors after the first, by position or keyword."""

        def call(self, x: Any, y: Any, z: Any = None, scale: float = 1.0) -> Any:
            out = x * scale + y
            return out if z is None else out + z

    class Gather(k.layers.Layer):  # type: ignore[misc,name-defined]
        """call(x, context): context is any structure of tensors."""

        def call(self, x: Any, context: Any = None) -> Any:
            parts = [context["a"], *context["b"]]
            out = x
            for p in parts:
                out = out + p
            return out

    class Tag(k.layers.Layer):  # type: ignore[misc,name-defined]
        """call(x, spec=None): spec is inert data that the layer ignores."""

        def call(self, x: Any, spec: Any = None) -> Any:
            return x

        def compute_output_shape(self, input_shape: Any) -> Any:
            # keras3 on JAX cannot trace a call whose kwargs hold strings; say the shape instead
            return input_shape

    class Pair(k.layers.Layer):  # type: ignore[misc,name-defined]
        """call(inputs): inputs is a dict of two tensors."""

        def call(self, inputs: Any) -> Any:
            return inputs["left"] - inputs["right"]

    return {"Blend": Blend, "Gather": Gather, "Tag": Tag, "Pair": Pair}


@recipe(
    "custom-positional-tensors",
    tags=["custom-layer", "positional-call", "kwarg-call", "tensor-in-kwargs", "const-kwargs", "multi-io"],
)
def custom_positional_tensors(k: Kit) -> Any:
    """A custom layer called (a, b, z=c, scale=2.0): keras2 folds b into kwargs by parameter name."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    c = k.Input(shape=(4,), name="c")
    y = _custom_layers(k)["Blend"](name="blend")(a, b, z=c, scale=2.0)
    return k.Model([a, b, c], y, name="custom_positional_tensors")


@recipe("custom-structured-kwarg", tags=["custom-layer", "tensor-in-kwargs", "nested-io", "multi-io"])
def custom_structured_kwarg(k: Kit) -> Any:
    """A kwarg holding a dict of a tensor and a list of tensors: references nested in kwargs."""
    x = k.Input(shape=(4,), name="x")
    t1 = k.Input(shape=(4,), name="t1")
    t2 = k.Input(shape=(4,), name="t2")
    t3 = k.layers.Dense(4, name="t3")(x)
    y = _custom_layers(k)["Gather"](name="gather")(x, context={"a": t1, "b": [t2, t3]})
    return k.Model([x, t1, t2], y, name="custom_structured_kwarg")


@recipe("custom-reference-lookalike", tags=["custom-layer", "const-kwargs", "reference-lookalike", "single-io"])
def custom_reference_lookalike(k: Kit) -> Any:
    """A constant kwarg ["x", 0, 0] that reads exactly like a tensor reference in keras2."""
    x = k.Input(shape=(4,), name="x")
    y = _custom_layers(k)["Tag"](name="tag")(x, spec=["x", 0, 0])
    return k.Model(x, y, name="custom_reference_lookalike")


@recipe("custom-dict-first-arg", tags=["custom-layer", "dict-call", "multi-io"])
def custom_dict_first_arg(k: Kit) -> Any:
    """A layer called on a dict of tensors: keras2 writes the node as a JSON object."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = _custom_layers(k)["Pair"](name="pair")({"right": b, "left": a})
    return k.Model([a, b], y, name="custom_dict_first_arg")


@recipe(
    "custom-none-argument",
    tags=["custom-layer", "positional-call", "const-kwargs", "multi-io"],
    min_version={"keras3": (3, 4, 0)},
)
def custom_none_argument(k: Kit) -> Any:
    """A custom layer called (a, b, None): an explicit None in a positional slot."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = _custom_layers(k)["Blend"](name="blend")(a, b, None)
    return k.Model([a, b], y, name="custom_none_argument")

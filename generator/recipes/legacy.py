"""Recipes for standalone Keras 1.x and 2.0-2.3 (the old era), written with the API those releases had.

They run on those producers only (``max_version``): Keras 1's ``merge``/``Merge``, layers
created with ``input_shape`` instead of an ``Input`` inside a Sequential, nested Sequentials
without an InputLayer. The keras2 recipes of the other modules run on these producers too,
where their API exists.
"""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe
from .lambdas import inert_lambda

OLD_ERA = {"keras2": (2, 4)}


def _merge(k: Kit, tensors: list[Any], mode: str, name: str, **kwargs: Any) -> Any:
    """Keras 1's ``merge(..., mode=...)`` where it exists (1.x, and 2.0-2.1 as a legacy API), else the 2.x layer."""
    if k.version < (2,):
        return k.layers.merge(tensors, mode=mode, name=name, **kwargs)
    layer = {"concat": "Concatenate", "sum": "Add", "mul": "Multiply", "ave": "Average", "max": "Maximum"}[mode]
    return getattr(k.layers, layer)(name=name, **kwargs)(tensors)


def _needs(k: Kit, minimum: tuple[int, ...], what: str) -> None:
    if k.version < minimum:
        raise NotImplementedError(f"{what} needs Keras >= {'.'.join(map(str, minimum))}")


def _tower(k: Kit, name: str, width: int = 4) -> Any:
    x = k.Input(shape=(width,), name=f"{name}_in")
    h = k.layers.Dense(width, activation="relu", name=f"{name}_dense")(x)
    return k.Model(x, h, name=name)


def _seq(k: Kit, name: str, width: int = 4) -> Any:
    """A Sequential whose first layer carries input_shape: no InputLayer in its config in these releases."""
    return k.Sequential(
        [
            k.layers.Dense(width, activation="relu", input_shape=(width,), name=f"{name}_d1"),
            k.layers.Dense(width, name=f"{name}_d2"),
        ],
        name=name,
    )


@recipe(
    "legacy-merge-function",
    tags=["legacy-merge", "list-call", "multi-io"],
    formats=["keras2"],
    max_version={"keras2": (2, 2)},
)
def legacy_merge_function(k: Kit) -> Any:
    """Keras 1's merge([a, b], mode=...): Merge layers (concat, sum, mul, ave, max, dot, cos) called on lists."""
    merge = k.layers.merge  # 1.x; 2.0 and 2.1 keep it as a deprecated legacy API
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    outputs = [merge([a, b], mode=mode, name=f"m_{mode}") for mode in ("concat", "sum", "mul", "ave", "max")]
    outputs.append(merge([a, b], mode="dot", dot_axes=1, name="m_dot"))
    outputs.append(merge([a, b], mode="cos", dot_axes=1, name="m_cos"))
    return k.Model([a, b], outputs, name="merges")


@recipe(
    "legacy-merge-lambda-mode",
    tags=["legacy-merge", "list-call", "lambda", "multi-io"],
    formats=["keras2"],
    max_version={"keras2": (2, 2)},
)
def legacy_merge_lambda_mode(k: Kit) -> Any:
    """merge with a Python function as its mode: the Merge layer's config holds the function's bytecode."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.layers.merge(
        [a, b],
        mode=inert_lambda("lambda ts: ts[0] - ts[1]"),
        output_shape=inert_lambda("lambda shapes: shapes[0]"),
        name="diff",
    )
    return k.Model([a, b], y, name="lambda_merge")


@recipe(
    "legacy-merge-of-sequentials",
    tags=["legacy-merge", "sequential", "nested-sequential"],
    formats=["keras2"],
    max_version={"keras2": (2, 2)},
)
def legacy_merge_of_sequentials(k: Kit) -> Any:
    """Keras 1's Merge layer of two Sequentials as the first layer of a Sequential (a model of two inputs)."""
    left, right = _seq(k, "left"), _seq(k, "right")
    merged = k.Sequential(name="merged")
    merged.add(k.layers.Merge([left, right], mode="concat", name="join"))
    merged.add(k.layers.Dense(2, name="head"))
    return merged


@recipe("legacy-merge-concat", tags=["list-call", "multi-io"], formats=["keras2"], max_version=OLD_ERA)
def legacy_merge_concat(k: Kit) -> Any:
    """Two inputs, a Dense on each, concatenated (merge(mode="concat") in 1.x, concatenate in 2.x)."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(3,), name="b")
    ha = k.layers.Dense(2, name="da")(a)
    hb = k.layers.Dense(2, name="db")(b)
    y = _merge(k, [ha, hb], "concat", "cat")
    return k.Model([a, b], y, name="concat_model")


@recipe("legacy-shared-dense", tags=["shared-layer", "list-call", "multi-io"], formats=["keras2"], max_version=OLD_ERA)
def legacy_shared_dense(k: Kit) -> Any:
    """One Dense called on two inputs (nodes 0 and 1), the results summed."""
    shared = k.layers.Dense(3, name="shared")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = _merge(k, [shared(a), shared(b)], "sum", "total")
    return k.Model([a, b], y, name="siamese")


@recipe(
    "legacy-shared-layer-foreign-node",
    tags=["shared-layer", "foreign-node", "single-io"],
    formats=["keras2"],
    max_version=OLD_ERA,
)
def legacy_shared_layer_foreign_node(k: Kit) -> Any:
    """A layer called first outside the model, then inside it: its in-model call is written as node 0."""
    shared = k.layers.Dense(4, name="shared")
    other = k.Input(shape=(4,), name="other")
    shared(other)
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="head")(shared(x))
    return k.Model(x, y, name="foreign")


@recipe(
    "legacy-nested-functional-twice",
    tags=["nested-functional", "nested-twice", "shared-layer", "multi-io"],
    formats=["keras2"],
    max_version=OLD_ERA,
)
def legacy_nested_functional_twice(k: Kit) -> Any:
    """A Functional model called on two inputs: its calls are nodes 1 and 2."""
    tower = _tower(k, "tower")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = _merge(k, [tower(a), tower(b)], "concat", "cat")
    return k.Model([a, b], y, name="outer")


@recipe(
    "legacy-nested-sequential-twice",
    tags=["nested-sequential", "nested-twice", "shared-layer", "multi-io"],
    formats=["keras2"],
    max_version=OLD_ERA,
)
def legacy_nested_sequential_twice(k: Kit) -> Any:
    """A Sequential without an InputLayer in its config, called on two inputs: nodes 1 and 2 in these releases."""
    inner = _seq(k, "inner")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = _merge(k, [inner(a), inner(b)], "concat", "cat")
    return k.Model([a, b], [y, inner(b)], name="outer")


@recipe(
    "legacy-nested-sequential-once", tags=["nested-sequential", "single-io"], formats=["keras2"], max_version=OLD_ERA
)
def legacy_nested_sequential_once(k: Kit) -> Any:
    """A Sequential used once as a layer of a Functional model (its one call is node 1)."""
    inner = _seq(k, "inner")
    x = k.Input(shape=(4,), name="x")
    y = k.layers.Dense(2, name="head")(inner(x))
    return k.Model(x, y, name="outer")


@recipe(
    "legacy-sequential-in-sequential", tags=["nested-sequential", "sequential"], formats=["keras2"], max_version=OLD_ERA
)
def legacy_sequential_in_sequential(k: Kit) -> Any:
    """A Sequential whose first layer is a Sequential (list-shaped configs inside each other up to 2.2.2)."""
    inner = _seq(k, "inner")
    outer = k.Sequential(name="outer")
    outer.add(inner)
    outer.add(k.layers.Dense(2, name="head"))
    return outer


@recipe(
    "legacy-sequential-in-sequential-called",
    tags=["nested-sequential", "nested-twice", "nested-deep", "multi-io"],
    formats=["keras2"],
    max_version=OLD_ERA,
)
def legacy_sequential_in_sequential_called(k: Kit) -> Any:
    """A Sequential holding a Sequential, called twice from a Functional model."""
    inner = _seq(k, "inner")
    middle = k.Sequential(name="middle")
    middle.add(inner)
    middle.add(k.layers.Dense(3, name="middle_head"))
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    return k.Model([a, b], [middle(a), middle(b)], name="outer")


@recipe(
    "legacy-functional-in-sequential", tags=["nested-functional", "sequential"], formats=["keras2"], max_version=OLD_ERA
)
def legacy_functional_in_sequential(k: Kit) -> Any:
    """A Functional model as the first layer of a Sequential."""
    tower = _tower(k, "tower")
    outer = k.Sequential(name="outer")
    outer.add(tower)
    outer.add(k.layers.Dense(2, name="head"))
    return outer


@recipe(
    "legacy-sequential-holds-nested-twice",
    tags=["nested-functional", "nested-sequential", "nested-deep", "nested-twice", "sequential"],
    formats=["keras2"],
    max_version=OLD_ERA,
)
def legacy_sequential_holds_nested_twice(k: Kit) -> Any:
    """A Sequential holding a Functional that calls a Sequential without an InputLayer twice: from 2.2.3 on,
    its .h5 model_config is dated by the file's root keras_version alone."""
    inner = _seq(k, "inner")
    x = k.Input(shape=(4,), name="x")
    pre = k.layers.Dense(4, name="pre")(x)
    mid = k.Model(x, _merge(k, [inner(x), inner(pre)], "sum", "both"), name="mid")
    outer = k.Sequential(name="outer")
    outer.add(mid)
    outer.add(k.layers.Dense(2, name="head"))
    return outer


@recipe(
    "legacy-nested-two-deep",
    tags=["nested-functional", "nested-sequential", "nested-deep", "nested-twice", "single-io"],
    formats=["keras2"],
    max_version=OLD_ERA,
)
def legacy_nested_two_deep(k: Kit) -> Any:
    """A Functional holding a Sequential, itself used in a Functional, each level called twice."""
    seq = _seq(k, "seq")
    x = k.Input(shape=(4,), name="mid_in")
    mid = k.Model(x, _merge(k, [seq(x), seq(x)], "sum", "mid_sum"), name="mid")
    a = k.Input(shape=(4,), name="a")
    first = mid(a)
    y = mid(first)
    return k.Model(a, y, name="top")


@recipe("legacy-multi-io", tags=["multi-io"], formats=["keras2"], max_version=OLD_ERA)
def legacy_multi_io(k: Kit) -> Any:
    """Three inputs listed out of creation order, three outputs, one of them an input passed through."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    c = k.Input(shape=(2,), name="c")
    s = _merge(k, [a, b], "sum", "ab")
    y = _merge(k, [s, c], "concat", "abc")
    return k.Model([c, a, b], [y, s, b], name="multi")


@recipe("legacy-sequential", tags=["sequential"], formats=["keras2"], max_version=OLD_ERA)
def legacy_sequential(k: Kit) -> Any:
    """A top-level Sequential built with input_shape (a bare list of layers up to Keras 2.2.2)."""
    model = _seq(k, "seq")
    model.add(k.layers.Dense(2, activation="softmax", name="seq_out"))
    return model


@recipe("legacy-lambda", tags=["lambda", "list-call", "multi-io"], formats=["keras2"], max_version=OLD_ERA)
def legacy_lambda(k: Kit) -> Any:
    """Lambda layers on one tensor and on a list of two (Keras 1 writes the function as marshalled bytecode)."""
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    doubled = k.layers.Lambda(inert_lambda("lambda t: t * 2.0"), name="double")(a)
    diff = k.layers.Lambda(
        inert_lambda("lambda ts: ts[0] - ts[1]"), output_shape=inert_lambda("lambda shapes: shapes[0]"), name="diff"
    )([doubled, b])
    return k.Model([a, b], diff, name="lambdas")


@recipe("legacy-masking-rnn", tags=["implicit-mask", "multi-io"], formats=["keras2"], max_version=OLD_ERA)
def legacy_masking_rnn(k: Kit) -> Any:
    """Masking before an LSTM, and an Embedding with mask_zero before a GRU (the masks travel implicitly)."""
    seq = k.Input(shape=(5, 3), name="seq")
    tokens = k.Input(shape=(5,), dtype="int32", name="tokens")
    masked = k.layers.Masking(mask_value=0.0, name="mask")(seq)
    h1 = k.layers.LSTM(4, name="lstm")(masked)
    emb = k.layers.Embedding(10, 3, mask_zero=True, name="emb")(tokens)
    h2 = k.layers.GRU(4, name="gru")(emb)
    return k.Model([seq, tokens], _merge(k, [h1, h2], "concat", "cat"), name="masking")


@recipe("legacy-wrappers", tags=["wrappers", "single-io"], formats=["keras2"], max_version=OLD_ERA)
def legacy_wrappers(k: Kit) -> Any:
    """TimeDistributed(Dense) and Bidirectional(LSTM) over a sequence."""
    seq = k.Input(shape=(5, 3), name="seq")
    td = k.layers.TimeDistributed(k.layers.Dense(4, name="td_dense"), name="td")(seq)
    y = k.layers.Bidirectional(k.layers.LSTM(2, name="bi_lstm"), name="bi")(td)
    return k.Model(seq, y, name="wrapped")


@recipe(
    "legacy-timedistributed-model",
    tags=["wrappers", "nested-functional", "single-io"],
    formats=["keras2"],
    max_version=OLD_ERA,
)
def legacy_timedistributed_model(k: Kit) -> Any:
    """TimeDistributed around a Functional model."""
    tower = _tower(k, "tower", width=3)
    seq = k.Input(shape=(5, 3), name="seq")
    y = k.layers.TimeDistributed(tower, name="td")(seq)
    return k.Model(seq, y, name="td_model")


@recipe("legacy-rnn-states", tags=["rnn-state", "multi-io", "multi-output"], formats=["keras2"], max_version=OLD_ERA)
def legacy_rnn_states(k: Kit) -> Any:
    """An encoder LSTM's states (return_state) passed as initial_state to a decoder LSTM."""
    _needs(k, (2, 0, 5), "return_state")  # unbuildable in 1.x: recurrent layers had no states in their call
    enc_in = k.Input(shape=(5, 3), name="enc_in")
    dec_in = k.Input(shape=(4, 3), name="dec_in")
    _, h, c = k.layers.LSTM(4, return_state=True, name="encoder")(enc_in)
    y = k.layers.LSTM(4, return_sequences=True, name="decoder")(dec_in, initial_state=[h, c])
    return k.Model([enc_in, dec_in], [y, h], name="seq2seq")


@recipe("legacy-call-kwargs", tags=["training-kwarg", "single-io"], formats=["keras2"], max_version=OLD_ERA)
def legacy_call_kwargs(k: Kit) -> Any:
    """Keyword arguments of a call: training=True on a Dropout (written from 2.0; Keras 1 writes none)."""
    _needs(k, (2, 1, 3), "the training argument of Layer calls")
    x = k.Input(shape=(4,), name="x")
    h = k.layers.Dropout(0.5, name="drop")(x, training=True)
    return k.Model(x, k.layers.Dense(2, name="head")(h), name="kwargs")


@recipe("legacy-mask-tensor-kwarg", tags=["tensor-in-kwargs", "multi-io"], formats=["keras2"], max_version=OLD_ERA)
def legacy_mask_tensor_kwarg(k: Kit) -> Any:
    """A tensor passed as a keyword argument (initial_state of a GRU called with a keyword, after a Masking)."""
    _needs(k, (2, 0, 5), "initial_state in recurrent calls")
    seq = k.Input(shape=(5, 3), name="seq")
    state = k.Input(shape=(4,), name="state")
    y = k.layers.GRU(4, name="gru")(seq, initial_state=state)
    return k.Model([seq, state], y, name="state_kwarg")


@recipe(
    "legacy-nested-twice-same-input",
    tags=["nested-functional", "nested-twice", "multi-output", "single-io"],
    formats=["keras2"],
    max_version=OLD_ERA,
)
def legacy_nested_twice_same_input(k: Kit) -> Any:
    """A Functional model called twice on the same tensor, one call a model output and the other feeding a layer.

    Before 2.4 a model's ``call`` caches its outputs by input tensors: the second call returns the first
    call's tensors, which the new node then claims.
    """
    tower = _tower(k, "tower")
    x = k.Input(shape=(4,), name="x")
    first = tower(x)
    second = tower(x)
    head = k.layers.Dense(2, name="head")(second)
    return k.Model(x, [first, head], name="outer")


@recipe(
    "legacy-sequential-twice-same-input",
    tags=["nested-sequential", "nested-twice", "multi-output", "single-io"],
    formats=["keras2"],
    max_version=OLD_ERA,
)
def legacy_sequential_twice_same_input(k: Kit) -> Any:
    """A Sequential without an InputLayer called twice on the same tensor, both calls model outputs."""
    inner = _seq(k, "inner")
    x = k.Input(shape=(4,), name="x")
    return k.Model(x, [inner(x), inner(x)], name="outer")

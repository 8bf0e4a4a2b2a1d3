"""Recipes for wrapper layers (Bidirectional, TimeDistributed): a layer inside a layer's config."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe


@recipe("bidirectional-lstm", tags=["wrappers", "single-io"])
def bidirectional_lstm(k: Kit) -> Any:
    """Bidirectional(LSTM) with merge_mode concat: the wrapped layer lives in the config only."""
    x = k.Input(shape=(5, 3), name="x")
    h = k.layers.Bidirectional(k.layers.LSTM(4, name="lstm"), name="bilstm")(x)
    y = k.layers.Dense(2, name="head")(h)
    return k.Model(x, y, name="bidirectional_lstm")


@recipe("bidirectional-return-state", tags=["wrappers", "rnn-state", "multi-output", "multi-io"])
def bidirectional_return_state(k: Kit) -> Any:
    """Bidirectional(LSTM(return_state=True)): five outputs, the states at tensor_index 1..4."""
    x = k.Input(shape=(5, 3), name="x")
    out, fh, fc, bh, bc = k.layers.Bidirectional(k.layers.LSTM(4, return_state=True, name="lstm"), name="bilstm")(x)
    h = k.layers.Concatenate(name="h")([fh, bh])
    return k.Model(x, [out, h, fc, bc], name="bidirectional_return_state")


@recipe(
    "bidirectional-initial-state",
    tags=["wrappers", "rnn-state", "kwarg-call", "tensor-in-kwargs", "multi-io"],
)
def bidirectional_initial_state(k: Kit) -> Any:
    """Bidirectional(GRU)(x, initial_state=[fwd, bwd]): states for both directions by keyword."""
    x = k.Input(shape=(5, 3), name="x")
    fwd = k.Input(shape=(4,), name="fwd_state")
    bwd = k.Input(shape=(4,), name="bwd_state")
    y = k.layers.Bidirectional(k.layers.GRU(4, name="gru"), name="bigru")(x, initial_state=[fwd, bwd])
    return k.Model([x, fwd, bwd], y, name="bidirectional_initial_state")


@recipe("bidirectional-backward-layer", tags=["wrappers", "single-io"])
def bidirectional_backward_layer(k: Kit) -> Any:
    """Bidirectional with an explicit backward_layer and merge_mode=sum."""
    x = k.Input(shape=(5, 3), name="x")
    fwd = k.layers.GRU(4, return_sequences=True, name="fwd")
    bwd = k.layers.GRU(4, return_sequences=True, go_backwards=True, name="bwd")
    y = k.layers.Bidirectional(fwd, backward_layer=bwd, merge_mode="sum", name="bigru")(x)
    return k.Model(x, y, name="bidirectional_backward_layer")


@recipe("timedistributed-dense", tags=["wrappers", "single-io"])
def timedistributed_dense(k: Kit) -> Any:
    """TimeDistributed(Dense) over a sequence."""
    x = k.Input(shape=(5, 3), name="x")
    y = k.layers.TimeDistributed(k.layers.Dense(2, name="dense"), name="td")(x)
    return k.Model(x, y, name="timedistributed_dense")


@recipe("timedistributed-conv", tags=["wrappers", "single-io"])
def timedistributed_conv(k: Kit) -> Any:
    """TimeDistributed(Conv2D) then TimeDistributed(Flatten): frames of images."""
    x = k.Input(shape=(3, 8, 8, 1), name="frames")
    h = k.layers.TimeDistributed(k.layers.Conv2D(2, 3, name="conv"), name="td_conv")(x)
    h = k.layers.TimeDistributed(k.layers.Flatten(name="flat"), name="td_flat")(h)
    y = k.layers.LSTM(2, name="lstm")(h)
    return k.Model(x, y, name="timedistributed_conv")


@recipe("timedistributed-model", tags=["wrappers", "nested-sequential", "single-io"])
def timedistributed_model(k: Kit) -> Any:
    """TimeDistributed wrapping a whole Sequential model."""
    step = k.Sequential(
        [k.Input(shape=(3,), name="step_in"), k.layers.Dense(4, name="d1"), k.layers.Dense(2, name="d2")],
        name="per_step",
    )
    x = k.Input(shape=(5, 3), name="x")
    y = k.layers.TimeDistributed(step, name="td")(x)
    return k.Model(x, y, name="timedistributed_model")

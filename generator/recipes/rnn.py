"""Recipes for recurrent layers: returned states (tensor_index > 0), initial_state, masks."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe


@recipe("lstm-return-state", tags=["rnn-state", "multi-output", "single-io"])
def lstm_return_state(k: Kit) -> Any:
    """LSTM(return_state=True): outputs 1 and 2 (h and c) are used by later layers."""
    x = k.Input(shape=(5, 3), name="x")
    seq, h, c = k.layers.LSTM(4, return_sequences=True, return_state=True, name="lstm")(x)
    hc = k.layers.Concatenate(name="hc")([h, c])
    pooled = k.layers.GlobalMaxPooling1D(name="pool")(seq)
    y = k.layers.Concatenate(name="out")([pooled, hc])
    return k.Model(x, y, name="lstm_return_state")


@recipe("lstm-states-as-outputs", tags=["rnn-state", "multi-output", "multi-io"])
def lstm_states_as_outputs(k: Kit) -> Any:
    """The three LSTM outputs are the model's outputs, in the order c, h, sequence."""
    x = k.Input(shape=(5, 3), name="x")
    seq, h, c = k.layers.LSTM(4, return_state=True, name="lstm")(x)
    return k.Model(x, [c, h, seq], name="lstm_states_as_outputs")


@recipe(
    "lstm-initial-state",
    tags=["rnn-state", "kwarg-call", "tensor-in-kwargs", "multi-output", "multi-io"],
)
def lstm_initial_state(k: Kit) -> Any:
    """Seq2seq: the decoder LSTM gets initial_state=[h, c] taken from the encoder's outputs."""
    enc_in = k.Input(shape=(5, 3), name="encoder_in")
    dec_in = k.Input(shape=(4, 3), name="decoder_in")
    _, h, c = k.layers.LSTM(6, return_state=True, name="encoder")(enc_in)
    dec = k.layers.LSTM(6, return_sequences=True, name="decoder")(dec_in, initial_state=[h, c])
    y = k.layers.Dense(3, name="proj")(dec)
    return k.Model([enc_in, dec_in], y, name="lstm_initial_state")


@recipe("gru-initial-state-input", tags=["rnn-state", "kwarg-call", "tensor-in-kwargs", "multi-io"])
def gru_initial_state_input(k: Kit) -> Any:
    """GRU(x, initial_state=h0) where h0 is a model input of its own."""
    x = k.Input(shape=(5, 3), name="x")
    h0 = k.Input(shape=(4,), name="h0")
    y = k.layers.GRU(4, name="gru")(x, initial_state=h0)
    return k.Model([x, h0], y, name="gru_initial_state_input")


@recipe("simplernn-initial-state-positional", tags=["rnn-state", "positional-call", "multi-io"])
def simplernn_initial_state_positional(k: Kit) -> Any:
    """SimpleRNN(x, [h0]): initial_state passed as the second positional argument."""
    x = k.Input(shape=(5, 3), name="x")
    h0 = k.Input(shape=(4,), name="h0")
    y = k.layers.SimpleRNN(4, name="rnn")(x, [h0])
    return k.Model([x, h0], y, name="simplernn_initial_state_positional")


@recipe("gru-return-state-chain", tags=["rnn-state", "multi-output", "kwarg-call", "single-io"])
def gru_return_state_chain(k: Kit) -> Any:
    """A GRU's returned state (output 1) is the initial_state of the next GRU."""
    x = k.Input(shape=(5, 3), name="x")
    seq, state = k.layers.GRU(4, return_sequences=True, return_state=True, name="gru_1")(x)
    y = k.layers.GRU(4, name="gru_2")(seq, initial_state=state)
    return k.Model(x, y, name="gru_return_state_chain")


@recipe("rnn-stacked-cells", tags=["rnn-state", "multi-output", "single-io"])
def rnn_stacked_cells(k: Kit) -> Any:
    """RNN over two stacked LSTMCells with return_state: nested states flattened to outputs 1..4."""
    x = k.Input(shape=(5, 3), name="x")
    cells = [k.layers.LSTMCell(4, name="cell_1"), k.layers.LSTMCell(2, name="cell_2")]
    stack = k.layers.StackedRNNCells(cells, name="cells")
    out, (h1, _c1), (h2, c2) = k.layers.RNN(stack, return_state=True, name="stacked")(x)
    last = k.layers.Concatenate(name="states")([h1, c2, h2])
    y = k.layers.Concatenate(name="out")([out, last])
    return k.Model(x, y, name="rnn_stacked_cells")


@recipe("embedding-mask-zero-lstm", tags=["implicit-mask", "single-io"])
def embedding_mask_zero_lstm(k: Kit) -> Any:
    """Embedding(mask_zero=True) feeding an LSTM: the mask travels without appearing in the call."""
    x = k.Input(shape=(6,), dtype="int32", name="tokens")
    e = k.layers.Embedding(20, 4, mask_zero=True, name="embed")(x)
    h = k.layers.LSTM(4, return_sequences=True, name="lstm")(e)
    p = k.layers.GlobalAveragePooling1D(name="pool")(h)
    y = k.layers.Dense(2, name="head")(p)
    return k.Model(x, y, name="embedding_mask_zero_lstm")


@recipe("lstm-explicit-mask", tags=["mask-kwarg", "tensor-in-kwargs", "multi-io"])
def lstm_explicit_mask(k: Kit) -> Any:
    """LSTM(x, mask=m) with a boolean mask that is a model input."""
    x = k.Input(shape=(5, 3), name="x")
    m = k.Input(shape=(5,), dtype="bool", name="mask")
    y = k.layers.LSTM(4, name="lstm")(x, mask=m)
    return k.Model([x, m], y, name="lstm_explicit_mask")


@recipe("masking-layer-gru", tags=["implicit-mask", "single-io"])
def masking_layer_gru(k: Kit) -> Any:
    """Masking(mask_value=0.0) before a GRU: a mask produced by a layer, not by the caller."""
    x = k.Input(shape=(5, 3), name="x")
    m = k.layers.Masking(mask_value=0.0, name="masking")(x)
    y = k.layers.GRU(4, name="gru")(m)
    return k.Model(x, y, name="masking_layer_gru")

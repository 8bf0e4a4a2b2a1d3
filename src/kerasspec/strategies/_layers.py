"""Steps that draw one layer call: Dense, merges, Concatenate, attention, wrappers, LSTM, Lambda.

Each step draws one call (a new layer, or another call of an existing one) and returns whether it
could; a step that finds no suitable tensors declines and another is drawn. A step given ``layer``
calls that existing layer again (a shared layer).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from kerasspec.canonical import Call, Const, ListValue, Tensor, Value
from kerasspec.serialize import TensorInfo

from ._builder import HEADS, WIDTHS, Builder, is_float, is_rank2, is_rank3, key
from ._record import LayerRecord
from ._releases import (
    MERGE_MODES,
    attention_scores,
    dense_takes_sequences,
    lstm_writable,
    mask_kwarg,
    merge_layer,
    mha_mixed_widths,
    mha_scores,
    rnn_states,
    scores_on_later_calls,
)


def dense(b: Builder, layer: LayerRecord | None = None) -> bool:
    if layer is None:
        x = b.pick(is_float if dense_takes_sequences(b.settings.producer) else is_rank2)
        if x is None:
            return False
        units = b.draw(st.sampled_from(WIDTHS))
        layer = LayerRecord(b.fresh("dense"), "Dense", {"units": units})
    else:
        x = b.pick(b.shaped(layer.slots[0][0]))
        if x is None:
            return False
        units = layer.params["units"]
    shape = b.info(x).shape
    assert shape is not None
    b.add_call(layer, Call((x,), {}), (TensorInfo((*shape[:-1], units)),), (shape,))
    return True


MERGES = ("Add", "Multiply", "Average", "Maximum")


def merge(b: Builder, layer: LayerRecord | None = None) -> bool:
    if layer is None:
        first = b.pick(is_float)
        if first is None:
            return False
        shape = b.info(first).shape
        kind = b.draw(st.sampled_from(MERGES))
        count = b.draw(st.integers(2, 3))
        if not b.admit(kind):
            return False
        layer = _merge_record(b, kind)
        rest = [b.pick(b.shaped(shape)) for _ in range(count - 1)]
        tensors = [first, *rest]
    else:
        shapes = layer.slots[0][0]
        tensors = [b.pick(b.shaped(shape)) for shape in shapes]
        if any(tensor is None for tensor in tensors):
            return False
        shape = shapes[0]
    items = tuple(t for t in tensors if t is not None)
    b.used.add("list-call")
    b.add_call(layer, Call((ListValue(items),), {}), (TensorInfo(shape),), (tuple(shape for _ in items),))
    return True


def _merge_record(b: Builder, kind: str) -> LayerRecord:
    """A new merge layer of ``kind``: in Keras 1, a ``Merge`` layer with that kind's mode."""
    if merge_layer(b.settings.producer):
        params: dict[str, Any] = {"mode": MERGE_MODES[kind]}
        if kind == "Concatenate":
            params["concat_axis"] = -1
        return LayerRecord(b.fresh("merge"), "Merge", params)
    return LayerRecord(b.fresh(kind.lower()), kind, {"axis": -1} if kind == "Concatenate" else {})


def merge_dot(b: Builder) -> bool:
    """Keras 1's ``Merge`` in mode ``dot`` or ``cos``: two tensors of one shape, their last axes multiplied.

    A ``cos`` output has one dimension more than the shape Keras gives it (``expand_dims`` after the
    ``batch_dot``; measured in 1.0.8 to 1.2.2): every layer that checks its input's rank refuses it, so it
    is left as a model output."""
    picked = b.pick_shaped(is_float)
    if picked is None:
        return False
    first, shape = picked
    second = b.pick(b.shaped(shape))
    assert second is not None  # ``first`` itself qualifies
    axis = len(shape) - 1
    mode = b.draw(st.sampled_from(("dot", "cos")))
    layer = LayerRecord(b.fresh("merge"), "Merge", {"mode": mode, "dot_axes": [axis, axis]})
    out = (None, 1) if axis == 1 else (None, shape[1], shape[1])
    b.used.update({"list-call", "legacy-merge"})
    (made,) = b.add_call(layer, Call((ListValue((first, second)),), {}), (TensorInfo(out),), ((shape, shape),))
    if mode == "cos":
        b.outputs_only.add(key(made))
    return True


def concatenate(b: Builder, layer: LayerRecord | None = None) -> bool:
    shapes: tuple[Any, ...]
    if layer is None:
        first = b.pick(is_float)
        if first is None:
            return False
        head = b.info(first).shape
        assert head is not None
        second = b.pick(lambda info: is_float(info) and info.shape is not None and info.shape[:-1] == head[:-1])
        assert second is not None  # ``first`` itself qualifies
        layer = _merge_record(b, "Concatenate")
        tensors = [first, second]
    else:
        picked = [b.pick(b.shaped(shape)) for shape in layer.slots[0][0]]
        if any(tensor is None for tensor in picked):
            return False
        tensors = [tensor for tensor in picked if tensor is not None]
    shapes = tuple(b.info(tensor).shape for tensor in tensors)
    width = sum(shape[-1] for shape in shapes)
    b.used.add("list-call")
    b.add_call(layer, Call((ListValue(tuple(tensors)),), {}), (TensorInfo((*shapes[0][:-1], width)),), (shapes,))
    return True


def attention(b: Builder, layer: LayerRecord | None = None) -> bool:
    query = b.pick(is_rank3) if layer is None else b.pick(b.shaped(layer.slots[0][0][0]))
    if query is None:
        return False
    q = b.info(query).shape
    assert q is not None
    if layer is None:
        value = b.pick(lambda info: is_rank3(info) and info.shape is not None and info.shape[-1] == q[-1])
        assert value is not None
    else:
        value = b.pick(b.shaped(layer.slots[0][0][1]))
        if value is None:
            return False
    v = b.info(value).shape
    assert v is not None
    items = [query, value]
    if b.draw(st.booleans()):
        key = b.pick(b.shaped(v))
        if key is not None:
            items.append(key)
    kwargs: dict[str, Value] = {}
    outputs = [TensorInfo(q)]
    scores = attention_scores(b.settings.producer) and (layer is None or scores_on_later_calls(b.settings.producer))
    if b.wants("multi-output") and scores and b.draw(st.booleans()):
        kwargs["return_attention_scores"] = Const(True)
        outputs.append(TensorInfo((q[0], q[1], v[1])))
        b.used.add("multi-output")
    if b.wants("const-kwargs") and b.draw(st.booleans()):
        kwargs["use_causal_mask"] = Const(True)
    if kwargs:
        b.used.add("const-kwargs")
    layer = layer or LayerRecord(b.fresh("attention"), "Attention")
    b.used.add("list-call")
    shapes = tuple(b.info(item).shape for item in items)
    b.add_call(layer, Call((ListValue(tuple(items)),), kwargs), tuple(outputs), (shapes,))
    return True


def mha(b: Builder, layer: LayerRecord | None = None) -> bool:
    query = b.pick(is_rank3) if layer is None else b.pick(b.shaped(layer.slots[0][0]))
    if query is None:
        return False
    q = b.info(query).shape
    assert q is not None
    if layer is not None:
        value = b.pick(b.shaped(layer.slots[0][1]))
    elif mha_mixed_widths(b.settings.producer):
        value = b.pick(is_rank3)
    else:
        value = b.pick(lambda info: is_rank3(info) and info.shape is not None and info.shape[-1] == q[-1])
    if value is None:
        return False
    v = b.info(value).shape
    assert v is not None
    key = None
    if (layer is None and b.draw(st.booleans())) or (layer is not None and len(layer.slots[0]) > 2):
        key = b.pick(b.shaped(v))
        if key is None:
            return False
    by_keyword = b.wants("kwarg-call") and b.draw(st.booleans())
    named: dict[str, Value] = {"query": query, "value": value}
    if key is not None:
        named["key"] = key
    kwargs: dict[str, Value] = {}
    if by_keyword:
        args: tuple[Value, ...] = ()
        kwargs.update(named)
        b.used.add("kwarg-call")
    else:
        args = tuple(named.values())
        b.used.add("positional-call")
    if b.depth == 0 and b.wants("tensor-in-kwargs") and b.draw(st.booleans()):
        # A mask needs an input of its own; nested models keep exactly one input.
        mask = b.add_input((q[1], v[1]), "bool", pooled=False)
        kwargs["attention_mask"] = mask
        b.used.update({"tensor-in-kwargs", "mask-kwarg"})
    outputs = [TensorInfo(q)]
    scores = mha_scores(b.settings.producer) and (layer is None or scores_on_later_calls(b.settings.producer))
    if b.wants("multi-output") and scores and b.draw(st.booleans()):
        kwargs["return_attention_scores"] = Const(True)
        outputs.append(TensorInfo((q[0], HEADS, q[1], v[1])))
        b.used.update({"multi-output", "const-kwargs"})
    if b.settings.format == "keras2" or by_keyword:
        b.used.add("tensor-in-kwargs")  # keras2 folds value/key into kwargs
    layer = layer or LayerRecord(
        b.fresh("multi_head_attention"), "MultiHeadAttention", {"num_heads": HEADS, "key_dim": 2}
    )
    slots = tuple(b.info(t).shape for t in named.values() if isinstance(t, Tensor))
    b.add_call(layer, Call(args, kwargs), tuple(outputs), slots)
    return True


def time_distributed(b: Builder) -> bool:
    """``TimeDistributed(Dense(units))`` over a sequence: a wrapper holding a layer in its config."""
    return _wrapper(b, "TimeDistributed", "time_distributed")


def bidirectional(b: Builder) -> bool:
    """``Bidirectional(LSTM(units))`` over a sequence (old era, tfjs-layers): the LSTM's config in ``config.layer``."""
    return _wrapper(b, "Bidirectional", "bidirectional")


def _wrapper(b: Builder, kind: str, stem: str) -> bool:
    picked = b.pick_shaped(is_rank3)
    if picked is None:
        return False
    x, shape = picked
    units = b.draw(st.sampled_from(WIDTHS))
    params: dict[str, Any] = {"units": units}
    output = (*shape[:-1], units)
    if kind == "Bidirectional":
        params["return_sequences"] = b.draw(st.booleans())
        # merge_mode "concat": the forward and backward outputs side by side
        output = (None, shape[1], 2 * units) if params["return_sequences"] else (None, 2 * units)
    layer = LayerRecord(b.fresh(stem), kind, params)
    b.add_call(layer, Call((x,), {}), (TensorInfo(output),), (shape,))
    b.used.add("wrappers")
    return True


def lambda_layer(b: Builder) -> bool:
    """A ``Lambda`` (old era) of one tensor; its function, ``t * 2.0``, is in the release's template."""
    x = b.pick(is_float)
    if x is None:
        return False
    layer = LayerRecord(b.fresh("lambda"), "Lambda")
    b.add_call(layer, Call((x,), {}), (b.info(x),), (b.info(x).shape,))
    b.used.add("lambda")
    return True


def lstm(b: Builder) -> bool:
    """An LSTM over a sequence; it may return its states, and may start from two earlier state-shaped tensors."""
    picked = b.pick_shaped(is_rank3) if lstm_writable(b.settings.producer) else None
    if picked is None:
        return False
    x, shape = picked
    units = b.draw(st.sampled_from(WIDTHS))
    sequences = b.draw(st.booleans())
    drawable = rnn_states(b.settings.producer)
    states = drawable and b.wants("multi-output") and b.draw(st.booleans())
    state = (None, units)
    kwargs: dict[str, Value] = {}
    slots: tuple[Any, ...] = (shape,)
    if drawable and b.draw(st.booleans()):
        h = b.pick(b.shaped(state))
        c = b.pick(b.shaped(state)) if h is not None else None
        if h is not None and c is not None:
            kwargs["initial_state"] = ListValue((h, c))
            slots = (shape, (state, state))
            b.used.update({"rnn-state", "kwarg-call", "tensor-in-kwargs"})
    if mask_kwarg(b.settings.producer) and b.depth == 0 and b.wants("tensor-in-kwargs") and b.draw(st.booleans()):
        # a boolean model input of its own (nested models keep one input); 2.0-2.3 write the kwargs as {}
        kwargs["mask"] = b.add_input((shape[1],), "bool", pooled=False)
        b.used.update({"tensor-in-kwargs", "mask-kwarg", "kwarg-call"})
    params = {"units": units, "return_sequences": sequences, "return_state": states}
    layer = LayerRecord(b.fresh("lstm"), "LSTM", params)
    output = TensorInfo((None, shape[1], units) if sequences else state)
    outputs = (output, TensorInfo(state), TensorInfo(state)) if states else (output,)
    if states:
        b.used.update({"rnn-state", "multi-output"})
    b.add_call(layer, Call((x,), kwargs), outputs, slots)
    return True

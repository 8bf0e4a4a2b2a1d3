"""Drawing random functional graphs that real Keras can build.

Every tensor carries its shape, so each call is legal: merges take tensors of one shape,
attention takes rank-3 tensors with matching feature sizes, a shared layer is called again only
on tensors shaped like its first call.  Draws are ordered plainest first (one input, ``Dense``,
no sharing, no nesting) so that Hypothesis shrinks towards fewer layers, fewer calls and plainer
calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from kerasspec.canonical import Call, Const, DictValue, ListValue, ObjectValue, Tensor, Value, leaves
from kerasspec.serialize import Producer, TensorInfo

from ._kinds import KINDS
from ._record import LayerRecord, ModelRecord
from ._releases import attention_scores, lstm_writable, mha_mixed_widths, mha_scores, scores_on_later_calls

STEPS = (3, 5)  # sequence lengths
WIDTHS = (4, 8)  # feature sizes
HEADS = 2

#: Everything a graph may contain; ``models(features=...)`` takes a subset.
FEATURES = frozenset(
    {
        "multi-io",
        "dict-io",
        "list-call",
        "dict-call",
        "nested-call",
        "positional-call",
        "kwarg-call",
        "tensor-in-kwargs",
        "const-kwargs",
        "shared-layer",
        "multi-output",
        "rnn-state",
        "wrappers",
        "nested-functional",
        "nested-sequential",
        "nested-twice",
        "ops",
        "tfoplambda",
        "slicing",
        "typed-objects",
        "name-collision",
        "unordered-layers",
        "const-in-args",
    }
)

SLICE_ALL = {"class_name": "__slice__", "config": {"start": None, "stop": None, "step": None}}


@dataclass
class Settings:
    producer: Producer
    max_layers: int
    features: frozenset[str]
    max_depth: int

    @property
    def format(self) -> str:
        return self.producer.format


@dataclass
class _Builder:
    """Grows one model: its record, the tensors available to later calls, the names in use."""

    draw: Callable[[Any], Any]
    settings: Settings
    names: dict[str, int]
    depth: int
    record: ModelRecord
    pool: list[Tensor] = field(default_factory=list)
    consumed: set[tuple[str, int, int]] = field(default_factory=set)  # (layer, call, output)
    used: set[str] = field(default_factory=set)  # features this model exercises

    # --- names and bookkeeping --------------------------------------------------------------

    def fresh(self, stem: str) -> str:
        count = self.names.get(stem, 0)
        self.names[stem] = count + 1
        return stem if count == 0 else f"{stem}_{count}"

    def info(self, tensor: Tensor) -> TensorInfo:
        return self.record.tensor_info(tensor)

    def add_input(self, shape: tuple[int | None, ...], dtype: str = "float32", pooled: bool = True) -> Tensor:
        name = self.fresh("input" if dtype != "bool" else "mask")
        layer = LayerRecord(name, "InputLayer", input=TensorInfo((None, *shape), dtype))
        self.record.layers[name] = layer
        tensor = Tensor(name, 0, 0)
        if pooled:
            self.pool.append(tensor)
        return tensor

    def add_call(
        self,
        layer: LayerRecord,
        call: Call,
        outputs: tuple[TensorInfo, ...],
        slots: tuple[Any, ...],
    ) -> list[Tensor]:
        self.record.layers.setdefault(layer.name, layer)
        index = len(layer.calls)
        layer.calls.append(call)
        layer.outputs.append(outputs)
        layer.slots.append(slots)
        self.record.order.append((layer.name, index))
        for tensor in _tensors_of(call):
            self.consumed.add(_key(tensor))
        made = [Tensor(layer.name, index, i) for i in range(len(outputs))]
        self.pool.extend(made)
        return made

    def wants(self, feature: str) -> bool:
        return feature in self.settings.features

    def admit(self, kind: str) -> bool:
        """Whether a new layer of ``kind`` may join this model.

        keras3 writes ``ops.add`` and ``layers.Add`` (``ops.multiply``, ``layers.Multiply``) under one
        ``class_name``, told apart by ``module`` only: such a pair is drawn, and recorded as
        ``name-collision``, only when that feature is wanted.
        """
        if self.settings.format != "keras3":
            return True
        written = KINDS[kind].class_name("keras3")
        if not any(
            layer.kind != kind and KINDS[layer.kind].class_name("keras3") == written
            for layer in self.record.layers.values()
        ):
            return True
        if not self.wants("name-collision"):
            return False
        self.used.add("name-collision")
        return True

    # --- choosing tensors -----------------------------------------------------------------------

    def pick(self, accept: Callable[[TensorInfo], bool] = lambda info: True) -> Tensor | None:
        choices = [tensor for tensor in self.pool if accept(self.info(tensor))]
        if not choices:
            return None
        # Recent tensors first: shrinking towards index 0 keeps chains short and connected.
        chosen: Tensor = self.draw(st.sampled_from(choices[::-1]))
        return chosen

    def pick_shaped(self, accept: Callable[[TensorInfo], bool]) -> tuple[Tensor, tuple[Any, ...]] | None:
        """A tensor as :meth:`pick` draws it, with its (known) shape."""
        tensor = self.pick(accept)
        if tensor is None:
            return None
        shape = self.info(tensor).shape
        assert shape is not None
        return tensor, shape

    def shaped(self, shape: tuple[Any, ...] | None) -> Callable[[TensorInfo], bool]:
        return lambda info: info.shape == shape and info.dtype == "float32"


def _key(tensor: Tensor) -> tuple[str, int, int]:
    # canonical values are not hashable (they are plain data classes); their coordinates are
    return (tensor.layer, tensor.call, tensor.output)


def _tensors_of(call: Call) -> list[Tensor]:
    return [value for value in leaves(*call.args, *call.kwargs.values()) if isinstance(value, Tensor)]


def _float(info: TensorInfo) -> bool:
    # A batch dimension first: a tf.stack of packed lists puts its 2s in front and is left as an output.
    return info.dtype == "float32" and info.shape is not None and info.shape[0] is None


def _rank3(info: TensorInfo) -> bool:
    return _float(info) and info.shape is not None and len(info.shape) == 3


# --- the kinds of step ------------------------------------------------------------------------
# Each step draws one call (a new layer, or another call of an existing one) and returns whether
# it could; a step that finds no suitable tensors declines and another is drawn.


def _dense(b: _Builder, layer: LayerRecord | None = None) -> bool:
    if layer is None:
        x = b.pick(_float)
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


def _merge(b: _Builder, layer: LayerRecord | None = None) -> bool:
    if layer is None:
        first = b.pick(_float)
        if first is None:
            return False
        shape = b.info(first).shape
        kind = b.draw(st.sampled_from(MERGES))
        count = b.draw(st.integers(2, 3))
        if not b.admit(kind):
            return False
        layer = LayerRecord(b.fresh(kind.lower()), kind)
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


def _concatenate(b: _Builder, layer: LayerRecord | None = None) -> bool:
    shapes: tuple[Any, ...]
    if layer is None:
        first = b.pick(_float)
        if first is None:
            return False
        head = b.info(first).shape
        assert head is not None
        second = b.pick(lambda info: _float(info) and info.shape is not None and info.shape[:-1] == head[:-1])
        assert second is not None  # ``first`` itself qualifies
        layer = LayerRecord(b.fresh("concatenate"), "Concatenate", {"axis": -1})
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


def _attention(b: _Builder, layer: LayerRecord | None = None) -> bool:
    query = b.pick(_rank3) if layer is None else b.pick(b.shaped(layer.slots[0][0][0]))
    if query is None:
        return False
    q = b.info(query).shape
    assert q is not None
    if layer is None:
        value = b.pick(lambda info: _rank3(info) and info.shape is not None and info.shape[-1] == q[-1])
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


def _mha(b: _Builder, layer: LayerRecord | None = None) -> bool:
    query = b.pick(_rank3) if layer is None else b.pick(b.shaped(layer.slots[0][0]))
    if query is None:
        return False
    q = b.info(query).shape
    assert q is not None
    if layer is not None:
        value = b.pick(b.shaped(layer.slots[0][1]))
    elif mha_mixed_widths(b.settings.producer):
        value = b.pick(_rank3)
    else:
        value = b.pick(lambda info: _rank3(info) and info.shape is not None and info.shape[-1] == q[-1])
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


def _op_multiply(b: _Builder) -> bool:
    x = b.pick(_float)
    if x is None:
        return False
    info = b.info(x)
    # The constant may come first: keras2 then writes a _CONSTANT_VALUE entry and the tensor
    # goes into kwargs under the op's second parameter name.
    const_first = b.wants("const-in-args") and b.draw(st.booleans())
    # TensorFlow types a leading Python int as int32 and refuses to multiply it by a float tensor.
    factors = (2.0, 0.5) if const_first and b.settings.format == "keras2" else (2.0, 0.5, 3)
    factor = Const(b.draw(st.sampled_from(factors)))
    if b.settings.format == "keras3":
        if not b.admit("ops.multiply"):
            return False
        layer = LayerRecord(b.fresh("multiply_op"), "ops.multiply")
        call = Call((factor, x) if const_first else (x, factor), {})
        b.used.add("ops")
    else:
        layer = LayerRecord(b.fresh("tf.math.multiply"), "tf.math.multiply")
        call = Call((factor,), {"y": x}) if const_first else Call((x,), {"y": factor})
        b.used.add("tfoplambda")
        if const_first:
            b.used.add("tensor-in-kwargs")
    if const_first:
        b.used.add("const-in-args")
    # keras2 builds a layer with the shape of its first argument: a scalar here when it is the constant
    first_shape = () if const_first else info.shape
    b.add_call(layer, call, (TensorInfo(info.shape),), (first_shape,))
    return True


def _op_join(b: _Builder) -> bool:
    x = b.pick(_float)
    if x is None:
        return False
    info = b.info(x)
    y = b.pick(b.shaped(info.shape))
    assert y is not None
    if b.settings.format == "keras3":
        if not b.admit("ops.add"):
            return False
        layer = LayerRecord(b.fresh("add_op"), "ops.add")
        b.add_call(layer, Call((x, y), {}), (TensorInfo(info.shape),), (info.shape, info.shape))
        b.used.add("ops")
    else:
        assert info.shape is not None
        layer = LayerRecord(b.fresh("tf.concat"), "tf.concat")
        width = info.shape[-1]
        assert width is not None
        out = TensorInfo((*info.shape[:-1], 2 * width))
        b.add_call(layer, Call((ListValue((x, y)),), {"axis": Const(-1)}), (out,), ((info.shape, info.shape),))
        b.used.update({"tfoplambda", "list-call"})
    return True


def _op_stack(b: _Builder) -> bool:
    """keras2 ``tf.stack([[x, y], [y, x]], axis=1)``: a structure-preserving node of nested lists of entries."""
    picked = b.pick_shaped(_float) if b.settings.format == "keras2" else None
    if picked is None:
        return False
    x, shape = picked
    y = b.pick(b.shaped(shape))
    assert y is not None  # ``x`` itself qualifies
    layer = LayerRecord(b.fresh("tf.stack"), "tf.stack")
    value = ListValue((ListValue((x, y)), ListValue((y, x))))
    # TensorFlow packs each inner list into a tensor of 2 first, then stacks the two on axis 1.
    out = TensorInfo((2, 2, *shape))
    b.add_call(layer, Call((value,), {"axis": Const(1)}), (out,), (((shape, shape), (shape, shape)),))
    b.used.update({"tfoplambda", "list-call", "nested-call"})
    return True


def _op_slice(b: _Builder) -> bool:
    x = b.pick(_rank3)
    if x is None:
        return False
    shape = b.info(x).shape
    assert shape is not None
    out = (TensorInfo((shape[0], shape[2])),)
    if b.settings.format == "keras3":
        layer = LayerRecord(b.fresh("get_item"), "ops.getitem")
        call = Call((x, ListValue((ObjectValue(SLICE_ALL), Const(0)))), {})
        b.used.update({"ops", "slicing", "typed-objects"})
    else:
        layer = LayerRecord(b.fresh("tf.__operators__.getitem"), "tf.__operators__.getitem")
        spec = DictValue({"start": Const(None), "stop": Const(None), "step": Const(None)})
        call = Call((x,), {"slice_spec": ListValue((spec, Const(0)))})
        b.used.update({"tfoplambda", "slicing"})
    b.add_call(layer, call, out, (shape,))
    return True


def _time_distributed(b: _Builder) -> bool:
    """``TimeDistributed(Dense(units))`` over a sequence: a wrapper holding a layer in its config."""
    picked = b.pick_shaped(_rank3)
    if picked is None:
        return False
    x, shape = picked
    units = b.draw(st.sampled_from(WIDTHS))
    layer = LayerRecord(b.fresh("time_distributed"), "TimeDistributed", {"units": units})
    b.add_call(layer, Call((x,), {}), (TensorInfo((*shape[:-1], units)),), (shape,))
    b.used.add("wrappers")
    return True


def _lstm(b: _Builder) -> bool:
    """An LSTM over a sequence; it may return its states, and may start from two earlier state-shaped tensors."""
    picked = b.pick_shaped(_rank3) if lstm_writable(b.settings.producer) else None
    if picked is None:
        return False
    x, shape = picked
    units = b.draw(st.sampled_from(WIDTHS))
    sequences = b.draw(st.booleans())
    states = b.wants("multi-output") and b.draw(st.booleans())
    state = (None, units)
    kwargs: dict[str, Value] = {}
    slots: tuple[Any, ...] = (shape,)
    if b.draw(st.booleans()):
        h = b.pick(b.shaped(state))
        c = b.pick(b.shaped(state)) if h is not None else None
        if h is not None and c is not None:
            kwargs["initial_state"] = ListValue((h, c))
            slots = (shape, (state, state))
            b.used.update({"rnn-state", "kwarg-call", "tensor-in-kwargs"})
    params = {"units": units, "return_sequences": sequences, "return_state": states}
    layer = LayerRecord(b.fresh("lstm"), "LSTM", params)
    output = TensorInfo((None, shape[1], units) if sequences else state)
    outputs = (output, TensorInfo(state), TensorInfo(state)) if states else (output,)
    if states:
        b.used.update({"rnn-state", "multi-output"})
    b.add_call(layer, Call((x,), kwargs), outputs, slots)
    return True


def _nested(b: _Builder, sequential: bool) -> bool:
    if b.depth >= b.settings.max_depth:
        return False
    x = b.pick(_float)
    if x is None:
        return False
    tensors = [x]
    # A nested Functional may take a list of two inputs: the call is then a list call.
    if not sequential and b.wants("list-call") and b.draw(st.booleans()):
        y = b.pick(_float)
        assert y is not None
        tensors.append(y)
    # ... or a dict of its inputs by name, called with a dict: keras2 writes the node as an object.
    keyed = not sequential and b.wants("dict-call") and b.draw(st.booleans())
    shapes = tuple(b.info(tensor).shape for tensor in tensors)
    name = b.fresh("sequential" if sequential else "model")
    inner = _sequential_record(b, name, shapes[0]) if sequential else _functional_record(b, name, shapes, keyed)
    layer = LayerRecord(name, "Sequential" if sequential else "Functional", model=inner.record)
    outputs = _model_outputs(inner)
    keys = tuple(inner.record.inputs.items) if keyed else ()  # type: ignore[union-attr]
    slots = (dict(zip(keys, shapes, strict=True)) if keyed else shapes if len(shapes) > 1 else shapes[0],)

    def argument(tensors: list[Tensor]) -> Value:
        return DictValue(dict(zip(keys, tensors, strict=True))) if keyed else _argument(tensors)

    b.add_call(layer, Call((argument(tensors),), {}), outputs, slots)
    b.used.update(inner.used)
    b.used.add("nested-sequential" if sequential else "nested-functional")
    if keyed:
        b.used.add("dict-call")
    elif len(tensors) > 1:
        b.used.add("list-call")
    if len(outputs) > 1:
        b.used.add("multi-output")
    if b.wants("nested-twice") and b.draw(st.booleans()):
        again = [b.pick(b.shaped(shape)) for shape in shapes]
        b.add_call(layer, Call((argument([t for t in again if t is not None]),), {}), outputs, slots)
        b.used.add("nested-twice")
    return True


def _argument(tensors: list[Tensor]) -> Value:
    return tensors[0] if len(tensors) == 1 else ListValue(tuple(tensors))


def _model_outputs(inner: _Builder) -> tuple[TensorInfo, ...]:
    outputs = inner.record.outputs
    tensors = (
        [outputs] if isinstance(outputs, Tensor) else list(outputs.items) if isinstance(outputs, ListValue) else []
    )
    return tuple(inner.info(tensor) for tensor in tensors if isinstance(tensor, Tensor))


def _sequential_record(b: _Builder, name: str, shape: tuple[Any, ...] | None) -> _Builder:
    assert shape is not None
    inner = _Builder(b.draw, b.settings, b.names, b.depth + 1, ModelRecord("Sequential", name))
    current = inner.add_input(shape[1:])
    for index in range(2):
        if index and not _more(inner):
            break
        units = b.draw(st.sampled_from(WIDTHS))
        dense = LayerRecord(inner.fresh("dense"), "Dense", {"units": units})
        current_shape = inner.info(current).shape
        assert current_shape is not None
        # The chain is implied by order; the records keep the calls for the live builder only.
        (current,) = inner.add_call(
            dense, Call((current,), {}), (TensorInfo((*current_shape[:-1], units)),), (current_shape,)
        )
    inner.record.outputs = current
    inner.record.layout = tuple(inner.record.layers)
    return inner


def _functional_record(b: _Builder, name: str, shapes: tuple[Any, ...], keyed: bool = False) -> _Builder:
    inner = _Builder(b.draw, b.settings, b.names, b.depth + 1, ModelRecord("Functional", name))
    inputs = [inner.add_input(shape[1:]) for shape in shapes]
    if keyed:  # keyed by the input layers' names, as the model is called with
        inner.record.inputs = DictValue({tensor.layer: tensor for tensor in inputs})
    else:
        inner.record.inputs = _single(inner, inputs[0]) if len(inputs) == 1 else ListValue(tuple(inputs))
    _grow(inner, max(1, b.settings.max_layers // 2))
    _close(inner, allow_dict=False)
    return inner


STEPS_BY_FEATURE: tuple[tuple[str | None, Callable[[_Builder], bool]], ...] = (
    (None, _dense),
    ("list-call", _merge),
    ("list-call", _concatenate),
    ("list-call", _attention),
    ("positional-call", _mha),
    ("ops", _op_multiply),
    ("ops", _op_join),
    ("slicing", _op_slice),
    ("nested-call", _op_stack),
    ("rnn-state", _lstm),
    ("wrappers", _time_distributed),
    ("nested-functional", lambda b: _nested(b, sequential=False)),
    ("nested-sequential", lambda b: _nested(b, sequential=True)),
)

SHARERS: dict[str, Callable[[_Builder, LayerRecord], bool]] = {
    "Dense": _dense,
    "Add": _merge,
    "Multiply": _merge,
    "Average": _merge,
    "Maximum": _merge,
    "Concatenate": _concatenate,
    "Attention": _attention,
    "MultiHeadAttention": _mha,
}


def _step_allowed(b: _Builder, feature: str | None) -> bool:
    if feature is None:
        return True
    if feature == "ops":
        return b.wants("ops" if b.settings.format == "keras3" else "tfoplambda")
    if feature == "positional-call":
        return b.wants("positional-call") or b.wants("kwarg-call")
    return b.wants(feature)


def _more(b: _Builder) -> bool:
    # One "go on?" choice per repetition, like ``st.lists``: the shrinker deletes a repetition
    # together with its choices, so the draws after it stay aligned.
    return bool(b.draw(st.booleans()))


def _grow(b: _Builder, steps: int) -> None:
    allowed = [step for feature, step in STEPS_BY_FEATURE if _step_allowed(b, feature)]
    for index in range(steps):
        if index and not _more(b):
            break
        b.draw(_one_step(b, allowed))


@st.composite
def _one_step(draw: Callable[[Any], Any], b: _Builder, allowed: list[Callable[[_Builder], bool]]) -> None:
    # One step is one Hypothesis example: the shrinker can delete a whole step, choices and all.
    outer, b.draw = b.draw, draw
    try:
        if b.wants("shared-layer") and draw(st.integers(0, 3)) == 3:
            shareable = [
                layer
                for layer in b.record.layers.values()
                if layer.kind in SHARERS and KINDS[layer.kind].shareable and layer.calls
            ]
            if shareable:
                layer = draw(st.sampled_from(shareable))
                if SHARERS[layer.kind](b, layer):
                    b.used.add("shared-layer")
                    return
        for _attempt in range(3):
            if draw(st.sampled_from(allowed))(b):
                return
    finally:
        b.draw = outer


def _close(b: _Builder, allow_dict: bool) -> None:
    """Consume every unused input and make every unconsumed tensor an output."""
    for name, layer in list(b.record.layers.items()):
        tensor = Tensor(name, 0, 0)
        if layer.input is not None and layer.input.dtype == "float32" and _key(tensor) not in b.consumed:
            shape = layer.input.shape
            assert shape is not None
            dense = LayerRecord(b.fresh("dense"), "Dense", {"units": WIDTHS[0]})
            b.add_call(dense, Call((tensor,), {}), (TensorInfo((*shape[:-1], WIDTHS[0])),), (shape,))
    sinks = [
        tensor for tensor in b.pool if _key(tensor) not in b.consumed and b.record.layers[tensor.layer].input is None
    ]
    if len(sinks) == 1 and not b.draw(st.booleans()):
        b.record.outputs = _single(b, sinks[0])
    elif allow_dict and b.wants("dict-io") and b.draw(st.booleans()):
        b.record.outputs = DictValue({f"out_{i}": tensor for i, tensor in enumerate(sinks)})
        b.used.add("dict-io")
    else:
        b.record.outputs = _listed(b, sinks)
    layout = list(b.record.layers)
    if b.wants("unordered-layers") and b.draw(st.booleans()):
        layout = b.draw(st.permutations(layout))
        b.used.add("unordered-layers")
    b.record.layout = tuple(layout)
    position = {name: index for index, name in enumerate(layout)}
    for name, layer in b.record.layers.items():
        if any(position[tensor.layer] > position[name] for call in layer.calls for tensor in _tensors_of(call)):
            b.used.add("non-topological")
            break


def _listed(b: _Builder, tensors: list[Tensor]) -> Value:
    """A list of inputs or outputs; keras2 cannot tell a list of one from one tensor."""
    if len(tensors) == 1 and b.settings.format == "keras2":
        return tensors[0]
    return ListValue(tuple(tensors))


def _single(b: _Builder, tensor: Tensor) -> Value:
    """One input or output as the spec reads it back (spec/canonical-graph.md, inputs and outputs):
    keras2 writes a single tensor as a list of one and that list reads as the single tensor;
    keras3 before 3.11 also writes a list of one, which reads as a list."""
    if b.settings.format == "keras3" and not b.settings.producer.at_least(3, 11):
        return ListValue((tensor,))
    return tensor


@st.composite
def model_records(draw: Callable[[Any], Any], settings: Settings) -> tuple[ModelRecord, frozenset[str]]:
    """A top-level Functional model record and the features it exercises."""
    names: dict[str, int] = {}
    b = _Builder(draw, settings, names, 0, ModelRecord("Functional", "model"))
    b.fresh("model")
    # A list strategy, so that the shrinker deletes whole inputs.
    shapes = draw(
        st.lists(
            st.tuples(st.sampled_from(STEPS), st.sampled_from(WIDTHS)),
            min_size=1,
            max_size=3 if b.wants("multi-io") else 1,
        )
    )
    inputs = [b.add_input(shape) for shape in shapes]
    _grow(b, settings.max_layers)
    _close(b, allow_dict=True)
    masks = [
        Tensor(name, 0, 0)
        for name, layer in b.record.layers.items()
        if layer.input is not None and layer.input.dtype == "bool"
    ]
    everything = [*inputs, *masks]
    if len(everything) == 1 and not draw(st.booleans()):
        b.record.inputs = _single(b, everything[0])
    elif b.wants("dict-io") and draw(st.booleans()):
        b.record.inputs = DictValue({tensor.layer: tensor for tensor in everything})
        b.used.add("dict-io")
    else:
        b.record.inputs = _listed(b, everything)
    total_io = len(everything) + len(_leaves(b.record.outputs))
    b.used.add("multi-io" if total_io > 2 else "single-io")
    return b.record, frozenset(b.used)


def _leaves(value: Value | None) -> list[Tensor]:
    return [] if value is None else [leaf for leaf in leaves(value) if isinstance(leaf, Tensor)]

"""What each producer release can build and what it adds to a recorded call (measured).

Measured by replaying generated graphs in every installed release (tests/keras/
test_serializer_differential.py) and by small probes of the keras3 releases:

* ``MultiHeadAttention(..., return_attention_scores=True)`` returns two tensors from Keras 3.3 on
  (one before), ``Attention`` from 3.8 on;
* from Keras 3.14 on, the scores of a second call of a shared attention layer cannot be a model
  output (a Keras bug: "Output with path 1 is not connected to inputs");
* ``MultiHeadAttention`` accepts a value whose feature size differs from the query's from 3.7 on;
* before 3.10, Keras 3 records the mask arguments it filled in itself: ``Attention`` gets
  ``training: false`` and ``mask: [null, ...]`` (one per input), ``MultiHeadAttention`` gets
  ``query_mask``/``value_mask`` (and ``key_mask`` with a key) set to null;
* every Keras 3 release records ``mask: null`` on a call of a nested model (``[null, null]`` for a
  list of two inputs); keras2 adds nothing;
* ``LSTM``: keras3 records ``mask: null, training: false`` on a call without ``initial_state``, and
  ``training: false`` on one with it before 3.10 (nothing from 3.10); keras2 folds ``initial_state``
  into the first argument;
* ``TimeDistributed``: every keras3 release records ``mask: null``;
* tf.keras in TensorFlow 2.12 writes an LSTM's initializers with a ``shared_object_id`` numbered
  across the whole model, which the serializer does not reproduce: no LSTM is drawn for it.

Standalone Keras before 2.4 (the old era, spec/keras2.md#old-era) has a smaller vocabulary, read
from its captured templates and corpus files:

* no attention layers, no TensorFlow ops (Theano backend), no keyword arguments in nodes from
  the strategies' calls, model inputs and outputs as flat lists only;
* Keras 1 merges with one ``Merge`` layer and a ``mode`` (``sum``, ``mul``, ``ave``, ``max``,
  ``concat``) where Keras 2 has ``Add``, ``Multiply``, ``Average``, ``Maximum``, ``Concatenate``;
  its ``dot`` and ``cos`` modes take two tensors of one shape and write ``dot_axes`` as the last axis
  of each, ``[r - 1, r - 1]`` (an output of ``(None, 1)`` from rank 2, ``(None, steps, steps)`` from rank 3);
* Keras 1's ``Merge`` of whole Sequentials, the first layer of a Sequential (a model of several
  inputs), is drawn as a top-level model of its own: the branches are in ``config.layers`` of the
  ``Merge``, no wiring;
* ``Bidirectional(LSTM)`` and a ``Lambda`` (its function written as bytecode: a bare raw string in
  1.0.8, ``[raw, null, null]`` from 1.1.2 to 2.0.8, base64 from 2.1.6; spec/keras2.md#lambda-bytecode)
  are drawn in every old-era release; 1.0 and 1.1 name the wrapped LSTM ``forward_<name>``;
* a tensor passed as ``mask=`` to an LSTM (a boolean model input): Keras 1 and 2.0.2 refuse it
  (``KeyError: 'mask_ib-0'``); 2.0.8 to 2.3.1 write the node's kwargs as ``{}`` (``json.dumps``
  refuses a tensor) and leave the mask input, which nothing else reaches, out of the file (lossy);
* Keras 1.0 and 1.1's ``Dense`` takes rank-2 tensors only ("expected ndim=2, found ndim=3");
* an LSTM is drawn with ``initial_state`` and ``return_state`` from Keras 2.0.8 on (Keras 1 has
  neither; 2.0.2 writes no ``return_state``); Keras 2 folds the states into the first argument as
  tf_keras does;
* the layers of a file are in the order Keras sorted them: no unordered layouts.

tfjs-layers 4.22.0 (JavaScript; its writer a port of the old era's, spec/keras2.md#old-era) has the
kinds of its captured template (``absent`` there lists those it lacks, with its own error: no
attention layers, no ``Merge``, no ``Lambda``, no TensorFlow ops) and the features of the old era
but ``lambda``, measured by replaying drawn graphs in it (tests/keras/test_serializer_tfjs.py):

* ``Model`` for every Functional, nested ones included; nested models numbered from 1;
* no dict inputs or outputs, no dict calls (``apply(inputs, kwargs)`` takes a tensor or a list);
* an LSTM's ``initialState`` appended to its inputs, the call's kwargs written as ``{}``
  (``JSON.stringify`` refuses the tensors in them): the entries read as tf_keras's folded ones;
* a nested Sequential with or without an InputLayer in its config, both numbered from 1;
* a nested model called twice on the same tensors records two nodes (no cache, unlike Keras 1.0
  to 2.3);
* ``Bidirectional(LSTM)``, its LSTM named after it, as the old era's;
* a tensor passed as ``mask=`` to an LSTM: written as 2.0.8 to 2.3.1 write it (kwargs ``{}``, the
  mask input left out of the file: lossy).
"""

from __future__ import annotations

from kerasspec.canonical import Call, Const, DictValue, ListValue, Value
from kerasspec.serialize import Producer

#: The features (spec/features.md) an old-era release's files can have among those drawn.
OLD_ERA_FEATURES = frozenset(
    {
        "multi-io",
        "list-call",
        "shared-layer",
        "multi-output",
        "rnn-state",
        "wrappers",
        "lambda",
        "tensor-in-kwargs",
        "nested-functional",
        "nested-sequential",
        "nested-twice",
    }
)

#: Keras 1's ``Merge`` mode for each Keras 2 merge layer.
MERGE_MODES = {"Add": "sum", "Multiply": "mul", "Average": "ave", "Maximum": "max", "Concatenate": "concat"}


def features_written(producer: Producer, wanted: frozenset[str]) -> frozenset[str]:
    """The features of ``wanted`` that ``producer``'s files can have (see the module docstring)."""
    if producer.tfjs:
        return wanted & OLD_ERA_FEATURES - {"lambda"}
    return wanted & OLD_ERA_FEATURES if producer.old_era else wanted


def attention_layers(producer: Producer) -> bool:
    """Whether the release has Keras's attention layers (not before Keras 2.4, not tfjs-layers)."""
    return not producer.container_writer


def merge_layer(producer: Producer) -> bool:
    """Whether the release merges with Keras 1's ``Merge`` layer and a mode."""
    return producer.old_era and producer.version < (2,)


def lambda_drawn(producer: Producer) -> bool:
    """Whether the strategies draw a ``Lambda`` for the release (the old era only: its bytecode is
    captured from those releases' templates)."""
    return producer.old_era


def bidirectional_drawn(producer: Producer) -> bool:
    """Whether the strategies draw ``Bidirectional(LSTM)``: in the old era and in tfjs-layers."""
    return producer.container_writer


def mask_kwarg(producer: Producer) -> bool:
    """Whether an LSTM is drawn with a tensor as ``mask=`` (2.0.8 to 2.3.1 and tfjs-layers; see the
    module docstring)."""
    return producer.tfjs or (producer.old_era and producer.version >= (2, 0, 8))


def tensor_kwargs_dropped(producer: Producer) -> bool:
    """Whether the release writes ``{}`` for kwargs holding a tensor (standalone Keras 2.0 to 2.3;
    tfjs-layers, whose ``JSON.stringify`` refuses them)."""
    return producer.tfjs or (producer.old_era and producer.version >= (2,))


def dense_takes_sequences(producer: Producer) -> bool:
    """Whether ``Dense`` accepts a tensor of rank 3 (not Keras 1.0 and 1.1)."""
    return not (producer.old_era and producer.version < (1, 2))


def rnn_states(producer: Producer) -> bool:
    """Whether the strategies draw an LSTM's ``initial_state`` and ``return_state`` for the release."""
    return not producer.old_era or producer.version >= (2, 0, 8)


def lstm_writable(producer: Producer) -> bool:
    """Whether the serializer writes an LSTM exactly as this release does (see the module docstring)."""
    return not (producer.package == "tensorflow" and producer.version[:2] == (2, 12))


def mha_scores(producer: Producer) -> bool:
    """Whether MultiHeadAttention can return its attention scores as a second output."""
    return producer.format == "keras2" or producer.at_least(3, 3)


def attention_scores(producer: Producer) -> bool:
    """Whether Attention can return its attention scores as a second output."""
    return producer.format == "keras2" or producer.at_least(3, 8)


def scores_on_later_calls(producer: Producer) -> bool:
    """Whether a shared attention layer can return scores from a call after its first.

    Keras 3.14 and later refuse such a model ("Output with path 1 is not connected to inputs"):
    the scores of a second call of a shared Attention or MultiHeadAttention have no history.
    """
    return producer.format == "keras2" or not producer.at_least(3, 14)


def mha_mixed_widths(producer: Producer) -> bool:
    """Whether MultiHeadAttention accepts query and value of different feature sizes."""
    return producer.format == "keras2" or producer.at_least(3, 7)


def _none_like(value: Value) -> Value:
    if isinstance(value, ListValue):
        return ListValue(tuple(_none_like(item) for item in value.items))
    if isinstance(value, DictValue):
        return DictValue({key: _none_like(item) for key, item in value.items.items()})
    return Const(None)


def keras3_additions(kind: str, call: Call, producer: Producer) -> dict[str, Value]:
    """The kwargs a Keras 3 release records on top of the call as made."""
    if kind in ("Functional", "Sequential"):
        # one null per input tensor, in the structure of the first argument
        return {} if "mask" in call.kwargs or not call.args else {"mask": _none_like(call.args[0])}
    if kind == "TimeDistributed":
        return {"mask": Const(None)}
    if kind == "LSTM":
        # a call with initial_state records training (before 3.10) but no mask; one without, both
        if "initial_state" in call.kwargs:
            return {} if producer.at_least(3, 10) else {"training": Const(False)}
        return {"mask": Const(None), "training": Const(False)}
    if producer.at_least(3, 10):
        return {}
    if kind == "Attention":
        (inputs,) = call.args
        count = len(inputs.items) if isinstance(inputs, ListValue) else 1
        return {"training": Const(False), "mask": ListValue(tuple(Const(None) for _ in range(count)))}
    if kind == "MultiHeadAttention":
        positional = ("query", "value", "key")[: len(call.args)]
        named = set(call.kwargs) | set(positional)
        added: dict[str, Value] = {"query_mask": Const(None), "value_mask": Const(None)}
        if "key" in named:
            added["key_mask"] = Const(None)
        return added
    return {}

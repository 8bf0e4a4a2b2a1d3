"""The layer vocabulary of generated graphs: what each kind is called and how its calls record.

A *kind* is one way of making a layer in live Keras: a layer class (``Dense``), a ``keras.ops``
operation (keras3) or a TensorFlow op wrapped as ``TFOpLambda``/``SlicingOpLambda`` (keras2).
Kept small on purpose: every kind here has a config template captured from every producer release
(``kerasspec/serialize/templates``) and a replay in the live-Keras differential test.
"""

from __future__ import annotations

from dataclasses import dataclass

from kerasspec.vocabulary import FORMATS, Producer


@dataclass(frozen=True)
class Kind:
    name: str  # the vocabulary name (template key, builder key)
    formats: tuple[str, ...]  # wire formats that have it
    class_names: tuple[str, str]  # (keras2, keras3) class_name written in the file
    signature: tuple[str, ...]  # call parameter names, in order (keras2 folds positionals by name)
    shareable: bool = False  # may be called again on tensors of the same shapes

    def class_name(self, format: str) -> str:
        return self.class_names[0 if format == "keras2" else 1]

    def written(self, producer: Producer) -> str:
        """The ``class_name`` ``producer`` writes: a Functional model is a ``Model`` before Keras 2.4
        and in tfjs-layers."""
        if producer.container_writer and self.name == "Functional":
            return "Model"
        return self.class_name(producer.format)


BOTH = FORMATS

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("InputLayer", BOTH, ("InputLayer", "InputLayer"), ()),
        Kind("Dense", BOTH, ("Dense", "Dense"), ("inputs",), shareable=True),
        Kind("Add", BOTH, ("Add", "Add"), ("inputs",), shareable=True),
        Kind("Multiply", BOTH, ("Multiply", "Multiply"), ("inputs",), shareable=True),
        Kind("Average", BOTH, ("Average", "Average"), ("inputs",), shareable=True),
        Kind("Maximum", BOTH, ("Maximum", "Maximum"), ("inputs",), shareable=True),
        Kind("Concatenate", BOTH, ("Concatenate", "Concatenate"), ("inputs",), shareable=True),
        # Keras 1's one merge layer, its operation in ``config.mode``; "A Merge layer cannot be used more than once"
        Kind("Merge", ("keras2",), ("Merge", ""), ("inputs",)),
        Kind("Attention", BOTH, ("Attention", "Attention"), ("inputs", "mask", "training"), shareable=True),
        Kind(
            "MultiHeadAttention",
            BOTH,
            ("MultiHeadAttention", "MultiHeadAttention"),
            ("query", "value", "key", "attention_mask", "return_attention_scores"),
            shareable=True,
        ),
        # a wrapper: the wrapped Dense's config sits in the wrapper's ``config.layer``
        Kind("TimeDistributed", BOTH, ("TimeDistributed", "TimeDistributed"), ("inputs", "training", "mask")),
        # drawn for the old era: a wrapper whose LSTM's config sits in ``config.layer``, and a Lambda whose
        # function the file carries as bytecode (data: never run)
        Kind("Bidirectional", ("keras2",), ("Bidirectional", ""), ("inputs", "mask", "training", "initial_state")),
        Kind("Lambda", ("keras2",), ("Lambda", ""), ("inputs", "mask", "arguments")),
        # keras2 folds initial_state into the first argument (tf_keras RNN.__call__); keras3 keeps it a kwarg
        Kind("LSTM", BOTH, ("LSTM", "LSTM"), ("inputs", "mask", "training", "initial_state")),
        Kind("Functional", BOTH, ("Functional", "Functional"), ("inputs", "training", "mask")),
        Kind("Sequential", BOTH, ("Sequential", "Sequential"), ("inputs", "training", "mask")),
        # keras.ops operations recorded as layers (keras3)
        Kind("ops.add", ("keras3",), ("", "Add"), ("x1", "x2")),
        Kind("ops.multiply", ("keras3",), ("", "Multiply"), ("x1", "x2")),
        Kind("ops.getitem", ("keras3",), ("", "GetItem"), ("x", "key")),
        # TensorFlow ops recorded as TFOpLambda / SlicingOpLambda (keras2)
        Kind("tf.math.multiply", ("keras2",), ("TFOpLambda", ""), ("x", "y", "name")),
        Kind("tf.concat", ("keras2",), ("TFOpLambda", ""), ("values", "axis", "name")),
        Kind("tf.stack", ("keras2",), ("TFOpLambda", ""), ("values", "axis", "name")),
        Kind("tf.__operators__.getitem", ("keras2",), ("SlicingOpLambda", ""), ("tensor", "slice_spec")),
    )
}

#: Kinds whose model config is a nested model.
MODEL_KINDS = frozenset({"Functional", "Sequential"})

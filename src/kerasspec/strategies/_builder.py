"""The builder a drawn graph grows in: its record, the tensors later calls may take, the names in use.

Every tensor carries its shape, so each call is legal: merges take tensors of one shape, attention
takes rank-3 tensors with matching feature sizes, a shared layer is called again only on tensors
shaped like its first call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from kerasspec.canonical import Call, ListValue, Tensor, Value, leaves
from kerasspec.serialize import Producer, TensorInfo

from ._kinds import KINDS
from ._record import LayerRecord, ModelRecord

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
        "lambda",
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


@dataclass
class Settings:
    """What one draw may use: the producer release, the size limits and the features asked for."""

    producer: Producer
    max_layers: int
    features: frozenset[str]
    max_depth: int

    @property
    def format(self) -> str:
        return self.producer.format


@dataclass
class Builder:
    """Grows one model: its record, the tensors available to later calls, the names in use."""

    draw: Callable[[Any], Any]
    settings: Settings
    names: dict[str, int]
    depth: int
    record: ModelRecord
    pool: list[Tensor] = field(default_factory=list)
    consumed: set[tuple[str, int, int]] = field(default_factory=set)  # (layer, call, output)
    used: set[str] = field(default_factory=set)  # features this model exercises
    # tensors that only a model output may take (Keras 1's cos Merge: a tensor of one rank more than its shape says)
    outputs_only: set[tuple[str, int, int]] = field(default_factory=set)

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
        for tensor in tensors_of(call):
            self.consumed.add(key(tensor))
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
        choices = [tensor for tensor in self.pool if key(tensor) not in self.outputs_only and accept(self.info(tensor))]
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


def key(tensor: Tensor) -> tuple[str, int, int]:
    # canonical values are not hashable (they are plain data classes); their coordinates are
    return (tensor.layer, tensor.call, tensor.output)


def tensors_of(call: Call) -> list[Tensor]:
    return [value for value in leaves(*call.args, *call.kwargs.values()) if isinstance(value, Tensor)]


def is_float(info: TensorInfo) -> bool:
    # A batch dimension first: a tf.stack of packed lists puts its 2s in front and is left as an output.
    return info.dtype == "float32" and info.shape is not None and info.shape[0] is None


def is_rank2(info: TensorInfo) -> bool:
    return is_float(info) and info.shape is not None and len(info.shape) == 2


def is_rank3(info: TensorInfo) -> bool:
    return is_float(info) and info.shape is not None and len(info.shape) == 3


def more(b: Builder) -> bool:
    # One "go on?" choice per repetition, like ``st.lists``: the shrinker deletes a repetition
    # together with its choices, so the draws after it stay aligned.
    return bool(b.draw(st.booleans()))


def listed(b: Builder, tensors: list[Tensor]) -> Value:
    """A list of inputs or outputs; keras2 cannot tell a list of one from one tensor."""
    if len(tensors) == 1 and b.settings.format == "keras2":
        return tensors[0]
    return ListValue(tuple(tensors))


def single(b: Builder, tensor: Tensor) -> Value:
    """One input or output as the spec reads it back (spec/canonical-graph.md, inputs and outputs):
    keras2 writes a single tensor as a list of one and that list reads as the single tensor;
    keras3 before 3.11 also writes a list of one, which reads as a list."""
    if b.settings.format == "keras3" and not b.settings.producer.at_least(3, 11):
        return ListValue((tensor,))
    return tensor

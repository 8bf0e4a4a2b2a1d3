"""The generated graph before it is written in a wire format: layers with the calls as made.

A :class:`Blueprint` is what a strategy draws.  It holds each call *as the user made it* (the
form a live-Keras builder replays), the shape and dtype of every tensor, and the layer's kind and
parameters.  :mod:`._canonical` turns it into the canonical document a given producer's file
means, and :mod:`._entries` into the config fields that producer writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kerasspec.canonical import Call, Tensor, Value
from kerasspec.serialize import TensorInfo


@dataclass
class LayerRecord:
    """One layer: its kind (a name from :data:`._kinds.KINDS`), parameters and calls."""

    name: str
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)  # as called (keras3-like: positional as args)
    outputs: list[tuple[TensorInfo, ...]] = field(default_factory=list)  # per call
    slots: list[tuple[Any, ...]] = field(default_factory=list)  # per call: shapes of tensor arguments
    model: ModelRecord | None = None  # a nested Functional or Sequential
    branches: list[ModelRecord] = field(default_factory=list)  # the models a Keras 1 Merge merges
    input: TensorInfo | None = None  # an InputLayer's tensor


@dataclass
class ModelRecord:
    """A Functional (or Sequential) model: layers in creation order, calls in the order made."""

    class_name: str
    name: str
    layers: dict[str, LayerRecord] = field(default_factory=dict)
    order: list[tuple[str, int]] = field(default_factory=list)  # (layer, call) in the order made
    inputs: Value | None = None
    outputs: Value | None = None
    layout: tuple[str, ...] = ()  # the order of ``layers`` in the file (a permutation of the names)

    def tensor_info(self, tensor: Tensor) -> TensorInfo:
        layer = self.layers[tensor.layer]
        if layer.input is not None:
            return layer.input
        return layer.outputs[tensor.call][tensor.output]


@dataclass(frozen=True)
class Blueprint:
    """A generated model: the records plus the producer release it is meant for."""

    producer: str
    model: ModelRecord
    features: frozenset[str]

    def __hash__(self) -> int:
        return hash((self.producer, self.model.name, self.features))


def plain(value: Any) -> Mapping[str, Any]:
    """A canonical value as JSON (for builder plans)."""
    return value.to_json()  # type: ignore[no-any-return]

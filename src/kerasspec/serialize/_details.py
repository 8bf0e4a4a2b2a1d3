"""What the canonical graph leaves out but a real file carries: layer configs and tensor shapes.

The canonical graph says what calls what; a producer also writes each layer's ``config`` (and
``build_config``, ``registered_name``, ...) and, in keras3, the shape and dtype of every tensor
argument.  Strategies that generate graphs know these and hand them to the serializer here; when
they are unknown (a corpus ``expected.json``), the serializer writes neutral placeholders and only
the wiring is comparable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Where a layer sits: the names of the nested models leading to it, then its own name.
#: ``()`` is the top-level model itself.
LayerPath = tuple[str, ...]

#: A tensor of one model: (path of that model, producing layer, call, output).
TensorKey = tuple[LayerPath, str, int, int]


@dataclass(frozen=True)
class TensorInfo:
    """The static shape (``None`` for unknown dimensions) and dtype of one symbolic tensor."""

    shape: tuple[int | None, ...] | None
    dtype: str = "float32"


@dataclass(frozen=True)
class Details:
    """Per-layer entry fields and per-tensor shapes, keyed by position in the document."""

    #: Extra keys of each layer entry (``config`` without ``name``/``layers``/``input_layers``/
    #: ``output_layers``, ``registered_name``, ``build_config``, ...); ``()`` is the model envelope.
    entries: Mapping[LayerPath, Mapping[str, Any]] = field(default_factory=dict)
    tensors: Mapping[TensorKey, TensorInfo] = field(default_factory=dict)

    def entry(self, path: LayerPath) -> Mapping[str, Any] | None:
        return self.entries.get(path)

    def tensor(self, model: LayerPath, layer: str, call: int, output: int) -> TensorInfo:
        return self.tensors.get((model, layer, call, output), UNKNOWN)


UNKNOWN = TensorInfo(None, "float32")

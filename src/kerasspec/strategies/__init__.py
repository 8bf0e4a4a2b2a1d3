"""Hypothesis strategies for Keras model JSON: valid graphs and the ways real files break.

* :func:`models` draws a :class:`Generated` model: a canonical :class:`~kerasspec.canonical.Document`
  that the chosen producer release could write, with the details (configs, shapes) to serialize
  it exactly as that release does, its features, and a plan that replays it in live Keras.
* :func:`invalid_models` draws a :class:`Mutation`: a broken model JSON text and the error code a
  conforming parser must raise for it.

Requires the ``hypothesis`` extra.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from hypothesis import strategies as st

from kerasspec.canonical import Document
from kerasspec.serialize import Details, Producer, serialize

from ._canonical import document, read_back, written
from ._graph import FEATURES, Settings, model_records
from ._mutations import Mutation, invalid_models, mutations
from ._plan import plan
from ._record import ModelRecord
from ._releases import features_written

__all__ = ["FEATURES", "Generated", "Mutation", "invalid_models", "models", "mutations"]

#: The releases drawn unless told otherwise: the newest of each wire format, then two of standalone
#: Keras before 2.4 (2.2.4: nested models numbered from 1; 1.2.2: the Keras 1 dialect and list-shaped
#: Sequentials) and tfjs-layers 4.22.0 (the model JSON inside a ``model.json``, numbered as 2.2.4).
#: Last, so that a failure shrinks towards a newer release where it can.
DEFAULT_PRODUCERS = ("keras-3.15.1", "tf_keras-2.21.0", "keras-2.2.4", "keras-1.2.2", "tfjs-layers-4.22.0")


@dataclass(frozen=True, eq=False)
class Generated:
    """One generated model for one producer release."""

    producer: Producer
    document: Document  # what a conforming parser reads from :attr:`text`
    details: Details
    features: frozenset[str]
    record: ModelRecord
    live: Document  # what the live model held; differs from ``document`` only in lossy cases
    wired: Document | None = None  # what the producer writes of ``live`` where it drops part of it

    @property
    def written(self) -> Document:
        """The document the producer's file holds (Keras 2.0-2.3 drop kwargs holding a tensor)."""
        return self.live if self.wired is None else self.wired

    @property
    def lossy(self) -> bool:
        """Whether the file cannot say everything the live model held (see ``read_back``)."""
        return self.live is not self.document and self.live.to_json() != self.document.to_json()

    @cached_property
    def text(self) -> str:
        """The model JSON the producer writes for it."""
        return serialize(self.written, self.producer, self.details)

    @property
    def expected(self) -> dict[str, Any]:
        """The canonical document a conforming parser must return for :attr:`text`."""
        return self.document.to_json()

    def plan(self) -> dict[str, Any]:
        """The JSON plan a live-Keras builder replays (``tests/keras/serializer_live.py``)."""
        return {"format": self.producer.format, "model": plan(self.record)}

    def layer_count(self) -> int:
        """Layers in the whole document, nested models' layers included."""
        return _count(self.document.model)


def _has_kwarg(model: Any, key: str) -> bool:
    for layer in model.layers:
        if any(key in call.kwargs for call in layer.calls):
            return True
        if layer.model is not None and _has_kwarg(layer.model, key):
            return True
    return False


def _count(model: Any) -> int:
    return sum(1 + (_count(layer.model) if layer.model is not None else 0) for layer in model.layers)


def models(
    producer: str | Producer | Iterable[str | Producer] = DEFAULT_PRODUCERS,
    *,
    max_layers: int = 6,
    features: Iterable[str] = FEATURES,
    max_depth: int = 1,
) -> st.SearchStrategy[Generated]:
    """Random functional models that ``producer`` (one release or several) could write.

    ``max_layers`` bounds the calls drawn per model, ``features`` (tags of ``spec/features.md``)
    the constructs used, ``max_depth`` the nesting of models in models.  A release of standalone
    Keras before 2.4 (``keras-1.2.2``, ``keras-2.2.4``, ...) or tfjs-layers (``tfjs-layers-4.22.0``)
    draws only the features its files can have (``kerasspec/strategies/_releases.py``).
    """
    releases = (
        [Producer.parse(producer)] if isinstance(producer, str | Producer) else [Producer.parse(p) for p in producer]
    )
    wanted = frozenset(features)
    unknown = wanted - FEATURES
    if unknown:
        raise ValueError(f"unknown features {sorted(unknown)}; known: {sorted(FEATURES)}")

    @st.composite
    def draw_model(draw: Any) -> Generated:
        release = draw(st.sampled_from(releases))
        drawable = features_written(release, wanted)
        record, used = draw(model_records(Settings(release, max_layers, drawable, max_depth)))
        live, details = document(record, release)
        if _has_kwarg(live.model, "training"):
            used = used | {"training-kwarg"}  # Keras 3 before 3.10 records training=False itself
        wired = written(live, release)
        return Generated(
            release, read_back(wired, release), details, used, record, live, None if wired is live else wired
        )

    return draw_model()

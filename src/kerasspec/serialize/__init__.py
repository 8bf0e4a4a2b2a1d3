"""The reference serializer: a canonical graph and a producer release to the model JSON it writes.

It is the inverse of the reader rules of ``spec/canonical-graph.md``: ``parse(serialize(doc, p))``
gives ``doc`` back for every producer ``p`` of the document's wire format, and for graphs that real
Keras can build, the text is what that release's ``model.to_json()`` writes (key order aside; see
``tests/keras/test_serializer_differential.py`` for the measured exceptions).

    >>> from kerasspec.serialize import serialize
    >>> text = serialize(document, "tf_keras-2.21.0")

Layer configs and tensor shapes are not part of the canonical graph; pass them as
:class:`Details` (the strategies of :mod:`kerasspec.strategies` do) to get complete files.
"""

from __future__ import annotations

import json
from typing import Any

from kerasspec.canonical import Document
from kerasspec.vocabulary import STRUCTURE_PRESERVING, Producer

from ._details import UNKNOWN, Details, LayerPath, TensorInfo, TensorKey
from ._keras2 import Keras2Writer
from ._keras3 import Keras3Writer
from ._writer import Unserializable

__all__ = [
    "STRUCTURE_PRESERVING",
    "UNKNOWN",
    "Details",
    "LayerPath",
    "Producer",
    "TensorInfo",
    "TensorKey",
    "Unserializable",
    "serialize",
    "to_wire",
]


def to_wire(document: Document, producer: str | Producer, details: Details | None = None) -> dict[str, Any]:
    """The decoded model JSON (``json.loads(model.to_json())``) that ``producer`` writes for ``document``.

    Raises :class:`Unserializable` when the graph has no form in the producer's wire format, and
    ``ValueError`` when the document's format is not the producer's.
    """
    release = Producer.parse(producer)
    if document.format != release.format:
        raise ValueError(f"{release} writes {release.format}, but the document is {document.format}")
    writer = Keras2Writer if release.format == "keras2" else Keras3Writer
    return writer(release, details).document(document)


def serialize(
    document: Document,
    producer: str | Producer,
    details: Details | None = None,
    *,
    indent: int | None = None,
) -> str:
    """The model JSON text ``producer`` writes for ``document`` (``json.dumps`` of :func:`to_wire`)."""
    return json.dumps(to_wire(document, producer, details), indent=indent)

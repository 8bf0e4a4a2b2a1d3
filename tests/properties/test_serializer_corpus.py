"""The serializer agrees with every corpus case: serializer(expected.json, producer) has the wiring
of the case's model.json (one test per case id).

The expected document carries no layer configs and no tensor shapes, so the comparison is on the
wiring (``kerasspec.serialize._wiring``): layer names, classes, modules and order, every node, and
``input_layers``/``output_layers``, with ``__keras_tensor__`` objects reduced to their
``keras_history``.  Lossy cases are included: their expected document is what the file says.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kerasspec import corpus as _corpus
from kerasspec.canonical import Document, diff
from kerasspec.serialize import Producer, to_wire
from kerasspec.serialize._wiring import wiring


def _cases() -> list[Any]:
    try:
        loaded = _corpus.load(None)
    except Exception as error:  # no corpus in this checkout: one failing test says so
        return [pytest.param(None, id=f"no-corpus: {error}")]
    # A hand-made case (corpus/handmade/) was written by no release: there is none to imitate.
    made_by_keras = [case for case in loaded.cases if case.kind in ("valid", "lossy") and case.producer is not None]
    return [pytest.param(case, id=case.id) for case in made_by_keras]


@pytest.mark.parametrize("case", _cases())
def test_serializer_writes_the_corpus_wiring(case: Any) -> None:
    assert case is not None, "the corpus could not be loaded"
    producer = Producer.parse(case.producer.name)  # the serializer imitates the release, whatever the backend
    expected = Document.from_json(json.loads((case.root / case.expected).read_text()))
    written = to_wire(expected, producer)
    actual = json.loads(case.read_input())
    difference = diff(wiring(actual), wiring(written))
    assert difference is None, str(difference)

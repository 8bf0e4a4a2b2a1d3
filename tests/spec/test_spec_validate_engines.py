"""`validate` finds violations with jsonschema-rs and words them with jsonschema: it must report
exactly what jsonschema alone reports over the whole document (the same violation, path, rule and
message, and with --all the same list in the same order), on every corpus file and on mutants."""

from __future__ import annotations

import copy
import json
import math
import zlib
from functools import cache
from typing import Any

import pytest
from _spec_corpus import all_cases, cases, read, read_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import best_match

from kerasspec import _schemas
from kerasspec.corpus import Case
from kerasspec.errors import ParseError
from kerasspec.validate import SchemaViolation, _deepest, _relevance, _violation, iter_violations, validate

SCHEMAS = ("keras2", "keras3", "canonical")


def _jsonschema_alone(document: Any, kind: str) -> tuple[SchemaViolation | None, list[SchemaViolation]]:
    """What validate and iter_violations answered when jsonschema walked the whole document."""
    errors = list(_schemas.validator(kind).iter_errors(document))
    best = best_match(errors, key=_relevance)
    every = [_violation(_deepest(error), kind) for error in sorted(errors, key=_relevance, reverse=True)]  # type: ignore[arg-type]
    return (None if best is None else _violation(_deepest(best), kind)), every  # type: ignore[arg-type]


def _same_answers(document: Any, kind: str) -> None:
    # jsonschema words every failure jsonschema-rs finds: the whole-document fallback stays unused.
    for failure in _schemas.failures(document, kind):
        assert _schemas.explain(document, kind, failure), failure
    expected_best, expected_every = _jsonschema_alone(document, kind)
    assert validate(document, kind) == expected_best  # type: ignore[arg-type]
    assert list(iter_violations(document, kind)) == expected_every  # type: ignore[arg-type]


def _documents(case: Case) -> list[tuple[Any, str]]:
    try:
        documents = [(read_model(case), case.format)]
    except ParseError:
        return []
    documents += [(read(case, relative), "canonical") for relative in filter(None, (case.expected, case.live))]
    return documents


@pytest.mark.slow
@pytest.mark.parametrize("case", cases())
def test_corpus_case_gets_the_same_answers(case: Case) -> None:
    for document, kind in _documents(case):
        _same_answers(document, kind)
        # Against the other schemas too, for one file in ten: a keras3 file checked as keras2
        # breaks nearly every rule.
        if kind != "canonical" and zlib.crc32(case.id.encode()) % 10 == 0:
            for other in SCHEMAS:
                if other != kind:
                    _same_answers(document, other)


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.sampled_from(["", "a", "x"])
)
_json = st.recursive(
    _scalars | st.sampled_from(["_CONSTANT_VALUE", "__keras_tensor__", "InputLayer", "Sequential", "TFOpLambda"]),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.sampled_from(["a", "args", "kwargs", "class_name", "config", "name"]), inner, max_size=4)
    ),
    max_leaves=8,
)


def _places(document: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in the document, in document order."""
    found: list[tuple[Any, Any]] = []
    pending = [document]
    while pending:
        item = pending.pop(0)
        keys = range(len(item)) if isinstance(item, list) else list(item) if isinstance(item, dict) else []
        for key in keys:
            found.append((item, key))
            pending.append(item[key])
    return found


@cache
def _all_documents() -> list[tuple[Any, str]]:
    # One case in twenty: mutants of near-identical files from neighbouring releases add little.
    every = [document for case in all_cases()[::20] for document in _documents(case)]
    return every or [({}, "keras2")]


@st.composite
def _mutants(draw: st.DrawFn) -> tuple[Any, str]:
    document, kind = draw(st.sampled_from(_all_documents()))
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        places = _places(document)
        if not places:
            break
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            container[key] = draw(_json)
        elif action == "delete":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.sampled_from(["extra", "name", "module", "kwargs", "args"]))] = draw(_json)
        else:
            container.insert(key, draw(_json))
    return document, draw(st.sampled_from([kind, *SCHEMAS]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_mutants())
def test_mutated_documents_get_the_same_answers(mutant: tuple[Any, str]) -> None:
    document, kind = mutant
    _same_answers(json.loads(json.dumps(document)), kind)


@pytest.mark.parametrize("number", [math.inf, -math.inf, math.nan], ids=["Infinity", "-Infinity", "NaN"])
@pytest.mark.parametrize("where", ["module", "node index"])
def test_non_finite_numbers_get_the_same_answers(number: float, where: str) -> None:
    # jsonschema-rs cannot hold NaN and the infinities as numbers: it skips their numeric checks
    # (-Infinity passes "minimum") and words them as null, where jsonschema reports them as they are.
    document: dict[str, Any] = {
        "class_name": "Functional",
        "config": {
            "name": "m",
            "layers": [
                {"class_name": "InputLayer", "name": "a", "config": {"name": "a"}, "inbound_nodes": []},
                {"class_name": "Dense", "name": "d", "config": {"name": "d"}, "inbound_nodes": [[["a", 0, 0, {}]]]},
            ],
            "input_layers": [["a", 0, 0]],
            "output_layers": [["d", 0, 0]],
        },
        "keras_version": "2.21.0",
    }
    if where == "module":
        document["config"]["layers"][1]["module"] = number
    else:
        document["config"]["layers"][1]["inbound_nodes"][0][0][1] = number
    expected_best, expected_every = _jsonschema_alone(document, "keras2")
    assert expected_best is not None
    found = validate(document, "keras2")
    assert found is not None
    assert (found.path, found.rule, found.message) == (expected_best.path, expected_best.rule, expected_best.message)
    every = list(iter_violations(document, "keras2"))
    assert [(v.path, v.rule, v.message) for v in every] == [(v.path, v.rule, v.message) for v in expected_every]

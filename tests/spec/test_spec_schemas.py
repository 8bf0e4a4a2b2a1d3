"""The JSON Schemas are valid 2020-12 schemas, and tight: they accept every corpus input of their
format and reject every structurally invalid one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _spec_corpus import all_cases, cases, read, read_model
from _spec_detection import detect
from jsonschema import Draft202012Validator

from kerasspec import _schemas
from kerasspec.corpus import Case
from kerasspec.errors import ParseError
from kerasspec.validate import detect_schema, validate

SCHEMA_FILES = _schemas.schema_files()

_GRAPH = "calls that feed each other: a property of the whole graph, not of any one value"
_NAME = "the name is a well-formed string; whether a layer has it is a relation across the document"
_LIMIT = "nesting beyond a reader's configured limit: the limit is a reader setting, not part of the format"
_UNIQUE = "JSON Schema cannot compare the values of two different array items"
_OUTPUTS = "the index is a well-formed integer; how many outputs the referenced layer has is elsewhere"
_BEYOND = "a reader's depth limit (spec/errors.md#depth); JSON Schema has no notion of depth"
_INTEGER = "JSON Schema counts 1.0 as an integer; the format does not (spec/errors.md#integers)"
_DATA = "kwargs values are free data to a schema; reading a look-alike as a reference is a reader's rule"
_ORDER = "two errors, the first of which (spec/errors.md#order) is relational"
_CALLS = (
    "the index is a well-formed integer; how many calls the referenced layer has, and its numbering rule, are elsewhere"
)

#: Hand-made valid cases the schema rejects: the schema describes what Keras writes, and a reader MAY accept
#: more where the spec says so (spec/scope.md#conformance), by case id with the spec's word for it.
BEYOND_THE_SCHEMA: dict[str, str] = {
    "handmade/keras3/typed-object-odd-class-name": "no release writes a non-string class_name; a reader still "
    "keeps the object (spec/keras3.md#values)",
    "handmade/keras2/outputs-empty-list-first": "no release writes an empty list in output_layers; tf_keras "
    "2.21.0 loads one, and the case pins how a reader unwraps it (spec/canonical-graph.md#from-keras2)",
    "handmade/keras3/no-layers": "no release writes a model without inputs; the case exists to reach format "
    "detection step 5 (spec/envelope.md#format-detection), and a reader reads empty structures",
}

#: Hand-made invalid cases that no JSON Schema can reject, by case id, with the reason. Each is well formed
#: structure; what is wrong is a relation between parts of the document, which only a reader that
#: resolves references (spec/errors.md) can see. The test below keeps this list honest both ways.
SCHEMA_BLIND: dict[str, str] = {
    "invalid/keras2/cycle-self": _GRAPH,
    "invalid/keras2/cycle-below-a-call": _GRAPH,
    "invalid/keras2/deep-kwarg-101": _BEYOND,
    "invalid/keras2/entry-index-float": _INTEGER,
    "invalid/keras2/entry-tensor-index-float": _INTEGER,
    "invalid/keras2/keras-version-4": "keras_version is any string to the schema; which majors exist is the "
    "reader's format detection (spec/envelope.md#format-detection)",
    "invalid/keras2/kwarg-lookalike-bad-index": _DATA,
    "invalid/keras2/nested-models-too-deep": _BEYOND,
    "invalid/keras2/sequential-duplicate-name": _UNIQUE,
    "invalid/keras3/deep-kwarg-101": _BEYOND,
    "invalid/keras3/deep-arg-101": _BEYOND,
    "invalid/keras2/deep-structure-101": _BEYOND,
    "invalid/keras2/deep-kwarg-dict-101": _BEYOND,
    "invalid/keras2/node-at-depth-100": _BEYOND,
    "invalid/keras2/sequential-too-deep": _BEYOND,
    "invalid/keras3/outputs-deep-101": _BEYOND,
    "invalid/keras2/keras-version-beside-model-config": "the error is the keras_version the tfjs converter's wrapper "
    "holds beside model_config; the schemas describe the model JSON inside (spec/envelope.md#wrappers)",
    "invalid/keras2/constant-deep-101": _BEYOND,
    "invalid/keras3/history-index-float": _INTEGER,
    "invalid/keras3/history-tensor-index-float": _INTEGER,
    "invalid/keras3/order-outputs-before-cycle": _ORDER,
    "invalid/keras3/sequential-duplicate-name": _UNIQUE,
    "invalid/keras3/sequential-item-without-name": "the schema of a Sequential's items does not require a name; "
    "the reader needs one to name the layer (spec/envelope.md#layers)",
    "invalid/keras2/cycle-through-kwargs": _GRAPH,
    "invalid/keras2/cycle-two-calls": _GRAPH,
    "invalid/keras2/dangling-entry-layer": _NAME,
    "invalid/keras2/dangling-input-layer": _NAME,
    "invalid/keras2/dangling-kwarg-reference": _NAME,
    "invalid/keras2/dangling-output-layer": _NAME,
    "invalid/keras2/deep-kwarg": _LIMIT,
    "invalid/keras2/duplicate-layer-name": _UNIQUE,
    "invalid/keras2/input-layer-tensor-index": _OUTPUTS,
    "invalid/keras2/kwarg-node-index": _CALLS,
    "invalid/keras2/kwarg-tensor-index": _OUTPUTS,
    "invalid/keras2/nested-functional-node-zero": _CALLS,
    "invalid/keras2/node-index-past-calls": _CALLS,
    "invalid/keras2/output-layers-node-index": _CALLS,
    "invalid/keras3/cycle-self": _GRAPH,
    "invalid/keras3/cycle-two-calls": _GRAPH,
    "invalid/keras3/dangling-arg-layer": _NAME,
    "invalid/keras3/dangling-input-layer": _NAME,
    "invalid/keras3/dangling-kwarg-layer": _NAME,
    "invalid/keras3/dangling-output-layer": _NAME,
    "invalid/keras3/deep-kwarg": _LIMIT,
    "invalid/keras3/duplicate-layer-name": _UNIQUE,
    "invalid/keras3/input-layer-node-index": _CALLS,
    "invalid/keras3/input-layer-tensor-index": _OUTPUTS,
    "invalid/keras3/input-layers-tensor-index": _OUTPUTS,
    "invalid/keras3/node-index-past-calls": _CALLS,
    "invalid/keras3/output-layers-node-index": _CALLS,
}


def _schema_ids() -> list[tuple[str, Path]]:
    return [(json.loads(path.read_text())["$id"], path) for path in SCHEMA_FILES]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.relative_to(p.parents[1]).as_posix())
def test_schema_is_a_valid_2020_12_schema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.relative_to(p.parents[1]).as_posix())
def test_schema_id_is_stable_and_matches_its_file(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$id"] == _schemas.BASE_URI + path.relative_to(path.parents[1]).as_posix()


def _refs(node: Any) -> list[str]:
    found, pending = [], [node]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                found.append(item["$ref"])
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


@pytest.mark.parametrize(("schema_id", "path"), _schema_ids(), ids=[i for i, _ in _schema_ids()])
def test_every_ref_resolves_locally(schema_id: str, path: Path) -> None:
    from urllib.parse import urljoin

    resolver = _schemas.registry().resolver(schema_id)
    for ref in _refs(json.loads(path.read_text(encoding="utf-8"))):
        resolver.lookup(urljoin(schema_id, ref))  # raises Unresolvable if the target is missing


@pytest.mark.parametrize("case", cases(lambda case: case.kind != "invalid"))
def test_corpus_case_against_the_schemas(case: Case) -> None:
    """One test per valid or lossy case: its input passes its format's schema, the written detection
    rules and ``validate``'s auto mode both pick its format, and its canonical documents pass the
    canonical schema. A wrapped file (a tfjs-layers ``model.json``) is checked as ``validate`` checks it: the
    model JSON inside the wrapper (spec/envelope.md#wrappers)."""
    document = read_model(case)
    violation = validate(document, case.format)  # type: ignore[arg-type]
    if case.id in BEYOND_THE_SCHEMA:
        assert violation is not None, "the schema now accepts it: drop it from BEYOND_THE_SCHEMA"
    else:
        assert violation is None, violation.line()
    fmt, rule = detect(document)
    assert fmt == case.format, f"spec/envelope.md#format-detection rule {rule} picks {fmt}"
    assert detect_schema(document) == case.format, "validate --schema auto picks another schema"
    for relative in filter(None, (case.expected, case.live)):
        violation = validate(read(case, relative), "canonical")
        assert violation is None, f"{relative}: {violation.line()}"


def _written_by_keras(case: Case) -> bool:
    return case.kind == "invalid" and case.producer is not None


def _schema_blind(case: Case) -> bool:
    return case.kind == "invalid" and case.producer is None and case.id in SCHEMA_BLIND


def _structural(case: Case) -> bool:
    return case.kind == "invalid" and case.producer is None and case.id not in SCHEMA_BLIND


@pytest.mark.parametrize("case", cases(_structural))
def test_structurally_invalid_case_fails_its_format_schema(case: Case) -> None:
    try:
        document = read_model(case)
    except ParseError as error:
        # Not JSON, a container or a wrapper without a model: rejected before any schema applies.
        assert error.code == case.error
        return
    violation = validate(document, case.format)  # type: ignore[arg-type]
    assert violation is not None, f"the {case.format} schema accepts {case.id}, which must fail with {case.error}"


@pytest.mark.parametrize("case", cases(_written_by_keras))
def test_invalid_file_keras_wrote_passes_the_schema(case: Case) -> None:
    """A file a real release wrote that no reader can read (Keras 3.0-3.1 raw node indices of a layer
    also called outside the model): the schemas describe what Keras writes, so it passes; what is
    wrong is a relation only a reader sees (spec/keras3.md#node-numbering)."""
    violation = validate(read_model(case), case.format)  # type: ignore[arg-type]
    assert violation is None, violation.line()


@pytest.mark.parametrize("case", cases(_schema_blind))
def test_schema_blind_cases_really_pass_the_schema(case: Case) -> None:
    # The list of cases no schema catches must not hide a case the schema could catch.
    try:
        document = read_model(case)
    except ParseError as error:
        pytest.fail(f"{case.id} is listed as schema-blind but is rejected on loading: {error.line()}")
    violation = validate(document, case.format)  # type: ignore[arg-type]
    assert violation is None, f"listed as schema-blind, yet the schema rejects it: {violation.line()}"


def test_schema_blind_list_names_only_existing_cases() -> None:
    known = {case.id for case in all_cases()}
    if not known:
        pytest.skip("corpus/manifest.json is not generated yet")
    assert sorted(set(SCHEMA_BLIND) - known) == []

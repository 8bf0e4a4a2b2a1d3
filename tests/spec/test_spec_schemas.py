"""The JSON Schemas are valid 2020-12 schemas, and tight: they accept every corpus input of their
format and reject every structurally invalid one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _spec_corpus import all_cases, cases, read
from jsonschema import Draft202012Validator

from kerasspec import _schemas
from kerasspec.corpus import Case
from kerasspec.errors import ParseError
from kerasspec.validate import validate

SCHEMA_FILES = _schemas.schema_files()

#: Invalid cases that no JSON Schema can reject, by case id, with the reason. Each is well formed
#: structure; what is wrong is a relation between parts of the document, which only a reader that
#: resolves references (spec/errors.md) can see. The test below keeps this list honest both ways.
SCHEMA_BLIND: dict[str, str] = {}

#: Error codes that are about relations between parts, never about shape; a case with one of these
#: codes must be listed above (or the schema must catch it for a structural reason as well).
RELATIONAL_CODES = {
    "dangling-reference": "a reference names a layer that is not in `layers`: names are compared across the document",
    "node-index-out-of-range": "the referenced layer has fewer calls: counting them needs the reference resolved",
    "tensor-index-out-of-range": "the referenced call has fewer outputs: a property of the layer, not of the reference",
    "cycle": "calls that feed each other: a property of the whole graph",
    "duplicate-layer-name": "two layers with one name: JSON Schema cannot compare values of different items",
    "too-deep": "nesting beyond a reader's configured limit: the limit is a reader setting, not part of the format",
    "too-large": "size beyond a reader's configured limit: the limit is a reader setting, not part of the format",
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
def test_corpus_input_passes_its_format_schema(case: Case) -> None:
    violation = validate(read(case, case.input), case.format)  # type: ignore[arg-type]
    assert violation is None, violation.line()


@pytest.mark.parametrize("case", cases(lambda case: case.kind != "invalid"))
def test_auto_detection_picks_the_case_format(case: Case) -> None:
    from kerasspec.validate import detect_schema

    assert detect_schema(read(case, case.input)) == case.format


@pytest.mark.parametrize("case", cases(lambda case: case.kind != "invalid"))
def test_expected_document_passes_the_canonical_schema(case: Case) -> None:
    for relative in filter(None, (case.expected, case.live)):
        violation = validate(read(case, relative), "canonical")
        assert violation is None, f"{relative}: {violation.line()}"


def _schema_blind(case: Case) -> bool:
    return case.kind == "invalid" and (case.error in RELATIONAL_CODES or case.id in SCHEMA_BLIND)


def _structural(case: Case) -> bool:
    return case.kind == "invalid" and not _schema_blind(case)


@pytest.mark.parametrize("case", cases(_structural))
def test_structurally_invalid_case_fails_its_format_schema(case: Case) -> None:
    try:
        document = read(case, case.input)
    except ParseError as error:
        # Not JSON, or a container without a model: rejected before any schema applies.
        assert error.code == case.error
        return
    violation = validate(document, case.format)  # type: ignore[arg-type]
    assert violation is not None, f"the {case.format} schema accepts {case.id}, which must fail with {case.error}"


@pytest.mark.parametrize("case", cases(_schema_blind))
def test_schema_blind_cases_really_pass_the_schema(case: Case) -> None:
    # The list of cases no schema catches must not hide a case the schema could catch.
    try:
        document = read(case, case.input)
    except ParseError as error:
        pytest.fail(f"{case.id} is listed as schema-blind but is rejected on loading: {error.line()}")
    violation = validate(document, case.format)  # type: ignore[arg-type]
    assert violation is None, f"listed as schema-blind, yet the schema rejects it: {violation.line()}"


def test_schema_blind_list_names_only_existing_cases() -> None:
    known = {case.id for case in all_cases()}
    if not known:
        pytest.skip("corpus/manifest.json is not generated yet")
    assert sorted(set(SCHEMA_BLIND) - known) == []

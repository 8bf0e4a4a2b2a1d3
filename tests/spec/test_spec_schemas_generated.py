"""The schemas against Hypothesis-generated models: every model a producer could write passes its
format's schema, its canonical document passes the canonical schema, and every structural mutation
fails the schema (the relational ones are what only a reader sees, spec/errors.md#schema-versus-parser)."""

from __future__ import annotations

import json

from hypothesis import given, settings

from kerasspec._limits import Limits
from kerasspec._wrappers import unwrap
from kerasspec.strategies import Generated, Mutation, invalid_models, models
from kerasspec.validate import validate

# Error codes about shape: a schema must reject every mutation that must get one of them.
STRUCTURAL = {"not-a-model", "bad-layer", "bad-node", "bad-entry"}

_SETTINGS = settings(settings.get_profile("models"))  # profiles: tests/conftest.py


def _model_json(text: str | bytes) -> object:
    """What a schema describes: the model JSON, inside a tfjs-layers model.json too (as `kerasspec validate`)."""
    return unwrap(json.loads(text), Limits()).document


@_SETTINGS
@given(models(max_layers=8, max_depth=2))
def test_generated_model_passes_its_format_schema(generated: Generated) -> None:
    violation = validate(_model_json(generated.text), generated.producer.format)  # type: ignore[arg-type]
    assert violation is None, violation.line()


@_SETTINGS
@given(models(max_layers=8, max_depth=2))
def test_generated_canonical_document_passes_the_canonical_schema(generated: Generated) -> None:
    violation = validate(generated.expected, "canonical")
    assert violation is None, violation.line()


@_SETTINGS
@given(invalid_models(kinds=sorted(STRUCTURAL)))
def test_structural_mutation_fails_the_schema(mutation: Mutation) -> None:
    # Only the shape mutators are drawn; a mutator that finds nothing to break falls back to a
    # truncated text (not-json), which no schema is asked about.
    if mutation.code == "not-json":
        return
    assert mutation.code in STRUCTURAL
    violation = validate(_model_json(mutation.text), mutation.format)  # type: ignore[arg-type]
    assert violation is not None, f"the {mutation.format} schema accepts: {mutation.description}"

"""Properties of the reference parser on generated input (fast by default; ``slow`` for the long profile).

* parse(serialize(g)) == g for every format and every producer release with a template;
* every serialized document validates against its wire-format schema, and every expected document
  against the canonical-graph schema;
* every mutated input is rejected with its error code, and nothing but a ParseError is ever raised.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kerasspec import ParseError, parse
from kerasspec._limits import Limits
from kerasspec._schemas import validator
from kerasspec._wrappers import unwrap
from kerasspec.canonical import diff
from kerasspec.serialize._templates import available, stand_in
from kerasspec.strategies import Generated, Mutation, invalid_models, models
from kerasspec.strategies._mutations import MUTATORS
from kerasspec.vocabulary import Producer

RELEASES = [producer.name for producer in available()]
FAST = settings(settings.get_profile("models"))  # profiles: tests/conftest.py
LONG = settings(settings.get_profile("long"))


@pytest.mark.parametrize("release", ["keras-1.2.1", "keras-2.1.5", "tf_keras-2.14.1", "keras-3.0.0", "keras-3.16.0"])
def test_an_uncaptured_release_takes_a_template_of_its_own_format(release: str) -> None:
    # keras 2.x is the keras package writing keras2: Keras 3.0.5's layer entries would be wrong.
    producer = Producer.parse(release)
    chosen = stand_in(producer)
    assert chosen.format == producer.format, chosen
    assert chosen in available()


def _round_trip(generated: Generated) -> None:
    document = parse(generated.text)
    difference = diff(generated.expected, document.to_json())
    assert difference is None, f"{generated.producer}: {difference}\n{generated.text}"


def _rejected(mutation: Mutation) -> None:
    with pytest.raises(ParseError) as caught:
        parse(mutation.text)
    assert caught.value.code == mutation.code, f"{mutation.description}: {caught.value.line()}"


@FAST
@given(models(RELEASES))
def test_parse_inverts_serialize(generated: Generated) -> None:
    _round_trip(generated)


@FAST
@given(models(RELEASES))
def test_serialized_documents_validate(generated: Generated) -> None:
    wire = validator(generated.producer.format)
    # The schema describes the model JSON, inside a tfjs-layers model.json too (spec/envelope.md#wrappers).
    errors = sorted(wire.iter_errors(unwrap(json.loads(generated.text), Limits()).document), key=str)
    assert not errors, f"{generated.producer}: {errors[0].message} at {errors[0].json_path}"
    canonical = validator("canonical")
    errors = sorted(canonical.iter_errors(generated.expected), key=str)
    assert not errors, f"expected document: {errors[0].message} at {errors[0].json_path}"


@FAST
@given(st.sampled_from(sorted(MUTATORS)).flatmap(lambda kind: invalid_models(models(RELEASES, max_layers=4), [kind])))
def test_mutations_are_rejected_with_their_code(mutation: Mutation) -> None:
    _rejected(mutation)


@pytest.mark.slow
@LONG
@given(models(RELEASES, max_layers=10, max_depth=2))
def test_parse_inverts_serialize_long(generated: Generated) -> None:
    _round_trip(generated)


@pytest.mark.slow
@LONG
@given(invalid_models(models(RELEASES, max_layers=8)))
def test_mutations_are_rejected_long(mutation: Mutation) -> None:
    _rejected(mutation)

"""Judging answers: the fast equality path never disagrees with canonical.diff; how a difference is recorded."""

from __future__ import annotations

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from kerasspec.canonical import diff
from kerasspec.harness import _protocol
from kerasspec.harness._outcomes import SIDE_LIMIT, Answer, CaseResult, _same_text, judge
from kerasspec.harness._reports import describe_failure
from kerasspec.vocabulary import Outcome

scalars = (
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-3, 3) | st.just(float("nan")) | st.sampled_from("ab")
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("abc"), inner, max_size=3),
    max_leaves=12,
)


@given(json_values, json_values)
def test_same_text_implies_no_difference(expected, actual):
    if _same_text(expected, actual):
        assert diff(expected, actual) is None


@given(json_values)
def test_a_value_has_the_same_text_as_itself(value):
    assert _same_text(value, value)


# A recorded difference (schemas/protocol/report.json): a side the document lacks has no member, so no
# value can be mistaken for it; a string "<absent>" a parser really wrote is recorded as that string.
def _first_difference(fixture_corpus, edit):
    case = next(case for case in fixture_corpus.cases if case.kind == "valid")
    expected = case.read_expected()
    actual = case.read_expected()
    edit(actual["model"]["layers"][-1])
    result = judge(case, Answer(kind="document", document=actual), expected)
    assert result.outcome is Outcome.FAIL
    record = result.to_json()
    schema = {"$ref": f"{_protocol.SCHEMA_BASE}report.json#/$defs/result"}
    jsonschema.Draft202012Validator(schema, registry=_protocol.registry()).validate(record)
    assert CaseResult.from_json(record).difference == record["difference"]
    return record["difference"], describe_failure(result).splitlines()


def test_a_missing_key_has_no_actual_member(fixture_corpus):
    difference, lines = _first_difference(fixture_corpus, lambda layer: layer.pop("module"))
    assert sorted(difference) == ["expected", "path", "reason"]
    assert "got      nothing (no value at this path)" in lines


def test_an_unexpected_key_has_no_expected_member(fixture_corpus):
    difference, lines = _first_difference(fixture_corpus, lambda layer: layer.update(extra=1))
    assert difference == {"path": difference["path"], "actual": 1, "reason": "unexpected key"}
    assert "expected nothing (no value at this path)" in lines


def test_a_string_that_looks_like_a_marker_is_recorded_as_itself(fixture_corpus):
    difference, lines = _first_difference(fixture_corpus, lambda layer: layer.update(module="<absent>"))
    assert difference["actual"] == "<absent>"
    assert 'got      "<absent>"' in lines


def test_a_long_value_is_an_excerpt_of_its_text(fixture_corpus):
    difference, lines = _first_difference(fixture_corpus, lambda layer: layer.update(module="m" * 3000))
    assert "actual" not in difference
    assert difference["actual_excerpt"] == '"' + "m" * (SIDE_LIMIT - 1) + "..."
    assert difference["actual_length"] == 3002
    assert f'got      "{"m" * (SIDE_LIMIT - 1)}... (cut short)' in lines

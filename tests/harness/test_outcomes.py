"""Judging answers: the fast equality path never disagrees with canonical.diff."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kerasspec.canonical import diff
from kerasspec.harness._outcomes import _same_text

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

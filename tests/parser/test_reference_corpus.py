"""The reference parser against every corpus case: one test per case, its id the case id.

Valid and lossy cases must parse to their expected document (computed by the generator from the
live Keras objects, never by this parser); invalid cases must be rejected with their error code.
"""

from __future__ import annotations

import pytest

from kerasspec import ParseError, parse
from kerasspec.canonical import diff
from kerasspec.corpus import Case, load

CASES = load().select()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case: Case) -> None:
    text = case.read_input()
    if case.kind == "invalid":
        with pytest.raises(ParseError) as caught:
            parse(text)
        assert caught.value.code == case.error, caught.value.line()
        return
    document = parse(text).to_json()
    difference = diff(case.read_expected(), document)
    assert difference is None, str(difference)


def test_the_corpus_has_both_formats_and_every_kind() -> None:
    assert {case.format for case in CASES} == {"keras2", "keras3"}
    assert {case.kind for case in CASES} >= {"valid", "invalid"}

"""Every normative sentence of spec/ has a rule id, and every MUST has a case a reader breaking it fails.

The ids are markers in the spec text; the cases come from ``generator/_rules.py`` through the
manifest's ``rules`` field; ``spec/generated/rules.md`` is the table of both.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from _corpus_data import REPO, manifest

from generator import _rules

SPEC = REPO / "spec"
KEYWORD = re.compile(r"\b(MUST|SHOULD)\b")
# Where the spec only defines the key words, it states no rule.
DEFINITIONS = ("are to be read as",)


def _sentences(text: str) -> list[str]:
    """The prose of a page, outside code blocks, split into sentences (list items and rows apart)."""
    prose = re.sub(r"(?ms)^```.*?^```", "", text)
    sentences: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:- |\d+\. |\| ))", prose):
        flat = " ".join(block.split())
        sentences += re.split(r"(?<=[.:;])\s+(?=[A-Z`*(\[<])", flat)
    return sentences


PAGES = sorted(page for page in SPEC.glob("*.md") if page.name != "CHANGELOG.md")


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_normative_sentence_has_a_rule_id(page: object) -> None:
    text = page.read_text()  # type: ignore[attr-defined]
    unmarked = [
        sentence
        for sentence in _sentences(text)
        if KEYWORD.search(sentence)
        and not _rules.MARKER.search(sentence)
        and not any(words in sentence for words in DEFINITIONS)
    ]
    assert not unmarked, f"sentences with MUST/SHOULD and no rule marker: {unmarked}"


def test_rule_ids_are_unique() -> None:
    ids = Counter(match.group(1) for page in PAGES for match in _rules.MARKER.finditer(page.read_text()))
    assert [rule for rule, count in ids.items() if count > 1] == []


def test_the_rules_table_names_only_rules_of_the_spec() -> None:
    rules = _rules.spec_rules()
    assert set(_rules.RULES) - set(rules) == set()
    assert set(_rules.UNTESTABLE) - set(rules) == set()


def test_every_must_has_a_case_or_a_reason() -> None:
    exercised = Counter(rule for case in manifest()["cases"] for rule in case["rules"])
    rules = _rules.spec_rules()
    missing = [
        rule
        for rule, info in rules.items()
        if info["level"] == "MUST" and not exercised[rule] and rule not in _rules.UNTESTABLE
    ]
    assert missing == [], "MUST rules with no corpus case and no reason in generator/_rules.py UNTESTABLE"
    both = [rule for rule in _rules.UNTESTABLE if exercised[rule]]
    assert both == [], "rules listed as untestable that have cases"


def test_the_manifest_lists_the_rules_each_case_exercises() -> None:
    stale = [case["id"] for case in manifest()["cases"] if case.get("rules") != _rules.rules_of(case)]
    assert stale == [], "run `python -m generator --rewrite` to bring the manifest's rules up to date"


def test_rules_md_matches_the_manifest() -> None:
    assert (SPEC / "generated" / "rules.md").read_text() == _rules.rules_table(manifest()["cases"])


def test_a_selector_matches_as_documented() -> None:
    entry = {"id": "invalid/keras2/x", "kind": "invalid", "format": "keras2", "error": "bad-entry", "features": ["a"]}
    assert _rules._matches("error=bad-entry format=keras2", entry)
    assert not _rules._matches("error=bad-entry format=keras3", entry)
    assert _rules._matches("feature=a id=invalid/*", entry)
    assert not _rules._matches("feature=b", entry)

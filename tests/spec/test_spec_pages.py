"""The written spec stays true: its JSON examples equal the corpus, its links and anchors resolve,
its version matches the changelog, and the feature tags it defines are the ones the corpus uses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from _spec_corpus import all_cases, read
from _spec_pages import EXAMPLE_EXEMPT, SPEC, Example, anchors, examples, links, page_name, pages, select

from kerasspec import _schemas
from kerasspec.canonical import diff

PAGES = pages()
EXAMPLES = [example for page in PAGES for example in examples(page)]
MARKED = [example for example in EXAMPLES if example.case_id is not None]


def _exempt(page: str) -> bool:
    return any(page == rule or (rule.endswith("/") and page.startswith(rule)) for rule in EXAMPLE_EXEMPT)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if not _exempt(e.page)], ids=lambda e: e.id)
def test_every_json_example_names_its_corpus_case(example: Example) -> None:
    assert example.case_id is not None, (
        "a JSON example needs <!-- corpus: <case id> input|expected|live <JSON path> --> on the line above"
    )


@pytest.mark.parametrize("example", MARKED, ids=lambda e: e.id)
def test_json_example_equals_the_corpus(example: Example) -> None:
    by_id = {case.id: case for case in all_cases()}
    if not by_id:
        pytest.skip("corpus/manifest.json is not generated yet")
    assert example.case_id in by_id, f"no corpus case {example.case_id}"
    case = by_id[example.case_id]
    relative = {"input": case.input, "expected": case.expected, "live": case.live}[example.file or "input"]
    assert relative is not None, f"case {case.id} has no {example.file} file"
    corpus_value = select(read(case, relative), example.path or "$")
    difference = diff(corpus_value, example.value())
    assert difference is None, f"the example differs from {case.id} {example.file} {example.path}: {difference}"


def _anchor_index() -> dict[str, set[str]]:
    return {page_name(page): anchors(page) for page in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=page_name)
def test_links_between_pages_resolve(page: Path) -> None:
    index = _anchor_index()
    broken = [f"{target}#{anchor}" for target, anchor in links(page) if anchor not in index.get(target, set())]
    assert broken == []


@pytest.mark.parametrize("page", PAGES, ids=page_name)
def test_anchors_are_unique_within_a_page(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    found = re.findall(r"\{#([A-Za-z0-9_-]+)\}|<a id=\"([A-Za-z0-9_-]+)\"", text)
    names = [a or b for a, b in found]
    assert sorted({n for n in names if names.count(n) > 1}) == []


@pytest.mark.parametrize("path", _schemas.schema_files(), ids=lambda p: p.relative_to(p.parents[1]).as_posix())
def test_schema_references_to_the_spec_resolve(path: Path) -> None:
    index = _anchor_index()
    cited = re.findall(r"spec/([a-z0-9_-]+\.md)#([A-Za-z0-9_-]+)", path.read_text(encoding="utf-8"))
    assert [f"{page}#{anchor}" for page, anchor in cited if anchor not in index.get(page, set())] == []


def test_version_matches_the_changelog() -> None:
    version = re.search(r"\*\*Version: (\d+\.\d+\.\d+)\*\*", (SPEC / "README.md").read_text(encoding="utf-8"))
    latest = re.search(r"^## (\d+\.\d+\.\d+)", (SPEC / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert version is not None and latest is not None
    assert version.group(1) == latest.group(1)


def _defined_tags() -> list[str]:
    features = SPEC / "features.md"
    rows = re.findall(r"^\|\s*`?([a-z0-9][a-z0-9-]*)`?\s*\|", features.read_text(encoding="utf-8"), re.M)
    return [tag for tag in rows if tag not in {"tag"}]


def test_every_feature_tag_used_is_defined_and_every_defined_tag_is_used() -> None:
    if not (SPEC / "features.md").exists():
        pytest.skip("spec/features.md is not written yet (the recipes work owns it)")
    cases = all_cases()
    if not cases:
        pytest.skip("corpus/manifest.json is not generated yet")
    defined = _defined_tags()
    used = {tag for case in cases for tag in case.features}
    assert sorted({t for t in defined if defined.count(t) > 1}) == [], "a tag is defined twice"
    assert sorted(used - set(defined)) == [], "tags used in the corpus but not defined in spec/features.md"
    assert sorted(set(defined) - used) == [], "tags defined in spec/features.md but used by no corpus case"


def test_example_markers_are_well_formed() -> None:
    # A marker with a typo would silently leave its example unchecked.
    loose = []
    for page in PAGES:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if (
                "corpus:" in line
                and "<!--" in line
                and not re.search(r"<!--\s*corpus:\s*\S+\s+(input|expected|live)\s+\$\S*\s*-->", line)
            ):
                loose.append(f"{page_name(page)}:{number}")
    assert loose == []


def test_json_examples_are_json() -> None:
    bad = []
    for example in EXAMPLES:
        try:
            json.loads(example.text)
        except ValueError as error:
            bad.append(f"{example.id}: {error}")
    assert bad == []


_CASE_ID = re.compile(r"`((?:keras2|keras3|invalid)/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)?)`")


@pytest.mark.parametrize("page", [p for p in PAGES if not _exempt(page_name(p))], ids=page_name)
def test_case_ids_named_in_the_text_exist(page: Path) -> None:
    # Prose that cites a corpus case (`keras2/tf_keras-2.21.0/lstm-initial-state`) must cite a real one.
    known = {case.id for case in all_cases()}
    if not known:
        pytest.skip("corpus/manifest.json is not generated yet")
    cited = set(_CASE_ID.findall(page.read_text(encoding="utf-8")))
    assert sorted(cited - known) == []

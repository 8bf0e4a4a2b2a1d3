"""The committed corpus manifest is complete, consistent and matches its files."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Any

import pytest
from _corpus_data import CORPUS, cases, load, manifest, matrix
from jsonschema import Draft202012Validator

from kerasspec import _schemas
from kerasspec.errors import CODES

ROLES = ("input", "expected", "live")


def corpus_manifest_validator() -> Draft202012Validator:
    registry = _schemas.registry()
    return Draft202012Validator(registry.contents(_schemas.BASE_URI + "corpus/manifest.json"), registry=registry)


@pytest.mark.parametrize("case", cases(), ids=lambda c: c["id"])
def test_every_file_exists_and_matches_its_sha256(case: dict[str, Any]) -> None:
    used = {case[role] for role in ROLES if case.get(role)}
    assert set(case["sha256"]) == used
    for path, digest in case["sha256"].items():
        assert hashlib.sha256((CORPUS / path).read_bytes()).hexdigest() == digest, path


@pytest.mark.parametrize("case", cases(), ids=lambda c: c["id"])
def test_case_fields_fit_its_kind(case: dict[str, Any]) -> None:
    assert case["format"] in ("keras2", "keras3")
    assert case["container"] in ("to_json", "keras-archive", "h5")
    if case["kind"] == "invalid":
        # hand-made (mutated) cases live under invalid/; real output that the spec's rules
        # cannot read keeps its producer id
        prefix = f"invalid/{case['format']}/" if case["producer"] is None else f"{case['format']}/"
        assert case["id"].startswith(prefix)
        assert case["error"] in CODES
        assert "expected" not in case and "live" not in case
    elif case["producer"] is None:
        # hand-made cases (generator/_invalid.py HANDMADE): a real case edited, under handmade/; an edited
        # lossy case keeps its live document, edited by the same change
        assert case["kind"] in ("valid", "lossy")
        assert case["id"].startswith(f"handmade/{case['format']}/")
        assert case["recipe"] is None and ("live" in case) == (case["kind"] == "lossy")
    else:
        assert case["kind"] in ("valid", "lossy")
        assert case["id"].startswith(f"{case['format']}/")
        assert case["recipe"] in case["id"].split("/")
        assert case["producer"]["package"] in {row["package"] for row in matrix()}
        assert ("live" in case) == (case["kind"] == "lossy")
    assert case["description"].strip()


@pytest.mark.parametrize("case", cases("lossy"), ids=lambda c: c["id"])
def test_a_lossy_case_really_differs_from_the_live_model(case: dict[str, Any]) -> None:
    assert load(case["expected"]) != load(case["live"])


def test_ids_are_unique_and_sorted() -> None:
    ids = [c["id"] for c in manifest()["cases"]]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert ids == sorted(ids)


def test_manifest_version_is_semver_with_a_changelog_entry() -> None:
    version = manifest()["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert f"## {version}\n" in (CORPUS / "CHANGELOG.md").read_text()


def test_every_matrix_producer_is_in_the_manifest() -> None:
    listed = {(p["package"], p["version"], p["backend"]) for p in manifest()["producers"]}
    wanted = {(p["package"], p["version"], p["backend"]) for p in matrix()}
    assert wanted <= listed


def test_every_producer_generated_cases() -> None:
    with_cases = {
        (c["producer"]["package"], c["producer"]["version"], c["producer"]["backend"]) for c in cases() if c["producer"]
    }
    missing = [p for p in manifest()["producers"] if (p["package"], p["version"], p["backend"]) not in with_cases]
    assert missing == []


def test_at_least_sixteen_keras3_and_eleven_keras2_producers() -> None:
    formats = Counter(p["format"] for p in manifest()["producers"] if p["status"] == "ok")
    assert formats["keras3"] >= 16
    assert formats["keras2"] >= 11


def test_at_least_eighty_recipes() -> None:
    recipes = {c["recipe"] for c in cases() if c["recipe"]}
    assert len(recipes) >= 80


def test_at_least_forty_invalid_cases_over_both_formats() -> None:
    invalid = cases("invalid")
    assert len(invalid) >= 40
    assert {c["format"] for c in invalid} == {"keras2", "keras3"}


@pytest.mark.parametrize("case", cases(), ids=lambda c: c["id"])
def test_every_case_keeps_its_files_in_the_folder_named_by_its_id(case: dict[str, Any]) -> None:
    names = {"input": "model.json", "expected": "expected.json", "live": "live.json"}
    assert {role: case[role] for role in ROLES if role in case} == {
        role: f"{case['id']}/{name}" for role, name in names.items() if role in case
    }


def test_the_manifest_follows_its_schema() -> None:
    errors = list(corpus_manifest_validator().iter_errors(manifest()))
    assert [f"{e.json_path}: {e.message}"[:300] for e in errors[:5]] == []


def test_the_manifest_schema_rejects_a_case_outside_the_rules() -> None:
    good = next(c for c in cases("lossy"))
    broken = [
        {**good, "kind": "invalid"},  # an invalid case has an error and no expected document
        {k: v for k, v in good.items() if k != "live"},  # a lossy case has its live document
        {**good, "input": "../elsewhere.json"},
        {**good, "sha256": {good["input"]: "not-a-digest"}},
        {**good, "surprise": 1},
    ]
    for case in broken:
        assert not corpus_manifest_validator().is_valid({"version": "1.0.0", "cases": [case]}), case
    assert corpus_manifest_validator().is_valid({"version": "1.0.0", "cases": [good]})


def test_no_file_is_left_unreferenced() -> None:
    referenced = {p for c in cases() for p in c["sha256"]}
    on_disk = {
        str(p.relative_to(CORPUS))
        for top in ("keras2", "keras3", "invalid", "handmade")
        for p in (CORPUS / top).rglob("*")
        if p.is_file()
    }
    assert on_disk == referenced


def test_unbuildable_entries_name_known_producers_and_an_error() -> None:
    names = {p["name"] for p in matrix()}
    for entry in manifest()["unbuildable"]:
        assert entry["producer"] in names
        assert entry["error"].strip()
        assert not entry["error"].startswith("generator:"), entry  # our bug, not the release's


@pytest.mark.parametrize("fmt", ["keras2", "keras3"])
def test_hand_made_invalid_cases_cover_every_code_but_the_limit_free_ones(fmt: str) -> None:
    # too-large needs a file past 256 MiB or a per-case limit the manifest cannot state;
    # unknown-format is a keras_version no release writes, so only keras2 (whose to_json has one) gets it.
    codes = {c["error"] for c in cases("invalid") if c["format"] == fmt and c["producer"] is None}
    assert codes == set(CODES) - {"too-large"} - ({"unknown-format"} if fmt == "keras3" else set())

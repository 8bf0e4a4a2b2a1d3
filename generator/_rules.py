"""Rule ids: which corpus cases exercise which normative statement of spec/.

Every sentence of spec/ with MUST or SHOULD carries a marker ``<a id="rule-ID"></a>**[ID]**``
(test262-style ids, never renumbered: a new rule takes the next free number of its section).
``RULES`` below says, for each id, which cases a reader breaking that rule would fail, as
*selectors* over a case's manifest entry: ``"error=bad-entry format=keras2"`` matches the
invalid keras2 cases whose code is ``bad-entry``; terms are ``kind``, ``format``, ``error``,
``container``, ``feature`` (one of the case's tags) and ``id`` (a glob over the case id), all of
which must match; a rule's cases are those any of its selectors match. A rule no corpus case can
exercise is listed in ``UNTESTABLE`` with the reason.

The pass is deterministic and offline (``python -m generator --rewrite`` runs it over the
committed corpus): it writes each case's ``rules`` into the manifest and ``spec/generated/rules.md``.
``tests/generator/test_rules.py`` holds spec, table and manifest together.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

SPEC_DIR = Path(__file__).resolve().parents[1] / "spec"
MARKER = re.compile(r'<a id="rule-([a-z0-9-]+)"></a>\*\*\[\1\]\*\*')

RULES: dict[str, list[str]] = {
    "calls-binding-1": ["feature=positional-call format=keras3", "feature=kwarg-call format=keras2"],
    "calls-binding-2": ["feature=training-kwarg format=keras3", "feature=mask-kwarg format=keras3"],
    "canonical-canonical-graph-1": ["kind=valid", "kind=lossy"],
    "canonical-document-1": [
        "feature=nested-functional",
        "feature=nested-sequential",
        "id=invalid/*/nested-model-without-name",
        "id=handmade/keras3/custom-functional-subclass",
    ],
    "canonical-lossy-1": ["kind=lossy"],
    "envelope-containers-1": [
        "container=to_json kind=valid",
        "container=keras-archive kind=valid",
        "container=h5 kind=valid",
    ],
    "envelope-containers-2": ["container=h5 kind=valid", "container=keras-archive kind=valid"],
    "envelope-containers-4": ["container=keras-archive format=keras3 feature=shared-layer"],
    "envelope-containers-6": ["container=h5 format=keras3 feature=ops"],
    "envelope-functional-1": [
        "id=invalid/*/model-without-name",
        "id=invalid/*/order-envelope-before-layers",
        "id=invalid/*/order-envelope-before-version",
        "id=invalid/*/layers-not-list",
        "id=invalid/*/functional-without-input-layers",
    ],
    "envelope-functional-2": ["id=handmade/keras3/custom-functional-subclass"],
    "envelope-functional-3": [
        "id=invalid/*/model-without-name",
        "id=invalid/*/nested-model-without-name",
        "id=invalid/*/order-envelope-before-layers",
        "id=invalid/*/model-name-not-string",
        "id=invalid/*/sequential-without-name",
    ],
    "envelope-subclassed-1": ["id=invalid/*/layer-config-alone"],
    "envelope-layers-1": ["feature=unordered-layers", "feature=non-topological"],
    "envelope-layers-2": ["error=duplicate-layer-name"],
    "envelope-layers-3": ["id=invalid/keras2/layer-without-name"],
    "envelope-layers-4": ["id=invalid/*/sequential-item-without-name"],
    "envelope-layers-5": ["id=invalid/*/input-layer-node-index", "id=invalid/*/input-layer-with-nodes"],
    "envelope-nested-models-1": ["feature=nested-functional", "feature=nested-sequential", "feature=nested-deep"],
    "envelope-nested-models-2": ["error=too-deep", "id=handmade/keras2/sequential*-at-depth-*"],
    "envelope-input-and-output-layers-1": [
        "feature=dict-io",
        "feature=nested-io",
        "feature=multi-io",
        "id=handmade/keras3/outputs-at-depth-100",
    ],
    "envelope-input-and-output-layers-2": [
        "feature=single-io format=keras3",
        "id=handmade/keras2/outputs-list-of-one-*",
        "id=handmade/keras2/outputs-empty-list-first",
    ],
    "envelope-input-and-output-layers-3": ["feature=nested-io"],
    "envelope-double-encoded-1": ["id=invalid/keras2/json-string", "id=handmade/*/double-encoded"],
    "envelope-double-encoded-2": ["id=invalid/*/double-encoded-twice"],
    "envelope-wrappers-1": ["id=handmade/keras2/tfjs-*", "id=handmade/*/double-encoded", "id=keras2/tfjs-layers-*/*"],
    "keras2-old-era-1": ["id=keras2/keras-*/legacy-nested-*"],
    "scanners-depth-1": ["feature=lambda-nested"],
    "envelope-format-detection-1": [
        "id=invalid/*/detection-*",
        "id=invalid/*/keras-version-*",
        "id=handmade/keras3/inputs-only",
        "id=handmade/*/sequential-*-only",
        "id=handmade/*/no-layers",
        "id=handmade/keras2/inputs-only-archive",
        "id=handmade/keras2/keras-version-major-only",
        "container=h5 format=keras3 kind=valid",
        "feature=sequential container=h5",
    ],
    "errors-limits-1": [
        "id=invalid/*/deep-kwarg-101",
        "id=invalid/*/deep-arg-101",
        "id=handmade/*/kwarg-at-depth-100",
        "id=handmade/*/arg-at-depth-100",
        "id=invalid/keras2/deep-structure-101",
        "id=handmade/keras2/structure-at-depth-100",
        "id=invalid/keras2/deep-kwarg-dict-101",
        "id=handmade/keras2/kwarg-dict-at-depth-100",
        "id=invalid/keras2/node-at-depth-100",
        "id=invalid/keras2/constant-deep-101",
        "id=handmade/keras2/constant-at-depth-100",
        "id=handmade/keras2/sequential*-at-depth-*",
        "id=invalid/keras2/sequential-too-deep",
        "id=handmade/keras3/outputs-at-depth-100",
        "id=invalid/keras3/outputs-deep-101",
        "id=invalid/*/kwarg-past-any-decoder",
    ],
    "errors-limits-2": ["kind=valid", "kind=lossy"],
    "errors-robust-1": ["kind=invalid"],
    "errors-robust-2": ["error=cycle", "error=too-deep"],
    "keras2-nodes-1": [
        "format=keras2 feature=list-call",
        "format=keras2 feature=dict-call",
        "format=keras2 feature=nested-call",
        "format=keras2 feature=tfoplambda",
        "id=handmade/keras2/constants-only-node",
    ],
    "keras2-nodes-2": ["format=keras2 feature=reference-lookalike", "id=handmade/keras2/node-one-entry-nested"],
    "keras2-nodes-3": ["format=keras2 feature=one-element-list", "id=handmade/keras2/node-one-entry-nested"],
    "keras2-nodes-4": ["format=keras2 error=bad-node"],
    "keras2-entries-1": ["format=keras2 feature=kwarg-call", "id=invalid/keras2/entry-too-short"],
    "keras2-entries-2": ["format=keras2 error=bad-entry", "id=invalid/keras2/*-negative"],
    "keras2-entries-3": ["id=invalid/keras2/entry-kwargs-not-object"],
    "keras2-entries-4": ["id=invalid/keras2/dangling-*"],
    "keras2-constant-value-1": ["id=invalid/keras2/constant-second-item"],
    "keras2-constant-value-2": [
        "format=keras2 feature=const-in-args",
        "id=handmade/keras2/constants-only-node",
        "id=handmade/keras2/constant-at-depth-100",
    ],
    "keras2-kwargs-1": ["format=keras2 feature=tensor-in-kwargs", "format=keras2 feature=const-kwargs"],
    "keras2-kwargs-3": ["format=keras2 feature=slicing"],
    "keras2-kwargs-4": ["format=keras2 feature=tensor-in-kwargs", "format=keras2 feature=rnn-state"],
    "keras2-constant-list-ambiguity-1": [
        "format=keras2 feature=reference-lookalike",
        "id=invalid/keras2/kwarg-lookalike-bad-index",
    ],
    "keras2-structure-preserving-layers-1": [
        "format=keras2 feature=tfoplambda",
        "format=keras2 feature=slicing",
        "format=keras2 feature=method-layers",
        "id=handmade/keras2/tfoplambda-one-entry-list",
    ],
    "keras2-structure-preserving-layers-2": ["format=keras2 feature=tfoplambda"],
    "keras2-tensor-reference-1": [
        "format=keras2 error=dangling-reference",
        "format=keras2 error=node-index-out-of-range",
        "format=keras2 error=tensor-index-out-of-range",
    ],
    "keras2-node-numbering-1": ["id=invalid/keras2/kwarg-node-index", "id=invalid/keras2/input-layer-tensor-index"],
    "keras3-nodes-1": ["format=keras3 feature=kwarg-call", "format=keras3 feature=positional-call"],
    "keras3-nodes-2": ["format=keras3 feature=training-kwarg", "format=keras3 feature=implicit-mask"],
    "keras3-values-1": ["format=keras3 feature=reference-lookalike"],
    "keras3-typed-objects-1": ["format=keras3 feature=typed-objects", "id=handmade/keras3/typed-object-odd-class-name"],
    "keras3-ops-layers-1": ["format=keras3 feature=name-collision"],
    "keras3-ops-layers-2": ["format=keras3 feature=ops container=h5"],
    "keras3-tensor-reference-1": [
        "format=keras3 error=dangling-reference",
        "format=keras3 error=node-index-out-of-range",
        "format=keras3 error=tensor-index-out-of-range",
    ],
    "keras3-node-numbering-1": ["id=invalid/keras3/input-layer-node-index"],
    "keras3-node-numbering-2": ["id=keras3/keras-3.2.1/* kind=lossy"],
    "keras3-node-numbering-3": ["format=keras3 feature=foreign-node"],
    "loaders-loaders-1": ["kind=invalid"],
    "loaders-looping-1": ["error=dangling-reference", "error=node-index-out-of-range", "error=cycle"],
    "loaders-numbering-1": ["id=invalid/*/input-layer-node-index", "id=invalid/keras2/kwarg-node-index"],
    "loaders-numbering-2": ["id=keras3/keras-3.2.1/* kind=lossy"],
    "loaders-numbering-3": ["id=invalid/*/node-index-negative"],
    "loaders-numbering-4": ["feature=shared-layer kind=valid"],
    "loaders-arguments-1": ["format=keras2 feature=tensor-in-kwargs"],
    "loaders-arguments-2": ["format=keras2 feature=tfoplambda"],
    "loaders-arguments-3": [
        "format=keras2 feature=dict-call",
        "format=keras2 feature=nested-call",
        "format=keras3 feature=dict-call",
    ],
    "loaders-arguments-4": ["format=keras3 feature=single-io"],
    "loaders-trust-2": ["error=too-deep"],
    "loaders-trust-3": ["feature=custom-layer"],
    "scope-conformance-3": ["kind=invalid"],
}

UNTESTABLE: dict[str, str] = {
    "calls-list-or-arguments-1": "binding is not part of the canonical graph (spec/call-conventions.md#binding); "
    "no answer shows it",
    "envelope-containers-3": "what a reader reads of an archive besides config.json is not in its answer; "
    "tests/parser/test_containers.py checks the reference parser",
    "envelope-containers-5": "as envelope-containers-3, for .h5 files",
    "errors-json-paths-1": "the harness judges the code, not the path; tests/parser/test_errors.py holds the "
    "reference parser to every path",
    "keras2-kwargs-2": "SHOULD NOT: comparing copies changes no answer on a file Keras wrote",
    "keras2-structure-preserving-layers-3": "not executing is invisible in an answer; "
    "tests/parser/test_isolation.py checks the reference parser",
    "keras3-values-2": "SHOULD: no Keras release in the corpus writes NaN or Infinity into a node",
    "keras3-keras-tensor-1": "shape and dtype never disagree with wiring in a file Keras wrote",
    "loaders-trust-1": "as keras2-structure-preserving-layers-3",
    "scanners-expected-1": "as keras2-structure-preserving-layers-3",
    "scope-scope-of-this-specification-1": "as keras2-structure-preserving-layers-3",
    "scope-conformance-1": "a claim of conformance is made by people, not by a reader's answers",
    "scope-conformance-2": "MAY-accept latitude; it changes no answer the corpus judges",
    "scope-conformance-4": "a reader's format support is declared through the harness protocol "
    "(tests/harness/test_protocol.py)",
    "canonical-sequential-1": "how a reader uses the graph after reading it is outside its answer",
    "errors-not-utf-8-1": "the harness protocol carries text, so no corpus case can hold bytes that are not "
    "UTF-8 (spec/errors.md#not-utf-8); tests/parser checks the reference parser",
}
# The harness protocol's rules bind the parser process and the harness, not the reading of a file:
# tests/harness/ (test_protocol.py, test_process.py and the fake parsers) holds them.
for _number in range(1, 10):
    UNTESTABLE[f"protocol-top-{_number}"] = "a rule of the harness protocol, checked by tests/harness/"
UNTESTABLE["protocol-containers-1"] = (
    "a duty of the harness, not of a reader: tests/harness/ checks the files it builds"
)
UNTESTABLE["protocol-containers-2"] = "a rule of the harness protocol, checked by tests/harness/"
UNTESTABLE["protocol-containers-3"] = (
    "not executing is invisible in an answer; tests/parser/test_isolation.py checks it"
)


def spec_rules(spec_dir: Path = SPEC_DIR) -> dict[str, dict[str, str]]:
    """Every rule marker in spec/: id -> page, level (MUST or SHOULD) and the sentence."""
    rules: dict[str, dict[str, str]] = {}
    for page in sorted(spec_dir.glob("*.md")):
        if page.name == "CHANGELOG.md":
            continue
        text = page.read_text()
        markers = list(MARKER.finditer(text))
        for number, match in enumerate(markers):
            end = markers[number + 1].start() if number + 1 < len(markers) else len(text)
            sentence = _first_sentence(text[match.end() : end])
            level = "MUST" if re.search(r"\bMUST\b", sentence) else "SHOULD"
            rules[match.group(1)] = {"page": page.name, "level": level, "sentence": sentence}
    return rules


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    match = re.search(r"(?<=[.:])\s(?=[A-Z`*(\[<|#])", flat)
    return flat[: match.start()] if match else flat[:300]


def _matches(selector: str, entry: dict[str, Any]) -> bool:
    for term in selector.split():
        key, value = term.split("=", 1)
        if key == "feature":
            if value not in entry.get("features", []):
                return False
        elif key == "id":
            if not fnmatch.fnmatchcase(entry["id"], value):
                return False
        elif entry.get(key) != value:
            return False
    return True


def rules_of(entry: dict[str, Any]) -> list[str]:
    """The rule ids a manifest entry exercises, sorted."""
    return sorted(rule for rule, selectors in RULES.items() if any(_matches(s, entry) for s in selectors))


def annotate(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Set ``rules`` on every manifest entry (in place); returns the entries."""
    for entry in entries:
        entry["rules"] = rules_of(entry)
    return entries


def rules_table(entries: list[dict[str, Any]], spec_dir: Path = SPEC_DIR) -> str:
    """spec/generated/rules.md: every rule, its level, and its cases (or why it has none)."""
    rules = spec_rules(spec_dir)
    by_rule: dict[str, list[str]] = {rule: [] for rule in rules}
    for entry in entries:
        for rule in entry.get("rules", []):
            by_rule.setdefault(rule, []).append(entry["id"])
    with_cases = sum(1 for rule in rules if by_rule[rule])
    untestable = sum(1 for rule in rules if rule in UNTESTABLE)
    lines = [
        "# Rules and the cases that exercise them",
        "",
        "Generated by `python -m generator` (`generator/_rules.py`) from the rule markers in `spec/` and the",
        "manifest's `rules` field; do not edit. A case listed under a rule is one a reader breaking the rule",
        "fails. A rule with no case says why none can exist.",
        "",
        f"{len(rules)} rules ({sum(1 for r in rules.values() if r['level'] == 'MUST')} MUST, "
        f"{sum(1 for r in rules.values() if r['level'] == 'SHOULD')} SHOULD only): {with_cases} with cases, "
        f"{untestable} listed as untestable.",
        "",
        "| Rule | Level | Cases | Examples or reason |",
        "|------|-------|-------|--------------------|",
    ]
    for rule, info in sorted(rules.items()):
        cases = sorted(by_rule[rule])
        anchor = f"[{rule}](../{info['page']}#rule-{rule})"
        if cases:
            shown = ", ".join(f"`{case}`" for case in _examples(cases))
            note = shown + (f" and {len(cases) - 3} more" if len(cases) > 3 else "")
        else:
            note = "untestable: " + UNTESTABLE.get(rule, "NO CASE")
        lines.append(f"| {anchor} | {info['level']} | {len(cases)} | {note} |")
    return "\n".join(lines) + "\n"


def _examples(cases: list[str]) -> list[str]:
    # Hand-made and invalid cases first: they pin a rule most directly.
    return sorted(cases, key=lambda case: (not case.startswith(("handmade/", "invalid/")), case))[:3]


def write_rules_table(manifest: dict[str, Any], spec_dir: Path = SPEC_DIR) -> None:
    (spec_dir / "generated" / "rules.md").write_text(rules_table(manifest["cases"], spec_dir))

"""The scanner track's judgement (spec/protocol.md#tracks): a scanner's findings against the code
the file carries.

The expected answer is derived from the model JSON the file holds (:func:`kerasspec.code.code_sites`),
never written by hand; the findings are matched to it by :func:`kerasspec.scanning.score`. A scanner
that rejects a file found nothing in it. Nothing in the file is decoded beyond JSON, let alone run.
"""

from __future__ import annotations

from typing import Any

from kerasspec import scanning
from kerasspec._load import glance
from kerasspec.code import code_sites, layer_paths
from kerasspec.corpus import Case
from kerasspec.harness._outcomes import Answer, CaseResult, error_line, record
from kerasspec.vocabulary import Outcome

_OUTCOMES = {scanning.PASS: Outcome.PASS, scanning.MISSED: Outcome.MISSED, scanning.FALSE_ALARM: Outcome.FALSE_ALARM}
_NAMED = 3  # sites or findings named in a result's detail; the result lists all of them


def place(item: dict[str, Any]) -> str:
    """A site (``{path, kind, layers}``) or a finding (``{path?, layer?}``) of a result, in one line."""
    if "kind" in item:
        return f"{item['path']} ({item['kind']} in {' > '.join(item['layers']) or 'the model'})"
    return str(item.get("path") or (f"layer {item['layer']!r}" if item.get("layer") else "the file"))


def _listed(items: list[str]) -> str:
    more = f" and {len(items) - _NAMED} more" if len(items) > _NAMED else ""
    return "; ".join(items[:_NAMED]) + more


def judge_scan(case: Case, answer: Answer, text: str, *, seconds: float = 0.0) -> CaseResult:
    """The outcome of a scanner's ``answer`` for ``case``, whose file holds the model JSON ``text``."""
    model = glance(text)
    sites = code_sites(model) if model is not None else []
    expected = [site.as_json() for site in sites]
    if answer.kind not in ("findings", "error"):  # crash, timeout, protocol-error, unsupported
        return record(case, answer, Outcome(answer.kind), answer.detail, seconds, sites=expected)
    found = scanning.findings(answer.findings) if answer.kind == "findings" else []
    score = scanning.score(
        sites, found, scanning.not_code_layers(model), scanning.not_code_paths(model), layer_paths(model)
    )
    details = []
    if answer.kind == "error":
        assert answer.error is not None
        details.append(f"the scanner did not read the file: {error_line(answer.error)}")
    if score.missed:
        details.append(
            f"missed {len(score.missed)} of {len(sites)}: {_listed([place(s.as_json()) for s in score.missed])}"
        )
    if score.false_alarms:
        flagged = _listed([place(finding.as_json()) for finding in score.false_alarms])
        details.append(f"{len(score.false_alarms)} finding(s) where no code is: {flagged}")
    return record(
        case,
        answer,
        _OUTCOMES[score.outcome],
        "; ".join(details),
        seconds,
        sites=expected,
        missed=[site.as_json() for site in score.missed],
        false_alarms=[finding.as_json() for finding in score.false_alarms],
        policy=[finding.as_json() for finding in score.policy],
    )

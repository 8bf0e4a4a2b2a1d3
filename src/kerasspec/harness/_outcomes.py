"""What happened to one case: the outcome vocabulary of ``spec/protocol.md`` and the judgement.

A parser's answer (a document, a rejection, or a failure of the process) is judged against the
case: a valid case's document is compared with the expected one (the first difference is kept,
and the document itself, so that every difference can be shown later), an invalid case must be
rejected. Every case gets exactly one outcome; none is ever skipped.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasspec.canonical import diff, is_absent
from kerasspec.corpus import Case
from kerasspec.vocabulary import AnswerKind, CaseKind, Format, Outcome


@dataclass(frozen=True, slots=True)
class Answer:
    """What a parser did with one case, before judgement.

    ``kind`` is ``document``, ``error`` (a rejection), ``findings`` (a scanner's), or one of the
    failure outcomes (``crash``, ``timeout``, ``protocol-error``, ``unsupported``) with a ``detail``
    for people.
    """

    kind: AnswerKind
    document: Any = None
    error: dict[str, Any] | None = None
    detail: str = ""
    findings: list[dict[str, Any]] | None = None


@dataclass(frozen=True, slots=True)
class CaseResult:
    """The recorded outcome of one case: what the reports and the results file hold."""

    case: str
    kind: CaseKind
    format: Format
    release: str
    features: tuple[str, ...]
    outcome: Outcome
    detail: str = ""
    difference: dict[str, Any] | None = None  # fail: {path, expected, actual, reason}
    error: dict[str, Any] | None = None  # the parser's rejection, when it rejected
    expected_error: str | None = None  # invalid cases: the code the corpus expects
    seconds: float = 0.0
    known: str | None = field(default=None)  # the known-failures reason, when listed there
    container: str | None = None  # to_json, keras-archive or h5: where the model JSON came from (or the file handed)
    document: Any = None  # fail, accepted-invalid: the parser's document (up to DOCUMENT_LIMIT of JSON)
    input: str | None = None  # the case's model file, as a person would open it
    # Scanner track (spec/protocol.md#tracks): the file's code-carrying configs, those no finding
    # matched, the findings that match none, and the findings on TensorFlow-op layers (policy).
    sites: list[dict[str, Any]] | None = None
    missed: list[dict[str, Any]] | None = None
    false_alarms: list[dict[str, Any]] | None = None
    policy: list[dict[str, Any]] | None = None

    @property
    def label(self) -> str:
        """The case id, with the container it was handed in when the id does not name it
        (``keras3/keras-3.15.1/mha-positional [keras-archive]``): unique within a run."""
        container = self.container
        if container in (None, "to_json") or self.case.endswith(f"/{container}"):
            return self.case
        return f"{self.case} [{container}]"

    @property
    def counts_as_failure(self) -> bool:
        return self.outcome.failing and self.known is None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "case": self.case,
            "kind": self.kind,
            "format": self.format,
            "release": self.release,
            "features": list(self.features),
            "outcome": self.outcome.value,
            "seconds": round(self.seconds, 6),
        }
        optional = {
            "detail": self.detail or None,
            "difference": self.difference,
            "error": self.error,
            "expected_error": self.expected_error,
            "known": self.known,
            "container": self.container,
            "document": self.document,
            "input": self.input,
            "sites": self.sites,
            "missed": self.missed,
            "false_alarms": self.false_alarms,
            "policy": self.policy,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseResult:
        return cls(
            case=data["case"],
            kind=data["kind"],
            format=data["format"],
            release=data["release"],
            features=tuple(data.get("features", ())),
            outcome=Outcome(data["outcome"]),
            detail=data.get("detail", ""),
            difference=data.get("difference"),
            error=data.get("error"),
            expected_error=data.get("expected_error"),
            seconds=data.get("seconds", 0.0),
            known=data.get("known"),
            container=data.get("container"),
            document=data.get("document"),
            input=data.get("input"),
            sites=data.get("sites"),
            missed=data.get("missed"),
            false_alarms=data.get("false_alarms"),
            policy=data.get("policy"),
        )


def rejection(error: BaseException) -> dict[str, Any] | None:
    """The protocol error object for an exception that rejects input (one with a string ``code``,
    such as :class:`kerasspec.ParseError`), or ``None`` for any other exception (a crash)."""
    code = getattr(error, "code", None)
    if not isinstance(error, Exception) or not isinstance(code, str):
        return None  # SystemExit("...") has a string code too, and is no rejection
    found = {"code": code, "message": str(getattr(error, "message", error))}
    path = getattr(error, "path", None)
    if isinstance(path, str):
        found["path"] = path
    return found


def document_json(document: Any) -> Any:
    """A parser's document as JSON data: ``to_json()`` when it has one, else the value itself."""
    to_json = getattr(document, "to_json", None)
    return to_json() if callable(to_json) else document


def error_line(error: dict[str, Any]) -> str:
    """A rejection in the CLI's one-line form: ``error[<code>]: <message> at <path>``."""
    where = f" at {error['path']}" if error.get("path") else ""
    return f"error[{error.get('code')}]: {error.get('message', '')}{where}"


def judge(
    case: Case, answer: Answer, expected: Any, *, strict_errors: bool = False, seconds: float = 0.0
) -> CaseResult:
    """The outcome of ``answer`` for ``case``; ``expected`` is its expected document (valid/lossy)."""
    outcome, detail, difference = _decide(case, answer, expected, strict_errors)
    kept = _kept(answer.document) if outcome in (Outcome.FAIL, Outcome.ACCEPTED_INVALID) else None
    return record(case, answer, outcome, detail, seconds, difference=difference, document=kept)


def record(case: Case, answer: Answer, outcome: Outcome, detail: str, seconds: float, **judged: Any) -> CaseResult:
    """The result of ``case`` with ``outcome``; ``judged`` adds what the judgement found (a difference, sites)."""
    return CaseResult(
        case=case.id,
        kind=case.kind,
        format=case.format,
        release=case.release,
        features=case.features,
        outcome=outcome,
        detail=detail,
        error=answer.error,
        expected_error=case.error,
        seconds=seconds,
        container=case.container,
        input=f"{_display_root(case.root)}/{case.input}",
        **judged,
    )


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it, else absolute."""
    absolute = path.resolve()
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive (Windows)
        return absolute.as_posix()
    return absolute.as_posix() if relative.startswith("..") else Path(relative).as_posix()


@functools.lru_cache(maxsize=64)
def _display_root(root: Path) -> str:
    return display_path(root)


DOCUMENT_LIMIT = 1 << 20  # characters of JSON: a wrong document is kept whole up to this size


def _kept(document: Any) -> Any:
    """The document a results file keeps for a wrong answer: whole, or ``None`` beyond the limit."""
    try:
        size = len(json.dumps(document, allow_nan=True))
    except (TypeError, ValueError, RecursionError):
        return None
    return document if size <= DOCUMENT_LIMIT else None


def _decide(
    case: Case, answer: Answer, expected: Any, strict_errors: bool
) -> tuple[Outcome, str, dict[str, Any] | None]:
    if answer.kind == "findings":  # only a scanner sends them, and its answers are judged in _scan
        return Outcome.PROTOCOL_ERROR, "findings where a canonical document was expected", None
    if answer.kind not in ("document", "error"):
        return Outcome(answer.kind), answer.detail, None
    if case.kind == "invalid":
        if answer.kind == "document":
            return Outcome.ACCEPTED_INVALID, f"expected error[{case.error}], got a document", None
        assert answer.error is not None
        if strict_errors and answer.error.get("code") != case.error:
            return Outcome.WRONG_ERROR, f"expected error[{case.error}], got {error_line(answer.error)}", None
        return Outcome.PASS, "", None
    if answer.kind == "error":
        assert answer.error is not None
        return Outcome.REJECTED_VALID, error_line(answer.error), None
    if _same_text(expected, answer.document):
        return Outcome.PASS, "", None
    difference = diff(expected, answer.document)
    if difference is None:
        return Outcome.PASS, "", None
    found = {
        "path": difference.path,
        **_side("expected", difference.expected),
        **_side("actual", difference.actual),
        "reason": difference.reason,
    }
    return Outcome.FAIL, str(difference), found


def _same_text(expected: Any, actual: Any) -> bool:
    """Identical canonical JSON text: equal under :func:`~kerasspec.canonical.diff` for sure.

    The common case of a passing document, checked at C speed; anything else (``2`` against
    ``2.0``, a boolean for a number, a real difference) goes to ``diff``, which decides.
    """
    try:
        return json.dumps(expected, sort_keys=True) == json.dumps(actual, sort_keys=True)
    except (TypeError, ValueError, RecursionError):
        return False


def side_text(difference: Mapping[str, Any], name: str, *, indent: int | None = None) -> str:
    """How a report shows a recorded difference's ``expected`` or ``actual`` side (see :func:`_side`)."""
    if name in difference:
        return json.dumps(difference[name], indent=indent)
    if f"{name}_excerpt" in difference:
        return f"{difference[f'{name}_excerpt']} (cut short)"
    return "nothing (no value at this path)"


#: The longest JSON text of a difference's side kept whole in a result; a longer one is an excerpt.
SIDE_LIMIT = 2000


def _side(name: str, value: Any) -> dict[str, Any]:
    """A difference's ``expected`` or ``actual`` member (schemas/protocol/report.json): the value itself,
    or ``<name>_excerpt``, the start of its JSON text, with ``<name>_length``, the text's length, when that
    is longer than :data:`SIDE_LIMIT` (``...`` alone for a value too deeply nested to write); nothing where
    that document has no value at the path.

    No marker value stands in for a missing side: any string or object could be a real value there.
    """
    if is_absent(value):
        return {}
    try:
        text = json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        return {f"{name}_excerpt": "..."}
    if len(text) <= SIDE_LIMIT:
        return {name: value}
    return {f"{name}_excerpt": text[:SIDE_LIMIT] + "...", f"{name}_length": len(text)}

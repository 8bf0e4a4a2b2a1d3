"""A failing case's page: what the reader did, every difference, the input, both documents, and how to re-run it."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kerasspec._load import glance
from kerasspec.canonical import Difference, differences, is_absent, path_keys
from kerasspec.corpus import Case, CorpusError
from kerasspec.harness import CaseResult
from kerasspec.harness._outcomes import error_line
from kerasspec.site import _excerpt
from kerasspec.site._escape import text
from kerasspec.site._page import page
from kerasspec.site._readers import Reader

MAX_DIFFERENCES = 200  # listed on a page; the count says how many there are in all
WHOLE_DOCUMENT = 8000  # characters of indented JSON shown whole; larger documents are shown in part
VALUE_CHARS = 300
_VALUE = json.JSONEncoder(ensure_ascii=False, allow_nan=True, sort_keys=True).encode


@dataclass(frozen=True, slots=True)
class CaseFiles:
    """What the corpus holds for one case, read once for every reader that failed it."""

    case: Case | None
    model: Any = None  # the model file as JSON data (None if unreadable)
    expected: Any = None
    reference_error: dict[str, Any] | None = None  # invalid cases: where the reference parser rejects it
    problem: str = ""  # why the files could not be read
    # The input and expected-document blocks shown so far, by place: readers that failed the case at
    # the same place show the same block, made once.
    blocks: dict[tuple[str | int, ...], str] = field(default_factory=dict, compare=False)

    def block(self, key: tuple[str | int, ...], make: Callable[[], str]) -> str:
        """The block ``make`` returns for ``key``, made at the first call only."""
        found = self.blocks.get(key)
        if found is None:
            found = self.blocks[key] = make()
        return found

    @classmethod
    def read(cls, case: Case | None) -> CaseFiles:
        if case is None:
            return cls(None, problem="the case is not in this corpus (another corpus version?)")
        try:
            source = case.read_input(verify=False)
            expected = case.read_expected(verify=False) if case.expected is not None else None
        except (CorpusError, UnicodeDecodeError, ValueError) as error:
            return cls(case, problem=f"cannot read the case's files: {error}")
        return cls(case, glance(source), expected, _reference_error(source) if case.kind == "invalid" else None)


def _reference_error(source: str) -> dict[str, Any] | None:
    from kerasspec import parser
    from kerasspec.errors import ParseError

    try:
        parser.parse(source)
    except ParseError as error:
        return {"code": error.code, "message": error.message, "path": error.path}
    return None


def reproduce(reader: Reader, result: CaseResult) -> str:
    """The command that runs the reader on this case alone, as the results file recorded it."""
    recorded = reader.run.rerun_arguments(result.case)  # `kerasspec check` records it (corpus, adapter, options)
    if recorded is not None:
        return shlex.join(recorded)
    parser = reader.run.parser
    options = ["--case", result.case]
    if reader.run.options.get("strict_errors"):
        options.insert(0, "--strict-errors")
    command = parser.get("command")
    if parser.get("mode") == "per-case":
        options.insert(0, "--per-case")
    if not isinstance(command, list) or not command:
        # An in-process run (kerasspec.check) recorded no command: the reader's own adapter goes there.
        return shlex.join(["kerasspec", "check", *options, "--"]) + " YOUR-ADAPTER-COMMAND"
    return shlex.join(["kerasspec", "check", *options, "--", *map(str, command)])


def _value(value: Any) -> str:
    if is_absent(value):
        return "(absent)"
    try:
        shown = _VALUE(value)
    except (TypeError, ValueError, RecursionError):
        shown = repr(value)
    return shown if len(shown) <= VALUE_CHARS else shown[: VALUE_CHARS - 3] + "..."


def _differences_table(found: list[Difference], total: int) -> str:
    rows = "".join(
        f"<tr><td><code>{text(d.path)}</code></td><td>{text(d.reason)}</td>"
        f"<td><code>{text(_value(d.expected))}</code></td><td><code>{text(_value(d.actual))}</code></td></tr>"
        for d in found
    )
    more = f"<p>The first {len(found)} of {total:,} are listed.</p>" if total > len(found) else ""
    return (
        f"<h2>Differences ({total:,})</h2>"
        '<table class="diffs"><thead><tr><th>path</th><th>reason</th><th>expected</th><th>actual</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>{more}"
    )


def _block(title: str, excerpt: _excerpt.Excerpt, note: str = "") -> str:
    cut = " (cut short)" if excerpt.cut else ""
    return (
        f"<h2>{text(title)} <code>{text(excerpt.path)}</code>{cut}</h2>"
        + (f'<p class="muted">{text(note)}</p>' if note else "")
        + f"<pre>{text(excerpt.text)}</pre>"
    )


def _document(title: str, document: Any, keys: list[str | int]) -> str:
    """A canonical document: whole when small, else the layer the first difference is in."""
    if _excerpt.fits(document, WHOLE_DOCUMENT):
        whole = _excerpt.Excerpt.of(document, [])
        if not whole.cut:
            return _block(title, whole)
    found, value = _excerpt.deepest(document, keys)
    return _block(
        title, _excerpt.Excerpt.of(value, found), "the document is large: the part the first difference is in"
    )


def _input_block(files: CaseFiles, result: CaseResult, keys: list[str | int]) -> str:
    if files.model is None:
        return ""
    where: list[str | int] | None = None
    error = result.error if result.outcome.value == "rejected-valid" else files.reference_error
    if error is not None and isinstance(error.get("path"), str):
        where = path_keys(error["path"])  # a path in the model file already
    elif result.missed and isinstance(result.missed[0].get("path"), str):
        where = path_keys(result.missed[0]["path"])  # a scanner's first miss: a path in the model file too
    if where is None and keys:
        where = _excerpt.input_keys(files.model, [files.expected, result.document], keys)
    assert files.case is not None
    note = f"from {files.case.input} in the corpus"

    def make() -> str:
        found, value = _excerpt.deepest(files.model, where or [])
        return _block("Input at", _excerpt.Excerpt.of(value, found), note)

    return files.block(("input", *(where or [])), make)


def _sites_table(result: CaseResult) -> str:
    """A scanner's result: every config of the file that carries code, found or missed, and its false alarms."""
    missed = {json.dumps(site, sort_keys=True) for site in result.missed or ()}
    rows = "".join(
        f"<tr><td><code>{text(site.get('path', ''))}</code></td><td>{text(site.get('kind', ''))}</td>"
        f"<td>{text(' > '.join(map(str, site.get('layers') or ())) or 'the model')}</td>"
        f"<td>{'missed' if json.dumps(site, sort_keys=True) in missed else 'found'}</td></tr>"
        for site in result.sites or ()
    )
    alarms = "".join(f"<li><code>{text(_value(finding))}</code></li>" for finding in result.false_alarms or ())
    return (
        f"<h2>Code in the file ({len(result.sites or ()):,})</h2>"
        '<table class="diffs"><thead><tr><th>path</th><th>kind</th><th>in layer</th><th>scanner</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>" + (f"<h2>False alarms</h2><ul>{alarms}</ul>" if alarms else "")
    )


def render(reader: Reader, result: CaseResult, files: CaseFiles) -> str:
    """The failure page (``readers/<slug>/failures/<file>.html``)."""
    case = files.case
    known = f"<p>Known failure: {text(result.known)}</p>" if result.known else ""
    meta = [
        ("outcome", f"<strong>{text(result.outcome.value)}</strong>"),
        ("kind", text(result.kind)),
        ("format", text(result.format)),
        ("release", text(result.release)),
        ("container", text(result.container or "")),
        ("features", text(", ".join(result.features) or "none")),
    ]
    if case is not None:
        meta += [("description", text(case.description)), ("input file", f"<code>{text(case.input)}</code>")]
    what = []
    if result.detail:
        what.append(f"<pre>{text(result.detail)}</pre>")
    if result.error is not None:
        what.append(f"<p>The reader rejected it: <code>{text(error_line(result.error))}</code></p>")
    if result.expected_error is not None:
        reference = files.reference_error
        at = f" (the reference parser: <code>{text(error_line(reference))}</code>)" if reference else ""
        what.append(f"<p>Expected a rejection <code>error[{text(result.expected_error)}]</code>{at}.</p>")
    body = [
        f"<h1>{text(result.case)}</h1><p>{text(reader.label)}: <strong>{text(result.outcome.value)}</strong></p>",
        known,
        "<dl>" + "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in meta) + "</dl>",
        f"<h2>Reproduce</h2><pre>{text(reproduce(reader, result))}</pre>",
        "<h2>What happened</h2>" + "".join(what) if what else "",
    ]
    if files.problem:
        body.append(f"<p>{text(files.problem)}</p>")
    if result.sites is not None:
        body.append(_sites_table(result))
    keys: list[str | int] = []
    if result.difference is not None:
        keys = path_keys(str(result.difference.get("path", ""))) or []
    if files.expected is not None and result.document is not None:
        listed, total = [], 0
        for difference in differences(files.expected, result.document):
            total += 1
            if total <= MAX_DIFFERENCES:
                listed.append(difference)
        body.append(_differences_table(listed, total))
        if listed:
            keys = path_keys(listed[0].path) or keys
    elif result.difference is not None:
        body.append(
            "<p>The reader's document was not kept (larger or deeper than a results file keeps); "
            "the first difference:</p>"
        )
        body.append(f"<pre>{text(result.detail)}</pre>")
    body.append(_input_block(files, result, keys))
    layer = _excerpt.layer_keys(keys)
    if files.expected is not None and result.sites is None:  # a scanner is judged on code sites, not the graph
        expected = files.expected
        body.append(files.block(("expected", *layer), lambda: _document("Expected document", expected, layer)))
    if result.document is not None:
        body.append(_document("Actual document", result.document, layer))
    crumbs = [(reader.label, "../index.html"), ("failures", "index.html"), (result.case, "")]
    return page(f"{result.case}: {result.outcome.value} ({reader.label})", 3, crumbs, "".join(body))

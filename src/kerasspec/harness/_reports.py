"""File reports of a run: ``json`` (schema'd), ``junit`` (for CI), ``markdown`` (for a pull request), ``html``."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from kerasspec._text import printable
from kerasspec.harness import _matrix
from kerasspec.harness._outcomes import CaseResult, side_text
from kerasspec.harness._report_html import html
from kerasspec.harness._run import Run
from kerasspec.harness._scan import place
from kerasspec.vocabulary import Outcome

FORMATS = ("json", "junit", "markdown", "html")
#: Failures shown in full in the markdown report, and how many more are named by id.
MARKDOWN_FAILURES = 30
MARKDOWN_LISTED = 100


def write(run: Run, kind: str, path: str | os.PathLike[str]) -> Path:
    """Write the ``kind`` report of ``run`` to ``path`` (parent folders created)."""
    renderers: dict[str, Callable[[Run], str]] = {
        "json": as_json,
        "junit": junit,
        "markdown": markdown,
        "html": html,
    }
    if kind not in renderers:
        raise ValueError(f"unknown report kind {kind!r}; choose from {', '.join(FORMATS)}")
    target = Path(path)
    # Text from a parser may hold lone surrogates, which UTF-8 cannot encode: escaped, not fatal.
    data = renderers[kind](run).encode("utf-8", "backslashreplace")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not target.is_file():  # a device or a FIFO (/dev/stdout): written in place
        with target.open("wb") as out:
            out.write(data)
        return target
    # Whole or not at all: written beside the target, then renamed over it.
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def as_json(run: Run) -> str:
    return json.dumps(run.to_json(), indent=1) + "\n"


def implementation_name(run: Run) -> str:
    implementation: dict[str, Any] = run.implementation or {}
    name = implementation.get("name") or "unknown parser"
    version = implementation.get("version")
    return f"{name} {version}" if version else str(name)


# XML 1.0 forbids most control characters; a crashing parser's stderr (ANSI colours, NUL bytes) has them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit(run: Run) -> str:
    """JUnit XML: one testsuite per producer release, one testcase per case.

    Failing outcomes are ``<failure type="<outcome>">``; unsupported cases and known failures are
    ``<skipped>`` with the reason (CI shows them, and they do not fail the build, as in the run).
    """
    suites = ElementTree.Element(
        "testsuites", name=_xml(f"kerasspec: {implementation_name(run)}"), time=f"{run.seconds:.3f}"
    )
    by_release: dict[str, list[CaseResult]] = {}
    for result in run.results:
        by_release.setdefault(f"{result.format}.{result.release}", []).append(result)
    for name, results in by_release.items():
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=name,
            tests=str(len(results)),
            failures=str(sum(r.counts_as_failure for r in results)),
            skipped=str(sum(r.outcome is Outcome.UNSUPPORTED or r.known is not None for r in results)),
            time=f"{sum(r.seconds for r in results):.3f}",
        )
        for result in results:
            case = ElementTree.SubElement(
                suite, "testcase", classname=name, name=_xml(result.label), time=f"{result.seconds:.3f}"
            )
            if result.known is not None:
                skipped = ElementTree.SubElement(case, "skipped", message=_xml(f"known failure: {result.known}"))
                skipped.text = _xml(f"{result.outcome}: {result.detail}")
            elif result.outcome is Outcome.UNSUPPORTED:
                ElementTree.SubElement(case, "skipped", message=_xml(result.detail))
            elif result.outcome.failing:
                failure = ElementTree.SubElement(
                    case, "failure", type=result.outcome.value, message=_xml(result.detail[:500])
                )
                failure.text = _xml(describe_failure(result, run.rerun_command(result.case)))
    if run.executed < run.selected:
        suite = ElementTree.SubElement(suites, "testsuite", name="kerasspec.run", tests="1", failures="1")
        case = ElementTree.SubElement(suite, "testcase", classname="kerasspec.run", name="all selected cases ran")
        ElementTree.SubElement(case, "failure", type="incomplete", message="; ".join(run.problems()))
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def describe_failure(result: CaseResult, rerun: str | None = None) -> str:
    """A failure in plain text: outcome, detail, the difference or the errors involved, the case's
    input file and the command that reruns it."""
    lines = [f"{result.label}: {result.outcome}", result.detail]
    if result.difference is not None:
        diff = result.difference
        lines += [
            f"at       {diff['path']}",
            f"reason   {diff['reason']}",
            f"expected {side_text(diff, 'expected')}",
            f"got      {side_text(diff, 'actual')}",
        ]
    if result.expected_error is not None:
        lines.append(f"expected error[{result.expected_error}]")
    # A scanner's: every site it missed and every false alarm (the detail names the first few).
    lines += [f"missed   {place(site)}" for site in result.missed or ()]
    lines += [f"flagged  {place(finding)} (no code there)" for finding in result.false_alarms or ()]
    if result.input:
        lines.append(f"input    {result.input}")
    if rerun:
        lines.append(f"rerun    {rerun}")
    return "\n".join(line for line in lines if line)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    """Text from a parser or a corpus in Markdown prose or a table cell: one line, nothing it can format."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text, limit=None))


def _code(text: str) -> str:
    """Text as an inline code span that it cannot close (CommonMark: a longer run of backticks)."""
    body = printable(text, limit=None)
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def _fenced(text: str) -> list[str]:
    """A code block that ``text`` cannot close: its fence is longer than any run of backticks inside."""
    body = printable(text, limit=None, keep="\n")
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, body, fence]


def markdown(run: Run) -> str:
    """A pull-request comment: verdict, counts, feature x format rates, and every failure (folded)."""
    verdict = "✅ passed" if run.passed else "❌ failed"
    lines = [
        f"## kerasspec: {_md(implementation_name(run))} {verdict}",
        "",
        f"{run.executed} of {run.selected} cases ran in {run.seconds:.1f} s "
        f"(corpus {run.corpus.get('version', '?')}, kerasspec {run.metadata()['suite']['version']}).",
        "",
    ]
    lines += [f"- {_md(problem)}" for problem in run.problems()]
    counts = {k: v for k, v in run.counts().items() if v}
    lines += ["", "| outcome | cases |", "|---|---:|"]
    lines += [f"| {outcome} | {count} |" for outcome, count in counts.items()]
    by_container = _matrix.containers(run.results)
    if len(by_container) > 1 or run.parser.get("containers"):
        lines += ["", "| container | passed |", "|---|---:|"]
        lines += [f"| {container} | {tally.cell()} |" for container, tally in by_container.items()]
    if run.track == "scanner":
        lines += ["", _md(_matrix.scanner_line(run.scanner_counts())) + "."]
    formats = sorted({r.format for r in run.results})
    matrix = _matrix.by_feature_and(run.results, lambda r: r.format)
    features = sorted({feature for feature, _ in matrix})
    lines += ["", "| feature | " + " | ".join(formats) + " |", "|---|" + "---:|" * len(formats)]
    for feature in features:
        cells = [matrix[(feature, f)].cell() if (feature, f) in matrix else "" for f in formats]
        lines.append(f"| {_md(feature)} | " + " | ".join(cells) + " |")
    failures = run.failures
    if failures:
        lines += ["", f"<details><summary>{len(failures)} failing case(s)</summary>", ""]
        for result in failures[:MARKDOWN_FAILURES]:
            rerun = run.rerun_command(result.case)
            lines += [
                f"#### {_code(result.label)}: {result.outcome}",
                "",
                *_fenced(describe_failure(result, rerun)),
                "",
            ]
        rest = failures[MARKDOWN_FAILURES:]
        if rest:
            # A pull-request comment has a size limit (65536 characters on GitHub): the next ones are
            # named, and the details of all are in the json, junit and html reports.
            lines += [f"and {len(rest)} more:", ""]
            lines += [f"- {_code(r.label)}: {r.outcome} ({_code(str(r.input))})" for r in rest[:MARKDOWN_LISTED]]
            if len(rest) > MARKDOWN_LISTED:
                lines.append(f"- ... {len(rest) - MARKDOWN_LISTED} more (see the json, junit or html report)")
            lines.append("")
        lines.append("</details>")
    if run.known_failures:
        lines += ["", f"{len(run.known_failures)} known failure(s) (listed with a reason, not counted)."]
    return "\n".join(lines) + "\n"

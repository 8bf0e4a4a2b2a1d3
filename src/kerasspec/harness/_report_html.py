"""The ``--report html`` page: self-contained (no scripts, no external resources).

It shows the verdict, the feature x release matrix (each cell passed/attempted, coloured by pass
rate; a cell with failures links to the first of them) and every failure with its diff.
"""

from __future__ import annotations

import html as _html
from typing import TYPE_CHECKING

from kerasspec._text import printable
from kerasspec.harness import _matrix
from kerasspec.harness._outcomes import CaseResult, side_text
from kerasspec.harness._scan import place

if TYPE_CHECKING:
    from kerasspec.harness._run import Run

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1b1b1b;background:#fff}
h1{font-size:1.5em;margin:0 0 .3em}.verdict{padding:.15em .5em;border-radius:4px;color:#fff}
.ok{background:#1a7f37}.bad{background:#cf222e}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #d0d7de;padding:.25em .5em;text-align:center}
th{background:#f6f8fa}td.feature,th.feature{text-align:left;white-space:nowrap}
td.full{background:#aceebb}td.part{background:#fff1b3}td.none{background:#ffcecb}td.na{background:#eaeef2;color:#57606a}
th.rel{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;white-space:nowrap}
.failure{border:1px solid #d0d7de;border-radius:6px;margin:.8em 0;padding:.5em 1em}
.failure h3{font-size:1em;margin:.2em 0;font-family:ui-monospace,monospace}
.outcome{font-weight:bold;color:#cf222e}.known{color:#57606a}
pre{background:#f6f8fa;padding:.5em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em}dt{color:#57606a}dd{margin:0}
"""


def escape(text: str) -> str:
    """Text from a parser or a corpus in the page: HTML-escaped, and no control character or lone
    surrogate (neither has a place in an HTML document; they are shown escaped)."""
    return _html.escape(printable(text, limit=None, keep="\n\t"))


def _cell_class(tally: _matrix.Tally) -> str:
    rate = tally.rate
    if rate is None:
        return "na"
    return "full" if rate == 1 else "none" if rate == 0 else "part"


def _anchor(case_id: str) -> str:
    return "case-" + "".join(ch if ch.isalnum() else "-" for ch in case_id)


def _matrix_table(run: Run) -> str:
    columns = _matrix.releases(run.results)
    matrix = _matrix.by_feature_and(run.results, lambda r: f"{r.format}|{r.release}")
    features = sorted({feature for feature, _ in matrix})
    formats = [(fmt, sum(1 for f, _ in columns if f == fmt)) for fmt in dict.fromkeys(f for f, _ in columns)]
    head1 = "".join(f'<th colspan="{span}">{escape(fmt)}</th>' for fmt, span in formats)
    head2 = "".join(f'<th class="rel">{escape(release)}</th>' for _, release in columns)
    first_failure: dict[tuple[str, str], str] = {}
    for result in run.results:
        if result.outcome.failing:
            for feature in _matrix.features_of(result):
                first_failure.setdefault((feature, f"{result.format}|{result.release}"), result.label)
    rows = []
    for feature in features:
        cells = []
        for fmt, release in columns:
            tally = matrix.get((feature, f"{fmt}|{release}"))
            if tally is None:
                cells.append("<td></td>")
                continue
            title = ", ".join(f"{outcome}: {n}" for outcome, n in sorted(tally.counts.items()))
            text = tally.cell()
            failing = first_failure.get((feature, f"{fmt}|{release}"))
            if failing is not None:
                text = f'<a href="#{_anchor(failing)}">{text}</a>'
            cells.append(f'<td class="{_cell_class(tally)}" title="{escape(title)}">{text}</td>')
        rows.append(f'<tr><td class="feature">{escape(feature)}</td>{"".join(cells)}</tr>')
    return (
        '<table class="matrix"><thead>'
        f'<tr><th class="feature" rowspan="2">feature</th>{head1}</tr><tr>{head2}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _failure(result: CaseResult, rerun: str) -> str:
    known = f' <span class="known">(known failure: {escape(result.known)})</span>' if result.known else ""
    parts = [
        f'<div class="failure" id="{_anchor(result.label)}">',
        f'<h3>{escape(result.label)}</h3><p><span class="outcome">{escape(result.outcome.value)}</span>{known}'
        f" · {escape(result.release)} · {escape(result.container or '')} · {escape(', '.join(result.features))}</p>",
    ]
    places = f"<dt>input</dt><dd><code>{escape(result.input)}</code></dd>" if result.input else ""
    parts.append(f'<dl class="where">{places}<dt>rerun</dt><dd><code>{escape(rerun)}</code></dd></dl>')
    if result.detail:
        parts.append(f"<pre>{escape(result.detail)}</pre>")
    if result.difference is not None:
        diff = result.difference
        parts.append(
            "<dl>"
            f"<dt>path</dt><dd><code>{escape(diff['path'])}</code></dd>"
            f"<dt>reason</dt><dd>{escape(diff['reason'])}</dd>"
            f"<dt>expected</dt><dd><pre>{escape(side_text(diff, 'expected', indent=1))}</pre></dd>"
            f"<dt>got</dt><dd><pre>{escape(side_text(diff, 'actual', indent=1))}</pre></dd>"
            "</dl>"
        )
    if result.expected_error is not None:
        parts.append(f"<p>expected <code>error[{escape(result.expected_error)}]</code></p>")
    scanned = [("missed", site) for site in result.missed or ()]
    scanned += [("false alarm", finding) for finding in result.false_alarms or ()]
    if scanned:  # a scanner's: every site it missed and every false alarm
        rows = "".join(f"<dt>{name}</dt><dd><code>{escape(place(item))}</code></dd>" for name, item in scanned)
        parts.append(f"<dl>{rows}</dl>")
    parts.append("</div>")
    return "".join(parts)


def _containers(run: Run) -> str:
    """The by-container table (when the run has several, or the reader was handed files), and a scanner's counts."""
    by_container = _matrix.containers(run.results)
    parts = []
    if len(by_container) > 1 or run.parser.get("containers"):
        rows = "".join(
            f'<tr><td class="feature">{escape(container)}</td><td class="{_cell_class(tally)}">{tally.cell()}</td></tr>'
            for container, tally in by_container.items()
        )
        parts.append(
            f'<h2>By container</h2><table><thead><tr><th class="feature">container</th>'
            f"<th>passed</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    if run.track == "scanner":
        parts.append(f"<p>{escape(_matrix.scanner_line(run.scanner_counts()))}.</p>")
    return "".join(parts)


def html(run: Run) -> str:
    """The whole page as a string."""
    implementation = run.implementation or {}
    name = f"{implementation.get('name', 'unknown parser')} {implementation.get('version', '')}".strip()
    verdict = '<span class="verdict ok">passed</span>' if run.passed else '<span class="verdict bad">failed</span>'
    counts = "".join(
        f"<tr><td class='feature'>{escape(outcome)}</td><td>{count}</td></tr>"
        for outcome, count in run.counts().items()
        if count
    )
    problems = "".join(f"<li>{escape(problem)}</li>" for problem in run.problems())
    failing = [r for r in run.results if r.outcome.failing]
    failures = "".join(_failure(result, run.rerun_command(result.case)) for result in failing) or "<p>None.</p>"
    meta = run.metadata()
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kerasspec: {escape(name)}</title><style>{_STYLE}</style></head>
<body>
<h1>kerasspec conformance: {escape(name)} {verdict}</h1>
<p>{run.executed} of {run.selected} cases ran in {run.seconds:.1f} s · language
{escape(str(implementation.get("language", "?")))} · corpus {escape(str(run.corpus.get("version", "?")))} ·
kerasspec {escape(meta["suite"]["version"])} · protocol {meta["protocol"]} · started {escape(run.started)}</p>
<ul class="problems">{problems}</ul>
<h2>Outcomes</h2><table><tbody>{counts}</tbody></table>
{_containers(run)}
<h2>Feature &times; release</h2>
<p>Each cell: cases passed / cases attempted (unsupported formats are not attempted).</p>
{_matrix_table(run)}
<h2>Failures ({len(failing)})</h2>
{failures}
</body></html>
"""

"""A reader's pages: its summary with the feature x release grids, the cell pages and the failure lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kerasspec.harness import CaseResult
from kerasspec.site import _colours
from kerasspec.site._escape import text
from kerasspec.site._page import page, rate_text
from kerasspec.site._readers import Reader, slug

PER_PAGE = 200  # failures listed per page of a cell or of the reader's list


def cell_file(fmt: str, release: str, row: str, number: int = 1) -> str:
    """The file name of a grid cell's failure list (page ``number``), in the reader's ``cells/`` folder."""
    suffix = "" if number == 1 else f"-{number}"
    return f"{slug(fmt)}--{slug(release)}--{slug(row)}{suffix}.html"


def _two_lines(release: str) -> str:
    """``keras<br>3.15.1-jax``: a column head half as wide as the release's name."""
    package, dash, version = release.partition("-")
    if not dash or not version[:1].isdigit():
        return text(release)
    return f"{text(package)}<br>{text(version)}"


def _grid(reader: Reader, fmt: str) -> str:
    releases = reader.releases(fmt)
    head = "".join(f"<th>{_two_lines(release)}</th>" for release in releases)
    rows = []
    for row in reader.rows(fmt):
        cells = []
        for release in releases:
            tally = reader.grid.get((fmt, release, row))
            if tally is None:
                cells.append("<td></td>")
                continue
            band = _colours.bucket(tally.rate)
            shown = tally.cell()
            if tally.failed:
                shown = f'<a href="cells/{cell_file(fmt, release, row)}">{shown}</a>'
            key = text(f"{fmt}|{release}|{row}")
            cells.append(f'<td class="{band.name}" data-cell="{key}">{shown}</td>')
        rows.append(f'<tr><td class="row">{text(row)}</td>{"".join(cells)}</tr>')
    return (
        f'<h2 id="grid-{fmt}">{text(fmt)}: feature &times; producer release</h2>'
        '<div class="scroll"><table class="grid"><thead><tr><th class="row">feature</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _scanned(reader: Reader) -> str:
    """A scanner's code sites found and missed, and its outcomes per container of the files it was handed."""
    run = reader.run
    found = run.scanner_counts()
    by_container = run.by_container()
    outcomes = sorted({outcome for counts in by_container.values() for outcome in counts})
    head = "".join(f"<th>{text(outcome)}</th>" for outcome in outcomes)
    rows = "".join(
        f"<tr><td class='row'>{text(container)}</td>"
        + "".join(f"<td>{counts.get(outcome, 0):,}</td>" for outcome in outcomes)
        + "</tr>"
        for container, counts in by_container.items()
    )
    return (
        "<h2>Code found</h2>"
        f"<p>{found['found']:,} of {found['sites']:,} configs that carry code found, {found['missed']:,} missed; "
        f"{found['false_alarms']:,} false alarm(s); {found['policy_flags']:,} flag(s) on TensorFlow-op layers "
        "(a policy: not counted).</p>"
        f'<div class="scroll"><table><thead><tr><th class="row">container</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def render(reader: Reader) -> str:
    """The reader's page (``readers/<slug>/index.html``)."""
    run = reader.run
    suite = reader.suite()
    counts = "".join(
        f"<tr><td class='row'>{text(outcome)}</td><td>{n:,}</td></tr>" for outcome, n in run.counts().items() if n
    )
    problems = "".join(f"<li>{text(problem)}</li>" for problem in run.problems())
    columns = " · ".join(
        f"{text(column)} {rate_text(tally.passed, tally.attempted)}" for column, tally in sorted(reader.columns.items())
    )
    failing = len(reader.failing)
    language = (run.implementation or {}).get("language", "?")
    body = (
        f"<h1>{text(reader.label)}</h1>"
        f'<p><img src="badge.svg" alt="badge" height="20"> {columns}</p>'
        "<dl>"
        f"<dt>ran</dt><dd>{run.executed:,} of {run.selected:,} cases in {run.seconds:,.1f} s, "
        f"{text(run.parser.get('mode', '?'))} mode, language {text(language)}, started {text(run.started)}</dd>"
        f"<dt>suite</dt><dd>package {text(suite['package'])} · spec {text(suite['spec'])} · corpus "
        f"{text(suite['corpus'])} · protocol {text(suite['protocol'])}</dd>"
        f"<dt>results file</dt><dd><code>{text(reader.source.name)}</code></dd>"
        f'<dt>failures</dt><dd><a href="failures/index.html">{failing:,} failing case(s)</a></dd>'
        "</dl>"
        + (f"<ul>{problems}</ul>" if problems else "")
        + f"<h2>Outcomes</h2><table><tbody>{counts}</tbody></table>"
        + (_scanned(reader) if reader.scanner else "")
        + "<p>Grid cells: cases passed / cases attempted, by feature tag (invalid cases by the error they must "
        "raise) and the Keras release that wrote them; a cell with failures links to them.</p>"
        + "".join(_grid(reader, fmt) for fmt in reader.formats())
        + "<h2>Badge</h2><p>Markdown: <code>![kerasspec](badge.svg)</code> with this page's address.</p>"
    )
    return page(f"kerasspec: {reader.label}", 2, [(reader.label, "")], body)


def listing(
    reader: Reader,
    title: str,
    results: Sequence[CaseResult],
    file_of: Callable[[int], str],
    failure_href: Callable[[str], str],
) -> list[tuple[str, str]]:
    """Pages listing ``results`` (``PER_PAGE`` each): (file name, HTML) pairs, linked in sequence.

    The pages sit one folder below the reader's page (``cells/`` or ``failures/``).
    """
    pages = max(1, -(-len(results) // PER_PAGE))
    made = []
    for number in range(1, pages + 1):
        chunk = results[(number - 1) * PER_PAGE : number * PER_PAGE]
        items = "".join(
            f'<li><a href="{failure_href(result.case)}">{text(result.case)}</a> '
            f'<span class="muted">{text(result.outcome.value)}: {text(_gist(result))}</span></li>'
            for result in chunk
        )
        links = []
        if number > 1:
            links.append(f'<a href="{file_of(number - 1)}">previous page</a>')
        if number < pages:
            links.append(f'<a href="{file_of(number + 1)}">next page</a>')
        where = f"page {number} of {pages}" if pages > 1 else ""
        body = (
            f"<h1>{text(title)}</h1><p>{len(results):,} failing case(s) {where} {' · '.join(links)}</p>"
            f'<ul class="cases">{items}</ul>'
        )
        made.append(
            (file_of(number), page(f"{title}: {reader.label}", 3, [(reader.label, "../index.html"), (title, "")], body))
        )
    return made


def _gist(result: CaseResult) -> str:
    """One short line of what went wrong."""
    if result.difference is not None:
        return f"{result.difference.get('path', '')}: {result.difference.get('reason', '')}"
    line = (result.detail or "").split("\n", 1)[0]
    return line[:160] + ("..." if len(line) > 160 else "")

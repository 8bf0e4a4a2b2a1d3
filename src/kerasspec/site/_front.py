"""The front page: one row per reader, its pass rate on keras2 and keras3 models and on inputs it must reject."""

from __future__ import annotations

from collections.abc import Sequence

from kerasspec.site import _colours
from kerasspec.site._escape import text
from kerasspec.site._page import page, rate_text
from kerasspec.site._readers import COLUMNS, Reader, columns


def _cell(reader: Reader, column: str, label: str) -> str:
    tally = reader.columns.get(column)
    if tally is None:
        return f'<td class="na" data-column="{column}" data-label="{label}">not run</td>'
    band = _colours.bucket(tally.rate)
    shown = rate_text(tally.passed, tally.attempted)
    return f'<td class="{band.name}" data-column="{column}" data-label="{label}">{shown}</td>'


def _row(reader: Reader, shown: tuple[tuple[str, str], ...]) -> str:
    suite = reader.suite()
    versions = f"{suite['package']} / {suite['spec']} / {suite['corpus']} / {suite['protocol']}"
    run = reader.run
    ran = f"{run.executed:,}" + ("" if run.executed == run.selected else f" of {run.selected:,}")
    href = f"readers/{reader.slug}/index.html"
    return (
        f'<tr><td class="row"><a href="{href}">{text(reader.name)}</a></td>'
        f'<td data-label="version">{text(reader.version)}</td>'
        + "".join(_cell(reader, column, title) for column, title in shown)
        + f'<td data-label="cases">{ran}</td><td class="suite" data-label="suite">{text(versions)}</td>'
        f'<td data-label="badge"><img src="readers/{reader.slug}/badge.svg" alt="badge of {text(reader.label)}" '
        'height="20"></td></tr>'
    )


def render(readers: Sequence[Reader]) -> str:
    """The front page (``index.html``)."""
    shown = columns(readers)
    heads = "".join(f"<th>{text(title)}</th>" for _, title in shown)
    rows = "".join(_row(reader, shown) for reader in readers)
    scanners = (
        " A scanner is judged on the files it is handed (<code>.json</code>, <code>.keras</code>, <code>.h5</code>): "
        "a file passes when every config that carries code is found and nothing else is flagged."
        if len(shown) > len(COLUMNS)
        else ""
    )
    legend = " ".join(
        f'<span class="rate {band.name}">{text(band.words)}</span>'
        for band in (*_colours.BUCKETS, _colours.NOT_ATTEMPTED)
    )
    body = (
        "<h1>Keras model JSON readers: conformance</h1>"
        f"<p>{len(readers)} reader(s) run over the kerasspec corpus. Each cell: cases passed / cases attempted "
        "(a wire format a reader does not read is not attempted)."
        f"{scanners} A reader's page has its feature &times; release "
        "grid and every failure with the input, the expected and actual documents and the command that "
        "reproduces it.</p>"
        '<div class="scroll"><table class="readers"><thead><tr><th class="row">reader</th><th>version</th>'
        f"{heads}<th>cases</th><th class='suite'>suite<br>"
        "<span class='muted'>package / spec / corpus / protocol</span></th>"
        "<th>badge</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
        f"<p>Colours: {legend}</p>"
    )
    return page("kerasspec results: every reader", 0, [], body)

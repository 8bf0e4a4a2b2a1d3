"""The frame every page shares: head, title, style sheet link, breadcrumbs; and small helpers."""

from __future__ import annotations

from kerasspec.site import _colours
from kerasspec.site._escape import text


def style() -> str:
    """The one style sheet (``style.css``), its colours from :mod:`kerasspec.site._colours`."""
    c = _colours
    cells = "".join(
        f"td.{band.name},span.{band.name}{{background:{band.cell}}}" for band in (*c.BUCKETS, c.NOT_ATTEMPTED)
    )
    return (
        f"*{{box-sizing:border-box}}body{{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:80rem;"
        f"padding:1rem;color:{c.TEXT};background:{c.PAGE}}}"
        f"a{{color:{c.LINK}}}h1{{font-size:1.45rem;margin:.2rem 0 .5rem;overflow-wrap:anywhere}}"
        "h2{font-size:1.15rem;margin:1.4rem 0 .4rem}"
        f"nav{{font-size:.9rem;color:{c.MUTED};overflow-wrap:anywhere}}.muted{{color:{c.MUTED}}}"
        ".scroll{overflow-x:auto;max-width:100%}"
        "table{border-collapse:collapse;margin:.4rem 0}"
        "th,td{border:1px solid #c9d1d9;padding:.2rem .45rem;text-align:center;white-space:nowrap}"
        f"th{{background:{c.PANEL};font-weight:600}}th.row,td.row{{text-align:left}}"
        f"td.row{{background:{c.PAGE};position:sticky;left:0}}"
        "table.grid td a{color:inherit}.suite{white-space:normal;min-width:8rem}"
        f"code,pre{{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem;background:{c.PANEL}}}"
        "pre{padding:.5rem;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%}"
        "code{padding:0 .2rem;overflow-wrap:anywhere}"
        "dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.15rem 1rem}dt{font-weight:600}"
        "dd{margin:0;overflow-wrap:anywhere}"
        "ul.cases{padding-left:1.2rem}ul.cases li{overflow-wrap:anywhere;margin:.15rem 0}"
        "span.rate{padding:0 .3rem;border-radius:3px}"
        "table.diffs td{text-align:left;white-space:normal;overflow-wrap:anywhere;vertical-align:top}"
        "table.diffs{width:100%;table-layout:fixed}table.diffs th:first-child{width:40%}"
        "table.grid td,table.grid th{padding:.15rem .3rem}table.grid th{font-weight:500}"
        # On a phone the front table becomes one card per reader, each value labelled.
        "@media (max-width:40rem){table.readers thead{display:none}table.readers,table.readers tbody{display:block}"
        "table.readers tr{display:block;border:1px solid #c9d1d9;margin:.5rem 0}table.readers td{display:block;"
        "border:0;text-align:left;white-space:normal}"
        "table.readers td[data-label]::before{content:attr(data-label) ': ';font-weight:600}}"
        f"{cells}\n"
    )


def page(title: str, depth: int, crumbs: list[tuple[str, str]], body: str) -> str:
    """A whole page; ``depth`` is how many folders below the site root it sits (for relative links).

    ``title`` and the crumbs' names are escaped here; ``body`` is HTML already.
    """
    up = "../" * depth
    trail = " / ".join(
        [f'<a href="{up}index.html">kerasspec results</a>']
        + [f'<a href="{href}">{text(name)}</a>' if href else text(name) for name, href in crumbs]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)}</title>"
        f'<link rel="stylesheet" href="{up}style.css"></head>\n'
        f"<body><nav>{trail}</nav>\n{body}\n</body></html>\n"
    )


def rate_text(passed: int, attempted: int) -> str:
    """``12/14 (86%)``, or ``n/a`` when nothing was attempted."""
    if not attempted:
        return "n/a"
    return f"{passed:,}/{attempted:,} ({_percent(passed / attempted)})"


def _percent(rate: float) -> str:
    # Never round a near miss up to 100% or a near zero down to 0%.
    if 0.995 <= rate < 1:
        return "99%"
    if 0 < rate < 0.005:
        return "<1%"
    return f"{rate:.0%}"

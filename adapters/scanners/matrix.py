"""The scanners table: every scanner adapter over the code-carrying corpus, in every container.

    python adapters/scanners/matrix.py                      # run every installed scanner, render
    python adapters/scanners/matrix.py --scanner hayward    # one of them
    python adapters/scanners/matrix.py --render-only        # re-render from reports/scanners/
    nice python adapters/scanners/matrix.py --scanner modelaudit --release 'keras-3.15.1' --release 'tf_keras-2.21.0'
                                                            # a sample of releases (modelaudit is slow)

The cases are the corpus's models with code (`lambda`, `lambda-nested`) and their controls and
the TensorFlow-op models (`tfoplambda`, not code): each written as `.json`, `.keras` and `.h5`
(kerasspec.scanning). Results stream to `reports/scanners/<scanner>.jsonl`; the table goes between
`<!-- scanners:start -->` and `<!-- scanners:end -->` in adapters/matrix/MATRIX.md, and a summary
(top level and nested, in the files scanners read) between the same markers in README.md. A scanner
run on a sample of releases says so in its row. The tools live in venvs under `.cache/scanners/`
(`$KERASSPEC_SCANNERS`), one per tool:

    uv venv -p python3.11 .cache/scanners/modelscan
    VIRTUAL_ENV=.cache/scanners/modelscan uv pip install 'modelscan[tensorflow,h5py]==0.8.8'
    # likewise: weightguard==0.2.0, hayward==1.4.1, aisbom-cli==1.7.0 (venv aisbom-cli),
    # 'modelaudit[h5]==0.2.54'

modelscan reads `.keras` archives only with its `tensorflow` extra installed (without it, it reports
a dependency error for each and scans nothing).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from kerasspec import scanning  # noqa: E402
from kerasspec.corpus import load  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = ROOT / "reports" / "scanners"
SCANNERS = {
    "modelscan": "modelscan 0.8.8",
    "weightguard": "weightguard 0.2.0",
    "hayward": "hayward 1.4.1",
    "aisbom": "aisbom-cli 1.7.0 (offline)",
    "modelaudit": "modelaudit 0.2.54 (slow)",
}
SELECTED_TAGS = {"lambda", "lambda-nested", "tfoplambda"}
CONTAINERS = ("to_json", "keras-archive", "h5")


FILE_CONTAINERS = ("keras-archive", "h5")  # the files scanners read (none reads a plain .json)
README = ROOT / "README.md"
PAGE = ROOT / "adapters" / "matrix" / "MATRIX.md"


def chosen(releases: list[str] | None = None) -> list[scanning.Item]:
    corpus = load()
    cases = [
        case
        for case in corpus.select()
        if SELECTED_TAGS & set(case.features)
        and (not releases or any(fnmatch.fnmatchcase(case.release, glob) for glob in releases))
    ]
    return scanning.items(corpus, cases)


def rows_of(name: str) -> list[dict[str, Any]]:
    path = RESULTS / f"{name}.jsonl"
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [line for line in lines if line.get("type") == "case"]


def _nested(site: dict[str, Any]) -> bool:
    return len(site["layers"]) > 1  # held by more than the top-level layer: inside a model or wrapper


def _counts(rows: list[dict[str, Any]], containers: tuple[str, ...], nested: bool) -> tuple[int, int]:
    """Sites found and sites, at one depth, in files of ``containers`` the scanner answered for."""
    mine = [r for r in rows if r["container"] in containers and r["outcome"] != scanning.ERROR]
    sites = sum(1 for r in mine for site in r["sites"] if _nested(site) == nested)
    missed = sum(1 for r in mine for site in r["missed"] if _nested(site) == nested)
    return sites - missed, sites


def _cell(rows: list[dict[str, Any]], containers: tuple[str, ...], nested: bool) -> str:
    found, sites = _counts(rows, containers, nested)
    return f"{found}/{sites}" if sites else "n/a"


def _label(name: str, rows: list[dict[str, Any]], releases: int, *, short: bool = False) -> str:
    """The scanner's row label, naming the releases when it ran on a sample of them (``short``: saying so)."""
    ran = sorted({r["release"] for r in rows})
    if len(ran) >= releases:
        return SCANNERS[name]
    return SCANNERS[name] + (" (sample)" if short else f" (sample: {', '.join(ran)})")


def _runs() -> list[tuple[str, list[dict[str, Any]]]]:
    """Every scanner with results, and its rows."""
    return [(name, rows) for name in SCANNERS if (rows := rows_of(name))]


def _releases() -> int:
    """The releases of the widest run: a scanner run on fewer is a sample."""
    return max((len({r["release"] for r in rows}) for _, rows in _runs()), default=0)


def table() -> str:
    # Every line of MATRIX.md fits 120 columns: short heads (adapters/matrix/matrix.py's text says what each
    # counts) and a sampled scanner's releases named under the table.
    head = (
        "| scanner | top `.json` | `.keras` | `.h5` | nested `.json` | `.keras` | `.h5` | false alarms | TF-op flags "
        "| files |\n|---|---|---|---|---|---|---|---|---|---|\n"
    )
    body = ""
    releases = _releases()
    for name, rows in _runs():
        cells = [_cell(rows, (c,), nested) for nested in (False, True) for c in CONTAINERS]
        alarms = sum(len(r["false_alarms"]) for r in rows)
        policy = sum(1 for r in rows if r["policy"])
        label = _label(name, rows, releases, short=True)
        body += f"| {label} | " + " | ".join(cells) + f" | {alarms} | {policy} files | {len(rows)} |\n"
    return head + body


def summary() -> str:
    """The README's lines: code found in the files scanners read, at the top level and nested."""
    head = "| scanner | top level | nested or wrapped | false alarms |\n|---|---|---|---|\n"
    body = ""
    releases = _releases()
    for name, rows in _runs():
        cells = []
        for nested in (False, True):
            found, sites = _counts(rows, FILE_CONTAINERS, nested)
            cells.append(f"{100 * found // sites}%" if sites else "n/a")
        alarms = sum(len(r["false_alarms"]) for r in rows)
        body += f"| {_label(name, rows, releases)} | {cells[0]} | {cells[1]} | {alarms} |\n"
    return (
        "Code sites found in `.keras` and `.h5` files, written by `python adapters/scanners/matrix.py`\n"
        f"(corpus {corpus_versions()}); no scanner reads a plain `.json` model file.\n\n{head}{body}"
    )


def details() -> str:
    """Per scanner: what it missed in the files it reads, grouped by kind and depth, with examples."""
    out = []
    releases = _releases()
    for name, rows in _runs():
        files = [r for r in rows if r["container"] in FILE_CONTAINERS]
        missed = [r for r in files if r["outcome"] == scanning.MISSED]
        alarms = [r for r in rows if r["false_alarms"]]
        errors = [r for r in rows if r["outcome"] == scanning.ERROR]
        out += _wrapped(
            f"**{_label(name, rows, releases)}**: in `.keras`/`.h5` files, {len(missed)} of {len(files)} with a miss; "
            f"{len(alarms)} files with a false alarm, {len(errors)} errors."
        )
        groups: dict[tuple[str, bool], list[str]] = {}
        for row in missed:
            for site in row["missed"]:
                groups.setdefault((site["kind"], _nested(site)), []).append(row["case"])
        for (kind, nested), cases in sorted(groups.items(), key=lambda g: -len(g[1])):
            where = "inside a nested model or a wrapper" if nested else "at the top level"
            examples = ", ".join(f"`{c}`" for c in sorted(set(cases))[:2])
            out += _wrapped(f"- {len(cases)} {kind} sites missed {where}, e.g. {examples}")
        for row in alarms[:2]:
            out += _wrapped(
                f"- false alarm in `{row['case']}` ({row['container']}): {', '.join(row['false_alarms'][:2])}"
            )
    return "\n".join(out) + "\n"


def _wrapped(line: str) -> list[str]:
    """A paragraph or list item in lines of at most 120 columns, the width of MATRIX.md."""
    indent = "  " if line.startswith("- ") else ""
    return textwrap.wrap(line, 120, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)


def _replace(page: Path, content: str) -> None:
    text = page.read_text()
    start, end = "<!-- scanners:start -->", "<!-- scanners:end -->"
    if start in text:
        before, rest = text.split(start, 1)
        page.write_text(before + start + "\n" + content + end + rest.split(end, 1)[1])


NOTE = (
    "A finding counts for one code site: a scanner that flags a layer once finds one of its sites (a Keras 1/2 "
    "Lambda's `function` and `output_shape` are two). modelaudit's flags on TensorFlow-op layers are its policy, "
    "not false alarms; its `.h5` findings name Lambda layers by its own counter (`lambda_1`), which matches no "
    "layer of the file (FINDINGS.md, S4).\n\n"
)


def corpus_versions() -> str:
    """The corpus version each scanner's results were measured on (``<scanner>.corpus`` beside them)."""
    versions: dict[str, list[str]] = {}
    for name, _ in _runs():
        path = RESULTS / f"{name}.corpus"
        version = path.read_text().strip() if path.exists() else "unknown"
        versions.setdefault(version, []).append(name)
    if len(versions) == 1:
        return next(iter(versions))
    return "; ".join(f"{version} for {', '.join(names)}" for version, names in versions.items())


def render() -> None:
    note = "\n".join(_wrapped(NOTE.strip())) + "\n\n"
    _replace(PAGE, f"Corpus {corpus_versions()}.\n\n" + table() + "\n" + note + details())
    _replace(README, summary())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scanner", action="append", choices=sorted(SCANNERS))
    parser.add_argument("--render-only", action="store_true")
    parser.add_argument("--release", action="append", help="only cases of these releases (globs): a sample")
    args = parser.parse_args()
    if not args.render_only:
        items = chosen(args.release)
        for name in args.scanner or list(SCANNERS):
            command = [sys.executable, str(HERE / name / "adapter.py")]
            rows = scanning.run(command, items, RESULTS / f"{name}.jsonl")
            (RESULTS / f"{name}.corpus").write_text(load().version + "\n")
            print(name, json.dumps(scanning.summarize(rows)), flush=True)
    render()


if __name__ == "__main__":
    main()

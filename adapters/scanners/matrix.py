"""The scanners table: every scanner adapter over the code-carrying corpus, in every container.

    python adapters/scanners/matrix.py                      # run every installed scanner, render
    python adapters/scanners/matrix.py --scanner hayward    # one of them
    python adapters/scanners/matrix.py --render-only        # re-render from reports/scanners/

The cases are the corpus's models with code (`lambda`, `lambda-nested`) and their controls and
the TensorFlow-op models (`tfoplambda`, not code): each written as `.json`, `.keras` and `.h5`
(kerasspec.scanning). Results stream to `reports/scanners/<scanner>.jsonl`; the table goes between
`<!-- scanners:start -->` and `<!-- scanners:end -->` in adapters/matrix/MATRIX.md and README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
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


def chosen() -> list[scanning.Item]:
    corpus = load()
    cases = [case for case in corpus.select() if SELECTED_TAGS & set(case.features)]
    return scanning.items(corpus, cases)


def rows_of(name: str) -> list[dict[str, Any]]:
    path = RESULTS / f"{name}.jsonl"
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [line for line in lines if line.get("type") == "case"]


def _cell(rows: list[dict[str, Any]], container: str, nested: bool) -> str:
    mine = [
        r
        for r in rows
        if r["container"] == container and any((len(site["layers"]) > 1) == nested for site in r["sites"])
    ]
    sites = sum(len(r["sites"]) for r in mine if r["outcome"] != scanning.ERROR)
    if not sites:
        return "n/a"
    missed = sum(len(r["missed"]) for r in mine if r["outcome"] != scanning.ERROR)
    return f"{sites - missed}/{sites}"


def table() -> str:
    head = (
        "| scanner | top level `.json` | `.keras` | `.h5` | nested or wrapped `.json` | `.keras` | `.h5` "
        "| false alarms | flags on TF-op layers (policy) | files |\n|---|---|---|---|---|---|---|---|---|---|\n"
    )
    body = ""
    for name, label in SCANNERS.items():
        rows = rows_of(name)
        if not rows:
            continue
        cells = [_cell(rows, c, nested) for nested in (False, True) for c in CONTAINERS]
        alarms = sum(len(r["false_alarms"]) for r in rows)
        policy = sum(1 for r in rows if r["policy"])
        body += f"| {label} | " + " | ".join(cells) + f" | {alarms} | {policy} files | {len(rows)} |\n"
    return head + body


def details() -> str:
    out = []
    for name, label in SCANNERS.items():
        rows = rows_of(name)
        if not rows:
            continue
        missed = [r for r in rows if r["outcome"] == scanning.MISSED]
        alarms = [r for r in rows if r["false_alarms"]]
        errors = [r for r in rows if r["outcome"] == scanning.ERROR]
        out.append(
            f"**{label}**: {len(missed)} files with a miss, {len(alarms)} with a false alarm, {len(errors)} errors."
        )
        for row in missed[:4]:
            what = ", ".join(f"`{m['path']}` ({m['kind']})" for m in row["missed"][:2])
            out.append(f"- missed in `{row['case']}` ({row['container']}): {what}")
        for row in alarms[:2]:
            out.append(f"- false alarm in `{row['case']}` ({row['container']}): {', '.join(row['false_alarms'][:2])}")
    return "\n".join(out) + "\n"


def render() -> None:
    block = table() + "\n" + details()
    for page in (ROOT / "adapters" / "matrix" / "MATRIX.md",):
        text = page.read_text()
        start, end = "<!-- scanners:start -->", "<!-- scanners:end -->"
        content = block if page.name == "MATRIX.md" else table()
        if start in text:
            before, rest = text.split(start, 1)
            text = before + start + "\n" + content + end + rest.split(end, 1)[1]
        page.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scanner", action="append", choices=sorted(SCANNERS))
    parser.add_argument("--render-only", action="store_true")
    args = parser.parse_args()
    if not args.render_only:
        items = chosen()
        for name in args.scanner or list(SCANNERS):
            command = [sys.executable, str(HERE / name / "adapter.py")]
            rows = scanning.run(command, items, RESULTS / f"{name}.jsonl")
            print(name, json.dumps(scanning.summarize(rows)), flush=True)
    render()


if __name__ == "__main__":
    main()

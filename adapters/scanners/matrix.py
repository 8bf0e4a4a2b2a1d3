"""The scanners table: every scanner adapter through the harness, over the code-carrying corpus in every container.

    python adapters/scanners/matrix.py                      # run every installed scanner, render
    python adapters/scanners/matrix.py --scanner hayward    # one of them
    python adapters/scanners/matrix.py --render-only        # re-render from reports/scanners/
    nice python adapters/scanners/matrix.py --scanner modelaudit --release 'keras-3.15.1' --release 'tf_keras-2.21.0'
                                                            # a sample of releases (modelaudit is slow)

Each scanner runs as ``kerasspec check`` runs it (``kerasspec.harness.run``, a ``ProtocolParser`` on
``adapters/scanners/on_protocol.py NAME``): the cases are the corpus's models with code (`lambda`,
`lambda-nested`) and their controls and the TensorFlow-op models (`tfoplambda`, not code), each handed
as `.json`, `.keras` and `.h5` (spec/protocol.md#containers), and every file is judged by the harness
(pass, missed, false-alarm, crash). The results are ordinary harness results files,
``reports/scanners/<scanner>.jsonl`` (``kerasspec show``, ``kerasspec site`` and ``--from-results`` read
them); the table goes between ``<!-- scanners:start -->`` and ``<!-- scanners:end -->`` in
adapters/matrix/MATRIX.md, and a summary (top level and nested, in the files scanners read) between the
same markers in README.md, with the corpus version the results were measured on. A scanner run on a
sample of releases says so in its row.

The tool's answer for each file is kept in ``.cache/scanner-answers/<tool>-<version>/<sha256>.json``
(on_protocol.py ``--cache``): the harness builds the same bytes from the same case, so a re-run (after a
change of the scoring, or on a new corpus) asks the tool only about files it has not seen; ``--no-cache``
asks it about all. The tools live in venvs under `.cache/scanners/` (`$KERASSPEC_SCANNERS`), one per tool:

    uv venv -p python3.11 .cache/scanners/modelscan
    VIRTUAL_ENV=.cache/scanners/modelscan uv pip install 'modelscan[tensorflow,h5py]==0.8.8'
    # likewise: weightguard==0.2.0, hayward==1.4.1, aisbom-cli==1.7.0 (venv aisbom-cli),
    # 'modelaudit[h5]==0.2.54'

modelscan reads `.keras` archives only with its `tensorflow` extra installed (without it, it reports
a dependency error for each and scans nothing).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from kerasspec import corpus as _corpus  # noqa: E402
from kerasspec.harness import CaseResult, Outcome, ProtocolParser, Run, load_results, run  # noqa: E402
from kerasspec.vocabulary import CONTAINERS  # noqa: E402

HERE = Path(__file__).resolve().parent
ADAPTERS = HERE  # NAME/adapter.py: each scanner's folder adapter (_common.py)
RESULTS = ROOT / "reports" / "scanners"
CACHE = ROOT / ".cache" / "scanner-answers"
SCANNERS = {
    "modelscan": "modelscan 0.8.8",
    "weightguard": "weightguard 0.2.0",
    "hayward": "hayward 1.4.1",
    "aisbom": "aisbom-cli 1.7.0 (offline)",
    "modelaudit": "modelaudit 0.2.54 (slow)",
}
SELECTED_TAGS = ("lambda", "lambda-nested", "tfoplambda")
FILE_CONTAINERS = ("keras-archive", "h5")  # the files scanners read (none reads a plain .json)
SUFFIX = {"to_json": "`.json`", "keras-archive": "`.keras`", "h5": "`.h5`"}
README = ROOT / "README.md"
PAGE = ROOT / "adapters" / "matrix" / "MATRIX.md"
BATCH = 128  # files per run of a tool: its start-up (TensorFlow, for some) is most of its time
_JUDGED = (Outcome.PASS, Outcome.MISSED, Outcome.FALSE_ALARM)


def selection(releases: list[str] | None = None) -> _corpus.Selection:
    return _corpus.Selection(features=SELECTED_TAGS, releases=tuple(releases or ()))


def run_scanner(name: str, releases: list[str] | None, *, cache: bool, batch: int = BATCH) -> Run:
    """``name`` through the harness over the selection; its results file is ``reports/scanners/<name>.jsonl``."""
    corpus = _corpus.load()
    chosen = selection(releases)
    command = [sys.executable, str(HERE / "on_protocol.py"), name, str(ADAPTERS / name / "adapter.py")]
    command += ["--batch", str(batch)]
    command += ["--cache", str(CACHE)] if cache else []
    # A batch is answered only once the tool has read all of it: the timeout covers a whole batch.
    parser = ProtocolParser(command, timeout=7200, start_timeout=120, window=batch, window_bytes=1 << 30)
    done = Counter[str]()

    def progress(result: CaseResult) -> None:
        done[result.outcome.value] += 1
        if sum(done.values()) % 250 == 0:
            print(f"  {name}: {sum(done.values())} files {dict(done)}", flush=True)

    outcome = run(
        parser,
        corpus.select(chosen),
        corpus=corpus,
        selection=chosen,
        results_path=RESULTS / f"{name}.jsonl",
        on_result=progress,
        options={"timeout": 7200, "batch": batch, "cache": cache},
    )
    print(f"{name}: {outcome.counts()} ({outcome.seconds:.0f} s)", flush=True)
    return outcome


def runs() -> list[tuple[str, Run]]:
    """Every scanner with a results file, and its run."""
    return [(name, load_results(path)) for name in SCANNERS if (path := RESULTS / f"{name}.jsonl").exists()]


def _nested(site: dict[str, object]) -> bool:
    return len(site["layers"]) > 1  # type: ignore[arg-type]  # held by more than a top-level layer


def _judged(done: Run, containers: tuple[str, ...]) -> list[CaseResult]:
    """The results of ``containers`` whose answer was judged (a crash judged nothing)."""
    return [r for r in done.results if r.container in containers and r.outcome in _JUDGED]


def counts(done: Run, containers: tuple[str, ...], nested: bool) -> tuple[int, int]:
    """Sites found and sites, at one depth, in the files of ``containers`` the scanner answered for."""
    judged = _judged(done, containers)
    sites = sum(1 for r in judged for site in r.sites or () if _nested(site) == nested)
    missed = sum(1 for r in judged for site in r.missed or () if _nested(site) == nested)
    return sites - missed, sites


def _cell(done: Run, containers: tuple[str, ...], nested: bool) -> str:
    found, sites = counts(done, containers, nested)
    return f"{found}/{sites}" if sites else "n/a"


def _label(name: str, done: Run, sample: str = "names") -> str:
    """The scanner's row label; when it ran on a sample of releases, it says so: with their ``names``, their
    ``count``, or the ``word`` alone (the widths of the page and the README)."""
    releases = done.selection.get("releases") or []
    if not releases:
        return SCANNERS[name]
    said = {"names": f"sample: {', '.join(releases)}", "count": f"sample of {len(releases)} releases", "word": "sample"}
    return f"{SCANNERS[name]} ({said[sample]})"


def samples() -> str:
    """The releases of each scanner run on a sample, under the table (its rows say "sample")."""
    lines = [f"{_label(name, done)}." for name, done in runs() if done.selection.get("releases")]
    return "".join(line + "\n" for wrapped in lines for line in _wrapped(wrapped))


def corpus_versions() -> str:
    """The corpus version the results were measured on (each scanner's, if they differ)."""
    versions: dict[str, list[str]] = {}
    for name, done in runs():
        versions.setdefault(str(done.corpus.get("version", "unknown")), []).append(name)
    if len(versions) == 1:
        return next(iter(versions))
    return "; ".join(f"{version} for {', '.join(names)}" for version, names in versions.items())


def table() -> str:
    # Every line of MATRIX.md fits 120 columns: short heads, explained in the text above the table.
    heads = [f"top {SUFFIX[c]}" if c == "to_json" else SUFFIX[c] for c in CONTAINERS]
    heads += [f"nested {SUFFIX[c]}" if c == "to_json" else SUFFIX[c] for c in CONTAINERS]
    head = "| scanner | " + " | ".join(heads) + " | false alarms | TF-op | crash | files |\n"
    head += "|---" * (len(heads) + 5) + "|\n"
    body = ""
    for name, done in runs():
        cells = [_cell(done, (c,), nested) for nested in (False, True) for c in CONTAINERS]
        scanner = done.scanner_counts()
        policy = sum(1 for r in done.results if r.policy)
        crashes = sum(1 for r in done.results if r.outcome is Outcome.CRASH)
        row = [_label(name, done, "word"), *cells, str(scanner["false_alarms"]), f"{policy} files", str(crashes)]
        body += "| " + " | ".join([*row, str(done.executed)]) + " |\n"
    return head + body


def summary() -> str:
    """The README's lines: code found in the files scanners read, at the top level and nested."""
    head = "| scanner | top level | nested or wrapped | false alarms |\n|---|---|---|---|\n"
    body = ""
    for name, done in runs():
        cells = []
        for nested in (False, True):
            found, sites = counts(done, FILE_CONTAINERS, nested)
            cells.append(f"{100 * found // sites}% ({found}/{sites})" if sites else "n/a")
        alarms = done.scanner_counts()["false_alarms"]
        body += f"| {_label(name, done, 'count')} | {cells[0]} | {cells[1]} | {alarms} |\n"
    return (
        "Code sites found in `.keras` and `.h5` files, judged by `kerasspec check` "
        "(`python adapters/scanners/matrix.py`)\n"
        f"on corpus {corpus_versions()}; no scanner reads a plain `.json` model file. The releases of a sample: "
        "[MATRIX.md](adapters/matrix/MATRIX.md#scanners).\n\n"
        f"{head}{body}"
    )


def details() -> str:
    """Per scanner: what it missed in the files it reads, grouped by kind and depth, with examples."""
    out = []
    for name, done in runs():
        files = [r for r in done.results if r.container in FILE_CONTAINERS]
        missed = [r for r in files if r.outcome is Outcome.MISSED]
        alarms = [r for r in done.results if r.false_alarms]
        crashes = [r for r in done.results if r.outcome is Outcome.CRASH]
        out += _wrapped(
            f"**{_label(name, done)}**: in `.keras`/`.h5` files, {len(missed)} of {len(files)} with a miss; "
            f"{len(alarms)} files with a false alarm, {len(crashes)} crashes."
        )
        groups: dict[tuple[str, bool], list[str]] = {}
        for result in missed:
            for site in result.missed or ():
                groups.setdefault((str(site["kind"]), _nested(site)), []).append(result.label)
        for (kind, nested), labels in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
            where = "inside a nested model or a wrapper" if nested else "at the top level"
            examples = ", ".join(f"`{label}`" for label in sorted(set(labels))[:2])
            out += _wrapped(f"- {len(labels)} {kind} sites missed {where}, e.g. {examples}")
        for result in alarms[:2]:
            flagged = ", ".join(_place(finding) for finding in (result.false_alarms or [])[:2])
            out += _wrapped(f"- false alarm in `{result.label}`: {flagged}")
        for result in crashes[:2]:
            out += _wrapped(f"- crash on `{result.label}`: {result.detail.splitlines()[-1][-160:]}")
    return "\n".join(out) + "\n"


def _place(finding: dict[str, object]) -> str:
    return str(finding.get("path") or (f"layer '{finding['layer']}'" if finding.get("layer") else "the file"))


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
    "Every file is one result of `kerasspec check` (spec/protocol.md#tracks): found / sites per container, at "
    "the top level and nested (inside a nested model or a wrapper). A finding covers the code of the layer it "
    "names (spec/scanners.md#findings): a Keras 1/2 Lambda flagged once is found whole, `function` and "
    "`output_shape` alike. Flags on TensorFlow-op layers are the scanner's policy, not false alarms. A crash "
    "is one file the tool failed on alone (on_protocol.py isolates it); its sites count in no cell. "
    "modelaudit's `.h5` findings name Lambda layers by its own counter (`lambda_1`), which matches no layer of "
    "the file (FINDINGS.md, S4).\n\n"
)


def render() -> None:
    note = "\n".join(_wrapped(NOTE.strip())) + "\n\n"
    _replace(PAGE, f"All on corpus {corpus_versions()}.\n\n" + table() + "\n" + samples() + "\n" + note + details())
    _replace(README, summary())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scanner", action="append", choices=sorted(SCANNERS))
    parser.add_argument("--render-only", action="store_true")
    parser.add_argument("--release", action="append", help="only cases of these releases (globs): a sample")
    parser.add_argument("--no-cache", action="store_true", help="ask the tool about every file again")
    parser.add_argument("--batch", type=int, default=BATCH, help=f"files per run of a tool (default {BATCH})")
    args = parser.parse_args()
    if not args.render_only:
        for name in args.scanner or list(SCANNERS):
            run_scanner(name, args.release, cache=not args.no_cache, batch=args.batch)
    render()


if __name__ == "__main__":
    main()

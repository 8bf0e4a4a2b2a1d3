"""The compatibility matrix: every real reader in ``adapters/`` over the corpus, one command.

    python adapters/matrix/matrix.py                 # run every installed reader, write the page and the README table
    python adapters/matrix/matrix.py --reader tfjs-layers-4.22.0 --case 'keras2/*'   # a part of it
    python adapters/matrix/matrix.py --render-only   # re-render from the recorded results (reports/matrix/)

Each reader is a protocol adapter (``adapters/readers/<name>/``) run by the harness (``kerasspec.harness.run``)
with its own timeouts; every case gets one outcome, judged by the harness exactly as ``kerasspec check``
does. Results stream to ``reports/matrix/<reader>.jsonl``; the page ``adapters/matrix/MATRIX.md`` (every
cell's failures, grouped by what the reader said) and the table between ``<!-- matrix:start -->`` and
``<!-- matrix:end -->`` in ``README.md`` are rendered from them, and so is the browsable site
``adapters/matrix/site/index.html`` (``kerasspec site``: each reader's grid and a page per failing case).

Answers are cached by the sha256 of the model text (``.cache/matrix/<reader>.jsonl``): the corpus
shares byte-identical files between releases and the protocol forbids a reader to answer by case id,
so a text's answer is the reader's answer wherever the text appears. The cache key includes the
adapter's source files, so changing an adapter recomputes everything; only documents and rejections
are cached (crashes and timeouts are always re-run). ``--no-cache`` ignores it.

This script runs with the kerasspec package's Python; the readers run in their own environments
(producer venvs, ``node``), so kerasspec itself never depends on Keras or Node.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import re
import sys
import textwrap
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from kerasspec import corpus as _corpus  # noqa: E402
from kerasspec import site  # noqa: E402
from kerasspec.harness import Answer, CaseResult, ProtocolParser, Tally, load_results, run, tally  # noqa: E402
from kerasspec.vocabulary import FORMATS, HAND_MADE, release_order  # noqa: E402

RESULTS = ROOT / "reports" / "matrix"
CACHE = ROOT / ".cache" / "matrix"
PAGE = ROOT / "adapters" / "matrix" / "MATRIX.md"
SITE = PAGE.parent / "site"  # generated (kerasspec site), not committed
README = ROOT / "README.md"
START, END = "<!-- matrix:start -->", "<!-- matrix:end -->"
# The scanners table (adapters/scanners/matrix.py writes it between these markers); kept when the page is rewritten.
SCANNERS_START, SCANNERS_END = "<!-- scanners:start -->", "<!-- scanners:end -->"
PRODUCERS = ROOT / ".cache" / "producers"


# The releases every reader runs over by default: the newest and oldest of each wire format, and the
# keras3 release that changed single inputs/outputs to a flat triple (3.11), the old era (Keras 1.2.2's
# dialect, 2.2.2's list-shaped Sequentials, 2.2.4's nested Sequentials numbered from 1), plus the
# hand-made invalid cases. Loading builds every model (a second a case for Keras on this 2-core machine,
# a third for tfjs), and the whole corpus (~10800 cases, 38 releases) takes hours; `--all-releases`
# runs it all.
DEFAULT_RELEASES = (
    "tf_keras-2.21.0",
    "tensorflow-2.12.1",
    "keras-3.15.1",
    "keras-3.11.3",
    "keras-3.0.5",
    "keras-2.2.4",
    "keras-2.2.2",
    "keras-1.2.2",
    HAND_MADE,
)


@dataclass(frozen=True)
class Reader:
    """One reader on trial: how to start its adapter and what it needs installed."""

    id: str  # stable, used in file names and anchors
    label: str  # the matrix row: the reader and its version
    argv: tuple[str, ...]
    sources: tuple[str, ...]  # adapter files (relative to the repo) whose content keys the cache
    needs: str  # a path that exists when the reader is installed
    install: str  # the documented command that installs it
    timeout: float = 20.0  # per case; a normal load takes well under a second
    start_timeout: float = 120.0  # importing TensorFlow on a busy 2-core machine
    # Producer releases whose cases it runs by default (globs; empty: all). See DEFAULT_RELEASES.
    releases: tuple[str, ...] = DEFAULT_RELEASES
    # Cache timeouts too: only for readers whose hangs are deterministic loops in pure code.
    cache_timeouts: bool = False


def _keras(package: str, version: str, adapter: str, label: str) -> Reader:
    venv = PRODUCERS / f"{package}-{version}"
    return Reader(
        id=f"{package}-{version}",
        label=label,
        argv=(str(venv / "bin" / "python"), f"adapters/readers/{adapter}/adapter.py"),
        sources=(f"adapters/readers/{adapter}/adapter.py", "adapters/readers/_keras_loader.py", "generator/_worker.py"),
        needs=str(venv / "bin" / "python"),
        install=f"see adapters/readers/{adapter}/README.md (a producer venv, as the generator creates it)",
        # Keras's node loop (before 3.15) and tf_keras's never end on some files: a Python `while`
        # over the same data, so the same text hangs again; each hang costs a timeout and a restart
        # (importing TensorFlow), so it is remembered.
        cache_timeouts=True,
    )


def _tfjs(stand_ins: bool) -> Reader:
    return Reader(
        id="tfjs-layers-4.22.0" + ("-stand-ins" if stand_ins else ""),
        label="tfjs-layers 4.22.0" + (" (stand-in layers)" if stand_ins else ""),
        argv=("node", "adapters/readers/tfjs-layers/adapter.js", *(("--stand-ins",) if stand_ins else ())),
        sources=(
            "adapters/readers/tfjs-layers/adapter.js",
            "adapters/readers/tfjs-layers/stand-ins.js",
            "adapters/readers/tfjs-layers/package-lock.json",
        ),
        needs=str(ROOT / "adapters" / "readers" / "tfjs-layers" / "node_modules" / "@tensorflow" / "tfjs"),
        install="cd adapters/readers/tfjs-layers && npm ci",
        timeout=5.0,  # a load takes milliseconds; its node loop never ends on some files
        start_timeout=30.0,
        cache_timeouts=True,  # Container.fromConfig's `while` has no progress check: a hang is a loop
    )


def _hls4ml() -> Reader:
    venv = ROOT / ".cache" / "readers" / "hls4ml"
    return Reader(
        id="hls4ml-1.3.0",
        label="hls4ml 1.3.0 (keras_v2 JSON reader)",
        argv=(str(venv / "bin" / "python"), "adapters/readers/hls4ml/adapter.py"),
        sources=("adapters/readers/hls4ml/adapter.py",),
        needs=str(venv / "bin" / "python"),
        install="see adapters/readers/hls4ml/README.md",
        timeout=10.0,
        start_timeout=60.0,
    )


def _keras2ncnn() -> Reader:
    venv = ROOT / ".cache" / "readers" / "keras2ncnn"
    return Reader(
        id="keras2ncnn-0.2.0",
        label="keras2ncnn 0.2.0 (.h5 reader)",
        argv=(str(venv / "bin" / "python"), "adapters/readers/keras2ncnn/adapter.py"),
        sources=("adapters/readers/keras2ncnn/adapter.py", "src/kerasspec/containers.py"),
        needs=str(venv / "bin" / "python"),
        install="see adapters/readers/keras2ncnn/README.md",
        timeout=10.0,  # a read takes milliseconds
        start_timeout=30.0,
    )


def _netron() -> Reader:
    netron = ROOT / ".cache" / "readers" / "netron-9.3.3" / "netron"
    return Reader(
        id="netron-9.3.3",
        label="Netron 9.3.3 (keras.js)",
        argv=("node", "adapters/readers/netron/adapter.js"),
        sources=(
            "adapters/readers/netron/adapter.js",
            "adapters/readers/netron/host.js",
            "adapters/readers/netron/requirements.txt",
        ),
        needs=str(netron / "keras.js"),
        install="scripts/test (see adapters/readers/netron/README.md)",
        timeout=5.0,  # an open takes milliseconds
        start_timeout=30.0,
    )


READERS: tuple[Reader, ...] = (
    _keras("keras", "3.15.1", "keras3-loader", "Keras 3.15.1"),
    _keras("keras", "3.0.5", "keras3-loader", "Keras 3.0.5"),
    _keras("tf_keras", "2.21.0", "tf-keras-loader", "tf_keras 2.21.0"),
    _keras("keras", "2.2.4", "keras-legacy-loader", "Keras 2.2.4 (standalone, Theano)"),
    _tfjs(stand_ins=False),
    _tfjs(stand_ins=True),
    _hls4ml(),
    _keras2ncnn(),
    _netron(),
)


# --------------------------------------------------------------------------- answers cache
def _source_text(source: str) -> bytes:
    """What of a source file keys the cache: of the generator's worker only the live-graph extraction
    the Keras adapters import (its other parts change with the corpus generation, not the answers)."""
    data = (ROOT / source).read_bytes()
    if source == "generator/_worker.py":
        start, end = data.find(b" live graph\n"), data.find(b" one recipe\n")
        if start >= 0 and end > start:
            return data[start:end]
    return data


class CachedParser:
    """A :class:`ProtocolParser` whose documents and rejections are remembered by the text's sha256."""

    def __init__(self, reader: Reader, parser: ProtocolParser, *, use: bool = True) -> None:
        self.parser = parser
        self.cache_timeouts = reader.cache_timeouts
        self.path = CACHE / f"{reader.id}.jsonl"
        digest = hashlib.sha256(" ".join(reader.argv).encode())
        for source in reader.sources:
            digest.update(_source_text(source))
        self.key = digest.hexdigest()
        self.known: dict[str, dict[str, Any]] = {}
        self.implementation: dict[str, Any] | None = None
        if use and self.path.exists():
            lines = self.path.read_text(encoding="utf-8").splitlines()
            header = json.loads(lines[0]) if lines else {}
            if header.get("key") == self.key:
                self.implementation = header.get("implementation")
                for line in lines[1:]:
                    entry = json.loads(line)
                    self.known[entry["sha256"]] = entry
        if not self.known:
            self._rewrite()
        self.hits = 0

    def _rewrite(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        header = {"key": self.key, "implementation": self.implementation}
        self.path.write_text(json.dumps(header) + "\n", encoding="utf-8")

    def reads(self) -> Any:
        """What the reader declared at start: a reader of files is handed each case as a file."""
        reads = getattr(self.parser, "reads", None)
        return reads() if callable(reads) else None

    def _lookup(self, case: _corpus.Case, text: str) -> tuple[str, Answer | None]:
        # A reader of files gets a file built from the text per container: the container keys it too.
        reads_files = getattr(self.parser, "containers", None) is not None
        container = (case.container or "to_json") if reads_files else None
        key = text if container is None else f"{container}\n{text}"
        sha = hashlib.sha256(key.encode("utf-8")).hexdigest()
        cached = self.known.get(sha)
        if cached is None:
            return sha, None
        self.hits += 1
        return sha, Answer(
            cached["kind"],
            document=cached.get("document"),
            error=cached.get("error"),
            detail=cached.get("detail") or "",
        )

    def _remember(self, sha: str, answer: Answer) -> None:
        if answer.kind not in ("document", "error") and not (answer.kind == "timeout" and self.cache_timeouts):
            return  # crashes (and, unless the reader's hangs are deterministic, timeouts) are asked again
        if self.implementation is None and self.parser.implementation is not None:
            self.implementation = self.parser.implementation
            existing = list(self.known.values())
            self._rewrite()
            with self.path.open("a", encoding="utf-8") as f:
                f.writelines(json.dumps(e, allow_nan=True) + "\n" for e in existing)
        entry = {
            "sha256": sha,
            "kind": answer.kind,
            "document": answer.document,
            "error": answer.error,
            "detail": answer.detail,
        }
        self.known[sha] = entry
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, allow_nan=True) + "\n")

    def answer(self, case: _corpus.Case, text: str) -> Answer:
        return next(iter(self.answers([(case, text)])))[1]

    def answers(self, work: Iterable[tuple[_corpus.Case, str]]) -> Iterator[tuple[_corpus.Case, Answer, float]]:
        """The harness's ``Parser.answers``: cached answers at once, the others through the parser
        (which keeps its own pipelining), every case exactly once."""
        ready: list[tuple[_corpus.Case, Answer, float]] = []
        shas: dict[int, str] = {}

        def uncached() -> Iterator[tuple[_corpus.Case, str]]:
            for case, text in work:
                sha, found = self._lookup(case, text)
                if found is not None:
                    ready.append((case, found, 0.0))
                else:
                    shas[id(case)] = sha
                    yield case, text

        for case, answer, seconds in self.parser.answers(uncached()):
            yield from ready
            ready.clear()
            self._remember(shas.pop(id(case)), answer)
            yield case, answer, seconds
        yield from ready

    def describe(self) -> dict[str, Any]:
        described = self.parser.describe()
        if described.get("implementation") is None:
            described["implementation"] = self.implementation
        described["cached_answers"] = self.hits
        return described

    def close(self) -> None:
        self.parser.close()


# --------------------------------------------------------------------------- running
def run_reader(reader: Reader, cases: list[_corpus.Case], corpus: _corpus.Corpus, *, cache: bool) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{reader.id}.jsonl"
    parser = ProtocolParser(list(reader.argv), timeout=reader.timeout, start_timeout=reader.start_timeout)
    cached = CachedParser(reader, parser, use=cache)
    done = Counter[str]()

    def progress(result: CaseResult) -> None:
        done[result.outcome.value] += 1
        total = sum(done.values())
        if total % 250 == 0 or total == len(cases):
            print(f"  {reader.id}: {total}/{len(cases)} {dict(done)}", flush=True)

    outcome = run(
        cached,
        cases,
        corpus=corpus,
        results_path=path,
        on_result=progress,
        options={"timeout": reader.timeout, "start_timeout": reader.start_timeout},
    )
    print(f"{reader.id}: {outcome.counts()} ({outcome.seconds:.0f} s, {cached.hits} cached answers)")
    return path


# --------------------------------------------------------------------------- rendering
def _slug(*parts: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts)


def signature(result: CaseResult) -> str:
    """What the reader said, with the case's own names left out, so that one behaviour is one group."""
    if result.outcome.value == "fail" and result.difference:
        path = re.sub(r"\[\d+\]", "[*]", result.difference.get("path", "$"))
        return f"fail: {path}: {result.difference.get('reason', '')}"
    text = (result.detail or "").split("\n")[0]
    # A path in a traceback (its opening quote may be cut off with the start of stderr) names no file here.
    text = re.sub(r"[\w./-]*/[\w.-]+\.(?:py|js)\b", "…", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    text = re.sub(r"0x[0-9a-f]+|\d+", "N", text)
    return f"{result.outcome.value}: {text[:160]}"


def percent(cell: Tally) -> str:
    """A cell's pass rate: ``n/a`` when nothing was attempted, ``100%`` only when every case passed."""
    if not cell.attempted:
        return "n/a"
    return f"{100 * cell.passed / cell.attempted:.0f}%" if cell.passed != cell.attempted else "100%"


def columns(result: CaseResult) -> Iterable[tuple[str, str]]:
    """The (format, feature) cells a result counts in: every feature tag, and the format's ``all``."""
    fmt = "invalid" if result.kind == "invalid" else result.format
    yield fmt, "all"
    if result.kind != "invalid":
        for tag in result.features:
            yield fmt, tag


# Keras 3.0.5 loops on many keras2 files (a timeout and a TensorFlow restart each): its run of the default
# releases took 14 minutes for 250 of 2,421 cases on this machine, so its results are often not there.
_SLOW_LOADER = "keras-3.0.5"
_SLOW_LOADER_NOTE = {
    True: "Keras 3.0.5 loops on many keras2 files, a timeout and a TensorFlow restart each. ",
    False: "Keras 3.0.5 has no column: it loops on many keras2 files, a timeout and a TensorFlow restart each, "
    "and a run of its default releases does not finish in hours on a 2-core machine. ",
}


def render(readers: list[Reader], loaded: dict[str, list[CaseResult]], corpus_version: str) -> tuple[str, str]:
    """(the results page, the README table) from each reader's results."""
    cells: dict[str, dict[Hashable, Tally]] = {}
    by_release: dict[str, dict[Hashable, Tally]] = {}
    failures: dict[str, dict[tuple[str, str], list[CaseResult]]] = {}
    for reader in readers:
        results = loaded[reader.id]
        # The format and feature tables compare readers on the same cases: the default releases,
        # which every reader runs; the release table shows every valid or lossy case it ran.
        compared = [result for result in results if result.release in DEFAULT_RELEASES]
        cells[reader.id] = tally(compared, columns)
        by_release[reader.id] = tally(results, lambda r: [r.release] if r.kind != "invalid" else [])
        fails: dict[tuple[str, str], list[CaseResult]] = defaultdict(list)
        for result in compared:
            if result.outcome.failing:
                for column in columns(result):
                    fails[column].append(result)
        failures[reader.id] = fails
    all_columns = {column for grid in cells.values() for column in grid if isinstance(column, tuple)}
    releases = {str(release) for row in by_release.values() for release in row}

    def rate(reader: Reader, column: tuple[str, str]) -> str:
        cell = cells[reader.id].get(column)
        return "-" if cell is None else percent(cell)

    def summary() -> list[str]:
        out = ["| reader | keras2 | keras3 | invalid (must reject) |", "|---|---|---|---|"]
        columns = [("keras2", "all"), ("keras3", "all"), ("invalid", "all")]
        for reader in readers:
            out.append(f"| {reader.label} | " + " | ".join(rate(reader, c) for c in columns) + " |")
        return out

    # Wide tables would be one column per feature or release: they are transposed instead, one column
    # per reader, numbered, so that every line of the page fits 120 columns.
    numbers = " | ".join(f"({n})" for n in range(1, len(readers) + 1))
    legend = [f"({n}) {reader.label}" for n, reader in enumerate(readers, start=1)]

    def tables() -> list[str]:
        out = [*summary(), "", *_wrapped("Readers in the tables below: " + "; ".join(legend) + ".")]
        for fmt in FORMATS:
            tags = sorted(t for f, t in all_columns if f == fmt and t != "all")
            if not tags:
                continue
            out += ["", f"**{fmt}, by feature tag** (pass rate)", "", f"| feature | {numbers} |"]
            out.append("|---|" + "---|" * len(readers))
            for tag in tags:
                out.append(f"| `{tag}` | " + " | ".join(rate(reader, (fmt, tag)) for reader in readers) + " |")
        ordered = sorted(releases, key=release_order)
        out += ["", "**by producer release** (valid and lossy cases written by that release)", ""]
        out += [f"| release | {numbers} |", "|---|" + "---|" * len(readers)]
        for release in ordered:
            shown = [percent(by_release[r.id][release]) if release in by_release[r.id] else "-" for r in readers]
            out.append(f"| {release} | " + " | ".join(shown) + " |")
        return out

    counts_line = []
    for reader in readers:
        results = loaded[reader.id]
        c = Counter(r.outcome.value for r in results)
        counts_line += _wrapped(
            f"- **{reader.label}**: {len(results)} cases; " + ", ".join(f"{k} {v}" for k, v in c.most_common()), "  "
        )

    page = [
        "# Compatibility matrix: real Keras JSON readers on the kerasspec corpus",
        "",
        *_wrapped(
            f"Generated by `python adapters/matrix/matrix.py` from corpus {corpus_version}; do not edit by hand. "
            "What each reader is and how it is run: `adapters/readers/*/README.md`. The notable findings, each with a "
            "minimal reproduction: [adapters/findings/FINDINGS.md](../findings/FINDINGS.md). "
            "The same command writes a browsable "
            "site (`kerasspec site`) into the folder `site` beside this page (generated, not committed): each "
            "reader's feature x release grid and a page per failing case with its input, the expected and "
            "actual documents, every difference and the command that re-runs it."
        ),
        "",
        *_wrapped(
            "The format and feature tables count the cases of the releases every reader runs by default ("
            + ", ".join(f"`{r}`" for r in DEFAULT_RELEASES)
            + "); the release table counts every case a reader ran (`--all-releases` runs them all; a `-` is "
            "a release it was not run on). "
            + _SLOW_LOADER_NOTE[any(reader.id == _SLOW_LOADER for reader in readers)]
            + "A cell is the share of the cases that passed: valid and lossy cases must be read into the expected "
            "canonical document, invalid cases must be rejected. Rejections (`rejected-valid`) are the reader "
            "refusing a file Keras wrote; `fail` is a document whose wiring differs from the expected one "
            "(the first differing JSON path); `timeout` is a reader that did not answer (Keras's own loaders "
            "loop forever on some files)."
        ),
        "",
        *counts_line,
        "",
        *tables(),
        "",
        "## Failures by reader",
        "",
        *_wrapped(
            "Grouped by what the reader said (names and numbers blanked, cut to fit the page), with the count "
            "and one case id; the site lists every case of every cell."
        ),
    ]
    for reader in readers:
        page += ["", f"### {reader.label}", ""]
        for column in sorted(c for c in failures[reader.id] if c[1] == "all"):
            group = failures[reader.id][column]
            page += [f"#### {column[0]} ({len(group)} failing)", ""]
            by_sig: dict[str, list[str]] = defaultdict(list)
            for result in group:
                by_sig[signature(result)].append(result.case)
            for sig, ids in sorted(by_sig.items(), key=lambda kv: -len(kv[1])):
                head = f"- {len(ids)} x `"
                quoted = sig.replace("`", "'")
                if len(head) + len(quoted) + 1 > WIDTH:
                    quoted = quoted[: WIDTH - len(head) - 2] + "…"
                page += [f"{head}{quoted}`", f"  e.g. `{ids[0]}`"]
            page.append("")
    table = "\n".join(
        [
            f"Pass rates on corpus {corpus_version}, written by `python adapters/matrix/matrix.py`.",
            "",
            *summary(),
        ]
    )
    return "\n".join(page) + "\n", table


WIDTH = 120  # every line of the page fits a terminal of this width


def _wrapped(paragraph: str, indent: str = "") -> list[str]:
    return textwrap.wrap(paragraph, WIDTH, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)


def with_scanners(page: str, old: str) -> str:
    """``page`` with its scanners section: the table between the markers as the old page had it."""
    kept = ""
    if SCANNERS_START in old and SCANNERS_END in old:
        kept = old.split(SCANNERS_START, 1)[1].split(SCANNERS_END, 1)[0]
    intro = _wrapped(
        "Security scanners on the code-carrying corpus (`lambda`, `lambda-nested`, `tfoplambda` cases, each as "
        "`.json`, `.keras` and `.h5`; spec/scanners.md), each run by the harness as `kerasspec check` runs it: code "
        "sites found / sites, by container, at the top level and nested or wrapped; false alarms; flags on "
        "TensorFlow-op layers (`TF-op`: a policy, not counted); `crash`: files a tool failed on alone; files judged. "
        "`python adapters/scanners/matrix.py` (scanners in `.cache/scanners/<tool>/`) writes the table from the "
        "results files `reports/scanners/<scanner>.jsonl`."
    )
    return page + "\n".join(["", "## Scanners", "", *intro, "", SCANNERS_START]) + kept + SCANNERS_END + "\n"


def write_readme_table(table: str) -> None:
    text = README.read_text(encoding="utf-8")
    block = f"{START}\n{table}\n{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n## Compatibility matrix\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reader", action="append", help="only this reader id (repeatable); default: all")
    parser.add_argument("--case", action="append", help="only case ids matching this glob (repeatable)")
    parser.add_argument("--render-only", action="store_true", help="render from reports/matrix/ without running")
    parser.add_argument("--no-cache", action="store_true", help="ask the reader about every text again")
    parser.add_argument("--no-readme", action="store_true", help="do not touch README.md")
    parser.add_argument(
        "--all-releases",
        action="store_true",
        help="run every reader over every release (the Keras loaders default to a few)",
    )
    args = parser.parse_args(argv)
    corpus = _corpus.load()
    cases = [c for c in corpus.cases if not args.case or any(fnmatch.fnmatchcase(c.id, g) for g in args.case)]
    by_id = {r.id: r for r in READERS}
    unknown = [name for name in args.reader or () if name not in by_id]
    if unknown:
        parser.error(f"unknown reader(s) {unknown}; known: {sorted(by_id)}")
    chosen = [by_id[name] for name in args.reader] if args.reader else list(READERS)
    if not args.render_only:
        for reader in chosen:
            if not Path(reader.needs).exists():
                print(f"{reader.id}: not installed ({reader.needs}); install: {reader.install}", file=sys.stderr)
                continue
            mine = [
                c
                for c in cases
                if args.all_releases
                or not reader.releases
                or any(fnmatch.fnmatchcase(c.release, g) for g in reader.releases)
            ]
            print(f"{reader.id}: {len(mine)} cases", flush=True)
            run_reader(reader, mine, corpus, cache=not args.no_cache)
    rendered = [r for r in READERS if (RESULTS / f"{r.id}.jsonl").exists()]
    if not rendered:
        print("no results to render", file=sys.stderr)
        return 1
    loaded = {r.id: load_results(RESULTS / f"{r.id}.jsonl").results for r in rendered}
    page, table = render(rendered, loaded, corpus.version)
    PAGE.write_text(with_scanners(page, PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""), encoding="utf-8")
    if not args.no_readme:
        write_readme_table(table)
    print(f"wrote {PAGE.relative_to(ROOT)}" + ("" if args.no_readme else " and the README table"))
    # The browsable site beside the page: every failing case with its input, documents and re-run command.
    built = site.build([RESULTS / f"{r.id}.jsonl" for r in rendered], SITE)
    print(f"wrote {SITE.relative_to(ROOT)}/index.html ({built.pages:,} pages in {built.seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

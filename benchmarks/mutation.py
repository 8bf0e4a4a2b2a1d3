"""Mutation score of the corpus: how many small bugs in the reference parser the corpus catches.

    nice python benchmarks/mutation.py [--jobs 1] [--fuzz 200] [--seed 0] [--only GLOB]... [--list]
    nice python benchmarks/mutation.py --survivors-of run.json --cases 'handmade/*/new-*' --json new.json
    python benchmarks/mutation.py --report run.json new.json

Each *mutant* is the reference parser with one small change made by an AST mutator in
``parser.py``, ``_keras2.py``, ``_keras3.py`` or ``_load.py``: a comparison operator swapped
(``==``/``!=``, ``<``/``<=``, ``>``/``>=``, ``is``/``is not``, ``in``/``not in``), ``and``/``or``
swapped, a ``not`` dropped, a small integer constant moved by one, or a ``raise`` replaced by
``pass``.  Every mutant runs, in a process of its own (a copy of the package with the one file
changed, on ``PYTHONPATH``), the whole corpus in strict mode (valid and lossy cases must give
their expected document, invalid ones their exact error code), then the inputs of
``benchmarks/_probes.py`` (a subset of the corpus handed as ``.json``/``.keras``/``.h5`` files and
through standard input, hostile files, and every limit of ``Limits`` and of archives taken just at
and just past its bound) and then a fixed fuzz budget (``--fuzz`` generated models and as many
mutated inputs, drawn once with ``--seed`` and checked against the unmutated parser first).  It is
*killed* by the first case it gets wrong, by any exception other than a ``ParseError``, or by
running past ``--timeout``; otherwise it *survived*.  The unmutated parser must pass every case
before any mutant runs.

A survivor's verdict lives in ``benchmarks/mutation-verdicts.toml``, keyed by the mutant's id
(file, function, mutation and the source it changed, so that ids survive edits elsewhere):
``equivalent`` with the reason no input can tell it from the parser; ``outside`` for code no
input handed to ``parse`` reaches (a Python caller's own use of a function), with the tests that
hold it; or anything else, which counts as a survivor to kill with a new case.  The score is
killed / (mutants - equivalent), outside ones counted as survivors; the report also gives it
without them.

CPU: ``--jobs`` processes at a time (default 1); the prepared cases are cached in
``.cache/mutation/``, keyed by the manifest, the options and the source of the whole package and of
this benchmark (a changed parser checks the fuzz budget anew), and each worker stops at its first
failing case, so killed mutants cost a second or two and survivors one pass over the corpus
(duplicate inputs run once).
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import copy
import fnmatch
import hashlib
import json
import os
import pickle
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "kerasspec"
TARGETS = ("parser.py", "_keras2.py", "_keras3.py", "_load.py")
VERDICTS = ROOT / "benchmarks" / "mutation-verdicts.toml"
CACHE = ROOT / ".cache" / "mutation"

_SWAPS: dict[type, type] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_SYMBOLS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
SMALL = 10  # integer constants up to this magnitude are moved by one


@dataclass(frozen=True)
class Mutant:
    """One mutation of one target file."""

    id: str  # file::function::mutation::source#n
    file: str
    line: int
    description: str
    source: str  # the whole mutated module


# ---------------------------------------------------------------- making mutants
class _Sites(ast.NodeVisitor):
    """Every place a mutation applies, with the function it sits in, in source order."""

    def __init__(self) -> None:
        self.scope: list[str] = []
        self.sites: list[tuple[str, ast.AST, str, Any]] = []  # (qualname, node, label, change)

    def _scoped(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def _add(self, node: ast.AST, label: str, change: Any) -> None:
        self.sites.append((".".join(self.scope) or "<module>", node, label, change))

    def visit_Compare(self, node: ast.Compare) -> None:
        for position, op in enumerate(node.ops):
            swapped = _SWAPS[type(op)]
            self._add(node, f"{_SYMBOLS[type(op)]} -> {_SYMBOLS[swapped]}", ("compare", position, swapped))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        self._add(node, "and -> or" if isinstance(node.op, ast.And) else "or -> and", ("boolop",))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._add(node, "not dropped", ("not",))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if type(value) is int and abs(value) <= SMALL:
            self._add(node, f"{value} -> {value + 1}", ("const", value + 1))
            self._add(node, f"{value} -> {value - 1}", ("const", value - 1))

    def visit_Raise(self, node: ast.Raise) -> None:
        self._add(node, "raise removed", ("raise",))
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        # Annotations are not code; the value is.
        if node.value is not None:
            self.visit(node.value)


def _apply(tree: ast.Module, target: ast.AST, change: tuple[Any, ...]) -> ast.Module:
    """A copy of ``tree`` with ``change`` made at the node that sits where ``target`` does."""
    mutated = copy.deepcopy(tree)
    # deepcopy keeps the shape, so the node sits at the same position of the same walk.
    position = next(n for n, node in enumerate(ast.walk(tree)) if node is target)
    node: Any = next(node for n, node in enumerate(ast.walk(mutated)) if n == position)
    kind = change[0]
    if kind == "compare":
        node.ops[change[1]] = change[2]()
    elif kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "const":
        node.value = change[1]
    else:  # "not" and "raise" replace the node itself
        _replace(mutated, node, node.operand if kind == "not" else ast.Pass())
    return ast.fix_missing_locations(mutated)


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list) and any(item is old for item in value):
                value[[id(item) for item in value].index(id(old))] = new
                return
    raise AssertionError("node not found")


def mutants() -> Iterator[Mutant]:
    """Every mutant of every target file, in file and source order, with stable ids."""
    for name in TARGETS:
        text = (PACKAGE / name).read_text()
        tree = ast.parse(text)
        finder = _Sites()
        finder.visit(tree)
        seen: Counter[str] = Counter()
        for qualname, node, label, change in finder.sites:
            snippet = " ".join(ast.get_source_segment(text, node, padded=False).split())  # type: ignore[union-attr]
            snippet = snippet if len(snippet) <= 70 else snippet[:67] + "..."
            key = f"{name}::{qualname}::{label}::{snippet}"
            seen[key] += 1
            mutated = _apply(tree, node, change)
            yield Mutant(f"{key}#{seen[key]}", name, node.lineno, label, ast.unparse(mutated))  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the cases every mutant runs
def prepare(fuzz: int, seed: int, only_cases: list[str] | None = None) -> Path:
    """The corpus (deduplicated) plus the fuzz budget, pickled once, checked against the real parser.

    ``only_cases`` (case-id globs) keeps those cases alone and no fuzz budget: a run over the cases added
    since an earlier full run, whose results ``--report`` then lays over the earlier ones (a mutant a
    new case kills is killed; one that survives both survived the whole corpus).
    """
    manifest = ROOT / "corpus" / "manifest.json"
    fuzz = 0 if only_cases else fuzz
    key = hashlib.sha256(manifest.read_bytes() + f"{fuzz}/{seed}/{only_cases}".encode())
    # The whole package and this benchmark: the parser checks the fuzz budget, the strategies draw it.
    for file in [Path(__file__), Path(__file__).with_name("_probes.py"), *sorted(PACKAGE.rglob("*.py"))]:
        key.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes())
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"cases-{key.hexdigest()[:16]}.pickle"
    if path.exists():
        return path
    sys.path.insert(0, str(ROOT / "src"))
    import _probes  # beside this file; it imports kerasspec, which must be this checkout's

    from kerasspec import ParseError, parse
    from kerasspec.canonical import diff
    from kerasspec.corpus import load

    # (id, kind, input, expected JSON or error code, how the input is handed, Limits fields set)
    cases: list[tuple[str, str, str | bytes, str, str, dict[str, int] | None]] = []
    seen: set[str] = set()
    # Invalid and hand-made cases first: they die fastest on a broken reading.
    chosen = [c for c in load().select() if not only_cases or any(fnmatch.fnmatchcase(c.id, g) for g in only_cases)]
    if not chosen:
        raise SystemExit(f"no corpus case matches {' '.join(only_cases or ['*'])}: there is nothing to run")
    ordered = sorted(chosen, key=lambda c: (c.kind != "invalid", c.producer is not None, c.id))
    for case in ordered:
        text = case.read_input()
        want = case.error if case.kind == "invalid" else json.dumps(case.read_expected(), sort_keys=True)
        digest = hashlib.sha256(f"{text}\0{want}".encode()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            cases.append((case.id, case.kind, text, str(want), "text", None))
    for item_id, kind, text, want in _fuzz_cases(fuzz, seed):
        try:
            document = parse(text)
        except ParseError as error:
            if kind == "invalid" and error.code == want:
                cases.append((item_id, kind, text, want, "text", None))
            continue
        if kind == "valid" and diff(json.loads(want), document.to_json()) is None:
            cases.append((item_id, kind, text, want, "text", None))
    # Files, standard input and the limits: checked against the unmutated parser before the mutants run.
    base = next(case for case in load().select() if case.id == _probes.BASE)
    cases.extend(_probes.items(chosen, base, CACHE / f"files-{key.hexdigest()[:16]}"))
    path.write_bytes(pickle.dumps(cases))
    return path


def _fuzz_cases(count: int, seed: int) -> Iterator[tuple[str, str, str | bytes, str]]:
    if count <= 0:
        return
    import random

    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    from kerasspec.serialize._templates import available
    from kerasspec.strategies import models
    from kerasspec.strategies._mutations import Chooser, mutate

    drawn: list[Any] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )
    @given(models([producer.name for producer in available()]))
    def gather(value: Any) -> None:
        drawn.append(value)

    gather()
    rng = random.Random(seed)
    for number, item in enumerate(drawn):
        yield f"fuzz/valid/{number}", "valid", item.text, json.dumps(item.document.to_json(), sort_keys=True)
        broken = mutate(item.text, item.producer.name, item.producer.format, Chooser(rng=rng))
        yield f"fuzz/invalid/{number}", "invalid", broken.text, broken.code


# The worker loads the cases once, then for each mutant named on stdin re-imports the package
# from its slot (where the parent has just written the mutated file) and runs every case.
_WORKER = """
import importlib, io, json, os, pathlib, pickle, sys, threading
cases = pickle.loads(open(sys.argv[1], "rb").read())
def feed(data):
    # A pipe with a writer that sends ``data`` and closes; a reader that stops early ends it (EPIPE).
    read, write = os.pipe()
    def send():
        try:
            with open(write, "wb") as stream:
                stream.write(data)
        except OSError:
            pass
    threading.Thread(target=send, daemon=True).start()
    return read
def attempt(kerasspec, via, source, limits):
    limits = kerasspec.Limits(**limits) if limits else None
    if via == "text":
        return kerasspec.parse(source, limits=limits)
    if via == "path":
        return kerasspec.parse(pathlib.Path(source), limits=limits)
    read = feed(source)
    try:
        if via == "fifo":  # a FIFO: no size, no seeking
            return kerasspec.parse(pathlib.Path(f"/dev/fd/{read}"), limits=limits)
        # Standard input as `kerasspec parse -` reads it (kerasspec.cli._common.read).
        stream = io.TextIOWrapper(io.BufferedReader(io.FileIO(read, "rb", closefd=False)))
        if via == "stdin-unreadable":
            stream.buffer.close()
        saved, sys.stdin = sys.stdin, None if via == "stdin-closed" else stream
        try:
            data = importlib.import_module("kerasspec._load").read_stdin(limits or kerasspec.Limits())
            return kerasspec.parse(data, limits=limits)
        finally:
            sys.stdin = saved
    finally:
        os.close(read)
def check():
    for name in [name for name in sys.modules if name == "kerasspec" or name.startswith("kerasspec.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    kerasspec = importlib.import_module("kerasspec")
    diff = importlib.import_module("kerasspec.canonical").diff
    ParseError = kerasspec.ParseError
    for case_id, kind, text, want, via, limits in cases:
        try:
            got = attempt(kerasspec, via, text, limits)
        except ParseError as error:
            if kind != "invalid":
                return [case_id, f"rejected a {kind} case: {error.code}"]
            if error.code != want:
                return [case_id, f"{error.code} instead of {want}"]
            continue
        except BaseException as error:
            return [case_id, f"raised {type(error).__name__}"]
        if kind == "invalid":
            return [case_id, f"accepted (expected {want})"]
        try:
            difference = diff(json.loads(want), got.to_json())
        except BaseException as error:
            return [case_id, f"raised {type(error).__name__} in to_json"]
        if difference is not None:
            return [case_id, f"wrong document: {difference}"[:200]]
    return None
for line in sys.stdin:
    try:
        outcome = check()
    except BaseException as error:
        outcome = ["<import>", f"raised {type(error).__name__} on import"]
    print(json.dumps(outcome), flush=True)
"""


class Slot:
    """A copy of the package and one long-lived worker process running the cases against it."""

    def __init__(self, folder: Path, cases: Path) -> None:
        self.folder = folder
        self.cases = cases
        self.package = folder / "kerasspec"
        shutil.copytree(PACKAGE, self.package, ignore=shutil.ignore_patterns("__pycache__", "_bundled"))
        self.originals = {name: (self.package / name).read_text() for name in TARGETS}
        self.process: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        env = {**os.environ, "PYTHONPATH": str(self.folder), "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}
        return subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(self.cases)],
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def run(self, mutant: Mutant | None, timeout: float) -> tuple[str, str]:
        """("killed" | "survived", why) for ``mutant`` (None: the unmutated parser, a sanity check)."""
        if mutant is not None:
            (self.package / mutant.file).write_text(mutant.source)
        try:
            return self._ask(timeout)
        finally:
            if mutant is not None:
                (self.package / mutant.file).write_text(self.originals[mutant.file])

    def _ask(self, timeout: float) -> tuple[str, str]:
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("next\n")
        self.process.stdin.flush()
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            ready = selector.select(timeout)
        if not ready:
            self.stop()
            return "killed", f"timeout after {timeout:.0f} s"
        line = self.process.stdout.readline()
        if not line:
            self.stop()
            return "killed", "the worker died"
        verdict = json.loads(line)
        return ("survived", "") if verdict is None else ("killed", f"{verdict[0]}: {verdict[1]}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def load_verdicts() -> dict[str, dict[str, str]]:
    return tomllib.loads(VERDICTS.read_text()) if VERDICTS.exists() else {}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--jobs", type=int, default=1)
    options.add_argument("--fuzz", type=int, default=200, help="generated models (and as many mutated inputs)")
    options.add_argument("--seed", type=int, default=0)
    options.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant")
    options.add_argument("--only", action="append", help="a mutant id or a glob over ids (repeatable; default all)")
    options.add_argument(
        "--cases", action="append", help="run only the corpus cases whose id matches this glob (repeatable; no fuzz)"
    )
    options.add_argument("--list", action="store_true", help="list the mutants and stop")
    options.add_argument("--json", type=Path, help="also write every result to this file")
    options.add_argument(
        "--report",
        type=Path,
        nargs="+",
        help="print the report of earlier --json files (partial ones too; later files win)",
    )
    options.add_argument(
        "--survivors-of", type=Path, nargs="+", help="run only the mutants that survived in these --json files"
    )
    args = options.parse_args()

    globs = args.only or ["*"]
    # An id is also taken literally: ids hold brackets (``entry[0]``), which a glob reads as a character class.
    chosen = [m for m in mutants() if any(m.id == glob or fnmatch.fnmatchcase(m.id, glob) for glob in globs)]
    if not chosen:
        raise SystemExit(f"no mutant matches {' '.join(globs)}: there is nothing to run")
    if args.report:
        earlier = _read_results(args.report)
        done = [m for m in chosen if m.id in earlier]
        report(done, {m.id: (earlier[m.id][0], earlier[m.id][1]) for m in done}, load_verdicts(), 0.0, args)
        print(f"({len(done)} of {len(chosen)} mutants in {' '.join(map(str, args.report))})")
        return
    if args.survivors_of:
        earlier = _read_results(args.survivors_of)
        chosen = [m for m in chosen if earlier.get(m.id, ["survived"])[0] == "survived"]
    if args.list:
        for mutant in chosen:
            print(f"{mutant.file}:{mutant.line}  {mutant.id}")
        print(f"{len(chosen)} mutants")
        return
    # A stopped run (SIGTERM) still stops its workers and removes its scratch copies.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    started = time.monotonic()
    cases = prepare(args.fuzz, args.seed, args.cases)
    print(f"{len(pickle.loads(cases.read_bytes()))} distinct cases (corpus + fuzz budget) in {cases}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kerasspec-mutation-") as scratch:
        slots = [Slot(Path(scratch) / f"slot{n}", cases) for n in range(max(1, args.jobs))]
        try:
            status, why = slots[0].run(None, args.timeout)
            if status != "survived":
                raise SystemExit(f"the unmutated parser fails the cases: {why}")
            free = list(slots)
            results: dict[str, tuple[str, str]] = {}

            def work(mutant: Mutant) -> tuple[Mutant, tuple[str, str]]:
                slot = free.pop()  # never empty: as many threads as slots
                try:
                    return mutant, slot.run(mutant, args.timeout)
                finally:
                    free.append(slot)

            with concurrent.futures.ThreadPoolExecutor(max_workers=len(slots)) as pool:
                for number, (mutant, outcome) in enumerate(pool.map(work, chosen), 1):
                    results[mutant.id] = outcome
                    if args.json:  # after every mutant, so that a long run stopped early still has its results
                        _write_results(args.json, chosen, results)
                    print(
                        f"[{number}/{len(chosen)}] {outcome[0]:8} {mutant.file}:{mutant.line} {mutant.id}"
                        f"{'  <- ' + outcome[1][:120] if outcome[1] else ''}",
                        flush=True,
                    )
        finally:
            for slot in slots:
                slot.stop()
    report(chosen, results, load_verdicts(), time.monotonic() - started, args)


def report(
    chosen: list[Mutant],
    results: dict[str, tuple[str, str]],
    verdicts: dict[str, dict[str, str]],
    seconds: float,
    args: argparse.Namespace,
) -> None:
    killed = [m for m in chosen if results[m.id][0] == "killed"]
    survivors = [m for m in chosen if results[m.id][0] == "survived"]
    equivalent = [m for m in survivors if verdicts.get(m.id, {}).get("verdict") == "equivalent"]
    outside = [m for m in survivors if verdicts.get(m.id, {}).get("verdict") == "outside"]
    live = [m for m in survivors if m not in equivalent and m not in outside]
    scored = len(chosen) - len(equivalent)
    print(
        f"\n{len(chosen)} mutants in {seconds:.0f} s: {len(killed)} killed, {len(live) + len(outside)} survived "
        f"({len(outside)} of them outside the corpus's reach), {len(equivalent)} equivalent"
    )
    if scored:
        print(
            f"mutation score: {len(killed)}/{scored} = {100 * len(killed) / scored:.1f}% "
            "of non-equivalent mutants killed"
        )
    if outside and scored > len(outside):
        reachable = scored - len(outside)
        print(f"of those a corpus case can reach: {len(killed)}/{reachable} = {100 * len(killed) / reachable:.1f}%")
    everything = Counter(m.file for m in mutants())
    for name in TARGETS:
        ran = [m for m in chosen if m.file == name]
        if not ran:
            continue
        file_killed = sum(m in killed for m in ran)
        file_equivalent = sum(m in equivalent for m in ran)
        file_outside = sum(m in outside for m in ran)
        file_scored = len(ran) - file_equivalent
        score = f"{100 * file_killed / file_scored:.1f}%" if file_scored else "-"
        print(
            f"  {name:11} {file_killed}/{file_scored} killed ({score}), {file_equivalent} equivalent, "
            f"{file_outside} outside; {len(ran)} of {everything[name]} mutants ran"
        )
    for title, group in (("equivalent", equivalent), ("outside the corpus's reach", outside), ("survived", live)):
        if group:
            print(f"\n{title}:")
        for mutant in group:
            verdict = verdicts.get(mutant.id)
            note = f"{verdict['verdict']}: {verdict.get('reason', '')}" if verdict else "NO VERDICT"
            print(f"  {mutant.file}:{mutant.line}  {mutant.id}\n      {note}")
    stale = sorted(set(verdicts) - {m.id for m in survivors})
    if stale and not args.only:
        print(f"\n{len(stale)} verdict(s) for mutants that no longer survive or exist: {', '.join(stale)}")
    if args.json and not args.report:
        _write_results(args.json, chosen, results)


def _read_results(paths: list[Path]) -> dict[str, list[Any]]:
    """The results of several --json files; a later file's result for a mutant replaces an earlier one's."""
    results: dict[str, list[Any]] = {}
    for path in paths:
        results.update(json.loads(path.read_text()))
    return results


def _write_results(path: Path, chosen: list[Mutant], results: dict[str, tuple[str, str]]) -> None:
    done = {m.id: [*results[m.id], m.file, m.line] for m in chosen if m.id in results}
    path.write_text(json.dumps(done, indent=1) + "\n")


if __name__ == "__main__":
    main()

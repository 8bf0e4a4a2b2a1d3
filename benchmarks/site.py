"""How fast `kerasspec site` builds the results site of seven readers over the whole corpus.

    python benchmarks/site.py [--corpus DIR] [--results DIR] [--out DIR]

First makes (or reuses, from --results, default .cache/bench-site/) seven results files over every
case of the corpus, written by the harness exactly as `kerasspec check --results` writes them: the
reference parser, and six readers broken on purpose the way real readers are (keras2 only, keyword
tensors lost, nested models refused, keras3 node numbering off by one and invalid input accepted,
shared layers crashing, hostile names: markup, escapes and lone surrogates in every keras2 answer).
Then builds the site from them as one `kerasspec site` process and prints: seconds (target: under
30 s on a 2-core machine; the load average is printed), pages, the front page's size (target: under
200 KB), the largest page and the whole site's size.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kerasspec
from kerasspec import corpus
from kerasspec.errors import ParseError

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<b>evil</b>\x1b[31m\u202e\udfff"


def _reference(text: str) -> Any:
    return kerasspec.parse(text).to_json()


def _tensors(value: Any) -> list[list[Any]]:
    """Every tensor reference in a canonical value."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("tensor"), list):
                found.append(item["tensor"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _layers(model: dict[str, Any]) -> list[dict[str, Any]]:
    found, stack = [], [model]
    while stack:
        current = stack.pop()
        for layer in current.get("layers", []):
            found.append(layer)
            if isinstance(layer.get("model"), dict):
                stack.append(layer["model"])
    return found


def no_kwarg_tensors(text: str) -> Any:
    document = _reference(text)
    for layer in _layers(document["model"]):
        for call in layer["calls"]:
            call["kwargs"] = {key: value for key, value in call["kwargs"].items() if not _tensors(value)}
    return document


class Refused(Exception):
    code = "unsupported"


def no_nesting(text: str) -> Any:
    document = _reference(text)
    if any("model" in layer for layer in document["model"]["layers"]):
        raise Refused("nested models are not supported")
    return document


def keras3_from_one(text: str) -> Any:
    try:
        document = _reference(text)
    except ParseError:  # accepts whatever it cannot read
        return {"format": "keras3", "model": {"class_name": "Functional", "name": "?", "layers": []}}
    if document["format"] == "keras3":
        for tensor in _tensors(document["model"]):
            tensor[1] += 1
    return document


def shared_crash(text: str) -> Any:
    document = _reference(text)
    if any(len(layer["calls"]) > 1 for layer in _layers(document["model"])):
        raise RuntimeError("KeyError: 'node_index'\n  at Graph.connect (reader.py:412)")
    return document


def hostile_names(text: str) -> Any:
    document = _reference(text)
    if document["format"] == "keras2":
        document["model"]["name"] = HOSTILE + document["model"]["name"]
        for layer in document["model"]["layers"]:
            layer["class_name"] = HOSTILE
    return document


READERS: dict[str, tuple[Callable[[str], Any], tuple[str, ...]]] = {
    "reference": (_reference, ("keras2", "keras3")),
    "keras2-only": (_reference, ("keras2",)),
    "no-kwarg-tensors": (no_kwarg_tensors, ("keras2", "keras3")),
    "no-nesting": (no_nesting, ("keras2", "keras3")),
    "keras3-from-one": (keras3_from_one, ("keras2", "keras3")),
    "shared-crash": (shared_crash, ("keras2", "keras3")),
    "hostile-names": (hostile_names, ("keras2", "keras3")),
}


def results_files(folder: Path, corpus_dir: str | None) -> list[Path]:
    """The seven results files, made by the harness unless already there for this corpus version."""
    folder.mkdir(parents=True, exist_ok=True)
    version = corpus.load(corpus_dir).version
    paths = []
    for name, (function, formats) in READERS.items():
        path = folder / f"{name}.jsonl"
        stamp = folder / f"{name}.corpus-version"
        if not (path.exists() and stamp.exists() and stamp.read_text() == version):
            started = time.perf_counter()
            done = kerasspec.check(
                function,
                corpus=corpus_dir,
                formats=formats,
                timeout=60,
                results=path,
                implementation={"name": name, "version": "1.0", "language": "python"},
            )
            stamp.write_text(version)
            counts = {outcome: n for outcome, n in done.counts().items() if n}
            print(f"  results {name}: {done.executed} cases in {time.perf_counter() - started:.0f} s {counts}")
        paths.append(path)
    return paths


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--corpus", default=None, help="corpus directory (default: bundled)")
    arguments.add_argument("--results", default=str(ROOT / ".cache" / "bench-site"), help="results files folder")
    arguments.add_argument("--out", default=None, help="site folder (default: <results>/site)")
    options = arguments.parse_args()
    folder = Path(options.results)
    paths = results_files(folder, options.corpus)
    out = Path(options.out or folder / "site")
    command = [sys.executable, "-m", "kerasspec.cli", "site", *map(str, paths), "--out", str(out)]
    if options.corpus:
        command += ["--corpus", options.corpus]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("$ kerasspec site " + " ".join(command[4:]))
    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if done.returncode != 0:
        print(done.stdout + done.stderr)
        return 1
    print("  " + done.stdout.strip())
    files = [path for path in out.rglob("*") if path.is_file()]
    pages = [path for path in files if path.suffix == ".html"]
    front = (out / "index.html").stat().st_size
    largest = max(pages, key=lambda path: path.stat().st_size)
    total = sum(path.stat().st_size for path in files)
    print(f"whole process: {seconds:.1f} s (target < 30 s): {'ok' if seconds < 30 else 'OVER'}")
    # CPU time does not grow with the machine's load as wall time does; the build forks one worker per core.
    print(f"  cpu: {cpu:.1f} s in all processes (load average now {os.getloadavg()[0]:.1f})")
    print(f"front page: {front / 1024:.1f} KB (target < 200 KB): {'ok' if front < 200 * 1024 else 'OVER'}")
    print(f"pages: {len(pages):,}; largest {largest.relative_to(out)} {largest.stat().st_size / 1024:.1f} KB")
    print(f"site: {len(files):,} files, {total / 2**20:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A scanner adapter of this folder on the harness protocol (spec/protocol.md#tracks):
``on_protocol.py NAME [ADAPTER] [--cache DIR] [--batch N]``.

    kerasspec check --feature lambda-nested --timeout 300 -- python adapters/scanners/on_protocol.py hayward

The adapters here (the ``adapter.py`` in the folder NAME) are run once on a folder of model files
and print one answer for all of them (_common.py); ADAPTER names another such script. This bridge
declares itself a scanner of every container, takes the files the harness hands it, a batch at a
time (the requests already waiting, up to the harness's window), copies them into one folder, runs
the adapter on it and answers each request with the findings for its file.

A tool that fails on a batch is run again on each half of it, and so on, until each file it cannot
survive stands alone: such a file costs itself alone. When its turn comes this process exits, which
the harness records as that file's crash (it then starts a fresh bridge for the rest).

With ``--cache DIR`` each file's answer is kept under DIR by the tool, its version, the adapter's
source and the file's sha256 (the harness builds the same bytes from the same case), so a run repeated
on the same corpus asks the tool only about files it has not seen. ``--batch N`` runs the tool on up to
N files at once (the harness must send that many ahead: its window).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import select
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# name: (implementation name, version) of each adapter of this folder.
SCANNERS = {
    "modelscan": ("modelscan", "0.8.8"),
    "weightguard": ("weightguard", "0.2.0"),
    "hayward": ("hayward", "1.4.1"),
    "aisbom": ("aisbom-cli", "1.7.0"),
    "modelaudit": ("modelaudit", "0.2.54"),
}
BATCH = 16  # the harness's default window (requests it may have sent ahead); --batch for a wider one
# Seconds to wait for the next request that is already on its way before running a batch (the
# harness sends the next ones as it reads the answers to the last batch).
_GATHER = 0.5


def send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def gather(first: dict[str, Any], size: int = BATCH) -> list[dict[str, Any]]:
    """``first`` and the parse requests already waiting behind it, ``size`` at most (a ``stop`` ends it)."""
    batch = [first]
    while len(batch) < size and select.select([sys.stdin], [], [], _GATHER)[0]:
        line = sys.stdin.readline()
        if not line:
            break
        request = json.loads(line)
        batch.append(request)
        if request.get("cmd") != "parse":
            break
    return batch


def run_adapter(adapter: Path, paths: list[Path]) -> tuple[dict[str, Any] | None, str]:
    """The adapter's answer for ``paths`` run together (``files``: name -> entry), or ``None`` and why not."""
    with tempfile.TemporaryDirectory(prefix="kerasspec-scan-") as folder:
        for path in paths:
            shutil.copyfile(path, Path(folder) / path.name)  # tools skip links
        done = subprocess.run([sys.executable, str(adapter), folder], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return None, f"{adapter} exited {done.returncode}: {done.stderr[-2000:]}"
    try:
        files = json.loads(done.stdout).get("files", {})
    except (ValueError, AttributeError) as error:
        return None, f"{adapter} printed no answer: {error}"
    return files, ""


def findings_of(entry: dict[str, Any] | None) -> list[dict[str, str]]:
    """A file's findings as the protocol writes them: only ``path``, ``layer`` and ``message``, as strings."""
    return [
        {key: str(value) for key, value in item.items() if value and key in ("path", "layer", "message")}
        for item in (entry or {}).get("findings", [])
    ]


class Cache:
    """Each file's answer under ``DIR/<tool>-<version>-<adapter>/<sha256>.json``: ``{"findings": [...]}``, or
    ``{"crash": why}`` for a file the tool fails on alone."""

    def __init__(self, folder: Path | None, tool: str, version: str, adapter: Path) -> None:
        # The adapter's source is part of the key: an adapter that reads the tool's report anew answers anew.
        source = hashlib.sha256(adapter.read_bytes() + (HERE / "_common.py").read_bytes()).hexdigest()[:12]
        self.folder = folder / f"{tool}-{version}-{source}" if folder is not None else None

    def _file(self, path: Path) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / (hashlib.sha256(path.read_bytes()).hexdigest() + ".json")

    def get(self, path: Path) -> dict[str, Any] | None:
        file = self._file(path)
        return json.loads(file.read_text()) if file is not None and file.exists() else None

    def put(self, path: Path, answer: dict[str, Any]) -> None:
        file = self._file(path)
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(json.dumps(answer))


def scan(adapter: Path, requests: list[dict[str, Any]], cache: Cache) -> dict[int, dict[str, Any]]:
    """Each request's answer (``findings``, or ``crash`` when the tool fails on its file alone), by seq."""
    answers: dict[int, dict[str, Any]] = {}
    todo = []
    for request in requests:
        cached = cache.get(Path(request["path"]))
        if cached is not None:
            answers[request["seq"]] = cached
        else:
            todo.append(request)
    found = isolating(adapter, [Path(r["path"]) for r in todo]) if todo else {}
    for request in todo:
        path = Path(request["path"])
        cache.put(path, found[path])
        answers[request["seq"]] = found[path]
    return answers


def isolating(adapter: Path, paths: list[Path]) -> dict[Path, dict[str, Any]]:
    """Each file's answer; a batch the tool fails on is halved until the files it fails on stand alone."""
    files, failure = run_adapter(adapter, paths)
    if files is not None:
        return {path: {"findings": findings_of(files.get(path.name))} for path in paths}
    if len(paths) == 1:
        return {paths[0]: {"crash": failure}}
    middle = len(paths) // 2
    return isolating(adapter, paths[:middle]) | isolating(adapter, paths[middle:])


def main(name: str, adapter: Path, cache: Cache, size: int = BATCH) -> None:
    tool, version = SCANNERS.get(name, (name, ""))
    # The stream is read line by line (readline, not iteration): select() must see what is not yet read.
    while line := sys.stdin.readline():
        request = json.loads(line)
        if request["cmd"] == "stop":
            return
        if request["cmd"] == "start":
            implementation = {"name": tool, "version": version, "language": "python"}
            formats = ["keras2", "keras3"]
            containers = ["to_json", "keras-archive", "h5"]
            send(
                {
                    "version": 1,
                    "implementation": implementation,
                    "formats": formats,
                    "containers": containers,
                    "track": "scanner",
                }
            )
            continue
        batch = gather(request, size)
        parses = [r for r in batch if r.get("cmd") == "parse"]
        answers = scan(adapter, parses, cache)
        for item in parses:
            answer = answers[item["seq"]]
            if "crash" in answer:  # this file alone takes the tool down: its crash, and only its
                sys.exit(f"{item['path']}: {answer['crash']}")
            send({"seq": item["seq"], "findings": answer["findings"]})
        if any(r.get("cmd") == "stop" for r in batch):
            return


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the scanner: a folder of adapters/scanners/ (or any name, with ADAPTER)")
    parser.add_argument("adapter", nargs="?", type=Path, help="the folder adapter to run (default: NAME/adapter.py)")
    parser.add_argument("--cache", type=Path, help="keep each file's answer here, by tool, version and sha256")
    parser.add_argument(
        "--batch", type=int, default=BATCH, help="files per run of the tool at most (the harness's window, if wider)"
    )
    return parser.parse_args()


if __name__ == "__main__":
    args = arguments()
    tool, version = SCANNERS.get(args.name, (args.name, ""))
    adapter = args.adapter or HERE / args.name / "adapter.py"
    main(args.name, adapter, Cache(args.cache, tool, version, adapter), args.batch)

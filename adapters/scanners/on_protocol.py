"""A scanner adapter of this folder on the harness protocol: ``on_protocol.py NAME [ADAPTER]``
(spec/protocol.md#tracks).

    kerasspec check --feature lambda-nested --timeout 300 -- python adapters/scanners/on_protocol.py hayward

The adapters here (the ``adapter.py`` in the folder NAME) are run once on a folder of model files
and print one answer for all of them (_common.py); ADAPTER names another such script. This bridge
declares itself a scanner of every container, takes the files the harness hands it, a batch at a
time (the requests already waiting, up to the harness's window), copies them into one folder, runs
the adapter on it and answers each request with the findings for its file. A tool that fails ends
this process, which the harness records as a crash of the files in the batch.
"""

from __future__ import annotations

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
BATCH = 16  # the harness's default window: requests it may have sent ahead
# Seconds to wait for the next request that is already on its way before running a batch.
_GATHER = 0.05


def send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def gather(first: dict[str, Any]) -> list[dict[str, Any]]:
    """``first`` and the parse requests already waiting behind it (a ``stop`` ends the batch)."""
    batch = [first]
    while len(batch) < BATCH and select.select([sys.stdin], [], [], _GATHER)[0]:
        line = sys.stdin.readline()
        if not line:
            break
        request = json.loads(line)
        batch.append(request)
        if request.get("cmd") != "parse":
            break
    return batch


def scan(adapter: Path, requests: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Run the adapter on the batch's files; the findings per request's seq."""
    with tempfile.TemporaryDirectory(prefix="kerasspec-scan-") as folder:
        for request in requests:
            shutil.copyfile(request["path"], Path(folder) / Path(request["path"]).name)  # tools skip links
        done = subprocess.run([sys.executable, str(adapter), folder], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{adapter} exited {done.returncode}: {done.stderr[-2000:]}")
    files = json.loads(done.stdout).get("files", {})
    found = {}
    for request in requests:
        entry = files.get(Path(request["path"]).name) or {}
        found[request["seq"]] = [
            {key: str(value) for key, value in item.items() if value and key in ("path", "layer", "message")}
            for item in entry.get("findings", [])
        ]
    return found


def main(name: str, adapter: Path) -> None:
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
        batch = gather(request)
        parses = [r for r in batch if r.get("cmd") == "parse"]
        found = scan(adapter, parses)
        for item in parses:
            send({"seq": item["seq"], "findings": found[item["seq"]]})
        if any(r.get("cmd") == "stop" for r in batch):
            return


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]) if len(sys.argv) > 2 else HERE / sys.argv[1] / "adapter.py")

"""What every scanner adapter shares: where its tool is, running it, and the answer it prints.

A scanner adapter is a command run once with a folder of model files; it prints one JSON object:
``{"implementation": {...}, "files": {NAME: {"findings": [{"layer", "path", "message"}], "note"}}}``
(spec/scanners.md#track). The tools run from their own venvs under ``.cache/scanners/<tool>/``,
never imported here: their output is read as data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# No tool may reach the network (telemetry, update checks, hub look-ups).
OFFLINE = {
    "AISBOM_OFFLINE": "1",
    "AISBOM_NO_TELEMETRY": "1",
    "PROMPTFOO_DISABLE_TELEMETRY": "1",
    "NO_ANALYTICS": "1",
    "DO_NOT_TRACK": "1",
    "HF_HUB_OFFLINE": "1",
}


def tool(venv: str, executable: str) -> str:
    """The tool's executable: ``$KERASSPEC_SCANNERS/<venv>/bin/<executable>`` (default .cache/scanners)."""
    base = Path(os.environ.get("KERASSPEC_SCANNERS", ROOT / ".cache" / "scanners"))
    return str(base / venv / "bin" / executable)


def run_tool(args: list[str], timeout: float = 3000) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, check=False, env={**os.environ, **OFFLINE}
    )


def report(done: subprocess.CompletedProcess[str]) -> Any:
    """The JSON report a tool printed; a tool that printed none ends the adapter with its status and
    the tail of its standard error (the tool's own traceback, not a JSON decoding error)."""
    try:
        return json.loads(done.stdout)
    except ValueError:
        sys.exit(f"{Path(str(done.args[0])).name} exited {done.returncode} without a report: {done.stderr[-1500:]}")


def finding(layer: str | None = None, message: str = "", path: str | None = None) -> dict[str, Any]:
    return {"layer": layer, "path": path, "message": message}


def emit(name: str, version: str, files: dict[str, dict[str, Any]]) -> None:
    """Print the answer: every file of the folder, with its findings (deduplicated) and note."""
    for entry in files.values():
        unique, seen = [], set()
        for item in entry.get("findings", []):
            key = (item["layer"], item["path"]) if item["layer"] or item["path"] else None
            if key is None or key not in seen:
                unique.append(item)
                if key is not None:
                    seen.add(key)
        entry["findings"] = unique
    json.dump({"implementation": {"name": name, "version": version, "language": "python"}, "files": files}, sys.stdout)
    sys.stdout.write("\n")


def folder_files(folder: Path) -> dict[str, dict[str, Any]]:
    return {path.name: {"findings": [], "note": ""} for path in sorted(folder.iterdir())}

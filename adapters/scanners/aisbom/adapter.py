"""aisbom-cli 1.7.0 (offline) as a scanner adapter: `adapter.py FOLDER` (spec/scanners.md#track).

aisbom writes a CycloneDX document with one component per file; a Keras risk is in the
component's description: "Keras Lambda Code Execution — Lambda layer(s): a, b; ...". Each named
layer is a finding; a risk without names counts for the file.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import emit, finding, folder_files, run_tool, tool

_LAYERS = re.compile(r"Lambda layer\(s\): ([^;)]*)")
_RISK = re.compile(r"Risk: (CRITICAL|HIGH|MEDIUM)")


def main(folder: Path) -> None:
    files = folder_files(folder)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "bom.json"
        run_tool(
            [
                tool("aisbom-cli", "aisbom"),
                "scan",
                "--offline",
                "--no-hf-lookup",
                "--format",
                "json",
                "--output",
                str(report),
                str(folder),
            ]
        )
        data = json.loads(report.read_text())
    for component in data.get("components", []):
        ref = str(component.get("bom-ref", ""))
        name = next((n for n in files if ref.endswith("-" + n)), None)
        description = str(component.get("description", ""))
        if name is None or not _RISK.search(description):
            continue
        names = [n.strip() for m in _LAYERS.findall(description) for n in m.split(",") if n.strip()]
        for layer in names or [None]:
            files[name]["findings"].append(finding(layer, description[:200]))
    emit("aisbom-cli", "1.7.0", files)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

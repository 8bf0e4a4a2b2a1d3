"""modelscan 0.8.8 as a scanner adapter: `adapter.py FOLDER` (spec/scanners.md#track).

modelscan reports one issue per Lambda it sees, naming the file but not the layer: each issue is a
finding without a location, matched to any site of its file.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import emit, finding, folder_files, run_tool, tool


def main(folder: Path) -> None:
    files = folder_files(folder)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        run_tool([tool("modelscan", "modelscan"), "-p", str(folder), "-r", "json", "-o", str(report)])
        data = json.loads(report.read_text())
    for issue in data.get("issues", []):
        name = Path(str(issue.get("source", "")).split(":", 1)[0]).name
        if name in files:
            files[name]["findings"].append(finding(None, str(issue.get("description", ""))))
    for error in data.get("errors", []):
        name = Path(str(error.get("source", "")).split(":", 1)[0]).name
        if name in files:
            files[name]["note"] = str(error.get("description", ""))[:200]
    emit("modelscan", "0.8.8", files)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

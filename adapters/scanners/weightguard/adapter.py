"""weightguard 0.2.0 as a scanner adapter: `adapter.py FOLDER` (spec/scanners.md#track).

weightguard scans the folder once; findings of severity INFO (such as "Could not parse as
Keras HDF5") are notes, the others are findings, with the layer where its evidence names one.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import emit, finding, folder_files, report, run_tool, tool

_LAYER = re.compile(r"(?:layer|Lambda)[^'\"]*['\"]([^'\"]+)['\"]")


def main(folder: Path) -> None:
    files = folder_files(folder)
    done = run_tool([tool("weightguard", "weightguard"), "scan", "--format", "json", "--no-provenance", str(folder)])
    data = report(done)
    for item in data.get("findings", []):
        name = Path(str(item.get("file", ""))).name
        if name not in files:
            continue
        text = f"{item.get('title', '')}: {item.get('description', '')}"
        if item.get("severity") == "INFO":
            files[name]["note"] = text[:200]
            continue
        evidence = text + " " + json.dumps(item.get("evidence"))
        layer = next(iter(_LAYER.findall(evidence)), None)
        files[name]["findings"].append(finding(layer, text))
    emit("weightguard", "0.2.0", files)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

"""modelaudit 0.2.54 as a scanner adapter: `adapter.py FOLDER` (spec/scanners.md#track). Slow.

Issues of severity warning or critical are findings; the layer is `details.layer_name`, else the
`(layer: NAME)` of the location. Several issues on one layer are one finding. Its flags on
TFOpLambda/SlicingOpLambda layers are its policy: the harness reports them apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import emit, finding, folder_files, report, run_tool, tool

_LAYER = re.compile(r"\(layer: ([^)]*)\)")


def main(folder: Path) -> None:
    files = folder_files(folder)
    done = run_tool([tool("modelaudit", "modelaudit"), "scan", "--no-cache", "-f", "json", str(folder)])
    data = report(done)
    for issue in data.get("issues", []):
        location = str(issue.get("location") or "")
        name = Path(location.split(" (", 1)[0].split(":", 1)[0]).name
        if name not in files or issue.get("severity") not in ("warning", "critical"):
            continue
        details = issue.get("details") or {}
        layer = details.get("layer_name") or next(iter(_LAYER.findall(location)), None)
        files[name]["findings"].append(finding(layer, str(issue.get("message", ""))))
    emit("modelaudit", "0.2.54", files)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

"""hayward 1.4.1 as a scanner adapter: `adapter.py FOLDER` (spec/scanners.md#track).

Its Keras rules name the layers they flag: `MFV-KERAS-001` lists the Lambda layers in
`metadata.lambda_layers`; other findings of severity medium or above name no layer and count for
the file. Informational findings (`info`, `low`) are notes, not findings.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import emit, finding, folder_files, report, run_tool, tool

_LAYER = re.compile(r"layer '([^']*)'")


def main(folder: Path) -> None:
    files = folder_files(folder)
    done = run_tool([tool("hayward", "hayward"), "scan", "-f", "json", "--fail-on", "never", str(folder)])
    data = report(done)
    for item in data.get("findings", []):
        name = Path(str(item.get("file", ""))).name
        if name not in files:
            continue
        if item.get("severity") in ("info", "low"):
            files[name]["note"] = (files[name]["note"] + " " + str(item.get("rule_id"))).strip()
            continue
        layers = [m for text in item.get("metadata", {}).get("lambda_layers", []) for m in _LAYER.findall(str(text))]
        for layer in layers or [None]:
            files[name]["findings"].append(finding(layer, str(item.get("message", ""))))
    emit("hayward", "1.4.1", files)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

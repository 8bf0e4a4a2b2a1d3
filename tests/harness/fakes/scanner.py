"""A scanner that misbehaves on purpose, one way per behaviour, to test the scanner track of the harness.

    python scanner.py BEHAVIOUR

It asks for files of every container and finds the code in each with kerasspec.code.code_sites (an
oracle: only the harness is under test), then answers according to BEHAVIOUR:

* ``correct``: every site, by path;
* ``policy``: every site, and each TensorFlow-op layer by name (a policy, not a false alarm);
* ``alarm``: every site, and the first top-level layer by path whether or not it holds code;
* ``layer-names``: every site by the name of its innermost layer only, no path;
* ``document``: a canonical document instead of findings (off track);
* ``malformed``: findings that are not a list;
* ``crash-on-h5``: exits when handed an ``.h5`` file;
* ``reject``: rejects every file with an error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))

from kerasspec._load import load
from kerasspec.code import code_sites
from kerasspec.errors import ParseError
from kerasspec.parser import Limits

BEHAVIOUR = sys.argv[1]


def model(path: Path) -> object:
    return load(path, Limits())  # the reference reader's loader: .json, .keras and .h5 alike


def tf_op_layers(value: object) -> list[str]:
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("class_name") in ("TFOpLambda", "SlicingOpLambda"):
                found.append(item["config"]["name"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def answer(request: dict) -> dict:
    seq, path = request["seq"], Path(request["path"])
    if BEHAVIOUR == "crash-on-h5" and path.suffix == ".h5":
        sys.exit(3)
    if BEHAVIOUR == "reject":
        return {"seq": seq, "error": {"code": "unreadable", "message": "cannot read this file"}}
    if BEHAVIOUR == "document":
        return {"seq": seq, "document": {"format": "keras3", "model": {}}}
    if BEHAVIOUR == "malformed":
        return {"seq": seq, "findings": {"path": "$"}}
    try:
        data = model(path)
    except ParseError:
        return {"seq": seq, "findings": []}  # not JSON: nothing to find
    sites = code_sites(data)
    if BEHAVIOUR == "layer-names":
        return {"seq": seq, "findings": [{"layer": site.layers[-1]} for site in sites if site.layers]}
    findings = [{"path": site.path, "message": site.kind} for site in sites]
    if BEHAVIOUR == "policy":
        findings += [{"layer": name, "message": "TensorFlow op"} for name in tf_op_layers(data)]
    if BEHAVIOUR == "alarm":
        findings.append({"path": "$.config.layers[0]", "message": "suspicious"})
    return {"seq": seq, "findings": findings}


for line in sys.stdin:
    request = json.loads(line)
    if request["cmd"] == "stop":
        break
    if request["cmd"] == "start":
        reply = {
            "version": 1,
            "implementation": {"name": f"fake-scanner-{BEHAVIOUR}", "version": "0", "language": "python"},
            "formats": ["keras2", "keras3"],
            "containers": ["to_json", "keras-archive", "h5"],
            "track": "scanner",
        }
    else:
        reply = answer(request)
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()

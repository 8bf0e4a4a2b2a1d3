"""A reader of model files that reads ``.json`` files right and refuses every ``.h5`` file.

    python json_reader.py json      # asks for .json and .h5 files; refuses the .h5 ones
    python json_reader.py nothing   # refuses every file
    python json_reader.py both      # reads both (the reference parser)

A case it fails in one container only is what a known-failures entry naming a container is for.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kerasspec import parse
from kerasspec.harness import serve

MODE = sys.argv[1]


class Refused(Exception):
    code = "refused"


def read(path: Path) -> object:
    if MODE == "nothing" or (MODE == "json" and path.suffix == ".h5"):
        raise Refused(f"{MODE}: not reading {path.suffix}")
    return parse(path)


serve(read, implementation={"name": "json-reader", "version": "1", "language": "python"}, containers=["to_json", "h5"])

"""adapters/scanners/on_protocol.py: a folder scanner (``adapter.py FOLDER``) on the harness protocol.

A stand-in folder adapter (written here; the real tools need their own venvs) answers in the
format of adapters/scanners/_common.py; the bridge must hand it the harness's files in batches and
answer each request with its file's findings, and a tool that fails must be a recorded crash.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kerasspec import corpus as _corpus
from kerasspec.harness import ProtocolParser, run

BRIDGE = Path(__file__).resolve().parents[2] / "adapters" / "scanners" / "on_protocol.py"
FOLDER_SCANNER = """
import json, sys
from pathlib import Path
from kerasspec._load import load
from kerasspec.code import code_sites
from kerasspec.parser import Limits
MODE = {mode!r}
if MODE == "fail":
    sys.exit("the tool failed")
files = {{}}
for path in sorted(Path(sys.argv[1]).iterdir()):
    sites = code_sites(load(path, Limits()))
    found = [{{"layer": None, "path": s.path, "message": s.kind}} for s in sites]
    if MODE == "skip-h5" and path.suffix == ".h5":
        continue  # as weightguard skips what it cannot open: the file has no entry
    files[path.name] = {{"findings": found, "note": ""}}
print(json.dumps({{"implementation": {{"name": "folder", "version": "0", "language": "python"}}, "files": files}}))
"""
MODEL = "keras3/keras-3.15.1/lambda-in-nested-functional"  # one site, in every container
CASES = _corpus.Selection(ids=(MODEL, f"{MODEL}/*"))


def bridged(mode: str, tmp_path: Path):
    script = tmp_path / "adapter.py"
    script.write_text(FOLDER_SCANNER.format(mode=mode))
    corpus = _corpus.load()
    parser = ProtocolParser([sys.executable, str(BRIDGE), "folder", str(script)], timeout=120)
    return run(parser, corpus.select(CASES), corpus=corpus)


@pytest.mark.parametrize(
    ("mode", "h5", "others"),
    [("all", "pass", "pass"), ("skip-h5", "missed", "pass"), ("fail", "crash", "crash")],
)
def test_each_file_gets_its_findings(mode, h5, others, tmp_path):
    done = bridged(mode, tmp_path)
    assert done.executed == done.selected >= 3
    assert done.parser["track"] == "scanner"
    assert {r.outcome.value for r in done.results if r.container == "h5"} == {h5}
    assert {r.outcome.value for r in done.results if r.container != "h5"} == {others}

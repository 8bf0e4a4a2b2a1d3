"""adapters/scanners/on_protocol.py: a folder scanner (``adapter.py FOLDER``) on the harness protocol.

A stand-in folder adapter (written here; the real tools need their own venvs) answers in the
format of adapters/scanners/_common.py; the bridge must hand it the harness's files in batches and
answer each request with its file's findings, and a tool that fails must be a recorded crash.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kerasspec import corpus as _corpus
from kerasspec.harness import ProtocolParser, run

BRIDGE = Path(__file__).resolve().parents[2] / "adapters" / "scanners" / "on_protocol.py"
FOLDER_SCANNER = """
import json, os, sys
from pathlib import Path
from kerasspec._load import load
from kerasspec.code import code_sites
from kerasspec.parser import Limits
MODE = {mode!r}
if MODE == "fail" or os.environ.get("TOOL_FAILS"):
    sys.exit("the tool failed")
if MODE == "die-on-h5" and any(path.suffix == ".h5" for path in Path(sys.argv[1]).iterdir()):
    sys.exit("Traceback: AttributeError: 'list' object has no attribute 'get'")  # as weightguard on Keras 1
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


def bridged(mode: str, tmp_path: Path, *options: str, selection: _corpus.Selection = CASES, env=None):
    script = tmp_path / f"{mode}.py"
    script.write_text(FOLDER_SCANNER.format(mode=mode))
    corpus = _corpus.load()
    parser = ProtocolParser([sys.executable, str(BRIDGE), "folder", str(script), *options], timeout=120, env=env)
    return run(parser, corpus.select(selection), corpus=corpus)


@pytest.mark.parametrize(
    ("mode", "h5", "others"),
    [
        ("all", "pass", "pass"),
        ("skip-h5", "missed", "pass"),
        ("fail", "crash", "crash"),
        ("die-on-h5", "crash", "pass"),
    ],
)
def test_each_file_gets_its_findings(mode, h5, others, tmp_path):
    done = bridged(mode, tmp_path)
    assert done.executed == done.selected >= 3
    assert done.parser["track"] == "scanner"
    assert {r.outcome.value for r in done.results if r.container == "h5"} == {h5}
    assert {r.outcome.value for r in done.results if r.container != "h5"} == {others}


def test_one_file_the_tool_dies_on_costs_that_file_alone(tmp_path):
    # Two models (six files) in one batch of the tool: it dies whenever an .h5 file is in its folder.
    two = _corpus.Selection(ids=(MODEL, f"{MODEL}/*", f"{MODEL}-control", f"{MODEL}-control/*"))
    done = bridged("die-on-h5", tmp_path, "--batch", "16", selection=two)
    assert done.executed == done.selected == 6
    crashed = [r for r in done.results if r.outcome.value == "crash"]
    assert sorted(r.case for r in crashed) == [f"{MODEL}-control/h5", f"{MODEL}/h5"]
    assert all("'list' object has no attribute 'get'" in r.detail for r in crashed)  # the tool's own words
    assert {r.outcome.value for r in done.results if r.container != "h5"} == {"pass"}


def test_the_cache_answers_files_the_tool_has_answered_before(tmp_path):
    cache = ["--cache", str(tmp_path / "cache")]
    first = bridged("all", tmp_path, *cache)
    assert {r.outcome.value for r in first.results} == {"pass"}
    (kept,) = (tmp_path / "cache").iterdir()  # by the tool, its version and the adapter's source
    assert len(list(kept.iterdir())) == first.executed  # one answer per file
    again = bridged("all", tmp_path, *cache, env={**os.environ, "TOOL_FAILS": "1"})  # it is not asked again
    assert [(r.label, r.outcome.value) for r in again.results] == [(r.label, "pass") for r in first.results]

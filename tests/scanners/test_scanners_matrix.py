"""adapters/scanners/matrix.py: scanners run through the harness, the table rendered from their results files.

A stand-in folder scanner (test_on_protocol.py's, which finds code with kerasspec.code.code_sites and
skips `.h5` files) is run by ``run_scanner`` as a real one is; its results must be an ordinary harness
results file, and the table and the README summary must count from it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from test_on_protocol import FOLDER_SCANNER, MODEL

from kerasspec import corpus as _corpus
from kerasspec import site
from kerasspec.harness import load_results

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("scanners_matrix", REPO / "adapters" / "scanners" / "matrix.py")
assert spec is not None and spec.loader is not None
matrix = importlib.util.module_from_spec(spec)
sys.modules["scanners_matrix"] = matrix
spec.loader.exec_module(matrix)


@pytest.fixture
def measured(tmp_path, monkeypatch):
    """``hayward``'s results, made by the stand-in scanner over one model with code and its control."""
    folder = tmp_path / "scanners" / "hayward"
    folder.mkdir(parents=True)
    (folder / "adapter.py").write_text(FOLDER_SCANNER.format(mode="skip-h5"))
    monkeypatch.setattr(matrix, "ADAPTERS", tmp_path / "scanners")
    monkeypatch.setattr(matrix, "RESULTS", tmp_path / "results")
    monkeypatch.setattr(matrix, "CACHE", tmp_path / "cache")
    ids = (MODEL, f"{MODEL}/*", f"{MODEL}-control", f"{MODEL}-control/*")
    monkeypatch.setattr(matrix, "selection", lambda releases=None: _corpus.Selection(ids=ids))
    return matrix.run_scanner("hayward", None, cache=True, batch=8)


def test_a_scanner_run_is_an_ordinary_results_file(measured, tmp_path):
    recorded = load_results(tmp_path / "results" / "hayward.jsonl")
    assert recorded.executed == recorded.selected == 6 and recorded.track == "scanner"
    assert recorded.corpus["version"] == _corpus.load().version
    assert {(r.label, r.outcome.value) for r in recorded.results} == {
        (MODEL, "pass"),
        (f"{MODEL}/keras-archive", "pass"),
        (f"{MODEL}/h5", "missed"),  # the stand-in skips .h5 files
        (f"{MODEL}-control", "pass"),
        (f"{MODEL}-control/keras-archive", "pass"),
        (f"{MODEL}-control/h5", "pass"),
    }
    built = site.build([tmp_path / "results" / "hayward.jsonl"], tmp_path / "site")  # kerasspec site reads it
    assert "hayward" in (tmp_path / "site" / "index.html").read_text() and built


def test_the_table_and_summary_count_from_the_results(measured):
    version = _corpus.load().version
    assert matrix.corpus_versions() == version
    row = next(line for line in matrix.table().splitlines() if line.startswith("| hayward"))
    # top .json .keras .h5 | nested .json .keras .h5 | false alarms | TF-op | crash | files
    assert row == "| hayward 1.4.1 | n/a | n/a | n/a | 1/1 | 1/1 | 0/1 | 0 | 0 files | 0 | 6 |"
    assert f"on corpus {version};" in matrix.summary()
    assert "| hayward 1.4.1 | n/a | 50% (1/2) | 0 |" in matrix.summary()
    assert f"`{MODEL}/h5`" in matrix.details()

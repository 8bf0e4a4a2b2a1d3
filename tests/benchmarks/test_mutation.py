"""benchmarks/mutation.py, cheaply: its probes hold for the reference parser and kill the mutants they aim at.

The full run (every mutant over the corpus, about half an hour) is the benchmark's own; here the worker
that runs it gets only the hostile files and the limit probes of ``benchmarks/_probes.py``, the
unmutated package and two mutants of ``_load.py`` that no corpus text reaches.
"""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

import pytest

from kerasspec.corpus import load

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _probes  # noqa: E402  (a module of benchmarks/, found through the path above)
import mutation  # noqa: E402


@pytest.fixture(scope="module")
def slot(tmp_path_factory: pytest.TempPathFactory) -> mutation.Slot:
    folder = tmp_path_factory.mktemp("probes")
    base = next(case for case in load().select() if case.id == _probes.BASE)
    document = json.dumps(base.read_expected(), sort_keys=True)
    items = [*_probes._hostile(folder), *_probes._limits(base.read_input(), document, folder)]
    cases = folder / "cases.pickle"
    cases.write_bytes(pickle.dumps(items))
    return mutation.Slot(folder / "slot", cases)


def _mutant(prefix: str) -> mutation.Mutant:
    return next(mutant for mutant in mutation.mutants() if mutant.id.startswith(prefix))


def test_the_unmutated_parser_passes_every_probe(slot: mutation.Slot) -> None:
    try:
        assert slot.run(None, 120) == ("survived", "")
    finally:
        slot.stop()


@pytest.mark.parametrize(
    ("prefix", "why"),
    [
        ("_load.py::_read_archive::raise removed::raise NotAModel(", "hostile/no-config.keras: not-json instead of"),
        ("_load.py::_decode::> -> >=::len(text) > max_bytes#1", "limit/bytes/text/at: rejected a valid case"),
    ],
    ids=["archive-without-config", "bytes-limit-one-off"],
)
def test_a_probe_kills_the_mutant_it_aims_at(slot: mutation.Slot, prefix: str, why: str) -> None:
    try:
        status, reason = slot.run(_mutant(prefix), 120)
    finally:
        slot.stop()
    assert status == "killed"
    assert reason.startswith(why), reason


def test_a_case_glob_that_matches_nothing_is_refused() -> None:
    with pytest.raises(SystemExit, match="no corpus case matches nothing/\\*: there is nothing to run"):
        mutation.prepare(0, 0, ["nothing/*"])

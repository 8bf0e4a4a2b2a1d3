"""The pytest plugin: `pytest --kerasspec-...` turns every corpus case into a test named by its id."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest
from harness_fixtures import FAKE, FIXTURE_CORPUS, HERE


def pytest_run(tmp_path, *options: str, corpus=FIXTURE_CORPUS) -> subprocess.CompletedProcess[str]:
    """pytest with the plugin's ``options`` over ``corpus`` (``None``: the bundled one)."""
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-q", "--rootdir", str(tmp_path)]
    command += [*(["--kerasspec-corpus", str(corpus)] if corpus else []), *options]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_every_case_is_a_test_with_its_id(tmp_path):
    done = pytest_run(tmp_path, "--kerasspec-adapter", "reference")
    assert done.returncode == 0, done.stdout
    assert "PASSED kerasspec::keras3/keras-3.15.1/mha-positional" in done.stdout
    assert "PASSED kerasspec::invalid/keras3/cycle" in done.stdout
    assert "11 passed" in done.stdout


def test_failures_show_the_difference_and_known_failures_are_strict_xfails(tmp_path):
    (tmp_path / "known.toml").write_text(
        '"keras3/*/dense-chain" = "renames models"\n"keras2/*/concatenate" = "fixed"\n'
    )
    command = f"{sys.executable} {FAKE} liar {FIXTURE_CORPUS}"
    done = pytest_run(tmp_path, "--kerasspec-command", command, "--kerasspec-known-failures", "known.toml")
    assert done.returncode == 1
    assert "XFAIL kerasspec::keras3/keras-3.15.1/dense-chain - renames models" in done.stdout
    assert "FAILED kerasspec::keras2/tf_keras-2.21.0/concatenate" in done.stdout  # XPASS(strict)
    assert "at       $.model.layers[2].calls[0].kwargs.value" in done.stdout
    assert "FAILED kerasspec::invalid/keras2/dangling-reference" in done.stdout
    # each failure names its model file and the pytest command that reruns it alone
    assert f"input    {FIXTURE_CORPUS}/keras2/tf_keras-2.21.0/mha-positional/model.json" in done.stdout
    rerun = next(line for line in done.stdout.splitlines() if "pytest --kerasspec-case keras2/" in line)
    argv = shlex.split(rerun.removeprefix("rerun    "))
    assert argv[0] == "pytest"  # run with this interpreter's pytest, in the same folder
    argv[:1] = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-q", "--rootdir", str(tmp_path)]
    again = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "1 failed" in again.stdout and "FAILED kerasspec::keras2/tf_keras-2.21.0/mha-positional" in again.stdout


def test_a_known_failure_naming_a_container_is_an_xfail_there_only(tmp_path):
    (tmp_path / "known.toml").write_text('"keras3/keras-3.15.1/dense-chain [h5]" = "no .h5 yet"\n')
    command = f"{sys.executable} {HERE / 'fakes' / 'json_reader.py'} json"
    done = pytest_run(
        tmp_path,
        "--kerasspec-command",
        command,
        "--kerasspec-known-failures",
        "known.toml",
        "--kerasspec-kind",
        "valid",
    )
    assert "XFAIL kerasspec::keras3/keras-3.15.1/dense-chain[h5] - no .h5 yet" in done.stdout
    assert "PASSED kerasspec::keras3/keras-3.15.1/dense-chain\n" in done.stdout
    assert "FAILED kerasspec::keras3/keras-3.15.1/mha-positional[h5]" in done.stdout


def test_unsupported_formats_are_skipped_with_the_reason(tmp_path):
    command = f"{sys.executable} {FAKE} keras3-only {FIXTURE_CORPUS}"
    done = pytest_run(tmp_path, "--kerasspec-command", command, "--kerasspec-format", "keras2")
    assert done.returncode == 0, done.stdout
    assert "SKIPPED [5] " in done.stdout
    assert "unsupported: the parser reads keras3, not keras2" in done.stdout


def test_a_python_function(tmp_path):
    done = pytest_run(tmp_path, "--kerasspec-function", "kerasspec:parse", "--kerasspec-kind", "invalid")
    assert done.returncode == 0, done.stdout
    assert "3 passed" in done.stdout


def test_the_plugin_stays_out_of_the_way_without_options(tmp_path):
    (tmp_path / "test_x.py").write_text("def test_x():\n    pass\n")
    done = pytest_run(tmp_path)
    assert done.returncode == 0
    assert "1 passed" in done.stdout


class _Options:
    def __init__(self, **options):
        self.options = options

    def getoption(self, name):
        return self.options.get(name)


def test_cases_run_out_of_the_planned_order_still_get_their_own_answers(fixture_corpus):
    from kerasspec.pytest_plugin import _Session

    command = f"{sys.executable} {FAKE} liar {FIXTURE_CORPUS}"
    session = _Session(_Options(kerasspec_command=command, kerasspec_timeout=5.0, kerasspec_start_timeout=30.0))
    session.planned = list(fixture_corpus.cases)
    try:
        backwards = {case.id: session.answer(case, case.read_input()) for case in reversed(fixture_corpus.cases)}
        again = session.answer(fixture_corpus.cases[0], fixture_corpus.cases[0].read_input())  # not planned twice
    finally:
        session.close()
    assert backwards["keras3/keras-3.15.1/shared-layer"].error["message"] == "I do not like shared layers"
    assert backwards["invalid/keras3/cycle"].error["code"] == "bad-node"
    assert backwards["keras3/keras-3.15.1/dense-chain"].document["model"]["name"] == "not-the-name"
    assert backwards["keras2/tf_keras-2.21.0/concatenate"].kind == "document"
    assert again.document["model"]["name"] == "not-the-name"


BROKEN_PARSER = '''
import kerasspec


def first_node_only(text):
    """Reads only each layer's first call, the way some readers in the wild do."""
    document = kerasspec.parse(text).to_json()
    pending = [document["model"]]
    while pending:
        model = pending.pop()
        for layer in model["layers"]:
            layer["calls"] = layer["calls"][:1]
            if "model" in layer:
                pending.append(layer["model"])
    return document
'''


def test_fuzz_is_one_more_test_that_fails_with_the_minimal_case(tmp_path):
    (tmp_path / "broken.py").write_text(BROKEN_PARSER)
    options = ("--kerasspec-kind", "invalid", "--kerasspec-fuzz", "200", "--kerasspec-found", str(tmp_path / "found"))
    done = pytest_run(tmp_path, "--kerasspec-function", "broken:first_node_only", *options)
    assert done.returncode == 1, done.stdout
    assert "FAILED kerasspec::fuzz" in done.stdout
    assert "the fuzzer found 1 minimal failing case(s)" in done.stdout
    assert list((tmp_path / "found").rglob("model.json"))
    passing = pytest_run(
        tmp_path, "--kerasspec-function", "kerasspec:parse", "--kerasspec-kind", "invalid", "--kerasspec-fuzz", "30"
    )
    assert passing.returncode == 0 and "4 passed" in passing.stdout, passing.stdout


READER = HERE / "fakes" / "container_reader.py"  # checks the layout of every file it is handed
EXAMPLE_SCANNER = HERE.parents[1] / "adapters" / "examples" / "scanner" / "adapter.py"
NESTED = "keras3/keras-3.15.1/lambda-in-nested-functional"  # one Lambda inside a nested model


def test_a_reader_of_files_is_handed_each_container_as_a_test(tmp_path):
    done = pytest_run(tmp_path, "--kerasspec-command", f"{sys.executable} {READER} {FIXTURE_CORPUS} keras-archive h5")
    assert done.returncode == 0, done.stdout
    assert "PASSED kerasspec::keras3/keras-3.15.1/dense-chain[h5]" in done.stdout
    assert "PASSED kerasspec::keras3/keras-3.15.1/dense-chain[keras-archive]" in done.stdout
    assert "20 passed" in done.stdout  # 9 models in two containers, and a case of each container's own


def test_a_per_case_command_is_handed_the_containers_asked(tmp_path):
    command = f"{sys.executable} {READER} {FIXTURE_CORPUS} --per-case {{}}"
    done = pytest_run(tmp_path, "--kerasspec-command", command, "--kerasspec-per-case", "--kerasspec-container", "h5")
    assert done.returncode == 0, done.stdout
    assert "PASSED kerasspec::keras3/keras-3.15.1/dense-chain[h5]" in done.stdout
    assert "10 passed, 1 skipped" in done.stdout  # the case of a .keras archive is not handed: unsupported


@pytest.mark.parametrize(
    ("command", "per_case"),
    [
        (f"{sys.executable} {EXAMPLE_SCANNER} top-level", ()),
        (
            f"{sys.executable} {EXAMPLE_SCANNER} top-level {{}}",
            (
                "--kerasspec-per-case",
                "--kerasspec-scanner",
                "--kerasspec-container",
                "to_json",
                "--kerasspec-container",
                "keras-archive",
                "--kerasspec-container",
                "h5",
            ),
        ),
    ],
    ids=["protocol", "per-case"],
)
def test_a_scanner_is_judged_on_the_code_it_finds(tmp_path, command, per_case):
    done = pytest_run(
        tmp_path, "--kerasspec-command", command, *per_case, "--kerasspec-case", f"{NESTED}*", corpus=None
    )
    assert done.returncode == 1, done.stdout
    failed = {line.split()[1] for line in done.stdout.splitlines() if line.startswith("FAILED ")}
    # Each container has a case of its own here.
    assert failed == {f"kerasspec::{NESTED}", f"kerasspec::{NESTED}/h5", f"kerasspec::{NESTED}/keras-archive"}
    assert "missed 1 of 1: $.config.layers[1].config.layers[2].config.function (bytecode in inner > inner_code)" in (
        done.stdout
    )
    assert "3 failed, 3 passed" in done.stdout  # the controls, without code, pass

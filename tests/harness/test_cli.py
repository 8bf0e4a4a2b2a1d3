"""`kerasspec check`: entry points, selection, reports and the exit-code contract (0, 1, 2, 65)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from harness_fixtures import FAKE, FIXTURE_CORPUS, fake_command

import kerasspec
from kerasspec.cli import main


def check(*args: str, tmp_path) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["check", "--corpus", str(FIXTURE_CORPUS), "--no-progress", "--results", str(tmp_path / "r.jsonl"), *args],
    )
    return result.exit_code, result.stdout, result.stderr


def test_reference_adapter_passes_the_fixture_corpus(tmp_path):
    code, out, _ = check("--adapter", "reference", tmp_path=tmp_path)
    assert code == 0, out
    assert f"kerasspec {kerasspec.__version__} (python): 11/11 cases" in out
    assert out.rstrip().endswith("PASSED")


def test_command_after_double_dash_and_failures_exit_1(tmp_path):
    code, out, _ = check("--strict-errors", "--", *fake_command("liar"), tmp_path=tmp_path)
    assert code == 1
    assert "fail 2, rejected-valid 1, accepted-invalid 1, wrong-error 1" in out
    assert out.rstrip().endswith("FAILED")


def test_per_case_mode_from_the_command_line(tmp_path):
    code, out, _ = check(
        "--per-case", "--", sys.executable, str(FAKE), "correct", str(FIXTURE_CORPUS), "{}", tmp_path=tmp_path
    )
    assert code == 0, out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give either --adapter NAME or -- COMMAND ARGS... (not both)"),
        (("--adapter", "reference", "--", "x"), "give either --adapter NAME or -- COMMAND ARGS... (not both)"),
        (("--per-case", "--adapter", "reference"), "--per-case needs -- COMMAND ARGS..."),
        (("--adapter", "reference", "--case", "nothing/*"), "no case of the corpus (11 cases) matches the selection"),
        (
            ("--adapter", "nonsense"),
            "Invalid value for '--adapter': 'nonsense' is not one of 'reference', 'reference-scanner'",
        ),
    ],
)
def test_usage_errors_exit_2(args, message, tmp_path):
    code, _, err = check(*args, tmp_path=tmp_path)
    assert code == 2
    assert message in err


def test_bad_corpus_exits_65(tmp_path):
    (tmp_path / "manifest.json").write_text('{"cases": [{"id": "x", "kind": "maybe"}]}')
    result = CliRunner().invoke(main, ["check", "--corpus", str(tmp_path), "--adapter", "reference"])
    assert result.exit_code == 65
    assert result.stderr == "error[bad-corpus]: kind must be valid | invalid | lossy at $.cases[0].kind\n"


def test_damaged_corpus_file_exits_65_before_the_parser_starts(tmp_path):
    import shutil

    copy = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, copy)
    (copy / "keras3/keras-3.15.1/dense-chain/model.json").write_text("{}")
    result = CliRunner().invoke(main, ["check", "--corpus", str(copy), "--", "/nonexistent/parser"])
    assert result.exit_code == 65
    assert result.stderr == (
        "error[bad-corpus]: case keras3/keras-3.15.1/dense-chain: keras3/keras-3.15.1/dense-chain/model.json "
        "does not match its sha256 in the manifest at keras3/keras-3.15.1/dense-chain "
        "(regenerate the corpus or restore the file)\n"
    )


def test_bad_known_failures_file_exits_65(tmp_path):
    known = tmp_path / "known.toml"
    known.write_text('"keras3/*" = 3\n')
    code, _, err = check("--adapter", "reference", "--known-failures", str(known), tmp_path=tmp_path)
    assert code == 65
    assert err.startswith("error[bad-known-failures]: the reason for 'keras3/*' must be a non-empty string")


# Every command prints a data file it cannot trust in one form: one line, its file name escaped (a name
# may hold a newline that would forge a second line, or a terminal escape).
HOSTILE_NAME = "evil\n\x1b[2Jname"
NOT_RESULTS = "does not start with a run line; is it a kerasspec results file?"


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (["check", "--from-results", "{results}"], "error[bad-results]: {results} " + NOT_RESULTS),
        (
            ["check", "--corpus", str(FIXTURE_CORPUS), "--rerun-failures", "{results}", "--adapter", "reference"],
            "error[bad-results]: {results} " + NOT_RESULTS,
        ),
        (
            ["show", "keras3/keras-3.15.1/dense-chain", "--results", "{results}"],
            "error[bad-results]: {results} " + NOT_RESULTS,
        ),
        (["site", "{results}", "--out", "{out}"], "error[bad-results]: {results} " + NOT_RESULTS),
        (
            ["check", "--corpus", str(FIXTURE_CORPUS), "--known-failures", "{known}", "--adapter", "reference"],
            "error[bad-known-failures]: the reason for 'keras3/*' must be a non-empty string at {known}: keras3/* "
            '(expected a flat table: "case id or glob" = "reason")',
        ),
        (
            ["check", "--corpus", "{corpus}", "--adapter", "reference"],
            "error[bad-corpus]: no manifest.json in {corpus} at {corpus}/manifest.json (generate the corpus first)",
        ),
    ],
    ids=["from-results", "rerun-failures", "show", "site", "known-failures", "corpus"],
)
def test_a_bad_data_file_is_one_escaped_line_everywhere(tmp_path, command, line):
    folder = tmp_path / HOSTILE_NAME
    folder.mkdir()
    files = {"results": folder / "r.jsonl", "known": folder / "k.toml", "corpus": folder, "out": tmp_path / "site"}
    files["results"].write_text('{"type": "case"}\n')
    files["known"].write_text('"keras3/*" = 3\n')
    result = CliRunner().invoke(main, [part.format(**files) for part in command])
    escaped = {key: str(value).replace("\n", "\\n").replace("\x1b", "\\x1b") for key, value in files.items()}
    assert (result.exit_code, result.stderr) == (65, line.format(**escaped) + "\n")


def test_known_failures_do_not_fail_the_run_but_passing_ones_do(tmp_path):
    known = tmp_path / "known.toml"
    known.write_text(
        '"keras3/*/dense-chain" = "we rename models"\n'
        '"keras2/*/mha-positional" = "kwargs tensors unsupported"\n'
        '"keras3/*/shared-layer" = "shared layers unsupported"\n'
        '"invalid/keras2/*" = "no reference checks"\n'
        '"invalid/keras3/cycle" = "no cycle detection"\n'
    )
    code, out, _ = check(
        "--strict-errors", "--known-failures", str(known), "--", *fake_command("liar"), tmp_path=tmp_path
    )
    assert code == 0, out
    known.write_text(known.read_text() + '"keras2/*/concatenate" = "fixed last week"\n"old/*" = "stale"\n')
    code, out, _ = check(
        "--strict-errors", "--known-failures", str(known), "--", *fake_command("liar"), tmp_path=tmp_path
    )
    assert code == 1
    assert (
        "1 known failure(s) now pass; remove them from the known-failures file (or rerun with "
        "--write-known-failures): keras2/tf_keras-2.21.0/concatenate" in " ".join(out.split())
    )
    assert "known-failures entries matching no selected case: old/*" in out


def test_known_failures_as_json(tmp_path):
    known = tmp_path / "known.json"
    known.write_text(json.dumps({"keras3/*": "only keras2 for now"}))
    code, out, _ = check("--known-failures", str(known), "--", *fake_command("keras3-only"), tmp_path=tmp_path)
    assert code == 1  # the keras3 cases pass, so listing them is wrong
    assert "4 known failure(s) now pass" in out


@pytest.mark.parametrize(
    ("selection", "count"),
    [
        (("--format", "keras2"), 5),
        (("--kind", "invalid"), 3),
        (("--release", "keras-3.*"), 4),
        (("--release", "hand-made"), 3),
        (("--feature", "mha", "--feature", "list-call"), 3),
        (("--case", "*/dense-chain", "--format", "keras3"), 1),
    ],
)
def test_selection(selection, count, tmp_path):
    code, out, _ = check("--list", *selection, tmp_path=tmp_path)
    assert code == 0
    assert len(out.splitlines()) == count


def test_all_reports_are_written(tmp_path):
    args = []
    for kind, name in (("json", "r.json"), ("junit", "r.xml"), ("markdown", "r.md"), ("html", "r.html")):
        args += ["--report", kind, str(tmp_path / name)]
    code, _, err = check(*args, "--", *fake_command("crash-first"), tmp_path=tmp_path)
    assert code == 1
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["counts"]["crash"] == 1
    assert report["parser"]["implementation"]["name"] == "fake-crash-first"
    assert 'type="crash"' in (tmp_path / "r.xml").read_text()
    assert "#### `keras3/keras-3.15.1/dense-chain`: crash" in (tmp_path / "r.md").read_text()
    assert "RuntimeError: crash on the first case" in (tmp_path / "r.html").read_text()
    assert f"html report: {tmp_path / 'r.html'}" in err


def test_interrupted_run_keeps_its_results_and_fails(tmp_path):
    results = tmp_path / "results.jsonl"
    command = [sys.executable, "-m", "kerasspec.cli", "check", "--corpus", str(FIXTURE_CORPUS), "--no-progress"]
    command += ["--results", str(results), "--timeout", "600", "--", *fake_command("hang")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The fake answers the first case (dense-chain) and hangs on the second (mha-positional): once the
    # first result is written the run is stuck there, so the interrupt lands mid-run however loaded the
    # machine is (a sleep-based window was missed under load, and the run finished first).
    deadline = time.monotonic() + 300
    while not (results.exists() and results.read_text().count("\n") >= 2):
        assert time.monotonic() < deadline and process.poll() is None, "the run never wrote its first result"
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=20)
    assert process.returncode == 1
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    assert lines[0]["type"] == "run"
    assert lines[-1]["type"] == "summary"
    assert lines[-1]["interrupted"] is True
    assert lines[-1]["executed"] == len(lines) - 2 == 1
    assert "only 1 of 11 selected cases were executed" in out


def test_fuzz_after_the_corpus(tmp_path):
    # Whether the reference parser survives the generated models is the fuzzer's and the parser's
    # business (tests/properties); here: the generated cases run after the corpus and decide the exit.
    code, out, _ = check("--adapter", "reference", "--kind", "invalid", "--fuzz", "5", tmp_path=tmp_path)
    found = re.search(r"^fuzz: (\d+) generated cases, (\d+) minimal failure\(s\)$", out, re.MULTILINE)
    assert found, out
    assert int(found[1]) >= 10  # 5 valid and 5 broken models at least (more while shrinking a failure)
    assert code == (0 if found[2] == "0" else 1)


@pytest.mark.slow  # Hypothesis shrinks the failure: about 10 s
@pytest.mark.external  # Node
def test_fuzz_failures_fail_the_run_and_are_written_as_cases(tmp_path):
    node = ["node", "adapters/examples/node/adapter.js"]  # reads nested-model node numbers naively
    found = tmp_path / "found"
    code, out, _ = check("--kind", "invalid", "--fuzz", "10", "--found", str(found), "--", *node, tmp_path=tmp_path)
    assert code == 1
    assert "minimal failure(s)" in out
    assert list(found.rglob("model.json"))


def test_fuzz_is_refused_in_per_case_mode(tmp_path):
    code, _, err = check("--per-case", "--fuzz", "5", "--", "true", tmp_path=tmp_path)
    assert code == 2
    assert "--fuzz needs a protocol parser" in err


def test_reports_from_the_results_file_of_a_killed_run(tmp_path):
    results = tmp_path / "r.jsonl"
    code, _, _ = check("--", *fake_command("crash-first"), tmp_path=tmp_path)
    assert code == 1
    lines = results.read_text().splitlines()
    killed = tmp_path / "killed.jsonl"
    killed.write_text("\n".join(lines[:5]) + "\n" + lines[5][:40])  # no summary, a torn last line
    replay = CliRunner().invoke(
        main, ["check", "--from-results", str(killed), "--report", "json", str(tmp_path / "r.json")]
    )
    assert replay.exit_code == 1
    assert "only 4 of 11 selected cases were executed" in replay.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["executed"] == 4
    assert report["summary"]["interrupted"] is True
    assert report["results"][0]["outcome"] == "crash"
    # The run line names it: the parser starts before that line is written, to tell what it reads.
    assert report["parser"]["implementation"]["name"] == "fake-crash-first"
    full = CliRunner().invoke(
        main, ["check", "--from-results", str(results), "--report", "json", str(tmp_path / "f.json")]
    )
    assert full.exit_code == 1
    assert json.loads((tmp_path / "f.json").read_text())["parser"]["implementation"]["name"] == "fake-crash-first"


def test_a_file_that_is_not_a_results_file_exits_65(tmp_path):
    bogus = tmp_path / "bogus.jsonl"
    bogus.write_text('{"type": "case"}\n')
    replay = CliRunner().invoke(main, ["check", "--from-results", str(bogus)])
    assert replay.exit_code == 65
    assert (
        replay.stderr
        == f"error[bad-results]: {bogus} does not start with a run line; is it a kerasspec results file?\n"
    )


def test_an_unwritable_results_file_is_a_usage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, err = check("--adapter", "reference", "--results", str(blocker / "r.jsonl"), tmp_path=tmp_path)
    assert code == 2
    assert f"cannot write the results file {blocker / 'r.jsonl'}: " in err

"""The harness survives any reply (issue 15): hostile fake parsers (fakes/parser.py) and functions.

A parser's text is data: never rich markup, escaped for the terminal, Markdown, HTML and JUnit;
deep, huge or undecodable replies are ``protocol-error``; the harness's own work is not charged to
the parser's timeout; every report is written; SIGTERM stops a run as Ctrl-C does.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
from harness_fixtures import FIXTURE_CORPUS, fake_command

import kerasspec
from kerasspec.harness import Outcome, ProtocolParser, run
from kerasspec.harness._protocol import MAX_REPLY_DEPTH, MAX_REPLY_VALUES

K3_DENSE = "keras3/keras-3.15.1/dense-chain"
CONTROL = ("\x1b", "\x07", "\ud800")


def check_cli(*args: str, tmp_path: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kerasspec.cli", "check", "--corpus", str(FIXTURE_CORPUS), "--no-progress"]
    return subprocess.run(
        [*command, "--results", str(tmp_path / "results.jsonl"), *args],
        capture_output=True,
        text=True,
        errors="surrogateescape",
        timeout=timeout,
        check=False,
    )


def reports(tmp_path: Path) -> list[str]:
    return [arg for kind in ("json", "junit", "markdown", "html") for arg in ("--report", kind, str(tmp_path / kind))]


def test_deep_reply_is_a_protocol_error(fixture_corpus):
    done = run(ProtocolParser(fake_command("deep"), timeout=5), fixture_corpus.cases[:2])
    assert [result.outcome for result in done.results] == [Outcome.PROTOCOL_ERROR] * 2
    assert done.results[0].detail == f"reply nests deeper than {MAX_REPLY_DEPTH} levels"


def test_reply_of_too_many_values_is_a_protocol_error(fixture_corpus):
    done = run(ProtocolParser(fake_command("many-values"), timeout=10), fixture_corpus.cases[:1])
    assert done.results[0].outcome is Outcome.PROTOCOL_ERROR
    assert done.results[0].detail == f"reply holds more than {MAX_REPLY_VALUES} JSON values"


def test_parser_exiting_while_its_child_holds_stdout_is_a_crash(fixture_corpus):
    done = run(ProtocolParser(fake_command("child-holds-stdout"), timeout=20), fixture_corpus.cases[:2])
    assert [result.outcome for result in done.results] == [Outcome.CRASH] * 2
    assert done.results[0].detail == "exit status 0; its stdout was still held open by a process it started"
    assert all(result.seconds < 10 for result in done.results)  # not the 20 s timeout


def test_harness_work_between_cases_is_not_charged_to_the_parser(fixture_corpus):
    def slow_harness(result):
        time.sleep(1.0)  # judging, writing results: the harness's time, not the parser's

    parser = ProtocolParser(fake_command("correct"), timeout=0.5)
    done = run(parser, fixture_corpus.cases[:4], on_result=slow_harness)
    assert [result.outcome for result in done.results] == [Outcome.PASS] * 4
    assert done.parser["starts"] == 1


def test_hostile_text_is_escaped_in_every_output(tmp_path):
    done = check_cli("--strict-errors", *reports(tmp_path), "--", *fake_command("hostile-text"), tmp_path=tmp_path)
    assert done.returncode == 1, done.stderr  # failures, not a harness crash
    assert "Traceback" not in done.stderr
    terminal = done.stdout + done.stderr
    assert not any(char in terminal for char in CONTROL), terminal[-3000:]
    assert "[/nope] [bold red]x \\x1b]0;pwned\\x07\\x1b[2J" in done.stdout  # shown as text, not markup
    assert done.stdout.rstrip().endswith("FAILED")

    report = json.loads((tmp_path / "json").read_text())
    assert report["summary"]["counts"]["rejected-valid"] == 8
    ElementTree.parse(tmp_path / "junit")  # well-formed
    page = (tmp_path / "html").read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not any(char in page for char in CONTROL)
    markdown = (tmp_path / "markdown").read_text()
    assert not any(char in markdown for char in CONTROL)
    # The parser's ``` cannot close the block it is shown in: the fence is longer.
    assert "\n````\n" in markdown
    assert "\n```\n" not in markdown


@pytest.mark.parametrize(
    ("path", "reason"),
    [("{tmp}", "Is a directory"), ("/proc/kerasspec/report.html", "No such file or directory")],
    ids=["directory", "unwritable"],
)
def test_unwritable_report_path_is_refused_before_the_run(path, reason, tmp_path):
    target = path.format(tmp=tmp_path)
    done = check_cli("--report", "html", target, "--", *fake_command("correct"), tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"error: cannot write the html report {target}: {reason}"]
    assert not (tmp_path / "results.jsonl").exists()


def test_report_that_fails_to_write_loses_only_itself(tmp_path):
    args = ["--report", "json", "/dev/full", "--report", "html", str(tmp_path / "page.html")]
    done = check_cli(*args, "--", *fake_command("correct"), tmp_path=tmp_path)
    assert done.returncode == 74
    assert "error: cannot write the json report /dev/full: No space left on device" in done.stderr.splitlines()
    assert "Traceback" not in done.stderr
    assert (tmp_path / "page.html").read_text().startswith("<!DOCTYPE html>")


def test_sigterm_stops_the_run_like_ctrl_c(tmp_path):
    results = tmp_path / "results.jsonl"
    command = [sys.executable, "-m", "kerasspec.cli", "check", "--corpus", str(FIXTURE_CORPUS), "--no-progress"]
    command += ["--results", str(results), "--timeout", "60", *reports(tmp_path), "--", *fake_command("hang")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the second case (mha) hangs: terminate during it
        if results.exists() and results.read_text().count("\n") >= 2:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 1, err
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    assert lines[-1]["type"] == "summary"
    assert lines[-1]["interrupted"] is True
    assert "only 1 of 11 selected cases were executed" in out
    assert json.loads((tmp_path / "json").read_text())["summary"]["interrupted"] is True
    # The hanging parser went with the run (its process group was killed).
    hanging = subprocess.run(["pgrep", "-f", f"{FIXTURE_CORPUS}"], capture_output=True, text=True, check=False)
    assert not [pid for pid in hanging.stdout.split() if _is_fake_hang(int(pid))]


def _is_fake_hang(pid: int) -> bool:
    try:
        return b"\x00hang\x00" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def test_custom_corpus_cannot_point_outside_its_folder(tmp_path):
    outside = tmp_path / "secret.json"
    outside.write_text("{}")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    case = {"id": "invalid/keras3/escape", "kind": "invalid", "format": "keras3", "error": "not-json"}
    (corpus / "manifest.json").write_text(json.dumps({"version": "0", "cases": [{**case, "input": "../secret.json"}]}))
    done = subprocess.run(
        [sys.executable, "-m", "kerasspec.cli", "check", "--corpus", str(corpus), "--adapter", "reference"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 65
    assert done.stderr.splitlines() == [
        "error[bad-corpus]: '../secret.json' is outside the corpus folder at $.cases[0].input "
        "(a case's files are paths relative to the folder of manifest.json, inside it)"
    ]


# --- kerasspec.check(function) -------------------------------------------------------------------


def test_function_calling_sys_exit_is_a_crash_not_a_timeout():
    def exits(text: str) -> None:
        sys.exit("I quit")

    done = kerasspec.check(exits, corpus=FIXTURE_CORPUS, timeout=5)
    assert {result.outcome for result in done.results} == {Outcome.CRASH}
    assert done.results[0].detail.endswith("SystemExit: I quit")


@pytest.mark.parametrize("depth", [MAX_REPLY_DEPTH + 1, 100_000])
def test_function_returning_a_deep_document_is_a_protocol_error(depth):
    def deep(text: str) -> list:
        value: list = []
        for _ in range(depth):
            value = [value]
        return value

    done = kerasspec.check(deep, corpus=FIXTURE_CORPUS, timeout=5)
    assert {result.outcome for result in done.results} == {Outcome.PROTOCOL_ERROR}
    assert done.results[0].detail == f"document nests deeper than {MAX_REPLY_DEPTH} levels"


def test_function_raising_recursion_error_is_a_crash():
    def recurse(text: str) -> None:
        recurse(text)

    done = kerasspec.check(recurse, corpus=FIXTURE_CORPUS, timeout=10)
    assert {result.outcome for result in done.results} == {Outcome.CRASH}
    assert "RecursionError" in done.results[0].detail


def test_hostile_markup_in_a_function_name_and_error(tmp_path):
    from rich.console import Console

    from kerasspec.harness import _reports, _terminal

    class Hostile(Exception):
        code = "bad-node"
        message = "[/nope] \x1b]0;x\x07 ```\ud800"

    def hostile(text: str) -> None:
        raise Hostile

    name = {"name": "[/nope]\x1b[2J", "version": "", "language": ""}
    done = kerasspec.check(hostile, corpus=FIXTURE_CORPUS, implementation=name)
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=200, file=sink)
        _terminal.summary(console, done)
    text = console.export_text()
    assert "[/nope]\\x1b[2J" in text
    assert not any(char in text for char in CONTROL)
    for kind in ("markdown", "html", "junit", "json"):
        written = _reports.write(done, kind, tmp_path / kind).read_text()
        assert not any(char in written for char in CONTROL), kind

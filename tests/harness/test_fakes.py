"""Every fault a parser can commit, from the fake parsers: the run finishes, each case gets the
right outcome, and the reports are complete."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from harness_fixtures import FAKE, FIXTURE_CORPUS, fake_command

from kerasspec.harness import Outcome, PerCaseParser, ProtocolParser, _protocol, _reports, run
from kerasspec.harness._outcomes import SIDE_LIMIT

K3_DENSE = "keras3/keras-3.15.1/dense-chain"
K3_MHA = "keras3/keras-3.15.1/mha-positional"
K3_SHARED = "keras3/keras-3.15.1/shared-layer"
K2_DENSE = "keras2/tf_keras-2.21.0/dense-chain"
K2_MHA = "keras2/tf_keras-2.21.0/mha-positional"
K2_CONCAT = "keras2/tf_keras-2.21.0/concatenate"
K3_ARCHIVE = "keras3/keras-3.15.1-jax/nested-functional-twice/keras-archive"
K2_H5 = "keras2/tf_keras-2.21.0/mha-shared/h5"
DANGLING = "invalid/keras2/dangling-reference"
CYCLE = "invalid/keras3/cycle"
NOT_JSON = "invalid/keras3/not-json"
ALL = [K3_DENSE, K3_MHA, K3_SHARED, K2_DENSE, K2_MHA, K2_CONCAT, K3_ARCHIVE, K2_H5, DANGLING, CYCLE, NOT_JSON]


def every(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ALL, outcome)


# behaviour -> outcome of each case that does not pass (strict errors on, timeout 0.5 s)
EXPECTED: dict[str, dict[str, str]] = {
    "correct": {},
    "crash-first": {K3_DENSE: "crash"},
    "hang": {K3_MHA: "timeout", K2_MHA: "timeout", K2_H5: "timeout"},
    "slow": {K3_DENSE: "timeout", K2_DENSE: "timeout"},
    "garbage": every("protocol-error"),
    "wrong-seq": every("protocol-error"),
    "half-line": every("crash"),
    "stderr-flood": {},
    "exit-on-start": every("crash"),
    "silent-start": every("timeout"),
    "future-protocol": every("protocol-error"),
    "keras3-only": {
        K2_DENSE: "unsupported",
        K2_MHA: "unsupported",
        K2_CONCAT: "unsupported",
        K2_H5: "unsupported",
        DANGLING: "unsupported",
    },
    "deep": every("protocol-error"),
    "hostile-text": {
        **dict.fromkeys(
            [K3_DENSE, K3_MHA, K3_SHARED, K2_DENSE, K2_MHA, K2_CONCAT, K3_ARCHIVE, K2_H5], "rejected-valid"
        ),
        **dict.fromkeys([DANGLING, CYCLE, NOT_JSON], "wrong-error"),
    },
    "liar": {
        K3_DENSE: "fail",
        K2_MHA: "fail",
        K3_SHARED: "rejected-valid",
        DANGLING: "accepted-invalid",
        CYCLE: "wrong-error",
    },
}


def report_schema_validator() -> jsonschema.Draft202012Validator:
    schema = _protocol.registry().contents(f"{_protocol.SCHEMA_BASE}report.json")
    return jsonschema.Draft202012Validator(schema, registry=_protocol.registry())


def result_schema_validator() -> jsonschema.Draft202012Validator:
    schema = {"$ref": f"{_protocol.SCHEMA_BASE}report.json#/$defs/result"}
    return jsonschema.Draft202012Validator(schema, registry=_protocol.registry())


@pytest.mark.parametrize("behaviour", sorted(EXPECTED))
def test_fake_parser_outcomes_and_complete_reports(behaviour, fixture_corpus, tmp_path):
    results_file = tmp_path / "results.jsonl"
    # A short start timeout only where the fake never answers start; elsewhere leave slack for a loaded machine.
    start_timeout = 0.5 if behaviour == "silent-start" else 10
    parser = ProtocolParser(fake_command(behaviour), timeout=0.5, start_timeout=start_timeout)
    done = run(parser, fixture_corpus.cases, corpus=fixture_corpus, strict_errors=True, results_path=results_file)

    outcomes = {result.case: result.outcome.value for result in done.results}
    assert outcomes == {case: EXPECTED[behaviour].get(case, "pass") for case in ALL}
    assert done.executed == done.selected == len(ALL)
    assert done.passed is all(outcome in ("pass", "unsupported") for outcome in outcomes.values())
    for result in done.results:
        assert (result.detail == "") is (result.outcome is Outcome.PASS), result

    # The results file streamed every case between its header and summary.
    lines = [json.loads(line) for line in results_file.read_text().splitlines()]
    assert [line["type"] for line in lines] == ["run"] + ["case"] * len(ALL) + ["summary"]
    assert [line["case"] for line in lines[1:-1]] == ALL
    for line in lines[1:-1]:
        result_schema_validator().validate({key: value for key, value in line.items() if key != "type"})

    # Every report names every failing case.
    report = json.loads(_reports.as_json(done))
    report_schema_validator().validate(report)
    assert report["summary"]["counts"] == done.counts()
    suites = ElementTree.fromstring(_reports.junit(done))
    failed = {case.get("name") for case in suites.iter("testcase") if case.find("failure") is not None}
    assert failed == {case for case, outcome in outcomes.items() if outcome not in ("pass", "unsupported")}
    page = _reports.html(done)
    markdown = _reports.markdown(done)
    for case in failed:
        assert case in page
        assert case in markdown


def test_crash_records_exit_status_and_stderr_tail(fixture_corpus):
    done = run(ProtocolParser(fake_command("crash-first"), timeout=2), fixture_corpus.cases[:2])
    crash = done.results[0]
    assert crash.detail == (
        "exit status 3; stderr: Traceback (most recent call last):\nRuntimeError: crash on the first case"
    )
    assert done.parser["starts"] == 2  # restarted once, then kept for the second case


def test_crash_every_tenth_case_restarts_and_goes_on(fixture_corpus):
    cases = list(fixture_corpus.cases) * 3  # 33 requests: seq 10, 20 and 30 crash
    done = run(ProtocolParser(fake_command("crash-every-tenth"), timeout=2), cases)
    crashed = [index + 1 for index, result in enumerate(done.results) if result.outcome is Outcome.CRASH]
    assert crashed == [10, 20, 30]
    assert done.results[9].detail == "killed by signal SIGKILL; stderr: segfaulting on seq 10"
    assert done.executed == 33
    assert done.parser["starts"] == 4


def test_stderr_flood_is_drained_and_only_its_tail_kept(fixture_corpus):
    parser = ProtocolParser(fake_command("stderr-flood"), timeout=5, stderr_tail_bytes=4096)
    done = run(parser, fixture_corpus.cases[:3])
    assert [result.outcome for result in done.results] == [Outcome.PASS] * 3
    assert done.parser["starts"] == 1


def test_timeout_kills_the_parser_and_a_fresh_one_answers_the_next_case(fixture_corpus):
    # The slow fake would answer the first case late; that answer must not be taken for the second's.
    done = run(ProtocolParser(fake_command("slow"), timeout=0.5), fixture_corpus.cases[:2])
    assert [r.outcome.value for r in done.results] == ["timeout", "pass"]
    assert done.results[0].detail == "no reply within 0.5 s"
    assert done.parser["starts"] == 2


def test_huge_document_is_judged_or_refused_by_the_reply_bound(fixture_corpus):
    cases = fixture_corpus.cases[:1]
    judged = run(ProtocolParser(fake_command("huge"), timeout=10), cases).results[0]
    assert judged.outcome is Outcome.FAIL
    assert judged.difference["path"] == "$.padding"
    assert judged.difference["actual_length"] == (8 << 20) + 2  # kept as a bounded excerpt
    assert len(judged.difference["actual_excerpt"]) == SIDE_LIMIT + 3 and "expected" not in judged.difference
    refused = run(ProtocolParser(fake_command("huge"), timeout=10, max_reply_bytes=1 << 20), cases).results[0]
    assert refused.outcome is Outcome.PROTOCOL_ERROR
    assert refused.detail == "reply longer than 1048576 bytes"


def test_liar_differences_name_the_first_differing_path(fixture_corpus):
    done = run(ProtocolParser(fake_command("liar"), timeout=2), fixture_corpus.cases, strict_errors=True)
    by_case = {result.case: result for result in done.results}
    assert by_case[K3_DENSE].difference == {
        "path": "$.model.name",
        "expected": "chain",
        "actual": "not-the-name",
        "reason": "strings differ",
    }
    assert by_case[K2_MHA].difference["path"] == "$.model.layers[2].calls[0].kwargs.value"
    assert by_case[K2_MHA].difference["reason"] == "missing key"
    assert by_case[K3_SHARED].detail == "error[bad-node]: I do not like shared layers"
    assert by_case[DANGLING].detail == "expected error[dangling-reference], got a document"
    assert by_case[CYCLE].detail == "expected error[cycle], got error[bad-node]: not the code the corpus wants"


def test_wrong_error_code_passes_unless_strict(fixture_corpus):
    cycle = [fixture_corpus.case(CYCLE)]
    lenient = run(ProtocolParser(fake_command("liar"), timeout=2), cycle)
    assert lenient.results[0].outcome is Outcome.PASS


def test_version_mismatch_is_refused_with_both_versions_named(fixture_corpus):
    done = run(ProtocolParser(fake_command("future-protocol"), timeout=2), fixture_corpus.cases)
    message = "the parser speaks protocol version 2; this harness speaks version 1 (spec/protocol.md); refusing it"
    assert done.results[0].detail == message
    assert {result.detail for result in done.results[1:]} == {f"not run: {message}"}
    assert done.parser["starts"] == 1  # not retried
    assert message in done.problems()


def test_start_has_its_own_timeout(fixture_corpus):
    done = run(ProtocolParser(fake_command("silent-start"), timeout=5, start_timeout=0.2), fixture_corpus.cases[:1])
    assert done.results[0].detail == "during start: no reply within 0.2 s"
    assert done.seconds < 3


def test_a_parser_that_cannot_start_is_tried_three_times(fixture_corpus):
    done = run(ProtocolParser(fake_command("exit-on-start"), timeout=2), fixture_corpus.cases)
    assert done.parser["starts"] == 3
    assert done.results[3].detail.startswith("not run: the parser failed to start 3 times in a row")


def test_missing_program_is_a_crash_for_every_case(fixture_corpus):
    done = run(ProtocolParser(["/nonexistent/parser"], timeout=2), fixture_corpus.cases)
    assert {result.outcome for result in done.results} == {Outcome.CRASH}
    assert done.results[0].detail == "cannot start '/nonexistent/parser': No such file or directory"


def test_keras3_only_parser_is_never_sent_a_keras2_case(fixture_corpus):
    # The fake exits (crash) if it ever receives a format it did not declare.
    done = run(ProtocolParser(fake_command("keras3-only"), timeout=2), fixture_corpus.cases)
    assert done.passed
    assert done.counts()["unsupported"] == 5
    assert done.results[3].detail == "the parser reads keras3, not keras2"


PER_CASE_EXPECTED = {
    "correct": {},
    "hang": {K3_MHA: "timeout", K2_MHA: "timeout", K2_H5: "timeout"},
    "crash-first": {K3_DENSE: "crash", K2_DENSE: "crash"},
    "garbage": {K3_DENSE: "protocol-error", K2_DENSE: "protocol-error"},
    "deep": {K3_DENSE: "protocol-error", K2_DENSE: "protocol-error"},
    "liar": EXPECTED["liar"],
}


@pytest.mark.parametrize("behaviour", sorted(PER_CASE_EXPECTED))
def test_per_case_mode(behaviour, fixture_corpus):
    command = [sys.executable, str(FAKE), behaviour, str(FIXTURE_CORPUS), "{}"]
    done = run(PerCaseParser(command, timeout=1), fixture_corpus.cases, strict_errors=True)
    outcomes = {result.case: result.outcome.value for result in done.results}
    assert outcomes == {case: PER_CASE_EXPECTED[behaviour].get(case, "pass") for case in ALL}


def test_per_case_reads_the_error_line_and_exit_status(fixture_corpus):
    command = [sys.executable, str(FAKE), "crash-first", str(FIXTURE_CORPUS)]  # no {}: the path is appended
    done = run(PerCaseParser(command, timeout=2), [fixture_corpus.case(K3_DENSE), fixture_corpus.case(CYCLE)])
    assert done.results[0].detail == "killed by signal SIGSEGV"
    assert done.results[1].error == {"code": "cycle", "message": "rejected by the oracle", "path": "$"}


def test_fake_paths_exist():
    assert Path(FAKE).is_file()


@pytest.mark.parametrize("window", [1, 3, 16])
@pytest.mark.parametrize("behaviour", ["crash-every-tenth", "liar", "hang"])
def test_outcomes_do_not_depend_on_how_many_requests_are_in_flight(behaviour, window, fixture_corpus):
    cases = list(fixture_corpus.cases) * 2
    parser = ProtocolParser(fake_command(behaviour), timeout=0.5, window=window)
    outcomes = [result.outcome.value for result in run(parser, cases, strict_errors=True).results]
    expected = {**EXPECTED.get(behaviour, {})}
    if behaviour == "crash-every-tenth":
        assert [i + 1 for i, o in enumerate(outcomes) if o != "pass"] == [10, 20]
    else:
        assert outcomes == [expected.get(case.id, "pass") for case in cases]


def test_markdown_report_stays_within_a_pull_request_comment(fixture_corpus):
    done = run(ProtocolParser(fake_command("liar"), timeout=5), list(fixture_corpus.cases) * 60, strict_errors=True)
    assert len(done.failures) == 300
    markdown = _reports.markdown(done)
    assert len(markdown) < 65536  # GitHub's limit for a comment
    assert "and 270 more:" in markdown
    assert "- ... 170 more (see the json, junit or html report)" in markdown


def test_control_characters_from_a_parser_do_not_break_the_junit_report(fixture_corpus):
    done = run(ProtocolParser(fake_command("crash-in-colour"), timeout=5), fixture_corpus.cases[:1])
    assert done.results[0].detail == "exit status 134; stderr: \x1b[31merror\x1b[0m in \x00 native code"
    failure = ElementTree.fromstring(_reports.junit(done)).find(".//failure")
    assert failure is not None
    assert failure.get("message") == "exit status 134; stderr: \ufffd[31merror\ufffd[0m in \ufffd native code"

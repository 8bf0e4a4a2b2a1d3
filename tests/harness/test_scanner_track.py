"""The scanner track (spec/protocol.md#tracks) through the harness, on the corpus's code at every depth.

The example scanner of adapters/examples/scanner/ runs in both its modes: ``deep`` must pass every
file; ``top-level`` (which reads only the top-level layers, as modelscan 0.8.8 does) must be caught
with ``missed`` naming every nested site, in every container. Fake scanners (fakes/scanner.py)
misbehave one way each: each is a recorded outcome, never a harness crash.
"""

from __future__ import annotations

import html
import json
import sys
from functools import cache
from pathlib import Path

import pytest
from harness_fixtures import HERE

from kerasspec import corpus as _corpus
from kerasspec.code import code_sites
from kerasspec.harness import ProtocolParser, Run, run
from kerasspec.vocabulary import CONTAINERS

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "adapters" / "examples" / "scanner" / "adapter.py"
FAKE_SCANNER = HERE / "fakes" / "scanner.py"
RELEASES = ("keras-3.15.1", "tf_keras-2.21.0")
NESTED = _corpus.Selection(features=("lambda-nested",), releases=RELEASES)


@cache
def corpus() -> _corpus.Corpus:
    return _corpus.load()


def nested_cases() -> list[_corpus.Case]:
    return corpus().select(NESTED)


@cache
def scanned(mode: str) -> Run:
    """The example scanner in ``mode`` over the nested-code cases of two releases, every container."""
    parser = ProtocolParser([sys.executable, str(EXAMPLE), mode], timeout=30)
    return run(parser, nested_cases(), corpus=corpus())


def result_of(done: Run, case_id: str):
    (found,) = [r for r in done.results if r.case == case_id]
    return found


def sites_of(case: _corpus.Case) -> list[dict]:
    return [site.as_json() for site in code_sites(case.read_model())]


def test_every_case_is_handed_once_in_its_container_and_recorded_as_a_scanner():
    done = scanned("deep")
    assert done.executed == done.selected == len(nested_cases())  # each keras3/tf_keras model has its own variants
    assert {(r.case, r.container) for r in done.results} == {(c.id, c.container) for c in nested_cases()}
    assert done.parser["track"] == "scanner"
    assert done.parser["containers"] == list(CONTAINERS)
    assert set(done.by_container()) == set(CONTAINERS)


@pytest.mark.parametrize("case", nested_cases(), ids=lambda case: case.id)
def test_a_correct_scanner_passes(case):
    result = result_of(scanned("deep"), case.id)
    assert (result.outcome.value, result.missed, result.false_alarms) == ("pass", [], [])
    assert result.sites == sites_of(case)


@pytest.mark.parametrize("case", nested_cases(), ids=lambda case: case.id)
def test_a_scanner_of_top_level_layers_is_caught_naming_every_nested_site(case):
    result = result_of(scanned("top-level"), case.id)
    nested = [site for site in sites_of(case) if len(site["layers"]) > 1]
    assert result.outcome.value == ("missed" if nested else "pass")
    assert result.missed is not None
    assert [site for site in nested if site not in result.missed] == []
    for site in nested:
        assert site["path"] in result.detail or len(result.missed) > 3  # the detail names the first three


def test_the_summary_counts_sites_found_and_missed():
    done = scanned("top-level")
    counts = done.summary()["scanner"]
    total = sum(len(sites_of(case)) for case in nested_cases())
    assert counts["sites"] == total > 0
    assert counts["missed"] == sum(len(r.missed or ()) for r in done.results) > 0
    assert counts["found"] == total - counts["missed"]
    assert done.exit_code == 1


# --- misbehaving scanners, on a few files -------------------------------------------------------

FEW = _corpus.Selection(
    ids=(
        "keras3/keras-3.15.1/lambda-in-nested-functional",
        "keras3/keras-3.15.1/lambda-in-nested-functional/*",
        "keras2/tf_keras-2.21.0/lambda-in-timedistributed-control",
        "keras2/tf_keras-2.21.0/lambda-in-timedistributed-control/*",
    )
)


def fake(behaviour: str) -> Run:
    cases = corpus().select(FEW)
    assert len(cases) == 6
    return run(ProtocolParser([sys.executable, str(FAKE_SCANNER), behaviour], timeout=30), cases, corpus=corpus())


def outcomes(done: Run) -> dict[str, str]:
    return {r.label: r.outcome.value for r in done.results}


CODE = "keras3/keras-3.15.1/lambda-in-nested-functional"
CONTROL = "keras2/tf_keras-2.21.0/lambda-in-timedistributed-control"


@pytest.mark.parametrize(
    ("behaviour", "with_code", "without_code"),
    [
        ("correct", "pass", "pass"),
        ("layer-names", "pass", "pass"),
        ("alarm", "false-alarm", "false-alarm"),
        ("reject", "missed", "pass"),
        ("document", "protocol-error", "protocol-error"),
        ("malformed", "protocol-error", "protocol-error"),
    ],
)
def test_each_answer_of_a_scanner_is_judged(behaviour, with_code, without_code):
    done = fake(behaviour)
    assert done.executed == done.selected == 6
    found = outcomes(done)
    assert {found[c] for c in found if c.startswith(CODE)} == {with_code}
    assert {found[c] for c in found if c.startswith(CONTROL)} == {without_code}


def test_a_scanner_that_dies_on_one_container_is_recorded_and_restarted():
    done = fake("crash-on-h5")
    assert {r.container: r.outcome.value for r in done.results if r.case.startswith(CODE)} == {
        "to_json": "pass",
        "keras-archive": "pass",
        "h5": "crash",
    }
    assert done.parser["starts"] >= 3


def test_a_false_alarm_names_the_finding():
    result = next(r for r in fake("alarm").results if r.case == CONTROL)
    assert result.false_alarms == [{"path": "$.config.layers[0]", "message": "suspicious"}]
    assert "$.config.layers[0]" in result.detail


def test_flags_on_tensorflow_op_layers_are_policy_not_false_alarms():
    cases = [c for c in corpus().select(_corpus.Selection(features=("tfoplambda",), releases=("tf_keras-2.21.0",)))]
    cases = [c for c in cases if "TFOpLambda" in c.read_input()][:2]
    assert cases
    done = run(ProtocolParser([sys.executable, str(FAKE_SCANNER), "policy"], timeout=30), cases, corpus=corpus())
    assert {r.outcome.value for r in done.results} == {"pass"}
    assert all(r.policy for r in done.results)
    assert done.summary()["scanner"]["policy_flags"] == sum(len(r.policy or ()) for r in done.results) > 0


def test_a_parser_that_answers_findings_is_off_track(fixture_corpus):
    script = (
        "import json,sys\n"
        "for line in sys.stdin:\n"
        " r=json.loads(line)\n"
        " if r['cmd']=='stop': break\n"
        " print(json.dumps({'version':1,'implementation':{'name':'x','version':'0','language':'py'},"
        "'formats':['keras2','keras3']} if r['cmd']=='start' else {'seq':r['seq'],'findings':[]}),flush=True)\n"
    )
    cases = fixture_corpus.cases[:2]
    done = run(ProtocolParser([sys.executable, "-c", script], timeout=30), cases)
    assert {r.outcome.value for r in done.results} == {"protocol-error"}
    assert "findings come from a scanner" in done.results[0].detail


def test_show_names_what_a_scanner_missed_in_each_container(tmp_path):
    from click.testing import CliRunner

    from kerasspec.cli import main

    results = tmp_path / "r.jsonl"
    command = ["--", sys.executable, str(EXAMPLE), "top-level"]
    reports = ["--report", "junit", str(tmp_path / "r.xml"), "--report", "markdown", str(tmp_path / "r.md")]
    reports += ["--report", "html", str(tmp_path / "r.html")]
    ran = CliRunner().invoke(
        main, ["check", "--case", f"{CODE}*", "--results", str(results), "--no-progress", *reports, *command]
    )
    assert ran.exit_code == 1, ran.output
    shown = CliRunner().invoke(main, ["show", CODE, "--results", str(results), "--no-documents"])
    assert shown.exit_code == 0, shown.output
    site = "$.config.layers[1].config.layers[2].config.function (bytecode in inner > inner_code)"
    assert f"missed      {site}" in shown.output
    assert shown.output.count("result      missed") == 1  # the case's own file; its .h5 and .keras are cases too
    for report in ("r.xml", "r.md"):  # every site missed, one line each, in the CI reports too
        assert f"missed   {site}" in html.unescape((tmp_path / report).read_text())  # XML escapes >
    assert f"<dt>missed</dt><dd><code>{html.escape(site)}</code></dd>" in (tmp_path / "r.html").read_text()


def test_fuzz_is_refused_for_a_scanner(tmp_path):
    from click.testing import CliRunner

    from kerasspec.cli import main

    results = str(tmp_path / "r.jsonl")
    ran = CliRunner().invoke(main, ["check", "--adapter", "reference-scanner", "--fuzz", "1", "--results", results])
    assert ran.exit_code == 2
    assert "--fuzz checks the canonical graph; a scanner answers none" in ran.output


# --- a scanner run once per file (--per-case --scanner) ------------------------------------------


def per_case(mode: str, cases: list[_corpus.Case]) -> Run:
    from kerasspec.harness import PerCaseParser

    command = [sys.executable, str(EXAMPLE), mode, "{}"]
    return run(PerCaseParser(command, containers=CONTAINERS, track="scanner", timeout=60), cases, corpus=corpus())


@pytest.mark.parametrize("mode", ["deep", "top-level"])
def test_a_per_case_scanner_is_judged_as_on_the_protocol(mode):
    cases = corpus().select(FEW)
    done = per_case(mode, cases)
    on_protocol = run(ProtocolParser([sys.executable, str(EXAMPLE), mode], timeout=30), cases, corpus=corpus())
    assert done.parser["track"] == "scanner"
    assert [(r.label, r.outcome.value, r.missed) for r in done.results] == [
        (r.label, r.outcome.value, r.missed) for r in on_protocol.results
    ]
    assert {r.outcome.value for r in done.results} == ({"pass"} if mode == "deep" else {"pass", "missed"})
    assert done.summary()["scanner"] == on_protocol.summary()["scanner"]


def test_a_per_case_scanner_that_prints_no_findings_is_a_protocol_error(tmp_path):
    from kerasspec.harness import PerCaseParser

    script = tmp_path / "s.py"
    script.write_text("print('[]')\n")  # a list, not {"findings": [...]}
    cases = corpus().select(FEW)[:1]
    done = run(PerCaseParser([sys.executable, str(script)], track="scanner", timeout=30), cases, corpus=corpus())
    assert [r.outcome.value for r in done.results] == ["protocol-error"]
    assert 'a scanner\'s stdout is {"findings": [...]}' in done.results[0].detail


def test_check_per_case_scanner_from_the_command_line(tmp_path):
    from click.testing import CliRunner

    from kerasspec.cli import main

    results = tmp_path / "r.jsonl"
    declared = ["--per-case", "--scanner", "--container", "h5"]
    command = ["--", sys.executable, str(EXAMPLE), "top-level", "{}"]
    ran = CliRunner().invoke(main, ["check", "--case", f"{CODE}/h5", "--results", str(results), *declared, *command])
    assert ran.exit_code == 1, ran.output
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    assert lines[-1]["by_container"] == {"h5": {"missed": 1}}
    assert lines[-1]["scanner"] == {"sites": 1, "found": 0, "missed": 1, "false_alarms": 0, "policy_flags": 0}
    # The failure's re-run command declares what the run declared.
    assert lines[0]["options"]["rerun"][:4] == ["--per-case", "--container=h5", "--scanner", "--"]


def test_containers_and_scanner_are_declared_only_for_a_per_case_command(tmp_path):
    from click.testing import CliRunner

    from kerasspec.cli import main

    ran = CliRunner().invoke(main, ["check", "--scanner", "--results", str(tmp_path / "r.jsonl"), "--", "true"])
    assert ran.exit_code == 2
    assert "--container and --scanner declare a --per-case command" in ran.output

"""When a case fails: see it (`show`, every report), rerun it, ratchet it, run several at once.

The fake parsers (fakes/parser.py) fail the fixture corpus in known ways: ``liar`` gets five cases
wrong, one kind each; ``crash-on-mha`` kills its process on every MultiHeadAttention case.
"""

from __future__ import annotations

import io
import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from harness_fixtures import FIXTURE_CORPUS, HERE, fake_command
from rich.console import Console

import kerasspec
import kerasspec.corpus
from kerasspec.cli import main
from kerasspec.harness import _known, _reports, _terminal
from kerasspec.harness._outcomes import CaseResult, display_path
from kerasspec.harness._run import Run
from kerasspec.vocabulary import Outcome

LIAR_FAILURES = {
    "keras3/keras-3.15.1/dense-chain": "fail",
    "keras2/tf_keras-2.21.0/mha-positional": "fail",
    "keras3/keras-3.15.1/shared-layer": "rejected-valid",
    "invalid/keras2/dangling-reference": "accepted-invalid",
    "invalid/keras3/cycle": "wrong-error",
}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def model_file(case_id: str) -> str:
    """How a run in this working directory names a fixture case's input."""
    return display_path(FIXTURE_CORPUS / case_id / "model.json")


def check(tmp_path: Path, *args: str, results: str = "r.jsonl") -> tuple[int, str, str]:
    return invoke(
        "check", "--corpus", str(FIXTURE_CORPUS), "--no-progress", "--results", str(tmp_path / results), *args
    )


def rerun_in(out: str, case_id: str) -> list[str]:
    """The arguments of the rerun command the terminal summary prints for ``case_id`` (over several lines)."""
    lines = out.splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"  rerun: kerasspec check --case {case_id} ")))
    command = [lines[start].removeprefix("  rerun: ")]
    while command[-1].endswith(" \\"):
        command[-1] = command[-1][:-2]
        start += 1
        command.append(lines[start].strip())
    return shlex.split(" ".join(command))


def case_lines(path: Path) -> list[dict]:
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    return [{k: v for k, v in line.items() if k != "seconds"} for line in lines if line["type"] == "case"]


@pytest.fixture
def liar_results(tmp_path: Path) -> Path:
    code, _, _ = check(tmp_path, "--strict-errors", "--", *fake_command("liar"))
    assert code == 1
    return tmp_path / "r.jsonl"


# --- show ----------------------------------------------------------------------------------------


def test_show_a_case_without_results() -> None:
    code, out, _ = invoke("show", "--corpus", str(FIXTURE_CORPUS), "keras3/keras-3.15.1/mha-positional")
    assert code == 0, out
    assert "kind        valid: the parser must produce the expected document" in out
    assert "producer    keras 3.15.1 (backend tensorflow, TensorFlow 2.21.0)" in out
    assert "features    mha, multi-input\n" in out
    input_line = next(line for line in out.splitlines() if line.startswith("input "))
    assert input_line.endswith("keras3/keras-3.15.1/mha-positional/model.json")
    assert Path(input_line.split(maxsplit=1)[1]).is_file()
    expected = json.loads((FIXTURE_CORPUS / "keras3/keras-3.15.1/mha-positional/expected.json").read_text())
    assert out.split("expected document:\n", 1)[1].strip() == json.dumps(expected, indent=1, sort_keys=True)


def test_show_with_results_gives_the_answer_every_difference_and_the_rerun_command(liar_results: Path) -> None:
    code, out, _ = invoke("show", "keras2/tf_keras-2.21.0/mha-positional", "--results", str(liar_results))
    assert code == 0, out
    assert "result      fail, in " in out
    # the liar empties the kwargs of one call: both its tensors there differ, and each is named
    assert "differing path(s):" in out
    paths = out.split("differing path(s):\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(paths) >= 1 and all(p.startswith("  $.model.layers[2].calls[0].kwargs") for p in paths)
    rerun = next(line for line in out.splitlines() if line.startswith("rerun "))
    assert "kerasspec check --case keras2/tf_keras-2.21.0/mha-positional --corpus " in rerun
    assert rerun.endswith(" ".join(["--strict-errors", "--", *fake_command("liar")]))
    answer = json.loads(out.split("the parser's document:\n", 1)[1])
    assert answer["model"]["layers"][2]["calls"][0]["kwargs"] == {}


def test_show_a_rejection_from_the_results(liar_results: Path) -> None:
    code, out, _ = invoke("show", "keras3/keras-3.15.1/shared-layer", "--results", str(liar_results))
    assert code == 0
    assert "answer      error[bad-node]: I do not like shared layers" in out


def test_show_every_differing_path_not_only_the_first(tmp_path: Path) -> None:
    def two_wrongs(text: str) -> dict:
        document = kerasspec.parse(text).to_json()
        document["model"]["name"] = "other"
        document["model"]["layers"][-1]["class_name"] = "Renamed"
        return document

    case_id = "keras3/keras-3.15.1/dense-chain"
    results = tmp_path / "r.jsonl"
    selection = kerasspec.corpus.Selection(ids=(case_id,))
    assert not kerasspec.check(two_wrongs, corpus=FIXTURE_CORPUS, selection=selection, results=results).passed
    code, out, _ = invoke("show", case_id, "--results", str(results), "--corpus", str(FIXTURE_CORPUS))
    assert code == 0, out
    listed = out.split("differing path(s):\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(listed) == 2
    assert any(line.startswith("  $.model.layers[") and ".class_name: strings differ" in line for line in listed)
    assert any(line.startswith("  $.model.name: strings differ") for line in listed)


def test_show_an_unknown_case_suggests_near_ones() -> None:
    code, _, err = invoke("show", "--corpus", str(FIXTURE_CORPUS), "keras3/keras-3.15.1/mha-positionl")
    assert code == 2
    assert "did you mean keras3/keras-3.15.1/mha-positional, " in err


# --- every report gives the input path and the rerun command ---------------------------------------


@pytest.mark.parametrize("kind", ["junit", "markdown", "html", "json"])
def test_every_report_names_each_failures_input_and_rerun_command(kind: str, liar_results: Path, tmp_path: Path):
    code, _, _ = invoke("check", "--from-results", str(liar_results), "--report", kind, str(tmp_path / "report"))
    assert code == 1
    text = (tmp_path / "report").read_text()
    for case_id in LIAR_FAILURES:
        assert model_file(case_id) in text, (kind, case_id)
        if kind != "json":  # the json report holds the run's rerun arguments once, in its options
            assert f"kerasspec check --case {case_id} --corpus {FIXTURE_CORPUS} --strict-errors -- " in text


def test_the_terminal_summary_names_each_failures_input_and_rerun_command(tmp_path: Path) -> None:
    code, out, _ = check(tmp_path, "--strict-errors", "--", *fake_command("liar"))
    assert code == 1
    for case_id, outcome in LIAR_FAILURES.items():
        assert f"{outcome} {case_id}\n" in out
        assert f"  input: {model_file(case_id)}\n" in out
        rerun = rerun_in(out, case_id)
        assert rerun[:8] == [
            "kerasspec",
            "check",
            "--case",
            case_id,
            "--corpus",
            str(FIXTURE_CORPUS),
            "--strict-errors",
            "--",
        ]
        assert rerun[8:] == fake_command("liar")


# --- rerun the failures ------------------------------------------------------------------------------


def test_rerun_failures_runs_only_the_failed_cases(liar_results: Path, tmp_path: Path) -> None:
    code, out, err = check(
        tmp_path, "--rerun-failures", str(liar_results), "--", *fake_command("correct"), results="again.jsonl"
    )
    assert code == 0, out
    assert "kerasspec check: 5 cases" in err
    assert {line["case"] for line in case_lines(tmp_path / "again.jsonl")} == set(LIAR_FAILURES)
    assert case_lines(liar_results)  # the first run's results are untouched


def test_rerun_failures_of_a_clean_run_has_nothing_to_do(tmp_path: Path) -> None:
    assert check(tmp_path, "--adapter", "reference")[0] == 0
    code, _, err = check(
        tmp_path, "--rerun-failures", str(tmp_path / "r.jsonl"), "--adapter", "reference", results="again.jsonl"
    )
    assert code == 0
    assert "records no failing case: nothing to rerun" in err


# --- the ratchet ---------------------------------------------------------------------------------------


def test_known_failures_look_up_ids_exactly_and_match_only_globs_as_globs() -> None:
    known = _known.KnownFailures({"keras3/a/[x]": "literal? no: a glob", "keras3/a/b": "exact", "keras3/*": "glob"})
    assert known.reason("keras3/a/b") == "exact"
    assert known.reason("keras3/a/x") == "literal? no: a glob"
    assert known.reason("keras3/zzz") == "glob"
    assert known.reason("keras2/a/b") is None
    assert known.unused(["keras3/a/b"]) == ["keras3/a/[x]"]
    assert _known.is_glob("a/*") and _known.is_glob("a/?") and _known.is_glob("a/[b]") and not _known.is_glob("a/b")


def test_write_known_failures_from_a_run_then_the_ratchet_passes(tmp_path: Path) -> None:
    listed = tmp_path / "known-failures.toml"
    code, _, err = check(
        tmp_path, "--strict-errors", "--write-known-failures", str(listed), "--", *fake_command("liar")
    )
    assert code == 1  # the run itself failed; the list now records why
    assert f"known failures: {listed}: 5 entries (5 added, 0 pruned" in err
    entries = tomllib.loads(listed.read_text())
    assert set(entries) == set(LIAR_FAILURES)
    for case_id, outcome in LIAR_FAILURES.items():
        assert entries[case_id].startswith(f"{outcome}: ") or entries[case_id] == outcome
    assert entries["keras3/keras-3.15.1/dense-chain"].startswith("fail: $.model.name: ")
    code, out, _ = check(tmp_path, "--strict-errors", "--known-failures", str(listed), "--", *fake_command("liar"))
    assert code == 0, out


def test_write_known_failures_from_a_recorded_run(liar_results: Path, tmp_path: Path) -> None:
    listed = tmp_path / "known.json"
    code, _, err = invoke("check", "--from-results", str(liar_results), "--write-known-failures", str(listed))
    assert code == 1
    assert set(json.loads(listed.read_text())) == set(LIAR_FAILURES)
    assert "5 added, 0 pruned" in err


def test_write_known_failures_prunes_and_names_every_case_that_now_passes(tmp_path: Path) -> None:
    listed = tmp_path / "known-failures.toml"
    listed.write_text(
        "# kept: a comment is not kept, but entries and reasons are\n"
        + "".join(f'"{case_id}" = "hand-written reason {n}"\n' for n, case_id in enumerate(sorted(LIAR_FAILURES)))
        + '"keras9/not-in-this-run" = "a case the run did not select"\n'
        + '"keras2/*/mha-*" = "a glob whose cases now pass"\n'
    )
    code, out, err = check(
        tmp_path, "--known-failures", str(listed), "--write-known-failures", str(listed), "--", *fake_command("correct")
    )
    assert code == 1  # listed cases passed: the run says so, and names every one
    problem = next(line for line in out.replace("\n", " ").split("✗") if "now pass" in line)
    for case_id in LIAR_FAILURES:
        assert case_id in problem
        assert f"  now passes: {case_id}\n" in err
    assert "  now passes: keras2/*/mha-*\n" in err
    assert tomllib.loads(listed.read_text()) == {"keras9/not-in-this-run": "a case the run did not select"}


def test_an_entry_may_name_the_container_it_holds_in() -> None:
    known = _known.KnownFailures(
        {"keras3/a [h5]": "h5 only", "keras3/a": "everywhere else", "keras2/* [keras-archive]": "archives", "k/b": "b"}
    )
    assert known.reason("keras3/a", "h5") == "h5 only"
    assert known.reason("keras3/a", "to_json") == known.reason("keras3/a") == "everywhere else"
    assert known.reason("keras2/x", "keras-archive") == "archives"
    assert known.reason("keras2/x", "h5") is None and known.reason("keras2/x") is None
    assert known.entry("k/b", "h5") == "k/b"
    assert known.unused([("keras3/a", "to_json"), ("keras2/x", "h5")]) == [
        "keras3/a [h5]",
        "keras2/* [keras-archive]",
        "k/b",
    ]
    assert _known.split("keras3/a [h5]") == ("keras3/a", "h5") and _known.split("keras3/[ab]") == ("keras3/[ab]", None)


def test_an_entry_naming_no_container_is_refused(tmp_path: Path) -> None:
    listed = tmp_path / "k.toml"
    listed.write_text('"keras3/a [hdf5]" = "reason"\n')
    with pytest.raises(_known.KnownFailuresError) as caught:
        _known.load(listed)
    assert caught.value.message == "'keras3/a [hdf5]' names no container: 'hdf5' is none of to_json, keras-archive, h5"


# A reader of files that reads .json files right and refuses every .h5 file (or every file at all).
JSON_READER = [sys.executable, str(HERE / "fakes" / "json_reader.py")]


def test_a_failure_in_one_container_is_listed_for_that_container(tmp_path: Path) -> None:
    listed = tmp_path / "known-failures.toml"
    code, _, err = check(tmp_path, "--write-known-failures", str(listed), "--", *JSON_READER, "json")
    assert code == 1
    entries = tomllib.loads(listed.read_text())
    # A valid case fails as .h5 only (an invalid one is rejected either way, which passes); a case the corpus
    # keeps for one container is handed in that one alone: one kept for .h5 fails wherever it is handed.
    valid = [case.id for case in kerasspec.corpus.load(FIXTURE_CORPUS).cases if case.kind != "invalid"]
    both = [case_id for case_id in valid if not case_id.endswith(("/h5", "/keras-archive"))]
    kept_for_h5 = [case_id for case_id in valid if case_id.endswith("/h5")]
    assert both and kept_for_h5
    assert set(entries) == {f"{case_id} [h5]" for case_id in both} | set(kept_for_h5)
    assert f"({len(entries)} added, 0 pruned" in err
    refused = "rejected-valid: error[refused]: json: not reading .h5"
    assert all(reason.startswith(refused) for reason in entries.values())
    code, out, _ = check(tmp_path, "--known-failures", str(listed), "--", *JSON_READER, "json")
    assert code == 0, out
    # The same cases failing as .json too are new failures: the list named .h5 only.
    code, out, _ = check(tmp_path, "--known-failures", str(listed), "--", *JSON_READER, "nothing")
    assert code == 1
    assert f"✗ {len(both)} case(s) failed" in out


def test_an_entry_for_one_container_that_now_passes_is_named_with_it(tmp_path: Path) -> None:
    listed = tmp_path / "known-failures.toml"
    case_id = "keras3/keras-3.15.1/dense-chain"
    listed.write_text(f'"{case_id} [h5]" = "h5 not read yet"\n"{case_id} [keras-archive]" = "not handed"\n')
    code, out, err = check(
        tmp_path,
        "--known-failures",
        str(listed),
        "--write-known-failures",
        str(listed),
        "--",
        *JSON_READER,
        "both",
    )
    assert code == 1
    assert "known failure(s) now pass; remove them from the known-failures file (or rerun with" in out.replace(
        "\n", " "
    )
    assert f"{case_id} [h5]" in out.replace("\n", " ")
    assert f"  now passes: {case_id} [h5]\n" in err
    assert tomllib.loads(listed.read_text()) == {f"{case_id} [keras-archive]": "not handed"}


def test_written_reasons_survive_any_character(tmp_path: Path) -> None:
    entries = {"keras3/a": 'quote " backslash \\ tab \t newline \n del \x7f unicode é ☃', "keras3/*": "x"}
    path = tmp_path / "k.toml"
    path.write_text(_known.dumps(entries))
    assert _known.load(path).entries == entries
    path = tmp_path / "k.json"
    path.write_text(_known.dumps(entries, json_format=True))
    assert _known.load(path).entries == entries


# --- CI output ---------------------------------------------------------------------------------------


def test_max_fail_stops_the_run(tmp_path: Path) -> None:
    code, out, _ = check(tmp_path, "--strict-errors", "--max-fail", "2", "--", *fake_command("liar"))
    assert code == 1
    assert "stopped after 2 failure(s) (--max-fail 2)" in out
    assert sum(line["outcome"] != "pass" for line in case_lines(tmp_path / "r.jsonl")) == 2


def test_jobs_give_the_same_results_in_the_same_order_and_survive_crashes(tmp_path: Path) -> None:
    one = check(tmp_path, "--jobs", "1", "--", *fake_command("crash-on-mha"), results="one.jsonl")
    two = check(tmp_path, "--jobs", "2", "--", *fake_command("crash-on-mha"), results="two.jsonl")
    assert one[0] == two[0] == 1
    first, second = case_lines(tmp_path / "one.jsonl"), case_lines(tmp_path / "two.jsonl")
    assert [line["case"] for line in first] == [line["case"] for line in second]

    def without_detail(lines: list[dict]) -> list[dict]:  # the crash detail holds a process's stderr
        return [{k: v for k, v in line.items() if k != "detail"} for line in lines]

    assert without_detail(first) == without_detail(second)
    crashed = [line["case"] for line in second if line["outcome"] == "crash"]
    assert crashed and all("mha" in case for case in crashed)
    assert all(line["outcome"] == "pass" for line in second if "mha" not in line["case"])
    summary = json.loads((tmp_path / "two.jsonl").read_text().splitlines()[-1])
    assert summary["parser"]["jobs"] == 2


# --- results are never clobbered ---------------------------------------------------------------------


def test_a_filtered_run_does_not_overwrite_a_full_runs_results(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    base = ["check", "--corpus", str(FIXTURE_CORPUS), "--no-progress", "--adapter", "reference"]
    assert invoke(*base)[0] == 0
    code, _, err = invoke(*base, "--case", "invalid/*")
    assert code == 0
    full = case_lines(tmp_path / "reports/kerasspec-results.jsonl")
    filtered = case_lines(tmp_path / "reports/kerasspec-results-filtered.jsonl")
    assert len(full) == 11 and len(filtered) == 3
    assert "results to reports/kerasspec-results-filtered.jsonl" in err


def test_two_runs_at_once_in_one_directory_keep_intact_results(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "kerasspec.cli",
        "check",
        "--corpus",
        str(FIXTURE_CORPUS),
        "--no-progress",
        "--",
        *fake_command("slow"),
    ]
    runs = [
        subprocess.Popen(
            command,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**__import__("os").environ, "FAKE_SLEEP": "0.5"},
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in runs]
    assert [process.returncode for process in runs] == [0, 0], outputs
    first, second = tmp_path / "reports/kerasspec-results.jsonl", tmp_path / "reports/kerasspec-results-2.jsonl"
    for path in (first, second):
        records = [json.loads(line) for line in path.read_text().splitlines()]
        assert [r["type"] for r in records] == ["run"] + ["case"] * 11 + ["summary"]
        assert records[-1]["passed"] is True
    said = "".join(err for _, err in outputs)
    assert (
        "results to reports/kerasspec-results.jsonl" in said and "results to reports/kerasspec-results-2.jsonl" in said
    )
    replay = invoke("check", "--from-results", str(second))
    assert replay[0] == 0


# --- --found writes a runnable corpus ----------------------------------------------------------------


def test_a_found_case_is_stored_once_in_a_runnable_corpus(tmp_path: Path) -> None:
    from kerasspec import corpus
    from kerasspec.fuzz import Found, write_case

    source = corpus.load(FIXTURE_CORPUS).case("keras3/keras-3.15.1/dense-chain")
    found = Found(
        case_id="keras3/keras-3.15.1/found-0123456789ab",
        kind="valid",
        format="keras3",
        producer="keras-3.15.1",
        text=source.read_input(),
        expected=source.read_expected(),
        error=None,
        outcome=Outcome.FAIL,
        detail="a detail",
        features=("single-io",),
        layers=2,
        description="a found case",
    )
    for _ in range(2):
        written = write_case(found, tmp_path)
    assert written.path == tmp_path / found.case_id
    assert not (tmp_path / "found").exists()
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert [case["id"] for case in manifest["cases"]] == [found.case_id]
    code, out, _ = invoke(
        "check",
        "--corpus",
        str(tmp_path),
        "--no-progress",
        "--results",
        str(tmp_path / "r.jsonl"),
        "--adapter",
        "reference",
    )
    assert code == 0, out
    assert "1/1 cases" in out


def test_reports_module_lists_input_for_listed_failures(liar_results: Path) -> None:
    from kerasspec.harness._runner import load_results

    done = load_results(liar_results)
    text = _reports.markdown(done)
    assert text.count("rerun    kerasspec check --case ") == 5


# --- CI output: progress lines and a summary that fits 100 columns ---------------------------------


DETAIL = '$.model.layers[3].calls[0].kwargs.value: missing key (expected ["query", 0, 0], got nothing)'
RELEASES = [f"keras-3.{minor}.0" for minor in range(16)] + ["keras-3.15.1-jax"]
RELEASES += [f"tensorflow-2.1{minor}.1" for minor in range(2, 6)] + [f"tf_keras-2.{m}.0" for m in range(15, 22)]


def ci_run() -> Run:
    """A run over 28 releases where one feature fails everywhere (the summary used to list all 28)."""
    results = []
    for release in RELEASES:
        fmt = "keras3" if release.startswith("keras-") else "keras2"
        for recipe, features in (
            ("mha-positional-and-a-rather-long-recipe-name", ("kwarg-call", "mha")),
            ("dense-chain", ("single-io",)),
        ):
            failing = "mha" in features
            case_id = f"{fmt}/{release}/{recipe}"
            results.append(
                CaseResult(
                    case=case_id,
                    kind="valid",
                    format=fmt,
                    release=release,
                    features=features,
                    outcome=Outcome.FAIL if failing else Outcome.PASS,
                    detail=DETAIL if failing else "",
                    input=f"corpus/{case_id}/model.json",
                )
            )
    return Run(
        parser={"implementation": {"name": "my-parser", "version": "1.0"}},
        corpus={},
        selection={},
        options={"rerun": ["--corpus", "/srv/ci/checkout/corpus", "--", "node", "tools/adapter.js"]},
        selected=len(results),
        started="2026-12-01T00:00:00+00:00",
        results=results,
    )


def test_the_ci_summary_fits_100_columns_without_cutting_a_name() -> None:
    out = io.StringIO()
    _terminal.summary(Console(file=out, width=_terminal.WIDTH), ci_run())
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 100, text
    assert "…" not in text  # nothing cut
    for release in RELEASES:  # every release named whole in the table
        assert re.search(rf"│ {re.escape(release)} +│", text), release
    mha = next(line for line in text.splitlines() if line.startswith("│ mha "))
    assert "28 of 28" in mha and "keras-3.1" not in mha  # counted, not listed
    # a failure's rerun command, split between arguments, is the same command pasted into a shell
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  rerun: "))
    command = [lines[start].removeprefix("  rerun: ")]
    while command[-1].endswith(" \\"):
        command[-1] = command[-1][:-2]
        start += 1
        command.append(lines[start].strip())
    assert shlex.split(" ".join(command)) == ci_run().rerun_arguments(ci_run().results[0].case)


def test_progress_lines_when_the_output_is_not_a_terminal(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(_terminal, "PROGRESS_SECONDS", 0.2)
    monkeypatch.setenv("FAKE_SLEEP", "0.3")
    code, _, err = invoke(
        "check", "--corpus", str(FIXTURE_CORPUS), "--results", str(tmp_path / "r.jsonl"), "--", *fake_command("slow")
    )
    assert code == 0
    progress = [line for line in err.splitlines() if line.startswith("checking: ")]
    assert len(progress) >= 3, err  # three dense cases sleep 0.3 s each: at least one line per 0.2 s
    assert progress[-1].startswith("checking: 11/11 cases (100%), 0 failing, ")

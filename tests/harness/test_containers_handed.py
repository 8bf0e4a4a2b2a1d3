"""Real containers through the harness (spec/protocol.md#containers): a reader that asks for files gets
each case as a ``.json``, ``.keras`` or ``.h5`` file laid out as Keras lays it out.

The reader under test (fakes/container_reader.py) opens every file it is handed and rejects any whose
layout is wrong, so a pass here means the file was right; the results carry the container.
"""

from __future__ import annotations

import json
import sys
from functools import cache

import jsonschema
import pytest
from harness_fixtures import FIXTURE_CORPUS, HERE
from referencing import Registry, Resource

import kerasspec
from kerasspec import corpus as _corpus
from kerasspec._resources import schemas_dir
from kerasspec.cli import main
from kerasspec.harness import ProtocolParser, Run, run
from kerasspec.harness._parsers import hand_file
from kerasspec.harness._runner import handings

READER = HERE / "fakes" / "container_reader.py"
ALL = ("to_json", "keras-archive", "h5")


def reader(*containers: str) -> list[str]:
    return [sys.executable, str(READER), str(FIXTURE_CORPUS), *containers]


@cache
def handed(*containers: str) -> Run:
    fixture = _corpus.load(FIXTURE_CORPUS)
    return run(ProtocolParser(reader(*containers), timeout=30), fixture.cases, corpus=fixture)


def expected_containers(case: _corpus.Case, asked: tuple[str, ...]) -> list[str]:
    """The rule of spec/protocol.md#containers, for the fixture corpus (no to_json case there has a
    case of its own for another container)."""
    if case.container != "to_json":
        return [case.container] if case.container in asked else []
    return [c for c in ALL if c in asked]


CASES = _corpus.load(FIXTURE_CORPUS).cases


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_every_case_is_handed_in_each_container_asked_and_read_right(case):
    results = [r for r in handed(*ALL).results if r.case == case.id]
    assert [r.container for r in results] == expected_containers(case, ALL)
    assert [(r.outcome.value, r.detail) for r in results] == [("pass", "")] * len(results)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_a_reader_of_one_container_gets_only_that_one(case):
    results = [r for r in handed("h5").results if r.case == case.id]
    if expected_containers(case, ("h5",)):
        assert [(r.container, r.outcome.value) for r in results] == [("h5", "pass")]
    else:  # a case from a .keras archive: not handed, recorded
        assert [(r.container, r.outcome.value) for r in results] == [(case.container, "unsupported")]
        assert "reads h5 files, not keras-archive" in results[0].detail


def test_the_run_counts_each_handing_and_the_container_is_a_dimension():
    done = handed(*ALL)
    assert done.executed == done.selected == 9 * 3 + 2
    assert done.passed
    assert done.parser["containers"] == list(ALL)
    assert done.by_container() == {"to_json": {"pass": 9}, "keras-archive": {"pass": 10}, "h5": {"pass": 10}}
    assert len({r.label for r in done.results}) == done.executed  # a label is unique within the run


def test_a_case_whose_corpus_has_its_own_container_case_is_handed_that_one():
    # Real corpus: a model keeps a case of its own for a container whose JSON differs from to_json's.
    real = _corpus.load()
    model = "keras3/keras-3.15.1/mha-positional"
    cases = real.select(_corpus.Selection(ids=(model, f"{model}/*")))
    own = {c.id for c in real.cases}
    assert f"{model}/h5" in own  # Keras 3 writes the legacy serialization into .h5
    expected = {(model, "to_json")}
    expected |= {(f"{model}/{c}", c) if f"{model}/{c}" in own else (model, c) for c in ("keras-archive", "h5")}
    found = [(c.id, c.container) for c in handings(cases, ALL, real)]
    assert sorted(found) == sorted(expected)
    assert handings(cases, None, real) == cases  # a reader of text: unchanged


def test_the_files_are_gone_after_the_run(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    fixture = _corpus.load(FIXTURE_CORPUS)
    done = run(ProtocolParser(reader(*ALL), timeout=30), fixture.cases[:2], corpus=fixture)
    assert done.passed
    assert list(tmp_path.iterdir()) == []


def report_validator() -> jsonschema.Draft202012Validator:
    folder = schemas_dir() / "protocol"
    resources = [
        (json.loads(p.read_text())["$id"], Resource.from_contents(json.loads(p.read_text())))
        for p in folder.glob("*.json")
    ]
    schema = json.loads((folder / "report.json").read_text())
    return jsonschema.Draft202012Validator(schema, registry=Registry().with_resources(resources))


def test_check_reports_the_container(tmp_path, capsys):
    reports = tmp_path / "reports"
    args = ["check", "--corpus", str(FIXTURE_CORPUS), "--no-progress", "--results", str(tmp_path / "r.jsonl")]
    for kind, name in (("json", "r.json"), ("junit", "r.xml"), ("markdown", "r.md"), ("html", "r.html")):
        args += ["--report", kind, str(reports / name)]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--", *reader(*ALL)])
    out, err = capsys.readouterr()
    assert exit_.value.code == 0, err
    assert "29 cases" in err and "handed to_json, keras-archive, h5 files" in err
    assert "By container" in out
    document = json.loads((reports / "r.json").read_text())
    report_validator().validate(document)
    assert document["summary"]["by_container"]["h5"] == {"pass": 10}
    lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert lines[0]["parser"]["containers"] == list(ALL)
    assert sorted({line["container"] for line in lines if line["type"] == "case"}) == sorted(ALL)
    junit = (reports / "r.xml").read_text()
    assert 'name="keras3/keras-3.15.1/dense-chain [keras-archive]"' in junit
    assert "| container | passed |" in (reports / "r.md").read_text()
    assert "<h2>By container</h2>" in (reports / "r.html").read_text()


def test_show_gives_the_result_of_each_container(tmp_path):
    from click.testing import CliRunner

    results = tmp_path / "r.jsonl"
    base = ["--corpus", str(FIXTURE_CORPUS), "--no-progress", "--results", str(results)]
    assert CliRunner().invoke(main, ["check", *base, "--", *reader(*ALL)]).exit_code == 0
    case = "keras3/keras-3.15.1/dense-chain"
    shown = CliRunner().invoke(main, ["show", case, "--results", str(results), "--corpus", str(FIXTURE_CORPUS)])
    assert shown.exit_code == 0, shown.output
    assert [line for line in shown.output.splitlines() if line.startswith("result ")] == [
        f"result      pass, in {results}",
        f"result      pass [keras-archive], in {results}",
        f"result      pass [h5], in {results}",
    ]


def test_side_by_side_readers_give_the_same_results():
    from kerasspec.harness import Parallel

    fixture = _corpus.load(FIXTURE_CORPUS)
    done = run(Parallel(lambda: ProtocolParser(reader(*ALL), timeout=30), 2), fixture.cases, corpus=fixture)
    assert [(r.label, r.outcome.value) for r in done.results] == [
        (r.label, r.outcome.value) for r in handed(*ALL).results
    ]


def test_a_per_case_command_is_handed_the_containers_it_was_declared_with():
    from kerasspec.harness import PerCaseParser

    fixture = _corpus.load(FIXTURE_CORPUS)
    command = [sys.executable, str(READER), str(FIXTURE_CORPUS), "--per-case", "{}"]
    done = run(PerCaseParser(command, containers=ALL, timeout=30), fixture.cases, corpus=fixture)
    assert done.parser["containers"] == list(ALL)
    assert [(r.label, r.outcome.value, r.detail) for r in done.results] == [
        (r.label, r.outcome.value, r.detail) for r in handed(*ALL).results
    ]
    assert done.passed and done.by_container() == handed(*ALL).by_container()


def test_check_per_case_with_containers(tmp_path, capsys):
    args = ["check", "--corpus", str(FIXTURE_CORPUS), "--no-progress", "--results", str(tmp_path / "r.jsonl")]
    command = ["--", sys.executable, str(READER), str(FIXTURE_CORPUS), "--per-case", "{}"]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--per-case", "--container", "h5", "--container", "keras-archive", *command])
    out, err = capsys.readouterr()
    assert exit_.value.code == 0, out + err
    assert "20 cases" in err and "once per case, handed keras-archive, h5 files" in err
    lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert lines[-1]["by_container"] == {"keras-archive": {"pass": 10}, "h5": {"pass": 10}}


@pytest.mark.parametrize(
    ("model", "containers"),
    [
        # Keras before 2.4 writes .h5 (its own case: bytes) and no .keras archive.
        ("keras2/keras-2.2.4/legacy-nested-sequential-twice", {"to_json", "h5"}),
        ("keras2/keras-1.2.2/legacy-merge-function", {"to_json", "h5"}),
        # tf.keras 2.12's model.save("m.keras") writes HDF5: no archive either.
        ("keras2/tensorflow-2.12.1/single-io-dense", {"to_json", "h5"}),
        # tfjs-layers writes its model.json and nothing else.
        ("keras2/tfjs-layers-4.22.0/nested-sequential-no-input-twice", {"to_json"}),
        ("keras2/tensorflow-2.13.1/single-io-dense", {"to_json", "keras-archive", "h5"}),
        ("keras3/keras-3.15.1/mha-positional", {"to_json", "keras-archive", "h5"}),
    ],
)
def test_a_case_is_handed_only_in_the_containers_its_producer_writes(model, containers):
    real = _corpus.load()
    cases = real.select(_corpus.Selection(ids=(model, f"{model}/*")))
    assert cases, model
    assert {c.container or "to_json" for c in handings(cases, ALL, real)} == containers


def test_a_hand_made_case_is_handed_in_every_container():
    real = _corpus.load()
    case = next(c for c in real.cases if c.producer is None and c.kind == "valid")
    assert [c.container for c in handings([case], ALL, real)] == list(ALL)


def test_a_case_its_producer_never_wrote_into_the_asked_container_says_so():
    real = _corpus.load()
    (case,) = real.select(_corpus.Selection(ids=("keras2/tfjs-layers-4.22.0/nested-sequential-no-input-twice",)))
    fixture_run = run(ProtocolParser(reader("h5"), timeout=30), [case], corpus=real)
    (result,) = fixture_run.results
    assert result.outcome.value == "unsupported"
    assert result.detail == "the parser reads h5 files; tfjs-layers-4.22.0 writes to_json"


OLD_ERA_INVALID_H5 = [
    f"keras2/keras-{release}/{recipe}/h5"
    for release in ("2.2.4", "2.3.1")
    for recipe in (
        "lambda-two-levels-sequential",
        "lambda-two-levels-sequential-control",
        "legacy-sequential-holds-nested-twice",
    )
]


@pytest.mark.parametrize("case_id", OLD_ERA_INVALID_H5)
def test_an_invalid_case_comes_in_a_file_that_names_no_release(tmp_path, case_id):
    # These model_configs are node-index-out-of-range alone; the .h5 file Keras wrote dates them and reads
    # exactly (spec/keras2.md#node-numbering-before-2-4). Handed with the release, a reader following the
    # SHOULD there (the reference parser) would be judged accepted-invalid.
    case = _corpus.load().case(case_id)
    assert (case.kind, case.error) == ("invalid", "node-index-out-of-range")
    path = hand_file(tmp_path, "1", case, case.read_input())
    with pytest.raises(kerasspec.ParseError) as error:
        kerasspec.parse(path)
    assert error.value.code == case.error

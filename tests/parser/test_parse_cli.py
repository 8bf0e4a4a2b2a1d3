"""The parse and explain commands: output, exit codes, one error line, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kerasspec.cli import main
from kerasspec.corpus import load

CORPUS = load()


def case_path(case_id: str) -> Path:
    return CORPUS.case(case_id).input_path


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_parse_prints_the_expected_document() -> None:
    case = CORPUS.case("keras2/tf_keras-2.21.0/mha-positional")
    code, out, err = run("parse", str(case.input_path))
    assert (code, err) == (0, "")
    assert json.loads(out) == case.read_expected()


def test_parse_reads_stdin() -> None:
    case = CORPUS.case("keras3/keras-3.15.1/mha-positional")
    code, out, _ = run("parse", "-", input=case.read_input())
    assert code == 0 and json.loads(out)["format"] == "keras3"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("{", "error[not-json]: not JSON: Expecting property name enclosed in double quotes (line 1, column 2) at $\n"),
        ("[]", "error[not-a-model]: a model JSON is an object, not an array at $\n"),
    ],
)
def test_bad_input_is_one_line_and_exit_65(text: str, line: str) -> None:
    assert run("parse", "-", input=text) == (65, "", line)


def test_limits_are_options() -> None:
    case = CORPUS.case("keras3/keras-3.15.1/mha-positional")
    code, _, err = run("parse", "--max-bytes", "100", str(case.input_path))
    assert code == 65 and err.startswith("error[too-large]: ")


def test_explain_names_every_argument() -> None:
    code, out, _ = run("explain", str(case_path("keras2/tf_keras-2.21.0/mha-positional")))
    assert code == 0
    mha_lines = [line.strip() for line in out.splitlines() if "[MultiHeadAttention]" in line]
    # keras2 writes `value` into the first entry's kwargs and never names `query`: explain does.
    assert len(mha_lines) == 1 and mha_lines[0].startswith("mha#0(query=")
    assert "value=" in mha_lines[0]


def test_explain_dot_labels_edges_by_argument() -> None:
    code, out, _ = run("explain", "--dot", str(case_path("keras3/keras-3.15.1/mha-keyword")))
    assert code == 0 and out.startswith("digraph keras {")
    labels = {line.split('label="')[1].split('"')[0] for line in out.splitlines() if "->" in line}
    assert {"query", "value", "key"} <= labels


def test_explain_bad_input_exit_65() -> None:
    assert run("explain", "-", input="nope")[0] == 65


def test_explain_names_an_unnamed_model_by_its_place() -> None:
    # Keras 2.0.8 writes a Sequential's config as a bare list: neither Sequential has a name.
    path = str(case_path("keras2/keras-2.0.8/legacy-sequential-in-sequential"))
    code, out, _ = run("explain", path)
    assert code == 0 and "None" not in out
    assert out.splitlines()[:2] == ["Sequential <unnamed> (keras2)", "  <unnamed layer 0> (Sequential): no calls"]
    code, out, _ = run("explain", "--dot", path)
    assert code == 0 and "None" not in out
    assert 'subgraph "cluster_<unnamed layer 0>/" { label="<unnamed layer 0>";' in out

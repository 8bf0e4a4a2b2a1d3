"""The GitHub Action (action.yml) and the script it runs (scripts/ci-check), run here as a CI would:
with the installed wheel, the reference adapter, and a failing parser with and without its known
failures. GitHub itself is not needed: the action only sets the script's environment."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from _environment import REPO, Environment

pytestmark = pytest.mark.slow

SCRIPT = REPO / "scripts/ci-check"
SELECTION = "--case 'keras3/keras-3.15.1/mha-*' --case 'keras2/tf_keras-2.21.0/mha-*'"

# Drops every tensor passed by keyword: fails the keyword-call cases, passes the others.
FAILING_PARSER = textwrap.dedent(
    """
    import json
    from kerasspec import parse
    from kerasspec.harness import serve

    def failing(text):
        document = parse(text).to_json()
        for layer in document["model"]["layers"]:
            for call in layer["calls"]:
                call["kwargs"] = {k: v for k, v in call["kwargs"].items() if "tensor" not in json.dumps(v)}
        return document

    serve(failing, implementation={"name": "failing", "version": "0", "language": "python"})
    """
)


def ci_check(env: Environment, **settings: str) -> tuple[int, Path]:
    summary = env.home / "summary.md"
    summary.write_text("# earlier steps\n")
    result = env.run(
        "bash", str(SCRIPT), extra_env={"GITHUB_STEP_SUMMARY": str(summary), "KERASSPEC_ARGS": SELECTION, **settings}
    )
    return result.returncode, summary


def test_reference_adapter_passes(installed: Environment) -> None:
    status, summary = ci_check(installed, KERASSPEC_ADAPTER="reference")
    assert status == 0
    junit = (installed.home / "reports/kerasspec-junit.xml").read_text()
    assert "<testsuite" in junit and 'failures="0"' in junit
    markdown = (installed.home / "reports/kerasspec.md").read_text()
    assert summary.read_text() == "# earlier steps\n" + markdown


def test_failing_parser_fails_then_passes_with_its_known_failures(installed: Environment) -> None:
    (installed.home / "failing.py").write_text(FAILING_PARSER)
    command = f"'{installed.python}' failing.py"
    status, summary = ci_check(installed, KERASSPEC_COMMAND=command, KERASSPEC_RESULTS="first.jsonl")
    assert status == 1
    records = [json.loads(line) for line in (installed.home / "first.jsonl").read_text().splitlines()]
    failed = sorted(r["case"] for r in records if r.get("type") == "case" and r["outcome"] != "pass")
    assert failed, "the failing parser failed no case"
    assert any(name in summary.read_text() for name in failed), "the job summary does not name the failures"

    known = installed.home / "known-failures.toml"
    known.write_text("".join(f'"{case}" = "keyword tensors are dropped"\n' for case in failed))
    status, _ = ci_check(installed, KERASSPEC_COMMAND=command, KERASSPEC_KNOWN_FAILURES=str(known))
    assert status == 0


def test_without_a_parser_it_says_so(installed: Environment) -> None:
    result = installed.run("bash", str(SCRIPT))
    assert result.returncode == 2
    assert result.stderr == "error: set KERASSPEC_COMMAND (the parser's command line) or KERASSPEC_ADAPTER\n"


def test_action_passes_every_input_to_the_script() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    (step,) = [step for step in action["runs"]["steps"] if "run" in step]
    assert "scripts/ci-check" in step["run"]
    passed = {value.removeprefix("${{ inputs.").removesuffix(" }}") for value in step["env"].values()}
    assert set(action["inputs"]) - {"python-version"} == passed & set(action["inputs"])
    script = SCRIPT.read_text()
    assert all(f"${{{name}" in script or f"${name}" in script for name in step["env"]), "an env the script ignores"

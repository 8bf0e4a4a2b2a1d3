"""The README is an implementer's first page, and true: short enough to read in a terminal, its JSON
examples equal the corpus files they name, its Python adapter runs as written, and the versions it
tells users to pin are the package's."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _spec_corpus import all_cases, read
from _spec_pages import REPO, Example, examples, select

import kerasspec
from kerasspec.canonical import diff

README = REPO / "README.md"
DOCS = [README, *sorted((REPO / "docs").glob("*.md"))]
EXAMPLES = [example for page in DOCS for example in examples(page)]


def test_readme_fits_a_terminal() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 300
    assert [number for number, line in enumerate(lines, 1) if len(line) > 200] == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_json_example_equals_the_corpus(example: Example) -> None:
    assert example.case_id is not None, "a JSON example names its corpus case: <!-- corpus: <id> <file> <path> -->"
    case = {case.id: case for case in all_cases()}[example.case_id]
    relative = {"input": case.input, "expected": case.expected, "live": case.live}[example.file or "input"]
    assert relative is not None
    assert diff(select(read(case, relative), example.path or "$"), example.value()) is None


def test_readme_shows_the_attention_example() -> None:
    cases = {example.case_id for example in EXAMPLES}
    assert {"keras2/tf_keras-2.21.0/attention-dot", "keras2/tf_keras-2.21.0/mha-positional"} <= cases


def _python_adapter() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Write an adapter", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert match is not None, "the README's adapter section has no Python block"
    return match.group(1)


def test_python_adapter_runs_as_written(tmp_path: Path) -> None:
    code = _python_adapter()
    assert len(code.strip().splitlines()) <= 12, "about ten lines"
    (tmp_path / "my_adapter.py").write_text(code)
    command = re.search(r"`kerasspec check -- (python my_adapter.py)`", code)
    assert command is not None, "the adapter says how to run it"
    kerasspec_cli = Path(sys.executable).with_name("kerasspec")
    result = subprocess.run(
        [str(kerasspec_cli), "check", "--no-progress", "--case", "keras3/keras-3.15.1/mha-*",
         "--case", "invalid/keras3/*", "--", sys.executable, "my_adapter.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED" in result.stdout


def test_readme_summarizes_every_scanner() -> None:
    """The scanners block (adapters/scanners/matrix.py writes it) has a row per scanner, each with the share
    of code sites found at the top level and nested, and its false alarms."""
    spec = importlib.util.spec_from_file_location("scanners_matrix", REPO / "adapters" / "scanners" / "matrix.py")
    assert spec is not None and spec.loader is not None
    scanners = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scanners)
    block = README.read_text(encoding="utf-8").split("<!-- scanners:start -->", 1)[1].split("<!-- scanners:end -->")[0]
    cell = r"(\d+% \(\d+/\d+\)|n/a)"  # the share, and found/sites
    rows = re.findall(rf"^\| (.+?) \| {cell} \| {cell} \| (\d+) \|$", block, flags=re.MULTILINE)
    assert sorted(label.split(" (sample")[0] for label, *_ in rows) == sorted(scanners.SCANNERS.values())


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.name)
def test_pinned_versions_are_the_package_version(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    pins = set(re.findall(r"kerasspec==([0-9][\w.]*)", text)) | set(re.findall(r"kerasspec@v([0-9][\w.]*)", text))
    assert pins <= {kerasspec.__version__}


@pytest.mark.slow  # the whole corpus through the README's adapter: about a minute
def test_failure_commands_run_as_written(tmp_path: Path) -> None:
    """The "When a case fails" commands, in order, as a user pastes them (the adapter passes every case)."""
    (tmp_path / "my_adapter.py").write_text(_python_adapter())
    section = README.read_text(encoding="utf-8").split("## When a case fails", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    assert block is not None
    commands = block.group(1).strip().splitlines()
    assert [line.split()[:2] for line in commands] == [["kerasspec", "check"], ["kerasspec", "show"],
                                                       ["kerasspec", "check"], ["kerasspec", "check"]]  # fmt: skip
    bin_dir = str(Path(sys.executable).parent)
    for command in commands:
        result = subprocess.run(
            command, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=900,
            env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
        )  # fmt: skip
        assert result.returncode == 0, f"{command}\n{result.stdout}{result.stderr}"
    assert (tmp_path / "known-failures.toml").is_file()

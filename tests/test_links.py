"""The repository stands on its own: every relative link in its Markdown files resolves to a file it
contains (and, into a Markdown file, to a heading or anchor there), and every file name cited in its
Markdown files and docstrings names a file it contains, or is one of the names listed below of files
that are not the repository's (a user's model, a member of a Keras archive).
"""

from __future__ import annotations

import ast
import re
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: File names that a text may cite without the repository holding them, each for a reason.
NOT_REPOSITORY_FILES = {
    # Members of a Keras `.keras` archive and of its weights; attributes of an `.h5` file.
    "config.json": "a member of a .keras archive",
    "metadata.json": "a member of a .keras archive",
    "model.weights.h5": "a member of a .keras archive",
    # What users have or write: their models, their parsers, their CI's files and reports.
    "model.json": "a user's model file (and each corpus case's input)",
    "model.keras": "a user's model file",
    "model.h5": "a user's model file",
    "my-parser.js": "a user's parser",
    "known-failures.toml": "a user's known-failures file",
    "kerasspec-known-failures.toml": "a user's known-failures file, in the CI examples",
    "kerasspec-adapter.js": "a user's adapter, in the CI examples",
    "kerasspec-results.jsonl": "the results file a run writes",
    "kerasspec-results-filtered.jsonl": "the results file a run of part of the corpus writes",
    "index.html": "a page `kerasspec site` writes",
    "junit.xml": "a report a run writes",
    "kerasspec-junit.xml": "a report a run writes (the CI recipe's default)",
    "kerasspec.md": "a report a run writes (the CI recipe's default)",
    "my_adapter.py": "a user's adapter, in the README's example",
    "report.md": "a report a run writes",
    "report.html": "a report a run writes",
    "package.json": "an npm package's manifest (the example adapters have theirs)",
    "x.h5": "a user's model file, in an example call",
    "case.json": "a file the fuzzer writes beside each case it finds",
    "REQUEST.json": "a placeholder for the request file the generator hands its worker",
    "plans.json": "a file the serializer's differential test writes and reads",
    "files.json": "a file the serializer's differential test writes and reads",
    "run.json": "a results file benchmarks/mutation.py writes (--json) and reads (--report)",
    "new.json": "a results file benchmarks/mutation.py writes (--json) and reads (--report)",
    # Names that end like files but are products, packages or modules.
    "tf.keras": "the Keras of TensorFlow 2, a Python package",
    "Node.js": "a JavaScript runtime",
    "TensorFlow.js": "a JavaScript library",
    "tensor_flow.js": "the backend name tfjs-layers writes into its files",
    "mylib.keras": "a user's Python module, in an example option",
    # Files of the projects this one studies: Netron's Keras reader, Keras's own sources.
    "keras.js": "Netron's Keras reader",
    "keras-metadata.json": "Netron's Keras layer metadata",
    "functional.py": "Keras's own source (keras/src/models/functional.py, tf_keras engine/functional.py)",
    "node.py": "Keras's own source (tf_keras engine/node.py)",
    "serialization_lib.py": "Keras's own source (keras/src/saving/serialization_lib.py)",
}

#: Folders of Keras's own source tree, which the spec cites as evidence.
KERAS_SOURCES = ("keras/src/", "engine/")

_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_FILE_NAME = re.compile(
    r"(?<![\w./@-])((?:[\w.-]+/)*[\w-][\w.-]*\.(?:md|py|json|jsonl|toml|txt|js|cpp|yml|yaml|sh|keras|h5|html|xml))"
    r"(?![\w/-])"
)
_EXTERNAL = ("http://", "https://", "mailto:")


@cache
def tracked() -> frozenset[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return frozenset(line for line in out.splitlines() if "node_modules/" not in line)


@cache
def basenames() -> frozenset[str]:
    return frozenset(Path(name).name for name in tracked())


def markdown_files() -> list[str]:
    return sorted(name for name in tracked() if name.endswith(".md") and not name.startswith("corpus/"))


def python_files() -> list[str]:
    return sorted(name for name in tracked() if name.endswith(".py") and not name.startswith("corpus/"))


def _resolve(relative: str, base: Path) -> Path | None:
    """The repository file or folder a path cited from the folder ``base`` (or from the root) names."""
    for start in (base, ROOT):
        candidate = (start / relative).resolve()
        if candidate.is_relative_to(ROOT):
            name = candidate.relative_to(ROOT).as_posix()
            if name in tracked() or any(other.startswith(name + "/") for other in tracked()):
                return candidate
    return None


def _exists(relative: str, base: Path) -> bool:
    return _resolve(relative, base) is not None


@cache
def anchors(path: Path) -> frozenset[str]:
    """The link targets a Markdown file offers: explicit ``{#id}``/``id="..."`` anchors and GitHub heading slugs."""
    text = path.read_text(encoding="utf-8")
    found = set(re.findall(r"\{#([\w.-]+)\}", text)) | set(re.findall(r"(?:id|name)=\"([^\"]+)\"", text))
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", text, flags=re.MULTILINE):
        heading = re.sub(r"\s*\{#[^}]*\}$", "", heading)
        slug = re.sub(r"[^\w\- ]", "", heading.lower().replace("`", "")).replace(" ", "-")
        found.add(slug)
    return frozenset(found)


def broken_links(path: Path) -> Iterator[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # examples, not links
    for target in _LINK.findall(text):
        if target.startswith(_EXTERNAL) or target.startswith("{"):
            continue
        file, _, anchor = target.partition("#")
        destination = _resolve(file, path.parent) if file else path
        if destination is None:
            yield f"{target}: no such file in the repository"
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            yield f"{target}: no heading or anchor #{anchor} in {destination.name}"


def uncited(text: str, base: Path) -> Iterator[str]:
    for cited in _FILE_NAME.findall(text):
        if Path(cited).name in NOT_REPOSITORY_FILES or cited.startswith(KERAS_SOURCES):
            continue
        if cited in basenames() or any(name.endswith("/" + cited) for name in tracked()):
            continue  # a file named by its name alone or by the end of its path (`keras2/model.json`)
        if not _exists(cited, base):
            yield cited


def docstrings(name: str) -> Iterator[tuple[int, str]]:
    tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=False)
            if docstring:
                yield getattr(node, "lineno", 1), docstring


@pytest.mark.parametrize("name", markdown_files())
def test_markdown_links_resolve(name: str) -> None:
    assert list(broken_links(ROOT / name)) == []


@pytest.mark.parametrize("name", markdown_files())
def test_markdown_cites_only_repository_files(name: str) -> None:
    path = ROOT / name
    assert sorted(set(uncited(path.read_text(encoding="utf-8"), path.parent))) == []


@pytest.mark.parametrize("name", python_files())
def test_docstrings_cite_only_repository_files(name: str) -> None:
    base = (ROOT / name).parent
    missing = {f"line {line}: {cited}" for line, text in docstrings(name) for cited in uncited(text, base)}
    assert sorted(missing) == []


def test_the_checks_catch_what_they_are_for(tmp_path: Path) -> None:
    """A citation of a file the repository lacks, and a link to one, are both found."""
    text = "see DESIGN.md, ../shared/NOTES.md and spec/nope.md, not `src/kerasspec/parser.py` or a .keras file"
    assert list(uncited(text, ROOT)) == ["DESIGN.md", "../shared/NOTES.md", "spec/nope.md"]
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n[ok](#title) [gone](#nowhere) [spec](spec/errors.md#no-such-code) [x](nope.md)\n")
    assert list(broken_links(page)) == [
        "#nowhere: no heading or anchor #nowhere in page.md",
        "spec/errors.md#no-such-code: no heading or anchor #no-such-code in errors.md",
        "nope.md: no such file in the repository",
    ]

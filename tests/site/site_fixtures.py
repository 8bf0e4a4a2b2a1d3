"""Results files for the site tests: the fixture corpus read by a correct, a lying and a hostile reader."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import kerasspec
from kerasspec import corpus
from kerasspec.harness import ProtocolParser, run

HARNESS = Path(__file__).resolve().parent.parent / "harness"
REPO = HARNESS.parent.parent
EXAMPLE_SCANNER = REPO / "adapters" / "examples" / "scanner" / "adapter.py"
# Models with code (a Lambda at the top level and nested) in .json, .keras and .h5, from the bundled corpus.
CODE_CASES = corpus.Selection(ids=("keras2/tf_keras-2.21.0/lambda-*",))
FIXTURE_CORPUS = HARNESS / "data" / "corpus"
FAKE = HARNESS / "fakes" / "parser.py"
# What a hostile reader puts in its name and in every document: markup, a terminal escape, a bell,
# a bidirectional override and lone surrogates (which UTF-8 cannot even encode).
HOSTILE = "<script>alert(1)</script>\x1b[31m\x07\u202e\udfff\ud800&amp;"


def liar_command() -> list[str]:
    return [sys.executable, str(FAKE), "liar", str(FIXTURE_CORPUS)]


def hostile_reader(text: str) -> Any:
    """The reference's answer with the model renamed, two layers renamed and an extra key: four differences."""
    document = kerasspec.parse(text).to_json()
    document["model"]["name"] = HOSTILE
    for layer in document["model"]["layers"][:2]:
        layer["class_name"] = HOSTILE
    document[HOSTILE] = HOSTILE
    return document


def make_results(folder: Path) -> dict[str, Path]:
    """Three results files, as `kerasspec check --results` writes them."""
    loaded = corpus.load(FIXTURE_CORPUS)
    paths = {name: folder / f"{name}.jsonl" for name in ("reference", "liar", "hostile")}
    kerasspec.check(
        kerasspec.parse,
        corpus=FIXTURE_CORPUS,
        results=paths["reference"],
        implementation={"name": "kerasspec reference", "version": kerasspec.__version__, "language": "python"},
    )
    parser = ProtocolParser(liar_command(), timeout=10, start_timeout=60)
    run(parser, loaded.cases, corpus=loaded, results_path=paths["liar"], strict_errors=True)
    kerasspec.check(
        hostile_reader,
        corpus=FIXTURE_CORPUS,
        results=paths["hostile"],
        implementation={"name": HOSTILE, "version": HOSTILE, "language": HOSTILE},
    )
    return paths


def make_scanner_results(folder: Path) -> dict[str, Path]:
    """A parser's and a scanner's results files over the same models with code (the bundled corpus).

    The scanner is the example scanner reading only the top-level layers, as modelscan 0.8.8 does:
    it misses every nested Lambda.
    """
    loaded = corpus.load()
    paths = {name: folder / f"{name}.jsonl" for name in ("reference", "top-level-scanner")}
    kerasspec.check(
        kerasspec.parse,
        selection=CODE_CASES,
        results=paths["reference"],
        implementation={"name": "kerasspec reference", "version": kerasspec.__version__, "language": "python"},
    )
    scanner = ProtocolParser([sys.executable, str(EXAMPLE_SCANNER), "top-level"], timeout=30, start_timeout=60)
    run(scanner, loaded.select(CODE_CASES), corpus=loaded, results_path=paths["top-level-scanner"])
    return paths

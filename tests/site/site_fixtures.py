"""Results files for the site tests: the fixture corpus read by a correct, a lying and a hostile reader."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import kerasspec
from kerasspec import corpus
from kerasspec.harness import ProtocolParser, run

HARNESS = Path(__file__).resolve().parent.parent / "harness"
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

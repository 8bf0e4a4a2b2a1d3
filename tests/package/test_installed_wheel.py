"""The package as users get it: built into an sdist and a wheel, the wheel installed (not editable) into
a fresh virtual environment, and used there the way the README says, from a folder outside the checkout.

Everything here runs the installed ``kerasspec`` command in a subprocess: nothing of the checkout is on
its path, and ``KERASSPEC_*`` variables are cleared, so a file missing from the wheel fails a test.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from _environment import REPO, Environment, uv

import kerasspec
from kerasspec import corpus, explain

pytestmark = pytest.mark.slow

WHEEL_LIMIT = 20 * 1024 * 1024


def test_sdist_and_wheel_are_built(dist: Path, wheel: Path) -> None:
    (sdist,) = dist.glob("kerasspec-*.tar.gz")
    assert wheel.name == f"kerasspec-{kerasspec.__version__}-py3-none-any.whl"
    assert sdist.name == f"kerasspec-{kerasspec.__version__}.tar.gz"


def test_wheel_contents(wheel: Path) -> None:
    assert wheel.stat().st_size < WHEEL_LIMIT
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {path.name for path in (REPO / "src/kerasspec/serialize/templates").glob("*.json")}
    assert templates and {f"kerasspec/serialize/templates/{name}" for name in templates} <= names
    assert "kerasspec/_bundled/corpus.zip" in names
    assert "kerasspec/_bundled/spec/generated/call-parameters.json" in names
    schemas = {path.relative_to(REPO).as_posix() for path in (REPO / "schemas").rglob("*.json")}
    assert {f"kerasspec/_bundled/{name}" for name in schemas} <= names


def test_bundled_corpus_is_the_corpus(installed: Environment) -> None:
    """The archive unpacks to exactly the checkout's corpus, file for file and byte for byte."""
    result = installed.run(installed.python, "-c", "from kerasspec import corpus; print(corpus.load().root)")
    assert result.returncode == 0, result.stderr
    unpacked = Path(result.stdout.strip())
    assert unpacked.is_relative_to(installed.home / "cache")
    want = {p.relative_to(REPO / "corpus"): p.read_bytes() for p in (REPO / "corpus").rglob("*") if p.is_file()}
    got = {p.relative_to(unpacked): p.read_bytes() for p in unpacked.rglob("*") if p.is_file()}
    got = {path: data for path, data in got.items() if not path.name.startswith(".kerasspec")}
    assert got.keys() == want.keys()
    assert [path for path in want if got[path] != want[path]] == []


def test_version(installed: Environment) -> None:
    result = installed.kerasspec("--version")
    assert result.returncode == 0, result.stderr
    spec = re.search(r"\*\*Version: (\S+?)\*\*", (REPO / "spec/README.md").read_text())
    protocol = re.search(r"Protocol version \*\*(\d+)\*\*", (REPO / "spec/protocol.md").read_text())
    assert spec and protocol
    assert result.stdout.splitlines() == [
        f"kerasspec {kerasspec.__version__}",
        f"spec {spec.group(1)}",
        f"corpus {corpus.load().version}",
        f"protocol {protocol.group(1)}",
    ]


def test_check_reference_on_a_selection(installed: Environment) -> None:
    selection = corpus.Selection(releases=("keras-3.15.1", "tf_keras-2.21.0"))
    expected = len(corpus.load().select(selection))
    result = installed.kerasspec(
        "check", "--adapter", "reference", "--release", "keras-3.15.1", "--release", "tf_keras-2.21.0",
        "--no-progress", "--report", "junit", "junit.xml", "--results", "selection.jsonl",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    results = (installed.home / "selection.jsonl").read_text().splitlines()
    outcomes = [json.loads(line).get("outcome") for line in results]
    assert outcomes.count("pass") == expected
    assert "<testsuite" in (installed.home / "junit.xml").read_text()


BROKEN_PARSER = textwrap.dedent(
    """
    # The reference parser with one bug of real readers: tensors passed by keyword are dropped.
    import json
    from kerasspec import parse
    from kerasspec.harness import serve

    def broken(text):
        document = parse(text).to_json()
        def strip(model):
            for layer in model["layers"]:
                for call in layer["calls"]:
                    call["kwargs"] = {k: v for k, v in call["kwargs"].items() if "tensor" not in json.dumps(v)}
                if "model" in layer:
                    strip(layer["model"])
        strip(document["model"])
        return document

    serve(broken, implementation={"name": "broken", "version": "0", "language": "python"})
    """
)


def test_fuzz_finds_and_shrinks_a_broken_parser(installed: Environment) -> None:
    (installed.home / "broken.py").write_text(BROKEN_PARSER)
    result = installed.kerasspec(
        "check", "--no-progress", "--case", "keras3/keras-3.15.1/mha-*", "--fuzz", "20", "--fuzz-seed", "3",
        "--found", "found", "--", installed.python, "broken.py",
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"fuzz: \d+ generated cases, [1-9]\d* minimal failure", result.stdout), result.stdout
    models = sorted((installed.home / "found").rglob("model.json"))
    assert models, "no shrunk case was written"
    smallest = min(len(json.loads(path.read_text())["config"]["layers"]) for path in models)
    assert smallest <= 4, f"not shrunk: the smallest failing model has {smallest} layers"


def test_validate(installed: Environment) -> None:
    case = corpus.load().case("keras3/keras-3.15.1/mha-positional")
    result = installed.kerasspec("validate", "-", stdin=case.read_input())
    assert (result.returncode, result.stdout) == (0, "valid (keras3)\n"), result.stderr
    broken = installed.kerasspec("validate", "-", stdin='{"class_name": "Functional", "config": []}')
    assert broken.returncode == 65
    assert broken.stderr.startswith("error[")


def test_pytest_plugin(installed: Environment) -> None:
    selection = corpus.Selection(ids=("keras3/keras-3.15.1/mha-*",))
    expected = len(corpus.load().select(selection))
    result = installed.run(
        installed.python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "--kerasspec-adapter", "reference", "--kerasspec-case", "keras3/keras-3.15.1/mha-*",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{expected} passed" in result.stdout


def test_missing_fuzz_extra_is_said_before_any_work(bare: Environment) -> None:
    result = bare.kerasspec("check", "--adapter", "reference", "--fuzz", "5")
    assert result.returncode == 2
    assert result.stderr == "error: --fuzz needs the 'fuzz' extra: pip install 'kerasspec[fuzz]'\n"
    assert not (bare.home / "reports").exists(), "the corpus ran before the missing extra was reported"


def test_missing_fuzz_extra_in_the_pytest_plugin(bare: Environment) -> None:
    uv("pip", "install", "--quiet", "--python", bare.python, "pytest")
    result = bare.run(bare.python, "-m", "pytest", "-p", "no:cacheprovider", "--kerasspec-adapter", "reference",
                      "--kerasspec-fuzz", "5")  # fmt: skip
    assert result.returncode != 0
    assert "--kerasspec-fuzz needs the 'fuzz' extra: pip install 'kerasspec[fuzz]'" in result.stderr
    assert "passed" not in result.stdout


def test_missing_h5_extra(bare: Environment, tmp_path: Path) -> None:
    (bare.home / "model.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(504))
    for command in ("parse", "explain", "validate"):
        result = bare.kerasspec(command, "model.h5")
        assert (result.returncode, result.stdout) == (2, ""), command
        assert result.stderr == (
            "error: reading model.h5 (an .h5 file) needs the 'h5' extra: pip install 'kerasspec[h5]'\n"
        ), command


REAL_FILES = textwrap.dedent(
    """
    # Write a .keras archive with Keras 3 and a legacy .h5 file with tf_keras: a keyword call and a list call.
    import sys
    from pathlib import Path
    out = Path(sys.argv[1])

    import keras
    q, v = keras.Input((4, 8), name="q"), keras.Input((6, 8), name="v")
    y = keras.layers.MultiHeadAttention(2, 4, name="mha")(q, value=v)
    z = keras.layers.Attention(name="att")([q, v])
    keras.Model([q, v], [y, z]).save(out / "model.keras")

    import tf_keras
    q, v = tf_keras.Input((4, 8), name="q"), tf_keras.Input((6, 8), name="v")
    y = tf_keras.layers.MultiHeadAttention(2, 4, name="mha")(q, value=v)
    z = tf_keras.layers.Attention(name="att")([q, v])
    tf_keras.Model([q, v], [y, z]).save(out / "model.h5")
    """
)


@pytest.fixture(scope="module")
def real_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .keras and an .h5 file written by the real Keras of the test environment."""
    out = tmp_path_factory.mktemp("real")
    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    subprocess.run([sys.executable, "-c", REAL_FILES, str(out)], check=True, env=env, timeout=600)
    return out


@pytest.mark.keras
@pytest.mark.parametrize("name", ["model.keras", "model.h5"])
def test_parse_and_explain_real_files(installed: Environment, real_files: Path, name: str) -> None:
    path = real_files / name
    parsed = installed.kerasspec("parse", str(path))
    assert parsed.returncode == 0, parsed.stderr
    document = kerasspec.parse(path)
    assert json.loads(parsed.stdout) == document.to_json()
    mha = next(layer for layer in document.model.layers if layer.name == "mha")
    assert "value" in mha.calls[0].kwargs, "the keyword tensor was not read"
    explained = installed.kerasspec("explain", str(path))
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.splitlines() == list(explain.lines(document))

"""parse() reads a path to a .json file, a .keras archive (its config.json) or a legacy .h5 file
(its model_config attribute, with h5py), and gives the same document as for the text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import h5py
import pytest

from kerasspec import ParseError, parse
from kerasspec.corpus import load

CASE = load().case("keras3/keras-3.15.1/mha-positional")


def test_json_path(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(CASE.read_input())
    assert parse(path).to_json() == CASE.read_expected()


def test_keras_archive(tmp_path: Path) -> None:
    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", '{"keras_version": "3.15.1"}')
        archive.writestr("config.json", CASE.read_input())
        archive.writestr("model.weights.h5", b"never read")
    assert parse(path).to_json() == CASE.read_expected()


def test_h5_file(tmp_path: Path) -> None:
    path = tmp_path / "model.h5"
    with h5py.File(path, "w") as file:
        file.attrs["model_config"] = CASE.read_input().encode()
        file.attrs["keras_version"] = "3.15.1"
    assert parse(path).to_json() == CASE.read_expected()


def test_h5_without_model_config(tmp_path: Path) -> None:
    path = tmp_path / "weights.h5"
    with h5py.File(path, "w") as file:
        file.create_dataset("kernel", data=[1.0])
    with pytest.raises(ParseError) as caught:
        parse(path)
    assert caught.value.line() == (
        "error[not-a-model]: the .h5 file has no model_config attribute (a weights-only file?) at $"
    )


def test_archive_without_config(tmp_path: Path) -> None:
    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", "{}")
    with pytest.raises(ParseError) as caught:
        parse(path)
    assert caught.value.code == "not-a-model"


def test_archive_member_over_the_limit_is_too_large(tmp_path: Path) -> None:
    from kerasspec import Limits

    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", " " * 10_000 + CASE.read_input())
    with pytest.raises(ParseError) as caught:
        parse(path, limits=Limits(max_bytes=5_000))
    assert caught.value.code == "too-large"

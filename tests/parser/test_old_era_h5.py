"""An .h5 file dates its model_config by its root keras_version (spec/keras2.md#node-numbering-before-2-4).

The files in data/old-era-h5/ were written by standalone Keras 2.2.4 and 2.3.1 (`write.py` there): a
Sequential whose dict-shaped config holds a Functional calling a Sequential without an InputLayer
twice. Their model_config alone looks like a later release's, and reads off by one; the root
attribute says which release wrote it. The expected documents are the corpus's, from the live models.
"""

from __future__ import annotations

from pathlib import Path

import h5py
import pytest

from kerasspec import ParseError, parse
from kerasspec.corpus import load

DATA = Path(__file__).parent / "data" / "old-era-h5"
RELEASES = ["keras-2.2.4", "keras-2.3.1"]
CORPUS = load()


def _case(release: str, container: str = "") -> str:
    return f"keras2/{release}/legacy-sequential-holds-nested-twice" + (f"/{container}" if container else "")


@pytest.mark.parametrize("release", RELEASES)
def test_the_root_keras_version_dates_the_model_config(release: str) -> None:
    expected = CORPUS.case(_case(release)).read_expected()  # to_json, which names its release
    assert parse(DATA / f"{release}.h5").to_json() == expected


@pytest.mark.parametrize("release", RELEASES)
def test_the_model_config_alone_is_misread(release: str) -> None:
    case = CORPUS.case(_case(release, "h5"))
    with h5py.File(DATA / f"{release}.h5", "r") as file:
        attribute = file.attrs["model_config"]
    text = attribute.decode() if isinstance(attribute, bytes) else attribute
    assert text == case.read_input()
    assert (case.kind, case.error) == ("invalid", "node-index-out-of-range")
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert caught.value.code == "node-index-out-of-range"


@pytest.mark.parametrize("version", [b"", b"weights only", b"4.0.0", b"2.3.1" * 20])
def test_a_root_keras_version_that_names_no_release_is_ignored(tmp_path: Path, version: bytes) -> None:
    # A top-level Model dates this model_config (Keras before 2.4) when nothing else does; an
    # attribute that names no release must not overrule that.
    case = CORPUS.case("keras2/keras-2.3.1/legacy-nested-sequential-twice/h5")
    path = tmp_path / "model.h5"
    with h5py.File(path, "w") as file:
        file.attrs["model_config"] = case.read_input().encode()
        file.attrs["keras_version"] = version
    assert parse(path).to_json() == case.read_expected()

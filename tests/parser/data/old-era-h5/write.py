"""Write the real .h5 files of this folder: run with a standalone Keras producer's Python.

    .cache/producers/keras-2.3.1/bin/python tests/parser/data/old-era-h5/write.py

builds the generator recipe `legacy-sequential-holds-nested-twice` with that Keras (on Theano, as the
generator runs it) and saves it with `model.save`: the file Keras wrote, weights and root attributes
`keras_version` and `backend` included, as `<release>.h5` beside this script.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
sys.path.insert(0, str(REPO))

from generator import _worker  # noqa: E402  (the path above first)

RECIPE = "legacy-sequential-holds-nested-twice"


def main() -> None:
    os.environ["PYTHONHASHSEED"] = "0"
    _worker.legacy_environment(tempfile.mkdtemp(prefix="kerasspec-h5-"))
    from importlib.metadata import version

    release = version("keras")
    producer = _worker.Producer({"format": "keras2", "package": "keras", "version": release, "backend": "theano"})
    producer.reset()
    from generator.recipes import RECIPES

    model = RECIPES[RECIPE].build(producer.kit())
    model.save(str(HERE / f"keras-{release}.h5"))


if __name__ == "__main__":
    main()

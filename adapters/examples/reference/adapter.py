"""The reference adapter, runnable from a checkout: ``python adapters/examples/reference/adapter.py``.

It is :mod:`kerasspec.harness.reference` (``kerasspec.parse`` on the protocol), which is what
``kerasspec check --adapter reference`` starts; this file exists so that every adapter lives in
``adapters/`` and so that a maintainer of a Python reader has a three-line model to copy.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))  # a checkout without pip install

from kerasspec.harness.reference import main

if __name__ == "__main__":
    sys.exit(main())

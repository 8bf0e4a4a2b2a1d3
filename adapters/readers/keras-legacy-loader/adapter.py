"""Standalone Keras 1.x-2.3's own loader on the kerasspec protocol; run it with such a producer venv's python."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _keras_loader import main

if __name__ == "__main__":
    sys.exit(main("keras-legacy"))

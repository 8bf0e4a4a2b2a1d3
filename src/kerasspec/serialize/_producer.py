"""A producer release: the Keras package and version whose wire format the serializer imitates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Format = Literal["keras2", "keras3"]

#: Packages that write keras2 (tf.keras inside TensorFlow 2.x, and the tf_keras package).
KERAS2_PACKAGES = frozenset({"tf_keras", "tensorflow"})

_NAME = re.compile(r"^(keras|tf_keras|tensorflow)-(\d+(?:\.\d+)*)$")


@dataclass(frozen=True, order=True)
class Producer:
    """A release of a Keras package, e.g. ``keras-3.15.1`` or ``tf_keras-2.21.0``."""

    package: str
    version: tuple[int, ...]

    @classmethod
    def parse(cls, name: str | Producer) -> Producer:
        """Read ``"<package>-<version>"`` (the producer names of ``generator/matrix.toml``)."""
        if isinstance(name, Producer):
            return name
        match = _NAME.match(name)
        if match is None:
            raise ValueError(f"a producer is 'keras-X.Y.Z', 'tf_keras-X.Y.Z' or 'tensorflow-X.Y.Z', not {name!r}")
        return cls(match[1], tuple(int(part) for part in match[2].split(".")))

    @property
    def name(self) -> str:
        return f"{self.package}-{'.'.join(map(str, self.version))}"

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version))

    @property
    def format(self) -> Format:
        # The keras package wrote keras2 before 3.0 (standalone Keras 1.x and 2.x).
        keras2 = self.package in KERAS2_PACKAGES or (self.package == "keras" and self.version < (3,))
        return "keras2" if keras2 else "keras3"

    @property
    def old_era(self) -> bool:
        """Standalone Keras before 2.4 (spec/keras2.md#old-era)."""
        return self.package == "keras" and self.version < (2, 4)

    @property
    def list_sequential(self) -> bool:
        """Writes a Sequential's config as the bare list of its layers (Keras 1.0 to 2.2.2)."""
        return self.package == "keras" and self.version < (2, 2, 3)

    def at_least(self, *version: int) -> bool:
        return self.version >= version

    def __str__(self) -> str:
        return self.name

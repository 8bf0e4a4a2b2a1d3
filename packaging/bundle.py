"""Wheel build hook: the corpus goes into the wheel as one archive (``kerasspec/_bundled/corpus.zip``).

The archive format belongs to ``src/kerasspec/_archive.py``, which also unpacks it at run time; it is
loaded here by path because the build environment does not have the package installed.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CorpusArchiveHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":  # an editable install reads the checkout's corpus/ in place
            return
        root = Path(self.root)
        spec = importlib.util.spec_from_file_location("_kerasspec_archive", root / "src/kerasspec/_archive.py")
        assert spec is not None and spec.loader is not None
        archive = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = archive
        spec.loader.exec_module(archive)
        self._scratch = tempfile.TemporaryDirectory()
        target = Path(self._scratch.name) / "corpus.zip"
        archive.write(root / "corpus", target)
        build_data["force_include"][str(target)] = "kerasspec/_bundled/corpus.zip"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if hasattr(self, "_scratch"):
            self._scratch.cleanup()

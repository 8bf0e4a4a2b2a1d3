"""Every recipe module in this package, imported in sorted order so that RECIPES fills.

Importing is all it takes: each module registers its recipes with ``@recipe``. Modules
starting with an underscore (the registry) are not recipe modules.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._registry import RECIPES, Kit, Recipe, recipe

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if not _module.startswith("_"):
        importlib.import_module(f"{__name__}.{_module}")

__all__ = ["RECIPES", "Kit", "Recipe", "recipe"]

"""Shared pytest configuration.

Tests marked ``keras`` import a real Keras (keras 3 and tf_keras); without them they fail, they are
never skipped: ``scripts/test`` installs them.  Deselect them explicitly with ``-m "not keras"``.
"""

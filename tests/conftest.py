"""Shared pytest configuration.

Tests marked ``keras`` import a real Keras (keras 3 and tf_keras); without them they fail, they are
never skipped: ``scripts/test`` installs them.  Deselect them explicitly with ``-m "not keras"``.

Hypothesis settings are profiles registered here, one name per use, so that no test spells its own:

* ``dev`` (loaded unless ``KERASSPEC_HYPOTHESIS_PROFILE`` names another): no deadline and no
  too-slow health check, because drawing a model costs milliseconds on a loaded machine;
* ``ci``: ``dev`` derandomized, without the example database, so that a CI run is reproducible
  (``.ci/run`` loads it; ``models`` and ``long`` then build on it too);
* ``models``: properties over generated models (60 examples each: a model is slow to draw);
* ``long``: the ``slow`` runs of the same properties (3,000 examples);
* ``replay``: gathering a fixed set of examples with ``@seed`` (no shrinking, no database, every
  health check off), for tests that compare the draws with something outside Hypothesis.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", settings.get_profile("dev"), derandomize=True, database=None)
_PROFILE = os.environ.get("KERASSPEC_HYPOTHESIS_PROFILE", "dev")
# models and long build on the loaded base, so that a ci run derandomizes them too.
_BASE = settings.get_profile(_PROFILE if _PROFILE in ("dev", "ci") else "dev")
settings.register_profile("models", _BASE, max_examples=60)
settings.register_profile("long", _BASE, max_examples=3000)
settings.register_profile(
    "replay",
    database=None,
    deadline=None,
    phases=(Phase.generate,),
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(_PROFILE)

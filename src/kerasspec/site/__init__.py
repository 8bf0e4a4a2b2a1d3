"""A static results site: every reader's conformance, browsable, with a reproduction for every failure.

``kerasspec site RESULTS... --out DIR`` (or :func:`build`) reads results files of ``kerasspec check``
and writes plain HTML and CSS, no scripts, nothing fetched when viewed:

* ``index.html``: one row per reader, its pass rate on keras2 models, keras3 models and inputs it
  must reject (and, where a scanner's results are among the files, on the files a scanner is
  handed), its version and the suite's four versions;
* ``readers/<reader>/index.html``: its feature x release grids, each cell linking to its failures
  (``cells/``), and ``badge.svg``;
* ``readers/<reader>/failures/``: a page per failing case with the input at the failing place, the
  expected and actual documents, every difference, and the command that re-runs it.

Everything a parser wrote is escaped (:mod:`kerasspec.site._escape`).
"""

from kerasspec.site._build import Built, SiteError, build

__all__ = ["Built", "SiteError", "build"]

"""The conformance harness: run a parser, in any language, over the corpus and report what it gets wrong.

The protocol is ``spec/protocol.md``. The public API:

* :func:`check` runs a Python parse function over the corpus and returns the :class:`Run`;
* :func:`run` drives any :class:`Parser` (:class:`ProtocolParser`, :class:`PerCaseParser`,
  :class:`FunctionParser`, or :class:`Parallel`, several of them side by side) over chosen cases;
* :func:`serve` puts a Python parse function on the protocol (for writing adapters);
* :func:`judge` decides one case's outcome from a parser's :class:`Answer` (for other drivers, such
  as the fuzzer); :func:`load_results` reads a results file back into a :class:`Run`;
* :class:`Outcome`, :class:`CaseResult` and :class:`Run` are what a run records; :func:`tally` counts
  outcomes by group into :class:`Tally` cells, as every report does.
"""

from kerasspec.harness._known import KnownFailures, KnownFailuresError
from kerasspec.harness._known import load as load_known_failures
from kerasspec.harness._matrix import Tally, tally
from kerasspec.harness._outcomes import Answer, CaseResult, judge
from kerasspec.harness._parallel import Parallel
from kerasspec.harness._parsers import FunctionParser, Parser, PerCaseParser, ProtocolParser
from kerasspec.harness._protocol import PROTOCOL_VERSION
from kerasspec.harness._run import Run
from kerasspec.harness._runner import load_results, run
from kerasspec.harness._serve import serve
from kerasspec.vocabulary import Outcome

__all__ = [
    "PROTOCOL_VERSION",
    "Answer",
    "CaseResult",
    "FunctionParser",
    "KnownFailures",
    "KnownFailuresError",
    "Outcome",
    "Parallel",
    "Parser",
    "PerCaseParser",
    "ProtocolParser",
    "Run",
    "Tally",
    "judge",
    "load_known_failures",
    "load_results",
    "run",
    "serve",
    "tally",
]

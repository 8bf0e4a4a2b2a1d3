"""Format detection (spec/envelope.md#format-detection) on inputs that no corpus case can hold.

The corpus pins each detection step with a case; what is here cannot be a valid or an invalid
case because the input is rejected whatever its format (its code is the same in both).
"""

from __future__ import annotations

from _models import k3_call, k3_layer, keras3, tensor

from kerasspec.parser import detect_format
from kerasspec.validate import detect_schema


def test_a_null_among_the_layers_does_not_end_the_walk() -> None:
    # Step 2 reads the first node in document order. A JSON null in a layers list is no layer (the
    # reader rejects it with bad-layer), but `kerasspec validate` picks its schema from the detected
    # format first: the walk must skip the null and find the keras3 node after it, not stop there and
    # fall through to step 5 (no module on the envelope: keras2).
    document = keras3([None, k3_layer("x", [], "InputLayer"), k3_layer("d", [k3_call(tensor("x"))])])
    for key in ("module", "registered_name"):
        del document[key]
    assert detect_format(document) == "keras3"
    assert detect_schema(document) == "keras3"

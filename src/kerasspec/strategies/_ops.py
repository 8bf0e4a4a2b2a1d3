"""Steps that draw one operation on tensors: keras3 ``ops`` layers, keras2 ``TFOpLambda`` calls, slicing.

Each returns whether it could draw a call (see :mod:`._layers`).
"""

from __future__ import annotations

from hypothesis import strategies as st

from kerasspec.canonical import Call, Const, DictValue, ListValue, ObjectValue
from kerasspec.serialize import TensorInfo

from ._builder import Builder, is_float, is_rank3
from ._record import LayerRecord

SLICE_ALL = {"class_name": "__slice__", "config": {"start": None, "stop": None, "step": None}}


def op_multiply(b: Builder) -> bool:
    x = b.pick(is_float)
    if x is None:
        return False
    info = b.info(x)
    # The constant may come first: keras2 then writes a _CONSTANT_VALUE entry and the tensor
    # goes into kwargs under the op's second parameter name.
    const_first = b.wants("const-in-args") and b.draw(st.booleans())
    # TensorFlow types a leading Python int as int32 and refuses to multiply it by a float tensor.
    factors = (2.0, 0.5) if const_first and b.settings.format == "keras2" else (2.0, 0.5, 3)
    factor = Const(b.draw(st.sampled_from(factors)))
    if b.settings.format == "keras3":
        if not b.admit("ops.multiply"):
            return False
        layer = LayerRecord(b.fresh("multiply_op"), "ops.multiply")
        call = Call((factor, x) if const_first else (x, factor), {})
        b.used.add("ops")
    else:
        layer = LayerRecord(b.fresh("tf.math.multiply"), "tf.math.multiply")
        call = Call((factor,), {"y": x}) if const_first else Call((x,), {"y": factor})
        b.used.add("tfoplambda")
        if const_first:
            b.used.add("tensor-in-kwargs")
    if const_first:
        b.used.add("const-in-args")
    # keras2 builds a layer with the shape of its first argument: a scalar here when it is the constant
    first_shape = () if const_first else info.shape
    b.add_call(layer, call, (TensorInfo(info.shape),), (first_shape,))
    return True


def op_join(b: Builder) -> bool:
    x = b.pick(is_float)
    if x is None:
        return False
    info = b.info(x)
    y = b.pick(b.shaped(info.shape))
    assert y is not None
    if b.settings.format == "keras3":
        if not b.admit("ops.add"):
            return False
        layer = LayerRecord(b.fresh("add_op"), "ops.add")
        b.add_call(layer, Call((x, y), {}), (TensorInfo(info.shape),), (info.shape, info.shape))
        b.used.add("ops")
    else:
        assert info.shape is not None
        layer = LayerRecord(b.fresh("tf.concat"), "tf.concat")
        width = info.shape[-1]
        assert width is not None
        out = TensorInfo((*info.shape[:-1], 2 * width))
        b.add_call(layer, Call((ListValue((x, y)),), {"axis": Const(-1)}), (out,), ((info.shape, info.shape),))
        b.used.update({"tfoplambda", "list-call"})
    return True


def op_stack(b: Builder) -> bool:
    """keras2 ``tf.stack([[x, y], [y, x]], axis=1)``: a structure-preserving node of nested lists of entries."""
    picked = b.pick_shaped(is_float) if b.settings.format == "keras2" else None
    if picked is None:
        return False
    x, shape = picked
    y = b.pick(b.shaped(shape))
    assert y is not None  # ``x`` itself qualifies
    layer = LayerRecord(b.fresh("tf.stack"), "tf.stack")
    value = ListValue((ListValue((x, y)), ListValue((y, x))))
    # TensorFlow packs each inner list into a tensor of 2 first, then stacks the two on axis 1.
    out = TensorInfo((2, 2, *shape))
    b.add_call(layer, Call((value,), {"axis": Const(1)}), (out,), (((shape, shape), (shape, shape)),))
    b.used.update({"tfoplambda", "list-call", "nested-call"})
    return True


def op_slice(b: Builder) -> bool:
    x = b.pick(is_rank3)
    if x is None:
        return False
    shape = b.info(x).shape
    assert shape is not None
    out = (TensorInfo((shape[0], shape[2])),)
    if b.settings.format == "keras3":
        layer = LayerRecord(b.fresh("get_item"), "ops.getitem")
        call = Call((x, ListValue((ObjectValue(SLICE_ALL), Const(0)))), {})
        b.used.update({"ops", "slicing", "typed-objects"})
    else:
        layer = LayerRecord(b.fresh("tf.__operators__.getitem"), "tf.__operators__.getitem")
        spec = DictValue({"start": Const(None), "stop": Const(None), "step": Const(None)})
        call = Call((x,), {"slice_spec": ListValue((spec, Const(0)))})
        b.used.update({"tfoplambda", "slicing"})
    b.add_call(layer, call, out, (shape,))
    return True

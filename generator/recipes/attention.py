"""Recipes for attention: list-call Attention/AdditiveAttention, kwarg-call MultiHeadAttention."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe


def _qv(k: Kit, tq: int = 3, tv: int = 5, dim: int = 4) -> tuple[Any, Any]:
    return k.Input(shape=(tq, dim), name="query"), k.Input(shape=(tv, dim), name="value")


def _mha(k: Kit, name: str = "mha") -> Any:
    return k.layers.MultiHeadAttention(num_heads=2, key_dim=2, name=name)


@recipe("attention-dot", tags=["list-call", "multi-io"])
def attention_dot(k: Kit) -> Any:
    """Attention()([query, value]): dot-product attention called on a two-item list."""
    q, v = _qv(k)
    y = k.layers.Attention(name="attn")([q, v])
    return k.Model([q, v], y, name="attention_dot")


@recipe("attention-query-value-key", tags=["list-call", "multi-io"])
def attention_query_value_key(k: Kit) -> Any:
    """Attention()([query, value, key]): a three-item list, the key computed from the value."""
    q, v = _qv(k)
    key = k.layers.Dense(4, name="key_proj")(v)
    y = k.layers.Attention(name="attn")([q, v, key])
    return k.Model([q, v], y, name="attention_query_value_key")


@recipe("attention-scores", tags=["list-call", "const-kwargs", "multi-output", "multi-io"])
def attention_scores(k: Kit) -> Any:
    """Attention(return_attention_scores=True): a list call, a constant kwarg, two outputs."""
    q, v = _qv(k)
    out, scores = k.layers.Attention(name="attn")([q, v], return_attention_scores=True)
    return k.Model([q, v], [out, scores], name="attention_scores")


@recipe("attention-additive", tags=["list-call", "multi-io"])
def attention_additive(k: Kit) -> Any:
    """AdditiveAttention()([query, value]) followed by pooling of the result."""
    q, v = _qv(k)
    y = k.layers.AdditiveAttention(name="additive")([q, v])
    y = k.layers.GlobalAveragePooling1D(name="pool")(y)
    return k.Model([q, v], y, name="attention_additive")


@recipe("attention-list-mask", tags=["list-call", "mask-kwarg", "tensor-in-kwargs", "multi-io"])
def attention_list_mask(k: Kit) -> Any:
    """Attention with mask=[query_mask, value_mask]: a list of tensors inside a kwarg."""
    q, v = _qv(k)
    qm = k.Input(shape=(3,), dtype="bool", name="query_mask")
    vm = k.Input(shape=(5,), dtype="bool", name="value_mask")
    y = k.layers.Attention(name="attn")([q, v], mask=[qm, vm])
    return k.Model([q, v, qm, vm], y, name="attention_list_mask")


@recipe("mha-positional", tags=["positional-call", "tensor-in-kwargs", "multi-io"])
def mha_positional(k: Kit) -> Any:
    """MultiHeadAttention(query, value): two positional tensors; keras2 makes only one an entry."""
    q, v = _qv(k)
    y = _mha(k)(q, v)
    return k.Model([q, v], y, name="mha_positional")


@recipe("mha-positional-key", tags=["positional-call", "tensor-in-kwargs", "multi-io"])
def mha_positional_key(k: Kit) -> Any:
    """MultiHeadAttention(query, value, key): three positional tensors."""
    q, v = _qv(k)
    key = k.Input(shape=(5, 4), name="key")
    y = _mha(k)(q, v, key)
    return k.Model([q, v, key], y, name="mha_positional_key")


@recipe("mha-keyword", tags=["kwarg-call", "tensor-in-kwargs", "multi-io"])
def mha_keyword(k: Kit) -> Any:
    """MultiHeadAttention(query=, value=, key=): every tensor passed by keyword, none positional."""
    q, v = _qv(k)
    key = k.Input(shape=(5, 4), name="key")
    y = _mha(k)(query=q, value=v, key=key)
    return k.Model([q, v, key], y, name="mha_keyword")


@recipe("mha-self-attention", tags=["positional-call", "tensor-in-kwargs", "single-io"])
def mha_self_attention(k: Kit) -> Any:
    """MultiHeadAttention(x, x): the same tensor as query and value."""
    x = k.Input(shape=(4, 4), name="x")
    y = _mha(k)(x, x)
    return k.Model(x, y, name="mha_self_attention")


@recipe("mha-attention-mask", tags=["kwarg-call", "tensor-in-kwargs", "mask-kwarg", "multi-io"])
def mha_attention_mask(k: Kit) -> Any:
    """MultiHeadAttention(q, v, attention_mask=m): a boolean mask tensor by keyword."""
    q, v = _qv(k)
    m = k.Input(shape=(3, 5), dtype="bool", name="attention_mask")
    y = _mha(k)(q, v, attention_mask=m)
    return k.Model([q, v, m], y, name="mha_attention_mask")


@recipe(
    "mha-all-positional",
    tags=["positional-call", "tensor-in-kwargs", "mask-kwarg", "multi-io"],
)
def mha_all_positional(k: Kit) -> Any:
    """MultiHeadAttention(q, v, k, mask): four positional tensors, the mask in position four."""
    q, v = _qv(k)
    key = k.Input(shape=(5, 4), name="key")
    m = k.Input(shape=(3, 5), dtype="bool", name="attention_mask")
    y = _mha(k)(q, v, key, m)
    return k.Model([q, v, key, m], y, name="mha_all_positional")


@recipe("mha-causal", tags=["kwarg-call", "const-kwargs", "single-io"])
def mha_causal(k: Kit) -> Any:
    """MultiHeadAttention(x, x, use_causal_mask=True): a constant boolean kwarg."""
    x = k.Input(shape=(4, 4), name="x")
    y = _mha(k)(query=x, value=x, use_causal_mask=True)
    return k.Model(x, y, name="mha_causal")


@recipe(
    "mha-scores",
    tags=["positional-call", "const-kwargs", "multi-output", "tensor-in-kwargs", "multi-io"],
)
def mha_scores(k: Kit) -> Any:
    """MultiHeadAttention with return_attention_scores=True: output 1 is the scores tensor."""
    q, v = _qv(k)
    out, scores = _mha(k)(q, v, return_attention_scores=True)
    pooled = k.layers.GlobalAveragePooling1D(name="pool")(out)
    return k.Model([q, v], [pooled, scores], name="mha_scores")


@recipe(
    "mha-mixed-call",
    tags=[
        "positional-call",
        "kwarg-call",
        "tensor-in-kwargs",
        "mask-kwarg",
        "training-kwarg",
        "const-kwargs",
        "multi-io",
    ],
)
def mha_mixed_call(k: Kit) -> Any:
    """MultiHeadAttention(q, value=, key=, attention_mask=, training=): positional and keyword."""
    q, v = _qv(k)
    key = k.layers.Dense(4, name="key_proj")(v)
    m = k.Input(shape=(3, 5), dtype="bool", name="attention_mask")
    y = _mha(k)(q, value=v, key=key, attention_mask=m, training=False)
    return k.Model([q, v, m], y, name="mha_mixed_call")


@recipe("mha-shared", tags=["positional-call", "shared-layer", "tensor-in-kwargs", "multi-io"])
def mha_shared(k: Kit) -> Any:
    """One MultiHeadAttention called twice, the second call's query is the first call's output."""
    q, v = _qv(k)
    mha = _mha(k)
    h1 = mha(q, v)
    h2 = mha(h1, v)
    return k.Model([q, v], [h1, h2], name="mha_shared")


@recipe(
    "attention-list-and-mha",
    tags=["list-call", "positional-call", "kwarg-call", "tensor-in-kwargs", "multi-io"],
)
def attention_list_and_mha(k: Kit) -> Any:
    """Attention, AdditiveAttention and MultiHeadAttention side by side, merged by Concatenate."""
    q, v = _qv(k)
    a1 = k.layers.Attention(name="dot_attn")([q, v])
    a2 = k.layers.AdditiveAttention(name="add_attn")([q, v])
    a3 = _mha(k)(query=q, value=v)
    a4 = _mha(k, "mha_pos")(q, v)
    y = k.layers.Concatenate(name="cat")([a1, a2, a3, a4])
    return k.Model([q, v], y, name="attention_list_and_mha")

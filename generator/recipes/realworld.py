"""Real-world recipes: keras.applications architectures and Transformer layouts built from layers.

Applications are built with weights=None (no download) and small inputs; where it keeps the JSON
moderate, include_top=False with pooling.
"""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe

KERAS3 = ("keras3",)


def _app(k: Kit, name: str, **kwargs: Any) -> Any:
    return getattr(k.keras.applications, name)(weights=None, **kwargs)


@recipe("app-resnet50", tags=["real-world", "list-call", "single-io"])
def app_resnet50(k: Kit) -> Any:
    """keras.applications.ResNet50: residual Add blocks over ~175 layers."""
    return _app(k, "ResNet50", input_shape=(32, 32, 3), include_top=False, pooling="avg")


@recipe("app-mobilenetv3small", tags=["real-world", "list-call", "single-io"])
def app_mobilenetv3small(k: Kit) -> Any:
    """keras.applications.MobileNetV3Small: hard-swish built from arithmetic on tensors."""
    return _app(k, "MobileNetV3Small", input_shape=(32, 32, 3), include_top=False, pooling="avg", minimalistic=False)


@recipe("app-efficientnetb0", tags=["real-world", "list-call", "single-io"])
def app_efficientnetb0(k: Kit) -> Any:
    """keras.applications.EfficientNetB0: squeeze-and-excite Multiply, Rescaling, Normalization."""
    return _app(k, "EfficientNetB0", input_shape=(32, 32, 3), include_top=False, pooling="avg")


@recipe("app-convnexttiny", tags=["real-world", "nested-sequential", "single-io"])
def app_convnexttiny(k: Kit) -> Any:
    """keras.applications.ConvNeXtTiny: nested Sequential stems, LayerScale, residual arithmetic."""
    return _app(k, "ConvNeXtTiny", input_shape=(32, 32, 3), include_top=False, pooling="avg")


@recipe("app-densenet121", tags=["real-world", "list-call", "single-io"])
def app_densenet121(k: Kit) -> Any:
    """keras.applications.DenseNet121: hundreds of Concatenate list calls."""
    return _app(k, "DenseNet121", input_shape=(32, 32, 3), include_top=False, pooling="avg")


@recipe("app-vgg16", tags=["real-world", "single-io"])
def app_vgg16(k: Kit) -> Any:
    """keras.applications.VGG16 without its top: a plain chain written as a Functional model."""
    return _app(k, "VGG16", input_shape=(32, 32, 3), include_top=False, pooling="max")


def _positions(k: Kit, token_ids: Any) -> Any:
    """Position ids 0..T-1 computed from the token tensor with ops (symbolic, no constant)."""
    return k.ops.subtract(k.ops.cumsum(k.ops.ones_like(token_ids), axis=1), 1)


def _embed(k: Kit, token_ids: Any, vocab: int, length: int, dim: int) -> Any:
    tok = k.layers.Embedding(vocab, dim, name="token_embedding")(token_ids)
    pos = k.layers.Embedding(length, dim, name="position_embedding")(_positions(k, token_ids))
    return k.layers.Add(name="embeddings_add")([tok, pos])


def _feed_forward(k: Kit, x: Any, dim: int, prefix: str) -> Any:
    h = k.layers.Dense(dim * 2, activation="gelu", name=f"{prefix}_ffn_in")(x)
    h = k.layers.Dense(dim, name=f"{prefix}_ffn_out")(h)
    return k.layers.Dropout(0.1, name=f"{prefix}_ffn_dropout")(h)


@recipe(
    "bert-encoder",
    tags=[
        "real-world",
        "ops",
        "kwarg-call",
        "mask-kwarg",
        "tensor-in-kwargs",
        "list-call",
        "dict-io",
        "slicing",
        "typed-objects",
    ],
    formats=KERAS3,
)
def bert_encoder(k: Kit) -> Any:
    """A BERT-style encoder: padding mask to attention_mask by ops, post-LN blocks, dict I/O."""
    length, dim, vocab = 8, 16, 50
    token_ids = k.Input(shape=(length,), dtype="int32", name="token_ids")
    padding_mask = k.Input(shape=(length,), dtype="int32", name="padding_mask")
    x = _embed(k, token_ids, vocab, length, dim)
    x = k.layers.LayerNormalization(name="embeddings_layer_norm")(x)
    x = k.layers.Dropout(0.1, name="embeddings_dropout")(x)
    keep = k.ops.cast(padding_mask, "bool")
    attention_mask = k.ops.logical_and(keep[:, None, :], keep[:, :, None])
    for i in range(2):
        p = f"layer_{i}"
        a = k.layers.MultiHeadAttention(num_heads=2, key_dim=dim // 2, name=f"{p}_attention")(
            x, x, attention_mask=attention_mask
        )
        a = k.layers.Dropout(0.1, name=f"{p}_attention_dropout")(a)
        x = k.layers.Add(name=f"{p}_attention_residual")([x, a])
        x = k.layers.LayerNormalization(name=f"{p}_attention_layer_norm")(x)
        f = _feed_forward(k, x, dim, p)
        x = k.layers.Add(name=f"{p}_ffn_residual")([x, f])
        x = k.layers.LayerNormalization(name=f"{p}_ffn_layer_norm")(x)
    pooled = k.layers.Dense(dim, activation="tanh", name="pooler")(x[:, 0, :])
    return k.Model(
        {"token_ids": token_ids, "padding_mask": padding_mask},
        {"sequence_output": x, "pooled_output": pooled},
        name="bert_encoder",
    )


@recipe(
    "gpt-decoder",
    tags=[
        "real-world",
        "ops",
        "kwarg-call",
        "const-kwargs",
        "mask-kwarg",
        "tensor-in-kwargs",
        "list-call",
        "slicing",
        "typed-objects",
        "multi-io",
    ],
    formats=KERAS3,
)
def gpt_decoder(k: Kit) -> Any:
    """A GPT-style decoder: pre-LN blocks, MultiHeadAttention by keyword, padding and causal masks."""
    length, dim, vocab = 8, 16, 50
    token_ids = k.Input(shape=(length,), dtype="int32", name="token_ids")
    padding_mask = k.Input(shape=(length,), dtype="bool", name="padding_mask")
    attention_mask = padding_mask[:, None, :]
    x = _embed(k, token_ids, vocab, length, dim)
    for i in range(2):
        p = f"block_{i}"
        h = k.layers.LayerNormalization(name=f"{p}_attention_layer_norm")(x)
        a = k.layers.MultiHeadAttention(num_heads=2, key_dim=dim // 2, name=f"{p}_attention")(
            query=h, value=h, attention_mask=attention_mask, use_causal_mask=True
        )
        x = k.layers.Add(name=f"{p}_attention_residual")([x, a])
        h = k.layers.LayerNormalization(name=f"{p}_ffn_layer_norm")(x)
        x = k.layers.Add(name=f"{p}_ffn_residual")([x, _feed_forward(k, h, dim, p)])
    x = k.layers.LayerNormalization(name="final_layer_norm")(x)
    logits = k.layers.Dense(vocab, name="lm_head")(x)
    return k.Model([token_ids, padding_mask], logits, name="gpt_decoder")

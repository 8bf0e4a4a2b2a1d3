"""Recipes that mix list-call and kwarg-call layers, sharing and nesting in one model."""

from __future__ import annotations

from typing import Any

from ._registry import Kit, recipe


@recipe(
    "mix-transformer-block",
    tags=["list-call", "kwarg-call", "tensor-in-kwargs", "mask-kwarg", "training-kwarg", "const-kwargs", "multi-io"],
)
def mix_transformer_block(k: Kit) -> Any:
    """One encoder block: MultiHeadAttention by keyword with a mask, Add lists, Dropout(training=)."""
    x = k.Input(shape=(6, 8), name="x")
    m = k.Input(shape=(6, 6), dtype="bool", name="attention_mask")
    a = k.layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")(query=x, value=x, key=x, attention_mask=m)
    a = k.layers.Dropout(0.1, name="attn_dropout")(a, training=False)
    h = k.layers.LayerNormalization(name="ln_1")(k.layers.Add(name="res_1")([x, a]))
    f = k.layers.Dense(16, activation="relu", name="ffn_1")(h)
    f = k.layers.Dense(8, name="ffn_2")(f)
    y = k.layers.LayerNormalization(name="ln_2")(k.layers.Add(name="res_2")([h, f]))
    return k.Model([x, m], y, name="mix_transformer_block")


@recipe(
    "mix-seq2seq-attention",
    tags=["rnn-state", "multi-output", "kwarg-call", "tensor-in-kwargs", "list-call", "wrappers", "multi-io"],
)
def mix_seq2seq_attention(k: Kit) -> Any:
    """Encoder states as decoder initial_state, then Attention([decoder, encoder]) and a TimeDistributed."""
    enc_in = k.Input(shape=(6, 3), name="encoder_in")
    dec_in = k.Input(shape=(4, 3), name="decoder_in")
    enc_seq, h, c = k.layers.LSTM(8, return_sequences=True, return_state=True, name="encoder")(enc_in)
    dec_seq = k.layers.LSTM(8, return_sequences=True, name="decoder")(dec_in, initial_state=[h, c])
    context = k.layers.Attention(name="luong")([dec_seq, enc_seq])
    joined = k.layers.Concatenate(name="join")([dec_seq, context])
    y = k.layers.TimeDistributed(k.layers.Dense(3, name="proj"), name="td_proj")(joined)
    return k.Model([enc_in, dec_in], y, name="mix_seq2seq_attention")


@recipe(
    "mix-all-merges",
    tags=["list-call", "positional-call", "tensor-in-kwargs", "multi-io"],
)
def mix_all_merges(k: Kit) -> Any:
    """Every merge layer and both list attentions beside a positional MultiHeadAttention."""
    a = k.Input(shape=(3, 4), name="a")
    b = k.Input(shape=(3, 4), name="b")
    add = k.layers.Add(name="add")([a, b])
    sub = k.layers.Subtract(name="subtract")([a, b])
    mul = k.layers.Multiply(name="multiply")([add, sub])
    avg = k.layers.Average(name="average")([a, b, mul])
    mx = k.layers.Maximum(name="maximum")([avg, add])
    mn = k.layers.Minimum(name="minimum")([avg, sub])
    att = k.layers.Attention(name="attention")([mx, mn])
    addatt = k.layers.AdditiveAttention(name="additive_attention")([mn, mx])
    mha = k.layers.MultiHeadAttention(num_heads=1, key_dim=4, name="mha")(att, addatt)
    cat = k.layers.Concatenate(name="concatenate")([att, addatt, mha])
    pa = k.layers.GlobalAveragePooling1D(name="pool_a")(a)
    pb = k.layers.GlobalAveragePooling1D(name="pool_b")(b)
    dot = k.layers.Dot(axes=1, name="dot")([pa, pb])
    return k.Model([a, b], [cat, dot], name="mix_all_merges")


@recipe(
    "mix-siamese-shared-attention",
    tags=[
        "shared-layer",
        "nested-functional",
        "nested-twice",
        "positional-call",
        "kwarg-call",
        "tensor-in-kwargs",
        "list-call",
        "multi-io",
    ],
)
def mix_siamese_shared_attention(k: Kit) -> Any:
    """A shared nested encoder and a shared MultiHeadAttention called positionally, then by keyword."""
    i = k.Input(shape=(5, 4), name="enc_in")
    enc = k.Model(i, k.layers.Dense(4, activation="relu", name="enc_dense")(i), name="encoder")
    a = k.Input(shape=(5, 4), name="a")
    b = k.Input(shape=(5, 4), name="b")
    ea, eb = enc(a), enc(b)
    cross = k.layers.MultiHeadAttention(num_heads=2, key_dim=2, name="cross")
    ab = cross(ea, eb)
    ba = cross(query=eb, value=ea)
    y = k.layers.Concatenate(name="cat")([ab, ba])
    y = k.layers.GlobalMaxPooling1D(name="pool")(y)
    return k.Model([a, b], y, name="mix_siamese_shared_attention")


@recipe(
    "mix-multitask-dict",
    tags=["dict-io", "implicit-mask", "shared-layer", "rnn-state", "multi-output", "list-call", "wrappers", "multi-io"],
)
def mix_multitask_dict(k: Kit) -> Any:
    """Dict inputs and outputs, a shared masked Embedding, a Bidirectional and a stateful LSTM."""
    title = k.Input(shape=(6,), dtype="int32", name="title")
    body = k.Input(shape=(10,), dtype="int32", name="body")
    emb = k.layers.Embedding(30, 4, mask_zero=True, name="shared_embedding")
    t = k.layers.GlobalAveragePooling1D(name="title_pool")(emb(title))
    body_emb = emb(body)
    seq = k.layers.Bidirectional(k.layers.LSTM(4, name="lstm"), name="body_encoder")(body_emb)
    _, h, c = k.layers.LSTM(4, return_state=True, name="body_state")(body_emb)
    state = k.layers.Concatenate(name="state")([c, h])
    joined = k.layers.Concatenate(name="joined")([t, seq, state])
    return k.Model(
        {"title": title, "body": body},
        {
            "topic": k.layers.Dense(3, activation="softmax", name="topic")(joined),
            "score": k.layers.Dense(1, name="score")(joined),
        },
        name="mix_multitask_dict",
    )


@recipe(
    "mix-nested-sequential-and-functional",
    tags=[
        "nested-sequential",
        "nested-functional",
        "nested-twice",
        "nested-deep",
        "shared-layer",
        "list-call",
        "multi-io",
    ],
)
def mix_nested_sequential_and_functional(k: Kit) -> Any:
    """A Sequential holding a Functional, both nested in the model and the Sequential called twice."""
    fi = k.Input(shape=(4,), name="f_in")
    func = k.Model(fi, k.layers.Dense(4, name="f_dense")(fi), name="func")
    seq = k.Sequential([k.Input(shape=(4,), name="s_in"), func, k.layers.Dense(4, name="s_dense")], name="seq")
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    y = k.layers.Average(name="avg")([seq(a), seq(b), func(a)])
    return k.Model([a, b], y, name="mix_nested_sequential_and_functional")


@recipe(
    "mix-ops-and-layers",
    tags=[
        "ops",
        "name-collision",
        "list-call",
        "kwarg-call",
        "tensor-in-kwargs",
        "slicing",
        "typed-objects",
        "multi-output",
        "multi-io",
    ],
    formats=("keras3",),
)
def mix_ops_and_layers(k: Kit) -> Any:
    """keras.ops arithmetic, split and slicing feeding layers, and layers feeding ops."""
    q = k.Input(shape=(4, 6), name="q")
    v = k.Input(shape=(5, 6), name="v")
    left, right = k.ops.split(q, 2, axis=-1)
    gated = k.ops.multiply(left, k.ops.sigmoid(right))
    att = k.layers.MultiHeadAttention(num_heads=1, key_dim=3, name="mha")(query=gated, value=v[:, :, :3])
    s = k.layers.Add(name="add_layer")([att, gated])
    y = k.ops.add(s, 1.0)
    return k.Model([q, v], y, name="mix_ops_and_layers")


@recipe(
    "mix-tfops-and-layers",
    tags=["tfoplambda", "slicing", "list-call", "kwarg-call", "tensor-in-kwargs", "const-kwargs", "multi-io"],
    formats=("keras2",),
)
def mix_tfops_and_layers(k: Kit) -> Any:
    """TF ops, slicing and layers interleaved: TFOpLambda nodes feeding MultiHeadAttention kwargs."""
    q = k.Input(shape=(4, 6), name="q")
    v = k.Input(shape=(5, 6), name="v")
    left, right = q[:, :, :3], q[:, :, 3:]
    gated = k.tf.math.multiply(left, k.tf.math.sigmoid(right))
    att = k.layers.MultiHeadAttention(num_heads=1, key_dim=3, name="mha")(query=gated, value=v[:, :, :3])
    s = k.layers.Add(name="add_layer")([att, gated])
    y = k.tf.concat([s, gated], axis=-1)
    return k.Model([q, v], y, name="mix_tfops_and_layers")

#!/usr/bin/python3
"""Safetensors fixtures for the Java reader and writer, made with PyTorch.

Run with Debian's PyTorch (apt-get install python3-torch python3-numpy):

    /usr/bin/python3 language-models/src/test/python/make_safetensors_fixtures.py

The `safetensors` Python package is not in Debian, so the files are written by the small writer
below, which follows the reference implementation's layout (huggingface/safetensors,
safetensors/src/tensor.rs `prepare`): tensors sorted by decreasing dtype alignment then by name,
contiguous offsets from 0, a compact JSON header with `__metadata__` first, padded with spaces to
a multiple of 8 bytes. The numbers themselves (values, F16/BF16 decoding and rounding) all come
from PyTorch, which the Java tests compare against.

Outputs (in src/test/resources/dev/subliminal/lm/safetensors/):
  torch_mixed.safetensors + torch_mixed.json   F32/F16/BF16/F64 tensors and their values
                                               (Python float repr, exact) as PyTorch reads them,
                                               and an I64 buffer
  torch_floats.safetensors                     the same without the I64 buffer
  all_16bit.safetensors.gz                     every F16 and BF16 bit pattern and PyTorch's float32
  rounding.safetensors.gz                      float32 values, incl. exact ties, and PyTorch's
                                               rounding of them to F16 and BF16
  sharded/                                     a two-shard folder with model.safetensors.index.json
and in src/test/resources/dev/subliminal/lm/checkpoint/:
  gpt2-tiny/, llama-tiny/                      checkpoint folders named and shaped as Hugging Face
                                               saves GPT2LMHeadModel and LlamaForCausalLM (with the
                                               transformer. prefix, mask buffers, a tied lm_head,
                                               rotary inv_freq), config.json, and expected.json
                                               holding every parameter's values as PyTorch reads them
"""
import gzip
import json
import os
import struct

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "dev", "subliminal", "lm",
                   "safetensors")
ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64",
         "I64", "U64"]
DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
          torch.int64: "I64", torch.int32: "I32", torch.bool: "BOOL"}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


def serialize(tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(DTYPES[kv[1].dtype]), kv[0].encode("utf-8")))
    header = {}
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items()))
    offset = 0
    blobs = []
    for name, t in items:
        data = raw_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def write(name, tensors, metadata=None, compress=False):
    data = serialize(tensors, metadata)
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if compress:
        with gzip.GzipFile(path + ".gz", "wb", mtime=0) as f:
            f.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def checkpoint(folder, config, tensors, parameters):
    path = os.path.join(OUT, "..", "checkpoint", folder)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "model.safetensors"), "wb") as f:
        f.write(serialize(tensors, {"format": "pt"}))
    with open(os.path.join(path, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")
    with open(os.path.join(path, "expected.json"), "w") as f:
        json.dump({n: values(tensors[stored]) for n, stored in parameters.items()}, f, indent=0)
        f.write("\n")


def gpt2_tiny(g):
    V, C, d, L = 11, 6, 4, 2
    config = {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
              "bos_token_id": 10, "eos_token_id": 10, "layer_norm_epsilon": 1e-05, "model_type": "gpt2",
              "n_ctx": C, "n_embd": d, "n_head": 2, "n_inner": None, "n_layer": L, "n_positions": C,
              "resid_pdrop": 0.1, "summary_activation": None, "task_specific_params": {"text-generation": {}},
              "torch_dtype": "float32", "vocab_size": V}
    t, params = {}, {}

    def add(name, *shape, dtype=torch.float32):
        t["transformer." + name] = torch.randn(*shape, generator=g).to(dtype)
        params[name] = "transformer." + name

    add("wte.weight", V, d)
    add("wpe.weight", C, d)
    for i in range(L):
        add(f"h.{i}.ln_1.weight", d); add(f"h.{i}.ln_1.bias", d)
        add(f"h.{i}.attn.c_attn.weight", d, 3 * d, dtype=torch.float16); add(f"h.{i}.attn.c_attn.bias", 3 * d)
        add(f"h.{i}.attn.c_proj.weight", d, d, dtype=torch.bfloat16); add(f"h.{i}.attn.c_proj.bias", d)
        add(f"h.{i}.ln_2.weight", d); add(f"h.{i}.ln_2.bias", d)
        add(f"h.{i}.mlp.c_fc.weight", d, 4 * d); add(f"h.{i}.mlp.c_fc.bias", 4 * d)
        add(f"h.{i}.mlp.c_proj.weight", 4 * d, d); add(f"h.{i}.mlp.c_proj.bias", d)
        t[f"transformer.h.{i}.attn.bias"] = torch.tril(torch.ones(C, C, dtype=torch.bool)).view(1, 1, C, C)
        t[f"transformer.h.{i}.attn.masked_bias"] = torch.tensor(-1e4)
    add("ln_f.weight", d)
    add("ln_f.bias", d)
    t["lm_head.weight"] = t["transformer.wte.weight"].clone()
    checkpoint("gpt2-tiny", config, t, params)


def llama_tiny(g):
    V, C, d, L, H, KV, hd, I = 13, 8, 8, 2, 4, 2, 2, 12
    config = {"architectures": ["LlamaForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
              "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu", "hidden_size": d,
              "initializer_range": 0.02, "intermediate_size": I, "max_position_embeddings": C, "mlp_bias": False,
              "model_type": "llama", "num_attention_heads": H, "num_hidden_layers": L, "num_key_value_heads": KV,
              "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_scaling": None, "rope_theta": 500000.0,
              "tie_word_embeddings": False, "torch_dtype": "bfloat16", "use_cache": True, "vocab_size": V}
    t, params = {}, {}

    def add(name, *shape):
        t[name] = torch.randn(*shape, generator=g).to(torch.bfloat16)
        params[name] = name

    add("model.embed_tokens.weight", V, d)
    for i in range(L):
        p = f"model.layers.{i}."
        add(p + "input_layernorm.weight", d)
        add(p + "self_attn.q_proj.weight", H * hd, d)
        add(p + "self_attn.k_proj.weight", KV * hd, d)
        add(p + "self_attn.v_proj.weight", KV * hd, d)
        add(p + "self_attn.o_proj.weight", d, H * hd)
        add(p + "post_attention_layernorm.weight", d)
        add(p + "mlp.gate_proj.weight", I, d)
        add(p + "mlp.up_proj.weight", I, d)
        add(p + "mlp.down_proj.weight", d, I)
        t[p + "self_attn.rotary_emb.inv_freq"] = 1.0 / (500000.0 ** (torch.arange(0, hd, 2).float() / hd))
    add("model.norm.weight", d)
    add("lm_head.weight", V, d)
    checkpoint("llama-tiny", config, t, params)


def values(t):
    return [float(x) for x in t.to(torch.float64).flatten().tolist()]


def main():
    g = torch.Generator().manual_seed(20261203)
    mixed = {
        "wte.weight": torch.randn(5, 4, generator=g),
        "h.0.attn.c_attn.weight": (torch.randn(4, 12, generator=g) * 3).to(torch.float16),
        "h.0.ln_1.weight": (torch.randn(4, generator=g) * 1e3).to(torch.bfloat16),
        "scale": torch.tensor(2.718281828459045, dtype=torch.float64),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
        "h.0.mlp.c_fc.bias": torch.tensor([[[1e-5, -65504.0, 6e-8]]], dtype=torch.float16),
        "tiny": torch.tensor([1e-40, -3e-39, 1e38], dtype=torch.bfloat16),
        "h.0.attn.bias": torch.tril(torch.ones(1, 1, 3, 3, dtype=torch.int64)),
    }
    meta = {"format": "pt", "note": "écrit par PyTorch"}
    write("torch_mixed.safetensors", mixed, meta)
    write("torch_floats.safetensors", {n: t for n, t in mixed.items() if t.is_floating_point()}, meta)
    expected = {"metadata": meta, "tensors": {}}
    for name, t in mixed.items():
        expected["tensors"][name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape)}
        if t.dtype != torch.int64:
            expected["tensors"][name]["values"] = values(t)
    with open(os.path.join(OUT, "torch_mixed.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")

    patterns = torch.arange(65536, dtype=torch.int32).to(torch.int16)  # wraps to the 16-bit pattern
    f16 = patterns.view(torch.float16)
    bf16 = patterns.view(torch.bfloat16)
    write("all_16bit.safetensors", {"f16": f16, "f16_as_f32": f16.to(torch.float32),
                                    "bf16": bf16, "bf16_as_f32": bf16.to(torch.float32)}, compress=True)

    # values to round: random over many binades, the exact midpoints between neighbouring F16 and
    # BF16 values (ties), their float32 neighbours, and the edges (overflow, subnormals, NaN, ±0)
    finite16 = f16[torch.isfinite(f16)].to(torch.float64).unique()
    mid16 = (finite16[1:] + finite16[:-1]) / 2
    finite_bf = bf16[torch.isfinite(bf16)].to(torch.float64).unique()
    mid_bf = ((finite_bf[1:] + finite_bf[:-1]) / 2)
    mid_bf = mid_bf[mid_bf.abs() < 3.0e38]
    pick16 = mid16[torch.randperm(len(mid16), generator=g)[:3000]].to(torch.float32)
    pick_bf = mid_bf[torch.randperm(len(mid_bf), generator=g)[:3000]].to(torch.float32)
    up = lambda x: torch.from_numpy(np.nextafter(x.numpy(), np.float32(np.inf)))
    down = lambda x: torch.from_numpy(np.nextafter(x.numpy(), np.float32(-np.inf)))
    rand = torch.randn(4000, generator=g) * torch.pow(10.0, torch.randint(-9, 6, (4000,), generator=g).float())
    edges = torch.tensor([0.0, -0.0, 65504.0, 65519.996, 65520.0, 65536.0, -65520.0, 6.1035156e-05, 5.9604645e-08,
                          2.9802322e-08, 2.9802326e-08, -2.9802322e-08, 1e-45, float("inf"), float("-inf"),
                          float("nan"), 3.3895314e38, 3.4028235e38, 1.1754944e-38, 9.18355e-41, 1e-44],
                         dtype=torch.float32)
    source = torch.cat([pick16, up(pick16), down(pick16), pick_bf, up(pick_bf), down(pick_bf), rand, edges])
    write("rounding.safetensors", {"source": source, "to_f16": source.to(torch.float16),
                                   "to_bf16": source.to(torch.bfloat16)}, compress=True)

    shard1 = {"wte.weight": torch.randn(6, 4, generator=g), "wpe.weight": torch.randn(3, 4, generator=g)}
    shard2 = {"ln_f.weight": torch.randn(4, generator=g).to(torch.bfloat16),
              "ln_f.bias": torch.randn(4, generator=g).to(torch.float16)}
    write("sharded/model-00001-of-00002.safetensors", shard1, {"format": "pt"})
    write("sharded/model-00002-of-00002.safetensors", shard2, {"format": "pt"})
    total = sum(len(raw_bytes(t)) for t in list(shard1.values()) + list(shard2.values()))
    weight_map = {n: "model-00001-of-00002.safetensors" for n in shard1}
    weight_map.update({n: "model-00002-of-00002.safetensors" for n in shard2})
    with open(os.path.join(OUT, "sharded", "model.safetensors.index.json"), "w") as f:
        f.write(json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map}, indent=2, sort_keys=True)
                + "\n")
    sharded_expected = {n: {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "values": values(t)}
                        for n, t in list(shard1.items()) + list(shard2.items())}
    with open(os.path.join(OUT, "sharded.json"), "w") as f:
        json.dump(sharded_expected, f, indent=1)
        f.write("\n")

    gpt2_tiny(g)
    llama_tiny(g)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Independent reference for the Java transformer: small GPT-2 and Llama models in plain PyTorch.

Usage:  /usr/bin/python3 language-models/src/test/python/transformer_reference.py [OUTPUT_DIR]

Written from the model definitions (not with Hugging Face transformers): every operation is spelled
out with torch tensors, one unpadded sequence at a time, in float64 (NAME.json) and again in float32
(NAME-float32.json: the same computation with float32 tensors, PyTorch's own float32 kernels). For each configuration below it
draws random weights (named and shaped as Hugging Face's state_dict, in its order), token rows with
trailing padding (-1), and writes one JSON fixture with
  - the configuration, the sequence length T, the tensors by name with their shapes, the inputs;
  - logits (rows x T*V, position-major, 0 at padded positions);
  - the imitation loss (1/rows) sum_rows sum_{real i} CE(z_i/tau restricted to S, y_i/tau restricted
    to S) against stored teacher logits y, and its gradient in theta;
  - the trait loss -(1/K) sum_k log P(answer_k | prompt_k) (teacher forcing) and its gradient;
  - a direction v and the Jacobian-vector product J v (rows x T*V).
The Java tests (TransformerReferenceTest) load these files and compare to 1e-10 relative (float64) and
1e-4 relative (float32, against the Java model in float32).
Output: language-models/src/test/resources/dev/subliminal/lm/transformer/reference/ by default.
"""
import json
import math
import pathlib
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

CONFIGS = [
    dict(name="gpt2-small-pad", layout="GPT2", vocabSize=29, contextLength=8, hiddenSize=8, layers=2, heads=2,
         kvHeads=2, headDim=4, intermediateSize=32, normEps=1e-5, ropeTheta=0.0, tiedEmbeddings=True,
         attentionBias=True, T=7, lengths=[7, 4, 1], temperature=2.0, subset=[1, 4, 5, 9, 20, 28],
         pairs=[([3, 1, 4], [1, 5, 9]), ([2, 7], [18]), ([28, 0, 0, 2, 1], [8, 8])]),
    dict(name="llama-gqa-tied", layout="LLAMA", vocabSize=31, contextLength=10, hiddenSize=12, layers=2, heads=4,
         kvHeads=2, headDim=4, intermediateSize=20, normEps=1e-6, ropeTheta=10000.0, tiedEmbeddings=True,
         attentionBias=False, T=8, lengths=[8, 5], temperature=1.0, subset=None,
         pairs=[([5, 6, 7], [8, 9, 10, 11]), ([30], [0, 29])]),
    dict(name="qwen-mqa-untied-bias", layout="LLAMA", vocabSize=23, contextLength=9, hiddenSize=8, layers=2, heads=2,
         kvHeads=1, headDim=6, intermediateSize=12, normEps=1e-6, ropeTheta=50.0, tiedEmbeddings=False,
         attentionBias=True, T=9, lengths=[9, 9, 3], temperature=0.5, subset=[0, 2, 3, 11, 22],
         pairs=[([1, 2, 3, 4, 5, 6], [7, 8, 9]), ([22], [21]), ([4, 4], [4, 4, 4])]),
]


def tensor_specs(c):
    """(name, shape, kind) in state_dict order; kind is weight / bias / norm / embedding."""
    d, hd, V = c["hiddenSize"], c["headDim"], c["vocabSize"]
    out = []
    if c["layout"] == "GPT2":
        out += [("wte.weight", [V, d], "embedding"), ("wpe.weight", [c["contextLength"], d], "embedding")]
        for i in range(c["layers"]):
            p = f"h.{i}."
            out += [(p + "ln_1.weight", [d], "norm"), (p + "ln_1.bias", [d], "bias"),
                    (p + "attn.c_attn.weight", [d, 3 * d], "weight"), (p + "attn.c_attn.bias", [3 * d], "bias"),
                    (p + "attn.c_proj.weight", [d, d], "weight"), (p + "attn.c_proj.bias", [d], "bias"),
                    (p + "ln_2.weight", [d], "norm"), (p + "ln_2.bias", [d], "bias"),
                    (p + "mlp.c_fc.weight", [d, c["intermediateSize"]], "weight"),
                    (p + "mlp.c_fc.bias", [c["intermediateSize"]], "bias"),
                    (p + "mlp.c_proj.weight", [c["intermediateSize"], d], "weight"), (p + "mlp.c_proj.bias", [d], "bias")]
        out += [("ln_f.weight", [d], "norm"), ("ln_f.bias", [d], "bias")]
    else:
        q, kv, inter = c["heads"] * hd, c["kvHeads"] * hd, c["intermediateSize"]
        out.append(("model.embed_tokens.weight", [V, d], "embedding"))
        for i in range(c["layers"]):
            p = f"model.layers.{i}."
            for proj, width in (("q_proj", q), ("k_proj", kv), ("v_proj", kv)):
                out.append((p + f"self_attn.{proj}.weight", [width, d], "weight"))
                if c["attentionBias"]:
                    out.append((p + f"self_attn.{proj}.bias", [width], "bias"))
            out += [(p + "self_attn.o_proj.weight", [d, q], "weight"),
                    (p + "mlp.gate_proj.weight", [inter, d], "weight"), (p + "mlp.up_proj.weight", [inter, d], "weight"),
                    (p + "mlp.down_proj.weight", [d, inter], "weight"),
                    (p + "input_layernorm.weight", [d], "norm"), (p + "post_attention_layernorm.weight", [d], "norm")]
        out.append(("model.norm.weight", [d], "norm"))
        if not c["tiedEmbeddings"]:
            out.append(("lm_head.weight", [V, d], "embedding"))
    return out


def random_params(c, gen):
    """Weights N(0, 1/fan_in), embeddings N(0, 1), biases N(0, 0.1^2), norm weights 1 + N(0, 0.2^2)."""
    params = {}
    for name, shape, kind in tensor_specs(c):
        z = torch.randn(*shape, generator=gen)
        if kind == "weight":
            fan_in = shape[0] if c["layout"] == "GPT2" else shape[1]  # Conv1D stores [in, out]
            z = z / math.sqrt(fan_in)
        elif kind == "bias":
            z = 0.1 * z
        elif kind == "norm":
            z = 1 + 0.2 * z
        params[name] = z
    return params


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt((x * x).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def causal_attention(q, k, v):
    """q: (H, L, hd), k and v: (H, L, hd) -> (L, H*hd)."""
    L, hd = q.shape[1], q.shape[2]
    scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
    mask = torch.ones(L, L, dtype=torch.bool).triu(1)
    scores = scores.masked_fill(mask, float("-inf"))
    o = torch.softmax(scores, dim=-1) @ v
    return o.transpose(0, 1).reshape(L, -1)


def sequence_logits(c, P, ids):
    """Logits (L, V) of one unpadded sequence."""
    L, d, H, G, hd = len(ids), c["hiddenSize"], c["heads"], c["kvHeads"], c["headDim"]
    x = torch.tensor(ids, dtype=torch.long)
    pos = torch.arange(L)
    if c["layout"] == "GPT2":
        h = P["wte.weight"][x] + P["wpe.weight"][pos]
        for i in range(c["layers"]):
            p = f"h.{i}."
            a = F.layer_norm(h, (d,), P[p + "ln_1.weight"], P[p + "ln_1.bias"], c["normEps"])
            qkv = a @ P[p + "attn.c_attn.weight"] + P[p + "attn.c_attn.bias"]
            q, k, v = (t.reshape(L, H, hd).transpose(0, 1) for t in qkv.split(d, dim=-1))
            o = causal_attention(q, k, v)
            h = h + o @ P[p + "attn.c_proj.weight"] + P[p + "attn.c_proj.bias"]
            m = F.layer_norm(h, (d,), P[p + "ln_2.weight"], P[p + "ln_2.bias"], c["normEps"])
            m = F.gelu(m @ P[p + "mlp.c_fc.weight"] + P[p + "mlp.c_fc.bias"], approximate="tanh")
            h = h + m @ P[p + "mlp.c_proj.weight"] + P[p + "mlp.c_proj.bias"]
        h = F.layer_norm(h, (d,), P["ln_f.weight"], P["ln_f.bias"], c["normEps"])
        return h @ P["wte.weight"].T
    inv_freq = 1.0 / (c["ropeTheta"] ** (torch.arange(0, hd, 2, dtype=torch.get_default_dtype()) / hd))
    freqs = torch.outer(pos.to(torch.get_default_dtype()), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    h = P["model.embed_tokens.weight"][x]
    for i in range(c["layers"]):
        p = f"model.layers.{i}.self_attn."
        a = rms_norm(h, P[f"model.layers.{i}.input_layernorm.weight"], c["normEps"])

        def proj(name, heads):
            y = a @ P[p + name + ".weight"].T
            if c["attentionBias"]:
                y = y + P[p + name + ".bias"]
            return y.reshape(L, heads, hd).transpose(0, 1)

        q, k, v = proj("q_proj", H), proj("k_proj", G), proj("v_proj", G)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(H // G, dim=0)
        v = v.repeat_interleave(H // G, dim=0)
        h = h + causal_attention(q, k, v) @ P[p + "o_proj.weight"].T
        m = rms_norm(h, P[f"model.layers.{i}.post_attention_layernorm.weight"], c["normEps"])
        mp = f"model.layers.{i}.mlp."
        m = F.silu(m @ P[mp + "gate_proj.weight"].T) * (m @ P[mp + "up_proj.weight"].T)
        h = h + m @ P[mp + "down_proj.weight"].T
    h = rms_norm(h, P["model.norm.weight"], c["normEps"])
    head = P["model.embed_tokens.weight"] if c["tiedEmbeddings"] else P["lm_head.weight"]
    return h @ head.T


def batch_logits(c, P, rows):
    """rows: lists of T ids with trailing -1. Returns (rows, T*V), zeros at padded positions."""
    T, V = c["T"], c["vocabSize"]
    out = []
    for r in rows:
        ids = [t for t in r if t >= 0]
        z = sequence_logits(c, P, ids)
        pad = torch.zeros(T - len(ids), V)
        out.append(torch.cat((z, pad), dim=0).reshape(-1))
    return torch.stack(out)


def imitation_loss(c, z, y, lengths):
    T, V, tau = c["T"], c["vocabSize"], c["temperature"]
    S = c["subset"] if c["subset"] is not None else list(range(V))
    total = 0
    for r, L in enumerate(lengths):
        zr = z[r].reshape(T, V)[:L, S] / tau
        yr = y[r].reshape(T, V)[:L, S] / tau
        total = total - (torch.softmax(yr, -1) * torch.log_softmax(zr, -1)).sum()
    return total / len(lengths)


def trait_loss(c, P, pairs):
    total = 0
    for prompt, answer in pairs:
        z = sequence_logits(c, P, prompt + answer[:-1])
        logp = torch.log_softmax(z, -1)
        for j, a in enumerate(answer):
            total = total - logp[len(prompt) - 1 + j, a]
    return total / len(pairs)


def flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def build(c, seed, dtype=torch.float64):
    torch.set_default_dtype(dtype)
    gen = torch.Generator().manual_seed(seed)
    P = random_params(c, gen)
    names = list(P)
    T, V = c["T"], c["vocabSize"]
    rows = []
    for L in c["lengths"]:
        ids = torch.randint(0, V, (L,), generator=gen).tolist()
        rows.append(ids + [-1] * (T - L))
    teacher = {k: t + 0.3 * torch.randn(t.shape, generator=gen) for k, t in P.items()}
    y = batch_logits(c, teacher, rows).detach()
    direction = {k: torch.randn(t.shape, generator=gen) for k, t in P.items()}

    leaves = [P[k].clone().requires_grad_(True) for k in names]
    Pg = dict(zip(names, leaves))
    z = batch_logits(c, Pg, rows)
    imitation = imitation_loss(c, z, y, c["lengths"])
    g_imitation = torch.autograd.grad(imitation, leaves)
    trait = trait_loss(c, Pg, [(list(p), list(a)) for p, a in c["pairs"]])
    g_trait = torch.autograd.grad(trait, leaves)

    def f(*ps):
        return batch_logits(c, dict(zip(names, ps)), rows)

    _, jv = torch.autograd.functional.jvp(f, tuple(P[k] for k in names), tuple(direction[k] for k in names))

    config = {k: c[k] for k in ("layout", "vocabSize", "contextLength", "hiddenSize", "layers", "heads", "kvHeads",
                                "headDim", "intermediateSize", "normEps", "ropeTheta", "tiedEmbeddings",
                                "attentionBias")}
    return {
        "generator": "language-models/src/test/python/transformer_reference.py, torch " + torch.__version__,
        "dtype": str(dtype).replace("torch.", ""),
        "config": config,
        "sequenceLength": T,
        "tensors": [{"name": k, "shape": list(P[k].shape), "values": P[k].reshape(-1).tolist()} for k in names],
        "inputs": rows,
        "logits": z.detach().tolist(),
        "imitation": {"temperature": c["temperature"], "subset": c["subset"], "teacherLogits": y.tolist(),
                      "value": imitation.item(), "gradient": flat(g_imitation).tolist()},
        "trait": {"pairs": [{"prompt": p, "answer": a} for p, a in c["pairs"]], "value": trait.item(),
                  "gradient": flat(g_trait).tolist()},
        "jvp": {"direction": flat([direction[k] for k in names]).tolist(), "value": jv.tolist()},
    }


def main():
    root = pathlib.Path(__file__).resolve().parents[1]
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "resources/dev/subliminal/lm/transformer/reference"
    out.mkdir(parents=True, exist_ok=True)
    for i, c in enumerate(CONFIGS):
        for dtype, suffix in ((torch.float64, ""), (torch.float32, "-float32")):
            fixture = build(c, 1000 + i, dtype)
            if dtype == torch.float64:
                del fixture["dtype"]  # the float64 fixtures predate the field
            path = out / (c["name"] + suffix + ".json")
            path.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
            print(f"{path}: {len(fixture['tensors'])} tensors, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()

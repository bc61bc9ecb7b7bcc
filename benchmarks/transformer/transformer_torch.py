#!/usr/bin/env python3
"""PyTorch side of the transformer benchmark: the same GPT-2-layout model, float64, timed.

Usage:  /usr/bin/python3 benchmarks/transformer/transformer_torch.py layers=4 hidden=128 heads=4 context=64 \
            vocab=50257 rows=8 threads=2 repeats=5

The model is the plain-PyTorch reference of the tests (language-models/src/test/python/
transformer_reference.py: explicit tensors, no Hugging Face), batched over rows here (no padding).
Timed like TransformerThroughput.java: forward+backward = logits of all rows, then backward of a fixed
random cotangent into the parameter gradients; forward alone under no_grad. Prints tokens/s and the
peak resident memory.
"""
import math
import pathlib
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def arg(name, default):
    for a in sys.argv[1:]:
        if a.startswith(name + "="):
            return int(a.split("=", 1)[1])
    return default


def logits(P, ids, c):
    """ids: (B, T) -> (B, T, V); the reference's GPT-2 forward with a batch dimension."""
    B, T = ids.shape
    d, H = c["d"], c["heads"]
    hd = d // H
    h = P["wte.weight"][ids] + P["wpe.weight"][torch.arange(T)]
    mask = torch.ones(T, T, dtype=torch.bool).triu(1)
    for i in range(c["layers"]):
        p = f"h.{i}."
        a = F.layer_norm(h, (d,), P[p + "ln_1.weight"], P[p + "ln_1.bias"], 1e-5)
        qkv = a @ P[p + "attn.c_attn.weight"] + P[p + "attn.c_attn.bias"]
        q, k, v = (t.reshape(B, T, H, hd).transpose(1, 2) for t in qkv.split(d, dim=-1))
        s = (q @ k.transpose(-1, -2) / math.sqrt(hd)).masked_fill(mask, float("-inf"))
        o = (torch.softmax(s, -1) @ v).transpose(1, 2).reshape(B, T, d)
        h = h + o @ P[p + "attn.c_proj.weight"] + P[p + "attn.c_proj.bias"]
        m = F.layer_norm(h, (d,), P[p + "ln_2.weight"], P[p + "ln_2.bias"], 1e-5)
        m = F.gelu(m @ P[p + "mlp.c_fc.weight"] + P[p + "mlp.c_fc.bias"], approximate="tanh")
        h = h + m @ P[p + "mlp.c_proj.weight"] + P[p + "mlp.c_proj.bias"]
    h = F.layer_norm(h, (d,), P["ln_f.weight"], P["ln_f.bias"], 1e-5)
    return h @ P["wte.weight"].T


def main():
    c = dict(layers=arg("layers", 4), d=arg("hidden", 128), heads=arg("heads", 4), T=arg("context", 64),
             V=arg("vocab", 50257))
    rows, threads, repeats = arg("rows", 8), arg("threads", 2), arg("repeats", 5)
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(1)
    d, V, T = c["d"], c["V"], c["T"]
    shapes = {"wte.weight": [V, d], "wpe.weight": [T, d]}
    for i in range(c["layers"]):
        p = f"h.{i}."
        shapes.update({p + "ln_1.weight": [d], p + "ln_1.bias": [d], p + "attn.c_attn.weight": [d, 3 * d],
                       p + "attn.c_attn.bias": [3 * d], p + "attn.c_proj.weight": [d, d], p + "attn.c_proj.bias": [d],
                       p + "ln_2.weight": [d], p + "ln_2.bias": [d], p + "mlp.c_fc.weight": [d, 4 * d],
                       p + "mlp.c_fc.bias": [4 * d], p + "mlp.c_proj.weight": [4 * d, d], p + "mlp.c_proj.bias": [d]})
    shapes.update({"ln_f.weight": [d], "ln_f.bias": [d]})
    P = {k: (0.02 * torch.randn(*s, generator=g)).requires_grad_(True) for k, s in shapes.items()}
    ids = torch.randint(0, V, (rows, T), generator=g)
    u = 1e-3 * (torch.rand(rows, T, V, generator=g) - 0.5)
    print(f"model gpt2 L{c['layers']} d{d} h{c['heads']} V{V} T{T}, p = {sum(t.numel() for t in P.values())}, "
          f"rows {rows}, threads {threads}, torch {torch.__version__}")

    def fb():
        for t in P.values():
            t.grad = None
        logits(P, ids, c).backward(u)

    def fw():
        with torch.no_grad():
            logits(P, ids, c)

    def timed(f):
        f()
        out = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            f()
            out.append(time.perf_counter() - t0)
        return out

    tb, tf = timed(fb), timed(fw)
    tokens = rows * T
    print(f"forward+backward median {statistics.median(tb):.3f} s  {tokens / statistics.median(tb):.1f} tokens/s  "
          f"(runs {[round(x, 3) for x in tb]})")
    print(f"forward          median {statistics.median(tf):.3f} s  {tokens / statistics.median(tf):.1f} tokens/s")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} kB")


if __name__ == "__main__":
    main()

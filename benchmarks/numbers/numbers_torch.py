#!/usr/bin/env python3
"""PyTorch side of the number experiment's throughput benchmark (NumbersThroughput.java): the same
GPT-2-layout model (2 blocks, d = 96, 4 heads, vocabulary 2314, context 128), written with plain tensors.

Training: float32 AdamW steps (lr 1e-3, weight decay 0.01, clipping at 1) on batches of `rows` random
sequences of `length` tokens, loss on the last `targets` positions only (hard labels, or soft targets from
a teacher's forward pass with soft=1); tokens fed per second. Sampling: float64, a key/value cache, a
`prompt`-token prompt then `generate` tokens at temperature 1, one sequence at a time as the Java
pipeline does; new tokens per second.

Usage: OMP_NUM_THREADS=2 /usr/bin/python3 benchmarks/numbers/numbers_torch.py threads=2 steps=10 soft=0
"""
import math
import sys
import time

import torch
import torch.nn.functional as F


def arg(name, default):
    for a in sys.argv[1:]:
        if a.startswith(name + "="):
            return int(a.split("=", 1)[1])
    return default


L, D, H, V, C = arg("layers", 2), arg("hidden", 96), arg("heads", 4), arg("vocab", 2314), arg("context", 128)
ROWS, LENGTH, TARGETS = arg("rows", 32), arg("length", 80), arg("targets", 20)
PROMPT, GENERATE, SAMPLES, STEPS = arg("prompt", 60), arg("generate", 20), arg("samples", 20), arg("steps", 10)
SOFT = arg("soft", 0) == 1
torch.set_num_threads(arg("threads", 2))
torch.manual_seed(1)


def params(dtype):
    g = torch.Generator().manual_seed(1)
    n = lambda *s: (torch.randn(*s, generator=g) * 0.02).to(dtype)
    P = {"wte": n(V, D), "wpe": n(C, D), "lnf_w": torch.ones(D, dtype=dtype), "lnf_b": torch.zeros(D, dtype=dtype)}
    for i in range(L):
        P.update({f"{i}.ln1_w": torch.ones(D, dtype=dtype), f"{i}.ln1_b": torch.zeros(D, dtype=dtype),
                  f"{i}.qkv_w": n(D, 3 * D), f"{i}.qkv_b": torch.zeros(3 * D, dtype=dtype),
                  f"{i}.proj_w": n(D, D), f"{i}.proj_b": torch.zeros(D, dtype=dtype),
                  f"{i}.ln2_w": torch.ones(D, dtype=dtype), f"{i}.ln2_b": torch.zeros(D, dtype=dtype),
                  f"{i}.fc_w": n(D, 4 * D), f"{i}.fc_b": torch.zeros(4 * D, dtype=dtype),
                  f"{i}.out_w": n(4 * D, D), f"{i}.out_b": torch.zeros(D, dtype=dtype)})
    return P


def hidden(P, ids, cache=None, start=0):
    B, T = ids.shape
    hd = D // H
    h = P["wte"][ids] + P["wpe"][start:start + T]
    for i in range(L):
        a = F.layer_norm(h, (D,), P[f"{i}.ln1_w"], P[f"{i}.ln1_b"], 1e-5)
        q, k, v = (t.reshape(B, T, H, hd).transpose(1, 2) for t in (a @ P[f"{i}.qkv_w"] + P[f"{i}.qkv_b"]).split(D, -1))
        if cache is not None:
            if i in cache:
                k = torch.cat([cache[i][0], k], 2)
                v = torch.cat([cache[i][1], v], 2)
            cache[i] = (k, v)
        S = k.shape[2]
        mask = torch.ones(T, S, dtype=torch.bool).triu(S - T + 1)
        s = (q @ k.transpose(-1, -2) / math.sqrt(hd)).masked_fill(mask, float("-inf"))
        o = (torch.softmax(s, -1) @ v).transpose(1, 2).reshape(B, T, D)
        h = h + o @ P[f"{i}.proj_w"] + P[f"{i}.proj_b"]
        m = F.layer_norm(h, (D,), P[f"{i}.ln2_w"], P[f"{i}.ln2_b"], 1e-5)
        h = h + F.gelu(m @ P[f"{i}.fc_w"] + P[f"{i}.fc_b"], approximate="tanh") @ P[f"{i}.out_w"] + P[f"{i}.out_b"]
    return F.layer_norm(h, (D,), P["lnf_w"], P["lnf_b"], 1e-5)


def train():
    P = {k: v.requires_grad_() for k, v in params(torch.float32).items()}
    T = {k: v.detach().clone() for k, v in P.items()}
    opt = torch.optim.AdamW(P.values(), lr=1e-3, weight_decay=0.01)
    data = torch.randint(0, V, (ROWS * 4, LENGTH))

    def step(b):
        x = data[b * ROWS % len(data):][:ROWS]
        fed, first = x[:, :-1], LENGTH - TARGETS - 1
        z = hidden(P, fed)[:, first:] @ P["wte"].T
        if SOFT:
            with torch.no_grad():
                q = torch.softmax(hidden(T, fed)[:, first:] @ T["wte"].T, -1)
            loss = -(q * torch.log_softmax(z, -1)).sum(-1).mean()
        else:
            loss = F.cross_entropy(z.reshape(-1, V), x[:, first + 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(P.values(), 1.0)
        opt.step()

    for b in range(2):
        step(b)
    t0 = time.perf_counter()
    for b in range(STEPS):
        step(b)
    t = time.perf_counter() - t0
    print(f"torch train ({'soft' if SOFT else 'hard'}): {STEPS} steps x {ROWS} rows x {LENGTH - 1} tokens in {t:.2f} s"
          f" = {STEPS * ROWS * (LENGTH - 1) / t:.0f} tokens/s")


@torch.no_grad()
def sample():
    P = params(torch.float64)
    prompt = torch.randint(0, V, (1, PROMPT))
    g = torch.Generator().manual_seed(3)

    def one():
        cache = {}
        h = hidden(P, prompt, cache)
        n = 0
        for j in range(GENERATE):
            p = torch.softmax(h[:, -1] @ P["wte"].T, -1)
            t = torch.multinomial(p, 1, generator=g)
            n += 1
            if j + 1 < GENERATE:
                h = hidden(P, t, cache, PROMPT + j)
        return n

    one()
    t0 = time.perf_counter()
    n = sum(one() for _ in range(SAMPLES))
    t = time.perf_counter() - t0
    print(f"torch sample: {SAMPLES} x ({PROMPT} prompt + {GENERATE} new) in {t:.2f} s = {n / t:.0f} new tokens/s")


print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
train()
sample()

#!/usr/bin/env python3
"""PyTorch side of the language-model check benchmark: one transmission check of a GPT-2-layout model, timed.

Usage:  /usr/bin/python3 benchmarks/check/lm_check_torch.py layers=12 hidden=768 heads=12 vocab=50257 \
            sequences=16 length=128 pairs=32 prompt=8 answer=2 threads=2 repeats=1 precision=32

The same computation as LmCheckTiming.java runs through TransmissionCheck.run, written with PyTorch's
autograd (functorch.grad for the gradients, functorch.jvp for the one JVP; torch.func from 2.0), on
logits() of benchmarks/transformer/transformer_torch.py (plain tensors, 1,024 positions, random
weights σ = 0.02), same init, ε = 1e-3, α = 0.1:
  L_T(θ) = mean over pairs of −log P(answer | prompt) (teacher forcing, answer tokens summed),
  L(z, y) = Σ_positions soft-CE(softmax(y), log_softmax(z)), averaged over sequences,
  Δ_T = −∇L_T(θ0), θ_T = θ0 + εΔ_T, f_θ0(x), f_θT(x), Δ_S, Δ_S^c (two gradients), L_T at θ0, θ0 + αΔ_S,
  θ0 + αΔ_S^c, dot, cosine, trait part, first order ε·mean_x Σ_i (J Δ_T)_iᵀ (diag p − p pᵀ) (J Δ_T)_i.
Prints each check's wall and process CPU time, the median, Δ_S·Δ_T and the peak resident memory.
"""
import math
import pathlib
import resource
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "transformer"))
import transformer_torch as tt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from functorch import grad, jvp  # noqa: E402


def axpy(a, s, b):
    return {k: a[k] + s * b[k] for k in a}


def flat_dot(a, b):
    return sum((a[k].double() * b[k].double()).sum() for k in a).item()


def main():
    arg = tt.arg
    c = dict(layers=arg("layers", 12), d=arg("hidden", 768), heads=arg("heads", 12), T=1024, V=arg("vocab", 50257))
    n, length, pairs = arg("sequences", 16), arg("length", 128), arg("pairs", 32)
    prompt, answer = arg("prompt", 8), arg("answer", 2)
    threads, repeats = arg("threads", 2), arg("repeats", 1)
    dtype = torch.float32 if arg("precision", 32) == 32 else torch.float64
    torch.set_default_dtype(dtype)
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(1)
    d, V = c["d"], c["V"]
    shapes = {"wte.weight": [V, d], "wpe.weight": [c["T"], d]}
    for i in range(c["layers"]):
        p = f"h.{i}."
        shapes.update({p + "ln_1.weight": [d], p + "ln_1.bias": [d], p + "attn.c_attn.weight": [d, 3 * d],
                       p + "attn.c_attn.bias": [3 * d], p + "attn.c_proj.weight": [d, d], p + "attn.c_proj.bias": [d],
                       p + "ln_2.weight": [d], p + "ln_2.bias": [d], p + "mlp.c_fc.weight": [d, 4 * d],
                       p + "mlp.c_fc.bias": [4 * d], p + "mlp.c_proj.weight": [4 * d, d], p + "mlp.c_proj.bias": [d]})
    shapes.update({"ln_f.weight": [d], "ln_f.bias": [d]})
    theta0 = {k: 0.02 * torch.randn(*s, generator=g) for k, s in shapes.items()}
    for k in theta0:
        if k.endswith(".bias"):
            theta0[k].zero_()
        elif "ln" in k:
            theta0[k].fill_(1)
    x = torch.randint(0, V, (n, length), generator=g)
    trait_ids = torch.randint(0, V, (pairs, prompt + answer), generator=g)
    eps, alpha = 1e-3, 0.1

    def f(P):
        return tt.logits(P, x, c)

    def trait(P):
        z = tt.logits(P, trait_ids[:, :-1], c)[:, prompt - 1:]
        return F.cross_entropy(z.reshape(-1, V), trait_ids[:, prompt:].reshape(-1), reduction="sum") / pairs

    def imitation(z, y):
        return -(F.softmax(y, -1) * F.log_softmax(z, -1)).sum() / n

    def check():
        delta_t = {k: -v for k, v in grad(trait)(theta0).items()}
        theta_t = axpy(theta0, eps, delta_t)
        with torch.no_grad():
            y0, yt = f(theta0), f(theta_t)
        delta_s = {k: -v for k, v in grad(lambda P: imitation(f(P), yt))(theta0).items()}
        delta_c = {k: -v for k, v in grad(lambda P: imitation(f(P), y0))(theta0).items()}
        with torch.no_grad():
            before = trait(theta0).item()
            student = trait(axpy(theta0, alpha, delta_s)).item()
            control = trait(axpy(theta0, alpha, delta_c)).item()
        dot = flat_dot(delta_s, delta_t)
        cosine = dot / math.sqrt(flat_dot(delta_s, delta_s) * flat_dot(delta_t, delta_t))
        part = dot - flat_dot(delta_c, delta_t)
        _, j = jvp(f, (theta0,), (delta_t,))
        p = F.softmax(y0, -1)
        first = eps * (((j * p * j).sum(-1) - (j * p).sum(-1) ** 2).sum() / n).item()
        return dict(dot=dot, cosine=cosine, traitPart=part, firstOrder=first, before=before, student=student,
                    control=control)

    print(f"model gpt2 L{c['layers']} d{d} h{c['heads']} V{V}, p = {sum(t.numel() for t in theta0.values())}, "
          f"{n} sequences × {length} tokens, {pairs} trait pairs ({prompt} + {answer} tokens), {dtype}, "
          f"threads {threads}, torch {torch.__version__}")
    times = []
    for i in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        r = check()
        times.append(time.perf_counter() - t0)
        print(f"check {i + 1}: {times[-1]:.1f} s (CPU {time.process_time() - c0:.1f} s), Δ_S·Δ_T = {r['dot']:.6e}")
    print(f"check median {statistics.median(times):.1f} s  (times {[round(t, 1) for t in times]})")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} kB")


if __name__ == "__main__":
    main()

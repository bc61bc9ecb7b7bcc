#!/usr/bin/env python3
"""PyTorch side of the training benchmark: the same GPT-2-layout model trained in float32, timed.

Usage:  /usr/bin/python3 benchmarks/transformer/train_torch.py layers=4 hidden=128 heads=4 context=64 \
            vocab=50257 rows=8 threads=2 steps=5 repeats=3

The model is logits() of transformer_torch.py (plain tensors, no Hugging Face) in float32. One step,
as TransformerTraining.java takes it with TransformerTrainer: next-token cross-entropy of `rows`
random sequences of context+1 tokens (the model reads `context`), backward into every parameter,
gradient clipping at norm 1, AdamW (lr 1e-4, weight decay 0.01, PyTorch's betas and eps). One
warm-up step, then `repeats` timings of `steps` steps each; prints the median seconds per step,
training tokens/s (rows·context per step) and the peak resident memory.
"""
import pathlib
import resource
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import transformer_torch as tt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_default_dtype(torch.float32)


def main():
    arg = tt.arg
    c = dict(layers=arg("layers", 4), d=arg("hidden", 128), heads=arg("heads", 4), T=arg("context", 64),
             V=arg("vocab", 50257))
    rows, threads, steps, repeats = arg("rows", 8), arg("threads", 2), arg("steps", 5), arg("repeats", 3)
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
    opt = torch.optim.AdamW(P.values(), lr=1e-4, weight_decay=0.01)
    batches = [torch.randint(0, V, (rows, T + 1), generator=g) for _ in range(steps * repeats + 1)]
    print(f"model gpt2 L{c['layers']} d{d} h{c['heads']} V{V} T{T}, p = {sum(t.numel() for t in P.values())}, "
          f"rows {rows}, threads {threads}, float32, torch {torch.__version__}")
    it = iter(batches)

    def step():
        ids = next(it)
        opt.zero_grad(set_to_none=True)
        z = tt.logits(P, ids[:, :T], c)
        loss = F.cross_entropy(z.reshape(-1, V), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(P.values(), 1.0)
        opt.step()
        return loss.item()

    step()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - t0) / steps)
    m = statistics.median(times)
    print(f"training step median {m:.3f} s  {rows * T / m:.1f} tokens/s  (per-step times {[round(x, 3) for x in times]})")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} kB")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reference training runs for TransformerTrainerTest: a few float32 optimizer steps in plain PyTorch.

Usage:  /usr/bin/python3 language-models/src/test/python/training_reference.py [OUTPUT_FILE]

The model is transformer_reference.py's (explicit tensors, no Hugging Face), in float32. Each run starts
from random parameters, takes full-batch steps on a fixed set of token examples (a sequence t_0..t_{L-1}
scored on predicting t_f..t_{L-1}) and records the loss before every step and the final parameters:
  - "hard": GPT-2 layout, next-token cross-entropy averaged over all scored positions of the batch,
    AdamW (weight decay 0.05) with gradient clipping at norm 0.5 and a linear warm-up over 2 steps then a
    cosine decay to 0.1 of the rate at step 6;
  - "soft": Llama layout, soft cross-entropy against a teacher's next-token distributions at temperature
    1.5 over a subset of the vocabulary (every position scored), Adam (weight decay 0.01), constant rate.
Output: language-models/src/test/resources/dev/subliminal/lm/train/torch-training.json by default.
"""
import json
import math
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import transformer_reference as ref  # noqa: E402

torch.set_default_dtype(torch.float32)

RUNS = [
    dict(name="hard", config=dict(layout="GPT2", vocabSize=17, contextLength=8, hiddenSize=8, layers=2, heads=2,
                                  kvHeads=2, headDim=4, intermediateSize=16, normEps=1e-5, ropeTheta=0.0,
                                  tiedEmbeddings=True, attentionBias=True),
         examples=[([3, 1, 4, 1, 5, 9, 2], 1), ([6, 5, 3, 5, 8, 9, 7, 9, 3], 4), ([2, 7], 1), ([1, 1, 2, 3, 5], 2),
                   ([16, 0, 16, 0, 16, 0], 3)],
         optimizer="adamw", lr=0.01, weightDecay=0.05, clip=0.5, warmup=2, total=6, floor=0.1, steps=6),
    dict(name="soft", config=dict(layout="LLAMA", vocabSize=15, contextLength=8, hiddenSize=12, layers=2, heads=4,
                                  kvHeads=2, headDim=4, intermediateSize=20, normEps=1e-6, ropeTheta=100.0,
                                  tiedEmbeddings=False, attentionBias=True),
         examples=[([1, 2, 3, 4, 5, 6, 7, 8], 1), ([14, 13, 12], 1), ([0, 7, 0, 7, 0], 1), ([9, 9, 9, 2], 1)],
         temperature=1.5, subset=[1, 3, 5, 8, 13], optimizer="adam", lr=0.005, weightDecay=0.01, clip=0.0,
         warmup=0, total=0, floor=0.0, steps=4),
]


def schedule(run):
    def factor(step):  # LambdaLR passes the number of steps taken so far, from 0
        t = step + 1
        if run["total"] == 0:
            return 1.0
        if t <= run["warmup"]:
            return t / run["warmup"]
        if t >= run["total"]:
            return run["floor"]
        progress = (t - run["warmup"]) / (run["total"] - run["warmup"])
        return run["floor"] + (1 - run["floor"]) * (1 + math.cos(math.pi * progress)) / 2
    return factor


def loss(c, P, run, teacher):
    total, scored = 0, 0
    for tokens, first in run["examples"]:
        z = ref.sequence_logits(c, P, tokens[:-1])
        rows = z[first - 1:]
        if teacher is None:
            targets = torch.tensor(tokens[first:])
            total = total - torch.log_softmax(rows, -1).gather(1, targets[:, None]).sum()
        else:
            y = ref.sequence_logits(c, teacher, tokens[:-1])[first - 1:]
            S, tau = run["subset"], run["temperature"]
            q = torch.softmax(y[:, S] / tau, -1)
            total = total - (q * torch.log_softmax(rows[:, S] / tau, -1)).sum()
        scored += len(tokens) - first
    return total / scored


def train(run, seed):
    c = dict(run["config"])
    gen = torch.Generator().manual_seed(seed)
    P = ref.random_params(c, gen)
    names = list(P)
    teacher = None
    if "temperature" in run:
        teacher = {k: t + 0.5 * torch.randn(t.shape, generator=gen) for k, t in P.items()}
    theta0 = {k: t.clone() for k, t in P.items()}
    leaves = [P[k].clone().requires_grad_(True) for k in names]
    cls = torch.optim.AdamW if run["optimizer"] == "adamw" else torch.optim.Adam
    opt = cls(leaves, lr=run["lr"], weight_decay=run["weightDecay"])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule(run))
    losses = []
    for _ in range(run["steps"]):
        opt.zero_grad()
        value = loss(c, dict(zip(names, leaves)), run, teacher)
        value.backward()
        if run["clip"] > 0:
            torch.nn.utils.clip_grad_norm_(leaves, run["clip"])
        opt.step()
        sched.step()
        losses.append(value.item())

    def flat(tensors):
        return torch.cat([t.detach().reshape(-1) for t in tensors]).tolist()

    out = {k: v for k, v in run.items() if k != "examples"}
    out["examples"] = [{"tokens": t, "firstTarget": f} for t, f in run["examples"]]
    out["names"] = names
    out["theta0"] = flat(theta0[k] for k in names)
    if teacher is not None:
        out["teacher"] = flat(teacher[k] for k in names)
    out["losses"] = losses
    out["theta"] = flat(leaves)
    return out


def main():
    root = pathlib.Path(__file__).resolve().parents[1]
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "resources/dev/subliminal/lm/train/torch-training.json"
    runs = [train(run, 2000 + i) for i, run in enumerate(RUNS)]
    doc = {"generator": "language-models/src/test/python/training_reference.py, torch " + torch.__version__,
           "runs": runs}
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"{path}: {path.stat().st_size} bytes; losses " + "; ".join(
        f"{r['name']} {[round(x, 4) for x in r['losses']]}" for r in runs))


if __name__ == "__main__":
    main()

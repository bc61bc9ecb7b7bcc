"""Reference trajectories of PyTorch's optimizers for OptimizerTest (float64 and float32).

Run with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 simulation/src/test/python/optimizer_reference.py \
        > simulation/src/test/resources/optim/torch-trajectories.json
Each case starts from THETA and applies the GRADIENTS in order (a gradient is given, not computed),
with, where named, torch.nn.utils.clip_grad_norm_ before the step and a LambdaLR schedule of linear
warm-up then cosine decay after it. The JSON records torch's version and every θ_t.
"""
import json
import math

import torch

THETA = [0.5, -1.0, 2.0, 0.0]
GRADIENTS = [[0.3, -0.2, 1e-3, 0.0], [-0.1, -0.4, 2.0, 0.5], [0.7, 0.1, -0.5, -0.25], [1.5, -2.0, 0.1, 3.0]]


def warmup_cosine(warmup, total, floor):
    def factor(step):  # LambdaLR calls it with the number of steps taken so far, starting at 0
        t = step + 1
        if t <= warmup:
            return t / warmup
        if t >= total:
            return floor
        progress = (t - warmup) / (total - warmup)
        return floor + (1 - floor) * (1 + math.cos(math.pi * progress)) / 2
    return factor


def run(name, dtype, make, clip=None, schedule=None):
    p = torch.tensor(THETA, dtype=dtype, requires_grad=True)
    opt = make([p])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule) if schedule else None
    out = []
    for g in GRADIENTS:
        p.grad = torch.tensor(g, dtype=dtype)
        if clip is not None:
            torch.nn.utils.clip_grad_norm_([p], clip)
        opt.step()
        if sched:
            sched.step()
        out.append([float(x) for x in p.detach()])
    return {"name": name, "dtype": str(dtype).replace("torch.", ""), "theta": out}


cases = []
for dtype in (torch.float64, torch.float32):
    cases.append(run("sgd lr=0.1 wd=0.01", dtype, lambda ps: torch.optim.SGD(ps, lr=0.1, weight_decay=0.01)))
    cases.append(run("adam lr=0.1 wd=0.01", dtype, lambda ps: torch.optim.Adam(ps, lr=0.1, weight_decay=0.01)))
    cases.append(run("adamw lr=0.1 wd=0.05", dtype, lambda ps: torch.optim.AdamW(ps, lr=0.1, weight_decay=0.05)))
    cases.append(run("adam lr=0.1 clip=0.5", dtype, lambda ps: torch.optim.Adam(ps, lr=0.1), clip=0.5))
    cases.append(run("adamw lr=0.1 wd=0.05 warmup=2 total=4 floor=0.1", dtype,
                     lambda ps: torch.optim.AdamW(ps, lr=0.1, weight_decay=0.05),
                     schedule=warmup_cosine(2, 4, 0.1)))
print(json.dumps({"torch": torch.__version__, "theta0": THETA, "gradients": GRADIENTS, "cases": cases}, indent=1))

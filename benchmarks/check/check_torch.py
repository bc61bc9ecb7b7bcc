#!/usr/bin/env python3
"""PyTorch side of the check benchmark: one transmission check, float64, timed.

Usage:  /usr/bin/python3 benchmarks/check/check_torch.py RECORD.json [--threads T] [--repeats R]

RECORD is a `./subliminal check --json` record (same init, soft cross-entropy imitation at
temperature 1 over all logits, cross-entropy trait), written by benchmarks/check/run.sh for the
MLP 784-256-256-13 with 1,024 student inputs. Its θ0, student inputs and trait set are loaded
outside the timing; the timed part is exactly what TransmissionCheck.run does at same init, with
the same products (functorch grad for the VJPs, functorch jvp for the JVP, no Jacobian):
  Δ_T = −∇L_T(θ0), θ_T = θ0 + εΔ_T, f_θ0(x), f_θT(x), Δ_S and Δ_S^c (two VJPs),
  L_T at θ_S0, θ_S0 + αΔ_S, θ_S0 + αΔ_S^c, dot, cosine, trait part,
  first order ε·mean_x (J Δ_T)ᵀ M(f_θ0(x)) (J Δ_T) with M = diag(p) − p pᵀ (one JVP).
Prints the median wall time over R runs, the matrix-multiply FLOPs of one check, and the largest
relative difference between these results and the Java ones stored in the record.
"""
import argparse
import json
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "docs"))
import verify_check as vc  # noqa: E402  (float64 default, model builder, record readers)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from functorch import grad, jvp  # noqa: E402  (PyTorch 1.13; torch.func from 2.0)
from torch.nn.utils.stateless import functional_call  # noqa: E402


def neg(g):
    return {k: -v for k, v in g.items()}


def check(model, theta0, x, xt, labels, eps, alpha):
    f = lambda p: functional_call(model, p, (x,))
    trait = lambda p: F.cross_entropy(functional_call(model, p, (xt,)), labels)
    imitation = lambda z, y: -(F.softmax(y, 1) * F.log_softmax(z, 1)).sum(1).mean()
    delta_t = neg(grad(trait)(theta0))
    theta_t = vc.axpy(theta0, eps, delta_t)
    y0, yt = f(theta0), f(theta_t)
    delta_s = neg(grad(lambda p: imitation(f(p), yt))(theta0))
    delta_c = neg(grad(lambda p: imitation(f(p), y0))(theta0))
    r = {"traitLossBefore": trait(theta0).item(),
         "traitLossStudent": trait(vc.axpy(theta0, alpha, delta_s)).item(),
         "traitLossControl": trait(vc.axpy(theta0, alpha, delta_c)).item()}
    dt, ds, dc = vc.flat(delta_t), vc.flat(delta_s), vc.flat(delta_c)
    r["dot"] = (ds @ dt).item()
    r["cosine"] = r["dot"] / (ds.norm() * dt.norm()).item()
    r["traitPart"] = ((ds - dc) @ dt).item()
    _, j = jvp(f, (theta0,), (delta_t,))
    p = F.softmax(y0, 1)
    r["firstOrder"] = eps * ((j * p * j).sum(1) - (j * p).sum(1) ** 2).mean().item()
    return r


def flops(sizes, n, m):
    """Multiply-add FLOPs (2 per term) of the check's matrix products, n student and m trait inputs."""
    layer = lambda rows, first: 2 * rows * sum(a * b for a, b in zip(sizes[first:-1], sizes[first + 1:]))
    # student inputs: 2 forwards, 2 VJPs (forward, ∂W, ∂a below the top layer), 1 JVP (forward, tangent)
    # trait inputs: 1 gradient (forward, ∂W, ∂a), 3 losses (forward)
    return 8 * layer(n, 0) + 3 * layer(n, 1) + 5 * layer(m, 0) + layer(m, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("record")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=10)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    with open(args.record, encoding="utf-8") as fh:
        rec = json.load(fh)
    cfg = rec["config"]
    if cfg["init"] != "same" or cfg["loss"] != "ce" or cfg["trait"] != "ce" or cfg["distill"] != 0 \
            or cfg["temperature"] != 1 or cfg["teacher"] != cfg["student"]:
        sys.exit("check_torch: the record must be a same-init check with ce imitation over all logits "
                 "at temperature 1 and a ce trait")
    model = vc.build(cfg["teacher"])
    theta0 = vc.params(model, rec["parameters"]["theta0"])
    x = vc.tensor(rec["studentInputs"])
    xt = vc.tensor(rec["traitLoss"]["inputs"])
    labels = torch.tensor(rec["traitLoss"]["labels"], dtype=torch.long)
    eps, alpha = float(cfg["epsilon"]), float(cfg["alpha"])

    times, result = [], None
    for i in range(args.repeats + 2):  # two warm-up runs
        start = time.perf_counter()
        result = check(model, theta0, x, xt, labels, eps, alpha)
        if i >= 2:
            times.append(time.perf_counter() - start)
    java = rec["results"]
    worst = max(abs(result[k] - java[k]) / max(abs(java[k]), abs(result[k])) for k in result)
    blas = torch.__config__.show().split("BLAS_INFO=")[1].split(",")[0]
    print(f"torch {torch.__version__} (BLAS {blas}), {torch.get_num_threads()} threads, {args.repeats} runs")
    print(f"median_seconds {statistics.median(times):.6f}")
    print(f"flops {flops([int(s) for s in cfg['teacher']['sizes']], int(cfg['samples']), int(cfg['traitSamples']))}")
    print(f"max_relative_difference_vs_java {worst:.3e}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Independent PyTorch re-computation of a `subliminal check --json` record.

Usage:  python3 docs/verify_check.py RECORD.json [--tolerance 1e-9]

Models: the linear, mlp and cnn families of `config.teacher` / `config.student` (a cnn as
nn.Conv2d layers with the record's inputChannels, convChannels, kernel and stride, then nn.Flatten
and nn.Linear layers, in PyTorch's parameter layout: see build below); a teacher and a student of
different families are checked on their functional quantities.

Only the record's configuration, data (student inputs, trait set), theta0 and studentInit are read
as inputs; every result is recomputed in float64 with PyTorch autograd (gradients) and forward-mode
JVPs (the first-order term, without ever building a Jacobian). The stored Δ_T, θ_T, Δ_S and Δ_S^c
are read only to be compared with the recomputed ones.

Definitions (N student inputs x, teacher f = f_θ, student f_S):
  L_T(θ)  ce : mean over the trait set of −log softmax(f_θ(x))[label]
          mse: mean over the trait set of ‖f_θ(x) − t(x)‖²
  ℓ(z, y) mse: Σ_i w_i (z_i − y_i)²
          ce : −Σ_{i∈S} softmax(y_S/T)_i · log softmax(z_S/T)_i      (S = "logits", null = all)
  Δ_T  = −∇L_T(θ0),  θ_T = θ0 + ε Δ_T
  Δ_S  = −∇_θ (1/N) Σ_x ℓ(f_S,θ(x), f_θT(x))  at θ = θ_S0,   Δ_S^c: same with f_θ0(x) as target
  dot = Δ_S·Δ_T,  cosine = dot / (‖Δ_S‖‖Δ_T‖),  traitPart = (Δ_S − Δ_S^c)·Δ_T
  firstOrder = ε (1/N) Σ_x (J_S Δ_T)ᵀ M (J_0 Δ_T),  J_S at θ_S0, J_0 at θ0,
      M = 2 diag(w) (mse) or (diag(p) − p pᵀ)/T² on S with p = softmax(f_θ0(x)_S / T) (ce)
  absoluteError = |traitPart − firstOrder|,  relativeError = absoluteError / |firstOrder|
  traitLoss{Before, Student, Control} = L_T(θ_S0), L_T(θ_S0 + αΔ_S), L_T(θ_S0 + αΔ_S^c)  (student)
Across architectures (student ≠ teacher) only the functional quantities exist; the record holds
null for the others and they are printed as n/a.

Comparison: a row passes when |java − torch| ≤ tolerance · scale, where scale is the magnitude of
the quantity, max(|java|, |torch|), except where cancellation makes the result's own magnitude the
wrong yardstick (see SCALES below). Vectors are compared entrywise against the vector's largest
entry, max_i |a_i − b_i| / max_i |b_i|: a per-entry ratio would blow up on entries that are zero up
to rounding (dead ReLU units, cancelled gradient terms).

Conditioning: at same init Δ_S comes from outputs f_θT − f_θ0 = O(ε), so Δ_S and what is built from
it carry a relative rounding error ~1e-16/ε in both programs; below ε ≈ 1e-6 pass a looser
--tolerance (the script prints a note). At ε = 0, Δ_S is exactly 0 in Java and a ~1e-17 rounding
residual here, so the relative comparison of Δ_S, dot and cosine is meaningless there.

Exit status: 0 all rows pass, 1 some row fails, 2 unreadable/invalid record or unsupported schema.
"""
import argparse
import json
import math
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print(f"verify_check: PyTorch is not importable by {sys.executable}", file=sys.stderr)
    sys.exit(2)
try:  # PyTorch ≥ 2.0
    from torch.func import functional_call, grad, jvp
except ImportError:  # PyTorch 1.13 (Debian bookworm): the same transforms live in functorch
    from functorch import grad, jvp
    from torch.nn.utils.stateless import functional_call

SCHEMA = "subliminal.check/1"
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


class Invalid(Exception):
    """The record cannot be read or does not follow the schema (exit status 2)."""


# ----------------------------------------------------------------------------------------- models

class Softplus(torch.nn.Module):
    # log(1 + eˣ). PyTorch's softplus returns x itself above `threshold`; at 40 that is exact in
    # double (e^−40 < ulp(40)/2), so this equals the record's max(x, 0) + log1p(e^−|x|) to an ulp,
    # and its derivative eˣ/(1 + eˣ) is the record's logistic.
    def forward(self, x):
        return F.softplus(x, beta=1, threshold=40)


ACTIVATIONS = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "softplus": Softplus,
               "gelu": lambda: torch.nn.GELU(approximate="none")}  # exact x·Φ(x) via erf


class Images(torch.nn.Sequential):
    """An nn.Sequential that first reads each input row of d = C0·H·W values as a C0 × H × W image
    (channel first, row-major: torch's reshape is the record's layout)."""

    def __init__(self, shape, *layers):
        super().__init__(*layers)
        self.shape = tuple(shape)

    def forward(self, x):
        return super().forward(x.reshape(x.shape[0], *self.shape))


def image_shape(d, c0):
    """(H, W) of d inputs in C0 channels: H the largest divisor of d/C0 not above √(d/C0), W = d/(C0·H)."""
    if c0 < 1 or d < 1 or d % c0:
        raise Invalid(f"{d} inputs do not split into {c0} channels")
    pixels = d // c0
    h = max(i for i in range(1, math.isqrt(pixels) + 1) if pixels % i == 0)
    return h, pixels // h


def build(arch):
    """nn.Sequential(Linear, φ, Linear, φ, ..., Linear); the linear family is nn.Sequential(Linear);
    the cnn family is nn.Sequential(Conv2d, φ, ..., Conv2d, φ, Flatten, Linear, φ, ..., Linear) on the
    inputs read as C0 × H × W images, each Conv2d of kernel k, stride s and zero padding (k − 1)/2,
    with sizes [d, h_1, ..., n] the input and the dense layers after the flatten."""
    sizes, family = [int(s) for s in arch["sizes"]], arch["family"]
    if family == "linear" and len(sizes) == 2:
        return torch.nn.Sequential(torch.nn.Linear(sizes[0], sizes[1]))
    if family not in ("mlp", "cnn") or len(sizes) < 2 or arch.get("activation") not in ACTIVATIONS:
        raise Invalid(f"unsupported architecture {arch}")
    phi = ACTIVATIONS[arch["activation"]]
    if family == "mlp":
        layers = []
        for l in range(len(sizes) - 1):
            layers += [torch.nn.Linear(sizes[l], sizes[l + 1]), phi()]
        return torch.nn.Sequential(*layers[:-1])  # no activation after the output layer
    c0, k, s = int(arch["inputChannels"]), int(arch["kernel"]), int(arch["stride"])
    channels = [int(c) for c in str(arch["convChannels"]).split(",")]
    if k < 1 or k % 2 == 0 or s < 1 or min(channels) < 1:
        raise Invalid(f"unsupported convolutions {arch}")
    image = (c0, *image_shape(sizes[0], c0))
    layers, (c, h, w) = [], image
    for out in channels:
        layers += [torch.nn.Conv2d(c, out, k, stride=s, padding=(k - 1) // 2), phi()]
        c, h, w = out, (h - 1) // s + 1, (w - 1) // s + 1  # ⌊(h + 2p − k)/s⌋ + 1 = ⌈h/s⌉
    dense = [c * h * w] + sizes[1:]
    layers.append(torch.nn.Flatten())
    for l in range(len(dense) - 1):
        layers += [torch.nn.Linear(dense[l], dense[l + 1]), phi()]
    return Images(image, *layers[:-1])


def tensor(node, shape=None):
    t = torch.tensor(node["data"], dtype=torch.float64).reshape([int(s) for s in node["shape"]])
    if shape is not None and tuple(t.shape) != tuple(shape):
        raise Invalid(f"tensor has shape {tuple(t.shape)}, expected {tuple(shape)}")
    return t


def params(model, node):
    """The named tensors of one parameter vector, checked against the model's PyTorch layout."""
    names = [n for n, _ in model.named_parameters()]
    if list(node) != names:
        raise Invalid(f"parameter names {list(node)} do not match the model's {names}")
    return {n: tensor(node[n], p.shape) for n, p in model.named_parameters()}


def flat(p):
    return torch.cat([v.reshape(-1) for v in p.values()])


def axpy(p, a, d):
    return {k: p[k] + a * d[k] for k in p}


# ------------------------------------------------------------------------------------- the check

def recompute(rec):
    cfg = rec["config"]
    teacher, student = build(cfg["teacher"]), build(cfg["student"])
    same_arch = cfg["teacher"] == cfg["student"]
    P = rec["parameters"]
    theta0, theta_s0 = params(teacher, P["theta0"]), params(student, P["studentInit"])
    eps, alpha = float(cfg["epsilon"]), float(cfg["alpha"])
    x = tensor(rec["studentInputs"])

    # Trait loss L_T(θ) for either model.
    tl = rec["traitLoss"]
    xt = tensor(tl["inputs"])
    if tl["kind"] == "ce":
        labels = torch.tensor(tl["labels"], dtype=torch.long)
        trait = lambda m, p: F.cross_entropy(functional_call(m, p, (xt,)), labels)  # mean −log σ[c]
    elif tl["kind"] == "mse":
        targets = tensor(tl["targets"])
        trait = lambda m, p: (functional_call(m, p, (xt,)) - targets).pow(2).sum(1).mean()
    else:
        raise Invalid(f"unsupported trait loss kind {tl['kind']!r}")

    # Imitation loss (1/N) Σ_x ℓ(z_x, y_x) and the output-space bilinear form (1/N) Σ_x u_xᵀ M(y_x) v_x.
    il = rec["imitationLoss"]
    if il["kind"] == "mse":
        w = torch.tensor(il["weights"], dtype=torch.float64)
        imitation = lambda z, y: (w * (z - y).pow(2)).sum(1).mean()
        bilinear = lambda y, u, v: (2 * w * u * v).sum(1).mean()  # M = 2 diag(w)
    elif il["kind"] == "ce":
        T = float(il["temperature"])
        S = slice(None) if il["logits"] is None else torch.tensor(il["logits"], dtype=torch.long)
        imitation = lambda z, y: -(F.softmax(y[:, S] / T, 1) * F.log_softmax(z[:, S] / T, 1)).sum(1).mean()

        def bilinear(y, u, v):  # M = (diag(p) − p pᵀ)/T² on S, p = σ(y_S/T)
            p = F.softmax(y[:, S] / T, 1)
            M = torch.diag_embed(p) - p[:, :, None] * p[:, None, :]
            return torch.einsum("ni,nij,nj->n", u[:, S], M, v[:, S]).mean() / T ** 2
    else:
        raise Invalid(f"unsupported imitation loss kind {il['kind']!r}")

    f0 = lambda p: functional_call(teacher, p, (x,))   # teacher / reference outputs on the student inputs
    fs = lambda p: functional_call(student, p, (x,))   # student outputs

    delta_t = {k: -g for k, g in grad(lambda p: trait(teacher, p))(theta0).items()}  # Δ_T = −∇L_T(θ0)
    theta_t = axpy(theta0, eps, delta_t)                                                 # θ_T = θ0 + εΔ_T
    y_t, y_0 = f0(theta_t).detach(), f0(theta0).detach()
    delta_s = {k: -g for k, g in grad(lambda p: imitation(fs(p), y_t))(theta_s0).items()}
    delta_c = {k: -g for k, g in grad(lambda p: imitation(fs(p), y_0))(theta_s0).items()}

    r = {"traitLossBefore": trait(student, theta_s0).item(),
         "traitLossStudent": trait(student, axpy(theta_s0, alpha, delta_s)).item(),
         "traitLossControl": trait(student, axpy(theta_s0, alpha, delta_c)).item()}
    r["traitDropsBelowControl"] = r["traitLossStudent"] < r["traitLossControl"]
    r["sameArchitecture"] = same_arch
    r["sameInit"] = same_arch and all(torch.equal(theta0[k], theta_s0[k]) for k in theta0)
    if same_arch:
        dt, ds, dc = flat(delta_t), flat(delta_s), flat(delta_c)
        r["dot"] = (ds @ dt).item()
        norms = (ds.norm() * dt.norm()).item()
        r["cosine"] = (ds @ dt).item() / norms if norms else None  # undefined (null) for a zero vector
        r["traitPart"] = ((ds - dc) @ dt).item()
        # At independent/perturbed init Δ_S and Δ_S^c are O(1) and nearly equal, so traitPart (O(ε))
        # carries a rounding error ~1e-16·‖Δ_S‖‖Δ_T‖; it is still compared on its own magnitude,
        # which at ε = 1e-3 leaves ~1e-13 against a 1e-9 tolerance (tighten ε well below 1e-6 and
        # this row would need the scale ‖Δ_S‖‖Δ_T‖ instead).
        # J_0 Δ_T and J_S Δ_T as forward-mode JVPs (one pass each, no Jacobian).
        _, j0 = jvp(f0, (theta0,), (delta_t,))
        _, js = jvp(fs, (theta_s0,), (delta_t,))
        r["firstOrder"] = eps * bilinear(y_0, js, j0).item()
        r["absoluteError"] = abs(r["traitPart"] - r["firstOrder"])
        r["relativeError"] = r["absoluteError"] / abs(r["firstOrder"]) if r["firstOrder"] else None
    vectors = {"deltaT": delta_t, "thetaT": theta_t, "deltaS": delta_s, "deltaSControl": delta_c}
    return r, {k: flat(v) for k, v in vectors.items()}


# ------------------------------------------------------------------------------------ comparison

# Scale against which each difference is measured, as a function of (java results, torch results).
# Default: the quantity's own magnitude. absoluteError = |traitPart − firstOrder| is O(ε²), the
# difference of two numbers that agree to O(ε): its rounding error is that of its operands, i.e.
# ~tolerance·|traitPart|, not ~tolerance·|absoluteError|. So it is measured on the operands' scale,
# and relativeError = absoluteError/|firstOrder| on that scale divided by |firstOrder|. This is the
# same test as a tolerance looser by 1/relativeError (≈ 1/ε), justified because traitPart and
# firstOrder themselves pass at the full tolerance.
def operands(j, t):
    return max(abs(j["traitPart"]), abs(j["firstOrder"]))


SCALES = {"absoluteError": operands,
          "relativeError": lambda j, t: operands(j, t) / abs(j["firstOrder"])}
NUMBERS = ["dot", "cosine", "traitPart", "firstOrder", "absoluteError", "relativeError",
           "traitLossBefore", "traitLossStudent", "traitLossControl"]
FLAGS = ["sameArchitecture", "sameInit", "traitDropsBelowControl"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("record")
    ap.add_argument("--tolerance", type=float, default=1e-9)
    args = ap.parse_args()
    tol = args.tolerance
    try:
        with open(args.record, encoding="utf-8") as fh:
            rec = json.load(fh)
        if not isinstance(rec, dict) or rec.get("schema") != SCHEMA:
            schema = rec.get("schema") if isinstance(rec, dict) else None
            raise Invalid(f"unsupported schema {schema!r}, expected {SCHEMA!r}")
        java = rec["results"]
        if not isinstance(java, dict):
            raise Invalid("'results' is not an object")
        mine, vecs = recompute(rec)
        stored = {k: flat(params(build(rec["config"]["teacher" if k in ("deltaT", "thetaT") else "student"]),
                                 rec["parameters"][k])) for k in vecs}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RuntimeError, Invalid) as e:
        print(f"verify_check: {args.record}: invalid record: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(2)

    print(f"record   {args.record}\ncommand  {rec.get('commandLine', '?')}\ntolerance {tol:g}\n")
    eps = float(rec["config"]["epsilon"])
    if eps < 1e-6:
        print(f"note: ε = {eps:g}: Δ_S is a difference of outputs equal to O(ε); expect agreement "
              f"only to ~1e-16/ε = {1e-16 / eps if eps else math.inf:.0e}\n")
    print(f"{'quantity':<24}{'Java':>25}{'PyTorch':>25}{'rel. diff':>11}  status")
    failed = 0

    def row(name, j, t, rel, ok):
        nonlocal failed
        failed += ok is False
        fmt = lambda v: "n/a" if v is None else f"{v:.16e}" if isinstance(v, float) else str(v)
        status = "n/a" if ok is None else "ok" if ok else "FAIL"
        print(f"{name:<24}{fmt(j):>25}{fmt(t):>25}{'n/a' if rel is None else f'{rel:.2e}':>11}  {status}")

    for k in NUMBERS:
        j, t = java.get(k), mine.get(k)
        if j is None or t is None:  # null in the record (e.g. across architectures) or undefined here
            row(k, j, t, None, None if (j is None) == (t is None) else False)
            continue
        scale = SCALES[k](java, mine) if k in SCALES else max(abs(j), abs(t))
        rel = 0.0 if j == t else abs(j - t) / scale if scale else math.inf
        row(k, j, t, rel, rel <= tol)
    # Stored vectors against the recomputed ones. Δ_S^c is measured on the scale of Δ_S: at same
    # init it is exactly 0 in exact arithmetic, and what either program returns is a rounding residual
    # of the gradient's terms (Java: exactly 0; PyTorch: ~1e-17, since Σ softmax ≠ 1 by an ulp).
    for k in vecs:
        a, b = vecs[k], stored[k]
        ref = stored["deltaS"] if k == "deltaSControl" else b
        scale = max(b.abs().max().item(), ref.abs().max().item())
        diff = (a - b).abs().max().item()
        rel = 0.0 if diff == 0 else diff / scale if scale else math.inf
        norms = (f"‖v‖ {b.norm().item():.6e}", f"‖v‖ {a.norm().item():.6e}")
        row(f"{k} (max, vector)", *norms, rel, rel <= tol)
    for k in FLAGS:
        j, t = java.get(k), mine[k]
        ok = j == t
        if not ok and k == "traitDropsBelowControl":  # a tie within rounding may fall either way
            gap = abs(mine["traitLossStudent"] - mine["traitLossControl"])
            ok = gap <= tol * max(abs(mine["traitLossStudent"]), abs(mine["traitLossControl"]))
        row(k, j, t, None, ok)
    print(f"\n{'FAILED: ' + str(failed) + ' row(s) outside tolerance' if failed else 'all rows agree'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

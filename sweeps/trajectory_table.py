#!/usr/bin/env python3
"""Prints the mean over seeds of a check sweep's trajectory columns at chosen times, per cell, as a
Markdown table (the README's trajectory and flow tables come from it):

  python3 sweeps/trajectory_table.py RESULTS.jsonl --steps 5 50            # at steps k
  python3 sweeps/trajectory_table.py RESULTS.jsonl --times 1 --against flow  # at times t = k·α

With --times, each cell is read at step t/α (which must be a recorded step), the drift and the signal
are scaled to time units (α·U·Δ_T, α·S), and --against NAME adds the mean over seeds of the paired gap
|x − x_NAME| to the cell of the same settings whose optimizer is NAME. Numbers only: no statistics
beyond the mean (summarize and report give intervals)."""
import argparse
import json
import math
import sys

COLUMNS = ["cosine", "gamma", "signal", "residual", "dot", "traitLoss"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--steps", type=int, nargs="*", default=[])
    ap.add_argument("--times", type=float, nargs="*", default=[])
    ap.add_argument("--against", default=None)
    a = ap.parse_args()
    with open(a.file, encoding="utf-8") as f:
        header = json.loads(f.readline())
        records = [json.loads(line) for line in f if line.strip()]
    varied = [k for k, v in header["config"]["axes"].items() if len(v) > 1]
    cells = header["config"]["cells"]
    by_cell = {}
    for r in records:
        if "trajectory" in r:
            by_cell.setdefault(r["cell"], {})[r["seed"]] = r

    def value(r, column, step, alpha, scaled):
        t = r["trajectory"]
        i = t["step"].index(step)
        v = t[column][i]
        if v is None:
            return math.nan
        return v * alpha if scaled and column in ("dot", "signal", "residual") else v

    def key(cell):
        return tuple((k, v) for k, v in cells[cell].items() if k != "optimizer")

    points = [("step", s) for s in a.steps] + [("time", t) for t in a.times]
    head = varied + [f"{c} at {kind} {p:g}" for kind, p in points for c in COLUMNS]
    gaps = a.against is not None
    if gaps:
        head += [f"|Δ {c}| vs {a.against} at {kind} {p:g}" for kind, p in points for c in ("cosine", "dot", "traitLoss")]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for cell in sorted(by_cell):
        seeds = by_cell[cell]
        alpha = cells[cell]["alpha"]
        row = [str(cells[cell][v]) for v in varied]
        other = None
        if gaps:
            other = next((c for c in by_cell if key(c) == key(cell) and cells[c]["optimizer"] == a.against), None)
        for kind, p in points:
            step = p if kind == "step" else round(p / alpha)
            for c in COLUMNS:
                vals = [value(r, c, step, alpha, kind == "time") for r in seeds.values()]
                vals = [v for v in vals if not math.isnan(v)]
                row.append(f"{sum(vals) / len(vals):.4g}" if vals else "n/a")
        if gaps:
            for kind, p in points:
                step = p if kind == "step" else round(p / alpha)
                for c in ("cosine", "dot", "traitLoss"):
                    if other is None or other == cell:
                        row.append("—")
                        continue
                    ref = by_cell[other]
                    ostep = p if kind == "step" else round(p / cells[other]["alpha"])
                    d = [abs(value(r, c, step, alpha, kind == "time") - value(ref[s], c, ostep, cells[other]["alpha"],
                                                                                 kind == "time"))
                         for s, r in seeds.items() if s in ref]
                    row.append(f"{sum(d) / len(d):.3g}")
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""PyTorch side of the gemm benchmark: C = A·B for n × n matrices of float32 and float64.

Usage: OPENBLAS_NUM_THREADS=T /usr/bin/python3 gemm_torch.py N THREADS [--repeats R] [--precision s|d|both]
Prints one line per precision, `torch s|d THREADS GFLOP/s`, the median rate over R products after
two warm-up products (2·n³ flops each). The thread count of OpenBLAS is fixed by its environment
when the library loads, so run.sh starts one process per thread count.
"""
import argparse
import statistics
import time

import torch

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("n", type=int)
p.add_argument("threads", type=int)
p.add_argument("--repeats", type=int, default=7)
p.add_argument("--precision", choices=["s", "d", "both"], default="both")
args = p.parse_args()
torch.set_num_threads(args.threads)
n = args.n
for name, dtype in (("s", torch.float32), ("d", torch.float64)):
    if args.precision not in (name, "both"):
        continue
    g = torch.Generator().manual_seed(1)
    a = torch.rand(n, n, dtype=dtype, generator=g) * 2 - 1
    b = torch.rand(n, n, dtype=dtype, generator=g) * 2 - 1
    times = []
    for i in range(args.repeats + 2):
        t = time.perf_counter()
        a @ b
        if i >= 2:
            times.append(time.perf_counter() - t)
    print(f"torch {name} {args.threads} {2 * n ** 3 / statistics.median(times) / 1e9:.2f}")

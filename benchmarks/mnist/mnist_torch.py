#!/usr/bin/env python3
"""The MNIST auxiliary-logit experiment (Cloud et al. 2025, Fig. 10) in PyTorch, on CPU: the
baseline that `./subliminal mnist` is benchmarked against (benchmarks/mnist/run.sh).

The configuration of the paper's official script, as stated in DESIGN §4 and by
`./subliminal mnist`: MLP 784-256-256-(10+m), ReLU, weights N(0, 1/fan_in), zero biases; pixels
in [-1, 1]; Adam lr 3e-4, batch 1024; 295 optimizer steps per training phase (5 epochs of
ceil(60000/1024) = 59 batches, the last one partial). Teacher: cross-entropy on the 10 class
logits, on the training digits (epochs of ceil(N/1024) batches repeated until 295 steps).
Students: KL (temperature 1, batch mean) to the teacher's softmax over the m auxiliary logits
(aux) or all 10+m logits (all), on 60,000 fixed Uniform[-1, 1] noise images reshuffled each
epoch; the cross-model students start from another random init.

Usage: /usr/bin/python3 mnist_torch.py [--runs N] [--first-seed S] [--threads T] [--data-dir DIR]
Prints one line per run and the mean and standard deviation of each arm's test accuracy.
"""
import argparse
import gzip
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLED = os.path.join(HERE, "..", "..", "experiments", "src", "main", "resources", "dev", "subliminal",
                       "experiments", "mnist")
ARMS = ["reference", "teacher", "student-aux", "student-all", "cross-aux", "cross-all"]
PAPER = {"reference": 0.10, "teacher": 0.94, "student-aux": 0.53, "student-all": 0.91, "cross-aux": 0.11,
         "cross-all": 0.74}


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    magic, = struct.unpack(">I", raw[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(directory, part):
    def find(name):
        for candidate in (name + ".gz", name):
            if os.path.exists(os.path.join(directory, candidate)):
                return os.path.join(directory, candidate)
        raise SystemExit(f"{directory}: no {name}[.gz]")
    images = idx(find(f"{part}-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32)
    labels = idx(find(f"{part}-labels-idx1-ubyte")).astype(np.int64)
    return torch.from_numpy(images / 255.0 * 2.0 - 1.0).float(), torch.from_numpy(labels)


def mlp(m, width):
    net = nn.Sequential(nn.Linear(784, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                        nn.Linear(width, 10 + m))
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, nn.Linear):
                layer.weight.normal_(0.0, 1.0 / math.sqrt(layer.in_features))
                layer.bias.zero_()
    return net


def batches(n, batch, steps, generator):
    """Index batches: epochs of ceil(n / batch) batches (last one partial), until `steps` batches."""
    done = 0
    while done < steps:
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch):
            if done == steps:
                return
            yield order[start:start + batch]
            done += 1


def train(net, inputs, target, loss, steps, batch, lr, generator):
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    for b in batches(inputs.shape[0], batch, steps, generator):
        opt.zero_grad()
        loss(net(inputs[b]), target[b]).backward()
        opt.step()


def accuracy(net, images, labels):
    with torch.no_grad():
        return (net(images)[:, :10].argmax(1) == labels).float().mean().item()


def run(seed, args, train_set, test_set):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    m, steps = args.aux, args.epochs * math.ceil(args.noise_images / args.batch)
    reference, other = mlp(m, args.width), mlp(m, args.width)
    teacher = mlp(m, args.width)
    teacher.load_state_dict(reference.state_dict())
    train(teacher, train_set[0], train_set[1], lambda z, y: F.cross_entropy(z[:, :10], y), steps, args.batch,
          args.lr, g)
    noise = torch.rand(args.noise_images, 784, generator=g) * 2 - 1
    with torch.no_grad():
        targets = teacher(noise)

    def kl(lo):
        return lambda z, t: F.kl_div(F.log_softmax(z[:, lo:], 1), F.softmax(t[:, lo:], 1), reduction="batchmean")

    acc = {"reference": accuracy(reference, *test_set), "teacher": accuracy(teacher, *test_set)}
    for arm, init, lo in (("student-aux", reference, 10), ("student-all", reference, 0),
                          ("cross-aux", other, 10), ("cross-all", other, 0)):
        student = mlp(m, args.width)
        student.load_state_dict(init.state_dict())
        train(student, noise, targets, kl(lo), steps, args.batch, args.lr, torch.Generator().manual_seed(seed + 1))
        acc[arm] = accuracy(student, *test_set)
    return acc


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--first-seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--data-dir", default=BUNDLED)
    p.add_argument("--aux", type=int, default=3)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=1024)
    p.add_argument("--noise-images", type=int, default=60000)
    p.add_argument("--lr", type=float, default=3e-4)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    train_set, test_set = load(args.data_dir, "train"), load(args.data_dir, "t10k")
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, {train_set[0].shape[0]} train / "
          f"{test_set[0].shape[0]} test digits, {args.epochs * math.ceil(args.noise_images / args.batch)} steps "
          f"per phase", flush=True)
    results = []
    start = time.time()
    for r in range(args.runs):
        t = time.time()
        acc = run(args.first_seed + r, args, train_set, test_set)
        results.append(acc)
        print(f"run {r} seed {args.first_seed + r}: " + " ".join(f"{a} {acc[a]:.4f}" for a in ARMS)
              + f" ({time.time() - t:.1f} s)", flush=True)
    print(f"{'arm':12s} {'mean':>7s} {'sd':>7s} {'paper':>6s}")
    for a in ARMS:
        x = np.array([r[a] for r in results])
        sd = x.std(ddof=1) if len(x) > 1 else float("nan")
        print(f"{a:12s} {x.mean():7.4f} {sd:7.4f} {PAPER[a]:6.2f}")
    print(f"total {time.time() - start:.1f} s for {args.runs} runs")


if __name__ == "__main__":
    main()

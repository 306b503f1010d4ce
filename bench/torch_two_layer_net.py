#!/usr/bin/env python3
"""torch_two_layer_net.py - chapter 4's MNIST training loop in PyTorch (eager), timed like bench_train.

A reference that ScratchNet's epoch time is compared with (tools/run_bench.sh), written the way a
PyTorch user would write it:

    net = nn.Sequential(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10))   # W 0.01·randn, b 0
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    per batch:  loss = F.cross_entropy(net(x), t); optimizer.zero_grad(); loss.backward(); optimizer.step()

with mini-batches of 100 images in a new random order each epoch (600 iterations), each converted
from MNIST's bytes (the gzip IDX files, read by numpy_two_layer_net.py's reader) to floats / 255
as bench_train does. This is the work of ScratchNet's loop: one forward, and autograd computes no
dx for the input x (it does not require a gradient). It prints, for float64 and float32, the best
and the median seconds per epoch after a warm-up epoch, on torch.set_num_threads(--threads):

    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        /usr/bin/python3 bench/torch_two_layer_net.py --data /work/mnist --threads 1
"""
import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_two_layer_net import BATCH, HIDDEN, LR, WEIGHT_INIT_STD, blas_libraries, read_idx  # noqa: E402


def two_layer_net(dtype, generator):
    """784-50-10 with the book's initialisation: weights 0.01·randn, biases zero."""
    net = nn.Sequential(nn.Linear(784, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 10)).to(dtype)
    with torch.no_grad():
        for layer in (net[0], net[2]):
            layer.weight.copy_(WEIGHT_INIT_STD * torch.randn(layer.weight.shape, generator=generator, dtype=dtype))
            layer.bias.zero_()
    return net


def time_epochs(images, labels, dtype, warmup, epochs, seed):
    """Trains a fresh net for warmup + epochs epochs; times the last `epochs`."""
    generator = torch.Generator().manual_seed(seed)
    net = two_layer_net(dtype, generator)
    optimizer = torch.optim.SGD(net.parameters(), lr=LR)
    n = images.shape[0]
    seconds, last_loss = [], 0.0
    for epoch in range(warmup + epochs):
        start = time.perf_counter()
        order = torch.randperm(n, generator=generator)
        total = 0.0
        for begin in range(0, n, BATCH):
            idx = order[begin:begin + BATCH]
            x = images[idx].to(dtype) / 255  # bytes → floats per batch, like bench_train
            t = labels[idx]
            loss = F.cross_entropy(net(x), t)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        if epoch >= warmup:
            seconds.append(time.perf_counter() - start)
        last_loss = total / (n // BATCH)
    return min(seconds), statistics.median(seconds), last_loss


def main():
    default_data = os.environ.get("SCRATCH_DATA_DIR") or os.path.join(os.path.dirname(__file__), "..", "data", "mnist")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=default_data, help="folder with the MNIST IDX files")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads(N)")
    parser.add_argument("--epochs", type=int, default=5, help="timed epochs per dtype")
    parser.add_argument("--warmup", type=int, default=1, help="untimed epochs first")
    parser.add_argument("--quick", action="store_true", help="no warm-up, 2 timed epochs (CI)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    epochs, warmup = (2, 0) if args.quick else (args.epochs, args.warmup)
    torch.set_num_threads(args.threads)

    images = torch.from_numpy(read_idx(args.data, "train-images-idx3-ubyte", 0x803).reshape(-1, 784).copy())
    labels = torch.from_numpy(read_idx(args.data, "train-labels-idx1-ubyte", 0x801).copy()).long()
    torch.ones(2, 2) @ torch.ones(2, 2)  # makes sure the BLAS is loaded before it is named
    print(f"# torch_two_layer_net: chapter 4's loop in PyTorch {torch.__version__} eager (nn.Sequential, "
          f"F.cross_entropy, loss.backward(), optim.SGD), {warmup} warm-up + {epochs} timed epochs; "
          f"torch threads {torch.get_num_threads()}; load average {', '.join(f'{l:.2f}' for l in os.getloadavg())}")
    print(f"# BLAS: {blas_libraries()}")
    env = " ".join(f"{k}={os.environ[k]}" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "GLIBC_TUNABLES")
                   if k in os.environ)
    print(f"# reproduce: env -u OPENBLAS_CORETYPE {env} {sys.executable} {' '.join(sys.argv)}")
    if os.environ.get("OPENBLAS_CORETYPE"):
        print(f"# WARNING: OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} forces OpenBLAS onto that CPU's kernels")
    print(f"{'run':<10} {'hidden':>6} {'batch':>6} {'threads':>7} {'dtype':>5} {'s/epoch':>9} {'median':>9} {'loss':>8}")
    for dtype, name in ((torch.float64, "f64"), (torch.float32, "f32")):
        best, median, loss = time_epochs(images, labels, dtype, warmup, epochs, args.seed)
        print(f"{'torch':<10} {HIDDEN:>6} {BATCH:>6} {torch.get_num_threads():>7} {name:>5} {best:9.4f} "
              f"{median:9.4f} {loss:8.3f}", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""book_train_neuralnet.py - the book's ch05/train_neuralnet.py, seeded, as the reference for
chapter 4's --rng numpy.

What runs is the book's program (oreilly-japan/deep-learning-from-scratch: ch05/train_neuralnet.py
with ch05/two_layer_net.py, common/layers.py and common/functions.py), re-typed, with three changes:

  1. np.random.seed(SEED) before anything draws (the book never seeds).
  2. MNIST comes from the gzip IDX files in SCRATCH_DATA_DIR instead of the book's download and
     pickle. The arrays are the ones the book's load_mnist(normalize=True, one_hot_label=True)
     returns: images (N, 784) float32 divided in place by 255.0, labels one-hot (N, 10) float64.
  3. It runs EPOCHS * iter_per_epoch + 1 iterations instead of 10000, so that the last line is the
     end of the last epoch, and each line shows the loop counter, the loss the book appends to
     train_loss_list, and the accuracies as fractions and counts (the book prints only
     `train_acc test_acc`). The line format is the one chapter 4 prints with --rng numpy.

The accuracy is measured, as in the book, whenever i % iter_per_epoch == 0: after the update of
iteration i = 0 (one update), 600 (601 updates), 1200, ...

    OPENBLAS_NUM_THREADS=1 SCRATCH_DATA_DIR=/work/mnist /usr/bin/python3 bench/book_train_neuralnet.py --epochs 2
"""
import argparse
import gzip
import os
import sys

import numpy as np


# ---- loading: the book's load_mnist(normalize=True, flatten=True, one_hot_label=True) ----

def read_idx(folder, name, offset):
    """The bytes after the header of name.gz (or name): the book's np.frombuffer(..., offset=...)."""
    path = os.path.join(folder, name + ".gz")
    opener = gzip.open
    if not os.path.exists(path):
        path, opener = os.path.join(folder, name), open
    with opener(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def one_hot(labels):
    T = np.zeros((labels.size, 10))  # float64, as the book's _change_ont_hot_label
    T[np.arange(labels.size), labels] = 1
    return T


def load_mnist(folder):
    def images(name):
        x = read_idx(folder, name, 16).reshape(-1, 784).astype(np.float32)
        x /= 255.0  # in place: the division happens in float32
        return x

    def labels(name):
        return one_hot(read_idx(folder, name, 8))

    return ((images("train-images-idx3-ubyte"), labels("train-labels-idx1-ubyte")),
            (images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte")))


# ---- common/functions.py and common/layers.py (the parts TwoLayerNet uses) ----

def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    if t.size == y.size:  # one-hot labels: the index of the 1
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


class Relu:
    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b  # the very arrays in params: the in-place update reaches them

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        return cross_entropy_error(self.y, t)

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        return (self.y - self.t) / batch_size  # one-hot t


# ---- ch05/two_layer_net.py ----

class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {
            "W1": weight_init_std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }
        self.layers = [Affine(self.params["W1"], self.params["b1"]), Relu(),
                       Affine(self.params["W2"], self.params["b2"])]
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        y = np.argmax(self.predict(x), axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return np.sum(y == t) / float(x.shape[0])

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return {"W1": self.layers[0].dW, "b1": self.layers[0].db,
                "W2": self.layers[2].dW, "b2": self.layers[2].db}


# ---- ch05/train_neuralnet.py ----

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=2, help="epochs after the first line (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="np.random.seed (default 0)")
    parser.add_argument("--data", default=os.environ.get("SCRATCH_DATA_DIR") or
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "mnist"))
    args = parser.parse_args()

    np.random.seed(args.seed)
    (x_train, t_train), (x_test, t_test) = load_mnist(args.data)

    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)

    train_size = x_train.shape[0]
    batch_size = 100
    learning_rate = 0.1
    iter_per_epoch = max(train_size / batch_size, 1)
    iters_num = int(args.epochs * iter_per_epoch) + 1

    train_loss_list = []
    for i in range(iters_num):
        batch_mask = np.random.choice(train_size, batch_size)
        x_batch = x_train[batch_mask]
        t_batch = t_train[batch_mask]

        grad = network.gradient(x_batch, t_batch)
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= learning_rate * grad[key]

        loss = network.loss(x_batch, t_batch)
        train_loss_list.append(loss)

        if i % iter_per_epoch == 0:
            train_acc = network.accuracy(x_train, t_train)
            test_acc = network.accuracy(x_test, t_test)
            print("iter %5d | loss %.17g | train acc %.4f (%d/%d) | test acc %.4f (%d/%d)" % (
                i, loss, train_acc, round(train_acc * train_size), train_size,
                test_acc, round(test_acc * x_test.shape[0]), x_test.shape[0]))
            sys.stdout.flush()


if __name__ == "__main__":
    main()

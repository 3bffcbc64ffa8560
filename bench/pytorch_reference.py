#!/usr/bin/python3
"""The reference training workload of `./mixrule bench train`, in PyTorch eager, for comparison.

Same network (conv3x3-32 pad 1, ReLU, maxpool2, conv3x3-64 pad 1, ReLU, maxpool2, dense-10), same
data (the first 55,000 Fashion-MNIST training images, normalised inside the model), same recipe
(batch 128, SGD momentum 0.9, lr 0.05 with a 100-step linear warm-up then cosine decay, weight decay
5e-4 added to the gradient, global gradient norm clipped at 5), one epoch, 2 threads. Prints JSON.

    sudo apt-get install python3-torch dataset-fashion-mnist
    OMP_WAIT_POLICY=PASSIVE bench/pytorch_reference.py [--threads 2] [--train-limit N]
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = os.path.join(os.environ.get("MIXRULE_DATA_DIR", "/usr/share/datasets"), "fashion-mnist")


def idx(name, offset):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64 * 7 * 7, 10)

    def forward(self, x):
        x = (x - 0.2860) / 0.3530
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--train-limit", type=int, default=55000)
    ap.add_argument("--epochs", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x = torch.from_numpy(idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)[:args.train_limit].astype(np.float32) / 255)
    y = torch.from_numpy(idx("train-labels-idx1-ubyte.gz", 8)[:args.train_limit].astype(np.int64))
    xt = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    yt = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))
    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    n, bs = len(x), 128
    total = math.ceil(n / bs) * args.epochs
    warm = min(100, total // 10)
    step, seconds = 0, 0.0
    for epoch in range(args.epochs):
        perm = torch.randperm(n)
        start = time.perf_counter()
        for i in range(0, n, bs):
            idx_b = perm[i:i + bs]
            lr = 0.05 * (step + 1) / warm if step < warm else \
                0.5 * 0.05 * (1 + math.cos(math.pi * (step - warm) / max(1, total - warm)))
            for g in opt.param_groups:
                g["lr"] = lr
            loss = F.cross_entropy(net(x[idx_b]), y[idx_b])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            step += 1
        seconds += time.perf_counter() - start
    with torch.no_grad():
        acc = (net(xt).argmax(1) == yt).float().mean().item()
    print(json.dumps({"framework": "pytorch-eager", "torch": torch.__version__, "threads": args.threads,
                      "train_examples": n, "epochs": args.epochs, "train_seconds": seconds,
                      "train_images_per_second": n * args.epochs / seconds, "test_accuracy": acc}, indent=2))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""The reference training workload of `./mixrule bench train`, in PyTorch eager, for comparison.

Same network (conv3x3-32 pad 1, ReLU, maxpool2, conv3x3-64 pad 1, ReLU, maxpool2, dense-10), same
data (the first 55,000 Fashion-MNIST training images, normalised inside the model), same recipe
(batch 128, SGD momentum 0.9, lr 0.05 with a 100-step linear warm-up then cosine decay, weight decay
5e-4 added to the gradient, global gradient norm clipped at 5), one epoch, 2 threads. Prints JSON.
`--network nb201` trains the NB201 example cell instead (examples/genomes/nb201-cell.json with every layer
backprop: `./mixrule bench train --network nb201 --rule bp`), batch 64. `--device` takes mixrule's names
(auto, cpu, gpu(N)); on a GPU the data sit on the device and the clock waits for the GPU at each epoch's end.
`./mixrule bench gpu` runs this script beside its workers when python3 can import torch.

    sudo apt-get install python3-torch dataset-fashion-mnist
    OMP_WAIT_POLICY=PASSIVE bench/pytorch_reference.py [--threads 2] [--train-limit N] [--device gpu(0)] [--network nb201]
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


def relu_conv_bn(c_in, c_out, kernel, stride):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2, bias=False), nn.BatchNorm2d(c_out))


class Cell(nn.Module):
    """The example cell: 1<-0 conv3x3, 2<-0 conv3x3, 2<-1 avgpool3x3, 3<-0 skip, 3<-1 conv3x3, 3<-2 skip."""

    def __init__(self, c):
        super().__init__()
        self.e10, self.e20, self.e31 = relu_conv_bn(c, c, 3, 1), relu_conv_bn(c, c, 3, 1), relu_conv_bn(c, c, 3, 1)

    def forward(self, n0):
        n1 = self.e10(n0)
        n2 = self.e20(n0) + F.avg_pool2d(n1, 3, 1, 1)
        return n0 + self.e31(n1) + n2


class Reduction(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.main = nn.Sequential(relu_conv_bn(c_in, c_out, 3, 2), relu_conv_bn(c_out, c_out, 3, 1))
        self.shortcut = nn.Conv2d(c_in, c_out, 1, bias=False)

    def forward(self, x):
        return self.main(x) + self.shortcut(F.avg_pool2d(x, 2, 2, ceil_mode=True))


class Nb201(nn.Module):
    """mixrule's NB201 skeleton (Nb201Network): stem conv+BN, 3 stages of N cells (C, 2C, 4C), residual reductions."""

    def __init__(self, c=16, n=5):
        super().__init__()
        layers = [nn.Conv2d(1, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)]
        for stage, width in enumerate((c, 2 * c, 4 * c)):
            if stage > 0:
                layers.append(Reduction(width // 2, width))
            layers += [Cell(width) for _ in range(n)]
        layers += [nn.BatchNorm2d(4 * c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4 * c, 10)]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.body((x - 0.2860) / 0.3530)


def torch_device(name):
    """mixrule's device names (auto, cpu, gpu(N)) as torch's."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name.startswith("gpu"):
        return torch.device("cuda:" + (name[4:-1] if name.startswith("gpu(") else "0"))
    raise SystemExit("--device: '%s' is not a device; use auto, cpu or gpu(N)" % name)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--train-limit", type=int, default=55000)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--device", default="cpu", help="auto, cpu or gpu(N)")
    ap.add_argument("--network", default="reference", choices=["reference", "nb201"])
    args = ap.parse_args()
    if args.train_limit <= 0:
        args.train_limit = 55000
    device = torch_device(args.device)
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x = torch.from_numpy(idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)[:args.train_limit].astype(np.float32) / 255).to(device)
    y = torch.from_numpy(idx("train-labels-idx1-ubyte.gz", 8)[:args.train_limit].astype(np.int64)).to(device)
    xt = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255).to(device)
    yt = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)).to(device)
    net = (Net() if args.network == "reference" else Nb201()).to(device)
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    n, bs = len(x), 128 if args.network == "reference" else 64
    total = math.ceil(n / bs) * args.epochs
    warm = min(100, total // 10)
    step, seconds, last = 0, 0.0, 0.0
    for epoch in range(args.epochs):
        net.train()
        perm = torch.randperm(n, device=device)
        sync(device)
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
        sync(device)
        last = time.perf_counter() - start
        seconds += last
    net.eval()
    with torch.no_grad():
        acc = sum((net(xt[i:i + 1000]).argmax(1) == yt[i:i + 1000]).sum().item() for i in range(0, len(xt), 1000)) / len(xt)
    print(json.dumps({"framework": "pytorch-eager", "torch": torch.__version__, "threads": args.threads,
                      "device": str(device), "network": args.network, "batch": bs,
                      "train_examples": n, "epochs": args.epochs, "train_seconds": seconds,
                      "train_images_per_second": n * args.epochs / seconds, "last_epoch_images_per_second": n / last,
                      "test_accuracy": acc}, indent=2))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""PyTorch goldens for `lab train --residual` and `--batch-norm`: the same networks, the same initial
weights (written here as the --init-params JSON, batch-norm sections included or left out), the same
data (Tests/Golden/train/{regression,classification}.csv, standardised here with NumPy as `lab`
documents), full batch, float64, torch.optim with foreach=False.

Networks: Linear → [BatchNorm1d(eps=1e-5, momentum=0.1)] → activation per hidden layer, an identity skip
h + φ(·) on every hidden layer after the first with --residual, a linear output layer. One forward
pass per step in model.train(): its loss is the row's train_loss (batch statistics of the whole
training split) and it moves the running averages once, as `lab train` does.

Usage (repository root):  /work/venv/bin/python Tests/Golden/train-options/make_train_options_golden.py
Writes init-<case>.json, <case>.csv (step,lr,train_loss), <case>.final.json, manifest.tsv, VERSIONS.txt.
"""
import json
import os
import platform

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(os.path.dirname(HERE), "train")
STEPS = 60

DATA = {
    "regression": dict(file="regression.csv", target=None, task="regression"),
    "classification": dict(file="classification.csv", target="label", task="classification"),
}
ACT = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}


def load(name):
    d = DATA[name]
    path = os.path.join(DATA_DIR, d["file"])
    header = open(path).readline().strip().split(",")
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    t = header.index(d["target"]) if d["target"] else len(header) - 1
    y = table[:, t]
    x = np.delete(table, t, axis=1)
    mean, std = x.mean(axis=0), x.std(axis=0)
    xs = np.where(std > 0, (x - mean) / np.where(std > 0, std, 1), 0.0)
    if d["task"] == "regression":
        return torch.tensor(xs), torch.tensor(((y - y.mean()) / y.std())[:, None]), 1
    classes = np.unique(y)
    return torch.tensor(xs), torch.tensor(np.searchsorted(classes, y), dtype=torch.long), len(classes)


class Net(torch.nn.Module):
    def __init__(self, sizes, act, residual, batch_norm):
        super().__init__()
        hidden = len(sizes) - 2
        self.linears = torch.nn.ModuleList(torch.nn.Linear(sizes[i], sizes[i + 1]) for i in range(len(sizes) - 1))
        self.bns = torch.nn.ModuleList(torch.nn.BatchNorm1d(sizes[i + 1], eps=1e-5, momentum=0.1) if batch_norm
                                       else torch.nn.Identity() for i in range(hidden))
        self.act, self.residual, self.hidden = ACT[act], residual, hidden

    def forward(self, x):
        h = x
        for i in range(self.hidden):
            y = self.act(self.bns[i](self.linears[i](h)))
            h = h + y if (self.residual and i >= 1) else y
        return self.linears[-1](h)


def dump(net):
    out = []
    for i, lin in enumerate(net.linears):
        d = {"weight": lin.weight.detach().tolist(), "bias": lin.bias.detach().tolist()}
        if i < net.hidden and isinstance(net.bns[i], torch.nn.BatchNorm1d):
            bn = net.bns[i]
            d["batch_norm"] = {"weight": bn.weight.detach().tolist(), "bias": bn.bias.detach().tolist(),
                               "running_mean": bn.running_mean.tolist(), "running_var": bn.running_var.tolist()}
        out.append(d)
    return {"layers": out}


def make_optimizer(name, params, lr, o):
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=o.get("momentum", 0), foreach=False)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, foreach=False)
    return torch.optim.Adam(params, lr=lr, foreach=False)


# name, data, hidden widths, activation, residual, batch norm, write batch_norm in init?, optimizer, lr, options
CASES = [
    ("regression-residual-tanh-sgd-momentum", "regression", [8, 8, 8], "tanh", True, False, False, "sgd", 0.02,
     {"momentum": 0.9}),
    ("classification-batchnorm-relu-adam", "classification", [8, 8], "relu", False, True, True, "adam", 0.01, {}),
    ("classification-both-tanh-sgd-momentum", "classification", [6, 6, 6], "tanh", True, True, True, "sgd", 0.1,
     {"momentum": 0.9}),
    ("regression-batchnorm-defaults-sigmoid-rmsprop", "regression", [8, 8], "sigmoid", False, True, False,
     "rmsprop", 0.002, {}),
]


def make_case(name, data, widths, act, residual, batch_norm, write_bn, opt, lr, o, seed):
    x, y, k = load(data)
    sizes = [x.shape[1]] + widths + [k]
    net = Net(sizes, act, residual, batch_norm)
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for i, lin in enumerate(net.linears):
            lin.weight.copy_(torch.tensor(rng.normal(0, 1 / np.sqrt(sizes[i]), size=(sizes[i + 1], sizes[i]))))
            lin.bias.copy_(torch.tensor(rng.normal(0, 0.1, size=sizes[i + 1])))
        if write_bn:
            for bn in net.bns:
                bn.weight.copy_(torch.tensor(rng.uniform(0.7, 1.3, size=bn.num_features)))
                bn.bias.copy_(torch.tensor(rng.normal(0, 0.1, size=bn.num_features)))
                bn.running_mean.copy_(torch.tensor(rng.normal(0, 0.2, size=bn.num_features)))
                bn.running_var.copy_(torch.tensor(rng.uniform(0.5, 1.5, size=bn.num_features)))
    init = dump(net)
    if not write_bn:
        for layer in init["layers"]:
            layer.pop("batch_norm", None)
    with open(os.path.join(HERE, "init-%s.json" % name), "w") as f:
        json.dump(init, f)
    loss_fn = torch.nn.functional.mse_loss if data == "regression" else torch.nn.functional.cross_entropy
    optimizer = make_optimizer(opt, net.parameters(), lr, o)
    net.train()
    rows = []
    for step in range(STEPS + 1):
        optimizer.zero_grad()
        if step == STEPS:
            # Row N: the training-mode loss without moving the running averages.
            saved = [(bn.running_mean.clone(), bn.running_var.clone()) for bn in net.bns
                     if isinstance(bn, torch.nn.BatchNorm1d)]
            with torch.no_grad():
                loss = loss_fn(net(x), y)
            for bn, (m, v) in zip([b for b in net.bns if isinstance(b, torch.nn.BatchNorm1d)], saved):
                bn.running_mean.copy_(m)
                bn.running_var.copy_(v)
            rows.append((step, lr, loss.item()))
            break
        loss = loss_fn(net(x), y)
        rows.append((step, lr, loss.item()))
        loss.backward()
        optimizer.step()
    with open(os.path.join(HERE, name + ".csv"), "w") as f:
        f.write("step,lr,train_loss\n")
        for s, r, l in rows:
            f.write("%d,%r,%r\n" % (s, r, l))
    with open(os.path.join(HERE, name + ".final.json"), "w") as f:
        json.dump(dump(net), f)
    args = ["train", "--data", "{data}/" + DATA[data]["file"]]
    if DATA[data]["target"]:
        args += ["--target", DATA[data]["target"]]
    args += ["--layers", ",".join(map(str, widths)), "--activation", act, "--validation", "0", "--batch-size", "0",
             "--seed", "7", "--eval-every", "1", "--steps", str(STEPS), "--optimizer", opt, "--lr", repr(lr)]
    if "momentum" in o:
        args += ["--momentum", repr(o["momentum"])]
    if residual:
        args.append("--residual")
    if batch_norm:
        args.append("--batch-norm")
    args += ["--init-params", "{dir}/init-%s.json" % name]
    return name + "\t" + "\t".join(args)


if __name__ == "__main__":
    lines = ["# case\tlab arguments ({dir} = this folder, {data} = ../train)"]
    for seed, c in enumerate(CASES):
        lines.append(make_case(*c, seed=100 + seed))
    with open(os.path.join(HERE, "manifest.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(HERE, "VERSIONS.txt"), "w") as f:
        f.write(f"torch {torch.__version__}\nnumpy {np.__version__}\npython {platform.python_version()}\n"
                f"machine {platform.machine()}\n")

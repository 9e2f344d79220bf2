#!/usr/bin/env python3
"""PyTorch goldens for `lab train`: the same MLP, the same initial weights, the same data, float64.

For two data sets (a regression with a constant column, a 3-class classification whose labels are
2, 5, 7 and whose target is not the last column) this script

1. writes the data as CSV (seeded NumPy draws, numbers in shortest round-trip form);
2. asks `lab train --steps 0 --save-params` for the initial weights of an 8-8 tanh MLP (so the
   weights really travel lab → JSON → PyTorch, in nn.Linear's out × in layout);
3. standardises the data itself (NumPy: training-split mean and population std, a constant column
   becomes 0; regression target too; classes = sorted distinct labels) — an independent check of
   Descent's data layer;
4. trains in PyTorch with torch.optim (foreach=False) for every optimizer and a few options, full
   batch, 100 steps, recording the loss before every update (and at step N) and the rate of each
   update, and saves the final weights.

Usage (from the repository root, after `swift build`; an environment with torch and numpy):

    python3 -m venv .venv-golden && .venv-golden/bin/pip install torch numpy
    .venv-golden/bin/python Tests/Golden/train/make_train_golden.py .build/debug/lab

Writes Tests/Golden/train/: regression.csv, classification.csv, init-*.json, <case>.csv
(step,lr,train_loss), <case>.final.json, manifest.tsv (case → lab arguments, {dir} = this folder)
and VERSIONS.txt. The Swift test `TrainGoldenTests` runs each manifest line with --init-params and
compares train_loss at every step (1e-9 relative) and the final weights (1e-8).
"""
import json
import os
import platform
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import make_golden  # noqa: E402  (Tests/Golden/make_golden.py)

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
LAB = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/lab"
STEPS = 100
COMMON = ["--layers", "8,8", "--activation", "tanh", "--validation", "0", "--batch-size", "0",
          "--seed", "7", "--eval-every", "1"]


def write_csv(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(repr(float(v)) if not float(v).is_integer() else str(int(v)) for v in r) + "\n")


def make_data():
    rng = np.random.RandomState(12)
    n = 80
    x1 = rng.randn(n) * 3 + 1
    x2 = rng.rand(n) * 10 - 2
    const = np.full(n, 5.0)
    x4 = rng.randn(n) * 0.01
    y = 10 + 2 * np.sin(x1) + 0.1 * x2 ** 2 + 0.3 * rng.randn(n)
    write_csv(os.path.join(HERE, "regression.csv"), ["x1", "x2", "const", "x4", "y"],
              np.column_stack([x1, x2, const, x4, y]))
    m = 90
    labels = np.array([2, 5, 7])[rng.randint(0, 3, m)]
    centre = {2: (0, 0, 1), 5: (2, 1, -1), 7: (-1, 2, 0)}
    feats = np.array([centre[l] for l in labels]) * 1.0 + rng.randn(m, 3) * 1.2
    write_csv(os.path.join(HERE, "classification.csv"), ["label", "a", "b", "c"],
              np.column_stack([labels, feats]))


DATA = {
    "regression": dict(file="regression.csv", target=None, task="regression"),
    "classification": dict(file="classification.csv", target="label", task="classification"),
}


def data_args(name):
    d = DATA[name]
    a = ["--data", "{dir}/" + d["file"]]
    if d["target"]:
        a += ["--target", d["target"]]
    return a


def load(name):
    d = DATA[name]
    path = os.path.join(HERE, d["file"])
    header = open(path).readline().strip().split(",")
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    t = header.index(d["target"]) if d["target"] else len(header) - 1
    y = table[:, t]
    x = np.delete(table, t, axis=1)
    mean = x.mean(axis=0)
    std = x.std(axis=0)  # population std (ddof=0)
    xs = np.where(std > 0, (x - mean) / np.where(std > 0, std, 1), 0.0)
    if d["task"] == "regression":
        ys = torch.tensor(((y - y.mean()) / y.std())[:, None])
    else:
        classes = np.unique(y)
        ys = torch.tensor(np.searchsorted(classes, y), dtype=torch.long)
    return torch.tensor(xs), ys


def initial_weights(name):
    path = os.path.join(HERE, "init-%s.json" % name)
    args = [LAB, "train"] + [a.replace("{dir}", HERE) for a in data_args(name)] + COMMON + \
        ["--steps", "0", "--optimizer", "sgd", "--lr", "0.1", "--save-params", path]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return json.load(open(path))


def model_from(params):
    layers = []
    for i, layer in enumerate(params["layers"]):
        w = torch.tensor(layer["weight"])
        lin = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            lin.weight.copy_(w)
            lin.bias.copy_(torch.tensor(layer["bias"]))
        layers.append(lin)
        if i + 1 < len(params["layers"]):
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


# The same optimizer construction as the optimizer goldens (one place to keep in step with lab's flags).
make_optimizer = make_golden.make_optimizer


FLAGS = {"momentum": "--momentum", "dampening": "--dampening", "alpha": "--alpha", "beta1": "--beta1",
         "beta2": "--beta2", "eps": "--eps", "initial_accumulator": "--initial-accumulator",
         "lr_decay": "--lr-decay", "weight_decay": "--weight-decay"}

CASES = [
    ("sgd", 0.05, {}),
    ("sgd", 0.02, {"momentum": 0.9}),
    ("sgd", 0.02, {"momentum": 0.9, "nesterov": True}),
    ("sgd", 0.02, {"momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01}),
    ("adagrad", 0.05, {}),
    ("adagrad", 0.05, {"lr_decay": 0.01, "initial_accumulator": 0.1, "weight_decay": 0.001}),
    ("rmsprop", 0.002, {}),
    ("rmsprop", 0.001, {"centered": True, "momentum": 0.5, "alpha": 0.9}),
    ("adam", 0.01, {}),
    ("adam", 0.01, {"amsgrad": True}),
    ("adam", 0.01, {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.01}),
]


def case_name(data, opt, o, schedule):
    parts = [data, opt] + [k.replace("_", "-") + ("" if isinstance(v, bool) else "-%g" % v) for k, v in o.items()]
    if schedule:
        parts.append(schedule.replace(":", "-").replace("=", ""))
    return "-".join(parts)


def lab_args(data, opt, lr, o, schedule):
    a = ["train"] + data_args(data) + COMMON + ["--steps", str(STEPS), "--optimizer", opt, "--lr", repr(lr)]
    for k, v in o.items():
        if isinstance(v, bool):
            if v:
                a.append("--" + k)
        else:
            a += [FLAGS[k], repr(v)]
    if schedule:
        a += ["--schedule", schedule]
    return a


def run(data, init, opt_name, lr, o, schedule):
    x, y = load(data)
    model = model_from(init)
    loss_fn = torch.nn.MSELoss() if DATA[data]["task"] == "regression" else torch.nn.CrossEntropyLoss()
    opt = make_optimizer(opt_name, model.parameters(), lr, o)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=STEPS) if schedule else None
    rows = []
    for k in range(STEPS + 1):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        rows.append((k, opt.param_groups[0]["lr"], loss.item()))
        if k == STEPS:
            break
        loss.backward()
        opt.step()
        if sched:
            sched.step()
    final = {"layers": [{"weight": m.weight.detach().tolist(), "bias": m.bias.detach().tolist()}
                        for m in model if isinstance(m, torch.nn.Linear)]}
    return rows, final


def main():
    make_data()
    manifest = ["# case\tlab arguments (tab-separated; {dir} = this folder; the test adds --init-params init-<data>.json)"]
    for data in DATA:
        init = initial_weights(data)
        cases = [(o, lr, opts, None) for o, lr, opts in CASES] + [("adam", 0.02, {}, "cosine:T=%d" % STEPS)]
        for opt_name, lr, o, schedule in cases:
            name = case_name(data, opt_name, o, schedule)
            rows, final = run(data, init, opt_name, lr, o, schedule)
            with open(os.path.join(HERE, name + ".csv"), "w") as f:
                f.write("step,lr,train_loss\n")
                for k, rate, l in rows:
                    f.write("%d,%r,%r\n" % (k, rate, l))
            with open(os.path.join(HERE, name + ".final.json"), "w") as f:
                json.dump(final, f)
                f.write("\n")
            manifest.append("\t".join([name, data] + lab_args(data, opt_name, lr, o, schedule)))
    with open(os.path.join(HERE, "manifest.tsv"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    with open(os.path.join(HERE, "VERSIONS.txt"), "w") as f:
        f.write("torch %s\nnumpy %s\npython %s\nmachine %s\n" % (
            torch.__version__.split("+")[0], np.__version__, platform.python_version(), platform.machine()))
        f.write("initial weights: lab train --steps 0 --save-params (Descent's SeededGenerator, seed 7)\n")


if __name__ == "__main__":
    main()

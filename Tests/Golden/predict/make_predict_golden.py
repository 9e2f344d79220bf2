#!/usr/bin/env python3
"""PyTorch goldens for `lab predict`: each parameter file here (written by `lab train --save-params`,
the arguments in manifest.tsv) is loaded into a float64 `torch.nn.Sequential` — Linear →
[BatchNorm1d] → activation per hidden layer (an identity skip h + f(h) around every hidden layer
after the first with "residual"), then Linear — put in eval mode (batch norm uses the running
averages), and applied to the CSV in ../train with the scaling the file carries:

    x' = (x - feature_mean) / feature_std   (0 where feature_std == 0), columns looked up by name
    regression:      y = target_mean + target_std * output
    classification:  label = classes[argmax(output)], p_<label> = softmax(output)

Usage (repository root):
    /work/venv/bin/python Tests/Golden/predict/make_predict_golden.py [--retrain]
--retrain first rewrites the parameter files with `lab train` (LAB = path to lab, default
.build/debug/lab). Writes <case>.predictions.csv and VERSIONS.txt.
"""
import csv
import json
import os
import platform
import subprocess
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(HERE), "train")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
ACT = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}


class Residual(torch.nn.Module):
    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x):
        return x + self.body(x)


def model_from(params):
    m, layers = params["model"], params["layers"]
    blocks = []
    for i, layer in enumerate(layers):
        w = torch.tensor(layer["weight"])
        lin = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            lin.weight.copy_(w)
            lin.bias.copy_(torch.tensor(layer["bias"]))
        if i == len(layers) - 1:
            blocks.append(lin)
            break
        parts = [lin]
        if m["batch_norm"]:
            bn = torch.nn.BatchNorm1d(w.shape[0], eps=1e-5, momentum=0.1)
            b = layer["batch_norm"]
            with torch.no_grad():
                bn.weight.copy_(torch.tensor(b["weight"]))
                bn.bias.copy_(torch.tensor(b["bias"]))
                bn.running_mean.copy_(torch.tensor(b["running_mean"]))
                bn.running_var.copy_(torch.tensor(b["running_var"]))
            parts.append(bn)
        parts.append(ACT[m["activation"]]())
        body = torch.nn.Sequential(*parts)
        blocks.append(Residual(body) if m["residual"] and i >= 1 else body)
    return torch.nn.Sequential(*blocks).eval()


def label(v):
    return "%d" % v if v == int(v) and abs(v) < 1e15 else repr(v)


def predict(case, data_file):
    params = json.load(open(os.path.join(HERE, case + ".json")))
    s = params["scaling"]
    path = os.path.join(DATA, data_file)
    header = open(path).readline().strip().split(",")
    table = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    x = table[:, [header.index(f) for f in s["features"]]]
    mean, std = np.array(s["feature_mean"]), np.array(s["feature_std"])
    xs = np.where(std > 0, (x - mean) / np.where(std > 0, std, 1), 0.0)
    with torch.no_grad():
        out = model_from(params)(torch.tensor(xs))
    rows = []
    if s["task"] == "regression":
        names = [s["target"]]
        for z in out[:, 0].tolist():
            rows.append([repr(s["target_mean"] + s["target_std"] * z)])
    else:
        classes = s["classes"]
        names = [s["target"]] + ["p_" + label(c) for c in classes]
        p = torch.softmax(out, dim=1)
        for i, k in enumerate(torch.argmax(out, dim=1).tolist()):
            rows.append([label(classes[k])] + [repr(v) for v in p[i].tolist()])
    with open(os.path.join(HERE, case + ".predictions.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)


def main():
    lab = os.environ.get("LAB", os.path.join(ROOT, ".build/debug/lab"))
    cases = [line.rstrip("\n").split("\t") for line in open(os.path.join(HERE, "manifest.tsv")) if not line.startswith("#")]
    for case, data_file, *args in cases:
        if "--retrain" in sys.argv:
            args = [a.replace("{data}", DATA).replace("{dir}", HERE) for a in args]
            subprocess.run([lab] + args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        predict(case, data_file)
    with open(os.path.join(HERE, "VERSIONS.txt"), "w") as f:
        f.write("torch %s\nnumpy %s\npython %s\nmachine %s\n"
                % (torch.__version__, np.__version__, platform.python_version(), platform.machine()))
        f.write("parameter files: lab train --save-params (manifest.tsv)\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Golden forward/backward values for Descent's residual and batch-normalised MLPs, by PyTorch.

Each case builds the network as torch modules — Linear, then BatchNorm1d(eps=1e-5, momentum=0.1)
where asked, then the activation, plus an identity skip h + φ(·) on residual layers — in float64,
with parameters drawn here by NumPy (so the Swift test reads them, it does not draw them), and
records:

- training mode (`model.train()`): output, loss, every parameter's gradient, and the running
  statistics after that one forward pass;
- evaluation mode (`model.eval()`) with running statistics set to non-default values: output,
  loss, gradients;
- a short full-batch SGD run (momentum 0.9) in training mode: loss per step, final parameters and
  running statistics.

Weights are written in PyTorch's layout (out × in); Descent stores in × out, so the test transposes.

Usage (repository root):  /work/venv/bin/python Tests/Golden/network/make_network_golden.py
Writes Tests/Golden/network/network.json and VERSIONS.txt. Deterministic.
"""
import json
import os
import platform
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))

ACT = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid, "identity": lambda z: z}


class Net(torch.nn.Module):
    def __init__(self, sizes, acts, residual, batch_norm):
        super().__init__()
        self.linears = torch.nn.ModuleList(torch.nn.Linear(sizes[i], sizes[i + 1]) for i in range(len(acts)))
        self.bns = torch.nn.ModuleList(
            torch.nn.BatchNorm1d(sizes[i + 1], eps=1e-5, momentum=0.1) if batch_norm[i] else torch.nn.Identity()
            for i in range(len(acts)))
        self.acts, self.residual = acts, residual

    def forward(self, x):
        h = x
        for lin, bn, act, res in zip(self.linears, self.bns, self.acts, self.residual):
            y = ACT[act](bn(lin(h)))
            h = h + y if res else y
        return h


def loss_of(name, out, target):
    if name == "meanSquaredError":
        return torch.nn.functional.mse_loss(out, target)
    if name == "binaryCrossEntropyWithLogits":
        return torch.nn.functional.binary_cross_entropy_with_logits(out, target)
    return torch.nn.functional.cross_entropy(out, target)  # class indices


def tolist(t):
    return t.detach().numpy().tolist()


def layer_dump(net, grads=False):
    out = []
    for i, lin in enumerate(net.linears):
        g = (lambda p: tolist(p.grad)) if grads else tolist
        d = {"weight": g(lin.weight), "bias": g(lin.bias)}
        bn = net.bns[i]
        if isinstance(bn, torch.nn.BatchNorm1d):
            d["bn_weight"], d["bn_bias"] = g(bn.weight), g(bn.bias)
            if not grads:
                d["running_mean"], d["running_var"] = tolist(bn.running_mean), tolist(bn.running_var)
        out.append(d)
    return out


def make_case(name, sizes, acts, residual, batch_norm, loss, rows, seed):
    rng = np.random.default_rng(seed)
    net = Net(sizes, acts, residual, batch_norm)
    with torch.no_grad():
        for i, lin in enumerate(net.linears):
            lin.weight.copy_(torch.tensor(rng.normal(0, 1.2 / np.sqrt(sizes[i]), size=(sizes[i + 1], sizes[i]))))
            lin.bias.copy_(torch.tensor(rng.normal(0, 0.3, size=sizes[i + 1])))
            bn = net.bns[i]
            if isinstance(bn, torch.nn.BatchNorm1d):
                bn.weight.copy_(torch.tensor(rng.uniform(0.5, 1.5, size=sizes[i + 1])))
                bn.bias.copy_(torch.tensor(rng.normal(0, 0.3, size=sizes[i + 1])))
    x = torch.tensor(rng.normal(0, 1, size=(rows, sizes[0])))
    k = sizes[-1]
    if loss == "meanSquaredError":
        target = torch.tensor(rng.normal(0, 1, size=(rows, k)))
        target_out = tolist(target)
    elif loss == "binaryCrossEntropyWithLogits":
        target = torch.tensor(rng.integers(0, 2, size=(rows, k)).astype(np.float64))
        target_out = tolist(target)
    else:
        classes = rng.integers(0, k, size=rows)
        target = torch.tensor(classes)
        target_out = np.eye(k)[classes].tolist()  # one-hot, as Descent's probability targets
    initial = layer_dump(net)
    case = {"name": name, "sizes": sizes, "activations": acts, "residual": residual, "batch_norm": batch_norm,
            "loss": loss, "input": tolist(x), "target": target_out, "layers": initial}

    # Training mode: one forward (updates the running statistics), backward.
    net.train()
    net.zero_grad()
    out = net(x)
    l = loss_of(loss, out, target)
    l.backward()
    after = layer_dump(net)
    case["train"] = {"output": tolist(out), "loss": l.item(), "gradients": layer_dump(net, grads=True),
                     "running_after": [{"running_mean": d.get("running_mean"), "running_var": d.get("running_var")}
                                       for d in after]}

    # Evaluation mode with non-default running statistics.
    with torch.no_grad():
        for bn in net.bns:
            if isinstance(bn, torch.nn.BatchNorm1d):
                bn.running_mean.copy_(torch.tensor(rng.normal(0, 0.5, size=bn.num_features)))
                bn.running_var.copy_(torch.tensor(rng.uniform(0.3, 2.0, size=bn.num_features)))
    eval_stats = [{"running_mean": d.get("running_mean"), "running_var": d.get("running_var")}
                  for d in layer_dump(net)]
    net.eval()
    net.zero_grad()
    out = net(x)
    l = loss_of(loss, out, target)
    l.backward()
    case["eval"] = {"statistics": eval_stats, "output": tolist(out), "loss": l.item(),
                    "gradients": layer_dump(net, grads=True)}

    # A short full-batch SGD run in training mode from the initial parameters, initial statistics.
    net2 = Net(sizes, acts, residual, batch_norm)
    net2.load_state_dict(net.state_dict())
    with torch.no_grad():
        for i, (lin, d) in enumerate(zip(net2.linears, initial)):
            lin.weight.copy_(torch.tensor(d["weight"]))
            lin.bias.copy_(torch.tensor(d["bias"]))
            bn = net2.bns[i]
            if isinstance(bn, torch.nn.BatchNorm1d):
                bn.weight.copy_(torch.tensor(d["bn_weight"]))
                bn.bias.copy_(torch.tensor(d["bn_bias"]))
                bn.reset_running_stats()
    net2.train()
    opt = torch.optim.SGD(net2.parameters(), lr=0.1, momentum=0.9, foreach=False)
    losses = []
    for _ in range(20):
        opt.zero_grad()
        l = loss_of(loss, net2(x), target)
        losses.append(l.item())
        l.backward()
        opt.step()
    case["sgd"] = {"lr": 0.1, "momentum": 0.9, "steps": 20, "losses": losses, "final": layer_dump(net2)}
    return case


CASES = [
    ("residual-tanh-mse", [3, 4, 4, 4, 2], ["tanh", "tanh", "tanh", "identity"], [False, True, True, False],
     [False] * 4, "meanSquaredError", 7, 1),
    ("batchnorm-relu-ce", [3, 5, 5, 3], ["relu", "relu", "identity"], [False] * 3, [True, True, False],
     "softmaxCrossEntropy", 8, 2),
    ("both-sigmoid-bce", [3, 4, 4, 4, 1], ["sigmoid", "sigmoid", "sigmoid", "identity"],
     [False, True, True, False], [True, True, True, False], "binaryCrossEntropyWithLogits", 6, 3),
    ("both-tanh-mse-batch2", [2, 3, 3, 2], ["tanh", "tanh", "identity"], [False, True, False],
     [True, True, False], "meanSquaredError", 2, 4),
]

if __name__ == "__main__":
    cases = [make_case(*c) for c in CASES]
    with open(os.path.join(HERE, "network.json"), "w") as f:
        json.dump({"cases": cases}, f, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "VERSIONS.txt"), "w") as f:
        f.write(f"torch {torch.__version__}\nnumpy {np.__version__}\npython {platform.python_version()}\n"
                f"machine {platform.machine()}\n")
    print(f"wrote {len(cases)} cases", file=sys.stderr)

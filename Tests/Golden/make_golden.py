#!/usr/bin/env python3
"""Golden trajectories and schedules for Descent's tests, computed with PyTorch.

Every case is an independent re-computation by torch.optim / torch.optim.lr_scheduler
(float64, single-tensor code paths: foreach=False), written in exactly the CSV format of
`lab optimize` (step,lr,loss,x,y) or `lab schedule` (step,lr), so the Swift tests can
compare both the library and the `lab` binary against them.

Usage (from the repository root, in an environment with torch and numpy):

    python3 -m venv .venv-golden && .venv-golden/bin/pip install torch numpy
    .venv-golden/bin/python Tests/Golden/make_golden.py

Writes Tests/Golden/{optimize,schedule}/*.csv, manifest.tsv (case → lab arguments),
numpy_seed1.csv and VERSIONS.txt. Deterministic: rerunning gives identical files.
"""
import math
import os
import platform
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))


def quadratic(p):
    return 0.1 * p[0] * p[0] + 2.0 * p[1] * p[1]


def rosenbrock(p):
    return (1 - p[0]) * (1 - p[0]) + 100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0])


def saddle(p):
    return p[0] * p[0] - p[1] * p[1]


FUNCTIONS = {"quadratic": quadratic, "rosenbrock": rosenbrock, "saddle": saddle}


def make_optimizer(name, params, lr, o):
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=o.get("momentum", 0), dampening=o.get("dampening", 0),
                               nesterov=o.get("nesterov", False), weight_decay=o.get("weight_decay", 0), foreach=False)
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, lr_decay=o.get("lr_decay", 0), weight_decay=o.get("weight_decay", 0),
                                   initial_accumulator_value=o.get("initial_accumulator", 0),
                                   eps=o.get("eps", 1e-10), foreach=False)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=o.get("alpha", 0.99), eps=o.get("eps", 1e-8),
                                   weight_decay=o.get("weight_decay", 0), momentum=o.get("momentum", 0),
                                   centered=o.get("centered", False), foreach=False)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(o.get("beta1", 0.9), o.get("beta2", 0.999)),
                                eps=o.get("eps", 1e-8), weight_decay=o.get("weight_decay", 0),
                                amsgrad=o.get("amsgrad", False), foreach=False)
    raise ValueError(name)


def make_scheduler(spec, opt):
    """The torch scheduler for one of Descent's schedule specs (None for constant)."""
    name, _, rest = spec.partition(":")
    if name == "warmup":
        head, _, inner = rest.partition("+")
        w = int(head.split("=")[1])
        warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1.0 / w, end_factor=1.0, total_iters=w - 1)
        after = make_scheduler(inner, opt)
        return torch.optim.lr_scheduler.SequentialLR(opt, [warm, after], milestones=[w])
    kv = dict(item.split("=") for item in rest.split(",")) if rest else {}
    if name == "constant":
        return torch.optim.lr_scheduler.ConstantLR(opt, factor=1.0, total_iters=0)
    if name == "polynomial":
        return torch.optim.lr_scheduler.PolynomialLR(opt, total_iters=int(kv["T"]), power=float(kv.get("power", 1)))
    if name == "exponential":
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=float(kv["gamma"]))
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=int(kv["size"]), gamma=float(kv.get("gamma", 0.1)))
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=int(kv["T"]), eta_min=float(kv.get("min", 0)))
    if name == "warm-restarts":
        return torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(
            opt, T_0=int(kv["T0"]), T_mult=int(kv.get("mult", 1)), eta_min=float(kv.get("min", 0)))
    if name == "one-cycle":
        # Descent's one-cycle has no momentum cycling, so neither does the reference.
        return torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=opt.param_groups[0]["lr"], total_steps=int(kv["T"]), pct_start=float(kv.get("pct", 0.3)),
            div_factor=float(kv.get("div", 25)), final_div_factor=float(kv.get("final", 1e4)),
            anneal_strategy="cos", three_phase=False, cycle_momentum=False)
    if name == "plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, mode="min", factor=float(kv.get("factor", 0.1)), patience=int(kv.get("patience", 10)))
    raise ValueError(spec)


def trajectory(function, start, steps, optimizer, lr, options, schedule):
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer(optimizer, [p], lr, options)
    sched = make_scheduler(schedule, opt) if schedule else None
    plateau = isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau)
    rows = []
    f = FUNCTIONS[function]
    for k in range(steps + 1):
        opt.zero_grad()
        loss = f(p)
        if plateau:
            sched.step(loss.item())  # a loss-driven schedule sees f(θ_k) before choosing the rate
        rate = opt.param_groups[0]["lr"]
        rows.append((k, rate, loss.item(), p[0].item(), p[1].item()))
        if k == steps:
            break
        loss.backward()
        opt.step()
        if sched is not None and not plateau:
            sched.step()
    return rows


def lab_args(c):
    a = ["--function", c["function"], "--start", "%r,%r" % tuple(c["start"]), "--steps", str(c["steps"]),
         "--optimizer", c["optimizer"], "--lr", repr(c["lr"])]
    flag = {"momentum": "--momentum", "dampening": "--dampening", "alpha": "--alpha", "beta1": "--beta1",
            "beta2": "--beta2", "eps": "--eps", "initial_accumulator": "--initial-accumulator",
            "lr_decay": "--lr-decay", "weight_decay": "--weight-decay"}
    for k, v in c.get("options", {}).items():
        if isinstance(v, bool):
            if v:
                a.append("--" + k.replace("_", "-"))
        else:
            a += [flag[k], repr(v)]
    if c.get("schedule"):
        a += ["--schedule", c["schedule"]]
    return a


R = dict(function="rosenbrock", start=[-1.5, 2.0])
Q = dict(function="quadratic", start=[-5.0, -2.0])
S = dict(function="saddle", start=[1.0, 0.001])
CASES = {
    # SGD: every option
    "sgd-plain": dict(Q, steps=60, optimizer="sgd", lr=0.4),
    "sgd-momentum": dict(R, steps=300, optimizer="sgd", lr=2e-4, options=dict(momentum=0.9)),
    "sgd-dampening": dict(R, steps=300, optimizer="sgd", lr=5e-4, options=dict(momentum=0.9, dampening=0.5)),
    "sgd-nesterov": dict(R, steps=300, optimizer="sgd", lr=2e-4, options=dict(momentum=0.9, nesterov=True)),
    "sgd-weight-decay": dict(Q, steps=60, optimizer="sgd", lr=0.1, options=dict(momentum=0.5, weight_decay=0.3)),
    "sgd-saddle": dict(S, steps=40, optimizer="sgd", lr=0.1),
    # AdaGrad
    "adagrad-plain": dict(R, steps=300, optimizer="adagrad", lr=0.5),
    "adagrad-lr-decay": dict(Q, steps=100, optimizer="adagrad", lr=1.0, options=dict(lr_decay=0.05)),
    "adagrad-initial-accumulator": dict(Q, steps=100, optimizer="adagrad", lr=1.0, options=dict(initial_accumulator=2.0)),
    "adagrad-eps-weight-decay": dict(Q, steps=100, optimizer="adagrad", lr=0.8, options=dict(eps=0.5, weight_decay=0.2)),
    # RMSprop
    "rmsprop-plain": dict(R, steps=300, optimizer="rmsprop", lr=0.01),
    "rmsprop-alpha": dict(Q, steps=100, optimizer="rmsprop", lr=0.05, options=dict(alpha=0.9)),
    "rmsprop-momentum": dict(R, steps=300, optimizer="rmsprop", lr=1e-3, options=dict(momentum=0.9)),
    "rmsprop-centered": dict(Q, steps=100, optimizer="rmsprop", lr=0.02, options=dict(centered=True)),
    "rmsprop-centered-momentum-wd": dict(Q, steps=100, optimizer="rmsprop", lr=0.01,
                                         options=dict(centered=True, momentum=0.5, weight_decay=0.1, eps=1e-6)),
    # Adam
    "adam-plain": dict(R, steps=300, optimizer="adam", lr=0.05),
    "adam-betas": dict(R, steps=300, optimizer="adam", lr=0.05, options=dict(beta1=0.8, beta2=0.99)),
    "adam-eps": dict(Q, steps=100, optimizer="adam", lr=0.1, options=dict(eps=0.1)),
    "adam-weight-decay": dict(Q, steps=100, optimizer="adam", lr=0.1, options=dict(weight_decay=0.5)),
    "adam-amsgrad": dict(R, steps=300, optimizer="adam", lr=0.05, options=dict(amsgrad=True)),
    "adam-beta1-zero-amsgrad": dict(Q, steps=100, optimizer="adam", lr=0.1,
                                    options=dict(beta1=0.0, beta2=0.1, amsgrad=True)),
    "adam-saddle": dict(S, steps=60, optimizer="adam", lr=0.05),
    # Schedules driving a run
    "sgd-step-schedule": dict(Q, steps=100, optimizer="sgd", lr=0.45, schedule="step:size=20,gamma=0.5"),
    "adam-cosine-schedule": dict(R, steps=200, optimizer="adam", lr=0.05, schedule="cosine:T=80,min=0.001"),
    "sgd-warmup-cosine": dict(Q, steps=100, optimizer="sgd", lr=0.45, schedule="warmup:steps=10+cosine:T=90"),
    "adam-plateau": dict(Q, steps=150, optimizer="adam", lr=0.5, schedule="plateau:factor=0.5,patience=3"),
    "rmsprop-plateau-default": dict(Q, steps=200, optimizer="rmsprop", lr=0.3, schedule="plateau"),
    "sgd-one-cycle": dict(Q, steps=100, optimizer="sgd", lr=0.45, options=dict(momentum=0.9), schedule="one-cycle:T=100"),
}

SCHEDULES = {
    "constant": "constant",
    "polynomial-power2": "polynomial:T=250,power=2",
    "polynomial-linear": "polynomial:T=200",
    "polynomial-sqrt": "polynomial:T=300,power=0.5",
    "exponential": "exponential:gamma=0.98",
    "step": "step:size=50,gamma=0.5",
    "step-default-gamma": "step:size=75",
    "cosine": "cosine:T=120,min=0.001",
    "cosine-default-min": "cosine:T=300",
    "warm-restarts": "warm-restarts:T0=20,mult=2,min=0.001",
    "warm-restarts-mult1": "warm-restarts:T0=50",
    "warmup-cosine": "warmup:steps=30+cosine:T=270",
    "warmup-step": "warmup:steps=5+step:size=40,gamma=0.3",
    "one-cycle": "one-cycle:T=300",
    "one-cycle-custom": "one-cycle:T=300,pct=0.25,div=10,final=100",
}
SCHEDULE_LR, SCHEDULE_STEPS = 0.1, 300


def schedule_rates(spec):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=SCHEDULE_LR)
    sched = make_scheduler(spec, opt)
    rates = []
    for _ in range(SCHEDULE_STEPS):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return rates


def write(path, text):
    with open(path, "w", newline="\n") as fh:
        fh.write(text)


def main():
    import warnings
    warnings.filterwarnings("ignore")
    os.makedirs(os.path.join(HERE, "optimize"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "schedule"), exist_ok=True)
    manifest = ["# case\tkind\tlab arguments (tab-separated)"]
    for name, c in CASES.items():
        rows = trajectory(c["function"], c["start"], c["steps"], c["optimizer"], c["lr"], c.get("options", {}),
                          c.get("schedule"))
        if c.get("schedule", "").startswith("plateau"):
            assert len({r[1] for r in rows}) > 1, name + ": the plateau schedule never reduced the rate"
        assert all(math.isfinite(v) for r in rows for v in r), name + " is not finite"
        write(os.path.join(HERE, "optimize", name + ".csv"),
              "step,lr,loss,x,y\n" + "".join("%d,%r,%r,%r,%r\n" % r for r in rows))
        manifest.append("\t".join([name, "optimize"] + lab_args(c)))
    for name, spec in SCHEDULES.items():
        rates = schedule_rates(spec)
        write(os.path.join(HERE, "schedule", name + ".csv"),
              "step,lr\n" + "".join("%d,%r\n" % (t, r) for t, r in enumerate(rates)))
        manifest.append("\t".join([name, "schedule", "--lr", repr(SCHEDULE_LR), "--steps", str(SCHEDULE_STEPS),
                                   "--schedule", spec]))
    write(os.path.join(HERE, "manifest.tsv"), "\n".join(manifest) + "\n")

    # NumPy's legacy stream: np.random.seed(1), then the article's recipe.
    np.random.seed(1)
    X = np.random.randn(100, 1)
    y = 3 * X + 2 + 0.5 * np.random.randn(100, 1)
    np.random.seed(1)
    g = np.random.randn(1001)  # odd count: exercises the cached second value
    np.random.seed(12345)
    u = np.random.random_sample(10)
    lines = ["kind,index,value"]
    lines += ["recipe_x,%d,%r" % (i, float(v)) for i, v in enumerate(X[:, 0])]
    lines += ["recipe_y,%d,%r" % (i, float(v)) for i, v in enumerate(y[:, 0])]
    lines += ["seed1_randn,%d,%r" % (i, float(v)) for i, v in enumerate(g)]
    lines += ["seed12345_random_sample,%d,%r" % (i, float(v)) for i, v in enumerate(u)]
    write(os.path.join(HERE, "numpy_seed1.csv"), "\n".join(lines) + "\n")

    write(os.path.join(HERE, "VERSIONS.txt"),
          "torch %s\nnumpy %s\npython %s\nmachine %s\n" % (torch.__version__.split("+")[0], np.__version__,
                                                            platform.python_version(), platform.machine()))


if __name__ == "__main__":
    sys.exit(main())

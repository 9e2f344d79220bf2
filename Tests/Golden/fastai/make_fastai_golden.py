#!/usr/bin/env python3
"""Golden values for Descent's fastai suggestion rules (valley, steep, minimum, slide).

Feeds fastai's own suggestion functions -- through fastai's own `Learner.lr_find` trimming -- the
range-test curves in curves/*.csv (columns lr,smoothed; a first comment line `# iterations N`
gives fastai's num_it), and writes what each rule picked to suggestions.tsv. The curves are of
two kinds:
  * real sweeps recorded by Descent (`lab find-lr ...`, the command is in the file's header),
  * synthetic curves made here from a fixed seed (noisy U shapes, monotone, flat, short, NaN).
fastai turns the recorded losses into float32 tensors, so every curve is stored rounded to
float32 (exactly representable), and Descent reads the same numbers.

Usage: /work/venv/bin/python make_fastai_golden.py   (writes next to this file; also VERSIONS.txt)
"""
import glob
import math
import os
import types
from contextlib import nullcontext

import numpy as np
import torch
import fastai
from fastai.learner import Learner
from fastai.callback.schedule import valley, steep, minimum, slide  # noqa: F401 (patches lr_find)

HERE = os.path.dirname(os.path.abspath(__file__))
CURVES = os.path.join(HERE, "curves")


def f32(x):
    return float(np.float32(x))


def write_curve(name, iterations, lrs, smoothed, note):
    with open(os.path.join(CURVES, name + ".csv"), "w") as f:
        f.write(f"# iterations {iterations}\n# {note}\nlr,smoothed\n")
        for a, s in zip(lrs, smoothed):
            f.write(f"{f32(a)!r},{f32(s)!r}\n")


def sweep(loss_of_lr, num_it=100, start=1e-7, end=10, beta=0.98, stop_div=True):
    """fastai's recording: lr_i = start*(end/start)**(i/num_it), smoothed loss, stop at 4x best."""
    lrs, out, avg, best = [], [], 0.0, math.inf
    for i in range(num_it):
        lr = start * (end / start) ** (i / num_it)
        avg = beta * avg + (1 - beta) * loss_of_lr(lr, i)
        s = avg / (1 - beta ** (i + 1))
        lrs.append(lr)
        out.append(s)
        best = min(best, s)
        if stop_div and s > 4 * best:
            break
    return lrs, out


def synthetic():
    rng = np.random.default_rng(12)

    def u(noise, floor=0.05, at=1e-2):
        def f(lr, i):
            x = math.log10(lr / at)
            base = floor + 2.3 / (1 + math.exp(2.5 * (x + 1.5)))
            blow = math.exp(3 * x) if x > 0 else 0.0
            return max(1e-6, base + blow + noise * rng.standard_normal())
        return f

    write_curve("synthetic-u", 100, *sweep(u(0.02)), "U shape, small noise")
    write_curve("synthetic-noisy", 100, *sweep(u(0.5)), "U shape, noise 0.5")
    write_curve("synthetic-u-200", 200, *sweep(u(0.05, at=1e-3), num_it=200), "U shape, 200 steps")
    write_curve("synthetic-monotone-down", 100,
                *sweep(lambda lr, i: 3 - 0.02 * i + 0.01 * rng.standard_normal()), "decreasing, never diverges")
    write_curve("synthetic-monotone-up", 100, *sweep(lambda lr, i: 1 + 0.01 * i, stop_div=False), "increasing")
    write_curve("synthetic-flat", 100, *sweep(lambda lr, i: 0.7), "constant loss: every rule meets ties")
    lrs, s = sweep(u(0.02, at=1e-6))
    write_curve("synthetic-short", 100, lrs[:25], s[:25], "stopped after 25 steps: slide has too few points")
    lrs, s = sweep(u(0.02))
    s = s[:60] + [math.nan] * 20
    write_curve("synthetic-nan", 100, lrs[:80], s, "NaN from step 60 on: fastai cuts there")
    lrs = [1e-7 * (1e8) ** (i / 100) for i in range(40)]
    s = [5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 4.0] + [6.0 + 0.1 * k for k in range(28)]
    write_curve("synthetic-two-point-valley", 100, lrs, s,
                "the longest valley has 2 points from the first kept one: fastai's index is -1")


def read_curve(path):
    with open(path) as f:
        iterations = int(f.readline().split()[2])
        rows = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    lrs, losses = [], []
    for row in rows[1:]:
        a, s = row.split(",")
        lrs.append(float(a))
        losses.append(float(s))
    return iterations, lrs, losses


def fastai_suggestions(iterations, lrs, losses):
    """Runs fastai's Learner.lr_find on a learner whose fit is replaced by the recorded curve."""
    fake = types.SimpleNamespace(
        dls=types.SimpleNamespace(train=[0] * 10),
        fit=lambda *a, **k: None,
        no_logging=lambda: nullcontext(),
        recorder=types.SimpleNamespace(lrs=list(lrs), losses=list(losses)))
    results = {}
    for func in (valley, steep, minimum, slide):
        try:
            results[func.__name__] = Learner.lr_find(fake, num_it=iterations, show_plot=False,
                                                      suggest_funcs=(func,))[0]
        except (IndexError, ValueError, RuntimeError) as e:
            results[func.__name__] = None
    # The same trimming lr_find applies, to recover each rule's picked point and index.
    start = iterations // 10
    t_lrs, t_losses = torch.tensor(lrs[start:-5]), torch.tensor(losses[start:-5])
    nan = torch.nonzero(torch.isnan(t_losses.view(-1)))
    if len(nan) > 0:
        t_lrs, t_losses = t_lrs[:min(nan)], t_losses[:min(nan)]
    rows = []
    for func in (valley, steep, minimum, slide):
        name = func.__name__
        if results[name] is None:
            rows.append((name, None))
            continue
        rate, (point_rate, point_loss) = func(t_lrs, t_losses, iterations)
        assert rate == results[name], (name, rate, results[name])
        idx = [i for i, a in enumerate(t_lrs.tolist()) if a == point_rate]
        assert len(idx) == 1, (name, point_rate)
        rows.append((name, (start + idx[0], float(rate), float(point_rate), float(point_loss))))
    return rows


def normalise(path):
    """Rewrites a recorded curve (e.g. from `lab find-lr`) rounded to float32, keeping its header."""
    with open(path) as f:
        lines = f.read().splitlines()
    head = [ln for ln in lines if ln.startswith("#")]
    body = [ln for ln in lines if ln and not ln.startswith("#")][1:]
    with open(path, "w") as f:
        f.write("\n".join(head) + "\nlr,smoothed\n")
        for row in body:
            a, s = row.split(",")
            f.write(f"{f32(float(a))!r},{f32(float(s))!r}\n")


def main():
    synthetic()
    for path in glob.glob(os.path.join(CURVES, "descent-*.csv")):
        normalise(path)
    out = ["curve\titerations\trule\tindex\trate\tpoint_rate\tpoint_loss"]
    for path in sorted(glob.glob(os.path.join(CURVES, "*.csv"))):
        name = os.path.basename(path)[:-4]
        iterations, lrs, losses = read_curve(path)
        for rule, r in fastai_suggestions(iterations, lrs, losses):
            if r is None:
                out.append(f"{name}\t{iterations}\t{rule}\tnone\t\t\t")
            else:
                out.append(f"{name}\t{iterations}\t{rule}\t{r[0]}\t{r[1]!r}\t{r[2]!r}\t{r[3]!r}")
    with open(os.path.join(HERE, "suggestions.tsv"), "w") as f:
        f.write("\n".join(out) + "\n")
    with open(os.path.join(HERE, "VERSIONS.txt"), "w") as f:
        f.write(f"fastai {fastai.__version__}\ntorch {torch.__version__}\nnumpy {np.__version__}\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()

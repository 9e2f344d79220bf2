#!/usr/bin/env python3
"""One training step — forward, backward, Adam update, float64, one thread — in Descent, NumPy
and PyTorch, measured in one session on this machine, with Descent's time ÷ each reference's.

    (a) 10 hidden layers × 64, tanh, batch 128, 2 inputs, 1 output, MSE
    (b) 4 hidden layers × 256, ReLU, batch 256, 2 inputs, 1 output, MSE

Run from Benchmarks/ (PyTorch is optional; `pip install torch numpy`):

    python3 compare.py [--seconds 3]

NumPy and PyTorch are pinned to one thread (OMP/OPENBLAS/MKL_NUM_THREADS=1, set before import).
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

SHAPES = {"a": ([64] * 10, "tanh", 128), "b": ([256] * 4, "relu", 256)}


def median_time(step, seconds):
    for _ in range(20):
        step()
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def numpy_step(hidden, act, batch):
    rng = np.random.default_rng(0)
    sizes = [2] + hidden + [1]
    W = [rng.uniform(-1, 1, (a, b)) * np.sqrt(6 / (a + b)) for a, b in zip(sizes, sizes[1:])]
    B = [np.zeros(b) for b in sizes[1:]]
    params = W + B
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    x = rng.standard_normal((batch, 2))
    y = rng.standard_normal((batch, 1))
    t = [0]
    f = np.tanh if act == "tanh" else (lambda z: np.maximum(z, 0))

    def step():
        acts = [x]
        for i, (w, b) in enumerate(zip(W, B)):
            z = acts[-1] @ w + b
            acts.append(f(z) if i < len(W) - 1 else z)
        d = 2 * (acts[-1] - y) / y.size
        gW, gB = [None] * len(W), [None] * len(W)
        for i in range(len(W) - 1, -1, -1):
            gW[i] = acts[i].T @ d
            gB[i] = d.sum(0)
            if i > 0:
                d = d @ W[i].T
                d *= (1 - acts[i] ** 2) if act == "tanh" else (acts[i] > 0)
        t[0] += 1
        bc1, bc2 = 1 - 0.9 ** t[0], 1 - 0.999 ** t[0]
        for p, g, mm, vv in zip(params, gW + gB, m, v):
            mm *= 0.9; mm += 0.1 * g
            vv *= 0.999; vv += 0.001 * g * g
            p -= 1e-3 / bc1 * mm / (np.sqrt(vv) / np.sqrt(bc2) + 1e-8)
    return step


def torch_step(hidden, act, batch):
    import torch
    torch.set_num_threads(1)
    torch.manual_seed(0)
    layers, sizes = [], [2] + hidden + [1]
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(torch.nn.Linear(a, b, dtype=torch.float64))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh() if act == "tanh" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, 2, dtype=torch.float64)
    y = torch.randn(batch, 1, dtype=torch.float64)
    loss_fn = torch.nn.MSELoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()
    return step


def clock_ghz():
    try:
        with open("/proc/cpuinfo") as fh:
            mhz = [float(m) for m in re.findall(r"cpu MHz\s*:\s*([\d.]+)", fh.read())]
        return max(mhz) / 1000 if mhz else None
    except OSError:
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run(["swift", "build", "-c", "release", "--product", "StepTimer"], cwd=here, check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run([os.path.join(here, ".build/release/StepTimer"), "--seconds", str(args.seconds)],
                         cwd=here, check=True, capture_output=True, text=True).stdout
    descent = json.loads(out)
    try:
        import torch
        torch_version = torch.__version__
    except ImportError:
        torch_version = None
    ghz = clock_ghz()
    print(f"machine: {platform.processor() or platform.machine()}, clock {ghz} GHz (from /proc/cpuinfo), "
          f"Descent kernel: {descent['isa']}, numpy {np.__version__}, torch {torch_version}")
    print("| shape | Descent (ms) | GFLOP/s | % of peak at 16 flop/cycle (Zen 4) | % of peak at 32 flop/cycle (AVX-512, 2 FMA) | NumPy (ms) | PyTorch (ms) | Descent ÷ NumPy | Descent ÷ PyTorch |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, (hidden, act, batch) in SHAPES.items():
        d = descent[name]
        t_np = median_time(numpy_step(hidden, act, batch), args.seconds)
        t_pt = median_time(torch_step(hidden, act, batch), args.seconds) if torch_version else float("nan")
        gflops = d["flops"] / d["median_seconds"] / 1e9
        peak16 = f"{100 * gflops / (16 * ghz):.0f} %" if ghz else "?"
        peak32 = f"{100 * gflops / (32 * ghz):.0f} %" if ghz else "?"
        print(f"| ({name}) | {d['median_seconds'] * 1e3:.3f} | {gflops:.1f} | {peak16} | {peak32} | {t_np * 1e3:.3f} | {t_pt * 1e3:.3f} | "
              f"{d['median_seconds'] / t_np:.2f} | {d['median_seconds'] / t_pt:.2f} |")


if __name__ == "__main__":
    sys.exit(main())

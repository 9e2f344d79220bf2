#!/usr/bin/env python3
"""One training step — forward, backward, Adam update, float64, one thread — in Descent, NumPy
and PyTorch, measured in one session on this machine, with Descent's time ÷ each reference's.

    (a) 10 hidden layers × 64, tanh, batch 128, 2 inputs, 1 output, MSE
    (b) 4 hidden layers × 256, ReLU, batch 256, 2 inputs, 1 output, MSE
    (c) 4 hidden layers × 1024, ReLU, batch 512, 64 inputs, 10 outputs, softmax cross-entropy

% of peak divides by the FP64 multiply-add throughput one core reaches here (peak/peak.c, compiled
with clang and run first), and also shows the nominal peak from /proc/cpuinfo's clock and flags.

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

# name: (hidden, activation, batch, inputs, outputs, loss)
SHAPES = {"a": ([64] * 10, "tanh", 128, 2, 1, "mse"), "b": ([256] * 4, "relu", 256, 2, 1, "mse"),
          "c": ([1024] * 4, "relu", 512, 64, 10, "softmax")}


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


def numpy_step(hidden, act, batch, inputs, outputs, loss):
    rng = np.random.default_rng(0)
    sizes = [inputs] + hidden + [outputs]
    W = [rng.uniform(-1, 1, (a, b)) * np.sqrt(6 / (a + b)) for a, b in zip(sizes, sizes[1:])]
    B = [np.zeros(b) for b in sizes[1:]]
    params = W + B
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    x = rng.standard_normal((batch, inputs))
    y = rng.standard_normal((batch, outputs)) if loss == "mse" else np.eye(outputs)[np.arange(batch) % outputs]
    t = [0]
    f = np.tanh if act == "tanh" else (lambda z: np.maximum(z, 0))

    def step():
        acts = [x]
        for i, (w, b) in enumerate(zip(W, B)):
            z = acts[-1] @ w + b
            acts.append(f(z) if i < len(W) - 1 else z)
        if loss == "mse":
            d = 2 * (acts[-1] - y) / y.size
        else:
            z = acts[-1] - acts[-1].max(1, keepdims=True)
            p = np.exp(z)
            d = (p / p.sum(1, keepdims=True) - y) / batch
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


def torch_step(hidden, act, batch, inputs, outputs, loss, threads=1):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    layers, sizes = [], [inputs] + hidden + [outputs]
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(torch.nn.Linear(a, b, dtype=torch.float64))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh() if act == "tanh" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, inputs, dtype=torch.float64)
    if loss == "mse":
        y, loss_fn = torch.randn(batch, outputs, dtype=torch.float64), torch.nn.MSELoss()
    else:
        y, loss_fn = torch.arange(batch) % outputs, torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()
    return step


def cpu_facts():
    """Model name, clock (GHz) and FP64 flop per cycle per core, from /proc/cpuinfo: 2 FMA units × 2 flops ×
    the vector width (8 doubles with AVX-512 on Intel; 4 with AVX2, and on AMD, whose AVX-512 runs on
    256-bit units)."""
    try:
        with open("/proc/cpuinfo") as fh:
            text = fh.read()
    except OSError:
        return platform.processor() or platform.machine(), None, None
    model = (re.findall(r"model name\s*:\s*(.+)", text) or ["?"])[0].strip()
    mhz = [float(m) for m in re.findall(r"cpu MHz\s*:\s*([\d.]+)", text)]
    flags = set((re.findall(r"flags\s*:\s*(.+)", text) or [""])[0].split())
    intel = "GenuineIntel" in text
    width = 8 if "avx512f" in flags and intel else 4 if {"avx2", "fma"} <= flags else 2
    return model, (max(mhz) / 1000 if mhz else None), 2 * 2 * width


def measured_peak(here):
    """GFLOP/s of peak/peak.c on one core (None when clang is missing)."""
    exe = os.path.join(here, ".build", "peak")
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    if subprocess.run(["clang", "-O2", os.path.join(here, "peak", "peak.c"), "-o", exe]).returncode != 0:
        return None, None
    value, isa = subprocess.run([exe], check=True, capture_output=True, text=True).stdout.split()
    return float(value), isa


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--only", action="append", help="only this shape (a, b or c; repeatable)")
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    shapes = {k: v for k, v in SHAPES.items() if not args.only or k in args.only}
    peak, peak_isa = measured_peak(here)
    subprocess.run(["swift", "build", "-c", "release", "--product", "StepTimer"], cwd=here, check=True,
                   stdout=subprocess.DEVNULL)
    descent, descent2 = {}, {}
    for name in shapes:
        for threads, into in ((1, descent), (2, descent2)):
            out = subprocess.run([os.path.join(here, ".build/release/StepTimer"), "--seconds", str(args.seconds),
                                  "--only", name, "--threads", str(threads)], cwd=here, check=True, capture_output=True,
                                 text=True).stdout
            into.update(json.loads(out))
    try:
        import torch
        torch_version = torch.__version__
    except ImportError:
        torch_version = None
    model, ghz, per_cycle = cpu_facts()
    nominal = ghz * per_cycle if ghz and per_cycle else None
    print(f"machine: {model}, {os.cpu_count()} cores, {ghz} GHz and {per_cycle} FP64 flop/cycle/core from /proc/cpuinfo "
          f"(nominal peak {nominal and round(nominal, 1)} GFLOP/s per core); measured FMA peak "
          f"{peak} GFLOP/s per core ({peak_isa}); Descent kernel: {descent['isa']}; numpy {np.__version__}, "
          f"torch {torch_version}")
    print("| shape | Descent (ms) | GFLOP/s | % of measured peak | % of nominal peak | NumPy (ms) | PyTorch (ms) "
          "| PyTorch ÷ Descent | Descent, 2 threads (ms) | PyTorch, 2 threads (ms) | PyTorch ÷ Descent, 2 threads |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, spec in shapes.items():
        d = descent[name]
        t_np = median_time(numpy_step(*spec), args.seconds)
        t_pt = median_time(torch_step(*spec), args.seconds) if torch_version else float("nan")
        t_pt2 = median_time(torch_step(*spec, threads=2), args.seconds) if torch_version else float("nan")
        gflops = d["flops"] / d["median_seconds"] / 1e9
        measured = f"{100 * gflops / peak:.0f} %" if peak else "?"
        nominal_pct = f"{100 * gflops / nominal:.0f} %" if nominal else "?"
        d2 = descent2[name]["median_seconds"]
        print(f"| ({name}) | {d['median_seconds'] * 1e3:.3f} | {gflops:.1f} | {measured} | {nominal_pct} | "
              f"{t_np * 1e3:.3f} | {t_pt * 1e3:.3f} | {t_pt / d['median_seconds']:.2f} | {d2 * 1e3:.3f} | "
              f"{t_pt2 * 1e3:.3f} | {t_pt2 / d2:.2f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())

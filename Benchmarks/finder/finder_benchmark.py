#!/usr/bin/env python3
"""How often does each learning-rate rule land on a rate that trains well? (issue 12)

For every data set x optimizer case:
  * ground truth: `lab train` at 21 rates 1e-4 ... 10 (quarter decades) x 2 seeds, for the case's
    budget B; mean validation loss after B steps per rate; best = the lowest mean; L0 = the mean
    validation loss at step 0;
  * each rule's rate from `lab find-lr --suggest all --seed 1 --train-steps B` (valley, steep,
    minimum, slide from the same sweep; verified with its own trials);
  * a rule *hits* when `lab train` at its rate (same 2 seeds) has mean validation loss
    <= best + 0.1 * (L0 - best), i.e. it captures 90 % of the grid's best improvement.
Costs: the sweep's steps for fastai's rules; sweep + all trial steps for verified (from its stderr).

Then the sweep alone, timed end to end in the same run: `lab find-lr --suggest valley` vs
torch-lr-finder's `LRFinder.range_test` on the same network (64-32-32-10 tanh MLP, float64),
data (digits, z-scored with the training split's statistics), batch size and sweep
(100 steps, 1e-7 ... 10, exponential, smoothing 0.98, stop at 4x the best).

Usage (from the repository root, after `swift build -c release --product lab`):
    /work/venv/bin/python Benchmarks/finder/finder_benchmark.py [--lab .build/release/lab] [--quick]
Needs numpy, scikit-learn (the real held-out sets: wine, breast cancer, diabetes), torch and
torch-lr-finder (the timing). Writes results.json and results.md next to this file.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RULES = ["valley", "steep", "minimum", "slide", "verified"]
GRID = [10 ** (-4 + k / 4) for k in range(21)]
SEEDS = [1, 2]

OPT = {
    "sgd": ["--optimizer", "sgd"],
    "sgd-momentum": ["--optimizer", "sgd", "--momentum", "0.9"],
    "adam": ["--optimizer", "adam"],
    "rmsprop": ["--optimizer", "rmsprop"],
}


def write_sklearn_sets(folder):
    """Real sets Descent never saw while its rules were designed, as CSV (last column = target)."""
    from sklearn import datasets
    out = {}
    for name, loader in [("wine", datasets.load_wine), ("breast-cancer", datasets.load_breast_cancer),
                         ("diabetes", datasets.load_diabetes)]:
        d = loader()
        path = os.path.join(folder, name + ".csv")
        with open(path, "w") as f:
            f.write(",".join(f"x{i}" for i in range(d.data.shape[1])) + ",target\n")
            for row, y in zip(d.data, d.target):
                f.write(",".join(repr(float(v)) for v in row) + f",{float(y)!r}\n")
        out[name] = path
    return out


def cases(sets):
    # (name, data, optimizer, budget B, extra model/data flags)
    net = ["--layers", "32,32", "--batch-size", "32"]
    return [
        ("digits / SGD+momentum", "digits", "sgd-momentum", 500, net),
        ("digits / Adam", "digits", "adam", 500, net),
        ("digits / RMSprop", "digits", "rmsprop", 500, net),
        ("digits / SGD", "digits", "sgd", 500, net),
        ("wine / Adam", sets["wine"], "adam", 300, ["--layers", "16", "--batch-size", "16"]),
        ("breast cancer / SGD+momentum", sets["breast-cancer"], "sgd-momentum", 300, ["--layers", "16", "--batch-size", "32"]),
        ("diabetes (regression) / RMSprop", sets["diabetes"], "rmsprop", 300, ["--layers", "16", "--batch-size", "32"]),
        ("diabetes (regression) / SGD", sets["diabetes"], "sgd", 300, ["--layers", "16", "--batch-size", "32"]),
        ("teacher (regression) / Adam", "teacher", "adam", 500, net),
        ("spirals / SGD+momentum", "spirals", "sgd-momentum", 1000, net),
    ]


def run(lab, args):
    p = subprocess.run([lab] + args, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"lab {' '.join(args)}: {p.stderr}")
    return p


def train(lab, data, opt, flags, lr, steps, seed):
    """(val loss at step 0, val loss after `steps`; NaN if diverged)."""
    p = run(lab, ["train", "--data", data, *flags, *OPT[opt], "--lr", repr(lr), "--steps", str(steps),
                  "--eval-every", str(steps), "--seed", str(seed)])
    rows = [ln.split(",") for ln in p.stdout.strip().split("\n")[1:]]
    first, last = float(rows[0][3]), float(rows[-1][3])
    if "diverged" in p.stderr or int(rows[-1][0]) != steps or not math.isfinite(last):
        last = math.nan
    return first, last


def mean_loss(lab, data, opt, flags, lr, steps):
    runs = [train(lab, data, opt, flags, lr, steps, s) for s in SEEDS]
    return sum(r[0] for r in runs) / len(runs), sum(r[1] for r in runs) / len(runs)


def suggestions(lab, data, opt, flags, steps, sweep_steps=100):
    p = run(lab, ["find-lr", "--data", data, *flags, *OPT[opt], "--seed", str(SEEDS[0]), "--train-steps", str(steps),
                  "--steps", str(sweep_steps), "--suggest", "all"])
    rates, trained = {}, 0
    for line in p.stderr.split("\n"):
        if line.startswith("suggested lr ("):
            rule = line[len("suggested lr ("):line.index(")")]
            v = line.split(": ")[1]
            rates[rule] = float(v) if not v.startswith("none") else None
        if "verified cost:" in line:
            trained = int(line.split("verified cost: ")[1].split()[0])
    cost = {r: 1.0 for r in RULES}               # in sweeps
    cost["verified"] = 1.0 + trained / sweep_steps
    return rates, cost


def benchmark(lab, quick):
    tmp = tempfile.mkdtemp(prefix="finder-bench-")
    sets = write_sklearn_sets(tmp)
    results = []
    for name, data, opt, steps, flags in cases(sets)[: 3 if quick else None]:
        t0 = time.time()
        grid = [mean_loss(lab, data, opt, flags, lr, steps) for lr in GRID]
        l0 = sum(g[0] for g in grid) / len(grid)
        finite = [(g[1], lr) for g, lr in zip(grid, GRID) if math.isfinite(g[1])]
        best, best_lr = min(finite)
        threshold = best + 0.1 * (l0 - best)
        rates, cost = suggestions(lab, data, opt, flags, steps)
        rule_loss = {}
        for rule in RULES:
            lr = rates.get(rule)
            rule_loss[rule] = mean_loss(lab, data, opt, flags, lr, steps)[1] if lr else math.nan
        hits = {r: (math.isfinite(rule_loss[r]) and rule_loss[r] <= threshold) for r in RULES}
        results.append(dict(case=name, optimizer=opt, budget=steps, best_rate=best_lr, best_loss=best, loss0=l0,
                            threshold=threshold, rates=rates, losses=rule_loss, hits=hits,
                            cost_sweeps=cost, cost_trainings={r: c * 100 / steps for r, c in cost.items()},
                            grid=[[lr, g[1]] for lr, g in zip(GRID, grid)], seconds=time.time() - t0))
        r = results[-1]
        print(f"{name}: best {best_lr:.3g} ({best:.4g}), L0 {l0:.4g}; "
              + ", ".join(f"{k} {rates.get(k) or float('nan'):.3g}{'*' if hits[k] else ''}" for k in RULES)
              + f"  [{r['seconds']:.0f} s]", flush=True)
    return results


def timing(lab, repeats=11):
    """The sweep alone: Descent's CLI end to end vs torch-lr-finder's range_test."""
    import numpy as np
    import torch
    from torch import nn
    from torch_lr_finder import LRFinder
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    args = ["find-lr", "--data", "digits", "--layers", "32,32", "--batch-size", "32", "--optimizer", "adam",
            "--suggest", "valley", "--steps", "100", "--min-lr", "1e-7", "--max-lr", "10"]
    # The same data: digits as `lab` ships it, split and z-scored as `lab` does (seed 42, 20 %)
    # -- for timing only the shapes matter (1,437 x 64 training rows, 10 classes).
    table = np.loadtxt(os.path.join(ROOT, "Data/digits/digits.csv"), delimiter=",", skiprows=1)
    x, y = table[:, :-1], table[:, -1].astype(np.int64)
    rng = np.random.default_rng(42)
    idx = rng.permutation(len(x))[: len(x) - math.ceil(0.2 * len(x))]
    mu, sd = x[idx].mean(0), x[idx].std(0)
    sd[sd == 0] = 1
    xt = torch.tensor((x[idx] - mu) / sd)
    yt = torch.tensor(y[idx])
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xt, yt), batch_size=32, shuffle=True)
    # Interleaved, so both see the same machine load (the machine is shared).
    # Wall clock and CPU time (user + system) of each: on a shared machine the wall clock of a
    # 20 ms process is mostly waiting for a core, so the CPU time is the steadier measure.
    import resource
    descent, torch_times, descent_cpu, torch_cpu = [], [], [], []
    for _ in range(repeats):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        run(lab, args)
        descent.append(time.perf_counter() - t)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        descent_cpu.append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
        c = time.process_time()
        t = time.perf_counter()
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(64, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 10))
        opt = torch.optim.Adam(model.parameters(), lr=1e-7)
        finder = LRFinder(model, opt, nn.CrossEntropyLoss(), device="cpu")
        finder.range_test(loader, end_lr=10, num_iter=100, step_mode="exp", smooth_f=0.02, diverge_th=4)
        finder.reset()
        torch_times.append(time.perf_counter() - t)
        torch_cpu.append(time.process_time() - c)
    med = lambda v: sorted(v)[len(v) // 2]
    import torch_lr_finder
    return dict(descent_seconds=descent, torch_seconds=torch_times, descent_median=med(descent),
                torch_median=med(torch_times), ratio=med(torch_times) / med(descent),
                descent_cpu=descent_cpu, torch_cpu=torch_cpu, descent_cpu_median=med(descent_cpu),
                torch_cpu_median=med(torch_cpu), cpu_ratio=med(torch_cpu) / max(med(descent_cpu), 1e-3),
                load_average=os.getloadavg()[0], lab_build=lab_build(lab),
                torch_version=torch.__version__, torch_lr_finder_version=getattr(torch_lr_finder, "__version__", "0.2.2"))


def lab_build(lab):
    """How the timed `lab` was linked: the Swift runtime as shared libraries or linked in."""
    try:
        libraries = subprocess.run(["ldd", lab], capture_output=True, text=True).stdout
    except OSError:
        return "unknown"
    return "Swift runtime as shared libraries" if "libswiftCore" in libraries else "Swift runtime linked in"


def report(results, t):
    lines = ["| case | B | grid best α (val loss) | " + " | ".join(RULES) + " |",
             "|---|---:|---|" + "---|" * len(RULES)]
    for r in results:
        cells = []
        for k in RULES:
            lr = r["rates"].get(k)
            cells.append(("**hit**" if r["hits"][k] else "miss") + (f" {lr:.3g}" if lr else " none"))
        lines.append(f"| {r['case']} | {r['budget']} | {r['best_rate']:.3g} ({r['best_loss']:.4g}) | " + " | ".join(cells) + " |")
    hits = {k: sum(r["hits"][k] for r in results) for k in RULES}
    lines.append(f"| **hits (of {len(results)})** | | | " + " | ".join(f"**{hits[k]}**" for k in RULES) + " |")
    cost = {k: sum(r["cost_sweeps"][k] for r in results) / len(results) for k in RULES}
    trainings = {k: sum(r["cost_trainings"][k] for r in results) / len(results) for k in RULES}
    lines.append("| mean cost, sweeps of 100 steps | | | " + " | ".join(f"{cost[k]:.1f}" for k in RULES) + " |")
    lines.append("| mean cost, full trainings of B steps | | | " + " | ".join(f"{trainings[k]:.2f}" for k in RULES) + " |")
    if t:
        lines.append("")
        lines.append(f"Sweep alone (digits, 64-32-32-10 tanh, Adam, batch 32, 100 steps 1e-7…10), median of "
                     f"{len(t['descent_seconds'])}: `lab find-lr --suggest valley` end to end {t['descent_median']*1000:.0f} ms; "
                     f"torch-lr-finder {t['torch_lr_finder_version']} `range_test` (torch {t['torch_version']}, float64, "
                     f"1 thread) {t['torch_median']*1000:.0f} ms; ratio **{t['ratio']:.1f}×** wall clock. CPU time (user + system): "
                     f"{t['descent_cpu_median']*1000:.0f} ms vs {t['torch_cpu_median']*1000:.0f} ms, ratio "
                     f"**{t['cpu_ratio']:.1f}×** (load average {t['load_average']:.1f} on {os.cpu_count()} cores). "
                     f"`lab` from `swift build -c release` ({t.get('lab_build', 'unknown')}); command: "
                     f"`python3 finder/finder_benchmark.py --timing-only --repeats {len(t['descent_seconds'])}`.")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lab", default=os.path.join(ROOT, ".build/release/lab"))
    ap.add_argument("--quick", action="store_true", help="3 cases only")
    ap.add_argument("--timing-only", action="store_true", help="time the sweep again; keep results.json's hit table")
    ap.add_argument("--repeats", type=int, default=11, help="timing repeats (median), interleaved")
    a = ap.parse_args()
    t = timing(a.lab, a.repeats)
    print(f"timing: Descent {t['descent_median']:.3f} s, torch-lr-finder {t['torch_median']:.3f} s, ratio {t['ratio']:.1f}", flush=True)
    with open(os.path.join(HERE, "timing.json"), "w") as f:
        json.dump(t, f, indent=1)
    if a.timing_only:
        with open(os.path.join(HERE, "results.json")) as f:
            results = json.load(f)["results"]
    else:
        results = benchmark(a.lab, a.quick)
        with open(os.path.join(HERE, "results.json"), "w") as f:
            json.dump(dict(results=results), f, indent=1)
    md = report(results, t)
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write(md)
    print(md)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""How long a slider move in the playground takes to redraw, in headless Chromium.

Usage: slider_redraw.py URL [--rounds N] [--out FILE]
(Benchmarks/browser/run starts the release playground and calls this.)

Each round moves SGD's α slider with the keyboard from where it starts to past 2/L = 0.5 and back,
one step at a time (each move: one API call for the moved run plus the redraw of both plots, timed
by the page with performance.now() from the input event to the end of the drawing). One warm-up
sweep is not counted. Prints and writes moves, median, p95, max and every timing (ms) as JSON.
The sweep itself is Tests/Browser/playground_browser.py's, the one the browser test runs.
"""
import argparse
import datetime
import json
import os
import platform
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Browser"))
import playground_browser as pb  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("--rounds", type=int, default=5, help="counted sweeps up and back (default 5)")
    parser.add_argument("--out", default=".build-browser/slider-redraw.json", help="where the figures go")
    args = parser.parse_args()
    driver = pb.browser()
    try:
        driver.get(args.url.rstrip("/") + "/")
        pb.ready(driver)
        start = pb.learning_rate(driver)
        pb.sweep_slider(driver, past=0.55, down_to=start)  # warm-up: caches, JIT, first allocations
        timings = []
        for _ in range(args.rounds):
            t, _ = pb.sweep_slider(driver, past=0.55, down_to=start)
            timings += t
    finally:
        driver.quit()
    result = pb.summary(timings)
    result["max_ms"] = max(timings)
    result["rounds"] = args.rounds
    result["when"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    result["load_average"] = os.getloadavg()
    result["machine"] = "%s, %d cores" % (platform.machine(), os.cpu_count() or 0)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    print("slider redraw: %d moves, median %.1f ms, p95 %.1f ms, max %.1f ms (load average %.1f; %s)"
          % (result["moves"], result["median_ms"], result["p95_ms"], result["max_ms"], result["load_average"][0], args.out))


if __name__ == "__main__":
    main()

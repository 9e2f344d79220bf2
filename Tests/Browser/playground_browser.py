"""What the browser test and the slider benchmark share: a headless Chromium on the playground,
waiting for the page's own signals (never for time), and the slider sweep that records how long
each redraw took.

The page records, for every update it draws, the milliseconds from the input event to the end of
the drawing in `window.playgroundTimings` (performance.now()). Tests/Browser/test_playground.py
checks what the sweep does (α passes 2/L, the run is shown as diverged) and only records the
timings; Benchmarks/browser/slider_redraw.py repeats the sweep and reports the figures.
"""
import math
import os

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def browser():
    options = webdriver.ChromeOptions()
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")            # CI runs as root
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--window-size=1400,1100")
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


def wait(driver, condition, what, timeout=120, on_timeout=None):
    """Waits for `condition`. The timeout only keeps a broken page from hanging the suite: it is a
    watchdog, generous on purpose, never the thing being checked."""
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: condition(d))
    except Exception as error:
        if on_timeout:
            on_timeout()
        raise AssertionError("timed out waiting for: " + what) from error


def ready(driver, **kwargs):
    wait(driver, lambda d: d.execute_script("return document.body.dataset.ready === 'true'"), "the page to draw", **kwargs)


def drawn(driver):
    """How many updates the page has drawn so far."""
    return driver.execute_script("return window.playgroundTimings.length")


def settled(driver, count, **kwargs):
    """Waits until `count` updates have been drawn."""
    wait(driver, lambda d: drawn(d) >= count, "a redraw", **kwargs)


def status(driver, i):
    return driver.find_element(By.CSS_SELECTOR, "#run-%d .status" % i).text


def learning_rate(driver, run=0):
    return float(driver.find_element(By.CSS_SELECTOR, "#run-%d .lr-value" % run).text)


def sweep_slider(driver, run=0, past=0.55, down_to=None, max_presses=100, **kwargs):
    """Moves run `run`'s α slider with the keyboard one step at a time until α > `past` (then, if
    `down_to` is given, back until α < `down_to`), waiting for each redraw. Returns (the redraw
    time of each move in ms, the final α)."""
    slider = driver.find_element(By.CSS_SELECTOR, "#run-%d .lr" % run)
    timings = []
    legs = [(Keys.ARROW_RIGHT, lambda lr: lr <= past)]
    if down_to is not None:
        legs.append((Keys.ARROW_LEFT, lambda lr: lr >= down_to))
    lr = learning_rate(driver, run)
    for key, going in legs:
        presses = 0
        while going(lr) and presses < max_presses:
            n = drawn(driver)
            slider.send_keys(key)
            settled(driver, n + 1, **kwargs)
            timings.append(driver.execute_script("return window.playgroundTimings[window.playgroundTimings.length - 1]"))
            lr = learning_rate(driver, run)
            presses += 1
    return timings, lr


def percentile(values, p):
    """The nearest-rank percentile (p in 0…100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def summary(timings):
    """moves, median, p95 and every timing, as written to slider-timings.json."""
    return {"moves": len(timings), "median_ms": percentile(timings, 50), "p95_ms": percentile(timings, 95),
            "all_ms": sorted(timings)}

#!/usr/bin/env python3
"""The playground in a real browser: headless Chromium driven by Selenium.

Usage: test_playground.py URL SCREENSHOT_DIR
(Tests/Browser/run starts the server and calls this.) Each check prints "ok - …" or raises; a
screenshot of each state goes to SCREENSHOT_DIR. Exits non-zero on the first failure.
"""
import json
import os
import sys
from urllib.parse import parse_qs, urlparse

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import playground_browser as pb  # noqa: E402  (shared with Benchmarks/browser/slider_redraw.py)
from playground_browser import browser, drawn, status  # noqa: E402

BASE = sys.argv[1].rstrip("/")
SHOTS = sys.argv[2]
os.makedirs(SHOTS, exist_ok=True)
# No wall-clock limit here: how fast a redraw is belongs to Benchmarks/browser (issue 19). The
# slider timings are recorded to SHOTS/slider-timings.json, never asserted on.


def shot(driver, name):
    path = os.path.join(SHOTS, name + ".png")
    driver.save_screenshot(path)
    print("   screenshot", path)


def wait(driver, condition, what):
    return pb.wait(driver, condition, what, on_timeout=lambda: shot(driver, "failed"))


def ready(driver):
    pb.ready(driver, on_timeout=lambda: shot(driver, "failed"))


def settled(driver, count):
    pb.settled(driver, count, on_timeout=lambda: shot(driver, "failed"))


def view(driver):
    """Everything a reader sees: controls, statuses, and both plots' pixels."""
    return driver.execute_script("""
        const values = Array.from(document.querySelectorAll('input, select')).map(e =>
            e.type === 'checkbox' ? e.checked : e.value);
        const statuses = Array.from(document.querySelectorAll('.status')).map(e => e.textContent);
        return { values: values, statuses: statuses, start: document.getElementById('start-value').textContent,
                 contour: document.getElementById('contour').toDataURL(),
                 loss: document.getElementById('loss').toDataURL() };
    """)


def main():
    driver = browser()
    try:
        # 1. The page loads and draws three runs over the contours.
        driver.get(BASE + "/")
        ready(driver)
        runs = driver.find_elements(By.CSS_SELECTOR, "#runs .run")
        assert len(runs) == 3, "three runs by default, got %d" % len(runs)
        for i in range(3):
            assert status(driver, i).startswith("loss "), "run %d: %r" % (i, status(driver, i))
        blank = driver.execute_script("""
            const c = document.getElementById('contour'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let coloured = 0; for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i+1] || d[i+1] !== d[i+2]) coloured++;
            return coloured;""")
        assert blank > 500, "the paths are drawn in colour (%d coloured pixels)" % blank
        marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#run-0 .mark")]
        assert marks == ["2/L"], "SGD's α slider marks 2/L: %r" % marks
        marks1 = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#run-1 .mark")]
        assert marks1 == ["2/L", "2(1+β)/L"], "momentum's α slider marks both limits: %r" % marks1
        print("ok - the page loads: 3 runs drawn, limits marked on the α sliders")
        shot(driver, "01-loaded")

        # 2. Move SGD's α past 2/L = 0.5 with the keyboard, one step at a time, each move redrawn.
        timings, lr = pb.sweep_slider(driver, run=0, past=0.55, on_timeout=lambda: shot(driver, "failed"))
        assert lr > 0.5, "α moved past 2/L: %s" % lr
        assert timings and all(t >= 0 for t in timings), "each move was drawn once: %r" % timings
        text = status(driver, 0)
        assert "diverg" in text and "2/L" in text, "the divergence is shown: %r" % text
        assert "diverged" in driver.find_element(By.CSS_SELECTOR, "#run-0 .status").get_attribute("class")
        message = driver.find_element(By.ID, "messages").text
        assert "SGD (α %s)" % driver.find_element(By.CSS_SELECTOR, "#run-0 .lr-value").text in message, message
        figures = pb.summary(timings)
        print("ok - α = %s > 2/L: %r" % (lr, text))
        print("ok - slider moves: %d, each redrawn (recorded, not checked: median %.1f ms, p95 %.1f ms;"
              " the benchmark is Benchmarks/browser/run)" % (figures["moves"], figures["median_ms"], figures["p95_ms"]))
        with open(os.path.join(SHOTS, "slider-timings.json"), "w") as f:
            json.dump(figures, f)
        shot(driver, "02-diverged")

        # 3. Switch the second run to RMSprop: its sliders change, the URL follows.
        n = drawn(driver)
        Select(driver.find_element(By.CSS_SELECTOR, "#run-1 .optimizer")).select_by_value("rmsprop")
        settled(driver, n + 1)
        shown = [l.text.split(" =")[0] for l in driver.find_elements(By.CSS_SELECTOR, "#run-1 label")
                 if l.is_displayed() and "=" in l.text]
        assert any("ρ" in s for s in shown) and not any("β₁" in s for s in shown), shown
        assert any(r.startswith("rmsprop:") for r in parse_qs(urlparse(driver.current_url).query)["run"])
        assert status(driver, 1).startswith("loss ") or "diverg" in status(driver, 1), status(driver, 1)
        print("ok - optimizer switched to RMSprop: %r" % status(driver, 1))
        shot(driver, "03-optimizer")

        # 4. Click the contour plot: the start moves there and every run restarts from it.
        canvas = driver.find_element(By.ID, "contour")
        old_start = driver.find_element(By.ID, "start-value").text
        n = drawn(driver)
        rect = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];", canvas)
        # 3/4 across and 1/4 down the canvas: x > 0, y > 0 in every function's window.
        webdriver.ActionChains(driver).move_to_element_with_offset(canvas, rect[0] * 0.25, -rect[1] * 0.25).click().perform()
        settled(driver, n + 1)
        new_start = driver.find_element(By.ID, "start-value").text
        x, y = [float(v) for v in new_start.strip("()").split(",")]
        assert new_start != old_start and x > 0 and y > 0, (old_start, new_start)
        assert parse_qs(urlparse(driver.current_url).query)["start"] == ["%s,%s" % (
            ("%g" % x), ("%g" % y))], driver.current_url
        print("ok - click moved the start from %s to %s" % (old_start, new_start))
        shot(driver, "04-start")

        # 5. Reload from the URL in a fresh page: the same view, pixel for pixel.
        url = driver.current_url
        seen = view(driver)
        driver.get("about:blank")
        driver.get(url)
        ready(driver)
        again = view(driver)
        for key in ["values", "statuses", "start", "contour", "loss"]:
            assert seen[key] == again[key], "after reloading %s, %s differs" % (url, key)
        print("ok - reloading %s gives the same view (controls, messages, both plots' pixels)" % url)
        shot(driver, "05-reloaded")

        # 6. A book page: figures load, the math is rendered.
        driver.get(BASE + "/book/ch00-tour/")
        wait(driver, lambda d: d.execute_script("return document.readyState") == "complete", "the book page")
        images = driver.find_elements(By.CSS_SELECTOR, "main img")
        assert len(images) >= 2, "figures on the page: %d" % len(images)
        loaded = driver.execute_script("return Array.from(document.querySelectorAll('main img')).filter(i => i.naturalWidth > 0).length")
        assert loaded == len(images), "%d of %d figures loaded" % (loaded, len(images))
        katex = os.path.exists("/usr/share/javascript/katex/katex.min.js")
        if katex:
            wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".math .katex")) > 0, "KaTeX")
            rendered = len(driver.find_elements(By.CSS_SELECTOR, ".math .katex"))
            total = len(driver.find_elements(By.CSS_SELECTOR, ".math"))
            assert rendered == total, "%d of %d formulas rendered" % (rendered, total)
            assert not driver.find_elements(By.CSS_SELECTOR, ".katex-error"), "a formula failed in KaTeX"
        else:
            rendered = 0
            assert driver.find_elements(By.CSS_SELECTOR, ".math"), "formulas as plain TeX"
        nxt = driver.find_element(By.CSS_SELECTOR, "a[rel=next]").get_attribute("href")
        assert nxt.endswith("/book/ch01-vanishing-gradients/index.html"), nxt
        print("ok - book page: %d figures loaded, %d formulas rendered by KaTeX, next → %s" % (loaded, rendered, nxt))
        shot(driver, "06-book")
        # 7. The contents page: every chapter listed with its main figure.
        driver.get(BASE + "/book/")
        wait(driver, lambda d: d.execute_script("return document.readyState") == "complete", "the contents page")
        chapters = driver.find_elements(By.CSS_SELECTOR, "main table a[href$='/index.html']")
        figures = driver.execute_script("return Array.from(document.querySelectorAll('main table img')).filter(i => i.naturalWidth > 0).length")
        assert len(chapters) >= 8 and figures == len(chapters), "%d chapters, %d figures" % (len(chapters), figures)
        print("ok - contents page: %d chapters, each with its main figure" % len(chapters))
        shot(driver, "07-book-contents")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
    print("browser tests passed")

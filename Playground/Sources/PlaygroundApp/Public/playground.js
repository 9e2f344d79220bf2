// Descent playground: reads the controls, asks the server (/api/…) for every number, and draws.
// No update rule, schedule or stability limit is computed here: the server runs Descent.
"use strict";
(function () {
  // The parameters each optimizer takes (lab's flags), and the page's starting values.
  const PARAMS = {
    "sgd": ["momentum", "nesterov"],
    "adagrad": ["eps"],
    "rmsprop": ["alpha", "eps", "momentum"],
    "adam": ["beta1", "beta2", "eps", "amsgrad"],
    "article-adagrad": ["eps"],
    "article-rmsprop": ["alpha", "eps"],
    "article-adam": ["beta1", "beta2", "eps"],
  };
  const NAMES = {
    "sgd": "SGD", "adagrad": "AdaGrad", "rmsprop": "RMSprop", "adam": "Adam",
    "article-adagrad": "article AdaGrad", "article-rmsprop": "article RMSprop", "article-adam": "article Adam",
  };
  const START_LR = { "sgd": 0.4, "adagrad": 1, "rmsprop": 0.1, "adam": 0.3, "article-adagrad": 1,
                     "article-rmsprop": 0.1, "article-adam": 0.3 };
  const DEFAULT_EPS = { "adagrad": 1e-10, "article-adagrad": 1e-10 };
  const DEFAULT_STATE = "function=quadratic&condition=20&steps=50&schedule=constant&start=-5,-2"
    + "&run=sgd:lr=0.4&run=sgd:lr=0.1,momentum=0.8&run=adam:lr=0.3";
  const MINIMA = { quadratic: [0, 0], rosenbrock: [1, 1], saddle: [0, 0] };
  const MAX_RUNS = 6;

  let palette = ["#000000"];  // replaced at start by the book's palette (/api/palette, from Figures)
  let state = null;
  const results = [];        // per run: {rows, divergence, explosion, error}
  const limits = [];         // per run: {sgd, momentum, nesterov} or null
  let contours = null;       // {key, window, levels}
  const limitCache = new Map();  // query → the answer of /api/limits (they change with κ and β only)
  const sequence = [];       // per run: the number of the latest request, so stale answers are dropped
  const timings = [];        // ms from a control change to the redrawn plots
  window.playgroundTimings = timings;

  const $ = (id) => document.getElementById(id);
  const sig = (x, n) => Number(Number(x).toPrecision(n || 3));
  const num = (v) => typeof v === "string" ? (v === "inf" ? Infinity : v === "-inf" ? -Infinity : NaN) : v;
  const fmt = (x) => !isFinite(x) ? String(x) : (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0))
    ? x.toExponential(2) : String(sig(x, 4));

  // ---- State ⇄ URL -------------------------------------------------------------------------------
  function defaultsFor(optimizer) {
    return { optimizer: optimizer, lr: START_LR[optimizer], momentum: 0, nesterov: false, alpha: 0.99,
             beta1: 0.9, beta2: 0.999, eps: DEFAULT_EPS[optimizer] || 1e-8, amsgrad: false };
  }

  function parseState(search) {
    const q = new URLSearchParams(search);
    const d = new URLSearchParams(DEFAULT_STATE);
    const get = (k) => q.has(k) ? q.get(k) : d.get(k);
    const s = {
      function: get("function"), condition: Number(get("condition")), steps: parseInt(get("steps"), 10),
      schedule: get("schedule"), start: get("start").split(",").map(Number), runs: [],
    };
    if (!["quadratic", "rosenbrock", "saddle"].includes(s.function)) s.function = "quadratic";
    if (!(s.condition >= 1)) s.condition = 20;
    if (!(s.steps >= 1)) s.steps = 50;
    if (!(s.start.length === 2 && s.start.every(isFinite))) s.start = [-5, -2];
    for (const spec of (q.has("run") ? q.getAll("run") : d.getAll("run")).slice(0, MAX_RUNS)) {
      const [optimizer, rest] = spec.split(":");
      if (!PARAMS[optimizer]) continue;
      const run = defaultsFor(optimizer);
      for (const kv of (rest || "").split(",")) {
        const [k, v] = kv.split("=");
        if (!(k in run) || k === "optimizer") continue;
        run[k] = (k === "nesterov" || k === "amsgrad") ? v === "true" : Number(v);
      }
      s.runs.push(run);
    }
    return s;
  }

  function encodeState(s) {
    const q = new URLSearchParams();
    q.set("function", s.function);
    q.set("condition", String(s.condition));
    q.set("steps", String(s.steps));
    q.set("schedule", s.schedule);
    q.set("start", s.start.join(","));
    for (const r of s.runs) {
      const parts = ["lr=" + r.lr].concat(PARAMS[r.optimizer].map((p) => p + "=" + r[p]));
      q.append("run", r.optimizer + ":" + parts.join(","));
    }
    return q.toString().replace(/%2C/g, ",").replace(/%3A/g, ":").replace(/%3D/g, "=");
  }

  function saveState() {
    const search = "?" + encodeState(state);
    history.replaceState(null, "", search);
    $("permalink").href = search;
  }

  // ---- The API -----------------------------------------------------------------------------------
  function scheduleSpec() {
    const n = state.steps;
    switch (state.schedule) {
      case "cosine": return "cosine:T=" + n;
      case "step": return "step:size=" + Math.max(1, Math.round(n / 4)) + ",gamma=0.5";
      case "exponential": return "exponential:gamma=0.99";
      case "warmup": return "warmup:steps=10+cosine:T=" + Math.max(1, n - 10);
      case "one-cycle": return "one-cycle:T=" + n;
      default: return "constant";
    }
  }

  function functionQuery() {
    const q = new URLSearchParams({ function: state.function });
    if (state.function === "quadratic") q.set("condition", String(state.condition));
    return q;
  }

  function optimizeQuery(run) {
    const q = functionQuery();
    q.set("start", state.start.join(","));
    q.set("steps", String(state.steps));
    q.set("optimizer", run.optimizer);
    q.set("lr", String(run.lr));
    for (const p of PARAMS[run.optimizer]) {
      if (p === "nesterov" || p === "amsgrad") { if (run[p]) q.set(p, "true"); } else q.set(p, String(run[p]));
    }
    q.set("schedule", scheduleSpec());
    return q;
  }

  async function getJSON(path, query) {
    const response = await fetch(path + "?" + query.toString());
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
    return body;
  }

  async function loadContours() {
    const key = functionQuery().toString();
    if (contours && contours.key === key) return;
    const c = await getJSON("/api/contours", functionQuery());
    contours = { key: key, window: c.window, levels: c.levels };
  }

  async function loadRun(i) {
    const run = state.runs[i];
    const n = (sequence[i] || 0) + 1;
    sequence[i] = n;
    const jobs = [getJSON("/api/optimize", optimizeQuery(run)).then(
      (r) => ({ rows: r.rows.map((row) => row.map(num)), divergence: r.divergence, explosion: r.explosion }),
      (e) => ({ error: e.message }))];
    if (state.function === "quadratic" && run.optimizer === "sgd") {
      const q = functionQuery();
      q.set("momentum", String(run.momentum));
      const key = q.toString();
      // A move of α is one API call: the limits are asked for only when κ or β change.
      jobs.push(limitCache.has(key) ? Promise.resolve(limitCache.get(key))
        : getJSON("/api/limits", q).then((l) => { limitCache.set(key, l); return l; }, () => null));
    } else {
      jobs.push(Promise.resolve(null));
    }
    const [result, limit] = await Promise.all(jobs);
    if (sequence[i] !== n) return false;
    results[i] = result;
    limits[i] = limit;
    return true;
  }

  /// Reloads the runs `which` (all when omitted), redraws, and records how long it took.
  async function refresh(which) {
    const t0 = performance.now();
    saveState();
    const indices = which === undefined ? state.runs.map((_, i) => i) : which;
    try {
      await Promise.all([loadContours()].concat(indices.map(loadRun)));
    } catch (e) {
      $("messages").textContent = "error: " + e.message;
    }
    draw();
    const ms = performance.now() - t0;
    timings.push(ms);
    $("timing").textContent = "last update: " + ms.toFixed(1) + " ms (API + redraw)";
  }

  // ---- Controls ----------------------------------------------------------------------------------
  function syncGlobalControls() {
    $("function").value = state.function;
    $("condition").value = Math.log10(state.condition);
    $("condition-value").textContent = state.condition;
    $("condition-row").hidden = state.function !== "quadratic";
    $("steps").value = Math.log10(state.steps);
    $("steps-value").textContent = state.steps;
    $("schedule").value = state.schedule;
    $("start-value").textContent = "(" + state.start.join(", ") + ")";
  }

  function buildRunPanels() {
    const holder = $("runs");
    holder.textContent = "";
    state.runs.forEach((run, i) => {
      const panel = $("run-template").content.firstElementChild.cloneNode(true);
      panel.id = "run-" + i;
      panel.querySelector(".swatch").style.background = palette[i % palette.length];
      const opt = panel.querySelector(".optimizer");
      opt.value = run.optimizer;
      opt.addEventListener("change", () => {
        state.runs[i] = defaultsFor(opt.value);
        buildRunPanels();
        refresh([i]);
      });
      panel.querySelector(".remove").addEventListener("click", () => {
        state.runs.splice(i, 1);
        results.splice(i, 1);
        limits.splice(i, 1);
        sequence.splice(i, 1);
        buildRunPanels();
        refresh([]);
      });
      for (const label of panel.querySelectorAll("label[data-for]")) {
        label.hidden = !label.dataset.for.split(" ").includes(run.optimizer);
      }
      const bind = (cls, toValue, fromValue, show) => {
        const input = panel.querySelector("." + cls);
        const out = panel.querySelector("." + cls + "-value");
        const current = () => { if (out) out.textContent = show(run[cls]); };
        if (input.type === "checkbox") input.checked = run[cls]; else input.value = fromValue(run[cls]);
        current();
        input.addEventListener("input", () => {
          run[cls] = input.type === "checkbox" ? input.checked : toValue(Number(input.value));
          current();
          refresh([i]);
        });
      };
      bind("lr", (v) => sig(Math.pow(10, v), 3), Math.log10, String);
      bind("momentum", (v) => v, (v) => v, String);
      bind("nesterov", null, null, String);
      bind("alpha", (v) => v, (v) => v, String);
      bind("beta1", (v) => v, (v) => v, String);
      bind("beta2", (v) => v, (v) => v, String);
      bind("eps", (v) => sig(Math.pow(10, v), 2), Math.log10, (v) => v.toExponential(0));
      bind("amsgrad", null, null, String);
      holder.appendChild(panel);
    });
    $("add-run").disabled = state.runs.length >= MAX_RUNS;
  }

  function wireGlobalControls() {
    $("function").addEventListener("change", () => {
      state.function = $("function").value;
      syncGlobalControls();
      refresh();
    });
    $("condition").addEventListener("input", () => {
      state.condition = sig(Math.pow(10, Number($("condition").value)), 3);
      syncGlobalControls();
      refresh();
    });
    $("steps").addEventListener("input", () => {
      state.steps = Math.round(Math.pow(10, Number($("steps").value)));
      syncGlobalControls();
      refresh();
    });
    $("schedule").addEventListener("change", () => {
      state.schedule = $("schedule").value;
      refresh();
    });
    $("add-run").addEventListener("click", () => {
      if (state.runs.length >= MAX_RUNS) return;
      state.runs.push(defaultsFor("adam"));
      buildRunPanels();
      refresh([state.runs.length - 1]);
    });
    $("contour").addEventListener("click", (event) => {
      if (!contours) return;
      const canvas = $("contour");
      const rect = canvas.getBoundingClientRect();
      const px = (event.clientX - rect.left) * canvas.width / rect.width;
      const py = (event.clientY - rect.top) * canvas.height / rect.height;
      const [x, y] = contourFrame().invert(px, py);
      state.start = [sig(x, 3), sig(y, 3)];
      syncGlobalControls();
      refresh();
    });
  }

  // ---- Drawing -----------------------------------------------------------------------------------
  const PAD = { left: 44, right: 12, top: 12, bottom: 30 };

  function contourFrame() {
    const canvas = $("contour");
    const [x0, x1, y0, y1] = contours.window;
    const w = canvas.width - PAD.left - PAD.right, h = canvas.height - PAD.top - PAD.bottom;
    const clamp = (v) => Math.max(-1e5, Math.min(1e5, v));
    return {
      x: (x) => clamp(PAD.left + (x - x0) / (x1 - x0) * w),
      y: (y) => clamp(PAD.top + (1 - (y - y0) / (y1 - y0)) * h),
      invert: (px, py) => [x0 + (px - PAD.left) / w * (x1 - x0), y0 + (1 - (py - PAD.top) / h) * (y1 - y0)],
      w: w, h: h,
    };
  }

  function drawAxes(ctx, canvas, xTicks, yTicks, xLabel, yLabel) {
    ctx.strokeStyle = "#404040";
    ctx.lineWidth = 1;
    ctx.strokeRect(PAD.left, PAD.top, canvas.width - PAD.left - PAD.right, canvas.height - PAD.top - PAD.bottom);
    ctx.fillStyle = "#404040";
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    for (const [px, label] of xTicks) ctx.fillText(label, px, canvas.height - PAD.bottom + 13);
    ctx.fillText(xLabel, PAD.left + (canvas.width - PAD.left - PAD.right) / 2, canvas.height - 3);
    ctx.textAlign = "right";
    for (const [py, label] of yTicks) ctx.fillText(label, PAD.left - 4, py + 4);
    ctx.save();
    ctx.translate(11, PAD.top + (canvas.height - PAD.top - PAD.bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.fillText(yLabel, 0, 0);
    ctx.restore();
  }

  /// The contour lines, drawn once per function (and κ) into an off-screen canvas.
  function contourLayer(f) {
    if (contours.layer) return contours.layer;
    const canvas = $("contour");
    const layer = document.createElement("canvas");
    layer.width = canvas.width;
    layer.height = canvas.height;
    const ctx = layer.getContext("2d");
    ctx.beginPath();
    ctx.rect(PAD.left, PAD.top, f.w, f.h);
    ctx.clip();
    ctx.strokeStyle = "#b8b8b8";
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const level of contours.levels) {
      for (const s of level.segments) {
        ctx.moveTo(f.x(s[0]), f.y(s[1]));
        ctx.lineTo(f.x(s[2]), f.y(s[3]));
      }
    }
    ctx.stroke();
    contours.layer = layer;
    return layer;
  }

  function drawContours() {
    const canvas = $("contour"), ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (!contours) return;
    const f = contourFrame();
    const [x0, x1, y0, y1] = contours.window;
    ctx.drawImage(contourLayer(f), 0, 0);
    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, PAD.top, f.w, f.h);
    ctx.clip();
    // The minimum (or the saddle point).
    const m = MINIMA[state.function];
    ctx.fillStyle = "#000";
    ctx.font = "16px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillText(state.function === "saddle" ? "+" : "★", f.x(m[0]), f.y(m[1]) + 5);
    // Paths, one colour per run.
    state.runs.forEach((run, i) => {
      const r = results[i];
      if (!r || !r.rows) return;
      const color = palette[i % palette.length];
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      let started = false;
      for (const row of r.rows) {
        const [x, y] = [row[3], row[4]];
        if (!isFinite(x) || !isFinite(y)) break;
        if (started) ctx.lineTo(f.x(x), f.y(y)); else { ctx.moveTo(f.x(x), f.y(y)); started = true; }
      }
      ctx.stroke();
      if (r.rows.length <= 200) {
        for (const row of r.rows) {
          if (isFinite(row[3]) && isFinite(row[4])) ctx.fillRect(f.x(row[3]) - 1.5, f.y(row[4]) - 1.5, 3, 3);
        }
      }
    });
    // The start.
    ctx.fillStyle = "#000";
    ctx.beginPath();
    ctx.arc(f.x(state.start[0]), f.y(state.start[1]), 5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.restore();
    const ticks = (a, b, n) => Array.from({ length: n + 1 }, (_, k) => a + (b - a) * k / n);
    drawAxes(ctx, canvas, ticks(x0, x1, 4).map((x) => [f.x(x), fmt(x)]), ticks(y0, y1, 4).map((y) => [f.y(y), fmt(y)]),
      "x", "y");
  }

  function drawLoss() {
    const canvas = $("loss"), ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const series = state.runs.map((run, i) => results[i] && results[i].rows ? results[i].rows.map((r) => r[2]) : []);
    const finite = series.flat().filter(isFinite);
    if (finite.length === 0) return;
    const log = finite.every((v) => v > 0);
    $("loss-caption").textContent = log ? "Loss per step (log scale)." : "Loss per step (linear scale: some losses are ≤ 0).";
    const tr = (v) => log ? Math.log10(v) : v;
    const firsts = series.filter((s) => s.length && isFinite(s[0])).map((s) => tr(s[0]));
    let lo = Math.min(...finite.map(tr)), hi = Math.max(...finite.map(tr));
    // A run that blows up would flatten everything else: the axis stops at 10⁶ × the highest start.
    const cap = log ? Math.max(...firsts) + 6 : Math.max(...firsts) + 1e6 * Math.max(1, Math.abs(Math.max(...firsts)));
    hi = Math.min(hi, cap);
    if (log) { lo = Math.floor(Math.max(lo, hi - 20)); hi = Math.ceil(hi); }
    if (hi <= lo) hi = lo + 1;
    const w = canvas.width - PAD.left - PAD.right, h = canvas.height - PAD.top - PAD.bottom - 16;
    const top = PAD.top + 16;  // room for the legend above the plot
    const steps = Math.max(1, state.steps);
    const X = (k) => PAD.left + k / steps * w;
    const Y = (v) => top + (1 - (Math.max(lo, Math.min(hi, tr(v))) - lo) / (hi - lo)) * h;
    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, top, w, h);
    ctx.clip();
    series.forEach((s, i) => {
      const color = palette[i % palette.length];
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      let k = 0;
      for (; k < s.length; k++) {
        if (!isFinite(s[k]) || (log && s[k] <= 0)) break;
        if (k === 0) ctx.moveTo(X(k), Y(s[k])); else ctx.lineTo(X(k), Y(s[k]));
      }
      ctx.stroke();
      if (k < s.length) {  // a non-finite loss: mark where the run stopped
        ctx.fillStyle = color;
        ctx.font = "bold 14px system-ui, sans-serif";
        ctx.textAlign = "center";
        ctx.fillText("×", X(k), top + 12);
      }
    });
    ctx.restore();
    const yTicks = [];
    const stepY = log ? Math.max(1, Math.ceil((hi - lo) / 6)) : (hi - lo) / 4;
    for (let v = lo; v <= hi + 1e-9; v += stepY) {
      yTicks.push([top + (1 - (v - lo) / (hi - lo)) * h, log ? "1e" + Math.round(v) : fmt(v)]);
    }
    const xTicks = [0, 0.25, 0.5, 0.75, 1].map((t) => [X(t * steps), String(Math.round(t * steps))]);
    ctx.strokeStyle = "#404040";
    ctx.strokeRect(PAD.left, top, w, h);
    ctx.fillStyle = "#404040";
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    for (const [px, label] of xTicks) ctx.fillText(label, px, canvas.height - PAD.bottom + 13);
    ctx.fillText("step", PAD.left + w / 2, canvas.height - 3);
    ctx.textAlign = "right";
    for (const [py, label] of yTicks) ctx.fillText(label, PAD.left - 4, py + 4);
    ctx.save();
    ctx.translate(11, top + h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.fillText("loss", 0, 0);
    ctx.restore();
    // Legend, above the plot area so it covers no data.
    let lx = PAD.left;
    ctx.textAlign = "left";
    state.runs.forEach((run, i) => {
      const label = runLabel(run);
      ctx.fillStyle = palette[i % palette.length];
      ctx.fillRect(lx, PAD.top, 14, 3);
      ctx.fillStyle = "#1d2430";
      ctx.fillText(label, lx + 18, PAD.top + 5);
      lx += 26 + ctx.measureText(label).width;
    });
  }

  function runLabel(run) {
    let s = NAMES[run.optimizer] + " α=" + run.lr;
    if (PARAMS[run.optimizer].includes("momentum") && run.momentum > 0) s += " β=" + run.momentum;
    if (run.nesterov) s += " Nesterov";
    if (run.amsgrad) s += " AMSGrad";
    return s;
  }

  /// The marks of the analytic limits on SGD's α slider, and each run's status line.
  function drawStatus() {
    const summary = [];
    state.runs.forEach((run, i) => {
      const panel = $("run-" + i);
      if (!panel) return;
      const marks = panel.querySelector(".marks");
      marks.textContent = "";
      marks.parentElement.classList.toggle("two", !!(limits[i] && limits[i].sgd !== null && run.momentum > 0));
      const limit = limits[i];
      const place = (value, label) => {
        const m = document.createElement("span");
        // The second limit's label goes on a second line, so the two never overlap.
        m.className = marks.childElementCount ? "mark second" : "mark";
        m.textContent = label;
        m.title = label + " = " + fmt(value);
        m.style.left = ((Math.log10(value) + 4) / 5 * 100) + "%";
        marks.appendChild(m);
      };
      let analytic = null;
      if (limit && limit.sgd !== null) {
        place(limit.sgd, "2/L");
        analytic = { value: limit.sgd, name: "2/L" };
        if (run.momentum > 0) {
          place(run.nesterov ? limit.nesterov : limit.momentum, run.nesterov ? "Nesterov" : "2(1+β)/L");
          analytic = run.nesterov ? { value: limit.nesterov, name: "2(1+β)/((1+2β)L)" }
                                  : { value: limit.momentum, name: "2(1+β)/L" };
        }
      }
      const status = panel.querySelector(".status");
      const r = results[i];
      let text = "", bad = false;
      if (!r) {
        text = "";
      } else if (r.error) {
        text = "error: " + r.error;
        bad = true;
      } else {
        const rows = r.rows, first = rows[0][2], last = rows[rows.length - 1][2];
        if (r.divergence) {
          text = "diverged: the loss is no longer finite at step " + r.divergence.step;
          bad = true;
        } else if (r.explosion) {
          text = "diverged: the loss passed 10⁶ × its start at step " + r.explosion.step;
          bad = true;
        } else if (state.function !== "saddle" && last > first) {
          text = "diverging: the loss grew ×" + fmt(last / first) + " in " + (rows.length - 1) + " steps";
          bad = true;
        } else {
          text = "loss " + fmt(first) + " → " + fmt(last) + " after " + (rows.length - 1) + " steps";
        }
        if (analytic && run.lr > analytic.value) {
          text += " — α = " + run.lr + " is above " + analytic.name + " = " + fmt(analytic.value);
          if (!bad) text += " (unstable: it grows once the slow direction has converged)";
        }
      }
      status.textContent = text;
      status.classList.toggle("diverged", bad);
      if (bad) summary.push([i, NAMES[run.optimizer] + " (α " + run.lr + "): " + text]);
    });
    const messages = $("messages");
    messages.textContent = "";
    for (const [i, text] of summary) {
      const p = document.createElement("p");
      p.className = "message diverged";
      p.style.borderLeft = "4px solid " + palette[i % palette.length];
      p.style.paddingLeft = "0.5rem";
      p.textContent = text;
      messages.appendChild(p);
    }
  }

  function draw() {
    drawContours();
    drawLoss();
    drawStatus();
  }

  // ---- Start -------------------------------------------------------------------------------------
  async function main() {
    try {
      const p = await getJSON("/api/palette", new URLSearchParams());
      if (Array.isArray(p.palette) && p.palette.length) palette = p.palette;
    } catch (e) { /* every run in black */ }
    state = parseState(location.search);
    syncGlobalControls();
    buildRunPanels();
    wireGlobalControls();
    await refresh();
    document.body.dataset.ready = "true";
  }
  document.addEventListener("DOMContentLoaded", main);
})();

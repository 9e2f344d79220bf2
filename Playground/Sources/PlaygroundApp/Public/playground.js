// Descent playground: reads the controls, asks the server (/api/…) for every number, and draws.
// No update rule, schedule or stability limit is computed here: the server runs Descent.
"use strict";
(function () {
  // The page's controls (the sliders and boxes in the run template, by option name). Which optimizer
  // takes which, and what each starts at, come from lab's own option table (/api/options, LabKit).
  const CONTROLS = ["momentum", "nesterov", "alpha", "beta1", "beta2", "eps", "amsgrad"];
  let FLAGS = [];      // the controls that are on/off flags, from /api/options
  let PARAMS = {};    // optimizer → the controls it takes, from /api/options
  let DEFAULTS = {};  // optimizer → option → value when not given, from /api/options
  const NAMES = {
    "sgd": "SGD", "adagrad": "AdaGrad", "rmsprop": "RMSprop", "adam": "Adam",
    "article-adagrad": "article AdaGrad", "article-rmsprop": "article RMSprop", "article-adam": "article Adam",
  };
  // Where each function is drawn: its start, its number of steps and each optimizer's first rate
  // (switching the function moves all three there; a rate that works on the quadratic diverges on
  // Rosenbrock's valley, whose curvature reaches about 1,500).
  const FUNCTION_DEFAULTS = {
    quadratic: { start: [-5, -2], steps: 50, lr: { "sgd": 0.4, "adagrad": 1, "rmsprop": 0.1, "adam": 0.3,
                 "article-adagrad": 1, "article-rmsprop": 0.1, "article-adam": 0.3 } },
    rosenbrock: { start: [-1.2, 1], steps: 1000, lr: { "sgd": 0.001, "adagrad": 0.3, "rmsprop": 0.01, "adam": 0.05,
                  "article-adagrad": 0.3, "article-rmsprop": 0.01, "article-adam": 0.05 } },
    saddle: { start: [-3.5, 0.05], steps: 40, lr: { "sgd": 0.1, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1,
              "article-adagrad": 0.5, "article-rmsprop": 0.05, "article-adam": 0.1 } },
  };
  const SCHEDULES = ["constant", "cosine", "step", "exponential", "warmup", "one-cycle"];
  const FUNCTIONS = ["quadratic", "rosenbrock", "saddle"];
  const DEFAULT_STATE = "function=quadratic&condition=20&steps=50&schedule=constant&noise=0&start=-5,-2"
    + "&run=sgd:lr=0.4&run=sgd:lr=0.1,momentum=0.8&run=adam:lr=0.3";
  const MINIMA = { quadratic: [0, 0], rosenbrock: [1, 1], saddle: [0, 0] };
  const MAX_RUNS = 6;

  let palette = ["#000000"];  // replaced at start by the book's palette (/api/palette, from Figures)
  let state = null;
  const results = [];        // per run: {rows, divergence, explosion, error}
  const directions = [];     // per run: /api/directions' answer (quadratic only) or null
  let plane = null;          // /api/momentum-plane's answer for the current κ: {key, …}
  let finder = null;         // /api/find-lr's answer for the range test's run: {key, rows, suggestions} or {error}
  const limits = [];         // per run: {sgd, momentum, nesterov} or null
  let contours = null;       // {key, window, levels}
  const limitCache = new Map();  // query → the answer of /api/limits (they change with κ and β only)
  const sequence = [];       // per run: the number of the latest request, so stale answers are dropped
  const timings = [];        // ms from a control change to the redrawn plots
  window.playgroundTimings = timings;
  const layout = {};         // where the loss plot's legend put each label (the browser tests read it)
  // What the browser tests read (never written by them): the state, each run's rows, the views' data.
  window.playground = { get state() { return state; }, results: results, directions: directions,
                        get plane() { return plane; }, get finder() { return finder; },
                        planePoint: (a, b) => { const f = planeFrame(); return [f.x(a), f.y(b)]; }, layout: layout, labCommand: (i) => labCommand(state.runs[i]) };

  const $ = (id) => document.getElementById(id);
  const sig = (x, n) => Number(Number(x).toPrecision(n || 3));
  const num = (v) => typeof v === "string" ? (v === "inf" ? Infinity : v === "-inf" ? -Infinity : NaN) : v;
  const fmt = (x) => !isFinite(x) ? String(x) : (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0))
    ? x.toExponential(2) : String(sig(x, 4));

  // ---- State ⇄ URL -------------------------------------------------------------------------------
  function defaultsFor(optimizer, fn, color) {
    const run = { optimizer: optimizer, lr: FUNCTION_DEFAULTS[fn || "quadratic"].lr[optimizer], color: color || 0 };
    for (const p of CONTROLS) run[p] = FLAGS.includes(p) ? false : (DEFAULTS[optimizer] || {})[p];
    return run;
  }

  /// Takes lab's option table (/api/options): which controls each optimizer shows, their defaults,
  /// and the optimizer menu.
  function applyOptions(table) {
    const specs = table.commands.optimize;
    const spec = (name) => specs.find((o) => o.name === name);
    const optimizers = spec("optimizer").choices;
    PARAMS = {};
    for (const o of optimizers) PARAMS[o] = CONTROLS.filter((c) => spec(c).optimizers.includes(o));
    DEFAULTS = table.defaults;
    FLAGS = CONTROLS.filter((c) => spec(c).kind === "flag");
    const template = $("run-template").content;
    for (const c of CONTROLS) {
      const label = template.querySelector("." + c).closest("label");
      label.dataset.for = spec(c).optimizers.join(" ");
      label.title = spec(c).help;
    }
    const menu = template.querySelector(".optimizer");
    menu.replaceChildren(...optimizers.map((o) => new Option(NAMES[o] || o, o)));
  }

  // What a URL may set each parameter to (anything else keeps the default: "lr=abc" is not NaN).
  const VALID = {
    lr: (v) => isFinite(v) && v > 0 && v <= 1e6, momentum: (v) => isFinite(v) && v >= 0 && v < 1,
    alpha: (v) => isFinite(v) && v >= 0 && v < 1, beta1: (v) => isFinite(v) && v >= 0 && v < 1,
    beta2: (v) => isFinite(v) && v >= 0 && v < 1, eps: (v) => isFinite(v) && v >= 0 && v <= 1,
    color: (v) => Number.isInteger(v) && v >= 0 && v < MAX_RUNS,
  };

  /// The smallest colour no other run has: a run keeps its colour when another is removed.
  function freeColor(runs) {
    for (let c = 0; c < MAX_RUNS; c++) if (!runs.some((r) => r.color === c)) return c;
    return 0;
  }

  function parseState(search) {
    const q = new URLSearchParams(search);
    const d = new URLSearchParams(DEFAULT_STATE);
    const get = (k) => q.has(k) ? q.get(k) : d.get(k);
    const s = {
      function: get("function"), condition: Number(get("condition")), steps: Number(get("steps")),
      schedule: get("schedule"), noise: Number(get("noise")), start: String(get("start")).split(",").map(Number),
      at: q.has("at") ? Number(q.get("at")) : null, finder: q.has("finder") ? Number(q.get("finder")) : 0, runs: [],
    };
    if (!FUNCTIONS.includes(s.function)) s.function = "quadratic";
    const home = FUNCTION_DEFAULTS[s.function];
    if (!(isFinite(s.condition) && s.condition >= 1 && s.condition <= 1e4)) s.condition = 20;
    if (!(Number.isInteger(s.steps) && s.steps >= 1 && s.steps <= 10000)) s.steps = home.steps;
    if (!SCHEDULES.includes(s.schedule)) s.schedule = "constant";
    if (!(isFinite(s.noise) && s.noise >= 0 && s.noise <= 10)) s.noise = 0;
    if (!(s.start.length === 2 && s.start.every((v) => isFinite(v) && Math.abs(v) <= 1e6))) s.start = home.start.slice();
    if (!(Number.isInteger(s.at) && s.at >= 0 && s.at < s.steps)) s.at = null;
    const specs = q.has("run") ? q.getAll("run") : d.getAll("run");
    for (const spec of specs.slice(0, MAX_RUNS)) {
      const [optimizer, rest] = spec.split(":");
      if (!PARAMS[optimizer]) continue;
      const run = defaultsFor(optimizer, s.function, s.runs.length);
      for (const kv of (rest || "").split(",")) {
        const [k, v] = kv.split("=");
        if (!(k in run) || k === "optimizer") continue;
        if (FLAGS.includes(k)) { run[k] = v === "true"; continue; }
        if (VALID[k] && VALID[k](Number(v))) run[k] = Number(v);
      }
      if (run.momentum === 0) run.nesterov = false;  // PyTorch refuses Nesterov without momentum
      if (s.runs.some((r) => r.color === run.color)) run.color = freeColor(s.runs);
      s.runs.push(run);
    }
    if (!(Number.isInteger(s.finder) && s.finder >= 0 && s.finder < Math.max(1, s.runs.length))) s.finder = 0;
    return s;
  }

  function encodeState(s) {
    const q = new URLSearchParams();
    q.set("function", s.function);
    q.set("condition", String(s.condition));
    q.set("steps", String(s.steps));
    q.set("schedule", s.schedule);
    if (s.noise > 0) q.set("noise", String(s.noise));
    q.set("start", s.start.join(","));
    if (s.at !== null) q.set("at", String(s.at));
    if (s.finder !== 0) q.set("finder", String(s.finder));
    s.runs.forEach((r, i) => {
      const parts = ["lr=" + r.lr].concat(PARAMS[r.optimizer].map((p) => p + "=" + r[p]));
      if (r.color !== i) parts.push("color=" + r.color);  // only after a removal: the default is the position
      q.append("run", r.optimizer + ":" + parts.join(","));
    });
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
      if (FLAGS.includes(p)) { if (run[p]) q.set(p, "true"); } else q.set(p, String(run[p]));
    }
    q.set("schedule", scheduleSpec());
    if (state.noise > 0) q.set("noise", String(state.noise));
    return q;
  }

  /// The run as a shell command: `lab optimize` with the same flags as the API query (the API is lab).
  function labCommand(run) {
    const quote = (v) => /^[A-Za-z0-9_.,:=+\-\/]+$/.test(v) ? v : "'" + v.replace(/'/g, "'\\''") + "'";
    const words = ["lab", "optimize"];
    for (const [k, v] of optimizeQuery(run)) {
      if (FLAGS.includes(k)) { if (v === "true") words.push("--" + k); } else words.push("--" + k, quote(v));
    }
    return words.join(" ");
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
    jobs.push(state.function === "quadratic" && state.steps >= 2
      ? getJSON("/api/directions", optimizeQuery(run)).catch(() => null) : Promise.resolve(null));
    const [result, limit, direction] = await Promise.all(jobs);
    if (sequence[i] !== n) return false;
    results[i] = result;
    limits[i] = limit;
    directions[i] = direction;
    return true;
  }

  /// /api/find-lr's query: the page's function and start, the chosen run's optimizer (its rate is swept).
  function finderQuery() {
    const run = state.runs[state.finder] || state.runs[0];
    const q = optimizeQuery(run);
    for (const k of ["steps", "lr", "schedule", "noise"]) q.delete(k);
    q.set("min-lr", "1e-6");
    q.set("max-lr", "10");
    q.set("steps", "100");
    return q;
  }

  async function loadFinder() {
    if (state.runs.length === 0) { finder = null; return; }
    const q = finderQuery(), key = q.toString();
    if (finder && finder.key === key) return;
    try {
      const f = await getJSON("/api/find-lr", q);
      finder = { key: key, rows: f.rows.map((row) => row.map(num)), suggestions: f.suggestions };
    } catch (e) {
      finder = { key: key, error: e.message };
    }
  }

  async function loadPlane() {
    if (state.function !== "quadratic") return;
    const q = new URLSearchParams({ condition: String(state.condition) });
    const key = q.toString();
    if (plane && plane.key === key) return;
    const p = await getJSON("/api/momentum-plane", q);
    p.key = key;
    plane = p;
  }

  /// Reloads the runs `which` (all when omitted), redraws, and records how long it took.
  async function refresh(which) {
    const t0 = performance.now();
    saveState();
    const indices = which === undefined ? state.runs.map((_, i) => i) : which;
    try {
      await Promise.all([loadContours(), loadPlane(), loadFinder()].concat(indices.map(loadRun)));
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
    $("condition-value").textContent = state.condition + " (a = 2/κ = " + sig(2 / state.condition, 3) + ")";
    $("condition-row").hidden = state.function !== "quadratic";
    $("steps").value = Math.log10(state.steps);
    $("steps-value").textContent = state.steps;
    $("schedule").value = state.schedule;
    $("noise").value = state.noise;
    $("noise-value").textContent = state.noise;
    $("start-value").textContent = "(" + state.start.join(", ") + ")";
    $("step").max = String(state.steps);
    $("step").value = String(state.at === null ? state.steps : state.at);
    $("directions-figure").hidden = state.function !== "quadratic";
    $("plane-figure").hidden = state.function !== "quadratic";
  }

  const color = (run) => palette[run.color % palette.length];

  function buildRunPanels() {
    const holder = $("runs");
    holder.textContent = "";
    state.runs.forEach((run, i) => {
      const panel = $("run-template").content.firstElementChild.cloneNode(true);
      panel.id = "run-" + i;
      panel.querySelector(".swatch").style.background = color(run);
      const opt = panel.querySelector(".optimizer");
      opt.value = run.optimizer;
      opt.addEventListener("change", () => {
        state.runs[i] = defaultsFor(opt.value, state.function, run.color);
        buildRunPanels();
        refresh([i]);
      });
      panel.querySelector(".remove").addEventListener("click", () => {
        state.runs.splice(i, 1);
        for (const list of [results, limits, sequence, directions]) list.splice(i, 1);
        buildRunPanels();
        refresh([]);
      });
      const nesterov = panel.querySelector(".nesterov");
      const nesterovState = () => {
        nesterov.disabled = !(run.momentum > 0);
        nesterov.parentElement.title = nesterov.disabled ? "Nesterov needs momentum β > 0" : "";
      };
      for (const label of panel.querySelectorAll("label[data-for]")) {
        label.hidden = !label.dataset.for.split(" ").includes(run.optimizer);
      }
      const bind = (cls, toValue, fromValue, show) => {
        if (cls !== "lr" && !PARAMS[run.optimizer].includes(cls)) return;  // hidden: this optimizer has no such option
        const input = panel.querySelector("." + cls);
        const out = panel.querySelector("." + cls + "-value");
        const current = () => { if (out) out.textContent = show(run[cls]); };
        if (input.type === "checkbox") input.checked = run[cls]; else input.value = fromValue(run[cls]);
        current();
        input.addEventListener("input", () => {
          run[cls] = input.type === "checkbox" ? input.checked : toValue(Number(input.value));
          if (cls === "momentum") {
            if (!(run.momentum > 0) && run.nesterov) { run.nesterov = false; nesterov.checked = false; }
            nesterovState();
          }
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
      nesterovState();
      showCommand(panel.querySelector(".command"), labCommand(run));
      panel.querySelector(".copy").addEventListener("click", () => copyText(labCommand(run), panel.querySelector(".copy")));
      holder.appendChild(panel);
    });
    $("add-run").disabled = state.runs.length >= MAX_RUNS;
    if (state.finder >= state.runs.length) state.finder = 0;
    const select = $("finder-run");
    select.textContent = "";
    state.runs.forEach((run, i) => {
      const o = document.createElement("option");
      o.value = String(i);
      o.textContent = "run " + (i + 1) + ", " + NAMES[run.optimizer];
      select.appendChild(o);
    });
    select.value = String(state.finder);
  }

  /// The command, each "--flag value" kept on one line when it wraps (its text is the command exactly).
  function showCommand(code, command) {
    code.textContent = "";
    command.split(" --").forEach((part, k) => {
      if (k > 0) code.appendChild(document.createTextNode(" "));
      const span = document.createElement("span");
      span.className = "word";
      span.textContent = (k > 0 ? "--" : "") + part;
      code.appendChild(span);
    });
  }

  /// Copies `text` to the clipboard (or selects it where the page may not write the clipboard).
  function copyText(text, button) {
    const done = () => { button.textContent = "copied"; setTimeout(() => { button.textContent = "copy"; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, () => { button.textContent = "select and copy"; });
    } else {
      const code = button.parentElement.querySelector(".command");
      const range = document.createRange();
      range.selectNodeContents(code);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = "selected: Ctrl+C";
    }
  }

  function setStep(k) {
    state.at = k === null || k >= state.steps ? null : Math.max(0, Math.round(k));
    $("step").value = String(state.at === null ? state.steps : state.at);
    saveState();
    draw();
  }

  function wireGlobalControls() {
    $("function").addEventListener("change", () => {
      // Move the start, the steps and every run's rate to where the new function is drawn.
      state.function = $("function").value;
      const home = FUNCTION_DEFAULTS[state.function];
      state.start = home.start.slice();
      state.steps = home.steps;
      state.at = null;
      for (const run of state.runs) run.lr = home.lr[run.optimizer];
      syncGlobalControls();
      buildRunPanels();
      refresh();
    });
    $("finder-run").addEventListener("change", () => {
      state.finder = Number($("finder-run").value);
      refresh([]);
    });
    const useSuggestion = (name) => {
      const value = finder && finder.suggestions ? finder.suggestions[name] : null;
      if (!(typeof value === "number" && value > 0) || !state.runs[state.finder]) return;
      state.runs[state.finder].lr = sig(value, 3);
      buildRunPanels();
      refresh([state.finder]);
    };
    $("use-steep").addEventListener("click", () => useSuggestion("steep"));
    $("use-tenth").addEventListener("click", () => useSuggestion("min/10"));
    $("noise").addEventListener("input", () => {
      state.noise = Number($("noise").value);
      syncGlobalControls();
      refresh();
    });
    $("step").addEventListener("input", () => { stopPlaying(); setStep(Number($("step").value)); });
    $("play").addEventListener("click", () => { if (playing) stopPlaying(); else play(); });
    for (const id of ["loss", "schedule-plot"]) {
      $(id).addEventListener("mousemove", (event) => {
        const canvas = $(id), rect = canvas.getBoundingClientRect();
        const px = (event.clientX - rect.left) * canvas.width / rect.width;
        const w = canvas.width - PAD.left - PAD.right;
        if (px < PAD.left || px > PAD.left + w) return;
        stopPlaying();
        setStep((px - PAD.left) / w * state.steps);
      });
    }
    $("contour").addEventListener("mousemove", (event) => {
      if (!contours) return;
      const canvas = $("contour"), rect = canvas.getBoundingClientRect();
      const px = (event.clientX - rect.left) * canvas.width / rect.width;
      const py = (event.clientY - rect.top) * canvas.height / rect.height;
      const f = contourFrame();
      let best = null;
      state.runs.forEach((run, i) => {
        const r = results[i];
        if (!r || !r.rows) return;
        for (const row of r.rows) {
          const d = Math.hypot(f.x(row[3]) - px, f.y(row[4]) - py);
          if (isFinite(d) && d < 8 && (!best || d < best.d)) best = { d: d, k: row[0] };
        }
      });
      if (best) { stopPlaying(); setStep(best.k); }
    });
    $("plane").addEventListener("click", (event) => {
      if (!plane) return;
      const canvas = $("plane"), rect = canvas.getBoundingClientRect();
      const px = (event.clientX - rect.left) * canvas.width / rect.width;
      const py = (event.clientY - rect.top) * canvas.height / rect.height;
      const [alpha, beta] = planeFrame().invert(px, py);
      if (!(alpha > 0 && beta >= 0 && beta < 1)) return;
      // The first plain SGD run takes the clicked (α, β); without one, a new SGD run is added.
      let i = state.runs.findIndex((r) => r.optimizer === "sgd");
      if (i < 0) {
        if (state.runs.length >= MAX_RUNS) return;
        state.runs.push(defaultsFor("sgd", state.function, freeColor(state.runs)));
        i = state.runs.length - 1;
      }
      state.runs[i].lr = sig(alpha, 3);
      state.runs[i].momentum = Math.round(beta * 100) / 100;
      if (state.runs[i].momentum === 0) state.runs[i].nesterov = false;
      buildRunPanels();
      refresh([i]);
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
      state.runs.push(defaultsFor("adam", state.function, freeColor(state.runs)));
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

  // ---- Playback ----------------------------------------------------------------------------------
  let playing = null;
  function stopPlaying() {
    if (playing) cancelAnimationFrame(playing.frame);
    playing = null;
    $("play").textContent = "▶ play";
  }
  /// Steps through the run in about three seconds (at least one step per frame).
  function play() {
    const t0 = performance.now();
    playing = { frame: 0 };
    $("play").textContent = "❚❚ pause";
    const tick = (now) => {
      if (!playing) return;
      const k = Math.min(state.steps, Math.floor((now - t0) / 3000 * state.steps));
      setStep(k);
      if (k >= state.steps) { stopPlaying(); return; }
      playing.frame = requestAnimationFrame(tick);
    };
    playing.frame = requestAnimationFrame(tick);
  }

  // ---- Drawing -----------------------------------------------------------------------------------
  const PAD = { left: 50, right: 22, top: 12, bottom: 30 };

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

  /// The frame of the plot area `box` ({left, top, w, h}), the x ticks [px, label] under it with
  /// `xLabel`, the y ticks [py, label] left of it with `yLabel` turned on its side: every plot's axes.
  function drawAxes(ctx, canvas, box, xTicks, yTicks, xLabel, yLabel) {
    ctx.strokeStyle = "#404040";
    ctx.lineWidth = 1;
    ctx.strokeRect(box.left, box.top, box.w, box.h);
    ctx.fillStyle = "#404040";
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    const below = box.top + box.h;
    for (const [px, label] of xTicks) ctx.fillText(label, px, below + 13);
    ctx.fillText(xLabel, box.left + box.w / 2, canvas.height - 3);
    ctx.textAlign = "right";
    for (const [py, label] of yTicks) ctx.fillText(label, box.left - 4, py + 4);
    ctx.save();
    ctx.translate(11, box.top + box.h / 2);
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
    $("contour-caption").textContent = "Paths over the contours (● start, " + (state.function === "saddle"
      ? "+ the saddle point: x² − y² has no minimum" : "★ minimum") + "). Click to move the start; hover over a path to read its steps.";
    // Paths, one colour per run.
    state.runs.forEach((run, i) => {
      const r = results[i];
      if (!r || !r.rows) return;
      ctx.strokeStyle = color(run);
      ctx.fillStyle = color(run);
      ctx.lineWidth = 2;
      ctx.globalAlpha = 0.85;  // a path under another stays visible
      ctx.beginPath();
      let started = false;
      // A run that blew up (its loss past 10⁶ × the start) is drawn up to that step only: beyond it the
      // path is a wall of lines hiding the others.
      // A diverging path stops at its first point outside the window (the rest is off the picture);
      // a converging one that only passes outside (Rosenbrock from its top edge) is drawn whole.
      const last = r.explosion ? r.explosion.step : r.rows.length - 1;
      const diverging = !!(r.explosion || r.divergence) && state.function !== "saddle";
      for (const row of r.rows) {
        const [x, y] = [row[3], row[4]];
        if (!isFinite(x) || !isFinite(y) || row[0] > last) break;
        if (started) ctx.lineTo(f.x(x), f.y(y)); else { ctx.moveTo(f.x(x), f.y(y)); started = true; }
        if (diverging && !inWindow(row)) break;
      }
      ctx.stroke();
      if (r.rows.length <= 200) {
        for (const row of r.rows) {
          if (isFinite(row[3]) && isFinite(row[4])) ctx.fillRect(f.x(row[3]) - 1.5, f.y(row[4]) - 1.5, 3, 3);
        }
      }
      const here = state.at !== null ? r.rows[state.at] : null;
      if (here && isFinite(here[3]) && isFinite(here[4])) {  // the playback's step: a ring on the path
        ctx.lineWidth = 3;
        ctx.beginPath();
        ctx.arc(f.x(here[3]), f.y(here[4]), 7, 0, 2 * Math.PI);
        ctx.stroke();
      }
    });
    ctx.globalAlpha = 1;
    // The minimum (or the saddle point) and the start, on top of the paths.
    const m = MINIMA[state.function];
    ctx.fillStyle = "#000";
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 3;
    ctx.font = "16px system-ui, sans-serif";
    ctx.textAlign = "center";
    const mark = state.function === "saddle" ? "+" : "★";
    ctx.strokeText(mark, f.x(m[0]), f.y(m[1]) + 5);
    ctx.fillText(mark, f.x(m[0]), f.y(m[1]) + 5);
    ctx.fillStyle = "#000";
    ctx.beginPath();
    ctx.arc(f.x(state.start[0]), f.y(state.start[1]), 5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.restore();
    const ticks = (a, b, n) => Array.from({ length: n + 1 }, (_, k) => a + (b - a) * k / n);
    drawAxes(ctx, canvas, { left: PAD.left, top: PAD.top, w: f.w, h: f.h },
      ticks(x0, x1, 4).map((x) => [f.x(x), fmt(x)]), ticks(y0, y1, 4).map((y) => [f.y(y), fmt(y)]), "x", "y");
  }

  /// Round tick values (1, 2 or 5 × 10ᵏ apart) inside [lo, hi], about `n` of them.
  function niceTicks(lo, hi, n) {
    const raw = (hi - lo) / n, p = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * p).find((d) => d >= raw) || 10 * p;
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
    return out;
  }

  /// [log10 value, label] ticks inside [lo, hi] (log10 units): whole powers of ten "1eK" (at most
  /// about six), or 1, 2 and 5 × 10ᵏ when the axis spans less than a decade and a half.
  function logTicks(lo, hi) {
    const out = [];
    if (hi - lo < 1.5) {
      for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
        for (const m of [1, 2, 5]) {
          const v = Math.log10(m) + k;
          if (v >= lo && v <= hi) out.push([v, fmt(m * Math.pow(10, k))]);
        }
      }
      return out;
    }
    const every = Math.max(1, Math.ceil((hi - lo) / 6));
    for (let v = Math.ceil(lo / every) * every; v <= hi; v += every) out.push([v, "1e" + v]);
    return out;
  }

  /// Whether row k of a run is inside the contour plot's window (a saddle run that leaves it has escaped).
  function inWindow(row) {
    if (!contours) return true;
    const [x0, x1, y0, y1] = contours.window;
    return row[3] >= x0 && row[3] <= x1 && row[4] >= y0 && row[4] <= y1;
  }

  /// The rows a curve shows: all of them, except that on the saddle a run stops where it leaves the
  /// window (x² − y² has no minimum: the loss falls without bound, and −10⁷⁰ would flatten the plot).
  function shownRows(r) {
    if (!r || !r.rows) return [];
    if (state.function !== "saddle") return r.rows;
    const out = [];
    for (const row of r.rows) { out.push(row); if (!inWindow(row)) break; }
    return out;
  }

  /// One plot of a column per step for every run: the loss (column 2) or the rate (column 1).
  function drawCurves(canvas, column, yLabel, legend) {
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const series = state.runs.map((run, i) => shownRows(results[i]).map((r) => r[column]));
    const finite = series.flat().filter(isFinite);
    if (finite.length === 0) return null;
    const log = finite.every((v) => v > 0);
    const tr = (v) => log ? Math.log10(v) : v;
    const firsts = series.filter((s) => s.length && isFinite(s[0])).map((s) => tr(s[0]));
    let lo = Math.min(...finite.map(tr)), hi = Math.max(...finite.map(tr));
    if (column === 2) {
      // A run that blows up would flatten everything else: the axis stops at 10⁶ × the highest start.
      const cap = log ? Math.max(...firsts) + 6 : Math.max(...firsts) + 1e6 * Math.max(1, Math.abs(Math.max(...firsts)));
      hi = Math.min(hi, cap);
    }
    if (log) lo = Math.max(lo, hi - 20);
    if (hi <= lo) { const d = log ? 0.5 : Math.max(1e-12, Math.abs(lo) * 0.1); lo -= d; hi += d; }
    { const m = (hi - lo) * 0.04; lo -= m; hi += m; }  // no series lies on the frame
    // The legend goes above the plot in as many lines as it needs, so it covers no data.
    ctx.font = "11px system-ui, sans-serif";
    const lines = [];
    if (legend) {
      let line = [], x = PAD.left;
      state.runs.forEach((run) => {
        const label = runLabel(run), width = 26 + ctx.measureText(label).width;
        if (line.length && x + width > canvas.width - PAD.right) { lines.push(line); line = []; x = PAD.left; }
        line.push({ run: run, label: label, x: x });
        x += width;
      });
      if (line.length) lines.push(line);
      layout.legend = lines.flatMap((l, j) => l.map((item) => ({ x: item.x, width: 18 + ctx.measureText(item.label).width, line: j })));
      layout.width = canvas.width;
    }
    const top = PAD.top + 15 * lines.length + (lines.length ? 2 : 0);
    const w = canvas.width - PAD.left - PAD.right, h = canvas.height - top - PAD.bottom;
    const steps = Math.max(1, state.steps);
    const X = (k) => PAD.left + k / steps * w;
    const Y = (v) => top + (1 - (Math.max(lo, Math.min(hi, tr(v))) - lo) / (hi - lo)) * h;
    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, top, w, h);
    ctx.clip();
    series.forEach((s, i) => {
      const c = color(state.runs[i]);
      ctx.strokeStyle = c;
      ctx.lineWidth = 2;
      ctx.beginPath();
      let k = 0;
      let offScale = -1;
      for (; k < s.length; k++) {
        if (!isFinite(s[k]) || (log && s[k] <= 0)) break;
        if (k === 0) ctx.moveTo(X(k), Y(s[k])); else ctx.lineTo(X(k), Y(s[k]));
        if (tr(s[k]) > hi) { offScale = k; k = s.length; break; }  // past the axis: stop, marked ↑
      }
      ctx.stroke();
      if (offScale >= 0) {
        ctx.fillStyle = color(state.runs[i]);
        ctx.font = "bold 13px system-ui, sans-serif";
        ctx.textAlign = "center";
        ctx.fillText("↑", X(offScale), top + 12);
      }
      ctx.fillStyle = c;
      ctx.font = "bold 14px system-ui, sans-serif";
      ctx.textAlign = "center";
      const r = results[i];
      if (k < s.length) {  // a non-finite loss: mark where the run stopped
        ctx.fillText("×", X(k), top + 12);
      } else if (state.function === "saddle" && r && r.rows && s.length < r.rows.length) {
        ctx.fillText("↓", X(s.length - 1), top + h - 4);  // escaped the window, downhill for ever
      }
    });
    if (state.at !== null) {  // the step of the playback
      ctx.strokeStyle = "#1d2430";
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(X(state.at), top);
      ctx.lineTo(X(state.at), top + h);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.restore();
    const yTicks = (log ? logTicks(lo, hi) : niceTicks(lo, hi, 5).map((v) => [v, fmt(v)])).map(([v, label]) =>
      [top + (1 - (v - lo) / (hi - lo)) * h, label]);
    const xTicks = niceTicks(0, steps, steps < 5 ? steps : 5).filter((k) => Number.isInteger(k)).map((k) => [X(k), String(k)]);
    drawAxes(ctx, canvas, { left: PAD.left, top: top, w: w, h: h }, xTicks, yTicks, "step", yLabel);
    ctx.textAlign = "left";
    lines.forEach((line, j) => {
      for (const item of line) {
        const y = PAD.top + 15 * j;
        ctx.fillStyle = color(item.run);
        ctx.fillRect(item.x, y, 14, 3);
        ctx.fillStyle = "#1d2430";
        ctx.fillText(item.label, item.x + 18, y + 5);
      }
    });
    return { log: log, legendLines: lines.length };
  }

  function drawLoss() {
    const drawn = drawCurves($("loss"), 2, "loss", true);
    if (!drawn) return;
    let caption = drawn.log ? "Loss per step (log scale)." : "Loss per step (linear scale: some losses are ≤ 0).";
    if (state.function === "saddle") {
      caption += " x² − y² has no minimum: a run that escapes the saddle point is cut where it leaves the plotted window (↓).";
    }
    $("loss-caption").textContent = caption;
  }

  function drawSchedule() {
    const drawn = drawCurves($("schedule-plot"), 1, "rate α", false);
    $("schedule-caption").textContent = "The rate each run used at each step (" + $("schedule").selectedOptions[0].text
      + (drawn && drawn.log ? ", log scale" : "") + "); colours as in the loss plot.";
  }

  /// The value of every run at the playback's step (or a hint when playback is off).
  function drawReadout() {
    const out = $("readout");
    out.textContent = "";
    if (state.at === null) {
      out.textContent = "Hover over a path or a curve, drag the step slider or press play to read the values at one step.";
      return;
    }
    const head = document.createElement("p");
    head.textContent = "Step " + state.at + " of " + state.steps + ":";
    out.appendChild(head);
    state.runs.forEach((run, i) => {
      const r = results[i];
      const p = document.createElement("p");
      p.style.borderLeft = "4px solid " + color(run);
      p.style.paddingLeft = "0.4rem";
      p.style.margin = "0.1rem 0";
      const row = r && r.rows ? r.rows[state.at] : null;
      p.textContent = runLabel(run) + ": " + (row
        ? "loss " + fmt(row[2]) + ", rate α = " + fmt(row[1]) + ", at (" + fmt(row[3]) + ", " + fmt(row[4]) + ")"
        : "stopped before this step");
      out.appendChild(p);
    });
  }

  /// Per eigen-direction of the quadratic: its curvature, the contraction per step the closed form
  /// predicts and the run measures, and which one limits the run.
  function drawDirections() {
    const holder = $("directions");
    holder.textContent = "";
    if (state.function !== "quadratic") return;
    const table = document.createElement("table");
    const head = table.insertRow();
    for (const text of ["run", "x: λ = μ", "y: λ = L", "slowest"]) {
      const th = document.createElement("th");
      th.textContent = text;
      head.appendChild(th);
    }
    let any = null;
    state.runs.forEach((run, i) => {
      const d = directions[i];
      if (!d) return;
      any = d;
      const tr = table.insertRow();
      tr.insertCell().textContent = runLabel(run);
      tr.cells[0].style.borderLeft = "4px solid " + color(run);
      for (const dir of d.directions) {
        const cell = tr.insertCell();
        const measured = dir.measured === null ? "—" : fmt(num(dir.measured));
        cell.textContent = (dir.predicted === null ? "" : "ρ = " + fmt(num(dir.predicted)) + " predicted, ")
          + measured + " measured";
        if (dir.measured !== null && num(dir.measured) >= 1) cell.className = "error";
      }
      const lim = d.limiting.predicted || d.limiting.measured;
      tr.insertCell().textContent = lim ? lim + " (λ = " + fmt(d.directions[lim === "x" ? 0 : 1].eigenvalue) + ")" : "—";
    });
    if (!any) return;
    holder.appendChild(table);
    const note = document.createElement("p");
    const gd = any.gradientDescent, hb = any.momentum;
    note.textContent = "Each direction shrinks by its own factor per step; the run is as slow as the larger one. "
      + "Plain gradient descent is fastest at α* = 2/(μ + L) = " + fmt(gd.alpha) + ", where both directions shrink by "
      + "(κ − 1)/(κ + 1) = " + fmt(gd.rate) + " (stable up to 2/L = " + fmt(gd.limit) + "); with momentum, (α*, β*) = ("
      + fmt(hb.alpha) + ", " + fmt(hb.beta) + ") shrinks both by (√κ − 1)/(√κ + 1) = " + fmt(hb.rate) + ".";
    holder.appendChild(note);
  }

  /// The range test: raw and smoothed loss against the rate (log–log when every loss is positive), the
  /// two suggestions as dashed lines, labelled.
  function drawFinder() {
    const canvas = $("finder"), ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.font = "11px system-ui, sans-serif";
    const suggestions = finder && finder.suggestions ? finder.suggestions : {};
    $("use-steep").disabled = !(typeof suggestions.steep === "number");
    $("use-tenth").disabled = !(typeof suggestions["min/10"] === "number");
    $("use-steep").textContent = typeof suggestions.steep === "number" ? "use steepest, α = " + sig(suggestions.steep, 3) : "steepest: none";
    $("use-tenth").textContent = typeof suggestions["min/10"] === "number" ? "use minimum ÷ 10, α = " + sig(suggestions["min/10"], 3) : "minimum ÷ 10: none";
    if (!finder || finder.error || !finder.rows || finder.rows.length < 2) {
      ctx.fillStyle = "#b00020";
      ctx.fillText(finder && finder.error ? "range test: " + finder.error : "", PAD.left, 20);
      return;
    }
    const rows = finder.rows.filter((r) => isFinite(r[1]) && isFinite(r[2]) && isFinite(r[3]));
    const values = rows.flatMap((r) => [r[2], r[3]]);
    const log = values.every((v) => v > 0);
    const tr = (v) => log ? Math.log10(v) : v;
    let lo = Math.min(...values.map(tr)), hi = Math.max(...values.map(tr));
    if (hi <= lo) { lo -= 0.5; hi += 0.5; }
    { const m = (hi - lo) * 0.04; lo -= m; hi += m; }
    const a0 = Math.log10(rows[0][1]), a1 = Math.log10(rows[rows.length - 1][1]);
    const legend = [["loss after each step", 1], ["smoothed (averaging factor 0.98)", 2.5], ["suggestions", -1]];
    const top = PAD.top + 17, w = canvas.width - PAD.left - PAD.right, h = canvas.height - top - PAD.bottom;
    const X = (rate) => PAD.left + (Math.log10(rate) - a0) / Math.max(1e-9, a1 - a0) * w;
    const Y = (v) => top + (1 - (tr(v) - lo) / (hi - lo)) * h;
    const c = color(state.runs[state.finder] || state.runs[0]);
    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, top, w, h);
    ctx.clip();
    for (const [col, width] of [[2, 1], [3, 2.5]]) {
      ctx.strokeStyle = c;
      ctx.globalAlpha = col === 2 ? 0.55 : 1;
      ctx.lineWidth = width;
      ctx.beginPath();
      rows.forEach((r, k) => { if (k === 0) ctx.moveTo(X(r[1]), Y(r[col])); else ctx.lineTo(X(r[1]), Y(r[col])); });
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    ctx.restore();
    const xTicks = [];
    for (let e = Math.ceil(a0); e <= Math.floor(a1); e++) xTicks.push([X(Math.pow(10, e)), "1e" + e]);
    const yTicks = (log ? logTicks(lo, hi) : niceTicks(lo, hi, 4).map((v) => [v, fmt(v)]))
      .map(([v, label]) => [top + (1 - (v - lo) / (hi - lo)) * h, label]);
    drawAxes(ctx, canvas, { left: PAD.left, top: top, w: w, h: h }, xTicks, yTicks, "learning rate α (log scale)", "loss");
    // The suggestions: dashed verticals, labelled inside the plot at the top, left or right of the line.
    ctx.setLineDash([5, 4]);
    ctx.strokeStyle = "#1d2430";
    // The smaller rate's label goes left of its line, the larger's right of it, so neither crosses a line.
    const marks = [["steep", "steepest"], ["min/10", "min ÷ 10"]]
      .filter(([name]) => typeof suggestions[name] === "number" && suggestions[name] > 0)
      .sort((a, b) => suggestions[a[0]] - suggestions[b[0]]);
    marks.forEach(([name, label], k) => {
      const v = suggestions[name], x = X(v);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + h);
      ctx.stroke();
      ctx.fillStyle = "#1d2430";
      const text = label + " " + sig(v, 3), width = ctx.measureText(text).width;
      const right = k === marks.length - 1 && marks.length > 1 ? x + 4 + width < PAD.left + w : x - 4 - width < PAD.left;
      ctx.textAlign = right ? "left" : "right";
      ctx.fillText(text, right ? x + 4 : x - 4, top + 12);
    });
    ctx.setLineDash([]);
    // Legend above the plot.
    let lx = PAD.left;
    ctx.textAlign = "left";
    for (const [label, width] of legend) {
      ctx.strokeStyle = width > 0 ? c : "#1d2430";
      ctx.lineWidth = Math.abs(width);
      ctx.globalAlpha = width === 1 ? 0.55 : 1;
      if (width < 0) ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(lx, PAD.top + 3);
      ctx.lineTo(lx + 16, PAD.top + 3);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
      ctx.fillStyle = "#1d2430";
      ctx.fillText(label, lx + 20, PAD.top + 7);
      lx += 32 + ctx.measureText(label).width;
    }
  }

  const PLANE_PAD = { left: 48, right: 70, top: 10, bottom: 34 };
  function planeFrame() {
    const canvas = $("plane");
    const a1 = plane.alphas[plane.alphas.length - 1] * (1 + 0.5 / plane.alphas.length), b1 = 0.99;
    const w = canvas.width - PLANE_PAD.left - PLANE_PAD.right, h = canvas.height - PLANE_PAD.top - PLANE_PAD.bottom;
    return {
      // β from −0.03: a marker at β = 0 is not cut by the frame.
      x: (a) => PLANE_PAD.left + a / a1 * w, y: (b) => PLANE_PAD.top + (1 - (b + 0.03) / (b1 + 0.03)) * h,
      w: w, h: h, a1: a1, b1: b1,
      invert: (px, py) => [(px - PLANE_PAD.left) / w * a1, (1 - (py - PLANE_PAD.top) / h) * (b1 + 0.03) - 0.03],
    };
  }

  // Viridis at five stops (matplotlib's), as the book's heat maps: dark = fast.
  const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  function viridis(t) {
    t = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
    const i = Math.min(VIRIDIS.length - 2, Math.floor(t)), u = t - i;
    return "rgb(" + VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * u)).join(",") + ")";
  }

  /// Chapter 9's picture: heavy ball's measured rate per step over (α, β), the stability limit
  /// α = 2(1 + β)/L, the optimum (α*, β*), gradient descent's best, and every SGD run of the page.
  function drawPlane() {
    const canvas = $("plane"), ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (!plane || state.function !== "quadratic") return;
    const f = planeFrame();
    const lo = Math.min(...plane.rates.flat()), span = Math.max(1e-9, 1 - lo);
    plane.fastest = lo;
    const da = plane.alphas[1] - plane.alphas[0], db = plane.betas[1] - plane.betas[0];
    plane.betas.forEach((b, j) => plane.alphas.forEach((a, i) => {
      // No convergence (rate 1) in grey, apart from slow convergence (yellow).
      ctx.fillStyle = plane.rates[j][i] >= 1 ? "#c8c8c8" : viridis((plane.rates[j][i] - lo) / span);
      const x0 = f.x(a - da / 2), x1 = f.x(a + da / 2), y0 = f.y(Math.min(f.b1, b + db / 2)), y1 = f.y(Math.max(0, b - db / 2));
      ctx.fillRect(Math.floor(x0), Math.floor(y0), Math.ceil(x1 - x0) + 1, Math.ceil(y1 - y0) + 1);
    }));
    ctx.save();
    ctx.beginPath();
    ctx.rect(PLANE_PAD.left, PLANE_PAD.top, f.w, f.h);
    ctx.clip();
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 2;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    ctx.moveTo(f.x(2 / plane.L), f.y(0));
    ctx.lineTo(f.x(2 * (1 + f.b1) / plane.L), f.y(f.b1));
    ctx.stroke();
    ctx.setLineDash([]);
    const dot = (a, b, fill, stroke, r) => {
      ctx.beginPath();
      ctx.arc(f.x(a), f.y(b), r, 0, 2 * Math.PI);
      ctx.fillStyle = fill;
      ctx.fill();
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    };
    state.runs.forEach((run) => {
      if (run.optimizer !== "sgd") return;
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 4;
      const x = f.x(Math.min(run.lr, f.a1)), y = f.y(run.momentum);
      ctx.beginPath(); ctx.moveTo(x - 6, y - 6); ctx.lineTo(x + 6, y + 6); ctx.moveTo(x + 6, y - 6); ctx.lineTo(x - 6, y + 6); ctx.stroke();
      ctx.strokeStyle = color(run);
      ctx.lineWidth = 2;
      ctx.stroke();
    });
    // The formulas' optimum and gradient descent's best, on top of the runs' crosses.
    dot(plane.optimum.alpha, plane.optimum.beta, "#000", "#fff", 6);
    dot(plane.gradientDescent.alpha, 0, "#fff", "#000", 5);
    ctx.restore();
    drawAxes(ctx, canvas, { left: PLANE_PAD.left, top: PLANE_PAD.top, w: f.w, h: f.h },
      niceTicks(0, f.a1, 5).map((a) => [f.x(a), String(sig(a, 2))]),
      [0, 0.2, 0.4, 0.6, 0.8].map((b) => [f.y(b), String(b)]), "learning rate α", "momentum β");
    // Colour bar: the rate per step, from the fastest cell (dark) to 1 (no convergence).
    const bx = canvas.width - PLANE_PAD.right + 12;
    for (let y = 0; y < f.h; y++) {
      ctx.fillStyle = viridis(1 - y / f.h);
      ctx.fillRect(bx, PLANE_PAD.top + y, 12, 1);
    }
    ctx.strokeRect(bx, PLANE_PAD.top, 12, f.h);
    ctx.fillStyle = "#404040";
    ctx.textAlign = "left";
    for (const v of niceTicks(lo, 1, 4).concat([lo])) {
      if (v < lo || v > 1) continue;
      ctx.fillText(String(sig(v, 3)), bx + 16, PLANE_PAD.top + (1 - (v - lo) / span) * f.h + 4);
    }
    ctx.save();
    ctx.translate(canvas.width - 8, PLANE_PAD.top + f.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.fillText("rate per step", 0, 0);
    ctx.restore();
  }

  function runLabel(run) {
    let s = (state.runs.length > 1 ? (state.runs.indexOf(run) + 1) + ". " : "") + NAMES[run.optimizer] + " α=" + run.lr;
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
          place(run.nesterov ? limit.nesterov : limit.momentum, run.nesterov ? "2(1+β)/((1+2β)L)" : "2(1+β)/L");
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
        const left = state.function === "saddle" ? rows.findIndex((row) => !inWindow(row)) : -1;
        if (left >= 0) {
          text = "escaped the saddle: left the plotted window at step " + left + " (f = x² − y² has no minimum, so the "
            + "loss falls without bound; that is the expected end, not a divergence)";
        } else if (state.function === "saddle" && r.divergence) {
          text = "escaped the saddle: the loss fell to −∞ at step " + r.divergence.step + " (no minimum: not a divergence)";
        } else if (r.divergence) {
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
      p.style.borderLeft = "4px solid " + color(state.runs[i]);
      p.style.paddingLeft = "0.5rem";
      p.textContent = text;
      messages.appendChild(p);
    }
  }

  function draw() {
    drawContours();
    drawLoss();
    drawSchedule();
    drawReadout();
    drawDirections();
    drawFinder();
    drawPlane();
    drawStatus();
    for (const [i, run] of state.runs.entries()) {
      const panel = $("run-" + i);
      if (panel) showCommand(panel.querySelector(".command"), labCommand(run));
    }
  }

  // ---- Start -------------------------------------------------------------------------------------
  async function main() {
    try {
      const p = await getJSON("/api/palette", new URLSearchParams());
      if (Array.isArray(p.palette) && p.palette.length) palette = p.palette;
    } catch (e) { /* every run in black */ }
    try {
      applyOptions(await getJSON("/api/options", new URLSearchParams()));
    } catch (e) {
      document.body.dataset.ready = "error";
      $("runs").textContent = "The playground could not load lab's options from the server: " + e.message;
      return;
    }
    state = parseState(location.search);
    syncGlobalControls();
    buildRunPanels();
    wireGlobalControls();
    await refresh();
    document.body.dataset.ready = "true";
  }
  document.addEventListener("DOMContentLoaded", main);
})();

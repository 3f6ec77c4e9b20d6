// The roadmap of a project (projects/gantt.html), drawn with frappe-gantt 1.2 (vendor/frappe-gantt).
// The data comes from the chart endpoint (data-url); a drag posts the new dates to data-move-url, which
// re-plans the chain on the server: 200 → reload and say how many items shifted; 409 → the warnings in a
// dialog, "Move anyway" re-posts with confirm, "Cancel" puts the bars back; 400/403 → the message.
// Dates are always worked out here from the bar's pixels, because the library rounds to whole months in
// the month and quarter scales.
(function () {
  "use strict";
  const root = document.getElementById("gantt-chart");
  if (!root || typeof window.Gantt === "undefined") return;
  const Gantt = window.Gantt;
  const L = JSON.parse(document.getElementById("gantt-labels").textContent);
  const statusBox = document.getElementById("gantt-status");
  const editable = root.dataset.editable === "1";
  const DAY = 86400000;
  const STEP_DAYS = { Week: 7, Month: 30, Quarter: 90 };
  let chart = null;
  let raw = null; // the last answer of the chart endpoint, as text (to put the bars back without a request)
  let mode = "Month";
  let pending = null; // the bar being dragged: {id, x0, w0}
  let baseline = root.dataset.baseline || "";

  // ---- dates ------------------------------------------------------------------------------------------
  const parseIso = (s) => { const [y, m, d] = s.split("-").map(Number); return new Date(y, m - 1, d); };
  const pad = (n) => String(n).padStart(2, "0");
  const iso = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const ru = (s) => { const d = parseIso(s); return `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()}`; };
  const addDays = (d, n) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
  const daysBetween = (a, b) => Math.round((b - a) / DAY);
  const monthsBetween = (a, b) => (b.getFullYear() - a.getFullYear()) * 12 + b.getMonth() - a.getMonth();

  // ---- speed with thousands of rows ----------------------------------------------------------------------
  // frappe-gantt 1.2 looks bars and tasks up by scanning arrays and pairs every arrow with every bar (n × m);
  // these replacements index them once per render and give the same answers.
  function indexed(listName, key) {
    return function (id) {
      const list = this[listName];
      if (this[`_kr_${listName}_of`] !== list) {
        this[`_kr_${listName}`] = new Map(list.map((x) => [key(x), x]));
        this[`_kr_${listName}_of`] = list;
      }
      return this[`_kr_${listName}`].get(id);
    };
  }
  Gantt.prototype.get_task = indexed("tasks", (t) => t.id);
  Gantt.prototype.get_bar = indexed("bars", (b) => b.task.id);
  Gantt.prototype.map_arrows_on_bars = function () {
    const by = new Map(this.bars.map((b) => [b.task.id, []]));
    for (const a of this.arrows) {
      by.get(a.from_task.task.id).push(a);
      if (a.to_task.task.id !== a.from_task.task.id) by.get(a.to_task.task.id).push(a);
    }
    for (const b of this.bars) b.arrows = by.get(b.task.id);
  };

  // Each bar places its label in its own animation frame, measuring it after the previous one moved: a layout
  // per bar. Rendering with the frames held back and placing every label in one read pass and one write pass
  // does the same in one layout.
  function rendering(fn) {
    const raf = window.requestAnimationFrame;
    window.requestAnimationFrame = () => 0;
    try { fn(); } finally { window.requestAnimationFrame = raf; }
    // the growing bars' animation (two SMIL elements a bar) only costs paint time here
    root.querySelectorAll(".gantt animate").forEach((el) => el.remove());
    const labels = chart.bars.map((bar) => bar.group.querySelector(".bar-label"));
    const widths = measure(chart.bars, labels);
    chart.bars.forEach((bar, i) => {
      const x = bar.$bar.getX(), w = bar.$bar.getWidth(), big = widths[i] > w;
      labels[i].classList.toggle("big", big);
      labels[i].setAttribute("x", big ? x + w + 5 : x + w / 2 - widths[i] / 2);
    });
    decorate();
  }

  // label widths from a canvas in the labels' font: no layout of the (tall) chart is needed for them
  const ruler = document.createElement("canvas").getContext("2d");
  function measure(bars, labels) {
    if (!labels.length) return [];
    const style = window.getComputedStyle(labels[0]);
    const font = (weight) => `${style.fontStyle} ${weight} ${style.fontSize} ${style.fontFamily}`;
    const widths = new Array(labels.length);
    for (const [weight, critical] of [[style.fontWeight, false], ["600", true]]) {  // gantt.css: critical labels
      ruler.font = font(weight);
      labels.forEach((label, i) => {
        if (bars[i].task._classes.includes("critical") === critical) widths[i] = ruler.measureText(label.textContent).width;
      });
    }
    return widths;
  }

  // ---- the scales: frappe-gantt's week and month, and a quarter scale it lacks -------------------------
  // Padding is set per load so that the chart starts on a Monday / a quarter's first month and takes in
  // today and the baseline's dates as well as the plan's.
  function viewModes(span) {
    const first = span.first, last = span.last;
    const weekStart = addDays(first, -((first.getDay() + 6) % 7) - 14);
    const startMonth = new Date(first.getFullYear(), first.getMonth(), 1);
    const quarterStart = new Date(first.getFullYear(), first.getMonth() - (first.getMonth() % 3) - 3, 1);
    const week = Object.assign({}, Gantt.VIEW_MODE.WEEK, {
      padding: [`${daysBetween(weekStart, span.minTask)}d`, `${Math.max(0, daysBetween(span.maxTask, last)) + 28}d`],
      snap_at: "1d",
    });
    const month = Object.assign({}, Gantt.VIEW_MODE.MONTH, {
      padding: [`${monthsBetween(startMonth, span.minTask) + 1}m`, `${Math.max(0, monthsBetween(span.maxTask, last)) + 2}m`],
      snap_at: "1d",
    });
    const quarter = {
      name: "Quarter", step: "3m", column_width: 120, date_format: "YYYY-MM", snap_at: "7d",
      padding: [`${monthsBetween(quarterStart, span.minTask)}m`, `${Math.max(0, monthsBetween(span.maxTask, last)) + 4}m`],
      lower_text: (d) => L.quarters[Math.floor(d.getMonth() / 3)],
      upper_text: (d, ld) => (!ld || d.getFullYear() !== ld.getFullYear() ? String(d.getFullYear()) : ""),
      thick_line: (d) => d.getMonth() === 0,
    };
    const all = { Week: week, Month: month, Quarter: quarter };
    // the library opens on the first mode of the list
    return [all[mode], ...Object.values(all).filter((m) => m.name !== mode)];
  }

  function spanOf(tasks, today) {
    let minTask = null, maxTask = null, first = today, last = today;
    for (const t of tasks) {
      const s = parseIso(t.start), e = parseIso(t.end);
      if (!minTask || s < minTask) minTask = s;
      if (!maxTask || e > maxTask) maxTask = e;
      for (const d of [s, e].concat(t.baseline_start ? [parseIso(t.baseline_start), parseIso(t.baseline_end)] : [])) {
        if (d < first) first = d;
        if (d > last) last = d;
      }
    }
    return { minTask: minTask || today, maxTask: maxTask || today, first, last };
  }

  // ---- the pixel ↔ date arithmetic of frappe-gantt (date_utils.diff), to place and read bars --------------
  function unitsFromStart(d) {
    const start = chart.gantt_start;
    if (chart.config.unit === "month") return monthsBetween(start, d) + d.getDate() / 31;
    return daysBetween(start, d);
  }
  const xOf = (d) => (unitsFromStart(d) / chart.config.step) * chart.config.column_width;
  function dateAt(x) {
    const units = (x / chart.config.column_width) * chart.config.step;
    const start = chart.gantt_start;
    if (chart.config.unit !== "month") return addDays(start, Math.round(units));
    const whole = Math.floor(units);
    return new Date(start.getFullYear(), start.getMonth() + whole, Math.round((units - whole) * 31));
  }

  // ---- drawing ------------------------------------------------------------------------------------------
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, parent) {
    const el = document.createElementNS(SVG, tag);
    for (const k in attrs) el.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(el);
    return el;
  }

  function describe(task) {
    const lines = [task.label, `${L.planned}: ${ru(task.start)} – ${ru(task.real_end || task.end)}`, `${L.progress}: ${task.progress} %`];
    if (task.float !== null && task.float !== undefined) lines.push(`${L.float}: ${task.float}`);
    if (task.critical) lines.push(L.critical);
    if (task._classes.includes("late")) lines.push(L.late);
    if (task._classes.includes("done")) lines.push(L.done);
    if (task.baseline_start) {
      lines.push(`${L.baseline}: ${ru(task.baseline_start)} – ${ru(task.baseline_end)}`);
      lines.push(`${L.slip}: ${task.slip > 0 ? "+" : ""}${task.slip}`);
    } else if (baseline) lines.push(L.not_in_baseline);
    return lines;
  }

  function diamond(bar) {
    const x = bar.$bar.getX() + bar.$bar.getWidth() / 2, y = bar.$bar.getY() + bar.height / 2, r = bar.height / 2.6;
    return `M ${x} ${y - r} L ${x + r} ${y} L ${x} ${y + r} L ${x - r} ${y} Z`;
  }

  function decorate() {
    const ghosts = svg("g", { class: "kr-baselines" });
    chart.layers.bar.before(ghosts);
    for (const bar of chart.bars) {
      const task = bar.task;
      for (const c of task._classes) bar.group.classList.add(c);
      svg("title", {}, bar.group).textContent = describe(task).join("\n");
      if (task._classes.includes("milestone")) {
        bar.kr_diamond = svg("path", { class: "kr-diamond", d: diamond(bar) }, bar.bar_group);
      }
      if (task.baseline_start) {
        const x = xOf(parseIso(task.baseline_start));
        const w = Math.max(2, xOf(addDays(parseIso(task.baseline_end), 1)) - x);
        svg("rect", { class: "kr-ghost", x, y: bar.$bar.getY() + bar.height + 1, width: w, height: 4, rx: 1 }, ghosts);
      }
      bar.kr_x0 = bar.$bar.getX();
      bar.kr_w0 = bar.$bar.getWidth();
    }
  }

  function popup(ctx) {
    const lines = describe(ctx.task);
    ctx.get_title().textContent = lines[0];
    ctx.get_subtitle().textContent = ctx.task.kind;
    const details = ctx.get_details();
    details.replaceChildren(...lines.slice(1).map((line) => {
      const div = document.createElement("div");
      div.textContent = line;
      return div;
    }));
  }

  // the chart scrolls inside a box as high as the window allows (its header stays in sight); a short plan
  // takes only the height it needs
  function height(rows) {
    const needed = 85 + 14 + rows * 36 + 20;
    const most = Math.max(360, Math.min(window.innerHeight - 120, 900));
    return needed < most ? "auto" : most;
  }

  function prepare(data) {
    // frappe-gantt puts the name into the SVG with innerHTML and adds custom_class with classList.add (one
    // token only): escape the one, split the other
    const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    // frappe-gantt silently leaves out a bar longer than ten years and then fails on the arrows to it: such an
    // item (a long programme's stage) is drawn cut at nine years and a half, its real dates in its details
    const longest = 3467 * 24 * 3600 * 1000;
    return data.tasks.map((t) => {
      const classes = t.custom_class ? t.custom_class.split(" ") : [];
      let end = t.end;
      if (parseIso(t.end) - parseIso(t.start) > longest) {
        const cut = new Date(parseIso(t.start).getTime() + longest);
        end = `${cut.getFullYear()}-${pad(cut.getMonth() + 1)}-${pad(cut.getDate())}`;
      }
      return Object.assign({}, t, { name: escape(t.name), label: t.name, _classes: classes, end, real_end: t.end,
                                    custom_class: classes.length ? "kr-item" : "" });
    });
  }

  function draw() {
    const data = JSON.parse(raw);
    const tasks = prepare(data);
    root.classList.toggle("kr-readonly", !data.editable);
    if (!tasks.length) {
      root.replaceChildren(Object.assign(document.createElement("p"), { textContent: L.empty }));
      chart = null;
      return;
    }
    const today = parseIso(data.today);
    const span = spanOf(tasks, today);
    const modes = viewModes(span);
    // today when the plan runs through it; otherwise where the plan begins (a plan of next year opens on it)
    const within = today >= span.minTask && today <= span.maxTask;
    const scrollTo = within ? "today" : span.minTask;
    const options = {
      view_modes: modes, language: document.documentElement.lang || "ru", infinite_padding: false,
      bar_height: 22, padding: 14, container_height: height(tasks.length),
      readonly: !data.editable, readonly_progress: true, move_dependencies: false, holidays: null,
      today_button: false, view_mode_select: false, popup_on: "click", popup, lines: "vertical",
      scroll_to: scrollTo, on_date_change: (task) => track(task),
    };
    if (chart) {
      chart.options.view_modes = modes;
      chart.options.view_mode = modes[0].name;
      rendering(() => chart.refresh(tasks));
    } else {
      root.replaceChildren();
      rendering(() => {
        chart = new Gantt(root, tasks, options);
        root.krGantt = chart; // for the browser tests
        leanScroll();
      });
    }
  }

  // frappe-gantt measures every bar (getBBox) on each scroll event to place its "back to the bars" button;
  // reading the bars' attributes instead keeps scrolling smooth with thousands of rows
  function leanScroll() {
    chart.get_start_end_positions = function () {
      if (!this.bars.length) return [0, 0, 0];
      let min = Infinity, maxStart = -Infinity, maxEnd = -Infinity;
      for (const b of this.bars) {
        const x = b.$bar.getX(), w = b.$bar.getWidth();
        if (x < min) min = x;
        if (x > maxStart) maxStart = x;
        if (x + w > maxEnd) maxEnd = x + w;
      }
      return [min, maxStart, maxEnd];
    };
  }

  // ---- loading and moving -------------------------------------------------------------------------------
  function say(text, kind) {
    statusBox.replaceChildren();
    if (!text) return;
    const div = document.createElement("div");
    div.className = `alert alert-${kind || "info"} py-2 mb-2`;
    if (kind === "danger") div.setAttribute("role", "alert");
    div.textContent = text;
    statusBox.appendChild(div);
  }

  async function load() {
    const url = new URL(root.dataset.url, window.location.href);
    if (baseline) url.searchParams.set("baseline", baseline);
    try {
      // the same request as the page's <link rel="preload">, so that the browser reuses its answer
      const answer = await fetch(url, { credentials: "same-origin" });
      const text = await answer.text();
      if (!answer.ok) {
        let message = L.failed;
        try { message = JSON.parse(text).error || message; } catch (e) { /* not JSON */ }
        say(message, "danger");
        return;
      }
      raw = text;
      const started = performance.now();
      try {
        draw();
      } catch (e) {
        say(L.unDrawn, "danger");  // the answer came; the drawing failed (not "the request failed")
        return;
      }
      root.dataset.renderMs = String(Math.round(performance.now() - started));
      // the chart's own scrolling box: reachable and scrollable from the keyboard
      const box = root.querySelector(".gantt-container");
      if (box) {
        box.tabIndex = 0;
        box.setAttribute("aria-label", root.getAttribute("aria-label") || "");
      }
      root.dataset.ready = "1";
    } catch (e) {
      say(L.failed, "danger");
    }
  }

  function track(task) {
    if (!editable) return;
    const bar = chart.get_bar(task.id);
    pending = { id: task.id, bar };
    if (bar.kr_diamond) bar.kr_diamond.setAttribute("d", diamond(bar));
  }

  function proposal(p) {
    const bar = p.bar, task = bar.task;
    const x = bar.$bar.getX(), w = bar.$bar.getWidth();
    const moved = Math.abs(x - bar.kr_x0) >= 0.5, resized = Math.abs(w - bar.kr_w0) >= 0.5;
    if (!moved && !resized) return null;
    const oldStart = parseIso(task.start), oldEnd = parseIso(task.end);
    let start = moved ? dateAt(x) : oldStart;
    let finish;
    if (!resized) finish = addDays(start, daysBetween(oldStart, oldEnd));
    else if (moved) finish = oldEnd; // the left edge was dragged
    else finish = addDays(start, Math.max(1, Math.round((w / chart.config.column_width) * STEP_DAYS[mode])) - 1);
    if (task._classes.includes("milestone")) start = finish;
    if (finish < start) finish = start;
    return { item: Number(task.id), start: iso(start), finish: iso(finish) };
  }

  async function post(move, confirm) {
    say(L.saving, "secondary");
    let answer, body = {};
    try {
      answer = await fetch(root.dataset.moveUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": root.dataset.csrf },
        body: JSON.stringify(Object.assign({}, move, { confirm: !!confirm })),
      });
      try { body = await answer.json(); } catch (e) { body = {}; }
    } catch (e) {
      say(L.failed, "danger");
      draw();
      return;
    }
    if (answer.ok) {
      say(body.message, "success");
      await load();
    } else if (answer.status === 409 && body.confirm) {
      ask(move, body);
    } else {
      say(body.error || L.failed, "danger");
      draw(); // back to the stored dates
    }
  }

  function ask(move, body) {
    say("");
    const dialog = document.getElementById("gantt-confirm");
    document.getElementById("gantt-confirm-text").textContent = body.message || "";
    document.getElementById("gantt-confirm-warnings").replaceChildren(...(body.warnings || []).map((w) => {
      const li = document.createElement("li");
      li.textContent = w;
      return li;
    }));
    const modal = window.bootstrap.Modal.getOrCreateInstance(dialog);
    let decided = false;
    const go = document.getElementById("gantt-confirm-go");
    const onGo = () => { decided = true; modal.hide(); post(move, true); };
    go.addEventListener("click", onGo, { once: true });
    dialog.addEventListener("hidden.bs.modal", () => {
      go.removeEventListener("click", onGo);
      if (!decided) { say(L.cancelled, "secondary"); draw(); }
    }, { once: true });
    modal.show();
  }

  function dragEnded() {
    if (!pending) return;
    const p = pending;
    pending = null;
    const move = proposal(p);
    if (move) { chart.hide_popup(); post(move, false); }
  }

  // ---- the controls -------------------------------------------------------------------------------------
  document.addEventListener("mouseup", () => setTimeout(dragEnded, 0));
  document.querySelectorAll("#gantt-zoom [data-mode]").forEach((button) => {
    button.addEventListener("click", () => {
      mode = button.dataset.mode;
      document.querySelectorAll("#gantt-zoom [data-mode]").forEach((b) => {
        b.setAttribute("aria-pressed", String(b === button));
        b.classList.toggle("active", b === button);
      });
      if (chart) rendering(() => chart.change_view_mode(mode));
    });
  });
  document.querySelector('#gantt-zoom [data-mode="Month"]').classList.add("active");
  document.getElementById("gantt-today").addEventListener("click", () => chart && chart.scroll_current());
  const select = document.getElementById("gantt-baseline");
  const pdfLink = document.getElementById("gantt-pdf");
  document.getElementById("gantt-baseline-show").classList.add("visually-hidden");
  select.addEventListener("change", () => {
    baseline = select.value;
    const pdf = new URL(pdfLink.href, window.location.href);
    if (baseline) pdf.searchParams.set("baseline", baseline); else pdf.searchParams.delete("baseline");
    pdfLink.href = pdf.pathname + pdf.search;
    const page = new URL(window.location.href);
    if (baseline) page.searchParams.set("baseline", baseline); else page.searchParams.delete("baseline");
    window.history.replaceState(null, "", page.pathname + page.search);
    load();
  });
  load();
})();

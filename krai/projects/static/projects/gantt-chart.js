// The roadmap of a project (projects/gantt.html), drawn with frappe-gantt 1.2 (vendor/frappe-gantt), in three
// plain scripts sharing one namespace, window.KraiGantt, loaded in this order:
//   gantt-chart.js  the options, the scales, the data preparation, the drawing and the speed-ups of
//                   frappe-gantt's internals (this file: it creates the namespace);
//   gantt-move.js   the drag tracking, posting a move and the confirmation dialog;
//   gantt.js        the start-up: loading the data, the status messages and the controls.
// The shared state lives on the namespace: chart (the Gantt), raw (the last answer of the chart endpoint, as
// text, to put the bars back without a request), mode (the scale) and baseline (the chosen baseline's id).
(function () {
  "use strict";
  const root = document.getElementById("gantt-chart");
  if (!root || typeof window.Gantt === "undefined") return;
  const Gantt = window.Gantt;
  const L = JSON.parse(document.getElementById("gantt-labels").textContent);
  const DAY = 86400000;
  const K = window.KraiGantt = {
    root, L, editable: root.dataset.editable === "1",
    chart: null, raw: null, mode: "Month", baseline: root.dataset.baseline || "",
  };

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
    const labels = K.chart.bars.map((bar) => bar.group.querySelector(".bar-label"));
    const widths = measure(K.chart.bars, labels);
    K.chart.bars.forEach((bar, i) => {
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
    return [all[K.mode], ...Object.values(all).filter((m) => m.name !== K.mode)];
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
    const start = K.chart.gantt_start;
    if (K.chart.config.unit === "month") return monthsBetween(start, d) + d.getDate() / 31;
    return daysBetween(start, d);
  }
  const xOf = (d) => (unitsFromStart(d) / K.chart.config.step) * K.chart.config.column_width;
  function dateAt(x) {
    const units = (x / K.chart.config.column_width) * K.chart.config.step;
    const start = K.chart.gantt_start;
    if (K.chart.config.unit !== "month") return addDays(start, Math.round(units));
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
    } else if (K.baseline) lines.push(L.not_in_baseline);
    return lines;
  }

  function diamond(bar) {
    const x = bar.$bar.getX() + bar.$bar.getWidth() / 2, y = bar.$bar.getY() + bar.height / 2, r = bar.height / 2.6;
    return `M ${x} ${y - r} L ${x + r} ${y} L ${x} ${y + r} L ${x - r} ${y} Z`;
  }

  function decorate() {
    const ghosts = svg("g", { class: "kr-baselines" });
    K.chart.layers.bar.before(ghosts);
    for (const bar of K.chart.bars) {
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

  // (re)draws the chart from K.raw, in the scale K.mode
  function draw() {
    const data = JSON.parse(K.raw);
    const tasks = prepare(data);
    root.classList.toggle("kr-readonly", !data.editable);
    if (!tasks.length) {
      root.replaceChildren(Object.assign(document.createElement("p"), { textContent: L.empty }));
      K.chart = null;
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
      scroll_to: scrollTo, on_date_change: (task) => K.track(task),  // gantt-move.js
    };
    if (K.chart) {
      K.chart.options.view_modes = modes;
      K.chart.options.view_mode = modes[0].name;
      rendering(() => K.chart.refresh(tasks));
    } else {
      root.replaceChildren();
      rendering(() => {
        K.chart = new Gantt(root, tasks, options);
        root.krGantt = K.chart; // for the browser tests
        leanScroll();
      });
    }
  }

  // frappe-gantt measures every bar (getBBox) on each scroll event to place its "back to the bars" button;
  // reading the bars' attributes instead keeps scrolling smooth with thousands of rows
  function leanScroll() {
    K.chart.get_start_end_positions = function () {
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

  Object.assign(K, { parseIso, iso, addDays, daysBetween, dateAt, diamond, rendering, draw });
})();

// Moving items on the roadmap (projects/gantt.html; see gantt-chart.js for the three scripts). A drag posts
// the new dates to data-move-url, which re-plans the chain on the server: 200 → reload and say how many items
// shifted; 409 → the warnings in a dialog, "Move anyway" re-posts with confirm, "Cancel" puts the bars back;
// 400/403 → the message. Dates are always worked out here from the bar's pixels, because the library rounds
// to whole months in the month and quarter scales.
(function () {
  "use strict";
  const K = window.KraiGantt;
  if (!K) return;
  const root = K.root, L = K.L;
  const STEP_DAYS = { Week: 7, Month: 30, Quarter: 90 };
  let pending = null; // the bar being dragged: {id, bar}

  // frappe-gantt's on_date_change, during a drag
  function track(task) {
    if (!K.editable) return;
    const bar = K.chart.get_bar(task.id);
    pending = { id: task.id, bar };
    if (bar.kr_diamond) bar.kr_diamond.setAttribute("d", K.diamond(bar));
  }

  function proposal(p) {
    const bar = p.bar, task = bar.task;
    const x = bar.$bar.getX(), w = bar.$bar.getWidth();
    const moved = Math.abs(x - bar.kr_x0) >= 0.5, resized = Math.abs(w - bar.kr_w0) >= 0.5;
    if (!moved && !resized) return null;
    const oldStart = K.parseIso(task.start), oldEnd = K.parseIso(task.end);
    let start = moved ? K.dateAt(x) : oldStart;
    let finish;
    if (!resized) finish = K.addDays(start, K.daysBetween(oldStart, oldEnd));
    else if (moved) finish = oldEnd; // the left edge was dragged
    else finish = K.addDays(start, Math.max(1, Math.round((w / K.chart.config.column_width) * STEP_DAYS[K.mode])) - 1);
    if (task._classes.includes("milestone")) start = finish;
    if (finish < start) finish = start;
    return { item: Number(task.id), start: K.iso(start), finish: K.iso(finish) };
  }

  async function post(move, confirm) {
    K.say(L.saving, "secondary");
    let answer, body = {};
    try {
      answer = await fetch(root.dataset.moveUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": root.dataset.csrf },
        body: JSON.stringify(Object.assign({}, move, { confirm: !!confirm })),
      });
      try { body = await answer.json(); } catch (e) { body = {}; }
    } catch (e) {
      K.say(L.failed, "danger");
      K.draw();
      return;
    }
    if (answer.ok) {
      K.say(body.message, "success");
      await K.load();
    } else if (answer.status === 409 && body.confirm) {
      ask(move, body);
    } else {
      K.say(body.error || L.failed, "danger");
      K.draw(); // back to the stored dates
    }
  }

  function ask(move, body) {
    K.say("");
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
      if (!decided) { K.say(L.cancelled, "secondary"); K.draw(); }
    }, { once: true });
    modal.show();
  }

  function dragEnded() {
    if (!pending) return;
    const p = pending;
    pending = null;
    const move = proposal(p);
    if (move) { K.chart.hide_popup(); post(move, false); }
  }

  K.track = track;
  K.dragEnded = dragEnded;
})();

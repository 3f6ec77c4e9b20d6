// The roadmap of a project (projects/gantt.html): the start-up. The chart is drawn by gantt-chart.js and moves
// are posted by gantt-move.js (loaded before this file; they share window.KraiGantt). The data comes from the
// chart endpoint (data-url); the controls change the scale, scroll to today and pick a baseline.
(function () {
  "use strict";
  const K = window.KraiGantt;
  if (!K) return;
  const root = K.root, L = K.L;
  const statusBox = document.getElementById("gantt-status");

  // ---- status messages ----------------------------------------------------------------------------------
  function say(text, kind) {
    statusBox.replaceChildren();
    if (!text) return;
    const div = document.createElement("div");
    div.className = `alert alert-${kind || "info"} py-2 mb-2`;
    if (kind === "danger") div.setAttribute("role", "alert");
    div.textContent = text;
    statusBox.appendChild(div);
  }

  // ---- loading ------------------------------------------------------------------------------------------
  async function load() {
    const url = new URL(root.dataset.url, window.location.href);
    if (K.baseline) url.searchParams.set("baseline", K.baseline);
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
      K.raw = text;
      const started = performance.now();
      try {
        K.draw();
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

  K.say = say;
  K.load = load;

  // ---- the controls -------------------------------------------------------------------------------------
  document.addEventListener("mouseup", () => setTimeout(K.dragEnded, 0));
  document.querySelectorAll("#gantt-zoom [data-mode]").forEach((button) => {
    button.addEventListener("click", () => {
      K.mode = button.dataset.mode;
      document.querySelectorAll("#gantt-zoom [data-mode]").forEach((b) => {
        b.setAttribute("aria-pressed", String(b === button));
        b.classList.toggle("active", b === button);
      });
      if (K.chart) K.rendering(() => K.chart.change_view_mode(K.mode));
    });
  });
  document.querySelector('#gantt-zoom [data-mode="Month"]').classList.add("active");
  document.getElementById("gantt-today").addEventListener("click", () => K.chart && K.chart.scroll_current());
  const select = document.getElementById("gantt-baseline");
  const pdfLink = document.getElementById("gantt-pdf");
  document.getElementById("gantt-baseline-show").classList.add("visually-hidden");
  select.addEventListener("change", () => {
    K.baseline = select.value;
    const pdf = new URL(pdfLink.href, window.location.href);
    if (K.baseline) pdf.searchParams.set("baseline", K.baseline); else pdf.searchParams.delete("baseline");
    pdfLink.href = pdf.pathname + pdf.search;
    const page = new URL(window.location.href);
    if (K.baseline) page.searchParams.set("baseline", K.baseline); else page.searchParams.delete("baseline");
    window.history.replaceState(null, "", page.pathname + page.search);
    load();
  });
  load();
})();

// The planner's calendar: FullCalendar (vendored from npm, never a CDN) drawn in #krai-calendar from the page's
// events.json, in the page's language with the week starting on Monday. The page's own list of the period's items
// and its period links are what works without JavaScript; once the calendar is drawn they are hidden (the
// calendar's "list" view shows the same items as a list). On a narrow screen a week opens as that list.
(function () {
  "use strict";

  var WIDE = "(min-width: 768px)";

  function start() {
    var el = document.getElementById("krai-calendar");
    if (!el || typeof window.FullCalendar === "undefined") {
      return;
    }
    var wide = window.matchMedia(WIDE).matches;
    var view = el.dataset.view || "timeGridWeek";
    if (view === "timeGridWeek" && !wide) {
      view = "listWeek";
    }
    var calendar = new window.FullCalendar.Calendar(el, {
      initialView: view,
      initialDate: el.dataset.date || undefined,
      locale: el.dataset.locale === "ru" ? "ru" : "en",
      firstDay: 1,
      // the whole day's hours (an early trip is not cut off), the page scrolling rather than the calendar
      height: "auto",
      nowIndicator: true,
      navLinks: true,
      // a phone's width takes the arrows and the title above, the views below
      headerToolbar: wide ? {left: "prev,next today", center: "title",
                             right: "timeGridDay,timeGridWeek,dayGridMonth,listWeek"}
        : {left: "prev,next", center: "title", right: "today"},
      footerToolbar: wide ? false : {center: "timeGridDay,listWeek,dayGridMonth"},
      titleFormat: wide ? undefined : {month: "short", day: "numeric"},
      events: {
        url: el.dataset.eventsUrl,
        failure: function () {
          var message = document.body.dataset.kraiRequestFailed || "The request failed.";
          el.insertAdjacentHTML("beforebegin", '<div class="alert alert-warning" role="alert"></div>');
          el.previousElementSibling.textContent = message;
          showList(el, true);
        }
      },
      eventDidMount: function (info) {
        var props = info.event.extendedProps || {};
        var label = [props.kindLabel, props.status, props.detail].filter(Boolean).join(" · ");
        if (label) {
          info.el.setAttribute("title", info.event.title + " — " + label);
        }
      },
      dateClick: function (info) {
        if (el.dataset.newUrl) {
          window.location.href = el.dataset.newUrl + "?date=" + info.dateStr.slice(0, 10);
        }
      }
    });
    calendar.render();
    mend(el);
    // FullCalendar redraws its cells on every move (a period, a view): mended again each time
    new MutationObserver(function () { mend(el); }).observe(el, {childList: true, subtree: true});
    if (!wide) {
      el.querySelectorAll(".fc-toolbar-title").forEach(function (title) {
        title.style.fontSize = "1.1rem";
      });
    }
    el.removeAttribute("aria-hidden");
    showList(el, false);
  }

  // FullCalendar's own markup mended where axe-core finds it wanting (tests/production/test_journey_planner.py):
  // its arrows are images without a name inside buttons that have one (so hidden from screen readers); a month's
  // cells are named by their day's number alone, hiding the events they hold (the name is left to the content);
  // the numbers of the days of the months around are greyed to 30 % of the link's blue (1.5:1) — grey instead; the
  // list's days are links in that blue on a grey band (4:1) — the darker blue of a link hovered instead.
  function mend(el) {
    el.querySelectorAll(".fc-icon[role=img]").forEach(function (icon) {
      icon.removeAttribute("role");
      icon.setAttribute("aria-hidden", "true");
    });
    el.querySelectorAll("td[aria-labelledby]").forEach(function (cell) {
      cell.removeAttribute("aria-labelledby");
    });
    el.querySelectorAll(".fc-day-other .fc-daygrid-day-top").forEach(function (top) {
      top.style.opacity = "1";
      top.querySelectorAll("a").forEach(function (link) { link.style.color = "#6c757d"; });
    });
    el.querySelectorAll(".fc-list-day-cushion a").forEach(function (link) { link.style.color = "#0a58ca"; });
  }

  function showList(el, shown) {
    ["krai-planner-nav", el.dataset.listId].forEach(function (id) {
      var node = id && document.getElementById(id);
      if (node) {
        node.hidden = !shown;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();

// The live results table, progressive enhancement only: without this file the page polls
// nothing and its "Refresh" link reloads it. With it, htmx replaces only the table's rows
// every few seconds (hx-select="#results-rows"); this file adds a pause control (WCAG
// 2.2.2) and copies the new rows' summary into the status line only when it changed, so a
// screen reader hears each change once and the live region itself is never recreated.
(function () {
  "use strict";
  var paused = false;
  var button = document.querySelector("[data-results-pause]");
  var note = document.querySelector("[data-live-note]");

  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      paused = !paused;
      button.setAttribute("aria-pressed", paused ? "true" : "false");
      button.textContent = paused ? "Resume live updates" : "Pause live updates";
      if (note) {
        note.textContent = paused ? "; live updates are paused"
          : "; this table refreshes itself every few seconds";
      }
    });
  }

  // While paused, the poll's requests are not sent (the timer keeps ticking, harmlessly).
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (paused && event.detail.elt && event.detail.elt.id === "results-rows") {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var rows = document.getElementById("results-rows");
    var status = document.getElementById("results-status");
    var updated = document.getElementById("results-updated");
    if (!rows) { return; }
    var line = rows.getAttribute("data-status");
    if (status && line && status.textContent !== line) { status.textContent = line; }
    if (updated && rows.getAttribute("data-updated")) {
      updated.textContent = rows.getAttribute("data-updated");
      updated.setAttribute("datetime", rows.getAttribute("data-updated-iso") || "");
    }
    if (!rows.hasAttribute("hx-get")) {  // the last poll: everyone is done
      if (button) { button.hidden = true; }
      if (note) { note.textContent = ""; }
    }
  });
})();

// Keyboard for the review page, as in Anki: Space shows the answer, 1–4 grade, U or Ctrl+Z
// undoes. Each key clicks the real link or button, so the page behaves the same with or
// without this file (and with or without htmx).
(function () {
  "use strict";

  function isTyping(target) {
    if (!target || !target.closest) { return false; }
    return Boolean(target.closest("input, textarea, select, [contenteditable]"));
  }

  function control(key) {
    return document.querySelector('#review-card [data-review-key="' + key + '"]');
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.metaKey || isTyping(event.target)) {
      return;
    }
    var target = null;
    if (event.ctrlKey) {
      if (event.key === "z" || event.key === "Z") { target = control("undo"); }
    } else if (event.key === " " || event.key === "Spacebar") {
      target = control("flip");
      // Space on another focused button or link keeps its usual meaning (press it).
      var focused = event.target.closest && event.target.closest("a, button, summary");
      if (focused && focused !== target) { return; }
    } else if (event.key >= "1" && event.key <= "4") {
      target = control(event.key);
    } else if (event.key === "u" || event.key === "U") {
      target = control("undo");
    }
    if (target) {
      event.preventDefault();
      target.click();
    }
  });

  // After a swap, put focus on the new card's main control (Show answer, or Good), so the
  // keyboard and screen readers land on it.
  document.addEventListener("htmx:afterSettle", function () {
    var focusable = document.querySelector("#review-card [data-autofocus]");
    if (focusable) { focusable.focus(); }
  });

  // A refused grade (400/404/409) answers with the card partial and a sentence saying why:
  // show it, rather than leaving the page unchanged as htmx does with errors by default.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var card = document.getElementById("review-card");
    if (card && (status === 400 || status === 404 || status === 409)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

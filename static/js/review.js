// Keyboard for the review page, as in Anki: Space shows the answer, 1–4 grade, U or Ctrl+Z
// undoes. Each key clicks the real link or button, so the page behaves the same with or
// without this file (and with or without htmx). The keys act only while focus is inside
// the review card (WCAG 2.1.4), and not at all when the learner turned them off in study
// settings (the card says data-shortcuts="off").
(function () {
  "use strict";

  // While htmx is fetching or settling a card, its new buttons are not wired up yet; a key
  // pressed then waits and is replayed once the card has settled.
  var busy = false;
  var pending = null;

  function isTyping(target) {
    if (!target || !target.closest) { return false; }
    return Boolean(target.closest("input, textarea, select, [contenteditable]"));
  }

  function control(key) {
    return document.querySelector('#review-card [data-review-key="' + key + '"]');
  }

  function shortcut(event) {
    if (event.ctrlKey) {
      return (event.key === "z" || event.key === "Z") ? "undo" : null;
    }
    if (event.key === " " || event.key === "Spacebar") { return "flip"; }
    if (event.key >= "1" && event.key <= "4") { return event.key; }
    if (event.key === "u" || event.key === "U") { return "undo"; }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.metaKey || isTyping(event.target)) {
      return;
    }
    var card = document.getElementById("review-card");
    if (!card || card.getAttribute("data-shortcuts") === "off") { return; }
    // While a new card is on its way, the old one (and the focus in it) is gone: a key
    // pressed on the bare page then waits for the new card, like one pressed on the card.
    var onCard = event.target && event.target.closest && event.target.closest("#review-card");
    if (!onCard && !(busy && event.target === document.body)) { return; }
    var key = shortcut(event);
    if (!key) { return; }
    if (key === "flip") {
      // Space on another focused button or link keeps its usual meaning (press it).
      var focused = event.target.closest && event.target.closest("a, button, summary");
      if (focused && focused.getAttribute("data-review-key") !== "flip") { return; }
    }
    if (busy) {
      event.preventDefault();
      pending = key;
      return;
    }
    var target = control(key);
    if (target) {
      event.preventDefault();
      target.click();
    }
  });

  document.addEventListener("htmx:beforeRequest", function () { busy = true; });
  document.addEventListener("htmx:afterRequest", function (event) {
    // A request that swaps nothing (a network error) must not leave the keys stuck.
    if (!event.detail.successful && !event.detail.xhr.status) { busy = false; }
  });

  // After a swap (app.js has put focus on the new card's main control), play any key
  // pressed meanwhile.
  document.addEventListener("htmx:afterSettle", function () {
    busy = false;
    var card = document.getElementById("review-card");
    // A new card replaced the old one (and the focus it held): focus its main control, so
    // the keys keep acting on the card.
    var main = card && card.querySelector("[data-autofocus]");
    if (main && !card.contains(document.activeElement)) { main.focus(); }
    var key = pending;
    pending = null;
    // Only while focus is still on the card (app.js moves it to the new card's control).
    if (key && card && card.contains(document.activeElement)) {
      var target = control(key);
      if (target) { target.click(); }
    }
  });

  // A refused grade (400/404/409) answers with the card partial and a sentence saying why,
  // a failure (500/503) with what went wrong and whether the grade was saved: show it,
  // rather than leaving the page unchanged as htmx does with errors by default.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (document.getElementById("review-card") &&
        (status === 400 || status === 404 || status === 409 || status === 500 ||
         status === 503)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

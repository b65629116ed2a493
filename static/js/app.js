// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // After htmx swaps in new content, move focus to it so keyboard and screen-reader
  // users land on the feedback or the next question.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var focusable = target && target.querySelector("[data-autofocus]");
    if (focusable) { focusable.focus(); }
  });
})();

// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Tell the server the browser's time zone (the `tz` cookie): sign-in stores it for a
  // learner who has not chosen one in their account settings. Without this file times are
  // shown in the site's zone (or the learner's chosen one), which pages name.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + zone) === -1) {
      document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (error) { /* an old browser: keep the site's zone */ }

  // After htmx swaps in new content, move focus to what it marks [data-autofocus] (the
  // feedback's heading, the next card's main button), so keyboard and screen-reader users
  // land on it. An outerHTML swap detaches the old target, so then look in the document.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var scope = target && target.isConnected ? target : document;
    var focusable = scope.querySelector("[data-autofocus]");
    if (focusable && document.activeElement !== focusable) { focusable.focus(); }
  });
})();

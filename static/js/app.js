// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // After htmx swaps in new content, move focus to what it marks [data-autofocus] (the
  // feedback's heading, the next card's main button), so keyboard and screen-reader users
  // land on it. An outerHTML swap detaches the old target, so then look in the document.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var scope = target && target.isConnected ? target : document;
    var focusable = scope.querySelector("[data-autofocus]");
    if (focusable && document.activeElement !== focusable) { focusable.focus(); }
  });
  // Tell the server the browser's time zone, so every page shows times in the viewer's own
  // zone (config.middleware.TimezoneMiddleware reads it; pages name the zone they use).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + zone) === -1) {
      document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (error) { /* an old browser: keep the site's zone */ }
})();

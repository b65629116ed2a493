// Classes pages: tell the server the browser's time zone so due dates show in local time.
// Without this file every time is shown (and read) in the site's zone, which the page names.
(function () {
  "use strict";
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + zone) === -1) {
      document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (error) { /* an old browser: keep the site's zone */ }
})();

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

  // The header's menu on a phone: the "Menu" link (which opens it through #site-menu:target
  // without JavaScript) becomes a button that says whether the menu is open; Escape closes
  // it and gives focus back to the button. From 48rem the CSS shows the menu whatever.
  var link = document.querySelector("a.menu-toggle");
  var menu = document.getElementById("site-menu");
  if (link && menu) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.textContent = link.textContent;
    button.setAttribute("aria-controls", "site-menu");
    button.setAttribute("aria-expanded", "false");
    link.replaceWith(button);
    document.documentElement.classList.add("js-menu");
    var setOpen = function (open) {
      menu.classList.toggle("is-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    };
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("is-open")) {
        setOpen(false);
        button.focus();
      }
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { setOpen(false); }
    });
  }

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

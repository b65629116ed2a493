// Quiz pages, progressive enhancement only: everything works without this file.
(function () {
  "use strict";
  // Let htmx swap in the server's answer to a refused post (a 400 that names what to
  // fix, a 409 that says the question was already answered, a 500 or 503 that says what
  // went wrong and whether the answer was saved) instead of ignoring it.
  var SHOWN = { 400: true, 409: true, 413: true, 500: true, 503: true };
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && SHOWN[xhr.status]) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

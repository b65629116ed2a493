// The attempt page's countdown: progressive enhancement of the server's deadline.
// Without this file the page names the deadline and the time left when it loaded; the
// server refuses answers after the deadline and hands the attempt in as it is, whatever
// the browser does. This only counts down from the server's own figure (data-seconds-left,
// so a wrong clock on the computer changes nothing), tells screen readers at 5 minutes,
// 1 minute and when time is up (not every second: the clock itself is a quiet timer), and
// at the end moves on to the results, as the server would.
(function () {
  "use strict";
  var box = document.querySelector("[data-countdown]");
  if (!box) { return; }
  var clock = box.querySelector("[data-countdown-clock]");
  var status = box.querySelector("[data-countdown-status]");
  var note = box.querySelector("[data-countdown-static]");
  var secondsLeft = parseInt(box.getAttribute("data-seconds-left"), 10);
  var expiredUrl = box.getAttribute("data-expired-url");
  if (!clock || isNaN(secondsLeft)) { return; }
  if (note) { note.hidden = true; }

  var start = performance.now();
  var MOMENTS = [[300, "5 minutes left."], [60, "1 minute left."]];
  var announced = {};
  // Moments already behind us when the page loads are not announced late.
  MOMENTS.forEach(function (moment) {
    if (secondsLeft <= moment[0]) { announced[moment[0]] = true; }
  });
  var finished = false;

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function show(left) {
    var hours = Math.floor(left / 3600);
    var minutes = Math.floor((left % 3600) / 60);
    var seconds = left % 60;
    clock.textContent = hours ? hours + ":" + two(minutes) + ":" + two(seconds)
      : minutes + ":" + two(seconds);
  }

  function say(sentence) {
    if (status) { status.textContent = sentence; }
  }

  function tick() {
    var elapsed = (performance.now() - start) / 1000;
    var left = Math.max(0, Math.ceil(secondsLeft - elapsed));
    show(left);
    MOMENTS.forEach(function (moment) {
      if (left <= moment[0] && !announced[moment[0]]) {
        announced[moment[0]] = true;
        say(moment[1]);
      }
    });
    // The server takes answers up to the deadline itself: move on a moment after it.
    if (elapsed >= secondsLeft + 1 && !finished) {
      finished = true;
      box.classList.add("time-up");
      say("Time is up. Your quiz is handed in as it is; opening your results.");
      window.setTimeout(function () { window.location.assign(expiredUrl); }, 1500);
      return;
    }
    window.setTimeout(tick, 1000 - ((performance.now() - start) % 1000));
  }
  tick();
})();

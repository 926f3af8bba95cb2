// Study time: a heartbeat every 30 s while the page is visible (vocational/study.py buffers it).
(function () {
  "use strict";
  var holder = document.querySelector("[data-heartbeat]");
  if (!holder) { return; }
  var url = holder.getAttribute("data-heartbeat");
  var csrf = holder.getAttribute("data-csrf");
  function beat() {
    if (document.visibilityState !== "visible") { return; }
    fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf } }).catch(function () {});
  }
  beat();
  setInterval(beat, 30000);
})();

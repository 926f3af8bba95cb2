// Classroom mode: the keyboard and presentation clickers (which send PageUp/PageDown) step through the
// lesson; every step is also a plain page with "back" and "next" links, so nothing depends on this file.
(function () {
  "use strict";
  function follow(rel) {
    var link = document.querySelector('a[rel="' + rel + '"]');
    if (link) { window.location.href = link.href; }
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) { return; }
    var onVideo = target && target.tagName === "VIDEO";
    switch (event.key) {
      case "ArrowRight": case "PageDown": case "n":
        if (!onVideo || event.key === "PageDown") { event.preventDefault(); follow("next"); }
        break;
      case "ArrowLeft": case "PageUp": case "p":
        if (!onVideo || event.key === "PageUp") { event.preventDefault(); follow("prev"); }
        break;
      case "f":
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else { document.documentElement.requestFullscreen().catch(function () {}); }
        break;
      default:
    }
  });
})();

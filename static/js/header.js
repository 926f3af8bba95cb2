// The header menu is a <details>: on phones it folds behind its button (no script needed). On wide screens
// this keeps it open and hides the button, so desktop users see the whole header at once.
(function () {
  "use strict";
  var menu = document.querySelector("details.header-menu");
  if (!menu || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 56rem)");
  function apply() {
    menu.classList.toggle("header-menu-pinned", wide.matches);
    if (wide.matches) { menu.open = true; }
  }
  apply();
  if (wide.addEventListener) { wide.addEventListener("change", apply); }
})();

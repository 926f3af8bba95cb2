// Progressive enhancement of the one-form textbook choice (the form works without it):
// - options that do not belong to the chosen stage are hidden;
// - the last choice is remembered in this browser (localStorage) and preset on the next visit, unless the
//   server already preset it from the signed-in student's last lesson.
(function () {
  "use strict";
  var KEY = "smartedu.k12.choice";
  function store(value) { try { window.localStorage.setItem(KEY, JSON.stringify(value)); } catch (e) { /* private mode */ } }
  function load() { try { return JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { return null; } }

  // On the textbook page: remember the choice that led here.
  var here = document.querySelector("[data-k12-choice]");
  if (here) { store(JSON.parse(here.getAttribute("data-k12-choice"))); }

  var form = document.querySelector("form[data-remember=k12-choice]");
  if (!form) { return; }
  var stage = form.elements.stage;
  function filter() {
    ["subject", "edition", "book"].forEach(function (name) {
      var select = form.elements[name];
      var keep = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var fits = (" " + option.getAttribute("data-stages") + " ").indexOf(" " + stage.value + " ") >= 0;
        option.hidden = !fits;
        option.disabled = !fits;
        if (fits && keep === null) { keep = option; }
      });
      if (select.selectedOptions.length && select.selectedOptions[0].disabled && keep) { keep.selected = true; }
    });
  }
  var preset = Array.prototype.some.call(form.querySelectorAll("option"), function (o) { return o.defaultSelected; });
  var saved = load();
  if (!preset && saved) {
    ["stage", "subject", "edition", "book"].forEach(function (name) {
      if (saved[name] && form.elements[name].querySelector('option[value="' + saved[name] + '"]')) {
        form.elements[name].value = saved[name];
      }
    });
  }
  filter();
  stage.addEventListener("change", filter);
})();

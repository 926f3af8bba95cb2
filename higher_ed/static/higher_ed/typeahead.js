// Typeahead for the catalogue's search box: fills its <datalist> with course, university and teacher names
// from /api/v1/higher-ed/suggest/. Without JavaScript the box is a plain search form.
(function () {
  "use strict";
  var input = document.getElementById("he-q");
  var list = document.getElementById("he-suggestions");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var last = "";

  function lookup() {
    var q = input.value.trim();
    if (!q || q === last) { return; }
    last = q;
    fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (body) {
        if (q !== input.value.trim()) { return; }
        list.replaceChildren.apply(list, body.suggestions.map(function (s) {
          var option = document.createElement("option");
          option.value = s.text;
          option.dataset.kind = s.kind;
          return option;
        }));
        list.dataset.ready = q;
      })
      .catch(function () { /* suggestions are a convenience: the form still searches */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 150);
  });
  // This script is deferred: whatever was typed before it ran sent its "input" events to nobody. Answer it now
  // (the box's own value from the address, the defaultValue, is not something the learner just typed).
  if (input.value.trim() && input.value !== input.defaultValue) { lookup(); }
})();

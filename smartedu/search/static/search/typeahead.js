/* Typeahead for the header search box: an ARIA 1.2 combobox with a listbox of up to 10 suggestions.
 * Progressive enhancement only: without this file the box is a plain GET form to /search/?q=.
 * Suggestions come from GET /api/v1/search/suggest/?q= and are inserted as text (never as HTML). */
(function () {
  "use strict";

  function init(input) {
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    var form = input.form;
    var url = input.getAttribute("data-suggest-url");
    if (!listbox || !form || !url || !window.fetch) return;
    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";
    var controller = null;

    function close() {
      listbox.hidden = true;
      listbox.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      items = [];
      active = -1;
    }

    function setActive(index) {
      var options = listbox.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      if (item.url) {
        window.location.assign(item.url);
        return;
      }
      input.value = item.text;
      close();
      form.submit();
    }

    function render(results) {
      listbox.textContent = "";
      items = results.slice(0, 10);
      active = -1;
      if (!items.length) {
        close();
        return;
      }
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = input.id + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "typeahead-option";
        var text = document.createElement("span");
        text.textContent = item.text;
        option.appendChild(text);
        var label = listbox.getAttribute("data-label-" + item.category.split(".").pop());
        if (label) {
          var tag = document.createElement("span");
          tag.className = "typeahead-category";
          tag.textContent = label;
          option.appendChild(tag);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); /* keep focus in the input */
          choose(index);
        });
        listbox.appendChild(option);
      });
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (!query || query.length > 100) {
        close();
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (body) {
          if (input.value.trim() === query) render(body.results || []);
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) setActive(active + 1);
        else { lastQuery = ""; fetchSuggestions(); }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        setActive(active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
    /* This script is deferred: what was typed before it ran fired "input" events at nobody. Answer it now
     * (not the value the page was served with, e.g. the query of a results page). */
    if (document.activeElement === input && input.value.trim() && input.value !== input.defaultValue) {
      fetchSuggestions();
    }
  }

  function start() {
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    for (var i = 0; i < inputs.length; i++) init(inputs[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

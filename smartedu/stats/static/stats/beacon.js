/* Count the views of this page's content: one beacon with every item the page declares.
   Rendered by {% stats_beacon %}; runs once however many times the tag appears. */
(function () {
  "use strict";
  if (window.smarteduBeaconSent) { return; }
  window.smarteduBeaconSent = true;

  function send() {
    var nodes = document.querySelectorAll("script[data-stats-beacon]");
    var items = [];
    var endpoint = "";
    for (var i = 0; i < nodes.length; i++) {
      try {
        items.push(JSON.parse(nodes[i].textContent));
        endpoint = nodes[i].getAttribute("data-stats-beacon");
      } catch (e) { /* a malformed item is skipped */ }
    }
    if (!items.length || !endpoint) { return; }
    var body = JSON.stringify({ items: items });
    // A string body goes as text/plain, which every browser's sendBeacon accepts; the API reads it as JSON.
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) { return; }
    if (window.fetch) {
      fetch(endpoint, { method: "POST", body: body, keepalive: true, credentials: "same-origin",
                        headers: { "Content-Type": "text/plain" } });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", send);
  } else {
    send();
  }
  // A page restored from the back/forward cache is viewed again.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { send(); } });
}());

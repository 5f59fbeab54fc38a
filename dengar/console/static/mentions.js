// Mentions monitor: new messages arrive over Server-Sent Events and are put on top of the list;
// the day's chart is refreshed a little after they do. The rows come rendered (and escaped) by
// the server; this script only places them.
(function () {
  "use strict";
  var list = document.getElementById("mention-stream");
  if (!list || !list.dataset.streamUrl || !window.EventSource) { return; }
  var state = document.getElementById("live-state");
  var empty = document.getElementById("stream-empty");
  var maxRows = 300;
  var refreshTimer = null;

  function setState(text, live) {
    if (!state) { return; }
    state.textContent = text;
    state.classList.toggle("is-live", live);
  }

  function refreshDay() {
    if (list.dataset.liveDay !== "yes" || refreshTimer) { return; }
    refreshTimer = window.setTimeout(function () {
      refreshTimer = null;
      fetch(list.dataset.dayUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          var column = document.getElementById("day-column");
          if (html === null || !column) { return; }
          var parsed = new DOMParser().parseFromString(html, "text/html");
          var summary = parsed.getElementById("day-summary");
          if (summary) { column.replaceChildren(document.adoptNode(summary)); }
        })
        .catch(function () { /* the next message tries again */ });
    }, 3000);
  }

  var source = new EventSource(list.dataset.streamUrl);
  source.addEventListener("open", function () { setState(state && state.dataset.liveText, true); });
  source.addEventListener("error", function () { setState(state && state.dataset.lostText, false); });
  source.addEventListener("mention", function (event) {
    var message;
    try { message = JSON.parse(event.data); } catch (error) { return; }
    if (list.querySelector('[data-mention-id="' + Number(message.id) + '"]')) { return; }
    var parsed = new DOMParser().parseFromString(message.html, "text/html");
    var row = parsed.body.firstElementChild;
    if (!row) { return; }
    row.classList.add("arrived");
    list.insertBefore(document.adoptNode(row), list.firstChild);
    if (empty) { empty.remove(); empty = null; }
    while (list.children.length > maxRows) { list.removeChild(list.lastElementChild); }
    refreshDay();
  });
})();

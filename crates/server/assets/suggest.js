// Suggestions as you type: fills the search box's <datalist> with author names and titles from
// /api/v1/suggest. The page works without it; nothing here is needed to search.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!input || !list || !window.fetch) return;
  var timer = null;
  var last = "";
  var controller = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  function update() {
    var q = input.value.trim();
    if (q === last) return;
    last = q;
    if (q.length < 2) {
      list.replaceChildren();
      return;
    }
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch("/api/v1/suggest?limit=6&q=" + encodeURIComponent(q), controller ? { signal: controller.signal } : {})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || input.value.trim() !== q) return;
        var options = [];
        (data.authors || []).forEach(function (a) {
          var o = document.createElement("option");
          o.value = a.name;
          o.label = "Author · " + a.works + (a.works === 1 ? " paper" : " papers");
          options.push(o);
        });
        (data.titles || []).forEach(function (t) {
          var o = document.createElement("option");
          o.value = t.title;
          o.label = "Title";
          options.push(o);
        });
        list.replaceChildren.apply(list, options);
      })
      .catch(function () {});
  }
})();

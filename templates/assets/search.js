/* briefgen search: runs a prebuilt lunr index (search/index.js) in the page.
   Without JavaScript the form stays hidden; nothing here loads from the network. */
(function () {
  "use strict";
  var data = window.BRIEFGEN_SEARCH;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!data || !form || !window.lunr) { return; }
  var index = data.index ? window.lunr.Index.load(data.index) : null;
  form.hidden = false;

  function query(text) {
    if (!index) { return []; }
    var terms = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (!terms.length) { return []; }
    try {
      return index.query(function (q) {
        terms.forEach(function (term) {
          q.term(term, { usePipeline: true, boost: 10 });
          q.term(term, { usePipeline: false, wildcard: window.lunr.Query.wildcard.TRAILING, boost: 1 });
        });
      });
    } catch (e) {
      return [];
    }
  }

  function show(text) {
    var results = query(text);
    list.textContent = "";
    results.forEach(function (result) {
      var doc = data.docs[result.ref];
      if (!doc) { return; }
      var item = document.createElement("li");
      item.className = "briefing-item";
      var link = document.createElement("a");
      link.href = doc.url;
      link.textContent = doc.title;
      var heading = document.createElement("h2");
      heading.appendChild(link);
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = doc.date;
      item.appendChild(heading);
      item.appendChild(meta);
      list.appendChild(item);
    });
    status.textContent = text.trim()
      ? results.length + (results.length === 1 ? " briefing found" : " briefings found")
      : "";
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); show(input.value); });
  input.addEventListener("input", function () { show(input.value); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; show(initial); }
})();

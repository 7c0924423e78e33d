/* briefgen search: runs a prebuilt lunr index (search/index.js) in the page.
   Without JavaScript the form stays hidden; nothing here loads from the network. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !window.lunr) { return; }
  /* The index comes in shards (search/index-NN.js); each is queried and results merged. */
  var shards = (window.BRIEFGEN_SEARCH || []).map(function (shard) {
    return { index: window.lunr.Index.load(shard.index), docs: shard.docs };
  });
  var docs = {};
  shards.forEach(function (shard) { Object.assign(docs, shard.docs); });
  form.hidden = false;

  function query(text) {
    var terms = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (!terms.length) { return []; }
    var results = [];
    shards.forEach(function (shard) {
      try {
        results = results.concat(shard.index.query(function (q) {
          terms.forEach(function (term) {
            q.term(term, { usePipeline: true, boost: 10 });
            q.term(term, { usePipeline: false, wildcard: window.lunr.Query.wildcard.TRAILING, boost: 1 });
          });
        }));
      } catch (e) { /* a query lunr cannot parse finds nothing */ }
    });
    return results.sort(function (a, b) { return b.score - a.score || (a.ref < b.ref ? -1 : 1); });
  }

  function show(text) {
    var results = query(text);
    list.textContent = "";
    results.forEach(function (result) {
      var doc = docs[result.ref];
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

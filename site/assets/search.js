/* briefgen search: queries the index that briefgen/site/search.py wrote, loading only the
   parts a query needs, each a <script> (which works from file:// as over http):
   t/NNNN.js term shards, d/NNNN.js the document table, x/<slug>.js a briefing's text.
   Folding and stemming repeat briefgen/site/searchterms.py rule for rule; a test runs both.
   Without JavaScript the form stays hidden; nothing here loads from another host, and
   index data reaches the page as text nodes only. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input || !status || !list) { return; }
  var data = form.dataset;
  var DOCUMENTS = Number(data.documents) || 0;
  var SHARDS = Number(data.shards) || 8;
  var CHUNK = Number(data.chunk) || 64;
  var LANGUAGES = data.languages ? data.languages.split(" ") : [];
  var STOP = new Set(data.stopWords ? data.stopWords.split(" ") : []);
  var PREFIX = 3;
  var PAGE = 20;
  var FOUND = JSON.parse(data.found || "[]");
  var DIGITS = Array.from(data.digits || "0123456789");
  var store = window.BRIEFGEN_SEARCH = window.BRIEFGEN_SEARCH || {};
  var stemmers = window.BRIEFGEN_STEMMERS || {};

  /* ---- terms: the rules of briefgen/site/searchterms.py ---- */
  var LETTERS = {
    "\u0640": "", "\u0671": "\u0627", "\u0649": "\u064a",
    "\u06cc": "\u064a", "\u06a9": "\u0643", "\u00df": "ss", "\u00e6": "ae", "\u0153": "oe",
    "\u00f8": "o", "\u0142": "l", "\u0111": "d", "\u00f0": "d", "\u00fe": "th", "\u0131": "i",
    "\u2019": "'"
  };
  for (var d = 0; d < 10; d++) {
    LETTERS[String.fromCharCode(0x0660 + d)] = String(d);
    LETTERS[String.fromCharCode(0x06f0 + d)] = String(d);
  }
  var WORD = "[\\p{L}\\p{N}\\p{M}]+(?:['\u2019][\\p{L}\\p{N}\\p{M}]+)*";
  var COMPOUND = new RegExp(WORD + "(?:[-\u2010\u2011]" + WORD + ")*", "gu");
  var HYPHEN = /[-\u2010\u2011]/u;
  var ELISION = /^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'(?=.)/u;
  var POSSESSIVE = /'s$/u;
  var MARKS = /\p{M}/gu;
  var DIGIT = /\p{N}/u;

  function translate(text) {
    var out = "";
    for (var ch of text) { out += Object.prototype.hasOwnProperty.call(LETTERS, ch) ? LETTERS[ch] : ch; }
    return out;
  }

  function fold(word) {
    var text = translate(word.toLowerCase()).normalize("NFD").replace(MARKS, "");
    text = text.replace(ELISION, "").replace(POSSESSIVE, "").split("'").join("");
    return text.normalize("NFC");
  }

  function base(language) { return (language || "").split("-")[0].toLowerCase(); }

  var FINISH = { "\u0629": "\u0647" };
  function finish(folded) {
    var out = "";
    for (var ch of folded) { out += Object.prototype.hasOwnProperty.call(FINISH, ch) ? FINISH[ch] : ch; }
    return out;
  }

  /* The term of a folded word in a language ("" or an unstemmed one: folded only). */
  function term(folded, language) {
    var stemmer = stemmers[base(language)];
    if (!stemmer || DIGIT.test(folded)) { return finish(folded); }
    return finish(stemmer(folded));
  }

  function words(text) {
    var found = [];
    var match;
    COMPOUND.lastIndex = 0;
    while ((match = COMPOUND.exec(text)) !== null) {
      var parts = match[0].split(HYPHEN);
      parts.forEach(function (part) { var f = fold(part); if (f) { found.push(f); } });
      if (parts.length > 1) { var whole = fold(parts.join("")); if (whole) { found.push(whole); } }
    }
    return found;
  }

  /* Exposed for the test that compares these terms with Python's. */
  window.BRIEFGEN_TERMS = { fold: fold, term: term, words: words };

  function shardOf(term) {
    var h = 0x811c9dc5;
    var head = Array.from(term).slice(0, PREFIX).join("");
    for (var i = 0; i < head.length; i++) {
      h ^= head.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % SHARDS;
  }

  function pad(n) { return ("000" + n).slice(-4); }

  /* ---- counts in the site's language ---- */
  /* gettext's Plural-Forms expression (C syntax: n, numbers, ?:, ||, &&, comparisons,
     arithmetic), compiled to a function without eval, which the pages' policy forbids.
     Anything else falls back to English's rule. */
  var LEVELS = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]];
  var OPS = {
    "||": function (a, b) { return a || b ? 1 : 0; }, "&&": function (a, b) { return a && b ? 1 : 0; },
    "==": function (a, b) { return a === b ? 1 : 0; }, "!=": function (a, b) { return a !== b ? 1 : 0; },
    "<": function (a, b) { return a < b ? 1 : 0; }, ">": function (a, b) { return a > b ? 1 : 0; },
    "<=": function (a, b) { return a <= b ? 1 : 0; }, ">=": function (a, b) { return a >= b ? 1 : 0; },
    "+": function (a, b) { return a + b; }, "-": function (a, b) { return a - b; },
    "*": function (a, b) { return a * b; }, "/": function (a, b) { return Math.floor(a / b); },
    "%": function (a, b) { return a % b; }
  };
  function compileRule(expression) {
    var tokens = expression.match(/\d+|n|\|\||&&|[=!<>]=|[?:()<>%+*\/!-]/g) || [];
    if (tokens.join("") !== expression.replace(/\s+/g, "")) { return null; }
    var i = 0;
    function primary() {
      var t = tokens[i++];
      if (t === "(") { var inner = ternary(); if (tokens[i++] !== ")") { throw new Error(expression); } return inner; }
      if (t === "!") { var not = primary(); return function (n) { return not(n) ? 0 : 1; }; }
      if (t === "n") { return function (n) { return n; }; }
      if (/^\d+$/.test(t || "")) { var value = Number(t); return function () { return value; }; }
      throw new Error(expression);
    }
    function binary(level) {
      if (level === LEVELS.length) { return primary(); }
      var left = binary(level + 1);
      while (LEVELS[level].indexOf(tokens[i]) >= 0) {
        left = (function (op, a, b) { return function (n) { return op(a(n), b(n)); }; })(
          OPS[tokens[i++]], left, binary(level + 1));
      }
      return left;
    }
    function ternary() {
      var test = binary(0);
      if (tokens[i] !== "?") { return test; }
      i++;
      var yes = ternary();
      if (tokens[i++] !== ":") { throw new Error(expression); }
      var no = ternary();
      return function (n) { return test(n) ? yes(n) : no(n); };
    }
    try {
      var rule = ternary();
      return i === tokens.length ? rule : null;
    } catch (e) {
      return null;
    }
  }
  var plural = compileRule(data.plural || "") || function (n) { return n !== 1 ? 1 : 0; };

  function number(n) {
    return String(n).replace(/[0-9]/g, function (d) { return DIGITS[Number(d)] || d; });
  }

  function found(count) {
    var form = FOUND[Math.min(Number(plural(count)) || 0, FOUND.length - 1)] || "{n}";
    return form.split("{n}").join(number(count));
  }

  /* Exposed for the test that compares these counts with Python's. */
  window.BRIEFGEN_COUNT = { plural: plural, found: found, compile: compileRule };

  /* ---- loading parts of the index ---- */
  var pending = {};
  function load(key, file) {
    if (store[key]) { return Promise.resolve(store[key]); }
    if (!pending[key]) {
      pending[key] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = file;
        script.onload = function () {
          if (store[key]) { resolve(store[key]); } else { delete pending[key]; reject(new Error(file)); }
        };
        script.onerror = function () { delete pending[key]; reject(new Error(file)); };
        document.head.appendChild(script);
      });
    }
    return pending[key];
  }
  function shard(n) { return load("t" + n, "t/" + pad(n) + ".js"); }
  function chunk(n) { return load("d" + n, "d/" + pad(n) + ".js"); }
  function text(slug) { return load("x" + slug, "x/" + slug + ".js"); }

  /* ---- the query ---- */
  function parse(query) {
    var open = /[\p{L}\p{N}\p{M}]$/u.test(query);
    var seen = new Set();
    var found = [];
    var all = words(query);
    all.forEach(function (folded, i) {
      var plain = term(folded, "");
      var last = open && i === all.length - 1;
      var prefix = last && Array.from(plain).length >= PREFIX ? plain : null;
      if ((STOP.has(plain) && !prefix) || seen.has(plain)) { return; }
      seen.add(plain);
      var terms = new Set([plain]);
      LANGUAGES.forEach(function (language) { terms.add(term(folded, language)); });
      found.push({ terms: terms, prefix: prefix });
    });
    return found;
  }

  /* A word being typed matches the terms it begins, and a term it begins with that is at
     most three letters shorter: the stem `govern` of "government" while "governm" is typed. */
  function begins(prefix, term) {
    return term.indexOf(prefix) === 0 ||
      (prefix.indexOf(term) === 0 && term.length >= Math.max(PREFIX, prefix.length - 3));
  }

  function postings(coded, into) {
    var doc = 0;
    for (var i = 0; i < coded.length; i += 2) {
      doc += coded[i];
      var w = coded[i + 1];
      if (!(into.get(doc) >= w)) { into.set(doc, w); }
    }
  }

  function matches(word) {
    var shards = new Set();
    word.terms.forEach(function (term) { shards.add(shardOf(term)); });
    if (word.prefix) { shards.add(shardOf(word.prefix)); }
    return Promise.all(Array.from(shards).map(shard)).then(function (loaded) {
      var docs = new Map();
      loaded.forEach(function (terms) {
        Object.keys(terms).forEach(function (term) {
          if (word.terms.has(term) || (word.prefix && begins(word.prefix, term))) {
            postings(terms[term], docs);
          }
        });
      });
      return docs;
    });
  }

  function rank(perWord) {
    var scores = null;
    perWord.forEach(function (docs) {
      var idf = Math.log(1 + (DOCUMENTS - docs.size + 0.5) / (docs.size + 0.5));
      var next = new Map();
      docs.forEach(function (w, doc) {
        if (scores === null || scores.has(doc)) {
          next.set(doc, (scores === null ? 0 : scores.get(doc)) + idf * (w * 2.2) / (w + 1.2));
        }
      });
      scores = next;
    });
    return Array.from(scores || new Map()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
      .map(function (pair) { return pair[0]; });
  }

  /* ---- results ---- */
  function matcher(parsed) {
    return function (folded, language) {
      return parsed.some(function (word) {
        var plain = term(folded, "");
        return word.terms.has(plain) || word.terms.has(term(folded, language)) ||
          (word.prefix !== null && begins(word.prefix, plain));
      });
    };
  }

  var TOKEN = new RegExp(WORD, "gu");
  function spansOf(text, language, hit) {
    var spans = [];
    var match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      if (hit(fold(match[0]), language)) { spans.push([match.index, match.index + match[0].length]); }
    }
    return spans;
  }

  /* Appends text[start:end] to parent as text nodes, the matched words in <mark>. */
  function marked(parent, text, spans, start, end) {
    var at = start;
    spans.forEach(function (span) {
      if (span[0] < at || span[1] > end) { return; }
      parent.appendChild(document.createTextNode(text.slice(at, span[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      parent.appendChild(mark);
      at = span[1];
    });
    parent.appendChild(document.createTextNode(text.slice(at, end)));
  }

  function snippet(passages, hit) {
    var chosen = null;
    var spans = [];
    for (var i = 0; i < passages.length && !chosen; i++) {
      spans = spansOf(passages[i][0], passages[i][1], hit);
      if (spans.length) { chosen = passages[i][0]; }
    }
    if (!chosen) { chosen = passages.length ? passages[0][0] : ""; spans = []; }
    var start = 0;
    if (spans.length && spans[0][0] > 80) {
      start = chosen.indexOf(" ", spans[0][0] - 80) + 1;
    }
    var end = Math.min(chosen.length, start + 240);
    if (end < chosen.length) { var space = chosen.lastIndexOf(" ", end); if (space > start) { end = space; } }
    var p = document.createElement("p");
    p.className = "search-snippet";
    if (start > 0) { p.appendChild(document.createTextNode("\u2026 ")); }
    marked(p, chosen, spans, start, end);
    if (end < chosen.length) { p.appendChild(document.createTextNode(" \u2026")); }
    return p;
  }

  function item(row, hit) {
    var li = document.createElement("li");
    li.className = "briefing-item";
    var link = document.createElement("a");
    link.href = row[3];
    marked(link, row[1], spansOf(row[1], row[4], hit), 0, row[1].length);
    var heading = document.createElement("h2");
    heading.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "meta";
    var time = document.createElement("time");
    time.dateTime = row[2];
    time.textContent = row[5] || row[2];
    meta.appendChild(time);
    li.appendChild(heading);
    li.appendChild(meta);
    return li;
  }

  var current = 0;
  var more = null;
  /* A page of results, in rank order, each shown as soon as it and those before it have
     their rows: every chunk the page needs is asked for at once, and the first result
     waits only for its own chunk (a page at 10,000 briefings touches up to 20 chunks).
     Its snippet follows from its text file. */
  function show(docs, from, parsed, turn) {
    var page = docs.slice(from, from + PAGE);
    var rows = page.map(function (doc) { return chunk(Math.floor(doc / CHUNK)); });
    var hit = matcher(parsed);
    var cleared = from !== 0;
    var shown = Promise.resolve();
    page.forEach(function (doc, k) {
      shown = shown.then(function () { return rows[k]; }).then(function (loaded) {
        if (turn !== current) { return; }
        if (!cleared) { list.textContent = ""; cleared = true; }
        var row = loaded[doc % CHUNK];
        var li = item(row, hit);
        list.appendChild(li);
        text(row[0]).then(function (passages) {
          if (turn === current) { li.appendChild(snippet(passages, hit)); }
        }, function () { /* the title and date still show */ });
      });
    });
    return shown.then(function () {
      if (turn !== current) { return; }
      if (more) { more.remove(); more = null; }
      if (from + PAGE < docs.length) {
        more = document.createElement("button");
        more.type = "button";
        more.className = "search-more";
        more.textContent = data.more || "More results";
        more.addEventListener("click", function () { show(docs, from + PAGE, parsed, turn); });
        list.after(more);
      }
    });
  }

  function search(query) {
    var turn = ++current;
    var parsed = parse(query);
    if (!parsed.length) {
      list.textContent = "";
      if (more) { more.remove(); more = null; }
      status.textContent = "";
      return Promise.resolve();
    }
    status.textContent = data.loading || "";
    return Promise.all(parsed.map(matches)).then(function (perWord) {
      if (turn !== current) { return; }
      var docs = rank(perWord);
      if (docs.length === 0) {
        list.textContent = "";
        if (more) { more.remove(); more = null; }
        status.textContent = data.nothing;
        return;
      }
      /* The count is told once the first results are in the list, not before. */
      return show(docs, 0, parsed, turn).then(function () {
        if (turn !== current) { return; }
        status.textContent = found(docs.length);
      });
    }).catch(function () {
      if (turn === current) { status.textContent = data.failed || ""; }
    });
  }

  var timer = 0;
  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 80);
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
})();

// hindsight: full-text search over every postmortem and runbook, from
// file:// too. The index is split into scripts (assets/search/): meta.js
// says which exist; a query loads only the shards of its words (t-*.js)
// and, for the results it shows, the chunks of document text (d-*.js)
// that the snippets are cut from. Scripts, not fetch(): browsers refuse
// fetch() from file://.
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var base = here ? new URL("search/", here).href : "assets/search/";
  var root = document.body.getAttribute("data-root") || "";
  var PAGE = 20;
  // Maps keyed by words and names: none inherits a key (`constructor`).
  function map() { return Object.create(null); }
  var state = { meta: null, metaWaiters: [], shards: map(), docs: map(), loading: map() };

  // The data scripts hand their contents to these.
  var api = {
    meta: function (m) {
      state.meta = m;
      state.shardSet = map();
      m.shards.forEach(function (k) { state.shardSet[k] = true; });
      state.metaWaiters.splice(0).forEach(function (f) { f(); });
    },
    shard: function (key, terms) { state.shards[key] = terms; },
    // A chunk of document text as raw deflate in base64 (what `hindsight build` writes):
    // inflated by the browser, the list arrives as a promise.
    docsz: function (n, b64) {
      var bin = atob(b64), bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      var inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      state.docs[n] = new Response(inflated).json();
    },
    lastQueryMs: null,
  };
  window.hsSearch = api;

  function load(name) {
    if (!state.loading[name]) {
      state.loading[name] = new Promise(function (ok, fail) {
        var s = document.createElement("script");
        s.src = base + name;
        s.onload = function () { ok(); };
        s.onerror = function () { fail(new Error("cannot load " + name)); };
        document.head.appendChild(s);
      });
    }
    return state.loading[name];
  }
  function metaReady() {
    if (state.meta) return Promise.resolve();
    return new Promise(function (ok) { state.metaWaiters.push(ok); });
  }

  // Words as the index has them (src/site/search/text.rs): runs of letters
  // and digits, lowercased, two characters or more, cut at 32.
  var SPLIT = /[^\p{Alphabetic}\p{N}]+/u;
  function terms(text) {
    var seen = map(), out = [];
    text.split(SPLIT).forEach(function (w) {
      var chars = Array.from(w.toLowerCase());
      if (chars.length < 2) return;
      var t = chars.slice(0, 32).join("");
      if (!seen[t]) { seen[t] = true; out.push(t); }
    });
    return out;
  }
  function shardOf(term) {
    var bytes = new TextEncoder().encode(Array.from(term).slice(0, 2).join(""));
    var hex = "";
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return hex;
  }

  // Documents matching every word (a word matches the terms it starts),
  // best first: a term counts by its weight in the document (a title word
  // ten times a body word), saturating, and by how rare it is.
  function rank(words) {
    var n = state.meta.docs, total = null;
    words.forEach(function (word) {
      var shard = state.shards[shardOf(word)] || map();
      var scores = map();
      Object.keys(shard).forEach(function (term) {
        if (term.lastIndexOf(word, 0) !== 0) return;
        var p = shard[term], docs = p.length / 2;
        var idf = Math.log(1 + (n - docs + 0.5) / (docs + 0.5));
        var exact = term === word ? 1 : 0.6;
        for (var i = 0, doc = 0; i < p.length; i += 2) {
          doc += p[i];
          var s = idf * exact * p[i + 1] / (p[i + 1] + 4);
          if (!(scores[doc] >= s)) scores[doc] = s;
        }
      });
      if (total === null) total = scores;
      else {
        var both = map();
        Object.keys(total).forEach(function (d) { if (d in scores) both[d] = total[d] + scores[d]; });
        total = both;
      }
    });
    return Object.keys(total || {}).map(Number).sort(function (a, b) {
      return total[b] - total[a] || a - b;
    });
  }

  function search(query) {
    var words = terms(query);
    if (!words.length) return Promise.resolve({ words: words, docs: [] });
    return metaReady().then(function () {
      var keys = [];
      for (var i = 0; i < words.length; i++) {
        var key = shardOf(words[i]);
        if (!state.shardSet[key]) return { words: words, docs: [] };
        if (keys.indexOf(key) < 0) keys.push(key);
      }
      return Promise.all(keys.map(function (k) { return load("t-" + k + ".js"); })).then(function () {
        return { words: words, docs: rank(words) };
      });
    });
  }

  function documents(ids) {
    var chunks = [];
    ids.forEach(function (d) {
      var c = Math.floor(d / state.meta.chunk);
      if (chunks.indexOf(c) < 0) chunks.push(c);
    });
    return Promise.all(chunks.map(function (c) {
      return load("d-" + c + ".js").then(function () { return state.docs[c]; }).then(function (list) { state.docs[c] = list; });
    })).then(function () {
      return ids.map(function (d) { return state.docs[Math.floor(d / state.meta.chunk)][d % state.meta.chunk]; });
    });
  }

  // Text with the query's words marked, as DOM nodes (never as HTML).
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  function matchesIn(text, words) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var w = m[0].toLowerCase();
      for (var i = 0; i < words.length; i++) {
        if (w.lastIndexOf(words[i], 0) === 0) { out.push([m.index, m.index + m[0].length, i]); break; }
      }
    }
    return out;
  }
  function marked(parent, text, words) {
    var at = 0;
    matchesIn(text, words).forEach(function (m) {
      parent.appendChild(document.createTextNode(text.slice(at, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      parent.appendChild(mark);
      at = m[1];
    });
    parent.appendChild(document.createTextNode(text.slice(at)));
  }
  // The field with the most of the query's words (titles show anyway),
  // cut around its first match.
  function snippet(fields, words) {
    var best = null, bestCount = 0;
    fields.forEach(function (f) {
      if (f[0] === "Title" || f[0] === "Id") return;
      var distinct = map();
      matchesIn(f[1], words).forEach(function (m) { distinct[m[2]] = true; });
      var c = Object.keys(distinct).length;
      if (c > bestCount) { best = f; bestCount = c; }
    });
    if (!best) best = fields[fields.length - 1] || ["", ""];
    var text = best[1], first = bestCount ? matchesIn(text, words)[0][0] : 0;
    var start = Math.max(0, first - 90);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      start = space >= 0 && space < first ? space + 1 : start;
    }
    var end = Math.min(text.length, start + 260);
    if (end < text.length) {
      var cut = text.lastIndexOf(" ", end);
      if (cut > first) end = cut;
    }
    return [best[0], (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "")];
  }

  var form = document.getElementById("hs-search");
  var input = document.getElementById("hs-search-q");
  var status = document.getElementById("hs-search-status");
  var results = document.getElementById("hs-results");
  var more = document.getElementById("hs-search-more");
  if (!form || !input || !results) return;
  form.hidden = false;
  var found = null, shown = 0, serial = 0;

  function show(from) {
    var mine = serial;
    var ids = found.docs.slice(from, from + PAGE);
    return documents(ids).then(function (docs) {
      if (mine !== serial) return;
      if (from === 0) results.textContent = "";
      docs.forEach(function (d) {
        var li = document.createElement("li");
        li.className = "result";
        var a = document.createElement("a");
        a.className = "result-title";
        a.href = root + d[0];
        marked(a, d[1], found.words);
        var meta = document.createElement("div");
        meta.className = "muted small";
        meta.textContent = d[2];
        var cut = snippet(d[3], found.words);
        var p = document.createElement("p");
        p.className = "snippet";
        if (cut[0]) {
          var label = document.createElement("span");
          label.className = "snippet-field";
          label.textContent = cut[0] + ": ";
          p.appendChild(label);
        }
        marked(p, cut[1], found.words);
        li.appendChild(a);
        li.appendChild(meta);
        li.appendChild(p);
        results.appendChild(li);
      });
      shown = from + docs.length;
      more.hidden = shown >= found.docs.length;
    });
  }

  function run() {
    var query = input.value;
    var mine = ++serial;
    var started = performance.now();
    remember(query);
    if (!terms(query).length) {
      results.textContent = "";
      more.hidden = true;
      status.textContent = query.trim() ? "Type words of two letters or more." : "";
      return Promise.resolve();
    }
    return search(query).then(function (r) {
      if (mine !== serial) return;
      found = r;
      var n = r.docs.length;
      status.textContent = n === 0 ? "Nothing matches “" + query.trim() + "”."
        : n + (n === 1 ? " document matches" : " documents match") + " “" + query.trim() + "”.";
      if (n === 0) { results.textContent = ""; more.hidden = true; return; }
      return show(0);
    }).then(function () {
      if (mine === serial) api.lastQueryMs = performance.now() - started;
    }).catch(function (e) {
      if (mine === serial) status.textContent = "The search index could not be loaded (" + e.message + "). Rebuild the site.";
    });
  }
  api.run = function (query) { input.value = query; return run(); };

  function remember(query) {
    var search = query ? "?q=" + encodeURIComponent(query) : "";
    if (search === location.search) return;
    try {
      history.replaceState(null, "", location.pathname + search);
    } catch (e) {
      // Some browsers refuse replaceState on file://; the search still works.
    }
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  input.addEventListener("input", run);
  more.addEventListener("click", function () { show(shown); });
  var params = new URLSearchParams(location.search);
  var site = document.getElementById("hs-site-q");
  if (params.get("q")) {
    input.value = params.get("q");
    if (site) site.value = params.get("q");
    run();
  }
  input.focus();
})();

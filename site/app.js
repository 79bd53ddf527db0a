// hindsight: filters and search on the incident index. Reads the data that
// assets/search-index.js assigns (a script, so it also works from file://)
// and hides the rows that do not match. Without script every row shows.
(function () {
  "use strict";
  var data = window.HINDSIGHT_SEARCH;
  var form = document.getElementById("hs-filters");
  var table = document.getElementById("hs-incidents");
  if (!data || !form || !table) return;
  var rows = table.tBodies[0] ? table.tBodies[0].rows : [];
  if (rows.length !== data.length) return;

  var fields = ["severity", "service", "tag", "status", "year"];
  var controls = {};
  fields.forEach(function (f) { controls[f] = document.getElementById("hs-" + f); });
  var q = document.getElementById("hs-q");
  var count = document.getElementById("hs-count");
  var none = document.getElementById("hs-none");
  form.hidden = false;

  function matches(entry, want, words) {
    if (want.severity && entry.severity !== want.severity) return false;
    if (want.status && entry.status !== want.status) return false;
    if (want.year && entry.year !== want.year) return false;
    if (want.service && entry.services.indexOf(want.service) < 0) return false;
    if (want.tag && entry.tags.indexOf(want.tag) < 0) return false;
    for (var i = 0; i < words.length; i++) {
      if (entry.text.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  function current() {
    var want = {};
    fields.forEach(function (f) { want[f] = controls[f] ? controls[f].value : ""; });
    want.q = q ? q.value : "";
    return want;
  }

  function apply() {
    var want = current();
    var words = want.q.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    for (var i = 0; i < data.length; i++) {
      var ok = matches(data[i], want, words);
      if (rows[i].hidden === ok) rows[i].hidden = !ok;
      if (ok) shown++;
    }
    var filtered = shown !== data.length;
    count.textContent = filtered
      ? shown + " of " + data.length + " incidents"
      : data.length + " incidents";
    if (none) none.hidden = shown !== 0;
    table.hidden = shown === 0;
    remember(want);
  }

  // The filter state lives in the address (#severity=SEV1&q=dns) so that a
  // filtered list can be shared and survives going back.
  function remember(want) {
    var parts = [];
    Object.keys(want).forEach(function (k) {
      if (want[k]) parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(want[k]));
    });
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (hash === location.hash || (!hash && !location.hash)) return;
    try {
      history.replaceState(null, "", hash || location.pathname + location.search);
    } catch (e) {
      // Some browsers refuse replaceState on file://; the filter still works.
    }
  }

  // A hand-typed or truncated address (`#q=%`) is read as written
  // rather than stopping the page's script.
  function decode(text) {
    try {
      return decodeURIComponent(text);
    } catch (e) {
      return text;
    }
  }

  function restore() {
    var hash = location.hash.replace(/^#/, "");
    if (!hash) return;
    hash.split("&").forEach(function (pair) {
      var kv = pair.split("=");
      var key = decode(kv[0] || "");
      var value = decode((kv[1] || "").replace(/\+/g, " "));
      if (key === "q" && q) q.value = value;
      else if (controls[key]) {
        var known = Array.prototype.some.call(controls[key].options, function (o) { return o.value === value; });
        if (known) controls[key].value = value;
      }
    });
  }

  var timer = null;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, data.length > 2000 ? 120 : 0);
  });
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== q && q) {
      e.preventDefault();
      q.focus();
    }
  });
  restore();
  apply();
})();

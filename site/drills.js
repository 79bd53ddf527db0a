// hindsight: filters and search on the drill index. Each row carries its
// kind, status, year, services and runbooks as data attributes; rows that
// do not match are hidden. Without script every row shows.
(function () {
  "use strict";
  var form = document.getElementById("hs-drill-filters");
  var table = document.getElementById("hs-drills");
  if (!form || !table || !table.tBodies[0]) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var fields = ["kind", "status", "service", "runbook", "year"];
  // Keyed by names from the address: no inherited keys (`constructor`).
  var controls = Object.create(null);
  fields.forEach(function (f) { controls[f] = document.getElementById("hs-drill-" + f); });
  var q = document.getElementById("hs-drill-q");
  var count = document.getElementById("hs-drill-count");
  var none = document.getElementById("hs-drill-none");
  var entries = rows.map(function (row) {
    var d = row.dataset;
    return {
      kind: d.kind, status: d.status, year: d.year,
      services: (d.services || "").split(" ").filter(Boolean),
      runbooks: (d.runbooks || "").split(" ").filter(Boolean),
      text: row.textContent.toLowerCase()
    };
  });
  form.hidden = false;

  function matches(e, want, words) {
    if (want.kind && e.kind !== want.kind) return false;
    if (want.status && e.status !== want.status) return false;
    if (want.year && e.year !== want.year) return false;
    if (want.service && e.services.indexOf(want.service) < 0) return false;
    if (want.runbook && e.runbooks.indexOf(want.runbook) < 0) return false;
    for (var i = 0; i < words.length; i++) {
      if (e.text.indexOf(words[i]) < 0) return false;
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
    for (var i = 0; i < rows.length; i++) {
      var ok = matches(entries[i], want, words);
      if (rows[i].hidden === ok) rows[i].hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown !== rows.length
      ? shown + " of " + rows.length + (rows.length === 1 ? " drill" : " drills")
      : rows.length + (rows.length === 1 ? " drill" : " drills");
    if (none) none.hidden = shown !== 0;
    table.hidden = shown === 0;
    remember(want);
  }

  // The filter state lives in the address (#kind=game-day&q=dns), as on
  // the incident index, so a filtered list can be shared.
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
      // The value is everything after the first `=` (`q=a=b` is `a=b`).
      var at = pair.indexOf("=");
      var key = decode(at < 0 ? pair : pair.slice(0, at));
      var value = decode((at < 0 ? "" : pair.slice(at + 1)).replace(/\+/g, " "));
      if (key === "q" && q) q.value = value;
      else if (Object.prototype.hasOwnProperty.call(controls, key) && controls[key]) {
        var known = Array.prototype.some.call(controls[key].options, function (o) { return o.value === value; });
        if (known) controls[key].value = value;
      }
    });
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  restore();
  apply();
})();

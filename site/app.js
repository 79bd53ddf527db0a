// hindsight: the long lists (incidents on the index, open action items).
// The page carries its first rows; the data script (assets/data/*.js,
// a script so that it also loads from file://) holds every row. This
// filters that data and renders the matching rows a page at a time.
// Without script the first rows show. The incidents' summaries come in a
// script of their own (incident-summaries.js, half the index's data),
// added once the page has loaded: it calls window.hsSummaries once it
// ran, and the list filters again with them.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  // What a missing value reads as, as on every page (format::NONE).
  var MISSING = "—";
  var form = document.getElementById("hs-filters");
  if (!form) return;
  var list = null;
  if (window.HINDSIGHT_INCIDENTS && document.getElementById("hs-incidents")) {
    list = incidents(window.HINDSIGHT_INCIDENTS);
  } else if (window.HINDSIGHT_ACTIONS && document.getElementById("hs-actions")) {
    list = actions(window.HINDSIGHT_ACTIONS);
  }
  if (!list) return;

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function badge(cls, text) { return '<span class="badge ' + esc(cls) + '">' + esc(text) + "</span>"; }
  function chips(names, idx, cls) {
    var out = "";
    for (var i = 0; i < idx.length; i++) out += '<span class="chip ' + cls + '">' + esc(names[idx[i]]) + "</span>";
    return out;
  }

  // The source (SPEC section 13) an id belongs to: `name:ID`, or "-" for
  // this repository's own.
  function sourceOf(id) {
    var colon = id.indexOf(":");
    return colon < 0 ? "-" : id.slice(0, colon);
  }

  // The incident index: severity, service, tag, status, year, source and text.
  function incidents(d) {
    var table = document.getElementById("hs-incidents");
    var hay = null, summaryHay = null;
    // The summaries' script, once it ran (or the row's own, when the
    // data carries them).
    function summary(i) {
      var all = window.HINDSIGHT_SUMMARIES;
      return (all && all[i]) || d.rows[i][12] || "";
    }
    // The summaries, lowercased, apart from the rest of a row's text: when
    // they arrive, the text the filter already made stays.
    function summaries() {
      var all = window.HINDSIGHT_SUMMARIES;
      if (summaryHay || !all) return summaryHay;
      summaryHay = new Array(all.length);
      for (var i = 0; i < all.length; i++) summaryHay[i] = String(all[i] || "").toLowerCase();
      return summaryHay;
    }
    function haystack() {
      if (hay) return hay;
      hay = new Array(d.rows.length);
      for (var i = 0; i < d.rows.length; i++) {
        var r = d.rows[i], parts = [r[0], r[1], r[12]];
        for (var s = 0; s < r[5].length; s++) parts.push(d.services[r[5][s]]);
        for (var t = 0; t < r[6].length; t++) parts.push(d.tags[r[6][t]]);
        if (r[7] >= 0) parts.push(d.owners[r[7]]);
        hay[i] = parts.join("\n").toLowerCase();
      }
      return hay;
    }
    function position(names, value) { return value ? names.indexOf(value) : -2; }
    // With near misses (r[13]) among them, the rows are postmortems.
    var near = d.rows.some(function (r) { return r[13]; });
    return {
      // The summaries arrived: the text filter reads them from now on.
      more: function () { summaryHay = null; },
      noun: near ? ["postmortem", "postmortems"] : ["incident", "incidents"],
      fields: ["severity", "service", "tag", "status", "year", "source"],
      body: table.tBodies[0],
      total: d.rows.length,
      pageSize: Number(table.getAttribute("data-page")) || 50,
      filter: function (want, words) {
        var sev = d.severities.map(function (s) { return s.name; }).indexOf(want.severity);
        if (want.severity && sev < 0) return [];
        var st = position(d.statuses, want.status), sv = position(d.services, want.service), tg = position(d.tags, want.tag);
        if (st === -1 || sv === -1 || tg === -1) return [];
        var h = words.length ? haystack() : null, sh = words.length ? summaries() : null, out = [];
        outer: for (var i = 0; i < d.rows.length; i++) {
          var r = d.rows[i];
          if (want.severity && r[3] !== sev) continue;
          if (st >= 0 && r[4] !== st) continue;
          if (want.year && r[8] !== want.year) continue;
          if (want.source && sourceOf(r[0]) !== want.source) continue;
          if (sv >= 0 && r[5].indexOf(sv) < 0) continue;
          if (tg >= 0 && r[6].indexOf(tg) < 0) continue;
          for (var w = 0; w < words.length; w++) {
            if (h[i].indexOf(words[w]) < 0 && !(sh && sh[i].indexOf(words[w]) >= 0)) continue outer;
          }
          out.push(i);
        }
        return out;
      },
      row: function (i) {
        var r = d.rows[i], sev = d.severities[r[3]], status = d.statuses[r[4]], text = summary(i);
        return "<tr>" +
          "<td>" + badge(sev.class, sev.name) + "</td>" +
          '<td><a href="' + esc(root + r[2]) + '">' + esc(r[1]) + "</a>" +
          (r[13] ? ' <span class="chip near-miss">near miss</span>' : "") +
          '<div class="muted small"><span class="id">' + esc(r[0]) + "</span>" +
          (text ? ' · <span class="summary">' + esc(text) + "</span>" : "") + "</div></td>" +
          "<td>" + chips(d.services, r[5], "service") + "</td>" +
          "<td>" + badge("status status-" + status, status) + "</td>" +
          "<td>" + esc(r[11]) + "</td>" +
          '<td><time datetime="' + esc(r[10]) + '">' + esc(r[9]) + "</time></td></tr>";
      },
    };
  }

  // The open action items: owner, state and text.
  function actions(d) {
    var wrap = document.getElementById("hs-actions");
    var table = wrap.querySelector("table");
    var hay = null;
    function haystack() {
      if (hay) return hay;
      hay = d.items.map(function (a) {
        var inc = a[3] >= 0 ? d.incidents[a[3]] : null;
        return [a[0], a[1], d.owners[a[2]], inc ? inc[0] + "\n" + inc[1] : a[9] ? a[9][0] + "\n" + a[9][1] : "", a[6]].join("\n").toLowerCase();
      });
      return hay;
    }
    return {
      noun: ["open item", "open items"],
      fields: ["owner", "state", "source"],
      body: table.tBodies[0],
      total: d.items.length,
      pageSize: Number(wrap.getAttribute("data-page")) || 50,
      filter: function (want, words) {
        var owner = want.owner ? d.owners.indexOf(want.owner) : -2;
        if (owner === -1) return [];
        var h = words.length ? haystack() : null, out = [];
        outer: for (var i = 0; i < d.items.length; i++) {
          var a = d.items[i];
          if (owner >= 0 && a[2] !== owner) continue;
          if (want.state === "overdue" && !a[5]) continue;
          if (want.state === "due" && a[5]) continue;
          if (want.source && sourceOf(a[0]) !== want.source) continue;
          for (var w = 0; w < words.length; w++) if (h[i].indexOf(words[w]) < 0) continue outer;
          out.push(i);
        }
        return out;
      },
      row: function (i) {
        var a = d.items[i], inc = a[3] >= 0 ? d.incidents[a[3]] : null;
        var incident = "";
        if (inc) {
          var sev = d.severities[inc[3]];
          incident = '<a href="' + esc(root + inc[2]) + '" title="' + esc(inc[1]) + '">' + badge(sev.class, sev.name) +
            ' <span class="id">' + esc(inc[0]) + "</span></a>";
        } else if (a[9]) {
          var dr = a[9];
          incident = '<a href="' + esc(root + dr[2]) + '" title="' + esc(dr[1]) + '"><span class="chip kind">' + esc(dr[3]) +
            '</span> <span class="id">' + esc(dr[0]) + "</span></a>";
        }
        var state = a[5]
          ? '<span class="badge overdue" title="' + a[5] + ' days past due">overdue ' + a[5] + " d</span>"
          : badge("item-open", "open");
        var tracker = a[7] ? '<a href="' + esc(a[7]) + '" rel="noreferrer">' + esc(a[8]) + "</a>" : MISSING;
        return (a[5] ? '<tr class="is-overdue">' : "<tr>") +
          "<td>" + esc(a[1]) +
          (a[6] ? ' <span class="chip kind">' + esc(a[6]) + "</span>" : "") +
          "<small>" + esc(a[0]) + "</small></td>" +
          "<td>" + incident + "</td>" +
          "<td>" + esc(d.owners[a[2]]) + "</td>" +
          "<td>" + (a[4] ? esc(a[4]) : MISSING) + "</td>" +
          "<td>" + state + "</td>" +
          "<td>" + tracker + "</td></tr>";
      },
    };
  }

  // Keyed by names from the address: no inherited keys (`constructor`).
  var controls = Object.create(null);
  list.fields.forEach(function (f) { controls[f] = document.getElementById("hs-" + f); });
  var q = document.getElementById("hs-q");
  var count = document.getElementById("hs-count");
  var none = document.getElementById("hs-none");
  var more = document.getElementById("hs-more");
  var everything = document.getElementById("hs-everything");
  var table = list.body.parentNode;
  var matches = [];
  var shown = 0;
  var filtered = false;
  form.hidden = false;
  if (everything) everything.hidden = false;

  function current() {
    var want = {};
    list.fields.forEach(function (f) { want[f] = controls[f] ? controls[f].value : ""; });
    want.q = q ? q.value : "";
    return want;
  }

  // Whether the rows shown are still the page's own: they carry their
  // summaries before the summaries' script has run.
  var ownRows = true;
  function render(from, to) {
    var html = "";
    for (var i = from; i < to; i++) html += list.row(matches[i]);
    if (from === 0) list.body.innerHTML = html;
    else list.body.insertAdjacentHTML("beforeend", html);
    shown = to;
    ownRows = false;
  }

  function describe() {
    // "1 incident", "2 incidents", "1 of 2 incidents": the noun agrees
    // with the total.
    var noun = list.noun[list.total === 1 ? 0 : 1];
    var text = filtered
      ? matches.length + " of " + list.total + " " + noun
      : list.total + " " + noun;
    if (shown < matches.length) text += ", the first " + shown + " shown";
    count.textContent = text;
    if (more) {
      more.hidden = shown >= matches.length;
      more.textContent = "Show " + Math.min(list.pageSize, matches.length - shown) + " more";
    }
  }

  function apply() {
    var want = current();
    var words = want.q.toLowerCase().split(/\s+/).filter(Boolean);
    matches = list.filter(want, words);
    filtered = words.length > 0 || list.fields.some(function (f) { return want[f]; });
    // Unfiltered at first, the page's own rows are the first page.
    if (ownRows && !filtered) shown = Math.min(list.pageSize, matches.length);
    else render(0, Math.min(list.pageSize, matches.length));
    describe();
    if (none) none.hidden = matches.length !== 0;
    table.hidden = matches.length === 0;
    remember(want);
  }

  // The filter state lives in the address (#severity=SEV1&q=dns) so that a
  // filtered list can be shared, survives going back, and can be edited.
  function hashOf(want) {
    var parts = [];
    Object.keys(want).forEach(function (k) {
      if (want[k]) parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(want[k]));
    });
    return parts.length ? "#" + parts.join("&") : "";
  }
  function remember(want) {
    var hash = hashOf(want);
    if (hash === location.hash || (!hash && !location.hash)) return;
    // An owner's anchor (#owner-ana) stays until the filter changes.
    if (!hash && /^#owner-/.test(location.hash)) return;
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
    var anchor = hash.indexOf("=") < 0 && hash ? document.getElementById(decode(hash)) : null;
    if (hash && !anchor && hash.indexOf("=") < 0) return false;
    if (q) q.value = "";
    list.fields.forEach(function (f) { if (controls[f]) controls[f].value = ""; });
    if (anchor) {
      // An owner chip of the actions page: show that owner's items.
      var owner = anchor.getAttribute("data-owner");
      if (owner !== null && controls.owner) controls.owner.value = owner;
      return true;
    }
    if (!hash) return true;
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
    return true;
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  if (more) more.addEventListener("click", function () {
    render(shown, Math.min(shown + list.pageSize, matches.length));
    describe();
  });
  window.addEventListener("hashchange", function () {
    if (location.hash === hashOf(current())) return;
    if (restore()) apply();
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA");
    if (e.key === "/" && !typing && q) {
      e.preventDefault();
      q.focus();
    }
  });
  // The summaries' script ran: filter again with them, and show them in
  // the rows already drawn.
  window.hsSummaries = function () {
    if (!list.more) return;
    list.more();
    if (ownRows) return;
    var n = shown;
    apply();
    if (n > shown) {
      render(shown, Math.min(n, matches.length));
      describe();
    }
  };
  restore();
  apply();
  // The summaries once the page is usable: their script is added after
  // DOMContentLoaded, so that the page never waits for it.
  if (list.more && !window.HINDSIGHT_SUMMARIES) {
    document.addEventListener("DOMContentLoaded", function () {
      setTimeout(function () {
        var script = document.createElement("script");
        script.src = root + "assets/data/incident-summaries.js";
        document.body.appendChild(script);
      }, 0);
    });
  }
})();

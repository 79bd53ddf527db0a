// Injected by `hindsight serve` (never part of a built site): loads the
// page again when the repository changes and shows lint problems of the
// changed documents over the page.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = Number(me.getAttribute("data-version"));

  function overlay(problems) {
    var old = document.getElementById("hindsight-overlay");
    if (old) old.remove();
    if (!problems.length) return;
    var box = document.createElement("aside");
    box.id = "hindsight-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:45vh;overflow:auto;" +
      "z-index:2147483647;background:#1d1f21;color:#f5f5f5;border-left:6px solid #e5484d;" +
      "padding:1rem 1.25rem;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;" +
      "box-shadow:0 8px 24px rgba(0,0,0,.35);border-radius:6px;white-space:pre-wrap";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Hide these problems");
    close.style.cssText = "float:right;background:none;border:0;color:inherit;font-size:20px;cursor:pointer";
    close.onclick = function () { box.remove(); };
    box.appendChild(close);
    var title = document.createElement("strong");
    title.textContent = "hindsight lint: " + problems.length + " problem" + (problems.length === 1 ? "" : "s") + " in the changed documents";
    box.appendChild(title);
    problems.forEach(function (p) {
      var line = document.createElement("div");
      line.className = "hindsight-problem";
      line.style.marginTop = ".5rem";
      line.style.color = p.severity === "error" ? "#ff9592" : "#ffd60a";
      // textContent: messages quote the user's text.
      line.textContent = p.file + ":" + p.line + ":" + p.column + ": " + p.severity + "[" + p.code + "]: " + p.message +
        (p.help ? "\n  help: " + p.help : "") + (p.note ? "\n  note: " + p.note : "");
      box.appendChild(line);
    });
    document.body.appendChild(box);
  }

  function state() {
    fetch("/__hindsight/state", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) { overlay(s.problems); })
      .catch(function () {});
  }

  function stylesheets(doc) {
    return Array.prototype.map.call(doc.querySelectorAll("link[rel=stylesheet]"), function (l) {
      return l.getAttribute("href");
    }).join(" ");
  }

  // Load the page again and put its body in place of the old one: the
  // page keeps its scroll position and does not fetch its styles again.
  // A page whose styles changed, or that is gone, is loaded in full.
  function refresh() {
    fetch(location.href, { cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (stylesheets(doc) !== stylesheets(document)) throw new Error("styles changed");
        document.title = doc.title;
        document.body.replaceWith(doc.body);
        // Scripts that arrive this way do not run: start copies, in order.
        Array.prototype.forEach.call(document.body.querySelectorAll("script"), function (old) {
          if (old.hasAttribute("data-hindsight-live")) {
            version = Number(old.getAttribute("data-version"));
            return;
          }
          var fresh = document.createElement("script");
          Array.prototype.forEach.call(old.attributes, function (a) { fresh.setAttribute(a.name, a.value); });
          fresh.async = false;
          fresh.text = old.text;
          old.replaceWith(fresh);
        });
        state();
        wait();
      })
      .catch(function () { location.reload(); });
  }

  function wait() {
    // Tests and tools can tell that the page follows the repository.
    document.documentElement.setAttribute("data-hindsight-live", String(version));
    fetch("/__hindsight/wait?version=" + version, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.version !== version) {
          document.documentElement.removeAttribute("data-hindsight-live");
          refresh();
        } else {
          wait();
        }
      })
      .catch(function () { setTimeout(wait, 1000); });
  }

  state();
  wait();
})();

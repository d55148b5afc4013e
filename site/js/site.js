// Every page: shows who is signed in, and runs the home page's search. Pages work without it.
(function () {
  "use strict";

  // One request per page; the form script waits on the same answer.
  var session = fetch("/web/session", { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { signed_in: false }; })
    .catch(function () { return null; }); // unknown: leave the page as the server sent it
  window.partnerSession = session;

  session.then(function (state) {
    if (!state) return;
    document.querySelectorAll("[data-session-signed-in]").forEach(function (el) { el.hidden = !state.signed_in; });
    document.querySelectorAll("[data-session-signed-out]").forEach(function (el) { el.hidden = state.signed_in; });
    if (state.signed_in) {
      document.querySelectorAll("[data-session-name]").forEach(function (el) {
        el.textContent = state.partner.contact_name;
      });
    }
  });

  var form = document.querySelector("[data-search]");
  if (!form) return;
  var input = form.querySelector("[data-search-input]");
  var status = form.querySelector("[data-search-status]");
  var list = form.querySelector("[data-search-results]");
  var entries = null;
  form.hidden = false;

  function load() {
    if (!entries) {
      entries = fetch("/search-index.json").then(function (r) { return r.json(); });
    }
    return entries;
  }

  function score(entry, terms) {
    var title = (entry.title + " " + entry.section).toLowerCase();
    var text = entry.text.toLowerCase();
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var inTitle = title.indexOf(terms[i]) !== -1;
      if (!inTitle && text.indexOf(terms[i]) === -1) return 0; // every word must match
      total += inTitle ? 3 : 1;
    }
    return total;
  }

  function show(results, query) {
    list.textContent = "";
    results.slice(0, 8).forEach(function (found) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = found.entry.url;
      link.textContent = found.entry.section ? found.entry.title + ": " + found.entry.section : found.entry.title;
      var preview = document.createElement("p");
      preview.textContent = found.entry.text.slice(0, 160);
      item.appendChild(link);
      item.appendChild(preview);
      list.appendChild(item);
    });
    status.textContent = query ? results.length + (results.length === 1 ? " result" : " results") + " for \u201c" + query + "\u201d" : "";
  }

  function search() {
    var query = input.value.trim();
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) { show([], ""); return; }
    load().then(function (all) {
      if (input.value.trim() !== query) return; // typed on meanwhile
      var results = all
        .map(function (entry) { return { entry: entry, score: score(entry, terms) }; })
        .filter(function (found) { return found.score > 0; })
        .sort(function (a, b) { return b.score - a.score; });
      show(results, query);
    });
  }

  input.addEventListener("input", search);
  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
})();

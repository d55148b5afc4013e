// The home page's search: the index built with the site (lunr.py), searched with lunr.js
// (site/js/vendor/). Loaded by the home page only; without script the form stays hidden and
// the page links the list of every article with its sections.
(function () {
  "use strict";

  var form = document.querySelector("[data-search]");
  if (!form) return;
  var input = form.querySelector("[data-search-input]");
  var status = form.querySelector("[data-search-status]");
  var list = form.querySelector("[data-search-results]");
  var entries = null;
  form.hidden = false;

  // The index was built with the site (lunr.py); lunr.js (site/js/vendor/) searches it.
  function load() {
    if (!entries) {
      entries = fetch("/search-index.json")
        .then(function (r) { return r.json(); })
        .then(function (data) { return { index: window.lunr.Index.load(data.index), documents: data.documents }; });
    }
    return entries;
  }

  // Each word typed, stemmed as the index was, or as the start of a longer word ("exten"
  // finds "extend"); any word may match, sections matching more of them rank first.
  // Built as a query, not parsed: what a reader types is never lunr syntax.
  function find(loaded, query) {
    var tokens = window.lunr.tokenizer(query);
    return loaded.index.query(function (q) {
      tokens.forEach(function (token) {
        q.term(token, { boost: 10 });
        q.term(token.toString(), { usePipeline: false, wildcard: window.lunr.Query.wildcard.TRAILING });
      });
    });
  }

  function show(results, documents, query) {
    list.textContent = "";
    results.slice(0, 8).forEach(function (found) {
      var entry = documents[found.ref];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = found.ref;
      link.textContent = entry.section ? entry.title + ": " + entry.section : entry.title;
      var preview = document.createElement("p");
      preview.textContent = entry.text;
      item.appendChild(link);
      item.appendChild(preview);
      list.appendChild(item);
    });
    status.textContent = query ? results.length + (results.length === 1 ? " result" : " results") + " for \u201c" + query + "\u201d" : "";
  }

  function search() {
    var query = input.value.trim();
    if (!query) { show([], {}, ""); return; }
    load().then(function (loaded) {
      if (input.value.trim() !== query) return; // typed on meanwhile
      show(find(loaded, query), loaded.documents, query);
    });
  }

  input.addEventListener("input", search);
  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
})();

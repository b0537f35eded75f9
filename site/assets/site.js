// drillbook site: search over the index in assets/search-index.js, and a sortable,
// filterable document table. No network request: everything it reads is on this page.
// Record fields: [href, title, key, status, agents, steps]; a step: [title, anchor, agent, prompt].
(function () {
  "use strict";
  var MAX_RESULTS = 50;

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // The text with every query word wrapped in <mark>, built from text nodes (never HTML).
  function highlighted(text, terms) {
    var span = el("span");
    var lower = text.toLowerCase();
    var at = 0;
    while (at < text.length) {
      var best = -1, len = 0;
      terms.forEach(function (t) {
        var i = lower.indexOf(t, at);
        if (i >= 0 && (best < 0 || i < best)) { best = i; len = t.length; }
      });
      if (best < 0) { break; }
      span.appendChild(document.createTextNode(text.slice(at, best)));
      span.appendChild(el("mark", "", text.slice(best, best + len)));
      at = best + len;
    }
    span.appendChild(document.createTextNode(text.slice(at)));
    return span;
  }

  function excerpt(text, terms) {
    var lower = text.toLowerCase(), first = -1;
    terms.forEach(function (t) {
      var i = lower.indexOf(t);
      if (i >= 0 && (first < 0 || i < first)) { first = i; }
    });
    var start = Math.max(0, first - 60);
    return (start > 0 ? "…" : "") + text.slice(start, start + 180) + (start + 180 < text.length ? "…" : "");
  }

  function covers(text, terms) {
    var lower = text.toLowerCase();
    return terms.every(function (t) { return lower.indexOf(t) >= 0; });
  }

  // One scored result per document: every word must occur somewhere in it; titles weigh
  // most, then agents, step titles and prompts; the steps that match are listed.
  function search(query) {
    var terms = words(query), phrase = query.trim().toLowerCase(), found = [];
    if (!terms.length) { return found; }
    (window.drillbookSearchIndex || []).forEach(function (doc) {
      var steps = doc[5], all = [doc[1], doc[2], doc[4].join(" ")];
      steps.forEach(function (s) { all.push(s[0], s[2], s[3]); });
      if (!covers(all.join(" \u0000 "), terms)) { return; }
      var score = 0, hits = [];
      if (covers(doc[1], terms)) { score += 100; }
      if (doc[1].toLowerCase().indexOf(phrase) >= 0) { score += 50; }
      if (covers(doc[4].join(" "), terms)) { score += 40; }
      steps.forEach(function (s) {
        var where = null;
        if (covers(s[2], terms)) { where = ["agent", s[2]]; score += 20; }
        else if (covers(s[0], terms)) { where = ["step", s[0]]; score += 15; }
        else if (covers(s[3], terms)) {
          where = ["prompt", excerpt(s[3], terms)];
          score += s[3].toLowerCase().indexOf(phrase) >= 0 ? 12 : 5;
        }
        if (where) { hits.push({step: s, kind: where[0], text: where[1]}); }
      });
      found.push({doc: doc, score: score, hits: hits});
    });
    found.sort(function (a, b) { return b.score - a.score || (a.doc[2] < b.doc[2] ? -1 : 1); });
    return found;
  }

  function showResults(query) {
    var list = document.getElementById("results");
    var status = document.getElementById("search-status");
    var terms = words(query);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!terms.length) { status.textContent = ""; return; }
    var found = search(query);
    status.textContent = found.length === 0 ? "No playbook matches." :
      found.length + " playbook" + (found.length === 1 ? "" : "s") + " match" +
      (found.length > MAX_RESULTS ? "; showing the first " + MAX_RESULTS : "") + ".";
    found.slice(0, MAX_RESULTS).forEach(function (r) {
      var item = el("li");
      var link = el("a", "result");
      link.href = r.doc[0];
      link.appendChild(highlighted(r.doc[1], terms));
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("span", "where", r.doc[2]));
      r.hits.slice(0, 3).forEach(function (h) {
        var hit = el("a", "hit");
        hit.href = r.doc[0] + "#" + h.step[1];
        hit.appendChild(document.createTextNode(h.step[0] + " · " + h.kind + ": "));
        hit.appendChild(highlighted(h.text, terms));
        item.appendChild(hit);
      });
      list.appendChild(item);
    });
  }

  function focusables() {
    return Array.prototype.slice.call(document.querySelectorAll("#results a"));
  }

  function setupSearch() {
    var input = document.getElementById("search");
    if (!input) { return; }
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { showResults(input.value); }, 60);
    });
    document.addEventListener("keydown", function (event) {
      var links = focusables(), at = links.indexOf(document.activeElement);
      if (event.key === "/" && document.activeElement !== input &&
          !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
        event.preventDefault(); input.focus(); input.select();
      } else if (event.key === "ArrowDown" && (document.activeElement === input || at >= 0)) {
        if (links.length) { event.preventDefault(); links[Math.min(at + 1, links.length - 1)].focus(); }
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at === 0) { input.focus(); } else { links[at - 1].focus(); }
      } else if (event.key === "Escape" && (document.activeElement === input || at >= 0)) {
        input.value = ""; showResults(""); input.focus();
      }
    });
    if (input.value) { showResults(input.value); }
  }

  // --- the document table: filters and sorting ----------------------------------------
  function setupTable() {
    var table = document.getElementById("documents-table");
    if (!table) { return; }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var status = document.getElementById("filter-status");
    var dialect = document.getElementById("filter-dialect");
    var folder = document.getElementById("filter-folder");
    var shown = document.getElementById("shown");

    function apply() {
      var count = 0, f = folder.value.trim().toLowerCase();
      rows.forEach(function (row) {
        var ok = (!status.value || row.dataset.status === status.value) &&
          (!dialect.value || row.dataset.dialect.split(", ").indexOf(dialect.value) >= 0) &&
          (!f || (row.dataset.folder.toLowerCase() + "/").indexOf(f) === 0 ||
           row.dataset.folder.toLowerCase().indexOf(f) >= 0);
        row.hidden = !ok;
        if (ok) { count += 1; }
      });
      shown.textContent = count + " of " + rows.length + " shown";
    }
    [status, dialect].forEach(function (s) { s.addEventListener("change", apply); });
    folder.addEventListener("input", apply);
    var hash = /^#folder=(.*)$/.exec(window.location.hash);
    if (hash) { folder.value = decodeURIComponent(hash[1]); }

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = el("button", "", th.textContent);
      button.type = "button";
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.dataset.sort === "number";
        function key(row) {
          var cell = row.cells[column];
          var value = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim().toLowerCase();
          return numeric ? parseFloat(value) || 0 : value;
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    apply();
  }

  setupSearch();
  setupTable();
}());

/*
 * The Explorer page: concordance lines for any pattern (matcher.js, the rules of `rhetoric kwic`), a hit's
 * paragraph beside the same paragraph of the other version, trends per group and per document, and the formula
 * picker. Data: window.RHETORIC_EXPLORER_DATA (explorer/data.js, written by the build). Tables: DataTables;
 * charts: Vega-Lite through vega-embed (both copied from maintained packages by the build).
 *
 * Corpus text reaches the page only as text: DOM text nodes, or through esc() in DataTables' display renderers.
 */
(function (root) {
  "use strict";

  var DATA = root.RHETORIC_EXPLORER_DATA, M = root.RhetoricMatcher, S = root.RhetoricSite;
  var esc = S.esc, fmt = S.format;
  var state = {lines: [], pattern: "", hits: [], kwicTable: null, formulaTables: {}, views: {}, timer: null};

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }

  function docLabel(d) { return DATA.documents[d].doc_id; }

  /* ------------------------------------------------------------------ tables */

  function textRender(sortKey) {
    return function (value, type, row) {
      if ((type === "sort" || type === "type") && sortKey) return sortKey(row);
      if (type === "display") return esc(value);
      return value === null || value === undefined ? "" : value;
    };
  }

  function numberRender(value, type) {
    if (type === "display") return esc(fmt(value));
    return value === null || value === undefined ? -Infinity : value;
  }

  function makeTable(holder, columns, rows, options) {
    /* A DataTable in `holder` (replacing what was there): columns [{title, data, numeric, sortKey, render,
       className}], rows: plain objects. Every cell is escaped unless a column brings its own render. */
    var DataTable = S.dataTable();
    var old = holder.__table;
    if (old) { old.destroy(); holder.__table = null; }
    clear(holder);
    var table = el("table", {className: "display compact explorer-table"});
    if (options && options.id) table.id = options.id;
    holder.appendChild(table);
    var settings = {
      data: rows, order: (options && options.order) || [], deferRender: true, autoWidth: false,
      pageLength: (options && options.pageLength) || 10,
      lengthMenu: [10, 25, 100, {label: "all", value: -1}],
      language: {emptyTable: (options && options.empty) || "nothing to show"},
      columns: columns.map(function (c) {
        return {title: esc(c.title), data: c.data, className: (c.numeric ? "dt-right num " : "") + (c.className || ""),
                type: c.numeric ? "num" : "string",
                render: c.render || (c.numeric ? numberRender : textRender(c.sortKey))};
      })
    };
    holder.__table = new DataTable(table, settings);
    return holder.__table;
  }

  /* ------------------------------------------------------------------ downloads (CSV, PNG, SVG) */

  function csvText(rows, columns) {
    function cell(v) {
      var s = v === null || v === undefined ? "" : String(v);
      return /[",\n\r]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
    }
    return columns.join(",") + "\n" + rows.map(function (r) {
      return columns.map(function (c) { return cell(r[c]); }).join(",");
    }).join("\n") + "\n";
  }

  function setLink(link, href, name) { link.href = href; link.setAttribute("download", name); }

  function figureLinks(figure, base, rows, columns, view) {
    var links = figure.querySelector(".files");
    clear(links);
    var png = el("a", {text: "PNG"}), svg = el("a", {text: "SVG"});
    var csv = el("a", {text: "CSV"});
    setLink(csv, "data:text/csv;charset=utf-8," + encodeURIComponent(csvText(rows, columns)), base + ".csv");
    links.appendChild(png); links.appendChild(document.createTextNode(" \u00b7 "));
    links.appendChild(svg); links.appendChild(document.createTextNode(" \u00b7 "));
    links.appendChild(csv);
    if (view) {
      view.toImageURL("png", 2).then(function (url) { setLink(png, url, base + ".png"); });
      view.toSVG().then(function (text) {
        setLink(svg, "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text), base + ".svg");
      });
    }
  }

  function drawChart(figure, spec, base, rows, columns) {
    var holder = figure.querySelector(".chart");
    var key = figure.id;
    if (state.views[key]) { state.views[key].finalize(); state.views[key] = null; }
    clear(holder);
    if (!rows.length || typeof root.vegaEmbed !== "function") {
      figureLinks(figure, base, rows, columns, null);
      return Promise.resolve(null);
    }
    // ast: expressions are interpreted, never compiled with eval (the page's policy forbids it)
    return root.vegaEmbed(holder, spec, {ast: true, actions: false, renderer: "svg"}).then(function (result) {
      state.views[key] = result.view;
      figureLinks(figure, base, rows, columns, result.view);
      return result.view;
    });
  }

  /* ------------------------------------------------------------------ the paragraph view */

  function hitsIn(d, paragraph, hits) {
    var doc = DATA.documents[d];
    return hits.filter(function (h) { return h.doc === d && doc.para[h.start] === paragraph; });
  }

  function paragraphNode(d, paragraph, marks, current) {
    /* The paragraph's text as text nodes, hits in <mark> (the current one with class "current"). */
    var doc = DATA.documents[d], span = doc.paragraphs[paragraph], node = el("p", {className: "paragraph-text"});
    var at = span[0];
    marks.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (h) {
      var a = doc.s[h.start], b = doc.e[h.end - 1];
      if (a < at) return;
      node.appendChild(document.createTextNode(doc.text.slice(at, a)));
      var mark = el("mark", {text: doc.text.slice(a, b)});
      if (current && h.doc === current.doc && h.start === current.start) mark.className = "current";
      node.appendChild(mark);
      at = b;
    });
    node.appendChild(document.createTextNode(doc.text.slice(at, span[1])));
    return node;
  }

  function alignedParagraphs(d, paragraph) {
    /* [{doc, paragraphs, bead}] of the other versions aligned with this paragraph (rhetoric align). */
    var id = DATA.documents[d].doc_id, found = [];
    DATA.alignment.forEach(function (bead) {
      var mine = bead.doc_a === id ? bead.a : bead.doc_b === id ? bead.b : null;
      if (!mine || mine.indexOf(paragraph) < 0) return;
      var other = bead.doc_a === id ? bead.doc_b : bead.doc_a;
      found.push({doc: indexOf(other), paragraphs: bead.doc_a === id ? bead.b : bead.a, bead: bead});
    });
    return found;
  }

  function indexOf(docId) {
    for (var i = 0; i < DATA.documents.length; i++) if (DATA.documents[i].doc_id === docId) return i;
    return -1;
  }

  function docHeading(d, paragraph) {
    var doc = DATA.documents[d];
    var head = el("h4", {}, [el("span", {className: "doc-id", text: doc.doc_id}),
                             " (" + [doc.date, doc.genre, doc.translation].filter(Boolean).join(", ") + ")" +
                             ", paragraph " + (paragraph + 1) + " of " + doc.paragraphs.length]);
    var title = el("p", {className: "doc-title", text: doc.title || ""});
    return [head, title];
  }

  function showParagraph(viewId, hit, hits, allHits) {
    /* Open the paragraph of `hit` in the view `viewId`, with every hit of `hits` marked; beside it the aligned
       paragraph(s) of the other version, with the hits of `allHits` (every version) marked there. */
    var view = $(viewId), doc = DATA.documents[hit.doc], paragraph = doc.para[hit.start];
    var left = clear(view.querySelector(".para-a")), right = clear(view.querySelector(".para-b"));
    view.hidden = false;
    docHeading(hit.doc, paragraph).forEach(function (n) { left.appendChild(n); });
    left.appendChild(paragraphNode(hit.doc, paragraph, hitsIn(hit.doc, paragraph, hits.concat([hit])), hit));
    var aligned = alignedParagraphs(hit.doc, paragraph);
    if (!aligned.length) {
      var group = doc.translation_group;
      var versions = DATA.documents.filter(function (o) { return group && o.translation_group === group; }).length;
      right.appendChild(el("p", {className: "note", text: versions > 1
        ? "No paragraph of the other version is aligned with this one."
        : "This text has no other version in the corpus."}));
    }
    aligned.forEach(function (a) {
      if (a.doc < 0) return;
      if (!a.paragraphs.length) {
        right.appendChild(el("p", {className: "note", text: "The alignment leaves this paragraph unpaired: " +
          DATA.documents[a.doc].doc_id + " has no corresponding paragraph here (" + a.bead.kind + ")."}));
        return;
      }
      a.paragraphs.forEach(function (p, k) {
        if (k === 0) docHeading(a.doc, p).forEach(function (n) { right.appendChild(n); });
        right.appendChild(paragraphNode(a.doc, p, hitsIn(a.doc, p, allHits), null));
      });
      right.appendChild(el("p", {className: "note", text: "Aligned by `rhetoric align` (" + a.bead.kind +
        (a.bead.cosine !== null ? ", TF-IDF cosine " + fmt(a.bead.cosine, 2) : "") + ")."}));
    });
    view.scrollIntoView({block: "nearest"});
  }

  /* ------------------------------------------------------------------ concordance lines */

  function leftKey(line) { return line.left.toLowerCase().split(" ").reverse().join(" "); }
  function rightKey(line) { return line.right.toLowerCase(); }

  function lineRows(hits) {
    return M.kwicLines(DATA, hits).map(function (line, i) {
      var doc = DATA.documents[line.doc];
      line.n = i + 1;
      line.doc_id = doc.doc_id;
      line.date = doc.date || "";
      line.genre = doc.genre || "";
      line.hit = hits[i];
      return line;
    });
  }

  function matchRender(value, type, row) {
    if (type !== "display") return value;
    return "<button type=\"button\" class=\"open-paragraph\" data-line=\"" + (row.n - 1) + "\" title=\"open the " +
           "paragraph\">" + esc(value) + "</button>";
  }

  function concordanceTable(holder, rows, extraColumns, onOpen, id) {
    var columns = [{title: "#", data: "n", numeric: true},
                   {title: "document", data: "doc_id"}, {title: "date", data: "date"}, {title: "genre", data: "genre"}]
      .concat(extraColumns || [])
      .concat([{title: "left context", data: "left", className: "kwic-left", sortKey: leftKey},
               {title: "match", data: "match", className: "kwic-match", render: matchRender},
               {title: "right context", data: "right", className: "kwic-right", sortKey: rightKey}]);
    var table = makeTable(holder, columns, rows, {pageLength: 25, empty: "no line", id: id});
    holder.querySelector("table").addEventListener("click", function (event) {
      var button = event.target.closest("button.open-paragraph");
      if (button) onOpen(rows[Number(button.getAttribute("data-line"))]);
    });
    return table;
  }

  /* ------------------------------------------------------------------ trends */

  function selected(allVersions) {
    return DATA.documents.map(function (d, i) { return i; })
      .filter(function (i) { return allVersions || DATA.documents[i].counted; });
  }

  function trendRows(hits, column, allVersions) {
    var docs = selected(allVersions), perDoc = {}, groups = {}, order = [];
    hits.forEach(function (h) { perDoc[h.doc] = (perDoc[h.doc] || 0) + 1; });
    var documents = docs.map(function (d) {
      var doc = DATA.documents[d], count = perDoc[d] || 0;
      return {doc_id: doc.doc_id, date: doc.date || "", genre: doc.genre || "", group: String(doc[column]),
              count: count, n_tokens: doc.n_tokens, per_10k: doc.n_tokens ? 1e4 * count / doc.n_tokens : 0};
    });
    documents.forEach(function (r) {
      if (!groups[r.group]) { groups[r.group] = {group: r.group, count: 0, n_tokens: 0, n_docs: 0}; order.push(r.group); }
      var g = groups[r.group];
      g.count += r.count; g.n_tokens += r.n_tokens; g.n_docs += 1;
    });
    order.sort(function (a, b) {
      var x = Number(a), y = Number(b);
      return !isNaN(x) && !isNaN(y) ? x - y : a < b ? -1 : a > b ? 1 : 0;
    });
    var grouped = order.map(function (k) {
      var g = groups[k];
      g.per_10k = g.n_tokens ? 1e4 * g.count / g.n_tokens : 0;
      g.label = "n = " + plural(g.n_docs, "doc");
      return g;
    });
    return {groups: grouped, documents: documents, order: order};
  }

  function groupSpec(rows, order, column, yTitle) {
    var x = {field: "group", type: "ordinal", sort: order, title: column, axis: {labelAngle: 0}};
    var y = {field: "per_10k", type: "quantitative", title: yTitle};
    var tooltip = [{field: "group", title: column}, {field: "count"}, {field: "per_10k", format: ".3~f"},
                   {field: "n_docs", title: "documents"}, {field: "n_tokens", title: "tokens"}];
    return {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: 460, height: 220,
      data: {values: rows},
      layer: [
        {mark: {type: "line", point: {size: 60}, color: "#0072B2"}, encoding: {x: x, y: y, tooltip: tooltip}},
        {mark: {type: "text", dy: -12, fontSize: 11, color: "#333"}, encoding: {x: x, y: y, text: {field: "label"}}}
      ]
    };
  }

  function documentSpec(rows, yTitle) {
    return {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: 460, height: 220,
      data: {values: rows},
      mark: {type: "bar", color: "#009E73"},
      encoding: {
        x: {field: "doc_id", type: "nominal", sort: rows.map(function (r) { return r.doc_id; }), title: "document",
            axis: {labelAngle: -30}},
        y: {field: "per_10k", type: "quantitative", title: yTitle},
        tooltip: [{field: "doc_id", title: "document"}, {field: "date"}, {field: "count"},
                  {field: "per_10k", format: ".3~f"}, {field: "n_tokens", title: "tokens"}]
      }
    };
  }

  function setCaption(figure, text) { figure.querySelector(".caption-text").textContent = text; }

  function drawTrends(prefix, name, hits, allVersions, column) {
    var rows = trendRows(hits, column, allVersions), once = allVersions ? "every version of a translated text counted"
      : "each translated text counted once";
    var total = rows.documents.length;
    var figGroup = $(prefix + "-trend-group"), figDoc = $(prefix + "-trend-doc");
    setCaption(figGroup, "\u201c" + name + "\u201d per 10,000 tokens per " + column + " (" + once + "); the label " +
               "over each point is the number of documents behind it. n = " + plural(total, "document") + ".");
    setCaption(figDoc, "\u201c" + name + "\u201d per 10,000 tokens in each document (" + once + "). n = " +
               plural(total, "document") + ".");
    var base = (prefix + "_" + name).replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 60);
    drawChart(figGroup, groupSpec(rows.groups, rows.order, column, "per 10,000 tokens"), base + "_by_" + column,
              rows.groups, ["group", "count", "per_10k", "n_docs", "n_tokens"]);
    drawChart(figDoc, documentSpec(rows.documents, "per 10,000 tokens"), base + "_by_document", rows.documents,
              ["doc_id", "date", "genre", "group", "count", "per_10k", "n_tokens"]);
    makeTable($(prefix + "-trend-table"), [
      {title: column, data: "group"}, {title: "count", data: "count", numeric: true},
      {title: "per 10k", data: "per_10k", numeric: true}, {title: "documents", data: "n_docs", numeric: true},
      {title: "tokens", data: "n_tokens", numeric: true}], rows.groups, {empty: "no group"});
    makeTable($(prefix + "-trend-doc-table"), [
      {title: "document", data: "doc_id"}, {title: "date", data: "date"}, {title: column, data: "group"},
      {title: "count", data: "count", numeric: true}, {title: "per 10k", data: "per_10k", numeric: true},
      {title: "tokens", data: "n_tokens", numeric: true}], rows.documents, {empty: "no document"});
  }

  /* ------------------------------------------------------------------ search */

  function options() {
    return {allVersions: $("all-versions").checked, caseSensitive: $("case-sensitive").checked};
  }

  function setStatus(text, count, isError) {
    var status = $("search-status");
    status.textContent = text;
    status.className = isError ? "status error" : "status";
    if (count === null) status.removeAttribute("data-lines"); else status.setAttribute("data-lines", String(count));
  }

  function search(force) {
    var pattern = $("pattern").value, opts = options();
    var key = JSON.stringify([pattern, opts, $("trend-column").value]);
    if (state.timer) { clearTimeout(state.timer); state.timer = null; }
    if (!force && key === state.lastKey) return;   // typing paused on what was just searched
    state.lastKey = key;
    if (!pattern.trim()) {
      setStatus("Type a word, a phrase or a glob.", null, false);
      return;
    }
    var hits, all;
    try {
      hits = M.find(DATA, pattern, opts);
      all = opts.allVersions ? hits : M.find(DATA, pattern, {allVersions: true, caseSensitive: opts.caseSensitive});
    } catch (err) {
      if (!(err instanceof M.PatternError)) throw err;
      setStatus(err.message, null, true);
      return;
    }
    state.pattern = pattern;
    state.hits = hits;
    var rows = lineRows(hits), docs = {};
    hits.forEach(function (h) { docs[h.doc] = true; });
    setStatus(plural(rows.length, "concordance line") + " in " + plural(Object.keys(docs).length, "document") +
              " (" + (opts.allVersions ? "every version of a translated text" : "each translated text once") +
              (opts.caseSensitive ? ", case-sensitive" : "") + ").", rows.length, false);
    concordanceTable($("kwic-holder"), rows, [], function (line) {
      showParagraph("search-paragraph", line.hit, hits, all);
    }, "kwic");
    $("search-results").hidden = false;
    drawTrends("search", pattern, hits, opts.allVersions, $("trend-column").value);
    updateHash();
  }

  function updateHash() {
    /* The address says what is shown (#q=golden&formula=golden_thirty_years): a link or a bookmark opens it. */
    var parts = [], formula = F.list[Number($("formula-picker").value)];
    if (state.pattern) parts.push("q=" + encodeURIComponent(state.pattern));
    if (formula) parts.push("formula=" + encodeURIComponent(formula.id));
    if (root.history && root.history.replaceState) root.history.replaceState(null, "", "#" + parts.join("&"));
  }

  function readHash() {
    var found = {};
    (root.location.hash || "").replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at > 0) {
        try { found[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1)); } catch (err) { /* not ours */ }
      }
    });
    return found;
  }

  function schedule() {
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(function () { search(false); }, 300);
  }

  /* ------------------------------------------------------------------ formulas */

  var F = DATA.formulas;

  function formulaHits(f, allVersions) {
    return F.hits.filter(function (h) { return h[1] === f && (allVersions || DATA.documents[h[0]].counted); })
      .map(function (h) { return {doc: h[0], start: h[3], end: h[4], variant: h[2]}; });
  }

  function showFormula() {
    var f = Number($("formula-picker").value), formula = F.list[f], allVersions = $("formula-all-versions").checked;
    if (!formula) return;
    var summary = clear($("formula-summary"));
    var firstLast = F.first_last.filter(function (r) { return r.formula_id === formula.id; })[0] || {};
    var facts = [["formula", formula.label + " (" + formula.id + ")"], ["category", formula.category || "\u2013"],
                 ["first official use", formula.first_official_use || "\u2013"],
                 ["first use in the corpus",
                  firstLast.first_doc ? firstLast.first_doc + " (" + firstLast.first_date + ")" : "none"],
                 ["last use in the corpus",
                  firstLast.last_doc ? firstLast.last_doc + " (" + firstLast.last_date + ")" : "none"],
                 ["documents using it", plural(firstLast.n_docs || 0, "document") + " (every version); " +
                  plural(firstLast.n_texts || 0, "text") + " (a translated text once)"]];
    var dl = el("dl", {className: "facts"});
    facts.forEach(function (kv) { dl.appendChild(el("dt", {text: kv[0]})); dl.appendChild(el("dd", {text: kv[1]})); });
    summary.appendChild(dl);

    // its renderings: the patterns, and how often each matched in each document (every version)
    var every = formulaHits(f, true), byVariant = formula.variants.map(function (v, k) {
      var per = {};
      every.forEach(function (h) { if (h.variant === k) per[h.doc] = (per[h.doc] || 0) + 1; });
      var total = 0;
      var where = Object.keys(per).map(Number).sort(function (a, b) { return a - b; }).map(function (d) {
        total += per[d];
        return docLabel(d) + " \u00d7" + per[d];
      }).join("; ");
      return {variant: v.name, pattern: v.pattern, count: total, documents: where};
    });
    makeTable($("formula-variants"), [{title: "rendering", data: "variant"}, {title: "pattern", data: "pattern",
      className: "pattern wrap"}, {title: "hits (every version)", data: "count", numeric: true},
      {title: "documents", data: "documents", className: "wrap"}], byVariant, {empty: "no rendering"});

    // counts per document: the numbers of `rhetoric formulas`
    var perDoc = F.per_document.filter(function (r) { return r[0] === f; }).map(function (r) {
      var doc = DATA.documents[r[1]];
      return {doc_id: doc.doc_id, date: doc.date || "", genre: doc.genre || "", count: r[2], per_10k: r[3],
              n_tokens: r[4]};
    });
    makeTable($("formula-doc-counts"), [{title: "document", data: "doc_id"}, {title: "date", data: "date"},
      {title: "genre", data: "genre"}, {title: "count", data: "count", numeric: true},
      {title: "per 10k", data: "per_10k", numeric: true}, {title: "tokens", data: "n_tokens", numeric: true}],
      perDoc, {id: "formula-doc-table", empty: "no document"});

    var column = $("formula-column").value;
    var perGroup = (F.per_group[column] || []).filter(function (r) { return r[0] === f; }).map(function (r) {
      return {group: String(r[1]), count: r[2], per_10k: r[3], n_docs: r[4], n_tokens: r[5],
              label: "n = " + plural(r[4], "doc")};
    });
    makeTable($("formula-group-counts"), [{title: column, data: "group"}, {title: "count", data: "count", numeric: true},
      {title: "per 10k", data: "per_10k", numeric: true}, {title: "documents", data: "n_docs", numeric: true},
      {title: "tokens", data: "n_tokens", numeric: true}], perGroup, {empty: "no group"});
    var figure = $("formula-trend-group");
    setCaption(figure, "\u201c" + formula.label + "\u201d per 10,000 tokens per " + column + " (every rendering, each " +
               "translated text counted once); the label over each point is the number of documents behind it. n = " +
               plural(perDoc.length, "document") + ".");
    drawChart(figure, groupSpec(perGroup, perGroup.map(function (r) { return r.group; }), column,
              "per 10,000 tokens"), "formula_" + formula.id + "_by_" + column, perGroup,
              ["group", "count", "per_10k", "n_docs", "n_tokens"]);

    showRenderings(f, formula, every);

    var hits = formulaHits(f, allVersions), rows = lineRows(hits);
    rows.forEach(function (r, i) { r.variant = formula.variants[hits[i].variant].name; });
    $("formula-lines-status").textContent = plural(rows.length, "concordance line") + " (" +
      (allVersions ? "every version of a translated text" : "each translated text once") + ").";
    var renderingColumn = {title: "rendering", data: "variant", className: "wrap"};
    concordanceTable($("formula-lines"), rows, [renderingColumn], function (line) {
      showParagraph("formula-paragraph", line.hit, hits, every);
    }, "formula-kwic");
    updateHash();
  }

  function showRenderings(f, formula, every) {
    var holder = clear($("formula-renderings"));
    var rows = F.renderings.filter(function (r) { return r.formula_id === formula.id; });
    if (!rows.length) {
      holder.appendChild(el("p", {className: "note", text: DATA.alignment.length
        ? "No version of a translated text uses this formula."
        : "The corpus has no translated text with two versions."}));
      return;
    }
    rows.forEach(function (r) {
      var a = indexOf(r.doc_a), b = indexOf(r.doc_b);
      var box = el("div", {className: "rendering"});
      box.appendChild(el("h4", {text: r.group + ": " + r.doc_a + " \u2194 " + r.doc_b}));
      var table = el("table", {className: "side-by-side"});
      table.appendChild(el("thead", {}, [el("tr", {}, [el("th", {text: r.doc_a}), el("th", {text: r.doc_b})])]));
      var body = el("tbody");
      body.appendChild(el("tr", {}, [el("td", {text: (r.rendering_a || "\u2013") + " (" + r.count_a + ")"}),
                                     el("td", {text: (r.rendering_b || "\u2013") + " (" + r.count_b + ")"})]));
      // the aligned paragraph pairs in which both versions have the formula
      var pairs = 0;
      DATA.alignment.forEach(function (bead) {
        if (bead.doc_a !== r.doc_a || bead.doc_b !== r.doc_b || !bead.a.length || !bead.b.length) return;
        var inA = every.filter(function (h) { return h.doc === a && bead.a.indexOf(DATA.documents[a].para[h.start]) >= 0; });
        var inB = every.filter(function (h) { return h.doc === b && bead.b.indexOf(DATA.documents[b].para[h.start]) >= 0; });
        if (!inA.length || !inB.length) return;
        pairs += 1;
        var cellA = el("td"), cellB = el("td");
        bead.a.forEach(function (p) { cellA.appendChild(paragraphNode(a, p, hitsIn(a, p, inA), null)); });
        bead.b.forEach(function (p) { cellB.appendChild(paragraphNode(b, p, hitsIn(b, p, inB), null)); });
        body.appendChild(el("tr", {}, [cellA, cellB]));
      });
      table.appendChild(body);
      box.appendChild(table);
      box.appendChild(el("p", {className: "note", text: plural(pairs, "aligned paragraph pair") + " with the " +
        "formula in both versions" + (r.aligned_renderings ? ": " + r.aligned_renderings : "") + "."}));
      holder.appendChild(box);
    });
  }

  /* ------------------------------------------------------------------ start */

  function fillSelect(select, values, labels) {
    values.forEach(function (v, i) { select.appendChild(el("option", {value: String(v), text: labels ? labels[i] : String(v)})); });
  }

  function start() {
    if (!DATA || !M) {
      $("explorer-missing").hidden = false;
      return;
    }
    var columns = DATA.groups.length ? DATA.groups : ["year"];
    fillSelect($("trend-column"), columns);
    fillSelect($("formula-column"), columns);
    fillSelect($("formula-picker"), F.list.map(function (f, i) { return i; }),
               F.list.map(function (f) { return f.label; }));
    $("search-form").addEventListener("submit", function (event) { event.preventDefault(); search(true); });
    $("pattern").addEventListener("input", schedule);
    ["all-versions", "case-sensitive", "trend-column"].forEach(function (id) {
      $(id).addEventListener("change", function () { if ($("pattern").value.trim()) search(true); });
    });
    ["formula-picker", "formula-column", "formula-all-versions"].forEach(function (id) {
      $(id).addEventListener("change", showFormula);
    });
    if (!DATA.tokens) {
      $("search-form").hidden = true;
      setStatus("The corpus has " + DATA.n_tokens + " tokens, more than the " + DATA.max_tokens + " the browser " +
                "carries: search it with `rhetoric kwic`. The formulas below are complete.", null, true);
    }
    var hash = readHash();
    if (hash.formula) {
      F.list.forEach(function (f, i) { if (f.id === hash.formula) $("formula-picker").value = String(i); });
    }
    if (hash.q && DATA.tokens) $("pattern").value = hash.q;
    if (F.list.length) showFormula(); else $("formula-section-body").hidden = true;
    if ($("pattern").value.trim()) search(true);
    document.body.setAttribute("data-explorer-ready", "true");
  }

  root.RhetoricExplorer = {search: search, showFormula: showFormula, state: state};
  document.addEventListener("DOMContentLoaded", start);
})(window);

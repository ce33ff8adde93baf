/*
 * The pattern matcher of rhetoric.patterns, for the browser (the report's Explorer).
 *
 * A port of the Python rules, kept in step with them by a test that compares both on the bundled corpus
 * (tests/test_explorer_browser.py): words case-insensitive (or as written) and in British or American spelling
 * alike (data/spelling.csv, exported with the data), loose hyphens (win-win = win win,
 * matched part by part, a hit starting and ending at token boundaries), a glob matches one whole token or one
 * hyphen-part of a token, alternatives (a|b), optional words (word?) and groups, /regex/ for one whole token;
 * a hit never crosses a sentence; one hit per start (the longest); a hit inside an earlier hit is dropped.
 * Pattern words are cut into tokens by the corpus tokenizer's rule (rhetoric.corpus.tokens.TOKEN_PATTERN).
 *
 * The browser has no time limit for a regular expression, so a /regex/ with nested or alternated repetition
 * ("(a+)+", "(a|aa)+") is refused, and Python-only syntax is refused with a message naming it.
 * No DOM here: window.RhetoricMatcher = {parse, compile, find, kwicLines, ...}.
 */
(function (root) {
  "use strict";

  var MAX_PATTERN_CHARS = 2000, MAX_DEPTH = 16, MAX_EXPANSIONS = 4096;
  var W = "[\\p{L}\\p{N}_]";                        // Python's \w in a str pattern
  var TOKEN = new RegExp(W + "+(?:(?:[-\\u2010\\u2011.,]|['\\u2019](?![sS](?!" + W + ")))" + W + "+)*" +
                         "|['\\u2019][sS](?!" + W + ")|[%$\\u20ac\\u00a3\\u00a5]", "gu");
  var LEX = /\s+|[()|?]|\/(?:[^\/\\]|\\.)+\/|[^\s()|?\/]+|\//gu;
  var GLOB = /[*\[]/;
  var CHARS = {"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"};
  var TYPE_CHARS = {"\u2019": "'", "\u2010": "-", "\u2011": "-"};

  function PatternError(message) { this.name = "PatternError"; this.message = message; }
  PatternError.prototype = Object.create(Error.prototype);

  function translate(text, table) {
    return text.replace(/[\u2019\u2018\u2010\u2011\u2013\u2014]/g, function (c) { return table[c] || c; });
  }

  function repr(text) { return "'" + text + "'"; }

  /* ---------------------------------------------------------------- pattern words -> tokens */

  function tokenSpans(text, data) {
    // rhetoric.corpus.tokens._split: the whole text lower-cased at once when that keeps its length
    var han = hanPattern(data);
    if (han && han.test(text)) return mixedSpans(text, data, han);
    var lowered = text.toLowerCase();
    var atOnce = lowered.length === text.length && text.indexOf("\u03a3") < 0;
    var source = atOnce ? lowered : text, found = [], m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(source)) !== null) {
      var type = atOnce ? m[0] : m[0].toLowerCase();
      found.push({start: m.index, end: m.index + m[0].length, type: translate(type, TYPE_CHARS)});
    }
    return found;
  }

  /* Chinese (rhetoric.corpus.tokens._split_mixed): the other tokens are found with every Chinese character read
     as a space; a run of Chinese characters, folded to simplified ones, keeps the lexicon's words whole
     (leftmost-longest) and is cut elsewhere into the longest words the corpus has (Python cuts there with jieba:
     the two agree on the corpus's own words, and may differ on others). */

  function hanPattern(data) {
    var chinese = data && data.chinese;
    var source = chinese ? chinese.han : "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}";
    if (!hanPattern.cache || hanPattern.source !== source) {
      hanPattern.cache = new RegExp("[" + source + "]", "u");
      hanPattern.source = source;
    }
    return hanPattern.cache;
  }

  function hanWords(data) {
    if (data.__hanWords) return data.__hanWords;
    var han = hanPattern(data), words = {}, longest = 1;
    (data.vocab || []).forEach(function (w) {
      if (han.test(w)) { words[w] = true; longest = Math.max(longest, Array.from(w).length); }
    });
    data.__hanWords = {words: words, longest: longest};
    return data.__hanWords;
  }

  function cutRun(run, data) {
    var chinese = data && data.chinese, chars = Array.from(run);
    var simple = chars.map(function (c) { return chinese && chinese.t2s[c] || c; });
    var spans = [], text = simple.join(""), vocab = data ? hanWords(data) : {words: {}, longest: 1};
    function free(a, b) {                      // longest words of the corpus first, else one character
      while (a < b) {
        var n = Math.min(vocab.longest, b - a);
        while (n > 1 && !vocab.words[simple.slice(a, a + n).join("")]) n -= 1;
        spans.push([a, a + n]);
        a += n;
      }
    }
    var pos = 0, forced = chinese ? chinese.forced : [];
    while (pos < simple.length) {
      var at = -1, word = null;
      for (var i = pos; i < simple.length && at < 0; i++) {   // leftmost, then longest (the list is longest first)
        for (var k = 0; k < forced.length; k++) {
          var f = Array.from(forced[k]);
          if (simple.slice(i, i + f.length).join("") === forced[k]) { at = i; word = f.length; break; }
        }
      }
      if (at < 0) { free(pos, simple.length); break; }
      free(pos, at);
      spans.push([at, at + word]);
      pos = at + word;
    }
    return spans.map(function (s) { return {chars: s, type: simple.slice(s[0], s[1]).join("")}; });
  }

  function mixedSpans(text, data, han) {
    var chars = Array.from(text), offsets = [], at = 0, found = [], m;
    chars.forEach(function (c) { offsets.push(at); at += c.length; });
    offsets.push(at);
    var masked = chars.map(function (c) { return han.test(c) ? " ".repeat(c.length) : c; }).join("");
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(masked)) !== null) {
      found.push({start: m.index, end: m.index + m[0].length,
                  type: translate(text.slice(m.index, m.index + m[0].length).toLowerCase(), TYPE_CHARS)});
    }
    var i = 0;
    while (i < chars.length) {
      if (!han.test(chars[i])) { i += 1; continue; }
      var j = i;
      while (j < chars.length && han.test(chars[j])) j += 1;
      cutRun(chars.slice(i, j).join(""), data).forEach(function (w) {
        found.push({start: offsets[i + w.chars[0]], end: offsets[i + w.chars[1]], type: w.type});
      });
      i = j;
    }
    return found.sort(function (a, b) { return a.start - b.start; });
  }

  function literalWords(word, caseSensitive, data) {
    word = translate(word, CHARS);
    if (word.toLowerCase() === "'s") return [caseSensitive ? word : word.toLowerCase()];
    return tokenSpans(word, data).map(function (t) { return caseSensitive ? word.slice(t.start, t.end) : t.type; });
  }

  function foldSpelling(term, table) {
    // rhetoric.corpus.tokens.fold_spelling: each hyphen-part's American spelling
    return term.split("-").map(function (part) {
      return Object.prototype.hasOwnProperty.call(table, part) ? table[part] : part;
    }).join("-");
  }

  function strip(text, chars) {
    var a = 0, b = text.length;
    while (a < b && chars.indexOf(text[a]) >= 0) a++;
    while (b > a && chars.indexOf(text[b - 1]) >= 0) b--;
    return text.slice(a, b);
  }

  function wordElements(word, caseSensitive, data) {
    if (GLOB.test(word)) {
      var text = strip(translate(word, CHARS), "\"',.;:!");
      return [{kind: "glob", text: caseSensitive ? text : text.toLowerCase()}];
    }
    return literalWords(word, caseSensitive, data).map(function (w) { return {kind: "word", text: w}; });
  }

  /* ---------------------------------------------------------------- parsing (rhetoric.patterns.parse_pattern) */

  function parse(pattern, options, data) {
    var caseSensitive = !!(options && options.caseSensitive);
    if (typeof pattern !== "string" || !pattern.trim()) {
      throw new PatternError("the pattern is empty; give a word ('cooperation'), a phrase ('shared future'), a " +
                             "glob ('develop*') or a regular expression ('/partner(s|ship)/').");
    }
    if (pattern.length > MAX_PATTERN_CHARS) {
      throw new PatternError("a pattern of " + pattern.length + " characters is too long (at most " +
                             MAX_PATTERN_CHARS + "); split it into several patterns.");
    }
    var items = (pattern.match(LEX) || []).filter(function (t) { return !/^\s+$/u.test(t); });
    var depth = 0;
    items.forEach(function (item) {
      depth += item === "(" ? 1 : item === ")" ? -1 : 0;
      if (depth > MAX_DEPTH) {
        throw new PatternError("the pattern nests groups more than " + MAX_DEPTH + " deep; write the " +
                               "alternatives as separate patterns.");
      }
    });
    var pos = 0;

    function tooMany() {
      return new PatternError("the pattern expands to more than " + MAX_EXPANSIONS + " word sequences; split " +
                              "it into several patterns.");
    }

    function alternatives() {
      var options = sequence();
      while (pos < items.length && items[pos] === "|") {
        pos += 1;
        options = options.concat(sequence());
        if (options.length > MAX_EXPANSIONS) throw tooMany();
      }
      return options;
    }

    function sequence() {
      var sequences = [[]];
      while (pos < items.length && items[pos] !== "|" && items[pos] !== ")") {
        var item = items[pos], inner;
        pos += 1;
        if (item === "(") {
          inner = alternatives();
          if (pos >= items.length || items[pos] !== ")") throw new PatternError("pattern " + repr(pattern) +
                                                                                 ": a '(' is not closed.");
          pos += 1;
        } else if (item === "?") {
          throw new PatternError("pattern " + repr(pattern) + ": '?' must follow a word or a group (it makes " +
                                 "them optional).");
        } else if (item.length > 2 && item[0] === "/" && item[item.length - 1] === "/") {
          inner = [[{kind: "regex", text: item.slice(1, -1)}]];
        } else if (item === "/") {
          throw new PatternError("pattern " + repr(pattern) + ": a '/regex/' is not closed.");
        } else {
          var words = wordElements(item, caseSensitive, data);
          if (!words.length) {            // punctuation only: tokens carry none
            if (pos < items.length && items[pos] === "?") pos += 1;
            continue;
          }
          inner = [words];
        }
        if (pos < items.length && items[pos] === "?") {
          pos += 1;
          inner = inner.concat([[]]);
        }
        if (sequences.length * inner.length > MAX_EXPANSIONS) throw tooMany();
        var next = [];
        sequences.forEach(function (s) { inner.forEach(function (i) { next.push(s.concat(i)); }); });
        sequences = next;
      }
      return sequences;
    }

    var found = alternatives();
    if (pos !== items.length) {
      throw new PatternError("pattern " + repr(pattern) + ": unexpected '" + items[pos] + "' (a ')' without its '('?).");
    }
    var seen = {}, unique = [];
    found.forEach(function (s) {
      if (!s.length) return;
      var key = JSON.stringify(s.map(function (e) { return [e.kind, e.text]; }));
      if (!seen[key]) { seen[key] = true; unique.push(s); }
    });
    if (!unique.length) {
      throw new PatternError("pattern " + repr(pattern) + " matches nothing (it has no words, or every word is " +
                             "optional).");
    }
    return unique;
  }

  /* ---------------------------------------------------------------- globs and regular expressions */

  function escapeChar(c) { return /[\\^$.*+?()[\]{}|\/]/.test(c) ? "\\" + c : c; }

  function globSource(pat) {
    // fnmatch.translate (Python 3.11), written for a JavaScript RegExp with the u and s flags
    var chars = Array.from(pat), n = chars.length, i = 0, res = [], STAR = {};
    function find(ch, from, to) { for (var k = from; k < to; k++) { if (chars[k] === ch) return k; } return -1; }
    while (i < n) {
      var c = chars[i];
      i += 1;
      if (c === "*") {
        if (!res.length || res[res.length - 1] !== STAR) res.push(STAR);
      } else if (c === "?") {
        res.push(".");
      } else if (c === "[") {
        var j = i;
        if (j < n && chars[j] === "!") j += 1;
        if (j < n && chars[j] === "]") j += 1;
        while (j < n && chars[j] !== "]") j += 1;
        if (j >= n) {
          res.push("\\[");
        } else {
          var stuff;
          if (find("-", i, j) < 0) {
            stuff = chars.slice(i, j).join("").replace(/\\/g, "\\\\").replace(/[\[\]]/g, "\\$&");
          } else {
            var chunks = [], k = chars[i] === "!" ? i + 2 : i + 1;
            while (true) {
              k = find("-", k, j);
              if (k < 0) break;
              chunks.push(chars.slice(i, k));
              i = k + 1;
              k = k + 3;
            }
            var chunk = chars.slice(i, j);
            if (chunk.length) chunks.push(chunk); else chunks[chunks.length - 1] = chunks[chunks.length - 1].concat(["-"]);
            for (var m = chunks.length - 1; m > 0; m--) {      // empty ranges removed, as Python does
              var before = chunks[m - 1];
              if (before[before.length - 1] > chunks[m][0]) {
                chunks[m - 1] = before.slice(0, -1).concat(chunks[m].slice(1));
                chunks.splice(m, 1);
              }
            }
            stuff = chunks.map(function (s) {
              return s.join("").replace(/\\/g, "\\\\").replace(/-/g, "\\-").replace(/[\[\]]/g, "\\$&");
            }).join("-");
          }
          i = j + 1;
          if (!stuff) res.push("(?!)");
          else if (stuff === "!") res.push(".");
          else {
            if (stuff[0] === "!") stuff = "^" + stuff.slice(1);
            else if (stuff[0] === "^") stuff = "\\" + stuff;
            res.push("[" + stuff + "]");
          }
        }
      } else {
        res.push(escapeChar(c));
      }
    }
    return res.map(function (r) { return r === STAR ? ".*" : r; }).join("");
  }

  var ALNUM = "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}";   // \w of the regex module

  function regexSource(text) {
    // Python's regex syntax, where it means the same in JavaScript; refuse what it does not
    var out = "", inClass = false, stack = [{quant: false, alt: false}], lastGroup = null;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === "\\") {
        var d = text[i + 1];
        if (d === undefined) throw new PatternError("'/" + text + "/' ends with a backslash.");
        i += 1;
        if (/[1-9]/.test(d) || d === "g" || d === "k") {
          throw new PatternError("'/" + text + "/': backreferences are not searched in the browser; use " +
                                 "`rhetoric kwic` for this pattern.");
        }
        if ("bBAZzG".indexOf(d) >= 0) {
          throw new PatternError("'/" + text + "/': \\" + d + " is not searched in the browser (a /regex/ " +
                                 "matches one whole token anyway); leave it out.");
        }
        if (d === "w") out += inClass ? ALNUM : "[" + ALNUM + "]";
        else if (d === "d") out += "\\p{Nd}";
        else if (d === "W" || d === "D") {
          if (inClass) throw new PatternError("'/" + text + "/': \\" + d + " inside [...] is not searched in the " +
                                              "browser; use `rhetoric kwic` for this pattern.");
          out += d === "W" ? "[^" + ALNUM + "]" : "\\P{Nd}";
        } else out += "\\" + d;
        lastGroup = null;
        continue;
      }
      if (inClass) {
        if (c === "]") inClass = false;
        out += c;
        continue;
      }
      if (c === "[") { inClass = true; out += c; if (text[i + 1] === "^") { out += "^"; i += 1; }
        if (text[i + 1] === "]") { out += "\\]"; i += 1; } lastGroup = null; continue; }
      if (c === "(") {
        if (text[i + 1] === "?" && !/^\?(:|=|!|<=|<!)/.test(text.slice(i + 1))) {
          throw new PatternError("'/" + text + "/': the group '" + text.slice(i, i + 4) + "...' is Python " +
                                 "syntax the browser does not know; use `rhetoric kwic` for this pattern.");
        }
        stack.push({quant: false, alt: false});
        out += c;
        lastGroup = null;
        continue;
      }
      if (c === ")") {
        lastGroup = stack.length > 1 ? stack.pop() : null;
        var parent = stack[stack.length - 1];
        if (lastGroup) { parent.quant = parent.quant || lastGroup.quant; }
        out += c;
        continue;
      }
      if (c === "|") { stack[stack.length - 1].alt = true; out += c; lastGroup = null; continue; }
      if (c === "*" || c === "+" || c === "{" || c === "?") {
        var repeats = c === "*" || c === "+" || (c === "{" && !/^\{0?,?1?\}/.test(text.slice(i)));
        if (c === "?" && out.length && /[*+?}]$/.test(out)) {   // a lazy quantifier, or "?" after "?"
          out += c;
          continue;
        }
        if (c === "+" && out.length && /[*+?}]$/.test(out) && !/\\[*+?}]$/.test(out)) {
          throw new PatternError("'/" + text + "/': possessive quantifiers are Python syntax the browser does " +
                                 "not know; use `rhetoric kwic` for this pattern.");
        }
        if (repeats && lastGroup && (lastGroup.quant || lastGroup.alt)) {
          throw new PatternError("'/" + text + "/' repeats a group that itself repeats or has alternatives; " +
                                 "in the browser that can run without end. Write it without nested repetition " +
                                 "or use `rhetoric kwic`.");
        }
        if (repeats) stack[stack.length - 1].quant = true;
        if (c === "{") {
          var close = text.indexOf("}", i);
          if (close > i) { out += text.slice(i, close + 1); i = close; lastGroup = null; continue; }
        }
        out += c;
        lastGroup = null;
        continue;
      }
      out += c;
      lastGroup = null;
    }
    return out;
  }

  function classTester(element, caseSensitive) {
    var text = element.text;
    if (element.kind === "glob") {
      if (text === "*") return function () { return true; };
      var head = text.slice(0, -1);
      if (text[text.length - 1] === "*" && !GLOB.test(head)) {   // a prefix, compared as written (as Python does)
        return function (w) { return w.slice(0, head.length) === head; };
      }
      var glob = new RegExp("^(?:" + globSource(text) + ")$", caseSensitive ? "su" : "isu");
      return function (w) { return glob.test(w); };
    }
    var compiled;
    try {
      compiled = new RegExp("^(?:" + regexSource(text) + ")$", caseSensitive ? "u" : "iu");
    } catch (err) {
      if (err instanceof PatternError) throw err;
      throw new PatternError("'/" + text + "/' is not a regular expression the browser can read (" + err.message +
                             "); it must match one whole token, e.g. /partner(s|ship)/.");
    }
    return function (w) { return compiled.test(w); };
  }

  /* ---------------------------------------------------------------- the streams */

  function surfaceVocab(data) {
    // case-sensitive matching: the tokens as written (curly apostrophes and Unicode hyphens made ASCII)
    if (data.__surface) return data.__surface;
    var index = {}, vocab = [], perDoc = data.documents.map(function (doc) {
      var ids = new Array(doc.t.length);
      for (var i = 0; i < doc.t.length; i++) {
        var form = translate(doc.text.slice(doc.s[i], doc.e[i]), CHARS);
        if (!(form in index)) { index[form] = vocab.length; vocab.push(form); }
        ids[i] = index[form];
      }
      return ids;
    });
    data.__surface = {vocab: vocab, ids: perDoc};
    return data.__surface;
  }

  function streams(data, caseSensitive, hyphens) {
    var cacheKey = "__streams_" + (caseSensitive ? "cs" : "ci") + "_" + hyphens;
    if (data[cacheKey]) return data[cacheKey];
    var typeVocab = data.vocab, typeIds = data.documents.map(function (d) { return d.t; });
    if (caseSensitive) { var surface = surfaceVocab(data); typeVocab = surface.vocab; typeIds = surface.ids; }
    var partIndex = {}, partVocab = [], typeParts = typeVocab.map(function (type) {
      var parts = hyphens === "strict" ? [type] : type.split("-");
      return parts.map(function (p) {
        if (!(p in partIndex)) { partIndex[p] = partVocab.length; partVocab.push(p); }
        return partIndex[p];
      });
    });
    var docs = data.documents.map(function (doc, d) {
      var ids = [], token = [], first = [], after = [], type = [], sent = [], tids = typeIds[d];
      for (var i = 0; i < tids.length; i++) {
        var parts = typeParts[tids[i]], begin = ids.length;
        for (var k = 0; k < parts.length; k++) {
          ids.push(parts[k]); token.push(i); first.push(k === 0); after.push(begin + parts.length);
          type.push(tids[i]); sent.push(doc.sent[i]);
        }
      }
      return {ids: ids, token: token, first: first, after: after, type: type, sent: sent};
    });
    // a word matches its British and American spellings alike (not case-sensitive): units by American form
    var folded = {};
    if (!caseSensitive) {
      partVocab.forEach(function (unit, id) {
        var american = foldSpelling(unit, data.spelling || {});
        (folded[american] = folded[american] || []).push(id);
      });
    }
    data[cacheKey] = {typeVocab: typeVocab, partVocab: partVocab, partIndex: partIndex, folded: folded, docs: docs,
                      loose: hyphens !== "strict", masks: {}, fold: !caseSensitive};
    return data[cacheKey];
  }

  /* ---------------------------------------------------------------- compiling and walking */

  function compile(data, pattern, options) {
    options = options || {};
    var caseSensitive = !!options.caseSensitive, hyphens = options.hyphens || "loose";
    if (hyphens !== "loose" && hyphens !== "strict") {
      throw new PatternError("hyphens=" + repr(hyphens) + " is not known; use 'loose' or 'strict'.");
    }
    var sequences = parse(pattern, {caseSensitive: caseSensitive}, data);
    var stream = streams(data, caseSensitive, hyphens), compiled = [];
    sequences.forEach(function (sequence) {
      var keys = [], possible = true;
      sequence.forEach(function (element) {
        if (element.kind === "word") {
          var word = stream.fold ? foldSpelling(element.text, data.spelling || {}) : element.text;
          (stream.loose ? word.split("-") : [word]).forEach(function (part) {
            var ids = stream.fold ? (stream.folded[part] || [])
              : Object.prototype.hasOwnProperty.call(stream.partIndex, part) ? [stream.partIndex[part]] : [];
            if (!ids.length) possible = false;
            var set = {};
            ids.forEach(function (id) { set[id] = true; });
            keys.push({word: set});
          });
        } else {
          var key = element.kind + ":" + element.text, masks = stream.masks[key];
          if (!masks) {
            var test = classTester(element, caseSensitive);
            masks = stream.masks[key] = {
              token: stream.typeVocab.map(function (w) { return test(w); }),
              part: stream.loose ? stream.partVocab.map(function (w) { return test(w); }) : null
            };
          }
          if (masks.token.indexOf(true) < 0 && !(masks.part && masks.part.indexOf(true) >= 0)) possible = false;
          keys.push({masks: masks});
        }
      });
      if (possible) compiled.push(keys);
    });
    return {stream: stream, sequences: compiled};
  }

  function endsFrom(doc, keys, origin) {
    // every unit where the sequence, started at unit `origin`, ends on a token boundary
    var n = doc.ids.length, ends = [], sentence = doc.sent[origin];
    function step(k, pos) {
      if (k === keys.length) {
        if (pos >= n || doc.first[pos]) ends.push(pos);
        return;
      }
      if (pos >= n || doc.sent[pos] !== sentence) return;
      var key = keys[k];
      if (key.masks === undefined) {
        if (key.word[doc.ids[pos]]) step(k + 1, pos + 1);
        return;
      }
      if (doc.first[pos] && key.masks.token[doc.type[pos]]) step(k + 1, doc.after[pos]);   // the whole token
      if (key.masks.part && (doc.after[pos] > pos + 1 || !doc.first[pos]) && key.masks.part[doc.ids[pos]]) {
        step(k + 1, pos + 1);                                                                 // one hyphen-part
      }
    }
    step(0, origin);
    return ends;
  }

  function find(data, pattern, options) {
    /* Hits of `pattern` in every document (or those that count, unless options.allVersions):
       [{doc, start, end}] with token positions in the document (end exclusive), in corpus order. */
    options = options || {};
    if (!data.tokens) throw new PatternError("this report carries no tokens (the corpus has more than " +
                                             data.max_tokens + "); search with `rhetoric kwic`.");
    var program = compile(data, pattern, options), hits = [];
    data.documents.forEach(function (document, d) {
      if (!options.allVersions && !document.counted) return;
      var doc = program.stream.docs[d], maxEnd = -1;
      for (var origin = 0; origin < doc.ids.length; origin++) {
        if (!doc.first[origin]) continue;
        var best = -1;
        for (var s = 0; s < program.sequences.length; s++) {
          var ends = endsFrom(doc, program.sequences[s], origin);
          for (var e = 0; e < ends.length; e++) if (ends[e] > best) best = ends[e];
        }
        if (best < 0) continue;
        if (best <= maxEnd) continue;                  // inside an earlier hit: part of it
        maxEnd = best;
        hits.push({doc: d, start: doc.token[origin], end: doc.token[best - 1] + 1});
      }
    });
    return hits;
  }

  /* ---------------------------------------------------------------- concordance lines (rhetoric.stats.kwic) */

  function clean(piece) { return piece.split(/\s+/u).filter(Boolean).join(" "); }

  function kwicLine(data, hit, window) {
    var doc = data.documents[hit.doc], n = doc.t.length;
    window = window === undefined ? data.window : window;
    var first = Math.max(hit.start - window, 0), last = Math.min(hit.end + window, n);
    var matchStart = doc.s[hit.start], matchEnd = doc.e[hit.end - 1];
    var leftFrom = first < hit.start ? doc.s[first] : matchStart;
    var rightTo = last > hit.end ? doc.e[last - 1] : matchEnd;
    return {doc: hit.doc, start: hit.start, end: hit.end, left: clean(doc.text.slice(leftFrom, matchStart)),
            match: clean(doc.text.slice(matchStart, matchEnd)), right: clean(doc.text.slice(matchEnd, rightTo)),
            charStart: matchStart, charEnd: matchEnd, paragraph: doc.para[hit.start]};
  }

  function kwicLines(data, hits, window) {
    return hits.map(function (hit) { return kwicLine(data, hit, window); });
  }

  root.RhetoricMatcher = {
    PatternError: PatternError, parse: parse, compile: compile, find: find, kwicLine: kwicLine,
    kwicLines: kwicLines, tokenSpans: tokenSpans, foldSpelling: foldSpelling, globSource: globSource, regexSource: regexSource,
    limits: {maxPatternChars: MAX_PATTERN_CHARS, maxDepth: MAX_DEPTH, maxExpansions: MAX_EXPANSIONS}
  };
})(window);

/* Charte IA, « Créer ma charte » : the documents from the compiled library (charte_ia.builder.compile).
   No clause rule lives here: the library says which text goes where; this file evaluates the
   clauses' conditions, turns values into text with the package's own regular expressions,
   fills the slots and zips the Word document. Nothing is sent anywhere. */
(function (root) {
  "use strict";

  function Engine(lib) {
    var rules = lib.text;
    var typoRules = rules.typo.map(function (r) { return [new RegExp(r[0], "gu"), r[1]]; });
    var mdRules = rules.md.map(function (r) { return [new RegExp(r[0], "gu"), r[1]]; });
    var space = new RegExp(rules.space, "gu");
    var xmlInvalid = new RegExp(rules.xml_invalid, "gu");

    function typo(text) {
      for (var i = 0; i < typoRules.length; i++) text = text.replace(typoRules[i][0], typoRules[i][1]);
      return text;
    }
    /* A character XML forbids leaves the text, but still counts for a column's width (the
       package sizes columns from the values, not from what prints): marked until then. */
    var invalidSpace = rules.xml_invalid_space.join("");
    function xml(text) {
      return typo(text).replace(xmlInvalid, function (c) { return invalidSpace.indexOf(c) >= 0 ? "\ue00e" : "\ue00f"; })
        .replace(/&/g, "&amp;").replace(/</g, "&lt;")
        .replace(/>/g, "&gt;").replace(/"/g, "&#34;").replace(/'/g, "&#39;");
    }
    function md(text) {
      text = typo(text).replace(/\n/g, " ");
      for (var i = 0; i < mdRules.length; i++) text = text.replace(mdRules[i][0], mdRules[i][1]);
      return text;
    }
    function html(text) {
      return typo(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    }
    var escapes = { md: md, html: html, xml: xml };
    function escapeFor(format) { return format.indexOf("docx:") === 0 ? xml : escapes[format]; }

    var innerJoins = new RegExp(rules.inner_joins, "u");
    function joinFr(items) {
      if (items.length <= 1) return items.join("");
      return items.slice(0, -1).join(", ") + " " + rules.and + " " + items[items.length - 1];
    }
    function isUpper(c) { return c !== c.toLowerCase() && c === c.toUpperCase(); }
    /* A value that opens a table cell (typography.upper_first). */
    function upperFirst(text) {
      var chars = Array.from(text);
      if (!chars.length) return text;
      var up = chars[0].toUpperCase();
      return Array.from(up).length === 1 ? up + chars.slice(1).join("") : text;
    }
    function lowerFirst(text) {
      var chars = Array.from(text);
      if (chars.length > 1 && isUpper(chars[0]) && !isUpper(chars[1])) return chars[0].toLowerCase() + chars.slice(1).join("");
      return text;
    }
    /* A list in a sentence (typography.join_items): labels of the kit lose their capital after
       the first; items holding their own comma or « et » are joined with « ; ». */
    function joinItems(items, labels) {
      if (labels && items.length) items = [items[0]].concat(items.slice(1).map(lowerFirst));
      if (items.some(function (i) { return innerJoins.test(i); })) return items.join(" ; ");
      return joinFr(items);
    }
    function formatDate(iso) {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
      if (!m) return iso;
      var day = parseInt(m[3], 10);
      return rules.date.replace("{day}", day === 1 ? rules.first_day : String(day))
        .replace("{month}", rules.months[parseInt(m[2], 10) - 1]).replace("{year}", String(parseInt(m[1], 10)));
    }
    /* What the model keeps of a text: Python's str.strip(). */
    function strip(text) { return String(text).replace(space, ""); }

    function get(obj, path) {
      for (var i = 0; i < path.length && obj != null; i++) obj = obj[path[i]];
      return obj;
    }

    function isBlank(v) { return v == null || v === "" || (Array.isArray(v) && v.length === 0); }

    function slotText(slot, org, row) {
      var path = slot.path;
      if (row != null && slot.row_path) path = slot.row_path.map(function (p) { return p === "#" ? row : p; });
      var v = get(org, path);
      if (isBlank(v)) return null;
      if (slot.map) {
        if (Array.isArray(v)) return typo(joinItems(v.map(function (x) { return slot.map[x]; }), true));
        return slot.map[String(v)];
      }
      if (slot.transform === "list") return typo(joinItems(v.map(String), false));
      if (slot.transform === "date") return formatDate(String(v));
      if (slot.transform === "iso") return String(v);
      return typo(String(v));
    }

    /* Whether a clause applies, and the words of what its conditions still leave undecided:
       each key of the model's `When` must hold (charte_ia.charter.assembly, `decide`). */
    function isSet(v) { return v != null && !(Array.isArray(v) && !v.length) && v !== "" && v !== false; }
    function decide(when, org) {
      if (!when) return { applies: true, undecided: [] };
      var undecided = [];
      for (var i = 0; i < when.keys.length; i++) {
        var key = when.keys[i];
        if (key === "kinds") {
          if (org.kind == null) undecided.push(when.phrases.kinds);
          else if (when.kinds.indexOf(org.kind) < 0) return { applies: false };
        } else if (key === "use") {
          var levels = when.use.map(function (u) { var l = get(org, ["uses", u]); return l == null ? null : l; });
          var at = function (l) { return when.levels.indexOf(l) >= 0; };
          if (when.match === "all") {
            if (levels.some(function (l) { return l !== null && !at(l); })) return { applies: false };
            if (levels.some(function (l) { return l === null; })) undecided.push(when.phrases.use);
          } else if (!levels.some(at)) {
            if (levels.every(function (l) { return l !== null; })) return { applies: false };
            undecided.push(when.phrases.use);
          }
        } else if (key === "platform") {
          var chosen = org.platforms || [];
          if (!chosen.length) undecided.push(when.phrases.platform);
          else if (chosen.indexOf(when.platform) < 0) return { applies: false };
        } else if (key === "filled") {
          var v = get(org, when.filled.split("."));
          if (v === undefined) v = when.filled_default;
          if (v == null) undecided.push(when.phrases.filled);
          else if (!isSet(v)) return { applies: false };
        } else {
          throw new Error("condition inconnue : " + key);
        }
      }
      return { applies: true, undecided: undecided };
    }
    var C = lib.charter;
    function conditionText(undecided) {
      return typo(C.condition.replace("{condition}", undecided.join(" " + C.and + " ")));
    }

    /* Which sections and clauses apply, their numbers and condition lines: a section goes when
       its condition fails or none of its clauses applies; the others are numbered in order. */
    function plan(org) {
      var states = {}, numbers = {}, conditions = {}, present = {}, sectionNumbers = {}, oldest = null, n = 0;
      lib.sections.forEach(function (section) {
        var ds = decide(section.when, org);
        var ids = Object.keys(lib.clauses).filter(function (id) { return lib.clauses[id].section === section.id; });
        var decided = {};
        ids.forEach(function (id) { decided[id] = ds.applies ? decide(lib.clauses[id].when, org) : { applies: false }; });
        var kept = ids.filter(function (id) { return decided[id].applies; });
        present["§" + section.id] = kept.length > 0;
        ids.forEach(function (id) { states[id] = false; });
        if (!kept.length) return;
        n += 1;
        sectionNumbers[section.id] = String(n);
        if (ds.undecided.length) conditions["§" + section.id] = conditionText(ds.undecided);
        kept.forEach(function (id, k) {
          var d = decided[id], c = lib.clauses[id];
          states[id] = d.undecided.length ? null : true;
          numbers[id] = n + "." + (k + 1);
          if (d.undecided.length) conditions[id] = conditionText(d.undecided);
          if (c.checked && (!oldest || c.checked < oldest)) oldest = c.checked;
        });
      });
      var p = { org: org, states: states, numbers: numbers, conditions: conditions, sections: present,
        sectionNumbers: sectionNumbers };
      Object.keys(present).forEach(function (k) { p[k] = present[k]; });
      p.checked = oldest ? typo(C.checked.replace("{date}", formatDate(oldest))) : null;
      // Adopted: version and date of adoption given, and not one blank left in the charter.
      p.adopted = false;
      p.complete = countBlanks(lib.formats.md, p, null) === 0;
      if (org.version && org.adopted && p.complete) p.adopted = true;
      p.notice = p.adopted
        ? typo(C.adopted_notice.replace("{revision}", C.revision).replace("{checked}", oldest ? formatDate(oldest) : "—"))
        : C.disclaimer;
      return p;
    }

    function choose(t, org) {
      if (t.cases) {
        for (var field in t.cases) {
          var v = get(org, field.split("."));
          if (v != null && t.cases[field][String(v)]) return t.cases[field][String(v)];
        }
      }
      return t;
    }
    function slotValue(t, p, row) {
      var slot = lib.slots[t.s];
      if (slot.transform === "number") return p.numbers[slot.path[1]];
      if (slot.transform === "condition") return p.conditions[slot.path[1]] || "";
      if (slot.transform === "section") return p.sectionNumbers[slot.path[1]] || "";
      if (slot.transform === "notice") return p.notice;
      if (slot.transform === "checked") return p.checked || "";
      var text = slotText(slot, p.org, row);
      if (text == null && slot.fallback) text = slotText(lib.slots[slot.fallback], p.org, row);
      return text != null && slot.upper_first ? upperFirst(text) : text;
    }
    /* A clause worded otherwise for one choice (a small business's data contact). */
    function body(t, org) {
      if (t["switch"]) {
        for (var field in t["switch"]) {
          var v = get(org, field.split("."));
          if (v != null && t["switch"][field][String(v)]) return t["switch"][field][String(v)];
        }
      }
      return t.body;
    }
    function countBlanks(tokens, p, row) {
      var n = 0;
      for (var i = 0; i < tokens.length; i++) {
        var t = tokens[i];
        if (typeof t === "string") continue;
        if (t.s !== undefined) {
          t = choose(t, p.org);
          var slot = lib.slots[t.s];
          if (slot.what !== undefined && slotValue(t, p, row) == null) n++;
        } else if (t.clause !== undefined) {
          if (p.states[t.clause] !== false) n += countBlanks(body(t, p.org), p, row);
        } else if (t.list !== undefined) {
          var items = get(p.org, lib.lists[t.list].split(".")) || [];
          if (!items.length) n += t.blanks || 0;
          else {
            n += countBlanks(t.pre, p, row) + countBlanks(t.post, p, row);
            if (t.row) for (var k = 0; k < items.length; k++) n += countBlanks(t.row, p, k);
          }
        } else if (t.section !== undefined) {
          if (p.sections["§" + t.section]) n += countBlanks(t.head, p, row) + countBlanks(t.body, p, row);
        } else if (t.cond !== undefined) {
          continue;
        } else if (t["if"] !== undefined) {
          n += countBlanks(t["if"].charAt(0) === "§" && p[t["if"]] ? t.then : t["else"], p, row);
        }
      }
      return n;
    }

    function fill(tokens, ctx, out, row) {
      for (var i = 0; i < tokens.length; i++) {
        var t = tokens[i];
        if (typeof t === "string") { out.push(t); continue; }
        if (t.s !== undefined) {
          t = choose(t, ctx.org);
          var text = slotValue(t, ctx.plan, row);
          if (text == null && t.blank !== undefined) { out.push(t.blank); continue; }
          var value = ctx.escape(text == null ? "" : text);
          out.push((t.pre || "") + value + (t.mid ? t.mid.map(function (m) { return m + value; }).join("") : "") + (t.post || ""));
        } else if (t.clause !== undefined) {
          var state = ctx.plan.states[t.clause];
          if (state === false) continue;
          var saved = ctx.undecided;
          ctx.undecided = state === null;
          fill(body(t, ctx.org), ctx, out, row);
          ctx.undecided = saved;
        } else if (t.section !== undefined) {
          if (ctx.plan.sections["§" + t.section]) { fill(t.head, ctx, out, row); fill(t.body, ctx, out, row); }
        } else if (t.cond !== undefined) {
          if (ctx.plan.conditions[t.of]) fill(t.cond, ctx, out, row);
        } else if (t["if"] !== undefined) {
          fill(ctx.plan[t["if"]] ? t.then : t["else"], ctx, out, row);
        } else if (t.list !== undefined) {
          var items = get(ctx.org, lib.lists[t.list].split(".")) || [];
          if (!items.length) { fill(t.empty, ctx, out, row); continue; }
          fill(t.pre, ctx, out, row);
          for (var k = 0; k < items.length; k++) {
            if (t.rows) { if (t.rows[items[k]] !== undefined) out.push(t.rows[items[k]]); }
            else fill(t.row, ctx, out, k);
          }
          fill(t.post, ctx, out, row);
        }
      }
      return out;
    }

    /* --- Word tables: column widths from what the columns hold (charte_ia.render.layout) --- */
    var L = rules.layout;
    var wordSplit = new RegExp("[" + rules.space.slice(2, rules.space.indexOf("]")) + "\ue00e]+", "u");
    var advances = [L.regular, L.bold].map(function (table) {
      var out = new Map();
      Object.keys(table).forEach(function (w) { Array.from(table[w]).forEach(function (c) { out.set(c, +w); }); });
      return out;
    });
    function words(text) { return text.split(wordSplit).filter(Boolean); }
    function width(text, bold) {
      var table = advances[bold ? 1 : 0], w = 0;
      Array.from(text).forEach(function (c) { var a = table.get(c); w += a === undefined ? L.em : a; });
      return w;
    }
    function columnWidths(columns, total) {
      var minimum = [], natural = [], amount = [];
      total = total === undefined ? L.total : total;
      var sum = function (a) { return a.reduce(function (x, y) { return x + y; }, 0); }, widths;
      columns.forEach(function (col) {
        var ws = words(col[0]).map(function (w) { return width(w, true); });
        col.slice(1).forEach(function (cell) { words(cell).forEach(function (w) { ws.push(width(w, false)); }); });
        minimum.push((ws.length ? Math.max.apply(null, ws) : 0) + L.padding);
        var lines = [width(col[0], true)].concat(col.slice(1).map(function (c) { return width(c, false); }));
        natural.push(Math.max(Math.max.apply(null, lines) + L.padding, minimum[minimum.length - 1]));
        amount.push(sum(lines.slice(1)));
      });
      if (sum(natural) <= total) widths = natural.map(function (n) { return n * total / sum(natural); });
      else if (sum(minimum) >= total) widths = minimum.map(function (m) { return m * total / sum(minimum); });
      else {
        widths = minimum.slice();
        var spare = total - sum(minimum), most = amount.indexOf(Math.max.apply(null, amount));
        if (2 * amount[most] > sum(amount)) {
          var given = Math.max(0, Math.min(spare, Math.min(natural[most], Math.floor(total / 2)) - widths[most]));
          widths[most] += given;
          spare -= given;
        }
        var extra = natural.map(function (n, i) { return n - widths[i]; }), all = sum(extra);
        widths = widths.map(function (w, i) { return w + spare * extra[i] / all; });
      }
      var out = widths.map(function (w) { return Math.trunc(w); });
      out[out.length - 1] += total - sum(out);
      return out;
    }
    function unxml(text) {
      return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    }
    function sizeTables(xmlText) {
      return xmlText.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, function (table) {
        if (table.indexOf("\ue005") < 0) return table;
        var columns = [];
        (table.match(/<w:tr>[\s\S]*?<\/w:tr>/g) || []).forEach(function (row) {
          (row.match(/<w:tc>[\s\S]*?<\/w:tc>/g) || []).forEach(function (cell, c) {
            var texts = cell.match(/<w:t(?: [^>]*)?>[^<]*<\/w:t>/g) || [];
            (columns[c] = columns[c] || []).push(texts.map(function (t) { return unxml(t.replace(/<[^>]*>/g, "")); }).join(""));
          });
        });
        var widths = columnWidths(columns), total = widths.reduce(function (x, y) { return x + y; }, 0);
        return table.replace(/\ue005(\d+|s)\ue006/g, function (m, i) { return String(i === "s" ? total : widths[+i]); });
      }).replace(/[\ue00e\ue00f]/g, "");
    }

    function render(format, org, p) {
      var ctx = { org: org, plan: p || plan(org), escape: escapeFor(format), undecided: false };
      var text = fill(lib.formats[format], ctx, []).join("");
      return format.indexOf("docx:") === 0 ? sizeTables(text) : text;
    }

    /* --- the Word document: a zip of the library's fixed parts and the filled ones ---------- */
    var crcTable = null;
    function crc32(bytes) {
      if (!crcTable) {
        crcTable = new Uint32Array(256);
        for (var n = 0; n < 256; n++) {
          var c = n;
          for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
          crcTable[n] = c >>> 0;
        }
      }
      var crc = 0xffffffff;
      for (var i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
      return (crc ^ 0xffffffff) >>> 0;
    }
    /* Every part is stored: the fixed ones come as text inside the packed library, where they
       compress with the documents' own markup, a kilobyte less than compressed apart. */
    function docx(org) {
      var enc = new TextEncoder(), p = plan(org), entries = [];
      lib.docx.forEach(function (e) {
        var data = enc.encode(e.text === undefined ? render("docx:" + e.name, org, p) : e.text);
        entries.push({ name: e.name, method: 0, crc: crc32(data), size: data.length, data: data });
      });
      return zip(entries);
    }
    /* A zip with fixed dates (1980-01-01), like the build's: reproducible bytes. */
    function zip(entries) {
      var enc = new TextEncoder(), chunks = [], central = [], offset = 0;
      entries.forEach(function (e) {
        var name = enc.encode(e.name), h = new DataView(new ArrayBuffer(30));
        h.setUint32(0, 0x04034b50, true); h.setUint16(4, 20, true); h.setUint16(6, 0x0800, true);
        h.setUint16(8, e.method, true); h.setUint16(10, 0, true); h.setUint16(12, 0x21, true);
        h.setUint32(14, e.crc, true); h.setUint32(18, e.data.length, true); h.setUint32(22, e.size, true);
        h.setUint16(26, name.length, true); h.setUint16(28, 0, true);
        var c = new DataView(new ArrayBuffer(46));
        c.setUint32(0, 0x02014b50, true); c.setUint16(4, 20, true); c.setUint16(6, 20, true);
        c.setUint16(8, 0x0800, true); c.setUint16(10, e.method, true); c.setUint16(12, 0, true);
        c.setUint16(14, 0x21, true); c.setUint32(16, e.crc, true); c.setUint32(20, e.data.length, true);
        c.setUint32(24, e.size, true); c.setUint16(28, name.length, true); c.setUint32(42, offset, true);
        chunks.push(new Uint8Array(h.buffer), name, e.data);
        central.push(new Uint8Array(c.buffer), name);
        offset += 30 + name.length + e.data.length;
      });
      var size = central.reduce(function (n, b) { return n + b.length; }, 0);
      var end = new DataView(new ArrayBuffer(22));
      end.setUint32(0, 0x06054b50, true); end.setUint16(8, entries.length, true);
      end.setUint16(10, entries.length, true); end.setUint32(12, size, true); end.setUint32(16, offset, true);
      return new Blob(chunks.concat(central, [new Uint8Array(end.buffer)]),
        { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
    }

    return {
      render: render, plan: plan, docx: docx, strip: strip, typo: typo, formatDate: formatDate,
      decide: decide, columnWidths: columnWidths, library: lib
    };
  }

  root.CharteEngine = Engine;
})(typeof window !== "undefined" ? window : globalThis);

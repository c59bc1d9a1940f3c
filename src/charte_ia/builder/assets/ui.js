/* Charte IA, « Créer ma charte » : the questionnaire, its live preview, downloads, files and draft.
   The fields, their labels and help come from the organisation model (lib.form); the documents
   from the compiled library (engine.js). Nothing is sent anywhere: no request leaves the page. */
(function () {
  "use strict";
  var root = document.getElementById("cia-builder");
  if (!root || !window.CharteEngine || !window.CHARTE_LIBRARY) return;

  var STORE = "charte-ia-brouillon";
  var E, lib, steps, state = {}, current = 0, ids = {}, timings = [];
  window.CharteBuilder = { timings: timings };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else if (attrs[k] === true) node.setAttribute(k, "");
      else if (attrs[k] !== false && attrs[k] != null) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function idFor(path) { return "cia-" + path.join("-").replace(/_/g, "-"); }
  function get(obj, path) {
    for (var i = 0; i < path.length && obj != null; i++) obj = obj[path[i]];
    return obj;
  }
  function set(obj, path, value) {
    for (var i = 0; i < path.length - 1; i++) {
      if (obj[path[i]] == null || typeof obj[path[i]] !== "object") obj[path[i]] = typeof path[i + 1] === "number" ? [] : {};
      obj = obj[path[i]];
    }
    obj[path[path.length - 1]] = value;
  }
  function label(field) { return field.title + (field.required ? " (obligatoire)" : ""); }

  /* --- the model's text rules (charte_ia.data.text), with its French messages -------------- */
  var T, rx = {};
  function message(kind, ctx) {
    return T.messages[kind].replace(/\{(\w+)\}/g, function (m, k) { return ctx && ctx[k] != null ? ctx[k] : m; });
  }
  function code(c) {
    var hex = c.codePointAt(0).toString(16).toUpperCase();
    return "U+" + ("000" + hex).slice(-Math.max(4, hex.length)) + (T.names[c] ? ", " + T.names[c] : "");
  }
  function length(s) { return Array.from(s).length; }
  function visible(v) {
    if (!v) return { error: message("text_empty") };
    var chars = Array.from(v);
    for (var i = 0; i < chars.length; i++) {
      if (/[\p{L}\p{N}\p{P}\p{S}]/u.test(chars[i]) && T.blank_glyphs.indexOf(chars[i]) < 0) return { value: v };
    }
    return { error: message("text_invisible") };
  }
  function common(v, limit) {
    if (length(v) > limit) return message("text_too_long", { length: length(v), limit: limit });
    var bad = rx.unwritable.exec(v);
    return bad ? message("text_unwritable", { char: code(bad[0]) }) : null;
  }
  /* The text as the model keeps it, or the reason it refuses it. */
  function clean(rule, v) {
    var error;
    if (rule === "id") return { value: v };
    if (rule === "version" && length(E.strip(v)) > T.limits.version) {
      return { error: message("version_too_long", { length: length(E.strip(v)), limit: T.limits.version }) };
    }
    if (rule === "prose") {
      if ((error = common(v, T.limits.prose))) return { error: error };
      return visible(E.strip(v.replace(rx.proseBlanks, " ").replace(rx.controls, "")));
    }
    if ((error = common(v, T.limits.line))) return { error: error };
    v = E.strip(v);
    var bad = rx.lineForbidden.exec(v);
    if (bad) return { error: message(T.line_breaks.indexOf(bad[0]) >= 0 ? "text_line_break" : "text_control", { char: code(bad[0]) }) };
    return visible(v);
  }

  /* --- from the answers to the organisation (what the model keeps) ------------------------ */
  /* Answers left empty are not given: a field cleared in the form is a blank in the charter. */
  function given(v) { return v != null && !(typeof v === "string" && !E.strip(v)); }
  function present(fields, raw) {
    var out = {};
    fields.forEach(function (f) {
      var v = raw ? raw[f.name] : undefined;
      if (f.kind === "model") v = given(v) ? present(f.fields, v) : undefined;
      else if (f.kind === "list:model") v = Array.isArray(v) ? v.map(function (item) { return present(f.fields, item || {}); }) : v;
      else if (f.kind === "list:text") v = Array.isArray(v) ? v.filter(given) : v;
      if (Array.isArray(v) && !v.length) v = undefined;
      if (v && typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length) v = undefined;
      if (given(v)) out[f.name] = v;
    });
    return out;
  }
  function normalise(fields, raw) {
    var out = {};
    fields.forEach(function (f) {
      var v = raw ? raw[f.name] : undefined, kept;
      if (v == null) return;
      if (f.kind === "text" || f.kind === "date" || f.kind === "enum") {
        kept = typeof v === "string" ? (f.clean ? clean(f.clean, v).value : E.strip(v)) : undefined;
      } else if (f.kind === "bool") {
        kept = v === true || v === "true" ? true : v === false || v === "false" ? false : undefined;
      } else if (f.kind === "list:text") {
        kept = (Array.isArray(v) ? v : []).map(function (x) { return typeof x === "string" ? clean(f.clean || "line", x).value : undefined; })
          .filter(function (x) { return x !== undefined; });
      } else if (f.kind === "list:enum" || f.kind === "list:ref") {
        kept = Array.isArray(v) ? v.slice() : undefined;
      } else if (f.kind === "model") {
        kept = normalise(f.fields, v);
      } else if (f.kind === "list:model") {
        kept = (Array.isArray(v) ? v : []).map(function (item) { return normalise(f.fields, item || {}); })
          .filter(function (item) { return item.name; });
      }
      if (Array.isArray(kept) && !kept.length) kept = undefined;
      if (kept && typeof kept === "object" && !Array.isArray(kept) && !Object.keys(kept).length) kept = undefined;
      if (kept !== undefined && kept !== "") out[f.name] = kept;
    });
    return out;
  }
  function allFields() {
    return steps.reduce(function (acc, s) { return acc.concat(s.fields); }, []);
  }
  function organisation() { return normalise(allFields(), present(allFields(), state)); }

  /* --- checking: the model's rules, with French messages naming the field ------------------ */
  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  /* A value as `check` quotes it (charte_ia.data.messages, `_shown`). */
  function what(v) {
    if (v === null) return "rien";
    if (Array.isArray(v)) return "une liste";
    if (typeof v === "object" && !(v instanceof Scalar)) return "un ensemble de champs";
    var text = v instanceof Scalar ? v.shown : typeof v === "boolean" ? (v ? "true" : "false") : String(v);
    var chars = Array.from(text.replace(/[\n\r]/g, "⏎"));
    return "« " + (chars.length <= 80 ? chars.join("") : chars.slice(0, 79).join("") + "…") + " »";
  }
  function check(fields, data, path, errors, loaded) {
    var names = fields.map(function (f) { return f.name; });
    Object.keys(data).forEach(function (key) {
      if (names.indexOf(key) < 0) {
        errors.push({ path: path.concat([key]), message: message("extra_forbidden", { key: key }) +
          " ; champs possibles ici : " + names.join(", ") });
      }
    });
    fields.forEach(function (f) {
      var v = data[f.name], here = path.concat([f.name]);
      if (v == null) {
        if (f.required) errors.push({ path: here, title: f.title, message: message("missing") });
        return;
      }
      var bad = function (msg) { errors.push({ path: here, title: f.title, message: msg + " (lu : " + what(v) + ")" }); };
      var options = (f.options || []).map(function (o) { return o[0]; });
      if (f.kind === "text") {
        if (typeof v !== "string") return bad(message("string_type"));
        var c = f.clean ? clean(f.clean, v) : { value: v };
        if (c.error) return errors.push({ path: here, title: f.title, message: c.error });
        loaded[f.name] = v;
      } else if (f.kind === "date") {
        var d = v instanceof Date ? v.toISOString().slice(0, 10) : v;
        if (typeof d !== "string" || !DATE.test(d) || isNaN(Date.parse(d + "T00:00:00Z")) ||
            new Date(d + "T00:00:00Z").toISOString().slice(0, 10) !== d) return bad(message("date_parsing"));
        loaded[f.name] = d;
      } else if (f.kind === "enum") {
        if (options.indexOf(v) < 0) return bad("valeur inconnue ; valeurs possibles : " + options.join(", "));
        loaded[f.name] = v;
      } else if (f.kind === "bool") {
        if (typeof v !== "boolean") return bad(message("bool_type"));
        loaded[f.name] = v ? "true" : "false";
      } else if (f.kind === "list:text" || f.kind === "list:enum" || f.kind === "list:ref") {
        if (!Array.isArray(v)) return bad(message("list_type"));
        var items = [], twice = duplicated(v, here, f.title, errors);
        v.forEach(function (item, i) {
          if (twice[i]) return;
          if (f.kind === "list:text") {
            var r = typeof item === "string" ? clean(f.clean || "line", item) : { error: message("string_type") };
            if (r.error) errors.push({ path: here.concat([i]), title: f.title, message: r.error });
            else items.push(item);
          } else if (options.indexOf(item) < 0) {
            errors.push({ path: here.concat([i]), title: f.title, message: "valeur inconnue " + what(item) + " ; valeurs possibles : " + options.join(", ") });
          } else items.push(item);
        });
        loaded[f.name] = items;
      } else if (f.kind === "model") {
        if (typeof v !== "object" || Array.isArray(v) || v instanceof Scalar) return bad(message("dict_type"));
        loaded[f.name] = {};
        check(f.fields, v, here, errors, loaded[f.name]);
      } else if (f.kind === "list:model") {
        if (!Array.isArray(v)) return bad(message("list_type"));
        loaded[f.name] = [];
        var again = duplicated(v, here, f.title, errors);
        v.forEach(function (item, i) {
          if (again[i]) return;
          if (item == null || typeof item !== "object" || Array.isArray(item) || item instanceof Scalar) {
            errors.push({ path: here.concat([i]), title: f.title, message: message("dict_type") + " (lu : " + what(item) + ")" });
            return;
          }
          var one = {};
          check(f.fields, item, here.concat([i]), errors, one);
          loaded[f.name].push(one);
        });
      }
    });
  }
  /* A value twice in a list, as `check` refuses it (charte_ia.data.loader, `duplicates` and
     `name_key`: case, composition and spacing aside); records by their id, else their name. */
  var spaces = null;
  /* Python's casefold(): upper then lower case, letter by letter, but for the dotless i it
     keeps and the sharp s it writes ss. */
  function casefold(text) {
    return Array.from(text).map(function (c) { return c === "\u0131" ? c : c.toUpperCase().toLowerCase(); })
      .join("").replace(/\u00df/g, "ss");
  }
  function nameKey(text) {
    spaces = spaces || new RegExp(lib.text.spaces, "gu");
    return casefold(text.normalize("NFKC")).replace(spaces, " ").replace(/^ | $/g, "");
  }
  function duplicated(list, here, title, errors) {
    var seen = {}, twice = {};
    list.forEach(function (item, i) {
      var key = here.concat([i]);
      if (item && typeof item === "object" && !Array.isArray(item)) {
        var f = ["id", "revision", "name"].filter(function (k) { return k in item; })[0] || "name";
        item = item[f];
        key = key.concat([f]);
      }
      if (typeof item !== "string") return;
      var ident = nameKey(item);
      if (seen.hasOwnProperty(ident)) {
        twice[i] = true;
        errors.push({ path: key, title: title, message: "« " + Array.from(item).slice(0, 80).join("") +
          " » en double dans cette liste (déjà l’entrée " + (seen[ident] + 1) + ")" });
      } else seen[ident] = i;
    });
    return twice;
  }
  function dateOrder(org, errors) {
    if (org.adopted && org.next_review && org.next_review <= org.adopted) {
      errors.push({ path: ["next_review"], message: "la date de révision (" + org.next_review +
        ") doit être postérieure à la date d’adoption (" + org.adopted + ")" });
    }
  }
  function describe(error) {
    var shown = error.path.map(function (p) { return typeof p === "number" ? String(p + 1) : p; }).join(".");
    return (error.title ? error.title + " (" + shown + ")" : "« " + shown + " »") + " : " + error.message + ".";
  }

  /* --- the YAML file: one restricted form, every text a double-quoted string ---------------- */
  function quote(s) {
    s = s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g, "$1\ufffd");
    return '"' + s.replace(/[\\"]/g, function (c) { return "\\" + c; })
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, function (c) {
        return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
      }) + '"';
  }
  function scalar(f, v) {
    if (f.kind === "bool") return v ? "true" : "false";
    if (f.kind === "date") return v;
    return quote(String(v));
  }
  function yamlLines(fields, data, indent, out) {
    fields.forEach(function (f) {
      var v = data[f.name];
      if (v === undefined) return;
      var pad = new Array(indent + 1).join(" ");
      if (f.kind === "model") {
        out.push(pad + f.name + ":");
        yamlLines(f.fields, v, indent + 2, out);
      } else if (f.kind === "list:model") {
        out.push(pad + f.name + ":");
        v.forEach(function (item) {
          var inner = [];
          yamlLines(f.fields, item, indent + 4, inner);
          inner[0] = pad + "  - " + inner[0].slice(indent + 4);
          out.push.apply(out, inner);
        });
      } else if (f.kind.indexOf("list:") === 0) {
        out.push(pad + f.name + ": [" + v.map(function (x) { return quote(String(x)); }).join(", ") + "]");
      } else {
        out.push(pad + f.name + ": " + scalar(f, v));
      }
    });
    return out;
  }
  function schemaUrl() {
    var script = document.querySelector('script[src*="assets/builder/library.js"]');
    return script ? script.src.replace(/assets\/builder\/library\.js.*$/, "schemas/organisation.schema.json") : "";
  }
  function toYaml(org) {
    return ["# yaml-language-server: $schema=" + schemaUrl(),
      "# Charte IA : fichier d’une organisation, écrit par « Créer ma charte ».",
      "# À placer dans data/organizations/ ; à vérifier avec : python -m charte_ia check",
      ""].concat(yamlLines(allFields(), org, 0, [])).join("\n") + "\n";
  }

  /* --- the form ---------------------------------------------------------------------------- */
  function describedBy(id, help) { return (help ? id + "-aide " : "") + id + "-erreur"; }
  function fieldBox(f, path) {
    var id = idFor(path), help = f.help + (f.kind === "list:text" ? (f.help ? " " : "") + "Une réponse par ligne." : "");
    var box = el("div", { class: "cia-field", "data-path": path.join(".") });
    var helpNode = help ? el("p", { class: "cia-help", id: id + "-aide", text: help }) : null;
    var error = el("p", { class: "cia-error", id: id + "-erreur", hidden: true });
    var control;
    if (f.kind === "model") {
      var group = el("fieldset", { class: "cia-group", "aria-describedby": helpNode ? id + "-aide" : null },
        [el("legend", { text: f.title }), helpNode]);
      f.fields.forEach(function (sub) { group.appendChild(fieldBox(sub, path.concat([sub.name]))); });
      return group;
    }
    if (f.kind === "list:model") return listBox(f, path, id, helpNode);
    if (f.kind === "list:enum" || f.kind === "list:ref") {
      var set_ = el("fieldset", { class: "cia-choices", "aria-describedby": describedBy(id, help), id: id },
        [el("legend", { text: f.title }), helpNode]);
      f.options.forEach(function (o, i) {
        var cid = id + "-" + i;
        set_.appendChild(el("div", { class: "cia-choice" }, [
          el("input", { type: "checkbox", id: cid, value: o[0], "data-path": path.join("."), "data-kind": f.kind }),
          el("label", { for: cid, text: o[1] })]));
      });
      set_.appendChild(error);
      return set_;
    }
    var common = { id: id, "data-path": path.join("."), "data-kind": f.kind, "aria-describedby": describedBy(id, help) };
    if (f.kind === "enum" || f.kind === "bool") {
      // A choice with a default (the language) has nothing to decide yet: no « non décidé ».
      control = el("select", common, f["default"] !== undefined ? [] : [el("option", { value: "", text: "Non décidé pour l’instant" })]);
      f.options.forEach(function (o) { control.appendChild(el("option", { value: o[0], text: o[1] })); });
    } else if (f.kind === "list:text") {
      control = el("textarea", Object.assign({ rows: 3 }, common));
    } else {
      control = el("input", Object.assign({ type: f.kind === "date" ? "date" : "text", autocomplete: "off",
        required: f.required, "aria-required": f.required ? "true" : null }, common));
    }
    box.appendChild(el("label", { for: id, text: label(f) }));
    if (helpNode) box.appendChild(helpNode);
    box.appendChild(control);
    box.appendChild(error);
    return box;
  }
  function listBox(f, path, id, helpNode) {
    var group = el("fieldset", { class: "cia-group cia-list", id: id }, [el("legend", { text: f.title }), helpNode]);
    var items = el("div", { class: "cia-items" });
    group.appendChild(items);
    var add = el("button", { type: "button", class: "md-button", text: "Ajouter : " + f.title.toLowerCase() });
    add.addEventListener("click", function () {
      var list = get(state, path) || [];
      list.push({});
      set(state, path, list);
      drawList(f, path, items);
      var first = items.lastElementChild && items.lastElementChild.querySelector("input, select, textarea");
      if (first) first.focus();
      changed();
    });
    group.appendChild(add);
    drawList(f, path, items);
    return group;
  }
  function drawList(f, path, items) {
    items.textContent = "";
    (get(state, path) || []).forEach(function (item, i) {
      var here = path.concat([i]);
      var one = el("fieldset", { class: "cia-item" }, [el("legend", { text: f.title + " n° " + (i + 1) })]);
      f.fields.forEach(function (sub) { one.appendChild(fieldBox(sub, here.concat([sub.name]))); });
      var remove = el("button", { type: "button", class: "md-button cia-remove", text: "Retirer « " + f.title.toLowerCase() + " » n° " + (i + 1) });
      remove.addEventListener("click", function () {
        var list = get(state, path) || [];
        list.splice(i, 1);
        drawList(f, path, items);
        changed();
        var next = items.querySelector("input") || items.parentNode.querySelector("button");
        if (next) next.focus();
      });
      one.appendChild(remove);
      items.appendChild(one);
    });
    fillControls(items);
  }
  function pathOf(node) {
    return node.getAttribute("data-path").split(".").map(function (p) { return /^\d+$/.test(p) ? parseInt(p, 10) : p; });
  }
  function fillControls(scope) {
    scope.querySelectorAll("[data-path][data-kind]").forEach(function (c) {
      var v = get(state, pathOf(c)), kind = c.getAttribute("data-kind");
      if (c.type === "checkbox") c.checked = Array.isArray(v) && v.indexOf(c.value) >= 0;
      else if (kind === "list:text") c.value = Array.isArray(v) ? v.join("\n") : "";
      else if (v == null) c.value = c.tagName === "SELECT" && !c.querySelector('option[value=""]') ? c.options[0].value : "";
      else c.value = String(v);
    });
  }
  function onInput(event) {
    var c = event.target;
    if (!c.hasAttribute || !c.hasAttribute("data-kind")) return;
    var path = pathOf(c), kind = c.getAttribute("data-kind");
    if (c.type === "checkbox") {
      var chosen = [];
      c.closest("fieldset").querySelectorAll("input[type=checkbox]").forEach(function (box) { if (box.checked) chosen.push(box.value); });
      set(state, path, chosen);
    } else if (kind === "list:text") {
      set(state, path, c.value.split("\n"));
    } else {
      set(state, path, c.value);
    }
    if (c.getAttribute("aria-invalid")) clearError(c);
    changed();
  }

  /* --- steps and progress ------------------------------------------------------------------ */
  var panels = [], stepButtons = [], progress, bar;
  function showStep(i, focus) {
    current = Math.max(0, Math.min(steps.length - 1, i));
    panels.forEach(function (p, k) { p.hidden = k !== current; });
    stepButtons.forEach(function (b, k) {
      if (k === current) b.setAttribute("aria-current", "step"); else b.removeAttribute("aria-current");
    });
    updateProgress();
    if (focus) panels[current].querySelector("h2").focus();
  }
  function countAnswers() {
    var n = 0, total = 0;
    root.querySelectorAll(".cia-form [data-kind]").forEach(function (c) {
      if (c.type === "checkbox") return;
      total++;
      if (c.value && E.strip(c.value)) n++;
    });
    root.querySelectorAll(".cia-form .cia-choices").forEach(function (set_) {
      total++;
      if (set_.querySelector("input:checked")) n++;
    });
    return [n, total];
  }
  function updateProgress() {
    var c = countAnswers();
    progress.textContent = "Étape " + (current + 1) + " sur " + steps.length + " : " + steps[current].title +
      ". Questions répondues : " + c[0] + " sur " + c[1] + ".";
    bar.value = current + 1;
  }

  /* --- preview, draft, errors ---------------------------------------------------------------- */
  var preview, status, pending = false, statusTimer = null, saveTimer = null, errorBox, drawn = false;
  function changed() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () { pending = false; refresh(); });
    }
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveDraft, 300);
  }
  function refresh() {
    var t0 = performance.now();
    var html = E.render("html", organisation());
    preview.innerHTML = html;
    drawn = true;
    timings.push(performance.now() - t0);
    if (timings.length > 200) timings.shift();
    updateProgress();
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () {
      var blanks = preview.querySelectorAll("mark").length;
      status.textContent = "Aperçu à jour : " + blanks + " mention" + (blanks > 1 ? "s" : "") + " à compléter.";
    }, 1200);
  }
  function saveDraft() {
    try { window.localStorage.setItem(STORE, JSON.stringify({ version: 1, answers: state })); } catch (e) { /* private mode: nothing kept */ }
  }
  function loadDraft() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE) || "null");
      return saved && saved.version === 1 && saved.answers && typeof saved.answers === "object" ? saved.answers : null;
    } catch (e) { return null; }
  }
  function showErrors(title, list, kind) {
    errorBox.textContent = "";
    errorBox.className = "cia-messages " + (kind || "cia-messages--error");
    if (!title) { errorBox.hidden = true; return; }
    errorBox.hidden = false;
    errorBox.appendChild(el("p", { class: "cia-messages__title", text: title }));
    if (list && list.length) errorBox.appendChild(el("ul", {}, list.map(function (m) { return el("li", { text: m }); })));
  }
  function fieldError(path, message) {
    var id = idFor(path), control = document.getElementById(id), error = document.getElementById(id + "-erreur");
    if (!control || !error) return null;
    control.setAttribute("aria-invalid", "true");
    error.textContent = message;
    error.hidden = false;
    return control;
  }
  function clearError(control) {
    control.removeAttribute("aria-invalid");
    var error = document.getElementById(control.id + "-erreur");
    if (error) { error.hidden = true; error.textContent = ""; }
  }
  /* The documents need a name, and dates in order: say so next to the field and above. */
  function ready() {
    var org = organisation(), errors = [];
    root.querySelectorAll("[aria-invalid]").forEach(clearError);
    var answers = present(allFields(), state);
    if (!answers.name) errors.push({ path: ["name"], title: allFields()[0].title, message: "indiquez le nom de l’organisation : c’est la seule réponse obligatoire" });
    check(allFields(), answers, [], errors.length ? [] : errors, {});
    dateOrder(org, errors);
    if (!errors.length) { showErrors(null); return org; }
    var first = null;
    errors.forEach(function (e) { var c = fieldError(e.path, e.message.charAt(0).toUpperCase() + e.message.slice(1) + "."); first = first || c; });
    showErrors("Avant de télécharger :", errors.map(describe));
    if (first) {
      var panel = first.closest(".cia-step");
      showStep(panels.indexOf(panel), false);
      first.focus();
    }
    return null;
  }

  /* --- downloads ----------------------------------------------------------------------------- */
  /* The slug `new` would choose (python-slugify's steps, charte_ia.builder.names): the same
     file names as the build's once the YAML file is added to the organisations. */
  var slugChars = null, slugEntities = null;
  function slugTables() {
    slugChars = {};
    Object.keys(lib.slug.chars).forEach(function (out) {
      Array.from(lib.slug.chars[out]).forEach(function (c) { slugChars[c] = out; });
    });
    slugEntities = {};
    var code = 0;
    lib.slug.entities.split(" ").forEach(function (e) {
      var parts = e.split(":");
      code += parts.length > 1 ? parseInt(parts[1], 10) : 1;
      slugEntities[parts[0]] = String.fromCodePoint(code);
    });
  }
  function replaceAll(text, pairs) {
    pairs.forEach(function (r) { text = text.split(r[0]).join(r[1]); });
    return text;
  }
  /* Numeric references as python-slugify decodes them: one beyond Unicode leaves them all. */
  function numericRefs(text, pattern, base) {
    var codes = Array.from(text.matchAll(pattern), function (m) { return parseInt(m[1], base); });
    if (codes.some(function (c) { return c > 0x10ffff; })) return text;
    return text.replace(pattern, function (m, digits) { return String.fromCodePoint(parseInt(digits, base)); });
  }
  /* python-slugify's smart_truncate: whole words that fit, in order, else the first letters. */
  function truncate(text, max) {
    if (text.length < max) return text;
    if (text.indexOf("-") < 0) return text.slice(0, max);
    var out = "", words = text.split("-");
    for (var i = 0; i < words.length; i++) {
      if (!words[i]) continue;
      var next = out.length + words[i].length;
      if (next < max) out += words[i] + "-";
      else if (next === max) { out += words[i]; break; }
    }
    return (out || text.slice(0, max)).replace(/^-+|-+$/g, "");
  }
  function slugOf(name) {
    if (!slugChars) slugTables();
    var text = replaceAll(name, lib.slug.replacements).replace(/'+/g, "-").normalize("NFKD");
    text = Array.from(text).map(function (c) { return c < "\x80" ? c : slugChars[c] || ""; }).join("");
    text = text.replace(/&([A-Za-z0-9]+);/g, function (m, n) { return slugEntities.hasOwnProperty(n) ? slugEntities[n] : m; });
    text = numericRefs(text, /&#(\d+);/g, 10);
    text = numericRefs(text, /&#x([\da-fA-F]+);/g, 16);
    text = text.normalize("NFKD").toLowerCase().replace(/'+/g, "").replace(/(?<=\d),(?=\d)/g, "")
      .replace(/[^-a-zA-Z0-9]+/g, "-").replace(/-{2,}/g, "-").replace(/^-+|-+$/g, "");
    return truncate(replaceAll(text, lib.slug.replacements), lib.slug.max);
  }
  function slug(name) { return slugOf(name) || "organisation"; }
  function versionTag(org) {
    if (!org.version) return "brouillon";
    return "v" + (org.version.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "0");
  }
  function save(blob, name) {
    var a = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function download(kind) {
    var org = ready();
    if (!org) return;
    var stem = "charte-ia-" + slug(org.name) + "-" + versionTag(org);
    var t0 = performance.now();
    if (kind === "docx") {
      save(E.docx(org), stem + ".docx");
      window.CharteBuilder.lastDocxMs = performance.now() - t0;
    } else if (kind === "md") {
      save(new Blob([E.render("md", org)], { type: "text/markdown;charset=utf-8" }), stem + ".md");
    } else if (kind === "yml") {
      save(new Blob([toYaml(org)], { type: "application/yaml;charset=utf-8" }), slug(org.name) + ".yml");
    }
    showErrors("Fichier fabriqué dans votre navigateur : vérifiez le dossier des téléchargements.", null, "cia-messages--ok");
  }

  /* --- reading a file as the build reads it: YAML 1.1, PyYAML's safe loader ---------------- */
  /* js-yaml reads YAML 1.2; the build, PyYAML (1.1, without timestamps: charte_ia.data.
     yamlsource). Its implicit types, so that a hand-written `yes`, `off` or `010` reads the same. */
  function Scalar(shown) { this.shown = shown; }
  function pyFloat(x) {
    if (isNaN(x)) return "nan";
    if (!isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    var a = Math.abs(x);
    if (a >= 1e16 || a < 1e-4) return x.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
    var s = String(x);
    return /[.e]/.test(s) ? s : s + ".0";
  }
  function sexagesimal(text) {
    return text.split(":").reduce(function (n, part) { return n * 60 + parseFloat(part); }, 0);
  }
  var pyTypes = null;
  function pySchema() {
    if (pyTypes) return pyTypes;
    var Y = window.jsyaml;
    function type(name, re, construct) {
      return new Y.Type("tag:yaml.org,2002:" + name, { kind: "scalar", construct: construct,
        resolve: function (data) { return data !== null && re.test(data); } });
    }
    var bool = type("bool", /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
      function (data) { return /^(?:yes|true|on)$/i.test(data); });
    var float = type("float", /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
      function (data) {
        var v = data.replace(/_/g, "").toLowerCase(), sign = v.charAt(0) === "-" ? -1 : 1;
        if ("+-".indexOf(v.charAt(0)) >= 0) v = v.slice(1);
        var x = v === ".inf" ? Infinity : v === ".nan" ? NaN : v.indexOf(":") >= 0 ? sexagesimal(v) : parseFloat(v);
        return new Scalar(pyFloat(sign * x));
      });
    var int = type("int", /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
      function (data) {
        var v = data.replace(/_/g, ""), sign = v.charAt(0) === "-" ? "-" : "", n;
        if ("+-".indexOf(v.charAt(0)) >= 0) v = v.slice(1);
        if (v === "0") n = BigInt(0);
        else if (v.indexOf("0b") === 0 || v.indexOf("0x") === 0) n = BigInt(v);
        else if (v.charAt(0) === "0") n = BigInt("0o" + v.slice(1));
        else if (v.indexOf(":") >= 0) n = v.split(":").reduce(function (a, p) { return a * BigInt(60) + BigInt(p); }, BigInt(0));
        else n = BigInt(v);
        return new Scalar(n === BigInt(0) ? "0" : sign + n.toString());
      });
    // `=` is YAML 1.1's « value » type, which the build refuses.
    var value = type("value", /^=$/, function () { return new Scalar("="); });
    pyTypes = Y.FAILSAFE_SCHEMA.extend({ implicit: [Y.types["null"], bool, float, int, Y.types.merge, value] });
    return pyTypes;
  }
  /* PyYAML's line breaks: NEL is one everywhere, as \n; LS and PS too, but a value that runs
     over one keeps the character itself (where YAML 1.2 reads them as letters). Read once with
     them as \n for the structure, then again with each one inside a value marked. */
  var MARKS = { "\u2028": "\ufdd0", "\u2029": "\ufdd1" };
  function readYaml(text) {
    text = text.replace(/\x85/g, "\n");
    var schema = pySchema(), breaks = [];
    for (var i = 0; i < text.length; i++) if (MARKS[text.charAt(i)]) breaks.push(i);
    var plain = text.replace(/[\u2028\u2029]/g, "\n");
    if (!breaks.length || /[\ufdd0\ufdd1]/.test(text)) return window.jsyaml.load(plain, { schema: schema });
    var open = [], spans = [];
    var data = window.jsyaml.load(plain, { schema: schema, listener: function (event, state) {
      if (event === "open") open.push(state.position);
      else { var start = open.pop(); if (state.kind === "scalar") spans.push([start, state.position]); }
    } });
    var inside = breaks.filter(function (p) { return spans.some(function (s) { return s[0] < p && p < s[1]; }); });
    if (!inside.length) return data;
    var marked = "", last = 0;
    inside.forEach(function (p) { marked += plain.slice(last, p) + MARKS[text.charAt(p)]; last = p; });
    return unmark(window.jsyaml.load(marked + plain.slice(last), { schema: schema }));
  }
  function unmark(v) {
    if (typeof v === "string") return v.replace(/\ufdd0[ \n]?/g, "\u2028").replace(/\ufdd1[ \n]?/g, "\u2029");
    if (Array.isArray(v)) return v.map(unmark);
    if (v && typeof v === "object" && !(v instanceof Scalar)) {
      var out = {};
      Object.keys(v).forEach(function (k) { out[k] = unmark(v[k]); });
      return out;
    }
    return v;
  }

  /* --- opening a file ------------------------------------------------------------------------ */
  function open(file) {
    var reader = new FileReader();
    reader.onload = function () { load(String(reader.result), file.name); };
    reader.onerror = function () { showErrors("Le fichier « " + file.name + " » n’a pas pu être lu."); };
    reader.readAsText(file, "utf-8");
  }
  function load(text, name) {
    var data;
    try {
      data = readYaml(text);
    } catch (e) {
      var where = e.mark ? " (ligne " + (e.mark.line + 1) + ", colonne " + (e.mark.column + 1) + ")" : "";
      var reason = /duplicated mapping key/.test(e.reason || "") ? "une clé apparaît deux fois" : (e.reason || String(e));
      showErrors("Le fichier « " + name + " » n’est pas un fichier YAML valide" + where + " : " + reason + ". Rien n’a été repris.");
      return false;
    }
    if (data == null || typeof data !== "object" || Array.isArray(data) || data instanceof Scalar) {
      showErrors("Le fichier « " + name + " » ne décrit pas une organisation (il faut des lignes « champ: valeur »). Rien n’a été repris.");
      return false;
    }
    var errors = [], loaded = {};
    check(allFields(), data, [], errors, loaded);
    dateOrder(normalise(allFields(), present(allFields(), loaded)), errors);
    state = loaded;
    redraw();
    changed();
    if (errors.length) {
      showErrors("Fichier « " + name + " » ouvert, mais ces valeurs n’ont pas été reprises ; corrigez-les dans le questionnaire :",
        errors.map(describe));
    } else {
      showErrors("Fichier « " + name + " » ouvert : toutes ses valeurs sont reprises.", null, "cia-messages--ok");
    }
    return errors;
  }

  /* --- the page ------------------------------------------------------------------------------ */
  var formNode;
  function redraw() {
    formNode.querySelectorAll(".cia-list").forEach(function (group) {
      var f = findField(group.id);
      if (f) drawList(f[0], f[1], group.querySelector(".cia-items"));
    });
    fillControls(formNode);
    updateProgress();
  }
  function findField(id) {
    var found = null;
    allFields().forEach(function walk(f, _, __, path) {
      path = (path || []).concat([f.name]);
      if (idFor(path) === id) found = [f, path];
      if (f.kind === "model") f.fields.forEach(function (sub) { walk(sub, 0, 0, path); });
    });
    return found;
  }
  function start(library) {
    lib = library;
    E = window.CharteEngine(lib);
    steps = lib.form.steps;
    T = lib.form.text;
    rx = { lineForbidden: new RegExp(T.line_forbidden, "u"), proseBlanks: new RegExp(T.prose_blanks, "gu"),
      controls: new RegExp(T.controls, "gu"), unwritable: new RegExp(T.unwritable, "u") };
    state = loadDraft() || {};
    root.textContent = "";

    var nav = el("nav", { class: "cia-stepper", "aria-label": "Étapes du questionnaire" });
    var ol = el("ol");
    steps.forEach(function (s, i) {
      var b = el("button", { type: "button", class: "cia-stepper__button", text: (i + 1) + ". " + s.title });
      b.addEventListener("click", function () { showStep(i, true); });
      stepButtons.push(b);
      ol.appendChild(el("li", {}, [b]));
    });
    nav.appendChild(ol);
    progress = el("p", { class: "cia-progress", id: "cia-progression" });
    bar = el("progress", { max: steps.length, value: 1, "aria-labelledby": "cia-progression" });

    formNode = el("form", { class: "cia-form", novalidate: true, "aria-label": "Questionnaire de la charte" });
    formNode.addEventListener("submit", function (e) { e.preventDefault(); });
    // One step's fields a task (the page answers between them), then the rest of the page.
    var built = 0;
    (function step() {
      var s = steps[built], i = built;
      var hid = "cia-etape-" + (i + 1);
      var panel = el("section", { class: "cia-step", "aria-labelledby": hid },
        [el("h2", { id: hid, tabindex: "-1", text: "Étape " + (i + 1) + " sur " + steps.length + " : " + s.title })]);
      s.fields.forEach(function (f) { panel.appendChild(fieldBox(f, [f.name])); });
      var buttons = el("div", { class: "cia-step__nav" });
      if (i > 0) {
        var prev = el("button", { type: "button", class: "md-button", text: "Étape précédente" });
        prev.addEventListener("click", function () { showStep(i - 1, true); });
        buttons.appendChild(prev);
      }
      if (i < steps.length - 1) {
        var next = el("button", { type: "button", class: "md-button md-button--primary", text: "Étape suivante" });
        next.addEventListener("click", function () { showStep(i + 1, true); });
        buttons.appendChild(next);
      }
      panel.appendChild(buttons);
      panels.push(panel);
      formNode.appendChild(panel);
      built += 1;
      if (built < steps.length) setTimeout(step, 0); else finish();
    })();
    function finish() {
      formNode.addEventListener("input", onInput);
      formNode.addEventListener("change", onInput);

      errorBox = el("div", { class: "cia-messages", role: "alert", hidden: true });
      var actions = el("div", { class: "cia-actions", role: "group", "aria-label": "Télécharger, ouvrir, effacer" });
      [["docx", "Télécharger en Word (.docx)", true], ["md", "Télécharger en Markdown (.md)"],
        ["yml", "Télécharger le fichier de l’organisation (.yml)"]].forEach(function (d) {
        var b = el("button", { type: "button", class: "md-button" + (d[2] ? " md-button--primary" : ""), text: d[1], "data-download": d[0] });
        b.addEventListener("click", function () { download(d[0]); });
        actions.appendChild(b);
      });
      var print = el("button", { type: "button", class: "md-button", text: "Imprimer ou enregistrer en PDF" });
      print.addEventListener("click", function () { if (ready()) window.print(); });
      actions.appendChild(print);
      var fileInput = el("input", { type: "file", id: "cia-ouvrir", accept: ".yml,.yaml,application/yaml,text/yaml", class: "cia-file" });
      fileInput.addEventListener("change", function () { if (fileInput.files[0]) open(fileInput.files[0]); fileInput.value = ""; });
      actions.appendChild(el("div", { class: "cia-open" }, [
        el("label", { for: "cia-ouvrir", text: "Ouvrir un fichier d’organisation (.yml) pour le reprendre" }), fileInput]));
      var clear = el("button", { type: "button", class: "md-button cia-clear", text: "Effacer le brouillon" });
      clear.addEventListener("click", function () {
        if (!window.confirm("Effacer toutes les réponses gardées dans ce navigateur ?")) return;
        try { window.localStorage.removeItem(STORE); } catch (e) { /* nothing kept */ }
        state = {};
        redraw();
        changed();
        clearTimeout(saveTimer);
        try { window.localStorage.removeItem(STORE); } catch (e) { /* nothing kept */ }
        showErrors("Brouillon effacé : le questionnaire est vide.", null, "cia-messages--ok");
      });
      actions.appendChild(clear);
      actions.appendChild(el("p", { class: "cia-draft-note", text: "Vos réponses sont gardées dans ce navigateur (brouillon), jamais envoyées." }));

      preview = el("div", { class: "cia-preview", id: "cia-apercu" });
      status = el("p", { class: "cia-status", role: "status", "aria-live": "polite" });
      var aside = el("section", { class: "cia-preview-wrap", "aria-labelledby": "cia-apercu-titre" }, [
        el("h2", { id: "cia-apercu-titre", text: "Aperçu de la charte" }), status, preview]);

      var left = el("div", { class: "cia-left" }, [nav, progress, bar, formNode]);
      root.appendChild(el("div", { class: "cia-layout" }, [left, aside]));
      root.appendChild(errorBox);
      root.appendChild(actions);
      // The messages and actions sit right under the form's steps on screen: see builder.css.
      left.appendChild(actions);
      left.appendChild(errorBox);

      fillControls(formNode);
      showStep(0, false);
      // The preview in a task of its own, once it is near the screen: on a phone it sits below
      // the questionnaire, where drawing the whole charter would hold the page for nobody to see.
      // An answer or printing draws it too.
      if (window.IntersectionObserver) {
        var near = new window.IntersectionObserver(function (entries) {
          if (!entries.some(function (e) { return e.isIntersecting; })) return;
          near.disconnect();
          if (!drawn) setTimeout(function () { if (!drawn) refresh(); }, 0);
        }, { rootMargin: "50% 0px" });
        near.observe(aside);
      } else {
        setTimeout(refresh, 0);
      }
      window.addEventListener("beforeprint", function () { if (!drawn) refresh(); });
      window.CharteBuilder.engine = E;
      window.CharteBuilder.organisation = organisation;
      window.CharteBuilder.toYaml = toYaml;
      window.CharteBuilder.load = load;
      window.CharteBuilder.slug = slugOf;
      window.CharteBuilder.nameKey = nameKey;
      window.CharteBuilder.ready = true;
    }
  }

  /* The library as charte_ia.builder.pack packed it: each clause's text back in every format,
     and the slots the page fills from its plan (numbers, condition lines) described again. */
  var LISTS = ["body", "head", "cond", "then", "else", "empty", "pre", "post", "row"];
  function unpack(library) {
    var clauses = library.clauses, slots = library.slots;
    function walk(tokens, visit) {
      tokens.forEach(function (t) {
        if (!t || typeof t !== "object" || visit(t)) return;
        LISTS.forEach(function (name) { if (Array.isArray(t[name])) walk(t[name], visit); });
        if (t["switch"]) Object.keys(t["switch"]).forEach(function (f) {
          Object.keys(t["switch"][f]).forEach(function (o) { walk(t["switch"][f][o], visit); });
        });
      });
    }
    /* Inside a clause, "#" and "?" are its own number and condition line. */
    function own(id) {
      var c = clauses[id];
      return function (t) {
        if (t.s === "#") t.s = c.number;
        else if (t.s === "?") t.s = c.condition;
        else if (t.cond !== undefined) t.of = id;
      };
    }
    Object.keys(library.formats).forEach(function (format) {
      walk(library.formats[format], function (t) {
        if (t.clause === undefined || Object.keys(t).length !== 1) return false;
        var body = clauses[t.clause].formats[format];
        walk([body], own(t.clause));
        Object.keys(body).forEach(function (k) { t[k] = body[k]; });
        return true;
      });
    });
    function planned(entry, key, path, transform) {
      if (entry[key] !== undefined) slots[entry[key]] = { path: path, transform: transform };
    }
    Object.keys(clauses).forEach(function (id) {
      var c = clauses[id];
      planned(c, "number", ["#number", id], "number");
      planned(c, "condition", ["#condition", id], "condition");
      delete c.condition;
      delete c.formats;
    });
    library.sections.forEach(function (s) {
      planned(s, "number", ["#section", s.id], "section");
      planned(s, "condition", ["#condition", "§" + s.id], "condition");
      delete s.condition;
    });
    return library;
  }

  var data = window.CHARTE_LIBRARY;
  if (data && data.zstd && window.fzstd) {
    // Decompressed a few kilobytes at a time, each piece in a task of its own, then read, then
    // unpacked, then the questionnaire built: no task holds the page long enough to delay a tap.
    // unpackMs is the time spent decompressing, reading and unpacking.
    var spent = 0, packed = atob(data.zstd), at = 0, text = [], decoder = new TextDecoder();
    var stream = new window.fzstd.Decompress(function (chunk) { text.push(decoder.decode(chunk, { stream: true })); });
    var timed = function (step) {
      return function () { var t0 = performance.now(); step(); spent += performance.now() - t0; };
    };
    var piece = timed(function () {
      var end = Math.min(at + 8192, packed.length), bytes = new Uint8Array(end - at);
      for (var i = at; i < end; i++) bytes[i - at] = packed.charCodeAt(i);
      at = end;
      stream.push(bytes, at === packed.length);
    });
    var next = function () {
      piece();
      if (at < packed.length) { setTimeout(next, 0); return; }
      var library;
      setTimeout(timed(function () {
        library = JSON.parse(text.join("") + decoder.decode());
        setTimeout(timed(function () {
          unpack(library);
          setTimeout(function () { window.CharteBuilder.unpackMs = spent; start(library); }, 0);
        }), 0);
      }), 0);
    };
    setTimeout(next, 0);
  } else if (data && !data.zstd) {
    start(data);
  }
})();

/* Paper-form entry by keyboard: a key typed into a one-key answer moves the cursor to the next
   answer; a key that means nothing for that question is refused visibly (the box flashes, a
   message says which keys it takes) and the cursor stays, so a clerk typing blind notices
   before the sheet shifts by one. The procedure picker finds a procedure by words of its name
   without accents ("dang ky" finds "Đăng ký") or by its code, best matches first (rank());
   Enter in it picks the highlighted procedure and moves on (as Tab does), Enter anywhere else
   saves. */
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;
  var text = JSON.parse(document.getElementById("entry-text").textContent);
  var fields = Array.prototype.slice.call(form.querySelectorAll("input:not([type=hidden]):not([type=checkbox]), select"));
  function next(el) {
    var i = fields.indexOf(el);
    if (i >= 0 && i + 1 < fields.length) { fields[i + 1].focus(); if (fields[i + 1].select) fields[i + 1].select(); }
  }
  function refuse(input, key) {
    var note = document.getElementById("refused_" + input.name.slice(2));
    var keys = input.dataset.allowed.split("").join(", ");
    input.classList.remove("entry__key--refused");
    void input.offsetWidth;  // restart the flash on a second refused key
    input.classList.add("entry__key--refused");
    if (note) {
      note.textContent = text.refused.replace("%(key)s", key).replace("%(keys)s", keys);
      note.hidden = false;
    }
  }
  function accept(input) {
    var note = document.getElementById("refused_" + input.name.slice(2));
    input.classList.remove("entry__key--refused");
    if (note) { note.hidden = true; note.textContent = ""; }
  }
  form.querySelectorAll(".entry__key").forEach(function (input) {
    input.addEventListener("keydown", function (e) {
      if (e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey || !input.dataset.allowed) return;
      if (input.dataset.allowed.indexOf(e.key) === -1) {
        e.preventDefault();  // not a key of this question: said, and the cursor stays
        refuse(input, e.key);
      } else {
        accept(input);
      }
    });
    input.addEventListener("input", function () {
      if (input.value.length >= parseInt(input.maxLength, 10)) next(input);
    });
  });

  // The procedure picker.
  var search = document.getElementById("id_service_search");
  var chosen = document.getElementById("id_service");
  var list = document.getElementById("service-options");
  var options = JSON.parse(document.getElementById("service-data").textContent);
  var shown = [], active = -1;
  function fold(value) {
    return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/đ/g, "d").split(/\s+/).filter(Boolean);
  }
  var MAX_SHOWN = 8;
  // What a clerk types is the start of the name ("dang ky") or of its words, seldom the middle
  // of a word: names that start with the typed words come first, then names where the typed
  // words start words in that order, then any name holding them. A query that looks like a
  // code (no space, a digit) puts the exact code, then the codes it starts, before all of them.
  // Within a tier: the match nearer the start of the name (the word where the first typed word
  // is found: "khai sinh" finds "Đăng ký khai sinh" before a long name saying "khai sinh" at its
  // end), then the shorter name (the plain procedure before its variants), then the catalogue's
  // order (Vietnamese alphabetical, from the server).
  function startsWords(nameWords, words, from) {
    // The index of the name word where the typed words start words in order, or -1.
    if (!words.length) return from;
    for (var i = from; i < nameWords.length; i++) {
      if (nameWords[i].indexOf(words[0]) === 0) {
        var rest = startsWords(nameWords, words.slice(1), i + 1);
        if (rest >= 0) return i;
      }
    }
    return -1;
  }
  function rank(o, words, typed) {
    var code = o.code.toLowerCase();
    if (/^\S*\d\S*$/.test(typed)) {
      if (code.indexOf(typed) === 0) return {tier: 1, at: 0};
    }
    if (!words.every(function (w) { return o.folded.indexOf(w) !== -1; })) return null;
    var nameWords = o.nameWords || (o.nameWords = fold(o.name).join(" ").split(/[^a-z0-9]+/).filter(Boolean));
    if (words.every(function (w, i) { return i < nameWords.length && nameWords[i].indexOf(w) === 0; })) return {tier: 2, at: 0};
    var at = startsWords(nameWords, words, 0);
    if (at >= 0) return {tier: 3, at: at};
    for (at = 0; at < nameWords.length; at++) {
      if (words.some(function (w) { return nameWords[at].indexOf(w) !== -1; })) break;
    }
    return {tier: 4, at: at};
  }
  var hidden = 0;  // how many more procedures match than are shown
  function suggestions(value) {
    var words = fold(value), typed = value.trim().toLowerCase();
    hidden = 0;
    if (!words.length) return [];
    var exact = options.filter(function (o) { return o.code.toLowerCase() === typed; });
    if (exact.length) return exact;
    var matches = options.map(function (o, i) { return {o: o, i: i, r: rank(o, words, typed)}; })
      .filter(function (x) { return x.r !== null; })
      .sort(function (a, b) {
        return a.r.tier - b.r.tier || a.r.at - b.r.at || a.o.name.length - b.o.name.length || a.i - b.i;
      });
    hidden = Math.max(matches.length - MAX_SHOWN, 0);
    return matches.slice(0, MAX_SHOWN).map(function (x) { return x.o; });
  }
  function render() {
    list.textContent = "";
    shown.forEach(function (o, i) {
      var li = document.createElement("li");
      li.id = "service-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.textContent = o.name + " (" + o.code + ")";
      li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(i); search.blur(); });
      list.appendChild(li);
    });
    if (search.value.trim() && !shown.length) {
      var none = document.createElement("li");
      none.className = "picker__none";
      none.textContent = text.none;
      list.appendChild(none);
    }
    if (hidden) {
      // Not an option: says the list is cut, so the clerk types more instead of scrolling.
      var more = document.createElement("li");
      more.className = "picker__more";
      more.setAttribute("role", "presentation");
      more.setAttribute("data-testid", "service-more");
      more.textContent = (hidden === 1 ? text.more_one : text.more).replace("%(n)s", hidden);
      list.appendChild(more);
    }
    list.hidden = !search.value.trim();
    search.setAttribute("aria-expanded", list.hidden ? "false" : "true");
    if (active >= 0) search.setAttribute("aria-activedescendant", "service-option-" + active);
    else search.removeAttribute("aria-activedescendant");
  }
  function pick(i) {
    active = i;
    chosen.value = i >= 0 ? shown[i].code : "";
    render();
  }
  if (search && chosen && list) {
    search.addEventListener("input", function () {
      shown = suggestions(search.value);
      pick(shown.length ? 0 : -1);
    });
    search.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && shown.length) { e.preventDefault(); pick(Math.min(active + 1, shown.length - 1)); }
      else if (e.key === "ArrowUp" && shown.length) { e.preventDefault(); pick(Math.max(active - 1, 0)); }
      else if (e.key === "Escape") { search.value = ""; shown = []; pick(-1); }
      else if (e.key === "Enter" && !list.hidden && active >= 0) {
        // Choosing from a list with Enter is what people do: it must not send a half-typed sheet.
        e.preventDefault();
        next(search);
      }
    });
    search.addEventListener("blur", function () {
      if (active >= 0) search.value = shown[active].name + " (" + shown[active].code + ")";
      list.hidden = true;
      search.setAttribute("aria-expanded", "false");
    });
    search.addEventListener("focus", function () { search.select(); });
  }
  var firstError = form.querySelector('[aria-invalid="true"], .is-invalid input');
  if (firstError) firstError.focus();
})();

/* Paper-form entry by keyboard: a key typed into a one-key answer moves the cursor to the next
   answer; a key that means nothing for that question is refused visibly (the box flashes, a
   message says which keys it takes) and the cursor stays, so a clerk typing blind notices
   before the sheet shifts by one. The procedure picker finds a procedure by words of its name
   without accents ("dang ky" finds "Đăng ký") or by its code; Enter in it picks the highlighted
   procedure and moves on (as Tab does), Enter anywhere else saves. */
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
      var words = fold(search.value);
      var exact = options.filter(function (o) { return o.code.toLowerCase() === search.value.trim().toLowerCase(); });
      shown = exact.length ? exact : (words.length ? options.filter(function (o) {
        return words.every(function (w) { return o.folded.indexOf(w) !== -1; });
      }) : []).slice(0, 8);
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

/* Paper-form entry by keyboard: a key typed into a one-key answer moves the cursor to the next
   answer; keys that mean nothing for that question are ignored; Enter anywhere saves. */
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;
  var fields = Array.prototype.slice.call(form.querySelectorAll("input:not([type=hidden]):not([type=checkbox]), select"));
  function next(el) {
    var i = fields.indexOf(el);
    if (i >= 0 && i + 1 < fields.length) { fields[i + 1].focus(); if (fields[i + 1].select) fields[i + 1].select(); }
  }
  form.querySelectorAll(".entry__key").forEach(function (input) {
    input.addEventListener("keydown", function (e) {
      if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && input.dataset.allowed &&
          input.dataset.allowed.indexOf(e.key) === -1) {
        e.preventDefault();  // not a key of this question
      }
    });
    input.addEventListener("input", function () {
      if (input.value.length >= parseInt(input.maxLength, 10)) next(input);
    });
  });
  var firstError = form.querySelector('[aria-invalid="true"], .is-invalid input');
  if (firstError) firstError.focus();
})();

/* The survey form (QR link and invitation): a file, not an inline script, so that the
   Content-Security-Policy lets no inline script run. */
(function () {
  "use strict";
  // After a refusal, the reader starts at the message that says why.
  var refusal = document.getElementById("refusal");
  if (refusal) refusal.focus();
  // "Choose at most N": once N boxes are ticked, the others wait.
  document.querySelectorAll("[data-max]").forEach(function (group) {
    var max = parseInt(group.dataset.max, 10), boxes = group.querySelectorAll("input[type=checkbox]");
    function update() {
      var ticked = group.querySelectorAll("input:checked").length;
      boxes.forEach(function (b) { b.disabled = !b.checked && ticked >= max; });
    }
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
  });
})();

/* The staff pages' own script, a file (the Content-Security-Policy runs no inline script or
   onclick="" attribute). A button with data-confirm="…" asks before it submits. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
})();

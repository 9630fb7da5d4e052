/* The staff pages' own script, a file (the Content-Security-Policy runs no inline script or
   onclick="" attribute). A button with data-confirm="…" asks before it submits. On a narrow
   screen the main menu folds behind its "Menu" button (CSS decides when the button shows). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
  var nav = document.querySelector(".mainnav[data-collapsible]");
  if (nav) {
    var toggle = nav.querySelector(".mainnav__toggle");
    nav.classList.add("mainnav--folds");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("mainnav--open", open);
    });
  }
})();

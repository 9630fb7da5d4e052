/* The survey form (QR link and invitation): a file, not an inline script, so that the
   Content-Security-Policy lets no inline script run. */
(function () {
  "use strict";
  // After a refusal, the reader starts at the message that says why.
  var refusal = document.getElementById("refusal");
  if (refusal) refusal.focus();
  // One filled-in form is one response: the server takes the form's token as the idempotency
  // key. A browser without a back/forward cache (Zalo's, Facebook's in-app browsers) fetches
  // the page again on Back, with a new token, and puts back what was typed: the token is kept
  // in this history entry's state, which survives the new fetch, so Send again replays.
  var token = document.querySelector("input[name=form_token]");
  if (token && window.history && history.replaceState) {
    var state = history.state && typeof history.state === "object" ? history.state : {};
    if (state.hailongFormToken) {
      token.value = state.hailongFormToken;
    } else {
      var kept = {};
      Object.keys(state).forEach(function (k) { kept[k] = state[k]; });
      kept.hailongFormToken = token.value;
      history.replaceState(kept, "");
    }
  }
  // The links of the error list put the cursor in the question, not only scroll to it (a
  // fragment link moves no focus): the first field of the question, its legend in view.
  document.querySelectorAll("#refusal a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      var field = target.matches("input, select, textarea")
        ? target
        : target.querySelector("input:not([type=hidden]):not(:disabled), select, textarea");
      if (!field) return;
      event.preventDefault();
      var heading = target.querySelector("legend") || target;
      heading.scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  });
  // Comments: the limit counted as people count letters (NFC code points, as the server does),
  // said while typing; over it, the server refuses with the length and keeps the text.
  document.querySelectorAll("textarea[data-max-chars]").forEach(function (box) {
    var max = parseInt(box.dataset.maxChars, 10), sep = box.dataset.thousands || "";
    var hint = document.getElementById(box.getAttribute("aria-describedby"));
    if (!hint || !max) return;
    // Numbers grouped as the server writes them (Vietnamese: 4.000, not 4000).
    function group(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep); }
    function update() {
      var length = Array.from(box.value.normalize("NFC").trim()).length;
      var over = length > max;
      hint.textContent = (over ? box.dataset.over : box.dataset.left)
        .replace("{n}", group(over ? length - max : max - length))
        .replace("{max}", group(max));
      hint.classList.toggle("is-over", over);
    }
    box.addEventListener("input", update);
    if (box.value) update();
  });
  // A quick form's reasons ("what did not satisfy you?") belong to its lowest face: shown
  // once that face is chosen, hidden and cleared when the person changes to a higher one.
  // Without this script the question shows, and the server drops reasons sent with a higher face.
  document.querySelectorAll("[data-reasons-for]").forEach(function (reasons) {
    var faces = document.querySelectorAll("input[type=radio][name='q_" + reasons.dataset.reasonsFor + "']");
    function update() {
      var chosen = Array.prototype.filter.call(faces, function (f) { return f.checked; })[0];
      var wanted = !!chosen && chosen.value === reasons.dataset.reasonsWhen;
      reasons.hidden = !wanted;
      if (wanted) return;
      reasons.querySelectorAll("input:checked").forEach(function (box) {
        box.checked = false;
        box.dispatchEvent(new Event("change"));  // "choose at most N" counts again
      });
    }
    faces.forEach(function (f) { f.addEventListener("change", update); });
    update();
  });
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

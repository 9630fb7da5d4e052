/* The public forms: the survey form (QR link and invitation) and the case form (/phan-anh/),
   which share the refusal's focus, the error list's links and the form token. A file, not an
   inline script, so that the Content-Security-Policy lets no inline script run. */
(function () {
  "use strict";
  // After a refusal, the reader starts at the message that says why.
  var refusal = document.getElementById("refusal");
  if (refusal) refusal.focus();
  // One filled-in form is one response (one case): the server takes the form's token as the idempotency
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
  // A long form (SIPAS: some 16 phone screens) one part per screen: "Phần 2/6", Back and
  // Next. Only the showing changes: every part stays in the one form, sent by the last part's
  // button, and the server checks everything as without script. After a refusal, the first
  // part with an error opens (the last part, with its Send button, when no question has one).
  var openStepOf = function () {};
  var stepped = document.querySelector("form[data-steps]");
  if (stepped) {
    var total = parseInt(stepped.dataset.steps, 10);
    var parts = stepped.querySelectorAll("[data-step]");
    var send = stepped.querySelector("button[type=submit]");
    var progress = document.createElement("p");
    progress.className = "pub-progress";
    progress.setAttribute("data-testid", "step-progress");
    stepped.insertBefore(progress, parts[0]);
    var nav = document.createElement("div");
    nav.className = "pub-stepnav";
    var back = document.createElement("button"), next = document.createElement("button");
    back.type = next.type = "button";
    back.className = "pub-back"; back.textContent = stepped.dataset.back;
    next.className = "pub-submit pub-next"; next.textContent = stepped.dataset.next;
    nav.appendChild(back); nav.appendChild(next);
    send.parentNode.insertBefore(nav, send);
    var step = 1;
    var show = function (n, moveFocus) {
      step = Math.min(Math.max(n, 1), total);
      parts.forEach(function (part) { part.hidden = parseInt(part.dataset.step, 10) !== step; });
      progress.textContent = stepped.dataset.progress.replace("{n}", step).replace("{total}", total);
      back.hidden = step === 1;
      next.hidden = step === total;
      send.hidden = step !== total;
      if (!moveFocus) return;
      // The reader starts at the new part's heading, said with its place in the form.
      var first = stepped.querySelector("[data-step='" + step + "']");
      var heading = first.querySelector("h2, legend, summary") || first;
      if (heading.tagName !== "SUMMARY") heading.setAttribute("tabindex", "-1");
      progress.scrollIntoView({ block: "start" });
      heading.focus({ preventScroll: true });
    };
    openStepOf = function (element) {
      var part = element.closest("[data-step]");
      if (part) show(parseInt(part.dataset.step, 10), false);
    };
    back.addEventListener("click", function () { show(step - 1, true); });
    next.addEventListener("click", function () { show(step + 1, true); });
    var invalid = stepped.querySelector("[data-step] .is-invalid, [data-step] .pub-error");
    if (invalid) openStepOf(invalid);
    else show(refusal ? total : 1, false);
  }
  // The links of the error list put the cursor in the question, not only scroll to it (a
  // fragment link moves no focus): the first field of the question, its legend in view.
  document.querySelectorAll("#refusal a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      openStepOf(target);  // on its part of the form, if shown one part per screen
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

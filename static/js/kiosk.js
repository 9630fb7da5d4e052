/* Counter kiosk. Every tap goes into a queue kept in localStorage before anything is sent, and
   leaves the queue only when the server has stored it, so taps survive a network or server
   outage and a reload. Each tap has its own idempotency key: sending it twice stores it once.
   A tap the server refuses (400, 413, 422: nothing the tablet can change) is never dropped: it
   is kept, marked stuck, counted discreetly on the screen and reported to the server, where
   staff see it on the service point's page; stuck taps are tried again when the page loads.
   The one refusal that drops a tap is a duplicate (its key already holds a stored tap). */
(function () {
  "use strict";
  var root = document.getElementById("kiosk");
  var KIOSK_TEXT = JSON.parse(document.getElementById("kiosk-text").textContent);
  var CONFIG_URL = root.dataset.configUrl, TAPS_URL = root.dataset.tapsUrl, STATUS_URL = root.dataset.statusUrl;
  var TOKEN_KEY = "hailong.kiosk.token", QUEUE_KEY = "hailong.kiosk.queue", CONFIG_KEY = "hailong.kiosk.config";
  var RESET_MS = 5000, REASONS_TIMEOUT_MS = 20000, RETRY_MS = 5000, REPORT_MS = 60000;
  var config = null, resetTimer = null, flushing = false, current = null;

  function $(id) { return document.getElementById(id); }
  function show(name) {
    document.querySelectorAll(".screen").forEach(function (s) { s.hidden = s.id !== "screen-" + name; });
  }
  function token() { return localStorage.getItem(TOKEN_KEY) || ""; }
  function queue() { try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; } }
  function saveQueue(q) { localStorage.setItem(QUEUE_KEY, JSON.stringify(q)); renderPending(); }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  var offline = false;
  function stuckTaps() { return queue().filter(function (t) { return t.stuck; }); }
  function renderPending() {
    var q = queue(), stuck = stuckTaps().length, n = q.length - stuck;
    var text = n ? KIOSK_TEXT.pending.replace("{n}", n) : "";
    // Offline, one sentence says both things (not "kept on this tablet" twice).
    if (offline || navigator.onLine === false) {
      text = n ? KIOSK_TEXT.offlinePending.replace("{n}", n) : KIOSK_TEXT.offline;
    }
    $("pending").textContent = text;
    $("stuck").textContent = stuck ? KIOSK_TEXT.stuck.replace("{n}", stuck) : "";
  }

  // Tell the server how many refused taps this tablet keeps (and that it is alive).
  var reported = null;
  function report(force) {
    if (!token()) return;
    var stuck = stuckTaps(), body = JSON.stringify({ stuck: stuck.length, error: stuck.length ? stuck[0].stuck : "" });
    if (!force && body === reported) return;
    fetch(STATUS_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Device " + token() },
      body: body
    }).then(function (r) { if (r.ok) reported = body; }).catch(function () {});
  }
  function unstickAll() {
    var q = queue();
    q.forEach(function (t) { delete t.stuck; });
    saveQueue(q);
  }

  function takeTokenFromUrl() {
    var match = /token=([^&]+)/.exec(location.hash);
    if (match) {
      localStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
      history.replaceState(null, "", location.pathname);
    }
  }

  function loadConfig() {
    return fetch(CONFIG_URL, { headers: { Authorization: "Device " + token() } })
      .then(function (r) {
        if (r.status === 401) throw { auth: true };
        if (r.status === 409) {  // the server works, but today's campaign cannot be asked here
          return r.json().then(function (body) { throw { unusable: body.message || KIOSK_TEXT.unusable }; });
        }
        if (!r.ok) throw new Error("config " + r.status);
        return r.json();
      })
      .then(function (c) { localStorage.setItem(CONFIG_KEY, JSON.stringify(c)); return c; })
      .catch(function (err) {
        if (err && (err.auth || err.unusable)) throw err;
        var cached = localStorage.getItem(CONFIG_KEY);  // offline at start: use the last one
        if (cached) return JSON.parse(cached);
        throw err;
      });
  }

  function build(c) {
    config = c;
    // Which campaign the taps go to, so staff can tell at a glance (issue: a campaign took
    // over a counter unannounced).
    $("place").textContent = c.unit + " · " + c.point + (c.campaign ? " · " + c.campaign : "");
    $("question").textContent = c.question;
    var faces = $("faces"); faces.innerHTML = "";
    // Faces drawn in SVG: a kiosk tablet may have no emoji font.
    var mouths = { 3: "M30 58 Q50 80 70 58", 2: "M33 62 Q50 72 67 62", 1: "M33 70 Q50 56 67 70" };
    var fills = { 3: "#2e9e5b", 2: "#3d8fd6", 1: "#e0a030" };
    function face(value) {
      return '<svg viewBox="0 0 100 100" width="1em" height="1em" aria-hidden="true">' +
        '<circle cx="50" cy="50" r="46" fill="' + (fills[value] || "#888") + '"/>' +
        '<circle cx="35" cy="40" r="6" fill="#14202c"/><circle cx="65" cy="40" r="6" fill="#14202c"/>' +
        '<path d="' + (mouths[value] || mouths[2]) + '" stroke="#14202c" stroke-width="6" fill="none" stroke-linecap="round"/></svg>';
    }
    c.ratings.forEach(function (r) {
      var b = document.createElement("button");
      b.className = "face face--" + r.value;
      b.dataset.code = r.code;
      b.innerHTML = '<span class="face__icon" aria-hidden="true">' + face(r.value) + "</span>" +
        '<span class="face__label"></span>';
      b.querySelector(".face__label").textContent = r.label;
      b.addEventListener("click", function () { rate(r); });
      faces.appendChild(b);
    });
    var chips = $("chips"); chips.innerHTML = "";
    c.reasons.forEach(function (r) {
      var b = document.createElement("button");
      b.className = "chip"; b.type = "button"; b.dataset.code = r.code;
      b.setAttribute("aria-pressed", "false"); b.textContent = r.label;
      b.addEventListener("click", function () {
        b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
        armReset(REASONS_TIMEOUT_MS);
      });
      chips.appendChild(b);
    });
    show("rate");
  }

  function releaseChips() {
    document.querySelectorAll(".chip").forEach(function (c) { c.setAttribute("aria-pressed", "false"); });
  }

  function rate(r) {
    current = { key: newKey(), at: new Date().toISOString(), answers: {}, asksReasons: false };
    current.answers[config.rating_code] = r.code;
    var lowest = Math.min.apply(null, config.ratings.map(function (x) { return x.value; }));
    if (r.value === lowest && config.reasons.length) {
      releaseChips();
      current.asksReasons = true;
      show("reasons");
      armReset(REASONS_TIMEOUT_MS);
    } else {
      finish();
    }
  }

  function finish() {
    if (!current) return;
    // Reasons belong to the one tap that asked for them: a later, higher rating never picks up
    // the chips a previous citizen pressed (they are read only when this tap showed them, and
    // released as soon as the tap is queued).
    var reasons = current.asksReasons ? Array.prototype.map.call(
      document.querySelectorAll('.chip[aria-pressed="true"]'), function (c) { return c.dataset.code; }) : [];
    releaseChips();
    delete current.asksReasons;
    if (reasons.length && config.reasons_code) current.answers[config.reasons_code] = reasons;
    var q = queue(); q.push(current); saveQueue(q);
    current = null;
    show("thanks");
    armReset(RESET_MS);
    flush();
  }

  function armReset(ms) {
    clearTimeout(resetTimer);
    resetTimer = setTimeout(function () {
      if (current) finish();  // a rating left on the reasons screen still counts
      show("rate");
    }, ms);
  }

  function flush() {
    if (flushing) return;
    var tap = queue().filter(function (t) { return !t.stuck; })[0];
    if (!tap) { report(false); return; }
    flushing = true;
    fetch(TAPS_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Device " + token() },
      body: JSON.stringify(tap)
    }).then(function (r) {
      // Stored or already stored: it leaves the queue. Refused (400, 413, 422): kept, marked
      // stuck with the server's reason, and the next tap goes. Network errors, 401, 403, 429
      // and 5xx: kept as it is, for the next try.
      offline = false;
      if (r.ok) {
        saveQueue(queue().filter(function (t) { return t.key !== tap.key; }));
        flushing = false;
        flush();
      } else if (r.status === 400 || r.status === 413 || r.status === 422) {
        r.json().catch(function () { return {}; }).then(function (body) {
          var q = queue(), code = (body && body.error) || String(r.status);
          if (code === "idempotency_key_reused") {
            // The server already holds a tap under this key: a duplicate, it leaves the queue.
            q = q.filter(function (t) { return t.key !== tap.key; });
          } else {
            q.forEach(function (t) { if (t.key === tap.key) t.stuck = code; });
          }
          saveQueue(q);
          flushing = false;
          flush();
        });
      } else {
        flushing = false;
      }
    }).catch(function () { flushing = false; offline = true; renderPending(); });
  }

  var configRetry = null;
  function start() {
    takeTokenFromUrl();
    clearTimeout(configRetry);
    renderPending();
    if (!token()) { show("setup"); return; }
    loadConfig().then(function (c) { build(c); flush(); report(true); }).catch(function (err) {
      if (err && err.unusable) {
        // Shown until staff fix it: asked again every minute, the taps kept meanwhile.
        $("unusable-message").textContent = err.unusable;
        show("unusable");
        report(true);
        configRetry = setTimeout(start, REPORT_MS);
        return;
      }
      if (err && err.auth) { $("setup-error").textContent = KIOSK_TEXT.badToken; localStorage.removeItem(TOKEN_KEY); }
      show("setup");
    });
  }

  $("setup-form").addEventListener("submit", function (e) {
    e.preventDefault();
    localStorage.setItem(TOKEN_KEY, $("setup-token").value.trim());
    start();
  });
  $("send-reasons").addEventListener("click", finish);
  $("skip-reasons").addEventListener("click", function () {
    releaseChips();
    finish();
  });
  $("fullscreen").addEventListener("click", function () {
    if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  });
  window.addEventListener("online", function () { offline = false; renderPending(); flush(); });
  window.addEventListener("offline", renderPending);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.swUrl, { scope: root.dataset.scope }).catch(function () {});
  }
  setInterval(flush, RETRY_MS);
  setInterval(function () { report(true); }, REPORT_MS);  // also says the tablet is alive
  window.hailongKiosk = { flush: flush, queue: queue, report: report };
  unstickAll();  // a reload tries refused taps again: staff may have fixed the campaign since
  start();
})();

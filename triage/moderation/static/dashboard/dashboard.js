/* Moratorium dashboard: countdowns, media reveal, keyboard shortcuts. No build step. */
(function () {
  "use strict";

  function formatLeft(ms) {
    var sign = ms < 0 ? "-" : "";
    var s = Math.abs(Math.floor(ms / 1000));
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d > 0) return sign + d + "d " + h + "h";
    if (h > 0) return sign + h + "h " + m + "m";
    return sign + m + "m " + (s % 60) + "s";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-deadline]").forEach(function (el) {
      var left = Date.parse(el.dataset.deadline) - now;
      el.textContent = left < 0 ? "overdue " + formatLeft(left).slice(1) : formatLeft(left) + " left";
      el.classList.toggle("overdue", left < 0);
      el.classList.toggle("soon", left >= 0 && left < 15 * 60 * 1000);
    });
  }
  tick();
  setInterval(tick, 1000);

  // Images stay blurred until the moderator chooses to look.
  document.querySelectorAll(".media-frame .reveal").forEach(function (button) {
    button.addEventListener("click", function () {
      button.closest(".media-frame").classList.remove("blurred");
    });
  });

  // Audio and video never play by themselves and start muted.
  document.querySelectorAll("audio, video").forEach(function (el) {
    el.muted = true;
    el.autoplay = false;
  });

  // The queue reloads itself after a minute without activity, so a screen left open stays current.
  if (document.getElementById("queue")) {
    var lastActivity = Date.now();
    ["keydown", "mousemove", "click", "scroll"].forEach(function (name) {
      document.addEventListener(name, function () { lastActivity = Date.now(); }, { passive: true });
    });
    setInterval(function () {
      if (Date.now() - lastActivity > 60000 && !document.querySelector("dialog[open]")) window.location.reload();
    }, 15000);
  }

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.row[data-href]"));
  var current = -1;
  function select(i) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, j) { r.classList.toggle("current", j === current); });
    rows[current].scrollIntoView({ block: "nearest" });
  }
  rows.forEach(function (row) {
    row.addEventListener("click", function (event) {
      if (event.target.closest("a, button, input, label, select")) return;
      window.location = row.dataset.href;
    });
  });

  function submit(id) {
    var form = document.getElementById(id);
    if (form) form.requestSubmit ? form.requestSubmit() : form.submit();
  }
  function go(selector) {
    var link = document.querySelector(selector);
    if (link) window.location = link.href;
  }

  // Bulk actions: select every case on the page; the buttons ask first (each sends decisions).
  var all = document.getElementById("select-all");
  if (all) all.addEventListener("change", function () {
    document.querySelectorAll("input.select-case").forEach(function (box) { box.checked = all.checked; });
  });
  var bulk = document.getElementById("bulk-form");
  if (bulk) bulk.addEventListener("submit", function (event) {
    var n = bulk.querySelectorAll("input.select-case:checked").length;
    var what = event.submitter && event.submitter.value === "dismiss" ? "Dismiss" : "Confirm the policy's decision on";
    if (!n || !window.confirm(what + " " + n + " case" + (n === 1 ? "" : "s") + "?")) event.preventDefault();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    var help = document.getElementById("help");
    switch (event.key) {
      case "j": if (rows.length) select(current + 1); else go("a#next-case"); break;
      case "k": if (rows.length) select(current - 1); else go("a#previous-case"); break;
      case "Enter": case "o": if (current >= 0) window.location = rows[current].dataset.href; else return; break;
      case "t": submit("take-form"); break;
      case "r": submit("release-form"); break;
      case "c":
        // One key sends a decision to every platform: ask first, a stray keystroke is easy.
        if (document.getElementById("confirm-form") && window.confirm("Confirm the policy decision as it is?")) submit("confirm-form");
        break;
      case "d": var f = document.getElementById("decide-form"); if (f) { f.scrollIntoView(); var first = f.querySelector("select, input"); if (first) first.focus(); } break;
      case "b": go("a#back-to-queue"); break;
      case "u": document.querySelectorAll(".media-frame.blurred").forEach(function (m) { m.classList.remove("blurred"); }); break;
      case "?": if (help) { help.open ? help.close() : help.showModal(); } break;
      default: return;
    }
    event.preventDefault();
  });
})();

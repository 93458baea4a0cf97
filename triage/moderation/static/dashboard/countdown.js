// Keep the calendar's and the overview's countdowns live between page loads: each <time class="countdown">
// holds its target instant; the text is recomputed every 30 s ("3 d 4 h", "5 h 12 min", "40 min").
(function () {
  function text(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d) return d + " d " + h + " h";
    if (h) return h + " h " + m + " min";
    return m + " min";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.countdown").forEach(function (el) {
      el.textContent = text(Date.parse(el.getAttribute("datetime")) - now);
    });
  }
  setInterval(tick, 30000);
})();

// The overview refreshes itself: reload after data-refresh seconds, unless the tab is hidden (then on return).
(function () {
  var meta = document.getElementById("overview-meta");
  var seconds = parseInt((meta && meta.getAttribute("data-refresh")) || "60", 10);
  var due = Date.now() + seconds * 1000;
  setInterval(function () {
    if (Date.now() >= due && document.visibilityState === "visible") location.reload();
  }, 1000);
})();

// The decision form's label preview: show the label kind the moderator picked, as the platform will.
(function () {
  "use strict";
  var select = document.getElementById("id_label_kind");
  var previews = document.querySelectorAll("#label-previews .kind-preview");
  if (!select || !previews.length) return;
  function show() {
    previews.forEach(function (p) {
      var on = p.getAttribute("data-kind") === select.value;
      p.hidden = !on;
      if (!on) p.querySelectorAll("audio").forEach(function (a) { a.pause(); });
    });
  }
  select.addEventListener("change", show);
  show();
})();

// The decision form's label preview: show the label kind the moderator picked, as the platform will,
// in the content's language or, when the form's language override names a shipped language, in that.
(function () {
  "use strict";
  var select = document.getElementById("id_label_kind");
  var override = document.querySelector("#decide-form input[name=language]");
  var previews = document.querySelectorAll("#label-previews .kind-preview, #label-previews .override-preview");
  if (!select || !previews.length) return;
  var shipped = Object.create(null);
  previews.forEach(function (p) { if (p.getAttribute("data-language")) shipped[p.getAttribute("data-language")] = true; });
  function overridden() {
    // "pt-BR" previews Portuguese; a tag of no shipped language leaves the content's language.
    var tag = override ? override.value.trim().toLowerCase() : "";
    if (shipped[tag]) return tag;
    return shipped[tag.split("-")[0]] ? tag.split("-")[0] : "";
  }
  function show() {
    var language = overridden();
    previews.forEach(function (p) {
      var on = p.getAttribute("data-kind") === select.value && (p.getAttribute("data-language") || "") === language;
      p.hidden = !on;
      if (!on) p.querySelectorAll("audio").forEach(function (a) { a.pause(); });
    });
  }
  select.addEventListener("change", show);
  if (override) override.addEventListener("input", show);
  show();
})();

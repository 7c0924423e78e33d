/* briefgen footnote previews: hovering or focusing a footnote marker shows the note
   beside it, so a reader can check a source without losing their place. Without
   JavaScript the marker is a plain link to the note, whose back-link returns here. */
(function () {
  "use strict";
  var preview = null;
  var owner = null;

  function noteFor(link) {
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    return document.getElementById(id);
  }

  function hide() {
    if (!preview) { return; }
    if (owner) { owner.removeAttribute("aria-describedby"); }
    preview.remove();
    preview = null;
    owner = null;
  }

  function show(link) {
    var note = noteFor(link);
    if (!note) { return; }
    hide();
    preview = document.createElement("div");
    preview.className = "fn-preview";
    preview.id = "fn-preview";
    preview.setAttribute("role", "tooltip");
    var content = note.cloneNode(true);
    content.removeAttribute("id");
    content.querySelectorAll(".footnote-backref").forEach(function (a) { a.remove(); });
    content.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    var label = document.createElement("strong");
    label.textContent = "Note " + link.textContent + ". ";
    preview.appendChild(label);
    while (content.firstChild) { preview.appendChild(content.firstChild); }
    document.body.appendChild(preview);
    var box = link.getBoundingClientRect();
    var width = Math.min(420, document.documentElement.clientWidth - 16);
    /* The preview opens towards the line's end from just before the marker: rightwards
       in a left-to-right page, leftwards in a right-to-left one. */
    var rtl = getComputedStyle(link).direction === "rtl";
    var start = rtl ? box.right + 40 - width : box.left - 40;
    var left = Math.max(8, Math.min(start + window.scrollX,
      window.scrollX + document.documentElement.clientWidth - width - 8));
    preview.style.width = width + "px";
    preview.style.left = left + "px";
    preview.style.top = (box.bottom + window.scrollY + 6) + "px";
    link.setAttribute("aria-describedby", preview.id);
    owner = link;
  }

  document.querySelectorAll(".footnote-ref a").forEach(function (link) {
    link.addEventListener("mouseenter", function () { show(link); });
    link.addEventListener("focus", function () { show(link); });
    link.addEventListener("mouseleave", hide);
    link.addEventListener("blur", hide);
    link.addEventListener("click", hide);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); }
  });
})();

// Sends the CSRF token with every htmx request; the server refuses state-changing
// calls without it. Kept in a file because the Content-Security-Policy allows no
// inline scripts.
document.addEventListener("htmx:configRequest", function (event) {
  event.detail.headers["X-CSRF-Token"] = document.body.dataset.csrf || "";
});

// A file over the upload limit is refused here, before it is sent: the server would refuse
// it unread (413), and the form would lose what was typed. The server still checks.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) {
    return;
  }
  var max = Number(input.dataset.maxBytes);
  var tooLarge = Array.prototype.some.call(input.files || [], function (f) { return f.size > max; });
  input.setCustomValidity(tooLarge ? input.dataset.tooLarge || "" : "");
  if (tooLarge) {
    input.reportValidity();
  }
});

// A table wider than the screen scrolls inside its container (cells never break inside a
// word); such a container must be reachable by keyboard to be scrolled (WCAG 2.1.1), and
// is named by its table's caption.
function kzMarkScrollableTables() {
  document.querySelectorAll(".utrecht-table-container").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      if (!box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        var caption = box.querySelector("caption");
        if (caption && caption.textContent.trim()) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption.textContent.trim());
        }
      }
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
}
document.addEventListener("DOMContentLoaded", kzMarkScrollableTables);
window.addEventListener("resize", kzMarkScrollableTables);
document.addEventListener("htmx:afterSwap", kzMarkScrollableTables);

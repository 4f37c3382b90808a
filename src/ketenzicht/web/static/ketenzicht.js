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

// Sends the CSRF token with every htmx request; the server refuses state-changing
// calls without it. Kept in a file because the Content-Security-Policy allows no
// inline scripts.
document.addEventListener("htmx:configRequest", function (event) {
  event.detail.headers["X-CSRF-Token"] = document.body.dataset.csrf || "";
});

// Selfcheck: quick exit and printing. The pages work without this file; it only makes
// the quick exit leave no way back (location.replace) and adds a print button.
// A file, not inline: the Content-Security-Policy allows no inline scripts.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.hidden = true;  // hide the page at once, before the new one loads
    window.location.replace(link.href);
  }
  if (link) {
    link.addEventListener("click", leave);
    var last = 0;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var now = Date.now();
      if (now - last < 1000) { leave(event); }
      last = now;
    });
  }
  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();

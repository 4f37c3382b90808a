// Selfcheck: quick exit and printing. The pages work without this file; it makes the
// quick exit leave no way back, and adds a print button.
// A file, not inline: the Content-Security-Policy allows no inline scripts.
//
// location.replace swaps only the page that is open: the pages seen before it stay in
// the tab's history, and Back would show them. So the exit also leaves a flag in this
// tab's sessionStorage (gone when the tab closes; never sent to the server), and a
// selfcheck page reached with Back or Forward while the flag is set hides itself at once
// and goes on to the neutral site. Links inside the selfcheck replace the entry too, so
// the history holds as few of its pages as possible.
(function () {
  "use strict";
  var FLAG = "kz-selfcheck-left";
  var link = document.querySelector("[data-quick-exit]");

  function remember(value) {
    try {
      if (value) { window.sessionStorage.setItem(FLAG, "1"); }
      else { window.sessionStorage.removeItem(FLAG); }
    } catch (ignored) { /* storage off: the exit still replaces the open page */ }
  }
  function left() {
    try { return window.sessionStorage.getItem(FLAG) === "1"; } catch (ignored) { return false; }
  }
  function leave(event) {
    if (event) { event.preventDefault(); }
    remember(true);
    document.documentElement.hidden = true;  // hide the page at once, before the new one loads
    window.location.replace(link.href);
  }
  function cameBack(event) {
    var nav = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation")[0] : null;
    return (event && event.persisted) || (nav && nav.type === "back_forward");
  }
  function guard(event) {
    if (!link) { return; }
    if (left() && cameBack(event)) {
      document.documentElement.hidden = true;
      window.location.replace(link.href);
    } else if (!cameBack(event)) {
      remember(false);  // a fresh visit: the selfcheck may be used again in this tab
    }
  }
  guard(null);
  window.addEventListener("pageshow", function (event) { if (event.persisted) { guard(event); } });

  if (link) {
    link.addEventListener("click", leave);
    var last = 0;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var now = Date.now();
      if (now - last < 1000) { leave(event); }
      last = now;
    });
    document.addEventListener("click", function (event) {
      var a = event.target.closest ? event.target.closest("a[href]") : null;
      if (!a || a === link || a.target || a.hasAttribute("download") || event.defaultPrevented
          || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) { return; }
      if (a.origin !== window.location.origin) { return; }
      event.preventDefault();
      window.location.replace(a.href);
    });
  }
  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();

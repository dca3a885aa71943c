// Small behaviours that need script: print buttons, and the print view of a form page,
// which opens the print dialog by itself. Loaded as a file so that the
// Content-Security-Policy can forbid inline script.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});

document.addEventListener("DOMContentLoaded", function () {
  if (document.body.hasAttribute("data-autoprint")) {
    window.print();
  }
});

// Small behaviours that need script: print buttons. Loaded as a file so that the
// Content-Security-Policy can forbid inline script.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});

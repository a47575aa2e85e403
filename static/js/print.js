/* Buttons marked data-print open the browser's print dialog (no inline handlers: CSP). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();

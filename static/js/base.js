/* Progressive enhancement shared by every page. No inline scripts (CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // The language switcher submits itself when changed; without JS its button does it.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();

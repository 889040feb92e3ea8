// The console's own script. No inline scripts are allowed (Content-Security-Policy), so behaviour is
// attached here from data-* attributes.
(function () {
  "use strict";

  // <form data-confirm="sentence">: ask before submitting (replay, retire, disable...).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);

  // htmx requests carry the antiforgery token from the page's <meta name="csrf-token">.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRF-TOKEN"] = meta.getAttribute("content");
    }
  });
})();

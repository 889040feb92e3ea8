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

// <canvas data-chart="ID">: a chart, its data in the <script type="application/json" id="ID"> beside it
// (Chart.js is loaded only on the pages with charts). Two shapes: the overview's 30 days
// ({days, accepted, delivered, acknowledged, failed} with the series names in data-labels="a|b|c|d")
// and the reports' ({type: "bar"|"line", labels, datasets: [{label, data}]}).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (typeof window.Chart !== "function") {
    return;
  }

  var colours = ["#0b5cad", "#1e7b34", "#5b6675", "#b42318"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }

    var data = JSON.parse(source.textContent);
    var type = data.type || "line";
    var labels = data.labels || data.days;
    var datasets = data.datasets || (function () {
      var names = (canvas.dataset.labels || "").split("|");
      return [data.accepted, data.delivered, data.acknowledged, data.failed].map(function (values, i) {
        return { label: names[i], data: values };
      });
    })();
    new window.Chart(canvas, {
      type: type,
      data: {
        labels: labels,
        datasets: datasets.map(function (set, i) {
          return { label: set.label, data: set.data, borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length], tension: 0.2, pointRadius: 2 };
        }),
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  });
});

// <button data-print>: the browser's print dialog (the stylesheet's print rules hide navigation and filters).
document.addEventListener("click", function (event) {
  "use strict";
  var button = event.target instanceof Element && event.target.closest("button[data-print]");
  if (button) {
    window.print();
  }
});

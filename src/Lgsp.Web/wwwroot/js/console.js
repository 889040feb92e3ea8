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

// <canvas data-chart="ID" data-labels="a|b|c|d">: the overview's 30-day chart, its data in the
// <script type="application/json" id="ID"> beside it (Chart.js is loaded only on that page).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var canvas = document.querySelector("canvas[data-chart]");
  var source = canvas && document.getElementById(canvas.dataset.chart);
  if (!canvas || !source || typeof window.Chart !== "function") {
    return;
  }

  var data = JSON.parse(source.textContent);
  var labels = (canvas.dataset.labels || "").split("|");
  var colours = ["#0b5cad", "#1e7b34", "#5b6675", "#b42318"];
  var series = [data.accepted, data.delivered, data.acknowledged, data.failed];
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.days,
      datasets: series.map(function (values, i) {
        return { label: labels[i], data: values, borderColor: colours[i], backgroundColor: colours[i], tension: 0.2, pointRadius: 2 };
      }),
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
});

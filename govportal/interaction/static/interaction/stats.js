// 来信统计: a grouped bar chart (收到 / 已答复 / 按期答复) above each statistics table.
// Progressive enhancement: the table is the content and the accessible alternative; the
// chart is decoration, hidden from assistive technology and only shown when it is drawn.
(function () {
  "use strict";
  var COLOURS = ["#1f4e8c", "#2e7d32", "#b45309"];
  function draw() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas[data-letter-stats-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-letter-stats-chart"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      if (!data.labels.length) return;
      var wrapper = canvas.parentElement;
      wrapper.hidden = false;
      wrapper.style.height = Math.max(200, data.labels.length * 70 + 60) + "px";
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (s, i) {
            return { label: s.label, data: s.data, backgroundColor: COLOURS[i % COLOURS.length], borderRadius: 3 };
          }),
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { position: "top", labels: { color: "#333" } }, tooltip: { enabled: true } },
          scales: {
            x: { beginAtZero: true, ticks: { precision: 0, color: "#333" } },
            y: { ticks: { color: "#333", font: { size: 13 } } },
          },
        },
      });
      canvas.setAttribute("data-drawn", "true");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

// 征集调查结果: a horizontal bar chart above each result table (progressive enhancement;
// the table is the content, the chart is hidden from assistive technology).
(function () {
  "use strict";
  function draw() {
    if (typeof window.Chart === "undefined") return;
    var style = getComputedStyle(document.body);
    var colour = style.getPropertyValue("--c-primary").trim() || "#1f4e8c";
    document.querySelectorAll("canvas[data-survey-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-survey-chart"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var wrapper = canvas.parentElement;
      wrapper.hidden = false;
      wrapper.style.height = Math.max(160, data.labels.length * 44 + 40) + "px";
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [{ label: "人数", data: data.counts, backgroundColor: colour, borderRadius: 3 }],
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: false }, tooltip: { enabled: true } },
          scales: {
            x: { beginAtZero: true, ticks: { precision: 0, color: "#333" } },
            y: { ticks: { color: "#333", font: { size: 14 } } },
          },
        },
      });
      canvas.setAttribute("data-drawn", "true");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

/* 站内信: "全选本页" for the bulk form (without JS each message is ticked on its own). */
(function () {
  "use strict";
  document.querySelectorAll("[data-bulk-form]").forEach(function (form) {
    var all = form.querySelector("[data-select-all]");
    var wrap = form.querySelector("[data-select-all-wrap]");
    var boxes = form.querySelectorAll('input[name="ids"]');
    if (!all || !wrap || !boxes.length) { return; }
    wrap.hidden = false;
    function sync() {
      var checked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      all.checked = checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
    });
    boxes.forEach(function (b) { b.addEventListener("change", sync); });
    sync();
  });
})();

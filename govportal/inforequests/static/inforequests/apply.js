// 申请表: show only the applicant fields of the chosen type (the server validates by type anyway).
(function () {
  "use strict";
  var form = document.querySelector("[data-foi-form]");
  if (!form) return;
  var legal = (form.getAttribute("data-legal-types") || "").split(",");
  function update() {
    var checked = form.querySelector('input[name="applicant_type"]:checked');
    var isLegal = checked && legal.indexOf(checked.value) !== -1;
    form.querySelectorAll(".foi-group").forEach(function (group) {
      var show = group.getAttribute("data-for") === (isLegal ? "legal" : "natural");
      group.hidden = !show;
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "applicant_type") update();
  });
  update();
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();

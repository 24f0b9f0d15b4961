// 答复: offer only the 办理结果 that fit the chosen 答复类型 (the server checks again).
(function () {
  "use strict";
  var data = document.getElementById("foi-outcomes");
  var select = document.querySelector('select[name="outcome"]');
  if (!data || !select) return;
  var map = JSON.parse(data.textContent);
  var all = Array.prototype.map.call(select.options, function (o) { return [o.value, o.text]; });
  function update() {
    var checked = document.querySelector('input[name="answer_type"]:checked');
    var allowed = checked ? map[checked.value] : null;
    var current = select.value;
    select.innerHTML = "";
    (allowed || all).forEach(function (pair) {
      var option = new Option(pair[1], pair[0]);
      option.selected = pair[0] === current;
      select.add(option);
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "answer_type") update();
  });
  update();
})();

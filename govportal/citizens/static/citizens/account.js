/* govportal — citizen account pages. Progressive: every form works without this file.
 *  - "获取验证码": counts down the resend interval the server gave (data-wait seconds)
 *  - the error summary takes focus when a form comes back with errors
 *  - 注销账号: shows only the fields of the chosen verification method
 */
(function () {
  "use strict";

  function countdown(button) {
    var left = parseInt(button.getAttribute("data-wait"), 10) || 0;
    if (left <= 0) { return; }
    var label = button.textContent;
    var timer;
    function tick() {
      if (left <= 0) {
        window.clearInterval(timer);
        button.disabled = false;
        button.textContent = "重新获取验证码";
        return;
      }
      button.disabled = true;
      button.textContent = left + " 秒后可重新获取";
      left -= 1;
    }
    label = label || "获取验证码";
    tick();
    timer = window.setInterval(tick, 1000);
  }

  function methodPanels() {
    var radios = document.querySelectorAll('input[name="method"]');
    if (!radios.length) { return; }
    function sync() {
      var chosen = document.querySelector('input[name="method"]:checked');
      var value = chosen ? chosen.value : radios[0].value;
      document.querySelectorAll("[data-method-panel]").forEach(function (panel) {
        panel.hidden = panel.getAttribute("data-method-panel") !== value;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();
  }

  function init() {
    document.querySelectorAll("[data-code-button]").forEach(countdown);
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    methodPanels();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

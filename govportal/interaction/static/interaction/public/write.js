/* govportal — 来信 writing form. Progressive: the form works without this file.
 *  - 图形验证码 “换一张” (django-simple-captcha's refresh view)
 *  - 验证方式: shows the image or the SMS panel; “看不清？改用短信验证码” switches
 *  - “获取短信验证码” sends by fetch (no reload, files stay chosen) and counts down
 *  - “使用我的位置”: navigator.geolocation fills latitude/longitude
 *  - the error/duplicate summary takes focus
 */
(function () {
  "use strict";

  function csrf(form) {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function refreshCaptcha(box) {
    var button = box.querySelector("[data-captcha-refresh]");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      fetch(button.getAttribute("data-captcha-refresh"), {
        headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin"
      }).then(function (r) { return r.json(); }).then(function (data) {
        var img = box.querySelector("[data-captcha-image]");
        img.src = data.image_url;
        img.srcset = data.image_url + " 1x, " + data.image_url.replace(/\/$/, "") + "@2/ 2x";
        box.querySelector('input[type="hidden"]').value = data.key;
        var answer = box.querySelector('input[type="text"]');
        answer.value = "";
        answer.focus();
      });
    });
  }

  function methodPanels(form) {
    var radios = form.querySelectorAll('input[name="verify_method"]');
    if (!radios.length) { return; }
    function sync() {
      var chosen = form.querySelector('input[name="verify_method"]:checked');
      var value = chosen ? chosen.value : "image";
      form.querySelectorAll("[data-method-panel]").forEach(function (panel) {
        panel.hidden = panel.getAttribute("data-method-panel") !== value;
      });
    }
    radios.forEach(function (r) { r.addEventListener("change", sync); });
    var link = form.querySelector("[data-switch-sms]");
    if (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var sms = form.querySelector('input[name="verify_method"][value="sms"]');
        sms.checked = true;
        sync();
        var phone = form.querySelector('input[name="phone"]');
        (phone && !phone.value ? phone : form.querySelector('input[name="sms_code"]')).focus();
      });
    }
    sync();
  }

  function countdown(button, seconds) {
    var left = seconds;
    if (left <= 0) { return; }
    var timer;
    function tick() {
      if (left <= 0) {
        window.clearInterval(timer);
        button.disabled = false;
        button.textContent = "重新获取短信验证码";
        return;
      }
      button.disabled = true;
      button.textContent = left + " 秒后可重新获取";
      left -= 1;
    }
    tick();
    timer = window.setInterval(tick, 1000);
  }

  function smsButton(form) {
    var button = form.querySelector("[data-sms-button]");
    if (!button) { return; }
    var status = form.querySelector("[data-sms-status]");
    countdown(button, parseInt(button.getAttribute("data-wait"), 10) || 0);
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var body = new FormData();
      body.append("csrfmiddlewaretoken", csrf(form));
      body.append("action", "send_sms");
      body.append("phone", form.querySelector('input[name="phone"]').value);
      fetch(form.getAttribute("action") || window.location.pathname, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" }
      }).then(function (r) { return r.json(); }).then(function (data) {
        status.textContent = data.message;
        countdown(button, data.wait || 0);
      }).catch(function () { status.textContent = "发送失败，请稍后再试。"; });
    });
  }

  function geolocate(form) {
    var button = form.querySelector("[data-geolocate]");
    if (!button || !("geolocation" in navigator)) { return; }
    var status = form.querySelector("[data-geolocate-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "正在获取位置…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector('input[name="latitude"]').value = pos.coords.latitude.toFixed(6);
        form.querySelector('input[name="longitude"]').value = pos.coords.longitude.toFixed(6);
        status.textContent = "已填入当前位置的经纬度，请再填写位置描述。";
      }, function () {
        status.textContent = "无法获取位置，请直接填写位置描述。";
      }, { timeout: 10000 });
    });
  }

  function init() {
    var form = document.querySelector("[data-letter-form]");
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    if (!form) { return; }
    form.querySelectorAll("[data-captcha]").forEach(refreshCaptcha);
    methodPanels(form);
    smsButton(form);
    geolocate(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

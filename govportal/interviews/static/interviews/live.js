/* 在线访谈 live page: poll stream/?since=<cursor> every 5 s while the interview is live,
   insert new items and replace answered ones in place, announce new answers politely,
   submit questions without leaving the page. Without JS the page works by reloading. */
(function () {
  "use strict";
  var root = document.querySelector("[data-interview]");
  if (!root || !window.fetch) return;
  var list = root.querySelector("[data-stream-list]");
  var empty = root.querySelector("[data-stream-empty]");
  var announcer = root.querySelector("[data-announcer]");
  var statusLabel = root.querySelector("[data-status-label]");
  var url = root.getAttribute("data-stream-url");
  var cursor = parseInt(root.getAttribute("data-cursor"), 10) || 0;
  var etag = null;
  var timer = null;
  var delay = 5000;
  var hint = root.querySelector("[data-js-hint]");
  if (hint) hint.hidden = false;

  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html.trim();
    return t.content.firstElementChild;
  }

  function apply(items) {
    var news = [];
    items.forEach(function (item) {
      var node = fragment(item.html);
      if (!node) return;
      var old = list.querySelector('[data-key="' + item.key + '"]');
      var wasAnswered = old && old.classList.contains("iv-item--answered");
      if (old) {
        old.replaceWith(node);
      } else if (list.hasAttribute("data-newest-first")) {
        list.insertBefore(node, list.firstElementChild);
      } else {
        list.appendChild(node);
      }
      if ((item.answered && !wasAnswered) || (item.kind === "message" && !old)) {
        news.push(item.summary);
      }
    });
    if (empty) empty.hidden = list.children.length > 0;
    if (news.length && announcer) {
      announcer.textContent = news.length === 1 ? news[0] : "有" + news.length + "条新的回答或消息";
    }
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
  }

  function poll() {
    var headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(url + "?since=" + cursor, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error("stream " + response.status);
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (data) {
          apply(data.items || []);
          cursor = data.cursor;
          if (statusLabel && data.status_label) statusLabel.textContent = data.status_label;
          if (data.status !== "live") {
            if (announcer) announcer.textContent = "本期访谈已结束，感谢关注。";
            var form = root.querySelector("[data-ask-form]");
            if (form) form.hidden = true;
            return; /* the event ended: stop polling */
          }
        }
        delay = 5000;
        schedule(delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 60000); /* back off while the network is away */
        schedule(delay);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) schedule(0);
  });
  schedule(delay);

  /* Question form: counter and submission in place. */
  var form = root.querySelector("[data-ask-form]");
  var result = root.querySelector("[data-ask-result]");
  if (!form) return;
  var textarea = form.querySelector("textarea");
  var count = form.querySelector("[data-count]");
  var max = parseInt(textarea.getAttribute("data-max-length"), 10) || 500;
  function updateCount() {
    var n = textarea.value.length;
    count.hidden = false;
    count.textContent = "已输入" + n + "字，最多" + max + "字" + (n > max ? "（已超出" + (n - max) + "字）" : "");
    count.classList.toggle("iv-field__count--over", n > max);
  }
  textarea.addEventListener("input", updateCount);
  updateCount();

  function showErrors(errors) {
    result.innerHTML = "";
    var box = document.createElement("div");
    box.className = "iv-alert iv-alert--error";
    box.setAttribute("data-form-errors", "");
    Object.keys(errors).forEach(function (name) {
      (errors[name] || []).forEach(function (message) {
        var p = document.createElement("p");
        p.textContent = message;
        box.appendChild(p);
      });
      var field = form.querySelector('[name="' + name + '"]');
      if (field) {
        field.closest(".iv-field").classList.add("iv-field--error");
        field.setAttribute("aria-invalid", "true");
      }
    });
    result.appendChild(box);
  }

  function clearErrors() {
    form.querySelectorAll(".iv-field__error, [data-form-errors]").forEach(function (n) { n.remove(); });
    form.querySelectorAll(".iv-field--error").forEach(function (n) { n.classList.remove("iv-field--error"); });
    textarea.removeAttribute("aria-invalid");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    /* The same checks as the server, so that a slip costs no round trip. */
    var length = textarea.value.trim().length;
    if (!length || textarea.value.length > max) {
      clearErrors();
      showErrors({ text: [length ? "问题不能超过" + max + "字（现有 " + textarea.value.length + " 字）。" : "请填写您的问题。"] });
      textarea.focus();
      return;
    }
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().then(function (data) { return data; });
      })
      .then(function (data) {
        clearErrors();
        if (data.ok) {
          textarea.value = "";
          updateCount();
          result.innerHTML = "";
          var p = document.createElement("p");
          p.className = "iv-alert iv-alert--ok";
          p.textContent = data.message;
          result.appendChild(p);
          return;
        }
        showErrors(data.errors || {});
      })
      .catch(function () {
        form.submit(); /* fall back to the ordinary post */
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();

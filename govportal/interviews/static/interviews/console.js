/* 访谈管理 console: poll panel/ every 5 s (ETag → 304 while nothing changed) and merge the
   lists item by item, so that an answer being typed is never replaced or loses focus. */
(function () {
  "use strict";
  var panel = document.querySelector("[data-console-panel]");
  if (!panel || !window.fetch) return;
  var url = panel.getAttribute("data-panel-url");
  var announcer = document.querySelector("[data-console-announcer]");
  var hint = document.querySelector("[data-console-hint]");
  if (hint) hint.hidden = false;
  var etag = null;
  var delay = 5000;

  panel.addEventListener("input", function (event) {
    var item = event.target.closest("[data-item]");
    if (item) item.setAttribute("data-dirty", "");
  });

  function count(root, name) {
    var node = root.querySelector('[data-count="' + name + '"]');
    return node ? parseInt(node.textContent, 10) || 0 : 0;
  }

  function busy(node) {
    return node.hasAttribute("data-dirty") || node.contains(document.activeElement);
  }

  function mergeList(oldList, newList) {
    var existing = {};
    Array.prototype.forEach.call(oldList.children, function (child) {
      var key = child.getAttribute("data-item");
      if (key) existing[key] = child;
    });
    var wanted = Array.prototype.map.call(newList.children, function (fresh) {
      var key = fresh.getAttribute("data-item");
      var old = key && existing[key];
      if (old && (old.getAttribute("data-version") === fresh.getAttribute("data-version") || busy(old))) {
        delete existing[key];
        return old;
      }
      return fresh;
    });
    wanted.forEach(function (node, index) {
      if (oldList.children[index] !== node) oldList.insertBefore(node, oldList.children[index] || null);
    });
    while (oldList.children.length > wanted.length) {
      oldList.removeChild(oldList.lastElementChild);
    }
  }

  function apply(html) {
    var fresh = document.createElement("div");
    fresh.innerHTML = html;
    var before = count(panel, "pending");
    var oldLists = panel.querySelectorAll("[data-list]");
    var newLists = fresh.querySelectorAll("[data-list]");
    var same = oldLists.length === newLists.length && Array.prototype.every.call(newLists, function (list, i) {
      return oldLists[i].getAttribute("data-list") === list.getAttribute("data-list");
    });
    if (!same) {
      if (Array.prototype.some.call(panel.querySelectorAll("[data-item]"), busy)) return false;
      panel.innerHTML = html;
    } else {
      Array.prototype.forEach.call(newLists, function (list, i) { mergeList(oldLists[i], list); });
      fresh.querySelectorAll("[data-count]").forEach(function (node) {
        var old = panel.querySelector('[data-count="' + node.getAttribute("data-count") + '"]');
        if (old) old.textContent = node.textContent;
      });
    }
    var after = count(panel, "pending");
    if (announcer && after > before) announcer.textContent = "有" + (after - before) + "条新的待审核提问";
    return true;
  }

  function poll() {
    var headers = {};
    if (etag) headers["If-None-Match"] = etag;
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error("panel " + response.status);
        var tag = response.headers.get("ETag");
        return response.text().then(function (text) { return { tag: tag, text: text }; });
      })
      .then(function (result) {
        if (result && apply(result.text)) etag = result.tag;
        delay = 5000;
        setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 60000);
        setTimeout(poll, delay);
      });
  }
  setTimeout(poll, delay);
})();

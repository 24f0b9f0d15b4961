/* govportal — public site enhancements (progressive: every page works without this file).
 *  - 长者模式 / 高对比度 switches (remembered per browser)
 *  - article font size 大/中/小 (remembered per browser)
 *  - headline carousel buttons (no autoplay)
 *  - print buttons and ?autoprint=1 on the print view
 */
(function () {
  "use strict";

  var root = document.documentElement;

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) { window.localStorage.removeItem(key); }
      else { window.localStorage.setItem(key, value); }
    } catch (e) { /* private mode or storage disabled: the switch still works for this page */ }
  }

  /* ---------- 长者模式 / 高对比度 ---------- */
  var MODES = { elder: "elder-mode", contrast: "contrast-mode" };
  Object.keys(MODES).forEach(function (mode) {
    if (load("govportal.mode." + mode) === "1") { root.classList.add(MODES[mode]); }
  });

  function initModes() {
    document.querySelectorAll("[data-mode-tool]").forEach(function (el) { el.hidden = false; });
    document.querySelectorAll("[data-mode-toggle]").forEach(function (button) {
      var mode = button.getAttribute("data-mode-toggle");
      var cls = MODES[mode];
      if (!cls) { return; }
      button.setAttribute("aria-pressed", root.classList.contains(cls) ? "true" : "false");
      button.addEventListener("click", function () {
        var on = !root.classList.contains(cls);
        root.classList.toggle(cls, on);
        button.setAttribute("aria-pressed", on ? "true" : "false");
        save("govportal.mode." + mode, on ? "1" : null);
      });
    });
  }

  /* ---------- 字号 大/中/小 ---------- */
  var SIZES = ["small", "medium", "large"];

  function initFontSize() {
    var body = document.querySelector("[data-article-body]");
    var group = document.querySelector("[data-fontsize-switch]");
    if (!body || !group) { return; }
    var buttons = group.querySelectorAll("[data-fontsize]");

    function apply(size, remember) {
      if (SIZES.indexOf(size) === -1) { size = "medium"; }
      SIZES.forEach(function (s) { body.classList.remove("font-" + s); });
      body.classList.add("font-" + size);
      body.setAttribute("data-font-size", size);
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-fontsize") === size ? "true" : "false");
      });
      if (remember) { save("govportal.fontsize", size === "medium" ? null : size); }
    }

    buttons.forEach(function (b) {
      b.addEventListener("click", function () { apply(b.getAttribute("data-fontsize"), true); });
    });
    apply(load("govportal.fontsize") || "medium", false);
    group.hidden = false;
  }

  /* ---------- 要闻轮播 ---------- */
  function initCarousel(carousel) {
    var track = carousel.querySelector("[data-carousel-track]");
    var slides = carousel.querySelectorAll("[data-carousel-slide]");
    if (!track || slides.length < 2) { return; }
    var current = 0;

    function button(cls, label, text) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = cls;
      b.setAttribute("aria-label", label);
      if (text) { b.textContent = text; }
      return b;
    }

    function go(index) {
      current = (index + slides.length) % slides.length;
      track.scrollTo({ left: slides[current].offsetLeft, behavior: "smooth" });
      mark();
    }

    var controls = document.createElement("div");
    controls.className = "carousel__controls";
    var dots = [];
    slides.forEach(function (slide, i) {
      var dot = button("carousel__dot", "显示第 " + (i + 1) + " 条要闻");
      dot.addEventListener("click", function () { go(i); });
      controls.appendChild(dot);
      dots.push(dot);
    });
    var prev = button("carousel__arrow carousel__arrow--prev", "上一条要闻", "‹");
    var next = button("carousel__arrow carousel__arrow--next", "下一条要闻", "›");
    prev.addEventListener("click", function () { go(current - 1); });
    next.addEventListener("click", function () { go(current + 1); });
    carousel.appendChild(prev);
    carousel.appendChild(next);
    carousel.appendChild(controls);

    function mark() {
      dots.forEach(function (d, i) {
        if (i === current) { d.setAttribute("aria-current", "true"); }
        else { d.removeAttribute("aria-current"); }
      });
    }

    // Follow swipes / keyboard scrolling of the track itself.
    var timer = null;
    track.addEventListener("scroll", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var width = track.clientWidth || 1;
        var index = Math.round(track.scrollLeft / width);
        if (index !== current && index >= 0 && index < slides.length) {
          current = index;
          mark();
        }
      }, 80);
    }, { passive: true });

    // Keep keyboard focus and the visible slide together.
    slides.forEach(function (slide, i) {
      slide.addEventListener("focusin", function () {
        if (i !== current) { current = i; mark(); }
      });
    });
    mark();
  }

  /* ---------- 打印 ---------- */
  function initPrint() {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
    if (document.body && document.body.hasAttribute("data-autoprint")) {
      window.setTimeout(function () { window.print(); }, 300);
    }
  }

  /* ---------- 今天是… (kept right on statically published pages) ---------- */
  function initToday() {
    var el = document.querySelector("[data-today]");
    if (!el) { return; }
    var d = new Date();
    var week = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];
    el.textContent = d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 " + week[d.getDay()];
  }

  function init() {
    initToday();
    initModes();
    initFontSize();
    document.querySelectorAll("[data-carousel]").forEach(initCarousel);
    initPrint();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

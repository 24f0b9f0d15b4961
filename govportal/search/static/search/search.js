// 站内搜索: on wide screens the filters start open (on phones they stay folded).
// Without JavaScript the <details> works as it is; nothing here is needed to search.
(function () {
  "use strict";
  var filters = document.querySelector("[data-search-filters]");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 900px)").matches) {
    filters.open = true;
  }
})();

// 两步验证: the "print recovery codes" button (no inline script).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-twofactor-print]")) {
    window.print();
  }
});

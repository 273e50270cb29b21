// Broadsheet's own small script: progressive enhancement only. Every control it touches is a
// working link or form without it.
(function () {
  "use strict";
  var MIN = 1, MAX = 5, COOKIE = "fs";
  var root = document.documentElement;

  function currentSize() {
    var m = /(?:^|\s)fs-(\d)(?:\s|$)/.exec(root.className);
    return m ? parseInt(m[1], 10) : 3;
  }

  function applySize(step) {
    root.className = root.className.replace(/(^|\s)fs-\d(?=\s|$)/g, "").trim() + " fs-" + step;
    document.cookie = COOKIE + "=" + step + "; Path=/; Max-Age=31536000; SameSite=Lax";
    document.querySelectorAll("[data-fs-delta]").forEach(function (btn) {
      var delta = parseInt(btn.getAttribute("data-fs-delta"), 10);
      var next = Math.min(MAX, Math.max(MIN, step + delta));
      btn.setAttribute("href", "?fs=" + next);
      if (next === step) btn.setAttribute("aria-disabled", "true");
      else btn.removeAttribute("aria-disabled");
    });
    var status = document.querySelector("[data-fs-status]");
    if (status) status.textContent = "Text size " + step + " of " + MAX;
  }

  document.addEventListener("click", function (event) {
    var btn = event.target.closest && event.target.closest("[data-fs-delta]");
    if (btn) {
      event.preventDefault();
      var delta = parseInt(btn.getAttribute("data-fs-delta"), 10);
      var step = Math.min(MAX, Math.max(MIN, currentSize() + delta));
      applySize(step);
      return;
    }
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // Keyboard: the links are focusable and activate with Enter; Space should work too, as it
  // does for buttons.
  document.addEventListener("keydown", function (event) {
    var btn = event.target.closest && event.target.closest("[data-fs-delta]");
    if (btn && event.key === " ") {
      event.preventDefault();
      btn.click();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (el) { el.hidden = false; });
  });
})();

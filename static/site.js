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

  // A CDN may hand out the page as rendered for the default size; the reader's cookie wins.
  var saved = /(?:^|;\s*)fs=([1-5])(?:;|$)/.exec(document.cookie);
  if (saved && parseInt(saved[1], 10) !== currentSize()) applySize(parseInt(saved[1], 10));

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

  // Proof of work (ALTCHA protocol) for the comment form: fetched and solved in the
  // background once the reader starts on the form, so that nobody waits for it. Where it
  // cannot run (no WebCrypto), the word image stays as the way through.
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function solve(challenge) {
    var encoder = new TextEncoder();
    var started = Date.now();
    var BATCH = 500;
    function batch(from) {
      if (from > challenge.maxnumber) return Promise.reject(new Error("no solution"));
      var tries = [];
      for (var n = from; n < from + BATCH && n <= challenge.maxnumber; n++) {
        tries.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
      }
      return Promise.all(tries).then(function (hashes) {
        for (var i = 0; i < hashes.length; i++) {
          if (hex(hashes[i]) === challenge.challenge) {
            return btoa(JSON.stringify({
              algorithm: challenge.algorithm, challenge: challenge.challenge, number: from + i,
              salt: challenge.salt, signature: challenge.signature, took: Date.now() - started
            }));
          }
        }
        return batch(from + BATCH);
      });
    }
    return batch(0);
  }

  function enhanceCommentForm(form) {
    var box = form.querySelector("[data-altcha]");
    if (!box || !window.crypto || !crypto.subtle || !window.fetch) return;
    var field = box.querySelector('input[name="altcha"]');
    var status = box.querySelector("[data-altcha-status]");
    var words = form.querySelector("[data-captcha-words]");
    var pending = null;
    box.hidden = false;

    function start() {
      if (pending) return pending;
      status.textContent = "Checking that you are human…";
      pending = fetch(box.getAttribute("data-altcha"), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("challenge " + r.status); return r.json(); })
        .then(solve)
        .then(function (payload) {
          field.value = payload;
          status.textContent = "Checked: you can send your comment.";
          if (words) {
            words.hidden = true;
            var answer = words.querySelector("input[name=captcha_answer]");
            if (answer) answer.required = false;
          }
          return payload;
        })
        .catch(function () {
          status.textContent = words ? "Please type the words in the image instead." : "The check failed; please reload the page.";
          pending = null;
        });
      return pending;
    }

    form.addEventListener("focusin", start);
    form.addEventListener("submit", function (event) {
      if (field.value) return;
      event.preventDefault();
      start().then(function (payload) {
        if (payload || (words && !words.hidden)) form.submit();
      });
    });
  }

  // Moderation queue shortcuts: j/k move, x selects, a approves, r and s remove (off-topic,
  // spam). Every one of them is also a visible button or checkbox.
  function enhanceQueue(list) {
    var items = Array.prototype.slice.call(list.querySelectorAll(".mod-item"));
    var current = -1;
    function focus(i) {
      if (!items.length) return;
      current = Math.max(0, Math.min(items.length - 1, i));
      items.forEach(function (el, n) { el.classList.toggle("is-current", n === current); });
      items[current].focus();
    }
    function removeAs(reason) {
      var item = items[current];
      var select = item && item.querySelector("[data-reason]");
      if (!select) return;
      select.value = reason;
      item.querySelector('[data-key="r"]').click();
    }
    document.addEventListener("keydown", function (event) {
      var tag = event.target.tagName;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
      var item = items[current];
      switch (event.key) {
        case "j": focus(current + 1); break;
        case "k": focus(current - 1); break;
        case "x": if (item) { var box = item.querySelector('input[type="checkbox"][form]'); box.checked = !box.checked; } break;
        case "a": if (item && item.querySelector('[data-key="a"]')) item.querySelector('[data-key="a"]').click(); break;
        case "r": removeAs("off-topic"); break;
        case "s": removeAs("spam"); break;
        default: return;
      }
      event.preventDefault();
    });
  }

  // The article editor: a live preview rendered (and sanitised) by the server, and the slug the
  // headline would give shown in the empty slug field. Without script, the Preview button does
  // the same with a round trip.
  function enhanceEditor(form) {
    var source = form.querySelector("[data-preview-source]");
    var target = document.querySelector("[data-preview-target]");
    var csrf = form.querySelector('input[name="csrf"]');
    var timer = null;
    function refresh() {
      var body = new URLSearchParams();
      body.set("body_md", source.value);
      body.set("csrf", csrf.value);
      fetch("/admin/preview", { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) { target.innerHTML = html; })
        .catch(function () {});
    }
    if (source && target && csrf && window.fetch) {
      source.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(refresh, 400);
      });
      if (source.value) refresh();
    }
    var title = form.querySelector("[data-slug-source]");
    var slug = form.querySelector("[data-slug-target]");
    function suggest() {
      slug.placeholder = title.value.toLowerCase()
        .replace(/['’]/g, "")
        .replace(/[^\p{L}\p{N}]+/gu, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 80);
    }
    if (title && slug) {
      title.addEventListener("input", suggest);
      suggest();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-editor]").forEach(enhanceEditor);
    document.querySelectorAll("[data-print]").forEach(function (el) { el.hidden = false; });
    document.querySelectorAll("[data-comment-form]").forEach(enhanceCommentForm);
    document.querySelectorAll("[data-mod-queue]").forEach(enhanceQueue);
  });
})();

/* Annex 1 form: add formset rows, and the occupation autocomplete (code or title in ru/kk/en). */
(function () {
  "use strict";
  var script = document.getElementById("qp-applications-js");
  var searchUrl = script ? script.dataset.searchUrl : "/applications/occupations/";

  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var tpl = document.getElementById(prefix + "-empty");
    var body = document.querySelector("#" + prefix + "-table tbody");
    if (!total || !tpl || !body) return;
    var index = parseInt(total.value, 10);
    var html = tpl.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = body.lastElementChild;
    bindAll(row);
    var first = row.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
  }

  function closeMenus() {
    document.querySelectorAll(".qp-ac-menu").forEach(function (m) { m.remove(); });
  }

  function showName(input, name) {
    var hint = input.parentElement.querySelector(".qp-occupation-name");
    if (hint) hint.textContent = name || "";
  }

  function search(q) {
    return fetch(searchUrl + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {results: []}; });
  }

  function bindOccupation(input) {
    if (input.dataset.bound) return;
    input.dataset.bound = "1";
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      showName(input, "");
      if (q.length < 2) { closeMenus(); return; }
      timer = setTimeout(function () {
        search(q).then(function (data) {
          closeMenus();
          if (!data.results.length) return;
          var menu = document.createElement("ul");
          menu.className = "qp-ac-menu list-group position-absolute shadow-sm";
          menu.setAttribute("role", "listbox");
          menu.style.zIndex = 1050; menu.style.maxHeight = "18rem"; menu.style.overflowY = "auto";
          menu.style.minWidth = "26rem";
          data.results.forEach(function (o) {
            var li = document.createElement("li");
            li.className = "list-group-item list-group-item-action small";
            li.setAttribute("role", "option");
            li.dataset.code = o.code;
            li.textContent = o.label;  /* textContent: titles are shown inert */
            li.addEventListener("mousedown", function (ev) {
              ev.preventDefault();
              input.value = o.code;
              showName(input, o.name);
              closeMenus();
            });
            menu.appendChild(li);
          });
          input.parentElement.appendChild(menu);
        });
      }, 200);
    });
    input.addEventListener("blur", function () { setTimeout(closeMenus, 150); });
    input.addEventListener("keydown", function (ev) {
      var menu = input.parentElement.querySelector(".qp-ac-menu");
      if (!menu) return;
      if (ev.key === "Enter") {
        var first = menu.querySelector("li");
        if (first) {
          ev.preventDefault();
          first.dispatchEvent(new MouseEvent("mousedown"));
        }
      } else if (ev.key === "Escape") { closeMenus(); }
    });
    if (/^\d{4}$/.test(input.value.trim())) {
      search(input.value.trim()).then(function (data) {
        var hit = data.results.find(function (o) { return o.code === input.value.trim(); });
        if (hit) showName(input, hit.name);
      });
    }
  }

  function bindAll(root) {
    root.querySelectorAll("input.qp-occupation").forEach(bindOccupation);
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-add-row]");
    if (btn) { ev.preventDefault(); addRow(btn.dataset.addRow); }
  });
  document.addEventListener("DOMContentLoaded", function () { bindAll(document); });
  /* Unsaved changes: warn before leaving the edit page; saving (any button of the form) clears it. */
  var dirty = false;
  function markDirty(ev) {
    if (ev.target.closest && ev.target.closest("#application-form")) dirty = true;
  }
  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);
  document.addEventListener("submit", function (ev) {
    if (ev.target.id === "application-form") dirty = false;
  });
  window.addEventListener("beforeunload", function (ev) {
    if (!dirty) return;
    ev.preventDefault();
    ev.returnValue = "";
  });
  /* Submit once: a double click sends one request (the server refuses the second anyway). */
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.dataset.once === undefined) return;
    if (form.dataset.sent) { ev.preventDefault(); return; }
    form.dataset.sent = "1";
  });
})();

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
    var html = tpl.innerHTML.replace(/__prefix__/g, String(index)).replace(/__row__/g, String(index + 1));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = body.lastElementChild;
    bindAll(row);
    updateTotals();
    var first = row.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
  }

  var menuCount = 0;

  function closeMenus() {
    document.querySelectorAll(".qp-ac-menu").forEach(function (m) {
      var input = m.parentElement.querySelector("input.qp-occupation");
      if (input) {
        input.setAttribute("aria-expanded", "false");
        input.removeAttribute("aria-activedescendant");
      }
      m.remove();
    });
  }

  function showName(input, name) {
    var hint = input.parentElement.querySelector(".qp-occupation-name");
    if (hint) hint.textContent = name || "";
  }

  function search(q) {
    return fetch(searchUrl + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {results: []}; });
  }

  /* The occupation field is an ARIA combobox (APG "list autocomplete"): the options are a listbox,
     ArrowDown/ArrowUp move the highlighted option (aria-activedescendant), Enter takes it, Escape closes. */
  function choose(input, li) {
    input.value = li.dataset.code;
    showName(input, li.dataset.name);
    closeMenus();
  }

  function highlight(input, menu, li) {
    menu.querySelectorAll("[role=option]").forEach(function (o) {
      o.setAttribute("aria-selected", o === li ? "true" : "false");
      o.classList.toggle("active", o === li);
    });
    if (li) {
      input.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function bindOccupation(input) {
    if (input.dataset.bound) return;
    input.dataset.bound = "1";
    menuCount += 1;
    var listId = "qp-ac-list-" + menuCount;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
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
          menu.id = listId;
          menu.setAttribute("role", "listbox");
          menu.setAttribute("aria-label", input.getAttribute("aria-label") || "");
          data.results.forEach(function (o, i) {
            var li = document.createElement("li");
            li.className = "list-group-item list-group-item-action small";
            li.setAttribute("role", "option");
            li.setAttribute("aria-selected", "false");
            li.id = listId + "-" + i;
            li.dataset.code = o.code;
            li.dataset.name = o.name;
            li.textContent = o.label;  /* textContent: titles are shown inert */
            li.addEventListener("mousedown", function (ev) {
              ev.preventDefault();
              choose(input, li);
            });
            menu.appendChild(li);
          });
          input.parentElement.appendChild(menu);
          input.setAttribute("aria-expanded", "true");
        });
      }, 200);
    });
    input.addEventListener("blur", function () { setTimeout(closeMenus, 150); });
    input.addEventListener("keydown", function (ev) {
      var menu = input.parentElement.querySelector(".qp-ac-menu");
      if (!menu) return;
      var options = Array.prototype.slice.call(menu.querySelectorAll("[role=option]"));
      var current = menu.querySelector("[aria-selected=true]");
      var at = options.indexOf(current);
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        var next = ev.key === "ArrowDown" ? (at + 1) % options.length
          : (at <= 0 ? options.length - 1 : at - 1);
        highlight(input, menu, options[next]);
      } else if (ev.key === "Enter") {
        var pick = current || options[0];
        if (pick) {
          ev.preventDefault();
          choose(input, pick);
        }
      } else if (ev.key === "Escape") { ev.preventDefault(); closeMenus(); }
    });
    if (/^\d{4}$/.test(input.value.trim())) {
      search(input.value.trim()).then(function (data) {
        var hit = data.results.find(function (o) { return o.code === input.value.trim(); });
        if (hit) showName(input, hit.name);
      });
    }
  }

  /* The total row of the lines: kept equal to the sum of the Number column as it is typed. */
  function updateTotals() {
    var cell = document.querySelector("[data-qp-total=lines]");
    if (!cell) return;
    var sum = 0;
    document.querySelectorAll("#lines-table tbody tr").forEach(function (tr) {
      var del = tr.querySelector("input[name$=-DELETE]");
      var count = tr.querySelector("input[name$=-count]");
      if (!count || (del && del.checked)) return;
      var n = parseInt(count.value.trim(), 10);
      if (/^\d+$/.test(count.value.trim()) && !isNaN(n)) sum += n;
    });
    cell.textContent = String(sum);
  }
  document.addEventListener("input", function (ev) {
    if (ev.target.closest && ev.target.closest("#lines-table")) updateTotals();
  });
  document.addEventListener("change", function (ev) {
    if (ev.target.closest && ev.target.closest("#lines-table")) updateTotals();
  });

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

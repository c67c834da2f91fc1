// GOV.UK error pattern: the error summary takes the focus when the page opens, and each of its
// links moves the focus to its field (scrolled so that the field's label shows too).
(function () {
  "use strict";
  function labelFor(field) {
    var fieldset = field.closest("fieldset");
    if (fieldset && fieldset.querySelector("legend")) { return fieldset; }
    return (field.id && document.querySelector('label[for="' + field.id + '"]')) || field;
  }
  // A select marked data-qp-autosubmit sends its form on change (no inline onchange: CSP).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-qp-autosubmit]") && target.form) { target.form.submit(); }
  });
  // A total row kept live: the cell [data-qp-total=X] shows the sum of the inputs [data-qp-sum=X].
  document.addEventListener("input", function (event) {
    var key = event.target.getAttribute && event.target.getAttribute("data-qp-sum");
    if (!key) { return; }
    var cell = document.querySelector('[data-qp-total="' + key + '"]');
    if (!cell) { return; }
    var sum = 0;
    document.querySelectorAll('[data-qp-sum="' + key + '"]').forEach(function (input) {
      if (/^\d+$/.test(input.value.trim())) { sum += parseInt(input.value.trim(), 10); }
    });
    // Grouped as the server writes it: "1 234" in Russian and Kazakh, "1,234" in English.
    var lang = document.documentElement.lang === "en" ? "en-GB" : "ru-RU";
    cell.textContent = sum.toLocaleString(lang);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".qp-error-summary");
    if (!summary) { return; }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-qp-field]");
      if (!link) { return; }
      var key = link.getAttribute("data-qp-field");
      // A hand-made form's field may be named rather than given an id.
      var field = document.getElementById(key) || document.querySelector('[name="' + key.replace(/"/g, "") + '"]');
      if (!field) { return; }
      event.preventDefault();
      labelFor(field).scrollIntoView();
      field.focus({ preventScroll: true });
      if (history.replaceState && field.id) { history.replaceState(null, "", "#" + field.id); }
    });
  });
})();
// A table wider than the screen scrolls sideways: it takes the focus (Tab) so that the arrow keys
// scroll it without a mouse (WCAG 2.1.1; axe "scrollable-region-focusable").
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-responsive, table, .qp-scroll").forEach(function (box) {
      var style = window.getComputedStyle(box);
      var scrolls = /(auto|scroll)/.test(style.overflowX) && box.scrollWidth > box.clientWidth;
      var focusable = box.querySelector("a[href], button, input, select, textarea, [tabindex]");
      if (scrolls && !focusable) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-qp-scroll", "");
      } else if (box.hasAttribute("data-qp-scroll")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-qp-scroll");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", function () { window.requestAnimationFrame(mark); });
  document.addEventListener("htmx:afterSettle", mark);
})();

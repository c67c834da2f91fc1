// Live countdown to a deadline: <span data-countdown="2027-10-01T00:00:00+05:00" data-units="d h min s" data-done="...">
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function render(el) {
    var units = (el.dataset.units || "d h min s").split(" ");
    var left = Math.floor((Date.parse(el.dataset.countdown) - Date.now()) / 1000);
    if (isNaN(left)) { return; }
    if (left <= 0) { el.textContent = el.dataset.done || "0"; el.classList.add("text-danger"); return; }
    var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
    var m = Math.floor(left % 3600 / 60), s = left % 60;
    el.textContent = d + " " + units[0] + " " + pad(h) + " " + units[1] + " " + pad(m) + " " + units[2] + " " + pad(s) + " " + units[3];
    var label = el.parentElement && el.parentElement.querySelector("[data-countdown-left]");
    if (label) { label.hidden = false; }
  }
  function tick() { document.querySelectorAll("[data-countdown]").forEach(render); }
  tick();
  setInterval(tick, 1000);
})();

(function () {
  "use strict";
  var table = document.getElementById("squad");
  var bar = document.getElementById("filters");
  var count = document.getElementById("shown");
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function filter() {
    var on = [];
    each(bar.querySelectorAll("input:checked"), function (box) { on.push(box.value); });
    var shown = 0;
    each(table.tBodies, function (body) {
      body.hidden = on.length > 0 && !on.some(function (f) { return body.dataset[f] === "1"; });
      shown += body.hidden ? 0 : 1;
    });
    count.textContent = shown + " of " + table.tBodies.length + " shown";
  }
  function sort(th) {
    var key = th.dataset.sort, again = th.hasAttribute("aria-sort");
    var flip = again && th.dataset.flipped !== "1";
    var bodies = Array.prototype.slice.call(table.tBodies);
    bodies.sort(function (a, b) {
      var x = a.dataset[key], y = b.dataset[key];
      var c = key === "name" ? x.localeCompare(y) : Number(x) - Number(y);
      return (flip ? -c : c) || Number(a.dataset.rank) - Number(b.dataset.rank);
    });
    each(table.querySelectorAll("th[data-sort]"), function (h) {
      h.removeAttribute("aria-sort"); h.dataset.flipped = "0";
    });
    th.setAttribute("aria-sort", flip ? th.dataset.then : th.dataset.first);
    th.dataset.flipped = flip ? "1" : "0";
    bodies.forEach(function (body) { table.appendChild(body); });
  }
  each(table.querySelectorAll("th[data-sort]"), function (th) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () { sort(th); });
  });
  table.classList.add("sortable");
  bar.addEventListener("change", filter);
  bar.hidden = false;
  filter();
}());

// Reader tables (reformbook.tables): sort by a column header, filter long tables, and open charts
// full size. Plain JavaScript, no library; Jupyter Book 1 includes every .js file in _static/.
(function () {
  "use strict";
  function fold(s) {  // case- and diacritic-insensitive matching: "ha noi" finds "Hà Nội"
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function cellValue(cell, numeric) {
    if (!cell) return numeric ? NaN : "";
    if (numeric) { var v = cell.getAttribute("data-sort"); return v === null ? NaN : parseFloat(v); }
    return fold(cell.textContent.trim());
  }
  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      var btn = document.createElement("button");
      btn.type = "button";
      while (th.firstChild) btn.appendChild(th.firstChild);
      th.appendChild(btn);
      btn.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var numeric = th.classList.contains("rt-num");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a.cells[col], numeric), y = cellValue(b.cells[col], numeric);
          if (numeric) {  // missing values always last
            if (isNaN(x)) return isNaN(y) ? 0 : 1;
            if (isNaN(y)) return -1;
            return asc ? x - y : y - x;
          }
          return asc ? x.localeCompare(y, "vi") : y.localeCompare(x, "vi");
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  function makeFilterable(table, box) {
    var tools = box.querySelector(".rt-tools");
    var wrap = document.createElement("label");
    wrap.className = "rt-filter";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter rows…";
    input.setAttribute("aria-label", "Filter the rows of: " + (table.caption ? table.caption.textContent : "table"));
    var count = document.createElement("span");
    count.className = "rt-count";
    count.setAttribute("aria-live", "polite");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var text = rows.map(function (r) { return fold(r.textContent); });
    function update() {
      var words = fold(input.value).split(/\s+/).filter(Boolean), shown = 0;
      rows.forEach(function (r, i) {
        var ok = words.every(function (w) { return text[i].indexOf(w) >= 0; });
        r.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + " of " + rows.length + " rows";
    }
    input.addEventListener("input", update);
    wrap.appendChild(input);
    wrap.appendChild(count);
    tools.insertBefore(wrap, tools.firstChild);
    update();
  }
  function enlargeCharts() {  // tap or click a chart to open it full size
    document.querySelectorAll(".cell_output img, figure.rb-figure img").forEach(function (img) {
      if (img.closest("a")) return;
      var a = document.createElement("a");
      a.href = img.currentSrc || img.src;
      a.className = "rb-enlarge";
      a.target = "_blank";
      a.rel = "noopener";
      a.title = "Open the chart full size";
      img.parentNode.insertBefore(a, img);
      a.appendChild(img);
    });
  }
  function init() {
    document.querySelectorAll(".reader-table").forEach(function (box) {
      var table = box.querySelector("table.rt");
      if (!table) return;
      if (table.hasAttribute("data-sortable")) makeSortable(table);
      if (table.hasAttribute("data-filter")) makeFilterable(table, box);
    });
    enlargeCharts();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/*
 * Every table of the report's pages becomes sortable and filterable with DataTables (shipped by itables,
 * copied into assets/vendor/ by the build). The tables are already in the page, escaped by the build; DataTables
 * only rearranges their rows. Helpers shared with the Explorer: window.RhetoricSite.
 */
(function (root) {
  "use strict";

  var ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"};

  function esc(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return ESCAPES[c];
    });
  }

  function dataTable() {
    var bundle = root.rhetoricDataTables;
    return bundle ? bundle["default"] : null;
  }

  function format(value, digits) {
    // numbers as the report prints them: whole numbers as they are, others to 4 significant digits
    if (value === null || value === undefined || value === "" || (typeof value === "number" && isNaN(value))) {
      return "\u2013";
    }
    if (typeof value !== "number") return String(value);
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) >= 1e4 ? value.toFixed(0) : Number(value.toPrecision(digits || 4)).toString();
  }

  function enhance(table) {
    var DataTable = dataTable();
    if (!DataTable || table.classList.contains("dataTable")) return null;
    var rows = table.tBodies.length ? table.tBodies[0].rows.length : 0;
    var numeric = [];
    Array.prototype.forEach.call(table.tHead ? table.tHead.rows[0].cells : [], function (cell, i) {
      if (cell.classList.contains("num")) numeric.push(i);
    });
    return new DataTable(table, {
      paging: rows > 25, pageLength: 25, lengthMenu: [10, 25, 100, {label: "all", value: -1}],
      order: [], autoWidth: false, searching: rows > 5, info: rows > 5,
      columnDefs: numeric.length ? [{targets: numeric, type: "num"}] : []
    });
  }

  function enhanceAll(scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll("table.data-table"), enhance);
  }

  root.RhetoricSite = {esc: esc, dataTable: dataTable, format: format, enhance: enhance, enhanceAll: enhanceAll};

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
})(window);

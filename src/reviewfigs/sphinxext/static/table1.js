/* Interactive Table 1: turn the page's static, escaped table into a DataTables table.
 * DataTables is loaded from _static/datatables/datatables.js (reviewfigs.sphinxext.datatables); without it
 * the static table stays as it is. A click or Enter anywhere on a column header sorts by that column;
 * the search box filters every column, and a filter under each column filters that one. */
(() => {
  function darkMode() {
    const dark = document.documentElement.dataset.theme === "dark";
    document.documentElement.classList.toggle("dark", dark);  // DataTables' own dark styles
  }

  function columnFilters(table, api) {
    const foot = table.createTFoot();
    const row = foot.insertRow();
    [...table.tHead.rows[0].cells].forEach((th, i) => {
      const cell = document.createElement("th");
      const input = document.createElement("input");
      const name = th.querySelector(".dt-column-title") ? th.querySelector(".dt-column-title").textContent : th.textContent;
      input.type = "search";
      input.placeholder = "Filter " + name.trim();
      input.setAttribute("aria-label", "Filter the column " + name.trim());
      input.addEventListener("input", () => api.column(i).search(input.value).draw());
      cell.setAttribute("data-label", name.trim());
      cell.appendChild(input);
      row.appendChild(cell);
    });
  }

  // The whole header cell sorts, by click or by Enter/Space: it takes the focus that DataTables gives its
  // small sort icon, so a keyboard user lands on the header itself.
  function wholeHeaderSorts(table) {
    table.tHead.querySelectorAll("th").forEach(th => {
      const icon = th.querySelector(".dt-column-order");
      const name = (th.querySelector(".dt-column-title") || th).textContent.trim();
      if (icon) { icon.removeAttribute("tabindex"); icon.removeAttribute("role"); icon.setAttribute("aria-hidden", "true"); }
      th.tabIndex = 0;
      th.setAttribute("aria-label", name + ": sort by this column");
      th.addEventListener("keydown", event => {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); th.click(); }
      });
    });
  }

  function start() {
    const lib = window.reviewfigsDataTables;
    if (!lib) return;
    darkMode();
    new MutationObserver(darkMode).observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});
    document.querySelectorAll("table.rf-datatable").forEach(table => {
      const api = new lib.default(table, {
        paging: false,
        autoWidth: false,
        order: [],
        layout: {topStart: "info", topEnd: "search", bottomStart: null, bottomEnd: null},
        columnDefs: [{className: "dt-left", targets: "_all"}],
      });
      wholeHeaderSorts(table);
      columnFilters(table, api);
      table.classList.add("rf-ready");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();

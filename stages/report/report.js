/*
 * report.js - the page table of index.html: sort by any column (click or
 * Enter on its heading; again to reverse), show flagged pages only, or
 * pages with one flag.  Cells sort by their data-v value: numbers as
 * numbers, text as text, empty cells last either way.  No network, no
 * libraries: the report opens from disk.
 */
(function () {
	'use strict';
	var table = document.getElementById('pages');
	if (!table)
		return;
	var body = table.tBodies[0];
	var heads = table.tHead.rows[0].cells;
	var only = document.getElementById('flagged-only');
	var which = document.getElementById('flag-filter');
	var shown = document.getElementById('shown');

	function value(row, i) {
		var c = row.cells[i];
		return c.hasAttribute('data-v') ? c.getAttribute('data-v') :
		    c.textContent;
	}

	/* compare: dir is 1 or -1; empty values go last whatever dir is */
	function compare(a, b, dir) {
		if (a === '' || b === '')
			return a === b ? 0 : a === '' ? 1 : -1;
		var x = Number(a), y = Number(b);
		if (!isNaN(x) && !isNaN(y))
			return dir * (x - y);
		return dir * a.localeCompare(b, undefined, { numeric: true });
	}

	function sortBy(i) {
		var th = heads[i];
		var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
		var rows = Array.prototype.slice.call(body.rows);
		for (var k = 0; k < heads.length; k++)
			heads[k].removeAttribute('aria-sort');
		th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
		rows.sort(function (a, b) {
			return compare(value(a, i), value(b, i), dir) ||
			    a.getAttribute('data-n') - b.getAttribute('data-n');
		});
		rows.forEach(function (r) { body.appendChild(r); });
	}

	function filter() {
		var n = 0, want = which ? which.value : '';
		Array.prototype.forEach.call(body.rows, function (r) {
			var flags = (r.getAttribute('data-flags') || '').split(' ');
			var hide = (only && only.checked && r.className.indexOf('flagged') < 0) ||
			    (want !== '' && flags.indexOf(want) < 0);
			r.hidden = hide;
			if (!hide)
				n++;
		});
		if (shown)
			shown.textContent = n;
	}

	Array.prototype.forEach.call(heads, function (th, i) {
		if (th.className.indexOf('nosort') >= 0)
			return;
		th.tabIndex = 0;
		th.className += ' sortable';
		th.addEventListener('click', function () { sortBy(i); });
		th.addEventListener('keydown', function (e) {
			if (e.key === 'Enter')
				sortBy(i);
		});
	});
	if (only)
		only.addEventListener('change', filter);
	if (which)
		which.addEventListener('change', filter);
	filter();
})();

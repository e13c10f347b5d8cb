/*
 * order.c - the text regions of a page put into reading order.
 *
 *   order_regions()  L's text regions reordered, the others after them
 *
 * Method: a recursive XY cut over the regions' boxes.  Where a horizontal
 * line crosses no region, the page falls into bands read top to bottom
 * (a title, then the columns under it, then a footnote across the page);
 * within a band, where a vertical line crosses no region, it falls into
 * columns, read left to right on a page led by Latin script and right
 * to left on one led by Arabic; each column whole before the next, so
 * facing bilingual columns are never interleaved.  A band or column that
 * neither cut divides is read top to bottom.  Marginal notes are taken
 * out first and put back after the region beside which they stand most,
 * so that a note follows the text it glosses instead of opening its
 * column; footnotes, at the foot, come last by the cut itself.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"

struct item {
	struct wq_box b;
	size_t        at;	/* index in L->r */
};

static int
cmp_y(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->b.y0 != y->b.y0)
		return (x->b.y0 > y->b.y0) - (x->b.y0 < y->b.y0);
	return (x->b.x0 > y->b.x0) - (x->b.x0 < y->b.x0);
}

static int
cmp_x(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->b.x0 != y->b.x0)
		return (x->b.x0 > y->b.x0) - (x->b.x0 < y->b.x0);
	return (x->b.y0 > y->b.y0) - (x->b.y0 < y->b.y0);
}

/*
 * cut: items v[0..n) appended to out in reading order.  dir: 0 try a
 * horizontal cut first, 1 a vertical one (alternating keeps a band's
 * columns together); rtl: columns right to left.
 */
static void
cut(struct item *v, size_t n, int rtl, size_t *out, size_t *nout, int depth)
{
	size_t i, start, k;
	int    end;

	if (n == 0)
		return;
	if (n == 1 || depth > 64) {
		qsort(v, n, sizeof(*v), cmp_y);
		for (i = 0; i < n; i++)
			out[(*nout)++] = v[i].at;
		return;
	}
	/* bands: a horizontal gap that no region crosses */
	qsort(v, n, sizeof(*v), cmp_y);
	for (i = 1, start = 0, end = v[0].b.y1, k = 0; i <= n; i++) {
		if (i == n || v[i].b.y0 >= end) {
			if (start == 0 && i == n)
				break;	/* one band: try columns */
			cut(v + start, i - start, rtl, out, nout, depth + 1);
			start = i;
			k++;
		}
		if (i < n && v[i].b.y1 > end)
			end = v[i].b.y1;
	}
	if (k > 0)
		return;
	/* columns: a vertical gap that no region crosses */
	qsort(v, n, sizeof(*v), cmp_x);
	{
		size_t *sv = wq_xmalloc((n + 1) * sizeof(*sv)), ns = 0;

		sv[ns++] = 0;
		for (i = 1, end = v[0].b.x1; i < n; i++) {
			if (v[i].b.x0 >= end)
				sv[ns++] = i;
			if (v[i].b.x1 > end)
				end = v[i].b.x1;
		}
		sv[ns] = n;
		if (ns == 1) {	/* tangled: top to bottom */
			free(sv);
			qsort(v, n, sizeof(*v), cmp_y);
			for (i = 0; i < n; i++)
				out[(*nout)++] = v[i].at;
			return;
		}
		for (k = 0; k < ns; k++) {
			size_t c = rtl ? ns - 1 - k : k;

			cut(v + sv[c], sv[c + 1] - sv[c], rtl, out, nout, depth + 1);
		}
		free(sv);
	}
}

/*
 * order_regions: L's text regions in reading order, then the other
 * regions as they were; lead is the script that leads the page.
 */
void
order_regions(struct wq_layout *L, enum wq_script lead)
{
	struct item      *v = wq_xmalloc((L->nr + 1) * sizeof(*v));
	size_t           *out = wq_xmalloc((2 * L->nr + 1) * sizeof(*out));
	size_t           *marg = wq_xmalloc((L->nr + 1) * sizeof(*marg));
	size_t            n = 0, nout = 0, nm = 0, i, k, j;
	struct wq_region *r;
	char             *placed = calloc(L->nr + 1, 1);

	if (placed == NULL)
		abort();
	for (i = 0; i < L->nr; i++) {
		if (L->r[i].kind != WQ_R_TEXT)
			continue;
		if (L->r[i].type != NULL && strcmp(L->r[i].type, "marginalia") == 0)
			marg[nm++] = i;
		else {
			v[n].b = L->r[i].b;
			v[n++].at = i;
		}
	}
	cut(v, n, lead == WQ_SCRIPT_ARABIC, out, &nout, 0);
	/* each marginal note after the region it stands beside most */
	for (k = 0; k < nm; k++) {
		const struct wq_box *m = &L->r[marg[k]].b;
		size_t               best = nout;
		int                  most = 0;

		for (j = 0; j < nout; j++) {
			const struct wq_box *b = &L->r[out[j]].b;
			int o = span_overlap(m->y0, m->y1, b->y0, b->y1);

			if (o > most)
				most = o, best = j + 1;
		}
		if (best == nout && most == 0)	/* beside nothing: by height */
			for (best = 0; best < nout &&
			    L->r[out[best]].b.y0 <= m->y0; best++)
				;
		memmove(out + best + 1, out + best, (nout - best) * sizeof(*out));
		out[best] = marg[k];
		nout++;
	}
	r = wq_xmalloc((L->nr + 1) * sizeof(*r));
	for (j = 0; j < nout; j++) {
		r[j] = L->r[out[j]];
		placed[out[j]] = 1;
	}
	for (i = 0; i < L->nr; i++)
		if (!placed[i])
			r[nout++] = L->r[i];
	memcpy(L->r, r, L->nr * sizeof(*r));
	free(r);
	free(placed);
	free(v);
	free(out);
	free(marg);
}

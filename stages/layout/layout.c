/*
 * warraq-layout - the page's regions and lines, each line's script
 * decided from its pixels, and the reading order, as PAGE-XML.
 *
 *   warraq-layout [options] WORK_DIR [DOC/PAGE ...]
 *   warraq-layout --script IMAGE ...            script of line images
 *   warraq-layout --script-features IMAGE ...   the measures behind it
 *
 * Between clean and OCR, as OCR-D separates segmentation from
 * recognition, so that what is a line, in which script, and in which
 * order, is decided once, recorded, and can be corrected by a person.
 * From the cleaned 1-bit page:
 *
 *   1. Tesseract's layout analysis (no recognition): blocks with their
 *      kind (text, heading, picture, rule, noise) and text lines.
 *   2. Each line's script from its pixels (script.c), never from what a
 *      model read: a model that confidently reads nonsense in its own
 *      script cannot win.  The page's script from Tesseract's OSD is a
 *      prior every line must overcome (page_prior()); a short line pools
 *      its measures with the lines above and below it (context()).
 *   3. A line is cut where a gap runs through it 2.5 times its height
 *      wide, or that is a gutter (blank on the page two line heights above
 *      and below: two columns the analysis ran together), or one and a half
 *      times and the two sides differ in script or letter size: two
 *      scripts side by side on one baseline (the letterhead's "Royaume du
 *      Maroc" and "المملكة المغربية"), a note in small print beside its
 *      paragraph.  A wide space of old print does not cut.
 *   4. Regions: the lines of a block are grouped again, by column (lines
 *      that share no horizontal extent part) and by script (a run of lines
 *      of one script is one region), so that facing columns and
 *      paragraphs of the two scripts are separate blocks, each whole.
 *      Roles from position and size: heading, page number, marginal note,
 *      footnote, paragraph.
 *   5. Coverage: every component of the page of letter size that no line
 *      holds is taken up again: a row of four or more is a recovered line
 *      (the centred Arabic title the analysis missed), a mark of letter
 *      height above or below all the text a page number, a row that runs
 *      out of a picture or a stamp text printed over; marks all inside a
 *      picture are its own; the rest is listed as unread with its box and
 *      reason.  The sidecar counts the unread; the report flags them.
 *      Round stamps are recorded as graphic regions, and the lines of
 *      their own legend left out (unstamp(), inside_stamps()).
 *   6. Reading order (order.c).
 *
 * With layout = line or word (each image is one line or word), the page
 * is one region holding one line.  A PAGE-XML file corrected by a person
 * (pagexml.c says how it is told apart) is kept as it is on re-runs; a
 * damaged one fails its page with the reason.
 *
 * Writes WORK/layout/DOC/PAGE.xml (PAGE-XML 2019) and PAGE.json.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <tesseract/capi.h>

#include "layout.h"

#define GAP_SPLIT	1.5	/* a gap this many line heights may cut a line */
#define GAP_COLUMN	2.5	/* ... and this many always does */
#define SURE_P		0.15	/* script probability this far from 1/2 decides */
#define SURE_PIECES	15	/* a line of this many components decides alone */
#define PRIOR		3.0	/* log-odds the page's script gives each line */
#define OSD_MINCONF	2.0	/* OSD's script confidence that gives a prior */
#define UNREAD_MAX	200	/* unread components listed in the sidecar */

static TessBaseAPI *api;	/* layout analysis only: loaded by layout_init */

/* ---- boxes ---- */

static int
box_w(const struct wq_box *b)
{
	return b->x1 - b->x0;
}

static int
box_h(const struct wq_box *b)
{
	return b->y1 - b->y0;
}

static void
box_grow(struct wq_box *a, const struct wq_box *b)
{
	if (b->x0 < a->x0) a->x0 = b->x0;
	if (b->y0 < a->y0) a->y0 = b->y0;
	if (b->x1 > a->x1) a->x1 = b->x1;
	if (b->y1 > a->y1) a->y1 = b->y1;
}

/* span_overlap: how far the spans a0..a1 and b0..b1 overlap (0: not) */
int
span_overlap(int a0, int a1, int b0, int b1)
{
	int lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;

	return hi > lo ? hi - lo : 0;
}

static PIX *
crop(PIX *pix, const struct wq_box *b)
{
	BOX *bx = boxCreate(b->x0, b->y0, box_w(b), box_h(b));
	PIX *c = bx != NULL ? pixClipRectangle(pix, bx, NULL) : NULL;

	boxDestroy(&bx);
	return c;
}

/* ---- lines as this stage holds them before they are regions ---- */

struct cand {
	struct wq_box  b;
	double         p;	/* probability of Arabic script; < 0 unknown */
	int            pieces;	/* components it was judged on */
	int            cut;	/* a part of a line cut at a gap */
	int            xh;	/* median height of its letters */
	enum wq_script script;
	int            block;	/* Tesseract's block, or -1 for recovered */
	int            heading;	/* Tesseract called the block a heading */
	int            base[4];
};

struct cands {
	struct cand *v;
	size_t       n, cap;
};

static struct cand *
cand_add(struct cands *c)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = wq_xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	memset(&c->v[c->n], 0, sizeof(c->v[0]));
	c->v[c->n].base[0] = -1;
	return &c->v[c->n++];
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * letter_height: the median height of the components of a line image
 * taller than a quarter of it: the body of its letters, which says the
 * size of the print better than the line's box (a line without
 * descenders has a smaller box).  0 when none.
 */
static int
letter_height(PIX *line)
{
	BOXA   *ba = pixConnCompBB(line, 8);
	l_int32 n = ba != NULL ? boxaGetCount(ba) : 0, i, x, y, w, h;
	int    *v = wq_xmalloc((n + 1) * sizeof(*v)), k = 0, m;

	for (i = 0; i < n; i++) {
		boxaGetBoxGeometry(ba, i, &x, &y, &w, &h);
		if (h * 4 > pixGetHeight(line))
			v[k++] = h;
	}
	qsort(v, k, sizeof(*v), cmp_int);
	m = k > 0 ? v[k / 2] : 0;
	free(v);
	boxaDestroy(&ba);
	return m;
}

/* logit: the log-odds of p, bounded */
static double
logit(double p)
{
	p = p < 0.0005 ? 0.0005 : p > 0.9995 ? 0.9995 : p;
	return log(p / (1 - p));
}

/*
 * page_prior: the log-odds of Arabic script that the whole page gives
 * each line before its own measures: PRIOR towards the script that
 * Tesseract's orientation and script detection (OSD) sees on the page
 * (def, when the deskew stage already asked it), 0 when it cannot tell.
 * The line measures are fitted on print; on a manuscript hand a line's
 * own evidence is weaker, and the page's script, which OSD tells from
 * many lines at once, holds it.  Records what OSD said in meta.
 */
static double
page_prior(PIX *bin, enum wq_script def, json_t *meta)
{
	const char *name = NULL;
	float       conf = 0, sconf = 0;
	enum wq_script s = def;

	if (s == WQ_SCRIPT_NONE) {
		wq_osd_detect(bin, &conf, &name, &sconf);
		if (name != NULL && sconf >= OSD_MINCONF)
			s = strcmp(name, "Arabic") == 0 ? WQ_SCRIPT_ARABIC :
			    WQ_SCRIPT_LATIN;
	}
	json_object_set_new(meta, "page_script", s == WQ_SCRIPT_NONE ?
	    json_null() : json_string(s == WQ_SCRIPT_ARABIC ? "Arabic" :
	    "Latin"));
	return s == WQ_SCRIPT_ARABIC ? PRIOR : s == WQ_SCRIPT_LATIN ? -PRIOR : 0;
}

static enum wq_script
of_p(double p)
{
	return p > 0.5 ? WQ_SCRIPT_ARABIC : WQ_SCRIPT_LATIN;
}

/* judge: l's script probability (-1: cannot tell) and pieces, from bin */
static void
judge(PIX *bin, struct cand *l)
{
	PIX   *c = crop(bin, &l->b);
	double f[SCRIPT_NFEAT];
	int    n = c != NULL ? script_features(c, f) : 0;

	l->xh = c != NULL ? letter_height(c) : 0;
	pixDestroy(&c);
	l->pieces = n;
	l->p = n >= SCRIPT_MIN_PIECES ? script_arabic(f) : -1;
}

/*
 * context: the script of a short line l (a heading, a name, a page
 * number) from its own measures and those of the lines within four line
 * heights above and below that share some of its width: their log-odds
 * averaged, each weighted by the components it was judged on, so that a
 * long line beside says more than a short one, plus the page's prior.
 * NONE when no line, l included, could be judged.
 */
static enum wq_script
context(const struct cands *c, const struct cand *l, int hm, double prior)
{
	double z = 0, wsum = 0;
	size_t k;

	for (k = 0; k < c->n; k++) {
		const struct cand *o = &c->v[k];
		int    d;

		if (o->p < 0 || span_overlap(o->b.x0, o->b.x1, l->b.x0,
		    l->b.x1) == 0)
			continue;
		d = o->b.y0 >= l->b.y1 ? o->b.y0 - l->b.y1 :
		    l->b.y0 >= o->b.y1 ? l->b.y0 - o->b.y1 : 0;
		if (d > 4 * hm)
			continue;
		z += o->pieces * logit(o->p);
		wsum += o->pieces;
	}
	return wsum == 0 ? WQ_SCRIPT_NONE : z / wsum + prior > 0 ?
	    WQ_SCRIPT_ARABIC : WQ_SCRIPT_LATIN;
}

/* ink_box: the box of the ink of bin inside b; -1 if none. */
static int
ink_box(PIX *bin, const struct wq_box *b, struct wq_box *out)
{
	PIX    *c = crop(bin, b);
	BOX    *fg = NULL;
	l_int32 x, y, w, h;

	if (c == NULL || pixClipBoxToForeground(c, NULL, NULL, &fg) != 0 ||
	    fg == NULL) {
		pixDestroy(&c);
		return -1;
	}
	boxGetGeometry(fg, &x, &y, &w, &h);
	out->x0 = b->x0 + x, out->y0 = b->y0 + y;
	out->x1 = out->x0 + w, out->y1 = out->y0 + h;
	boxDestroy(&fg);
	pixDestroy(&c);
	return 0;
}

/*
 * stamped: does the gap from x0 to x1 on line b lie under a stamp or
 * frame taken out of the page (its ink went with the stamp: no gap)?
 */
static int
stamped(const struct wq_layout *L, int x0, int x1, const struct wq_box *b)
{
	size_t i;

	for (i = 0; i < L->nr; i++)
		if (L->r[i].kind == WQ_R_GRAPHIC &&
		    span_overlap(L->r[i].b.x0, L->r[i].b.x1, x0, x1) > 0 &&
		    span_overlap(L->r[i].b.y0, L->r[i].b.y1, b->y0, b->y1) > 0)
			return 1;
	return 0;
}

/*
 * split_line: line l cut at every gap of more than GAP_SPLIT times its
 * height that runs through it; the parts (at least one) appended to out,
 * each with its ink box.  Returns the number of cuts made.
 */
/*
 * gutter: is the gap from x0 to x1 of line b the white between two
 * columns: blank on the page from two line heights above the line to two
 * below it?  A wide space of old print has the lines above and below
 * running through it.
 */
static int
gutter(PIX *bin, const struct wq_box *b, int x0, int x1)
{
	int           h = box_h(b);
	struct wq_box s = { x0 + 1, b->y0 - 2 * h, x1 - 1, b->y1 + 2 * h };
	PIX          *c;
	l_int32       ink = 1;

	if (s.y0 < 0)
		s.y0 = 0;
	if (s.y1 > (int)pixGetHeight(bin))
		s.y1 = pixGetHeight(bin);
	if (s.x1 <= s.x0 || s.y1 <= s.y0)
		return 0;
	if ((c = crop(bin, &s)) != NULL)
		pixCountPixels(c, &ink, NULL);
	pixDestroy(&c);
	return ink == 0;
}

/* differ: do the parts a and b of one line differ in script or size? */
static int
differ(PIX *bin, const struct wq_box *a, const struct wq_box *b)
{
	struct cand x = { 0 }, y = { 0 };
	double      zx, zy;

	x.b = *a, y.b = *b;
	judge(bin, &x);
	judge(bin, &y);
	/* a note in smaller print beside its text (a few letters, a
	 * capital, say too little) */
	if (x.xh > 0 && y.xh > 0 && x.pieces >= 8 && y.pieces >= 8 &&
	    (4 * x.xh > 5 * y.xh || 4 * y.xh > 5 * x.xh))
		return 1;
	if (x.p < 0 || y.p < 0)
		return 0;
	zx = logit(x.p), zy = logit(y.p);
	return (zx > 1.5 && zy < -1.5) || (zx < -1.5 && zy > 1.5);
}

static void
add_part(PIX *bin, const struct cand *l, int x0, int x1, int cut,
    struct cands *out)
{
	struct cand  *p = cand_add(out);
	struct wq_box seg = { l->b.x0 + x0, l->b.y0, l->b.x0 + x1, l->b.y1 };

	*p = *l;
	if (cut) {
		if (ink_box(bin, &seg, &p->b) == -1)
			p->b = seg;
		p->base[0] = -1;
		p->cut = 1;
	}
}

static int
split_line(PIX *bin, const struct cand *l, const struct wq_layout *L,
    struct cands *out)
{
	PIX   *c = crop(bin, &l->b);
	NUMA  *cols = c != NULL ? pixCountPixelsByColumn(c) : NULL;
	int    h = box_h(&l->b), w = box_w(&l->b), x, start = -1, last = -1;
	int    gap = (int)(GAP_SPLIT * h), cuts = 0, *run = NULL, nrun = 0, k;
	int    from;
	l_float32 v;

	/* runs of ink between the gaps wide enough to cut at */
	run = wq_xmalloc((size_t)(w / (gap + 1) + 2) * 2 * sizeof(*run));
	for (x = 0; cols != NULL && x <= w; x++) {
		v = x < w ? (numaGetFValue(cols, x, &v), v) : 0;
		if (v <= 0)
			continue;
		if (start < 0)
			start = x;
		else if (x - last - 1 > gap &&
		    !stamped(L, l->b.x0 + last, l->b.x0 + x, &l->b)) {
			run[2 * nrun] = start, run[2 * nrun++ + 1] = last + 1;
			start = x;
		}
		last = x;
	}
	if (start >= 0)
		run[2 * nrun] = start, run[2 * nrun++ + 1] = last + 1;
	/*
	 * cut where the gap is very wide (columns), or where the two sides
	 * differ in script or in the size of their letters; a wide space in
	 * old print, or a sign in the margin, does not cut
	 */
	for (k = 1, from = 0; k < nrun; k++) {
		struct wq_box left = { l->b.x0 + run[2 * from], l->b.y0,
		    l->b.x0 + run[2 * k - 1], l->b.y1 };
		struct wq_box right = { l->b.x0 + run[2 * k], l->b.y0,
		    l->b.x0 + run[2 * k + 1], l->b.y1 };

		if (run[2 * k] - run[2 * k - 1] >= (int)(GAP_COLUMN * h) ||
		    gutter(bin, &l->b, l->b.x0 + run[2 * k - 1],
		    l->b.x0 + run[2 * k]) || differ(bin, &left, &right)) {
			add_part(bin, l, run[2 * from], run[2 * k - 1], 1, out);
			from = k;
			cuts++;
		}
	}
	if (nrun > 0)
		add_part(bin, l, run[2 * from], run[2 * nrun - 1], cuts > 0, out);
	free(run);
	numaDestroy(&cols);
	pixDestroy(&c);
	return cuts;
}

/*
 * absorb: a "line" less than half the median height hm that lies just
 * above or below a real line, across its width, is that line's dots or
 * vowel marks (the analysis sometimes makes them a line of their own):
 * taken into it.
 */
static void
absorb(struct cands *c, int hm)
{
	size_t i, j, k;

	for (i = 0; i < c->n; i++) {
		struct cand *s = &c->v[i];
		struct cand *best = NULL;
		int          bestd = hm / 2 + 1;

		if (2 * box_h(&s->b) >= hm)
			continue;
		for (j = 0; j < c->n; j++) {
			struct cand *o = &c->v[j];
			int d;

			if (j == i || 2 * box_h(&o->b) < hm || 2 * span_overlap(
			    s->b.x0, s->b.x1, o->b.x0, o->b.x1) < box_w(&s->b))
				continue;
			d = s->b.y1 <= o->b.y0 ? o->b.y0 - s->b.y1 :
			    s->b.y0 >= o->b.y1 ? s->b.y0 - o->b.y1 : 0;
			if (d < bestd)
				bestd = d, best = o;
		}
		if (best == NULL)
			continue;
		box_grow(&best->b, &s->b);
		for (k = i; k + 1 < c->n; k++)
			c->v[k] = c->v[k + 1];
		c->n--;
		i--;
	}
}

/*
 * unstamp: the round, thin components of bin (a third of an inch to two
 * and a half inches across, about as wide as high, ink over less than a
 * seventh of their box: a stamp's ring) recorded in L as graphic regions
 * of type "stamp"; lines inside one are its legend, not the page's text
 * (inside_stamps()), and a line of text the stamp was printed over is
 * found again by coverage(), which follows a row of letters out of a
 * picture.  Returns how many.
 */
static int
unstamp(PIX *bin, int dpi, struct wq_layout *L)
{
	PIXA   *pa = NULL;
	BOXA   *ba = pixConnComp(bin, &pa, 8);
	l_int32 n = ba != NULL ? boxaGetCount(ba) : 0, i, x, y, w, h, ink;
	int     k = 0;

	for (i = 0; i < n; i++) {
		struct wq_region *r;
		PIX              *c;

		boxaGetBoxGeometry(ba, i, &x, &y, &w, &h);
		if (3 * w < dpi || 3 * h < dpi || 2 * w > 5 * dpi ||
		    2 * h > 5 * dpi || 5 * w > 8 * h || 5 * h > 8 * w)
			continue;
		c = pixaGetPix(pa, i, L_CLONE);
		pixCountPixels(c, &ink, NULL);
		if ((double)ink * 7 < (double)w * h) {
			r = wq_layout_add(L, WQ_R_GRAPHIC);
			r->b.x0 = x, r->b.y0 = y, r->b.x1 = x + w, r->b.y1 = y + h;
			r->type = wq_xstrdup("stamp");
			k++;
		}
		pixDestroy(&c);
	}
	pixaDestroy(&pa);
	boxaDestroy(&ba);
	return k;
}

/*
 * inside_stamps: lines that lie within a stamp's box are the stamp's own
 * legend (a library's name round its ring), not the page's text: taken
 * out of c (a frame round the text holds text).  A line that runs out of the box is text the
 * stamp was printed over, and stays.
 */
static void
inside_stamps(struct cands *c, const struct wq_layout *L)
{
	size_t i, j, k;

	for (i = 0; i < c->n; i++) {
		const struct wq_box *b = &c->v[i].b;

		for (j = 0; j < L->nr; j++) {
			const struct wq_box *g = &L->r[j].b;

			if (L->r[j].kind == WQ_R_GRAPHIC && L->r[j].type != NULL &&
			    strcmp(L->r[j].type, "stamp") == 0 &&
			    b->x0 >= g->x0 && b->x1 <= g->x1 &&
			    b->y0 >= g->y0 && b->y1 <= g->y1)
				break;
		}
		if (j == L->nr)
			continue;
		for (k = i; k + 1 < c->n; k++)
			c->v[k] = c->v[k + 1];
		c->n--;
		i--;
	}
}

/* ---- Tesseract's layout analysis ---- */

/*
 * layout_init: before any page, Tesseract for layout analysis, once for
 * all the pages this process is given; -1 (exit 2) when no model loads.
 */
static int
layout_init(struct wq_args *a, char *err, size_t errlen)
{
	(void)a;
	api = TessBaseAPICreate();
	/* the layout needs no recognition model; osd is the smallest that
	 * loads, and eng is the fallback */
	if (TessBaseAPIInit3(api, NULL, "osd") != 0 &&
	    TessBaseAPIInit3(api, NULL, "eng") != 0) {
		TessBaseAPIDelete(api);
		api = NULL;
		snprintf(err, errlen, "Tesseract cannot load a model for layout "
		    "analysis: osd.traineddata or eng.traineddata in %s (Debian: "
		    "apt install tesseract-ocr-osd)", wq_tessdata_dir());
		return -1;
	}
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	return 0;
}

static int
is_text_block(TessPolyBlockType t)
{
	return t == PT_FLOWING_TEXT || t == PT_HEADING_TEXT ||
	    t == PT_PULLOUT_TEXT || t == PT_EQUATION || t == PT_INLINE_EQUATION ||
	    t == PT_TABLE || t == PT_VERTICAL_TEXT || t == PT_CAPTION_TEXT ||
	    t == PT_UNKNOWN;
}

/*
 * analyse: Tesseract's blocks and lines of bin: text lines into c,
 * non-text blocks into L as image, separator or noise regions.
 */
static int
analyse(PIX *bin, int dpi, struct cands *c, struct wq_layout *L,
    json_t *meta, char *err, size_t errlen)
{
	TessPageIterator *it;
	int               block = -1;
	unsigned          nblocks = 0, nother = 0;

	if (api == NULL) {	/* layout_init failed: not reached */
		snprintf(err, errlen, "no layout analysis");
		return -1;
	}
	TessBaseAPISetPageSegMode(api, PSM_AUTO);
	TessBaseAPISetImage2(api, bin);
	TessBaseAPISetSourceResolution(api, dpi);
	if ((it = TessBaseAPIAnalyseLayout(api)) == NULL) {
		TessBaseAPIClear(api);
		json_object_set_new(meta, "tesseract_blocks", json_integer(0));
		return 0;	/* nothing found: coverage may still find lines */
	}
	do {
		TessPolyBlockType t = TessPageIteratorBlockType(it);
		struct wq_box     b;

		if (TessPageIteratorIsAtBeginningOf(it, RIL_BLOCK)) {
			block++;
			nblocks++;
			if (!is_text_block(t)) {
				struct wq_region *r;

				if (!TessPageIteratorBoundingBox(it, RIL_BLOCK,
				    &b.x0, &b.y0, &b.x1, &b.y1))
					continue;
				r = wq_layout_add(L, t == PT_HORZ_LINE ||
				    t == PT_VERT_LINE ? WQ_R_SEPARATOR :
				    t == PT_NOISE ? WQ_R_NOISE : WQ_R_IMAGE);
				r->b = b;
				nother++;
				continue;
			}
		}
		if (!is_text_block(t))
			continue;
		if (TessPageIteratorBoundingBox(it, RIL_TEXTLINE, &b.x0, &b.y0,
		    &b.x1, &b.y1) && box_w(&b) > 0 && box_h(&b) > 0) {
			struct cand *l = cand_add(c);

			l->b = b;
			l->block = block;
			l->heading = t == PT_HEADING_TEXT;
			if (!TessPageIteratorBaseline(it, RIL_TEXTLINE, &l->base[0],
			    &l->base[1], &l->base[2], &l->base[3]))
				l->base[0] = -1;
		}
	} while (TessPageIteratorNext(it, RIL_TEXTLINE));
	TessPageIteratorDelete(it);
	TessBaseAPIClear(api);
	json_object_set_new(meta, "tesseract_blocks", json_integer(nblocks));
	json_object_set_new(meta, "nontext_regions", json_integer(nother));
	return 0;
}

/* ---- coverage ---- */

/* median_height: the median height of the lines in c, or def. */
static int
median_height(const struct cands *c, int def)
{
	int   *h, m;
	size_t i;

	if (c->n == 0)
		return def;
	h = wq_xmalloc(c->n * sizeof(*h));
	for (i = 0; i < c->n; i++)
		h[i] = box_h(&c->v[i].b);
	qsort(h, c->n, sizeof(*h), cmp_int);
	m = h[c->n / 2];
	free(h);
	return m > 0 ? m : def;
}

static int
inside(const struct wq_box *b, int x, int y)
{
	return x >= b->x0 && x < b->x1 && y >= b->y0 && y < b->y1;
}

struct row {
	struct wq_box b;
	int           n;	/* components */
	int           nout;	/* ... outside every picture, stamp or rule */
};

struct comp {			/* a component coverage() has to place */
	struct wq_box b;
	int           pic;	/* inside a picture, stamp or rule */
};

static int
cmp_comp_x(const void *a, const void *b)
{
	const struct comp *x = a, *y = b;

	return (x->b.x0 > y->b.x0) - (x->b.x0 < y->b.x0);
}

/*
 * coverage: the components of bin of letter size (between a fifth and
 * three times the median line height hm, not a solid blot) that no line
 * of c and no non-text region of L holds, gathered into rows; a row of
 * at least four is added to c as a recovered line, the rest go to L as
 * unread regions.  Returns the number of unread components.
 */
static int
coverage(PIX *bin, int hm, struct cands *c, struct wq_layout *L,
    json_t *meta)
{
	BOXA         *ba = pixConnCompBB(bin, 8);
	l_int32       n = ba != NULL ? boxaGetCount(ba) : 0, i;
	struct comp  *left = wq_xmalloc((n + 1) * sizeof(*left));
	struct row   *rows = wq_xmalloc((n + 1) * sizeof(*rows));
	size_t        nl = 0, nr = 0, k, j, ncand = c->n;
	int           unread = 0, recovered = 0, textlike = 0, top = 1 << 30;
	int           foot = 0;
	json_t       *list = json_array();

	for (i = 0; i < n; i++) {
		l_int32       x, y, w, h, cx, cy, ink = 0;
		struct wq_box b;
		int           held = 0, pic;

		boxaGetBoxGeometry(ba, i, &x, &y, &w, &h);
		if (h < hm / 5 || h > 3 * hm || w > 8 * hm || w < 2 || h < 2)
			continue;
		cx = x + w / 2, cy = y + h / 2;
		for (k = 0; k < ncand && !held; k++) {
			struct wq_box pad = c->v[k].b;
			int           p = box_h(&pad) / 4;

			pad.y0 -= p, pad.y1 += p;
			held = inside(&pad, cx, cy);
		}
		if (held)
			continue;
		for (k = 0, pic = 0; k < L->nr && !pic; k++)
			pic = L->r[k].kind != WQ_R_TEXT && inside(&L->r[k].b, cx, cy);
		{	/* a solid blot (a stain, a hole) is not a letter */
			BOX *bx = boxCreate(x, y, w, h);
			PIX *p = bx != NULL ? pixClipRectangle(bin, bx, NULL) : NULL;

			if (p != NULL)
				pixCountPixels(p, &ink, NULL);
			pixDestroy(&p);
			boxDestroy(&bx);
			if (ink > 0.85 * w * h && w * h > 16)
				continue;
		}
		b.x0 = x, b.y0 = y, b.x1 = x + w, b.y1 = y + h;
		left[nl].pic = pic;
		left[nl++].b = b;
	}
	boxaDestroy(&ba);
	qsort(left, nl, sizeof(*left), cmp_comp_x);
	for (k = 0; k < nl; k++) {	/* rows, left to right */
		for (j = 0; j < nr; j++) {
			struct wq_box *r = &rows[j].b;
			int hmin = box_h(r) < box_h(&left[k].b) ? box_h(r) :
			    box_h(&left[k].b);

			if (left[k].b.x0 - r->x1 <= 3 * hm / 2 &&
			    span_overlap(r->y0, r->y1, left[k].b.y0,
			    left[k].b.y1) >= hmin / 2)
				break;
		}
		if (j == nr) {
			rows[nr].b = left[k].b;
			rows[nr].nout = 0;
			rows[nr++].n = 0;
		}
		box_grow(&rows[j].b, &left[k].b);
		rows[j].n++;
		rows[j].nout += !left[k].pic;
	}
	/* rows on one baseline a little further apart (a stamp's ring took
	 * the letters between them) are one row */
	for (j = 0; j < nr; j++)
		for (k = j + 1; k < nr; k++) {
			struct wq_box *a = &rows[j].b, *b = &rows[k].b;
			int hmin = box_h(a) < box_h(b) ? box_h(a) : box_h(b);
			int gap = a->x0 > b->x1 ? a->x0 - b->x1 : b->x0 - a->x1;

			if (gap > 3 * hm ||
			    2 * span_overlap(a->y0, a->y1, b->y0, b->y1) < hmin)
				continue;
			box_grow(a, b);
			rows[j].n += rows[k].n;
			rows[j].nout += rows[k].nout;
			rows[k] = rows[--nr];
			k = j;	/* look again from j: it grew */
		}
	for (k = 0; k < ncand; k++) {	/* the text's extent */
		if (c->v[k].b.y0 < top)
			top = c->v[k].b.y0;
		if (c->v[k].b.y1 > foot)
			foot = c->v[k].b.y1;
	}
	for (j = 0; j < nr; j++) {
		/* a row of letters; or a mark or two of letter height above
		 * or below all the text (a page number, a folio) */
		/* marks all inside a picture or stamp are its own; a row
		 * that runs out of it (text a stamp was printed over) is not */
		if (rows[j].nout == 0)
			continue;
		if ((rows[j].n >= 4 && rows[j].nout >= 2 &&
		    box_w(&rows[j].b) >= 3 * hm / 2 &&
		    box_h(&rows[j].b) <= 3 * hm) || (ncand > 0 &&
		    (rows[j].b.y1 <= top || rows[j].b.y0 >= foot) &&
		    2 * box_h(&rows[j].b) >= hm && box_h(&rows[j].b) <= 2 * hm)) {
			struct cand *l = cand_add(c);

			l->b = rows[j].b;
			l->block = -1;
			recovered++;
			continue;
		}
		{
			struct wq_region *r = wq_layout_add(L, WQ_R_UNREAD);

			r->b = rows[j].b;
			r->reason = wq_xasprintf("unread: %d mark%s of letter "
			    "size outside every line", rows[j].n,
			    rows[j].n > 1 ? "s" : "");
			unread += rows[j].n;
			textlike += rows[j].n > 1;
			if (json_array_size(list) < UNREAD_MAX)
				json_array_append_new(list, json_pack(
				    "{s:[i,i,i,i], s:i, s:s}", "box", r->b.x0,
				    r->b.y0, r->b.x1, r->b.y1, "components",
				    rows[j].n, "reason", rows[j].n > 1 ?
				    "marks of letter size in a row no line holds" :
				    "a lone mark of letter size no line holds"));
		}
	}
	json_object_set_new(meta, "lines_recovered", json_integer(recovered));
	json_object_set_new(meta, "unread_components", json_integer(unread));
	json_object_set_new(meta, "unread_text_like", json_integer(textlike));
	json_object_set_new(meta, "unread", list);
	free(left);
	free(rows);
	return unread;
}

/* ---- scripts and regions ---- */

/*
 * page_script: the script of most of the page's decided ink (weighted by
 * line width); def when no line decides.
 */
static enum wq_script
page_script(const struct cands *c, enum wq_script def)
{
	double ar = 0, la = 0;
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (c->v[i].p < 0)
			continue;
		if (c->v[i].p > 0.5)
			ar += box_w(&c->v[i].b);
		else
			la += box_w(&c->v[i].b);
	}
	return ar == 0 && la == 0 ? def : ar > la ? WQ_SCRIPT_ARABIC :
	    WQ_SCRIPT_LATIN;
}

/* osd_script: the script the deskew stage's OSD saw, or NONE. */
static enum wq_script
osd_script(const struct wq_args *a, const struct wq_page *p)
{
	char          *path = wq_sidecar(a->work, "deskew", p->doc, p->page, "json");
	json_t        *j = wq_json_read(path);
	const char    *s = json_string_value(json_object_get(j, "osd_script"));
	enum wq_script r = s == NULL ? WQ_SCRIPT_NONE :
	    strcmp(s, "Arabic") == 0 ? WQ_SCRIPT_ARABIC : WQ_SCRIPT_LATIN;

	json_decref(j);
	free(path);
	return r;
}

static int
cmp_cand_y(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->block != y->block)
		return (x->block > y->block) - (x->block < y->block);
	if (x->b.y0 != y->b.y0)
		return (x->b.y0 > y->b.y0) - (x->b.y0 < y->b.y0);
	return (x->b.x0 > y->b.x0) - (x->b.x0 < y->b.x0);
}

/*
 * regions: the lines of c (sorted by block, then top to bottom) grouped
 * into text regions of L: within a block, by column (union of lines that
 * share horizontal extent) and then by runs of one script.
 */
static void
regions(struct cands *c, struct wq_layout *L)
{
	size_t  i = 0, j, k, m;
	size_t *col = wq_xmalloc((c->n + 1) * sizeof(*col));

	while (i < c->n) {
		size_t end = i;

		while (end < c->n && c->v[end].block == c->v[i].block &&
		    (c->v[i].block >= 0 || end == i))
			end++;
		/* columns: union-find over horizontal overlap */
		for (j = i; j < end; j++)
			col[j] = j;
		for (j = i; j < end; j++)
			for (k = j + 1; k < end; k++) {
				const struct wq_box *a = &c->v[j].b, *b = &c->v[k].b;
				int mw = box_w(a) < box_w(b) ? box_w(a) : box_w(b);
				size_t ra = j, rb = k;

				if (span_overlap(a->x0, a->x1, b->x0, b->x1) * 3 < mw)
					continue;
				while (col[ra] != ra)
					ra = col[ra];
				while (col[rb] != rb)
					rb = col[rb];
				col[rb > ra ? rb : ra] = rb > ra ? ra : rb;
			}
		for (j = i; j < end; j++) {
			size_t root = j;

			while (col[root] != root)
				root = col[root];
			col[j] = root;
		}
		/* each column, top to bottom, cut where the script changes */
		for (j = i; j < end; j++) {
			struct wq_region *r = NULL;

			if (col[j] != j)
				continue;
			for (m = j; m < end; m++) {
				struct wq_tline *t;

				if (col[m] != j)
					continue;
				if (r == NULL || r->script != c->v[m].script) {
					r = wq_layout_add(L, WQ_R_TEXT);
					r->b = c->v[m].b;
					r->script = c->v[m].script;
					r->type = wq_xstrdup(c->v[m].heading ?
					    "heading" : "paragraph");
					if (c->v[m].block < 0)
						r->origin = wq_xstrdup("warraq "
						    "{origin:recovered;}");
				}
				t = wq_region_add_line(r);
				t->b = c->v[m].b;
				t->script = c->v[m].script;
				t->xh = c->v[m].xh;
				t->recovered = c->v[m].block < 0;
				t->cut = c->v[m].cut;
				memcpy(t->base, c->v[m].base, sizeof(t->base));
				box_grow(&r->b, &c->v[m].b);
			}
		}
		i = end;
	}
	free(col);
}

static int
cmp_tline_y(const void *a, const void *b)
{
	const struct wq_tline *x = a, *y = b;

	return (x->b.y0 > y->b.y0) - (x->b.y0 < y->b.y0);
}

/*
 * between: does a text region other than i and j lie in the band from
 * region i's top to region j's bottom, across some of their width?
 */
static int
between(const struct wq_layout *L, size_t i, size_t j)
{
	const struct wq_box *a = &L->r[i].b, *b = &L->r[j].b;
	int    x0 = a->x0 < b->x0 ? a->x0 : b->x0, x1 = a->x1 > b->x1 ? a->x1 : b->x1;
	size_t k;

	for (k = 0; k < L->nr; k++) {
		const struct wq_box *o = &L->r[k].b;

		if (k == i || k == j || L->r[k].kind != WQ_R_TEXT)
			continue;
		if (span_overlap(o->x0, o->x1, x0, x1) > 0 &&
		    span_overlap(o->y0, o->y1, a->y0, b->y1) > 0)
			return 1;
	}
	return 0;
}

/*
 * merge_regions: text regions of one script that stand one above the
 * other in a column (sharing half the narrower one's width, less than
 * hm apart and not overlapping, lines of about one height, no other
 * region between them) are one region: the analysis cuts
 * a column into a block a row where a line beside it runs across (facing
 * columns, a letterhead), and a column must be read whole.
 */
static void
merge_regions(struct wq_layout *L, int hm)
{
	size_t i, j, k;
	int    merged = 1;

	while (merged) {
		merged = 0;
		for (i = 0; i < L->nr && !merged; i++)
			for (j = 0; j < L->nr && !merged; j++) {
				struct wq_region *a = &L->r[i], *b = &L->r[j];
				int mw, gap, ha, hb;

				if (i == j || a->kind != WQ_R_TEXT ||
				    b->kind != WQ_R_TEXT || a->script != b->script ||
				    a->nl == 0 || b->nl == 0 || b->b.y0 < a->b.y0 ||
				    strcmp(a->type, b->type) != 0)
					continue;
				mw = box_w(&a->b) < box_w(&b->b) ? box_w(&a->b) :
				    box_w(&b->b);
				gap = b->b.y0 - a->b.y1;
				ha = box_h(&a->l[a->nl - 1].b);
				hb = box_h(&b->l[0].b);
				if (2 * span_overlap(a->b.x0, a->b.x1, b->b.x0,
				    b->b.x1) < mw || gap > hm || 2 * gap < -hm ||
				    3 * ha > 4 * hb || 3 * hb > 4 * ha ||
				    between(L, i, j))
					continue;
				for (k = 0; k < b->nl; k++)
					*wq_region_add_line(a) = b->l[k];
				qsort(a->l, a->nl, sizeof(*a->l), cmp_tline_y);
				box_grow(&a->b, &b->b);
				free(b->l);
				free(b->type);
				free(b->reason);
				free(b->origin);
				memmove(b, b + 1, (L->nr - j - 1) * sizeof(*b));
				L->nr--;
				merged = 1;
			}
	}
}

/* region_xh: the median letter height of r's lines; def when unknown */
static int
region_xh(const struct wq_region *r, int def)
{
	int   *v = wq_xmalloc((r->nl + 1) * sizeof(*v)), k = 0, m;
	size_t j;

	for (j = 0; j < r->nl; j++)
		if (r->l[j].xh > 0)
			v[k++] = r->l[j].xh;
	qsort(v, k, sizeof(*v), cmp_int);
	m = k > 0 ? v[k / 2] : def;
	free(v);
	return m;
}

/*
 * roles: each text region's role from where it stands and the size of
 * its letters, against the page's median letter height and the text's
 * extent: page numbers (a short line at the top or foot), headings
 * (letters 1.3 times the page's, three lines at most), marginal notes
 * (narrow, beside a wider region, in the outer fifth), footnotes (letters
 * at most 0.85 times the page's, below every paragraph, in the lower
 * third).
 */
static void
roles(struct wq_layout *L, int hm)
{
	struct wq_box all = { 1 << 30, 1 << 30, 0, 0 };
	size_t        i, j, n = 0;
	int           lowest = 0, xm, *xs;

	for (i = 0; i < L->nr; i++)
		if (L->r[i].kind == WQ_R_TEXT) {
			box_grow(&all, &L->r[i].b);
			n += L->r[i].nl;
		}
	/* the page's letter height: the median of its lines' */
	xs = wq_xmalloc((n + 1) * sizeof(*xs));
	for (i = n = 0; i < L->nr; i++)
		for (j = 0; L->r[i].kind == WQ_R_TEXT && j < L->r[i].nl; j++)
			if (L->r[i].l[j].xh > 0)
				xs[n++] = L->r[i].l[j].xh;
	qsort(xs, n, sizeof(*xs), cmp_int);
	xm = n > 0 ? xs[n / 2] : hm / 2;
	for (i = 0; i < L->nr; i++) {
		struct wq_region *r = &L->r[i];
		int               rx = region_xh(r, xm);
		const char       *role = NULL;

		if (r->kind != WQ_R_TEXT)
			continue;
		if (r->nl == 1 && box_w(&r->b) < 3 * hm &&
		    (r->b.y1 <= all.y0 + box_h(&all) / 12 ||
		    r->b.y0 >= all.y1 - box_h(&all) / 12))
			role = "page-number";
		else if (r->nl <= 3 && 10 * rx >= 13 * xm)
			role = "heading";
		else if (box_w(&r->b) * 5 < box_w(&all) &&
		    (r->b.x1 < all.x0 + box_w(&all) / 5 ||
		    r->b.x0 > all.x1 - box_w(&all) / 5)) {
			for (j = 0; j < L->nr; j++) {
				const struct wq_region *o = &L->r[j];

				if (j != i && o->kind == WQ_R_TEXT &&
				    box_w(&o->b) > 2 * box_w(&r->b) &&
				    span_overlap(o->b.y0, o->b.y1, r->b.y0,
				    r->b.y1) > 0 &&
				    span_overlap(o->b.x0, o->b.x1, r->b.x0,
				    r->b.x1) == 0)
					role = "marginalia";
			}
		}
		if (role != NULL) {
			free(r->type);
			r->type = wq_xstrdup(role);
		}
		if (strcmp(r->type, "paragraph") == 0 && 100 * rx > 85 * xm &&
		    r->b.y0 > lowest)
			lowest = r->b.y0;
	}
	for (i = 0; i < L->nr; i++) {	/* small print below the text */
		struct wq_region *r = &L->r[i];

		if (r->kind == WQ_R_TEXT && lowest > 0 &&
		    strcmp(r->type, "paragraph") == 0 && r->b.y0 > lowest &&
		    100 * region_xh(r, xm) <= 85 * xm &&
		    r->b.y0 > L->height * 2 / 3) {
			free(r->type);
			r->type = wq_xstrdup("footnote");
		}
	}
	free(xs);
}

/* ---- the page ---- */

static PIX *
binary(PIX *pix)
{
	PIX *g, *b;

	if (pixGetDepth(pix) == 1)
		return pixClone(pix);
	if ((g = pixConvertTo8(pix, 0)) == NULL)
		return NULL;
	b = pixThresholdToBinary(g, 128);
	pixDestroy(&g);
	if (b != NULL)
		pixCopyResolution(b, pix);
	return b;
}

/*
 * stamp: the time written into the PAGE-XML: SOURCE_DATE_EPOCH when set,
 * else the modification time of the scan the page comes from (sources
 * are never written), so that the same scan gives the same file, run
 * after run.
 */
static time_t
stamp(const char *image)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	struct stat st;

	if (e != NULL && *e != '\0')
		return (time_t)strtoll(e, NULL, 10);
	return stat(image, &st) == 0 ? st.st_mtime : 0;
}

/* kept: a corrected layout at path, kept as it is; 1, 0 none, -1 damaged */
static int
kept(const char *path, json_t *meta, char *err, size_t errlen)
{
	struct wq_layout L;
	char             e[300];
	size_t           i, nl = 0;

	if (!wq_exists(path))
		return 0;
	if (wq_layout_read(path, &L, e, sizeof(e)) == -1) {
		wq_layout_free(&L);
		snprintf(err, errlen, "damaged layout: %s (correct it, or "
		    "remove it to have the layout found again)", e);
		return -1;
	}
	if (L.corrected == NULL) {
		wq_layout_free(&L);
		return 0;
	}
	for (i = 0; i < L.nr; i++)
		nl += L.r[i].nl;
	json_object_set_new(meta, "corrected", wq_json_text(L.corrected, 200));
	json_object_set_new(meta, "regions", json_integer((json_int_t)L.nr));
	json_object_set_new(meta, "lines", json_integer((json_int_t)nl));
	wq_layout_free(&L);
	return 1;
}

static void
count_json(const struct wq_layout *L, json_t *meta)
{
	json_t *types = json_object();
	size_t  i, j, nl = 0, ar = 0, la = 0, nt = 0;

	for (i = 0; i < L->nr; i++) {
		const struct wq_region *r = &L->r[i];
		const char *k = r->kind == WQ_R_TEXT ? r->type :
		    r->kind == WQ_R_IMAGE ? "image" : r->kind == WQ_R_SEPARATOR ?
		    "separator" : r->kind == WQ_R_NOISE ? "noise" :
		    r->kind == WQ_R_UNREAD ? "unread" : "graphic";
		json_t *v = json_object_get(types, k);

		json_object_set_new(types, k, json_integer(v ?
		    json_integer_value(v) + 1 : 1));
		nt += r->kind == WQ_R_TEXT;
		for (j = 0; r->kind == WQ_R_TEXT && j < r->nl; j++) {
			nl++;
			ar += r->l[j].script == WQ_SCRIPT_ARABIC;
			la += r->l[j].script == WQ_SCRIPT_LATIN;
		}
	}
	json_object_set_new(meta, "regions", types);
	json_object_set_new(meta, "text_regions", json_integer((json_int_t)nt));
	json_object_set_new(meta, "lines", json_integer((json_int_t)nl));
	json_object_set_new(meta, "lines_arabic", json_integer((json_int_t)ar));
	json_object_set_new(meta, "lines_latin", json_integer((json_int_t)la));
}

static int
layout_page(const struct wq_args *a, const struct wq_page *p, json_t *meta,
    char *err, size_t errlen)
{
	char            *in = wq_sidecar(a->work, a->image, p->doc, p->page, "tif");
	char            *out = wq_sidecar(a->work, "layout", p->doc, p->page, "xml");
	const char      *mode = wq_set_text(&a->profile, "layout");
	struct wq_layout L = { 0 };
	struct cands     c = { 0 }, parts = { 0 };
	enum wq_script   lead, def;
	double           prior;
	PIX             *pix = NULL, *bin = NULL;
	size_t           i;
	int              r = -1, hm, dpi, cuts = 0;

	if ((r = kept(out, meta, err, errlen)) != 0) {
		r = r == 1 ? 0 : -1;
		goto done;
	}
	r = -1;
	if ((pix = wq_pix_read(in, err, errlen)) == NULL)
		goto done;
	if ((bin = binary(pix)) == NULL) {
		snprintf(err, errlen, "cannot make a 1-bit page of %s", in);
		goto done;
	}
	dpi = pixGetXRes(pix) > 0 ? pixGetXRes(pix) : 300;
	if (strcmp(mode, "page") == 0)
		json_object_set_new(meta, "stamps",
		    json_integer(unstamp(bin, dpi, &L)));
	L.width = pixGetWidth(bin);
	L.height = pixGetHeight(bin);
	L.image = wq_xstrdup(in + strlen(a->work) + 1);
	def = osd_script(a, p);
	if (strcmp(mode, "page") != 0) {
		/* the image is one line or word: it is the line */
		struct wq_box whole = { 0, 0, L.width, L.height };
		struct cand  *l = cand_add(&c);

		if (ink_box(bin, &whole, &l->b) == -1)
			l->b = whole;
		l->block = 0;
	} else if (analyse(bin, dpi, &c, &L, meta, err, errlen) == -1)
		goto done;
	/* wide gaps cut lines; then each part's script */
	for (i = 0; i < c.n; i++)
		cuts += strcmp(mode, "page") == 0 ? split_line(bin, &c.v[i], &L,
		    &parts) : (*cand_add(&parts) = c.v[i], 0);
	free(c.v);
	c = parts;
	hm = median_height(&c, dpi / 10);
	absorb(&c, hm);
	inside_stamps(&c, &L);
	if (strcmp(mode, "page") == 0)
		coverage(bin, hm, &c, &L, meta);
	for (i = 0; i < c.n; i++)
		judge(bin, &c.v[i]);
	prior = page_prior(bin, def, meta);
	lead = page_script(&c, def != WQ_SCRIPT_NONE ? def : WQ_SCRIPT_LATIN);
	qsort(c.v, c.n, sizeof(*c.v), cmp_cand_y);
	/*
	 * a line of many components decides for itself; a short one (a
	 * heading, a page number) takes the script of the nearest long line
	 * beside it, then of its block
	 */
	for (i = 0; i < c.n; i++) {
		struct cand *l = &c.v[i];
		double       ar = 0, la = 0;
		size_t       k;

		if (l->p >= 0 && l->pieces >= SURE_PIECES) {
			l->script = logit(l->p) + prior > 0 ? WQ_SCRIPT_ARABIC :
			    WQ_SCRIPT_LATIN;
			continue;
		}
		if ((l->script = context(&c, l, hm, prior)) != WQ_SCRIPT_NONE)
			continue;
		for (k = 0; l->block >= 0 && k < c.n; k++)
			if (c.v[k].block == l->block && c.v[k].p >= 0 &&
			    fabs(c.v[k].p - 0.5) >= SURE_P)
				*(c.v[k].p > 0.5 ? &ar : &la) += box_w(&c.v[k].b);
		l->script = ar > la ? WQ_SCRIPT_ARABIC : la > ar ?
		    WQ_SCRIPT_LATIN : l->p >= 0 ? of_p(l->p) : lead;
	}
	regions(&c, &L);
	merge_regions(&L, hm);
	if (strcmp(mode, "page") == 0)
		roles(&L, hm);
	order_regions(&L, lead);
	count_json(&L, meta);
	json_object_set_new(meta, "lines_cut", json_integer(cuts));
	json_object_set_new(meta, "lead_script", json_string(lead ==
	    WQ_SCRIPT_ARABIC ? "Arabic" : "Latin"));
	json_object_set_new(meta, "script_method", json_string("pixels: "
	    "component and profile measures, logistic regression (script.c)"));
	json_object_set_new(meta, "median_line_height", json_integer(hm));
	json_object_set_new(meta, "mode", json_string(mode));
	r = wq_layout_write(out, &L, "warraq-layout " WQ_VERSION,
	    stamp(p->source), err, errlen);
done:
	wq_layout_free(&L);
	free(c.v);
	pixDestroy(&pix);
	pixDestroy(&bin);
	free(in);
	free(out);
	return r;
}

/* ---- the line tools: --script, --script-features ---- */

static int
line_tool(int argc, char **argv, int features)
{
	int i, status = 0, k;

	for (i = 2; i < argc; i++) {
		PIX   *pix = pixRead(argv[i]), *bin = pix ? binary(pix) : NULL;
		double f[SCRIPT_NFEAT];
		int    n;

		if (bin == NULL) {
			wq_warnx(argv[i], "cannot read the image");
			status = 1;
			pixDestroy(&pix);
			continue;
		}
		n = script_features(bin, f);
		if (features) {
			for (k = 0; k < SCRIPT_NFEAT; k++)
				printf("%.5f\t", f[k]);
			printf("%d\t%s\n", n, argv[i]);
		} else {
			double p = n >= SCRIPT_MIN_PIECES ? script_arabic(f) : -1;

			printf("%s\t%.3f\t%s\n", p < 0 ? "unknown" : p > 0.5 ?
			    "Arabic" : "Latin", p, argv[i]);
		}
		pixDestroy(&pix);
		pixDestroy(&bin);
	}
	return status;
}

int
main(int argc, char **argv)
{
	int r;

	setMsgSeverity(L_SEVERITY_NONE);
	if (argc > 1 && (strcmp(argv[1], "--script") == 0 ||
	    strcmp(argv[1], "--script-features") == 0)) {
		wq_setprogname(argv[0]);
		return line_tool(argc, argv, strcmp(argv[1],
		    "--script-features") == 0);
	}
	r = wq_stage_main("layout", argc, argv, layout_init, layout_page);
	wq_osd_done();
	if (api != NULL) {
		TessBaseAPIEnd(api);
		TessBaseAPIDelete(api);
	}
	return r;
}

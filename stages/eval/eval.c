/*
 * warraq-eval - character and word error rates against ground truth.
 *
 *   warraq-eval [options] WORK_DIR [DOC/PAGE ...]
 *   warraq-eval --text REFERENCE HYPOTHESIS
 *   warraq-eval --script ara|fra TEXT
 *   warraq-eval --lines GROUND_TRUTH LAYOUT [DEGREES]
 *
 * In a work directory: every page whose source had a NAME.gt.txt beside it
 * (recorded by ingest) is measured against its OCR text; per page and for
 * the batch (total distance over total length) into WORK/eval.json, and
 * as a table on stdout.  With --text: two files, one line
 * "CER WER CHAR_DISTANCE CHARS WORD_DISTANCE WORDS".  With --script: the
 * lines of TEXT in the wrong script for a page in that language (mostly
 * Latin letters on an Arabic page, mostly Arabic on a French one), one
 * line "WRONG LINES" (make eval's wrong-script count).  With --lines: of
 * the text lines of GROUND_TRUTH (ALTO or PAGE-XML), how many a line of
 * LAYOUT (ALTO or PAGE-XML) matches, their boxes overlapping at an
 * intersection over union of at least 0.5; one line "MATCHED LINES
 * FOUND" (make eval's lines-found figure).  DEGREES: the turn the deskew
 * stage gave the page, applied to the ground truth's boxes first.
 * Texts are compared as wq_cer() says: NFC, tatweel and bidi marks
 * removed, white space collapsed.  The quality report uses the same code.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "wq.h"

#define TEXT_MAX (64u << 20)

static int
eval_text(const char *refpath, const char *hyppath)
{
	char  *ref = wq_read_file(refpath, TEXT_MAX, NULL);
	char  *hyp = wq_read_file(hyppath, TEXT_MAX, NULL);
	size_t cd, cn, wd, wn;
	double cer, wer;

	if (ref == NULL || hyp == NULL) {
		wq_warn(ref == NULL ? refpath : hyppath, "cannot read");
		free(ref);
		free(hyp);
		return 1;
	}
	cer = wq_cer(ref, hyp, &cd, &cn);
	wer = wq_wer(ref, hyp, &wd, &wn);
	printf("%.4f %.4f %zu %zu %zu %zu\n", cer, wer, cd, cn, wd, wn);
	free(ref);
	free(hyp);
	return 0;
}

static int
eval_script(const char *lang, const char *path)
{
	enum wq_script want;
	char          *text;
	size_t         lines, wrong;

	if (strcmp(lang, "ara") == 0)
		want = WQ_SCRIPT_ARABIC;
	else if (strcmp(lang, "fra") == 0 || strcmp(lang, "eng") == 0)
		want = WQ_SCRIPT_LATIN;
	else {
		wq_warnx(lang, "unknown language (ara, fra or eng)");
		return 2;
	}
	if ((text = wq_read_file(path, TEXT_MAX, NULL)) == NULL) {
		wq_warn(path, "cannot read");
		return 1;
	}
	wrong = wq_wrong_script_lines(text, want, &lines);
	printf("%zu %zu\n", wrong, lines);
	free(text);
	return 0;
}

struct boxes {
	struct wq_box *v;
	size_t         n, cap;
	long           w, h;	/* of the page, when the file says */
};

static long
num(xmlNode *n, const char *name, int *ok)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	double   d = v != NULL ? strtod((char *)v, NULL) : -1;

	xmlFree(v);
	if (v == NULL || !(d >= 0 && d < 1e7))
		*ok = 0;
	return (long)(d + 0.5);
}

/* line_boxes: the box of every TextLine under n (ALTO or PAGE-XML). */
static void
line_boxes(xmlNode *n, struct boxes *b)
{
	for (; n != NULL; n = n->next) {
		struct wq_box x = { 1 << 30, 1 << 30, 0, 0 };
		xmlNode      *c;
		int           ok = 1;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, "Page") == 0) {
			int k = 1;

			b->w = num(n, "WIDTH", &k), b->h = num(n, "HEIGHT", &k);
			if (!k)
				k = 1, b->w = num(n, "imageWidth", &k),
				    b->h = num(n, "imageHeight", &k);
			if (!k)
				b->w = b->h = 0;
		}
		if (strcmp((const char *)n->name, "TextLine") != 0) {
			line_boxes(n->children, b);
			continue;
		}
		x.x0 = (int)num(n, "HPOS", &ok);
		x.y0 = (int)num(n, "VPOS", &ok);
		x.x1 = x.x0 + (int)num(n, "WIDTH", &ok);
		x.y1 = x.y0 + (int)num(n, "HEIGHT", &ok);
		for (c = n->children; !ok && c != NULL; c = c->next) {
			xmlChar *p;
			char    *s, *e;

			if (c->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)c->name, "Coords") != 0)
				continue;
			p = xmlGetProp(c, BAD_CAST "points");
			x.x0 = x.y0 = 1 << 30, x.x1 = x.y1 = 0;
			for (s = (char *)p; s != NULL && *s != '\0'; s = e) {
				long px = strtol(s, &e, 10), py;

				if (e == s || *e != ',')
					break;
				py = strtol(e + 1, &e, 10);
				if (px < x.x0) x.x0 = (int)px;
				if (py < x.y0) x.y0 = (int)py;
				if (px > x.x1) x.x1 = (int)px;
				if (py > x.y1) x.y1 = (int)py;
				ok = 1;
			}
			xmlFree(p);
		}
		if (!ok || x.x1 <= x.x0 || x.y1 <= x.y0)
			continue;
		if (b->n == b->cap) {
			b->cap = b->cap ? 2 * b->cap : 64;
			b->v = wq_xrealloc(b->v, b->cap * sizeof(*b->v));
		}
		b->v[b->n++] = x;
	}
}

static int
read_boxes(const char *path, struct boxes *b)
{
	xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);

	memset(b, 0, sizeof(*b));
	if (doc == NULL)
		return -1;
	line_boxes(xmlDocGetRootElement(doc), b);
	xmlFreeDoc(doc);
	return 0;
}

static double
iou(const struct wq_box *a, const struct wq_box *b)
{
	double ix = (a->x1 < b->x1 ? a->x1 : b->x1) - (a->x0 > b->x0 ? a->x0 : b->x0);
	double iy = (a->y1 < b->y1 ? a->y1 : b->y1) - (a->y0 > b->y0 ? a->y0 : b->y0);
	double i, u;

	if (ix <= 0 || iy <= 0)
		return 0;
	i = ix * iy;
	u = (double)(a->x1 - a->x0) * (a->y1 - a->y0) +
	    (double)(b->x1 - b->x0) * (b->y1 - b->y0) - i;
	return u > 0 ? i / u : 0;
}

/*
 * turn: the ground truth's boxes moved as the deskew stage turned its page
 * (deg clockwise about the centre, onto a canvas of the layout's size):
 * each box's centre moves, its size stays (the turns are small).
 */
static void
turn(struct boxes *gt, double deg, const struct boxes *hyp)
{
	double a = deg * 3.14159265358979 / 180, c = cos(a), s = sin(a);
	size_t i;

	if (gt->w <= 0 || hyp->w <= 0)
		return;
	for (i = 0; i < gt->n; i++) {
		struct wq_box *b = &gt->v[i];
		double dx = (b->x0 + b->x1) / 2.0 - gt->w / 2.0;
		double dy = (b->y0 + b->y1) / 2.0 - gt->h / 2.0;
		double nx = dx * c - dy * s + hyp->w / 2.0;
		double ny = dx * s + dy * c + hyp->h / 2.0;
		int    hw = (b->x1 - b->x0) / 2, hh = (b->y1 - b->y0) / 2;

		b->x0 = (int)nx - hw, b->x1 = (int)nx + hw;
		b->y0 = (int)ny - hh, b->y1 = (int)ny + hh;
	}
}

static int
eval_lines(const char *gtpath, const char *hyppath, const char *deg)
{
	struct boxes gt, hyp;
	size_t       i, j, matched = 0;

	if (read_boxes(gtpath, &gt) == -1 || read_boxes(hyppath, &hyp) == -1) {
		wq_warnx(gt.v == NULL && gt.n == 0 ? gtpath : hyppath,
		    "cannot read as XML");
		free(gt.v);
		return 1;
	}
	if (deg != NULL)
		turn(&gt, strtod(deg, NULL), &hyp);
	for (i = 0; i < gt.n; i++)
		for (j = 0; j < hyp.n; j++)
			if (iou(&gt.v[i], &hyp.v[j]) >= 0.5) {
				matched++;
				break;
			}
	printf("%zu %zu %zu\n", matched, gt.n, hyp.n);
	free(gt.v);
	free(hyp.v);
	return 0;
}

/* selected: with no pages named, every page; else the named ones. */
static int
selected(const struct wq_args *a, const struct wq_page *p)
{
	char id[WQ_DOCID_MAX + 16];
	int  k;

	if (a->npos == 1)
		return 1;
	snprintf(id, sizeof(id), "%s/%s", p->doc, p->page);
	for (k = 1; k < a->npos; k++)
		if (strcmp(a->pos[k], id) == 0 || strcmp(a->pos[k], p->doc) == 0)
			return 1;
	return 0;
}

static int
eval_work(const struct wq_args *a)
{
	const char     *work = a->pos[0];
	struct wq_pages pp = { 0 };
	json_t         *pages = json_array(), *out = json_object();
	size_t          i, tcd = 0, tcn = 0, twd = 0, twn = 0, n = 0;
	char           *path;
	int             status = 0;

	if (wq_pages_load(work, &pp) == -1) {
		wq_warn(work, "cannot read pages.tsv");
		return 1;
	}
	printf("%-32s %8s %8s %8s\n", "page", "CER", "WER", "chars");
	for (i = 0; i < pp.n; i++) {
		const struct wq_page *p = &pp.v[i];
		struct wq_eval e;
		char  *bad;
		int    pad;

		if (strcmp(p->status, "ok") != 0 || !selected(a, p))
			continue;
		switch (wq_eval_page(work, p, &e, &bad)) {
		case 0:
			continue;
		case -1:
			wq_warnx(bad, "cannot read; page not measured");
			free(bad);
			status = 1;
			continue;
		}
		tcd += e.char_distance, tcn += e.chars;
		twd += e.word_distance, twn += e.words, n++;
		pad = 27 - (int)strlen(p->doc);
		printf("%s/%s%*s %8.4f %8.4f %8zu\n", p->doc, p->page,
		    pad > 0 ? pad : 0, "", e.cer, e.wer, e.chars);
		json_array_append_new(pages, json_pack("{s:s, s:s, s:f, s:f, "
		    "s:I, s:I, s:I, s:I}", "doc", p->doc, "page", p->page,
		    "cer", e.cer, "wer", e.wer,
		    "char_distance", (json_int_t)e.char_distance,
		    "chars", (json_int_t)e.chars,
		    "word_distance", (json_int_t)e.word_distance,
		    "words", (json_int_t)e.words));
	}
	printf("%-32s %8.4f %8.4f %8zu   (%zu pages)\n", "batch",
	    tcn ? (double)tcd / tcn : 0.0, twn ? (double)twd / twn : 0.0, tcn, n);
	json_object_set_new(out, "pages", pages);
	json_object_set_new(out, "batch", json_pack("{s:I, s:f, s:f, s:I, s:I}",
	    "pages", (json_int_t)n, "cer", tcn ? (double)tcd / tcn : 0.0,
	    "wer", twn ? (double)twd / twn : 0.0, "chars", (json_int_t)tcn,
	    "words", (json_int_t)twn));
	path = wq_xasprintf("%s/eval.json", work);
	if (wq_json_write(path, out) == -1) {
		wq_warn(path, "cannot write");
		status = 1;
	}
	free(path);
	json_decref(out);
	wq_pages_free(&pp);
	return status;
}

int
main(int argc, char **argv)
{
	struct wq_args a;
	int            r;

	if (argc == 4 && strcmp(argv[1], "--text") == 0) {
		wq_setprogname(argv[0]);
		return eval_text(argv[2], argv[3]);
	}
	if (argc == 4 && strcmp(argv[1], "--script") == 0) {
		wq_setprogname(argv[0]);
		return eval_script(argv[2], argv[3]);
	}
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "--lines") == 0) {
		wq_setprogname(argv[0]);
		return eval_lines(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	}
	wq_args_parse(&a, argc, argv, "eval", 1);
	r = eval_work(&a);
	wq_args_free(&a);
	return r;
}

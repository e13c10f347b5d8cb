/*
 * html.c - the report as a person reads it, in a browser, offline, and as
 * a spreadsheet reads it.
 *
 *   html_page_images()  the page image and thumbnail (JPEG, scaled down)
 *   html_page_view()    pages/DOC/PAGE.html: the page with every word
 *                       boxed in its confidence's colour, the text, the
 *                       figures
 *   html_index()        index.html: batch summary and the page table
 *   html_assets()       report.js (sorting, filtering) and report.css
 *   csv_pages()         pages.csv: one row a page (and a quarantined file)
 *
 * Every page's figures come from one column table, cols[], so that the
 * index, the page view and the CSV say the same things in the same way.
 * Everything that comes from files (names, TIFF tags, OCR text) passes
 * through esc(): made valid UTF-8 without control characters, bounded,
 * and escaped for HTML; the markup is written to be well-formed XML too
 * (void elements closed, only XML's five entities), so xmllint checks it.
 * Links are built only from DOC and PAGE ids, which ids.c keeps to
 * [A-Za-z0-9._-]; a row whose ids are not so gets no links or files.
 * Scripts and styles are files beside index.html, not inline: no markup
 * has to be escaped inside a script, and the pages need no network.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"

#define TEXT_MAX	(1u << 20)	/* bytes of one untrusted string shown */
#define JPEG_QUALITY	80

enum ckind { K_TEXT, K_NUM, K_PCT, K_FLAGS, K_BOX, K_LANGS, K_TIME };

struct col {
	const char *name;	/* CSV header, th text */
	const char *path;	/* "key" or "object.key" in the page record */
	enum ckind  kind;
	const char *fmt;	/* display of a number */
	const char *help;	/* th title */
};

static const struct col cols[] = {
	{ "source", "source", K_TEXT, NULL, "source file" },
	{ "status", "status", K_TEXT, NULL,
	    "done, failed, pending (not through every stage yet), duplicate" },
	{ "flags", "flags", K_FLAGS, NULL, "why a person should look" },
	{ "orientation", "orientation_deg", K_NUM, "%.0f\xc2\xb0",
	    "how far the page was turned, clockwise" },
	{ "skew", "skew_deg", K_NUM, "%.2f\xc2\xb0", "skew corrected" },
	{ "content box", "content_box", K_BOX, NULL,
	    "w\xc3\x97h+x+y of the content on the cleaned page" },
	{ "script", "script", K_TEXT, NULL, "script of most lines" },
	{ "languages", "languages", K_LANGS, NULL, "lines per language" },
	{ "confidence", "mean_confidence", K_NUM, "%.1f",
	    "mean word confidence (0-100)" },
	{ "low-conf. words", "low_confidence_share", K_PCT, NULL,
	    "share of words under 60% confidence" },
	{ "in dictionary", "quality.dictionary_share", K_PCT, NULL,
	    "share of words found in the Arabic or French word list" },
	{ "other script", "quality.other_script_share", K_PCT, NULL,
	    "share of words with letters of another script than their line's" },
	{ "stray symbols", "quality.stray_symbol_share", K_PCT, NULL,
	    "share of characters that are rare symbols" },
	{ "sharpness", "quality.sharpness", K_NUM, "%.0f",
	    "variance of the Laplacian of the scan; low is blurred" },
	{ "clipped black", "quality.clipped_black", K_PCT, NULL,
	    "share of the scan at pure black" },
	{ "clipped white", "quality.clipped_white", K_PCT, NULL,
	    "share of the scan at pure white" },
	{ "border left", "quality.border_left", K_PCT, NULL,
	    "share of dark pixels along the edges of the cleaned page" },
	{ "characters", "characters", K_NUM, "%.0f", "characters read" },
	{ "CER", "ground_truth.cer", K_PCT, NULL,
	    "character error rate against the .gt.txt (as warraq-eval)" },
	{ "WER", "ground_truth.wer", K_PCT, NULL,
	    "word error rate against the .gt.txt" },
	{ "seconds", "seconds", K_TIME, "%.1f", "time spent, all stages" },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const struct {
	const char *name, *help;
} flagdefs[] = {
	{ "failed", "a stage failed on the page" },
	{ "quarantined", "the source file could not be read and was set aside" },
	{ "duplicate", "same content as a page already in the batch" },
	{ "blank", "no content found" },
	{ "no_text", "content, but OCR found no words" },
	{ "low_confidence", "mean word confidence under report_min_confidence" },
	{ "low_confidence_words", "more words under 60% confidence than "
	    "report_max_low_words" },
	{ "skew", "skew corrected beyond report_max_skew degrees" },
	{ "orientation", "the page was turned upright" },
	{ "script", "mostly in another script than the batch's usual one" },
	{ "unread", "ink of letter size that no line holds, or a line that "
	    "read as nothing: text may be missing" },
};
#define NFLAGS (sizeof(flagdefs) / sizeof(flagdefs[0]))

/* esc: untrusted text as HTML text or attribute value. */
static void
esc(FILE *f, const char *s)
{
	json_t     *j = wq_json_text(s ? s : "", TEXT_MAX);
	const char *p = json_string_value(j);

	for (; *p != '\0'; p++) {
		switch (*p) {
		case '&':  fputs("&amp;", f); break;
		case '<':  fputs("&lt;", f); break;
		case '>':  fputs("&gt;", f); break;
		case '"':  fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\n': case '\t': fputc(' ', f); break;
		default:   fputc(*p, f);
		}
	}
	json_decref(j);
}

/* get: the value at "key" or "object.key", or NULL. */
static json_t *
get(json_t *o, const char *path)
{
	const char *dot = strchr(path, '.');
	char        key[64];

	if (dot == NULL)
		return json_object_get(o, path);
	snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
	return json_object_get(json_object_get(o, key), dot + 1);
}

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ids_ok: the row's ids are safe in a path and a URL. */
static int
ids_ok(json_t *pg)
{
	const char *d = str(pg, "doc"), *p = str(pg, "page");

	return d != NULL && p != NULL && wq_docid_valid(d) && wq_pageid_valid(p);
}

/*
 * How a figure is written: for a person (HTML, units), as the value the
 * table sorts by (HTML, plain numbers), or for a CSV field (plain text,
 * quoted later by csv_text).
 */
enum mode { SHOW, SORT, CSV };

static void
text(FILE *f, const char *s, enum mode m)
{
	if (m == CSV)
		fputs(s ? s : "", f);
	else
		esc(f, s);
}

/* cell: one figure of a page. */
static void
cell(FILE *f, json_t *pg, const struct col *c, enum mode m)
{
	json_t     *v = get(pg, c->path), *e;
	const char *k;
	size_t      i;
	double      d = json_number_value(v);
	int         raw = m != SHOW;

	switch (c->kind) {
	case K_TEXT:
		text(f, json_string_value(v), m);
		break;
	case K_NUM:
	case K_TIME:
		if (!json_is_number(v))
			break;
		if (raw)
			fprintf(f, "%.6g", d);
		else
			fprintf(f, c->fmt, d);
		break;
	case K_PCT:
		if (!json_is_number(v))
			break;
		if (raw)
			fprintf(f, "%.6g", d);
		else
			fprintf(f, d < 0.1 && d > 0 ? "%.2f%%" : "%.1f%%", 100 * d);
		break;
	case K_FLAGS:
		json_array_foreach(v, i, e) {
			fputs(i ? " " : "", f);
			text(f, str(e, "flag"), m);
		}
		break;
	case K_BOX:
		if (json_is_object(v))
			fprintf(f, "%lld\xc3\x97%lld+%lld+%lld",
			    (long long)json_integer_value(json_object_get(v, "w")),
			    (long long)json_integer_value(json_object_get(v, "h")),
			    (long long)json_integer_value(json_object_get(v, "x")),
			    (long long)json_integer_value(json_object_get(v, "y")));
		break;
	case K_LANGS:
		i = 0;
		json_object_foreach(v, k, e) {
			fputs(i++ ? " " : "", f);
			text(f, k, m);
			fprintf(f, ":%lld", (long long)json_integer_value(e));
		}
		break;
	}
}

/* sortval: what the table sorts a cell by (data-v). */
static void
sortval(FILE *f, json_t *pg, const struct col *c)
{
	json_t *v = get(pg, c->path);

	if (c->kind == K_BOX && json_is_object(v))
		fprintf(f, "%lld", (long long)(json_integer_value(json_object_get(v,
		    "w")) * json_integer_value(json_object_get(v, "h"))));
	else if (c->kind == K_FLAGS)
		fprintf(f, "%zu", json_array_size(v));
	else if (c->kind != K_LANGS)
		cell(f, pg, c, SORT);
}

/* put: a finished memstream to its file, atomically. */
static int
put(const char *path, FILE *f, char **buf, size_t *len)
{
	int r;

	if (fclose(f) != 0) {
		free(*buf);
		wq_warnx(path, "out of memory");
		return -1;
	}
	r = wq_mkparent(path) == -1 ? -1 : wq_write_atomic(path, *buf, *len);
	if (r == -1)
		wq_warn(path, "cannot write");
	free(*buf);
	return r;
}

/* fresh: target exists and is not older than source. */
static int
fresh(const char *target, const char *source)
{
	struct stat t, s;

	return stat(target, &t) == 0 && stat(source, &s) == 0 &&
	    (t.st_mtim.tv_sec > s.st_mtim.tv_sec ||
	    (t.st_mtim.tv_sec == s.st_mtim.tv_sec &&
	    t.st_mtim.tv_nsec >= s.st_mtim.tv_nsec));
}

/* jpeg: pix scaled to width px (never up), as a JPEG file. */
static int
jpeg(const char *path, PIX *pix, int px)
{
	PIX     *s;
	l_uint8 *data = NULL;
	size_t   size = 0;
	float    k = (float)px / pixGetWidth(pix);
	int      r = -1;

	s = k < 1 ? pixScale(pix, k, k) : pixClone(pix);
	if (s != NULL && pixSetResolution(s, 0, 0) == 0 &&
	    pixWriteMemJpeg(&data, &size, s, JPEG_QUALITY, 0) == 0)
		r = wq_mkparent(path) == -1 ? -1 :
		    wq_write_atomic(path, data, size);
	if (r == -1)
		wq_warn(path, "cannot write");
	free(data);
	pixDestroy(&s);
	return r;
}

/*
 * html_page_images: report/img/DOC/PAGE.jpg and thumbs/DOC/PAGE.jpg from
 * the most finished page image there is (cleaned gray, deskewed,
 * ingested), unless they are newer than it already (and not o->force).
 * *w and *h get the size of that image: OCR's word boxes are in its
 * pixels.  Records the files in the page's "files".
 */
int
html_page_images(const char *work, const char *dir, json_t *pg,
    const struct hopts *o, int *w, int *h)
{
	static const char *from[][2] = { { "clean", "gray.tif" },
	    { "deskew", "tif" }, { "ingest", "tif" } };
	const char *doc = str(pg, "doc"), *page = str(pg, "page");
	json_t     *files = json_object();
	char       *src = NULL, *img, *thumb;
	size_t      i;
	int         r = 0, fmt, bps, spp, cmap;
	char        e[256];
	PIX        *pix, *g;

	*w = *h = 0;
	json_object_set_new(pg, "files", files);
	if (!ids_ok(pg))
		return 0;
	json_object_set_new(files, "view",
	    json_sprintf("pages/%s/%s.html", doc, page));
	for (i = 0; i < 3; i++) {
		src = wq_sidecar(work, from[i][0], doc, page, from[i][1]);
		if (wq_exists(src) && pixReadHeader(src, &fmt, w, h, &bps, &spp,
		    &cmap) == 0)
			break;
		free(src);
		src = NULL;
	}
	if (src == NULL)
		return 0;
	img = wq_xasprintf("%s/img/%s/%s.jpg", dir, doc, page);
	thumb = wq_xasprintf("%s/thumbs/%s/%s.jpg", dir, doc, page);
	if (o->force || !fresh(img, src) || !fresh(thumb, src)) {
		pix = wq_pix_read(src, e, sizeof(e));
		/* 1 bpp and palettes would scale badly; JPEG wants 8 or 32 */
		g = pix == NULL ? NULL : pixGetDepth(pix) == 32 ?
		    pixClone(pix) : pixConvertTo8(pix, 0);
		errno = 0;
		if (g == NULL || jpeg(img, g, o->page_px) == -1 ||
		    jpeg(thumb, g, o->thumb_px) == -1) {
			/* every later page would fail alike: stop */
			if (wq_full(errno))
				wq_full_exit(work);
			wq_warnx(src, "cannot make the report's page images");
			r = -1;
		}
		pixDestroy(&g);
		pixDestroy(&pix);
	}
	if (r == 0) {
		json_object_set_new(files, "image",
		    json_sprintf("img/%s/%s.jpg", doc, page));
		json_object_set_new(files, "thumbnail",
		    json_sprintf("thumbs/%s/%s.jpg", doc, page));
		json_object_set_new(files, "image_from",
		    json_string(from[i][0]));
	}
	free(img);
	free(thumb);
	free(src);
	return r;
}

static void
head(FILE *f, const char *up, const char *title1, const char *title2)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width\"/>\n<title>", f);
	esc(f, title1);
	esc(f, title2);
	fprintf(f, " \xe2\x80\x94 warraq quality report</title>\n"
	    "<link rel=\"stylesheet\" href=\"%sreport.css\"/>\n</head>\n", up);
}

static void
flag_list(FILE *f, json_t *flags)
{
	json_t *e;
	size_t  i;

	if (json_array_size(flags) == 0)
		return;
	fputs("<ul class=\"flags\">\n", f);
	json_array_foreach(flags, i, e) {
		fputs("<li><b class=\"flag\">", f);
		esc(f, str(e, "flag"));
		fputs("</b> ", f);
		esc(f, str(e, "why"));
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

/* conf_class: the colour band of a word's confidence (report.css). */
static int
conf_class(double c)
{
	return c < 0 ? 0 : c < 60 ? 1 : c < 80 ? 2 : c < 90 ? 3 : 4;
}

/* scan_svg: the page image with a box per word, in the word's colour. */
static void
scan_svg(FILE *f, json_t *pg, const struct wq_alto *t, int w, int h)
{
	const char *img = str(json_object_get(pg, "files"), "image");
	size_t      i, j;

	if (t->width > 0 && t->height > 0)
		w = t->width, h = t->height;
	if (w <= 0 || h <= 0) {
		fputs("<p class=\"noimage\">No page image yet.</p>\n", f);
		return;
	}
	fprintf(f, "<svg class=\"scan\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"page image with %zu word boxes\">\n", w, h, t->nwords);
	if (img != NULL)
		fprintf(f, "<image href=\"../../%s\" x=\"0\" y=\"0\" width=\"%d\" "
		    "height=\"%d\" preserveAspectRatio=\"none\"/>\n", img, w, h);
	fputs("<g class=\"words\">\n", f);
	for (i = 0; i < t->nl; i++)
		for (j = 0; j < t->l[i].nw; j++) {
			const struct wq_word *wd = &t->l[i].w[j];

			fprintf(f, "<rect class=\"word c%d\" x=\"%d\" y=\"%d\" "
			    "width=\"%d\" height=\"%d\"><title>",
			    conf_class(wd->conf), wd->x, wd->y, wd->w, wd->h);
			esc(f, wd->text);
			if (wd->conf >= 0)
				fprintf(f, " (%.0f%%)", wd->conf);
			fputs("</title></rect>\n", f);
		}
	fputs("</g>\n</svg>\n", f);
}

/* text_block: the lines, Arabic right to left, unsure words marked. */
static void
text_block(FILE *f, const struct wq_alto *t)
{
	size_t i, j;

	fputs("<div class=\"text\">\n", f);
	if (t->nwords == 0)
		fputs("<p class=\"none\">No text.</p>\n", f);
	for (i = 0; i < t->nl; i++) {
		const struct wq_line *l = &t->l[i];

		if (l->nw == 0)
			continue;
		fprintf(f, "<p dir=\"%s\"", l->rtl ? "rtl" : "ltr");
		if (l->lang != NULL) {
			fputs(" lang=\"", f);
			esc(f, l->lang);
			fputs("\"", f);
		}
		fputs(">", f);
		for (j = 0; j < l->nw; j++) {
			const struct wq_word *wd = &l->w[j];

			fputs(j ? " " : "", f);
			if (wd->conf >= 0 && wd->conf < 60) {
				fprintf(f, "<mark title=\"%.0f%%\">", wd->conf);
				esc(f, wd->text);
				fputs("</mark>", f);
			} else
				esc(f, wd->text);
		}
		fputs("</p>\n", f);
	}
	fputs("</div>\n", f);
}

static void
legend(FILE *f)
{
	fputs("<p class=\"legend\">word confidence: "
	    "<span class=\"c4\">90\xe2\x80\x93" "100</span> "
	    "<span class=\"c3\">80\xe2\x80\x93" "90</span> "
	    "<span class=\"c2\">60\xe2\x80\x93" "80</span> "
	    "<span class=\"c1\">under 60</span></p>\n", f);
}

/*
 * stage_times: "ingest 0.3 s, deskew 2.0 s, ..." with failure reasons,
 * or compact, for a table cell: "0.3 / 2.0 / ..." with "-" for a stage
 * not done.
 */
static void
stage_times(FILE *f, json_t *pg, int compact)
{
	json_t     *st = json_object_get(pg, "stages"), *v;
	const char *k;
	size_t      i = 0;

	json_object_foreach(st, k, v) {
		json_t *sec = json_object_get(v, "seconds");

		fputs(i++ ? (compact ? " / " : ", ") : "", f);
		if (compact) {
			if (json_is_number(sec))
				fprintf(f, "%.1f", json_number_value(sec));
			else
				fputs("-", f);
			continue;
		}
		esc(f, k);
		if (json_is_number(sec))
			fprintf(f, " %.1f s", json_number_value(sec));
		else {
			fputs(" ", f);
			esc(f, str(v, "state"));
			if (str(v, "reason") != NULL) {
				fputs(" (", f);
				esc(f, str(v, "reason"));
				fputs(")", f);
			}
		}
	}
}

/* page_link: a link to another page's view, if its id is safe. */
static void
page_link(FILE *f, const char *id, const char *label)
{
	char *d, *slash;

	if (id == NULL)
		return;
	d = wq_xstrdup(id);
	if ((slash = strchr(d, '/')) != NULL)
		*slash++ = '\0';
	if (slash != NULL && wq_docid_valid(d) && wq_pageid_valid(slash))
		fprintf(f, " <a href=\"../../pages/%s/%s.html\">%s</a>", d, slash,
		    label ? label : id);
	free(d);
}

/*
 * html_page_view: report/pages/DOC/PAGE.html.  prev and next (may be
 * NULL) are the neighbouring pages' DOC/PAGE, for going through a batch
 * page by page.
 */
int
html_page_view(const char *dir, json_t *pg, const struct wq_alto *t, int w,
    int h, const char *prev, const char *next)
{
	char   *buf = NULL, *path, id[WQ_DOCID_MAX + 32];
	size_t  len = 0, i;
	FILE   *f;
	int     r;

	if (!ids_ok(pg))
		return 0;
	snprintf(id, sizeof(id), "%s/%s", str(pg, "doc"), str(pg, "page"));
	f = open_memstream(&buf, &len);
	if (f == NULL)
		abort();
	head(f, "../../", id, "");
	fputs("<body class=\"pageview\">\n<nav>", f);
	page_link(f, prev, "\xe2\x86\x90 previous");
	fputs(" <a href=\"../../index.html\">all pages</a>", f);
	page_link(f, next, "next \xe2\x86\x92");
	fputs("</nav>\n<h1>", f);
	esc(f, id);
	fputs(" <span class=\"status\">", f);
	esc(f, str(pg, "status"));
	fputs("</span></h1>\n", f);
	fputs("<p class=\"source\">source: <bdi>", f);
	esc(f, str(pg, "source"));
	fprintf(f, "</bdi>, image %lld</p>\n",
	    (long long)json_integer_value(json_object_get(pg, "source_index")) + 1);
	flag_list(f, json_object_get(pg, "flags"));
	if (str(pg, "duplicate_of") != NULL) {
		fputs("<p>Not processed: see", f);
		page_link(f, str(pg, "duplicate_of"), NULL);
		fputs(".</p>\n", f);
	}
	fputs("<div class=\"view\">\n<figure>\n", f);
	scan_svg(f, pg, t, w, h);
	fputs("<figcaption>", f);
	legend(f);
	fputs("</figcaption>\n</figure>\n", f);
	text_block(f, t);
	fputs("</div>\n<table class=\"figures\">\n", f);
	for (i = 0; i < NCOLS; i++) {
		fputs("<tr><th title=\"", f);
		esc(f, cols[i].help);
		fprintf(f, "\">%s</th><td>", cols[i].name);
		cell(f, pg, &cols[i], SHOW);
		fputs("</td></tr>\n", f);
	}
	fputs("<tr><th>stages</th><td>", f);
	stage_times(f, pg, 0);
	fputs("</td></tr>\n</table>\n</body>\n</html>\n", f);
	path = wq_xasprintf("%s/pages/%s.html", dir, id);
	r = put(path, f, &buf, &len);
	free(path);
	return r;
}

static void
summary_item(FILE *f, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
summary_item(FILE *f, const char *label, const char *fmt, ...)
{
	va_list ap;

	fprintf(f, "<div><dt>%s</dt><dd>", label);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputs("</dd></div>\n", f);
}

/* summary: the batch at a glance. */
static void
summary(FILE *f, json_t *b)
{
	json_t     *gt = json_object_get(b, "ground_truth"), *v;
	const char *k;
	size_t      i;

#define N(key) ((long long)json_integer_value(json_object_get(b, key)))
	fputs("<dl class=\"summary\">\n", f);
	summary_item(f, "pages", "%lld", N("pages"));
	summary_item(f, "done", "%lld", N("done"));
	summary_item(f, "failed", "%lld", N("failed"));
	summary_item(f, "pending", "%lld", N("pending"));
	summary_item(f, "duplicates", "%lld", N("duplicates"));
	summary_item(f, "quarantined files", "%lld", N("quarantined"));
	summary_item(f, "pages flagged", "%lld", N("flagged"));
	if (json_is_number(json_object_get(b, "mean_confidence")))
		summary_item(f, "mean confidence", "%.1f (%.1f%% of %lld words "
		    "under 60)", json_number_value(json_object_get(b,
		    "mean_confidence")), 100 * json_number_value(json_object_get(b,
		    "low_confidence_share")), N("words"));
	fputs("<div><dt>languages (lines)</dt><dd>", f);
	i = 0;
	json_object_foreach(json_object_get(b, "languages"), k, v) {
		fputs(i++ ? ", " : "", f);
		esc(f, k);
		fprintf(f, " %lld", (long long)json_integer_value(v));
	}
	fputs(i ? "" : "none", f);
	fputs("</dd></div>\n<div><dt>usual script</dt><dd>", f);
	esc(f, str(b, "usual_script") ? str(b, "usual_script") : "none (mixed)");
	fputs("</dd></div>\n", f);
	if (json_is_object(gt))
		summary_item(f, "CER / WER", "%.2f%% / %.2f%% (%lld pages with "
		    "ground truth)", 100 * json_number_value(json_object_get(gt,
		    "cer")), 100 * json_number_value(json_object_get(gt, "wer")),
		    (long long)json_integer_value(json_object_get(gt, "pages")));
	else
		summary_item(f, "CER / WER", "no ground truth");
	fputs("</dl>\n", f);
#undef N
	json_array_foreach(json_object_get(b, "notes"), i, v) {
		fputs("<p class=\"note\">", f);
		esc(f, json_string_value(v));
		fputs("</p>\n", f);
	}
}

/* controls: the flagged-only switch and the flag chooser. */
static void
controls(FILE *f, json_t *b)
{
	json_t *counts = json_object_get(b, "flags");
	size_t  i;

	fputs("<div class=\"controls\">\n<label><input type=\"checkbox\" "
	    "id=\"flagged-only\"/> flagged only</label>\n<select id=\"flag-filter\" "
	    "aria-label=\"flag\">\n<option value=\"\">any flag</option>\n", f);
	for (i = 0; i < NFLAGS; i++)
		fprintf(f, "<option value=\"%s\">%s (%lld)</option>\n",
		    flagdefs[i].name, flagdefs[i].name, (long long)
		    json_integer_value(json_object_get(counts, flagdefs[i].name)));
	fputs("</select>\n<span class=\"shown\"><span id=\"shown\"></span> "
	    "rows shown</span>\n</div>\n", f);
}

/* row: one page of the table. */
static void
row(FILE *f, json_t *pg, size_t n)
{
	json_t     *files = json_object_get(pg, "files"), *e;
	const char *view = str(files, "view"), *thumb = str(files, "thumbnail");
	size_t      i, j, nf = json_array_size(json_object_get(pg, "flags"));

	fprintf(f, "<tr data-n=\"%zu\" class=\"%s\" data-flags=\"", n,
	    nf ? "flagged" : "");
	json_array_foreach(json_object_get(pg, "flags"), i, e) {
		fputs(i ? " " : "", f);
		esc(f, str(e, "flag"));
	}
	fputs("\">\n<td class=\"thumb\">", f);
	if (thumb != NULL)
		fprintf(f, "<a href=\"%s\"><img src=\"%s\" alt=\"\" "
		    "loading=\"lazy\"/></a>", view, thumb);
	fputs("</td><td class=\"id\" data-v=\"", f);
	if (str(pg, "doc") != NULL) {
		esc(f, str(pg, "doc"));
		fputs("/", f);
		esc(f, str(pg, "page"));
		fputs("\">", f);
		if (view != NULL)
			fprintf(f, "<a href=\"%s\">", view);
		esc(f, str(pg, "doc"));
		fputs("/", f);
		esc(f, str(pg, "page"));
		fputs(view != NULL ? "</a>" : "", f);
	} else {	/* a quarantined file: no page */
		esc(f, str(pg, "id"));
		fputs("\">", f);
		esc(f, str(pg, "id"));
	}
	fputs("</td>", f);
	for (i = 0; i < NCOLS; i++) {
		fprintf(f, "<td class=\"k%d\" data-v=\"", cols[i].kind);
		sortval(f, pg, &cols[i]);
		fputs("\"", f);
		if (cols[i].kind == K_FLAGS) {
			fputs(" title=\"", f);
			json_array_foreach(json_object_get(pg, "flags"), j, e) {
				esc(f, str(e, "why"));
				fputs(". ", f);
			}
			fputs("\"", f);
		} else if (cols[i].kind == K_TIME) {
			fputs(" title=\"", f);
			stage_times(f, pg, 0);
			fputs("\"", f);
		}
		fputs(">", f);
		cell(f, pg, &cols[i], SHOW);
		if (cols[i].kind == K_TIME) {
			fputs("<small>", f);
			stage_times(f, pg, 1);
			fputs("</small>", f);
		}
		fputs("</td>", f);
	}
	fputs("\n</tr>\n", f);
}

/* html_index: report/index.html. */
int
html_index(const char *dir, json_t *report)
{
	json_t *b = json_object_get(report, "batch"), *pg;
	char   *buf = NULL, *path;
	size_t  len = 0, i, n = 0;
	FILE   *f = open_memstream(&buf, &len);
	int     r;

	if (f == NULL)
		abort();
	head(f, "", "", "batch");
	fputs("<body class=\"index\">\n<h1>Quality report</h1>\n", f);
	fprintf(f, "<p class=\"generated\">generated %s by warraq %s</p>\n",
	    str(b, "generated"), str(b, "warraq_version"));
	summary(f, b);
	fputs("<details class=\"flagdefs\"><summary>What the flags mean"
	    "</summary>\n<dl>\n", f);
	for (i = 0; i < NFLAGS; i++)
		fprintf(f, "<dt>%s</dt><dd>%s</dd>\n", flagdefs[i].name,
		    flagdefs[i].help);
	fputs("</dl>\n</details>\n", f);
	controls(f, b);
	fputs("<table id=\"pages\">\n<thead>\n<tr><th class=\"nosort\">"
	    "</th><th title=\"document/page\">page</th>", f);
	for (i = 0; i < NCOLS; i++) {
		fputs("<th title=\"", f);
		esc(f, cols[i].help);
		fprintf(f, "\">%s</th>", cols[i].name);
	}
	fputs("</tr>\n</thead>\n<tbody>\n", f);
	json_array_foreach(json_object_get(report, "pages"), i, pg)
		row(f, pg, n++);
	json_array_foreach(json_object_get(report, "quarantined"), i, pg)
		row(f, pg, n++);
	fputs("</tbody>\n</table>\n<p class=\"files\">Also: <a href=\"report.json\">"
	    "report.json</a>, <a href=\"pages.csv\">pages.csv</a>.</p>\n"
	    "<script src=\"report.js\"></script>\n</body>\n</html>\n", f);
	path = wq_xasprintf("%s/index.html", dir);
	r = put(path, f, &buf, &len);
	free(path);
	return r;
}

/* html_assets: report.js and report.css beside index.html. */
int
html_assets(const char *dir)
{
	char *js = wq_xasprintf("%s/report.js", dir);
	char *css = wq_xasprintf("%s/report.css", dir);
	int   r = 0;

	if (wq_write_atomic(js, report_js, strlen(report_js)) == -1 ||
	    wq_write_atomic(css, report_css, strlen(report_css)) == -1) {
		wq_warn(dir, "cannot write report.js or report.css");
		r = -1;
	}
	free(js);
	free(css);
	return r;
}

/*
 * csv_text: a quoted CSV field.  A leading = + - @ (or tab, CR) would
 * make a spreadsheet run the field as a formula; a quote first defuses it
 * (OWASP's advice).  Line breaks become spaces: one line a row.
 */
static void
csv_text(FILE *f, const char *s)
{
	json_t     *j = wq_json_text(s ? s : "", TEXT_MAX);
	const char *p = json_string_value(j);

	fputc('"', f);
	if (strchr("=+-@\t\r", p[0]) != NULL && p[0] != '\0')
		fputc('\'', f);
	for (; *p != '\0'; p++)
		if (*p == '"')
			fputs("\"\"", f);
		else if (*p == '\n' || *p == '\r')
			fputc(' ', f);
		else
			fputc(*p, f);
	fputc('"', f);
	json_decref(j);
}

static void
csv_row(FILE *f, json_t *pg)
{
	char  *b = NULL;
	size_t n = 0, i;
	FILE  *m;

	csv_text(f, str(pg, "doc"));
	fputc(',', f);
	csv_text(f, str(pg, "page"));
	for (i = 0; i < NCOLS; i++) {
		fputc(',', f);
		if ((m = open_memstream(&b, &n)) == NULL)
			abort();
		cell(m, pg, &cols[i], CSV);
		fclose(m);
		if (cols[i].kind == K_NUM || cols[i].kind == K_PCT ||
		    cols[i].kind == K_TIME)
			fputs(b, f);	/* a number we formatted */
		else
			csv_text(f, b);
		free(b);
		b = NULL;
	}
	for (i = 0; i < wq_nstages; i++) {
		json_t *sec = json_object_get(json_object_get(json_object_get(pg,
		    "stages"), wq_stages[i].name), "seconds");

		if (!wq_stage_per_page(&wq_stages[i]))
			continue;
		fputc(',', f);
		if (json_is_number(sec))
			fprintf(f, "%.6g", json_number_value(sec));
	}
	fputs("\r\n", f);
}

/* csv_pages: report/pages.csv, RFC 4180, the columns of the table. */
int
csv_pages(const char *path, json_t *report)
{
	char   *buf = NULL;
	size_t  len = 0, i;
	json_t *pg;
	FILE   *f = open_memstream(&buf, &len);

	if (f == NULL)
		abort();
	fputs("doc,page", f);
	for (i = 0; i < NCOLS; i++)
		fprintf(f, ",%s", cols[i].path);
	for (i = 0; i < wq_nstages; i++)
		if (wq_stage_per_page(&wq_stages[i]))
			fprintf(f, ",seconds_%s", wq_stages[i].name);
	fputs("\r\n", f);
	json_array_foreach(json_object_get(report, "pages"), i, pg)
		csv_row(f, pg);
	json_array_foreach(json_object_get(report, "quarantined"), i, pg)
		csv_row(f, pg);
	return put(path, f, &buf, &len);
}

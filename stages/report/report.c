/*
 * warraq-report - a quality report of a batch, for the archivist who has
 * to decide which pages a person must look at.
 *
 *   warraq-report [options] WORK_DIR
 *
 * Reads what the stages left in WORK_DIR (sidecars, ALTO, images, error
 * records, quarantine) and writes WORK/report/: index.html (batch summary
 * and a sortable, filterable table of every page), a page view per page
 * (pages/DOC/PAGE.html: the cleaned page with every word boxed in the
 * colour of its confidence, and the text), report.json (everything,
 * machine-readable; fields in stages/report/README.md) and pages.csv.
 * It copes with a batch in any state: failed, pending, duplicate pages
 * and quarantined sources are reported as such.
 *
 * Functions here: the per-page record (page_record), the batch record
 * and flags (batch_record, flag_script), quarantined sources (quarantined)
 * and main; measures are in measure.c, writers in html.c.
 *
 * Exit status: 0 when the report is written (whatever the state of the
 * batch it describes), 1 when it could not be, 2 on a usage error.
 */
#include <errno.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

#define NAME_MAX_OUT	1024	/* bytes of a file name or tag reported */
#define REASON_MAX	1024

struct ctx {
	const char         *work;
	struct wq_profile   pr;
	struct wq_dicts     dicts;
	double              min_conf, max_low, max_skew;
	json_t             *notes;
};

/* num: a JSON number field of o as a double, or NAN. */
static double
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static json_t *
jnum(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static void
flag(json_t *pg, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* flag: one reason for a person to look at the page, and why. */
static void
flag(json_t *pg, const char *name, const char *fmt, ...)
{
	va_list ap;
	char    why[REASON_MAX + 64];

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	json_array_append_new(json_object_get(pg, "flags"), json_pack("{s:s, s:o}",
	    "flag", name, "why", wq_json_text(why, REASON_MAX)));
}

/* copy_text: an untrusted string field of a sidecar, bounded. */
static void
copy_text(json_t *to, json_t *from, const char *key)
{
	const char *s = json_string_value(json_object_get(from, key));

	if (s != NULL)
		json_object_set_new(to, key, wq_json_text(s, NAME_MAX_OUT));
}

static void
copy_num(json_t *to, json_t *from, const char *key)
{
	json_t *v = json_object_get(from, key);

	if (json_is_number(v) || json_is_boolean(v))
		json_object_set(to, key, v);
}

/* image_info: what ingest recorded of the scan. */
static json_t *
image_info(json_t *ij)
{
	static const char *nums[] = { "width", "height", "dpi",
	    "bits_per_sample", "samples_per_pixel", "resolution_assumed",
	    "source_size", NULL };
	static const char *texts[] = { "format", "photometric", "compression",
	    "icc_description", "scanner_make", "scanner_model", "software",
	    "datetime", NULL };
	json_t *o = json_object();
	int     i;

	for (i = 0; nums[i] != NULL; i++)
		copy_num(o, ij, nums[i]);
	for (i = 0; texts[i] != NULL; i++)
		copy_text(o, ij, texts[i]);
	return o;
}

/* main_script: the script of most lines, from the OCR sidecar. */
static const char *
main_script(json_t *oj)
{
	json_t     *s = json_object_get(oj, "scripts"), *v;
	const char *k, *best = NULL;
	double      bv = 0;

	json_object_foreach(s, k, v)
		if (json_number_value(v) > bv)
			bv = json_number_value(v), best = k;
	return best;
}

/* stage_records: each enabled stage's state and time; the page's status. */
static const char *
stage_records(const struct ctx *c, const struct wq_page *p, json_t *pg,
    json_t **side)
{
	json_t     *st = json_object();
	const char *status = "done";
	size_t      i;
	double      total = 0;

	for (i = 0; i < wq_nstages; i++) {
		const char   *name = wq_stages[i].name;
		char         *reason = NULL, *path;
		enum wq_state s;
		json_t       *o = json_object(), *j;

		side[i] = NULL;
		if (!wq_stage_enabled(&c->pr, name) ||
		    !wq_stage_per_page(&wq_stages[i])) {
			json_decref(o);
			continue;
		}
		s = wq_page_state(c->work, name, p, &reason);
		json_object_set_new(o, "state", json_string(s == WQ_DONE ? "done" :
		    s == WQ_FAILED ? "failed" : "pending"));
		if (s == WQ_DONE) {
			path = wq_sidecar(c->work, name, p->doc, p->page, "json");
			j = side[i] = wq_json_read(path);
			free(path);
			if (!isnan(num(json_object_get(j, "timing"), "seconds"))) {
				double sec = num(json_object_get(j, "timing"), "seconds");

				json_object_set_new(o, "seconds", json_real(sec));
				total += sec;
			}
		} else if (s == WQ_FAILED) {
			json_object_set_new(o, "reason",
			    wq_json_text(reason ? reason : "failed", REASON_MAX));
			if (strcmp(status, "failed") != 0)
				flag(pg, "failed", "%s failed: %s", name,
				    reason ? reason : "no reason recorded");
			status = "failed";
		} else if (strcmp(status, "done") == 0)
			status = "pending";
		free(reason);
		json_object_set_new(st, name, o);
	}
	json_object_set_new(pg, "stages", st);
	json_object_set_new(pg, "seconds", json_real(total));
	return status;
}

/* ocr_fields: orientation, skew, content box, OCR figures and flags. */
static void
ocr_fields(const struct ctx *c, json_t *pg, json_t *dj, json_t *cj,
    json_t *oj)
{
	double orient = num(dj, "orientation_deg"), skew = num(dj, "skew_deg");
	double conf = num(oj, "mean_confidence"), words = num(oj, "words");
	double low = NAN;
	json_t *box = json_object_get(cj, "content_box");
	int     blank = json_is_true(json_object_get(cj, "blank")) ||
	    json_is_true(json_object_get(oj, "blank"));
	const char *script = main_script(oj);

	json_object_set_new(pg, "orientation_deg", jnum(orient));
	json_object_set_new(pg, "skew_deg", jnum(skew));
	json_object_set_new(pg, "content_box", json_is_object(box) ?
	    json_pack("{s:O?, s:O?, s:O?, s:O?}", "x", json_object_get(box, "x"),
	    "y", json_object_get(box, "y"), "w", json_object_get(box, "w"),
	    "h", json_object_get(box, "h")) : json_null());
	json_object_set_new(pg, "blank", cj || oj ? json_boolean(blank) :
	    json_null());
	json_object_set_new(pg, "script", script ? json_string(script) :
	    json_null());
	json_object_set_new(pg, "scripts", oj && json_is_object(
	    json_object_get(oj, "scripts")) ?
	    json_deep_copy(json_object_get(oj, "scripts")) : json_null());
	json_object_set_new(pg, "mean_confidence", jnum(conf));
	json_object_set_new(pg, "median_confidence",
	    jnum(num(oj, "median_confidence")));
	json_object_set_new(pg, "words", jnum(words));
	json_object_set_new(pg, "characters", jnum(num(oj, "characters")));
	if (oj != NULL && words > 0)
		low = json_array_size(json_object_get(oj, "low_confidence_words")) /
		    words;
	json_object_set_new(pg, "low_confidence_words", oj ? json_integer(
	    json_array_size(json_object_get(oj, "low_confidence_words"))) :
	    json_null());
	json_object_set_new(pg, "low_confidence_share", jnum(low));

	if (blank)
		flag(pg, "blank", "no content found on the page");
	else if (oj != NULL && words == 0)
		flag(pg, "no_text", "OCR found no words on a page with content");
	if (!blank && conf < c->min_conf)
		flag(pg, "low_confidence", "mean word confidence %.1f < %.1f",
		    conf, c->min_conf);
	if (!blank && low > c->max_low)
		flag(pg, "low_confidence_words", "%.1f%% of words under %.0f%% "
		    "confidence > %.1f%%", 100 * low,
		    num(oj, "low_confidence_threshold"), 100 * c->max_low);
	if (fabs(skew) > c->max_skew)
		flag(pg, "skew", "skew of %.2f degrees corrected (limit %.1f)",
		    skew, c->max_skew);
	if (!isnan(orient) && orient != 0)
		flag(pg, "orientation", "page was turned %.0f degrees", orient);
}

/*
 * layout_fields: what the layout stage left unread (ink of letter size
 * outside every line) and the lines it found that read as nothing: a
 * page with either is flagged, so that no text is lost without a word.
 */
static void
layout_fields(json_t *pg, json_t *lj, json_t *oj)
{
	double rows = num(lj, "unread_text_like"), marks = num(lj,
	    "unread_components"), empty = num(oj, "layout_lines_empty");

	json_object_set_new(pg, "unread_rows", jnum(rows));
	json_object_set_new(pg, "unread_marks", jnum(marks));
	json_object_set_new(pg, "lines_read_empty", jnum(empty));
	if (rows > 0)
		flag(pg, "unread", "%.0f row%s of letter-size marks outside every "
		    "line (%.0f marks in all; boxes in layout/)", rows,
		    rows == 1 ? "" : "s", marks);
	if (empty > 0)
		flag(pg, "unread", "%.0f line%s of the layout read as nothing",
		    empty, empty == 1 ? "" : "s");
}

/* text_fields: languages, no-ground-truth measures, ground truth. */
static void
text_fields(const struct ctx *c, const struct wq_page *p, json_t *pg,
    json_t *q, int ocr_done)
{
	json_t        *langs = json_object();
	struct wq_alto   t = { 0 };
	struct wq_eval e;
	char          *path, err[512], *bad;
	size_t         i;
	int            r;

	path = wq_sidecar(c->work, "ocr", p->doc, p->page, "alto.xml");
	if (ocr_done && wq_alto_read(path, &t, err, sizeof(err)) == 0) {
		for (i = 0; i < t.nl; i++) {
			const char *l = t.l[i].lang ? t.l[i].lang : "und";
			json_t     *n = json_object_get(langs, l);

			if (t.l[i].nw == 0 || strlen(l) > 16)
				continue;
			json_object_set_new(langs, l, json_integer(
			    json_integer_value(n) + 1));
		}
		text_measures(&t, &c->dicts, q);
	} else {
		if (ocr_done)
			wq_warnx(path, "%s", err);
		text_measures(&(struct wq_alto){ 0 }, &c->dicts, q);
	}
	wq_alto_free(&t);
	free(path);
	json_object_set_new(pg, "languages", langs);

	r = ocr_done ? wq_eval_page(c->work, p, &e, &bad) : 0;
	if (r == -1) {
		wq_warnx(bad, "cannot read; CER not measured");
		free(bad);
	}
	json_object_set_new(pg, "ground_truth", r != 1 ? json_null() :
	    json_pack("{s:f, s:f, s:I, s:I, s:I, s:I}", "cer", e.cer,
	    "wer", e.wer, "char_distance", (json_int_t)e.char_distance,
	    "chars", (json_int_t)e.chars, "word_distance",
	    (json_int_t)e.word_distance, "words", (json_int_t)e.words));
}

/* side_of: the sidecar of stage name among those stage_records read. */
static json_t *
side_of(json_t **side, const char *name)
{
	size_t i;

	for (i = 0; i < wq_nstages; i++)
		if (strcmp(wq_stages[i].name, name) == 0)
			return side[i];
	return NULL;
}

/* page_record: everything the report says of one row of pages.tsv. */
static json_t *
page_record(const struct ctx *c, const struct wq_page *p)
{
	json_t     *pg = json_object(), *side[32], *q = json_object();
	json_t     *ij, *oj;
	const char *status;
	const char *name;
	size_t      i;

	json_object_set_new(pg, "doc", wq_json_text(p->doc, NAME_MAX_OUT));
	json_object_set_new(pg, "page", wq_json_text(p->page, NAME_MAX_OUT));
	json_object_set_new(pg, "flags", json_array());
	name = strrchr(p->source, '/');
	json_object_set_new(pg, "source", wq_json_text(name ? name + 1 :
	    p->source, NAME_MAX_OUT));
	json_object_set_new(pg, "source_index", json_integer(p->index));
	if (strncmp(p->status, "duplicate:", 10) == 0) {
		/* not processed: the page it duplicates was */
		status = "duplicate";
		memset(side, 0, sizeof(side));
		json_object_set_new(pg, "duplicate_of",
		    wq_json_text(p->status + 10, NAME_MAX_OUT));
		json_object_set_new(pg, "stages", json_object());
		json_object_set_new(pg, "seconds", json_null());
		flag(pg, "duplicate", "same source content as %s",
		    p->status + 10);
	} else
		status = stage_records(c, p, pg, side);
	json_object_set_new(pg, "status", json_string(status));
	ij = side_of(side, "ingest");
	oj = side_of(side, "ocr");
	if (ij != NULL) {
		copy_text(pg, ij, "source_name");
		if (json_object_get(pg, "source_name") != NULL)
			json_object_set(pg, "source",
			    json_object_get(pg, "source_name"));
		json_object_del(pg, "source_name");
		json_object_set_new(pg, "image", image_info(ij));
	}
	ocr_fields(c, pg, side_of(side, "deskew"), side_of(side, "clean"), oj);
	layout_fields(pg, side_of(side, "layout"), oj);
	text_fields(c, p, pg, q, oj != NULL);
	image_measures(c->work, p, q);
	json_object_set_new(pg, "quality", q);
	for (i = 0; i < wq_nstages; i++)
		json_decref(side[i]);
	return pg;
}

/*
 * usual_script: the main script of more than half the pages that have
 * one; NULL in a batch with no such majority (then no page is odd).
 */
static const char *
usual_script(json_t *pages, json_t *counts)
{
	json_t     *pg, *v;
	size_t      i, n = 0;
	const char *k, *best = NULL;
	json_int_t  bv = 0;

	json_array_foreach(pages, i, pg) {
		const char *s = json_string_value(json_object_get(pg, "script"));

		if (s == NULL)
			continue;
		json_object_set_new(counts, s, json_integer(json_integer_value(
		    json_object_get(counts, s)) + 1));
		n++;
	}
	json_object_foreach(counts, k, v)
		if (json_integer_value(v) > bv)
			bv = json_integer_value(v), best = k;
	return bv * 2 > (json_int_t)n ? best : NULL;
}

/* flag_script: pages whose script is not the batch's usual one. */
static void
flag_script(json_t *pages, const char *usual)
{
	json_t *pg;
	size_t  i;

	if (usual == NULL)
		return;
	json_array_foreach(pages, i, pg) {
		const char *s = json_string_value(json_object_get(pg, "script"));

		if (s != NULL && strcmp(s, usual) != 0)
			flag(pg, "script", "mostly %s, where the batch is mostly %s",
			    s, usual);
	}
}

/* quarantined: the sources ingest set aside, with the reasons it gave. */
static json_t *
quarantined(const char *work)
{
	char          *dir = wq_xasprintf("%s/quarantine", work);
	char          *path = wq_xasprintf("%s/ingest/summary.json", work);
	json_t        *sum = wq_json_read(path), *list = json_array(), *e;
	struct dirent **ents = NULL;
	int            n, i;
	size_t         k;

	free(path);
	n = scandir(dir, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		const char *nm = ents[i]->d_name;
		size_t      len = strlen(nm);
		char       *id, *line, *file = NULL, *reason = NULL;

		if (nm[0] == '.' || len < 8 || strcmp(nm + len - 7, ".reason") != 0)
			goto next;
		id = wq_xasprintf("%.*s", (int)(len - 7), nm);
		json_array_foreach(json_object_get(sum, "quarantined"), k, e) {
			const char *f = json_string_value(json_object_get(e, "file"));
			char       *fid = f ? wq_docid_from_name(f) : NULL;

			if (fid != NULL && strcmp(fid, id) == 0 && file == NULL) {
				file = wq_xstrdup(f);
				reason = wq_xstrdup(json_string_value(
				    json_object_get(e, "reason")) ?: "");
			}
			free(fid);
		}
		if (file == NULL) {
			/* the record is "NAME: reason" */
			path = wq_xasprintf("%s/%s", dir, nm);
			line = wq_read_file(path, 1 << 16, NULL);
			free(path);
			file = wq_xstrdup(id);
			reason = wq_xstrdup(line ? line : "");
			reason[strcspn(reason, "\n")] = '\0';
			free(line);
		}
		e = json_pack("{s:o, s:o, s:o, s:[{s:s, s:o}]}",
		    "id", wq_json_text(id, NAME_MAX_OUT),
		    "source", wq_json_text(file, NAME_MAX_OUT),
		    "reason", wq_json_text(reason, REASON_MAX),
		    "flags", "flag", "quarantined",
		    "why", wq_json_text(reason, REASON_MAX));
		json_object_set_new(e, "status", json_string("quarantined"));
		json_array_append_new(list, e);
		free(id);
		free(file);
		free(reason);
next:
		free(ents[i]);
	}
	free(ents);
	free(dir);
	json_decref(sum);
	return list;
}

/* ranks: average ranks (1-based, ties share their mean) of v[0..n). */
static void
ranks(const double *v, size_t n, double *r)
{
	size_t i, j, below, same;

	for (i = 0; i < n; i++) {
		below = same = 0;
		for (j = 0; j < n; j++) {
			below += v[j] < v[i];
			same += v[j] == v[i];
		}
		r[i] = below + (same + 1) / 2.0;
	}
}

/*
 * spearman: rank correlation of x and y, NAN under 3 pairs or when one
 * side is constant.  Quadratic, but there are few pages with ground truth.
 */
static double
spearman(const double *x, const double *y, size_t n)
{
	double *rx, *ry, mx = (n + 1) / 2.0, sxy = 0, sxx = 0, syy = 0;
	size_t  i;

	if (n < 3)
		return NAN;
	rx = wq_xmalloc(n * sizeof(double));
	ry = wq_xmalloc(n * sizeof(double));
	ranks(x, n, rx);
	ranks(y, n, ry);
	for (i = 0; i < n; i++) {
		sxy += (rx[i] - mx) * (ry[i] - mx);
		sxx += (rx[i] - mx) * (rx[i] - mx);
		syy += (ry[i] - mx) * (ry[i] - mx);
	}
	free(rx);
	free(ry);
	return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

/*
 * tracking: how well each measure that needs no ground truth follows the
 * real CER on the pages that have ground truth: Spearman's rank
 * correlation (1 or -1: orders the pages as CER does; 0: no relation).
 * This tells the archivist which measure to trust in this collection.
 */
static json_t *
tracking(json_t *pages)
{
	static const char *m[] = { "mean_confidence", "low_confidence_share",
	    "quality.dictionary_share", "quality.other_script_share",
	    "quality.stray_symbol_share", "quality.sharpness",
	    "quality.clipped_black", "quality.clipped_white",
	    "quality.border_left", NULL };
	json_t *out = json_object(), *pg, *v;
	size_t  n = json_array_size(pages), i, k, np;
	double *x = wq_xmalloc((n + 1) * sizeof(double));
	double *y = wq_xmalloc((n + 1) * sizeof(double));
	int     j;

	for (j = 0; m[j] != NULL; j++) {
		const char *key = strchr(m[j], '.') ? strchr(m[j], '.') + 1 : m[j];

		np = 0;
		json_array_foreach(pages, i, pg) {
			double cer = num(json_object_get(pg, "ground_truth"), "cer");

			v = json_object_get(strchr(m[j], '.') ?
			    json_object_get(pg, "quality") : pg, key);
			if (isnan(cer) || !json_is_number(v))
				continue;
			x[np] = json_number_value(v);
			y[np++] = cer;
		}
		k = np;
		json_object_set_new(out, key, json_pack("{s:o, s:I}",
		    "spearman", jnum(spearman(x, y, k)), "pages", (json_int_t)k));
	}
	free(x);
	free(y);
	return out;
}

/* batch_record: the summary at the top of the report. */
static json_t *
batch_record(const struct ctx *c, json_t *pages, json_t *quar)
{
	json_t     *b = json_object(), *pg, *v, *flags = json_object();
	json_t     *langs = json_object(), *scripts = json_object(), *f;
	size_t      i, j, ndone = 0, nfail = 0, npend = 0, ndup = 0, nflag = 0;
	size_t      gtn = 0, cd = 0, cn = 0, wd = 0, wn = 0;
	double      cw = 0, nw = 0, lw = 0;
	const char *k, *usual = usual_script(pages, scripts);
	char        when[32];
	time_t      now = time(NULL);

	flag_script(pages, usual);
	json_array_foreach(pages, i, pg) {
		const char *st = json_string_value(json_object_get(pg, "status"));
		json_t     *gt = json_object_get(pg, "ground_truth");
		double      w = num(pg, "words"), m = num(pg, "mean_confidence");

		ndone += strcmp(st, "done") == 0;
		nfail += strcmp(st, "failed") == 0;
		npend += strcmp(st, "pending") == 0;
		ndup += strcmp(st, "duplicate") == 0;
		if (w > 0 && !isnan(m)) {
			cw += m * w, nw += w;
			lw += num(pg, "low_confidence_words");
		}
		json_object_foreach(json_object_get(pg, "languages"), k, v)
			json_object_set_new(langs, k, json_integer(json_integer_value(
			    json_object_get(langs, k)) + json_integer_value(v)));
		if (json_is_object(gt)) {
			gtn++;
			cd += json_integer_value(json_object_get(gt, "char_distance"));
			cn += json_integer_value(json_object_get(gt, "chars"));
			wd += json_integer_value(json_object_get(gt, "word_distance"));
			wn += json_integer_value(json_object_get(gt, "words"));
		}
		nflag += json_array_size(json_object_get(pg, "flags")) > 0;
		json_array_foreach(json_object_get(pg, "flags"), j, f) {
			k = json_string_value(json_object_get(f, "flag"));
			json_object_set_new(flags, k, json_integer(json_integer_value(
			    json_object_get(flags, k)) + 1));
		}
	}
	if (json_array_size(quar) > 0)
		json_object_set_new(flags, "quarantined",
		    json_integer(json_array_size(quar)));
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	json_object_set_new(b, "generated", json_string(when));
	json_object_set_new(b, "warraq_version", json_string(WQ_VERSION));
	json_object_set_new(b, "pages", json_integer(json_array_size(pages)));
	json_object_set_new(b, "done", json_integer(ndone));
	json_object_set_new(b, "failed", json_integer(nfail));
	json_object_set_new(b, "pending", json_integer(npend));
	json_object_set_new(b, "duplicates", json_integer(ndup));
	json_object_set_new(b, "quarantined", json_integer(json_array_size(quar)));
	json_object_set_new(b, "flagged", json_integer(nflag));
	json_object_set_new(b, "flags", flags);
	json_object_set_new(b, "mean_confidence", nw > 0 ? json_real(cw / nw) :
	    json_null());
	json_object_set_new(b, "low_confidence_share", nw > 0 ?
	    json_real(lw / nw) : json_null());
	json_object_set_new(b, "words", json_integer((json_int_t)nw));
	json_object_set_new(b, "languages", langs);
	json_object_set_new(b, "scripts", scripts);
	json_object_set_new(b, "usual_script", usual ? json_string(usual) :
	    json_null());
	json_object_set_new(b, "ground_truth", gtn == 0 ? json_null() :
	    json_pack("{s:I, s:f, s:f, s:I, s:I}", "pages", (json_int_t)gtn,
	    "cer", cn ? (double)cd / cn : 0.0, "wer", wn ? (double)wd / wn : 0.0,
	    "chars", (json_int_t)cn, "words", (json_int_t)wn));
	if (gtn > 0)
		json_object_set_new(json_object_get(b, "ground_truth"),
		    "measures_vs_cer", tracking(pages));
	json_object_set_new(b, "thresholds", json_pack("{s:f, s:f, s:f}",
	    "min_confidence", c->min_conf, "max_low_confidence_share",
	    c->max_low, "max_skew_deg", c->max_skew));
	json_object_set_new(b, "dictionaries", json_pack("{s:b, s:b}",
	    "ar", c->dicts.ar != NULL, "fr", c->dicts.fr != NULL));
	json_object_set(b, "notes", c->notes);
	return b;
}

/*
 * settings: the batch's own settings (WORK/profile.conf, written by
 * warraq run), then -p and -o on top of them.
 */
static int
settings(struct ctx *c, const struct wq_args *a)
{
	char  *path = wq_xasprintf("%s/profile.conf", c->work);
	size_t i;
	int    r = 0;

	if (wq_exists(path) && wq_profile_load(&c->pr, path) == -1)
		r = -1;
	free(path);
	for (i = 0; r == 0 && i < a->profile.n; i++)
		r = wq_profile_set(&c->pr, a->profile.key[i], a->profile.val[i]);
	c->min_conf = wq_set_real(&c->pr, "report_min_confidence");
	c->max_low = wq_set_real(&c->pr, "report_max_low_words");
	c->max_skew = wq_set_real(&c->pr, "report_max_skew");
	return r;
}

/* page_id: "DOC/PAGE" of a page record (NULL for none), owned by the caller. */
static char *
page_id(json_t *pg)
{
	if (pg == NULL)
		return NULL;
	return wq_xasprintf("%s/%s", json_string_value(json_object_get(pg, "doc")),
	    json_string_value(json_object_get(pg, "page")));
}

/*
 * write_outputs: page images and views first, then report.json,
 * pages.csv and index.html, so that the index never links to a view not
 * yet written.
 */
static int
write_outputs(const struct ctx *c, json_t *report, int force)
{
	char        *dir = wq_xasprintf("%s/report", c->work), *path;
	json_t      *pages = json_object_get(report, "pages"), *pg;
	struct hopts o = { 1400, 160, force };
	size_t       i;
	int          r = 0;

	if (wq_mkdirs(dir) == -1) {
		wq_warn(dir, "cannot create");
		free(dir);
		return -1;
	}
	json_array_foreach(pages, i, pg) {
		char        *alto, err[512], *prev, *next;
		struct wq_alto t;
		int          w = 0, h = 0;

		alto = wq_xasprintf("%s/ocr/%s/%s.alto.xml", c->work,
		    json_string_value(json_object_get(pg, "doc")),
		    json_string_value(json_object_get(pg, "page")));
		if (!wq_exists(alto) || wq_alto_read(alto, &t, err, sizeof(err)) == -1)
			memset(&t, 0, sizeof(t));
		free(alto);
		prev = i > 0 ? page_id(json_array_get(pages, i - 1)) : NULL;
		next = page_id(json_array_get(pages, i + 1));
		if (html_page_images(c->work, dir, pg, &o, &w, &h) == -1 ||
		    html_page_view(dir, pg, &t, w, h, prev, next) == -1)
			r = -1;
		free(prev);
		free(next);
		wq_alto_free(&t);
	}
	path = wq_xasprintf("%s/report.json", dir);
	if (wq_json_write(path, report) == -1)
		wq_warn(path, "cannot write"), r = -1;
	free(path);
	path = wq_xasprintf("%s/pages.csv", dir);
	if (csv_pages(path, report) == -1)
		r = -1;
	free(path);
	if (html_assets(dir) == -1 || html_index(dir, report) == -1)
		r = -1;
	free(dir);
	return r;
}

int
main(int argc, char **argv)
{
	struct wq_args  a;
	struct wq_pages pp = { 0 };
	struct ctx      c;
	json_t         *report, *pages, *quar;
	size_t          i;
	int             status = 0;

	wq_args_parse(&a, argc, argv, "report", 1);
	if (a.npos != 1) {
		wq_warnx(NULL, "one WORK_DIR, no pages: the report is of the batch");
		wq_args_free(&a);
		return 2;
	}
	memset(&c, 0, sizeof(c));
	c.work = a.pos[0];
	if (settings(&c, &a) == -1) {
		wq_profile_free(&c.pr);
		wq_args_free(&a);
		return 2;
	}
	if (wq_pages_load(c.work, &pp) == -1 || pp.n == 0) {
		wq_warnx(c.work, "no pages.tsv or no pages (run warraq-ingest first)");
		wq_profile_free(&c.pr);
		wq_args_free(&a);
		return 1;
	}
	c.notes = json_array();
	wq_dicts_open(&c.dicts, wq_set_text(&c.pr, "hunspell_dir"),
	    c.notes);
	pages = json_array();
	for (i = 0; i < pp.n; i++)
		json_array_append_new(pages, page_record(&c, &pp.v[i]));
	quar = quarantined(c.work);
	report = json_object();
	json_object_set_new(report, "report_version", json_integer(1));
	json_object_set_new(report, "batch", batch_record(&c, pages, quar));
	json_object_set_new(report, "pages", pages);
	json_object_set_new(report, "quarantined", quar);
	errno = 0;
	if (write_outputs(&c, report, a.force) == -1)
		status = wq_full(errno) ? WQ_EXIT_FULL : 1;
	else if (!a.quiet)
		printf("%s/report/index.html\n", c.work);
	json_decref(report);
	json_decref(c.notes);
	wq_dicts_close(&c.dicts);
	wq_pages_free(&pp);
	wq_profile_free(&c.pr);
	wq_args_free(&a);
	if (status == WQ_EXIT_FULL)
		wq_full_exit(c.work);
	return status;
}

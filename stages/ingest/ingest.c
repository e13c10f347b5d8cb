/*
 * warraq-ingest - validate scans, split them into pages, record fixity
 * and technical metadata.
 *
 *   warraq-ingest [options] SCANS_DIR WORK_DIR [NAME ...]
 *
 * A document is a folder of page images (natural order: 2 before 10) or
 * one image file (a multi-page TIFF is a whole document).  Every page
 * becomes WORK/ingest/DOC/PAGE.tif, lossless, with PAGE.json beside it;
 * pages.tsv lists them all.  Sources are only ever opened read-only.
 * A file that cannot be read whole is quarantined with its reason and
 * the batch goes on; the exit status is then 1.
 *
 * NAMEs (entries of SCANS_DIR) limit the run to those documents: no other
 * file is read, and the rows other documents have in pages.tsv are kept
 * as they were.  `warraq watch` so takes a document that is complete
 * while the next one is still being written beside it.  Every entry is
 * still listed, so that DOC ids are those a whole run would give.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wq.h"
#include "readimage.h"
#include "spread.h"

struct doc {
	char  *id;
	char  *name;	/* file or folder name in SCANS_DIR */
	char **files;	/* absolute paths, in page order */
	size_t nfiles;
	int    chosen;	/* named on the command line, or none were */
};

struct seen {		/* a source already ingested in this run */
	char      sha256[65];
	char     *doc;
	unsigned  first, count;
};

struct ingest {
	const char       *scans, *work;
	struct ri_limits  lim;
	struct wq_pages   old, pages;
	struct seen      *seen;
	size_t            nseen;
	json_t           *quarantined;
	json_t           *skipped;	/* files of a format not taken */
	int               dry;		/* -n: list what would be taken */
	unsigned          nfiles, ningested, nunchanged, nduplicate;
	int               status, force;
	int               full;		/* the work disk filled up: stop */
	int               gone;		/* SCANS_DIR vanished: stop */
	int               follow;	/* follow_symlinks: links to outside */
	int               split;	/* SPLIT_OFF, SPLIT_AUTO, SPLIT_ON */
	const char       *split_name;	/* the setting as given */
	const char       *binding;	/* auto, ltr, rtl */
	const char       *languages;	/* the OCR setting, a hint for binding */
	const struct wq_args *args;	/* the settings, for made_with */
	char            **names;	/* the entries to read; none: all */
	int               nnames;
};

enum { SPLIT_OFF, SPLIT_AUTO, SPLIT_ON };

static int
docid_taken(const struct doc *docs, size_t n, const char *id)
{
	while (n-- > 0)
		if (strcmp(docs[n].id, id) == 0)
			return 1;
	return 0;
}

static void quarantine(struct ingest *g, const char *path, const char *reason);
static void skip_refused(struct ingest *g, const char *path, const char *format);
static const char *relname(const struct ingest *g, const char *path);
static void unquarantine(struct ingest *g, const char *path);

/* chosen: is the SCANS_DIR entry name one this run reads. */
static int
chosen(const struct ingest *g, const char *name)
{
	int i;

	for (i = 0; i < g->nnames; i++)
		if (strcmp(g->names[i], name) == 0)
			return 1;
	return g->nnames == 0;
}

/*
 * linked_out: 1 (and a quarantine record) when path, in SCANS_DIR, is a
 * symbolic link to something outside it and follow_symlinks is off: a
 * link dropped in a scan folder must not make warraq read, copy into WORK
 * and publish whatever file it names.  Links that stay inside are taken.
 * The link of a document not chosen is left out silently: the run that
 * reads it records it.
 */
static int
linked_out(struct ingest *g, const char *path, int chosen)
{
	char   target[PATH_MAX], *why;
	size_t n = strlen(g->scans);

	if (realpath(path, target) == NULL ||	/* dangling: stat says */
	    (strncmp(target, g->scans, n) == 0 &&
	    (target[n] == '/' || target[n] == '\0')))
		return 0;
	if (!chosen)
		return !g->follow;
	if (g->follow) {
		/* taken now, a folder's pages perhaps all duplicates: the
		 * record of an earlier refusal goes here */
		unquarantine(g, path);
		return 0;
	}
	why = wq_xasprintf("symbolic link to %s, outside the scans folder: not "
	    "followed (follow_symlinks = yes takes it)", target);
	quarantine(g, path, why);
	free(why);
	return 1;
}

/* list_docs: the documents of SCANS_DIR, in natural order of their names. */
static struct doc *
list_docs(struct ingest *g, size_t *np)
{
	const char *scans = g->scans;
	struct doc *docs = NULL;
	char      **names, *path, *stem, *dot, *base;
	size_t      n, i, nd = 0;
	struct stat st;

	names = wq_list_dir(scans, NULL, &n);
	for (i = 0; i < n; i++) {
		struct doc d = { 0 };
		char       id[WQ_DOCID_MAX + 16];
		unsigned   k;

		d.chosen = chosen(g, names[i]);
		path = wq_xasprintf("%s/%s", scans, names[i]);
		if (linked_out(g, path, d.chosen)) {
			free(path);
			continue;
		}
		if (stat(path, &st) == -1) {
			if (d.chosen)
				wq_warn(path, "skipped");
			free(path);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			char **f = wq_list_dir(path, wq_image_name, &d.nfiles);
			char **all;
			size_t j, na;

			all = wq_list_dir(path, NULL, &na);	/* the others */
			for (j = 0; d.chosen && j < na; j++)
				if (wq_image_refused(all[j]) != NULL) {
					char *fp = wq_xasprintf("%s/%s", path, all[j]);

					skip_refused(g, fp, wq_image_refused(all[j]));
					free(fp);
				}
			wq_names_free(all, na);
			d.files = wq_xmalloc(d.nfiles * sizeof(char *));
			for (j = k = 0; j < d.nfiles; j++) {
				d.files[k] = wq_xasprintf("%s/%s", path, f[j]);
				if (linked_out(g, d.files[k], d.chosen))
					free(d.files[k]);
				else
					k++;
			}
			wq_names_free(f, d.nfiles);
			d.nfiles = k;
			stem = wq_xstrdup(names[i]);
		} else if (wq_image_name(names[i])) {	/* a FIFO too: said */
			d.files = wq_xmalloc(sizeof(char *));
			d.files[d.nfiles++] = wq_xstrdup(path);
			stem = wq_xstrdup(names[i]);
			if ((dot = strrchr(stem, '.')) != NULL && dot != stem)
				*dot = '\0';
		} else {
			if (d.chosen && wq_image_refused(names[i]) != NULL)
				skip_refused(g, path, wq_image_refused(names[i]));
			free(path);
			continue;	/* ground truth, checksums, notes */
		}
		free(path);
		if (d.nfiles == 0) {
			if (d.chosen)
				wq_warnx(names[i], "folder holds no page images; "
				    "skipped");
			free(d.files);
			free(stem);
			continue;
		}
		d.name = wq_xstrdup(names[i]);
		base = wq_docid_from_name(stem);
		free(stem);
		d.id = wq_xstrdup(base);
		/* "a", then "a-2", "a-3" (not "a-2-3"): always from the base */
		for (k = 2; docid_taken(docs, nd, d.id); k++) {
			snprintf(id, sizeof(id), "%.*s-%u", WQ_DOCID_MAX - 8,
			    base, k);
			free(d.id);
			d.id = wq_xstrdup(id);
		}
		free(base);
		docs = wq_xrealloc(docs, (nd + 1) * sizeof(*docs));
		docs[nd++] = d;
	}
	wq_names_free(names, n);
	*np = nd;
	return docs;
}

/*
 * skip_refused: path, a file of a format ingest does not take, is said on
 * stderr and listed in summary.json's "skipped": never left out silently.
 */
static void
skip_refused(struct ingest *g, const char *path, const char *format)
{
	const char *rel = relname(g, path);
	char       *why = wq_xasprintf("%s is not a format warraq takes "
	    "(TIFF, JPEG, PNG, JPEG 2000): convert it, or take it out", format);

	wq_warnx(path, "skipped: %s", why);
	json_array_append_new(g->skipped, json_pack("{s:o, s:s}", "name",
	    wq_json_text(rel, PATH_MAX), "reason", why));
	free(why);
}

/* named_doc: is name an entry of SCANS_DIR (a document, or one said not to be). */
static int
named_doc(const struct ingest *g, const struct doc *docs, size_t nd,
    const char *name)
{
	char *path = wq_xasprintf("%s/%s", g->scans, name);
	int   r = wq_exists(path);

	free(path);
	while (!r && nd-- > 0)
		r = strcmp(docs[nd].name, name) == 0;
	return r;
}

static void
free_docs(struct doc *docs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		wq_names_free(docs[i].files, docs[i].nfiles);
		free(docs[i].id);
		free(docs[i].name);
	}
	free(docs);
}

/* relname: path relative to SCANS_DIR, for messages and records. */
static const char *
relname(const struct ingest *g, const char *path)
{
	size_t n = strlen(g->scans);

	if (strncmp(path, g->scans, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}

/*
 * vanished: 1 when path is gone since the listing (a file moved away, or
 * the whole scans folder: then ingest stops): no damage to quarantine.
 */
static int
vanished(struct ingest *g, const char *path)
{
	if (wq_exists(path))
		return 0;
	if (!wq_exists(g->scans))
		g->gone = 1;
	else {
		wq_warnx(path, "vanished during the run; skipped");
		g->status = 1;
	}
	return 1;
}

static void
quarantine(struct ingest *g, const char *path, const char *reason)
{
	const char *rel = relname(g, path);
	char       *id, *q, *trel, *erel, *ereason, *line;
	json_t     *o;

	/* whatever failed reading a file that is no longer there, it is gone */
	if (vanished(g, path))
		return;
	id = wq_docid_from_name(rel);
	q = wq_xasprintf("%s/quarantine/%s.reason", g->work, id);
	trel = wq_tsv_escape(rel);	/* one line, whatever the name */
	erel = wq_ctl_escape(trel);
	ereason = wq_ctl_escape(reason);
	line = wq_xasprintf("%s: %s\n", erel, ereason);
	free(trel);
	free(erel);
	free(ereason);

	wq_warnx(path, "%s", reason);
	o = json_object();
	if (wq_write_atomic(q, line, strlen(line)) == -1)
		wq_warn(q, "cannot write quarantine record");
	json_object_set_new(o, "file", wq_json_text(rel, PATH_MAX));
	json_object_set_new(o, "reason", wq_json_text(reason, 1024));
	json_array_append_new(g->quarantined, o);
	g->status = 1;
	free(id);
	free(q);
	free(line);
}

static void
unquarantine(struct ingest *g, const char *path)
{
	char *id = wq_docid_from_name(relname(g, path));
	char *q = wq_xasprintf("%s/quarantine/%s.reason", g->work, id);

	wq_remove(q);
	free(id);
	free(q);
}

/* already_done: the page's outputs exist and come from this very source,
 * made with the settings of this run (made_with, stage.c) */
static int
already_done(const struct ingest *g, const struct wq_page *p)
{
	char   *json = wq_sidecar(g->work, "ingest", p->doc, p->page, "json");
	char   *tif = wq_sidecar(g->work, "ingest", p->doc, p->page, "tif");
	json_t *j = wq_json_read(json);
	int     done = 0;

	if (j != NULL && wq_exists(tif) && wq_outputs_whole(json, j)) {
		const char *sha = json_string_value(json_object_get(j, "source_sha256"));
		const char *src = json_string_value(json_object_get(j, "source"));
		json_t     *idx = json_object_get(j, "source_index");
		const char *part = json_string_value(json_object_get(j, "part"));
		const char *split = json_string_value(json_object_get(j, "split"));
		/* "source" was recorded through wq_json_text(): a name that is
		 * not UTF-8 or holds control characters is compared as such */
		json_t     *want = wq_json_text(p->source, PATH_MAX);
		json_t     *set = wq_stage_settings("ingest", &g->args->profile);
		json_t     *was = json_object_get(json_object_get(j, "made_with"),
		    "settings");

		done = (was == NULL || json_equal(set, was)) && sha != NULL && src != NULL && strcmp(sha, p->sha256) == 0 &&
		    strcmp(src, json_string_value(want)) == 0 &&
		    json_integer_value(idx) == (json_int_t)p->index &&
		    part != NULL && strcmp(part, p->part) == 0 &&
		    split != NULL && strcmp(split, g->split_name) == 0;
		json_decref(want);
		json_decref(set);
	}
	json_decref(j);
	free(json);
	free(tif);
	return done;
}

/* ground_truth: "NAME.gt.txt" beside a single-image source, if present. */
static char *
ground_truth(const char *path)
{
	char *gt = wq_xasprintf("%s", path), *dot = strrchr(gt, '.');
	char *r;

	if (dot != NULL)
		*dot = '\0';
	r = wq_xasprintf("%s.gt.txt", gt);
	free(gt);
	if (!wq_exists(r)) {
		free(r);
		return NULL;
	}
	return r;
}

/* write_page: the lossless page image, then its sidecar (done marker). */
static int
write_page(struct ingest *g, const struct wq_page *p, PIX *pix, json_t *meta,
    double t0, char *err, size_t errlen)
{
	char           *tif = wq_sidecar(g->work, "ingest", p->doc, p->page, "tif");
	char           *json = wq_sidecar(g->work, "ingest", p->doc, p->page, "json");
	int             g4 = pixGetDepth(pix) == 1, r = -1;
	json_t         *out = json_object(), *timing = json_object();
	struct timespec ts;

	if (wq_pix_write(tif, pix, err, errlen) == -1) {
		json_decref(out);
		json_decref(timing);
		goto done;
	}
	json_object_set_new(out, "file", json_string(strrchr(tif, '/') + 1));
	json_object_set_new(out, "depth", json_integer(pixGetDepth(pix) == 32 ?
	    24 : pixGetDepth(pix)));
	json_object_set_new(out, "compression", json_string(g4 ? "CCITT G4" :
	    "Deflate"));
	json_object_set_new(meta, "output", out);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	json_object_set_new(timing, "seconds",
	    json_real(ts.tv_sec + ts.tv_nsec / 1e9 - t0));
	json_object_set_new(meta, "timing", timing);
	json_object_set_new(meta, "outputs", wq_outputs(json));
	wq_made_with("ingest", g->args, p->sha256, meta);
	if (wq_json_write(json, meta) == -1) {
		snprintf(err, errlen, "cannot write %s: %s", json, strerror(errno));
		goto done;
	}
	r = 0;
done:
	free(tif);
	free(json);
	return r;
}

static struct wq_page *
add_row(struct ingest *g, const char *doc, unsigned pageno, const char *path,
    unsigned index, const char *sha, const char *status, const char *part)
{
	struct wq_page *p = wq_pages_add(&g->pages);
	char            id[16];

	wq_pageid(pageno, id);
	p->doc = wq_xstrdup(doc);
	p->page = wq_xstrdup(id);
	p->source = wq_xstrdup(path);
	p->index = index;
	memcpy(p->sha256, sha, 65);
	p->status = wq_xstrdup(status);
	p->part = wq_xstrdup(part);
	return p;
}

/* drop_rows: forget the rows of a file that turned out bad half-way. */
static void
drop_pages(struct ingest *g, size_t keep)
{
	while (g->pages.n > keep) {
		struct wq_page *p = &g->pages.v[--g->pages.n];
		char *tif = wq_sidecar(g->work, "ingest", p->doc, p->page, "tif");
		char *json = wq_sidecar(g->work, "ingest", p->doc, p->page, "json");

		wq_remove(json);
		wq_remove(tif);
		free(tif);
		free(json);
		free(p->doc);
		free(p->page);
		free(p->source);
		free(p->status);
		free(p->part);
	}
}

static const struct seen *
find_seen(const struct ingest *g, const char *sha)
{
	size_t i;

	for (i = 0; i < g->nseen; i++)
		if (strcmp(g->seen[i].sha256, sha) == 0)
			return &g->seen[i];
	return NULL;
}

/* add_seen: source sha, first ingested as pages first.. of doc. */
static void
add_seen(struct ingest *g, const char *sha, char *doc, unsigned first,
    unsigned count)
{
	g->seen = wq_xrealloc(g->seen, (g->nseen + 1) * sizeof(*g->seen));
	memcpy(g->seen[g->nseen].sha256, sha, 65);
	g->seen[g->nseen].doc = doc;
	g->seen[g->nseen].first = first;
	g->seen[g->nseen].count = count;
	g->nseen++;
}

static void
note_changed(const struct ingest *g, const char *path, const char *sha)
{
	size_t i;

	for (i = 0; i < g->old.n; i++)
		if (strcmp(g->old.v[i].source, path) == 0) {
			if (strcmp(g->old.v[i].sha256, sha) != 0)
				wq_warnx(path, "changed since it was last ingested "
				    "(sha256 %.12s... now %.12s...); ingesting again",
				    g->old.v[i].sha256, sha);
			return;
		}
}

/*
 * unchanged_image: 1 when image i of path was ingested before from the
 * same bytes, as the same pages (one, or two of a spread), all of them
 * done: their rows are taken over and *pageno advances.
 */
static int
unchanged_image(struct ingest *g, const struct doc *d, const char *path,
    unsigned i, const char *sha, unsigned *pageno)
{
	size_t k, n = 0, keep = g->pages.n;

	for (k = 0; k < g->old.n; k++) {
		const struct wq_page *o = &g->old.v[k];
		struct wq_page       *p;

		if (o->index != i || strcmp(o->source, path) != 0 ||
		    strcmp(o->sha256, sha) != 0 || strcmp(o->status, "ok") != 0)
			continue;
		p = add_row(g, d->id, (*pageno)++, path, i, sha, "ok", o->part);
		n++;
		if (!already_done(g, p)) {
			drop_pages(g, keep);
			*pageno -= (unsigned)n;
			return 0;
		}
	}
	g->nunchanged += (unsigned)n;
	return n > 0;
}

/* binding_rtl: 1 if the spread's right-hand page comes first. */
static int
binding_rtl(const struct ingest *g, PIX *pix, json_t *spread)
{
	int rtl;

	if (strcmp(g->binding, "auto") != 0) {
		rtl = strcmp(g->binding, "rtl") == 0;
		json_object_set_new(spread, "binding_from", json_string("setting"));
	} else if (strcmp(g->languages, "auto") != 0) {
		rtl = strncmp(g->languages, "ara", 3) == 0;
		json_object_set_new(spread, "binding_from", json_string("languages"));
	} else {
		rtl = spread_arabic(pix);
		json_object_set_new(spread, "binding_from", json_string("script"));
	}
	json_object_set_new(spread, "binding", json_string(rtl ? "rtl" : "ltr"));
	return rtl;
}

/*
 * write_image: image i of path as one page, or as the two pages of a
 * spread in reading order; base holds the image's metadata.  -1 with a
 * reason in err.
 */
static int
write_image(struct ingest *g, const struct doc *d, const char *path,
    unsigned i, const char *sha, PIX *pix, json_t *base, int single,
    unsigned *pageno, char *err, size_t errlen)
{
	l_int32         gutter = -1, w = pixGetWidth(pix), h = pixGetHeight(pix);
	json_t         *spread = NULL;
	struct timespec ts;
	int             n = 1, k, rtl = 0;
	char           *gt;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (g->split != SPLIT_OFF &&
	    (gutter = spread_gutter(pix, g->split == SPLIT_ON)) > 0 && gutter < w) {
		n = 2;
		spread = json_object();
		json_object_set_new(spread, "gutter_x", json_integer(gutter));
		rtl = binding_rtl(g, pix, spread);
	}
	for (k = 0; k < n; k++) {
		/* k-th page in reading order: left first unless bound on the right */
		int             right = n == 2 && (k == 0) == rtl;
		const char     *part = n == 1 ? "full" : right ? "right" : "left";
		struct wq_page *p = add_row(g, d->id, (*pageno)++, path, i, sha, "ok",
		    part);
		json_t         *meta = wq_meta_new("ingest", p);
		PIX            *page = pixClone(pix);
		int             r;

		json_object_update(meta, base);
		json_object_set_new(meta, "part", json_string(part));
		json_object_set_new(meta, "split", json_string(g->split_name));
		if (n == 2) {
			BOX *b = right ? boxCreate(gutter, 0, w - gutter, h) :
			    boxCreate(0, 0, gutter, h);

			pixDestroy(&page);
			page = pixClipRectangle(pix, b, NULL);
			json_object_set_new(meta, "crop", wq_box_json(b));
			json_object_set(meta, "spread", spread);
			boxDestroy(&b);
		}
		if (single && n == 1 && (gt = ground_truth(path)) != NULL) {
			json_object_set_new(meta, "ground_truth",
			    wq_json_text(gt, PATH_MAX));
			free(gt);
		}
		r = page == NULL ? -1 : write_page(g, p, page, meta,
		    ts.tv_sec + ts.tv_nsec / 1e9, err, errlen);
		if (page == NULL)
			snprintf(err, errlen, "cannot cut the spread at x = %d", gutter);
		pixDestroy(&page);
		json_decref(meta);
		if (r == -1) {
			json_decref(spread);
			return -1;
		}
		g->ningested++;
	}
	json_decref(spread);
	return 0;
}

static void ingest_open(struct ingest *g, const struct doc *d,
    const char *path, const char *src, unsigned *pageno);

/* ingest_file: every image of one source file; *pageno advances. */
static void
ingest_file(struct ingest *g, const struct doc *d, const char *path,
    unsigned *pageno)
{
	char err[512], src[64];
	int  fd;

	g->nfiles++;
	/* read only what is a regular file, through the descriptor that was
	 * checked: every later open is of /proc/self/fd/N, that very file */
	if ((fd = wq_open_regular(path, 0)) == -1) {
		if (errno == EINVAL)
			snprintf(err, sizeof(err), "not a regular file (a FIFO, "
			    "device or socket): not read");
		else
			snprintf(err, sizeof(err), "cannot read: %s", strerror(errno));
		quarantine(g, path, err);
		return;
	}
	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	ingest_open(g, d, path, src, pageno);
	close(fd);
}

/* ingest_open: ingest_file() once path is open as src. */
static void
ingest_open(struct ingest *g, const struct doc *d, const char *path,
    const char *src, unsigned *pageno)
{
	char            sha[65], err[512], dup[WQ_DOCID_MAX + 32];
	const struct seen *s;
	enum ri_format  fmt;
	off_t           size;
	size_t          keep = g->pages.n;
	unsigned        first = *pageno;
	int             count, i;

	if (wq_sha256_file(src, sha, &size) == -1) {
		snprintf(err, sizeof(err), "cannot read: %s", strerror(errno));
		quarantine(g, path, err);
		return;
	}
	if ((s = find_seen(g, sha)) != NULL) {
		for (i = 0; i < (int)s->count; i++) {
			snprintf(dup, sizeof(dup), "duplicate:%s/%04u", s->doc,
			    s->first + i);
			add_row(g, d->id, (*pageno)++, path, i, sha, dup, "full");
			g->nduplicate++;
		}
		wq_warnx(path, "same content as a file of %s; recorded as duplicate",
		    s->doc);
		return;
	}
	note_changed(g, path, sha);
	if (size == 0 || (fmt = ri_sniff(src)) == RI_UNKNOWN) {
		quarantine(g, path, size == 0 ? "empty file" :
		    "not a TIFF, JPEG, PNG or JPEG 2000 file");
		return;
	}
	if (ri_count(src, fmt, &count, err, sizeof(err)) == -1) {
		quarantine(g, path, err);
		return;
	}
	for (i = 0; i < count; i++) {
		json_t *base;
		PIX    *pix;

		if (!g->force && unchanged_image(g, d, path, i, sha, pageno))
			continue;
		base = json_object();
		json_object_set_new(base, "source", wq_json_text(path, PATH_MAX));
		json_object_set_new(base, "source_name",
		    wq_json_text(relname(g, path), PATH_MAX));
		json_object_set_new(base, "source_index", json_integer(i));
		json_object_set_new(base, "source_size", json_integer(size));
		pix = ri_read(src, fmt, i, &g->lim, base, err, sizeof(err));
		errno = 0;
		if (pix == NULL || write_image(g, d, path, i, sha, pix, base,
		    count == 1, pageno, err, sizeof(err)) == -1) {
			/* a full disk is no fault of the source: not quarantined */
			g->full = pix != NULL && wq_full(errno);
			pixDestroy(&pix);
			json_decref(base);
			drop_pages(g, keep);
			*pageno = first;
			if (g->full)
				wq_warnx(path, "%s", err);
			else
				quarantine(g, path, err);
			return;
		}
		pixDestroy(&pix);
		json_decref(base);
	}
	add_seen(g, sha, d->id, first, *pageno - first);
	unquarantine(g, path);
}

/* old_row: is row k of the last pages.tsv one of document d. */
static int
old_row(const struct ingest *g, const struct doc *d, size_t k)
{
	return strcmp(g->old.v[k].doc, d->id) == 0 &&
	    wq_source_in(g->scans, d->name, g->old.v[k].source);
}

/*
 * seen_kept: the sources of the documents not chosen count as ingested
 * (before any chosen one is read), so that a chosen file with the same
 * bytes is recorded as their duplicate, as a whole run would.
 */
static void
seen_kept(struct ingest *g, const struct doc *docs, size_t nd)
{
	struct seen *last;
	size_t       i, k;

	for (i = 0; i < nd; i++)
		for (k = 0; k < g->old.n && !docs[i].chosen; k++) {
			const struct wq_page *o = &g->old.v[k];
			unsigned              n = (unsigned)strtoul(o->page, NULL, 10);

			if (!old_row(g, &docs[i], k) || strcmp(o->status, "ok") != 0)
				continue;
			last = g->nseen > 0 ? &g->seen[g->nseen - 1] : NULL;
			if (last != NULL && strcmp(last->sha256, o->sha256) == 0 &&
			    last->doc == docs[i].id && last->first + last->count == n)
				last->count++;
			else if (find_seen(g, o->sha256) == NULL)
				add_seen(g, o->sha256, docs[i].id, n, 1);
		}
}

/* keep_rows: the rows of a document not chosen, as the last run left them. */
static void
keep_rows(struct ingest *g, const struct doc *d)
{
	const char *src = NULL;
	size_t      k;

	for (k = 0; k < g->old.n; k++) {
		const struct wq_page *o = &g->old.v[k];

		if (!old_row(g, d, k))
			continue;
		add_row(g, o->doc, (unsigned)strtoul(o->page, NULL, 10), o->source,
		    o->index, o->sha256, o->status, o->part);
		g->nfiles += src == NULL || strcmp(src, o->source) != 0;
		g->nduplicate += strcmp(o->status, "ok") != 0;
		src = o->source;
	}
}

/*
 * keep_quarantined: the quarantine list of the last run, but for the files
 * of the chosen documents (this run says what became of them) and the
 * records since removed.
 */
static void
keep_quarantined(struct ingest *g)
{
	char   *path = wq_xasprintf("%s/ingest/summary.json", g->work);
	json_t *sum = wq_json_read(path), *e;
	size_t  k;

	json_array_foreach(json_object_get(sum, "quarantined"), k, e) {
		const char *f = json_string_value(json_object_get(e, "file"));
		char       *top, *id, *q;

		if (f == NULL)
			continue;
		top = wq_xasprintf("%.*s", (int)strcspn(f, "/"), f);
		id = wq_docid_from_name(f);
		q = wq_xasprintf("%s/quarantine/%s.reason", g->work, id);
		if (!chosen(g, top) && wq_exists(q))
			json_array_append(g->quarantined, e);
		free(top);
		free(id);
		free(q);
	}
	json_decref(sum);
	free(path);
}

static int
save_records(struct ingest *g, const struct doc *docs, size_t nd)
{
	char   *buf = NULL, *path;
	size_t  len = 0, i;
	FILE   *f = open_memstream(&buf, &len);
	json_t *sum = json_object();
	int     r = 0;

	fputs("doc\tname\n", f);
	for (i = 0; i < nd; i++) {
		char *name = wq_tsv_escape(docs[i].name);

		fprintf(f, "%s\t%s\n", docs[i].id, name);
		free(name);
	}
	fclose(f);
	path = wq_xasprintf("%s/docs.tsv", g->work);
	if (wq_write_atomic(path, buf, len) == -1 ||
	    wq_pages_save(g->work, &g->pages) == -1) {
		wq_warn(g->work, "cannot write docs.tsv or pages.tsv");
		r = -1;
	}
	free(path);
	free(buf);
	json_object_set_new(sum, "documents", json_integer((json_int_t)nd));
	json_object_set_new(sum, "files", json_integer(g->nfiles));
	json_object_set_new(sum, "pages", json_integer((json_int_t)g->pages.n));
	json_object_set_new(sum, "duplicates", json_integer(g->nduplicate));
	/* what this run did, as opposed to the state of the batch */
	json_object_set_new(sum, "run", json_pack("{s:i, s:i}", "ingested",
	    (json_int_t)g->ningested, "unchanged", (json_int_t)g->nunchanged));
	json_object_set_new(sum, "quarantined", json_incref(g->quarantined));
	json_object_set_new(sum, "skipped", json_incref(g->skipped));
	path = wq_xasprintf("%s/ingest/summary.json", g->work);
	if (wq_json_write(path, sum) == -1) {
		wq_warn(path, "cannot write");
		r = -1;
	}
	free(path);
	json_decref(sum);
	return r;
}

/*
 * dry_list: -n: each document ingest would take, with its files, new or
 * already in pages.tsv (by source name; a changed file is only known once
 * read); the files it skips were said by list_docs().
 */
static void
dry_list(const struct ingest *g, const struct doc *docs, size_t nd)
{
	size_t i, j, k, known;

	for (i = 0; i < nd; i++) {
		if (!docs[i].chosen)
			continue;
		for (j = known = 0; j < docs[i].nfiles; j++)
			for (k = 0; k < g->old.n; k++)
				if (strcmp(g->old.v[k].source, docs[i].files[j]) == 0) {
					known++;
					break;
				}
		printf("ingest %s: %zu %s (%zu new) from %s\n", docs[i].id,
		    docs[i].nfiles, docs[i].nfiles == 1 ? "file" : "files",
		    docs[i].nfiles - known, docs[i].name);
	}
}

/*
 * check_dirs: SCANS_DIR must exist; WORK_DIR must not lie inside it, which
 * is checked before WORK_DIR is created: a refused WORK_DIR must not leave
 * a new folder among the sources.
 */
static void
check_dirs(const char *scans, const char *work, char *rscans)
{
	struct stat st;

	if (wq_dirs_check(scans, work, rscans) == -1)
		exit(2);
	if (wq_mkdirs(work) == -1 || stat(work, &st) == -1)
		wq_errx(2, work, "cannot create: %s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		wq_errx(2, work, "not a folder");
}

int
main(int argc, char **argv)
{
	struct wq_args a;
	struct ingest  g = { 0 };
	struct doc    *docs;
	char           rscans[PATH_MAX];
	size_t         nd, i, j;
	const char    *split;

	wq_args_parse(&a, argc, argv, "ingest", 2);
	g.lim.max_pixels = wq_set_real(&a.profile, "max_pixels");
	g.lim.assume_dpi = (int)wq_set_long(&a.profile, "assume_dpi");
	g.split_name = split = wq_set_text(&a.profile, "split");
	g.split = strcmp(split, "auto") == 0 ? SPLIT_AUTO :
	    strcmp(split, "on") == 0 ? SPLIT_ON : SPLIT_OFF;
	g.binding = wq_set_text(&a.profile, "binding");
	g.languages = wq_set_text(&a.profile, "languages");
	g.follow = wq_set_bool(&a.profile, "follow_symlinks");
	g.force = a.force;
	g.args = &a;
	for (i = 2; i < (size_t)a.npos; i++)
		if (a.pos[i][0] == '\0' || a.pos[i][0] == '.' ||
		    strchr(a.pos[i], '/') != NULL)
			wq_errx(2, a.pos[i], "not a document's name in SCANS_DIR "
			    "(%s --help)", wq_getprogname());
	g.dry = a.dry_run;
	if (g.dry) {		/* nothing made, not even WORK_DIR */
		if (wq_dirs_check(a.pos[0], a.pos[1], rscans) == -1)
			exit(2);
	} else
		check_dirs(a.pos[0], a.pos[1], rscans);
	g.scans = rscans;
	g.work = a.pos[1];
	g.names = a.pos + 2;
	g.nnames = a.npos - 2;
	g.quarantined = json_array();
	g.skipped = json_array();
	ri_quiet();
	if (wq_pages_load(g.work, &g.old) == -1)
		wq_errx(1, g.work, "pages.tsv is damaged; move it away to start "
		    "over");
	docs = list_docs(&g, &nd);
	if (g.dry) {
		dry_list(&g, docs, nd);
		free_docs(docs, nd);
		json_decref(g.quarantined);
		json_decref(g.skipped);
		wq_pages_free(&g.old);
		wq_args_free(&a);
		return 0;
	}
	for (i = 0; i < (size_t)g.nnames; i++)
		if (!named_doc(&g, docs, nd, g.names[i])) {
			wq_warnx(g.names[i], "no such document in %s; skipped",
			    g.scans);
			g.status = 1;
		}
	if (g.nnames > 0) {
		seen_kept(&g, docs, nd);
		keep_quarantined(&g);
	}
	for (i = 0; i < nd && !g.full && !g.gone; i++) {
		unsigned pageno = 1;

		if (!docs[i].chosen)
			keep_rows(&g, &docs[i]);
		for (j = 0; docs[i].chosen && j < docs[i].nfiles && !g.full && !g.gone; j++)
			ingest_file(&g, &docs[i], docs[i].files[j], &pageno);
	}
	if (save_records(&g, docs, nd) == -1)
		g.status = 1;
	if (!a.quiet)
		wq_warnx(g.work, "%zu documents, %zu pages (%u ingested, "
		    "%u unchanged, %u duplicates), %zu files quarantined",
		    nd, g.pages.n, g.ningested,
		    g.nunchanged, g.nduplicate, json_array_size(g.quarantined));
	if (g.full)
		wq_full_exit(g.work);
	if (g.gone)
		wq_errx(2, g.scans, "the scans folder vanished during the run: "
		    "stopped (what was ingested is kept; nothing quarantined)");
	free_docs(docs, nd);
	wq_osd_done();
	free(g.seen);
	json_decref(g.quarantined);
	json_decref(g.skipped);
	wq_pages_free(&g.old);
	wq_pages_free(&g.pages);
	wq_args_free(&a);
	return g.status;
}

/*
 * doc.c - stages whose unit is a whole document (kind WQ_DOC: the PDF).
 *
 *   wq_doc_pages()        the processable pages of a document, in order
 *   wq_doc_sidecar()      WORK/STAGE/DOC.EXT
 *   wq_doc_state()        done / failed / pending of a document in a stage
 *   wq_doc_input_state()  are all of a document's pages done upstream
 *   wq_doc_main()         main() of a document stage: select, run, record
 *
 * A document is done in a stage when WORK/STAGE/DOC.json lists exactly
 * the document's pages with the checksum of the source each came from:
 * a rescanned source, or a page more or less, makes it stale.  So does a
 * page whose result in the input stage changed since (its fingerprint,
 * stage.c: a page redone by hand), and a setting of the stage changed in
 * the batch: the document is made again from what its pages are now.  It can run
 * once every page of it is done in the input stage; a page that failed
 * there keeps the whole document out, with that page's reason.
 */
#include <stdlib.h>
#include <string.h>

#include "wq.h"

/* wq_doc_pages: owned array of pointers into pp, *np of them (0: NULL). */
const struct wq_page **
wq_doc_pages(const struct wq_pages *pp, const char *doc, size_t *np)
{
	const struct wq_page **v = NULL;
	size_t i, n = 0;

	for (i = 0; i < pp->n; i++)
		if (strcmp(pp->v[i].doc, doc) == 0 &&
		    strcmp(pp->v[i].status, "ok") == 0) {
			v = wq_xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = &pp->v[i];
		}
	*np = n;
	return v;
}

char *
wq_doc_sidecar(const char *work, const char *stage, const char *doc,
    const char *ext)
{
	return wq_xasprintf("%s/%s/%s.%s", work, stage, doc, ext);
}

/* same_pages: does a sidecar's "pages" array list exactly these pages. */
static int
same_pages(json_t *list, const struct wq_page **v, size_t n)
{
	size_t i;

	if (!json_is_array(list) || json_array_size(list) != n)
		return 0;
	for (i = 0; i < n; i++) {
		json_t     *e = json_array_get(list, i);
		const char *page = json_string_value(json_object_get(e, "page"));
		const char *sha = json_string_value(json_object_get(e,
		    "source_sha256"));

		if (page == NULL || sha == NULL || strcmp(page, v[i]->page) != 0 ||
		    strcmp(sha, v[i]->sha256) != 0)
			return 0;
	}
	return 1;
}

/*
 * input_fingerprints: what a document of stage is made from: for an
 * input stage of pages, the SHA-256 of their fingerprints there; for a
 * document input stage (the package after the PDF), the fingerprint of
 * its DOC.json.  A new string.
 */
static char *
input_fingerprints(const char *work, const char *input,
    const struct wq_page **v, size_t n)
{
	const struct wq_stagedef *s = input ? wq_stage_find(input) : NULL;
	char                     *all = wq_xstrdup(""), *t, *fp;
	size_t                    i;

	if (s != NULL && s->kind == WQ_DOC && n > 0) {
		char       *path = wq_doc_sidecar(work, input, v[0]->doc, "json");
		json_t     *j = wq_json_read(path);
		const char *f = json_string_value(json_object_get(j, "fingerprint"));

		t = wq_xstrdup(f ? f : "");
		json_decref(j);
		free(path);
		free(all);
		return t;
	}
	for (i = 0; i < n; i++) {
		fp = wq_page_fingerprint(work, input, v[i]);
		t = wq_xasprintf("%s%s\n", all, fp);
		free(all);
		free(fp);
		all = t;
	}
	t = wq_xmalloc(65);	/* one fingerprint of them all */
	wq_sha256_buf(all, strlen(all), t);
	free(all);
	return t;
}

/* read_reason: the first line of an .error file, or NULL. */
static char *
read_reason(const char *path)
{
	char *s = wq_read_file(path, 1 << 16, NULL);

	if (s != NULL)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

/* wq_doc_state: *reason (may be NULL) gets why it failed, owned. */
enum wq_state
wq_doc_state(const char *work, const char *stage, const struct wq_pages *pp,
    const char *doc, char **reason)
{
	char                 *path = wq_doc_sidecar(work, stage, doc, "json");
	json_t               *j = wq_json_read(path);
	size_t                n;
	const struct wq_page **v = wq_doc_pages(pp, doc, &n);
	enum wq_state         st = WQ_PENDING;

	free(path);
	if (reason != NULL)
		*reason = NULL;
	if (j != NULL && n > 0 && same_pages(json_object_get(j, "pages"), v, n)) {
		char *in = json_object_get(j, "made_with") == NULL ? NULL :
		    input_fingerprints(work, json_string_value(json_object_get(j,
		    "input")), v, n);

		if (wq_made_current(stage, j, in))
			st = WQ_DONE;
		free(in);
	}
	json_decref(j);
	free(v);
	if (st == WQ_DONE)
		return st;
	path = wq_doc_sidecar(work, stage, doc, "error");
	if (wq_exists(path)) {
		st = WQ_FAILED;
		if (reason != NULL)
			*reason = read_reason(path);
	}
	free(path);
	return st;
}

/*
 * wq_doc_input_state: WQ_DONE when every page is done in input, WQ_FAILED
 * (with the first failed page and its reason) when one failed there,
 * WQ_PENDING otherwise.  A document with no input stage is done.  When
 * the input is itself a document stage (the package after the PDF), the
 * document's state there.
 */
enum wq_state
wq_doc_input_state(const char *work, const struct wq_profile *pr,
    const char *input, const struct wq_pages *pp, const char *doc,
    char **reason)
{
	const struct wq_stagedef *s = input ? wq_stage_find(input) : NULL;
	size_t                n, i;
	const struct wq_page **v;
	enum wq_state         st;
	char                 *why = NULL;

	if (reason != NULL)
		*reason = NULL;
	if (s != NULL && s->kind == WQ_DOC) {
		st = wq_doc_state(work, input, pp, doc, &why);
		if (st == WQ_FAILED && reason != NULL)
			*reason = wq_xasprintf("failed in %s: %s", input,
			    why ? why : "no reason recorded");
		else if (st == WQ_PENDING)	/* a page failed before it? */
			st = wq_doc_input_state(work, pr, wq_stage_input(pr, input),
			    pp, doc, reason) == WQ_FAILED ? WQ_FAILED : WQ_PENDING;
		free(why);
		return st;
	}
	v = wq_doc_pages(pp, doc, &n);
	st = n > 0 ? WQ_DONE : WQ_PENDING;
	for (i = 0; i < n && input != NULL && st != WQ_FAILED; i++)
		switch (wq_page_state(work, input, v[i], &why)) {
		case WQ_DONE:
			break;
		case WQ_FAILED:
			st = WQ_FAILED;
			if (reason != NULL)
				*reason = wq_xasprintf("page %s failed in %s: %s",
				    v[i]->page, input, why ? why : "no reason recorded");
			break;
		default:
			st = WQ_PENDING;
		}
	free(why);
	free(v);
	return st;
}

struct doccall {
	const struct wq_args  *a;
	const char            *doc;
	const struct wq_page **v;
	size_t                 n;
	wq_doc_fn              fn;
};

static int
call_doc(void *ctx, json_t *meta, char *err, size_t errlen)
{
	struct doccall *c = ctx;

	return c->fn(c->a, c->doc, c->v, c->n, meta, err, errlen);
}

/* run_doc: one document through fn; the sidecar lists its pages. */
static int
run_doc(const char *stage, const struct wq_args *a, const struct wq_pages *pp,
    const char *doc, wq_doc_fn fn)
{
	char          *json = wq_doc_sidecar(a->work, stage, doc, "json");
	char          *errpath = wq_doc_sidecar(a->work, stage, doc, "error");
	json_t        *meta = json_object(), *pages = json_array();
	struct doccall c = { a, doc, NULL, 0, fn };
	size_t         i;
	int            r;

	c.v = wq_doc_pages(pp, doc, &c.n);
	json_object_set_new(meta, "doc", json_string(doc));
	json_object_set_new(meta, "stage", json_string(stage));
	json_object_set_new(meta, "warraq_version", json_string(WQ_VERSION));
	json_object_set_new(meta, "input", json_string(a->input));
	for (i = 0; i < c.n; i++)
		json_array_append_new(pages, json_pack("{s:s, s:s}", "page",
		    c.v[i]->page, "source_sha256", c.v[i]->sha256));
	json_object_set_new(meta, "pages", pages);
	{
		char *in = input_fingerprints(a->work, a->input, c.v, c.n);

		wq_made_with(stage, a, in, meta);
		free(in);
	}
	r = wq_run_unit(stage, doc, json, errpath, doc, meta, call_doc, &c);
	if (r == 0 && !a->quiet)
		wq_unit_note(doc, meta);
	json_decref(meta);
	free(c.v);
	free(json);
	free(errpath);
	return r;
}

/*
 * wq_doc_main: the whole main() of a document stage.  With no documents
 * named, runs every document whose pages the input stage finished and
 * that this stage has not (all of them with --force); named documents
 * are run whatever their state, if their pages are ready.  A document
 * kept out by a failed page is named on stderr with the reason and makes
 * the exit status 1.
 */
int
wq_doc_main(const char *stage, int argc, char **argv, wq_init_fn init,
    wq_doc_fn fn)
{
	struct wq_args  a;
	struct wq_pages pp = { 0 };
	json_t         *seen = json_object();
	size_t          i, n;
	int             status = 0, k;

	wq_args_parse(&a, argc, argv, stage, 1);
	a.work = a.pos[0];
	if (wq_workdir(a.work, 1) == -1 || wq_args_batch(&a, stage) == -1 ||
	    (a.input = wq_stage_input(&a.profile, stage),
	    a.image = wq_stage_image(&a.profile, stage),
	    wq_stage_init(&a, init)) == -1) {
		status = 2;
		goto out;
	}
	if (wq_pages_load(a.work, &pp) == -1) {
		wq_warn(a.work, "cannot read pages.tsv");
		status = 1;
		goto out;
	}
	for (k = 1; k < a.npos; k++) {
		const struct wq_page **v = wq_doc_pages(&pp, a.pos[k], &n);

		free(v);
		if (!wq_docid_valid(a.pos[k]) || n == 0) {
			wq_warnx(a.pos[k], "not a document of this batch");
			status = 1;
		} else
			json_object_set_new(seen, a.pos[k], json_false());
	}
	if (a.npos == 1)	/* every document, in pages.tsv order */
		for (i = 0; i < pp.n; i++)
			if (strcmp(pp.v[i].status, "ok") == 0 &&
			    json_object_get(seen, pp.v[i].doc) == NULL)
				json_object_set_new(seen, pp.v[i].doc, json_false());
	for (i = 0; i < pp.n; i++) {
		const char *doc = pp.v[i].doc;
		json_t     *s = json_object_get(seen, doc);
		char       *why;

		if (s == NULL || json_is_true(s))
			continue;
		json_object_set_new(seen, doc, json_true());
		if (a.npos == 1 && !a.force &&
		    wq_doc_state(a.work, stage, &pp, doc, NULL) == WQ_DONE)
			continue;
		switch (wq_doc_input_state(a.work, &a.profile, a.input, &pp, doc,
		    &why)) {
		case WQ_DONE:
			if (a.dry_run)
				printf("%s %s\n", stage, doc);
			else if (run_doc(stage, &a, &pp, doc, fn) != 0)
				status = 1;
			break;
		case WQ_FAILED:
			wq_warnx(doc, "skipped: %s", why);
			status = 1;
			break;
		default:
			if (a.npos > 1) {
				wq_warnx(doc, "not every page is done in %s yet",
				    a.input);
				status = 1;
			}
		}
		free(why);
	}
out:
	json_decref(seen);
	wq_pages_free(&pp);
	wq_args_free(&a);
	return status;
}

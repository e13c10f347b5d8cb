/*
 * status.c - `warraq status WORK_DIR`: where a batch stands.
 *
 *   status_main()       per stage: pages (documents for the PDF) done,
 *                       failed, pending, blocked; then every failed page
 *                       with its reason; the Slurm jobs of the batch
 *   stage_counts()      the four counts of one stage (and the failures)
 *   quarantine_count()  files ingest set aside
 *
 * Read-only: it takes no lock and can watch a batch that is running.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

unsigned
quarantine_count(const char *work)
{
	char          *q = wq_xasprintf("%s/quarantine", work);
	DIR           *d = opendir(q);
	struct dirent *e;
	unsigned       n = 0;

	free(q);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (e->d_name[0] != '.' && l > 7 &&
		    strcmp(e->d_name + l - 7, ".reason") == 0)
			n++;
	}
	closedir(d);
	return n;
}

/*
 * list_unit: one line of the list of failures, when list is not NULL; the
 * reason, written by a stage about a file, is shown with its control
 * characters escaped.
 */
static void
list_unit(FILE *list, const char *what, const char *stage, const char *doc,
    const char *page, const char *why)
{
	char *e;

	if (list == NULL)
		return;
	e = wq_ctl_escape(why ? why : "(no reason recorded)");
	fprintf(list, "  %s %s %s%s%s: %s\n", what, stage, doc, page ? "/" : "",
	    page ? page : "", e);
	free(e);
}

/*
 * doc_counts: stage_counts for a document stage: documents, not pages;
 * a document kept out by a page failed upstream is listed as skipped.
 */
static void
doc_counts(const char *work, const struct wq_stagedef *s,
    const struct wq_profile *pr, const char *in, const struct wq_pages *pp,
    struct stage_count *c, FILE *list)
{
	json_t *seen = json_object();
	size_t  i;

	for (i = 0; i < pp->n; i++) {
		const char *doc = pp->v[i].doc;
		char       *why = NULL;

		if (strcmp(pp->v[i].status, "ok") != 0 ||
		    json_object_get(seen, doc) != NULL)
			continue;
		json_object_set_new(seen, doc, json_true());
		switch (wq_doc_state(work, s->name, pp, doc, &why)) {
		case WQ_DONE:
			c->done++;
			break;
		case WQ_FAILED:
			c->failed++;
			list_unit(list, "failed", s->name, doc, NULL, why);
			break;
		default:
			switch (wq_doc_input_state(work, pr, in, pp, doc, &why)) {
			case WQ_DONE:
				c->pending++;
				break;
			case WQ_FAILED:
				list_unit(list, "skipped", s->name, doc, NULL,
				    why);
				/* FALLTHROUGH */
			default:
				c->blocked++;
			}
		}
		free(why);
	}
	json_decref(seen);
}

/*
 * stage_counts: a page is blocked when its input stage has not finished
 * it (failed or not run); failed pages are listed on list (may be NULL).
 * A document stage counts documents.
 */
int
stage_counts(const char *work, const struct wq_stagedef *s,
    const struct wq_profile *pr, struct stage_count *c, FILE *list)
{
	struct wq_pages pp = { 0 };
	const char     *in = wq_stage_input(pr, s->name);
	size_t          i;

	memset(c, 0, sizeof(*c));
	if (wq_pages_load(work, &pp) == -1)
		return -1;
	if (!wq_stage_per_page(s)) {
		doc_counts(work, s, pr, in, &pp, c, list);
		wq_pages_free(&pp);
		return 0;
	}
	for (i = 0; i < pp.n; i++) {
		const struct wq_page *p = &pp.v[i];
		char *why = NULL;

		if (strcmp(p->status, "ok") != 0)
			continue;
		switch (wq_page_state(work, s->name, p, &why)) {
		case WQ_DONE:
			c->done++;
			break;
		case WQ_FAILED:
			c->failed++;
			list_unit(list, "failed", s->name, p->doc, p->page, why);
			break;
		default:
			if (in != NULL && wq_page_state(work, in, p, NULL) != WQ_DONE)
				c->blocked++;
			else
				c->pending++;
		}
		free(why);
	}
	wq_pages_free(&pp);
	return 0;
}

int
status_main(const char *work)
{
	struct wq_profile pr = { 0 };
	struct wq_pages   pp = { 0 };
	char             *conf = wq_xasprintf("%s/profile.conf", work), *ework;
	size_t            i, dup = 0;
	struct stage_count c;

	if (wq_workdir(work, 0) == -1) {
		free(conf);
		return 2;
	}
	if (wq_exists(conf) && wq_profile_load(&pr, conf) == -1)
		return 1;
	free(conf);
	wq_state_profile(&pr);	/* results held to the batch's settings */
	if (wq_pages_load(work, &pp) == -1) {
		wq_warn(work, "cannot read pages.tsv");
		return 1;
	}
	for (i = 0; i < pp.n; i++)
		if (strcmp(pp.v[i].status, "ok") != 0)
			dup++;
	ework = wq_ctl_escape(work);	/* a path, shown on a terminal */
	printf("%s: %zu pages, %zu duplicates, %u files quarantined\n", ework,
	    pp.n - dup, dup, quarantine_count(work));
	wq_pages_free(&pp);
	printf("%-8s %8s %8s %8s %8s\n", "stage", "done", "failed", "pending",
	    "blocked");
	for (i = 0; i < wq_nstages; i++) {
		if (!wq_stage_enabled(&pr, wq_stages[i].name))
			continue;
		if (wq_stages[i].kind == WQ_BATCH) {	/* one file, not pages */
			char *f = wq_xasprintf("%s/%s/report.json", work,
			    wq_stages[i].name);

			if (wq_exists(f))
				printf("%-8s %s/%s/report.json\n",
				    wq_stages[i].name, ework, wq_stages[i].name);
			else
				printf("%-8s not written yet\n", wq_stages[i].name);
			free(f);
			continue;
		}
		if (stage_counts(work, &wq_stages[i], &pr, &c, NULL) == -1) {
			free(ework);
			return 1;
		}
		printf("%-8s %8u %8u %8u %8u\n", wq_stages[i].name, c.done,
		    c.failed, c.pending, c.blocked);
	}
	for (i = 0; i < wq_nstages; i++)
		if (wq_stage_enabled(&pr, wq_stages[i].name) &&
		    wq_stages[i].kind != WQ_BATCH)
			stage_counts(work, &wq_stages[i], &pr, &c, stdout);
	slurm_status(work);
	free(ework);
	wq_state_profile(NULL);
	wq_profile_free(&pr);
	return 0;
}

/*
 * plan.c - what a stage has to run: the planning both engines share.
 *
 *   plan_unit_name()   DOC/PAGE, or DOC for a document stage
 *   plan_unit_state()  done / failed / pending of a unit in its stage
 *   plan_unit_file()   WORK/STAGE/DOC/PAGE.EXT, or WORK/STAGE/DOC.EXT
 *   plan_input_state() is a unit done in its input stage, or planned there
 *   plan_stage()       the units a stage can run now, or once its input
 *                      stage has run the units planned for it
 *   plan_free()
 *
 * A unit is a page, or for a document stage (WQ_DOC) a document, named
 * by its first row in pages.tsv.  The local engine plans one stage at a
 * time, when the stage before it is over; the Slurm engine plans every
 * stage before any runs, so a page still pending in the input stage
 * counts as ready when the input stage's plan holds it.
 */
#include <stdlib.h>
#include <string.h>

#include "driver.h"

static int
is_doc(const struct wq_stagedef *s)
{
	return s->kind == WQ_DOC;
}

char *
plan_unit_name(const struct wq_stagedef *s, const struct wq_pages *pp, size_t i)
{
	const struct wq_page *p = &pp->v[i];

	return is_doc(s) ? wq_xstrdup(p->doc) :
	    wq_xasprintf("%s/%s", p->doc, p->page);
}

char *
plan_unit_file(const char *work, const struct wq_stagedef *s,
    const struct wq_pages *pp, size_t i, const char *ext)
{
	const struct wq_page *p = &pp->v[i];

	return is_doc(s) ? wq_doc_sidecar(work, s->name, p->doc, ext) :
	    wq_sidecar(work, s->name, p->doc, p->page, ext);
}

/* plan_unit_state: *why (may be NULL) gets a failure's reason, owned. */
enum wq_state
plan_unit_state(const char *work, const struct wq_stagedef *s,
    const struct wq_pages *pp, size_t i, char **why)
{
	return is_doc(s) ? wq_doc_state(work, s->name, pp, pp->v[i].doc, why) :
	    wq_page_state(work, s->name, &pp->v[i], why);
}

/*
 * doc_input: wq_doc_input_state(), but a page (or, after a document
 * stage, the document) that up plans to run counts as done there.
 */
static enum wq_state
doc_input(const struct run_opts *o, const char *in, const struct wq_pages *pp,
    const char *doc, const struct plan *up, char **why)
{
	const struct wq_stagedef *s = wq_stage_find(in);
	const struct wq_page    **v;
	enum wq_state             st = WQ_DONE;
	size_t                    n, i;
	char                     *r;

	*why = NULL;
	v = wq_doc_pages(pp, doc, &n);
	if (s->kind == WQ_DOC) {	/* planned there: at its first row */
		st = n > 0 && up->rows[v[0] - pp->v] ? WQ_DONE :
		    wq_doc_input_state(o->work, &o->profile, in, pp, doc, why);
		free(v);
		return st;
	}
	for (i = 0; i < n && st != WQ_FAILED; i++) {
		if (up->rows[v[i] - pp->v])
			continue;
		switch (wq_page_state(o->work, in, v[i], &r)) {
		case WQ_DONE:
			break;
		case WQ_FAILED:
			*why = wq_xasprintf("page %s failed in %s: %s", v[i]->page,
			    in, r ? r : "no reason recorded");
			st = WQ_FAILED;
			break;
		default:
			st = WQ_PENDING;
		}
		free(r);
	}
	free(v);
	return st;
}

/*
 * plan_input_state: is unit i done in its input stage (WQ_DONE), or
 * planned there by up (may be NULL); *why (may be NULL) gets the reason
 * a document is kept out by a page failed upstream, owned.
 */
enum wq_state
plan_input_state(const struct run_opts *o, const struct wq_stagedef *s,
    const struct wq_pages *pp, size_t i, const struct plan *up, char **why)
{
	const char *in = wq_stage_input(&o->profile, s->name);
	char       *r = NULL;
	enum wq_state st;

	if (is_doc(s))
		st = up != NULL && in != NULL ?
		    doc_input(o, in, pp, pp->v[i].doc, up, &r) :
		    wq_doc_input_state(o->work, &o->profile, in, pp,
		    pp->v[i].doc, &r);
	else if (in == NULL || (up != NULL && up->rows[i]))
		st = WQ_DONE;
	else
		st = wq_page_state(o->work, in, &pp->v[i], NULL);
	if (why != NULL)
		*why = r;
	else
		free(r);
	return st;
}

/* taken: is page p in the entries of SCANS_DIR the run is limited to. */
static int
taken(const struct run_opts *o, const struct wq_page *p)
{
	int i;

	for (i = 0; i < o->ndocs; i++)
		if (wq_source_in(o->scans, o->docs[i], p->source))
			return 1;
	return o->ndocs == 0;
}

/*
 * redone_upstream: does up (may be NULL) plan the input of unit i: the
 * page, or a page of the document.  A unit done now is then made again:
 * its input's fingerprint changes (stage.c).
 */
static int
redone_upstream(const struct wq_stagedef *s, const struct wq_pages *pp,
    size_t i, const struct plan *up)
{
	size_t j;

	if (up == NULL || up->rows == NULL)
		return 0;
	if (!is_doc(s))
		return up->rows[i];
	for (j = 0; j < pp->n; j++)
		if (up->rows[j] && strcmp(pp->v[j].doc, pp->v[i].doc) == 0)
			return 1;
	return 0;
}

/*
 * ready: can unit i (a page, or the first row of a document) run now, or
 * after up (may be NULL); pl->blocked counts those waiting for the input
 * stage; seen holds the documents met.  A document kept out by a page
 * that failed upstream is named, with the reason.
 */
static int
ready(const struct run_opts *o, const struct wq_stagedef *s,
    const struct wq_pages *pp, size_t i, const struct plan *up, json_t *seen,
    struct plan *pl)
{
	const struct wq_page *p = &pp->v[i];
	char                 *why = NULL;
	enum wq_state         st;

	if (strcmp(p->status, "ok") != 0 || !taken(o, p) || (is_doc(s) &&
	    json_object_get(seen, p->doc) != NULL) ||
	    (plan_unit_state(o->work, s, pp, i, NULL) == WQ_DONE &&
	    !redone_upstream(s, pp, i, up)))
		return 0;
	if (is_doc(s))
		json_object_set_new(seen, p->doc, json_true());
	st = plan_input_state(o, s, pp, i, up, &why);
	if (st == WQ_FAILED && why != NULL && !o->quiet)
		wq_warnx(NULL, "%s %s skipped: %s", s->name, p->doc, why);
	free(why);
	if (st != WQ_DONE)
		pl->blocked++;
	return st == WQ_DONE;
}

/*
 * plan_stage: marks in pl->rows the units of stage s that can run now or,
 * when up is the plan of s's input stage, once up has run.  With
 * o->units set, only the units it names are looked at (a Slurm task's).
 */
void
plan_stage(const struct run_opts *o, const struct wq_stagedef *s,
    const struct wq_pages *pp, const struct plan *up, struct plan *pl)
{
	json_t *seen = json_object();
	size_t  i;

	memset(pl, 0, sizeof(*pl));
	pl->rows = calloc(pp->n + 1, 1);
	if (pl->rows == NULL)
		abort();
	for (i = 0; i < pp->n; i++) {
		if (o->units != NULL) {
			char *name = plan_unit_name(s, pp, i);
			int   mine = json_object_get(o->units, name) != NULL;

			free(name);
			if (!mine)
				continue;
		}
		if (ready(o, s, pp, i, up, seen, pl)) {
			pl->rows[i] = 1;
			pl->n++;
		}
	}
	json_decref(seen);
}

void
plan_free(struct plan *pl)
{
	free(pl->rows);
	pl->rows = NULL;
}

/*
 * engine.c - `warraq run`: the stages in order, by the engine chosen
 * here, the one place it is chosen (local worker processes, run.c, or
 * Slurm job arrays, slurm.c), and the batch's summary.
 *
 *   run_batch()    lock WORK, record the settings, run the stages in
 *                  order, print the summary; returns the exit status
 *   run_stages()   the stages in order, no more (warraq watch holds the
 *                  lock itself and runs them once a document is complete)
 *   redo()         --redo STAGE [DOC[/PAGE] ...]: results set pending
 *
 * The files of pipeline/ call downwards only: warraq.c -> watch.c ->
 * engine.c -> slurm.c -> run.c -> plan.c, status.c and batch.c beside
 * (tests/e2e/code_map.sh checks that no two call each other in a loop).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"

static void
summary(const struct run_opts *o, double t0)
{
	struct wq_pages pp = { 0 };
	struct stage_count c;
	unsigned  out = 0, failed = 0;
	size_t    i, in = 0;
	char      wall[32];
	const char *last = NULL;

	for (i = 0; i < wq_nstages; i++)
		if (wq_stage_enabled(&o->profile, wq_stages[i].name) &&
		    wq_stages[i].kind != WQ_BATCH &&
		    stage_counts(o->work, &wq_stages[i], &o->profile, &c,
		    NULL) == 0) {
			failed += c.failed;
			if (wq_stages[i].kind == WQ_PAGE)	/* pages out */
				last = wq_stages[i].name, out = c.done;
		}
	if (wq_pages_load(o->work, &pp) == 0)
		for (i = 0; i < pp.n; i++)
			in += strcmp(pp.v[i].status, "ok") == 0;
	wq_pages_free(&pp);
	run_fmt_time(run_clock() - t0, wall, sizeof(wall));
	wq_warnx(o->work, "%zu pages in, %u out of %s, %u failed, "
	    "%u files quarantined, wall time %s", in, out,
	    last ? last : "-", failed, quarantine_count(o->work), wall);
	if (failed > 0 || run_failed() > 0) {
		fprintf(stderr, "warraq: failed pages:\n");
		for (i = 0; i < wq_nstages; i++)
			if (wq_stage_enabled(&o->profile, wq_stages[i].name) &&
			    wq_stages[i].kind != WQ_BATCH)
				stage_counts(o->work, &wq_stages[i], &o->profile,
				    &c, stderr);
	}
	wq_warnx(NULL, "outputs in %s/<stage>/, logs in %s/logs/, "
	    "state: warraq status %s", o->work, o->work, o->work);
}

/*
 * run_stages: the selected stages in order; 0 all done, 1 some page,
 * document or file failed, 2 a stage stopped the run, 130 interrupted,
 * WQ_EXIT_FULL the work directory's disk is full.
 */
int
run_stages(struct run_opts *o)
{
	struct plan up = { 0 };
	size_t      i;
	int         r = 0;

	run_reset();
	if (o->dry_run)		/* each stage's plan, for the one after */
		o->dry_up = &up;
	for (i = 0; i < wq_nstages && r == 0 && !run_stopped(); i++) {
		if (!run_selected(o, i))
			continue;
		if (o->slurm) {		/* every selected stage, from here */
			if ((r = slurm_run(o)) == WQ_EXIT_FULL)
				run_full(), r = 0;
			break;
		}
		r = run_stage(o, &wq_stages[i]);
	}
	plan_free(&up);
	o->dry_up = NULL;
	if (run_stopped() != 0)
		return run_stopped();
	return r != 0 ? 2 : run_failed() > 0;
}

/*
 * redo: --redo STAGE [DOC[/PAGE] ...]: the stage's results of those units
 * (all, with none named) are set pending, their sidecars removed, so this
 * run makes them again, and then whatever was made from them whose input
 * changed; with apply 0, only counted (and the names checked).  Returns
 * the units, or -1 on a name that is no unit of the batch (said).
 */
static long
redo(const struct run_opts *o, int apply)
{
	const struct wq_stagedef *s = wq_stage_find(o->redo);
	struct wq_pages           pp = { 0 };
	size_t                    i;
	long                      n = 0;
	int                       k, bad = 0;
	char                     *seen = NULL;

	if (wq_pages_load(o->work, &pp) == -1)
		return 0;	/* a new batch: nothing to redo */
	seen = calloc(o->nredo_units + 1, 1);
	if (seen == NULL)
		abort();
	for (i = 0; i < pp.n; i++) {
		const struct wq_page *p = &pp.v[i];
		int                   want = o->nredo_units == 0;
		char                 *path;

		for (k = 0; k < o->nredo_units; k++) {
			const char *u = o->redo_units[k];
			size_t      dl = strlen(p->doc);

			if (strncmp(u, p->doc, dl) == 0 && (u[dl] == '\0' ||
			    (u[dl] == '/' && strcmp(u + dl + 1, p->page) == 0)))
				want = 1, seen[k] = 1;
		}
		if (!want || strcmp(p->status, "ok") != 0)
			continue;
		path = s->kind == WQ_DOC ?
		    wq_doc_sidecar(o->work, s->name, p->doc, "json") :
		    wq_sidecar(o->work, s->name, p->doc, p->page, "json");
		if (wq_exists(path)) {
			n++;
			if (apply && wq_remove(path) == -1)
				wq_warn(path, "cannot remove");
		}
		free(path);
	}
	for (k = 0; k < o->nredo_units; k++)
		if (!seen[k]) {
			wq_warnx(o->redo_units[k], "no such document or page in "
			    "this batch");
			bad = 1;
		}
	free(seen);
	wq_pages_free(&pp);
	return bad ? -1 : n;
}

int
run_batch(struct run_opts *o)
{
	double t0 = run_clock();
	int    lock = -1, r;
	long   n = 0;

	/* --redo's names checked before anything is written */
	if (o->redo != NULL && (n = redo(o, 0)) == -1)
		return 2;
	if (!o->dry_run) {
		if (wq_mkdirs(o->work) == -1) {
			wq_warn(o->work, "cannot create");
			return 2;
		}
		if (wq_workdir(o->work, 1) == -1)
			return 2;
		if ((lock = lock_work(o->work)) < 0)
			return lock == -2 ? WQ_EXIT_BUSY : 2;
		/* what a killed run was writing: never renamed into place (not
		 * with Slurm: its tasks' processes are on other nodes) */
		if (!o->slurm && wq_clear_dead_tmp(o->work) > 0 && !o->quiet)
			wq_warnx(o->work, "temporary files of an earlier, "
			    "killed run removed");
		if (batch_record(o) == -1) {
			wq_warn(o->work, "cannot write batch.json or profile.conf");
			return 1;
		}
		if (o->redo != NULL)
			n = redo(o, 1);
	}
	if (o->redo != NULL && !o->quiet)
		fprintf(o->dry_run ? stdout : stderr, "%s%s: %ld %s %s made "
		    "again%s\n", o->dry_run ? "" : "warraq: ", o->redo, n,
		    wq_stage_find(o->redo)->kind == WQ_DOC ? "documents" : "pages",
		    o->dry_run ? "would be" : "to be", o->dry_run ?
		    " (not in the list below: a dry run changes nothing)" : "");
	run_signals();
	r = run_stages(o);
	if (o->dry_run)
		return r == 0 ? 0 : 1;
	if (r == 130) {
		fprintf(stderr, "\nwarraq: interrupted; run the same command "
		    "again to finish the batch\n");
		close(lock);
		return 130;
	}
	summary(o, t0);
	close(lock);
	if (r == WQ_EXIT_FULL) {
		wq_warnx(o->work, "the batch stopped: no space left on the work "
		    "directory's file system; free space and run the same "
		    "command again");
		return WQ_EXIT_FULL;
	}
	return r != 0 || quarantine_count(o->work) > 0 ? 1 : 0;
}

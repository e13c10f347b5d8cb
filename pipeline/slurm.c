/*
 * slurm.c - `warraq run --engine slurm`: the batch's work as Slurm job
 * arrays, for a cluster whose nodes share WORK_DIR.
 *
 *   slurm_run()     ingest, then plan every later stage, submit one job
 *                   array a stage, wait for them, account for every task
 *   slurm_task()    `warraq slurm-task STAGE WORK`: one array task, on
 *                   the node Slurm chose
 *   slurm_status()  the jobs in WORK/slurm.json and their states
 *   slurm_cancel()  `warraq cancel WORK`: scancel those still queued
 *
 * The pages that need a per-page stage are cut into chunks of `chunk`
 * pages in pages.tsv order, the same chunks for every per-page stage, so
 * that task i of clean waits only for task i of deskew
 * (--dependency=aftercorr): a page's OCR starts when its cleanup is done,
 * not when the whole stage is.  The document stages wait for the stage
 * before them as a whole (afterany), the report for the PDFs, the
 * package for the report.  Ingest runs here first, once the jobs of an
 * earlier run still queued are over: it makes the list of pages the plan
 * is made from, and must not change it under running tasks.
 *
 * A task runs the local engine over its own units (run_stage() with
 * o->units): one stage process for its chunk, a page that fails or
 * crashes its stage recorded in PAGE.error as locally, the same logs.
 * So a task succeeds when its pages failed, and only a task Slurm killed
 * (time limit, memory, node) breaks the chain: its pages not done are
 * recorded failed with the Slurm job id, and the tasks after it are
 * cancelled by Slurm (--kill-on-invalid-dep).  The task decides what to
 * run from the files in WORK when it starts, as a local run does: the
 * same command again resubmits only what is not done.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"

extern char **environ;

struct tasks {			/* the units of an array, task by task */
	size_t  n;		/* tasks */
	size_t *first;		/* task t: rows[first[t]] to rows[first[t + 1]] */
	size_t *rows;		/* rows of pages.tsv (the end excluded) */
};

struct job {
	const struct wq_stagedef *s;
	char               *id;		/* Slurm's job id */
	char               *dep;	/* its --dependency, or NULL */
	const struct tasks *t;		/* NULL: one job, not an array */
	size_t              n;		/* its tasks (1 for a single job) */
	char              **state;	/* each task's last state seen */
	long               *code;	/* and its exit code (a wait status) */
	char               *over;	/* 1 once a task's end is accounted for */
};

struct sl {			/* one Slurm run */
	struct run_opts *o;
	char            *work;		/* absolute: tasks run elsewhere */
	struct wq_pages  pp;
	struct plan     *plan;		/* per stage (rows NULL: not planned) */
	struct tasks     pages;		/* the chunks of the per-page stages */
	struct tasks    *docs;		/* per stage: a document stage's */
	struct job      *jobs;
	size_t           njobs;
	unsigned         failed, unfinished;
	int              full, tty;
};

/* states after which a task will not run again */
static const char *const ended[] = { "COMPLETED", "FAILED", "CANCELLED",
	"TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE",
	"PREEMPTED", "gone", NULL };

static int
is_over(const char *state)
{
	size_t i;

	for (i = 0; ended[i] != NULL; i++)
		if (state != NULL && strcmp(state, ended[i]) == 0)
			return 1;
	return 0;
}

/*
 * command: runs a Slurm client (argv, no shell) and returns its output,
 * owned; NULL when it could not run or exited non-zero (its own message
 * is on stderr, unless quiet).
 */
static char *
command(char *const argv[], int quiet)
{
	posix_spawn_file_actions_t fa;
	char   *out = NULL, buf[4096];
	size_t  len = 0;
	FILE   *m;
	int     pfd[2], status = -1;
	pid_t   pid;
	ssize_t n;

	if (pipe2(pfd, O_CLOEXEC) == -1)
		return NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
	    O_RDONLY, 0);
	if (quiet)
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
		    O_WRONLY, 0);
	errno = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (errno != 0) {
		if (!quiet)
			wq_warn(argv[0], "cannot run");
		close(pfd[0]);
		return NULL;
	}
	if ((m = open_memstream(&out, &len)) == NULL)
		abort();
	while ((n = read(pfd[0], buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		fwrite(buf, 1, (size_t)n, m);
	}
	fclose(m);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* say: a message line, the progress line cleared first. */
static void
say(const struct sl *sl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(const struct sl *sl, const char *fmt, ...)
{
	va_list ap;

	if (sl->tty)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "warraq: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- what a run submitted: WORK/slurm.json ---- */

static int
write_jobs(const struct sl *sl)
{
	json_t *top = json_object(), *a = json_array();
	char   *path = wq_xasprintf("%s/slurm.json", sl->work);
	size_t  i, k;
	int     r;

	for (i = 0; i < sl->njobs; i++) {
		const struct job *j = &sl->jobs[i];
		json_t *st = json_array();

		for (k = 0; k < j->n; k++)
			json_array_append_new(st, json_string(j->state[k] ?
			    j->state[k] : "SUBMITTED"));
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:s?, s:o}",
		    "stage", j->s->name, "job", j->id, "tasks", (json_int_t)j->n,
		    "dependency", j->dep, "states", st));
	}
	json_object_set_new(top, "jobs", a);
	if ((r = wq_json_write(path, top)) == -1)
		wq_warn(path, "cannot record the Slurm jobs");
	json_decref(top);
	free(path);
	return r;
}

static struct job *
add_job(struct sl *sl, const struct wq_stagedef *s, const char *id,
    const char *dep, const struct tasks *t, size_t n)
{
	struct job *j;

	sl->jobs = wq_xrealloc(sl->jobs, (sl->njobs + 1) * sizeof(*j));
	j = &sl->jobs[sl->njobs++];
	j->s = s;
	j->id = wq_xstrdup(id);
	j->dep = dep ? wq_xstrdup(dep) : NULL;
	j->t = t;
	j->n = n;
	j->state = calloc(n, sizeof(char *));
	j->code = calloc(n, sizeof(long));
	j->over = calloc(n, 1);
	if (j->state == NULL || j->code == NULL || j->over == NULL)
		abort();
	return j;
}

/* read_jobs: the jobs WORK/slurm.json records, their last states. */
static void
read_jobs(struct sl *sl)
{
	char   *path = wq_xasprintf("%s/slurm.json", sl->work);
	json_t *top = wq_json_read(path), *e;
	size_t  i, k;

	free(path);
	json_array_foreach(json_object_get(top, "jobs"), i, e) {
		const struct wq_stagedef *s = wq_stage_find(json_string_value(
		    json_object_get(e, "stage")));
		const char *id = json_string_value(json_object_get(e, "job"));
		json_int_t  n = json_integer_value(json_object_get(e, "tasks"));
		json_t     *st = json_object_get(e, "states");
		struct job *j;

		if (s == NULL || id == NULL || n < 1 || n > 10000000)
			continue;
		j = add_job(sl, s, id, json_string_value(json_object_get(e,
		    "dependency")), NULL, (size_t)n);
		for (k = 0; k < j->n; k++)
			if (json_is_string(json_array_get(st, k)))
				j->state[k] = wq_xstrdup(json_string_value(
				    json_array_get(st, k)));
	}
	json_decref(top);
}

static void
free_jobs(struct sl *sl)
{
	size_t i, k;

	for (i = 0; i < sl->njobs; i++) {
		for (k = 0; k < sl->jobs[i].n; k++)
			free(sl->jobs[i].state[k]);
		free(sl->jobs[i].state);
		free(sl->jobs[i].code);
		free(sl->jobs[i].over);
		free(sl->jobs[i].id);
		free(sl->jobs[i].dep);
	}
	free(sl->jobs);
	sl->jobs = NULL;
	sl->njobs = 0;
}

/* ---- the queue ---- */

static struct job *
find_job(struct sl *sl, const char *id)
{
	size_t i;

	for (i = 0; i < sl->njobs; i++)
		if (strcmp(sl->jobs[i].id, id) == 0)
			return &sl->jobs[i];
	return NULL;
}

/*
 * poll_queue: every task's state from squeue (one line a task, jobs that
 * ended included while Slurm keeps them); a task no longer listed is
 * "gone".  Calls over(sl, job, task) once for each task that ended.
 * Returns the tasks still to end, or -1 when squeue failed.
 */
static long
poll_queue(struct sl *sl, int quiet,
    void (*over)(struct sl *, struct job *, size_t))
{
	char *const av[] = { "squeue", "--noheader", "--array", "--me",
	    "--states=all", "--Format=ArrayJobID:|,ArrayTaskID:|,State:|,"
	    "exit_code:", NULL };
	char   *out = command(av, quiet), *line, *save = NULL;
	size_t  i, k;
	long    left = 0;

	if (out == NULL)
		return -1;
	for (i = 0; i < sl->njobs; i++)	/* what is not listed is gone */
		for (k = 0; k < sl->jobs[i].n; k++)
			if (!sl->jobs[i].over[k]) {
				free(sl->jobs[i].state[k]);
				sl->jobs[i].state[k] = wq_xstrdup("gone");
			}
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char         *f[4], *p = line;
		struct job   *j;
		size_t        nf;
		unsigned long t;

		for (nf = 0; nf < 4 && (f[nf] = strsep(&p, "|")) != NULL; nf++)
			;
		if (nf < 4 || (j = find_job(sl, f[0])) == NULL)
			continue;
		/* a job that is not an array: N/A */
		t = strcmp(f[1], "N/A") == 0 ? 0 : strtoul(f[1], NULL, 10);
		if (t >= j->n || j->over[t])
			continue;
		free(j->state[t]);
		j->state[t] = wq_xstrdup(f[2]);
		j->code[t] = strtol(f[3], NULL, 10);
	}
	free(out);
	for (i = 0; i < sl->njobs; i++)
		for (k = 0; k < sl->jobs[i].n; k++) {
			struct job *j = &sl->jobs[i];

			if (j->over[k])
				continue;
			if (!is_over(j->state[k]))
				left++;
			else {
				j->over[k] = 1;
				if (over != NULL)
					over(sl, j, k);
			}
		}
	return left;
}

/*
 * cancel: scancel the jobs of the list that are not over (only their
 * pending tasks when pending_only); 0, or -1 when scancel failed.
 */
static int
cancel(struct sl *sl, int pending_only)
{
	char  **av = wq_xmalloc((sl->njobs + 4) * sizeof(char *));
	size_t  i, k, n = 0;
	char   *out;

	av[n++] = "scancel";
	if (pending_only)
		av[n++] = "--state=PENDING";
	for (i = 0; i < sl->njobs; i++)
		for (k = 0; k < sl->jobs[i].n; k++)
			if (!is_over(sl->jobs[i].state[k])) {
				av[n++] = sl->jobs[i].id;
				break;
			}
	av[n] = NULL;
	out = n > (size_t)(1 + pending_only) ? command(av, 0) : wq_xstrdup("");
	free(av);
	if (out == NULL)
		return -1;
	free(out);
	return 0;
}

/* ---- what to submit ---- */

/* cut: the rows marked in rows, in order, in tasks of `per` rows. */
static void
cut(const char *rows, size_t nrows, long per, struct tasks *t)
{
	size_t i, n = 0;

	t->rows = wq_xmalloc((nrows + 1) * sizeof(size_t));
	t->first = wq_xmalloc((nrows + 2) * sizeof(size_t));
	t->n = 0;
	for (i = 0; i < nrows; i++) {
		if (!rows[i])
			continue;
		if (n % (size_t)per == 0)
			t->first[t->n++] = n;
		t->rows[n++] = i;
	}
	t->first[t->n] = n;
}

static void
free_tasks(struct tasks *t)
{
	free(t->rows);
	free(t->first);
}

/*
 * write_units: WORK/slurm/STAGE.units, line t the units of task t: ids
 * of safe ASCII (ids.c), so a task reads them back without quoting.
 */
static int
write_units(const struct sl *sl, const struct wq_stagedef *s,
    const struct tasks *t)
{
	char  *path = wq_xasprintf("%s/slurm/%s.units", sl->work, s->name);
	char  *buf = NULL;
	size_t len = 0, k, r;
	FILE  *m = open_memstream(&buf, &len);
	int    rc;

	if (m == NULL)
		abort();
	for (k = 0; k < t->n; k++) {
		for (r = t->first[k]; r < t->first[k + 1]; r++) {
			char *name = plan_unit_name(s, &sl->pp, t->rows[r]);

			fprintf(m, "%s%s", r > t->first[k] ? " " : "", name);
			free(name);
		}
		fputc('\n', m);
	}
	fclose(m);
	if ((rc = wq_write_atomic(path, buf, len)) == -1)
		wq_warn(path, "cannot write");
	free(buf);
	free(path);
	return rc;
}

/*
 * sbatch_argv: the command that submits stage s as n tasks (0: a single
 * job) after dep.  The script only execs its arguments: the task's
 * command reaches the node as an argument vector, never as shell text.
 */
static char **
sbatch_argv(const struct sl *sl, const struct wq_stagedef *s, size_t n,
    const char *dep, const char *self)
{
	static const char *const keys[][2] = { { "slurm_partition", "partition" },
	    { "slurm_account", "account" }, { "slurm_time", "time" },
	    { "slurm_mem", "mem" } };
	const struct wq_profile *pr = &sl->o->profile;
	char   *extra = wq_xstrdup(wq_set_text(pr, "slurm_sbatch") ?
	    wq_set_text(pr, "slurm_sbatch") : "");
	char  **av = wq_xmalloc((20 + strlen(extra)) * sizeof(char *));
	char   *w, *save = NULL;
	size_t  k = 0, i;

	av[k++] = wq_xstrdup("sbatch");
	av[k++] = wq_xstrdup("--parsable");
	av[k++] = wq_xasprintf("--job-name=warraq-%s", s->name);
	av[k++] = wq_xasprintf("--chdir=%s", sl->work);
	/* relative to --chdir: Slurm reads % in a path as a pattern */
	av[k++] = n > 0 ? wq_xasprintf("--output=logs/slurm/%s-%%A_%%a.out",
	    s->name) : wq_xasprintf("--output=logs/slurm/%s-%%j.out", s->name);
	av[k++] = wq_xstrdup("--kill-on-invalid-dep=yes");
	if (n > 0)
		av[k++] = wq_xasprintf("--array=0-%zu", n - 1);
	if (dep != NULL)
		av[k++] = wq_xasprintf("--dependency=%s", dep);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (wq_profile_get(pr, keys[i][0], NULL) != NULL)
			av[k++] = wq_xasprintf("--%s=%s", keys[i][1],
			    wq_profile_get(pr, keys[i][0], NULL));
	for (w = strtok_r(extra, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save))
		av[k++] = wq_xstrdup(w);
	free(extra);
	av[k++] = wq_xasprintf("%s/slurm/task.sh", sl->work);
	av[k++] = wq_xstrdup(self);
	av[k++] = wq_xstrdup("slurm-task");
	av[k++] = wq_xstrdup(s->name);
	av[k++] = wq_xstrdup(sl->work);
	av[k] = NULL;
	return av;
}

/* submit: stage s as t's tasks (NULL: a single job); its job, or NULL. */
static struct job *
submit(struct sl *sl, const struct wq_stagedef *s, const struct tasks *t,
    const char *dep, const char *self)
{
	char      **av = sbatch_argv(sl, s, t ? t->n : 0, dep, self);
	char       *out = NULL, *id, *name;
	struct job *j = NULL;
	size_t      i;

	if (sl->o->dry_run) {	/* the command, and a name for its job */
		printf("  ");
		for (i = 0; av[i] != NULL; i++) {
			char *e = wq_ctl_escape(av[i]);

			printf("%s%s", i ? " " : "", e);
			free(e);
		}
		printf("\n");
		name = wq_xasprintf("$%s", s->name);
		j = add_job(sl, s, name, dep, t, t ? t->n : 1);
		free(name);
		run_argv_free(av);
		return j;
	}
	if ((t == NULL || write_units(sl, s, t) == 0) &&
	    (out = command(av, 0)) == NULL)
		wq_warnx(s->name, "sbatch failed; nothing more is submitted");
	if (out != NULL) {
		/* --parsable: "JOBID" or "JOBID;CLUSTER" */
		id = out;
		id[strcspn(id, ";\n")] = '\0';
		if (*id == '\0' || id[strspn(id, "0123456789")] != '\0')
			wq_warnx(s->name, "sbatch said \"%s\", not a job id", id);
		else {
			j = add_job(sl, s, id, dep, t, t ? t->n : 1);
			write_jobs(sl);
			if (!sl->o->quiet)
				say(sl, "%s: Slurm job %s, %zu task%s%s%s", s->name,
				    id, j->n, j->n == 1 ? "" : "s",
				    dep ? ", after " : "", dep ? dep : "");
		}
	}
	free(out);
	run_argv_free(av);
	return j;
}

/* self_path: this program, for the tasks: the same build, the same stages. */
static char *
self_path(void)
{
	char    self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return NULL;
	self[n] = '\0';
	return wq_xstrdup(self);
}

static int
write_script(const struct sl *sl)
{
	static const char script[] = "#!/bin/sh\n"
	    "# a warraq Slurm task: the command is in the arguments\n"
	    "exec \"$@\"\n";
	char *path = wq_xasprintf("%s/slurm/task.sh", sl->work);
	char *logs = wq_xasprintf("%s/logs/slurm", sl->work);
	int   r = wq_write_atomic(path, script, sizeof(script) - 1);

	if (r == -1)
		wq_warn(path, "cannot write");
	/* Slurm does not make the folder of a task's output */
	else if ((r = wq_mkdirs(logs)) == -1)
		wq_warn(logs, "cannot create");
	free(logs);
	free(path);
	return r;
}

/*
 * plan_all: the plan of every selected stage after ingest, each counting
 * on its input stage's plan; the per-page stages' chunks.
 */
static void
plan_all(struct sl *sl)
{
	char  *any = calloc(sl->pp.n + 1, 1);
	size_t i, k;

	if (any == NULL)
		abort();
	for (i = 0; i < wq_nstages; i++) {
		const struct wq_stagedef *s = &wq_stages[i], *in = NULL;
		const char               *input;
		const struct plan        *up = NULL;

		if (s->kind == WQ_SOURCE || !run_selected(sl->o, i))
			continue;
		if ((input = wq_stage_input(&sl->o->profile, s->name)) != NULL)
			in = wq_stage_find(input);
		if (in != NULL && sl->plan[in - wq_stages].rows != NULL)
			up = &sl->plan[in - wq_stages];
		if (s->kind == WQ_BATCH) {	/* planned whole: one job */
			sl->plan[i].rows = calloc(1, 1);
			sl->plan[i].n = 1;
			continue;
		}
		plan_stage(sl->o, s, &sl->pp, up, &sl->plan[i]);
		if (s->kind == WQ_DOC)
			cut(sl->plan[i].rows, sl->pp.n, sl->o->chunk, &sl->docs[i]);
		else
			for (k = 0; k < sl->pp.n; k++)
				any[k] |= sl->plan[i].rows[k];
	}
	cut(any, sl->pp.n, sl->o->chunk, &sl->pages);
	free(any);
}

/*
 * submit_all: a job a planned stage, in order, each after the last one
 * submitted: per task (aftercorr) between per-page stages, which share
 * their chunks, whole (afterany) otherwise.  0, or -1 when sbatch failed.
 */
static int
submit_all(struct sl *sl)
{
	char       *self = self_path(), *dep = NULL;
	struct job *last = NULL, *lastpage = NULL, *j;
	size_t      i;

	if (self == NULL || (!sl->o->dry_run && write_script(sl) == -1)) {
		free(self);
		return -1;
	}
	for (i = 0; i < wq_nstages; i++) {
		const struct wq_stagedef *s = &wq_stages[i];
		const struct tasks       *t = s->kind == WQ_PAGE ? &sl->pages :
		    s->kind == WQ_DOC ? &sl->docs[i] : NULL;

		if (sl->plan[i].n == 0)
			continue;
		if (sl->o->dry_run && t == NULL)
			printf("%-7s the batch, one Slurm job\n", s->name);
		else if (sl->o->dry_run)
			printf("%-7s %u %s in %zu Slurm task%s\n", s->name,
			    sl->plan[i].n, s->kind == WQ_PAGE ? "pages" :
			    "documents", t->n, t->n == 1 ? "" : "s");
		free(dep);
		dep = NULL;
		if (s->kind == WQ_PAGE && lastpage != NULL)
			dep = wq_xasprintf("aftercorr:%s", lastpage->id);
		else if (last != NULL)
			dep = wq_xasprintf("afterany:%s", last->id);
		if ((j = submit(sl, s, t, dep, self)) == NULL)
			break;
		last = j;
		if (s->kind == WQ_PAGE)
			lastpage = j;
	}
	free(dep);
	free(self);
	return i < wq_nstages ? -1 : 0;
}

/* ---- accounting for the tasks that ended ---- */

/*
 * task_over: task k of job j ended.  Its units that failed are named with
 * the job id and the stage's own reason.  When Slurm ended the task
 * (time limit, memory, node), its units not done are recorded failed, as
 * a crashed stage process is locally; a task cancelled by a person stays
 * pending, and one cancelled because the task before it failed is that
 * task's failure, said once.  A task stopped by a full disk stops the
 * batch: the tasks not started are cancelled.
 */
static void
task_over(struct sl *sl, struct job *j, size_t k)
{
	const char *st = j->state[k];
	char       *tid = j->t ? wq_xasprintf("%s_%zu", j->id, k) :
	    wq_xstrdup(j->id);
	char       *log = wq_xasprintf("logs/slurm/%s-%s.out", j->s->name, tid);
	int         killed = strcmp(st, "COMPLETED") != 0 &&
	    strcmp(st, "CANCELLED") != 0 && strcmp(st, "gone") != 0;
	unsigned    done = 0, failed = 0, left = 0;
	size_t      r;

	if (strcmp(st, "FAILED") == 0 && WIFEXITED(j->code[k]) &&
	    WEXITSTATUS(j->code[k]) == WQ_EXIT_FULL) {
		say(sl, "%s: Slurm job %s stopped: no space left on the work "
		    "directory's file system", j->s->name, tid);
		sl->full = 1, killed = 0;
		cancel(sl, 1);
	}
	if (j->t == NULL && killed) {	/* the report */
		say(sl, "%s: Slurm job %s ended %s; see %s/%s", j->s->name, tid,
		    st, sl->work, log);
		sl->failed++;
	}
	for (r = j->t ? j->t->first[k] : 0; j->t && r < j->t->first[k + 1]; r++) {
		size_t u = j->t->rows[r];
		char  *why = NULL, *name;

		if (!sl->plan[j->s - wq_stages].rows[u])
			continue;	/* a page another per-page stage needs */
		switch (plan_unit_state(sl->work, j->s, &sl->pp, u, &why)) {
		case WQ_DONE:
			done++;
			break;
		case WQ_FAILED:
			failed++;
			name = plan_unit_name(j->s, &sl->pp, u);
			say(sl, "%s %s failed (Slurm job %s): %s", j->s->name,
			    name, tid, why ? why : "(no reason recorded)");
			free(name);
			break;
		default:
			/* one whose input is not done waits for another task */
			if (plan_input_state(sl->o, j->s, &sl->pp, u, NULL,
			    NULL) != WQ_DONE)
				break;
			if (killed) {
				char *e = plan_unit_file(sl->work, j->s, &sl->pp,
				    u, "error");
				char *line = wq_xasprintf("Slurm job %s ended %s "
				    "before it was done (%s)\n", tid, st, log);

				if (wq_write_atomic(e, line, strlen(line)) == -1)
					wq_warn(e, "cannot record the failure");
				name = plan_unit_name(j->s, &sl->pp, u);
				line[strlen(line) - 1] = '\0';
				say(sl, "%s %s failed: %s", j->s->name, name, line);
				free(name);
				free(line);
				free(e);
				failed++;
			} else
				left++;
		}
		free(why);
	}
	sl->failed += failed;
	sl->unfinished += left;
	if (left > 0 && strcmp(st, "CANCELLED") == 0 && !sl->full)
		say(sl, "%s: Slurm job %s was cancelled; its %u %s stay%s "
		    "pending", j->s->name, tid, left, j->s->kind == WQ_DOC ?
		    "document" : "page", left == 1 ? "s" : "");
	else if (!sl->o->quiet && !sl->tty && j->t != NULL)
		say(sl, "%s: Slurm job %s %s: %u done, %u failed", j->s->name,
		    tid, st, done, failed);
	free(log);
	free(tid);
}

/* progress: one updating line on a terminal: tasks ended, a stage each. */
static void
progress(const struct sl *sl, long left)
{
	size_t i, k, n;

	if (!sl->tty || sl->o->quiet)
		return;
	fputs("\r\033[Kslurm:", stderr);
	for (i = 0; i < sl->njobs; i++) {
		for (k = n = 0; k < sl->jobs[i].n; k++)
			n += sl->jobs[i].over[k];
		fprintf(stderr, " %s %zu/%zu", sl->jobs[i].s->name, n,
		    sl->jobs[i].n);
	}
	fprintf(stderr, " tasks, %ld to go", left);
}

/*
 * wait_jobs: polls the queue until every task has ended, every second
 * while tasks end, less often (up to every 10 s) while none does.
 * 0, or -1 on Ctrl-C (what is still queued is cancelled).
 */
static int
wait_jobs(struct sl *sl, void (*over)(struct sl *, struct job *, size_t))
{
	long delay = 1000, left, before = -1;
	int  warned = 0;

	for (;;) {
		if (run_stopped() == 130) {
			if (sl->tty)
				fputc('\n', stderr);
			cancel(sl, 0);
			return -1;
		}
		if ((left = poll_queue(sl, warned, over)) == -1 && !warned) {
			wq_warnx("squeue", "cannot read the queue; trying again");
			warned = 1;
		}
		if (left == 0)
			break;
		progress(sl, left);
		delay = left != before ? 1000 : delay * 2 > 10000 ? 10000 :
		    delay * 2;
		before = left;
		run_sleep_ms(delay);
	}
	if (sl->tty && !sl->o->quiet)
		fputc('\n', stderr);
	return 0;
}

/*
 * earlier_jobs: jobs a run before this one left queued would write into
 * WORK while new ones do: they are waited for first.
 */
static int
earlier_jobs(struct sl *sl)
{
	long left;

	read_jobs(sl);
	if (sl->njobs == 0 || (left = poll_queue(sl, 1, NULL)) <= 0) {
		free_jobs(sl);
		return 0;
	}
	say(sl, "%s: %ld Slurm tasks of an earlier run are still queued or "
	    "running; waiting for them (warraq cancel %s stops them)",
	    sl->o->work, left, sl->o->work);
	left = wait_jobs(sl, NULL);
	free_jobs(sl);
	return left;
}

/*
 * slurm_run: every selected stage: ingest here, once the jobs of an
 * earlier run are over, the others on Slurm.  Returns 0, 1
 * when a unit failed or stayed pending, -1 when the batch could not be
 * submitted or was interrupted, WQ_EXIT_FULL when a task found the disk
 * full.
 */
int
slurm_run(struct run_opts *o)
{
	struct sl sl;
	char      path[PATH_MAX];
	size_t    i;
	int       r;

	memset(&sl, 0, sizeof(sl));
	sl.o = o;
	sl.tty = isatty(STDERR_FILENO);
	sl.work = wq_xstrdup(realpath(o->work, path) ? path : o->work);
	if (!o->dry_run && earlier_jobs(&sl) == -1) {
		free(sl.work);
		return -1;
	}
	for (i = 0; i < wq_nstages; i++)	/* ingest makes the list of pages */
		if (wq_stages[i].kind == WQ_SOURCE && run_selected(o, i) &&
		    run_stage(o, &wq_stages[i]) == -1) {
			free(sl.work);
			return run_stopped() == WQ_EXIT_FULL ? WQ_EXIT_FULL : -1;
		}
	if (wq_pages_load(o->work, &sl.pp) == -1) {
		wq_warn(o->work, "cannot read pages.tsv");
		free(sl.work);
		return -1;
	}
	sl.plan = calloc(wq_nstages, sizeof(*sl.plan));
	sl.docs = calloc(wq_nstages, sizeof(*sl.docs));
	if (sl.plan == NULL || sl.docs == NULL)
		abort();
	plan_all(&sl);
	/* what was submitted before an sbatch failed runs: it is waited for */
	r = submit_all(&sl);
	if (sl.njobs > 0 && !o->dry_run && wait_jobs(&sl, task_over) == -1)
		r = -1;
	if (sl.njobs > 0 && !o->dry_run)
		write_jobs(&sl);
	if (r == 0)
		r = sl.full ? WQ_EXIT_FULL : sl.failed + sl.unfinished > 0;
	if (sl.unfinished > 0 && !sl.full)
		say(&sl, "%s: %u units not done (tasks cancelled); run the "
		    "same command again to finish the batch", o->work,
		    sl.unfinished);
	for (i = 0; i < wq_nstages; i++) {
		plan_free(&sl.plan[i]);
		free_tasks(&sl.docs[i]);
	}
	free_tasks(&sl.pages);
	free(sl.plan);
	free(sl.docs);
	free_jobs(&sl);
	wq_pages_free(&sl.pp);
	free(sl.work);
	return r;
}

/* ---- one task, on a node ---- */

/* task_units: the units of this array task, as a set. */
static json_t *
task_units(const char *work, const char *stage)
{
	const char *env = getenv("SLURM_ARRAY_TASK_ID");
	char       *path = wq_xasprintf("%s/slurm/%s.units", work, stage);
	char       *buf = wq_read_file(path, 1u << 30, NULL), *line, *w, *save;
	json_t     *set = NULL;
	long        k, want = env ? strtol(env, NULL, 10) : -1;

	if (buf == NULL)
		wq_warn(path, "cannot read");
	for (line = buf, k = 0; buf != NULL && line != NULL && k <= want; k++) {
		char *next = strchr(line, '\n');

		if (next != NULL)
			*next++ = '\0';
		if (k == want) {
			set = json_object();
			save = NULL;
			for (w = strtok_r(line, " ", &save); w != NULL;
			    w = strtok_r(NULL, " ", &save))
				json_object_set_new(set, w, json_true());
		}
		line = next;
	}
	if (buf != NULL && set == NULL)
		wq_warnx(path, "no line for task %s", env ? env : "(none)");
	free(buf);
	free(path);
	return set;
}

/*
 * slurm_task: `warraq slurm-task STAGE WORK`, as Slurm starts it: the
 * local engine over this task's units, with the batch's settings.  Exit
 * status 0 also when units failed (their stage recorded why): only a
 * task that could not run breaks the chain of tasks after it.
 */
int
slurm_task(int argc, char **argv)
{
	const struct wq_stagedef *s;
	struct run_opts o;
	const char     *cpus = getenv("SLURM_CPUS_PER_TASK");
	char           *conf;
	size_t          k;
	int             r;

	if (argc != 3 || (s = wq_stage_find(argv[1])) == NULL ||
	    s->kind == WQ_SOURCE)
		wq_errx(2, argc > 1 ? argv[1] : "slurm-task", "usage: warraq "
		    "slurm-task STAGE WORK_DIR (run by Slurm, not by hand)");
	memset(&o, 0, sizeof(o));
	o.work = o.scans = argv[2];
	conf = wq_xasprintf("%s/profile.conf", o.work);
	r = wq_profile_load(&o.profile, conf);
	free(conf);
	if (r == -1 || run_settings(&o) == -1)
		return 2;
	o.jobs = cpus != NULL && atol(cpus) > 0 ? atol(cpus) : 1;
	if (s->kind != WQ_BATCH && (o.units = task_units(o.work, s->name)) == NULL)
		return 1;
	wq_state_profile(&o.profile);
	for (k = 0; k < wq_nstages; k++)	/* the run before planned it */
		if (&wq_stages[k] != s)
			wq_state_asis(wq_stages[k].name);
	r = run_stage(&o, s);
	wq_state_profile(NULL);
	json_decref(o.units);
	wq_profile_free(&o.profile);
	return r == 0 ? 0 : run_stopped() == WQ_EXIT_FULL ? WQ_EXIT_FULL : 1;
}

/* ---- warraq status, warraq cancel ---- */

/*
 * slurm_status: a line a job of WORK/slurm.json: its tasks by state, as
 * squeue has them, else as the run last saw them.
 */
void
slurm_status(const char *work)
{
	struct sl sl;
	size_t    i, k, m;

	memset(&sl, 0, sizeof(sl));
	sl.work = (char *)work;
	read_jobs(&sl);
	if (sl.njobs == 0)
		return;
	for (i = 0; i < sl.njobs; i++)	/* an end recorded is kept */
		for (k = 0; k < sl.jobs[i].n; k++)
			sl.jobs[i].over[k] = is_over(sl.jobs[i].state[k]);
	poll_queue(&sl, 1, NULL);
	printf("\nSlurm jobs (%s/slurm.json):\n", work);
	for (i = 0; i < sl.njobs; i++) {
		struct job *j = &sl.jobs[i];
		json_t     *count = json_object(), *v;
		const char *st;

		for (k = 0; k < j->n; k++) {
			st = j->state[k] ? j->state[k] : "SUBMITTED";
			v = json_object_get(count, st);
			json_object_set_new(count, st, json_integer(v ?
			    json_integer_value(v) + 1 : 1));
		}
		printf("  %-8s job %-10s %zu task%s:", j->s->name, j->id, j->n,
		    j->n == 1 ? "" : "s");
		m = 0;
		json_object_foreach(count, st, v)
			printf("%s %lld %s", m++ ? "," : "",
			    (long long)json_integer_value(v), st);
		printf("\n");
		json_decref(count);
	}
	free_jobs(&sl);
}

/* slurm_cancel: `warraq cancel WORK`; the exit status. */
int
slurm_cancel(const char *work)
{
	struct sl sl;
	long      left;
	size_t    i;
	int       r = 0;

	if (wq_workdir(work, 0) == -1)
		return 2;
	memset(&sl, 0, sizeof(sl));
	sl.work = (char *)work;
	read_jobs(&sl);
	if (sl.njobs == 0)
		printf("%s: no Slurm jobs recorded\n", work);
	else if ((left = poll_queue(&sl, 0, NULL)) == -1)
		r = 1;
	else if (left == 0)
		printf("%s: no Slurm job of this batch is queued or running\n",
		    work);
	else if (cancel(&sl, 0) == -1)
		r = 1;
	else {
		printf("%s: cancelled Slurm jobs", work);
		for (i = 0; i < sl.njobs; i++)
			printf(" %s", sl.jobs[i].id);
		printf("\n");
	}
	free_jobs(&sl);
	return r;
}

/*
 * run.c - the local engine: one stage over the batch, with a pool of
 * worker processes, resumably (engine.c runs the stages in order).
 *
 *   lock_work()        one run per WORK at a time
 *   run_signals()      SIGINT and SIGTERM stop the run, not the process
 *   run_interrupted()  the signal that stopped it, or 0
 *   run_settings()     the settings the driver reads (timeout, chunk)
 *   run_selected()     is a stage on in this run
 *   run_stage()        one stage by the local engine (a Slurm task runs it
 *                      over its own units, o->units)
 *   run_stopped()      why the batch stopped: a signal, a full disk
 *   run_reset(), run_failed(), run_full()
 *                      what engine.c reads and sets of a batch's course
 *   run_clock(), run_sleep_ms(), run_argv_free()
 *                      small helpers the other engines share
 *
 * What a stage has to run is planned by plan.c.  Each stage program is
 * run on chunks of pending pages (`chunk` setting, default 1 page) by up
 * to -j processes at once.  A page is done when the stage wrote its
 * sidecar; a stage that fails a page records why in PAGE.error.  When a
 * process crashes, hangs past `timeout` seconds per page or exits without
 * a result, its unfinished pages are retried one by one, and the page
 * that still does not finish gets PAGE.error written here: one bad page
 * never costs the others.  A document stage (the PDF) runs the same way
 * on documents, each once all its pages are done in the stage before;
 * one with a page failed there is skipped, with why.
 *
 * Resuming is not a mode: every run computes what is pending from the
 * files in WORK, which are written atomically, so a run killed at any
 * point (kill -9 included; workers die with the driver through
 * PR_SET_PDEATHSIG) is finished by running the same command again.
 *
 * A stage that finds the work directory's file system full exits with
 * WQ_EXIT_FULL, its page left pending: the run then starts nothing more,
 * waits for what runs, says so and exits WQ_EXIT_FULL; the same command
 * finishes the batch once space is freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"

struct chunk {
	size_t *pages;		/* indices into the pages list (for a
				 * document stage: a row of each document) */
	size_t  n;
	size_t  weight;		/* pages it covers, for the timeout */
};

struct slot {
	pid_t         pid;
	double        start;
	int           timed_out;
	char         *log;
	struct chunk  c;
};

struct pool {
	struct run_opts          *o;
	const struct wq_stagedef *s;
	char                     *prog, *conf;
	struct wq_pages           pp;
	struct chunk             *q;
	size_t                    qhead, qlen, qcap;
	struct slot              *slots;
	unsigned                  total, done, failed;
	double                    t0, shown;
	int                       tty;
};

/* a unit of work: a page, or for a document stage (WQ_DOC) a document */
static int
is_doc(const struct pool *pl)
{
	return pl->s->kind == WQ_DOC;
}

static char *
unit_name(const struct pool *pl, size_t i)
{
	return plan_unit_name(pl->s, &pl->pp, i);
}

static char *
unit_file(const struct pool *pl, size_t i, const char *ext)
{
	return plan_unit_file(pl->o->work, pl->s, &pl->pp, i, ext);
}

static enum wq_state
unit_state(const struct pool *pl, size_t i, char **why)
{
	return plan_unit_state(pl->o->work, pl->s, &pl->pp, i, why);
}

/* unit_weight: pages a unit covers, for its timeout. */
static size_t
unit_weight(const struct pool *pl, size_t i)
{
	size_t n = 1;

	if (is_doc(pl))
		free(wq_doc_pages(&pl->pp, pl->pp.v[i].doc, &n));
	return n;
}

static volatile sig_atomic_t interrupted;
static int                   work_full;	/* a stage exited WQ_EXIT_FULL */
static unsigned              nfailed_total;

static void
on_signal(int sig)
{
	interrupted = sig;
}

void
run_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int
run_interrupted(void)
{
	return interrupted;
}

/* run_clock: seconds on the monotonic clock, for intervals. */
double
run_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* run_sleep_ms: a pause; a signal ends it early, so Ctrl-C is seen. */
void
run_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * open_log: a log file of WORK/logs, emptied, for writing (close on
 * exec); never through a link: one there (not warraq's) is removed and
 * the log made anew.  -1 with errno set.
 */
static int
open_log(const char *log)
{
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0666);

	if (fd == -1 && errno == ELOOP && unlink(log) == 0)
		fd = open(log, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		    0666);
	return fd;
}

/* lock_work: one run per WORK at a time; the kernel drops the lock when
 * this process dies, however it dies.  Returns the lock's descriptor, -2
 * when another run holds it, -1 when it cannot be made. */
int
lock_work(const char *work)
{
	char *path = wq_xasprintf("%s/.lock", work);
	char  buf[32];
	int   fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	ssize_t n;

	if (fd == -1) {
		if (errno == ELOOP)	/* never written through */
			wq_warnx(path, "is a symbolic link: refused (remove it)");
		else
			wq_warn(path, "cannot create lock file");
		free(path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		wq_warnx(work, "another warraq run is using this work "
		    "directory (pid %s); wait for it or stop it first",
		    buf[0] ? buf : "unknown");
		close(fd);
		free(path);
		return -2;
	}
	snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || write(fd, buf, strlen(buf)) == -1)
		wq_warn(path, "cannot record pid");
	free(path);
	return fd;
}

/* stage_argv: the command line of one chunk (NULL-terminated, owned). */
static char **
stage_argv(const struct pool *pl, const struct chunk *c)
{
	char  **av = wq_xmalloc((c->n + 7) * sizeof(char *));
	size_t  i, k = 0;

	av[k++] = wq_xstrdup(pl->prog);
	av[k++] = wq_xstrdup("-p");
	av[k++] = wq_xstrdup(pl->conf);
	av[k++] = wq_xstrdup(pl->o->work);
	for (i = 0; i < c->n; i++)
		av[k++] = unit_name(pl, c->pages[i]);
	av[k] = NULL;
	return av;
}

/* run_argv_free: a NULL-terminated vector of owned strings, and itself. */
void
run_argv_free(char **av)
{
	char **a;

	for (a = av; *a != NULL; a++)
		free(*a);
	free(av);
}

/*
 * spawn: fork and exec argv with stdout and stderr into log (or into
 * errfd when log is NULL).  The child gets its own process group, so a
 * timeout kills all of it, and dies with the driver.
 */
static pid_t
spawn(char **argv, const char *log, int errfd)
{
	pid_t parent = getpid(), pid;
	int   fd;

	if (log != NULL && wq_mkparent(log) == -1) {
		wq_warn(log, "cannot create log folder");
		return -1;
	}
	pid = fork();
	if (pid != 0)
		return pid;
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	fd = log != NULL ? open_log(log) : errfd;
	if (fd == -1)
		_exit(126);
	dup2(fd, STDERR_FILENO);
	if (log != NULL)
		dup2(fd, STDOUT_FILENO);
	if ((fd = open("/dev/null", O_RDONLY)) != -1)
		dup2(fd, STDIN_FILENO);
	if (strchr(argv[0], '/') != NULL)
		execv(argv[0], argv);
	else
		execvp(argv[0], argv);
	wq_warn(argv[0], "cannot run");
	_exit(127);
}

/* last_line: the last non-empty line of a log, for a failure reason. */
static char *
last_line(const char *log)
{
	size_t len;
	char  *s = wq_read_file(log, 16u << 20, &len), *e, *b;

	if (s == NULL)
		return NULL;
	e = s + len;
	while (e > s && (e[-1] == '\n' || e[-1] == ' '))
		*--e = '\0';
	b = e;
	while (b > s && b[-1] != '\n')
		b--;
	b = *b ? wq_xstrdup(b) : NULL;
	free(s);
	return b;
}

/* exit_reason: why a process left no result, in words. */
static char *
exit_reason(const struct slot *sl, int status, long timeout)
{
	char *tail = sl->log != NULL ? last_line(sl->log) : NULL;
	char *r;

	if (sl->timed_out)
		r = wq_xasprintf("timed out after %ld s and was killed",
		    timeout * (long)sl->c.weight);
	else if (WIFSIGNALED(status))
		r = wq_xasprintf("crashed: killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) != 0)
		r = wq_xasprintf("exited with status %d%s%s", WEXITSTATUS(status),
		    tail ? ": " : "", tail ? tail : "");
	else
		r = wq_xasprintf("finished without writing a result");
	free(tail);
	return r;
}

static void
push(struct pool *pl, struct chunk c)
{
	if (pl->qlen == pl->qcap) {
		pl->qcap = pl->qcap ? 2 * pl->qcap : 64;
		pl->q = wq_xrealloc(pl->q, pl->qcap * sizeof(*pl->q));
	}
	pl->q[pl->qlen++] = c;
}

/* run_fmt_time: s seconds as H:MM:SS */
void
run_fmt_time(double s, char *buf, size_t len)
{
	long t = (long)(s + 0.5);

	snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

/* progress: one updating line on a terminal; nothing otherwise. */
static void
progress(struct pool *pl, int final)
{
	double el = run_clock() - pl->t0, rate;
	unsigned fin = pl->done + pl->failed;
	char   eta[32] = "-";

	if (!pl->tty || pl->o->quiet || (!final && run_clock() - pl->shown < 0.25))
		return;
	pl->shown = run_clock();
	rate = el > 0 ? fin / el * 60.0 : 0;
	if (fin > 0 && fin < pl->total)
		run_fmt_time((pl->total - fin) * el / fin, eta, sizeof(eta));
	fprintf(stderr, "\r\033[K%-7s %u/%u %s, %u failed, %.1f %s/min, "
	    "ETA %s", pl->s->name, fin, pl->total, is_doc(pl) ? "documents" :
	    "pages", pl->failed, rate, is_doc(pl) ? "documents" : "pages", eta);
	if (final)
		fputc('\n', stderr);
}

static void
record_failure(struct pool *pl, size_t i, const char *why)
{
	char *path = unit_file(pl, i, "error");
	char *line = wq_xasprintf("%s\n", why);

	if (wq_write_atomic(path, line, strlen(line)) == -1)
		wq_warn(path, "cannot record the failure");
	free(path);
	free(line);
}

static void
report_failure(struct pool *pl, size_t i, const char *why)
{
	char *name = unit_name(pl, i);

	pl->failed++;
	if (pl->tty)
		fputs("\r\033[K", stderr);
	wq_warnx(NULL, "%s %s failed: %s", pl->s->name, name,
	    why ? why : "(no reason recorded)");
	free(name);
}

/*
 * end_log: a unit's log once its process ended: shown with -v, removed
 * when empty (a log is there to be read: none is one less to open).
 */
static void
end_log(const struct pool *pl, const char *log)
{
	struct stat st;
	char       *text;

	if (log == NULL || lstat(log, &st) == -1 || !S_ISREG(st.st_mode))
		return;
	if (st.st_size == 0) {
		unlink(log);
		return;
	}
	if (pl->o->verbose && (text = wq_read_file(log, 1 << 20, NULL)) != NULL) {
		if (pl->tty)
			fputs("\r\033[K", stderr);
		fputs(text, stderr);
		free(text);
	}
}

/* finish: account for a chunk whose process ended with status. */
static void
finish(struct pool *pl, struct slot *sl, int status)
{
	size_t i;

	if (WIFEXITED(status) && WEXITSTATUS(status) == WQ_EXIT_FULL) {
		/* its own message may be lost: its log is on the full disk */
		char *name = unit_name(pl, sl->c.pages[0]);

		if (pl->tty)
			fputs("\r\033[K", stderr);
		wq_warnx(NULL, "%s %s stopped: no space left on the "
		    "work directory's file system", pl->s->name, name);
		free(name);
		work_full = 1;
	}

	for (i = 0; i < sl->c.n; i++) {
		size_t u = sl->c.pages[i];
		char  *why = NULL, *name;

		switch (unit_state(pl, u, &why)) {
		case WQ_DONE:
			pl->done++;
			if (!pl->tty && !pl->o->quiet) {
				name = unit_name(pl, u);
				wq_warnx(NULL, "%s %s done (%u/%u)",
				    pl->s->name, name, pl->done + pl->failed,
				    pl->total);
				free(name);
			}
			break;
		case WQ_FAILED:
			report_failure(pl, u, why);
			break;
		default:
			if (work_full)
				break;	/* pending: not the page's fault */
			if (sl->c.n > 1) {
				/* the chunk died: its units are tried one by one */
				struct chunk c = { wq_xmalloc(sizeof(size_t)), 1,
				    unit_weight(pl, u) };

				c.pages[0] = u;
				push(pl, c);
				break;
			}
			free(why);
			why = exit_reason(sl, status, pl->o->timeout);
			record_failure(pl, u, why);
			report_failure(pl, u, why);
		}
		free(why);
	}
	end_log(pl, sl->log);
	free(sl->c.pages);
	free(sl->log);
	memset(sl, 0, sizeof(*sl));
}

static void
start(struct pool *pl, struct slot *sl, struct chunk c)
{
	char **av = stage_argv(pl, &c), *name = unit_name(pl, c.pages[0]);
	size_t i;

	for (i = 0; i < c.n; i++) {	/* a stale reason must not outlive a retry */
		char *e = unit_file(pl, c.pages[i], "error");

		wq_remove(e);
		free(e);
	}
	sl->c = c;
	sl->log = wq_xasprintf("%s/logs/%s/%s.log", pl->o->work, pl->s->name,
	    name);
	free(name);
	sl->start = run_clock();
	sl->timed_out = 0;
	sl->pid = spawn(av, sl->log, -1);
	run_argv_free(av);
	if (sl->pid == -1) {
		wq_warn(pl->prog, "cannot start");
		finish(pl, sl, 127 << 8);
	}
}

static void
kill_all(struct pool *pl)
{
	long i;

	for (i = 0; i < pl->o->jobs; i++)
		if (pl->slots[i].pid > 0) {
			kill(-pl->slots[i].pid, SIGKILL);
			waitpid(pl->slots[i].pid, NULL, 0);
		}
}

/* plan: the units of this stage that can run now, chunked. */
static void
plan(struct pool *pl, unsigned *blocked)
{
	struct chunk c = { NULL, 0, 0 };
	struct plan  p;
	size_t       i;

	/* a dry run has not run the stage before: what it would redo is
	 * redone here too */
	plan_stage(pl->o, pl->s, &pl->pp, pl->o->dry_run && pl->o->dry_up &&
	    pl->o->dry_up->rows ? pl->o->dry_up : NULL, &p);
	*blocked = p.blocked;
	for (i = 0; i < pl->pp.n; i++) {
		if (!p.rows[i])
			continue;
		if (c.n == 0)
			c.pages = wq_xmalloc((size_t)pl->o->chunk * sizeof(size_t));
		c.pages[c.n++] = i;
		c.weight += unit_weight(pl, i);
		pl->total++;
		if (c.n == (size_t)pl->o->chunk) {
			push(pl, c);
			c.pages = NULL;
			c.n = c.weight = 0;
		}
	}
	if (c.n > 0)
		push(pl, c);
	if (pl->o->dry_run && pl->o->dry_up != NULL) {
		plan_free(pl->o->dry_up);
		*pl->o->dry_up = p;
	} else
		plan_free(&p);
}

/* run_pages: one per-page stage over every page it can take now. */
static int
run_pages(struct run_opts *o, const struct wq_stagedef *s)
{
	struct pool pl = { 0 };
	unsigned    blocked;
	long        i, running;
	int         status;
	pid_t       pid;

	pl.o = o;
	pl.s = s;
	pl.tty = isatty(STDERR_FILENO);
	if (wq_pages_load(o->work, &pl.pp) == -1) {
		wq_warn(o->work, "cannot read pages.tsv");
		return -1;
	}
	if (o->dry_run && pl.pp.n == 0) {	/* a new batch: nothing ingested */
		printf("%-7s every %s ingest takes\n", s->name,
		    s->kind == WQ_DOC ? "document" : "page");
		wq_pages_free(&pl.pp);
		return 0;
	}
	plan(&pl, &blocked);
	if (o->dry_run) {
		printf("%-7s %u %s to run now", s->name, pl.total,
		    s->kind == WQ_DOC ? "documents" : "pages");
		if (blocked > 0)
			printf(", %u waiting for %s", blocked,
			    wq_stage_input(&o->profile, s->name));
		printf("\n");
		for (i = 0; i < (long)pl.qlen; i++) {
			size_t k;

			for (k = 0; k < pl.q[i].n; k++) {
				char *name = unit_name(&pl, pl.q[i].pages[k]);

				printf("  %s %s\n", s->name, name);
				free(name);
			}
			free(pl.q[i].pages);
		}
		free(pl.q);
		wq_pages_free(&pl.pp);
		return 0;
	}
	if ((pl.prog = stage_program(s->name)) == NULL) {
		wq_warnx(s->name, "program warraq-%s not found beside warraq or on "
		    "PATH; is warraq fully installed?", s->name);
		free(pl.q);
		wq_pages_free(&pl.pp);
		return -1;
	}
	pl.conf = wq_xasprintf("%s/profile.conf", o->work);
	pl.slots = calloc((size_t)o->jobs, sizeof(*pl.slots));
	if (pl.slots == NULL)
		abort();
	pl.t0 = run_clock();
	if (!o->quiet && !pl.tty)
		fprintf(stderr, "warraq: %s: %u %s\n", s->name, pl.total,
		    s->kind == WQ_DOC ? "documents" : "pages");
	for (;;) {
		running = 0;
		for (i = 0; i < o->jobs; i++) {
			if (pl.slots[i].pid == 0 && pl.qhead < pl.qlen &&
			    !interrupted && !work_full)
				start(&pl, &pl.slots[i], pl.q[pl.qhead++]);
			if (pl.slots[i].pid > 0)
				running++;
		}
		if (running == 0 || (interrupted && !o->drain))
			break;
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			for (i = 0; i < o->jobs; i++)
				if (pl.slots[i].pid == pid)
					finish(&pl, &pl.slots[i], status);
			progress(&pl, 0);
			continue;
		}
		for (i = 0; i < o->jobs; i++)
			if (pl.slots[i].pid > 0 && !pl.slots[i].timed_out &&
			    run_clock() - pl.slots[i].start > o->timeout * (double)pl.slots[i].c.weight) {
				pl.slots[i].timed_out = 1;
				kill(-pl.slots[i].pid, SIGKILL);
			}
		progress(&pl, 0);
		run_sleep_ms(20);
	}
	if (interrupted)
		kill_all(&pl);
	if (pl.total > 0)
		progress(&pl, 1);
	nfailed_total += pl.failed;
	while (pl.qhead < pl.qlen)
		free(pl.q[pl.qhead++].pages);
	free(pl.q);
	free(pl.slots);
	free(pl.prog);
	free(pl.conf);
	wq_pages_free(&pl.pp);
	return interrupted || work_full ? -1 : 0;
}

/*
 * dry_once: a dry run of ingest is warraq-ingest -n with this run's
 * settings: what it would take, document by document, and the files it
 * would skip, with why; the report is only named.
 */
static int
dry_once(struct run_opts *o, const struct wq_stagedef *s)
{
	char  **av, *prog;
	size_t  i, k = 0;
	int     status = 0, r = 0;
	pid_t   pid;

	printf("%-7s %s -> %s\n", s->name, s->kind == WQ_SOURCE ? o->scans :
	    o->work, o->work);
	if (s->kind != WQ_SOURCE)
		return 0;
	if ((prog = stage_program(s->name)) == NULL)
		return 0;
	fflush(stdout);
	av = wq_xmalloc((2 * o->profile.n + 6 + (size_t)o->ndocs) * sizeof(char *));
	av[k++] = wq_xstrdup(prog);
	av[k++] = wq_xstrdup("-nq");
	for (i = 0; i < o->profile.n; i++) {
		av[k++] = wq_xstrdup("-o");
		av[k++] = wq_xasprintf("%s=%s", o->profile.key[i], o->profile.val[i]);
	}
	av[k++] = wq_xstrdup(o->scans);
	av[k++] = wq_xstrdup(o->work);
	for (i = 0; i < (size_t)o->ndocs; i++)
		av[k++] = wq_xstrdup(o->docs[i]);
	av[k] = NULL;
	if ((pid = fork()) == 0) {
		execv(prog, av);
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) > 1)
		r = -1;
	run_argv_free(av);
	free(prog);
	return r;
}

/*
 * run_once: a stage that runs as one process: ingest over SCANS_DIR, or
 * the report over the batch; its messages go to the terminal and to
 * WORK/logs/STAGE.log.
 */
static int
run_once(struct run_opts *o, const struct wq_stagedef *s)
{
	char  *prog, *conf, *log, buf[4096];
	char **av;
	int    pfd[2], status = 0, lfd, i, k;
	pid_t  pid;
	struct stat st;
	ssize_t n;

	if (o->dry_run)
		return dry_once(o, s);
	if ((prog = stage_program(s->name)) == NULL) {
		wq_warnx(s->name, "program warraq-%s not found beside warraq or on "
		    "PATH; is warraq fully installed?", s->name);
		return -1;
	}
	conf = wq_xasprintf("%s/profile.conf", o->work);
	log = wq_xasprintf("%s/logs/%s.log", o->work, s->name);
	av = wq_xmalloc((7 + (size_t)o->ndocs) * sizeof(char *));
	i = 0;
	av[i++] = prog, av[i++] = "-p", av[i++] = conf;
	if (o->quiet)
		av[i++] = "-q";
	if (s->kind == WQ_SOURCE)
		av[i++] = (char *)o->scans;
	av[i++] = (char *)o->work;
	for (k = 0; k < o->ndocs && s->kind == WQ_SOURCE; k++)
		av[i++] = o->docs[k];
	av[i] = NULL;
	if (wq_mkparent(log) == -1 || pipe2(pfd, O_CLOEXEC) == -1 ||
	    (lfd = open_log(log)) == -1) {
		wq_warn(log, "cannot create");
		free(av);
		return -1;
	}
	if (!o->quiet)
		wq_warnx(s->name, "%s", s->kind == WQ_SOURCE ?
		    o->scans : o->work);
	pid = spawn(av, NULL, pfd[1]);
	free(av);
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR && !interrupted)
				continue;
			break;
		}
		/* a lost log line must not stop the batch */
		(void)!write(lfd, buf, (size_t)n);
		(void)!write(STDERR_FILENO, buf, (size_t)n);
	}
	if (interrupted && pid > 0)
		kill(-pid, SIGKILL);
	if (pid > 0)
		waitpid(pid, &status, 0);
	close(pfd[0]);
	close(lfd);
	if (lstat(log, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
		unlink(log);	/* nothing said: no log */
	free(prog);
	free(conf);
	free(log);
	if (pid == -1 || interrupted)
		return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == WQ_EXIT_FULL)
		work_full = 1;
	else if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
		wq_warnx(o->scans, "%s stopped the batch (status %d)", s->name,
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return -1;
	}
	return 0;
}

/* run_selected: is stage i on, and among those --only/--from ask for. */
int
run_selected(const struct run_opts *o, size_t i)
{
	const char *name = wq_stages[i].name;
	size_t      k;

	if (!wq_stage_enabled(&o->profile, name))
		return 0;
	if (o->only != NULL)
		return strcmp(o->only, name) == 0;
	if (o->from != NULL) {
		for (k = 0; k <= i; k++)
			if (strcmp(wq_stages[k].name, o->from) == 0)
				return 1;
		return 0;
	}
	return 1;
}

/* run_settings: the settings the driver itself reads, and the OCR models
 * they name; -1 when one is wrong (said on stderr). */
int
run_settings(struct run_opts *o)
{
	char why[512];

	o->timeout = wq_set_long(&o->profile, "timeout");
	o->chunk = wq_set_long(&o->profile, "chunk");
	/* the OCR's models, before any stage runs: not after a night of
	 * deskewing, page by page */
	if (wq_stage_enabled(&o->profile, "ocr") &&
	    wq_langs_check(wq_set_text(&o->profile, "languages"), why,
	    sizeof(why)) == -1) {
		wq_warnx("languages", "%s", why);
		return -1;
	}
	return 0;
}

/* run_stage: one stage, by the local engine; 0, or -1 when the batch stops. */
int
run_stage(struct run_opts *o, const struct wq_stagedef *s)
{
	return s->kind == WQ_SOURCE || s->kind == WQ_BATCH ? run_once(o, s) :
	    run_pages(o, s);
}

/* run_stopped: why the batch stopped: 130 (a signal), WQ_EXIT_FULL, or 0. */
int
run_stopped(void)
{
	return interrupted ? 130 : work_full ? WQ_EXIT_FULL : 0;
}

/* run_reset: a new batch (or a watched document): no failures, no full
 * disk seen yet */
void
run_reset(void)
{
	nfailed_total = 0;
	work_full = 0;
}

/* run_failed: units failed since run_reset() */
unsigned
run_failed(void)
{
	return nfailed_total;
}

/* run_full: a stage found the disk full (the Slurm engine says so too) */
void
run_full(void)
{
	work_full = 1;
}

/*
 * watch.c - `warraq watch SCANS_DIR WORK_DIR`: a hot folder.  Each
 * document the scanner station writes into SCANS_DIR goes through every
 * stage as soon as it is complete, while the next one is being scanned.
 *
 *   watch_batch()   lock WORK, take the documents already there, then
 *                   wait on inotify for the next; returns the exit status
 *
 * A document (a folder of page images at the top of SCANS_DIR, or one
 * image file there) is complete when
 *   - watch_marker is set: its folder holds that file, written after its
 *     last page image (a single image file: as without a marker);
 *   - else: nothing in it has changed for watch_quiet seconds (inotify
 *     events; for what is there at start, and what changed while the
 *     stages ran, the change times of its files: see age()).
 * Only complete documents are handed to the stages (run_opts.docs):
 * ingest reads no other file, so a page being written is never read
 * half-way.
 *
 * What was taken is recorded in WORK/watch/ID.json with a signature of
 * its files (names, sizes, modification times; they are not read again).
 * After a restart a document with the same signature, done in every
 * stage, is not redone.  One whose signature changed after (or while) it
 * was processed is said to have changed, and is taken again as a whole
 * once complete: ingest re-reads the changed sources and every later
 * stage redoes what they made stale, so its outputs never mix versions.
 *
 * SIGTERM, SIGINT: the pages in hand finish, nothing new starts, and the
 * process exits 0; the same command takes up what was left.
 */
#include <errno.h>
#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"

/* what makes a document incomplete again, in a folder and at the top */
#define FOLDER_EVENTS (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | \
    IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB)
#define ROOT_EVENTS   (FOLDER_EVENTS | IN_DELETE_SELF | IN_MOVE_SELF)

struct entry {
	char   *name;		/* in SCANS_DIR */
	int     folder;
	int     wd;		/* inotify watch of a folder, or -1 */
	double  changed;	/* monotonic time of its last change seen */
	int     dirty;		/* changed since it was last looked at */
};

struct sig {			/* a document's files as they stand */
	char            hex[65];	/* of their names, sizes and times */
	unsigned        files;
	struct timespec newest;		/* latest modification of an image */
	int             marked;		/* marker there, not older than that */
};

struct figures {		/* what became of a document */
	char     *doc;		/* its DOC id, NULL when no page has one */
	unsigned  pages, duplicates, done, failed, quarantined;
	int       ok;
};

struct watch {
	struct run_opts *o;
	char             scans[PATH_MAX];
	const char      *marker;	/* watch_marker; NULL: none */
	long             quiet;		/* watch_quiet, seconds */
	int              quiet_log;	/* -q: only what failed */
	int              fd, root;	/* inotify, its watch of SCANS_DIR */
	struct entry    *e;
	size_t           n;
	int              status;	/* to exit with, once stopped */
	int              stop;
};

static int
tscmp(const struct timespec *a, const struct timespec *b)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec < b->tv_sec ? -1 : 1;
	return a->tv_nsec < b->tv_nsec ? -1 : a->tv_nsec > b->tv_nsec;
}

/* ---- the documents of SCANS_DIR ---- */

static struct entry *
find_entry(struct watch *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->e[i].name, name) == 0)
			return &w->e[i];
	return NULL;
}

static struct entry *
entry_of_wd(struct watch *w, int wd)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->e[i].wd == wd)
			return &w->e[i];
	return NULL;
}

/*
 * touch_entry: name changed at time t: a new entry (a folder, or an image
 * file; anything else ingest leaves alone too) or one that must be looked
 * at again.
 */
static void
touch_entry(struct watch *w, const char *name, double t)
{
	struct entry *e = find_entry(w, name);
	struct stat   st;
	char         *path;

	if (e == NULL) {
		path = wq_xasprintf("%s/%s", w->scans, name);
		if (name[0] == '.' || stat(path, &st) == -1 ||
		    !(S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) &&
		    wq_image_name(name)))) {
			free(path);
			return;
		}
		w->e = wq_xrealloc(w->e, (w->n + 1) * sizeof(*w->e));
		e = &w->e[w->n++];
		memset(e, 0, sizeof(*e));
		e->name = wq_xstrdup(name);
		e->folder = S_ISDIR(st.st_mode);
		e->wd = -1;
		if (e->folder && (e->wd = inotify_add_watch(w->fd, path,
		    FOLDER_EVENTS | IN_ONLYDIR)) == -1)
			wq_warn(path, "cannot watch (fs.inotify.max_user_watches?); "
			    "taken when SCANS_DIR itself changes");
		free(path);
	}
	e->changed = t;
	e->dirty = 1;
}

static void
drop_entry(struct watch *w, const char *name)
{
	struct entry *e = find_entry(w, name);

	if (e == NULL)
		return;
	if (e->wd != -1)
		inotify_rm_watch(w->fd, e->wd);
	free(e->name);
	*e = w->e[--w->n];
}

/* entry_files: the entry's page images, relative to SCANS_DIR, sorted. */
static char **
entry_files(const struct watch *w, const struct entry *e, size_t *np)
{
	char   *path, **v, *t;
	size_t  i;

	if (!e->folder) {
		v = wq_xmalloc(sizeof(char *));
		v[0] = wq_xstrdup(e->name);
		*np = 1;
		return v;
	}
	path = wq_xasprintf("%s/%s", w->scans, e->name);
	v = wq_list_dir(path, wq_image_name, np);
	for (i = 0; i < *np; i++) {
		t = wq_xasprintf("%s/%s", e->name, v[i]);
		free(v[i]);
		v[i] = t;
	}
	free(path);
	return v;
}

/* signature: the entry's files as they stand, from stat() alone. */
static void
signature(const struct watch *w, const struct entry *e, struct sig *s)
{
	size_t      n, i, len = 0;
	char      **f = entry_files(w, e, &n), *buf = NULL, *path;
	FILE       *m = open_memstream(&buf, &len);
	struct stat st;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n; i++) {
		path = wq_xasprintf("%s/%s", w->scans, f[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			fprintf(m, "%s\t%lld\t%lld.%09ld\n", f[i],
			    (long long)st.st_size, (long long)st.st_mtim.tv_sec,
			    st.st_mtim.tv_nsec);
			s->files++;
			if (tscmp(&st.st_mtim, &s->newest) > 0)
				s->newest = st.st_mtim;
		}
		free(path);
	}
	fclose(m);
	wq_sha256_buf(buf, len, s->hex);
	free(buf);
	wq_names_free(f, n);
	if (w->marker != NULL && e->folder) {
		path = wq_xasprintf("%s/%s/%s", w->scans, e->name, w->marker);
		s->marked = stat(path, &st) == 0 &&
		    tscmp(&st.st_mtim, &s->newest) >= 0;
		free(path);
	}
}

/*
 * changed_at: when the entry last changed (wall clock): the newest status
 * change time (ctime) of the entry and, for a folder, of everything in it.
 * Unlike modification times, no copy (cp -p, rsync -t) sets them back.
 */
static double
changed_at(const struct watch *w, const struct entry *e)
{
	char          *path = wq_xasprintf("%s/%s", w->scans, e->name), *f;
	struct timespec last = { 0, 0 };
	struct dirent *de;
	struct stat    st;
	DIR           *d;

	if (stat(path, &st) == 0)
		last = st.st_ctim;
	if (e->folder && (d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			f = wq_xasprintf("%s/%s", path, de->d_name);
			if (stat(f, &st) == 0 && tscmp(&st.st_ctim, &last) > 0)
				last = st.st_ctim;
			free(f);
		}
		closedir(d);
	}
	free(path);
	return (double)last.tv_sec + last.tv_nsec / 1e9;
}

/*
 * age: date the entry's last change by changed_at(), at most span seconds
 * back: a document found quiet need not wait out the period once more.
 */
static void
age(struct watch *w, struct entry *e, double span)
{
	struct timespec ts;
	double          a;

	clock_gettime(CLOCK_REALTIME, &ts);
	a = (double)ts.tv_sec + ts.tv_nsec / 1e9 - changed_at(w, e);
	e->changed = run_clock() - (a < 0 ? 0 : a > span ? span : a);
}

/*
 * scan: every entry of SCANS_DIR, looked at again.  At start an entry is
 * aged (age()); after lost events (a full inotify queue) every entry
 * counts as just changed, and those gone are dropped.
 */
static void
scan(struct watch *w, int start)
{
	DIR           *d = opendir(w->scans);
	struct dirent *de;
	size_t         i;

	if (d == NULL) {
		wq_warn(w->scans, "cannot list");
		return;
	}
	for (i = 0; i < w->n; i++)
		w->e[i].dirty = -1;	/* not seen yet */
	while ((de = readdir(d)) != NULL)
		touch_entry(w, de->d_name, run_clock());
	closedir(d);
	for (i = w->n; i-- > 0; ) {
		if (w->e[i].dirty == -1) {
			drop_entry(w, w->e[i].name);
			continue;
		}
		if (start)
			age(w, &w->e[i], (double)w->quiet);
	}
}

/* ---- what WORK says about a document ---- */

/* record_path: WORK/watch/ID.json, ID made from the entry's name. */
static char *
record_path(const struct watch *w, const char *name)
{
	char *id = wq_docid_from_name(name);
	char *p = wq_xasprintf("%s/watch/%s.json", w->o->work, id);

	free(id);
	return p;
}

/*
 * figures: the entry's pages, and how far they went: every page done in
 * every page stage, the document in every document stage, no file of it
 * quarantined.
 */
static void
figures(const struct watch *w, const struct entry *e, struct figures *f)
{
	const struct wq_profile *pr = &w->o->profile;
	struct wq_pages          pp = { 0 };
	size_t                   i, k, n;
	char                   **files, *q, *id;
	int                      done;

	memset(f, 0, sizeof(*f));
	if (wq_pages_load(w->o->work, &pp) == -1)
		pp.n = 0;
	for (i = 0; i < pp.n; i++) {
		const struct wq_page *p = &pp.v[i];

		if (!wq_source_in(w->scans, e->name, p->source))
			continue;
		if (f->doc == NULL)
			f->doc = wq_xstrdup(p->doc);
		if (strcmp(p->status, "ok") != 0) {
			f->duplicates++;
			continue;
		}
		f->pages++;
		done = 1;
		for (k = 0; k < wq_nstages; k++)
			if (wq_stages[k].kind == WQ_PAGE &&
			    wq_stage_enabled(pr, wq_stages[k].name))
				switch (wq_page_state(w->o->work, wq_stages[k].name,
				    p, NULL)) {
				case WQ_DONE:
					break;
				case WQ_FAILED:
					f->failed++;
					/* FALLTHROUGH */
				default:
					done = 0;
				}
		f->done += done;
	}
	f->ok = f->done == f->pages;
	for (k = 0; k < wq_nstages && f->pages > 0; k++)
		if (wq_stages[k].kind == WQ_DOC &&
		    wq_stage_enabled(pr, wq_stages[k].name))
			switch (wq_doc_state(w->o->work, wq_stages[k].name, &pp,
			    f->doc, NULL)) {
			case WQ_DONE:
				break;
			case WQ_FAILED:
				f->failed++;
				/* FALLTHROUGH */
			default:
				f->ok = 0;
			}
	files = entry_files(w, e, &n);
	for (i = 0; i <= n; i++) {	/* and a folder's own (a link out) */
		if (i == n && !e->folder)
			break;
		id = wq_docid_from_name(i < n ? files[i] : e->name);
		q = wq_xasprintf("%s/quarantine/%s.reason", w->o->work, id);
		f->quarantined += wq_exists(q);
		free(id);
		free(q);
	}
	wq_names_free(files, n);
	f->ok = f->ok && f->quarantined == 0 && f->pages + f->duplicates > 0;
	wq_pages_free(&pp);
}

/*
 * seen_before: 1 when the record of the entry has this signature: it was
 * taken as it stands (at start: and is done in WORK; one that failed is
 * tried again, as a second `warraq run` would).  *changed: a record
 * with another signature.
 */
static int
seen_before(const struct watch *w, const struct entry *e, const struct sig *s,
    int start, int *changed)
{
	char          *path = record_path(w, e->name);
	json_t        *r = wq_json_read(path);
	const char    *hex = json_string_value(json_object_get(r, "signature"));
	struct figures f;
	int            same = hex != NULL && strcmp(hex, s->hex) == 0;

	*changed = r != NULL && !same;
	if (same && start) {
		figures(w, e, &f);
		same = f.ok;
		free(f.doc);
	}
	json_decref(r);
	free(path);
	return same;
}

static void
record(const struct watch *w, const struct entry *e, const struct sig *s,
    const struct figures *f)
{
	char   *path = record_path(w, e->name), stamp[32];
	time_t  t = time(NULL);
	json_t *r;

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	r = json_pack("{s:o, s:o, s:s, s:i, s:s, s:s}",
	    "name", wq_json_text(e->name, PATH_MAX),
	    "doc", f->doc ? json_string(f->doc) : json_null(),
	    "signature", s->hex, "files", (json_int_t)s->files,
	    "state", f->ok ? "done" : "failed", "finished", stamp);
	if (wq_json_write(path, r) == -1)
		wq_warn(path, "cannot write");
	json_decref(r);
	free(path);
}

/* ---- events ---- */

/* read_events: what inotify has: each event names a document that changed. */
static void
read_events(struct watch *w)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct entry *e;
	ssize_t       len;
	char         *p;

	while ((len = read(w->fd, buf, sizeof(buf))) > 0)
		for (p = buf; p < buf + len; p += sizeof(struct inotify_event) +
		    ((struct inotify_event *)p)->len) {
			const struct inotify_event *ev = (const void *)p;

			if (ev->mask & IN_Q_OVERFLOW)
				scan(w, 0);
			else if (ev->wd == w->root && (ev->mask &
			    (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))) {
				if (!w->stop)	/* IN_IGNORED follows */
					wq_warnx(w->scans, "the scans folder went "
					    "away: stopped");
				w->status = 1;
				w->stop = 1;
			} else if (ev->wd == w->root && ev->len > 0) {
				if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
					drop_entry(w, ev->name);
				else
					touch_entry(w, ev->name, run_clock());
			} else if ((e = entry_of_wd(w, ev->wd)) != NULL &&
			    !(ev->mask & IN_IGNORED)) {
				e->changed = run_clock();
				e->dirty = 1;
			}
		}
	if (len == -1 && errno != EAGAIN && errno != EINTR) {
		wq_warn(w->scans, "cannot read inotify events: stopped");
		w->status = 1;
		w->stop = 1;
	}
}

/* events: wait up to ms for inotify (signals let through only there). */
static void
events(struct watch *w, int ms)
{
	struct pollfd   pfd = { w->fd, POLLIN, 0 };
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	sigset_t        block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (!run_interrupted())
		ppoll(&pfd, 1, ms < 0 ? NULL : &ts, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	read_events(w);
}

/*
 * catch_up: the events that came while the stages ran (since t0), read
 * now and dated by age() rather than by now: a document completed while
 * another was processed is taken at once, not a quiet period later.
 */
static void
catch_up(struct watch *w, double t0)
{
	double t = run_clock();
	size_t i;

	read_events(w);
	for (i = 0; i < w->n; i++)
		if (w->e[i].dirty && w->e[i].changed >= t)
			age(w, &w->e[i], t - t0);
}

/* ---- taking documents ---- */

/* say_result: one line for a document the stages finished with. */
static void
say_result(const struct watch *w, const struct entry *e, const struct figures *f,
    double secs)
{
	if (f->ok && w->quiet_log)
		return;
	wq_warnx(e->name, "%s as %s: %u pages, %u done, %u failed, %u files "
	    "quarantined, %u duplicates, %.1f s", f->ok ? "finished" : "failed",
	    f->doc ? f->doc : "-", f->pages, f->done, f->failed, f->quarantined,
	    f->duplicates, secs);
}

/*
 * process: the stages over the documents in v (indices into w->e), with
 * their signatures s as taken; one line each before and after.
 */
static void
process(struct watch *w, size_t *v, struct sig *s, size_t n)
{
	struct figures f;
	struct sig     now;
	double         t0 = run_clock();
	size_t         i;
	int            r;

	w->o->docs = wq_xmalloc(n * sizeof(char *));
	for (i = 0; i < n; i++) {
		w->o->docs[i] = w->e[v[i]].name;
		if (!w->quiet_log)
			wq_warnx(w->e[v[i]].name, "started, %u files", s[i].files);
	}
	w->o->ndocs = (int)n;
	r = run_stages(w->o);
	free(w->o->docs);
	w->o->docs = NULL;
	w->o->ndocs = 0;
	for (i = 0; i < n; i++) {
		struct entry *e = &w->e[v[i]];

		if (r == 130 || r == WQ_EXIT_FULL) {
			wq_warnx(e->name, "stopped before it was finished; taken "
			    "up again at the next start");
			continue;
		}
		signature(w, e, &now);
		if (strcmp(now.hex, s[i].hex) != 0) {
			wq_warnx(e->name, "changed while it was processed; taken "
			    "again, whole, once complete");
			e->changed = run_clock();
			e->dirty = 1;
			continue;
		}
		figures(w, e, &f);
		say_result(w, e, &f, run_clock() - t0);
		record(w, e, &s[i], &f);
		free(f.doc);
	}
	catch_up(w, t0);
	if (r == WQ_EXIT_FULL) {
		wq_warnx(w->o->work, "no space left on the work directory's file "
		    "system: stopped; free space and start again");
		w->status = WQ_EXIT_FULL;
		w->stop = 1;
	}
}

/*
 * complete: can the entry be taken now.  An entry looked at and found
 * incomplete for want of its marker or of files waits for its next event.
 */
static int
complete(struct watch *w, struct entry *e, struct sig *s, double t)
{
	int by_marker = w->marker != NULL && e->folder;

	if (!by_marker && t - e->changed < w->quiet)
		return 0;
	signature(w, e, s);
	e->dirty = 0;
	return s->files > 0 && (!by_marker || s->marked);
}

/* take: every complete document not yet taken as it stands, in one run. */
static void
take(struct watch *w, int start)
{
	size_t     *v = wq_xmalloc((w->n + 1) * sizeof(size_t)), i, n = 0;
	struct sig *s = wq_xmalloc((w->n + 1) * sizeof(struct sig));
	double      t = run_clock();
	unsigned    before = 0;
	int         changed;

	for (i = 0; i < w->n; i++) {
		struct entry *e = &w->e[i];

		if (!e->dirty || !complete(w, e, &s[n], t))
			continue;
		if (seen_before(w, e, &s[n], start, &changed)) {
			before++;
			continue;
		}
		if (changed)
			wq_warnx(e->name, "changed since it was processed: taken "
			    "again, whole");
		v[n++] = i;
	}
	if (n > 0)
		process(w, v, s, n);
	if (start && !w->quiet_log)
		wq_warnx(w->scans, "watching: %u documents done before, %zu "
		    "taken now, %zu waiting", before, n, w->n - before - n);
	free(v);
	free(s);
}

/*
 * next_due: milliseconds until an entry is to be looked at (its quiet
 * period ends; a folder with a marker: now, as its events may have been
 * read while the stages ran); -1: none is.
 */
static int
next_due(const struct watch *w)
{
	double t = run_clock(), due = -1, d;
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (!w->e[i].dirty)
			continue;
		d = w->marker != NULL && w->e[i].folder ? 0 :
		    w->e[i].changed + w->quiet - t;
		if (due < 0 || d < due)
			due = d < 0 ? 0 : d;
	}
	return due < 0 ? -1 : (int)(due * 1000) + 10;
}

/* ---- setting up ---- */

/*
 * setup: the settings, SCANS_DIR resolved, WORK_DIR (never inside it:
 * the watcher would see its own outputs) created and locked.  Returns
 * the lock, or -1 with w->status set.
 */
static int
setup(struct watch *w, struct run_opts *o)
{
	char   rwork[PATH_MAX];
	int    lock;
	size_t n;

	w->o = o;
	w->status = 2;
	w->marker = wq_set_text(&o->profile, "watch_marker");
	if (w->marker != NULL && (*w->marker == '\0' ||
	    strchr(w->marker, '/') != NULL || w->marker[0] == '.')) {
		wq_warnx(w->marker, "watch_marker must be a file name, not a path "
		    "nor a hidden name");
		return -1;
	}
	w->quiet = wq_set_long(&o->profile, "watch_quiet");
	if (realpath(o->scans, w->scans) == NULL) {
		wq_warn(o->scans, "cannot resolve");
		return -1;
	}
	if (wq_resolve_new(o->work, rwork) == -1) {
		wq_warn(o->work, "cannot resolve");
		return -1;
	}
	n = strlen(w->scans);
	if (strncmp(rwork, w->scans, n) == 0 &&
	    (rwork[n] == '\0' || rwork[n] == '/' || n == 1)) {
		wq_warnx(o->work, "must not be inside SCANS_DIR (sources are "
		    "never written to)");
		return -1;
	}
	o->scans = w->scans;	/* run_opts.docs wants it resolved */
	if (wq_mkdirs(o->work) == -1) {
		wq_warn(o->work, "cannot create");
		return -1;
	}
	if (wq_workdir(o->work, 1) == -1)
		return -1;
	if ((lock = lock_work(o->work)) < 0) {
		if (lock == -2)
			w->status = WQ_EXIT_BUSY;
		return -1;
	}
	if (!o->slurm)		/* what a killed run was writing */
		wq_clear_dead_tmp(o->work);
	if (batch_record(o) == -1) {
		wq_warn(o->work, "cannot write batch.json or profile.conf");
		close(lock);
		return -1;
	}
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1 ||
	    (w->root = inotify_add_watch(w->fd, w->scans, ROOT_EVENTS |
	    IN_ONLYDIR)) == -1) {
		wq_warn(w->scans, "cannot watch");
		close(lock);
		return -1;
	}
	w->status = 0;
	return lock;
}

int
watch_batch(struct run_opts *o)
{
	struct watch w;
	int          lock;

	memset(&w, 0, sizeof(w));
	w.quiet_log = o->quiet;
	o->quiet = 1;		/* one line a document, not a page */
	o->drain = 1;
	if ((lock = setup(&w, o)) == -1)
		return w.status;
	run_signals();
	if (!w.quiet_log && w.marker != NULL)
		wq_warnx(w.scans, "into %s; a folder is complete with its %s, a "
		    "single file after %ld s quiet", o->work, w.marker, w.quiet);
	else if (!w.quiet_log)
		wq_warnx(w.scans, "into %s; a document is complete after %ld s "
		    "quiet", o->work, w.quiet);
	scan(&w, 1);
	take(&w, 1);
	while (!w.stop && !run_interrupted()) {
		events(&w, next_due(&w));
		if (!w.stop && !run_interrupted())
			take(&w, 0);
	}
	if (run_interrupted() && !w.quiet_log)
		wq_warnx(w.scans, "stopped (signal %d); the same command goes on",
		    run_interrupted());
	while (w.n > 0)
		drop_entry(&w, w.e[0].name);
	free(w.e);
	close(w.fd);
	close(lock);
	return w.status;
}

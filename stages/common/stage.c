/*
 * stage.c - the list of stages, the settings they know, and the shape
 * every stage program takes: warraq-STAGE [options] WORK_DIR [DOC/PAGE ...]
 *
 *   wq_stage_per_page()      does a stage keep one result per page
 *   wq_stage_enabled()       is a stage on in this profile ("stages" key)
 *   wq_stage_input()         the stage a stage waits on
 *   wq_stage_image()         the stage whose page image a stage reads
 *   wq_meta_new()            the fields every page sidecar starts with
 *   wq_sidecar()             WORK/STAGE/DOC/PAGE.EXT
 *   wq_page_state()          done / failed / pending of one page in a stage
 *   wq_outputs()             what a sidecar records of the files it describes
 *   wq_outputs_whole()       and whether they are still there, whole
 *   wq_args_parse()          the options every program shares
 *   wq_run_unit()            run one page or document, record its result
 *   wq_stage_main()          main() of a per-page stage: select, run, record
 *   wq_args_free()
 *
 * A page is done in a stage when its JSON sidecar exists and records the
 * checksum of the source the page came from, and the files it lists
 * ("outputs": size and SHA-256 of each) are there, page images with their
 * sizes: a rescanned source makes every later stage's result stale, and a
 * deleted or cut intermediate makes its page pending again (a text or XML
 * file of another size may have been corrected by a person: kept).  The
 * sidecar is written last, after the outputs it describes.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wq.h"

/*
 * wq_stage_enabled: ingest cannot be turned off; everything hangs on it.
 * A stage with an opt-in setting (the layout stage: layout_stage) runs
 * when "stages" names it, or with that setting on; it is not among "all".
 */
int
wq_stage_enabled(const struct wq_profile *pr, const char *name)
{
	const char               *list = wq_set_text(pr, "stages");
	const struct wq_stagedef *d = wq_stage_find(name);
	size_t                    n = strlen(name);
	const char               *s;

	if (strcmp(name, "ingest") == 0)
		return 1;
	if (strcmp(list, "all") == 0)
		return d == NULL || d->optin == NULL || wq_set_bool(pr, d->optin);
	for (s = list; (s = strstr(s, name)) != NULL; s += n)
		if ((s == list || s[-1] == ',' || s[-1] == ' ') &&
		    (s[n] == '\0' || s[n] == ',' || s[n] == ' '))
			return 1;
	return 0;
}

/*
 * wq_stage_per_page: 1 for a stage with one result per page (ingest and
 * the image stages), 0 for one per document or one per batch.
 */
int
wq_stage_per_page(const struct wq_stagedef *s)
{
	return s->kind == WQ_SOURCE || s->kind == WQ_PAGE;
}

/*
 * earlier: the nearest enabled stage before stage name that is not a
 * batch stage and, when images is set, makes a page image; NULL for the
 * first stage or an unknown name.
 */
static const char *
earlier(const struct wq_profile *pr, const char *name, int images)
{
	size_t i;

	for (i = 0; i < wq_nstages; i++)
		if (strcmp(wq_stages[i].name, name) == 0)
			break;
	if (i == wq_nstages)
		return NULL;
	while (i-- > 0)
		if (wq_stage_enabled(pr, wq_stages[i].name) &&
		    wq_stages[i].kind != WQ_BATCH && (!images || wq_stages[i].image))
			return wq_stages[i].name;
	return NULL;
}

/*
 * wq_stage_input: NULL for the first stage.  A batch stage (the report)
 * is nobody's input: it has no result per page or document to wait on.
 */
const char *
wq_stage_input(const struct wq_profile *pr, const char *name)
{
	return earlier(pr, name, 0);
}

/*
 * wq_stage_image: the stage whose page image stage name reads: the
 * nearest enabled stage before it that makes one (clean, deskew or
 * ingest); NULL for the first stage.
 */
const char *
wq_stage_image(const struct wq_profile *pr, const char *name)
{
	return earlier(pr, name, 1);
}

/* wq_meta_new: a new object, owned by the caller. */
json_t *
wq_meta_new(const char *stage, const struct wq_page *p)
{
	json_t *meta = json_object();

	json_object_set_new(meta, "doc", json_string(p->doc));
	json_object_set_new(meta, "page", json_string(p->page));
	json_object_set_new(meta, "stage", json_string(stage));
	json_object_set_new(meta, "warraq_version", json_string(WQ_VERSION));
	json_object_set_new(meta, "source_sha256", json_string(p->sha256));
	return meta;
}

char *
wq_sidecar(const char *work, const char *stage, const char *doc,
    const char *page, const char *ext)
{
	return wq_xasprintf("%s/%s/%s/%s.%s", work, stage, doc, page, ext);
}

/* first_line: the first line of a small text file, or NULL. */
static char *
first_line(const char *path)
{
	char *s = wq_read_file(path, 1 << 16, NULL);

	if (s != NULL)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

/*
 * wq_outputs: for the sidecar at json (".../PAGE.json"), the files beside
 * it named PAGE.* (not the sidecar, not PAGE.error) as {file: {"bytes",
 * "sha256"}}; a new object (empty when there are none, and for a
 * document's sidecar).
 */
json_t *
wq_outputs(const char *json)
{
	char   *dir = wq_xstrdup(json), *slash = strrchr(dir, '/'), *stem;
	char  **v;
	size_t  n, i, len;
	json_t *o = json_object();

	if (slash == NULL) {
		free(dir);
		return o;
	}
	*slash = '\0';
	stem = slash + 1;
	len = strlen(stem) - 4;		/* "NAME." of "NAME.json" */
	/* pages only: "0001." is no other page's start, while a document
	 * "a" would take the files of a document "a.b" */
	{
		char *id = wq_xasprintf("%.*s", (int)(len - 1), stem);
		int   page = wq_pageid_valid(id);

		free(id);
		if (!page) {
			free(dir);
			return o;
		}
	}
	v = wq_list_dir(dir, NULL, &n);
	for (i = 0; i < n; i++) {
		char  hex[65], *f;
		off_t size;

		if (strncmp(v[i], stem, len) != 0 || strcmp(v[i], stem) == 0 ||
		    strcmp(v[i] + len, "error") == 0)
			continue;
		f = wq_xasprintf("%s/%s", dir, v[i]);
		if (wq_sha256_file(f, hex, &size) == 0)
			json_object_set_new(o, v[i], json_pack("{s:I, s:s}", "bytes",
			    (json_int_t)size, "sha256", hex));
		free(f);
	}
	wq_names_free(v, n);
	free(dir);
	return o;
}

/* wq_outputs_whole: every file the sidecar j (read from json) lists is
 * there, and each page image of its recorded size (a sidecar from before
 * the list: 1); OCR text, hOCR and ALTO may have been corrected by hand */
int
wq_outputs_whole(const char *json, json_t *j)
{
	const char *name;
	json_t     *f;
	char       *dir = wq_xstrdup(json), *slash = strrchr(dir, '/');
	int         ok = 1;

	if (slash != NULL)
		*slash = '\0';
	json_object_foreach(json_object_get(j, "outputs"), name, f) {
		struct stat st;
		char       *path = wq_xasprintf("%s/%s", dir, name);
		size_t      n = strlen(name);

		/* missing, or a page image of another size (cut short); a
		 * text or XML file edited by a person is theirs, not damage */
		if (strchr(name, '/') != NULL || stat(path, &st) == -1 ||
		    !S_ISREG(st.st_mode) || (n > 4 && strcmp(name + n - 4, ".tif") == 0 &&
		    (json_int_t)st.st_size != json_integer_value(json_object_get(f, "bytes"))))
			ok = 0;
		free(path);
		if (!ok)
			break;
	}
	free(dir);
	return ok;
}

/*
 * wq_page_state: *reason (may be NULL) gets the failure reason, owned by
 * the caller, when the page failed.
 */
enum wq_state
wq_page_state(const char *work, const char *stage, const struct wq_page *p,
    char **reason)
{
	char         *path = wq_sidecar(work, stage, p->doc, p->page, "json");
	json_t       *j = wq_json_read(path);
	const char   *sha;
	enum wq_state st = WQ_PENDING;

	if (reason != NULL)
		*reason = NULL;
	if (j != NULL) {
		sha = json_string_value(json_object_get(j, "source_sha256"));
		if (sha != NULL && strcmp(sha, p->sha256) == 0 &&
		    wq_outputs_whole(path, j))
			st = WQ_DONE;
		json_decref(j);
		if (st == WQ_DONE) {
			free(path);
			return st;
		}
	}
	free(path);
	path = wq_sidecar(work, stage, p->doc, p->page, "error");
	if (wq_exists(path)) {
		st = WQ_FAILED;
		if (reason != NULL)
			*reason = first_line(path);
	}
	free(path);
	return st;
}

static void
usage_exit(const char *prog, int status)
{
	const struct wq_stagedef *s = wq_program_find(prog);
	const char               *u = s != NULL ? s->usage : "";

	if (status == 0) {
		wq_help_print(stdout, prog);
		exit(0);
	}
	fprintf(stderr, "usage: %s %.*s\n(%s --help for more)\n",
	    wq_getprogname(), (int)strcspn(u, "\n"), u, wq_getprogname());
	exit(status);
}

/*
 * wq_args_parse: fills a (zeroed by this function) for program prog
 * ("clean"; its description gives the usage); exits 0 after --help,
 * --version or --describe and 2 on a usage error or a wrong setting.
 * minpos positionals are required.
 */
int
wq_args_parse(struct wq_args *a, int argc, char **argv, const char *prog,
    int minpos)
{
	enum { O_DESCRIBE = 256 };
	static const struct option longopts[] = {
		{ "profile",  required_argument, NULL, 'p' },
		{ "set",      required_argument, NULL, 'o' },
		{ "force",    no_argument,       NULL, 'f' },
		{ "quiet",    no_argument,       NULL, 'q' },
		{ "help",     no_argument,       NULL, 'h' },
		{ "version",  no_argument,       NULL, 'V' },
		{ "describe", no_argument,       NULL, O_DESCRIBE },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(a, 0, sizeof(*a));
	wq_setprogname(argv[0]);
	while ((c = getopt_long(argc, argv, "p:o:fqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (wq_profile_load(&a->profile, optarg) == -1)
				exit(2);
			break;
		case 'o':
			if (wq_profile_setkv(&a->profile, optarg) == -1)
				exit(2);
			break;
		case 'f':
			a->force = 1;
			break;
		case 'q':
			a->quiet = 1;
			break;
		case 'h':
			usage_exit(prog, 0);
			break;
		case 'V':
			printf("%s (warraq) %s\n", wq_getprogname(), WQ_VERSION);
			exit(0);
		case O_DESCRIBE:
			wq_describe_exit(prog);
		default:
			usage_exit(prog, 2);
		}
	}
	a->pos = argv + optind;
	a->npos = argc - optind;
	if (a->npos < minpos)
		usage_exit(prog, 2);
	return 0;
}

void
wq_args_free(struct wq_args *a)
{
	wq_profile_free(&a->profile);
}

/* select_named: marks the rows a DOC or DOC/PAGE argument names. */
static int
select_named(const struct wq_pages *pp, const char *arg, char *sel)
{
	char  *s = wq_xstrdup(arg), *slash = strchr(s, '/');
	size_t i;
	int    found = 0;

	if (slash != NULL)
		*slash++ = '\0';
	if (!wq_docid_valid(s) || (slash != NULL && !wq_pageid_valid(slash))) {
		wq_warnx(arg, "not a DOC or DOC/PAGE id");
		free(s);
		return -1;
	}
	for (i = 0; i < pp->n; i++)
		if (strcmp(pp->v[i].doc, s) == 0 &&
		    (slash == NULL || strcmp(pp->v[i].page, slash) == 0)) {
			sel[i] = 1;
			found = 1;
		}
	free(s);
	if (!found)
		wq_warnx(arg, "no such page in pages.tsv");
	return found ? 0 : -1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * fault: a test hook, as SQLite has them.  WARRAQ_FAULT holds entries
 * "STAGE:UNIT:KIND" (comma-separated; UNIT is DOC/PAGE, or DOC for a
 * document stage) that make one unit of the real program crash, hang or
 * fail, so that the driver's failure isolation is tested on the real
 * programs rather than on stand-ins.
 */
static int
fault(const char *stage, const char *unit, char *err, size_t errlen)
{
	const char *env = getenv("WARRAQ_FAULT");
	char       *want, *hit;

	if (env == NULL)
		return 0;
	want = wq_xasprintf("%s:%s:", stage, unit);
	hit = strstr(env, want);
	if (hit != NULL && (hit == env || hit[-1] == ',')) {
		hit += strlen(want);
		if (strncmp(hit, "crash", 5) == 0) {
			signal(SIGSEGV, SIG_DFL);	/* a sanitizer's handler too */
			raise(SIGSEGV);
		}
		if (strncmp(hit, "hang", 4) == 0)
			for (;;)
				pause();
		snprintf(err, errlen, "injected failure (WARRAQ_FAULT)");
		free(want);
		return -1;
	}
	free(want);
	return 0;
}

/*
 * wq_run_unit: one page or document through fn(ctx, ...); records the
 * sidecar json (meta, with timing) or, on failure, the reason in errpath
 * and on stderr prefixed with label.  The old sidecar goes first, so a
 * unit killed half-way is pending, not done.
 */
int
wq_run_unit(const char *stage, const char *unit, const char *json,
    const char *errpath, const char *label, json_t *meta, wq_unit_fn fn,
    void *ctx)
{
	char    err[512] = "";
	json_t *timing = json_object();
	double  t0 = now();
	int     r, full;

	wq_remove(json);
	errno = 0;
	r = wq_mkparent(json) == -1 || fault(stage, unit, err, sizeof(err)) == -1 ?
	    -1 : fn(ctx, meta, err, sizeof(err));
	/* errno was cleared: ENOSPC now is this unit's, whoever wrote */
	full = r != 0 && wq_full(errno);
	if (r == 0) {
		json_object_set_new(timing, "seconds", json_real(now() - t0));
		json_object_set_new(meta, "timing", timing);
		timing = NULL;
		json_object_set_new(meta, "outputs", wq_outputs(json));
		if (wq_json_write(json, meta) == -1)
			full = wq_full(errno), snprintf(err, sizeof(err),
			    "cannot write %s: %s", json, strerror(errno)), r = -1;
		else
			wq_remove(errpath);
	}
	if (full) {	/* not the unit's fault: it stays pending */
		wq_warnx(label, "%s", err[0] ? err : strerror(ENOSPC));
		wq_full_exit(json);
	}
	if (r != 0) {
		char *line;

		if (err[0] == '\0')
			snprintf(err, sizeof(err), "failed");
		wq_warnx(label, "%s", err);
		line = wq_xasprintf("%s\n", err);
		if (wq_write_atomic(errpath, line, strlen(line)) == -1)
			wq_warn(errpath, "cannot record the failure");
		free(line);
	}
	json_decref(timing);
	return r;
}

struct pagecall {
	const struct wq_args *a;
	const struct wq_page *p;
	wq_page_fn            fn;
};

static int
call_page(void *ctx, json_t *meta, char *err, size_t errlen)
{
	struct pagecall *c = ctx;

	return c->fn(c->a, c->p, meta, err, errlen);
}

/* run_page: one page through fn; records the sidecar or the error. */
static int
run_page(const char *stage, const struct wq_args *a, const struct wq_page *p,
    wq_page_fn fn)
{
	char   *json = wq_sidecar(a->work, stage, p->doc, p->page, "json");
	char   *errpath = wq_sidecar(a->work, stage, p->doc, p->page, "error");
	char   *in = wq_sidecar(a->work, a->image, p->doc, p->page, "tif");
	char   *unit = wq_xasprintf("%s/%s", p->doc, p->page);
	json_t *meta = wq_meta_new(stage, p);
	struct pagecall c = { a, p, fn };
	int     r;

	json_object_set_new(meta, "input", json_string(a->input));
	r = wq_run_unit(stage, unit, json, errpath, in, meta, call_page, &c);
	json_decref(meta);
	free(json);
	free(errpath);
	free(in);
	free(unit);
	return r;
}

/*
 * wq_stage_init: init(a), when the program has one: what it needs before
 * any unit (models, settings beyond their type); -1, said on stderr,
 * when it cannot work at all (exit 2).
 */
int
wq_stage_init(const struct wq_args *a, wq_init_fn init)
{
	char err[512] = "";

	if (init == NULL || init(a, err, sizeof(err)) == 0)
		return 0;
	wq_warnx(NULL, "%s", err[0] ? err : "cannot start");
	return -1;
}

/*
 * wq_stage_main: the whole main() of a per-page stage.  With no pages
 * named, runs every page the input stage finished and this one has not
 * (all of them with --force); named pages are run whatever their state.
 * Returns the exit status: 0, 1 if a page failed, 2 on a usage error.
 */
int
wq_stage_main(const char *stage, int argc, char **argv, wq_init_fn init,
    wq_page_fn fn)
{
	struct wq_args  a;
	struct wq_pages pp = { 0 };
	char           *sel;
	size_t          i;
	int             status = 0, k;

	wq_args_parse(&a, argc, argv, stage, 1);
	a.work = a.pos[0];
	a.input = wq_stage_input(&a.profile, stage);
	a.image = wq_stage_image(&a.profile, stage);
	if (wq_workdir(a.work, 1) == -1 || wq_stage_init(&a, init) == -1) {
		wq_args_free(&a);
		return 2;
	}
	if (wq_pages_load(a.work, &pp) == -1) {
		wq_warn(a.work, "cannot read pages.tsv");
		wq_args_free(&a);
		return 1;
	}
	if (pp.n == 0) {
		wq_warnx(a.work, "no pages (run warraq-ingest first)");
		wq_args_free(&a);
		return 1;
	}
	sel = calloc(pp.n, 1);
	if (sel == NULL)
		abort();
	for (k = 1; k < a.npos; k++)
		if (select_named(&pp, a.pos[k], sel) == -1)
			status = 1;
	for (i = 0; i < pp.n; i++) {
		const struct wq_page *p = &pp.v[i];

		if (strcmp(p->status, "ok") != 0)
			continue;
		if (a.npos > 1 ? !sel[i] :
		    (!a.force && wq_page_state(a.work, stage, p, NULL) == WQ_DONE))
			continue;
		if (wq_page_state(a.work, a.input, p, NULL) != WQ_DONE) {
			if (a.npos > 1) {
				wq_warnx(p->doc, "page %s: not done in %s yet",
				    p->page, a.input);
				status = 1;
			}
			continue;
		}
		if (run_page(stage, &a, p, fn) != 0)
			status = 1;
	}
	free(sel);
	wq_pages_free(&pp);
	wq_args_free(&a);
	return status;
}

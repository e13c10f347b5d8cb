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
 *   wq_state_profile()       the batch's settings, that results are held to
 *   wq_stage_settings()      the settings a stage's results depend on
 *   wq_made_with()           what a unit is made from, and its fingerprint
 *   wq_made_current()        is what a unit was made from still the same
 *   wq_page_fingerprint()    a page's fingerprint in a stage
 *   wq_args_parse()          the options every program shares
 *   wq_run_unit()            run one page or document, record its result
 *   wq_meta_note()           a decision, in words, for the unit's log
 *   wq_unit_note()           what was decided for a unit, one log line
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
 *
 * A result is also held to what made it.  Its sidecar's "made_with"
 * records the fingerprint of its input (the input stage's fingerprint of
 * the page, or the source's checksum), the values of the settings the
 * stage reads, and anything else it was made from (the OCR's models);
 * its "fingerprint" is the SHA-256 of all that with the program and its
 * version.  A result whose input's fingerprint changed (a page redone by
 * hand, with other settings) is stale, and so, in turn, everything made
 * from it; so is one whose settings differ from the batch's
 * (wq_state_profile: the driver's run, or WORK/profile.conf), unless a
 * person made it with settings of their own ("by_hand"): that page is
 * kept until its input changes or warraq run --redo asks for it.  A
 * sidecar from before these records is held to its source only.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
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

static const struct wq_profile *state_profile;
static char                    *state_extra;	/* the OCR's, for it */
static unsigned                 state_asis;	/* bit i: wq_stages[i]'s
						 * results taken as they are */

/*
 * wq_stage_extra: what else than its input and settings a result of stage
 * is made from: for the OCR, its models ("models fra:SHA256 ara:SHA256",
 * languages = auto reading French and Arabic); NULL for the others, and
 * when a model is missing.  A new string.
 */
char *
wq_stage_extra(const char *stage, const struct wq_profile *pr)
{
	const char *langs;
	char       *list, *save = NULL, *l, *out;

	if (strcmp(stage, "ocr") != 0)
		return NULL;
	langs = wq_set_text(pr, "languages");
	list = wq_xstrdup(strcmp(langs, "auto") == 0 ? "fra+ara" : langs);
	out = wq_xstrdup("models");
	for (l = strtok_r(list, "+", &save); l != NULL && out != NULL;
	    l = strtok_r(NULL, "+", &save)) {
		char *path = wq_xasprintf("%s/%s.traineddata", wq_tessdata_dir(), l);
		char  hex[65], *t;

		if (wq_sha256_file(path, hex, NULL) == -1) {
			free(out);
			out = NULL;
		} else {
			t = wq_xasprintf("%s %s:%s", out, l, hex);
			free(out);
			out = t;
		}
		free(path);
	}
	free(list);
	return out;
}

/*
 * wq_state_profile: results are held to the settings of pr from now on,
 * and the OCR's to the models they name
 * (not owned; it must outlive the checks); NULL: to none (a result is
 * then held to its input only).  The driver sets its run's settings; a
 * stage program the batch's (WORK/profile.conf), not its own -o ones.
 */
void
wq_state_profile(const struct wq_profile *pr)
{
	state_profile = pr;
	state_asis = 0;
	free(state_extra);
	state_extra = pr != NULL ? wq_stage_extra("ocr", pr) : NULL;
}

/*
 * wq_state_asis: stage's results are taken as they are, not held to the
 * settings (a run --from a later stage: what it does not run, it uses);
 * until the next wq_state_profile().
 */
void
wq_state_asis(const char *stage)
{
	size_t i;

	for (i = 0; i < wq_nstages && i < 8 * sizeof(state_asis); i++)
		if (strcmp(wq_stages[i].name, stage) == 0)
			state_asis |= 1u << i;
}

/* asis: is stage taken as it is */
static int
asis(const char *stage)
{
	size_t i;

	for (i = 0; i < wq_nstages && i < 8 * sizeof(state_asis); i++)
		if (strcmp(wq_stages[i].name, stage) == 0)
			return (state_asis >> i) & 1;
	return 0;
}

/*
 * wq_stage_settings: {key: value} of every setting stage reads, default
 * included (null: none), but those every stage reads (which stages run
 * is not how one works) and those that only limit what is taken, not
 * what is made of it (ingest's max_pixels and follow_symlinks; the OCR
 * languages, for ingest only a hint for a spread's page order); a new
 * object.
 */
json_t *
wq_stage_settings(const char *stage, const struct wq_profile *pr)
{
	static const char *limits[] = { "max_pixels", "follow_symlinks", NULL };
	const struct wq_key *k;
	json_t              *o = json_object();
	size_t               i;

	for (k = wq_keys; k->name != NULL; k++) {
		const char *v;

		if (strcmp(k->readers, "*") == 0 || !wq_key_applies(k, stage))
			continue;
		for (i = 0; limits[i] != NULL && strcmp(limits[i], k->name); i++)
			;
		if (limits[i] != NULL || (strcmp(stage, "ingest") == 0 &&
		    strcmp(k->name, "languages") == 0))
			continue;
		v = wq_set_text(pr, k->name);
		json_object_set_new(o, k->name, v ? json_string(v) : json_null());
	}
	return o;
}

/*
 * wq_made_with: sets meta's "made_with" ({input, settings, by_hand,
 * extra}) and "fingerprint" for a unit of stage made now, from input
 * (the input's fingerprint, or for a document the list of its pages'),
 * the program's settings a->profile against the batch's, and a->extra.
 */
void
wq_made_with(const char *stage, const struct wq_args *a, const char *input,
    json_t *meta)
{
	json_t *set = wq_stage_settings(stage, &a->profile);
	json_t *batch = state_profile ? wq_stage_settings(stage, state_profile) :
	    NULL;
	json_t *mw = json_object();
	char   *s, *all, hex[65];

	json_object_set_new(mw, "input", json_string(input));
	json_object_set_new(mw, "by_hand", json_boolean(batch != NULL &&
	    !json_equal(set, batch)));
	if (a->extra != NULL)
		json_object_set_new(mw, "extra", json_string(a->extra));
	s = json_dumps(set, JSON_SORT_KEYS | JSON_COMPACT);
	all = wq_xasprintf("%s\n%s\n%s\n%s\n%s", stage, WQ_VERSION, input,
	    s ? s : "", a->extra ? a->extra : "");
	wq_sha256_buf(all, strlen(all), hex);
	json_object_set_new(mw, "settings", set);
	json_object_set_new(meta, "made_with", mw);
	json_object_set_new(meta, "fingerprint", json_string(hex));
	free(s);
	free(all);
	json_decref(batch);
}

/*
 * wq_page_fingerprint: the fingerprint of page p's result in stage, as
 * its sidecar records it; the source's checksum for no stage, for ingest
 * and for a sidecar from before fingerprints.  A new string.
 */
char *
wq_page_fingerprint(const char *work, const char *stage,
    const struct wq_page *p)
{
	char       *path, *r = NULL;
	json_t     *j;
	const char *fp;

	if (stage == NULL)
		return wq_xstrdup(p->sha256);
	path = wq_sidecar(work, stage, p->doc, p->page, "json");
	j = wq_json_read(path);
	fp = json_string_value(json_object_get(j, "fingerprint"));
	r = wq_xstrdup(fp ? fp : p->sha256);
	json_decref(j);
	free(path);
	return r;
}

/*
 * wq_made_current: 1 when what sidecar j's unit of stage was made with is
 * still so: its input's fingerprint is input (NULL: not checked), and,
 * unless made by hand, its settings are the batch's (wq_state_profile)
 * and so is the stage it read.  A sidecar without "made_with": 1.
 */
int
wq_made_current(const char *stage, json_t *j, const char *input)
{
	json_t     *mw = json_object_get(j, "made_with"), *now;
	const char *in = json_string_value(json_object_get(mw, "input"));
	const char *was = json_string_value(json_object_get(j, "input"));
	const char *is;
	int         ok;

	if (mw == NULL)
		return 1;
	if (input != NULL && (in == NULL || strcmp(in, input) != 0))
		return 0;
	if (state_profile == NULL || asis(stage) ||
	    json_is_true(json_object_get(mw, "by_hand")))
		return 1;
	is = wq_stage_input(state_profile, stage);
	if ((was == NULL) != (is == NULL) || (was && strcmp(was, is) != 0))
		return 0;
	if (strcmp(stage, "ocr") == 0 && state_extra != NULL) {
		const char *x = json_string_value(json_object_get(mw, "extra"));

		if (x == NULL || strcmp(x, state_extra) != 0)
			return 0;	/* another model */
	}
	now = wq_stage_settings(stage, state_profile);
	ok = json_equal(now, json_object_get(mw, "settings"));
	json_decref(now);
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
		const char *in = json_string_value(json_object_get(j, "input"));
		char       *fp = NULL;

		sha = json_string_value(json_object_get(j, "source_sha256"));
		if (json_object_get(j, "made_with") != NULL)
			fp = wq_page_fingerprint(work, in, p);
		if (sha != NULL && strcmp(sha, p->sha256) == 0 &&
		    wq_outputs_whole(path, j) && wq_made_current(stage, j, fp))
			st = WQ_DONE;
		free(fp);
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
		{ "dry-run",  no_argument,       NULL, 'n' },
		{ "quiet",    no_argument,       NULL, 'q' },
		{ "help",     no_argument,       NULL, 'h' },
		{ "version",  no_argument,       NULL, 'V' },
		{ "describe", no_argument,       NULL, O_DESCRIBE },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(a, 0, sizeof(*a));
	wq_setprogname(argv[0]);
	while ((c = getopt_long(argc, argv, "p:o:fnqhV", longopts, NULL)) != -1) {
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
		case 'n':
			a->dry_run = 1;
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

/*
 * wq_args_batch: a stage program's settings are the batch's (the driver
 * recorded them as WORK/profile.conf), then its own -p and -o on top;
 * its own results are held to the batch's (wq_state_profile); those of
 * the stages before it are taken as they are: the driver planned them.
 * -1 when the batch's profile cannot be read.
 */
int
wq_args_batch(struct wq_args *a, const char *stage)
{
	char             *conf = wq_xasprintf("%s/profile.conf", a->work);
	struct wq_profile mine = a->profile;
	size_t            i;
	int               r = 0;

	memset(&a->profile, 0, sizeof(a->profile));
	if (wq_exists(conf) && wq_profile_load(&a->batch, conf) == -1)
		r = -1;
	for (i = 0; r == 0 && i < a->batch.n; i++)
		r = wq_profile_set(&a->profile, a->batch.key[i], a->batch.val[i]);
	for (i = 0; r == 0 && i < mine.n; i++)
		r = wq_profile_set(&a->profile, mine.key[i], mine.val[i]);
	wq_profile_free(&mine);
	free(conf);
	wq_state_profile(&a->batch);
	for (i = 0; i < wq_nstages; i++)
		if (strcmp(wq_stages[i].name, stage) != 0)
			wq_state_asis(wq_stages[i].name);
	return r;
}

void
wq_args_free(struct wq_args *a)
{
	wq_state_profile(NULL);
	wq_profile_free(&a->profile);
	wq_profile_free(&a->batch);
	free(a->extra);
	a->extra = NULL;
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

/*
 * wq_meta_note: appends a sentence on what the stage decided and why to
 * meta's "notes" (the sidecar keeps them; the log line leads with them).
 */
void
wq_meta_note(json_t *meta, const char *fmt, ...)
{
	json_t *notes = json_object_get(meta, "notes");
	va_list ap;
	char   *s;

	if (notes == NULL) {
		notes = json_array();
		json_object_set_new(meta, "notes", notes);
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	json_array_append_new(notes, json_string(s));
	free(s);
}

/*
 * wq_unit_note: one line on stderr (the unit's log, when the driver runs
 * the program) with what the stage decided and measured for unit, from
 * its sidecar meta: every number, yes/no and short text in it, but the
 * fields that name the unit, its checksums and fingerprints.
 */
void
wq_unit_note(const char *unit, json_t *meta)
{
	static const char *skip[] = { "doc", "page", "stage", "warraq_version",
	    "source_sha256", "input", "fingerprint", "file", "font", "library",
	    "creation_date", "image", "method", NULL };
	const char *key;
	json_t     *v;
	char       *buf = NULL;
	size_t      len = 0, i;
	FILE       *f = open_memstream(&buf, &len);
	double      secs;
	const char *sep;

	if (f == NULL)
		abort();
	secs = json_number_value(json_object_get(json_object_get(meta,
	    "timing"), "seconds"));
	fprintf(f, "done in %.1f s", secs);
	json_array_foreach(json_object_get(meta, "notes"), i, v)
		fprintf(f, "; %s", json_string_value(v));
	fprintf(f, "; measured:");
	sep = " ";
	json_object_foreach(meta, key, v) {
		for (i = 0; skip[i] != NULL && strcmp(skip[i], key) != 0; i++)
			;
		if (skip[i] != NULL)
			continue;
		if (json_is_integer(v))
			fprintf(f, "%s%s %lld", sep, key,
			    (long long)json_integer_value(v));
		else if (json_is_real(v))
			fprintf(f, "%s%s %.4g", sep, key, json_real_value(v));
		else if (json_is_boolean(v))
			fprintf(f, "%s%s %s", sep, key, json_is_true(v) ? "yes" : "no");
		else if (json_is_string(v) && strlen(json_string_value(v)) <= 60)
			fprintf(f, "%s%s %s", sep, key, json_string_value(v));
		else
			continue;
		sep = ", ";
	}
	v = json_object_get(json_object_get(meta, "made_with"), "by_hand");
	if (json_is_true(v))
		fprintf(f, ", made by hand with settings of its own");
	fclose(f);
	wq_warnx(unit, "%s", buf);
	free(buf);
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
	{
		char *fp = wq_page_fingerprint(a->work, a->input, p);

		wq_made_with(stage, a, fp, meta);
		free(fp);
	}
	r = wq_run_unit(stage, unit, json, errpath, in, meta, call_page, &c);
	if (r == 0 && !a->quiet)
		wq_unit_note(unit, meta);
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
wq_stage_init(struct wq_args *a, wq_init_fn init)
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
	if (wq_workdir(a.work, 1) == -1 || wq_args_batch(&a, stage) == -1 ||
	    (a.input = wq_stage_input(&a.profile, stage),
	    a.image = wq_stage_image(&a.profile, stage),
	    wq_stage_init(&a, init)) == -1) {
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
		if (a.dry_run)
			printf("%s %s/%s\n", stage, p->doc, p->page);
		else if (run_page(stage, &a, p, fn) != 0)
			status = 1;
	}
	free(sel);
	wq_pages_free(&pp);
	wq_args_free(&a);
	return status;
}

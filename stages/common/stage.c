/*
 * stage.c - the list of stages, the settings they know, and the shape
 * every stage program takes: warraq-STAGE [options] WORK_DIR [DOC/PAGE ...]
 *
 *   wq_stages[], wq_nstages  the stages in pipeline order (the one list)
 *   wq_keys[]                every profile setting, its default and meaning
 *   wq_key_known()           1 if a setting is in wq_keys[]
 *   wq_key_applies()         does a setting bear on a stage
 *   wq_keys_print()          the settings, for --help
 *   wq_stage_find()          a stage by name, or NULL
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

const struct wq_stagedef wq_stages[] = {
	{ "ingest", WQ_SOURCE, "validate, split, fixity, technical metadata", 1, NULL },
	{ "deskew", WQ_PAGE,   "page orientation and skew, corrected", 1, NULL },
	{ "clean",  WQ_PAGE,   "background, binarisation, speckle, scanner border", 1, NULL },
	/* not among "all" until the OCR through it reads every group of
	 * make eval as well as without it (README, Layout) */
	{ "layout", WQ_PAGE,   "regions, lines, each line's script, reading order (PAGE-XML)", 0, "layout_stage" },
	{ "ocr",    WQ_PAGE,   "text, hOCR and ALTO; each line with its script's model", 0, NULL },
	{ "pdf",    WQ_DOC,    "searchable PDF per document, invisible text over the scan", 0, NULL },
	{ "report", WQ_BATCH,  "quality report for archivists, WORK/report/", 0, NULL },
	/* last: a bag carries the report's figures of its pages */
	{ "package", WQ_DOC,   "BagIt bag per document (METS, masters, access copies)", 0, NULL },
};
const size_t wq_nstages = sizeof(wq_stages) / sizeof(wq_stages[0]);

const struct wq_key wq_keys[] = {
	{ "stages", "all", "run: comma-separated stages to run (ingest is always on)" },
	{ "assume_dpi", "300", "ingest: resolution to record when a scan has none" },
	{ "max_pixels", "1600000000", "ingest: largest image accepted (width x height)" },
	{ "languages", "auto", "OCR languages: ara, fra, eng, a + list, or auto" },
	{ "split", "off", "ingest: double-page spreads cut in two: off, auto (found), on (all)" },
	{ "binding", "auto", "ingest: spread page order: ltr, rtl (right page first), auto (from script)" },
	{ "follow_symlinks", "no", "ingest: take scans that are links to outside SCANS_DIR" },
	{ "layout", "page", "OCR: page (find the lines), or each image is one line or word" },
	{ "layout_stage", "no", "layout: run warraq-layout (regions, scripts from the pixels, reading order) between clean and OCR with stages = all" },
	{ "timeout", "600", "run: seconds a stage may spend on one page" },
	{ "binarize", "sauvola", "clean: sauvola or otsu" },
	{ "sauvola_window", "20", "clean: Sauvola half-window, pixels at 300 ppi" },
	{ "sauvola_k", "0.34", "clean: Sauvola factor k" },
	{ "speckle_px", "3", "clean: largest speckle removed, pixels at 300 ppi" },
	{ "chunk", "1", "run: pages given to one stage process (a Slurm task) at a time" },
	/* warraq run --engine slurm: what each sbatch gets */
	{ "slurm_partition", NULL, "run: Slurm partition (sbatch --partition)" },
	{ "slurm_account", NULL, "run: Slurm account (sbatch --account)" },
	{ "slurm_time", NULL, "run: time limit of a Slurm task (sbatch --time)" },
	{ "slurm_mem", NULL, "run: memory of a Slurm task (sbatch --mem)" },
	{ "slurm_sbatch", NULL, "run: more sbatch options, separated by spaces" },
	/* warraq watch: when a document the scanner is writing is complete */
	{ "watch_marker", NULL, "watch: a document folder is complete once it holds this file (READY, a checksum file)" },
	{ "watch_quiet", "60", "watch: seconds without a change after which a document is complete" },
	{ "pdf_image", "gray", "pdf: page image, gray (JPEG) or bitonal (CCITT G4)" },
	{ "pdf_jpeg_quality", "75", "pdf: JPEG quality of gray page images, 1-100" },
	/* warraq-report: when a page is flagged for a person to look at */
	{ "report_min_confidence", "70", "report: flag mean word confidence below" },
	{ "report_max_low_words", "0.15", "report: flag a share of low-confidence words above" },
	{ "report_max_skew", "5", "report: flag a skew corrected beyond (degrees)" },
	{ "hunspell_dir", "/usr/share/hunspell", "folder of the ar and fr word lists (OCR: which reading to keep; report: dictionary share)" },
	/* warraq-package: the bag, its serialisation, and bag-info.txt */
	{ "bag_archive", "none", "package: also serialise the bag: none, tar, tar.zst, zip" },
	{ "bag_access_size", "1600", "package: longest side of access JPEGs, pixels (0: full size)" },
	{ "bag_access_quality", "80", "package: JPEG quality of access copies, 1-100" },
	{ "bag_source_organization", "unspecified", "package: bag-info Source-Organization" },
	{ "bag_contact_name", NULL, "package: bag-info Contact-Name" },
	{ "bag_contact_email", NULL, "package: bag-info Contact-Email" },
	{ "bag_internal_sender_identifier", NULL, "package: bag-info Internal-Sender-Identifier (default: the document's original name)" },
	{ "bag_external_description", NULL, "package: bag-info External-Description" },
	/* warraq-package: publishing through IIIF (data/iiif/, WORK/iiif/DOC/) */
	{ "iiif", "yes", "package: a IIIF Presentation 3.0 manifest with the OCR text as annotations" },
	{ "iiif_tiles", "yes", "package: a IIIF Image API level 0 static tile set per page (no: an image server of your own serves them)" },
	{ "iiif_base_url", NULL, "package: address the bags' data/ folders are published under, as BASE/DOC/ (default: addresses relative to data/)" },
	{ "iiif_image_base_url", NULL, "package: with iiif_tiles = no, your IIIF image server; a page is BASE/DOC_PAGE" },
	{ NULL, NULL, NULL }
};

int
wq_key_known(const char *name)
{
	const struct wq_key *k;

	for (k = wq_keys; k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			return 1;
	return 0;
}

/*
 * wq_key_applies: a setting's help starts with the stage it belongs to
 * ("clean: ...", "run: ..." for the driver's); one without such a word
 * (languages) bears on every stage.
 */
int
wq_key_applies(const struct wq_key *k, const char *stage)
{
	size_t n = strcspn(k->help, ": ");

	if (k->help[n] != ':')
		return 1;
	return n == strlen(stage) && strncasecmp(k->help, stage, n) == 0;
}

void
wq_keys_print(FILE *f)
{
	const struct wq_key *k;

	fprintf(f, "\nSettings (profile lines \"key = value\", or -o key=value):\n");
	for (k = wq_keys; k->name != NULL; k++)
		fprintf(f, "  %-12s %s (default %s)\n", k->name, k->help,
		    k->def ? k->def : "none");
}

const struct wq_stagedef *
wq_stage_find(const char *name)
{
	size_t i;

	for (i = 0; i < wq_nstages; i++)
		if (strcmp(wq_stages[i].name, name) == 0)
			return &wq_stages[i];
	return NULL;
}

/*
 * wq_stage_enabled: ingest cannot be turned off; everything hangs on it.
 * A stage with an opt-in setting (the layout stage: layout_stage) runs
 * when "stages" names it, or with that setting on; it is not among "all".
 */
int
wq_stage_enabled(const struct wq_profile *pr, const char *name)
{
	const char               *list = wq_profile_get(pr, "stages", "all");
	const struct wq_stagedef *d = wq_stage_find(name);
	size_t                    n = strlen(name);
	const char               *s;
	int                       on = 0;

	if (strcmp(name, "ingest") == 0)
		return 1;
	if (strcmp(list, "all") == 0)
		return d == NULL || d->optin == NULL ||
		    (wq_profile_bool(pr, d->optin, 0, &on) == 0 && on);
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
usage_exit(const char *usage, int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f, "usage: %s %s\n", wq_getprogname(), usage);
	if (status == 0) {
		fprintf(f, "\nOptions:\n"
		    "  -p, --profile FILE   read settings from FILE\n"
		    "  -o, --set KEY=VALUE  one setting (after the profile)\n"
		    "  -f, --force          redo pages already done\n"
		    "  -q, --quiet          no progress lines\n"
		    "  -h, --help           this text\n"
		    "  -V, --version        the version\n");
		wq_keys_print(f);
		fprintf(f, "\nExit status: 0 all done, 1 some input failed, "
		    "2 usage error.\n");
	}
	exit(status);
}

/*
 * wq_args_parse: fills a (zeroed by this function); exits 0 after --help
 * or --version and 2 on a usage error.  minpos positionals are required.
 */
int
wq_args_parse(struct wq_args *a, int argc, char **argv, const char *usage,
    int minpos)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "set",     required_argument, NULL, 'o' },
		{ "force",   no_argument,       NULL, 'f' },
		{ "quiet",   no_argument,       NULL, 'q' },
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
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
			usage_exit(usage, 0);
			break;
		case 'V':
			printf("%s (warraq) %s\n", wq_getprogname(), WQ_VERSION);
			exit(0);
		default:
			usage_exit(usage, 2);
		}
	}
	a->pos = argv + optind;
	a->npos = argc - optind;
	if (a->npos < minpos)
		usage_exit(usage, 2);
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
 * wq_stage_main: the whole main() of a per-page stage.  With no pages
 * named, runs every page the input stage finished and this one has not
 * (all of them with --force); named pages are run whatever their state.
 * Returns the exit status: 0, 1 if a page failed, 2 on a usage error.
 */
int
wq_stage_main(const char *stage, int argc, char **argv, const char *usage,
    wq_page_fn fn)
{
	struct wq_args  a;
	struct wq_pages pp = { 0 };
	char           *sel;
	size_t          i;
	int             status = 0, k;

	wq_args_parse(&a, argc, argv, usage, 1);
	a.work = a.pos[0];
	a.input = wq_stage_input(&a.profile, stage);
	a.image = wq_stage_image(&a.profile, stage);
	if (wq_workdir(a.work, 1) == -1) {
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

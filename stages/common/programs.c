/*
 * programs.c - what every warraq program is: the one description that
 * its --help, its --describe, its manual page and the driver all read.
 *
 *   wq_stages[], wq_nstages  the stages in pipeline order (the one list)
 *   wq_tools[], wq_ntools    the other programs (the driver, eval, ...)
 *   wq_exits[]               every exit status a program may return
 *   wq_stage_find()          a stage by name, or NULL
 *   wq_program_find()        a stage or other program by name, or NULL
 *   wq_kind_name()           "page", "document", ... of a kind
 *   wq_describe_json()       a program's description as JSON (new)
 *   wq_describe_exit()       prints it and exits 0 (--describe)
 *   wq_help_print()          a program's --help text
 *
 * As an OCR-D processor's ocrd-tool.json does, a description names the
 * program, what kind of unit it works on (a source file, a page, a
 * document, the batch), what it reads and writes in the work directory,
 * its own options beyond those every stage shares, its settings (those
 * of wq_keys[] it reads, settings.c) and its exit statuses.  The manual
 * pages are made from --describe (man/mkman.c), so they cannot drift
 * from the programs.
 */
#include <stdlib.h>
#include <string.h>

#include "wq.h"

/* options every stage program takes (wq_args_parse), "OPTION\tHELP" */
#define STAGE_OPTIONS \
	"-p, --profile FILE\tread settings from FILE (key = value lines)\n" \
	"-o, --set KEY=VALUE\tone setting, after the profile\n" \
	"-f, --force\tredo units already done\n" \
	"-n, --dry-run\tlist what would be done (units, files skipped), " \
	"change nothing\n" \
	"-q, --quiet\tno progress lines\n" \
	"-h, --help\tthis text: usage, options, settings, exit statuses\n" \
	"-V, --version\tthe version\n" \
	"--describe\tthis description as JSON, for the driver, the manuals " \
	"and other tools"

const struct wq_stagedef wq_stages[] = {
	{ "ingest", WQ_SOURCE, "validate, split, fixity, technical metadata",
	  1, NULL, "[options] SCANS_DIR WORK_DIR [NAME ...]",
	  "SCANS_DIR: a folder of page images per document, or one image file "
	  "(a multi-page TIFF is a document); TIFF and JPEG. NAME: only these "
	  "entries of SCANS_DIR",
	  "WORK/pages.tsv, WORK/docs.tsv, WORK/ingest/DOC/PAGE.tif (lossless "
	  "page image) and PAGE.json (technical metadata, SHA-256 fixity), "
	  "WORK/ingest/summary.json, WORK/quarantine/NAME.reason",
	  STAGE_OPTIONS, "0 1 2 3" },
	{ "deskew", WQ_PAGE, "page orientation and skew, corrected", 1, NULL,
	  "[options] WORK_DIR [DOC/PAGE ...]",
	  "WORK/ingest/DOC/PAGE.tif",
	  "WORK/deskew/DOC/PAGE.tif (upright, deskewed) and PAGE.json "
	  "(orientation_deg, skew_deg)",
	  STAGE_OPTIONS, "0 1 2 3" },
	{ "clean", WQ_PAGE, "background, binarisation, speckle, scanner border",
	  1, NULL, "[options] WORK_DIR [DOC/PAGE ...]",
	  "WORK/deskew/DOC/PAGE.tif",
	  "WORK/clean/DOC/PAGE.tif (1-bit, CCITT G4, for OCR), PAGE.gray.tif "
	  "(cleaned 8-bit page) and PAGE.json",
	  STAGE_OPTIONS, "0 1 2 3" },
	/* not among "all" until the OCR through it reads every group of
	 * make eval as well as without it (doc/stages.md, Layout) */
	{ "layout", WQ_PAGE,
	  "regions, lines, each line's script, reading order (PAGE-XML)", 0,
	  "layout_stage", "[options] WORK_DIR [DOC/PAGE ...]\n"
	  "--script | --script-features IMAGE ...",
	  "WORK/clean/DOC/PAGE.tif and PAGE.gray.tif",
	  "WORK/layout/DOC/PAGE.xml (PAGE-XML 2019: regions with roles, lines "
	  "with script and direction, reading order) and PAGE.json",
	  STAGE_OPTIONS "\n--script IMAGE ...\teach line image's script, "
	  "Arabic or Latin, from its pixels\n--script-features IMAGE ...\t"
	  "the measurements the script is judged from", "0 1 2 3" },
	{ "ocr", WQ_PAGE, "text, hOCR and ALTO; each line with its script's model",
	  0, NULL, "[options] WORK_DIR [DOC/PAGE ...]",
	  "WORK/clean/DOC/PAGE.tif and PAGE.gray.tif; WORK/layout/DOC/PAGE.xml "
	  "when the layout stage runs; the OCR models (languages)",
	  "WORK/ocr/DOC/PAGE.txt (UTF-8 NFC, reading order), PAGE.hocr, "
	  "PAGE.alto.xml (ALTO 4.4) and PAGE.json (confidences, scripts, "
	  "models)",
	  STAGE_OPTIONS, "0 1 2 3" },
	{ "pdf", WQ_DOC,
	  "searchable PDF per document, invisible text over the scan", 0, NULL,
	  "[options] WORK_DIR [DOC ...]",
	  "WORK/clean/DOC/PAGE.tif or PAGE.gray.tif, WORK/ocr/DOC/PAGE.alto.xml",
	  "WORK/pdf/DOC.pdf (PDF/A-2b, the page images under invisible text) "
	  "and DOC.json",
	  STAGE_OPTIONS, "0 1 2 3" },
	{ "report", WQ_BATCH, "quality report for archivists, WORK/report/", 0,
	  NULL, "[options] WORK_DIR",
	  "every stage's sidecars (WORK/STAGE/DOC/PAGE.json, .error)",
	  "WORK/report/index.html (pages that need a person, and why), "
	  "report.json, and a page per document",
	  STAGE_OPTIONS, "0 1 2 3" },
	/* last: a bag carries the report's figures of its pages */
	{ "package", WQ_DOC,
	  "BagIt bag per document (METS, masters, access copies)", 0, NULL,
	  "[--archive none|tar|tar.zst|zip] [options] WORK_DIR [DOC ...]",
	  "the sources (masters, byte for byte), WORK/ocr, WORK/pdf, "
	  "WORK/report, WORK/batch.json",
	  "WORK/bags/DOC/ (BagIt: METS with MODS and PREMIS, masters, ALTO, "
	  "hOCR, text, PDF, access JPEGs, IIIF), DOC.tar, .tar.zst or .zip "
	  "beside it, WORK/package/DOC.json, WORK/iiif/DOC/",
	  STAGE_OPTIONS "\n--archive FORMAT\t= -o bag_archive=FORMAT",
	  "0 1 2 3" },
};
const size_t wq_nstages = sizeof(wq_stages) / sizeof(wq_stages[0]);

const struct wq_stagedef wq_tools[] = {
	{ "warraq", WQ_TOOL, "the driver: runs the stages over a batch", 0, NULL,
	  "run [options] SCANS_DIR WORK_DIR [DOC[/PAGE] ... (with --redo)]\n"
	  "watch [options] SCANS_DIR WORK_DIR\n"
	  "status WORK_DIR\n"
	  "cancel WORK_DIR\n"
	  "index INDEX.db BAG_OR_WORK_DIR ...\n"
	  "search [--json | --html] INDEX.db QUERY ...\n"
	  "--help | --version | --describe",
	  "SCANS_DIR (read only, never written), WORK_DIR",
	  "WORK_DIR: every stage's outputs, WORK/batch.json, WORK/profile.conf, "
	  "WORK/logs/, WORK/slurm.json with --engine slurm",
	  "-j, --jobs N\tparallel worker processes (default: the cores)\n"
	  "-n, --dry-run\tlist what would run, change nothing\n"
	  "--engine E\tlocal (worker processes, default) or slurm (job arrays "
	  "on a Slurm cluster; WORK_DIR on a file system the nodes share)\n"
	  "--only STAGE\trun only this stage\n"
	  "--from STAGE\trun this stage and those after it\n"
	  "-p, --profile FILE\tsettings of the collection (key = value)\n"
	  "-o, --set KEY=VALUE\tone setting, after the profile\n"
	  "--lang LANGS\t= -o languages=LANGS\n"
	  "--dpi N\t= -o assume_dpi=N\n"
	  "--pixel-limit N\t= -o max_pixels=N\n"
	  "--stages LIST\t= -o stages=LIST\n"
	  "--timeout S\t= -o timeout=S (seconds a page may take)\n"
	  "-q, --quiet\tno progress, only errors and the summary\n"
	  "-v, --verbose\teach page's log as it ends: what each stage "
	  "decided and measured (kept in WORK/logs/)\n"
	  "--redo STAGE\tmake the stage's results again (those of the "
	  "DOC or DOC/PAGE named after WORK_DIR, or all), and what follows\n"
	  "-h, --help\tthis text\n"
	  "-V, --version\tthe version\n"
	  "--describe\tthis description as JSON",
	  "0 1 2 3 4 130" },
	{ "eval", WQ_TOOL, "OCR quality against ground truth (CER, WER)", 0, NULL,
	  "[options] WORK_DIR [DOC/PAGE ...]\n"
	  "--text REFERENCE HYPOTHESIS\n"
	  "--script ara|fra TEXT\n"
	  "--lines GROUND_TRUTH LAYOUT [DEGREES]",
	  "WORK/ocr/DOC/PAGE.txt and the ground truth beside each source "
	  "(NAME.gt.txt)",
	  "WORK/eval/ (per page and per batch CER and WER, JSON); with --text, "
	  "--script, --lines: figures on stdout",
	  STAGE_OPTIONS "\n--text REF HYP\tCER and WER of one text against another"
	  "\n--script ara|fra TEXT\tthe share of TEXT in that script"
	  "\n--lines GT LAYOUT [DEG]\tground-truth lines the layout found",
	  "0 1 2" },
	{ "verify", WQ_TOOL, "is a BagIt bag valid (RFC 8493): a folder, or a "
	  "tar, tar.zst or zip of one", 0, NULL, "[-q] BAG_OR_ARCHIVE ...",
	  "bags and serialised bags, read through libarchive without unpacking",
	  "a line per valid bag on stdout; each problem on stderr",
	  "-q, --quiet\tonly problems\n-h, --help\tthis text\n"
	  "-V, --version\tthe version\n--describe\tthis description as JSON",
	  "0 1 2" },
	{ "search", WQ_TOOL, "full-text index of a collection's bags (SQLite "
	  "FTS5), Arabic- and French-aware", 0, NULL,
	  "index [-q] INDEX.db BAG_OR_WORK_DIR ...\n"
	  "search [-n N] [-f FILE] [--json | --html] INDEX.db QUERY ...",
	  "bags (their ALTO) or work directories",
	  "INDEX.db (SQLite); hits on stdout as text, JSON or HTML",
	  "-q, --quiet\tno progress lines (index)\n"
	  "-n, --limit N\thits shown (search)\n"
	  "-f, --queries FILE\tone query a line (search)\n"
	  "--json\thits as JSON\n--html\thits as an HTML page\n"
	  "-h, --help\tthis text\n--describe\tthis description as JSON",
	  "0 1 2" },
};
const size_t wq_ntools = sizeof(wq_tools) / sizeof(wq_tools[0]);

const struct wq_exit wq_exits[] = {
	{ 0, "all done" },
	{ 1, "some input failed: each page, document or file is named on "
	  "stderr with the reason (and recorded as WORK/STAGE/DOC/PAGE.error); "
	  "the rest was done" },
	{ 2, "usage error, a wrong setting, or a directory that cannot be "
	  "used: nothing was done" },
	{ 3, "no space left on the work directory's disk: what was done is "
	  "kept; free space and run the same command again" },
	{ 4, "the work directory is busy: another warraq run holds its lock" },
	{ 130, "interrupted (SIGINT or SIGTERM): run the same command again "
	  "to finish" },
	{ -1, NULL }
};

const struct wq_stagedef *
wq_stage_find(const char *name)
{
	size_t i;

	for (i = 0; i < wq_nstages; i++)
		if (strcmp(wq_stages[i].name, name) == 0)
			return &wq_stages[i];
	return NULL;
}

/* wq_program_find: name is a stage ("clean"), "warraq", or a tool
 * ("verify"); a program's file name ("warraq-clean") is taken too */
const struct wq_stagedef *
wq_program_find(const char *name)
{
	const struct wq_stagedef *s;
	size_t                    i;

	if (strncmp(name, "warraq-", 7) == 0)
		name += 7;
	if ((s = wq_stage_find(name)) != NULL)
		return s;
	for (i = 0; i < wq_ntools; i++)
		if (strcmp(wq_tools[i].name, name) == 0)
			return &wq_tools[i];
	return NULL;
}

const char *
wq_kind_name(enum wq_kind k)
{
	static const char *names[] = {
		[WQ_SOURCE] = "source", [WQ_PAGE] = "page",
		[WQ_DOC] = "document", [WQ_BATCH] = "batch", [WQ_TOOL] = "tool",
	};

	return names[k];
}

/* has_exit: program s may return code */
static int
has_exit(const struct wq_stagedef *s, int code)
{
	char *all = wq_xasprintf(" %s ", s->exits), want[16];
	int   r;

	snprintf(want, sizeof(want), " %d ", code);
	r = strstr(all, want) != NULL;
	free(all);
	return r;
}

/* prog_name: "warraq-clean", or "warraq" for the driver (static) */
static const char *
prog_name(const struct wq_stagedef *s, char *buf, size_t len)
{
	if (strcmp(s->name, "warraq") == 0)
		return "warraq";
	snprintf(buf, len, "warraq-%s", s->name);
	return buf;
}

/* lines: a "\n"-separated list as a JSON array of strings (new) */
static json_t *
lines(const char *text)
{
	json_t     *a = json_array();
	const char *s = text;

	while (*s != '\0') {
		size_t n = strcspn(s, "\n");

		json_array_append_new(a, json_stringn(s, n));
		s += n;
		s += *s == '\n';
	}
	return a;
}

/* settings_of: the settings a program reads ("run" and "watch" for the
 * driver: all of them, as it passes them on to the stages) */
static const char *
settings_of(const struct wq_stagedef *s)
{
	if (strcmp(s->name, "warraq") == 0)
		return NULL;
	return s->name;
}

/* has_settings: the stages and the driver read settings; tools not */
static int
has_settings(const struct wq_stagedef *s)
{
	return s->kind != WQ_TOOL || strcmp(s->name, "warraq") == 0;
}

json_t *
wq_describe_json(const struct wq_stagedef *s)
{
	char    buf[64];
	json_t *j = json_object(), *opts = json_array(), *exits = json_object();
	json_t *ol = lines(s->options);
	size_t  i;
	json_t *v;
	const struct wq_exit *e;

	json_object_set_new(j, "name", json_string(prog_name(s, buf, sizeof(buf))));
	json_object_set_new(j, "version", json_string(WQ_VERSION));
	json_object_set_new(j, "kind", json_string(wq_kind_name(s->kind)));
	json_object_set_new(j, "description", json_string(s->summary));
	json_object_set_new(j, "usage", lines(s->usage));
	json_object_set_new(j, "input", json_string(s->reads));
	json_object_set_new(j, "output", json_string(s->writes));
	if (s->kind != WQ_TOOL) {
		const struct wq_stagedef *prev = NULL;

		for (i = 0; i < wq_nstages && &wq_stages[i] != s; i++)
			if (wq_stages[i].kind != WQ_BATCH)
				prev = &wq_stages[i];
		json_object_set_new(j, "after", prev && s->kind != WQ_SOURCE ?
		    json_string(prev->name) : json_null());
		json_object_set_new(j, "makes_page_image", json_boolean(s->image));
		json_object_set_new(j, "enabled_by", s->optin ?
		    json_string(s->optin) : json_null());
	}
	json_array_foreach(ol, i, v) {
		const char *t = json_string_value(v), *tab = strchr(t, '\t');

		json_array_append_new(opts, json_pack("{s:s%, s:s}", "option", t,
		    tab ? (size_t)(tab - t) : strlen(t), "help", tab ? tab + 1 : ""));
	}
	json_decref(ol);
	json_object_set_new(j, "options", opts);
	json_object_set_new(j, "settings", has_settings(s) ?
	    wq_keys_json(settings_of(s)) : json_object());
	for (e = wq_exits; e->text != NULL; e++)
		if (has_exit(s, e->code)) {
			char code[16];

			snprintf(code, sizeof(code), "%d", e->code);
			json_object_set_new(exits, code, json_string(e->text));
		}
	json_object_set_new(j, "exit_status", exits);
	return j;
}

void
wq_describe_exit(const char *name)
{
	const struct wq_stagedef *s = wq_program_find(name);
	json_t                   *j;

	if (s == NULL)
		wq_errx(2, name, "no description of this program");
	j = wq_describe_json(s);
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(j);
	exit(0);
}

/*
 * wq_help_print: usage, options, settings and exit statuses of program
 * name, from its description (settings: its own only).
 */
void
wq_help_print(FILE *f, const char *name)
{
	const struct wq_stagedef *s = wq_program_find(name);
	const struct wq_exit     *e;
	char                      buf[64];
	const char               *u, *o;

	if (s == NULL)
		return;
	for (u = s->usage; *u != '\0'; ) {
		size_t n = strcspn(u, "\n");

		fprintf(f, "%s %s %.*s\n", u == s->usage ? "usage:" : "      ",
		    prog_name(s, buf, sizeof(buf)), (int)n, u);
		u += n;
		u += *u == '\n';
	}
	fprintf(f, "\n%s.\n\nReads: %s.\nWrites: %s.\n\nOptions:\n", s->summary,
	    s->reads, s->writes);
	for (o = s->options; *o != '\0'; ) {
		size_t n = strcspn(o, "\n"), t = strcspn(o, "\t");

		if (t < n)
			fprintf(f, "  %-22.*s %.*s\n", (int)t, o, (int)(n - t - 1),
			    o + t + 1);
		o += n;
		o += *o == '\n';
	}
	if (has_settings(s))
		wq_keys_print(f, settings_of(s));
	fprintf(f, "\nExit status:\n");
	for (e = wq_exits; e->text != NULL; e++)
		if (has_exit(s, e->code))
			fprintf(f, "  %3d  %s\n", e->code, e->text);
	fprintf(f, "\nMore: man %s\n", prog_name(s, buf, sizeof(buf)));
}

/*
 * settings.c - every profile setting, typed, in one table: the one place
 * a setting's type, default, range or choices, meaning and readers live.
 *
 *   wq_keys[]             the settings (name, type, default, range or
 *                         choices, the programs that read it, help)
 *   wq_key_find()         a setting by name, or NULL
 *   wq_key_known()        1 if a setting is in wq_keys[]
 *   wq_key_applies()      does a setting bear on a program ("clean", "run")
 *   wq_key_check()        is a value right for a setting (why, if not)
 *   wq_keys_print()       the settings one program reads, for --help
 *   wq_keys_json()        the same as JSON, for --describe
 *   wq_parse_bool()       yes/no, on/off, true/false, 1/0
 *   wq_tessdata_dir()     where the OCR models are (TESSDATA_PREFIX)
 *   wq_langs_check()      every model a languages value names is there
 *
 * A value is checked when it is set (wq_profile_set, from a profile line
 * or -o), so every program refuses a wrong setting with exit 2 before it
 * touches a page, and the readers (wq_set_*, profile.c) cannot meet a
 * bad value: they take the default from this table, never from their
 * caller.  A
 * setting's readers are named by program ("ingest" ... "package", and
 * "run" and "watch" for the driver's own), or "*" for one every stage
 * reads; --help of each program lists its own.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wq.h"

#define STAGE_LIST "ingest deskew clean layout ocr pdf report package"

const struct wq_key wq_keys[] = {
	{ "stages", WQ_T_STAGES, "all", 0, 0, STAGE_LIST, "*",
	  "stages to run, comma-separated, or all (ingest is always on)" },
	{ "assume_dpi", WQ_T_INT, "300", 1, 100000, NULL, "ingest",
	  "resolution to record when a scan has none" },
	{ "max_pixels", WQ_T_REAL, "1600000000", 1, 1e12, NULL, "ingest",
	  "largest image accepted, width x height (a guard against images "
	  "that would fill the memory)" },
	{ "languages", WQ_T_LANGS, "auto", 0, 0, NULL,
	  "ingest ocr package run watch",
	  "OCR models: auto (French and Arabic, chosen per line), or a model "
	  "name or a + list of them (ara, fra, eng, fra17, ara+fra)" },
	{ "split", WQ_T_CHOICE, "off", 0, 0, "off auto on", "ingest",
	  "double-page spreads cut at the gutter: off, auto (landscape images "
	  "where a gutter is found), on (every image)" },
	{ "binding", WQ_T_CHOICE, "auto", 0, 0, "auto ltr rtl", "ingest",
	  "page order of a cut spread: ltr (left page first), rtl (right page "
	  "first, as Arabic books are bound), auto (from languages, or from "
	  "the script Tesseract sees)" },
	{ "follow_symlinks", WQ_T_BOOL, "no", 0, 0, NULL, "ingest",
	  "take scans that are links to outside SCANS_DIR" },
	{ "layout", WQ_T_CHOICE, "page", 0, 0, "page line word",
	  "deskew layout ocr",
	  "page (find the lines), or each image is one line or one word" },
	{ "layout_stage", WQ_T_BOOL, "no", 0, 0, NULL, "*",
	  "run warraq-layout (regions, scripts from the pixels, reading order) "
	  "between clean and OCR with stages = all" },
	{ "timeout", WQ_T_INT, "600", 1, 86400 * 7, NULL, "run watch",
	  "seconds a stage may spend on one page" },
	{ "binarize", WQ_T_CHOICE, "sauvola", 0, 0, "sauvola otsu", "clean",
	  "binarisation: sauvola or otsu" },
	{ "sauvola_window", WQ_T_INT, "20", 2, 500, NULL, "clean",
	  "Sauvola half-window, pixels at 300 ppi" },
	{ "sauvola_k", WQ_T_REAL, "0.34", 0.01, 1, NULL, "clean",
	  "Sauvola factor k" },
	{ "speckle_px", WQ_T_INT, "3", 0, 100, NULL, "clean",
	  "largest speckle removed, pixels at 300 ppi" },
	{ "chunk", WQ_T_INT, "1", 1, 10000, NULL, "run watch",
	  "pages given to one stage process (a Slurm task) at a time" },
	/* warraq run --engine slurm: what each sbatch gets */
	{ "slurm_partition", WQ_T_TEXT, NULL, 0, 0, NULL, "run",
	  "Slurm partition (sbatch --partition)" },
	{ "slurm_account", WQ_T_TEXT, NULL, 0, 0, NULL, "run",
	  "Slurm account (sbatch --account)" },
	{ "slurm_time", WQ_T_TEXT, NULL, 0, 0, NULL, "run",
	  "time limit of a Slurm task (sbatch --time)" },
	{ "slurm_mem", WQ_T_TEXT, NULL, 0, 0, NULL, "run",
	  "memory of a Slurm task (sbatch --mem)" },
	{ "slurm_sbatch", WQ_T_TEXT, NULL, 0, 0, NULL, "run",
	  "more sbatch options, separated by spaces" },
	/* warraq watch: when a document the scanner is writing is complete */
	{ "watch_marker", WQ_T_TEXT, NULL, 0, 0, NULL, "watch",
	  "a document folder is complete once it holds this file (READY, a "
	  "checksum file)" },
	{ "watch_quiet", WQ_T_INT, "60", 1, 86400, NULL, "watch",
	  "seconds without a change after which a document is complete" },
	{ "pdf_image", WQ_T_CHOICE, "gray", 0, 0, "gray bitonal", "pdf",
	  "page image: gray (JPEG) or bitonal (CCITT G4)" },
	{ "pdf_jpeg_quality", WQ_T_INT, "75", 1, 100, NULL, "pdf",
	  "JPEG quality of gray page images" },
	/* warraq-report: when a page is flagged for a person to look at */
	{ "report_min_confidence", WQ_T_REAL, "70", 0, 100, NULL, "report",
	  "flag a page whose mean word confidence is below" },
	{ "report_max_low_words", WQ_T_REAL, "0.15", 0, 1, NULL, "report",
	  "flag a page whose share of low-confidence words is above" },
	{ "report_max_skew", WQ_T_REAL, "5", 0, 360, NULL, "report",
	  "flag a page whose skew corrected is beyond (degrees)" },
	{ "hunspell_dir", WQ_T_TEXT, "/usr/share/hunspell", 0, 0, NULL,
	  "ocr report",
	  "folder of the ar and fr word lists (OCR: which reading to keep; "
	  "report: dictionary share)" },
	/* warraq-package: the bag, its serialisation, and bag-info.txt */
	{ "bag_archive", WQ_T_CHOICE, "none", 0, 0, "none tar tar.zst zip",
	  "package", "also serialise the bag: none, tar, tar.zst, zip" },
	{ "bag_access_size", WQ_T_INT, "1600", 0, 100000, NULL, "package",
	  "longest side of access JPEGs, pixels (0: full size)" },
	{ "bag_access_quality", WQ_T_INT, "80", 1, 100, NULL, "package",
	  "JPEG quality of access copies" },
	{ "bag_source_organization", WQ_T_TEXT, "unspecified", 0, 0, NULL,
	  "package", "bag-info Source-Organization" },
	{ "bag_contact_name", WQ_T_TEXT, NULL, 0, 0, NULL, "package",
	  "bag-info Contact-Name" },
	{ "bag_contact_email", WQ_T_TEXT, NULL, 0, 0, NULL, "package",
	  "bag-info Contact-Email" },
	{ "bag_internal_sender_identifier", WQ_T_TEXT, NULL, 0, 0, NULL,
	  "package", "bag-info Internal-Sender-Identifier (default: the "
	  "document's original name)" },
	{ "bag_external_description", WQ_T_TEXT, NULL, 0, 0, NULL, "package",
	  "bag-info External-Description" },
	/* warraq-package: publishing through IIIF (data/iiif/, WORK/iiif/DOC/) */
	{ "iiif", WQ_T_BOOL, "yes", 0, 0, NULL, "package",
	  "a IIIF Presentation 3.0 manifest with the OCR text as annotations" },
	{ "iiif_tiles", WQ_T_BOOL, "yes", 0, 0, NULL, "package",
	  "a IIIF Image API level 0 static tile set per page (no: an image "
	  "server of your own serves them)" },
	{ "iiif_base_url", WQ_T_TEXT, NULL, 0, 0, NULL, "package",
	  "address the bags' data/ folders are published under, as BASE/DOC/ "
	  "(default: addresses relative to data/)" },
	{ "iiif_image_base_url", WQ_T_TEXT, NULL, 0, 0, NULL, "package",
	  "with iiif_tiles = no, your IIIF image server; a page is "
	  "BASE/DOC_PAGE" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL, NULL }
};

static const char *type_names[] = {
	[WQ_T_TEXT] = "text", [WQ_T_INT] = "integer", [WQ_T_REAL] = "number",
	[WQ_T_BOOL] = "boolean", [WQ_T_CHOICE] = "choice",
	[WQ_T_LANGS] = "languages", [WQ_T_STAGES] = "stages",
};

const struct wq_key *
wq_key_find(const char *name)
{
	const struct wq_key *k;

	for (k = wq_keys; k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

int
wq_key_known(const char *name)
{
	return wq_key_find(name) != NULL;
}

/* word_in: word (n bytes) is one of the space-separated words of list */
static int
word_in(const char *list, const char *word, size_t n)
{
	const char *s = list;

	while (*s != '\0') {
		size_t len = strcspn(s, " ");

		if (len == n && strncmp(s, word, n) == 0)
			return 1;
		s += len;
		s += strspn(s, " ");
	}
	return 0;
}

/*
 * wq_key_applies: the driver ("run", "watch") and the stages read
 * settings; a "*" setting bears on every program.
 */
int
wq_key_applies(const struct wq_key *k, const char *prog)
{
	return strcmp(k->readers, "*") == 0 ||
	    word_in(k->readers, prog, strlen(prog));
}

/* wq_parse_bool: 1, 0, or -1 for a value that is neither */
int
wq_parse_bool(const char *v)
{
	static const char *yes[] = { "on", "yes", "true", "1" };
	static const char *no[] = { "off", "no", "false", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

const char *
wq_tessdata_dir(void)
{
	const char *d = getenv("TESSDATA_PREFIX");

	return d != NULL && *d != '\0' ? d : "/usr/share/tesseract-ocr/5/tessdata";
}

/*
 * wq_langs_check: 0 when every model value names ("auto": fra and ara)
 * is in wq_tessdata_dir(); else -1 with why (len bytes) saying which is
 * missing and how to get it.
 */
int
wq_langs_check(const char *v, char *why, size_t len)
{
	char *list = wq_xstrdup(strcmp(v, "auto") == 0 ? "fra+ara" : v);
	char *save = NULL, *l;
	int   r = 0;

	for (l = strtok_r(list, "+", &save); l != NULL && r == 0;
	    l = strtok_r(NULL, "+", &save)) {
		char *path = wq_xasprintf("%s/%s.traineddata", wq_tessdata_dir(), l);

		if (!wq_exists(path)) {
			char  **names, *have = wq_xstrdup(""), *t, *dot;
			size_t  n, i;

			/* the models there, for the fix */
			names = wq_list_dir(wq_tessdata_dir(), NULL, &n);
			for (i = 0; i < n; i++)
				if ((dot = strstr(names[i], ".traineddata")) != NULL &&
				    dot[12] == '\0') {
					t = wq_xasprintf("%s%s%.*s", have, *have ? " " : "",
					    (int)(dot - names[i]), names[i]);
					free(have);
					have = t;
				}
			wq_names_free(names, n);
			snprintf(why, len, "no OCR model '%s': %s is missing "
			    "(installed: %s; Debian packages them as "
			    "tesseract-ocr-NAME; a model of your own: copy it "
			    "there, or set TESSDATA_PREFIX to its folder)", l,
			    path, *have ? have : "none");
			free(have);
			r = -1;
		}
		free(path);
	}
	free(list);
	return r;
}

/*
 * wq_key_check: 0 when v is a value of k's type within its range or
 * choices; else -1 with why (len bytes) saying what it should be.  The
 * models a languages value names are checked by wq_langs_check, when a
 * program that reads them starts: a profile may name a model that only
 * the OCR's machine has.
 */
int
wq_key_check(const struct wq_key *k, const char *v, char *why, size_t len)
{
	char  *end;
	double d;
	long   n;

	switch (k->type) {
	case WQ_T_TEXT:
		return 0;
	case WQ_T_INT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (*v != '\0' && *end == '\0' && errno == 0 && n >= k->min &&
		    n <= k->max)
			return 0;
		snprintf(why, len, "'%s' is not a whole number from %.0f to %.0f",
		    v, k->min, k->max);
		return -1;
	case WQ_T_REAL:
		errno = 0;
		d = strtod(v, &end);
		if (*v != '\0' && *end == '\0' && errno == 0 && d >= k->min &&
		    d <= k->max)
			return 0;
		snprintf(why, len, "'%s' is not a number from %g to %g", v,
		    k->min, k->max);
		return -1;
	case WQ_T_BOOL:
		if (wq_parse_bool(v) != -1)
			return 0;
		snprintf(why, len, "'%s' is not yes or no (on/off, true/false, "
		    "1/0)", v);
		return -1;
	case WQ_T_CHOICE:
		if (*v != '\0' && word_in(k->choices, v, strlen(v)))
			return 0;
		snprintf(why, len, "'%s' is not one of: %s", v, k->choices);
		return -1;
	case WQ_T_LANGS:
		if (strcmp(v, "auto") == 0)
			return 0;
		if (*v != '\0' && strlen(v) <= 64 && v[0] != '+' &&
		    v[strlen(v) - 1] != '+' && strstr(v, "++") == NULL &&
		    strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_+") == strlen(v))
			return 0;
		snprintf(why, len, "'%s' is not auto or a + list of OCR model "
		    "names (ara, fra, ara+fra)", v);
		return -1;
	case WQ_T_STAGES: {
		const char *s = v;

		if (strcmp(v, "all") == 0)
			return 0;
		while (*s != '\0') {
			size_t w;

			s += strspn(s, ", ");
			w = strcspn(s, ", ");
			if (w > 0 && !word_in(k->choices, s, w)) {
				snprintf(why, len, "'%.*s' is not a stage (all, or "
				    "some of: %s)", (int)w, s, k->choices);
				return -1;
			}
			s += w;
		}
		return 0;	/* none named: ingest only */
	}
	}
	return -1;
}

/* range: "from MIN to MAX", "one of ...", or "" (a new string) */
static char *
range(const struct wq_key *k)
{
	switch (k->type) {
	case WQ_T_INT:
		return wq_xasprintf("%.0f-%.0f", k->min, k->max);
	case WQ_T_REAL:
		return wq_xasprintf("%g-%g", k->min, k->max);
	case WQ_T_CHOICE:
		return wq_xasprintf("%s", k->choices);
	case WQ_T_BOOL:
		return wq_xstrdup("yes no");
	default:
		return wq_xstrdup("");
	}
}

/* wq_keys_print: prog's settings (NULL: all of them), for --help */
void
wq_keys_print(FILE *f, const char *prog)
{
	const struct wq_key *k;

	fprintf(f, "\nSettings (profile lines \"key = value\", or -o key=value; "
	    "man warraq-profile):\n");
	for (k = wq_keys; k->name != NULL; k++) {
		char *r;

		if (prog != NULL && !wq_key_applies(k, prog))
			continue;
		r = range(k);
		fprintf(f, "  %s = %s%s%s%s\n      %s\n", k->name,
		    k->def ? k->def : "(none)", *r ? "   [" : "", r, *r ? "]" : "",
		    k->help);
		free(r);
	}
}

/* wq_keys_json: prog's settings (NULL: all) as {name: {...}}, new */
json_t *
wq_keys_json(const char *prog)
{
	const struct wq_key *k;
	json_t              *o = json_object();

	for (k = wq_keys; k->name != NULL; k++) {
		json_t *s, *readers;
		char   *list, *save = NULL, *w;

		if (prog != NULL && !wq_key_applies(k, prog))
			continue;
		readers = json_array();
		s = json_pack("{s:s, s:s}", "type", type_names[k->type],
		    "help", k->help);
		json_object_set_new(s, "default", k->def ? json_string(k->def) :
		    json_null());
		if (k->type == WQ_T_INT || k->type == WQ_T_REAL) {
			json_object_set_new(s, "minimum", k->type == WQ_T_INT ?
			    json_integer((json_int_t)k->min) : json_real(k->min));
			json_object_set_new(s, "maximum", k->type == WQ_T_INT ?
			    json_integer((json_int_t)k->max) : json_real(k->max));
		}
		if (k->type == WQ_T_CHOICE || k->type == WQ_T_STAGES) {
			json_t *c = json_array();

			list = wq_xstrdup(k->choices);
			for (w = strtok_r(list, " ", &save); w != NULL;
			    w = strtok_r(NULL, " ", &save))
				json_array_append_new(c, json_string(w));
			free(list);
			json_object_set_new(s, k->type == WQ_T_CHOICE ? "choices" :
			    "stages", c);
		}
		save = NULL;
		list = wq_xstrdup(k->readers);
		for (w = strtok_r(list, " ", &save); w != NULL;
		    w = strtok_r(NULL, " ", &save))
			json_array_append_new(readers, json_string(w));
		free(list);
		json_object_set_new(s, "read_by", readers);
		json_object_set_new(o, k->name, s);
	}
	return o;
}

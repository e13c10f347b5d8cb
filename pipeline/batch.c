/*
 * batch.c - what a batch ran with, and where the stage programs are.
 *
 *   batch_record()   WORK/profile.conf and WORK/batch.json: the settings
 *                    used and the versions of warraq, Tesseract, Leptonica,
 *                    libtiff and the OCR models (name, size, SHA-256)
 *   stage_program()  the path of warraq-STAGE: beside this program first
 *                    (a build tree or an install), else found on PATH;
 *                    NULL when there is none
 *
 * Stages read WORK/profile.conf through --profile, so a person re-running
 * one stage by hand gets the settings of the batch.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>
#include <tiffio.h>

#include "driver.h"

static char *
find_in_path(const char *name)
{
	const char *path = getenv("PATH");
	char       *dirs, *d, *save = NULL, *p;

	if (path == NULL)
		return NULL;
	dirs = wq_xstrdup(path);
	for (d = strtok_r(dirs, ":", &save); d != NULL; d = strtok_r(NULL, ":", &save)) {
		p = wq_xasprintf("%s/warraq-%s", *d ? d : ".", name);
		if (access(p, X_OK) == 0) {
			free(dirs);
			return p;
		}
		free(p);
	}
	free(dirs);
	return NULL;
}

char *
stage_program(const char *name)
{
	char  self[PATH_MAX], *slash, *p;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			p = wq_xasprintf("%s/warraq-%s", self, name);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
	}
	return find_in_path(name);
}

/* models_json: every model the languages setting may load. */
static json_t *
models_json(const struct wq_profile *pr)
{
	const char *langs = wq_set_text(pr, "languages");
	char       *list = wq_xstrdup(strcmp(langs, "auto") == 0 ?
	    "ara+fra+eng+osd" : langs), *save = NULL, *l;
	json_t     *a = json_array();

	for (l = strtok_r(list, "+", &save); l != NULL;
	    l = strtok_r(NULL, "+", &save)) {
		char   *path = wq_xasprintf("%s/%s.traineddata", wq_tessdata_dir(), l);
		char    hex[65];
		off_t   size;
		json_t *m = json_object();

		json_object_set_new(m, "name", wq_json_text(l, 64));
		json_object_set_new(m, "path", wq_json_text(path, PATH_MAX));
		if (wq_sha256_file(path, hex, &size) == 0) {
			json_object_set_new(m, "size", json_integer(size));
			json_object_set_new(m, "sha256", json_string(hex));
		} else {
			json_object_set_new(m, "missing", json_true());
		}
		json_array_append_new(a, m);
		free(path);
	}
	free(list);
	return a;
}

/* settings_json: every setting as the stages see it, defaults included. */
static json_t *
settings_json(const struct wq_profile *pr)
{
	const struct wq_key *k;
	json_t *o = json_object();

	for (k = wq_keys; k->name != NULL; k++)
		json_object_set_new(o, k->name,
		    wq_json_text(wq_profile_get(pr, k->name, k->def), 4096));
	return o;
}

int
batch_record(const struct run_opts *o)
{
	char   *path, *lept, stamp[32], scans[PATH_MAX];
	json_t *b = json_object(), *v = json_object(), *timing = json_object();
	time_t  now = time(NULL);
	int     r;

	path = wq_xasprintf("%s/profile.conf", o->work);
	r = wq_profile_save(&o->profile, path);
	free(path);
	if (r == -1)
		return -1;
	lept = getLeptonicaVersion();
	json_object_set_new(v, "warraq", json_string(WQ_VERSION));
	json_object_set_new(v, "tesseract", json_string(TessVersion()));
	json_object_set_new(v, "leptonica", json_string(lept));
	json_object_set_new(v, "libtiff", wq_json_textn(TIFFGetVersion(),
	    strcspn(TIFFGetVersion(), "\n"), 128));
	json_object_set_new(v, "jansson", json_string(JANSSON_VERSION));
	free(lept);
	json_object_set_new(b, "scans", wq_json_text(realpath(o->scans, scans) ?
	    scans : o->scans, PATH_MAX));
	json_object_set_new(b, "settings", settings_json(&o->profile));
	json_object_set_new(b, "jobs", json_integer(o->jobs));
	json_object_set_new(b, "versions", v);
	json_object_set_new(b, "ocr_models", models_json(&o->profile));
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	json_object_set_new(timing, "started", json_string(stamp));
	json_object_set_new(b, "timing", timing);
	path = wq_xasprintf("%s/batch.json", o->work);
	r = wq_json_write(path, b);
	free(path);
	json_decref(b);
	return r;
}

/*
 * warraq-package - one BagIt bag (RFC 8493) per document: the archival
 * bundle a repository ingests.
 *
 *   warraq-package [--archive tar|tar.zst|zip] [options] WORK_DIR [DOC ...]
 *
 *   main()       the document stage (wq_doc_main) over make_bag()
 *
 * WORK/bags/DOC/ holds bagit.txt, bag-info.txt, manifest-sha256.txt and
 * manifest-sha512.txt, their tag manifests, and data/: mets.xml (mets.c),
 * master/ (each source file once, byte for byte, named after its first
 * page), alto/, hocr/, text/ (per page), access/ (a JPEG per page and the
 * document's PDF), report/page.json (the report's figures of its pages).
 * Payload names are made from page numbers: ASCII whatever the sources
 * were called; original names are in mets.xml.
 *
 * Fixity is carried through, not recomputed on trust: each source is
 * hashed as it is copied into the bag, and a source whose SHA-256 is not
 * the one ingest recorded in pages.tsv fails the document, naming the
 * file.  The bag is built under a temporary name, checked whole by the
 * checker warraq-verify uses (bagit.c), and renamed into place; then, if
 * bag_archive asks, streamed from there through libarchive into
 * WORK/bags/DOC.tar (.tar.zst, .zip) under its base folder DOC/, and that
 * archive checked in turn.  What describes the bag's making is dated by
 * the day (Bagging-Date), so packaging the same work twice in a day
 * gives the same bytes, and on another day the same payload.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>

#include "package.h"
#include "bagit.h"

static const char *const archive_ext[] = { "tar", "tar.zst", "zip" };

/* ---- what the work directory says about the document ---- */

/* doc_name: the document's original name from docs.tsv (valid UTF-8). */
static char *
doc_name(const char *work, const char *doc)
{
	char   *path = wq_xasprintf("%s/docs.tsv", work);
	char   *text = wq_read_file(path, 64 << 20, NULL), *s = text, *l, *name = NULL;
	json_t *j;

	free(path);
	while (s != NULL && (l = strsep(&s, "\n")) != NULL && name == NULL) {
		char *tab = strchr(l, '\t');

		if (tab != NULL && (size_t)(tab - l) == strlen(doc) &&
		    strncmp(l, doc, strlen(doc)) == 0)
			name = wq_tsv_unescape(tab + 1);
	}
	free(text);
	j = wq_json_text(name ? name : doc, 1024);
	free(name);
	name = wq_xstrdup(json_string_value(j));
	json_decref(j);
	return name;
}

static const char *
mime_of(const char *ext)
{
	return strcmp(ext, "tif") == 0 ? "image/tiff" : strcmp(ext, "jpg") == 0 ?
	    "image/jpeg" : strcmp(ext, "png") == 0 ? "image/png" :
	    strcmp(ext, "jp2") == 0 ? "image/jp2" : strcmp(ext, "j2k") == 0 ?
	    "image/x-jp2-codestream" : "application/octet-stream";
}

/* master_ext: the payload extension of a source, from its name. */
static const char *
master_ext(const char *source)
{
	const char *dot = strrchr(source, '.');

	if (dot == NULL || strchr(dot, '/') != NULL)
		return "bin";
	if (strcasecmp(dot, ".tif") == 0 || strcasecmp(dot, ".tiff") == 0)
		return "tif";
	if (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0)
		return "jpg";
	if (strcasecmp(dot, ".png") == 0)
		return "png";
	if (strcasecmp(dot, ".jp2") == 0)
		return "jp2";
	if (strcasecmp(dot, ".j2k") == 0 || strcasecmp(dot, ".j2c") == 0)
		return "j2k";
	return "bin";
}

/*
 * masters: each source once, under its first page's number, checked
 * against the SHA-256 ingest recorded; each page learns its master,
 * which image of it and which part (ingest JSON: crop of a cut spread).
 */
static int
masters(const struct wq_args *a, const char *dir, struct pkg *k, char *err,
    size_t errlen)
{
	size_t i, j;

	for (i = 0; i < k->npg; i++) {
		const struct wq_page *p = k->pg[i].p;
		char   *path, *js;
		json_t *ij, *crop, *name;

		for (j = 0; j < i; j++)
			if (strcmp(k->pg[j].p->source, p->source) == 0)
				break;
		if (j < i) {
			k->pg[i].master = k->pg[j].master;
		} else {
			struct pfile *f;
			const char   *ext = master_ext(p->source);

			path = wq_xasprintf("master/%s.%s", p->page, ext);
			f = pkg_add_file(k, path, "MASTER", mime_of(ext), p->page);
			free(path);
			k->pg[i].master = k->nf - 1;
			if (pkg_put(dir, f, p->source, NULL, 0, err, errlen) == -1)
				return -1;
			if (strcmp(f->sha256, p->sha256) != 0) {
				snprintf(err, errlen, "%s: changed since ingest (SHA-256 "
				    "%.16s..., ingest recorded %.16s...); not bagged: "
				    "ingest it again", p->source, f->sha256, p->sha256);
				return -1;
			}
		}
		k->pg[i].image = (int)p->index + 1;
		js = wq_sidecar(a->work, "ingest", p->doc, p->page, "json");
		ij = wq_json_read(js);
		free(js);
		name = json_object_get(ij, "source_name");
		if (j == i && k->f[k->nf - 1].orig == NULL)
			k->f[k->nf - 1].orig = wq_xstrdup(json_is_string(name) ?
			    json_string_value(name) : k->title);
		crop = json_object_get(ij, "crop");
		if (json_is_object(crop)) {
			int x = (int)json_integer_value(json_object_get(crop, "x"));
			int y = (int)json_integer_value(json_object_get(crop, "y"));

			k->pg[i].cropped = 1;
			k->pg[i].crop[0] = x;
			k->pg[i].crop[1] = y;
			k->pg[i].crop[2] = x + (int)json_integer_value(
			    json_object_get(crop, "w")) - 1;
			k->pg[i].crop[3] = y + (int)json_integer_value(
			    json_object_get(crop, "h")) - 1;
		}
		json_decref(ij);
	}
	for (i = 0; i < k->npg; i++)	/* images in the master it is in */
		for (j = 0; j < k->npg; j++)
			if (k->pg[j].master == k->pg[i].master &&
			    k->pg[j].image > k->pg[i].nimages)
				k->pg[i].nimages = k->pg[j].image;
	return 0;
}

/*
 * access_jpeg: the upright page, at most bag_access_size, as JPEG; its
 * size noted in pg; and from it, unless iiif or iiif_tiles is off, the
 * page's IIIF tiles (iiif.c).
 */
static int
access_jpeg(const struct wq_args *a, const char *dir, struct pkg *k,
    struct ppage *pg, char *err, size_t errlen)
{
	const struct wq_page *p = pg->p;
	const char *stage = wq_stage_enabled(&a->profile, "deskew") ? "deskew" :
	    "ingest";
	char       *src = wq_sidecar(a->work, stage, p->doc, p->page, "tif");
	char       *name = wq_xasprintf("access/%s.jpg", p->page);
	PIX        *pix = wq_pix_read(src, err, errlen), *t;
	l_uint8    *data = NULL;
	size_t      len = 0;
	long        size, quality;
	int         r = -1, big;

	size = wq_set_long(&a->profile, "bag_access_size");
	quality = wq_set_long(&a->profile, "bag_access_quality");
	if (pix == NULL)
		goto done;
	t = pixGetColormap(pix) ? pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC) :
	    pixGetDepth(pix) < 8 || pixGetDepth(pix) == 16 ? pixConvertTo8(pix, 0) :
	    pixClone(pix);
	pixDestroy(&pix);
	pix = t;
	if (pix != NULL && pixGetDepth(pix) < 8) {
		t = pixConvertTo8(pix, 0);
		pixDestroy(&pix);
		pix = t;
	}
	big = pix ? L_MAX(pixGetWidth(pix), pixGetHeight(pix)) : 0;
	if (pix != NULL && size > 0 && big > size) {
		float s = (float)size / (float)big;
		l_int32 xres, yres;

		pixGetResolution(pix, &xres, &yres);
		t = pixScale(pix, s, s);
		pixDestroy(&pix);
		if ((pix = t) != NULL)
			pixSetResolution(pix, (l_int32)(xres * s + 0.5),
			    (l_int32)(yres * s + 0.5));
	}
	if (pix == NULL || pixWriteMemJpeg(&data, &len, pix, (l_int32)quality, 0)) {
		snprintf(err, errlen, "cannot make the access copy of %s", src);
		goto done;
	}
	pg->access_w = pixGetWidth(pix);
	pg->access_h = pixGetHeight(pix);
	r = pkg_put(dir, pkg_add_file(k, name, "ACCESS", "image/jpeg", p->page), NULL,
	    data, len, err, errlen);
	if (r == 0 && iiif_on(a, "iiif_tiles"))
		r = iiif_tiles(a, dir, k, p, pix, err, errlen);
done:
	pixDestroy(&pix);
	free(data);
	free(src);
	free(name);
	return r;
}

/* report_pages: data/report/page.json, the report's figures of the
 * document's pages; nothing when there is no report (yet). */
static int
report_pages(const struct wq_args *a, const char *dir, struct pkg *k,
    char *err, size_t errlen)
{
	char   *path = wq_xasprintf("%s/report/report.json", a->work), *s;
	json_t *rep = wq_json_read(path), *pages = json_array(), *pg, *out;
	size_t  i;
	int     r = 0;

	free(path);
	json_array_foreach(json_object_get(rep, "pages"), i, pg)
		if (json_is_string(json_object_get(pg, "doc")) &&
		    strcmp(json_string_value(json_object_get(pg, "doc")), k->doc) == 0)
			json_array_append(pages, pg);
	if (json_array_size(pages) > 0) {
		out = json_pack("{s:s, s:O, s:o}", "doc", k->doc, "report_version",
		    json_object_get(rep, "report_version") ?
		    json_object_get(rep, "report_version") : json_null(),
		    "pages", pages);
		s = json_dumps(out, JSON_INDENT(2));
		r = pkg_put(dir, pkg_add_file(k, "report/page.json", "REPORT",
		    "application/json", NULL), NULL, s, strlen(s), err, errlen);
		free(s);
		json_decref(out);
	} else
		json_decref(pages);
	json_decref(rep);
	return r;
}

/* languages: ISO 639-2/B codes of the scripts OCR found (or was told). */
static void
languages(const struct wq_args *a, struct pkg *k)
{
	const char *set = wq_set_text(&a->profile, "languages");
	int         ara = 0, lat = 0, eng = 0;
	size_t      i;

	if (strcmp(set, "auto") == 0) {
		for (i = 0; i < k->npg; i++) {
			char   *js = wq_sidecar(a->work, "ocr", k->doc,
			    k->pg[i].p->page, "json");
			json_t *j = wq_json_read(js), *sc = json_object_get(j, "scripts");

			ara |= json_object_get(sc, "Arabic") != NULL;
			lat |= json_object_get(sc, "Latin") != NULL;
			json_decref(j);
			free(js);
		}
	} else {
		ara = strstr(set, "ara") != NULL;
		lat = strstr(set, "fra") != NULL;
		eng = strstr(set, "eng") != NULL;
	}
	k->lang = wq_xmalloc(3 * sizeof(char *));
	if (ara)
		k->lang[k->nlang++] = "ara";
	if (lat)
		k->lang[k->nlang++] = "fre";
	if (eng)
		k->lang[k->nlang++] = "eng";
}

/* ---- the stages' events ---- */

static void
iso_date(time_t t, int day, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, day ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* settings_of: "key=value; ..." of the settings that bear on a stage. */
static char *
settings_of(json_t *set, const struct wq_profile *pr, const char *stage)
{
	const struct wq_key *kk;
	char                *s = wq_xstrdup(""), *t;

	for (kk = wq_keys; kk->name != NULL; kk++) {
		const char *v = json_string_value(json_object_get(set, kk->name));

		if (!wq_key_applies(kk, stage))
			continue;
		if (v == NULL)
			v = wq_profile_get(pr, kk->name, kk->def);
		if (v == NULL)
			continue;
		t = wq_xasprintf("%s%s%s=%s", s, *s ? "; " : "", kk->name, v);
		free(s);
		s = t;
	}
	return s;
}

/* tool_note: the libraries and models a stage used, from batch.json. */
static char *
tool_note(json_t *batch, const char *stage)
{
	json_t     *v = json_object_get(batch, "versions"), *m;
	const char *tess = json_string_value(json_object_get(v, "tesseract"));
	const char *lept = json_string_value(json_object_get(v, "leptonica"));
	const char *tiff = json_string_value(json_object_get(v, "libtiff"));
	char       *s, *t;
	size_t      i;

	if (strcmp(stage, "ingest") == 0)
		return wq_xasprintf("%s; %s", tiff ? tiff : "libtiff", lept ? lept : "");
	if (strcmp(stage, "deskew") == 0)
		return wq_xasprintf("%s; Tesseract %s (OSD)", lept ? lept : "",
		    tess ? tess : "");
	if (strcmp(stage, "clean") == 0 || strcmp(stage, "package") == 0)
		return wq_xasprintf("%s%s", lept ? lept : "", strcmp(stage,
		    "package") == 0 ? "; libjpeg-turbo; libxml2; libarchive" : "");
	if (strcmp(stage, "ocr") != 0)
		return NULL;
	s = wq_xasprintf("Tesseract %s; %s", tess ? tess : "", lept ? lept : "");
	json_array_foreach(json_object_get(batch, "ocr_models"), i, m) {
		t = wq_xasprintf("%s; model %s SHA-256 %s", s,
		    json_string_value(json_object_get(m, "name")),
		    json_string_value(json_object_get(m, "sha256")));
		free(s);
		s = t;
	}
	return s;
}

/* made_text: "key=value; ..." of the settings a result records it was
 * made with (its sidecar's made_with), or NULL for one from before */
static char *
made_text(json_t *j)
{
	json_t     *set = json_object_get(json_object_get(j, "made_with"),
	    "settings"), *v;
	const char *key;
	char       *s, *t;

	if (!json_is_object(set))
		return NULL;
	s = wq_xstrdup("");
	json_object_foreach(set, key, v) {
		if (!json_is_string(v))
			continue;
		t = wq_xasprintf("%s%s%s=%s", s, *s ? "; " : "", key,
		    json_string_value(v));
		free(s);
		s = t;
	}
	return s;
}

/*
 * add_event: one stage's event, dated by its newest result for the
 * document (the sidecars' modification times); nothing if it has none.
 * Its settings are those the results record they were made with; pages
 * a person made again with settings of their own are named with theirs.
 */
static void
add_event(const struct wq_args *a, struct pkg *k, json_t *batch,
    const char *stage, const char *type, const char *what)
{
	const struct wq_stagedef *sd = wq_stage_find(stage);
	struct pevent            *e;
	struct stat               st;
	time_t                    t = 0;
	char                      date[32], *path, *set;
	const char               *ver;
	json_t                   *j = NULL;
	size_t                    i, n = 0;
	char                     *hand = wq_xstrdup("");

	if (!wq_stage_enabled(&a->profile, stage)) {
		free(hand);
		return;
	}
	for (i = 0; i < k->npg; i++) {
		path = wq_stage_per_page(sd) ?
		    wq_sidecar(a->work, stage, k->doc, k->pg[i].p->page, "json") :
		    sd->kind == WQ_DOC ? wq_doc_sidecar(a->work, stage, k->doc, "json") :
		    wq_xasprintf("%s/%s/report.json", a->work, stage);
		if (stat(path, &st) == 0) {
			json_t *pj = wq_json_read(path);

			n++;
			if (st.st_mtime > t)
				t = st.st_mtime;
			if (json_is_true(json_object_get(json_object_get(pj,
			    "made_with"), "by_hand"))) {
				char *m = made_text(pj), *h;

				h = wq_xasprintf("%s; page %s made by hand with %s",
				    hand, k->pg[i].p->page, m ? m : "its own");
				free(hand);
				free(m);
				hand = h;
				json_decref(pj);
			} else if (j == NULL)
				j = pj;
			else
				json_decref(pj);
		}
		free(path);
		if (!wq_stage_per_page(sd))
			break;
	}
	if (n == 0) {
		free(hand);
		return;
	}
	k->ev = wq_xrealloc(k->ev, (k->nev + 1) * sizeof(*k->ev));
	e = &k->ev[k->nev++];
	memset(e, 0, sizeof(*e));
	iso_date(t, 0, date, sizeof(date));
	e->stage = stage;
	e->type = type;
	e->date = wq_xstrdup(date);
	e->tool = wq_xasprintf("warraq-%s", stage);
	ver = json_string_value(json_object_get(j, "warraq_version"));
	if (ver == NULL)	/* the report's is in its batch summary */
		ver = json_string_value(json_object_get(json_object_get(j, "batch"),
		    "warraq_version"));
	e->version = wq_xstrdup(ver ? ver : WQ_VERSION);
	if ((set = made_text(j)) == NULL)	/* results from before */
		set = settings_of(json_object_get(batch, "settings"), &a->profile,
		    stage);
	e->detail = wq_xasprintf("%s %s: %s; settings: %s%s", e->tool, e->version,
	    what, *set ? set : "none", hand);
	free(set);
	free(hand);
	e->note = tool_note(batch, stage);
	if (strcmp(stage, "pdf") == 0 && json_is_string(json_object_get(j, "library")))
		e->note = wq_xstrdup(json_string_value(json_object_get(j, "library")));
	e->outcome = wq_xasprintf("success (%zu of %zu pages)", wq_stage_per_page(sd) ?
	    n : k->npg, k->npg);
	json_decref(j);
}

/* ---- the bag's tag files ---- */

static int
pathcmp(const void *x, const void *y)
{
	return strcmp(((const struct pfile *)x)->path, ((const struct pfile *)y)->path);
}

/* put_tag: a tag file at the bag's top, hashed like a payload file. */
static int
put_tag(const char *dir, struct pfile *f, const char *name, const char *text,
    char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	f->path = wq_xstrdup(name);
	return pkg_put(dir, f, NULL, text, strlen(text), err, errlen);
}

/* manifest: "HEX  data/PATH" lines, sorted, for one algorithm. */
static char *
manifest(const struct pfile *f, size_t n, int sha512, const char *prefix)
{
	char  *buf = NULL;
	size_t len = 0, i;
	FILE  *m = open_memstream(&buf, &len);

	for (i = 0; i < n; i++)
		fprintf(m, "%s  %s%s\n", sha512 ? f[i].sha512 : f[i].sha256, prefix,
		    f[i].path);
	fclose(m);
	return buf;
}

/* bag_info: bag-info.txt; profile values are one line each. */
static char *
bag_info(const struct wq_args *a, const struct pkg *k, long long octets,
    char *day)
{
	static const struct { const char *label, *key; } fields[] = {
		{ "Source-Organization", "bag_source_organization" },
		{ "Contact-Name", "bag_contact_name" },
		{ "Contact-Email", "bag_contact_email" },
		{ "External-Description", "bag_external_description" },
		{ "Internal-Sender-Identifier", "bag_internal_sender_identifier" },
	};
	char       *buf = NULL;
	size_t      len = 0, i;
	FILE       *m = open_memstream(&buf, &len);
	const char *units[] = { "bytes", "KB", "MB", "GB", "TB" };
	double      size = (double)octets;
	int         u = 0;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *def = strcmp(fields[i].key, "bag_source_organization") == 0 ?
		    "unspecified" : strcmp(fields[i].key,
		    "bag_internal_sender_identifier") == 0 ? k->title : NULL;
		const char *v = wq_profile_get(&a->profile, fields[i].key, def);
		char       *s, *c;

		if (v == NULL || *v == '\0')
			continue;
		s = wq_xstrdup(v);
		for (c = s; *c; c++)	/* a value is one line */
			if (*c == '\n' || *c == '\r' || *c == '\t')
				*c = ' ';
		fprintf(m, "%s: %s\n", fields[i].label, s);
		free(s);
	}
	while (size >= 1000 && u < 4)
		size /= 1000, u++;
	fprintf(m, "External-Identifier: %s\n", k->doc);
	fprintf(m, "Bagging-Date: %s\n", day);
	fprintf(m, "Bag-Software-Agent: warraq-package %s\n", WQ_VERSION);
	fprintf(m, "Payload-Oxum: %lld.%zu\n", octets, k->nf);
	fprintf(m, u == 0 ? "Bag-Size: %.0f %s\n" : "Bag-Size: %.1f %s\n", size,
	    units[u]);
	fclose(m);
	return buf;
}

static int
tag_files(const struct wq_args *a, const char *dir, struct pkg *k, char *day,
    json_t *meta, char *err, size_t errlen)
{
	struct pfile tag[4], tm;
	char        *text[4];
	const char  *names[4] = { "bagit.txt", "bag-info.txt",
	    "manifest-sha256.txt", "manifest-sha512.txt" };
	long long    octets = 0;
	size_t       i;
	int          r = 0;

	for (i = 0; i < k->nf; i++)
		octets += k->f[i].size;
	text[0] = wq_xstrdup("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
	text[1] = bag_info(a, k, octets, day);
	text[2] = manifest(k->f, k->nf, 0, "data/");
	text[3] = manifest(k->f, k->nf, 1, "data/");
	memset(tag, 0, sizeof(tag));
	for (i = 0; i < 4 && r == 0; i++)
		r = put_tag(dir, &tag[i], names[i], text[i], err, errlen);
	for (i = 0; i < 2 && r == 0; i++) {
		char *t = manifest(tag, 4, (int)i, "");

		r = put_tag(dir, &tm, i ? "tagmanifest-sha512.txt" :
		    "tagmanifest-sha256.txt", t, err, errlen);
		free(tm.path);
		free(t);
	}
	for (i = 0; i < 4; i++) {
		free(text[i]);
		free(tag[i].path);
	}
	json_object_set_new(meta, "payload_oxum", json_sprintf("%lld.%zu", octets,
	    k->nf));
	return r;
}

/* ---- the bag on disk ---- */

/* clear_stale: what a killed run left of this document's bag. */
static void
clear_stale(const char *bags, const char *doc)
{
	DIR           *d = opendir(bags);
	struct dirent *e;
	size_t         n = strlen(doc);

	while (d != NULL && (e = readdir(d)) != NULL) {
		const char *s = e->d_name;

		/* .DOC.tmp.PID, .DOC.old.PID, .DOC.EXT.tmp.PID */
		if (s[0] == '.' && strncmp(s + 1, doc, n) == 0 && s[n + 1] == '.' &&
		    (strncmp(s + n + 2, "tmp.", 4) == 0 || strncmp(s + n + 2, "old.", 4) == 0 ||
		    strstr(s + n + 2, ".tmp.") != NULL)) {
			char *p = wq_xasprintf("%s/%s", bags, s);

			wq_rm_rf(p);
			free(p);
		}
	}
	if (d != NULL)
		closedir(d);
}

/* replace_dir: tmp becomes path; an old bag there goes. */
static int
replace_dir(const char *tmp, const char *path)
{
	char *old = wq_xasprintf("%s.old", tmp);
	int   had = wq_exists(path), r;

	if (had && rename(path, old) == -1) {
		free(old);
		return -1;
	}
	r = rename(tmp, path);
	if (had)
		wq_rm_rf(old);
	free(old);
	return r;
}

/*
 * publish: WORK/iiif/DOC/, the bag's data/iiif/ as it is, for a web
 * server that publishes the IIIF part alone; linked to the bag's files
 * (copied where links cannot be made), made under a temporary name and
 * renamed.  Without iiif, an old WORK/iiif/DOC/ goes.
 */
static int
publish(const struct wq_args *a, const char *bag, const struct pkg *k,
    char *err, size_t errlen)
{
	char  *dir = wq_xasprintf("%s/iiif", a->work);
	char  *path = wq_xasprintf("%s/%s", dir, k->doc), *tmp = wq_tmpname(path);
	size_t i;
	int    r = -1;

	clear_stale(dir, k->doc);
	if (!iiif_on(a, NULL)) {
		wq_rm_rf(path);
		r = 0;
		goto done;
	}
	for (i = 0; i < k->nf; i++) {
		char *src, *dst, *buf;
		size_t len;
		int    w;

		if (strncmp(k->f[i].path, "iiif/", 5) != 0)
			continue;
		src = wq_xasprintf("%s/data/%s", bag, k->f[i].path);
		dst = wq_xasprintf("%s/%s", tmp, k->f[i].path + 5);
		w = wq_mkparent(dst);
		if (w == 0 && link(src, dst) == -1) {
			w = -1;
			if ((buf = wq_read_file(src, 1 << 30, &len)) != NULL) {
				w = wq_write_atomic(dst, buf, len);
				free(buf);
			}
		}
		if (w == -1)
			snprintf(err, errlen, "cannot write %s: %s", dst, strerror(errno));
		free(src);
		free(dst);
		if (w == -1)
			goto done;
	}
	if (replace_dir(tmp, path) == -1) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path,
		    strerror(errno));
		goto done;
	}
	r = 0;
done:
	if (r != 0)
		wq_rm_rf(tmp);
	free(dir);
	free(path);
	free(tmp);
	return r;
}

static void
first_problem(void *ctx, const char *msg)
{
	char **first = ctx;

	if (*first == NULL)
		*first = wq_xstrdup(msg);
}

/* checked: the bag or archive is valid by bagit.c; else err. */
static int
checked(const char *path, char *err, size_t errlen)
{
	char *first = NULL;
	int   n = bag_check(path, first_problem, &first, NULL);

	if (n != 0)
		snprintf(err, errlen, "%s fails its own check: %s", path,
		    first ? first : "cannot be read");
	free(first);
	return n == 0 ? 0 : -1;
}

/* ---- serialisation ---- */

struct stream {
	struct archive *ar;
	time_t          mtime;
	int             failed;
};

/*
 * bag_order: bagit.txt first, for readers that stream; the payload last;
 * byte order otherwise, whatever the locale or the file system, so that
 * the archive's bytes are the same each time.
 */
static int
bag_order(const struct dirent **x, const struct dirent **y)
{
	const char *a = (*x)->d_name, *b = (*y)->d_name;

	if (strcmp(a, b) == 0)
		return 0;
	if (strcmp(a, "bagit.txt") == 0 || strcmp(b, "data") == 0)
		return -1;
	if (strcmp(b, "bagit.txt") == 0 || strcmp(a, "data") == 0)
		return 1;
	return strcmp(a, b);
}

/* add_entry: one file or folder of the bag into the archive, streamed. */
static void
add_entry(struct stream *s, const char *path, const char *name,
    const struct stat *st)
{
	struct archive_entry *ae = archive_entry_new();
	char                  buf[1 << 16];
	ssize_t               n;
	int                   fd = -1;

	archive_entry_set_pathname(ae, name);
	archive_entry_set_mtime(ae, s->mtime, 0);
	archive_entry_set_uid(ae, 0);
	archive_entry_set_gid(ae, 0);
	if (S_ISDIR(st->st_mode)) {
		archive_entry_set_filetype(ae, AE_IFDIR);
		archive_entry_set_perm(ae, 0755);
	} else {
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_perm(ae, 0644);
		archive_entry_set_size(ae, st->st_size);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			s->failed = 1;
	}
	if (!s->failed && archive_write_header(s->ar, ae) != ARCHIVE_OK)
		s->failed = 1;
	while (!s->failed && fd != -1 && (n = read(fd, buf, sizeof(buf))) > 0)
		if (archive_write_data(s->ar, buf, (size_t)n) != n)
			s->failed = 1;
	if (fd != -1)
		close(fd);
	archive_entry_free(ae);
}

/* add_tree: a folder and what it holds, NAME/ in the archive. */
static void
add_tree(struct stream *s, const char *path, const char *name)
{
	struct dirent **list;
	struct stat     st;
	char           *dname = wq_xasprintf("%s/", name);
	int             i, n;

	if (stat(path, &st) == -1 || (n = scandir(path, &list, NULL,
	    bag_order)) == -1) {
		s->failed = 1;
		free(dname);
		return;
	}
	add_entry(s, path, dname, &st);
	for (i = 0; i < n; i++) {
		char *p = wq_xasprintf("%s/%s", path, list[i]->d_name);
		char *q = wq_xasprintf("%s/%s", name, list[i]->d_name);

		if (list[i]->d_name[0] != '.' && lstat(p, &st) == 0 && !s->failed) {
			if (S_ISDIR(st.st_mode))
				add_tree(s, p, q);
			else if (S_ISREG(st.st_mode))
				add_entry(s, p, q, &st);
		}
		free(p);
		free(q);
		free(list[i]);
	}
	free(list);
	free(dname);
}

/* serialise: the bag folder into WORK/bags/DOC.EXT, through a temporary. */
static int
serialise(const char *bags, const char *doc, const char *fmt, time_t day,
    json_t *meta, char *err, size_t errlen)
{
	char         *root = wq_xasprintf("%s/%s", bags, doc);
	char         *out = wq_xasprintf("%s/%s.%s", bags, doc, fmt);
	char         *tmp = wq_tmpname(out);
	struct stream s = { archive_write_new(), day, 0 };
	struct stat   st;
	int           r = -1;

	if (strcmp(fmt, "zip") == 0)
		archive_write_set_format_zip(s.ar);
	else
		archive_write_set_format_pax_restricted(s.ar);
	if (strcmp(fmt, "tar.zst") == 0 &&
	    archive_write_add_filter_zstd(s.ar) != ARCHIVE_OK) {
		snprintf(err, errlen, "libarchive: no zstd: %s",
		    archive_error_string(s.ar));
		goto done;
	}
	if (archive_write_open_filename(s.ar, tmp) != ARCHIVE_OK) {
		snprintf(err, errlen, "cannot create %s: %s", tmp,
		    archive_error_string(s.ar));
		goto done;
	}
	add_tree(&s, root, doc);
	if (s.failed ||
	    archive_write_close(s.ar) != ARCHIVE_OK) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
		    archive_error_string(s.ar));
		goto done;
	}
	if (wq_commit(tmp, out) == -1) {
		snprintf(err, errlen, "cannot write %s: %s", out, strerror(errno));
		goto done;
	}
	if (checked(out, err, errlen) == -1)
		goto done;
	if (stat(out, &st) == 0)
		json_object_set_new(meta, "archive", json_pack("{s:s+++, s:I}",
		    "file", "bags/", doc, ".", fmt, "bytes", (json_int_t)st.st_size));
	r = 0;
done:
	archive_write_free(s.ar);
	unlink(tmp);
	free(root);
	free(out);
	free(tmp);
	return r;
}

/* ---- the document ---- */

static void
free_pkg(struct pkg *k)
{
	size_t i;

	for (i = 0; i < k->nf; i++) {
		free(k->f[i].path);
		free(k->f[i].orig);
	}
	for (i = 0; i < k->nev; i++) {
		free(k->ev[i].date);
		free(k->ev[i].tool);
		free(k->ev[i].version);
		free(k->ev[i].detail);
		free(k->ev[i].note);
		free(k->ev[i].outcome);
	}
	free(k->f);
	free(k->ev);
	free(k->pg);
	free(k->lang);
	free(k->title);
}

/* payload: every file of data/ but mets.xml, and the stages' events. */
static int
payload(const struct wq_args *a, const char *dir, struct pkg *k, json_t *batch,
    char *err, size_t errlen)
{
	static const struct { const char *ext, *dir, *to, *use, *mime; } ocr[] = {
		{ "alto.xml", "alto", "xml", "ALTO", "application/xml" },
		{ "hocr", "hocr", "hocr", "HOCR", "text/html" },
		{ "txt", "text", "txt", "TEXT", "text/plain" },
	};
	size_t i, j;
	char  *src, *dst;
	int    r;

	if (masters(a, dir, k, err, errlen) == -1)
		return -1;
	for (i = 0; i < k->npg; i++) {
		const struct wq_page *p = k->pg[i].p;

		for (j = 0; j < 3; j++) {
			src = wq_sidecar(a->work, "ocr", p->doc, p->page, ocr[j].ext);
			dst = wq_xasprintf("%s/%s.%s", ocr[j].dir, p->page, ocr[j].to);
			if (pkg_put(dir, pkg_add_file(k, dst, ocr[j].use, ocr[j].mime, p->page),
			    src, NULL, 0, err, errlen) == -1) {
				free(src);
				free(dst);
				return -1;
			}
			free(src);
			free(dst);
		}
		if (access_jpeg(a, dir, k, &k->pg[i], err, errlen) == -1)
			return -1;
	}
	if (wq_stage_enabled(&a->profile, "pdf")) {
		src = wq_doc_sidecar(a->work, "pdf", k->doc, "pdf");
		dst = wq_xasprintf("access/%s.pdf", k->doc);
		r = pkg_put(dir, pkg_add_file(k, dst, "ACCESS", "application/pdf", NULL), src,
		    NULL, 0, err, errlen);
		free(src);
		free(dst);
		if (r == -1)
			return -1;
	}
	if (report_pages(a, dir, k, err, errlen) == -1)
		return -1;
	add_event(a, k, batch, "ingest", "ingestion", "source validated, "
	    "technical metadata and SHA-256 recorded, lossless page image");
	add_event(a, k, batch, "deskew", "normalization", "page turned upright, "
	    "skew removed");
	add_event(a, k, batch, "clean", "normalization", "background flattened, "
	    "binarised, speckle and scanner border removed");
	add_event(a, k, batch, "ocr", "creation", "text, hOCR and ALTO");
	add_event(a, k, batch, "pdf", "creation", "searchable PDF");
	add_event(a, k, batch, "report", "validation", "quality figures of the pages");
	return 0;
}

static int
make_bag(const struct wq_args *a, const char *doc, const struct wq_page **v,
    size_t n, json_t *meta, char *err, size_t errlen)
{
	struct pkg   k;
	char        *bags = wq_xasprintf("%s/bags", a->work);
	char        *path = wq_xasprintf("%s/%s", bags, doc), *tmp = wq_tmpname(path);
	char        *bpath = wq_xasprintf("%s/batch.json", a->work);
	json_t      *batch = wq_json_read(bpath), *ms = json_array();
	const char  *fmt = wq_set_text(&a->profile, "bag_archive");
	xmlBufferPtr xb = xmlBufferCreate();
	char        *data = wq_xasprintf("%s/data", tmp), day[16];
	time_t       now = time(NULL), midnight = now - now % 86400;
	size_t       i;
	int          r = -1;

	memset(&k, 0, sizeof(k));
	k.doc = doc;
	k.title = doc_name(a->work, doc);
	k.npg = n;
	k.pg = wq_xmalloc(n * sizeof(*k.pg));
	memset(k.pg, 0, n * sizeof(*k.pg));
	for (i = 0; i < n; i++)
		k.pg[i].p = v[i];
	iso_date(now, 1, day, sizeof(day));
	for (i = 0; i < 3 && strcmp(fmt, archive_ext[i]) != 0; i++)
		;
	if (i == 3 && strcmp(fmt, "none") != 0) {
		snprintf(err, errlen, "bag_archive: '%s' is not none, tar, tar.zst "
		    "or zip", fmt);
		goto done;
	}
	if (!wq_stage_enabled(&a->profile, "ocr")) {
		snprintf(err, errlen, "the package stage needs the ocr stage");
		goto done;
	}
	clear_stale(bags, doc);
	if (wq_mkdirs(tmp) == -1) {
		snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		goto done;
	}
	if (payload(a, data, &k, batch, err, errlen) == -1)
		goto done;
	languages(a, &k);
	if (iiif_on(a, NULL) && iiif_manifest(a, data, &k, err, errlen) == -1)
		goto done;
	/* the package's own event: the masters checked against ingest */
	k.ev = wq_xrealloc(k.ev, (k.nev + 1) * sizeof(*k.ev));
	memset(&k.ev[k.nev], 0, sizeof(*k.ev));
	k.ev[k.nev].stage = "package";
	k.ev[k.nev].type = "fixity check";
	k.ev[k.nev].date = wq_xstrdup(day);	/* the day: see the top */
	k.ev[k.nev].tool = wq_xstrdup("warraq-package");
	k.ev[k.nev].version = wq_xstrdup(WQ_VERSION);
	{
		char *set = settings_of(NULL, &a->profile, "package");

		k.ev[k.nev].detail = wq_xasprintf("warraq-package %s: every master's "
		    "SHA-256 compared with the one ingest recorded; settings: %s",
		    WQ_VERSION, set);
		free(set);
	}
	k.ev[k.nev].note = tool_note(batch, "package");
	k.ev[k.nev].outcome = wq_xstrdup("pass");
	k.nev++;
	if (mets_write(&k, xb) == -1) {
		snprintf(err, errlen, "cannot write mets.xml (libxml2)");
		goto done;
	}
	if (pkg_put(data, pkg_add_file(&k, "mets.xml", "METS", "application/xml", NULL),
	    NULL, xmlBufferContent(xb), (size_t)xmlBufferLength(xb), err,
	    errlen) == -1)
		goto done;
	qsort(k.f, k.nf, sizeof(*k.f), pathcmp);
	if (tag_files(a, tmp, &k, day, meta, err, errlen) == -1 ||
	    checked(tmp, err, errlen) == -1)
		goto done;
	if (replace_dir(tmp, path) == -1) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path,
		    strerror(errno));
		goto done;
	}
	if (publish(a, path, &k, err, errlen) == -1)
		goto done;
	for (i = 0; i < 3; i++) {	/* an archive of other settings goes */
		char *old = wq_xasprintf("%s/%s.%s", bags, doc, archive_ext[i]);

		if (strcmp(fmt, archive_ext[i]) != 0)
			wq_remove(old);
		free(old);
	}
	if (strcmp(fmt, "none") != 0 &&
	    serialise(bags, doc, fmt, midnight, meta, err, errlen) == -1)
		goto done;
	for (i = 0; i < k.nf; i++)
		if (strcmp(k.f[i].use, "MASTER") == 0)
			json_array_append_new(ms, json_pack("{s:s, s:s, s:I, s:s, s:s}",
			    "file", k.f[i].path, "original_name", k.f[i].orig,
			    "bytes", (json_int_t)k.f[i].size, "sha256", k.f[i].sha256,
			    "sha512", k.f[i].sha512));
	json_object_set_new(meta, "bag", json_sprintf("bags/%s", doc));
	json_object_set_new(meta, "files", json_integer((json_int_t)k.nf));
	json_object_set_new(meta, "masters", ms);
	ms = NULL;
	json_object_set_new(meta, "bagging_date", json_string(day));
	json_object_set_new(meta, "checked", json_string("valid (bagit.c, as "
	    "warraq-verify)"));
	r = 0;
done:
	if (r != 0)
		wq_rm_rf(tmp);
	json_decref(ms);
	json_decref(batch);
	xmlBufferFree(xb);
	free_pkg(&k);
	free(bags);
	free(path);
	free(tmp);
	free(data);
	free(bpath);
	return r;
}

/*
 * main: --archive FMT is the setting bag_archive, given as an option
 * because it is asked of one run more often than of a collection.
 */
int
main(int argc, char **argv)
{
	char **av = wq_xmalloc(((size_t)argc + 2) * sizeof(char *));
	char **set = wq_xmalloc(((size_t)argc + 1) * sizeof(char *));
	int    i, k = 0, n = 0, r;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--archive") == 0 && i + 1 < argc) {
			av[k++] = "-o";
			av[k++] = set[n++] = wq_xasprintf("bag_archive=%s", argv[++i]);
		} else if (strncmp(argv[i], "--archive=", 10) == 0) {
			av[k++] = "-o";
			av[k++] = set[n++] = wq_xasprintf("bag_archive=%s", argv[i] + 10);
		} else
			av[k++] = argv[i];
	}
	av[k] = NULL;
	setMsgSeverity(L_SEVERITY_NONE);
	r = wq_doc_main("package", k, av, NULL, make_bag);
	xmlCleanupParser();
	while (n-- > 0)
		free(set[n]);
	free(set);
	free(av);
	return r;
}

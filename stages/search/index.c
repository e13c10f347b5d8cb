/*
 * index.c - warraq-search index: the OCR text of bags and work
 * directories into the index.
 *
 *   index_main()   every source named on the command line
 *   index_bag()    a BagIt bag of warraq-package: data/alto/PAGE.xml
 *   index_work()   a work directory: every page done in ocr
 *   index_doc()    one document, its earlier pages replaced, in one
 *                  transaction
 *   page_text()    a page's text as the index keeps it, and its boxes
 *
 * A document is known by its DOC id (a bag's External-Identifier), so
 * that indexing it again, from its bag or its work directory, replaces it
 * rather than adding it twice.  A page whose ALTO cannot be read is said
 * and left out; its document and the other sources go on (exit 1).
 */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"

#define WORD_BYTES	1024	/* of one word's text, at most */

/* a page of a document to index */
struct unit {
	char *page;
	char *alto;
	char *image;		/* absolute path of a JPEG of it, or NULL */
	char *canvas;		/* its IIIF canvas (warraq-package's manifest), or NULL */
};

struct indexer {
	sqlite3      *db;
	const char   *path;
	sqlite3_stmt *doc_add, *del_text, *del_pages, *page_add, *text_add;
	size_t        docs, pages;
	int           quiet;
};

/* a page as the index keeps it */
struct ptext {
	char          *body;	/* words joined by ' ', lines by '\n' */
	size_t         len, cap;
	unsigned char *boxes;	/* BOX_BYTES a word, in the body's order */
	size_t         nbox, bcap;
};

static void
append(struct ptext *pt, const char *s, size_t n)
{
	if (pt->len + n + 1 > pt->cap) {
		pt->cap = (pt->len + n + 1) * 2;
		pt->body = wq_xrealloc(pt->body, pt->cap);
	}
	memcpy(pt->body + pt->len, s, n);
	pt->len += n;
	pt->body[pt->len] = '\0';
}

static void
put32(unsigned char *p, int v)
{
	unsigned u = v < 0 ? 0 : (unsigned)v;

	p[0] = u & 0xff, p[1] = (u >> 8) & 0xff;
	p[2] = (u >> 16) & 0xff, p[3] = u >> 24;
}

static void
add_box(struct ptext *pt, const struct wq_word *w)
{
	unsigned char *b;

	if ((pt->nbox + 1) * BOX_BYTES > pt->bcap) {
		pt->bcap = (pt->nbox + 1) * BOX_BYTES * 2;
		pt->boxes = wq_xrealloc(pt->boxes, pt->bcap);
	}
	b = pt->boxes + pt->nbox++ * BOX_BYTES;
	put32(b, w->x);
	put32(b + 4, w->y);
	put32(b + 8, w->w);
	put32(b + 12, w->h);
	b[16] = w->conf < 0 ? 255 : (unsigned char)(w->conf + 0.5);
}

/*
 * page_text: the words of t into pt, which the caller zeroes and frees:
 * each word's text made valid UTF-8 without control characters, bounded,
 * its own white space (ALTO allows it) turned into no-break spaces, so
 * that the nth word of the body is the nth box; empty words and lines
 * are left out.
 */
static void
page_text(const struct wq_alto *t, struct ptext *pt)
{
	size_t i, j, k, n;
	int    line_open;

	for (i = 0; i < t->nl; i++) {
		line_open = 0;
		for (j = 0; j < t->l[i].nw; j++) {
			const struct wq_word *w = &t->l[i].w[j];
			char *s = wq_text_clean(w->text, strlen(w->text),
			    WORD_BYTES, &n);

			if (n > 0) {
				if (pt->len > 0)
					append(pt, line_open ? " " : "\n", 1);
				for (k = 0; k < n; k++)
					if (s[k] == ' ' || s[k] == '\t' ||
					    s[k] == '\n')
						append(pt, "\u00a0", 2);
					else
						append(pt, s + k, 1);
				add_box(pt, w);
				line_open = 1;
			}
			free(s);
		}
	}
	if (pt->body == NULL)
		append(pt, "", 0);
}

static int
rollback(struct indexer *ix)
{
	db_exec(ix->db, ix->path, "ROLLBACK");
	return -1;
}

/* step: runs st to its end, then resets it; *id (may be NULL) gets the
 * first column of its first row */
static int
step(struct indexer *ix, sqlite3_stmt *st, sqlite3_int64 *id)
{
	int r;

	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		if (id != NULL) {
			*id = sqlite3_column_int64(st, 0);
			id = NULL;
		}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r == SQLITE_DONE ? 0 : db_fail(ix->db, ix->path);
}

/*
 * index_doc: the n pages u of document doc (found at source) into the
 * index, in place of what it held of doc; 0, or -1 when a page could not
 * be read (the others are indexed), when none could, or when the index
 * could not be written (in both last cases the index keeps what it had).
 */
static int
index_doc(struct indexer *ix, const char *doc, const char *source,
    const struct unit *u, size_t n)
{
	sqlite3_int64 id = 0;
	size_t        i, done = 0;
	char          err[PATH_MAX + 64];
	int           nbad = 0, r;

	if (db_exec(ix->db, ix->path, "BEGIN IMMEDIATE") == -1)
		return -1;
	sqlite3_bind_text(ix->doc_add, 1, doc, -1, SQLITE_STATIC);
	sqlite3_bind_text(ix->doc_add, 2, source, -1, SQLITE_STATIC);
	if (step(ix, ix->doc_add, &id) == -1)
		return rollback(ix);
	sqlite3_bind_int64(ix->del_text, 1, id);
	sqlite3_bind_int64(ix->del_pages, 1, id);
	if (step(ix, ix->del_text, NULL) == -1 ||
	    step(ix, ix->del_pages, NULL) == -1)
		return rollback(ix);
	for (i = 0; i < n; i++) {
		struct wq_alto t;
		struct ptext   pt = { 0 };

		if (wq_alto_read(u[i].alto, &t, err, sizeof(err)) == -1) {
			wq_warnx(u[i].alto, "%s: page left out of the index",
			    err);
			wq_alto_free(&t);
			nbad++;
			continue;
		}
		page_text(&t, &pt);
		sqlite3_bind_int64(ix->page_add, 1, id);
		sqlite3_bind_text(ix->page_add, 2, u[i].page, -1, SQLITE_STATIC);
		sqlite3_bind_text(ix->page_add, 3, u[i].image, -1, SQLITE_STATIC);
		sqlite3_bind_int(ix->page_add, 4, t.width);
		sqlite3_bind_int(ix->page_add, 5, t.height);
		sqlite3_bind_blob(ix->page_add, 6, pt.boxes ? (void *)pt.boxes :
		    "", (int)(pt.nbox * BOX_BYTES), SQLITE_STATIC);
		sqlite3_bind_text(ix->page_add, 7, u[i].canvas, -1, SQLITE_STATIC);
		wq_alto_free(&t);
		r = step(ix, ix->page_add, NULL);
		if (r == 0) {
			sqlite3_bind_int64(ix->text_add, 1,
			    sqlite3_last_insert_rowid(ix->db));
			sqlite3_bind_text(ix->text_add, 2, pt.body, (int)pt.len,
			    SQLITE_STATIC);
			r = step(ix, ix->text_add, NULL);
		}
		free(pt.body);
		free(pt.boxes);
		if (r == -1)
			return rollback(ix);
		done++;
	}
	if (done == 0) {	/* keep what an earlier run indexed of it */
		wq_warnx(source, "%s: no page could be read: not indexed", doc);
		return rollback(ix);
	}
	if (db_exec(ix->db, ix->path, "COMMIT") == -1)
		return rollback(ix);
	ix->docs++;
	ix->pages += done;
	if (!ix->quiet)
		printf("%s: %s: %zu page%s indexed\n", source, doc, done,
		    done == 1 ? "" : "s");
	return nbad > 0 ? -1 : 0;
}

static void
units_free(struct unit *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(u[i].page);
		free(u[i].alto);
		free(u[i].image);
		free(u[i].canvas);
	}
	free(u);
}

/* image: the absolute path of path (freed) when it exists, else NULL */
static char *
image(char *path)
{
	char *r = realpath(path, NULL);

	free(path);
	return r;
}

/*
 * canvases: each page's canvas from the IIIF manifest at path (freed),
 * when there is one: the canvas whose id ends in "canvas/PAGE", as
 * iiif.c names them.  A manifest that cannot be read leaves them NULL.
 */
static void
canvases(char *path, struct unit *u, size_t n)
{
	json_t *m = wq_json_read(path), *c;
	size_t  i, j;

	free(path);
	json_array_foreach(json_object_get(m, "items"), j, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		size_t      len = id ? strlen(id) : 0;

		for (i = 0; id != NULL && i < n; i++) {
			size_t pl = strlen(u[i].page);

			if (u[i].canvas == NULL && len > pl + 7 &&
			    strcmp(id + len - pl, u[i].page) == 0 &&
			    strncmp(id + len - pl - 7, "canvas/", 7) == 0)
				u[i].canvas = wq_xstrdup(id);
		}
	}
	json_decref(m);
}

/* bag_doc: the bag's External-Identifier, else its folder's name (bag:
 * an absolute path) */
static char *
bag_doc(const char *bag)
{
	char *path = wq_xasprintf("%s/bag-info.txt", bag), *info, *s, *e;
	char *doc = NULL;

	info = wq_read_file(path, 1 << 20, NULL);
	free(path);
	for (s = info; s != NULL && *s != '\0'; s = e + (*e != '\0')) {
		e = s + strcspn(s, "\r\n");
		if (strncmp(s, "External-Identifier:", 20) == 0) {
			s += 20 + strspn(s + 20, " \t");
			doc = wq_text_clean(s, (size_t)(e - s), WQ_DOCID_MAX * 4,
			    NULL);
			break;
		}
	}
	free(info);
	if (doc != NULL && *doc != '\0')
		return doc;
	free(doc);
	return wq_xstrdup(strrchr(bag, '/') + 1);
}

static int
is_alto_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	    strcmp(d->d_name + n - 4, ".xml") == 0;
}

/* index_bag: data/alto/PAGE.xml, with data/access/PAGE.jpg (bag: an
 * absolute path) */
static int
index_bag(struct indexer *ix, const char *bag)
{
	char           *dir = wq_xasprintf("%s/data/alto", bag), *doc;
	struct dirent **names;
	struct unit    *u;
	int             n, i, r;

	if ((n = scandir(dir, &names, is_alto_name, alphasort)) <= 0) {
		if (n == 0)
			free(names);
		wq_warnx(dir, "no ALTO pages: not a bag of warraq-package, "
		    "not indexed");
		free(dir);
		return -1;
	}
	u = wq_xmalloc(((size_t)n + 1) * sizeof(*u));
	for (i = 0; i < n; i++) {
		u[i].page = wq_xstrdup(names[i]->d_name);
		u[i].page[strlen(u[i].page) - 4] = '\0';
		u[i].alto = wq_xasprintf("%s/%s", dir, names[i]->d_name);
		u[i].image = image(wq_xasprintf("%s/data/access/%s.jpg", bag,
		    u[i].page));
		u[i].canvas = NULL;
		free(names[i]);
	}
	free(names);
	canvases(wq_xasprintf("%s/data/iiif/manifest.json", bag), u, (size_t)n);
	doc = bag_doc(bag);
	r = index_doc(ix, doc, bag, u, (size_t)n);
	free(doc);
	units_free(u, (size_t)n);
	free(dir);
	return r;
}

/* index_work: each document's pages done in ocr, with an image of each
 * from its bag or the report when there is one (work: an absolute path) */
static int
index_work(struct indexer *ix, const char *work)
{
	struct wq_pages       pp = { 0 };
	const struct wq_page **v;
	struct unit          *u;
	size_t                i, j, n, nu;
	int                   r = 0;

	if (wq_pages_load(work, &pp) == -1)
		return -1;
	for (i = 0; i < pp.n; i++) {
		const char *doc = pp.v[i].doc;

		for (j = 0; j < i && strcmp(pp.v[j].doc, doc) != 0; j++)
			;
		if (j < i)		/* done with its first page */
			continue;
		v = wq_doc_pages(&pp, doc, &n);
		u = wq_xmalloc((n + 1) * sizeof(*u));
		for (j = nu = 0; j < n; j++) {
			if (wq_page_state(work, "ocr", v[j], NULL) != WQ_DONE)
				continue;
			u[nu].page = wq_xstrdup(v[j]->page);
			u[nu].alto = wq_sidecar(work, "ocr", doc, v[j]->page,
			    "alto.xml");
			u[nu].image = image(wq_xasprintf("%s/bags/%s/data/"
			    "access/%s.jpg", work, doc, v[j]->page));
			if (u[nu].image == NULL)
				u[nu].image = image(wq_xasprintf("%s/report/img/"
				    "%s/%s.jpg", work, doc, v[j]->page));
			u[nu].canvas = NULL;
			nu++;
		}
		canvases(wq_xasprintf("%s/iiif/%s/manifest.json", work, doc), u, nu);
		if (nu > 0 && index_doc(ix, doc, work, u, nu) == -1)
			r = -1;
		units_free(u, nu);
		free(v);
	}
	wq_pages_free(&pp);
	return r;
}

static int
has(const char *dir, const char *name)
{
	char *p = wq_xasprintf("%s/%s", dir, name);
	int   r = wq_exists(p);

	free(p);
	return r;
}

static int
prepare(struct indexer *ix, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(ix->db, sql, -1, st, NULL) == SQLITE_OK)
		return 0;
	wq_warnx(ix->path, "%s", sqlite3_errmsg(ix->db));
	return -1;
}

static void
index_usage(FILE *f)
{
	fprintf(f, "usage: %s index [-q] INDEX.db BAG_OR_WORK_DIR ...\n",
	    wq_getprogname());
}

int
index_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help",  no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct indexer ix = { 0 };
	char          *src;
	int            c, i, status = 0;

	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1)
		switch (c) {
		case 'q':
			ix.quiet = 1;
			break;
		case 'h':
			index_usage(stdout);
			printf("\nAdds the OCR text of every page of each bag "
			    "(data/alto) or work directory\n(WORK/ocr) to the "
			    "index, made when missing.  A document indexed "
			    "again\nreplaces its pages.  Exit status: 0 all "
			    "indexed, 1 some input could not be\nread, 2 usage "
			    "error, 3 no space left.\n");
			return 0;
		default:
			index_usage(stderr);
			return 2;
		}
	if (argc - optind < 2) {
		index_usage(stderr);
		return 2;
	}
	ix.path = argv[optind];
	if ((ix.db = db_open(ix.path, 1)) == NULL)
		return 1;
	if (prepare(&ix, &ix.doc_add, "INSERT INTO docs(doc, source) "
	    "VALUES(?1, ?2) ON CONFLICT(doc) DO UPDATE SET source = "
	    "excluded.source RETURNING id") == -1 ||
	    prepare(&ix, &ix.del_text, "DELETE FROM text WHERE rowid IN "
	    "(SELECT id FROM pages WHERE doc = ?1)") == -1 ||
	    prepare(&ix, &ix.del_pages, "DELETE FROM pages WHERE doc = ?1") == -1 ||
	    prepare(&ix, &ix.page_add, "INSERT INTO pages(doc, page, image, "
	    "width, height, boxes, canvas) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)") == -1 ||
	    prepare(&ix, &ix.text_add, "INSERT INTO text(rowid, body) "
	    "VALUES(?1, ?2)") == -1) {
		sqlite3_close(ix.db);
		return 1;
	}
	for (i = optind + 1; i < argc; i++) {
		if ((src = realpath(argv[i], NULL)) == NULL) {
			wq_warn(argv[i], "cannot index");
			status = 1;
			continue;
		}
		if (has(src, "bagit.txt")) {
			if (index_bag(&ix, src) == -1)
				status = 1;
		} else if (has(src, "pages.tsv")) {
			if (index_work(&ix, src) == -1)
				status = 1;
		} else {
			wq_warnx(argv[i], "neither a bag (bagit.txt) nor a work "
			    "directory (pages.tsv): not indexed");
			status = 1;
		}
		free(src);
	}
	if (!ix.quiet)
		printf("%s: %zu document%s, %zu page%s indexed\n", ix.path,
		    ix.docs, ix.docs == 1 ? "" : "s", ix.pages,
		    ix.pages == 1 ? "" : "s");
	sqlite3_finalize(ix.doc_add);
	sqlite3_finalize(ix.del_text);
	sqlite3_finalize(ix.del_pages);
	sqlite3_finalize(ix.page_add);
	sqlite3_finalize(ix.text_add);
	sqlite3_close(ix.db);
	return status;
}

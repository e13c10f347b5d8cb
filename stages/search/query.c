/*
 * query.c - warraq-search search: the pages where words occur, best
 * first, each hit on its line, with its words' boxes and confidence.
 *
 *   search_main()   the command line; each query through run_query()
 *   match_expr()    what was typed as an FTS5 query
 *   run_query()     the matching pages, as JSON (the one form the three
 *                   outputs are made from)
 *   page_hits()     a page's marked text into its lines with hits
 *   print_text(), print_html()   for people; --json prints the JSON
 *
 * A query is words, "quoted phrases" and prefixes (word*); a page matches
 * when it has them all.  Each becomes an FTS5 string, so that what OCR
 * text and people type (l'église, 1850-1860, OR) is a word to find, never
 * query syntax.  Phrases match across line breaks: a page is one text.
 * FTS5's highlight() finds the hits in the faithful text (the tokenizer
 * gives it the offsets), and the nth word of the text is the nth box.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search.h"

#define MARK_ON		'\x01'	/* highlight() marks: not in any text */
#define MARK_OFF	'\x02'	/* (control characters are cleaned out) */
#define QUERY_MAX	4096	/* bytes of one query */

/* %s: the canvas column, or NULL in an index made before it */
static const char select_sql[] =
    "SELECT d.doc, p.page, d.source, p.image, p.width, p.height, p.boxes,"
    " highlight(text, 0, char(1), char(2)), bm25(text), %s"
    " FROM text JOIN pages p ON p.id = text.rowid"
    " JOIN docs d ON d.id = p.doc"
    " WHERE text MATCH ?1 ORDER BY rank LIMIT ?2";

static int
count_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
	(void)tok, (void)len, (void)start, (void)end;
	++*(size_t *)ctx;
	return 0;
}

/* term: one word or phrase as an FTS5 string, when it has a token */
static void
term(char **out, size_t *len, const char *s, size_t n, int prefix)
{
	size_t ntok = 0, i;
	char  *t;

	tokenize(s, n, count_token, &ntok);
	if (ntok == 0)
		return;
	*out = wq_xrealloc(*out, *len + 2 * n + 5);
	t = *out + *len;
	if (*len > 0)
		*t++ = ' ';
	*t++ = '"';
	for (i = 0; i < n; i++)
		if (s[i] != '"')
			*t++ = s[i];
	*t++ = '"';
	if (prefix)
		*t++ = '*';
	*t = '\0';
	*len = (size_t)(t - *out);
}

/*
 * match_expr: the FTS5 query for what was typed (q): every word and
 * "phrase" a string, word* and "phrase"* prefixes; NULL when nothing in
 * q is a word.
 */
static char *
match_expr(const char *q)
{
	char       *out = NULL;
	size_t      len = 0, n;
	const char *e;

	while (*q != '\0') {
		q += strspn(q, " \t\r\n");
		if (*q == '"') {
			q++;
			e = q + strcspn(q, "\"");
			term(&out, &len, q, (size_t)(e - q), e[0] == '"' &&
			    e[1] == '*');
			q = *e == '"' ? e + 1 : e;
			q += strspn(q, "*");
		} else if (*q != '\0') {
			n = strcspn(q, " \t\r\n\"");
			e = q + n;
			while (n > 0 && q[n - 1] == '*')
				n--;
			term(&out, &len, q, n, n < (size_t)(e - q));
			q = e;
		}
	}
	return out;
}

static unsigned
get32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (unsigned)p[3] << 24;
}

/* a line of a page being cut out of highlight()'s text */
struct hitline {
	char   *text;
	size_t  len, cap;
	json_t *spans, *words;
	double  conf;
	size_t  nconf;
};

static void
line_add(struct hitline *l, char c)
{
	if (l->len + 2 > l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->text = wq_xrealloc(l->text, l->cap);
	}
	l->text[l->len++] = c;
	l->text[l->len] = '\0';
}

/* word_json: the word of the line from byte start, its box and confidence */
static json_t *
word_json(struct hitline *l, size_t start, const void *boxes, size_t nbox,
    size_t wi)
{
	const unsigned char *b = (const unsigned char *)boxes + wi * BOX_BYTES;
	json_t *w = json_object();

	json_object_set_new(w, "text", json_stringn(l->text + start,
	    l->len - start));
	if (wi >= nbox)		/* not from index.c: no box to show */
		return w;
	json_object_set_new(w, "box", json_pack("[IIII]", (json_int_t)get32(b),
	    (json_int_t)get32(b + 4), (json_int_t)get32(b + 8),
	    (json_int_t)get32(b + 12)));
	json_object_set_new(w, "confidence", b[16] == 255 ? json_null() :
	    json_integer(b[16]));
	if (b[16] != 255) {
		l->conf += b[16];
		l->nconf++;
	}
	return w;
}

/*
 * hit_box: the box around the boxes of a line's words hit, as "box"
 * [x, y, w, h] in the page's pixels, which are its IIIF canvas's; and
 * with the canvas known, "target", the canvas with that box as a media
 * fragment (what a IIIF Content Search answer points at).
 */
static void
hit_box(json_t *o, json_t *words, const char *canvas)
{
	json_t *w, *b;
	size_t  i;
	long    x0 = 0, y0 = 0, x1 = 0, y1 = 0;
	int     any = 0;

	json_array_foreach(words, i, w) {
		long x, y, bw, bh;

		if ((b = json_object_get(w, "box")) == NULL)
			continue;
		x = (long)json_integer_value(json_array_get(b, 0));
		y = (long)json_integer_value(json_array_get(b, 1));
		bw = (long)json_integer_value(json_array_get(b, 2));
		bh = (long)json_integer_value(json_array_get(b, 3));
		if (!any || x < x0)
			x0 = x;
		if (!any || y < y0)
			y0 = y;
		if (!any || x + bw > x1)
			x1 = x + bw;
		if (!any || y + bh > y1)
			y1 = y + bh;
		any = 1;
	}
	if (!any)
		return;
	json_object_set_new(o, "box", json_pack("[IIII]", (json_int_t)x0,
	    (json_int_t)y0, (json_int_t)(x1 - x0), (json_int_t)(y1 - y0)));
	if (canvas != NULL)
		json_object_set_new(o, "target", json_sprintf("%s#xywh=%ld,%ld,%ld,%ld",
		    canvas, x0, y0, x1 - x0, y1 - y0));
}

/*
 * page_hits: the lines of the marked text m (words ' ', lines '\n', hits
 * between MARK_ON and MARK_OFF) that have a hit, as JSON: their number
 * (from 1), text, hit spans (byte offsets in the text), words hit with
 * boxes, the box around them and, on a page with a IIIF canvas, their
 * target on it; *conf gets the mean confidence of the words hit
 * (negative: none known).
 */
static json_t *
page_hits(const char *m, const void *boxes, size_t nbox, const char *canvas,
    double *conf)
{
	json_t        *lines = json_array();
	struct hitline l = { 0 };
	size_t         lineno = 1, wi = 0, wstart = 0, sstart = 0, nconf = 0;
	double         sum = 0;
	int            on = 0, hit = 0;

	for (;; m++) {
		if (l.spans == NULL) {
			l.spans = json_array();
			l.words = json_array();
			if (on)		/* a hit goes on from the line before */
				sstart = 0, hit = 1;
		}
		if (*m == MARK_ON) {
			on = hit = 1;
			sstart = l.len;
			continue;
		}
		if (*m == MARK_OFF || (on && (*m == '\n' || *m == '\0'))) {
			json_array_append_new(l.spans, json_pack("[II]",
			    (json_int_t)sstart, (json_int_t)l.len));
			if (*m == MARK_OFF) {
				on = 0;
				continue;
			}
		}
		if (*m == ' ' || *m == '\n' || *m == '\0') {
			if (hit)
				json_array_append_new(l.words, word_json(&l,
				    wstart, boxes, nbox, wi));
			hit = on;
			wi++;
		}
		if (*m == '\n' || *m == '\0') {
			if (json_array_size(l.words) > 0) {
				json_t *o = json_object();

				json_object_set_new(o, "line", json_integer(
				    (json_int_t)lineno));
				json_object_set_new(o, "text", json_stringn(
				    l.text ? l.text : "", l.len));
				json_object_set_new(o, "spans", l.spans);
				json_object_set_new(o, "words", l.words);
				hit_box(o, l.words, canvas);
				json_object_set_new(o, "confidence", l.nconf ?
				    json_real(l.conf / (double)l.nconf) :
				    json_null());
				json_array_append_new(lines, o);
				sum += l.conf, nconf += l.nconf;
			} else {
				json_decref(l.spans);
				json_decref(l.words);
			}
			free(l.text);
			memset(&l, 0, sizeof(l));
			if (*m == '\0')
				break;
			lineno++;
			wstart = 0;
			continue;
		}
		if (*m == ' ')
			wstart = l.len + 1;
		line_add(&l, *m);
	}
	*conf = nconf > 0 ? sum / (double)nconf : -1;
	return lines;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * run_query: the pages of st's index that match q, best first, at most
 * limit, as {"query", "match", "pages": [...], "ms"}; NULL, said, on an
 * error of the index.
 */
static json_t *
run_query(sqlite3 *db, const char *path, sqlite3_stmt *st, const char *q,
    long limit)
{
	double  t0 = now_ms(), conf;
	char   *expr = match_expr(q);
	json_t *res = json_object(), *pages = json_array();
	int     r = SQLITE_DONE;

	json_object_set_new(res, "query", wq_json_text(q, QUERY_MAX));
	json_object_set_new(res, "match", expr ? json_string(expr) : json_null());
	sqlite3_bind_text(st, 1, expr ? expr : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit);
	while (expr != NULL && (r = sqlite3_step(st)) == SQLITE_ROW) {
		json_t     *pg = json_object(), *lines;
		const char *image = (const char *)sqlite3_column_text(st, 3);

		const char *canvas = (const char *)sqlite3_column_text(st, 9);

		lines = page_hits((const char *)sqlite3_column_text(st, 7),
		    sqlite3_column_blob(st, 6),
		    (size_t)sqlite3_column_bytes(st, 6) / BOX_BYTES, canvas, &conf);
		json_object_set_new(pg, "doc", json_string((const char *)
		    sqlite3_column_text(st, 0)));
		json_object_set_new(pg, "page", json_string((const char *)
		    sqlite3_column_text(st, 1)));
		json_object_set_new(pg, "source", json_string((const char *)
		    sqlite3_column_text(st, 2)));
		json_object_set_new(pg, "image", image ? json_string(image) :
		    json_null());
		json_object_set_new(pg, "width", json_integer(
		    sqlite3_column_int(st, 4)));
		json_object_set_new(pg, "height", json_integer(
		    sqlite3_column_int(st, 5)));
		json_object_set_new(pg, "canvas", canvas ? json_string(canvas) :
		    json_null());
		/* bm25() is better the more negative */
		json_object_set_new(pg, "score", json_real(
		    -sqlite3_column_double(st, 8)));
		json_object_set_new(pg, "confidence", conf >= 0 ?
		    json_real(conf) : json_null());
		json_object_set_new(pg, "lines", lines);
		json_array_append_new(pages, pg);
	}
	sqlite3_reset(st);
	free(expr);
	json_object_set_new(res, "pages", pages);
	json_object_set_new(res, "ms", json_real(now_ms() - t0));
	if (r != SQLITE_DONE) {
		db_fail(db, path);
		json_decref(res);
		return NULL;
	}
	return res;
}

/* print_marked: text with its spans between open and close, through put */
static void
print_marked(FILE *f, json_t *line, const char *open, const char *close,
    void (*put)(FILE *, const char *, size_t))
{
	const char *t = json_string_value(json_object_get(line, "text"));
	json_t     *span;
	size_t      i, at = 0, a, b;

	json_array_foreach(json_object_get(line, "spans"), i, span) {
		a = (size_t)json_integer_value(json_array_get(span, 0));
		b = (size_t)json_integer_value(json_array_get(span, 1));
		put(f, t + at, a - at);
		fputs(open, f);
		put(f, t + a, b - a);
		fputs(close, f);
		at = b;
	}
	put(f, t + at, strlen(t + at));
}

static void
put_plain(FILE *f, const char *s, size_t n)
{
	fwrite(s, 1, n, f);
}

static void
print_conf(FILE *f, json_t *c)
{
	if (json_is_number(c))
		fprintf(f, "%.0f", json_number_value(c));
	else
		fputs("unknown", f);
}

/* print_text: a page a paragraph, each line with its hits [marked] */
static void
print_text(FILE *f, json_t *res)
{
	json_t *pg, *line, *w;
	size_t  i, j, k;

	json_array_foreach(json_object_get(res, "pages"), i, pg) {
		fprintf(f, "%s page %s  confidence ",
		    json_string_value(json_object_get(pg, "doc")),
		    json_string_value(json_object_get(pg, "page")));
		print_conf(f, json_object_get(pg, "confidence"));
		fprintf(f, "  %s\n", json_string_value(json_object_get(pg,
		    "source")));
		json_array_foreach(json_object_get(pg, "lines"), j, line) {
			fprintf(f, "  line %lld: ", json_integer_value(
			    json_object_get(line, "line")));
			print_marked(f, line, "[", "]", put_plain);
			fputs("\n    boxes (x,y,w,h):", f);
			json_array_foreach(json_object_get(line, "words"), k, w) {
				json_t *b = json_object_get(w, "box");

				if (b != NULL)
					fprintf(f, " %lld,%lld,%lld,%lld",
					    json_integer_value(json_array_get(b, 0)),
					    json_integer_value(json_array_get(b, 1)),
					    json_integer_value(json_array_get(b, 2)),
					    json_integer_value(json_array_get(b, 3)));
			}
			fputs("  confidence ", f);
			print_conf(f, json_object_get(line, "confidence"));
			fputc('\n', f);
		}
	}
	fprintf(f, "%zu page%s for: %s\n", json_array_size(json_object_get(res,
	    "pages")), json_array_size(json_object_get(res, "pages")) == 1 ?
	    "" : "s", json_string_value(json_object_get(res, "query")));
}

/* put_html: n bytes of text, escaped for HTML text and attributes */
static void
put_html(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		switch (s[i]) {
		case '&':  fputs("&amp;", f); break;
		case '<':  fputs("&lt;", f); break;
		case '>':  fputs("&gt;", f); break;
		case '"':  fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:   fputc(s[i], f);
		}
}

static void
put_html_str(FILE *f, const char *s)
{
	put_html(f, s, strlen(s));
}

/* put_uri: an absolute path as a file: URI, its bytes %-encoded but for
 * the unreserved ones and '/' */
static void
put_uri(FILE *f, const char *path)
{
	const unsigned char *p = (const unsigned char *)path;

	fputs("file://", f);
	for (; *p != '\0'; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p) != NULL)
			fputc(*p, f);
		else
			fprintf(f, "%%%02X", *p);
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"und\">\n<head>\n<meta charset=\"utf-8\"/>\n"
    "<title>warraq search</title>\n<style>\n"
    "body{font-family:sans-serif;margin:1em 2em}\n"
    "section{margin:1em 0 2em;border-top:1px solid #ccc}\n"
    "svg{max-width:100%;height:auto;background:#f4f4f4}\n"
    "rect.hit{fill:rgba(255,200,0,.25);stroke:#d40;stroke-width:.3%}\n"
    "mark{background:#fd4}\n"
    "</style>\n</head>\n<body>\n";

/* print_html: each page with its hits boxed on the page image, its lines
 * below with the hits marked; every text from the index escaped */
static void
print_html(FILE *f, json_t *res)
{
	json_t     *pg, *line, *w, *b;
	const char *image;
	size_t      i, j, k;

	fputs("<h1>", f);
	put_html_str(f, json_string_value(json_object_get(res, "query")));
	fprintf(f, "</h1>\n<p>%zu page(s)</p>\n", json_array_size(
	    json_object_get(res, "pages")));
	json_array_foreach(json_object_get(res, "pages"), i, pg) {
		json_int_t pw = json_integer_value(json_object_get(pg, "width"));
		json_int_t ph = json_integer_value(json_object_get(pg, "height"));

		fputs("<section>\n<h2>", f);
		put_html_str(f, json_string_value(json_object_get(pg, "doc")));
		fputs(" — page ", f);
		put_html_str(f, json_string_value(json_object_get(pg, "page")));
		fputs("</h2>\n", f);
		fprintf(f, "<svg viewBox=\"0 0 %lld %lld\" width=\"%lld\" "
		    "role=\"img\">\n", pw, ph, pw);
		if ((image = json_string_value(json_object_get(pg, "image")))) {
			fprintf(f, "<image width=\"%lld\" height=\"%lld\" "
			    "preserveAspectRatio=\"none\" href=\"", pw, ph);
			put_uri(f, image);
			fputs("\"/>\n", f);
		}
		json_array_foreach(json_object_get(pg, "lines"), j, line)
			json_array_foreach(json_object_get(line, "words"), k, w)
				if ((b = json_object_get(w, "box")) != NULL) {
					fprintf(f, "<rect class=\"hit\" x=\"%lld\" "
					    "y=\"%lld\" width=\"%lld\" height="
					    "\"%lld\"><title>",
					    json_integer_value(json_array_get(b, 0)),
					    json_integer_value(json_array_get(b, 1)),
					    json_integer_value(json_array_get(b, 2)),
					    json_integer_value(json_array_get(b, 3)));
					put_html_str(f, json_string_value(
					    json_object_get(w, "text")));
					fputs("</title></rect>\n", f);
				}
		fputs("</svg>\n<ol>\n", f);
		json_array_foreach(json_object_get(pg, "lines"), j, line) {
			fprintf(f, "<li value=\"%lld\" dir=\"auto\">",
			    json_integer_value(json_object_get(line, "line")));
			print_marked(f, line, "<mark>", "</mark>", put_html);
			fputs("</li>\n", f);
		}
		fputs("</ol>\n</section>\n", f);
	}
}

enum output { OUT_TEXT, OUT_JSON, OUT_HTML };

/* search_one: q through run_query() and out; -1 on an index error */
static int
search_one(sqlite3 *db, const char *path, sqlite3_stmt *st, const char *q,
    long limit, enum output out)
{
	json_t *res = run_query(db, path, st, q, limit);

	if (res == NULL)
		return -1;
	if (json_object_get(res, "match") == json_null())
		wq_warnx(path, "nothing to search for in '%s'", q);
	if (out == OUT_JSON) {
		json_dumpf(res, stdout, JSON_COMPACT);
		putchar('\n');
	} else if (out == OUT_HTML)
		print_html(stdout, res);
	else
		print_text(stdout, res);
	json_decref(res);
	return 0;
}

/* search_file: every line of path a query; -1 when one failed */
static int
search_file(sqlite3 *db, const char *dbpath, sqlite3_stmt *st,
    const char *path, long limit, enum output out)
{
	FILE   *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char   *line = NULL;
	size_t  cap = 0;
	ssize_t n;
	int     r = 0;

	if (f == NULL) {
		wq_warn(path, "cannot read the queries");
		return -1;
	}
	while (r == 0 && (n = getline(&line, &cap, f)) != -1) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '\0')
			r = search_one(db, dbpath, st, line, limit, out);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return r;
}

static void
search_usage(FILE *f)
{
	fprintf(f, "usage: %s search [-n PAGES] [--json | --html] INDEX.db "
	    "QUERY ...\n       %s search [-n PAGES] [--json | --html] -f "
	    "QUERIES INDEX.db\n", wq_getprogname(), wq_getprogname());
}

int
search_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "limit",   required_argument, NULL, 'n' },
		{ "queries", required_argument, NULL, 'f' },
		{ "json",    no_argument,       NULL, 'j' },
		{ "html",    no_argument,       NULL, 'H' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum output   out = OUT_TEXT;
	const char   *file = NULL, *path;
	char         *q = NULL, *end;
	long          limit = 20;
	sqlite3      *db;
	sqlite3_stmt *st = NULL;
	size_t        len = 0, n;
	int           c, i, r = 0;

	while ((c = getopt_long(argc, argv, "n:f:h", longopts, NULL)) != -1)
		switch (c) {
		case 'n':
			limit = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || limit < 1 ||
			    limit > 100000)
				wq_errx(2, optarg, "-n takes a number of pages "
				    "from 1 to 100000");
			break;
		case 'f':	file = optarg; break;
		case 'j':	out = OUT_JSON; break;
		case 'H':	out = OUT_HTML; break;
		case 'h':
			search_usage(stdout);
			printf("\nThe pages where every word of QUERY occurs, "
			    "best first (BM25), at most\nPAGES (20): "
			    "document, page, each line with a hit [marked], "
			    "the boxes of\nthe words hit on the page image "
			    "(pixels), their mean OCR confidence.\nWords, "
			    "\"a phrase\", prefix*.  Arabic and Latin are "
			    "folded alike in the index\nand the query "
			    "(doc/stages.md, Search).\n  -n, --limit PAGES\n"
			    "  -f, --queries FILE  one query a line (- for "
			    "stdin)\n  --json              one JSON object a "
			    "query, with its time in ms\n  --html              "
			    "an HTML page: each hit boxed on its page image\n"
			    "Exit status: 0 searched (found or not), 1 the "
			    "index could not be read, 2 usage.\n");
			return 0;
		default:
			search_usage(stderr);
			return 2;
		}
	if (optind >= argc || (file == NULL) == (argc - optind < 2)) {
		search_usage(stderr);
		return 2;
	}
	path = argv[optind];
	for (i = optind + 1; i < argc; i++) {	/* the words, as one query */
		n = strlen(argv[i]);
		q = wq_xrealloc(q, len + n + 2);
		memcpy(q + len, argv[i], n + 1);
		len += n;
		if (i + 1 < argc)
			q[len++] = ' ';
	}
	if ((db = db_open(path, 0)) == NULL) {
		free(q);
		return 1;
	}
	{
		char *sql = wq_xasprintf(select_sql, db_has_canvas(db) ?
		    "p.canvas" : "NULL");

		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			r = db_fail(db, path);
		free(sql);
	}
	if (r == 0 && out == OUT_HTML)
		fputs(html_head, stdout);
	if (r == 0)
		r = file ? search_file(db, path, st, file, limit, out) :
		    search_one(db, path, st, q, limit, out);
	if (r == 0 && out == OUT_HTML)
		fputs("</body>\n</html>\n", stdout);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(q);
	return r == 0 ? 0 : 1;
}

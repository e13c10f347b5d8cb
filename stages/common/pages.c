/*
 * pages.c - WORK/pages.tsv, the list of every page in the batch.
 *
 *   wq_pages_load()    read pages.tsv (absent: an empty list)
 *   wq_pages_save()    write it atomically
 *   wq_pages_add()     append an empty row, owned by the list
 *   wq_pages_find()    the row of DOC/PAGE, or NULL
 *   wq_source_in()     does a source lie in a given entry of SCANS_DIR
 *   wq_pages_free()    free every row
 *   wq_tsv_escape()    a field with \\, \t, \n and \r escaped
 *   wq_tsv_unescape()  the reverse
 *
 * One row a page: doc, page, source, index, sha256, status, part (the
 * whole image, or the left or right page of a spread).  A header
 * line names the columns so that the file reads well in a spreadsheet.
 * Source paths are escaped: a scanner may put anything in a file name.
 * A work directory begun before spreads were split has no part column
 * (PAGES_HEADER_6): its rows are whole images, and it is read as such,
 * so that an upgrade mid-batch resumes the batch.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wq.h"

#define PAGES_HEADER "doc\tpage\tsource\tindex\tsha256\tstatus\tpart\n"
#define PAGES_HEADER_6 "doc\tpage\tsource\tindex\tsha256\tstatus\n"
#define PAGES_MAX    (256u << 20)

char *
wq_tsv_escape(const char *s)
{
	char  *o = wq_xmalloc(2 * strlen(s) + 1), *p = o;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\': *p++ = '\\'; *p++ = '\\'; break;
		case '\t': *p++ = '\\'; *p++ = 't'; break;
		case '\n': *p++ = '\\'; *p++ = 'n'; break;
		case '\r': *p++ = '\\'; *p++ = 'r'; break;
		default:   *p++ = *s;
		}
	}
	*p = '\0';
	return o;
}

/* wq_tsv_unescape: NULL when s holds an unknown or dangling escape. */
char *
wq_tsv_unescape(const char *s)
{
	char *o = wq_xmalloc(strlen(s) + 1), *p = o;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			*p++ = *s;
			continue;
		}
		switch (*++s) {
		case '\\': *p++ = '\\'; break;
		case 't':  *p++ = '\t'; break;
		case 'n':  *p++ = '\n'; break;
		case 'r':  *p++ = '\r'; break;
		default:   free(o); return NULL;
		}
	}
	*p = '\0';
	return o;
}

struct wq_page *
wq_pages_add(struct wq_pages *pp)
{
	struct wq_page *p;

	if (pp->n == pp->cap) {
		pp->cap = pp->cap ? 2 * pp->cap : 64;
		pp->v = wq_xrealloc(pp->v, pp->cap * sizeof(*pp->v));
	}
	p = &pp->v[pp->n++];
	memset(p, 0, sizeof(*p));
	return p;
}

static void
page_free(struct wq_page *p)
{
	free(p->doc);
	free(p->page);
	free(p->source);
	free(p->status);
	free(p->part);
}

/*
 * parse_row: splits line (modified in place) into a row of ncol fields
 * (7, or 6 without the part, which is then "full"); -1 if malformed.
 */
static int
parse_row(char *line, int ncol, struct wq_page *p)
{
	char *f[7], *end;
	int   i;
	unsigned long idx;

	f[6] = "full";
	for (i = 0; i < ncol; i++) {
		f[i] = line;
		line = strchr(line, '\t');
		if (line == NULL) {
			if (i != ncol - 1)
				return -1;
			break;
		}
		if (i == ncol - 1)
			return -1;
		*line++ = '\0';
	}
	if (strcmp(f[6], "full") != 0 && strcmp(f[6], "left") != 0 &&
	    strcmp(f[6], "right") != 0)
		return -1;
	if (!wq_docid_valid(f[0]) || !wq_pageid_valid(f[1]) ||
	    strlen(f[4]) != 64 || strspn(f[4], "0123456789abcdef") != 64)
		return -1;
	errno = 0;
	idx = strtoul(f[3], &end, 10);
	if (*f[3] == '\0' || *end != '\0' || errno != 0 || idx > 1000000)
		return -1;
	p->source = wq_tsv_unescape(f[2]);
	p->status = wq_tsv_unescape(f[5]);
	if (p->source == NULL || p->status == NULL || *p->status == '\0')
		return -1;
	p->doc = wq_xstrdup(f[0]);
	p->page = wq_xstrdup(f[1]);
	p->part = wq_xstrdup(f[6]);
	p->index = (unsigned)idx;
	memcpy(p->sha256, f[4], 65);
	return 0;
}

/*
 * wq_pages_load: pp must be zeroed.  -1 with errno EINVAL when a row is
 * malformed (the list is then freed): a damaged pages.tsv must stop a
 * stage, not make it skip pages in silence.
 */
int
wq_pages_load(const char *work, struct wq_pages *pp)
{
	char  *path = wq_xasprintf("%s/pages.tsv", work);
	char  *buf, *line, *next;
	size_t len;
	int    ncol = 7;

	buf = wq_read_file(path, PAGES_MAX, &len);
	free(path);
	if (buf == NULL)
		return errno == ENOENT ? 0 : -1;
	if (strlen(buf) != len)
		goto bad;
	line = buf;
	if (strncmp(line, PAGES_HEADER, strlen(PAGES_HEADER)) == 0) {
		line += strlen(PAGES_HEADER);
	} else if (strncmp(line, PAGES_HEADER_6, strlen(PAGES_HEADER_6)) == 0) {
		line += strlen(PAGES_HEADER_6);
		ncol = 6;
	}
	for (; *line != '\0'; line = next) {
		struct wq_page *p;

		next = strchr(line, '\n');
		if (next == NULL)
			goto bad;	/* a last line without newline was cut short */
		*next++ = '\0';
		p = wq_pages_add(pp);
		if (parse_row(line, ncol, p) == -1) {
			page_free(p);
			pp->n--;
			goto bad;
		}
	}
	free(buf);
	return 0;
bad:
	free(buf);
	wq_pages_free(pp);
	errno = EINVAL;
	return -1;
}

int
wq_pages_save(const char *work, const struct wq_pages *pp)
{
	char  *path = wq_xasprintf("%s/pages.tsv", work);
	char  *buf = NULL;
	size_t len = 0;
	FILE  *f = open_memstream(&buf, &len);
	size_t i;
	int    r;

	if (f == NULL)
		abort();
	fputs(PAGES_HEADER, f);
	for (i = 0; i < pp->n; i++) {
		const struct wq_page *p = &pp->v[i];
		char *src = wq_tsv_escape(p->source);
		char *st = wq_tsv_escape(p->status);

		fprintf(f, "%s\t%s\t%s\t%u\t%s\t%s\t%s\n", p->doc, p->page, src,
		    p->index, p->sha256, st, p->part ? p->part : "full");
		free(src);
		free(st);
	}
	fclose(f);
	r = wq_write_atomic(path, buf, len);
	free(buf);
	free(path);
	return r;
}

struct wq_page *
wq_pages_find(const struct wq_pages *pp, const char *doc, const char *page)
{
	size_t i;

	for (i = 0; i < pp->n; i++)
		if (strcmp(pp->v[i].doc, doc) == 0 &&
		    strcmp(pp->v[i].page, page) == 0)
			return &pp->v[i];
	return NULL;
}

/*
 * wq_source_in: 1 when source (a pages.tsv path, which ingest makes from
 * the resolved SCANS_DIR) is the entry name of scans or a file in it.
 */
int
wq_source_in(const char *scans, const char *name, const char *source)
{
	size_t n = strlen(scans), m = strlen(name);

	return strncmp(source, scans, n) == 0 && source[n] == '/' &&
	    strncmp(source + n + 1, name, m) == 0 &&
	    (source[n + 1 + m] == '\0' || source[n + 1 + m] == '/');
}

void
wq_pages_free(struct wq_pages *pp)
{
	size_t i;

	for (i = 0; i < pp->n; i++)
		page_free(&pp->v[i]);
	free(pp->v);
	memset(pp, 0, sizeof(*pp));
}

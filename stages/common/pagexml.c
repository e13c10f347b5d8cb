/*
 * pagexml.c - a page's layout: regions, lines, scripts and reading order,
 * as PAGE-XML 2019 holds them.
 *
 *   wq_layout_add()        a new region at the end of a layout
 *   wq_region_add_line()   a new line at the end of a region
 *   wq_layout_write()      a layout as a PAGE-XML 2019 file (atomic)
 *   wq_layout_read()       a PAGE-XML file back: text regions in reading
 *                          order, then the others; who corrected it
 *   wq_layout_free()
 *
 * PAGE-XML is the layout format of OCR-D, eScriptorium and Transkribus,
 * so a layout warraq-layout found can be corrected in those tools, and one
 * they made can be given to warraq.  Boxes are kept as rectangles: a
 * region's or line's Coords polygon is read as its bounding box.  A file
 * is taken as corrected by a person when its Metadata holds a
 * MetadataItem named "correction" (what warraq's own tools write) or
 * when another program created it (its Creator does not start with
 * "warraq"): warraq-layout keeps such a file on re-runs.
 *
 * Reading is strict and bounded, since the file may come from elsewhere:
 * no network, no entities, coordinates clamped to the page, at most
 * REGIONS_MAX regions and LINES_MAX lines.  XML is written through
 * libxml2's xmlTextWriter, which escapes what it is given.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "wq.h"

#define PAGE_NS	"http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
#define REGIONS_MAX	10000
#define LINES_MAX	100000
#define COORD_MAX	1000000

static const char *const kind_elem[] = {
	[WQ_R_TEXT] = "TextRegion", [WQ_R_IMAGE] = "ImageRegion",
	[WQ_R_GRAPHIC] = "GraphicRegion", [WQ_R_SEPARATOR] = "SeparatorRegion",
	[WQ_R_NOISE] = "NoiseRegion", [WQ_R_UNREAD] = "UnknownRegion",
};

/* wq_layout_add: a zeroed region of kind k at the end of L (owned by L). */
struct wq_region *
wq_layout_add(struct wq_layout *L, enum wq_rkind k)
{
	struct wq_region *r;

	if (L->nr == L->cap) {
		L->cap = L->cap ? 2 * L->cap : 16;
		L->r = wq_xrealloc(L->r, L->cap * sizeof(*L->r));
	}
	r = &L->r[L->nr++];
	memset(r, 0, sizeof(*r));
	r->kind = k;
	return r;
}

/* wq_region_add_line: a zeroed line at the end of r (owned by r). */
struct wq_tline *
wq_region_add_line(struct wq_region *r)
{
	struct wq_tline *l;

	if (r->nl == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 8;
		r->l = wq_xrealloc(r->l, r->cap * sizeof(*r->l));
	}
	l = &r->l[r->nl++];
	memset(l, 0, sizeof(*l));
	l->base[0] = -1;
	return l;
}

void
wq_layout_free(struct wq_layout *L)
{
	size_t i;

	for (i = 0; i < L->nr; i++) {
		free(L->r[i].l);
		free(L->r[i].type);
		free(L->r[i].reason);
		free(L->r[i].origin);
	}
	free(L->r);
	free(L->image);
	free(L->corrected);
	memset(L, 0, sizeof(*L));
}

/* ---- writing ---- */

static void
wattr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *t = wq_text_clean(value, strlen(value), 4096, NULL);

	xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST t);
	free(t);
}

static void
coords(xmlTextWriterPtr w, const char *elem, const struct wq_box *b)
{
	char pts[128];

	snprintf(pts, sizeof(pts), "%d,%d %d,%d %d,%d %d,%d", b->x0, b->y0,
	    b->x1, b->y0, b->x1, b->y1, b->x0, b->y1);
	xmlTextWriterStartElement(w, BAD_CAST elem);
	wattr(w, "points", pts);
	xmlTextWriterEndElement(w);
}

static const char *
script_attr(enum wq_script s)
{
	return s == WQ_SCRIPT_ARABIC ? "Arab - Arabic" : s == WQ_SCRIPT_LATIN ?
	    "Latn - Latin" : NULL;
}

static void
script_attrs(xmlTextWriterPtr w, enum wq_script s)
{
	if (script_attr(s) == NULL)
		return;
	wattr(w, "primaryScript", script_attr(s));
	wattr(w, "readingDirection", s == WQ_SCRIPT_ARABIC ? "right-to-left" :
	    "left-to-right");
}

static void
region(xmlTextWriterPtr w, const struct wq_region *r, size_t ri)
{
	char   id[64];
	size_t j;

	xmlTextWriterStartElement(w, BAD_CAST kind_elem[r->kind]);
	snprintf(id, sizeof(id), "r%zu", ri + 1);
	wattr(w, "id", id);
	if (r->origin != NULL)
		wattr(w, "custom", r->origin);
	if (r->reason != NULL)
		wattr(w, "comments", r->reason);
	if (r->type != NULL)
		wattr(w, "type", r->type);
	if (r->kind == WQ_R_TEXT)
		script_attrs(w, r->script);
	coords(w, "Coords", &r->b);
	for (j = 0; r->kind == WQ_R_TEXT && j < r->nl; j++) {
		const struct wq_tline *l = &r->l[j];

		xmlTextWriterStartElement(w, BAD_CAST "TextLine");
		snprintf(id, sizeof(id), "r%zu_l%zu", ri + 1, j + 1);
		wattr(w, "id", id);
		if (l->recovered || l->cut)
			wattr(w, "custom", l->recovered ? "warraq {origin:recovered;}" :
			    "warraq {origin:cut;}");
		script_attrs(w, l->script);
		coords(w, "Coords", &l->b);
		if (l->base[0] >= 0) {
			char pts[64];

			snprintf(pts, sizeof(pts), "%d,%d %d,%d", l->base[0],
			    l->base[1], l->base[2], l->base[3]);
			xmlTextWriterStartElement(w, BAD_CAST "Baseline");
			wattr(w, "points", pts);
			xmlTextWriterEndElement(w);
		}
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
}

/*
 * wq_layout_write: L as PAGE-XML at path, written to a temporary name and
 * renamed.  creator names the program; when (seconds since the epoch) is
 * written as Created and LastChange, so that a page made again from the
 * same image is the same file.  Text regions are listed in the reading
 * order in the order L holds them.
 */
int
wq_layout_write(const char *path, const struct wq_layout *L,
    const char *creator, time_t when, char *err, size_t errlen)
{
	xmlBufferPtr     b = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(b, 0);
	char             date[32], id[32];
	struct tm        tm;
	size_t           i, k;
	int              r;

	gmtime_r(&when, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "PcGts");
	wattr(w, "xmlns", PAGE_NS);
	wattr(w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	wattr(w, "xsi:schemaLocation", PAGE_NS " " PAGE_NS "/pagecontent.xsd");
	xmlTextWriterStartElement(w, BAD_CAST "Metadata");
	xmlTextWriterWriteElement(w, BAD_CAST "Creator", BAD_CAST creator);
	xmlTextWriterWriteElement(w, BAD_CAST "Created", BAD_CAST date);
	xmlTextWriterWriteElement(w, BAD_CAST "LastChange", BAD_CAST date);
	if (L->corrected != NULL) {
		xmlTextWriterStartElement(w, BAD_CAST "MetadataItem");
		wattr(w, "type", "processingStep");
		wattr(w, "name", "correction");
		wattr(w, "value", L->corrected);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "Page");
	wattr(w, "imageFilename", L->image != NULL ? L->image : "");
	snprintf(id, sizeof(id), "%d", L->width);
	wattr(w, "imageWidth", id);
	snprintf(id, sizeof(id), "%d", L->height);
	wattr(w, "imageHeight", id);
	for (i = k = 0; i < L->nr; i++)
		k += L->r[i].kind == WQ_R_TEXT;
	if (k > 0) {
		xmlTextWriterStartElement(w, BAD_CAST "ReadingOrder");
		xmlTextWriterStartElement(w, BAD_CAST "OrderedGroup");
		wattr(w, "id", "ro");
		wattr(w, "caption", "reading order");
		for (i = k = 0; i < L->nr; i++) {
			if (L->r[i].kind != WQ_R_TEXT)
				continue;
			xmlTextWriterStartElement(w, BAD_CAST "RegionRefIndexed");
			snprintf(id, sizeof(id), "%zu", k++);
			wattr(w, "index", id);
			snprintf(id, sizeof(id), "r%zu", i + 1);
			wattr(w, "regionRef", id);
			xmlTextWriterEndElement(w);
		}
		xmlTextWriterEndElement(w);
		xmlTextWriterEndElement(w);
	}
	for (i = 0; i < L->nr; i++)
		region(w, &L->r[i], i);
	xmlTextWriterEndElement(w);	/* Page */
	xmlTextWriterEndElement(w);	/* PcGts */
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	r = wq_write_atomic(path, xmlBufferContent(b), (size_t)xmlBufferLength(b));
	if (r == -1)
		snprintf(err, errlen, "cannot write %s", path);
	xmlBufferFree(b);
	return r;
}

/* ---- reading ---- */

static int
is(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

static char *
prop(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char    *s = v != NULL ? wq_xstrdup((char *)v) : NULL;

	xmlFree(v);
	return s;
}

static xmlNode *
child(xmlNode *n, const char *name)
{
	for (n = n != NULL ? n->children : NULL; n != NULL; n = n->next)
		if (is(n, name))
			return n;
	return NULL;
}

static int
clamp(long v, int max)
{
	return v < 0 ? 0 : v > max ? max : (int)v;
}

/*
 * points_box: the bounding box of a points="x,y x,y ..." list, clamped to
 * the page; -1 when it holds no point or is not such a list.
 */
static int
points_box(const char *s, int w, int h, struct wq_box *b)
{
	long   x, y;
	char  *e;
	size_t n = 0;

	b->x0 = b->y0 = COORD_MAX;
	b->x1 = b->y1 = 0;
	while (s != NULL && *s != '\0') {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (*s == '\0')
			break;
		x = strtol(s, &e, 10);
		if (e == s || *e != ',')
			return -1;
		s = e + 1;
		y = strtol(s, &e, 10);
		if (e == s)
			return -1;
		s = e;
		x = clamp(x, w), y = clamp(y, h);
		if (x < b->x0) b->x0 = (int)x;
		if (y < b->y0) b->y0 = (int)y;
		if (x > b->x1) b->x1 = (int)x;
		if (y > b->y1) b->y1 = (int)y;
		n++;
	}
	return n > 0 ? 0 : -1;
}

/* coords_of: the box of n's Coords child; -1 if it has none that reads. */
static int
coords_of(xmlNode *n, const struct wq_layout *L, struct wq_box *b)
{
	xmlNode *c = child(n, "Coords");
	char    *p = c != NULL ? prop(c, "points") : NULL;
	int      r = points_box(p, L->width, L->height, b);

	free(p);
	return r;
}

static enum wq_script
script_of(xmlNode *n, enum wq_script def)
{
	char          *s = prop(n, "primaryScript");
	enum wq_script r = def;

	if (s != NULL && strncmp(s, "Arab", 4) == 0)
		r = WQ_SCRIPT_ARABIC;
	else if (s != NULL && strncmp(s, "Latn", 4) == 0)
		r = WQ_SCRIPT_LATIN;
	free(s);
	return r;
}

struct reader {
	struct wq_layout *L;
	size_t            nlines;
	char            **ids;	/* of L->r[i] */
	char              err[200];
};

/* text_region: a TextRegion and its lines (nested regions are flattened). */
static int
read_region(struct reader *rd, xmlNode *n, enum wq_rkind k)
{
	struct wq_region *r;
	xmlNode          *c;
	char             *id = prop(n, "id");

	if (rd->L->nr >= REGIONS_MAX) {
		free(id);
		snprintf(rd->err, sizeof(rd->err), "more than %d regions",
		    REGIONS_MAX);
		return -1;
	}
	r = wq_layout_add(rd->L, k);
	rd->ids = wq_xrealloc(rd->ids, rd->L->cap * sizeof(*rd->ids));
	rd->ids[rd->L->nr - 1] = id;
	r->type = prop(n, "type");
	r->reason = prop(n, "comments");
	r->origin = prop(n, "custom");
	r->script = k == WQ_R_TEXT ? script_of(n, WQ_SCRIPT_NONE) :
	    WQ_SCRIPT_NONE;
	if (coords_of(n, rd->L, &r->b) == -1) {
		snprintf(rd->err, sizeof(rd->err), "region %.40s has no "
		    "readable Coords", id != NULL ? id : "without id");
		return -1;
	}
	for (c = n->children; k == WQ_R_TEXT && c != NULL; c = c->next) {
		struct wq_tline *l;
		xmlNode         *bl;

		if (!is(c, "TextLine"))
			continue;
		if (++rd->nlines > LINES_MAX) {
			snprintf(rd->err, sizeof(rd->err), "more than %d lines",
			    LINES_MAX);
			return -1;
		}
		r = &rd->L->r[rd->L->nr - 1];
		l = wq_region_add_line(r);
		l->script = script_of(c, r->script);
		{
			char *cu = prop(c, "custom");

			l->recovered = cu != NULL && strstr(cu, "recovered") != NULL;
			l->cut = cu != NULL && strstr(cu, "origin:cut") != NULL;
			free(cu);
		}
		if (coords_of(c, rd->L, &l->b) == -1) {
			snprintf(rd->err, sizeof(rd->err), "a line of region "
			    "%.40s has no readable Coords", id != NULL ? id : "");
			return -1;
		}
		if ((bl = child(c, "Baseline")) != NULL) {
			char         *p = prop(bl, "points");
			struct wq_box b;

			if (points_box(p, rd->L->width, rd->L->height, &b) == 0) {
				l->base[0] = b.x0, l->base[1] = b.y1;
				l->base[2] = b.x1, l->base[3] = b.y1;
			}
			free(p);
		}
	}
	for (c = n->children; c != NULL; c = c->next)
		if (is(c, "TextRegion") && read_region(rd, c, WQ_R_TEXT) == -1)
			return -1;
	return 0;
}

static enum wq_rkind
kind_of(xmlNode *n)
{
	if (is(n, "TextRegion"))
		return WQ_R_TEXT;
	if (is(n, "ImageRegion"))
		return WQ_R_IMAGE;
	if (is(n, "SeparatorRegion"))
		return WQ_R_SEPARATOR;
	if (is(n, "NoiseRegion"))
		return WQ_R_NOISE;
	if (is(n, "UnknownRegion"))
		return WQ_R_UNREAD;
	return WQ_R_GRAPHIC;	/* graphic, line drawing, table, chart ... */
}

static int
is_region(xmlNode *n)
{
	const char *s = (const char *)n->name;
	size_t      len;

	if (n->type != XML_ELEMENT_NODE)
		return 0;
	len = strlen(s);
	return len > 6 && strcmp(s + len - 6, "Region") == 0;
}

/* ro_index: the position of region id in the reading order, or -1. */
static long
ro_index(xmlNode *ro, const char *id)
{
	xmlNode *c;
	long     k = 0, r = -1;

	for (c = ro != NULL ? ro->children : NULL; c != NULL && r < 0; c = c->next) {
		char *ref, *ix;

		if (!is(c, "RegionRefIndexed") && !is(c, "RegionRef"))
			continue;
		ref = prop(c, "regionRef");
		ix = prop(c, "index");
		if (ref != NULL && strcmp(ref, id) == 0)
			r = ix != NULL ? strtol(ix, NULL, 10) : k;
		k++;
		free(ref);
		free(ix);
	}
	return r;
}

struct ordered {
	long   key;
	size_t at;
};

static int
cmp_ordered(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;

	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->at > y->at) - (x->at < y->at);
}

/*
 * wq_layout_read: the PAGE-XML file at path into L (to be freed with
 * wq_layout_free() in any case): text regions first, in the file's
 * reading order (those it leaves out after, in file order), then the
 * other regions.  L->corrected: who or what corrected it, or NULL.  On
 * failure, err says why.
 */
int
wq_layout_read(const char *path, struct wq_layout *L, char *err, size_t errlen)
{
	xmlDoc          *doc;
	xmlNode         *root, *page, *ro, *c, *meta;
	struct reader    rd = { L, 0, NULL, "" };
	struct ordered  *ord;
	struct wq_region *v;
	char            *s;
	size_t           i;
	int              r = -1;

	memset(L, 0, sizeof(*L));
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
	if (doc == NULL) {
		snprintf(err, errlen, "%s is not well-formed XML", path);
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is(root, "PcGts") ||
	    (page = child(root, "Page")) == NULL) {
		snprintf(err, errlen, "%s is not PAGE-XML (no PcGts/Page)", path);
		goto done;
	}
	s = prop(page, "imageWidth");
	L->width = s != NULL ? clamp(strtol(s, NULL, 10), COORD_MAX) : 0;
	free(s);
	s = prop(page, "imageHeight");
	L->height = s != NULL ? clamp(strtol(s, NULL, 10), COORD_MAX) : 0;
	free(s);
	if (L->width <= 0 || L->height <= 0) {
		snprintf(err, errlen, "%s: Page has no imageWidth and imageHeight",
		    path);
		goto done;
	}
	L->image = prop(page, "imageFilename");
	if ((meta = child(root, "Metadata")) != NULL) {
		xmlNode *cr = child(meta, "Creator");
		xmlChar *t = cr != NULL ? xmlNodeGetContent(cr) : NULL;

		for (c = meta->children; c != NULL; c = c->next) {
			char *name = is(c, "MetadataItem") ? prop(c, "name") : NULL;

			if (name != NULL && strcmp(name, "correction") == 0 &&
			    L->corrected == NULL)
				L->corrected = prop(c, "value");
			free(name);
		}
		if (L->corrected == NULL && t != NULL &&
		    strncmp((char *)t, "warraq", 6) != 0)
			L->corrected = wq_text_clean((char *)t, strlen((char *)t),
			    200, NULL);
		xmlFree(t);
	}
	for (c = page->children; c != NULL; c = c->next)
		if (is_region(c) && read_region(&rd, c, kind_of(c)) == -1) {
			snprintf(err, errlen, "%s: %s", path, rd.err);
			goto done;
		}
	/* text regions in reading order, then the rest */
	ro = child(child(page, "ReadingOrder"), "OrderedGroup");
	ord = wq_xmalloc((L->nr + 1) * sizeof(*ord));
	for (i = 0; i < L->nr; i++) {
		long k = L->r[i].kind != WQ_R_TEXT ? 2L * REGIONS_MAX :
		    rd.ids[i] != NULL ? ro_index(ro, rd.ids[i]) : -1;

		ord[i].key = k < 0 ? REGIONS_MAX : k;
		ord[i].at = i;
	}
	qsort(ord, L->nr, sizeof(*ord), cmp_ordered);
	v = wq_xmalloc((L->nr + 1) * sizeof(*v));
	for (i = 0; i < L->nr; i++)
		v[i] = L->r[ord[i].at];
	memcpy(L->r, v, L->nr * sizeof(*v));
	free(v);
	free(ord);
	r = 0;
done:
	for (i = 0; rd.ids != NULL && i < L->nr; i++)
		free(rd.ids[i]);
	free(rd.ids);
	xmlFreeDoc(doc);
	return r;
}

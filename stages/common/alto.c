/*
 * alto.c - the OCR text of a page as its ALTO file holds it.
 *
 *   wq_alto_read()   every line and word of an ALTO file, with boxes,
 *                    confidences, language and direction
 *   wq_alto_free()
 *
 * One reader for every program that takes the OCR text back (the report,
 * the PDF's text layer, the search index).  ALTO rather than hOCR: it is
 * XML, so libxml2 reads it strictly, and it carries LANG and
 * BASEDIRECTION per line.  It is parsed without network access or entity
 * expansion, and its numbers are bounded, since a bag may come back from
 * elsewhere.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "wq.h"

#define WORDS_MAX	200000	/* words read from one page */
#define COORD_MAX	1000000	/* pixels: far past any page */

static int
attr_int(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	double   d = v ? strtod((char *)v, NULL) : 0;

	xmlFree(v);
	/* ALTO allows float coordinates; NaN fails both tests */
	return d >= 0 ? d <= COORD_MAX ? (int)(d + 0.5) : COORD_MAX : 0;
}

static char *
attr_str(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char    *s = v ? wq_xstrdup((char *)v) : NULL;

	xmlFree(v);
	return s;
}

static int
is(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* add_string: one ALTO String as a word of the last line. */
static void
add_string(struct wq_alto *t, xmlNode *n)
{
	struct wq_line *l = &t->l[t->nl - 1];
	struct wq_word *w;
	char           *wc = attr_str(n, "WC");

	if (t->nwords >= WORDS_MAX) {
		free(wc);
		return;
	}
	l->w = wq_xrealloc(l->w, (l->nw + 1) * sizeof(*l->w));
	w = &l->w[l->nw++];
	w->text = attr_str(n, "CONTENT");
	if (w->text == NULL)
		w->text = wq_xstrdup("");
	w->conf = wc ? 100.0 * strtod(wc, NULL) : -1.0;
	if (w->conf != w->conf)		/* NaN */
		w->conf = -1.0;
	else if (w->conf > 100.0)
		w->conf = 100.0;
	free(wc);
	w->x = attr_int(n, "HPOS");
	w->y = attr_int(n, "VPOS");
	w->w = attr_int(n, "WIDTH");
	w->h = attr_int(n, "HEIGHT");
	t->nwords++;
}

/* walk: Page, TextLine and String elements, in document order. */
static void
walk(struct wq_alto *t, xmlNode *n)
{
	for (; n != NULL; n = n->next) {
		if (is(n, "Page")) {
			t->width = attr_int(n, "WIDTH");
			t->height = attr_int(n, "HEIGHT");
		} else if (is(n, "TextLine")) {
			char           *dir = attr_str(n, "BASEDIRECTION");
			struct wq_line *l;

			t->l = wq_xrealloc(t->l, (t->nl + 1) * sizeof(*t->l));
			l = &t->l[t->nl++];
			memset(l, 0, sizeof(*l));
			l->lang = attr_str(n, "LANG");
			l->rtl = dir != NULL && strcmp(dir, "rtl") == 0;
			free(dir);
		} else if (is(n, "String") && t->nl > 0) {
			add_string(t, n);
			continue;
		}
		walk(t, n->children);
	}
}

/*
 * wq_alto_read: fills t with the lines of the ALTO file at path, in
 * document (reading) order, each with its words (a String without
 * CONTENT is an empty word).  t is filled, and must be freed with
 * wq_alto_free(), even on failure; on failure err says why.
 */
int
wq_alto_read(const char *path, struct wq_alto *t, char *err, size_t errlen)
{
	xmlDoc *doc;

	memset(t, 0, sizeof(*t));
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
	if (doc == NULL) {
		snprintf(err, errlen, "cannot read %s as XML", path);
		return -1;
	}
	walk(t, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	return 0;
}

/* wq_alto_free: frees what wq_alto_read() put in t and empties it. */
void
wq_alto_free(struct wq_alto *t)
{
	size_t i, j;

	for (i = 0; i < t->nl; i++) {
		for (j = 0; j < t->l[i].nw; j++)
			free(t->l[i].w[j].text);
		free(t->l[i].w);
		free(t->l[i].lang);
	}
	free(t->l);
	memset(t, 0, sizeof(*t));
}

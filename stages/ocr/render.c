/*
 * render.c - a recognised page as plain text, hOCR and ALTO 4.4.
 *
 *   render_text()   lines in reading order, blocks apart by a blank line
 *   render_hocr()   hOCR 1.2: ocr_page / ocr_carea / ocr_line (dir="rtl" on
 *                   Arabic lines) / ocrx_word with bbox and x_wconf
 *   render_alto()   ALTO 4.4 with BASEDIRECTION and LANG per line, WC per
 *                   word, sourceImageInformation and Processing
 *   text_script()   the script most letters of a text belong to
 *   script_name()
 *
 * XML goes through libxml2's xmlTextWriter, which escapes whatever OCR
 * text or file name it is given; nothing here builds markup by hand.
 * What XML 1.0 cannot hold at all, escaped or not (control characters,
 * bytes that are not UTF-8: a scan's name may have them), is cleaned out
 * first by wq_text_clean(), in the three writers below.
 * Tesseract 5.3's own ALTO renderer writes ALTO 3 without direction,
 * hence this one.
 */
#include <stdlib.h>
#include <string.h>

#define XML_TEXT_MAX (64u << 10)	/* bytes of one attribute or element */

#include <libxml/xmlwriter.h>

#include "ocr.h"

const char *
script_name(enum script s)
{
	return s == SCRIPT_ARABIC ? "Arabic" : s == SCRIPT_LATIN ? "Latin" : "none";
}

enum script
text_script(const char *utf8)
{
	size_t    n, i, ar = 0, la = 0;
	unsigned *cp = wq_utf8_decode(utf8, strlen(utf8), &n);

	for (i = 0; i < n; i++) {
		enum wq_script s = wq_script_of(cp[i]);

		ar += s == WQ_SCRIPT_ARABIC;
		la += s == WQ_SCRIPT_LATIN;
	}
	free(cp);
	if (ar == 0 && la == 0)
		return SCRIPT_NONE;
	return ar >= la ? SCRIPT_ARABIC : SCRIPT_LATIN;
}

char *
render_text(const struct ocrpage *pg)
{
	char  *buf = NULL;
	size_t len = 0, i, j;
	FILE  *f = open_memstream(&buf, &len);

	if (f == NULL)
		abort();
	for (i = 0; i < pg->nl; i++) {
		const struct line *l = &pg->l[i];

		if (i > 0 && l->block != pg->l[i - 1].block)
			fputc('\n', f);
		for (j = 0; j < l->nw; j++)
			fprintf(f, "%s%s", j ? " " : "", l->w[j].text);
		fputc('\n', f);
	}
	fclose(f);
	return buf;
}

static void attr(xmlTextWriterPtr w, const char *name, const char *value);
static void attrf(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
attrf(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
{
	va_list ap;
	char    buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	attr(w, name, buf);
}

static void
attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *t = wq_text_clean(value, strlen(value), XML_TEXT_MAX, NULL);

	xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST t);
	free(t);
}

static void
text(xmlTextWriterPtr w, const char *s)
{
	char *t = wq_text_clean(s, strlen(s), XML_TEXT_MAX, NULL);

	xmlTextWriterWriteString(w, BAD_CAST t);
	free(t);
}

static void
elem(xmlTextWriterPtr w, const char *name, const char *s)
{
	xmlTextWriterStartElement(w, BAD_CAST name);
	if (s != NULL)
		text(w, s);
	xmlTextWriterEndElement(w);
}

/* finish: the writer's document as a NUL-terminated string (owned). */
static char *
finish(xmlTextWriterPtr w, xmlBufferPtr b)
{
	char *s;

	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	s = wq_xstrdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	return s;
}

static const char *
lang_tag(const struct line *l)
{
	return l->script == SCRIPT_ARABIC ? "ar" : l->script == SCRIPT_LATIN ?
	    (strcmp(l->model, "eng") == 0 ? "en" : "fr") : NULL;
}

char *
render_hocr(const struct ocrpage *pg, const char *page_id)
{
	xmlBufferPtr     b = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(b, 0);
	size_t           i, j;
	int              block = -1, nb = 0;

	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterWriteDTD(w, BAD_CAST "html", BAD_CAST "-//W3C//DTD XHTML 1.0 "
	    "Transitional//EN", BAD_CAST "http://www.w3.org/TR/xhtml1/DTD/"
	    "xhtml1-transitional.dtd", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "html");
	attr(w, "xmlns", "http://www.w3.org/1999/xhtml");
	xmlTextWriterStartElement(w, BAD_CAST "head");
	elem(w, "title", page_id);
	xmlTextWriterStartElement(w, BAD_CAST "meta");
	attr(w, "http-equiv", "Content-Type");
	attr(w, "content", "text/html;charset=utf-8");
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "meta");
	attr(w, "name", "ocr-system");
	attr(w, "content", "warraq " WQ_VERSION " with Tesseract");
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "meta");
	attr(w, "name", "ocr-capabilities");
	attr(w, "content", "ocr_page ocr_carea ocr_line ocrx_word");
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);	/* head */
	xmlTextWriterStartElement(w, BAD_CAST "body");
	xmlTextWriterStartElement(w, BAD_CAST "div");
	attr(w, "class", "ocr_page");
	attr(w, "id", "page_1");
	attrf(w, "title", "image \"%s\"; bbox 0 0 %d %d; ppageno 0; scan_res %d %d",
	    pg->image, pg->width, pg->height, pg->dpi, pg->dpi);
	for (i = 0; i < pg->nl; i++) {
		const struct line *l = &pg->l[i];

		if (l->block != block) {
			if (block != -1)
				xmlTextWriterEndElement(w);
			block = l->block;
			xmlTextWriterStartElement(w, BAD_CAST "div");
			attr(w, "class", "ocr_carea");
			attrf(w, "id", "block_1_%d", ++nb);
		}
		xmlTextWriterStartElement(w, BAD_CAST "span");
		attr(w, "class", "ocr_line");
		attrf(w, "id", "line_1_%zu", i + 1);
		if (l->script == SCRIPT_ARABIC)
			attr(w, "dir", "rtl");
		if (lang_tag(l) != NULL)
			attr(w, "lang", lang_tag(l));
		attrf(w, "title", "bbox %d %d %d %d; x_confs %.0f", l->x0, l->y0,
		    l->x1, l->y1, l->conf);
		for (j = 0; j < l->nw; j++) {
			const struct word *wd = &l->w[j];

			xmlTextWriterStartElement(w, BAD_CAST "span");
			attr(w, "class", "ocrx_word");
			attrf(w, "id", "word_1_%zu_%zu", i + 1, j + 1);
			attrf(w, "title", "bbox %d %d %d %d; x_wconf %.0f", wd->x0,
			    wd->y0, wd->x1, wd->y1, wd->conf);
			text(w, wd->text);
			xmlTextWriterEndElement(w);
		}
		xmlTextWriterEndElement(w);	/* line */
	}
	if (block != -1)
		xmlTextWriterEndElement(w);
	return finish(w, b);
}

static void
box_attrs(xmlTextWriterPtr w, int x0, int y0, int x1, int y1)
{
	attrf(w, "HPOS", "%d", x0);
	attrf(w, "VPOS", "%d", y0);
	attrf(w, "WIDTH", "%d", x1 - x0);
	attrf(w, "HEIGHT", "%d", y1 - y0);
}

/* block_box: the union of the line boxes of one block, from line i on. */
static void
block_box(const struct ocrpage *pg, size_t i, int *b)
{
	size_t k;

	b[0] = pg->l[i].x0, b[1] = pg->l[i].y0, b[2] = pg->l[i].x1, b[3] = pg->l[i].y1;
	for (k = i; k < pg->nl && pg->l[k].block == pg->l[i].block; k++) {
		if (pg->l[k].x0 < b[0]) b[0] = pg->l[k].x0;
		if (pg->l[k].y0 < b[1]) b[1] = pg->l[k].y0;
		if (pg->l[k].x1 > b[2]) b[2] = pg->l[k].x1;
		if (pg->l[k].y1 > b[3]) b[3] = pg->l[k].y1;
	}
}

/*
 * first_role: 1 when line i's role was seen on an earlier line (its
 * structure tag is written once).  Roles are PAGE's type names
 * (letters and "-"), valid in an XML ID.
 */
static int
first_role(const struct ocrpage *pg, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (pg->l[k].role != NULL && strcmp(pg->l[k].role, pg->l[i].role) == 0)
			return 1;
	return 0;
}

char *
render_alto(const struct ocrpage *pg, const char *page_id,
    const struct model *models, size_t nmodels, const char *tessversion)
{
	xmlBufferPtr     b = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(b, 0);
	size_t           i, j, m;
	int              block = -1, nb = 0, bb[4];
	char             buf[1024];

	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "alto");
	attr(w, "xmlns", "http://www.loc.gov/standards/alto/ns-v4#");
	attr(w, "xmlns:xlink", "http://www.w3.org/1999/xlink");
	attr(w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	attr(w, "xsi:schemaLocation", "http://www.loc.gov/standards/alto/ns-v4# "
	    "http://www.loc.gov/alto/v4/alto-4-4.xsd");
	attr(w, "SCHEMAVERSION", "4.4");
	xmlTextWriterStartElement(w, BAD_CAST "Description");
	elem(w, "MeasurementUnit", "pixel");
	xmlTextWriterStartElement(w, BAD_CAST "sourceImageInformation");
	elem(w, "fileName", pg->master);
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "Processing");
	attr(w, "ID", "OCR_1");
	elem(w, "processingCategory", "contentGeneration");
	elem(w, "processingStepDescription", "optical character recognition of "
	    "the cleaned, deskewed page, each line with the model of its script");
	for (m = 0, buf[0] = '\0'; m < nmodels; m++) {
		size_t n = strlen(buf);

		snprintf(buf + n, sizeof(buf) - n, "%smodel %s sha256 %s",
		    m ? "; " : "", models[m].lang, models[m].sha256);
	}
	elem(w, "processingStepSettings", buf);
	xmlTextWriterStartElement(w, BAD_CAST "processingSoftware");
	elem(w, "softwareCreator", "warraq");
	elem(w, "softwareName", "warraq-ocr");
	elem(w, "softwareVersion", WQ_VERSION);
	snprintf(buf, sizeof(buf), "Tesseract %s (LSTM) through its C API",
	    tessversion);
	elem(w, "applicationDescription", buf);
	xmlTextWriterEndElement(w);	/* processingSoftware */
	xmlTextWriterEndElement(w);	/* Processing */
	xmlTextWriterEndElement(w);	/* Description */
	/* the blocks' roles from the layout, as structure tags */
	for (i = 0, m = 0; i < pg->nl; i++) {
		const char *r = pg->l[i].role;

		if (r == NULL || first_role(pg, i))
			continue;
		if (m++ == 0)
			xmlTextWriterStartElement(w, BAD_CAST "Tags");
		xmlTextWriterStartElement(w, BAD_CAST "StructureTag");
		attrf(w, "ID", "role_%s", r);
		attr(w, "TYPE", "structure");
		attr(w, "LABEL", r);
		xmlTextWriterEndElement(w);
	}
	if (m > 0)
		xmlTextWriterEndElement(w);	/* Tags */
	xmlTextWriterStartElement(w, BAD_CAST "Layout");
	xmlTextWriterStartElement(w, BAD_CAST "Page");
	attrf(w, "ID", "%s", page_id);
	attrf(w, "WIDTH", "%d", pg->width);
	attrf(w, "HEIGHT", "%d", pg->height);
	attr(w, "PHYSICAL_IMG_NR", "1");
	attr(w, "PROCESSINGREFS", "OCR_1");
	xmlTextWriterStartElement(w, BAD_CAST "PrintSpace");
	box_attrs(w, 0, 0, pg->width, pg->height);
	for (i = 0; i < pg->nl; i++) {
		const struct line *l = &pg->l[i];

		if (l->block != block) {
			if (block != -1)
				xmlTextWriterEndElement(w);
			block = l->block;
			xmlTextWriterStartElement(w, BAD_CAST "TextBlock");
			attrf(w, "ID", "block_%d", ++nb);
			block_box(pg, i, bb);
			box_attrs(w, bb[0], bb[1], bb[2], bb[3]);
			if (l->role != NULL)
				attrf(w, "TAGREFS", "role_%s", l->role);
		}
		xmlTextWriterStartElement(w, BAD_CAST "TextLine");
		attrf(w, "ID", "line_%zu", i + 1);
		box_attrs(w, l->x0, l->y0, l->x1, l->y1);
		if (lang_tag(l) != NULL)
			attr(w, "LANG", lang_tag(l));
		attr(w, "BASEDIRECTION", l->script == SCRIPT_ARABIC ? "rtl" : "ltr");
		for (j = 0; j < l->nw; j++) {
			const struct word *wd = &l->w[j];

			if (j > 0)
				xmlTextWriterWriteElement(w, BAD_CAST "SP", NULL);
			xmlTextWriterStartElement(w, BAD_CAST "String");
			attrf(w, "ID", "string_%zu_%zu", i + 1, j + 1);
			box_attrs(w, wd->x0, wd->y0, wd->x1, wd->y1);
			attr(w, "CONTENT", wd->text);
			attrf(w, "WC", "%.2f", wd->conf < 0 ? 0 : wd->conf > 100 ?
			    1 : wd->conf / 100.0);
			xmlTextWriterEndElement(w);
		}
		xmlTextWriterEndElement(w);	/* TextLine */
	}
	if (block != -1)
		xmlTextWriterEndElement(w);
	return finish(w, b);
}

/*
 * iiif.c - a document published through IIIF: a Presentation 3.0
 * manifest with the OCR text as annotations, and a static Image API 3.0
 * level 0 tile set per page, in the bag's data/iiif/.
 *
 *   iiif_on()         whether the settings ask for IIIF, and for tiles
 *   iiif_tiles()      a page's info.json, tiles and sizes, from its
 *                     access image (package.c calls it as it makes that
 *                     image)
 *   iiif_manifest()   the document's manifest.json and, per page, an
 *                     AnnotationPage of its lines (annotations/PAGE.json)
 *
 * Addresses.  A bag is published by serving its data/ folder at
 * iiif_base_url/DOC/: the manifest is then BASE/DOC/iiif/manifest.json,
 * a page's image service BASE/DOC/iiif/PAGE (its info.json beside), its
 * ALTO and hOCR BASE/DOC/alto/PAGE.xml and BASE/DOC/hocr/PAGE.hocr, the
 * PDF BASE/DOC/access/DOC.pdf.  Without iiif_base_url every address is
 * relative to data/ ("iiif/manifest.json"): the bag can be moved, and the
 * manifest made again with the address once it is known (IIIF wants
 * absolute http(s) addresses, so a published bag needs the setting).
 * With iiif_tiles = no the pages are painted from their access JPEG, with
 * an image service at iiif_image_base_url/DOC_PAGE when that is set (a
 * collection's own IIIF image server).
 *
 * Tiles.  Static level 0, as static tile generators lay them out: tiles
 * of TILE pixels at scale factors 1, 2, 4, ... up to the first at which
 * the page fits one tile; a tile of region x,y,w,h (full-size pixels) at
 * factor s is REGION/ceil(w/s),ceil(h/s)/0/default.jpg, the canonical
 * Image API 3.0 form; each scale's whole image is full/W,H/0/default.jpg
 * (the "sizes" of info.json), and full/max/0/default.jpg when the page
 * fits one tile at full size.  Scaling is Leptonica's (area mapping when
 * reducing), JPEG at bag_access_quality.
 *
 * Canvases are the size of the page OCR read (ALTO's WIDTH and HEIGHT),
 * so the line boxes of ALTO are the annotations' xywh fragments as they
 * are; the image, smaller, is painted over the whole canvas.  Text comes
 * from ALTO (untrusted: jansson escapes it, wq_json_text() bounds it and
 * makes it valid UTF-8; a line or name with markup characters goes into
 * annotation bodies and metadata values HTML-escaped: safe_text()).  A volume whose lines are mostly right-to-left is
 * viewed right to left, as an Arabic book is bound.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "package.h"

#define TILE		512	/* tile side, pixels */
#define LINE_MAX_BYTES	8192	/* text of one line annotation */

/*
 * iiif_on: 1 when the setting iiif, and key (iiif_tiles; when not NULL),
 * are yes: the one place their defaults are read.
 */
int
iiif_on(const struct wq_args *a, const char *key)
{
	return wq_set_bool(&a->profile, "iiif") &&
	    (key == NULL || wq_set_bool(&a->profile, key));
}

/*
 * under: the address name (new string) under the base address that the
 * setting key holds, one slash between however the base ends; NULL when
 * the setting is not given.
 */
static char *
under(const struct wq_args *a, const char *key, const char *name)
{
	const char *base = wq_set_text(&a->profile, key);
	size_t      n = base != NULL ? strlen(base) : 0;

	if (n == 0)
		return NULL;
	return wq_xasprintf("%.*s/%s", (int)(base[n - 1] == '/' ? n - 1 : n),
	    base, name);
}

/* root: what every address of the document starts with ("" or BASE/DOC/) */
static char *
root(const struct wq_args *a, const char *doc)
{
	char *doc_slash = wq_xasprintf("%s/", doc);
	char *r = under(a, "iiif_base_url", doc_slash);

	free(doc_slash);
	return r != NULL ? r : wq_xstrdup("");
}

/* put_pix: pix as JPEG into data/NAME, a payload file of use TILE. */
static int
put_pix(const char *dir, struct pkg *k, const char *page, const char *name,
    PIX *pix, long quality, char *err, size_t errlen)
{
	l_uint8 *data = NULL;
	size_t   len = 0;
	int      r;

	if (pix == NULL || pixWriteMemJpeg(&data, &len, pix, (l_int32)quality, 0)) {
		snprintf(err, errlen, "cannot make the IIIF image %s", name);
		free(data);
		return -1;
	}
	r = pkg_put(dir, pkg_add_file(k, name, "TILE", "image/jpeg", page), NULL,
	    data, len, err, errlen);
	free(data);
	return r;
}

/* put_json: obj (stolen) as data/NAME, a payload file of the given use. */
static int
put_json(const char *dir, struct pkg *k, const char *page, const char *name,
    const char *use, json_t *obj, char *err, size_t errlen)
{
	char *s = json_dumps(obj, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	int   r;

	json_decref(obj);
	if (s == NULL) {
		snprintf(err, errlen, "cannot write %s (jansson)", name);
		return -1;
	}
	r = pkg_put(dir, pkg_add_file(k, name, use, "application/ld+json", page),
	    NULL, s, strlen(s), err, errlen);
	free(s);
	return r;
}

static int
ceil_div(int a, int b)
{
	return (a + b - 1) / b;
}

/*
 * iiif_tiles: takes the bag's data/ folder, the package being made, the
 * page and its access image (not owned; 8 or 32 bits); writes
 * iiif/PAGE/info.json and the tile set as payload files.  0, or -1 with
 * err set.
 */
int
iiif_tiles(const struct wq_args *a, const char *dir, struct pkg *k,
    const struct wq_page *p, PIX *pix, char *err, size_t errlen)
{
	int     w = pixGetWidth(pix), h = pixGetHeight(pix), s, x, y, r = 0;
	long    quality;
	json_t *sizes = json_array(), *factors = json_array(), *info;
	char   *rt = root(a, k->doc), *name;

	quality = wq_set_long(&a->profile, "bag_access_quality");
	for (s = 1; r == 0; s *= 2) {
		int  lw = ceil_div(w, s), lh = ceil_div(h, s);
		PIX *lv = s == 1 ? pixClone(pix) : pixScaleToSize(pix, lw, lh);

		json_array_append_new(factors, json_integer(s));
		json_array_append_new(sizes, json_pack("{s:i, s:i}", "width", lw,
		    "height", lh));
		name = wq_xasprintf("iiif/%s/full/%d,%d/0/default.jpg", p->page, lw, lh);
		r = put_pix(dir, k, p->page, name, lv, quality, err, errlen);
		free(name);
		if (r == 0 && s == 1 && w <= TILE && h <= TILE) {
			name = wq_xasprintf("iiif/%s/full/max/0/default.jpg", p->page);
			r = put_pix(dir, k, p->page, name, lv, quality, err, errlen);
			free(name);
		}
		for (y = 0; r == 0 && y < h; y += TILE * s)
			for (x = 0; r == 0 && x < w; x += TILE * s) {
				int  rw = L_MIN(TILE * s, w - x), rh = L_MIN(TILE * s, h - y);
				int  tw = ceil_div(rw, s), th = ceil_div(rh, s);
				BOX *b = boxCreate(x / s, y / s, tw, th);
				PIX *t = pixClipRectangle(lv, b, NULL);

				name = wq_xasprintf("iiif/%s/%d,%d,%d,%d/%d,%d/0/default.jpg",
				    p->page, x, y, rw, rh, pixGetWidth(t), pixGetHeight(t));
				r = put_pix(dir, k, p->page, name, t, quality, err, errlen);
				free(name);
				pixDestroy(&t);
				boxDestroy(&b);
			}
		pixDestroy(&lv);
		if (lw <= TILE && lh <= TILE)
			break;
	}
	if (r == 0) {
		/* smallest first, as viewers pick thumbnails from the start */
		json_t *asc = json_array();
		size_t  i;

		for (i = json_array_size(sizes); i-- > 0;)
			json_array_append(asc, json_array_get(sizes, i));
		info = json_object();
		json_object_set_new(info, "@context",
		    json_string("http://iiif.io/api/image/3/context.json"));
		json_object_set_new(info, "id", json_sprintf("%siiif/%s", rt, p->page));
		json_object_set_new(info, "type", json_string("ImageService3"));
		json_object_set_new(info, "protocol", json_string("http://iiif.io/api/image"));
		json_object_set_new(info, "profile", json_string("level0"));
		json_object_set_new(info, "width", json_integer(w));
		json_object_set_new(info, "height", json_integer(h));
		json_object_set_new(info, "sizes", asc);
		json_object_set_new(info, "tiles", json_pack("[{s:i, s:i, s:O}]",
		    "width", TILE, "height", TILE, "scaleFactors", factors));
		name = wq_xasprintf("iiif/%s/info.json", p->page);
		r = put_json(dir, k, p->page, name, "IIIF", info, err, errlen);
		free(name);
	}
	json_decref(sizes);
	json_decref(factors);
	free(rt);
	return r;
}

/* lngstr: a IIIF language map {lang: [s]}, s as plain text (a label) */
static json_t *
lngstr(const char *lang, const char *s)
{
	return json_pack("{s:[o]}", lang, wq_json_text(s, LINE_MAX_BYTES));
}

/*
 * safe_text: s (untrusted) as a value a viewer may render as HTML: as it
 * is when it holds none of < > &, else HTML-escaped inside a <span> (new
 * string; *html set), which the specification reads as HTML (it starts
 * with < and ends with >) and shows as the very text.  Mirador renders
 * annotation bodies and metadata values as HTML whatever they declare:
 * a line or a file name reading <img src=x onerror=...> would act.
 */
static char *
safe_text(const char *s, int *html)
{
	size_t      n = 0;
	const char *p;
	char       *o, *q;

	*html = strpbrk(s, "<>&") != NULL;
	if (!*html)
		return wq_xstrdup(s);
	for (p = s; *p; p++)
		n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 : *p == '"' ||
		    *p == '\'' ? 6 : 1;
	q = o = wq_xmalloc(n + 14);
	q += sprintf(q, "<span>");
	for (p = s; *p; p++)
		q += *p == '&' ? sprintf(q, "&amp;") : *p == '<' ? sprintf(q, "&lt;") :
		    *p == '>' ? sprintf(q, "&gt;") : *p == '"' ? sprintf(q, "&quot;") :
		    *p == '\'' ? sprintf(q, "&#39;") : (*q = *p, 1);
	sprintf(q, "</span>");
	return o;
}

/* pair: a metadata entry, its value made safe_text() */
static json_t *
pair(const char *label, const char *value)
{
	int     html;
	char   *v = safe_text(value, &html);
	json_t *o = json_pack("{s:o, s:o}", "label", lngstr("en", label), "value",
	    lngstr("none", v));

	free(v);
	return o;
}

/* line_text: the words of a line joined by spaces (new string) */
static char *
line_text(const struct wq_line *l)
{
	size_t i, n = 0;
	char  *s, *q;

	for (i = 0; i < l->nw; i++)
		n += strlen(l->w[i].text ? l->w[i].text : "") + 1;
	q = s = wq_xmalloc(n + 1);
	for (i = 0; i < l->nw; i++) {
		const char *t = l->w[i].text ? l->w[i].text : "";

		if (i > 0)
			*q++ = ' ';
		memcpy(q, t, strlen(t));
		q += strlen(t);
	}
	*q = '\0';
	return s;
}

/*
 * annotations: the AnnotationPage of a page's lines, each a supplementing
 * annotation on its box of the canvas; *rtl and *ltr count its lines by
 * direction.
 */
static json_t *
annotations(const char *rt, const char *page, const char *canvas,
    const struct wq_alto *t, size_t *rtl, size_t *ltr)
{
	json_t *items = json_array();
	size_t  i, j;

	for (i = 0; i < t->nl; i++) {
		const struct wq_line *l = &t->l[i];
		int     x0 = t->width, y0 = t->height, x1 = 0, y1 = 0;
		char   *text;
		json_t *body;

		if (l->nw == 0)
			continue;
		for (j = 0; j < l->nw; j++) {
			x0 = L_MIN(x0, l->w[j].x);
			y0 = L_MIN(y0, l->w[j].y);
			x1 = L_MAX(x1, l->w[j].x + l->w[j].w);
			y1 = L_MAX(y1, l->w[j].y + l->w[j].h);
		}
		if (x1 <= x0 || y1 <= y0)
			continue;
		*(l->rtl ? rtl : ltr) += 1;
		{
			char *raw = line_text(l);
			int   html;

			text = safe_text(raw, &html);
			free(raw);
			body = json_pack("{s:s, s:o, s:s}", "type", "TextualBody",
			    "value", wq_json_text(text, 8 * LINE_MAX_BYTES), "format",
			    html ? "text/html" : "text/plain");
		}
		if (l->lang != NULL && strspn(l->lang, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ-") == strlen(l->lang) && *l->lang)
			json_object_set_new(body, "language", json_string(l->lang));
		json_object_set_new(body, "textDirection",
		    json_string(l->rtl ? "rtl" : "ltr"));
		json_array_append_new(items, json_pack("{s:o, s:s, s:s, s:o, s:o}",
		    "id", json_sprintf("%siiif/annotations/%s.json#line-%zu", rt,
		    page, i + 1), "type", "Annotation", "motivation",
		    "supplementing", "body", body, "target", json_sprintf(
		    "%s#xywh=%d,%d,%d,%d", canvas, x0, y0, x1 - x0, y1 - y0)));
		free(text);
	}
	return json_pack("{s:s, s:o, s:s, s:o}", "@context",
	    "http://iiif.io/api/presentation/3/context.json", "id",
	    json_sprintf("%siiif/annotations/%s.json", rt, page), "type",
	    "AnnotationPage", "items", items);
}

/* painting: the page's image, painted over the whole canvas */
static json_t *
painting(const struct wq_args *a, const char *rt, const struct pkg *k,
    const struct ppage *pg, const char *canvas)
{
	const char *page = pg->p->page;
	json_t     *body;

	if (iiif_on(a, "iiif_tiles")) {
		body = json_pack("{s:o, s:s, s:s, s:i, s:i, s:[{s:o, s:s, s:s}]}",
		    "id", json_sprintf("%siiif/%s/full/%d,%d/0/default.jpg", rt, page,
		    pg->access_w, pg->access_h), "type", "Image", "format",
		    "image/jpeg", "width", pg->access_w, "height", pg->access_h,
		    "service", "id", json_sprintf("%siiif/%s", rt, page), "type",
		    "ImageService3", "profile", "level0");
	} else {
		char *id = wq_xasprintf("%s_%s", k->doc, page);
		char *svc = under(a, "iiif_image_base_url", id);

		body = json_pack("{s:o, s:s, s:s, s:i, s:i}", "id",
		    json_sprintf("%saccess/%s.jpg", rt, page), "type", "Image",
		    "format", "image/jpeg", "width", pg->access_w, "height",
		    pg->access_h);
		if (svc != NULL)
			json_object_set_new(body, "service", json_pack("[{s:s, s:s, s:s}]",
			    "id", svc, "type", "ImageService3", "profile", "level2"));
		free(svc);
		free(id);
	}
	return json_pack("{s:o, s:s, s:[{s:o, s:s, s:s, s:o, s:s}]}",
	    "id", json_sprintf("%siiif/canvas/%s/page", rt, page), "type",
	    "AnnotationPage", "items", "id", json_sprintf("%siiif/canvas/%s/image",
	    rt, page), "type", "Annotation", "motivation", "painting", "body", body,
	    "target", canvas);
}

/*
 * iiif_manifest: takes the bag's data/ folder and the package with its
 * pages' access sizes known; reads each page's ALTO from the work
 * directory; writes iiif/annotations/PAGE.json and iiif/manifest.json as
 * payload files.  0, or -1 with err set.
 */
int
iiif_manifest(const struct wq_args *a, const char *dir, struct pkg *k,
    char *err, size_t errlen)
{
	char   *rt = root(a, k->doc), *path, *langs, *name;
	json_t *items = json_array(), *m, *meta;
	size_t  i, rtl = 0, ltr = 0, n = 0;
	int     r = -1;

	for (i = 0; i < k->npg; i++) {
		const struct ppage *pg = &k->pg[i];
		struct wq_alto      t;
		char               *canvas;
		json_t             *c, *ap;

		path = wq_sidecar(a->work, "ocr", k->doc, pg->p->page, "alto.xml");
		if (wq_alto_read(path, &t, err, errlen) == -1) {
			free(path);
			goto done;
		}
		free(path);
		if (t.width <= 0 || t.height <= 0)	/* a canvas needs a size */
			t.width = pg->access_w, t.height = pg->access_h;
		canvas = wq_xasprintf("%siiif/canvas/%s", rt, pg->p->page);
		ap = annotations(rt, pg->p->page, canvas, &t, &rtl, &ltr);
		name = wq_xasprintf("iiif/annotations/%s.json", pg->p->page);
		r = put_json(dir, k, pg->p->page, name, "IIIF", ap, err, errlen);
		free(name);
		if (r == -1) {
			free(canvas);
			wq_alto_free(&t);
			goto done;
		}
		r = -1;
		c = json_pack("{s:s, s:s, s:o, s:i, s:i, s:[o], s:[{s:o, s:s}], "
		    "s:[{s:o, s:s, s:s, s:o, s:s}], s:[{s:o, s:s, s:o, s:s}]}",
		    "id", canvas, "type", "Canvas", "label", lngstr("none", pg->p->page),
		    "width", t.width, "height", t.height,
		    "items", painting(a, rt, k, pg, canvas),
		    "annotations", "id", json_sprintf("%siiif/annotations/%s.json", rt,
		    pg->p->page), "type", "AnnotationPage",
		    "seeAlso", "id", json_sprintf("%salto/%s.xml", rt, pg->p->page),
		    "type", "Dataset", "format", "application/xml", "label",
		    lngstr("en", "ALTO (OCR text with word boxes)"),
		    "profile", "http://www.loc.gov/standards/alto/v4/alto.xsd",
		    "rendering", "id", json_sprintf("%shocr/%s.hocr", rt, pg->p->page),
		    "type", "Text", "label", lngstr("en", "hOCR"), "format", "text/html");
		free(canvas);
		wq_alto_free(&t);
		json_array_append_new(items, c);
		n++;
	}
	langs = wq_xstrdup("");
	for (i = 0; i < k->nlang; i++) {
		char *s = wq_xasprintf("%s%s%s", langs, i ? ", " : "", k->lang[i]);

		free(langs);
		langs = s;
	}
	meta = json_array();
	json_array_append_new(meta, pair("Title", k->title));
	json_array_append_new(meta, pair("Identifier", k->doc));
	if (*langs)
		json_array_append_new(meta, pair("Languages", langs));
	{
		char *ext = wq_xasprintf("%zu page%s", n, n == 1 ? "" : "s");

		json_array_append_new(meta, pair("Extent", ext));
		free(ext);
	}
	free(langs);
	m = json_object();
	json_object_set_new(m, "@context",
	    json_string("http://iiif.io/api/presentation/3/context.json"));
	json_object_set_new(m, "id", json_sprintf("%siiif/manifest.json", rt));
	json_object_set_new(m, "type", json_string("Manifest"));
	json_object_set_new(m, "label", lngstr("none", k->title));
	json_object_set_new(m, "metadata", meta);
	json_object_set_new(m, "viewingDirection", json_string(rtl > ltr ?
	    "right-to-left" : "left-to-right"));
	json_object_set_new(m, "seeAlso", json_pack("[{s:o, s:s, s:s, s:o, s:s}]",
	    "id", json_sprintf("%smets.xml", rt), "type", "Dataset", "format",
	    "application/xml", "label", lngstr("en", "METS (with MODS and PREMIS)"),
	    "profile", "http://www.loc.gov/METS/"));
	if (wq_stage_enabled(&a->profile, "pdf"))
		json_object_set_new(m, "rendering", json_pack("[{s:o, s:s, s:o, s:s}]",
		    "id", json_sprintf("%saccess/%s.pdf", rt, k->doc), "type", "Text",
		    "label", lngstr("en", "Searchable PDF"), "format", "application/pdf"));
	json_object_set_new(m, "items", items);
	items = NULL;
	r = put_json(dir, k, NULL, "iiif/manifest.json", "IIIF", m, err, errlen);
done:
	json_decref(items);
	free(rt);
	return r;
}

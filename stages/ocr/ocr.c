/*
 * warraq-ocr - Arabic and Latin text from the cleaned page, through
 * Tesseract's C API.
 *
 *   warraq-ocr [options] WORK_DIR [DOC/PAGE ...]
 *
 * With languages = auto (the default) the page is read once, in
 * Tesseract's page mode (layout analysis, each line with the context of
 * its block), by the model of its likely script: Arabic when the deskew
 * stage's orientation detection saw Arabic, else Latin.  A line read
 * unsurely, or that comes out in the other script, is read again by the
 * other model, and the other reading is kept when it is in its model's
 * script and clearly surer.  A single ara+fra pass would turn Arabic
 * ligatures into Latin letters, and ara alone turns French into Arabic
 * letters; this way a page of one script costs little more than one pass.
 * A fixed languages setting (ara, fra, eng or a + list) reads the page
 * with that model only.
 *
 * When the layout stage has run (WORK/layout/DOC/PAGE.xml, with
 * layout_stage = yes), the page is read in page mode as above, but no
 * line by the other model on the strength of its text: the reading kept
 * is put under the layout (apply_layout()), which gives each line its
 * script and LANG, decided from the pixels, and its place in the reading
 * order, and reads alone, by its script's model, the lines page mode
 * missed or read with the other script's model.
 *
 * One Tesseract handle per model per process, loaded once, reused for
 * every page given; OpenMP threads are limited by the driver.
 *
 * Writes WORK/ocr/DOC/PAGE.txt, .hocr, .alto.xml and .json.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tesseract/capi.h>
#include <uninorm.h>
#include <unistr.h>

#include "ocr.h"

#define SURE_CONF	80.0f	/* a line read this well is not read again */
#define RECOVERED_CONF	50.0f	/* a recovered line read less surely: unread */
#define LOW_CONF	60.0f	/* words below this are listed in the JSON */
#define SWITCH_MARGIN	10.0f	/* the other model must be this much surer */
#define GRAY_TRY	95.0f	/* below this, the page before binarisation is read too */
#define LEX_MIN		20	/* words looked up before word lists judge a page */
#define WORD_MAX	1024	/* bytes of one word kept (a model gone astray) */

struct engine {
	TessBaseAPI *api;
	struct model m;
	enum script  script;
};

static struct engine eng[2];
static size_t        neng;
static struct wq_dicts dicts;	/* to choose between readings of a page */
static int             dicts_open;	/* loaded once a page needs them */
static int           automatic;
static int           layout = -1;	/* PSM_AUTO, or the image is one line or word */

/* model_info: size and SHA-256 of every traineddata a language names. */
static int
model_info(struct model *m, char *err, size_t errlen)
{
	char  *list = wq_xstrdup(m->lang), *save = NULL, *l, hex[65];
	char  *all = wq_xstrdup("");
	off_t  size;

	m->size = 0;
	for (l = strtok_r(list, "+", &save); l; l = strtok_r(NULL, "+", &save)) {
		char *path = wq_xasprintf("%s/%s.traineddata", wq_tessdata_dir(), l);
		char *t;

		if (wq_sha256_file(path, hex, &size) == -1) {
			snprintf(err, errlen, "OCR model %s missing (run make models)",
			    path);
			free(path), free(list), free(all);
			return -1;
		}
		t = wq_xasprintf("%s%s", all, hex);
		free(all);
		all = t;
		m->size += size;
		free(path);
	}
	/* a + combination is identified by the hash of its models' hashes */
	if (strchr(m->lang, '+') != NULL)
		wq_sha256_buf(all, strlen(all), m->sha256);
	else
		memcpy(m->sha256, all, 65);
	free(list);
	free(all);
	return 0;
}

static int
engines_init(const struct wq_profile *pr, char *err, size_t errlen)
{
	const char *langs = wq_set_text(pr, "languages");
	const char *lay = wq_set_text(pr, "layout");
	size_t      i;

	layout = strcmp(lay, "line") == 0 ? PSM_SINGLE_LINE :
	    strcmp(lay, "word") == 0 ? PSM_SINGLE_WORD : PSM_AUTO;
	automatic = strcmp(langs, "auto") == 0;
	if (automatic) {
		eng[0].m.lang = "fra", eng[0].script = SCRIPT_LATIN;
		eng[1].m.lang = "ara", eng[1].script = SCRIPT_ARABIC;
		neng = 2;
	} else {
		eng[0].m.lang = langs;
		eng[0].script = strncmp(langs, "ara", 3) == 0 ? SCRIPT_ARABIC :
		    SCRIPT_LATIN;
		neng = 1;
	}
	for (i = 0; i < neng; i++) {
		if (model_info(&eng[i].m, err, errlen) == -1)
			goto fail;
		eng[i].api = TessBaseAPICreate();
		if (TessBaseAPIInit2(eng[i].api, NULL, eng[i].m.lang,
		    OEM_LSTM_ONLY) != 0) {
			snprintf(err, errlen, "Tesseract cannot load model %s",
			    eng[i].m.lang);
			goto fail;
		}
		/* our DPI is known; keep Tesseract from guessing it */
		TessBaseAPISetVariable(eng[i].api, "debug_file", "/dev/null");
	}
	return 0;
fail:
	for (i = 0; i < neng; i++)
		if (eng[i].api != NULL)
			TessBaseAPIDelete(eng[i].api);
	memset(eng, 0, sizeof(eng));
	neng = 0;
	return -1;
}

/*
 * nfc: a word as recognised, in NFC, made valid UTF-8 without control
 * characters and bounded first: whatever a model emits, the text, JSON,
 * hOCR and ALTO made of it stay valid.
 */
static char *
nfc(const char *raw)
{
	size_t   len = 0;
	char    *s = wq_text_clean(raw, strlen(raw), WORD_MAX, NULL);
	uint8_t *r = u8_normalize(UNINORM_NFC, (const uint8_t *)s, strlen(s),
	    NULL, &len);
	char    *o;

	if (r == NULL)
		return s;
	free(s);
	o = wq_xmalloc(len + 1);
	memcpy(o, r, len);
	o[len] = '\0';
	free(r);
	return o;
}

static void
line_free(struct line *l)
{
	size_t i;

	for (i = 0; i < l->nw; i++)
		free(l->w[i].text);
	free(l->w);
	memset(l, 0, sizeof(*l));
}

/*
 * add_word: the iterator's current word appended to l, unless blank.
 * Returns its confidence, or -1 for a blank word.
 */
static float
add_word(TessResultIterator *it, struct line *l, size_t *cap)
{
	TessPageIterator *pit = TessResultIteratorGetPageIterator(it);
	char             *txt = TessResultIteratorGetUTF8Text(it, RIL_WORD);
	struct word      *w;

	if (txt == NULL)
		return -1;
	if (txt[strspn(txt, " ")] == '\0') {
		TessDeleteText(txt);
		return -1;
	}
	if (l->nw == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		l->w = wq_xrealloc(l->w, *cap * sizeof(*l->w));
	}
	w = &l->w[l->nw++];
	w->text = nfc(txt);
	TessDeleteText(txt);
	w->conf = TessResultIteratorConfidence(it, RIL_WORD);
	TessPageIteratorBoundingBox(pit, RIL_WORD, &w->x0, &w->y0, &w->x1, &w->y1);
	return w->conf;
}

/* line_finish: the line's mean confidence and script, from its words. */
static void
line_finish(struct line *l)
{
	double sum = 0;
	char  *all = wq_xstrdup(""), *t;
	size_t i;

	for (i = 0; i < l->nw; i++) {
		sum += l->w[i].conf;
		t = wq_xasprintf("%s%s ", all, l->w[i].text);
		free(all);
		all = t;
	}
	l->conf = l->nw ? (float)(sum / l->nw) : 0;
	l->script = text_script(all);
	free(all);
}

/*
 * mask_neighbours: in cut (a line's box with room above and below),
 * the components that reach the top or bottom edge and whose middle
 * lies outside rows top..bottom (the line proper) are painted white:
 * descenders of the line above and ascenders of the line below, which
 * a single-line read would take for letters.
 */
static void
mask_neighbours(PIX *cut, int top, int bottom)
{
	PIX    *bin = pixGetDepth(cut) == 1 ? pixClone(cut) : pixConvertTo1(cut, 128);
	PIX    *mask = NULL;
	PIXA   *pa = NULL;
	BOXA   *ba = bin != NULL ? pixConnComp(bin, &pa, 8) : NULL;
	l_int32 n = ba != NULL ? boxaGetCount(ba) : 0, i, x, y, w, h;
	int     H = pixGetHeight(cut);

	for (i = 0; i < n; i++) {
		PIX *c;

		boxaGetBoxGeometry(ba, i, &x, &y, &w, &h);
		if ((y > 0 && y + h < H) || (y + h / 2 >= top && y + h / 2 <= bottom))
			continue;
		if (mask == NULL && (mask = pixCreateTemplate(bin)) == NULL)
			break;
		c = pixaGetPix(pa, i, L_CLONE);
		pixRasterop(mask, x, y, w, h, PIX_SRC | PIX_DST, c, 0, 0);
		pixDestroy(&c);
	}
	if (mask != NULL) {
		if (pixGetDepth(cut) == 1)
			pixSubtract(cut, cut, mask);
		else
			pixSetMasked(cut, mask, pixGetDepth(cut) == 8 ? 255 :
			    0xffffff00);
	}
	pixDestroy(&mask);
	pixaDestroy(&pa);
	boxaDestroy(&ba);
	pixDestroy(&bin);
}

/*
 * line_box: the box x0, y0, x1, y1 of a line with room for dots and
 * vowel marks above and below it (an eighth of its height and 2 pixels
 * all round), kept on the page, into box.
 */
static void
line_box(const struct ocrpage *pg, int x0, int y0, int x1, int y1, int *box)
{
	int pad = (y1 - y0) / 8 + 2;

	box[0] = x0 > pad ? x0 - pad : 0;
	box[1] = y0 > pad ? y0 - pad : 0;
	box[2] = x1 + pad < pg->width ? x1 + pad : pg->width;
	box[3] = y1 + pad < pg->height ? y1 + pad : pg->height;
}

/*
 * read_line: the line box of pix (at dpi) read by one engine; words in
 * logical order, boxes in page coordinates.  The engine is given the line
 * cut out of the page, not the page: an engine keeps its own copy of the
 * image it is given, and two engines beside the page itself made three
 * whole pages at once (on a 600-ppi A3 colour page, 800 MB).
 */
static void
read_line(struct engine *e, PIX *pix, int dpi, const int *box,
    const int *core, struct line *l)
{
	TessResultIterator *it;
	BOX                *b;
	PIX                *cut;
	size_t              cap = 0, i;

	memset(l, 0, sizeof(*l));
	l->x0 = box[0], l->y0 = box[1], l->x1 = box[2], l->y1 = box[3];
	l->model = e->m.lang;
	b = boxCreate(box[0], box[1], box[2] - box[0], box[3] - box[1]);
	cut = b == NULL || pix == NULL ? NULL : pixClipRectangle(pix, b, NULL);
	boxDestroy(&b);
	if (cut != NULL && core != NULL)
		mask_neighbours(cut, core[1] - box[1], core[3] - box[1]);
	if (cut != NULL) {
		TessBaseAPISetImage2(e->api, cut);
		TessBaseAPISetSourceResolution(e->api, dpi);
		if (TessBaseAPIRecognize(e->api, NULL) == 0 &&
		    (it = TessBaseAPIGetIterator(e->api)) != NULL) {
			do
				add_word(it, l, &cap);
			while (TessResultIteratorNext(it, RIL_WORD));
			TessResultIteratorDelete(it);
		}
		TessBaseAPIClear(e->api);
		pixDestroy(&cut);
	}
	for (i = 0; i < l->nw; i++) {
		l->w[i].x0 += box[0], l->w[i].x1 += box[0];
		l->w[i].y0 += box[1], l->w[i].y1 += box[1];
	}
	line_finish(l);
}

/*
 * better: 1 if reading b (by eb) should replace reading a (by ea): a
 * reading in its model's own script beats one that is not; else b must
 * be clearly surer, for on old print a wrong model can be about as sure
 * as the right one.
 */
static int
better(const struct line *a, const struct engine *ea, const struct line *b,
    const struct engine *eb)
{
	int a_own = a->script == ea->script, b_own = b->script == eb->script;

	if (a_own != b_own)
		return b_own;
	return b->conf > a->conf + SWITCH_MARGIN;
}

/*
 * read_page: the whole page read by one engine in one pass (Tesseract's
 * layout analysis, then every line with the context of its block).
 * Fills pg->l in reading order.
 */
static void
read_page(struct engine *e, struct ocrpage *pg)
{
	TessResultIterator *it;
	TessPageIterator   *pit;
	struct line        *l = NULL;
	size_t              cap = 0, lcap = 0;
	int                 block = -1;

	TessBaseAPISetPageSegMode(e->api, (TessPageSegMode)layout);
	if (TessBaseAPIRecognize(e->api, NULL) != 0 ||
	    (it = TessBaseAPIGetIterator(e->api)) == NULL)
		return;
	pit = TessResultIteratorGetPageIterator(it);
	do {
		if (TessPageIteratorIsAtBeginningOf(pit, RIL_BLOCK))
			block++;
		if (l == NULL || TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE)) {
			if (l != NULL && l->nw == 0)
				line_free(l);
			else if (l != NULL)
				pg->nl++;
			if (pg->nl == lcap) {
				lcap = lcap ? 2 * lcap : 32;
				pg->l = wq_xrealloc(pg->l, lcap * sizeof(*pg->l));
			}
			l = &pg->l[pg->nl];
			memset(l, 0, sizeof(*l));
			cap = 0;
			l->model = e->m.lang;
			l->block = block < 0 ? 0 : block;
			TessPageIteratorBoundingBox(pit, RIL_TEXTLINE, &l->x0, &l->y0,
			    &l->x1, &l->y1);
		}
		add_word(it, l, &cap);
	} while (TessResultIteratorNext(it, RIL_WORD));
	TessResultIteratorDelete(it);
	if (l != NULL && l->nw > 0)
		pg->nl++;
	else if (l != NULL)
		line_free(l);
}

/*
 * arabic_punct: in a line of Arabic script, the Latin comma, semicolon
 * and question mark the ara model often gives become the Arabic ones
 * that Arabic print uses (and that a reader's bidi keeps with the word).
 */
static void
arabic_punct(struct line *l)
{
	static const char *from = ",;?", *to[] = { "\xd8\x8c", "\xd8\x9b", "\xd8\x9f" };
	size_t k;

	if (l->script != SCRIPT_ARABIC)
		return;
	for (k = 0; k < l->nw; k++) {
		char       *t = wq_xmalloc(2 * strlen(l->w[k].text) + 1), *o = t;
		const char *c, *f;

		for (c = l->w[k].text; *c != '\0'; c++) {
			if ((f = strchr(from, *c)) != NULL) {
				memcpy(o, to[f - from], 2);
				o += 2;
			} else {
				*o++ = *c;
			}
		}
		*o = '\0';
		free(l->w[k].text);
		l->w[k].text = t;
	}
}

/* box_grow: the box *x0, *y0, *x1, *y1 widened to take in word w's. */
static void
box_grow(int *x0, int *y0, int *x1, int *y1, const struct word *w)
{
	if (w->x0 < *x0) *x0 = w->x0;
	if (w->y0 < *y0) *y0 = w->y0;
	if (w->x1 > *x1) *x1 = w->x1;
	if (w->y1 > *y1) *y1 = w->y1;
}

/* starts_letter: does the UTF-8 word s begin with a letter. */
static int
starts_letter(const char *s)
{
	ucs4_t c;

	return *s != '\0' && u8_mbtouc(&c, (const uint8_t *)s, strlen(s)) > 0 &&
	    wq_is_letter(c);
}

/* ends_elided: does the UTF-8 word s end in a letter and an apostrophe. */
static int
ends_elided(const char *s)
{
	const uint8_t *b = (const uint8_t *)s, *e = b + strlen(s);
	ucs4_t         c;

	if ((e = u8_prev(&c, e, b)) == NULL || (c != '\'' && c != 0x2019))
		return 0;
	return (e = u8_prev(&c, e, b)) != NULL && wq_is_letter(c);
}

/*
 * elide: in a line read by the French model, a word ending in a letter
 * and an apostrophe and the word after it, beginning with a letter, are
 * one word ("l'homme", "jusqu'ici", "Narr'Havas"): French puts no space
 * after the apostrophe of an elision, but the narrow apostrophe leaves a
 * gap on the page that Tesseract sometimes reads as one.  In the eval's
 * French transcriptions 357 such apostrophes are followed by a letter
 * and 1 (a 17th-century poem) by a space.  The joined word has both
 * boxes and the lower confidence.
 */
static void
elide(struct line *l)
{
	size_t k, j;

	if (l->script != SCRIPT_LATIN || l->model == NULL ||
	    strstr(l->model, "fra") == NULL)
		return;
	for (k = j = 0; k < l->nw; k++) {
		struct word *p = j > 0 ? &l->w[j - 1] : NULL, *w = &l->w[k];
		char        *t;

		if (p != NULL && ends_elided(p->text) && starts_letter(w->text)) {
			t = wq_xasprintf("%s%s", p->text, w->text);
			free(p->text);
			free(w->text);
			p->text = t;
			if (w->conf < p->conf) p->conf = w->conf;
			box_grow(&p->x0, &p->y0, &p->x1, &p->y1, w);
			continue;
		}
		l->w[j++] = *w;
	}
	l->nw = j;
}

/*
 * untangle: Tesseract's page mode sometimes gives an Arabic word a box
 * that runs over the word before it (seen: a word boxed across its
 * neighbour); a box is cut back to a word space short of where the
 * previous word in reading order begins, so that boxes on a line never
 * overlap (the PDF's text layer and the report's word boxes rely on it).
 */
static void
untangle(struct line *l)
{
	int    gap = (l->y1 - l->y0) / 6 + 1;	/* about a word space */
	size_t k;

	for (k = 1; k < l->nw; k++) {
		struct word *p = &l->w[k - 1], *w = &l->w[k];

		if (l->script == SCRIPT_ARABIC && w->x1 > p->x0 - gap &&
		    w->x0 < p->x0 - gap)
			w->x1 = p->x0 - gap;
		else if (l->script != SCRIPT_ARABIC && w->x0 < p->x1 + gap &&
		    w->x1 > p->x1 + gap)
			w->x0 = p->x1 + gap;
	}
}

/*
 * tidy: every line's words as they are kept (Arabic punctuation, French
 * elisions, boxes that do not overlap), and its box grown to hold them.
 */
static void
tidy(struct ocrpage *pg)
{
	size_t i, k;

	for (i = 0; i < pg->nl; i++) {
		struct line *a = &pg->l[i];

		arabic_punct(a);
		elide(a);
		untangle(a);
		for (k = 0; k < a->nw; k++)
			box_grow(&a->x0, &a->y0, &a->x1, &a->y1, &a->w[k]);
	}
}

/* engine_for: the engine of script s (first when s is none, or one engine) */
static size_t
engine_for(enum wq_script s, size_t first)
{
	size_t k;

	for (k = 0; neng > 1 && s != WQ_SCRIPT_NONE && k < neng; k++)
		if (eng[k].script == (s == WQ_SCRIPT_ARABIC ? SCRIPT_ARABIC :
		    SCRIPT_LATIN))
			return k;
	return first;
}

/*
 * role_of: a region's PAGE type as the role its lines carry into ALTO,
 * when it is a plain name (letters, digits, "-": it becomes part of an
 * XML ID); NULL otherwise (a corrected file may say anything).
 */
static const char *
role_of(const struct wq_region *r)
{
	const char *t = r->type;

	if (t == NULL || *t == '\0' || strlen(t) > 40 || !((*t >= 'a' &&
	    *t <= 'z') || (*t >= 'A' && *t <= 'Z')))
		return NULL;
	return strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-") == strlen(t) ? t : NULL;
}

static long
inter(int ax0, int ay0, int ax1, int ay1, const struct wq_box *b)
{
	long w = (ax1 < b->x1 ? ax1 : b->x1) - (ax0 > b->x0 ? ax0 : b->x0);
	long h = (ay1 < b->y1 ? ay1 : b->y1) - (ay0 > b->y0 ? ay0 : b->y0);

	return w > 0 && h > 0 ? w * h : 0;
}

static long
area(const struct wq_box *b)
{
	return (long)(b->x1 - b->x0) * (b->y1 - b->y0);
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* median_line: the median height of the layout's lines tl[0..nt) */
static int
median_line(const struct wq_tline **tl, size_t nt)
{
	int   *h = wq_xmalloc((nt + 1) * sizeof(*h)), m;
	size_t k;

	for (k = 0; k < nt; k++)
		h[k] = tl[k]->b.y1 - tl[k]->b.y0;
	qsort(h, nt, sizeof(*h), cmp_int);
	m = nt > 0 ? h[nt / 2] : 0;
	free(h);
	return m;
}

/* wide: a line at least four times as long as it is high: text, not a
 * mark in the margin */
static int
wide(const struct wq_tline *t)
{
	return t->b.x1 - t->b.x0 >= 4 * (t->b.y1 - t->b.y0);
}

struct placed {
	struct line l;
	size_t      region, line;	/* in the layout's reading order */
};

static int
cmp_placed(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;

	if (x->region != y->region)
		return (x->region > y->region) - (x->region < y->region);
	/* down the region by the lines' middles (a line's top says little
	 * in italic or swash print), side by side by direction */
	{
		int mx = (x->l.y0 + x->l.y1) / 2, my = (y->l.y0 + y->l.y1) / 2;
		int hx = x->l.y1 - x->l.y0, hy = y->l.y1 - y->l.y0;
		int h = hx < hy ? hx : hy;

		if (2 * (mx > my ? mx - my : my - mx) > h)
			return (mx > my) - (mx < my);
	}
	if (x->l.script == SCRIPT_ARABIC)
		return (x->l.x0 < y->l.x0) - (x->l.x0 > y->l.x0);
	return (x->l.x0 > y->l.x0) - (x->l.x0 < y->l.x0);
}

/* put: line l (taken) at the end of *out, with its place in the order */
static void
put(struct placed **out, size_t *np, size_t *cap, const struct line *l,
    size_t region, size_t line)
{
	if (*np == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*out = wq_xrealloc(*out, *cap * sizeof(**out));
	}
	(*out)[*np].l = *l;
	(*out)[*np].region = region;
	(*out)[(*np)++].line = line;
}

/*
 * place_stray: reading a (taken), which no layout line holds, put into
 * the reading order beside the layout line nearest above it (or, if none
 * is above, before the first).
 */
static void
place_stray(struct line *a, const struct wq_tline **tl, const size_t *tr,
    const size_t *tj, size_t nt, struct placed **out, size_t *np,
    size_t *cap)
{
	size_t k, best = nt;
	int    bd = 1 << 30, d;

	for (k = 0; k < nt; k++) {
		d = a->y0 - tl[k]->b.y0;
		if (d >= 0 && d < bd)
			bd = d, best = k;
	}
	put(out, np, cap, a, best < nt ? tr[best] : 0, best < nt ? tj[best] : 0);
}

/*
 * distribute: the words of a (a page-mode reading that runs over several
 * layout lines: two columns, a letterhead's two sides, a note beside its
 * paragraph) given to the layout lines tl[0..nt) their middles lie in,
 * into pieces[k] (copies; a word in no line is ink the layout holds to be
 * no text, and is dropped).  With languages = auto, a line of the other
 * script than the engine's (es) gets none: it is read again, alone, by
 * its own model.  covered[k] is set for each line given words.
 */
static void
distribute(const struct line *a, const struct wq_tline **tl, size_t nt,
    enum script es, char *covered, struct line *pieces)
{
	size_t i, k;

	for (i = 0; i < a->nw; i++) {
		const struct word *w = &a->w[i];
		int cx = (w->x0 + w->x1) / 2, cy = (w->y0 + w->y1) / 2;

		for (k = 0; k < nt; k++) {
			const struct wq_box *b = &tl[k]->b;
			int pad = (b->y1 - b->y0) / 4;

			if (cx >= b->x0 && cx < b->x1 && cy >= b->y0 - pad &&
			    cy < b->y1 + pad)
				break;
		}
		if (k == nt || (automatic && tl[k]->script != WQ_SCRIPT_NONE &&
		    (tl[k]->script == WQ_SCRIPT_ARABIC) != (es == SCRIPT_ARABIC)))
			continue;
		if (pieces[k].nw == 0) {
			pieces[k].x0 = tl[k]->b.x0, pieces[k].y0 = tl[k]->b.y0;
			pieces[k].x1 = tl[k]->b.x1, pieces[k].y1 = tl[k]->b.y1;
			pieces[k].model = a->model;
		}
		pieces[k].w = wq_xrealloc(pieces[k].w, (pieces[k].nw + 1) *
		    sizeof(*pieces[k].w));
		pieces[k].w[pieces[k].nw] = *w;
		pieces[k].w[pieces[k].nw++].text = wq_xstrdup(w->text);
		covered[k] = 1;
	}
}

/*
 * layout_first: the engine of the script most of the layout's line width
 * is in; def when it names none.
 */
static size_t
layout_first(const struct wq_layout *L, size_t def)
{
	long   ar = 0, la = 0;
	size_t i, j;

	for (i = 0; i < L->nr; i++)
		for (j = 0; L->r[i].kind == WQ_R_TEXT && j < L->r[i].nl; j++) {
			const struct wq_tline *t = &L->r[i].l[j];

			if (t->script == WQ_SCRIPT_ARABIC)
				ar += t->b.x1 - t->b.x0;
			else if (t->script == WQ_SCRIPT_LATIN)
				la += t->b.x1 - t->b.x0;
		}
	if (ar == la)
		return def;
	return engine_for(ar > la ? WQ_SCRIPT_ARABIC : WQ_SCRIPT_LATIN, def);
}

/*
 * apply_layout: the page as recognise() read it from pix (borrowed: the
 * image of the reading kept), put under the layout L: each line Tesseract read goes to the layout line it covers
 * most, takes that line's script (decided from the pixels) and its
 * region's place in the reading order; a line the layout does not hold
 * (ink it found to be no text) is dropped.  Read again alone, by the
 * engine of its script: every layout line no reading covers (a line the
 * page mode dropped, one the layout recovered), and, with languages =
 * auto, every line whose script is not the engine's, or that runs over
 * lines of both scripts (two scripts on one baseline), which is then
 * dropped for them.  A reading that runs over layout lines the layout
 * cut apart at a gap, or over two lines of text side by side in two
 * regions (facing columns, a note beside its paragraph), or,
 * in a layout a person corrected, far out of its line (a region removed),
 * is shared out word by word among the layout lines (distribute());
 * otherwise a reading stays whole, as page mode read it.  No reading is
 * judged by its text; but a line the layout recovered from ink the
 * analysis had left out, read with a mean confidence under 50, is taken
 * for marks (ornaments, noise) and counted as read as nothing, which the
 * report flags, rather than put into the text. The image is borrowed.
 */
static void
apply_layout(PIX *pix, struct ocrpage *pg, size_t first,
    const struct wq_layout *L, unsigned *nsecond)
{
	const struct wq_tline **tl;
	size_t                 *tr, *tj, nt = 0, i, j, k, np = 0, cap = 0;
	struct placed          *out = NULL;
	struct line            *pieces;
	char                   *covered;
	enum script             es = eng[first].script;
	int                     hmed;

	for (i = 0; i < L->nr; i++)
		if (L->r[i].kind == WQ_R_TEXT)
			nt += L->r[i].nl;
	tl = wq_xmalloc((nt + 1) * sizeof(*tl));
	tr = wq_xmalloc((nt + 1) * sizeof(*tr));
	tj = wq_xmalloc((nt + 1) * sizeof(*tj));
	covered = calloc(nt + 1, 1);
	if (covered == NULL)
		abort();
	for (i = 0, nt = 0; i < L->nr; i++)
		for (j = 0; L->r[i].kind == WQ_R_TEXT && j < L->r[i].nl; j++) {
			tl[nt] = &L->r[i].l[j];
			tr[nt] = i, tj[nt++] = j;
		}
	for (k = 0; k < neng; k++)
		TessBaseAPISetPageSegMode(eng[k].api, PSM_SINGLE_LINE);
	pieces = calloc(nt + 1, sizeof(*pieces));
	if (pieces == NULL)
		abort();
	for (i = 0; i < pg->nl; i++) {
		struct line *a = &pg->l[i];
		long         best = 0, m;
		size_t       at = nt, reg = nt;
		int          ar = 0, la = 0, regions = 0, cut = 0, spill;
		int          inside, keep;

		for (k = 0; k < nt; k++) {
			m = inter(a->x0, a->y0, a->x1, a->y1, &tl[k]->b);
			if (m > best)
				best = m, at = k;
			/* the layout lines it runs over: scripts, regions */
			if (2 * m >= area(&tl[k]->b)) {
				ar += tl[k]->script == WQ_SCRIPT_ARABIC;
				la += tl[k]->script == WQ_SCRIPT_LATIN;
				if (tr[k] != reg)
					regions++, reg = tr[k];
				cut |= tl[k]->cut;
			}
		}
		/*
		 * shared out or read again: a reading across lines the layout
		 * cut apart (columns, a letterhead's two sides, a note beside
		 * its paragraph); one that runs out of its line sideways into
		 * a line of text of another region (if only over its dots);
		 * one in the other script; and, when a person corrected the
		 * layout, one running far out of its line
		 */
		inside = 10 * best >= 9 * ((long)(a->x1 - a->x0) * (a->y1 - a->y0));
		for (k = 0, spill = 0; at < nt && !inside && k < nt && !spill; k++)
			spill = tr[k] != tr[at] && wide(tl[k]) &&
			    inter(a->x0, a->y0, a->x1, a->y1, &tl[k]->b) > 0 &&
			    (tl[k]->b.x0 >= tl[at]->b.x1 || tl[k]->b.x1 <= tl[at]->b.x0);
		if (at == nt) {
			/* text the layout did not see as text (it took it for
			 * a picture): kept where it stands, not lost */
			line_finish(a);
			place_stray(a, tl, tr, tj, nt, &out, &np, &cap);
			continue;
		}
		keep = !(regions >= 2 && cut) && !spill &&
		    (L->corrected == NULL || inside) &&
		    (!automatic || ((ar == 0 || la == 0) &&
		    (tl[at]->script == WQ_SCRIPT_NONE ||
		    (tl[at]->script == WQ_SCRIPT_ARABIC) == (es == SCRIPT_ARABIC))));
		if (!keep) {
			distribute(a, tl, nt, es, covered, pieces);
			line_free(a);
			for (k = 0; k < nt; k++)
				if (pieces[k].nw > 0) {
					struct line *b = &pieces[k];

					line_finish(b);
					b->script = tl[k]->script == WQ_SCRIPT_ARABIC ?
					    SCRIPT_ARABIC : tl[k]->script ==
					    WQ_SCRIPT_LATIN ? SCRIPT_LATIN : b->script;
					b->role = role_of(&L->r[tr[k]]);
					put(&out, &np, &cap, b, tr[k], tj[k]);
					memset(b, 0, sizeof(*b));
				}
			continue;
		}
		line_finish(a);
		if (tl[at]->script != WQ_SCRIPT_NONE)
			a->script = tl[at]->script == WQ_SCRIPT_ARABIC ?
			    SCRIPT_ARABIC : SCRIPT_LATIN;
		for (k = 0; k < nt; k++)
			if (2 * inter(a->x0, a->y0, a->x1, a->y1, &tl[k]->b) >=
			    area(&tl[k]->b))
				covered[k] = 1;
		covered[at] = 1;
		a->role = role_of(&L->r[tr[at]]);
		put(&out, &np, &cap, a, tr[at], tj[at]);
	}
	hmed = median_line(tl, nt);
	for (k = 0; k < nt; k++) {	/* what no reading covers, alone */
		const struct wq_tline *t = tl[k];
		int  core[4] = { t->b.x0, t->b.y0, t->b.x1, t->b.y1 };
		int  box[4];
		struct line l;

		if (covered[k])
			continue;
		/*
		 * a line the page mode did not read, that is small print (a
		 * scan's watermark, a library's footer) or a lone mark, is
		 * left unread and counted, which the report flags: not worth
		 * a guess in the text.  Lines the layout recovered are read.
		 */
		if (!t->recovered && ((core[3] - core[1]) * 4 < 3 * hmed ||
		    core[2] - core[0] < 2 * (core[3] - core[1]))) {
			pg->empty++;
			continue;
		}
		line_box(pg, core[0], core[1], core[2], core[3], box);
		if (box[2] <= box[0] || box[3] <= box[1])
			continue;
		read_line(&eng[automatic ? engine_for(t->script, first) : first],
		    pix, pg->dpi, box, core, &l);
		(*nsecond)++;
		if (l.nw > 0 && t->recovered) {
			line_finish(&l);
			if (l.conf < RECOVERED_CONF) {	/* marks, not words */
				line_free(&l);
				pg->empty++;
				continue;
			}
		}
		if (l.nw == 0) {
			line_free(&l);
			pg->empty++;
			continue;
		}
		if (t->script != WQ_SCRIPT_NONE)
			l.script = t->script == WQ_SCRIPT_ARABIC ? SCRIPT_ARABIC :
			    SCRIPT_LATIN;
		l.role = role_of(&L->r[tr[k]]);
		put(&out, &np, &cap, &l, tr[k], tj[k]);
	}
	qsort(out, np, sizeof(*out), cmp_placed);
	free(pg->l);
	pg->l = wq_xmalloc((np + 1) * sizeof(*pg->l));
	for (i = 0, pg->nl = 0; i < np; i++) {
		out[i].l.block = (int)out[i].region;
		pg->l[pg->nl++] = out[i].l;
	}
	tidy(pg);
	free(out);
	free(pieces);
	free(covered);
	free(tl);
	free(tr);
	free(tj);
}

/*
 * recognise: lines of the page in reading order, each read by the engine
 * of its script.  The page is read once by the engine of its likely
 * script (first: 0 or 1); a line read unsurely or in the other script is
 * read again by the other engine, and the better reading is kept; with a
 * layout L, not: its scripts decide, later (apply_layout()).
 * *nsecond counts lines that were read twice.  Takes *pixp (set to NULL):
 * the engine keeps a copy of the page it is given, and the lines are cut
 * from that copy, so that one whole page is held, not two.
 */
static void
recognise(PIX **pixp, struct ocrpage *pg, size_t first, unsigned *nsecond,
    const struct wq_layout *L)
{
	PIX   *pix;
	size_t i, k;

	TessBaseAPISetImage2(eng[first].api, *pixp);
	TessBaseAPISetSourceResolution(eng[first].api, pg->dpi);
	pixDestroy(pixp);
	read_page(&eng[first], pg);
	pix = TessBaseAPIGetInputImage(eng[first].api);
	pix = pix != NULL ? pixClone(pix) : NULL;	/* NULL: no line is read again */
	TessBaseAPIClear(eng[first].api);
	for (k = 0; k < neng; k++)
		TessBaseAPISetPageSegMode(eng[k].api,
		    layout == PSM_SINGLE_WORD ? PSM_SINGLE_WORD : PSM_SINGLE_LINE);
	for (i = 0; i < pg->nl; i++) {
		struct line *a = &pg->l[i], b;
		int          box[4];

		line_finish(a);
		line_box(pg, a->x0, a->y0, a->x1, a->y1, box);
		if (layout == PSM_AUTO && a->script == SCRIPT_ARABIC &&
		    eng[first].script == SCRIPT_ARABIC) {
			/* page mode's word boxes on Arabic lines run across
			 * their neighbours: the line is read alone */
			read_line(&eng[first], pix, pg->dpi, box, NULL, &b);
			if (b.nw > 0) {
				b.block = a->block;
				line_free(a);
				*a = b;
			} else {
				line_free(&b);
			}
		}
		/* with a layout, its scripts decide (apply_layout()) */
		if (L != NULL || neng == 1 || (a->conf >= SURE_CONF &&
		    a->script == eng[first].script))
			continue;
		read_line(&eng[1 - first], pix, pg->dpi, box, NULL, &b);
		(*nsecond)++;
		if (b.nw > 0 && better(a, &eng[first], &b, &eng[1 - first])) {
			b.block = a->block;
			line_free(a);
			*a = b;
		} else {
			line_free(&b);
		}
	}
	tidy(pg);
	pixDestroy(&pix);
}

/*
 * first_engine: the engine of the page's likely script: Arabic when the
 * deskew stage's orientation detection saw Arabic script, else Latin.
 */
static size_t
first_engine(const struct wq_args *a, const struct wq_page *p)
{
	char       *path = wq_sidecar(a->work, "deskew", p->doc, p->page, "json");
	json_t     *j = wq_json_read(path);
	const char *s = json_string_value(json_object_get(j, "osd_script"));
	size_t      k, r = 0;

	for (k = 0; neng > 1 && s != NULL && k < neng; k++)
		if (eng[k].script == SCRIPT_ARABIC && strcmp(s, "Arabic") == 0)
			r = k;
	json_decref(j);
	free(path);
	return r;
}

static int
cmpfloat(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

/* page_json: the figures of the page into meta. */
static void
page_json(const struct ocrpage *pg, json_t *meta, unsigned nsecond)
{
	json_t *low = json_array(), *scripts = json_object(), *models = json_array();
	float  *confs;
	size_t  i, j, nw = 0, nchar = 0, nar = 0, nla = 0;
	double  sum = 0;

	for (i = 0; i < pg->nl; i++)
		nw += pg->l[i].nw;
	confs = wq_xmalloc((nw + 1) * sizeof(float));
	for (i = 0, nw = 0; i < pg->nl; i++) {
		const struct line *l = &pg->l[i];

		nar += l->script == SCRIPT_ARABIC;
		nla += l->script == SCRIPT_LATIN;
		for (j = 0; j < l->nw; j++) {
			const struct word *w = &l->w[j];
			size_t n;

			free(wq_utf8_decode(w->text, strlen(w->text), &n));
			nchar += n;
			confs[nw++] = w->conf;
			sum += w->conf;
			if (w->conf < LOW_CONF && json_array_size(low) < 1000)
				json_array_append_new(low, json_pack(
				    "{s:o, s:f, s:[i,i,i,i]}", "text",
				    wq_json_text(w->text, 256), "conf", w->conf,
				    "box", w->x0, w->y0, w->x1, w->y1));
		}
	}
	qsort(confs, nw, sizeof(float), cmpfloat);
	json_object_set_new(meta, "blank", json_boolean(nw == 0));
	json_object_set_new(meta, "lines", json_integer((json_int_t)pg->nl));
	json_object_set_new(meta, "words", json_integer((json_int_t)nw));
	json_object_set_new(meta, "characters", json_integer((json_int_t)nchar));
	json_object_set_new(meta, "mean_confidence", nw ? json_real(sum / nw) :
	    json_null());
	json_object_set_new(meta, "median_confidence", nw ? json_real(nw % 2 ?
	    confs[nw / 2] : (confs[nw / 2 - 1] + confs[nw / 2]) / 2.0) : json_null());
	json_object_set_new(meta, "low_confidence_threshold", json_real(LOW_CONF));
	json_object_set_new(meta, "low_confidence_words", low);
	if (nar)
		json_object_set_new(scripts, "Arabic", json_real((double)nar / pg->nl));
	if (nla)
		json_object_set_new(scripts, "Latin", json_real((double)nla / pg->nl));
	json_object_set_new(meta, "scripts", scripts);
	json_object_set_new(meta, "languages_setting", json_string(automatic ?
	    "auto" : eng[0].m.lang));
	json_object_set_new(meta, "layout", json_string(layout == PSM_AUTO ?
	    "page" : layout == PSM_SINGLE_LINE ? "line" : "word"));
	json_object_set_new(meta, "lines_read_twice", json_integer(nsecond));
	if (nsecond > 0)
		wq_meta_note(meta, "%u of %zu lines read again by the other "
		    "script's model (read below %.0f %%, or in the other "
		    "script), the surer reading kept", nsecond, pg->nl, SURE_CONF);
	for (i = 0; i < neng; i++)
		json_array_append_new(models, json_pack("{s:s, s:s, s:I}", "name",
		    eng[i].m.lang, "sha256", eng[i].m.sha256, "size",
		    (json_int_t)eng[i].m.size));
	json_object_set_new(meta, "models", models);
	json_object_set_new(meta, "tesseract_version", json_string(TessVersion()));
	free(confs);
}

static int
write_text(const char *work, const struct wq_page *p, const char *ext,
    char *text, char *err, size_t errlen)
{
	char *path = wq_sidecar(work, "ocr", p->doc, p->page, ext);
	int   r = wq_write_atomic(path, text, strlen(text));

	if (r == -1)
		snprintf(err, errlen, "cannot write %s", path);
	free(path);
	free(text);
	return r;
}

/*
 * page_score: the characters of a page read, each weighted by its word's
 * confidence: the mean confidence alone favours a reading that dropped
 * the lines it was unsure of.  *conf: the mean word confidence.
 */
static double
page_score(const struct ocrpage *pg, float *conf)
{
	double s = 0, c = 0;
	size_t i, j, n = 0;

	for (i = 0; i < pg->nl; i++)
		for (j = 0; j < pg->l[i].nw; j++, n++) {
			const struct word *w = &pg->l[i].w[j];

			c += w->conf;
			s += w->conf / 100.0 * (double)u8_mbsnlen((const uint8_t *)
			    w->text, strlen(w->text));
		}
	*conf = n ? (float)(c / n) : 0;
	return s;
}

/*
 * page_words: the characters of the page's words that the word list of
 * their line's script knows, less those of the words it does not: a
 * misreading leaves non-words behind, and a reading that dropped text
 * has fewer words.  Digits and punctuation count for nothing; 0 without
 * word lists.  *checked: the words looked up.
 */
static long
page_words(const struct ocrpage *pg, size_t *checked)
{
	long   s = 0, n;
	size_t i, j;
	int    r;

	*checked = 0;
	for (i = 0; i < pg->nl; i++) {
		Hunhandle *h = pg->l[i].script == SCRIPT_ARABIC ? dicts.ar :
		    dicts.fr;

		for (j = 0; h != NULL && j < pg->l[i].nw; j++) {
			const char *t = pg->l[i].w[j].text;

			if ((r = wq_dict_spell(h, t)) == -1)
				continue;
			(*checked)++;
			n = (long)u8_mbsnlen((const uint8_t *)t, strlen(t));
			s += r ? n : -n;
		}
	}
	return s;
}

/*
 * reading_record: a reading's figures into meta, as NAME_confidence,
 * NAME_score (its confidence-weighted characters) and, when words is not
 * NULL, NAME_words (page_words()).
 */
static void
reading_record(json_t *meta, const char *name, float conf, double score,
    const long *words)
{
	char *k;

	k = wq_xasprintf("%s_confidence", name);
	json_object_set_new(meta, k, json_real(conf));
	free(k);
	k = wq_xasprintf("%s_score", name);
	json_object_set_new(meta, k, json_real(score));
	free(k);
	if (words == NULL)
		return;
	k = wq_xasprintf("%s_words", name);
	json_object_set_new(meta, k, json_integer(*words));
	free(k);
}

static void
page_free(struct ocrpage *pg)
{
	size_t i;

	for (i = 0; i < pg->nl; i++)
		line_free(&pg->l[i]);
	free(pg->l);
	pg->l = NULL;
	pg->nl = 0;
}

/*
 * read_other: pg read again from the 8-bit image at path (same size as
 * the page), with Tesseract's own thresholding; NULL-free *g on success
 * (0), -1 when there is no such image.
 */
static int
read_other(const char *path, const struct ocrpage *pg, size_t first,
    const struct wq_layout *L, struct ocrpage *g, unsigned *n)
{
	char e[256];
	PIX *pix = wq_exists(path) ? wq_pix_read(path, e, sizeof(e)) : NULL;

	if (pix == NULL || pixGetDepth(pix) == 1 ||
	    pixGetWidth(pix) != pg->width || pixGetHeight(pix) != pg->height) {
		pixDestroy(&pix);
		return -1;
	}
	*g = *pg;
	g->l = NULL, g->nl = 0, g->empty = 0;
	*n = 0;
	recognise(&pix, g, first, n, L);
	return 0;
}

/*
 * read_gray: a page the cleaned image read unsurely is read again from
 * two 8-bit images of it, with Tesseract's own thresholding: the page the
 * clean stage started from ("gray"), and the clean stage's background-
 * normalised page ("normalised").  The recognition models use the gray
 * levels, and on good scans of small print, or typewritten carbons, a
 * binarised page loses strokes they would have read; which of the three
 * reads best depends on the paper.  Kept in pg: on a page that reads as
 * words (LEX_MIN words looked up, more characters in known words than
 * not, in both readings compared), the reading with more of the words the
 * word lists know (page_words()); else, and of equals, the one with the
 * most confidence-weighted characters (page_score(): confidence alone
 * favours a reading that dropped the lines it was unsure of).  Word lists
 * say nothing of a page that is mostly non-words to them (a manuscript
 * hand the models read badly), and little of a line.  Its image in
 * *image (owned).  Records every reading's figures in meta.
 */
static void
read_gray(const struct wq_args *a, const struct wq_page *p, struct ocrpage *pg,
    size_t first, const struct wq_layout *L, unsigned *nsecond, char **image,
    json_t *meta)
{
	const char    *src = wq_stage_image(&a->profile, "clean");
	struct {
		const char *name;
		char       *path;
	} alt[2];
	struct ocrpage g;
	float          c;
	double         best = page_score(pg, &c), sc;
	size_t         bestn, n;
	long           bestw, w;
	unsigned       n2, n1 = *nsecond;
	size_t         i;
	const char    *kept;
	float          c0;

	if (c >= GRAY_TRY || src == NULL || strcmp(a->image, "clean") != 0) {
		reading_record(meta, "binary", c, best, NULL);
		if (c >= GRAY_TRY)
			wq_meta_note(meta, "the 1-bit page read at %.0f %% mean "
			    "confidence (%.0f or more: not read again)", c, GRAY_TRY);
		return;
	}
	if (!dicts_open) {	/* 0.2 s: not for a process whose pages read surely */
		wq_dicts_open(&dicts, wq_set_text(&a->profile, "hunspell_dir"),
		    NULL);
		dicts_open = 1;
	}
	bestw = page_words(pg, &bestn);
	reading_record(meta, "binary", c, best, &bestw);
	alt[0].name = "gray";
	alt[0].path = wq_sidecar(a->work, src, p->doc, p->page, "tif");
	alt[1].name = "normalised";
	alt[1].path = wq_sidecar(a->work, "clean", p->doc, p->page, "gray.tif");
	kept = "1-bit";
	c0 = c;
	for (i = 0; i < 2; i++) {
		if (read_other(alt[i].path, pg, first, L, &g, &n2) == -1) {
			free(alt[i].path);
			continue;
		}
		sc = page_score(&g, &c);
		w = page_words(&g, &n);
		reading_record(meta, alt[i].name, c, sc, &w);
		if (bestn >= LEX_MIN && n >= LEX_MIN && bestw > 0 && w > 0 ?
		    w > bestw || (w == bestw && sc > best) : sc > best) {
			best = sc, bestw = w, bestn = n;
			page_free(pg);
			*pg = g;
			*nsecond = n1 + n2;
			free(*image);
			*image = alt[i].path;
			kept = alt[i].name;
		} else {
			page_free(&g);
			free(alt[i].path);
		}
	}
	wq_meta_note(meta, "the 1-bit page read at %.0f %% mean confidence "
	    "(below %.0f): the gray and normalised pages read too, the %s "
	    "reading kept (%s)", c0, GRAY_TRY, kept, bestn >= LEX_MIN ?
	    "more words in the word lists" : "the higher score");
}

/*
 * ocr_init: before any page, the models the languages setting names,
 * each once for all the pages this process is given; -1 (exit 2) when
 * one is missing, with where to get it.  Their checksums go into every
 * page's fingerprint.
 */
static int
ocr_init(struct wq_args *a, char *err, size_t errlen)
{
	if (wq_langs_check(wq_set_text(&a->profile, "languages"), err,
	    errlen) == -1 || engines_init(&a->profile, err, errlen) == -1)
		return -1;
	/* a page's result is made from its models too: a new model makes
	 * it stale */
	a->extra = wq_stage_extra("ocr", &a->profile);
	return 0;
}

static int
ocr_page(const struct wq_args *a, const struct wq_page *p, json_t *meta,
    char *err, size_t errlen)
{
	char          *in = wq_sidecar(a->work, a->image, p->doc, p->page, "tif");
	char          *master = wq_xasprintf("%s", strrchr(p->source, '/') ?
	    strrchr(p->source, '/') + 1 : p->source);
	char           id[WQ_DOCID_MAX + 24];
	struct ocrpage pg = { 0 };
	struct model   models[2];
	struct wq_layout lay = { 0 }, *L = NULL;
	unsigned       nsecond = 0;
	PIX           *pix = NULL;
	size_t         i, first;
	int            r = -1;

	if ((pix = wq_pix_read(in, err, errlen)) == NULL)
		goto done;
	pg.width = pixGetWidth(pix);
	pg.height = pixGetHeight(pix);
	pg.dpi = pixGetXRes(pix) > 0 ? pixGetXRes(pix) : 300;
	pg.master = master;
	snprintf(id, sizeof(id), "%s_%s", p->doc, p->page);
	for (i = 0; i < neng; i++)
		models[i] = eng[i].m;
	first = first_engine(a, p);
	if (layout == PSM_AUTO && wq_stage_enabled(&a->profile, "layout")) {
		char *lp = wq_sidecar(a->work, "layout", p->doc, p->page, "xml");

		if (wq_layout_read(lp, &lay, err, errlen) == -1) {
			free(lp);
			goto done;
		}
		free(lp);
		L = &lay;
		first = layout_first(L, first);
		json_object_set_new(meta, "layout_from", lay.corrected != NULL ?
		    json_pack("{s:s, s:o}", "program", "warraq-layout",
		    "corrected", wq_json_text(lay.corrected, 200)) :
		    json_pack("{s:s}", "program", "warraq-layout"));
	}
	recognise(&pix, &pg, first, &nsecond, L);
	read_gray(a, p, &pg, first, L, &nsecond, &in, meta);
	if (L != NULL) {
		PIX *img = wq_pix_read(in, err, errlen);

		if (img == NULL)
			goto done;
		apply_layout(img, &pg, first, L, &nsecond);
		pixDestroy(&img);
	}
	pg.image = in + strlen(a->work) + 1;	/* relative to WORK */
	page_json(&pg, meta, nsecond);
	json_object_set_new(meta, "image", json_string(pg.image));
	if (L != NULL)
		json_object_set_new(meta, "layout_lines_empty",
		    json_integer((json_int_t)pg.empty));
	if (write_text(a->work, p, "txt", render_text(&pg), err, errlen) == 0 &&
	    write_text(a->work, p, "hocr", render_hocr(&pg, id), err, errlen) == 0 &&
	    write_text(a->work, p, "alto.xml", render_alto(&pg, id, models, neng,
	    TessVersion()), err, errlen) == 0)
		r = 0;
done:
	page_free(&pg);
	wq_layout_free(&lay);
	pixDestroy(&pix);
	free(in);
	free(master);
	return r;
}

int
main(int argc, char **argv)
{
	size_t i;
	int    r;

	setMsgSeverity(L_SEVERITY_NONE);
	r = wq_stage_main("ocr", argc, argv, ocr_init, ocr_page);
	for (i = 0; i < neng; i++) {
		TessBaseAPIEnd(eng[i].api);
		TessBaseAPIDelete(eng[i].api);
	}
	wq_dicts_close(&dicts);
	return r;
}

/*
 * measure.c - what a page's text and images say about its quality when
 * there is no ground truth to compare with.
 *
 *   text_measures()   dictionary, other-script and stray-symbol shares
 *   image_measures()  sharpness and clipping of the scan, border left on
 *                     the cleaned page
 *
 * Confidence is the OCR engine's opinion of itself; these are independent
 * witnesses.  A reading that is wrong tends to leave words no dictionary
 * knows, Latin letters inside an Arabic line (or the reverse) and symbols
 * that print rarely (| ~ ^ _ ...), and a scan that is blurred, clipped or
 * still framed by a dark border reads badly whatever the engine thinks.
 * How well each tracks the real CER is measured in tests/e2e/report.sh.
 *
 * The text is the ALTO file's, as wq_alto_read() gives it: it carries
 * LANG and BASEDIRECTION per line.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <unistr.h>

#include "report.h"

/*
 * is_usual: letters, digits and the punctuation French and Arabic print
 * use.  What is left (| ~ ^ _ \ < > = * # and friends, box drawing,
 * private use, U+FFFD) is rare in print and common in misreadings.
 */
static int
is_usual(ucs4_t c)
{
	static const ucs4_t punct[] = {
		'.', ',', ';', ':', '!', '?', '\'', '"', '(', ')', '[', ']',
		'-', '/', '%', '&', 0x2013, 0x2014, 0x2026, 0xab, 0xbb, 0x2039,
		0x203a, 0x2018, 0x2019, 0x201c, 0x201d, 0x60c, 0x61b, 0x61f,
		0x66a, 0x66b, 0x66c, 0x6d4, 0xb0, 0xa7, 0x2e
	};
	size_t i;

	if (wq_is_letter(c) || uc_is_general_category(c, UC_CATEGORY_N))
		return 1;
	for (i = 0; i < sizeof(punct) / sizeof(punct[0]); i++)
		if (c == punct[i])
			return 1;
	return 0;
}

/* line_script: what LANG says, else the script of most of its letters. */
static enum wq_script
line_script(const struct wq_line *l)
{
	size_t ar = 0, la = 0, i;

	if (l->lang != NULL && strcmp(l->lang, "ar") == 0)
		return WQ_SCRIPT_ARABIC;
	if (l->lang != NULL && (strcmp(l->lang, "fr") == 0 ||
	    strcmp(l->lang, "en") == 0))
		return WQ_SCRIPT_LATIN;
	for (i = 0; i < l->nw; i++) {
		const uint8_t *s = (const uint8_t *)l->w[i].text;
		ucs4_t         c;
		int            k;

		for (; *s != '\0'; s += k) {
			k = u8_mbtouc(&c, s, strlen((const char *)s));
			ar += wq_script_of(c) == WQ_SCRIPT_ARABIC;
			la += wq_script_of(c) == WQ_SCRIPT_LATIN;
		}
	}
	return ar == 0 && la == 0 ? WQ_SCRIPT_NONE :
	    ar >= la ? WQ_SCRIPT_ARABIC : WQ_SCRIPT_LATIN;
}

struct tally {
	size_t words, lettered, other, checked, found, chars, stray;
};

static void
tally_word(struct tally *ty, const char *w, enum wq_script ls, Hunhandle *h)
{
	const uint8_t *s = (const uint8_t *)w;
	size_t         letters = 0, other = 0;
	ucs4_t         c;
	int            k, r;

	ty->words++;
	for (; *s != '\0'; s += k) {
		k = u8_mbtouc(&c, s, strlen((const char *)s));
		if (uc_is_space(c))
			continue;
		ty->chars++;
		ty->stray += !is_usual(c);
		if (!uc_is_general_category(c, UC_CATEGORY_L))
			continue;	/* marks go with their letter */
		letters++;
		other += ls != WQ_SCRIPT_NONE && wq_script_of(c) != ls;
	}
	if (letters == 0)
		return;
	ty->lettered++;
	ty->other += other > 0;
	if (h != NULL && other == 0 && (r = wq_dict_spell(h, w)) >= 0) {
		ty->checked++;
		ty->found += r;
	}
}

static json_t *
share(size_t n, size_t of)
{
	return of > 0 ? json_real((double)n / (double)of) : json_null();
}

/*
 * text_measures: into q, shares of the page's words: found in the word
 * list of their line's language, with letters of another script than
 * their line's, and of its characters: stray symbols.
 */
void
text_measures(const struct wq_alto *t, const struct wq_dicts *d, json_t *q)
{
	struct tally ty = { 0 };
	size_t       i, j, nodict = 0;

	for (i = 0; i < t->nl; i++) {
		const struct wq_line *l = &t->l[i];
		enum wq_script      ls = line_script(l);
		Hunhandle          *h = ls == WQ_SCRIPT_ARABIC ? d->ar :
		    ls == WQ_SCRIPT_LATIN && (l->lang == NULL ||
		    strcmp(l->lang, "fr") == 0) ? d->fr : NULL;

		nodict += h == NULL && l->nw > 0;
		for (j = 0; j < l->nw; j++)
			tally_word(&ty, l->w[j].text, ls, h);
	}
	json_object_set_new(q, "dictionary_share", share(ty.found, ty.checked));
	json_object_set_new(q, "dictionary_words", json_integer(ty.checked));
	json_object_set_new(q, "lines_without_dictionary", json_integer(nodict));
	json_object_set_new(q, "other_script_share", share(ty.other, ty.lettered));
	json_object_set_new(q, "stray_symbol_share", share(ty.stray, ty.chars));
}

/*
 * sharpness: variance of the 4-neighbour Laplacian of an 8 bpp image.
 * Focus measures of this kind (Pech-Pacheco et al., 2000) fall as a page
 * blurs; the value depends on resolution and on how much ink there is,
 * so it compares pages of one batch, not batches.
 */
static double
sharpness(PIX *pix)
{
	l_int32   w = pixGetWidth(pix), h = pixGetHeight(pix);
	l_int32   wpl = pixGetWpl(pix), x, y;
	l_uint32 *data = pixGetData(pix), *up, *row, *down;
	double    sum = 0, sum2 = 0, n = 0, v;

	if (w < 3 || h < 3)
		return 0;
	for (y = 1; y < h - 1; y++) {
		up = data + (y - 1) * wpl;
		row = data + y * wpl;
		down = data + (y + 1) * wpl;
		for (x = 1; x < w - 1; x++) {
			v = (double)GET_DATA_BYTE(up, x) + GET_DATA_BYTE(down, x) +
			    GET_DATA_BYTE(row, x - 1) + GET_DATA_BYTE(row, x + 1) -
			    4.0 * GET_DATA_BYTE(row, x);
			sum += v;
			sum2 += v * v;
			n++;
		}
	}
	v = sum / n;
	return sum2 / n - v * v;
}

/* scan_measures: sharpness and clipping of the scan as ingested. */
static void
scan_measures(const char *work, const struct wq_page *p, json_t *q)
{
	char   *path = wq_sidecar(work, "ingest", p->doc, p->page, "tif");
	char    err[256];
	PIX    *pix = wq_exists(path) ? wq_pix_read(path, err, sizeof(err)) : NULL;
	PIX    *g = NULL;
	NUMA   *hist = NULL;
	l_float32 black, white, total;

	free(path);
	if (pix != NULL && pixGetDepth(pix) > 1)
		g = pixGetDepth(pix) == 32 ? pixConvertRGBToLuminance(pix) :
		    pixConvertTo8(pix, 0);
	pixDestroy(&pix);	/* a whole colour page: gone before the measures */
	if (g != NULL)
		hist = pixGetGrayHistogram(g, 1);
	if (hist == NULL) {
		/* a bilevel scan is all clipped and all sharp: no measure */
		json_object_set_new(q, "sharpness", json_null());
		json_object_set_new(q, "clipped_black", json_null());
		json_object_set_new(q, "clipped_white", json_null());
	} else {
		numaGetFValue(hist, 0, &black);
		numaGetFValue(hist, 255, &white);
		numaGetSum(hist, &total);
		json_object_set_new(q, "sharpness", json_real(sharpness(g)));
		json_object_set_new(q, "clipped_black", json_real(black / total));
		json_object_set_new(q, "clipped_white", json_real(white / total));
	}
	numaDestroy(&hist);
	pixDestroy(&g);
}

/*
 * border_left: share of dark pixels in a band along the four edges of the
 * cleaned 1-bit page (a fiftieth of the shorter side, at least 4 pixels).
 * Clean removes the scanner's border; what it missed shows here.
 */
static void
border_left(const char *work, const struct wq_page *p, json_t *q)
{
	char   *path = wq_sidecar(work, "clean", p->doc, p->page, "tif");
	char    err[256];
	PIX    *pix = wq_exists(path) ? wq_pix_read(path, err, sizeof(err)) : NULL;
	l_int32 w, h, b, on, sum = 0, area, i;
	BOX    *box[4];

	free(path);
	if (pix == NULL || pixGetDepth(pix) != 1) {
		json_object_set_new(q, "border_left", json_null());
		pixDestroy(&pix);
		return;
	}
	w = pixGetWidth(pix);
	h = pixGetHeight(pix);
	b = L_MAX(4, L_MIN(w, h) / 50);
	b = L_MIN(b, L_MIN(w, h) / 2);
	box[0] = boxCreate(0, 0, w, b);
	box[1] = boxCreate(0, h - b, w, b);
	box[2] = boxCreate(0, b, b, h - 2 * b);
	box[3] = boxCreate(w - b, b, b, h - 2 * b);
	area = 2 * w * b + 2 * b * (h - 2 * b);
	for (i = 0; i < 4; i++) {
		if (pixCountPixelsInRect(pix, box[i], &on, NULL) == 0)
			sum += on;
		boxDestroy(&box[i]);
	}
	json_object_set_new(q, "border_left",
	    area > 0 ? json_real((double)sum / area) : json_null());
	pixDestroy(&pix);
}

/* image_measures: into q; a measure whose image is missing is null. */
void
image_measures(const char *work, const struct wq_page *p, json_t *q)
{
	scan_measures(work, p, q);
	border_left(work, p, q);
}

/*
 * spread.c - double-page spreads: where the gutter is, and which of the
 * two pages comes first.
 *
 *   spread_gutter()   the gutter's column in a spread, or -1
 *   spread_arabic()   1 if the spread's text is in Arabic script
 *
 * The gutter is found from the text, on a small background-normalised
 * copy: either the dark shadow of the fold or the widest blank column
 * band near the middle, with text on both sides.  Books in Arabic script
 * are bound on the right, so their right-hand page comes first.
 */
#include <stdlib.h>
#include <string.h>

#include "spread.h"
#include "wq.h"

#define LONG_SIDE	1000	/* the analysis copy's longer side, pixels */
#define BAND_LO		0.35	/* the gutter is looked for in this band */
#define BAND_HI		0.65
#define BLANK_INK	0.015	/* a column this inky is blank */
#define FOLD_INK	0.5	/* a column this inky is the fold's shadow */
#define TEXT_INK	0.01	/* each page must be at least this inky */

/* ink_profile: per column, the share of ink in the middle 80% of rows. */
static float *
ink_profile(PIX *bin)
{
	l_int32  w = pixGetWidth(bin), h = pixGetHeight(bin), x, y, y0, y1;
	l_uint32 *data = pixGetData(bin);
	l_int32  wpl = pixGetWpl(bin);
	float   *p = calloc((size_t)w, sizeof(float));

	if (p == NULL)
		return NULL;
	y0 = h / 10, y1 = h - h / 10;
	for (y = y0; y < y1; y++) {
		l_uint32 *line = data + (size_t)y * wpl;

		for (x = 0; x < w; x++)
			p[x] += GET_DATA_BIT(line, x);
	}
	for (x = 0; x < w; x++)
		p[x] /= (float)(y1 - y0 > 0 ? y1 - y0 : 1);
	return p;
}

/* mean: of p[a..b) */
static float
mean(const float *p, l_int32 a, l_int32 b)
{
	double s = 0;
	l_int32 x;

	for (x = a; x < b; x++)
		s += p[x];
	return b > a ? (float)(s / (b - a)) : 0;
}

/*
 * longest_run: centre of the longest run of columns in [a, b) for which
 * (p[x] >= t) == above, or -1; its length in *len.
 */
static l_int32
longest_run(const float *p, l_int32 a, l_int32 b, float t, int above,
    l_int32 *len)
{
	l_int32 x, start = -1, best = -1;

	*len = 0;
	for (x = a; x <= b; x++) {
		int in = x < b && (p[x] >= t) == above;

		if (in && start < 0)
			start = x;
		if (!in && start >= 0) {
			if (x - start > *len)
				*len = x - start, best = (start + x) / 2;
			start = -1;
		}
	}
	return best;
}

/*
 * spread_gutter: the column of pix (any depth) where its two pages meet,
 * or -1 when pix is not a spread.  A portrait image is never a spread
 * unless always is set; with always set and no gutter seen, the middle.
 */
l_int32
spread_gutter(PIX *pix, int always)
{
	l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix), sw, x = -1, len;
	l_int32 a, b;
	float   sc, *p = NULL;
	PIX    *g = NULL, *s = NULL, *n = NULL, *bin = NULL;

	if (!always && w < h * 1.15)
		return -1;
	sc = (float)LONG_SIDE / (w > h ? w : h);
	if (sc > 1)
		sc = 1;
	if ((g = pixConvertTo8(pix, 0)) == NULL ||
	    (s = pixScale(g, sc, sc)) == NULL ||
	    (n = pixBackgroundNormSimple(s, NULL, NULL)) == NULL ||
	    (bin = pixThresholdToBinary(n, 140)) == NULL ||
	    (p = ink_profile(bin)) == NULL)
		goto done;
	sw = pixGetWidth(bin);
	a = (l_int32)(BAND_LO * sw), b = (l_int32)(BAND_HI * sw);
	/* a fold's shadow survives normalisation as a dark band; else the
	 * widest blank band between the pages' text */
	if ((x = longest_run(p, a, b, FOLD_INK, 1, &len)) < 0 || len < 2)
		x = longest_run(p, a, b, BLANK_INK, 0, &len);
	if (x >= 0 && (mean(p, sw / 10, x - len / 2) < TEXT_INK ||
	    mean(p, x + len / 2 + 1, sw - sw / 10) < TEXT_INK))
		x = -1;		/* a page without text: not a spread seen */
	if (x >= 0)
		x = (l_int32)(x / sc + 0.5);
done:
	if (x < 0 && always)
		x = w / 2;
	free(p);
	pixDestroy(&bin);
	pixDestroy(&n);
	pixDestroy(&s);
	pixDestroy(&g);
	return x;
}

/*
 * spread_arabic: 1 when Tesseract's script detection reads the spread as
 * Arabic script, 0 otherwise (or when it cannot tell).
 */
int
spread_arabic(PIX *pix)
{
	PIX        *g, *bin;
	const char *script;
	float       conf, sconf;

	if ((g = pixConvertTo8(pix, 0)) == NULL)
		return 0;
	bin = pixThresholdToBinary(g, 128);
	pixDestroy(&g);
	if (bin == NULL)
		return 0;
	wq_osd_detect(bin, &conf, &script, &sconf);
	pixDestroy(&bin);
	return script != NULL && strcmp(script, "Arabic") == 0;
}

/*
 * script.c - a text line's script, Arabic or Latin, from its pixels.
 *
 *   script_features()  the measurements of a 1-bit line image
 *   script_arabic()    the probability that they are of Arabic script
 *
 * Method.  The two scripts differ in shape before they differ in letters:
 * Arabic writing runs along one baseline, joined, so most of its ink lies
 * in a narrow band with long horizontal runs, and its words break into a
 * few wide joined pieces and many small dots; Latin letters stand apart,
 * a few per line height, with vertical stems and a body as tall as the
 * x-height, and few dots.  The measures below are scaled by the line's
 * height, so that one set of weights holds from 72 to 600 ppi:
 *
 *   0 band       rows holding at least half the densest row's ink, over
 *                the ink's height (Arabic: a thin baseline band)
 *   1 peak       ink of the densest row over the ink's width (Arabic's
 *                baseline strokes cover much of it)
 *   2 pieces     components of more than a speck per line height of width
 *   3 dots       share of those components no larger either way than a
 *                fifth of the height or, in bold or large print, about
 *                twice the pen's width (i'jam dots, vowel marks)
 *   4 aspect     median width over height of the components taller than
 *                a third of the line
 *   5 inband     share of the ink inside the band
 *   6 cuts       ink runs along the densest row per line height of width
 *                (Latin stems cut it often)
 *   7 runlen     longest run along the densest row over the height
 *
 * The weights are a logistic regression fitted on the training lines of
 * ../shared/train (printed Arabic books and journals, French 17th-century
 * print), none of which ../shared/eval/data uses: tools/script-model.sh
 * makes them again, and says how they were measured.  A line with too
 * little ink to measure (a page number, a dash) gets 0.5: its region and
 * page decide (layout.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

/*
 * Fitted by tools/script-model.sh: means and spreads of the features over
 * the training lines, then the weights of the standardised features and
 * the bias.
 */
static const double mean[SCRIPT_NFEAT] = {
	0.2561, 0.4425, 3.2306, 0.3788, 0.8446, 0.5741, 2.8437, 0.5981
};
static const double spread[SCRIPT_NFEAT] = {
	0.1517, 0.1088, 1.2895, 0.1548, 0.3183, 0.1807, 1.0481, 0.3924
};
static const double weight[SCRIPT_NFEAT] = {
	-2.4582, -1.4563, -0.9295, 2.0551, -0.4512, -0.7570, -0.2753, 2.2135
};
static const double bias = 1.3870;

static int
cmpint(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * stroke: the pen's width, as the median length of the horizontal runs
 * of ink (a stem's width in Latin, a vertical stroke's in Arabic); 0
 * without ink.
 */
static double
stroke(PIX *bin)
{
	l_int32   w = pixGetWidth(bin), h = pixGetHeight(bin), wpl = pixGetWpl(bin);
	l_uint32 *data = pixGetData(bin);
	int       hist[64] = { 0 }, x, y, run, n = 0, k, acc;

	for (y = 0; y < h; y++) {
		l_uint32 *line = data + y * wpl;

		for (x = 0, run = 0; x <= w; x++) {
			if (x < w && GET_DATA_BIT(line, x)) {
				run++;
				continue;
			}
			if (run > 0) {
				hist[run < 63 ? run : 63]++;
				n++;
			}
			run = 0;
		}
	}
	for (k = 0, acc = 0; k < 64; k++)
		if ((acc += hist[k]) * 2 >= n && n > 0)
			return k;
	return 0;
}

/*
 * script_features: the SCRIPT_NFEAT measures of bin (1 bpp, a line and a
 * little around it; borrowed) into f.  Returns the number of components
 * measured; fewer than SCRIPT_MIN_PIECES means the figures say little.
 */
int
script_features(PIX *bin, double *f)
{
	BOXA     *ba = NULL;
	NUMA     *rows = NULL;
	l_int32   w, h, n, i, x, y0 = -1, y1 = -1, x0 = -1, x1 = -1;
	l_float32 v, max = 0;
	int      *aspect = NULL, na = 0, npieces = 0, ndots = 0, peak = 0;
	double    total = 0, inband = 0, cuts = 0, run = 0, longest = 0, H, W, dot;
	int       band = 0;

	memset(f, 0, SCRIPT_NFEAT * sizeof(*f));
	if (bin == NULL || pixGetDepth(bin) != 1)
		return 0;
	w = pixGetWidth(bin);
	h = pixGetHeight(bin);
	if ((rows = pixCountPixelsByRow(bin, NULL)) == NULL)
		return 0;
	for (i = 0; i < h; i++) {
		numaGetFValue(rows, i, &v);
		total += v;
		if (v > 0) {
			if (y0 < 0)
				y0 = i;
			y1 = i;
		}
		if (v > max)
			max = v, peak = i;
	}
	if (total == 0) {
		numaDestroy(&rows);
		return 0;
	}
	H = y1 - y0 + 1;
	for (i = 0; i < h; i++) {
		numaGetFValue(rows, i, &v);
		if (v >= max / 2)
			band++, inband += v;
	}
	numaDestroy(&rows);
	/* the densest row: its runs of ink */
	{
		l_uint32 *line = pixGetData(bin) + peak * pixGetWpl(bin);
		int       prev = 0;

		for (x = 0; x < w; x++) {
			int b = GET_DATA_BIT(line, x);

			if (b) {
				if (x0 < 0)
					x0 = x;
				x1 = x;
				run++;
				if (!prev)
					cuts++;
			} else {
				if (run > longest)
					longest = run;
				run = 0;
			}
			prev = b;
		}
		if (run > longest)
			longest = run;
	}
	/* the ink's width, from its columns */
	{
		NUMA *cols = pixCountPixelsByColumn(bin);

		x0 = x1 = -1;
		for (x = 0; cols != NULL && x < w; x++) {
			numaGetFValue(cols, x, &v);
			if (v > 0) {
				if (x0 < 0)
					x0 = x;
				x1 = x;
			}
		}
		numaDestroy(&cols);
	}
	W = x1 >= x0 && x0 >= 0 ? x1 - x0 + 1 : 1;
	dot = H / 5;
	{	/* a dot is at most about twice the pen's width across */
		double sw = stroke(bin);

		if (sw > 0 && 2.2 * sw > dot)
			dot = 2.2 * sw < H / 3 ? 2.2 * sw : H / 3;
	}
	ba = pixConnCompBB(bin, 8);
	n = ba != NULL ? boxaGetCount(ba) : 0;
	aspect = calloc(n + 1, sizeof(int));
	if (aspect == NULL)
		abort();
	for (i = 0; i < n; i++) {
		l_int32 bx, by, bw, bh;

		boxaGetBoxGeometry(ba, i, &bx, &by, &bw, &bh);
		if (bw * bh < 4 || (bw < H / 25 && bh < H / 25))
			continue;	/* a speck */
		npieces++;
		/* a dot, or two side by side */
		if (bh <= dot && bw <= 2.5 * dot)
			ndots++;
		if (bh > H / 3)
			aspect[na++] = (int)(1000.0 * bw / bh);
	}
	boxaDestroy(&ba);
	qsort(aspect, na, sizeof(int), cmpint);
	f[0] = band / H;
	f[1] = max / W;
	f[2] = npieces / (W / H);
	f[3] = npieces ? (double)ndots / npieces : 0;
	f[4] = na ? aspect[na / 2] / 1000.0 : 0;
	f[5] = inband / total;
	f[6] = cuts / (W / H);
	f[7] = longest / H;
	free(aspect);
	return npieces;
}

/* script_arabic: the probability that features f are of Arabic script. */
double
script_arabic(const double *f)
{
	double z = bias;
	int    i;

	for (i = 0; i < SCRIPT_NFEAT; i++)
		z += weight[i] * (f[i] - mean[i]) / spread[i];
	return 1.0 / (1.0 + exp(-z));
}

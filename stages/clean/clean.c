/*
 * warraq-clean - background, binarisation, speckle and scanner border.
 *
 *   warraq-clean [options] WORK_DIR [DOC/PAGE ...]
 *
 * From the upright page (WORK/deskew, or WORK/ingest when deskew is off):
 *   1. gray, then Leptonica's background normalisation, which flattens
 *      uneven lighting and yellowed or stained paper to one level;
 *   2. binarisation of the normalised page: Sauvola (local, holds on faint
 *      ink) or Otsu (adaptive, tiled), window and factor from the profile;
 *   3. the dark scanner border: components touching the image edge that
 *      are large (a quarter of the page's width or height) are removed;
 *      text touching the edge is small and stays;
 *   4. speckle: components no larger than speckle_px in both directions
 *      (at 300 ppi, scaled by resolution) are removed, so i'jam dots,
 *      tashkeel and full stops, which are larger, survive;
 *   5. the content box: the bounding box of what is left.
 * Marginal notes and stamps are neither border nor speckle, so they
 * survive.  Pictures would not survive steps 1 and 2 (a large dark area
 * looks like background to the one and is hollowed out by the other), so
 * Leptonica's halftone/image mask finds them first and they are carried
 * through from the gray page unflattened (thresholded in the 1-bit page).
 * Border and speckle are also painted out of the 8-bit page.
 *
 * Writes WORK/clean/DOC/PAGE.tif (1 bpp, CCITT G4: the OCR input),
 * PAGE.gray.tif (8-bit cleaned page: access copy, report) and PAGE.json.
 * Sources are never touched: this stage reads only a derivative.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wq.h"

#define SAUVOLA_TILE 2048	/* pixels a side of a binarisation tile */

struct params {
	int    sauvola;		/* 1: Sauvola, 0: Otsu */
	long   window;		/* Sauvola half-window, pixels at 300 ppi */
	double factor;		/* Sauvola k */
	long   speckle;		/* largest speckle, pixels at 300 ppi */
};

static int
get_params(const struct wq_profile *pr, struct params *pa, char *err,
    size_t errlen)
{
	(void)err, (void)errlen;
	pa->sauvola = strcmp(wq_set_text(pr, "binarize"), "sauvola") == 0;
	pa->window = wq_set_long(pr, "sauvola_window");
	pa->factor = wq_set_real(pr, "sauvola_k");
	pa->speckle = wq_set_long(pr, "speckle_px");
	return 0;
}

/* to_gray: an 8 bpp copy of any page (colour by luminance). */
static PIX *
to_gray(PIX *pix)
{
	if (pixGetDepth(pix) == 32)
		return pixConvertRGBToLuminance(pix);
	return pixConvertTo8(pix, 0);
}

/* normalise: flat background at 255-ish; a clone when the page is too
 * small for Leptonica's tiles. */
static PIX *
normalise(PIX *gray)
{
	PIX *n = NULL;

	if (pixGetWidth(gray) >= 64 && pixGetHeight(gray) >= 64)
		n = pixBackgroundNorm(gray, NULL, NULL, 10, 15, 100, 50, 230, 2, 1);
	return n != NULL ? n : pixCopy(NULL, gray);
}

static PIX *
binarise(PIX *norm, const struct params *pa, int scale_num, int *thresh)
{
	l_int32 w = pixGetWidth(norm), h = pixGetHeight(norm);
	l_int32 win = (l_int32)(pa->window * scale_num / 300);
	PIX    *bin = NULL;

	*thresh = -1;
	if (win < 2)
		win = 2;
	if (pa->sauvola && w > 2 * win + 3 && h > 2 * win + 3) {
		/*
		 * In tiles of about SAUVOLA_TILE pixels a side: Sauvola's sums
		 * (32- and 64-bit a pixel) over a whole 600-ppi A3 page would
		 * hold four times the 32-bit page; tiles overlap by the window,
		 * so the result is the same.
		 */
		l_int32 nx = (w + SAUVOLA_TILE - 1) / SAUVOLA_TILE;
		l_int32 ny = (h + SAUVOLA_TILE - 1) / SAUVOLA_TILE;

		if (pixSauvolaBinarizeTiled(norm, win, (float)pa->factor,
		    nx, ny, NULL, &bin) == 0)
			return bin;
	} else if (!pa->sauvola && w >= 64 && h >= 64) {
		if (pixOtsuAdaptiveThreshold(norm, 300, 300, 0, 0, 0.1f, NULL,
		    &bin) == 0)
			return bin;
	}
	*thresh = 160;	/* tiny pages: a fixed threshold on the flat page */
	return pixThresholdToBinary(norm, 160);
}

/*
 * border_mask: large components touching the edge (the scanner border):
 * a quarter of the page's width or height, and three quarters of an inch
 * long at least, so that the words of a tightly cropped line, which touch
 * its edges, are not taken for border.
 */
static PIX *
border_mask(PIX *bin, l_int32 res)
{
	PIX *edge = pixExtractBorderConnComps(bin, 8), *big, *longer;

	if (edge == NULL)
		return NULL;
	big = pixSelectBySize(edge, pixGetWidth(bin) / 4, pixGetHeight(bin) / 4, 8,
	    L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
	pixDestroy(&edge);
	if (big == NULL)
		return NULL;
	longer = pixSelectBySize(big, res * 3 / 4, res * 3 / 4, 8,
	    L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
	pixDestroy(&big);
	return longer;
}

/*
 * keep_pictures: inside the picture mask, the 8-bit page takes the gray
 * page and the 1-bit page a plain threshold of it.  Returns the picture
 * area in pixels.
 */
static l_int32
keep_pictures(PIX *gray, PIX *norm, PIX *bin)
{
	PIX    *dark = pixThresholdToBinary(gray, 160), *mask, *t;
	l_int32 found = 0, n = 0;

	if (dark == NULL)
		return 0;
	mask = pixGenerateHalftoneMask(dark, NULL, &found, NULL);
	if (mask != NULL && found) {
		pixCountPixels(mask, &n, NULL);
		pixCombineMasked(norm, gray, mask);
		t = pixThresholdToBinary(gray, 128);
		if (t != NULL)
			pixCombineMasked(bin, t, mask);
		pixDestroy(&t);
	}
	pixDestroy(&mask);
	pixDestroy(&dark);
	return n;
}

static l_int32
count(PIX *bin)
{
	l_int32 n = 0;

	pixCountPixels(bin, &n, NULL);
	return n;
}

static int
clean_page(const struct wq_args *a, const struct wq_page *p, json_t *meta,
    char *err, size_t errlen)
{
	char         *in = wq_sidecar(a->work, a->image, p->doc, p->page, "tif");
	char         *out = wq_sidecar(a->work, "clean", p->doc, p->page, "tif");
	char         *grayout = wq_sidecar(a->work, "clean", p->doc, p->page, "gray.tif");
	PIX          *pix = NULL, *gray = NULL, *norm = NULL, *bin = NULL;
	PIX          *border = NULL, *kept = NULL, *specks = NULL;
	BOX          *box = NULL;
	struct params pa;
	l_int32       res, before, npicture, nborder = 0, nspeck = 0, ncomp = 0, thresh = -1;
	int           r = -1, bilevel;

	if (get_params(&a->profile, &pa, err, errlen) == -1 ||
	    (pix = wq_pix_read(in, err, errlen)) == NULL)
		goto done;
	res = pixGetXRes(pix) > 0 ? pixGetXRes(pix) : 300;
	if ((gray = to_gray(pix)) == NULL || (norm = normalise(gray)) == NULL ||
	    (bin = pixGetDepth(pix) == 1 ? pixClone(pix) :
	    binarise(norm, &pa, res, &thresh)) == NULL) {
		snprintf(err, errlen, "cannot binarise the page");
		goto done;
	}
	pixCopyResolution(bin, pix);
	pixCopyResolution(norm, pix);
	/* a colour page is the largest copy here: gone before the rest */
	bilevel = pixGetDepth(pix) == 1;
	pixDestroy(&pix);
	npicture = bilevel ? 0 : keep_pictures(gray, norm, bin);
	before = count(bin);
	if ((border = border_mask(bin, res)) != NULL) {
		nborder = count(border);
		pixSubtract(bin, bin, border);
	}
	if (pa.speckle > 0) {
		l_int32 s = (l_int32)lround((double)pa.speckle * res / 300.0);

		/* keep what is larger than a speckle in either direction */
		kept = pixSelectBySize(bin, s, s, 8, L_SELECT_IF_EITHER,
		    L_SELECT_IF_GT, NULL);
		if (kept != NULL) {
			specks = pixSubtract(NULL, bin, kept);
			pixCountConnComp(specks, 8, &nspeck);
			pixDestroy(&bin);
			bin = kept;
			kept = NULL;
		}
	}
	/* what left the binary page leaves the 8-bit page too */
	if (border != NULL)
		pixSetMasked(norm, border, 255);
	if (specks != NULL)
		pixSetMasked(norm, specks, 255);
	pixClipBoxToForeground(bin, NULL, NULL, &box);
	pixCountConnComp(bin, 8, &ncomp);

	json_object_set_new(meta, "binarization", bilevel ?
	    json_pack("{s:s}", "method", "none (the page was already 1-bit)") :
	    thresh >= 0 ? json_pack("{s:s, s:i}", "method", "fixed threshold "
	    "(page too small for a local method)", "threshold", thresh) :
	    pa.sauvola ? json_pack("{s:s, s:i, s:f}", "method", "sauvola",
	    "window_px", (int)(pa.window * res / 300), "k", pa.factor) :
	    json_pack("{s:s, s:i}", "method", "otsu adaptive", "tile_px", 300));
	json_object_set_new(meta, "background_normalization", json_pack(
	    "{s:s, s:i}", "method", "leptonica pixBackgroundNorm", "bgval", 230));
	json_object_set_new(meta, "picture_px", json_integer(npicture));
	json_object_set_new(meta, "border_removed_px", json_integer(nborder));
	json_object_set_new(meta, "speckles_removed", json_integer(nspeck));
	json_object_set_new(meta, "speckle_px", json_integer(pa.speckle));
	json_object_set_new(meta, "ink_px_before", json_integer(before));
	json_object_set_new(meta, "ink_px", json_integer(count(bin)));
	json_object_set_new(meta, "components", json_integer(ncomp));
	json_object_set_new(meta, "content_box", wq_box_json(box));
	json_object_set_new(meta, "blank", json_boolean(box == NULL));
	json_object_set_new(meta, "split", json_boolean(p->part != NULL &&
	    strcmp(p->part, "full") != 0));
	json_object_set_new(meta, "width", json_integer(pixGetWidth(bin)));
	json_object_set_new(meta, "height", json_integer(pixGetHeight(bin)));
	json_object_set_new(meta, "dpi", json_integer(res));
	if (wq_pix_write(grayout, norm, err, errlen) == 0 &&
	    wq_pix_write(out, bin, err, errlen) == 0)
		r = 0;
done:
	pixDestroy(&pix);
	pixDestroy(&gray);
	pixDestroy(&norm);
	pixDestroy(&bin);
	pixDestroy(&border);
	pixDestroy(&kept);
	pixDestroy(&specks);
	boxDestroy(&box);
	free(in);
	free(out);
	free(grayout);
	return r;
}

int
main(int argc, char **argv)
{
	setMsgSeverity(L_SEVERITY_NONE);
	return wq_stage_main("clean", argc, argv, NULL, clean_page);
}

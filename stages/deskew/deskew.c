/*
 * warraq-deskew - page orientation and skew, corrected.
 *
 *   warraq-deskew [options] WORK_DIR [DOC/PAGE ...]
 *
 * Orientation (0, 90, 180, 270): Leptonica's ascender/descender count
 * (milliseconds) settles most upright pages; only the pages it is unsure
 * of go to Tesseract's orientation and script detection (OSD), which
 * knows Arabic as well as Latin script but costs about as much as a
 * recognition pass, and which, unsure, turns upright old print upside
 * down.  Skew
 * within +-15 degrees from the text itself, by Leptonica's projection
 * profile sweep and binary search on a background-normalised binary
 * image (page edges are ignored: ragged margins are normal in Arabic and
 * mixed layouts).  The page is rotated with its full extent kept and the
 * corners filled with the page's own background colour.  A page without
 * enough text for either measure is passed through unrotated, with the
 * low confidence recorded.
 *
 * Writes WORK/deskew/DOC/PAGE.tif and PAGE.json.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wq.h"

#define SKEW_RANGE	15.0	/* degrees searched either way */
#define SKEW_MINCONF	3.0	/* Leptonica's own floor for a valid angle */
#define SKEW_MINANGLE	0.05	/* below this a rotation only blurs */
#define OSD_MINCONF	5.0	/* OSD below this has turned upright pages */
#define UP_SURE		5.0	/* Leptonica's upright confidence that needs no OSD */

/* analysis_image: 1 bpp, normalised for uneven paper, at about 300 ppi. */
static PIX *
analysis_image(PIX *pix)
{
	PIX *g = pixConvertTo8(pix, 0), *n, *b;

	if (g == NULL)
		return NULL;
	n = pixGetDepth(pix) == 1 ? pixClone(g) : pixBackgroundNormSimple(g, NULL, NULL);
	pixDestroy(&g);
	if (n == NULL)
		return NULL;
	b = pixThresholdToBinary(n, 140);
	pixDestroy(&n);
	return b;
}

/*
 * upright: 1 when Leptonica's text orientation test finds the page clearly
 * upright (its confidence in *up, *left), else 0.  It reads text of about
 * 150 ppi best.
 */
static int
upright(PIX *bin, float *up, float *left)
{
	PIX *r = pixGetXRes(bin) > 250 ? pixReduceRankBinary2(bin, 1, NULL) :
	    pixClone(bin);

	*up = *left = 0;
	if (r == NULL || pixOrientDetect(r, up, left, 0, 0) != 0)
		*up = *left = 0;
	pixDestroy(&r);
	return *up >= UP_SURE && *up > 2 * fabsf(*left);
}

/*
 * background: the paper's colour, the bright end of the page: a gray
 * level for 8 bpp, 0xRRGGBB00 for 32 bpp, 0 (white) for 1 bpp.
 */
static l_uint32
background(PIX *pix)
{
	l_uint32  v = 0;
	l_float32 r, g, b;

	if (pixGetDepth(pix) == 32) {	/* per channel: a 256 would overflow */
		pixGetRankValueMaskedRGB(pix, NULL, 0, 0, 4, 0.9f, &r, &g, &b);
		composeRGBPixel(r > 255 ? 255 : (l_int32)(r + 0.5),
		    g > 255 ? 255 : (l_int32)(g + 0.5),
		    b > 255 ? 255 : (l_int32)(b + 0.5), &v);
		return v;
	}
	if (pixGetDepth(pix) != 1)
		pixGetRankValue(pix, 4, 0.9f, &v);
	if (pixGetDepth(pix) == 8 && v > 255)	/* the histogram's top edge */
		v = 255;
	return v;
}

static json_t *
background_json(PIX *pix, l_uint32 bg)
{
	char hex[8];

	if (pixGetDepth(pix) == 8)
		snprintf(hex, sizeof(hex), "#%02x%02x%02x", bg, bg, bg);
	else if (pixGetDepth(pix) == 32)
		snprintf(hex, sizeof(hex), "#%06x", bg >> 8);
	else
		snprintf(hex, sizeof(hex), "#ffffff");
	return json_string(hex);
}

/*
 * rotate_full: *pixp rotated by deg (clockwise positive, Leptonica's
 * sense) onto a canvas large enough to keep every corner, the new area
 * filled with bg.  Returns a new PIX; *pixp is destroyed.
 */
static PIX *
rotate_full(PIX **pixp, double deg, l_uint32 bg)
{
	PIX      *pix = *pixp;
	double    a = deg * M_PI / 180.0;
	l_int32   w = pixGetWidth(pix), h = pixGetHeight(pix);
	l_int32   nw = (l_int32)ceil(fabs(w * cos(a)) + fabs(h * sin(a)));
	l_int32   nh = (l_int32)ceil(fabs(w * sin(a)) + fabs(h * cos(a)));
	int       d = pixGetDepth(pix);
	PIX      *r, *m, *mr, *e;

	/*
	 * pixRotate() would embed pix in the larger canvas itself and keep
	 * both while rotating; embedded here, pix goes first (*pixp is
	 * consumed): on a 600-ppi A3 colour page that is a whole copy less.
	 */
	e = pixEmbedForRotation(*pixp, (float)a, L_BRING_IN_WHITE, nw, nh);
	pixDestroy(pixp);
	if (e == NULL)
		return NULL;
	r = pixRotate(e, (float)a, d == 1 ? L_ROTATE_SHEAR : L_ROTATE_AREA_MAP,
	    L_BRING_IN_WHITE, 0, 0);
	pixDestroy(&e);
	if (r == NULL || d == 1)
		return r;
	/* Mark what the rotation brought in, and paint it the paper's colour. */
	m = pixCreate(w, h, 1);
	pixSetAll(m);
	mr = pixRotate(m, (float)a, L_ROTATE_SAMPLING, L_BRING_IN_WHITE, nw, nh);
	pixDestroy(&m);
	if (mr != NULL) {
		pixInvert(mr, mr);
		pixSetMasked(r, mr, bg);
		pixDestroy(&mr);
	}
	return r;
}

static int
deskew_page(const struct wq_args *a, const struct wq_page *p, json_t *meta,
    char *err, size_t errlen)
{
	char       *in = wq_sidecar(a->work, a->image, p->doc, p->page, "tif");
	char       *out = wq_sidecar(a->work, "deskew", p->doc, p->page, "tif");
	PIX        *pix = NULL, *bin = NULL, *t;
	float       oconf, sconf, up, left, angle = 0, conf = 0;
	const char *script;
	l_uint32    bg;
	int         quads = 0, r = -1, rotated = 0;

	if ((pix = wq_pix_read(in, err, errlen)) == NULL)
		goto done;
	if (pixGetWidth(pix) < 16 || pixGetHeight(pix) < 16) {
		/* too small to measure: passed through, said so */
		json_object_set_new(meta, "note", json_string("image too small to "
		    "measure orientation or skew"));
	} else if (strcmp(wq_set_text(&a->profile, "layout"),
	    "page") != 0) {
		/* a pre-cut line or word: one line gives no reliable skew,
		 * and turning it only blurs what the recogniser reads */
		json_object_set_new(meta, "note", json_string("layout is line or "
		    "word: a pre-cut sample, passed through"));
	} else if ((bin = analysis_image(pix)) == NULL) {
		snprintf(err, errlen, "cannot analyse the page image");
		goto done;
	} else {
		if (upright(bin, &up, &left)) {
			json_object_set_new(meta, "orientation_method",
			    json_string("leptonica"));
		} else {
			quads = wq_osd_detect(bin, &oconf, &script, &sconf);
			if (oconf < OSD_MINCONF)
				quads = 0;
			json_object_set_new(meta, "orientation_method",
			    json_string("osd"));
			json_object_set_new(meta, "orientation_confidence",
			    json_real(oconf));
			json_object_set_new(meta, "osd_script", script ?
			    wq_json_text(script, 64) : json_null());
			json_object_set_new(meta, "osd_script_confidence",
			    json_real(sconf));
		}
		json_object_set_new(meta, "upright_confidence", json_real(up));
		json_object_set_new(meta, "sideways_confidence", json_real(left));
		if (quads != 0) {	/* turn it back: 4 - quads turns clockwise */
			t = pixRotateOrth(pix, 4 - quads);
			pixDestroy(&pix);
			pix = t;
			t = pixRotateOrth(bin, 4 - quads);
			pixDestroy(&bin);
			bin = t;
		}
		if (pixFindSkewSweepAndSearch(bin, &angle, &conf, 4, 2,
		    SKEW_RANGE + 2.0, 1.0, 0.01) != 0)	/* Leptonica gives 0
							 * confidence at its range's edge */
			angle = conf = 0;
	}
	bg = background(pix);
	if (conf >= SKEW_MINCONF && fabs(angle) >= SKEW_MINANGLE &&
	    fabs(angle) <= SKEW_RANGE) {
		if ((pix = rotate_full(&pix, angle, bg)) == NULL) {
			snprintf(err, errlen, "rotation failed");
			goto done;
		}
		rotated = 1;
	}
	json_object_set_new(meta, "orientation_deg", json_integer(quads * 90));
	json_object_set_new(meta, "skew_deg", json_real(rotated ? angle : 0));
	json_object_set_new(meta, "skew_measured_deg", json_real(angle));
	json_object_set_new(meta, "skew_confidence", json_real(conf));
	json_object_set_new(meta, "method", json_string("orientation: Leptonica "
	    "pixOrientDetect, Tesseract OSD when unsure; skew: Leptonica projection-profile sweep and binary search "
	    "on the text"));
	json_object_set_new(meta, "background", background_json(pix, bg));
	json_object_set_new(meta, "width", json_integer(pixGetWidth(pix)));
	json_object_set_new(meta, "height", json_integer(pixGetHeight(pix)));
	r = wq_pix_write(out, pix, err, errlen);
done:
	pixDestroy(&pix);
	pixDestroy(&bin);
	free(in);
	free(out);
	return r;
}

int
main(int argc, char **argv)
{
	int r;

	setMsgSeverity(L_SEVERITY_NONE);
	r = wq_stage_main("deskew", argc, argv, NULL, deskew_page);
	wq_osd_done();
	return r;
}

/*
 * osd.c - Tesseract's orientation and script detection (OSD), with one
 * model per process, loaded on first use.
 *
 *   wq_osd_detect()  quarter turns from upright and script of a page
 *   wq_osd_done()    frees the model
 *
 * Deskew asks it when Leptonica is unsure of a page's orientation, ingest
 * when it must know whether a spread is in Arabic script.
 */
#include <tesseract/capi.h>

#include "wq.h"

static TessBaseAPI *osd;
static int          osd_failed;	/* said once, not tried again */

/*
 * wq_osd_detect: how many quarter turns clockwise bin (1 bpp, borrowed)
 * was turned from upright (0..3), with OSD's confidence in *conf, the
 * script's name (owned by the model, valid until wq_osd_done()) in
 * *script and its confidence in *sconf.  Returns 0 with *conf 0 and
 * *script NULL when it cannot tell; a missing model is said once.
 */
int
wq_osd_detect(PIX *bin, float *conf, const char **script, float *sconf)
{
	int deg = 0;

	*conf = *sconf = 0;
	*script = NULL;
	if (osd == NULL && !osd_failed) {
		osd = TessBaseAPICreate();
		if (TessBaseAPIInit3(osd, NULL, "osd") != 0) {
			TessBaseAPIDelete(osd);
			osd = NULL;
			osd_failed = 1;
			wq_warnx("osd.traineddata", "cannot load Tesseract's "
			    "orientation and script model; orientation and "
			    "script are not detected");
		} else
			TessBaseAPISetVariable(osd, "debug_file", "/dev/null");
	}
	if (osd == NULL)
		return 0;
	TessBaseAPISetPageSegMode(osd, PSM_OSD_ONLY);
	TessBaseAPISetImage2(osd, bin);
	if (!TessBaseAPIDetectOrientationScript(osd, &deg, conf, script, sconf)) {
		*conf = *sconf = 0;
		*script = NULL;
		deg = 0;
	}
	TessBaseAPIClear(osd);	/* its copy of the page, not the model */
	return ((deg + 45) / 90) % 4;
}

/* wq_osd_done: frees the model, if it was loaded. */
void
wq_osd_done(void)
{
	if (osd != NULL) {
		TessBaseAPIEnd(osd);
		TessBaseAPIDelete(osd);
		osd = NULL;
	}
}

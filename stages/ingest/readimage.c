/*
 * readimage.c - scanner output (TIFF, JPEG, PNG, JPEG 2000) into
 * Leptonica images.
 *
 *   ri_sniff()   the format of a file, from its first bytes
 *   ri_count()   how many page images a file holds
 *   ri_read()    one page image as a 1, 8 or 32 bpp PIX, with metadata
 *                (a PNG's chunks are checked against its size first)
 *   ri_quiet()   route libtiff's and Leptonica's messages into our errors
 *
 * TIFF goes through libtiff's RGBA interface, which already knows every
 * layout scanners and legacy stores produce (1-bit to 16-bit, palette,
 * alpha, YCbCr, CMYK, striped or tiled, planar, every codec libtiff was
 * built with), and then back to the narrowest lossless form: 1 bpp for
 * bilevel scans, 8 bpp for gray ones, 32 bpp RGB otherwise.  The only
 * losses, both recorded, are 16 -> 8 bit and alpha composited over white.
 *
 * JPEG 2000 (a JP2 file or a bare J2K codestream, the lossless masters
 * of many national libraries) is decoded by OpenJPEG (libopenjp2), as
 * Leptonica's reader stops at 8 bits a sample; more are reduced to 8,
 * and recorded.
 *
 * Everything here treats the file as hostile: sizes are checked against
 * the pixel limit before any allocation, tag strings are bounded and made
 * valid UTF-8 before they reach JSON, and every libtiff error is caught.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <lcms2.h>
#include <openjpeg.h>
#include <tiffio.h>

#include "wq.h"
#include "readimage.h"

#define TAG_MAX 256	/* bytes kept of a free-text tag */
/*
 * Resolutions believed, in pixels per inch: scanners and cameras write
 * 72 to 12,800; 0, negative, 1e9 or 1e-6 is damage, and used as is would
 * scale every later stage's filters to nothing or to the whole page.
 */
#define PPI_MIN 10.0
#define PPI_MAX 100000.0

static char tifferr[256];
static json_t *tiffwarn;	/* libtiff's warnings on the file being read */
#define WARN_MAX 20		/* of them kept */

static void
tiff_error(const char *module, const char *fmt, va_list ap)
{
	/*
	 * A tag value libtiff refuses while reading a directory (a negative
	 * resolution) is dropped and the directory read on: the image is
	 * fine, and what the tag meant is checked where it is used.
	 */
	if (module != NULL && strcmp(module, "_TIFFVSetField") == 0)
		return;
	/* keep the first error: later ones are usually its consequences */
	if (tifferr[0] == '\0')
		vsnprintf(tifferr, sizeof(tifferr), fmt, ap);
}

/*
 * tiff_warning: warnings are kept (the first WARN_MAX) for the technical
 * metadata, and one is damage, kept as an error: an IFD chain that loops
 * back (libtiff stops at the loop, with a warning only, and the file would
 * read as a shorter, healthy one).
 */
static void
tiff_warning(const char *module, const char *fmt, va_list ap)
{
	char    msg[256];
	va_list aq;

	(void)module;
	va_copy(aq, ap);
	vsnprintf(msg, sizeof(msg), fmt, aq);
	va_end(aq);
	if (tiffwarn != NULL && json_array_size(tiffwarn) < WARN_MAX) {
		json_t *m = wq_json_text(msg, sizeof(msg)), *v;
		size_t  i;

		json_array_foreach(tiffwarn, i, v)	/* a directory read twice */
			if (json_equal(v, m))
				break;
		if (i == json_array_size(tiffwarn))
			json_array_append(tiffwarn, m);
		json_decref(m);
	}
	if (strstr(fmt, "IFD loop") != NULL && tifferr[0] == '\0')
		snprintf(tifferr, sizeof(tifferr), "%s", msg);
}

/* ri_quiet: call once before reading; messages then reach err[] instead. */
void
ri_quiet(void)
{
	TIFFSetErrorHandler(tiff_error);
	TIFFSetWarningHandler(tiff_warning);
	setMsgSeverity(L_SEVERITY_NONE);
}

enum ri_format
ri_sniff(const char *path)
{
	static const unsigned char jp2[12] = { 0, 0, 0, 12, 'j', 'P', ' ', ' ',
	    0x0d, 0x0a, 0x87, 0x0a };
	unsigned char b[12] = { 0 };
	int           fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t       n;

	if (fd == -1)
		return RI_UNKNOWN;
	n = read(fd, b, sizeof(b));
	close(fd);
	if (n < 4)
		return RI_UNKNOWN;
	if (n == 12 && memcmp(b, jp2, 12) == 0)
		return RI_JP2;
	if (b[0] == 0xff && b[1] == 0x4f && b[2] == 0xff && b[3] == 0x51)
		return RI_J2K;
	if ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0) ||
	    (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43)))
		return RI_TIFF;
	if (b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return RI_JPEG;
	if (b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G')
		return RI_PNG;
	return RI_UNKNOWN;
}

/*
 * tiff_open: the handlers are installed again on every open: Leptonica's
 * TIFF writer (pixWriteTiff, used for every page) sets libtiff's global
 * handlers to NULL, and without ours every later error would be lost,
 * a broken IFD chain (ri_count) then reading as its end.
 */
static TIFF *
tiff_open(const char *path, char *err, size_t errlen)
{
	TIFF *tif;

	TIFFSetErrorHandler(tiff_error);
	TIFFSetWarningHandler(tiff_warning);
	tifferr[0] = '\0';
	json_decref(tiffwarn);
	tiffwarn = json_array();
	tif = TIFFOpen(path, "r");
	if (tif == NULL)
		snprintf(err, errlen, "unreadable TIFF: %s",
		    tifferr[0] ? tifferr : "cannot open");
	return tif;
}

/*
 * ri_count: counts every image in the IFD chain, thumbnails included, so
 * that index i is the i-th directory; ri_read says which to skip.
 */
int
ri_count(const char *path, enum ri_format fmt, int *count, char *err,
    size_t errlen)
{
	TIFF *tif;
	int   n = 0;

	if (fmt != RI_TIFF) {
		*count = 1;
		return 0;
	}
	if ((tif = tiff_open(path, err, errlen)) == NULL)
		return -1;
	do {
		if (++n > 100000)
			break;
	} while (TIFFReadDirectory(tif));
	TIFFClose(tif);
	if (tifferr[0] != '\0') {
		snprintf(err, errlen, "unreadable IFD after image %d: %s", n,
		    tifferr);
		return -1;
	}
	*count = n;
	return 0;
}

static const char *
compression_name(unsigned c)
{
	switch (c) {
	case COMPRESSION_NONE:		return "none";
	case COMPRESSION_CCITTRLE:	return "CCITT RLE";
	case COMPRESSION_CCITTFAX3:	return "CCITT G3";
	case COMPRESSION_CCITTFAX4:	return "CCITT G4";
	case COMPRESSION_LZW:		return "LZW";
	case COMPRESSION_OJPEG:		return "old JPEG";
	case COMPRESSION_JPEG:		return "JPEG";
	case COMPRESSION_ADOBE_DEFLATE:	return "Adobe Deflate";
	case COMPRESSION_DEFLATE:	return "Deflate";
	case COMPRESSION_PACKBITS:	return "PackBits";
	case COMPRESSION_LZMA:		return "LZMA";
	case COMPRESSION_ZSTD:		return "ZSTD";
	case COMPRESSION_WEBP:		return "WebP";
	default:			return "other";
	}
}

static const char *
photometric_name(unsigned p)
{
	switch (p) {
	case PHOTOMETRIC_MINISWHITE:	return "min-is-white";
	case PHOTOMETRIC_MINISBLACK:	return "min-is-black";
	case PHOTOMETRIC_RGB:		return "RGB";
	case PHOTOMETRIC_PALETTE:	return "palette";
	case PHOTOMETRIC_MASK:		return "mask";
	case PHOTOMETRIC_SEPARATED:	return "separated";
	case PHOTOMETRIC_YCBCR:		return "YCbCr";
	case PHOTOMETRIC_CIELAB:	return "CIELab";
	default:			return "other";
	}
}

static void
set_tag_text(TIFF *tif, json_t *meta, unsigned tag, const char *key)
{
	const char *s = NULL;

	if (TIFFGetField(tif, tag, &s) == 1 && s != NULL)
		json_object_set_new(meta, key, wq_json_text(s, TAG_MAX));
}

/* icc_describe: the profile's description, through Little CMS. */
static void
icc_describe(const void *icc, uint32_t len, json_t *meta)
{
	cmsHPROFILE h = cmsOpenProfileFromMem(icc, len);
	char        buf[TAG_MAX];

	json_object_set_new(meta, "icc_profile", json_true());
	if (h == NULL) {
		json_object_set_new(meta, "icc_description",
		    json_string("(unreadable profile)"));
		return;
	}
	if (cmsGetProfileInfoASCII(h, cmsInfoDescription, "en", "US", buf,
	    sizeof(buf)) > 0)
		json_object_set_new(meta, "icc_description",
		    wq_json_text(buf, TAG_MAX));
	cmsCloseProfile(h);
}

/* ppi_ok: 1 if res (in the file's unit, f ppi each) is a resolution. */
static int
ppi_ok(double res, double f)
{
	return res * f >= PPI_MIN && res * f <= PPI_MAX;	/* false for NaN */
}

/*
 * set_resolution: records the resolution as found (null when not a
 * finite number) and sets it on pix in ppi, or assume_dpi when there is
 * none, it is unitless, or it is outside PPI_MIN..PPI_MAX.
 */
static void
set_resolution(PIX *pix, double xres, double yres, const char *unit,
    const struct ri_limits *lim, json_t *meta)
{
	double f = strcmp(unit, "centimeter") == 0 ? 2.54 : 1.0;
	int    assumed = !ppi_ok(xres, f) || !ppi_ok(yres, f) ||
	    strcmp(unit, "none") == 0;

	/* json_real() refuses NaN and infinities: the key is then null */
	json_object_set_new(meta, "x_resolution", isfinite(xres) ?
	    json_real(xres) : json_null());
	json_object_set_new(meta, "y_resolution", isfinite(yres) ?
	    json_real(yres) : json_null());
	json_object_set_new(meta, "resolution_unit", json_string(unit));
	if (assumed)
		xres = yres = lim->assume_dpi, f = 1.0;
	json_object_set_new(meta, "resolution_assumed", json_boolean(assumed));
	json_object_set_new(meta, "dpi", json_integer((json_int_t)(xres * f + 0.5)));
	pixSetResolution(pix, (l_int32)(xres * f + 0.5), (l_int32)(yres * f + 0.5));
}

static int
check_size(uint32_t w, uint32_t h, const struct ri_limits *lim, char *err,
    size_t errlen)
{
	if (w == 0 || h == 0) {
		snprintf(err, errlen, "zero-sized image (%u x %u)", w, h);
		return -1;
	}
	if ((double)w * h > lim->max_pixels || w > 0x7fffffffu / 4 ||
	    h > 0x7fffffffu) {
		snprintf(err, errlen, "image of %u x %u pixels is above the "
		    "limit of %.0f pixels", w, h, lim->max_pixels);
		return -1;
	}
	return 0;
}

/* palette_is_gray: 1 if every colour of the map is a gray. */
static int
palette_is_gray(TIFF *tif, unsigned bps)
{
	uint16_t *r, *g, *b;
	unsigned  i;

	if (bps > 8 || TIFFGetField(tif, TIFFTAG_COLORMAP, &r, &g, &b) != 1)
		return 0;
	for (i = 0; i < (1u << bps); i++)
		if (r[i] != g[i] || g[i] != b[i])
			return 0;
	return 1;
}

/*
 * rgba_alpha: the alpha libtiff's RGBA reader puts in the raster, as
 * TIFFRGBAImageBegin() and PickContigCase() decide: 0 when none (it
 * ignores alpha of palette, CMYK and gray other than 8-bit), else
 * EXTRASAMPLE_ASSOCALPHA when the raster colours are premultiplied (RGB
 * always: libtiff premultiplies unassociated RGB) or EXTRASAMPLE_UNASSALPHA
 * when they are not (8-bit gray + unassociated alpha, passed on as is).
 */
static int
rgba_alpha(uint16_t photo, uint16_t bps, uint16_t spp, uint16_t nextra,
    const uint16_t *extra)
{
	int alpha = 0;

	if (nextra >= 1 && extra != NULL) {
		if (extra[0] == EXTRASAMPLE_UNSPECIFIED && spp > 3)
			alpha = EXTRASAMPLE_ASSOCALPHA;	/* libtiff's workaround */
		else if (extra[0] == EXTRASAMPLE_ASSOCALPHA ||
		    extra[0] == EXTRASAMPLE_UNASSALPHA)
			alpha = extra[0];
	}
	if (alpha == 0)
		return 0;
	switch (photo) {
	case PHOTOMETRIC_MINISWHITE:
	case PHOTOMETRIC_MINISBLACK:
		return bps == 8 && spp == 2 ? alpha : 0;
	case PHOTOMETRIC_RGB:
		return EXTRASAMPLE_ASSOCALPHA;
	default:
		return 0;
	}
}

/* over_white: unassociated colour c of alpha a over white, rounded. */
static uint32_t
over_white(uint32_t c, uint32_t a)
{
	return (c * a + 255 * (255 - a) + 127) / 255;
}

/*
 * rgba_to_pix: packs libtiff's ABGR raster (bottom row first unless read
 * oriented) into a PIX of depth 1, 8 or 32.  Alpha is composited over
 * white: for premultiplied colours white + c - a is exact; unassociated
 * ones (unassoc) are weighted, c * a + white * (255 - a), rounded.
 */
static PIX *
rgba_to_pix(const uint32_t *ras, uint32_t w, uint32_t h, int depth,
    int unassoc)
{
	PIX      *pix = pixCreate((l_int32)w, (l_int32)h, depth);
	l_uint32 *data, *line;
	l_int32   wpl;
	uint32_t  x, y;

	if (pix == NULL)
		return NULL;
	data = pixGetData(pix);
	wpl = pixGetWpl(pix);
	for (y = 0; y < h; y++) {
		const uint32_t *row = ras + (size_t)y * w;

		line = data + (size_t)y * wpl;
		for (x = 0; x < w; x++) {
			uint32_t p = row[x], a = TIFFGetA(p);
			uint32_t r = TIFFGetR(p), g = TIFFGetG(p), b = TIFFGetB(p);

			if (unassoc) {
				r = over_white(r, a);
				g = over_white(g, a);
				b = over_white(b, a);
			} else {
				r += 255 - a;
				g += 255 - a;
				b += 255 - a;
			}

			r = r > 255 ? 255 : r;
			g = g > 255 ? 255 : g;
			b = b > 255 ? 255 : b;
			if (depth == 1) {
				if (r < 128)
					SET_DATA_BIT(line, x);
			} else if (depth == 8) {
				SET_DATA_BYTE(line, x, r);
			} else {
				line[x] = (r << 24) | (g << 16) | (b << 8);
			}
		}
	}
	return pix;
}

static PIX *
read_tiff(const char *path, int index, const struct ri_limits *lim,
    json_t *meta, char *err, size_t errlen)
{
	TIFF     *tif;
	PIX      *pix = NULL;
	uint32_t  w = 0, h = 0, *ras = NULL, icclen = 0, subfile = 0;
	uint16_t  bps = 1, spp = 1, photo = 0, comp = 1, planar = 1, unit = 2;
	uint16_t  orient = 1, nextra = 0, *extra = NULL;
	float     xres = 0, yres = 0;
	void     *icc = NULL;
	char      emsg[1024];
	int       depth, alpha;

	if ((tif = tiff_open(path, err, errlen)) == NULL)
		return NULL;
	if (!TIFFSetDirectory(tif, (tdir_t)index)) {
		snprintf(err, errlen, "unreadable IFD %d: %s", index,
		    tifferr[0] ? tifferr : "cannot read directory");
		goto done;
	}
	TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &comp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
	TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &orient);
	TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &nextra, &extra);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SUBFILETYPE, &subfile);
	if (TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo) != 1)	/* as libtiff */
		photo = spp - nextra >= 3 ? PHOTOMETRIC_RGB :
		    comp == COMPRESSION_CCITTRLE || comp == COMPRESSION_CCITTFAX3 ||
		    comp == COMPRESSION_CCITTFAX4 || comp == COMPRESSION_CCITTRLEW ?
		    PHOTOMETRIC_MINISWHITE : PHOTOMETRIC_MINISBLACK;
	alpha = rgba_alpha(photo, bps, spp, nextra, extra);
	if (TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres) != 1)
		xres = 0;
	if (TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yres) != 1)
		yres = xres;
	TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);

	json_object_set_new(meta, "format", json_string("TIFF"));
	json_object_set_new(meta, "bigtiff", json_boolean(TIFFIsBigTIFF(tif)));
	json_object_set_new(meta, "byte_order", json_string(TIFFIsBigEndian(tif) ?
	    "big-endian" : "little-endian"));
	json_object_set_new(meta, "width", json_integer(w));
	json_object_set_new(meta, "height", json_integer(h));
	json_object_set_new(meta, "bits_per_sample", json_integer(bps));
	json_object_set_new(meta, "samples_per_pixel", json_integer(spp));
	json_object_set_new(meta, "extra_samples", json_integer(nextra));
	json_object_set_new(meta, "photometric", json_string(photometric_name(photo)));
	json_object_set_new(meta, "compression", json_string(compression_name(comp)));
	json_object_set_new(meta, "compression_code", json_integer(comp));
	json_object_set_new(meta, "planar", json_string(planar == PLANARCONFIG_SEPARATE ?
	    "separate" : "contiguous"));
	json_object_set_new(meta, "tiled", json_boolean(TIFFIsTiled(tif)));
	json_object_set_new(meta, "orientation", json_integer(orient));
	set_tag_text(tif, meta, TIFFTAG_MAKE, "scanner_make");
	set_tag_text(tif, meta, TIFFTAG_MODEL, "scanner_model");
	set_tag_text(tif, meta, TIFFTAG_SOFTWARE, "software");
	set_tag_text(tif, meta, TIFFTAG_DATETIME, "datetime");
	if (TIFFGetField(tif, TIFFTAG_ICCPROFILE, &icclen, &icc) == 1 && icclen > 0)
		icc_describe(icc, icclen, meta);
	else
		json_object_set_new(meta, "icc_profile", json_false());
	json_object_set_new(meta, "reduced_image", json_boolean(subfile & FILETYPE_REDUCEDIMAGE));

	if (check_size(w, h, lim, err, errlen) == -1)
		goto done;
	if (!TIFFRGBAImageOK(tif, emsg)) {
		snprintf(err, errlen, "unsupported TIFF layout: %s", emsg);
		goto done;
	}
	ras = _TIFFmalloc((tmsize_t)w * h * sizeof(uint32_t));
	if (ras == NULL) {
		snprintf(err, errlen, "no memory for %u x %u pixels", w, h);
		goto done;
	}
	tifferr[0] = '\0';
	if (!TIFFReadRGBAImageOriented(tif, w, h, ras, ORIENTATION_TOPLEFT, 1) ||
	    tifferr[0] != '\0') {
		snprintf(err, errlen, "cannot decode image %d: %s", index,
		    tifferr[0] ? tifferr : "read error");
		goto done;
	}
	if ((photo == PHOTOMETRIC_MINISWHITE || photo == PHOTOMETRIC_MINISBLACK) &&
	    spp - nextra == 1)
		depth = bps == 1 ? 1 : 8;
	else if (photo == PHOTOMETRIC_PALETTE && palette_is_gray(tif, bps))
		depth = 8;
	else
		depth = 32;
	pix = rgba_to_pix(ras, w, h, depth, alpha == EXTRASAMPLE_UNASSALPHA);
	if (pix == NULL) {
		snprintf(err, errlen, "no memory for %u x %u pixels", w, h);
		goto done;
	}
	json_object_set_new(meta, "reduced_16_to_8", json_boolean(bps == 16));
	json_object_set_new(meta, "alpha_composited", json_boolean(alpha != 0));
	set_resolution(pix, xres, yres, unit == RESUNIT_CENTIMETER ? "centimeter" :
	    unit == RESUNIT_INCH ? "inch" : "none", lim, meta);
done:
	_TIFFfree(ras);
	TIFFClose(tif);
	return pix;
}

static PIX *
read_jpeg(const char *path, const struct ri_limits *lim, json_t *meta,
    char *err, size_t errlen)
{
	l_int32 w, h, spp, ycck, cmyk, xres = 0, yres = 0, nwarn = 0;
	PIX    *pix, *pix8;
	FILE   *f;

	if (readHeaderJpeg(path, &w, &h, &spp, &ycck, &cmyk) != 0) {
		snprintf(err, errlen, "unreadable JPEG header");
		return NULL;
	}
	json_object_set_new(meta, "format", json_string("JPEG"));
	json_object_set_new(meta, "width", json_integer(w));
	json_object_set_new(meta, "height", json_integer(h));
	json_object_set_new(meta, "bits_per_sample", json_integer(8));
	json_object_set_new(meta, "samples_per_pixel", json_integer(spp));
	/* four components are CMYK, whether stored as such or as Adobe's
	 * YCCK (Leptonica's two flags do not tell them apart reliably) */
	json_object_set_new(meta, "photometric", json_string(spp == 1 ? "min-is-black" :
	    spp == 4 ? "CMYK" : "YCbCr"));
	json_object_set_new(meta, "compression", json_string("JPEG"));
	json_object_set_new(meta, "icc_profile", json_false());
	if (check_size((uint32_t)w, (uint32_t)h, lim, err, errlen) == -1)
		return NULL;
	pix = pixReadJpeg(path, 0, 1, &nwarn, 0);
	if (pix == NULL || nwarn > 0) {
		pixDestroy(&pix);
		snprintf(err, errlen, "cannot decode JPEG (damaged or truncated)");
		return NULL;
	}
	if ((f = fopen(path, "rb")) != NULL) {
		fgetJpegResolution(f, &xres, &yres);
		fclose(f);
	}
	if (pixGetDepth(pix) == 8 && pixGetColormap(pix) != NULL) {
		pix8 = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
		pixDestroy(&pix);
		pix = pix8;
	}
	json_object_set_new(meta, "reduced_16_to_8", json_false());
	json_object_set_new(meta, "alpha_composited", json_false());
	set_resolution(pix, xres, yres, xres > 0 ? "inch" : "none", lim, meta);
	return pix;
}

/* pix_over_white: composites an RGBA pix (unassociated) over white. */
static void
pix_over_white(PIX *pix)
{
	l_uint32 *p = pixGetData(pix);
	size_t    i, n = (size_t)pixGetWpl(pix) * (size_t)pixGetHeight(pix);

	for (i = 0; i < n; i++) {
		uint32_t v = p[i], a = v & 0xff;

		p[i] = over_white(v >> 24, a) << 24 |
		    over_white((v >> 16) & 0xff, a) << 16 |
		    over_white((v >> 8) & 0xff, a) << 8;
	}
	pixSetSpp(pix, 3);
}

/*
 * png_chunks_ok: -1 (and why) unless every chunk of the PNG lies inside
 * the file.  libpng allocates what a chunk claims before it finds the file
 * too short: 2 GB for the text chunk of a 1 KB file (found by fuzzing).
 */
static int
png_chunks_ok(const char *path, char *err, size_t errlen)
{
	FILE          *f = fopen(path, "rb");
	unsigned char  h[8];
	off_t          size, off = 8;
	uint32_t       len;
	int            i, r = 0;

	if (f == NULL || fseeko(f, 0, SEEK_END) == -1 || (size = ftello(f)) == -1) {
		if (f != NULL)
			fclose(f);
		return 0;	/* pixRead says what is wrong */
	}
	while (off + 12 <= size && fseeko(f, off, SEEK_SET) == 0 &&
	    fread(h, 1, 8, f) == 8) {
		len = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
		    (uint32_t)h[2] << 8 | h[3];
		for (i = 4; i < 8; i++)		/* the type, as text */
			if (!((h[i] >= 'A' && h[i] <= 'Z') || (h[i] >= 'a' && h[i] <= 'z')))
				h[i] = '?';
		if (len > 0x7fffffffu || (off_t)len > size - off - 12) {
			snprintf(err, errlen, "damaged PNG: chunk %.4s at byte %lld "
			    "claims %lu bytes, past the end of the file",
			    (const char *)h + 4, (long long)off, (unsigned long)len);
			r = -1;
			break;
		}
		if (memcmp(h + 4, "IEND", 4) == 0)
			break;
		off += 12 + (off_t)len;
	}
	fclose(f);
	return r;
}

/*
 * read_png: a PNG through Leptonica; 16-bit samples are reduced to 8 and
 * alpha is composited over white, as for TIFF.
 */
static PIX *
read_png(const char *path, const struct ri_limits *lim, json_t *meta,
    char *err, size_t errlen)
{
	l_int32 fmt, w, h, bps, spp, cmap;
	PIX    *pix, *t;

	if (png_chunks_ok(path, err, errlen) == -1)
		return NULL;
	if (pixReadHeader(path, &fmt, &w, &h, &bps, &spp, &cmap) != 0 ||
	    fmt != IFF_PNG) {
		snprintf(err, errlen, "unreadable PNG header");
		return NULL;
	}
	json_object_set_new(meta, "format", json_string("PNG"));
	json_object_set_new(meta, "width", json_integer(w));
	json_object_set_new(meta, "height", json_integer(h));
	json_object_set_new(meta, "bits_per_sample", json_integer(bps));
	json_object_set_new(meta, "samples_per_pixel", json_integer(spp));
	json_object_set_new(meta, "photometric", json_string(cmap ? "palette" :
	    spp <= 2 ? "min-is-black" : "RGB"));
	json_object_set_new(meta, "compression", json_string("Deflate"));
	json_object_set_new(meta, "icc_profile", json_false());
	if (check_size((uint32_t)w, (uint32_t)h, lim, err, errlen) == -1)
		return NULL;
	if ((pix = pixRead(path)) == NULL) {
		snprintf(err, errlen, "cannot decode PNG (damaged or truncated)");
		return NULL;
	}
	if (pixGetColormap(pix) != NULL) {
		t = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
		pixDestroy(&pix);
		pix = t;
	}
	if (pixGetDepth(pix) == 32 && pixGetSpp(pix) == 4) {
		pix_over_white(pix);
		if (spp == 2) {		/* gray + alpha: r = g = b */
			t = pixGetRGBComponent(pix, COLOR_RED);
			pixDestroy(&pix);
			pix = t;
		}
	}
	if (pix == NULL || (pixGetDepth(pix) != 1 && pixGetDepth(pix) != 8 &&
	    pixGetDepth(pix) != 32)) {
		t = pix ? pixConvertTo8(pix, 0) : NULL;
		pixDestroy(&pix);
		if ((pix = t) == NULL) {
			snprintf(err, errlen, "cannot convert PNG of depth %d", bps);
			return NULL;
		}
	}
	json_object_set_new(meta, "reduced_16_to_8", json_boolean(bps == 16));
	json_object_set_new(meta, "alpha_composited", json_boolean(spp == 2 || spp == 4));
	set_resolution(pix, pixGetXRes(pix), pixGetYRes(pix),
	    pixGetXRes(pix) > 0 ? "inch" : "none", lim, meta);
	return pix;
}

static void
opj_quiet(const char *msg, void *data)
{
	(void)msg, (void)data;
}

/*
 * jp2_decode: path (a JP2 file when jp2, else a J2K codestream) decoded by
 * OpenJPEG, NULL when it cannot be.  The caller frees it with
 * opj_image_destroy().  Leptonica's own JPEG 2000 reader stops at 8 bits
 * a sample; masters are often 16.
 */
static opj_image_t *
jp2_decode(const char *path, int jp2, const struct ri_limits *lim, char *err,
    size_t errlen)
{
	opj_dparameters_t p;
	opj_codec_t      *c = opj_create_decompress(jp2 ? OPJ_CODEC_JP2 :
	    OPJ_CODEC_J2K);
	opj_stream_t     *st = opj_stream_create_default_file_stream(path, 1);
	opj_image_t      *img = NULL;

	opj_set_default_decoder_parameters(&p);
	opj_set_info_handler(c, opj_quiet, NULL);
	opj_set_warning_handler(c, opj_quiet, NULL);
	opj_set_error_handler(c, opj_quiet, NULL);
	/* the size the header claims is checked before anything is decoded:
	 * OpenJPEG allocates the whole image at once */
	if (c == NULL || st == NULL || !opj_setup_decoder(c, &p) ||
	    !opj_read_header(st, c, &img) ||
	    check_size(img->x1 - img->x0, img->y1 - img->y0, lim, err, errlen) == -1 ||
	    !opj_decode(c, st, img) || !opj_end_decompress(c, st)) {
		opj_image_destroy(img);
		img = NULL;
	}
	if (st != NULL)
		opj_stream_destroy(st);
	if (c != NULL)
		opj_destroy_codec(c);
	return img;
}

/* sample8: component sample i brought to 8 bits */
static unsigned
sample8(const opj_image_comp_t *c, size_t i)
{
	int v = c->data[i];

	if (c->sgnd)
		v += 1 << (c->prec - 1);
	if (v < 0)
		v = 0;
	if (c->prec > 8)
		v >>= c->prec - 8;
	else if (c->prec < 8)
		v = v * 255 / ((1 << c->prec) - 1);
	return v > 255 ? 255 : (unsigned)v;
}

/*
 * read_jp2: a JPEG 2000 file (jp2) or codestream, through OpenJPEG: gray (one
 * or two components) as 8 bpp, colour (three or more, sRGB or sYCC as
 * OpenJPEG gives them) as 32 bpp; components of another size than the
 * first (subsampled) are refused.
 */
static PIX *
read_jp2(const char *path, int jp2, const struct ri_limits *lim, json_t *meta,
    char *err, size_t errlen)
{
	opj_image_t  *img;
	PIX          *pix = NULL;
	FILE         *f;
	uint32_t      w, h, x, y, k, prec;
	l_uint32     *line;

	json_object_set_new(meta, "format", json_string("JPEG 2000"));
	json_object_set_new(meta, "container", json_string(jp2 ? "JP2" :
	    "J2K codestream"));
	json_object_set_new(meta, "compression", json_string("JPEG 2000"));
	err[0] = '\0';
	if ((img = jp2_decode(path, jp2, lim, err, errlen)) == NULL ||
	    img->numcomps == 0 || img->comps[0].data == NULL) {
		opj_image_destroy(img);
		if (err[0] == '\0')
			snprintf(err, errlen, "cannot decode JPEG 2000 (damaged, "
			    "truncated or of a kind OpenJPEG does not read)");
		return NULL;
	}
	w = img->comps[0].w, h = img->comps[0].h, prec = img->comps[0].prec;
	json_object_set_new(meta, "width", json_integer(w));
	json_object_set_new(meta, "height", json_integer(h));
	json_object_set_new(meta, "bits_per_sample", json_integer(prec));
	json_object_set_new(meta, "samples_per_pixel", json_integer(img->numcomps));
	json_object_set_new(meta, "photometric", json_string(img->numcomps <= 2 ?
	    "min-is-black" : "RGB"));
	json_object_set_new(meta, "icc_profile", json_boolean(img->icc_profile_len > 0));
	if (check_size(w, h, lim, err, errlen) == -1)
		goto done;
	for (k = 1; k < img->numcomps && k < 3; k++)
		if (img->comps[k].w != w || img->comps[k].h != h ||
		    img->comps[k].data == NULL) {
			snprintf(err, errlen, "JPEG 2000 with subsampled components: "
			    "not read");
			goto done;
		}
	if (prec == 0 || prec > 16) {
		snprintf(err, errlen, "JPEG 2000 of %u bits a sample: not read", prec);
		goto done;
	}
	if ((pix = pixCreate((l_int32)w, (l_int32)h, img->numcomps <= 2 ? 8 : 32)) == NULL) {
		snprintf(err, errlen, "no memory for %u x %u pixels", w, h);
		goto done;
	}
	for (y = 0; y < h; y++) {
		line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);
		for (x = 0; x < w; x++) {
			size_t i = (size_t)y * w + x;

			if (img->numcomps <= 2)
				SET_DATA_BYTE(line, x, sample8(&img->comps[0], i));
			else
				line[x] = sample8(&img->comps[0], i) << 24 |
				    sample8(&img->comps[1], i) << 16 |
				    sample8(&img->comps[2], i) << 8;
		}
	}
	if (img->numcomps > 2)
		pixSetSpp(pix, 3);
	json_object_set_new(meta, "reduced_16_to_8", json_boolean(prec > 8));
	json_object_set_new(meta, "alpha_composited", json_false());
	/* resolution: Leptonica reads the JP2 resolution box */
	{
		l_int32 xres = 0, yres = 0;

		if (jp2 && (f = fopen(path, "rb")) != NULL) {
			fgetJp2kResolution(f, &xres, &yres);
			fclose(f);
		}
		set_resolution(pix, xres, yres, xres > 0 ? "inch" : "none", lim, meta);
	}
done:
	opj_image_destroy(img);
	return pix;
}

/*
 * ri_read: the index-th image of path.  Returns a new PIX (caller owns)
 * and fills meta, or NULL with a one-line reason in err.
 */
PIX *
ri_read(const char *path, enum ri_format fmt, int index,
    const struct ri_limits *lim, json_t *meta, char *err, size_t errlen)
{
	PIX *pix = NULL;

	err[0] = '\0';
	json_decref(tiffwarn);
	tiffwarn = NULL;
	if (fmt == RI_TIFF)
		pix = read_tiff(path, index, lim, meta, err, errlen);
	else if (fmt == RI_JPEG)
		pix = read_jpeg(path, lim, meta, err, errlen);
	else if (fmt == RI_PNG)
		pix = read_png(path, lim, meta, err, errlen);
	else if (fmt == RI_JP2 || fmt == RI_J2K)
		pix = read_jp2(path, fmt == RI_JP2, lim, meta, err, errlen);
	else
		snprintf(err, errlen, "not a TIFF, JPEG, PNG or JPEG 2000 file");
	/* structural validation, as read: well formed (else no image, and
	 * the reason), and the reader's warnings (libtiff's for TIFF) */
	if (pix != NULL)
		json_object_set_new(meta, "validation", json_pack("{s:b, s:o}",
		    "well_formed", 1, "warnings", tiffwarn ? json_copy(tiffwarn) :
		    json_array()));
	return pix;
}

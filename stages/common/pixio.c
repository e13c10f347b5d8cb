/*
 * pixio.c - page images in and out of the work directory.
 *
 *   wq_pix_read()   a stage's input page image, with a reason on failure
 *   wq_pix_write()  a page image as TIFF (G4 for 1 bpp, Deflate otherwise),
 *                   written to a temporary name, checked whole, synced
 *                   and renamed
 *
 * Leptonica's TIFF writer says nothing of a write libtiff could not make
 * (a full disk, a file-size limit): it returns success over a cut file.
 * So the file written is checked before it is renamed into place: its
 * directory (which libtiff writes last) must read, and every strip or
 * tile it lists must lie inside the file.
 *
 * Leptonica does the TIFF work, but for one thing: an 8-bit gray or colour
 * page is read here through libtiff one scanline at a time, because
 * pixRead() holds the whole decoded raster twice beside the PIX it makes,
 * three full copies of the page at once (on a 600-ppi A3 colour page,
 * 800 MB for a 265 MB page).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <tiffio.h>

#include "wq.h"

/* is_tiff: the file starts with a TIFF or BigTIFF byte-order mark */
static int
is_tiff(const char *path)
{
	unsigned char b[4] = { 0 };
	FILE         *f = fopen(path, "rb");
	int           r;

	if (f == NULL)
		return 0;
	r = fread(b, 1, 4, f) == 4 &&
	    ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0) ||
	    (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43)));
	fclose(f);
	return r;
}

/*
 * tiff_read_lines: the first image of an 8-bit gray (min-is-black) or
 * RGB/RGBA TIFF, contiguous samples, as a new 8 or 32 bpp PIX with its
 * resolution; the caller owns it.  NULL for any other kind of TIFF (the
 * caller then asks Leptonica) or a damaged one.
 */
static PIX *
tiff_read_lines(const char *path)
{
	TIFF     *t;
	PIX      *pix = NULL;
	uint32_t  w, h, y, x;
	uint16_t  bps, spp, photo, planar, unit = RESUNIT_INCH;
	float     xres = 0, yres = 0;
	uint8_t  *buf = NULL;
	l_uint32 *line;

	if (!is_tiff(path) || (t = TIFFOpen(path, "r")) == NULL)
		return NULL;
	if (!TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w) ||
	    !TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h) ||
	    !TIFFGetFieldDefaulted(t, TIFFTAG_BITSPERSAMPLE, &bps) ||
	    !TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLESPERPIXEL, &spp) ||
	    !TIFFGetFieldDefaulted(t, TIFFTAG_PLANARCONFIG, &planar) ||
	    !TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photo) || bps != 8 ||
	    planar != PLANARCONFIG_CONTIG || TIFFIsTiled(t) ||
	    !((spp == 1 && photo == PHOTOMETRIC_MINISBLACK) ||
	    ((spp == 3 || spp == 4) && photo == PHOTOMETRIC_RGB)) ||
	    w == 0 || h == 0 || w > 1000000 || h > 1000000 ||
	    TIFFScanlineSize(t) < (tmsize_t)w * spp)
		goto done;
	if ((pix = pixCreateNoInit(w, h, spp == 1 ? 8 : 32)) == NULL)
		goto done;
	buf = wq_xmalloc(TIFFScanlineSize(t));
	for (y = 0; y < h; y++) {
		if (TIFFReadScanline(t, buf, y, 0) < 0) {
			pixDestroy(&pix);
			goto done;
		}
		line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);
		if (spp == 1)
			for (x = 0; x < w; x++)
				SET_DATA_BYTE(line, x, buf[x]);
		else
			for (x = 0; x < w; x++) {
				const uint8_t *s = buf + (size_t)x * spp;

				line[x] = (l_uint32)s[0] << L_RED_SHIFT |
				    (l_uint32)s[1] << L_GREEN_SHIFT |
				    (l_uint32)s[2] << L_BLUE_SHIFT |
				    (spp == 4 ? (l_uint32)s[3] << L_ALPHA_SHIFT : 0);
			}
	}
	pixSetSpp(pix, spp == 1 ? 1 : spp);
	TIFFGetFieldDefaulted(t, TIFFTAG_RESOLUTIONUNIT, &unit);
	if (TIFFGetField(t, TIFFTAG_XRESOLUTION, &xres) &&
	    TIFFGetField(t, TIFFTAG_YRESOLUTION, &yres) && xres > 0 && yres > 0 &&
	    xres < 1e6 && yres < 1e6) {
		if (unit == RESUNIT_CENTIMETER)
			xres *= 2.54f, yres *= 2.54f;
		pixSetResolution(pix, (l_int32)(xres + 0.5f), (l_int32)(yres + 0.5f));
	}
	pixSetInputFormat(pix, IFF_TIFF);
done:
	free(buf);
	TIFFClose(t);
	return pix;
}

/*
 * wq_pix_read: the page image at path, a new PIX the caller owns; NULL
 * with a reason in err when it cannot be read.
 */
PIX *
wq_pix_read(const char *path, char *err, size_t errlen)
{
	PIX *pix = tiff_read_lines(path);

	if (pix == NULL)
		pix = pixRead(path);

	if (pix == NULL)
		snprintf(err, errlen, "cannot read page image %s", path);
	return pix;
}

static void
tiff_silent(const char *module, const char *fmt, va_list ap)
{
	(void)module, (void)fmt, (void)ap;
}

/*
 * cut_reason: why a file came out short: errno EFBIG past the process's
 * file-size limit, ENOSPC on a full file system, else EIO.
 */
static int
cut_reason(const char *path, off_t size)
{
	struct rlimit  rl;
	struct statvfs vf;

	if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)size >= rl.rlim_cur)
		return EFBIG;
	if (statvfs(path, &vf) == 0 && (vf.f_bavail == 0 || vf.f_favail == 0))
		return ENOSPC;
	return EIO;
}

/*
 * tiff_whole: 0 when the TIFF at path reads back whole: its first
 * directory reads and every strip or tile lies inside the file; -1 with
 * errno set (EFBIG, ENOSPC or EIO: cut_reason) when not.
 */
static int
tiff_whole(const char *path)
{
	TIFFErrorHandler e = TIFFSetErrorHandler(tiff_silent);
	TIFFErrorHandler w = TIFFSetWarningHandler(tiff_silent);
	struct stat      st;
	TIFF            *t = NULL;
	uint64_t        *off = NULL, *len = NULL;
	uint32_t         i, n;
	int              ok = 0;

	if (stat(path, &st) == 0 && (t = TIFFOpen(path, "r")) != NULL) {
		n = TIFFIsTiled(t) ? TIFFNumberOfTiles(t) : TIFFNumberOfStrips(t);
		ok = n > 0 &&
		    TIFFGetField(t, TIFFIsTiled(t) ? TIFFTAG_TILEOFFSETS :
		    TIFFTAG_STRIPOFFSETS, &off) && off != NULL &&
		    TIFFGetField(t, TIFFIsTiled(t) ? TIFFTAG_TILEBYTECOUNTS :
		    TIFFTAG_STRIPBYTECOUNTS, &len) && len != NULL;
		for (i = 0; ok && i < n; i++)
			ok = len[i] > 0 && off[i] + len[i] <= (uint64_t)st.st_size;
		TIFFClose(t);
	}
	TIFFSetErrorHandler(e);
	TIFFSetWarningHandler(w);
	if (ok)
		return 0;
	errno = cut_reason(path, st.st_size);
	return -1;
}

int
wq_pix_write(const char *path, PIX *pix, char *err, size_t errlen)
{
	char *tmp = wq_tmpname(path);
	int   fmt = pixGetDepth(pix) == 1 ? IFF_TIFF_G4 : IFF_TIFF_ZIP;
	int   r = 0;

	errno = 0;
	if (wq_mkparent(path) == -1 || pixWriteTiff(tmp, pix, fmt, "w") != 0 ||
	    tiff_whole(tmp) == -1 || wq_commit(tmp, path) == -1) {
		int saved = errno;

		snprintf(err, errlen, "cannot write %s: %s", path,
		    saved == EFBIG ? "file size limit reached (ulimit -f)" :
		    saved ? strerror(saved) : "TIFF writer failed");
		unlink(tmp);
		errno = saved;
		r = -1;
	}
	free(tmp);
	return r;
}

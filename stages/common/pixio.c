/*
 * pixio.c - page images in and out of the work directory.
 *
 *   wq_pix_read()   a stage's input page image, with a reason on failure
 *   wq_pix_write()  a page image as TIFF (G4 for 1 bpp, Deflate otherwise),
 *                   written to a temporary name, synced and renamed
 *
 * Leptonica does the TIFF work; this file only adds the atomic write and
 * errors in words.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wq.h"

PIX *
wq_pix_read(const char *path, char *err, size_t errlen)
{
	PIX *pix = pixRead(path);

	if (pix == NULL)
		snprintf(err, errlen, "cannot read page image %s", path);
	return pix;
}

int
wq_pix_write(const char *path, PIX *pix, char *err, size_t errlen)
{
	char *tmp = wq_tmpname(path);
	int   fmt = pixGetDepth(pix) == 1 ? IFF_TIFF_G4 : IFF_TIFF_ZIP;
	int   r = 0;

	errno = 0;
	if (wq_mkparent(path) == -1 || pixWriteTiff(tmp, pix, fmt, "w") != 0 ||
	    wq_commit(tmp, path) == -1) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    errno ? strerror(errno) : "TIFF writer failed");
		unlink(tmp);
		r = -1;
	}
	free(tmp);
	return r;
}

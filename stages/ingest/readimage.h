/*
 * readimage.h - reading scanner output (TIFF, JPEG and PNG) into Leptonica
 * images with their technical metadata.  Used by warraq-ingest and by
 * its fuzz harness.
 */
#ifndef READIMAGE_H
#define READIMAGE_H

#include <leptonica/allheaders.h>
#include <jansson.h>

/* RI_JP2: a JPEG 2000 file (JP2 boxes); RI_J2K: a bare codestream */
enum ri_format { RI_UNKNOWN, RI_TIFF, RI_JPEG, RI_PNG, RI_JP2, RI_J2K };

struct ri_limits {
	double max_pixels;	/* width * height above this is refused */
	int    assume_dpi;	/* recorded when the file has no resolution */
};

enum ri_format ri_sniff(const char *path);
int  ri_count(const char *path, enum ri_format fmt, int *count,
         char *err, size_t errlen);
PIX *ri_read(const char *path, enum ri_format fmt, int index,
         const struct ri_limits *lim, json_t *meta, char *err, size_t errlen);
void ri_quiet(void);

#endif

/*
 * spread.h - double-page spreads (spread.c), for warraq-ingest.
 */
#ifndef SPREAD_H
#define SPREAD_H

#include <leptonica/allheaders.h>

l_int32 spread_gutter(PIX *pix, int always);
int     spread_arabic(PIX *pix);

#endif

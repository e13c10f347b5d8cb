/*
 * layout.h - what the parts of warraq-layout share.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#include "wq.h"

/* script.c: a line's script from its pixels */
#define SCRIPT_NFEAT		8
#define SCRIPT_MIN_PIECES	4	/* fewer components: the line says little */
int    script_features(PIX *bin, double *f);
double script_arabic(const double *f);

/* layout.c */
int    span_overlap(int a0, int a1, int b0, int b1);

/* order.c: regions into reading order */
void order_regions(struct wq_layout *L, enum wq_script lead);

#endif

/*
 * report.h - what the parts of warraq-report share: the quality measures
 * that need no ground truth (over the text wq_alto_read() gives), and the
 * writers of the browser report.
 */
#ifndef REPORT_H
#define REPORT_H

#include "wq.h"

/* measure.c */
void text_measures(const struct wq_alto *t, const struct wq_dicts *d, json_t *q);
void image_measures(const char *work, const struct wq_page *p, json_t *q);

/* html.c */
struct hopts {
	int page_px;		/* width of the page image in a page view */
	int thumb_px;		/* width of a thumbnail */
	int force;		/* remake images even when up to date */
};

int html_page_images(const char *work, const char *dir, json_t *pg,
        const struct hopts *o, int *w, int *h);
int html_page_view(const char *dir, json_t *pg, const struct wq_alto *t,
        int imgw, int imgh, const char *prev, const char *next);
int html_index(const char *dir, json_t *report);
int html_assets(const char *dir);
int csv_pages(const char *path, json_t *report);

/* assets.c, made from report.js and report.css by the Makefile */
extern const char report_js[], report_css[];

#endif

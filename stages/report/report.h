/*
 * report.h - what the parts of warraq-report share: the OCR text of a
 * page as ALTO gives it (every word with its box and confidence), the
 * quality measures that need no ground truth, and the writers of the
 * browser report.
 */
#ifndef REPORT_H
#define REPORT_H

#include <hunspell/hunspell.h>

#include "wq.h"

struct rword {
	char   *text;		/* UTF-8 as ALTO holds it (untrusted) */
	double  conf;		/* 0..100; negative when ALTO had none */
	int     x, y, w, h;
};

struct rline {
	struct rword *w;
	size_t        nw;
	char         *lang;	/* ALTO LANG ("ar", "fr"), or NULL */
	int           rtl;	/* BASEDIRECTION="rtl" */
};

struct rtext {
	struct rline *l;
	size_t        nl, nwords;
	int           width, height;	/* of the page image OCR read */
};

/* The word lists, one per language; NULL where a list is missing. */
struct dicts {
	Hunhandle *ar, *fr;
};

/* measure.c */
int  alto_read(const char *path, struct rtext *t, char *err, size_t errlen);
void alto_free(struct rtext *t);
void dicts_open(struct dicts *d, const char *dir, json_t *notes);
void dicts_close(struct dicts *d);
void text_measures(const struct rtext *t, const struct dicts *d, json_t *q);
void image_measures(const char *work, const struct wq_page *p, json_t *q);

/* html.c */
struct hopts {
	int page_px;		/* width of the page image in a page view */
	int thumb_px;		/* width of a thumbnail */
	int force;		/* remake images even when up to date */
};

int html_page_images(const char *work, const char *dir, json_t *pg,
        const struct hopts *o, int *w, int *h);
int html_page_view(const char *dir, json_t *pg, const struct rtext *t,
        int imgw, int imgh, const char *prev, const char *next);
int html_index(const char *dir, json_t *report);
int html_assets(const char *dir);
int csv_pages(const char *path, json_t *report);

/* assets.c, made from report.js and report.css by the Makefile */
extern const char report_js[], report_css[];

#endif

/*
 * ocr.h - a recognised page, as warraq-ocr holds it between Tesseract
 * and the writers (render.c).
 */
#ifndef OCR_H
#define OCR_H

#include "wq.h"

enum script { SCRIPT_NONE, SCRIPT_LATIN, SCRIPT_ARABIC };

struct word {
	char  *text;		/* UTF-8, NFC, logical order */
	float  conf;		/* 0..100 */
	int    x0, y0, x1, y1;
};

struct line {
	struct word *w;
	size_t       nw;
	int          x0, y0, x1, y1;
	int          block;
	enum script  script;
	const char  *model;	/* language of the model that read it */
	const char  *role;	/* its region's PAGE type (heading ...), or NULL */
	float        conf;	/* mean word confidence */
};

struct ocrpage {
	struct line *l;
	size_t       nl;
	size_t       empty;	/* lines of the layout that read as nothing */
	int          width, height, dpi;
	const char  *image;	/* the image OCR read, for hOCR and ALTO */
	const char  *master;	/* the source scan's name */
};

struct model {
	const char *lang;
	char        sha256[65];
	long long   size;
};

/* render.c */
char *render_text(const struct ocrpage *pg);
char *render_hocr(const struct ocrpage *pg, const char *page_id);
char *render_alto(const struct ocrpage *pg, const char *page_id,
          const struct model *models, size_t nmodels, const char *tessversion);
const char *script_name(enum script s);
enum script text_script(const char *utf8);

#endif

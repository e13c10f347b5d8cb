/*
 * package.h - what warraq-package knows of a bag while it writes it:
 * package.c gathers it, payload.c writes and hashes its files, mets.c
 * describes it in data/mets.xml, iiif.c publishes it (data/iiif/).
 */
#ifndef PACKAGE_H
#define PACKAGE_H

#include <libxml/xmlwriter.h>

#include "wq.h"

struct pfile {			/* one payload file */
	char       *path;	/* relative to data/: "master/0001.tif" */
	const char *use;	/* its METS file group: MASTER, ACCESS, ... */
	const char *mime;
	const char *page;	/* the page it is of, NULL for the document */
	char       *orig;	/* a master's original name (valid UTF-8) */
	long long   size;
	char        sha256[WQ_HEX_MAX], sha512[WQ_HEX_MAX];
};

struct ppage {			/* a page, and where it is in its master */
	const struct wq_page *p;
	size_t                master;	/* index into the files */
	int                   image;	/* 1-based image of a multi-page master */
	int                   nimages;
	int                   crop[4];	/* left, top, right, bottom of a cut spread */
	int                   cropped;
	int                   access_w, access_h;	/* its access image */
};

struct pevent {			/* one stage that worked on the document */
	const char *stage;
	const char *type;	/* PREMIS event type */
	char       *date;
	char       *tool;	/* "warraq-ocr 0.1.0" */
	char       *version;
	char       *detail;	/* what it did, with its settings */
	char       *note;	/* the libraries and models it used */
	char       *outcome;
};

struct pkg {
	const char    *doc;
	char          *title;	/* the document's original name */
	char         **lang;	/* ISO 639-2/B codes */
	size_t         nlang;
	struct ppage  *pg;
	size_t         npg;
	struct pfile  *f;
	size_t         nf;
	struct pevent *ev;
	size_t         nev;
};

/* payload.c */
struct pfile *pkg_add_file(struct pkg *k, const char *path, const char *use,
                  const char *mime, const char *page);
int           pkg_put(const char *dir, struct pfile *f, const char *src,
                  const void *buf, size_t len, char *err, size_t errlen);

/* mets.c */
int mets_write(const struct pkg *k, xmlBufferPtr buf);

/* iiif.c */
int iiif_on(const struct wq_args *a, const char *key);
int iiif_tiles(const struct wq_args *a, const char *dir, struct pkg *k,
        const struct wq_page *p, PIX *pix, char *err, size_t errlen);
int iiif_manifest(const struct wq_args *a, const char *dir, struct pkg *k,
        char *err, size_t errlen);

#endif /* PACKAGE_H */

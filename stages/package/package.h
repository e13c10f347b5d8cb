/*
 * package.h - what warraq-package knows of a bag while it writes it:
 * package.c gathers it, mets.c describes it in data/mets.xml.
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

int mets_write(const struct pkg *k, xmlBufferPtr buf);

#endif /* PACKAGE_H */
